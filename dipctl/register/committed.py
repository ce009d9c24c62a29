"""What is published is what was verified (SPEC.md section 4, "One chain"; issue 18).

``verify`` judges the blobs of HEAD; ``build`` and ``validate`` read the work tree. The two are
the same bytes only if nobody changed a file after the commit *and* git's checkout wrote each
blob as it is: a committed ``.gitattributes`` (``working-tree-encoding``, ``eol``/``text``, a
``filter`` whose smudge command is configured in the clone) makes a fresh checkout, CI's, write
other bytes than the ones verify read. So this module compares the work tree under the register
folder with HEAD's tree itself, by raw bytes, with no git filter in between: each regular file
is hashed as a git blob (``blob <size>\\0<bytes>``) and compared with ``git ls-tree -r -z HEAD``
(one git process, one walk of the folder, no git process per file).

:func:`differences` lists what differs; :func:`require_committed` is ``build``'s refusal (exit
4) of any difference; :func:`require_unconverted` is ``validate``'s narrower one: only a file
whose bytes a checkout setting changed, and any link or special file (an officer's ordinary
uncommitted edit is exactly what ``validate`` is for). A register outside git, or in a
repository without a commit, is not checked: there is nothing verify could have judged.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from dipctl.errors import GitFailed, InvalidFile, Uncommitted
from dipctl.register import cachefile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from dipctl.register.config import Register

Kind = Literal["changed", "deleted", "untracked", "special"]

#: Where dipctl writes printable papers, at the top of the work tree and kept out of git
#: (:mod:`dipctl.publish.printouts`): skipped when the register folder *is* that top.
PAPERS = "cetak"
_REGULAR = (b"100644", b"100755")
_HINTS = {"untracked": "hint.committed_untracked", "special": "hint.committed_special"}


@dataclass(frozen=True, order=True)
class Difference:
    """One path under the register folder (relative to the work tree, with ``/``) whose
    work-tree bytes are not HEAD's: ``changed`` (other bytes), ``deleted``, ``untracked``
    (in no commit, ignored or not), ``special`` (a link, folder, FIFO or other non-regular
    file where HEAD has a file, or anything non-regular on either side)."""

    path: str
    kind: Kind


@dataclass(frozen=True)
class _Entry:
    mode: bytes
    sha: str


def differences(reg: Register) -> list[Difference] | None:
    """Every difference between HEAD's tree and the work tree under ``reg.root``, sorted by
    path; None when the register is not in git or HEAD has no commit yet."""
    if reg.git_dir is None:
        return None
    top = reg.work_tree
    prefix = _prefix(reg)
    tree = _head_tree(top, prefix)
    if tree is None:
        return None
    at_top = not prefix
    tree = {p: e for p, e in tree.items() if not (at_top and _skipped(p.split(b"/", 1)[0]))}
    found: list[Difference] = []
    seen: set[bytes] = set()
    base = prefix + b"/" if prefix else b""
    blobs = _Blobs(reg.git_dir / "dipctl" / "blobs.pickle")
    for rel, kind in _walk(os.fsencode(reg.root), base, tree, seen, at_top, blobs):
        found.append(Difference(os.fsdecode(rel), kind))
    found += [Difference(os.fsdecode(p), "deleted") for p in tree.keys() - seen]
    blobs.save()
    return sorted(found)


class _Blobs:
    """The blob id of each file by its :func:`~dipctl.register.cachefile.stamp`, kept in
    ``.git/dipctl/blobs.pickle`` (as git's index keeps them), so that an unchanged work
    tree is compared without reading every file; never trusted for a racy stamp."""

    def __init__(self, path: Path) -> None:
        self._table = cachefile.Table(path, "blobs:1")
        self._cache = self._table.load()
        self._racy = cachefile.cutoff()
        self._fresh: dict[bytes, tuple[tuple[int, ...], str]] = {}
        self._changed: dict[bytes, tuple[tuple[int, ...], str]] = {}

    def blob_id(self, entry: os.DirEntry[bytes], rel: bytes, width: int) -> str | None:
        """The blob id of the regular file at ``entry`` (None when it is not one)."""
        try:
            found = cachefile.stamp(entry.stat(follow_symlinks=False))
        except OSError:
            found = cachefile.NEVER
        hit = self._cache.get(rel)
        if hit is not None and hit[0] == found and len(hit[1]) == width:
            self._fresh[rel] = hit
            return hit[1]  # type: ignore[no-any-return]
        data = _read(entry.path)
        if data is None:
            return None
        sha = blob_id(data, width)
        self._fresh[rel] = self._changed[rel] = (cachefile.kept(found, self._racy), sha)
        return sha

    def save(self) -> None:
        self._table.save(self._fresh, self._changed, self._cache.keys() - self._fresh.keys())


def require_committed(reg: Register) -> None:
    """``build``: refuse (exit 4) a work tree whose register folder is not HEAD's bytes."""
    found = differences(reg)
    if found:
        first = found[0]
        raise Uncommitted(
            "committed.differs" if len(found) == 1 else "committed.differs_more",
            path=first.path,
            kind=f"phrase.committed.{first.kind}",
            more=len(found) - 1,
            hint=_HINTS.get(first.kind, "hint.committed"),
        )


def committed_aside(reg: Register) -> Callable[[bool], None]:
    """:func:`require_committed` in a forked process beside the caller's own work (the
    build reads and digests the register meanwhile, on the other core); the function it
    returns waits for that process and raises what :func:`require_committed` raises (given
    False, only waits: the caller is interrupted). The caller calls it before anything it
    made is used, also when its own work failed (a work tree that is not HEAD's is then the
    error said). Without ``fork``, or with a special file under the register: at once."""
    plain = reg.git_dir is not None and _plain(os.fsencode(reg.root), not _prefix(reg))
    if not plain or not hasattr(os, "fork"):  # a link or FIFO is refused before any read
        require_committed(reg)
        return _settled
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 1
        try:
            code = 0 if not differences(reg) else 1
        finally:
            os._exit(code)
    done: list[bool] = []

    def settle(check: bool = True) -> None:
        if done:
            return
        done.append(True)
        _, status = os.waitpid(pid, 0)
        if check and os.waitstatus_to_exitcode(status) != 0:  # a difference, or it failed
            require_committed(reg)

    return settle


def _settled(check: bool = True) -> None:
    return None


def _plain(root: bytes, at_top: bool) -> bool:
    """Whether everything under ``root`` is a folder or a regular file (read from the
    listing, no ``stat``): nothing the build could block on, or follow out of the register."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if at_top and folder == root and _skipped(entry.name):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif not entry.is_file(follow_symlinks=False):
                        return False
        except OSError:
            return False
    return True


def require_unconverted(reg: Register) -> None:
    """``validate``: refuse (exit 4) a link or special file under the register folder, and a
    tracked file whose bytes differ from its blob while git sees no change to commit, or
    which are exactly what git's checkout conversion makes of the blob: what validate would
    read is then neither what verify judged nor anything the officer wrote."""
    found = differences(reg)
    if not found:
        return
    special = next((d for d in found if d.kind == "special"), None)
    if special is not None:
        raise Uncommitted("committed.special", path=special.path, hint="hint.committed_special")
    changed = [d.path for d in found if d.kind == "changed"]
    if not changed:
        return
    top = reg.work_tree
    edited = _git_sees_changed(top, os.fsdecode(_prefix(reg)))
    for path in changed:
        if path not in edited or _read(os.fsencode(top / path)) == _checkout_bytes(top, path):
            raise Uncommitted("committed.converted", path=path, hint="hint.committed_converted")


# -- the work tree -------------------------------------------------------------------------


def _prefix(reg: Register) -> bytes:
    rel = reg.root.resolve().relative_to(reg.work_tree.resolve()).as_posix()
    return b"" if rel == "." else os.fsencode(rel)


def _skipped(name: bytes) -> bool:
    """A register at the top of its work tree: what lies beside it there is not the
    register's (``.git``, ``.github/``, ``.gitignore``, as verify skips them; ``cetak/``)."""
    return name.startswith(b".") or name == PAPERS.encode()


def _walk(
    root: bytes,
    base: bytes,
    tree: dict[bytes, _Entry],
    seen: set[bytes],
    at_top: bool,
    blobs: _Blobs,
) -> Iterator[tuple[bytes, Kind]]:
    """The differences under ``root`` (whose paths relative to the top start with ``base``),
    adding each tracked path met to ``seen``. A stack, not recursion: no depth of folders
    makes it fail."""
    stack = [(root, base)]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            raise _unreadable(folder, exc) from exc
        for entry in entries:
            if at_top and folder == root and _skipped(entry.name):
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if rel in tree:
                    seen.add(rel)
                    yield rel, "special"
                stack.append((entry.path, rel + b"/"))
            else:
                yield from _compare(entry, rel, tree, seen, blobs)


def _compare(
    entry: os.DirEntry[bytes],
    rel: bytes,
    tree: dict[bytes, _Entry],
    seen: set[bytes],
    blobs: _Blobs,
) -> Iterator[tuple[bytes, Kind]]:
    committed = tree.get(rel)
    if committed is not None:
        seen.add(rel)
    if not entry.is_file(follow_symlinks=False) or (
        committed is not None and committed.mode not in _REGULAR
    ):
        yield rel, "special"
    elif committed is None:
        yield rel, "untracked"
    else:
        sha = blobs.blob_id(entry, rel, len(committed.sha))
        if sha is None:
            yield rel, "special"
        elif sha != committed.sha:
            yield rel, "changed"


def _read(path: bytes) -> bytes | None:
    """A regular file's bytes, never following a link nor blocking on a FIFO swapped in
    since the folder was listed; None when it is not (or no longer) a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOENT, errno.ENXIO):
            return None  # a link, gone, or a socket
        raise _unreadable(path, exc) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks = [os.read(fd, info.st_size + 1)]
        while chunks[-1]:  # a file that grows while it is read is read to its end
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    finally:
        os.close(fd)


def _unreadable(path: bytes, exc: OSError) -> InvalidFile:
    detail = exc.strerror or str(exc)
    return InvalidFile("file.unreadable", path=Path(os.fsdecode(path)), line=1, detail=detail)


def blob_id(data: bytes, width: int) -> str:
    """The git object id of ``data`` as a blob (SHA-1, or SHA-256 in a sha256 repository)."""
    digest = hashlib.sha1 if width == 40 else hashlib.sha256
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


# -- git -----------------------------------------------------------------------------------


def _git(top: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", *args], cwd=top, capture_output=True, check=False
        )
    except OSError as exc:  # no git at all, or the folder vanished
        detail = exc.strerror or str(exc)
        raise GitFailed("git.failed", command="git " + " ".join(args[:2]), detail=detail) from exc


def _failed(args: Sequence[str], done: subprocess.CompletedProcess[bytes]) -> GitFailed:
    detail = done.stderr.decode("utf-8", "replace").strip()
    return GitFailed("git.failed", command="git " + " ".join(args[:2]), detail=detail)


def _head_tree(top: Path, prefix: bytes) -> dict[bytes, _Entry] | None:
    """HEAD's files under ``prefix`` (every file when empty), by path relative to the top;
    None when HEAD has no commit."""
    args = ["ls-tree", "-r", "-z", "--full-tree", "HEAD"]
    if prefix:
        args += ["--", os.fsdecode(prefix) + "/"]
    done = _git(top, *args)
    if done.returncode != 0:
        if _unborn(top):
            return None
        raise _failed(args, done)
    tree: dict[bytes, _Entry] = {}
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, sha = meta.split(b" ")
        tree[path] = _Entry(mode, sha.decode("ascii"))
    return tree


def _unborn(top: Path) -> bool:
    """Whether HEAD names a branch that has no commit yet (a new repository). A HEAD at a
    commit that is missing, or a repository git refuses to read, is not: that is an error."""
    branch = _git(top, "symbolic-ref", "-q", "HEAD")
    if branch.returncode != 0:
        return False
    ref = branch.stdout.decode("utf-8", "replace").strip()
    found = _git(top, "rev-parse", "-q", "--verify", ref)
    return found.returncode == 1 and not found.stderr.strip()


def _git_sees_changed(top: Path, prefix: str) -> set[str]:
    """The paths ``git diff HEAD`` reports (through the filters and attributes git applies)."""
    args = ["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"]
    done = _git(top, *args, *([prefix + "/"] if prefix else []))
    if done.returncode != 0:
        raise _failed(args, done)
    return {os.fsdecode(p) for p in done.stdout.split(b"\0") if p}


def _checkout_bytes(top: Path, path: str) -> bytes:
    """What git's checkout writes for HEAD's blob at ``path`` (``cat-file --filters``).

    One git process per file: git 2.39's ``cat-file --batch --filters`` announces the
    unfiltered size, so a batch cannot be parsed. Only files that differ get here."""
    args = ["cat-file", "--filters", f"HEAD:{path}"]
    done = _git(top, *args)
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout
