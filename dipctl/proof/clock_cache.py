"""The walk of the mutu baku clocks kept between runs (issue 21): ``dipctl sla``, ``build``,
``monev`` and ``pemutakhiran`` measure the whole history each time, and the history only
grows.

After a walk of the history up to a tip C (:func:`dipctl.proof.clocks.walk`), :func:`walk`
keeps in ``.git/dipctl/clocks.pickle`` its answer (every status change measured, the commits
read) and the clocks' state at C (per item: its latest date, its current version, the
presentations and the decree its clocks start from; the mutu baku in force), with the order
of the history index it walked (C's place in it and the SHA-256 of the commit ids up to C).
The next walk at tip T uses it only when every key matches: the file's format, a digest of
the source that measures (every module of :mod:`dipctl.proof`, :mod:`dipctl.sop` and
:mod:`dipctl.register` and the top-level ones: other code, or another dipctl version, never
reads a file written by other code), the Python version and the register's folder. T == C:
the answer is the file's, without reading the index. C an ancestor of T, and the index's
order up to C the one walked: the walk continues at C with the index's commits after it (the
clocks' state is all a walk carries from one commit to the next, so continuing it finds what
a whole walk finds). Anything else (a rewritten or amended history, another branch, a file
unreadable, truncated, foreign or of another version): the whole walk, silently.

The file is written atomically (a temp file renamed over it): a reader never sees it half
written, two writers leave one whole file. Its two parts carry their length and SHA-256, so
a damaged file is never unpickled, and :func:`dipctl.proof.framed.unpickle` loads no class
but the walk's own and ``datetime``'s: a planted file cannot run code (as
:mod:`dipctl.proof.checkpoint`).
It is a local cache, never evidence.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import operator
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

FORMAT = 2  # 2: the steps kept as tuples of their values
FILE = "clocks.pickle"
_MAGIC = b"dipctl clocks\n"
_CLASSES = frozenset(
    {
        ("dipctl.proof.clocks", "StepTime"),
        ("dipctl.proof.clocks", "Walk"),
        ("dipctl.proof.clocks", "_Presented"),
        ("datetime", "datetime"),
        ("datetime", "timezone"),
        ("datetime", "timedelta"),
    }
)
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
    order: str  # SHA-256 of their ids, in order
    steps: list[StepTime]
    count: int
    state: Walk


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
            _save(path, key, grown)
            return list(grown.steps), grown.count
    state = clocks.start(reg)
    steps: list[StepTime] = []
    versions, rows = index.read(reg, prefix, lambda found: (found.versions(), found.rows()))
    count = clocks.advance(state, steps, versions, rows)
    last = rows[-1].sha if rows else ""
    _save(path, key, _Saved(tip, len(rows), last, _order(rows), steps, count, state))
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
    digest of them all, when the index's order begins with exactly those; else None."""
    if saved.seq and found.prefix(saved.last) != (saved.seq, saved.order):
        return None
    rows = found.rows(saved.seq)
    if saved.seq + len(rows) != found.count():  # the order's numbers are not 1, 2, ...
        return None
    now = found.prefix(rows[-1].sha) if rows else (saved.seq, saved.order)
    if now is None or now[0] != saved.seq + len(rows):
        return None
    return found.versions(saved.seq), rows, now[1]


def _order(rows: list[Row]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row.sha.encode() + b"\n")
    return digest.hexdigest()


def _key(prefix: str) -> dict[str, Any]:
    return {"format": FORMAT, "code": code(), "python": sys.version, "prefix": prefix}


def _load(path: Path, key: dict[str, Any]) -> _Saved | None:
    try:
        with path.open("rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return None
            raw = io.BytesIO(fh.read())
        head = framed.unpickle(framed.part(raw), _CLASSES)
        if not isinstance(head, dict) or head.get("key") != key:
            return None
        body = framed.unpickle(framed.part(raw), _CLASSES)
        if not isinstance(body, dict):
            return None
        found = _Saved(**{**body, "steps": _steps(body.get("steps"))})
    except (OSError, ValueError, TypeError):
        return None
    if not _sound(found):
        return None
    return found


#: A step is kept as the tuple of its values (112,000 of them at 10,000 items: a tuple
#: pickles and unpickles in half the time of the object), made again without ``__init__``.
_FIELDS = tuple(f.name for f in dataclasses.fields(clocks.StepTime))
_VALUES = operator.attrgetter(*_FIELDS)
_new = object.__new__


def _steps(kept: Any) -> list[StepTime]:
    """The steps of their kept values; TypeError for anything else."""
    if not isinstance(kept, list):
        raise TypeError("steps")
    width, names, made = len(_FIELDS), _FIELDS, []
    for values in kept:
        if type(values) is not tuple or len(values) != width:
            raise TypeError("step")
        step = _new(clocks.StepTime)
        step.__dict__.update(zip(names, values, strict=True))  # frozen: as pickle does
        made.append(step)
    return made


def _sound(found: _Saved) -> bool:
    """The types a walk continues from (the digest already vouches for the bytes)."""
    return (
        isinstance(found.tip, str)
        and isinstance(found.seq, int)
        and isinstance(found.order, str)
        and isinstance(found.steps, list)
        and isinstance(found.count, int)
        and isinstance(found.state, clocks.Walk)
        and all(isinstance(s, clocks.StepTime) for s in found.steps)
    )


def _save(path: Path, key: dict[str, Any], saved: _Saved) -> None:
    head = pickle.dumps({"key": key}, protocol=pickle.HIGHEST_PROTOCOL)
    values = _VALUES
    kept = {**saved.__dict__, "steps": [values(s) for s in saved.steps]}
    body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):  # .git/dipctl/ cannot be written: no file kept
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _MAGIC + framed.framed(head) + framed.framed(body), sync=False)
