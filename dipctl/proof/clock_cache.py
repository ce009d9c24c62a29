"""The walk of the mutu baku clocks kept between runs (issue 21): ``dipctl sla``, ``build``,
``monev`` and ``pemutakhiran`` measure the whole history each time, and the history only
grows.

After a walk of the history up to a tip C (:func:`dipctl.proof.clocks.walk`), :func:`walk`
keeps in ``.git/dipctl/clocks.pickle`` its answer (every status change measured, the commits
read) and the clocks' state at C (per item: its latest date, its current version, the
presentations and the decree its clocks start from; the mutu baku in force), with the order
of the history index it walked (C's place in it and the order digest of the commits up to C:
a hash chain the index keeps per commit, so that checking it reads one row).
The next walk at tip T uses it only when every key matches: the file's format, a digest of
the source that measures (every module of :mod:`dipctl.proof`, :mod:`dipctl.sop` and
:mod:`dipctl.register` and the top-level ones: other code, or another dipctl version, never
reads a file written by other code), the Python version and the register's folder. T == C:
the answer is the file's, without reading the index. C an ancestor of T, and the index's
order up to C the one walked: the walk continues at C with the index's commits after it (the
clocks' state is all a walk carries from one commit to the next, so continuing it finds what
a whole walk finds). Anything else (a rewritten or amended history, another branch, a file
unreadable, truncated, foreign or of another version): the whole walk, silently.

A whole walk is written atomically (a temp file renamed over it): a reader never sees it
half written, two writers leave one whole file. A continued walk is appended to the file in
one write (its new steps and the clocks' state at its tip, a few hundred bytes and the state
instead of the 16 MB of 112,000 steps at 10,000 items), as long as the file is still the one
it read; after :data:`JOURNAL` of them, or when they would outgrow the whole walk, the whole
file is written again. An appended walk is used only when it continues exactly the walk read
before it (its commits' count and order digest): one appended by another process from another
walk is passed over, and one cut short or damaged ends the file there; either way the next
walk writes the whole file again. Every part carries its length and SHA-256, so a damaged
part is never unpickled, and :func:`dipctl.proof.framed.unpickle` loads no class but the
clocks' state's own and ``datetime``'s (the steps are kept as tuples of plain values): a
planted file cannot run code (as :mod:`dipctl.proof.checkpoint`).
It is a local cache, never evidence.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import pickle
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.files import source_digest, write_atomic
from dipctl.proof import clocks, framed, index
from dipctl.proof.history import preflight
from dipctl.proof.step import register_prefix

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.proof.clocks import StepTime, Walk
    from dipctl.proof.index_rows import Row, Version
    from dipctl.register.config import Register

FORMAT = 4  # 4: the order a hash chain the index keeps (3: SHA-256 of all the ids)
FILE = "clocks.pickle"
_MAGIC = b"dipctl clocks 4\n"
_CLASSES = frozenset(
    {
        ("dipctl.proof.clocks", "Walk"),
        ("dipctl.proof.clocks", "_Presented"),
        ("datetime", "datetime"),
        ("datetime", "timezone"),
        ("datetime", "timedelta"),
    }
)
#: Continued walks appended before the whole file is written again (or sooner, when the
#: appended ones would outgrow the whole walk's bytes, or a MiB).
JOURNAL = 16
#: This process's answers, by register and tip: a build measures twice (the site's public
#: data and its evidence pages), the second time without reading the file again.
_MEMO: dict[tuple[str, str, str], tuple[list[StepTime], int]] = {}


@functools.cache
def code() -> str:
    """The SHA-256 of the source that measures (as :func:`dipctl.proof.checkpoint.code`)."""
    return source_digest(("proof", "sop", "register"), (".py",), top=True)


@dataclass
class _Saved:
    tip: str  # HEAD when it was walked
    seq: int  # the commits of the index walked (its order is the walk's)
    last: str  # the last of them, "" for none
    order: str  # their order digest (index_rows.chained)
    steps: list[StepTime]
    count: int
    state: Walk
    #: the file as read: its size, the continued walks appended to it, and whether every
    #: byte after the whole one was an appended walk that applied (else: write it whole)
    size: int = 0
    whole: int = 0  # the bytes of the whole walk, before the appended ones
    appended: int = 0
    clean: bool = True


def walk(reg: Register) -> tuple[list[StepTime], int]:
    """What :func:`dipctl.proof.clocks.walk` answers, from the kept walk where it can."""
    assert reg.git_dir is not None
    preflight(reg.work_tree)
    tip = index.head(reg.work_tree)
    if not tip:
        return clocks.walk(reg)
    prefix = register_prefix(reg)
    key = _key(prefix)
    path = reg.git_dir / "dipctl" / FILE
    memo = _MEMO.get((str(path), tip, _stamp(path, key)))
    if memo is not None:
        return list(memo[0]), memo[1]
    steps, count = _walk(reg, tip, prefix, key, path)
    _MEMO.clear()
    _MEMO[(str(path), tip, _stamp(path, key))] = (list(steps), count)
    return steps, count


def _stamp(path: Path, key: dict[str, Any]) -> str:
    """The kept file as this process last saw it (another process may replace it)."""
    try:
        found = path.stat()
    except OSError:
        return ""
    return f"{found.st_ino}:{found.st_size}:{found.st_mtime_ns}:{sorted(key.items())}"


def _walk(
    reg: Register, tip: str, prefix: str, key: dict[str, Any], path: Path
) -> tuple[list[StepTime], int]:
    saved = _load(path, key)
    if saved is not None and saved.tip == tip:
        return saved.steps, saved.count
    if saved is not None and index.is_ancestor(reg.work_tree, saved.tip, tip):
        old = saved
        after = index.read(reg, prefix, lambda found: _after(found, old))
        grown = _grown(saved, tip, after) if after is not None else None
        if grown is not None:
            _keep(path, key, saved, grown)
            return list(grown.steps), grown.count
    state = clocks.start(reg)
    steps: list[StepTime] = []

    def whole(found: index.Index) -> tuple[dict[str, Version], list[Row], str]:
        rows = found.rows()
        return found.versions(), rows, _order(found, rows, "")

    versions, rows, order = index.read(reg, prefix, whole)
    count = clocks.advance(state, steps, versions, rows)
    last = rows[-1].sha if rows else ""
    _save(path, key, _Saved(tip, len(rows), last, order, steps, count, state))
    return list(steps), count


def _grown(
    saved: _Saved, tip: str, after: tuple[dict[str, Version], list[Row], str]
) -> _Saved | None:
    """The kept walk continued by the commits after it; None when its state is not one a
    walk leaves (a file planted with right digests: then the whole walk)."""
    versions, rows, order = after
    steps = list(saved.steps)
    try:
        count = saved.count + clocks.advance(saved.state, steps, versions, rows)
    except (AttributeError, TypeError, KeyError, ValueError, IndexError):
        return None
    last = rows[-1].sha if rows else saved.last
    return _Saved(tip, saved.seq + len(rows), last, order, steps, count, saved.state)


def _after(found: index.Index, saved: _Saved) -> tuple[dict[str, Version], list[Row], str] | None:
    """The index's commits after those the kept walk read, their versions and the order
    digest of them all, when the index's order begins with exactly those (the order digest
    of its commits up to the kept walk's last: one row, :func:`~dipctl.proof.index_rows.chained`);
    else None."""
    if saved.seq and found.order_at(saved.last) != (saved.seq, saved.order):
        return None
    rows = found.rows(saved.seq)
    if saved.seq + len(rows) != found.count():  # the order's numbers are not 1, 2, ...
        return None
    return found.versions(saved.seq), rows, _order(found, rows, saved.order)


def _order(found: index.Index, rows: list[Row], before: str) -> str:
    """The order digest of the index's commits up to the last of ``rows``, as the index
    keeps it (:func:`~dipctl.proof.index_rows.chained`); ``before`` when there are none."""
    if not rows:
        return before
    at = found.order_at(rows[-1].sha)
    return at[1] if at is not None else ""  # (matches nothing kept: the next walk is whole)


def _key(prefix: str) -> dict[str, Any]:
    return {"format": FORMAT, "code": code(), "python": sys.version, "prefix": prefix}


# -- the file ----------------------------------------------------------------------------
#
# _MAGIC, then framed parts (:func:`dipctl.proof.framed.framed`): the key; the whole walk
# (tip, seq, last, order, count, its steps as tuples); its state (the clocks' Walk). Then
# each continued walk appended: (seq and order it continues from, tip, seq, last, order,
# commits read, its new steps as tuples), then its state. An appended walk applies when it
# continues exactly the walk read so far (its seq and order): one another process appended
# from another walk is passed over, and a damaged or cut one ends the file there; then the
# next walk writes the whole file again.

_WIDTH = len(clocks.StepTime._fields)
_made = functools.partial(tuple.__new__, clocks.StepTime)


def _steps(kept: Any) -> list[StepTime]:
    """The steps of their kept values (made in C, not one Python call each); TypeError for
    anything else."""
    if type(kept) is not list or set(map(type, kept)) - {tuple} or set(map(len, kept)) - {_WIDTH}:
        raise TypeError("steps")
    return list(map(_made, kept))


def _load(path: Path, key: dict[str, Any]) -> _Saved | None:
    """The kept walk, or None; read with no cyclic garbage collection (its 112,000 tuples
    hold no cycle: the collector's passes over them cost a third of the reading)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(path, key)
    finally:
        if enabled:
            gc.enable()


def _read(path: Path, key: dict[str, Any]) -> _Saved | None:
    try:
        with path.open("rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return None
            data = fh.read()
        raw = io.BytesIO(data)
        head = framed.unpickle(framed.part(raw), _CLASSES)
        if not isinstance(head, dict) or head.get("key") != key:
            return None
        tip, seq, last, order, count, kept = framed.unpickle(framed.part(raw), _CLASSES)
        if type(kept) is not list:  # extended in place by the appended walks
            raise TypeError("steps")
        state_bytes = framed.part(raw)
        whole, clean, appended = len(_MAGIC) + raw.tell(), True, 0
        while raw.tell() < len(data):
            try:
                meta = framed.unpickle(framed.part(raw), _CLASSES)
                state = framed.part(raw)
            except ValueError:  # cut or damaged: nothing after it is read
                clean = False
                break
            base, now, new = meta[:2], meta[2:7], meta[7]
            if tuple(base) != (seq, order) or not isinstance(new, list):
                clean = False  # continues another walk: passed over
                continue
            tip, seq, last, order, added = now
            count, state_bytes, appended = count + added, state, appended + 1
            kept.extend(new)
        found = _Saved(
            tip,
            seq,
            last,
            order,
            _steps(kept),
            count,
            framed.unpickle(state_bytes, _CLASSES),
            len(_MAGIC) + len(data),
            whole,
            appended,
            clean,
        )
    except (OSError, ValueError, TypeError, IndexError):
        return None
    if not _sound(found):
        return None
    return found


def _sound(found: _Saved) -> bool:
    """The types a walk continues from (the digest already vouches for the bytes)."""
    return (
        isinstance(found.tip, str)
        and isinstance(found.seq, int)
        and isinstance(found.last, str)
        and isinstance(found.order, str)
        and isinstance(found.count, int)
        and isinstance(found.state, clocks.Walk)
    )


def _pickled(value: Any) -> bytes:
    return framed.framed(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _save(path: Path, key: dict[str, Any], saved: _Saved) -> None:
    """The whole file, written again atomically."""
    body = (saved.tip, saved.seq, saved.last, saved.order, saved.count)
    whole = (
        _MAGIC
        + _pickled({"key": key})
        + _pickled((*body, list(map(tuple, saved.steps))))
        + _pickled(saved.state)
    )
    with contextlib.suppress(OSError):  # .git/dipctl/ cannot be written: no file kept
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, whole, sync=False)


def _keep(path: Path, key: dict[str, Any], old: _Saved, new: _Saved) -> None:
    """``new``, the walk ``old`` (as read from ``path``) continued: appended to the file in
    one write while the file is the one read and the journal short; else the whole file."""
    part = _pickled(
        (
            old.seq,
            old.order,
            new.tip,
            new.seq,
            new.last,
            new.order,
            new.count - old.count,
            list(map(tuple, new.steps[len(old.steps) :])),
        )
    ) + _pickled(new.state)
    room = max(old.whole, 1 << 20) - (old.size - old.whole)  # the appended ones stay small
    if old.clean and old.appended < JOURNAL and len(part) < room and _append(path, old.size, part):
        return
    _save(path, key, new)


def _append(path: Path, size: int, part: bytes) -> bool:
    """``part`` appended to ``path`` when it is still ``size`` bytes long (no other process
    wrote it since it was read); else False."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    except OSError:
        return False
    try:
        if os.fstat(fd).st_size != size:
            return False
        return os.write(fd, part) == len(part)
    except OSError:
        return False
    finally:
        os.close(fd)
