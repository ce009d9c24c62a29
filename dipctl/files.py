"""Writing a file so that it is never half-written: the one place dipctl writes bytes.

Used by every package (the register's YAML files, git's journal, the printed papers, the site),
so it lives at the top beside :mod:`dipctl.errors` and imports nothing of dipctl.

:func:`fault` is the tests' fault-injection hook (docs/reliability.md): with
``DIPCTL_TEST_FAULT=<point>[#n][=action]`` the process is killed (``kill``, the default) or a
write fails (``enospc``, ``eacces``, ``erofs``) the ``n``-th time it reaches ``point``.
``DIPCTL_TEST_KILL=<point>`` is the older spelling of ``<point>=kill``.
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
from pathlib import Path

TMP_SUFFIX = ".tmp"
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


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write through a temp file in the same folder and rename: never a half-written file.

    The temp file is ``.<name>.<random>.tmp``; a process killed between the two leaves it
    behind, and recovery (:meth:`dipctl.gitrepo.Repository.recover`) removes it.
    """
    payload = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fault("atomic-write")
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fault("atomic-renamed")
