"""Reading new commits into the rows of the history index (:mod:`dipctl.proof.index`).

One ``git log`` of the commits to add (the register's folder only, parents before children,
the same walk as :func:`dipctl.proof.replay.commits_touching`), one ``git cat-file --batch``
for the blobs they changed that the index does not hold yet. Each item version is parsed
once, here, into the few values the readers use (:class:`Version`); the meeting, decree,
presentation and register.yaml that a commit wrote are reduced to what the mutu baku clocks
read (:mod:`dipctl.proof.clocks`). Nothing here judges.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import GitFailed, HistoryUnreadable, InvalidFile
from dipctl.proof.history import GIT, blobs, refuse
from dipctl.proof.index_rows import BAD, EMPTY, MAPPING, Row, Version, chained, dumps
from dipctl.proof.replay import RAW_LOG
from dipctl.register import model, records, store
from dipctl.sop import commits, presentation

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

_RS, _US = "\x1e", "\x1f"
_FORMAT = _RS + _US.join(("%H", "%an", "%ae", "%ct", "%aI", "%B"))
_ZERO = "0" * 40
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE versions(blob TEXT PRIMARY KEY, kind INTEGER NOT NULL, status TEXT NOT NULL,
    unit TEXT NOT NULL, exempt INTEGER NOT NULL, revision TEXT);
CREATE TABLE commits(seq INTEGER PRIMARY KEY, sha TEXT NOT NULL, name TEXT NOT NULL,
    email TEXT NOT NULL, date TEXT NOT NULL, time INTEGER NOT NULL, action TEXT NOT NULL,
    role TEXT NOT NULL, items TEXT NOT NULL, note TEXT NOT NULL, meeting TEXT NOT NULL,
    decree TEXT NOT NULL, present TEXT, standards TEXT, chain TEXT NOT NULL);
CREATE TABLE changes(seq INTEGER NOT NULL, ord INTEGER NOT NULL, item TEXT NOT NULL,
    path TEXT NOT NULL, old_path TEXT NOT NULL, old TEXT, new TEXT, PRIMARY KEY(seq, ord));
CREATE INDEX changes_item ON changes(item);
"""
_TABLES = ("meta", "versions", "commits", "changes")
#: The folders whose files the clocks read besides the items and register.yaml.
_READ_DIRS = (model.MEETINGS_DIR, model.DECREES_DIR, model.PRESENTATIONS_DIR)


def version_of(raw: bytes) -> Version:
    try:
        data = store.parse(raw.decode("utf-8"), Path("-"))
    except Exception:  # a broken historical version: unreadable to every reader
        return Version(BAD)
    if not isinstance(data, dict):
        return Version(BAD)
    revision = data.get("revisi")
    return Version(
        EMPTY if not data else MAPPING,
        str(data.get("status", "")),
        str(data.get("unit", "")),
        data.get("kategori") == model.EXEMPT,
        revision if isinstance(revision, int) else None,
    )


def note_of(body: str) -> str:
    """The paragraphs between the subject and the trailers: the officer's note."""
    paragraphs = [p.strip() for p in body.strip().split("\n\n")]
    middle = paragraphs[1:-1] if commits.trailers(body) else paragraphs[1:]
    return "\n\n".join(p for p in middle if p)


def scan(
    work_tree: Path, prefix: str, since: str | None, tip: str, known: Callable[[str], bool]
) -> tuple[list[Row], dict[str, Version], int]:
    """The rows of the commits in ``since..tip`` (all of ``tip`` without ``since``), the
    versions of the item blobs they changed that ``known`` does not hold, and how many."""
    log = _log(work_tree, prefix, since, tip)
    items_prefix = f"{prefix}{model.ITEMS_DIR}/"
    read = (f"{prefix}{model.REGISTER_FILE}",)
    folders = tuple(f"{prefix}{d}/" for d in _READ_DIRS)
    wanted: set[str] = set()
    item_blobs: set[str] = set()
    for _head, changes in log:
        for path, old, new in changes:
            if path.startswith(items_prefix) and path.endswith(".yaml"):
                item_blobs.update(s for s in (old, new) if s and not known(s))
            elif path in read or path.startswith(folders):
                wanted.update(s for s in (old, new) if s)
    wanted |= item_blobs
    found, missing = blobs(work_tree, sorted(wanted))
    if missing:  # in the diff, so in the history: incomplete
        raise HistoryUnreadable("history.missing", hint="hint.history_missing", detail=missing[0])
    items = [sha for sha in sorted(wanted) if sha in found and sha in item_blobs]
    versions = dict(zip(items, _parse_all([found[sha] for sha in items]), strict=True))
    rows = [_row(head, changes, prefix, found) for head, changes in log]
    return rows, versions, len(rows)


#: Below this many versions, one process parses them faster than starting more.
_PARALLEL_FROM = 2000


def _parse_all(raws: list[bytes]) -> list[Version]:
    """Each version parsed once; by every processor where there are many (a fresh clone of
    a province's register parses tens of thousands; PyYAML holds the interpreter)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(raws) < _PARALLEL_FROM or workers < 2 or sys.platform != "linux":
        return [version_of(raw) for raw in raws]
    from dipctl.workers import forked_pool

    chunk = -(-len(raws) // (workers * 4))
    try:
        with forked_pool(workers) as pool:
            return list(pool.map(version_of, raws, chunksize=chunk))
    except (OSError, RuntimeError):  # no processes to spare: parse them here
        return [version_of(raw) for raw in raws]


_Changes = list[tuple[str, str | None, str | None]]


def _log(
    work_tree: Path, prefix: str, since: str | None, tip: str
) -> list[tuple[list[str], _Changes]]:
    rev = f"{since}..{tip}" if since else tip
    args = [
        *GIT,
        "log",
        "--reverse",
        "--topo-order",
        *RAW_LOG,
        f"--format={_FORMAT}",
        rev,
        "--",
        prefix or ".",
    ]
    done = subprocess.run(args, cwd=work_tree, capture_output=True, check=False)
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace").strip()
        raise refuse(work_tree, stderr, "git log") or GitFailed(
            "git.failed", command="git log", detail=stderr
        )
    found = []
    for record in done.stdout.decode("utf-8", "replace").split(_RS)[1:]:
        header, _, raw = record.partition("\0")
        values = header.split(_US, 5)
        if len(values) == 6:
            found.append((values, _entries(raw)))
    return found


def _entries(raw: str) -> _Changes:
    """Raw diff entries (plain or combined) as (path, old blob, new blob)."""
    parts, changes, i = raw.split("\0"), [], 0
    while i < len(parts):
        meta = parts[i].lstrip("\n")
        if not meta.startswith(":"):
            i += 1
            continue
        colons = len(meta) - len(meta.lstrip(":"))
        shas = meta.lstrip(":").split()[colons + 1 : 2 * colons + 2]
        old, new = shas[0], shas[-1]
        changes.append((parts[i + 1], None if old == _ZERO else old, None if new == _ZERO else new))
        i += 2
    return changes


def _data(found: dict[str, bytes], sha: str | None) -> dict[str, Any] | None:
    raw = found.get(sha) if sha else None
    if raw is None:
        return None
    try:
        data = store.parse(raw.decode("utf-8"), Path(sha or "-"))
    except (InvalidFile, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _row(
    head: list[str],
    changes: _Changes,
    prefix: str,
    found: dict[str, bytes],
) -> Row:
    sha, name, email, ctime, date, body = head
    trailers = commits.trailers(body)
    items = _item_changes(changes, f"{prefix}{model.ITEMS_DIR}/")

    def written(folder: str, key: str) -> dict[str, Any] | None:
        target = f"{prefix}{folder}/{trailers.get(key, [''])[0]}.yaml"
        return next(
            (_data(found, new) for path, _o, new in changes if path == target and new), None
        )

    meeting = str((written(model.MEETINGS_DIR, "DIP-Meeting") or {}).get("tanggal") or "")
    decree = written(model.DECREES_DIR, "DIP-Decree") or {}
    lampiran = decree.get("lampiran")
    digest = presentation.digest(str(i) for i in lampiran) if isinstance(lampiran, list) else ""
    action = trailers.get(commits.ACTION, [""])[0]
    role = trailers.get(commits.ROLE, [""])[0]
    present = None
    if action == presentation.ACTION and not items:
        present = _presentation(changes, prefix, found, role)
    config = [new for path, _o, new in changes if path == f"{prefix}{model.REGISTER_FILE}"]
    data = _data(found, config[0]) if config else None
    standards = records.Settings.from_mapping(data).quality if data is not None else None
    return Row(
        sha,
        name,
        email,
        date,
        int(ctime) if ctime.isdigit() else 0,
        action,
        role,
        tuple(trailers.get(commits.ITEM, [])),
        note_of(body),
        meeting,
        (str(decree.get("jenis") or ""), digest),
        present,
        standards,
        items,
    )


def _presentation(
    changes: _Changes, prefix: str, found: dict[str, bytes], role: str
) -> tuple[str, str] | None:
    """A ``present`` commit's draft when it is one clocks counts (see clocks._presentation)."""
    folder = f"{prefix}{model.PRESENTATIONS_DIR}/"
    added = [new for path, old, new in changes if path.startswith(folder) and new and not old]
    data = _data(found, added[0]) if len(added) == 1 else None
    if data is None or role != "ppid_pembantu":
        return None
    kind = str(data.get("jenis") or "")
    lampiran = data.get("lampiran")
    if kind not in presentation.KINDS or not isinstance(lampiran, list):
        return None
    digest = presentation.digest(str(i) for i in lampiran)
    if f"sha256:{data.get('lampiran_sha256')}" != digest:
        return None
    return kind, digest


def _item_changes(
    changes: _Changes, items_prefix: str
) -> list[tuple[str, str, str, str | None, str | None]]:
    """As :func:`dipctl.proof.step.item_changes`, on blob names: a move is one change."""
    added: dict[str, tuple[str, str | None]] = {}
    removed: dict[str, tuple[str, str | None]] = {}
    found: list[tuple[str, str, str, str | None, str | None]] = []
    for path, old, new in changes:
        if not path.startswith(items_prefix) or not path.endswith(".yaml"):
            continue
        item_id = path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if old is None:
            added[item_id] = (path, new)
        elif new is None:
            removed[item_id] = (path, old)
        else:
            found.append((item_id, path, "", old, new))
    for item_id, (path, new) in added.items():
        gone = removed.pop(item_id, None)
        found.append(
            (item_id, path, gone[0], gone[1], new) if gone else (item_id, path, "", None, new)
        )
    found.extend((item_id, path, "", old, None) for item_id, (path, old) in removed.items())
    return found


def _none(_blob: str) -> bool:
    return False


def _known(conn: sqlite3.Connection) -> Callable[[str], bool]:
    """Whether the index holds a blob's version: one look-up by key for each blob the new
    commits name, not the whole table read (67,000 versions, for one commit added)."""
    query = "SELECT 1 FROM versions WHERE blob = ?"
    return lambda blob: conn.execute(query, (blob,)).fetchone() is not None


def fill(
    conn: sqlite3.Connection,
    work_tree: Path,
    prefix: str,
    since: str | None,
    tip: str,
    meta: dict[str, Any],
) -> None:
    """Add the commits of ``since..tip`` (every commit of ``tip`` without ``since``), in
    one transaction (the caller's, when it began one)."""
    if not conn.in_transaction:
        conn.execute("BEGIN")
    if since is None:
        conn.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES))
        conn.execute("BEGIN")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
    rows, versions, _ = (
        scan(work_tree, prefix, since, tip, _known(conn) if since else _none)
        if tip
        else ([], {}, 0)
    )
    conn.executemany(
        "INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                b,
                v.kind,
                v.status,
                v.unit,
                int(v.exempt),
                dumps(v.revision) if v.revision is not None else None,
            )
            for b, v in versions.items()
        ),
    )
    start = conn.execute("SELECT coalesce(max(seq), 0) FROM commits").fetchone()[0] + 1
    chains = _chains(conn, start, [r.sha for r in rows])
    conn.executemany(
        "INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                start + n,
                r.sha,
                r.name,
                r.email,
                r.date,
                r.time,
                r.action,
                r.role,
                "\n".join(r.items),
                r.note,
                r.meeting,
                dumps(list(r.decree)),
                dumps(list(r.present)) if r.present else None,
                dumps(r.standards) if r.standards is not None else None,
                chains[n],
            )
            for n, r in enumerate(rows)
        ),
    )
    conn.executemany(
        "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((start + n, k, *change) for n, r in enumerate(rows) for k, change in enumerate(r.changes)),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", ((k, dumps(v)) for k, v in meta.items())
    )
    conn.execute("COMMIT")


def _chains(conn: sqlite3.Connection, start: int, shas: list[str]) -> list[str]:
    """The order digest (:func:`~dipctl.proof.index_rows.chained`) of each new commit, numbered
    from ``start`` after those in the file."""
    found = conn.execute("SELECT chain FROM commits WHERE seq = ?", (start - 1,)).fetchone()
    before = str(found[0]) if found is not None else ""
    chains = []
    for sha in shas:
        before = chained(before, sha)
        chains.append(before)
    return chains
