"""The history index: the step records that ``history``, ``show``, ``sla`` and the site's
trails read, kept in ``.git/dipctl/`` so that the history is read, and each historical item
version parsed, once (issue 21.2).

One SQLite file, ``.git/dipctl/history-<n>.db`` (its meta: the commit it covers, the
register's folder, the format and dipctl's version), named by ``.git/dipctl/history.json``:

- the file covers ``HEAD`` (its own meta table says so): it is read as it is, in one read
  transaction;
- it covers an ancestor of ``HEAD``: the commits since are added to it in place (one
  ``git log``, one ``git cat-file``) in one SQLite transaction (:func:`_grow`);
- anything else (no index, a history rewritten by a reset, an amend or a rebase, another
  branch checked out, a file that cannot be read or is not what its pointer says, another
  format or dipctl version): the index is built again from the whole history.

A new file is written whole under a new name, synced, then named by the pointer
(:func:`dipctl.files.write_atomic`). The index is local, never committed nor shared; where
``.git/dipctl/`` cannot be written, it is built in memory for the one run.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dipctl.files import write_atomic
from dipctl.proof.history import GIT
from dipctl.proof.index_rows import Row, Version, dumps

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.register.config import Register

T = TypeVar("T")
#: The layout of the file; another one is ignored and rebuilt.
FORMAT = 2  # 2: grown in place (1: copied to grow, read as immutable)
POINTER = "history.json"
_STALE_SECONDS = 600  # an unpublished file older than this is a writer's leftover
_WAIT = 120.0  # seconds a reader or writer waits for another's transaction


@dataclass(frozen=True)
class TrailRow:
    """One commit that changed one item's file, for its trail."""

    sha: str
    date: str
    name: str
    email: str
    action: str
    role: str
    note: str
    path: str
    after: Version | None  # None: the commit deleted the file


class Index:
    """An open index that covers ``HEAD``: what it holds, read by item or whole."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def trail(self, item: str) -> list[TrailRow]:
        """Every commit that changed ``item``'s file (wherever it was), oldest first."""
        query = (
            "SELECT c.sha, c.date, c.name, c.email, c.action, c.role, c.note, h.path,"
            " v.kind, v.status, v.unit, v.exempt, v.revision FROM changes h"
            " JOIN commits c ON c.seq = h.seq LEFT JOIN versions v ON v.blob = h.new"
            " WHERE h.item = ? ORDER BY h.seq, h.ord"
        )
        return [
            TrailRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                _version(r[8:]) if r[8] is not None else None,
            )
            for r in self.conn.execute(query, (item,))
        ]

    def versions(self, after: int = 0) -> dict[str, Version]:
        """The item versions (by blob) of the commits after the first ``after`` (all: 0)."""
        if after:
            query = (
                "SELECT * FROM versions WHERE blob IN (SELECT old FROM changes WHERE seq > ?1"
                " UNION SELECT new FROM changes WHERE seq > ?1)"
            )
            found = self.conn.execute(query, (after,))
        else:
            found = self.conn.execute("SELECT * FROM versions")
        return {r[0]: _version(r[1:]) for r in found}

    def ids(self, sha: str) -> tuple[int, list[str]] | None:
        """Where ``sha`` is in the index's order, and the ids of the commits up to it."""
        found = self.conn.execute("SELECT seq FROM commits WHERE sha = ?", (sha,)).fetchone()
        if found is None:
            return None
        query = "SELECT sha FROM commits WHERE seq <= ? ORDER BY seq"
        return int(found[0]), [one for (one,) in self.conn.execute(query, (found[0],))]

    def order_at(self, sha: str) -> tuple[int, str] | None:
        """Where ``sha`` is in the index's order and the order digest of the commits up to
        it (:func:`~dipctl.proof.index_rows.chained`): what a walk that stopped at ``sha``
        had read, in one row."""
        query = "SELECT seq, chain FROM commits WHERE sha = ? ORDER BY seq LIMIT 1"
        found = self.conn.execute(query, (sha,)).fetchone()
        return (int(found[0]), str(found[1])) if found is not None else None

    def rows(self, after: int = 0) -> list[Row]:
        """The commits of the register's history, parents before children; those after the
        first ``after`` (all: 0)."""
        changes: dict[int, list[Any]] = {}
        query = "SELECT seq, item, path, old_path, old, new FROM changes WHERE seq > ?"
        for seq, *change in self.conn.execute(query + " ORDER BY seq, ord", (after,)):
            changes.setdefault(seq, []).append(tuple(change))
        found = []
        for r in self.conn.execute("SELECT * FROM commits WHERE seq > ? ORDER BY seq", (after,)):
            seq, sha, name, email, date, when, action, role, items, note, meeting = r[:11]
            decree = json.loads(r[11])
            present = json.loads(r[12]) if r[12] else None
            standards = json.loads(r[13]) if r[13] else None
            found.append(
                Row(
                    sha,
                    name,
                    email,
                    date,
                    when,
                    action,
                    role,
                    tuple(items.split("\n")) if items else (),
                    note,
                    meeting,
                    (decree[0], decree[1]),
                    (present[0], present[1]) if present else None,
                    standards,
                    changes.get(seq, []),
                )
            )
        return found

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM commits").fetchone()[0])


def _version(r: tuple[Any, ...]) -> Version:
    kind, status, unit, exempt, revision = r
    return Version(kind, status, unit, bool(exempt), json.loads(revision) if revision else None)


def read(reg: Register, prefix: str, use: Callable[[Index], T]) -> T:
    """``use`` of the index of the register at ``prefix`` (its folder in the work tree, with
    a trailing ``/``; "" at the top), brought up to ``HEAD`` first. An index that SQLite
    finds damaged only while ``use`` reads it is built again, and read again."""
    assert reg.git_dir is not None
    work_tree, folder = reg.work_tree, reg.git_dir / "dipctl"
    tip = head(work_tree)
    for again in (False, True):
        conn = _current(folder, work_tree, prefix, tip, again)
        try:
            return use(Index(conn))
        except sqlite3.DatabaseError:
            if again:
                raise
        finally:
            conn.close()
    raise AssertionError("unreachable")  # pragma: no cover


def ready(reg: Register, prefix: str) -> bool:
    """Whether an index covers HEAD or an ancestor of it (reading it then costs at most the
    commits since), rather than the whole history to be read first."""
    assert reg.git_dir is not None
    pointer = _pointer(reg.git_dir / "dipctl" / POINTER, identity(prefix))
    if pointer is None:
        return False
    path = (reg.git_dir / "dipctl" / pointer["db"]).absolute()
    try:  # the tip the file covers now (it grows in place)
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            since = _meta(conn).get("tip")
    except (sqlite3.Error, ValueError):
        return False
    tip = head(reg.work_tree)
    return isinstance(since, str) and (since == tip or is_ancestor(reg.work_tree, since, tip))


def head(work_tree: Path) -> str:
    """``HEAD``'s commit, or "" before the first commit."""
    done = subprocess.run(
        [*GIT, "rev-parse", "-q", "--verify", "HEAD^{commit}"],
        cwd=work_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def identity(prefix: str) -> dict[str, Any]:
    """What an index must have been written for, besides its tip."""
    return {"format": FORMAT, "version": _version_text(), "prefix": prefix}


def _version_text() -> str:
    """dipctl's version (``dipctl.__version__``, one source with the package's metadata)."""
    from dipctl import __version__

    return __version__


def _current(
    folder: Path, work_tree: Path, prefix: str, tip: str, rebuild: bool = False
) -> sqlite3.Connection:
    if not tip:  # no commit yet: an empty history
        return _build(sqlite3.connect(":memory:"), work_tree, prefix, None, tip)
    want = identity(prefix)
    pointer = None
    for _ in range(0 if rebuild else 2):  # twice: a writer may have just replaced the file
        pointer = _pointer(folder / POINTER, want)
        base = folder / pointer["db"] if pointer else None
        if not pointer or not base:
            break
        found = _open(base, want, tip)
        if found is None and _grow(base, work_tree, prefix, want, tip):
            found = _open(base, want, tip)
        if found is not None:
            return found
        if base.exists():
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix="history-", suffix=".db")
        os.close(fd)
    except OSError:  # .git/dipctl/ cannot be written: this run only, in memory
        return _build(sqlite3.connect(":memory:"), work_tree, prefix, None, tip)
    target = Path(name)
    try:
        conn = _writable(target)
        _build(conn, work_tree, prefix, None, tip)
        conn.close()
        _publish(folder, target, {**want, "tip": tip}, pointer)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    found = _open(target, want, tip)
    if found is None:  # pragma: no cover - what was just written reads back
        return _build(sqlite3.connect(":memory:"), work_tree, prefix, None, tip)
    return found


def _grow(path: Path, work_tree: Path, prefix: str, want: dict[str, Any], tip: str) -> bool:
    """Add to the published file, in place and in one SQLite transaction, the commits
    since its tip when that is an ancestor of ``tip`` (True: it covers ``tip`` now). The
    transaction waits for the readers of the file to end theirs, and they for it: a reader
    sees the file before or after, never half; a writer that dies leaves a journal that
    the next writer rolls back. Of two writers the second finds the first one's tip."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=_WAIT)
    except (sqlite3.Error, ValueError):
        return False
    try:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")  # one writer at a time
        meta = _meta(conn)
        since = meta.get("tip")
        if any(meta.get(k) != v for k, v in want.items()) or not isinstance(since, str):
            return False
        if since != tip:
            if not is_ancestor(work_tree, since, tip):
                return False
            _build(conn, work_tree, prefix, since, tip)  # commits the transaction
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()  # what was not committed is rolled back


def _pointer(path: Path, want: dict[str, Any]) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or any(found.get(k) != v for k, v in want.items()):
        return None
    name, tip, size = found.get("db"), found.get("tip"), found.get("size")
    ok = isinstance(name, str) and "/" not in name and name.startswith("history-")
    if not ok or not isinstance(tip, str) or not isinstance(size, int):
        return None
    return found


def _open(path: Path, want: dict[str, Any], tip: str) -> sqlite3.Connection | None:
    """The published file, read-only, when it is what its pointer says and covers ``tip``;
    in one read transaction until it is closed (what :func:`_grow` adds meanwhile waits)."""
    conn = None
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=_WAIT)
        conn.isolation_level = None
        conn.execute("BEGIN")
        if _meta(conn) != {**want, "tip": tip}:
            conn.close()
            return None
        return conn
    except (OSError, sqlite3.Error, ValueError):
        if conn is not None:
            conn.close()
        return None


def _meta(conn: sqlite3.Connection) -> dict[str, Any]:
    found = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    return {k: json.loads(v) for k, v in found.items()}


def _writable(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a private file until published
    conn.execute("PRAGMA synchronous=OFF")
    return conn


def is_ancestor(work_tree: Path, old: str, new: str) -> bool:
    done = subprocess.run(
        [*GIT, "merge-base", "--is-ancestor", old, new],
        cwd=work_tree,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _build(
    conn: sqlite3.Connection, work_tree: Path, prefix: str, since: str | None, tip: str
) -> sqlite3.Connection:
    """Add the commits of ``since..tip`` (every commit of ``tip`` without ``since``)."""
    from dipctl.proof.index_scan import fill

    fill(conn, work_tree, prefix, since, tip, {**identity(prefix), "tip": tip})
    return conn


def _publish(
    folder: Path, target: Path, meta: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    """Make ``target`` the index: on disk first, then named by the pointer; then tidy up."""
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())
    pointer = {**meta, "db": target.name, "size": target.stat().st_size}
    write_atomic(folder / POINTER, dumps(pointer))
    if previous and previous.get("db") != target.name:  # and a journal a writer left
        for gone in (previous["db"], previous["db"] + "-journal"):
            with contextlib.suppress(OSError):
                (folder / gone).unlink()
    cutoff = time.time() - _STALE_SECONDS
    for old in folder.glob("history-*.db"):
        with contextlib.suppress(OSError):
            if old != target and old.stat().st_mtime < cutoff:
                old.unlink()
