"""Reading the register's history as a stream (for ``verify`` and ``sla``).

One ``git log`` lists every commit that touched the register, oldest first, with its raw
diff (merges as a combined diff: only what the merge itself introduced); one
``git cat-file --batch-command`` process serves every blob and every file-at-a-commit
that the rules ask for. A merge is also read against each of its parents (one
``git diff-tree --stdin`` for all merges, :func:`merge_sides`), since the combined diff
leaves out every path that the merge took whole from one side. Nothing here judges: it
turns git into plain values.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.proof import history
from dipctl.proof.history import GIT, refuse
from dipctl.proof.objects import Objects as Objects  # where the walk reads its blobs
from dipctl.sop import commits

try:
    import fcntl
except ImportError:  # pragma: no cover (not a POSIX platform)
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

_RS, _US = "\x1e", "\x1f"
_RS_BYTE = _RS.encode()
_FORMAT = _RS + _US.join(("%H", "%P", "%an", "%ae", "%ct", "%ce", "%aI", "%cI", "%B"))
_ZERO = "0" * 40
REGULAR = "100644"
REGULAR_MODES = (REGULAR, "100755")


@dataclass(frozen=True)
class Change:
    path: str  # relative to the work tree, with /
    old: str | None  # blob sha before (first parent), None when added
    new: str | None  # blob sha after, None when deleted
    mode: str = REGULAR  # the file's mode after (git's octal: 100644, 120000 a symlink, ...)

    @property
    def regular(self) -> bool:
        """A plain file (or a deletion): not a symlink, a gitlink (submodule) or other."""
        return self.new is None or self.mode in REGULAR_MODES


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    committer_email: str
    date: str  # author date (ISO 8601): when the officer took the step, on their clock
    message: str
    changes: tuple[Change, ...] = ()
    trailers: dict[str, list[str]] = field(default_factory=dict)
    time: int = 0  # committer date, seconds since the epoch (%ct): orders the chain
    committed: str = ""  # committer date (ISO 8601)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def action(self) -> str:
        return self.trailers.get(commits.ACTION, [""])[0]

    @property
    def role(self) -> str:
        return self.trailers.get(commits.ROLE, [""])[0]

    @property
    def items(self) -> list[str]:
        return self.trailers.get(commits.ITEM, [])


def _parse_entries(raw: str) -> tuple[Change, ...]:
    """Raw diff entries of ``git log --raw -z``: plain (``:``) or combined (``::``)."""
    parts = raw.split("\0")
    changes, i = [], 0
    while i < len(parts):
        meta = parts[i].lstrip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        path = parts[i + 1]
        fields = meta.lstrip(":").split()
        colons = len(meta) - len(meta.lstrip(":"))
        modes = fields[: colons + 1]  # the parents' modes, then the result's
        shas = fields[colons + 1 : 2 * colons + 2]  # the parents' blobs, then the result's
        old, new = shas[0], shas[-1]
        changes.append(
            Change(path, None if old == _ZERO else old, None if new == _ZERO else new, modes[-1])
        )
        i += 2
    return tuple(changes)


#: How every history is read as proof: each commit on every branch with the paths it changed
#: (a merge: those that differ from all its parents), renames as a deletion and an addition.
RAW_LOG = (
    "--full-history",
    "--no-renames",
    "--raw",
    "-z",
    "--no-abbrev",
    "--diff-merges=combined",
)


def commits_touching(
    work_tree: Path, prefix: str | None, since: str | None = None, tip: str = "HEAD"
) -> Iterator[Commit]:
    """Every commit reachable from ``tip`` that changed ``prefix`` (None: every commit),
    parents before children."""
    yield from _log(work_tree, prefix, since, tip, ("--reverse", "--topo-order"))


def walk(
    work_tree: Path,
    since: str | None = None,
    tip: str = "HEAD",
    in_two: Callable[[int], bool] | None = None,
) -> list[Commit]:
    """Every commit reachable from ``tip`` (and not from ``since``), in :func:`canonical`
    order. Without ``since``, when ``in_two`` says yes to the length of ``tip``'s
    first-parent line, it is read by two ``git log`` at once (:func:`_in_two`)."""
    found = _in_two(work_tree, tip, in_two) if since is None and in_two else None
    if found is None:
        found = list(_log(work_tree, None, since, tip, ()))
    parents = {p for c in found for p in c.parents}
    tips = [c.sha for c in found if c.sha not in parents]  # ``tip``: no other is its child
    return canonical(found, tips[0]) if tips else []


def canonical(history: list[Commit], tip: str) -> list[Commit]:
    """``history`` parents first, in one order that depends on the graph alone: a
    depth-first walk from ``tip`` over the parents in their order (first parent first),
    each commit after its parents; parents outside ``history`` are left out.

    It is prefix-stable: for a commit C on the first-parent line of T, the walk of T is the
    walk of C followed by the walk of C..T (the walk reaches C before any other parent of
    the commits above it, and everything C reaches before leaving it), which is what lets
    ``verify`` resume from a checkpoint (:mod:`dipctl.proof.checkpoint`). git's
    ``--topo-order`` promises no such thing."""
    by_sha = {c.sha: c for c in history}
    order: list[Commit] = []
    seen = {tip}
    stack = [(tip, 0)] if tip in by_sha else []
    for start in (c.sha for c in history):  # only ``tip`` unless the caller added roots
        if start not in seen:
            seen.add(start)
            stack.append((start, 0))
        while stack:
            sha, i = stack[-1]
            parents = by_sha[sha].parents
            while i < len(parents) and (parents[i] not in by_sha or parents[i] in seen):
                i += 1
            if i < len(parents):
                stack[-1] = (sha, i + 1)
                seen.add(parents[i])
                stack.append((parents[i], 0))
            else:
                stack.pop()
                order.append(by_sha[sha])
    return order


def _log(
    work_tree: Path, prefix: str | None, since: str | None, tip: str, order: tuple[str, ...]
) -> Iterator[Commit]:
    rev = f"{since}..{tip}" if since else tip
    has_head = subprocess.run(
        [*GIT, "rev-parse", "-q", "--verify", tip],
        cwd=work_tree,
        capture_output=True,
        check=False,
    )
    if has_head.returncode != 0:  # a repository without commits has no history yet
        return
    args = [
        *GIT,
        "log",
        *order,
        *RAW_LOG,
        f"--format={_FORMAT}",
        rev,
        *(("--", prefix) if prefix is not None else ()),
    ]
    yield from _run_log(work_tree, args)


def halfway(steps: int) -> int:
    """How many first-parent steps below the tip :func:`_in_two` cuts a line of ``steps``."""
    return steps // 2


def _in_two(work_tree: Path, tip: str, wanted: Callable[[int], bool]) -> list[Commit] | None:
    """Every commit reachable from ``tip`` (in no order) from two ``git log`` running at once
    (git's diffs take one core for as long as verify parses them): those reachable from
    ``middle``, the commit halfway down ``tip``'s first-parent line, and those that are not.
    None when ``wanted`` says no to the length of that line or either git failed: the one
    ``git log`` then says what a single read says."""
    count = history.run(work_tree, "rev-list", "--first-parent", "--count", tip, "--")
    steps = int(count.stdout) if count.returncode == 0 and count.stdout.strip().isdigit() else 0
    if steps < 2 or not wanted(steps):
        return None
    at = f"{tip}~{halfway(steps)}^{{commit}}"
    middle = history.run(work_tree, "rev-parse", "-q", "--verify", at).stdout.strip()
    if not re.fullmatch(r"[0-9a-f]{40,64}", middle):
        return None
    log = [*GIT, "log", *RAW_LOG, f"--format={_FORMAT}"]
    runs = [
        subprocess.Popen(
            args, cwd=work_tree, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )  # (what a failing git says, the one git log says again)
        for args in ([*log, tip, f"^{middle}"], [*log, middle])
    ]
    try:
        found = [c for part in _parsed(runs) for c in part]
    finally:
        for proc in runs:
            proc.wait()
    return found if all(proc.returncode == 0 for proc in runs) else None


def _run_log(work_tree: Path, args: list[str]) -> list[Commit]:
    """The commits that ``git log`` ``args`` prints in :data:`_FORMAT`, each parsed as soon as
    git has written it whole (while git goes on writing the rest)."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, cwd=work_tree, stdout=subprocess.PIPE, stderr=errors)
        try:
            found = _parsed([proc])[0]
        finally:
            proc.wait()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise refuse(work_tree, stderr, "git log") or GitFailed(
            "git.failed", command="git log", detail=stderr
        )
    return found


def _parsed(procs: list[subprocess.Popen[bytes]]) -> list[list[Commit]]:
    """The commits that each of ``procs`` (``git log``) writes, each parsed as soon as it is
    whole, whichever git wrote it (so that two gits and the parsing go on at once)."""
    chunks: queue.SimpleQueue[tuple[int, bytes]] = queue.SimpleQueue()
    readers = [_drain(proc, chunks, i) for i, proc in enumerate(procs)]
    found: list[list[Commit]] = [[] for _ in procs]
    rest, first, left = [b""] * len(procs), [True] * len(procs), len(procs)
    while left:
        i, chunk = chunks.get()
        if not chunk:
            left -= 1
            continue
        records = (rest[i] + chunk).split(_RS_BYTE)
        rest[i] = records.pop()
        if first[i] and records:  # what stands before the first record: nothing
            first[i] = False
            del records[0]
        found[i] += _records(records)
    for reader in readers:
        reader.join()
    for i, last in enumerate(rest):
        found[i] += _records([last] if not first[i] else last.split(_RS_BYTE)[1:])
    return found


def _drain(
    proc: subprocess.Popen[bytes], chunks: queue.SimpleQueue[tuple[int, bytes]], tag: int
) -> threading.Thread:
    """A thread that puts what ``proc`` writes on ``chunks`` as it comes, as ``(tag,
    bytes)``, and ``(tag, b"")`` at its end; the pipe widened to 1 MiB where the platform
    allows, so that git goes on writing while the parser holds the interpreter (which this
    thread waits for up to the switch interval)."""
    assert proc.stdout is not None
    out = proc.stdout.fileno()
    if fcntl is not None and hasattr(fcntl, "F_SETPIPE_SZ"):
        with contextlib.suppress(OSError):  # (a smaller pipe: only slower)
            fcntl.fcntl(out, fcntl.F_SETPIPE_SZ, 1 << 20)

    def drain() -> None:
        try:
            while chunk := os.read(out, 1 << 20):
                chunks.put((tag, chunk))
        finally:
            chunks.put((tag, b""))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    return reader


def commits_named(work_tree: Path, shas: list[str]) -> Iterator[Commit]:
    """The commits ``shas`` (without their diffs), in one ``git log --no-walk``."""
    if not shas:
        return
    args = [*GIT, "log", "--no-walk=unsorted", "-z", f"--format={_FORMAT}", *shas]
    yield from _run_log(work_tree, args)


def _records(records: list[bytes]) -> Iterator[Commit]:
    for raw_record in records:
        record = raw_record.decode("utf-8", "replace")
        header, _, raw = record.partition("\0")
        values = header.split(_US, 8)
        if len(values) < 9:
            continue
        sha, parents, name, email, ctime, cemail, date, committed, message = values
        yield Commit(
            sha,
            tuple(parents.split()),
            name,
            email.lower(),
            cemail.lower(),
            date,
            message,
            _parse_entries(raw),
            commits.trailers(message),
            time=int(ctime) if ctime.isdigit() else 0,
            committed=committed,
        )


def merge_sides(
    work_tree: Path, merges: list[Commit], prefix: str
) -> dict[str, tuple[tuple[Change, ...], ...]]:
    """Each merge's diff against each of its parents, in the parents' order: every path
    whose result differs from that parent (old: the parent's blob, new: the merge's).

    One ``git diff-tree --stdin`` for all of them; ``--always`` prints a header for every
    pair, so an empty diff keeps its place."""
    pairs = [(m.sha, p) for m in merges for p in m.parents]
    if not pairs:
        return {}
    args = [*GIT, "diff-tree", "--stdin", "--always", "-r", "-z", "--no-renames", "--no-abbrev"]
    done = subprocess.run(
        [*args, "--", prefix],
        cwd=work_tree,
        input="".join(f"{sha} {parent}\n" for sha, parent in pairs).encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise GitFailed(
            "git.failed",
            command="git diff-tree",
            detail=done.stderr.decode("utf-8", "replace").strip(),
        )
    diffs: list[list[Change]] = []
    parts = done.stdout.decode("utf-8", "replace").split("\0")
    i = 0
    while i < len(parts):
        token = parts[i].lstrip("\n")
        if token.startswith(":") and diffs and i + 1 < len(parts):
            fields = token[1:].split()
            old, new = fields[2], fields[3]
            diffs[-1].append(
                Change(
                    parts[i + 1],
                    None if old == _ZERO else old,
                    None if new == _ZERO else new,
                    fields[1],
                )
            )
            i += 2
            continue
        if token:
            diffs.append([])  # the header of the next pair
        i += 1
    sides: dict[str, list[tuple[Change, ...]]] = {}
    for (sha, _parent), diff in zip(pairs, diffs, strict=False):
        sides.setdefault(sha, []).append(tuple(diff))
    return {sha: tuple(found) for sha, found in sides.items()}
