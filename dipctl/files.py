"""Writing a file so that it is never half-written: the one place dipctl writes bytes.

Used by every package (the register's YAML files, git's journal, the printed papers, the site),
so it lives at the top beside :mod:`dipctl.errors` and imports nothing of dipctl.

:func:`fault` is the tests' fault-injection hook (docs/reliability.md): with
``DIPCTL_TEST_FAULT=<point>[#n][=action]`` the process is killed (``kill``, the default) or a
write fails (``enospc``, ``eacces``, ``erofs``) the ``n``-th time it reaches ``point``.
``DIPCTL_TEST_KILL=<point>`` is the older spelling of ``<point>=kill``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import signal
import tempfile
import time
from pathlib import Path

TMP_SUFFIX = ".tmp"
STALE_GIT_LOCK_AGE = 60.0  # a git lock file nobody holds open, this old, is a dead git's
_ERRORS = {"enospc": errno.ENOSPC, "eacces": errno.EACCES, "erofs": errno.EROFS}
_seen: dict[str, int] = {}


def fault(point: str) -> str | None:
    """Kill the process, or raise the injected OSError, when the test asked for ``point``.

    Returns any other action the spec names (the caller acts on it), else None.
    """
    spec = os.environ.get("DIPCTL_TEST_FAULT") or ""
    if not spec and os.environ.get("DIPCTL_TEST_KILL"):
        spec = os.environ["DIPCTL_TEST_KILL"] + "=kill"
    if not spec:
        return None
    name, _, action = spec.partition("=")
    name, _, nth = name.partition("#")
    if name != point:
        return None
    _seen[point] = _seen.get(point, 0) + 1
    if _seen[point] != int(nth or 1):
        return None
    if action in ("", "kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if action in _ERRORS:
        code = _ERRORS[action]
        raise OSError(code, os.strerror(code))
    return action


def write_atomic(path: Path, content: str | bytes, *, sync: bool = True) -> None:
    """Write through a temp file in the same folder and rename: never a half-written file.

    ``sync=False`` skips the fsync, for a file that can be rebuilt (a cache; its fault point
    is ``cache-write``, not ``atomic-write``): the rename
    still means a reader sees the old file or the new one, whole (after a power cut the new
    one may be empty, which a cache reader takes as no cache).

    The temp file is ``.<name>.<random>.tmp``; a process killed between the two leaves it
    behind, and recovery (:func:`dipctl.sop.recovery.recover`) removes it.
    """
    payload = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fault("atomic-write" if sync else "cache-write")
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fault("atomic-renamed")


def flock_file(path: Path, wait: float) -> int | None:
    """An exclusive ``flock`` on ``path`` (created if need be), waiting up to ``wait``
    seconds; the open descriptor, or None when another process still holds it.

    The kernel drops the lock when its process dies. The holder removes the file while it
    still holds it (:func:`release_lock`), so a lock on a file no longer at ``path`` is
    retried. The file holds the holder's pid, for people."""
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)
            continue
        try:
            same = os.fstat(fd).st_ino == path.stat().st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return fd


def release_lock(path: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        path.unlink()  # while still holding it: see the inode check in flock_file
    os.close(fd)


def reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def age(path: Path) -> float:
    """Seconds since ``path`` last changed; -1 when it does not exist."""
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return -1.0


def wait_gone(path: Path, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``path`` to disappear; whether it did."""
    deadline = time.monotonic() + seconds
    while path.exists():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def env_seconds(name: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(name, default)))
    except ValueError:
        return default


def source_digest(folders: tuple[str, ...], suffixes: tuple[str, ...], top: bool = False) -> str:
    """The SHA-256 of dipctl's own files with one of ``suffixes`` in the package's
    ``folders`` (and its top-level modules with ``top``), names and bytes: what a cache of
    work done by that code is keyed by (an edit, or an upgrade that kept the version, makes
    it stale). Plain os calls: verify pays it on every run (about 1 ms)."""
    package = Path(__file__).resolve().parent
    files = [(e.name, e.path) for e in os.scandir(package) if top and e.name.endswith(".py")]
    for folder in folders:
        for here, _, names in os.walk(package / folder):
            rel = Path(here).relative_to(package).as_posix()
            files += [(f"{rel}/{n}", f"{here}/{n}") for n in names if n.endswith(suffixes)]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode() + b"\0")
        with open(path, "rb") as fh:  # noqa: PTH123
            digest.update(fh.read() + b"\0")
    return digest.hexdigest()
