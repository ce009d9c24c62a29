"""An item's trail: who took which step, as which role, when, in which commit.

Read from the history index (:mod:`dipctl.proof.index`): every commit that changed the
item's file, wherever it was (a move between unit folders keeps the trail); before there is
an index, from git by the item's id, the same commits (:func:`by_id`). Where the index
cannot be built (a history with missing objects), read from git directly
(:func:`direct`): one ``git log --follow`` for the commits that touched the item's file, one
``git cat-file --batch`` for the file's status after each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import HistoryUnreadable
from dipctl.register import store
from dipctl.sop import commits

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.gitrepo import Repository
    from dipctl.register.config import Register
    from dipctl.register.records import Item

_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass(frozen=True)
class Entry:
    commit: str
    date: str  # ISO 8601 with zone, the committer date
    name: str
    email: str
    action: str  # the DIP-Action trailer; "" for a commit that dipctl did not make
    role: str
    source: str  # status before ("" when the file is new)
    target: str  # status after ("" when the file was deleted)
    note: str
    path: str


def trail(reg: Register, item: Item) -> list[Entry]:
    """Oldest first: from the history index when one covers HEAD or an ancestor of it (it
    is brought up to HEAD), else from git by the item's id (:func:`by_id`: a fresh clone's
    first ``show`` does not wait for the whole index, which ``sla`` and ``build`` make).
    Either answer is remembered for HEAD (:class:`Remembered`): asked again before the next
    commit, it costs no walk of the history."""
    from dipctl.gitrepo import Repository
    from dipctl.proof import index
    from dipctl.proof.step import register_prefix

    prefix = register_prefix(reg)
    item_id = item.path.name.removesuffix(".yaml")
    ready = index.ready(reg, prefix)
    memo = Remembered(reg, item, prefix, "index" if ready else "git")
    if memo.entries is not None:
        return memo.entries
    if not ready:
        return memo.keep(by_id(Repository(reg.root), item, prefix))
    try:
        rows = index.read(reg, prefix, lambda found: found.trail(item_id))
    except HistoryUnreadable:
        return direct(Repository(reg.root), item)  # not remembered: objects may come
    entries, before = [], ""
    for r in rows:
        after = r.after.trail_status if r.after is not None else ""
        entries.append(
            Entry(r.sha, r.date, r.name, r.email, r.action, r.role, before, after, r.note, r.path)
        )
        before = after
    return memo.keep(entries)


class Remembered:
    """An item's trail as last read at this HEAD, in ``.git/dipctl/trails.pickle``.

    A commit's history never changes, so the trail of a file from a given HEAD is the same
    every time it is read: the key is HEAD's commit id, how it was read (the index or git),
    the register's place, the item file's path, anything that makes git show other history
    for the same commit (replace refs, grafts) and the digest of the code that reads it.
    Only the current HEAD's trails are kept; a missing or broken file is an empty memo."""

    def __init__(self, reg: Register, item: Item, prefix: str, how: str) -> None:
        from dipctl import files, gitfiles
        from dipctl.register import cachefile

        self.entries: list[Entry] | None = None
        self._table: cachefile.Table | None = None
        head = gitfiles.head_commit(reg.work_tree)
        if reg.git_dir is None or head is None:
            return
        try:
            path = item.path.absolute().relative_to(reg.work_tree.absolute()).as_posix()
        except ValueError:
            return
        code = files.source_digest(("proof", "sop"), (".py",), top=True)
        self._head = head
        self._key = (head, how, prefix, path, _replaced(reg.git_dir))
        self._table = cachefile.Table(reg.git_dir / "dipctl" / "trails.pickle", f"trails:{code}")
        self._stored = self._table.load()
        found = self._stored.get(self._key)
        if isinstance(found, list) and all(isinstance(e, Entry) for e in found):
            self.entries = found

    def keep(self, entries: list[Entry]) -> list[Entry]:
        if self._table is not None:
            kept = {k: v for k, v in self._stored.items() if k[0] == self._head}
            kept[self._key] = entries
            self._table.save(kept, {self._key: entries}, self._stored.keys() - kept.keys())
        return entries


def _replaced(git_dir: Path) -> tuple[object, ...]:
    """What lets git show another history for the same commit id: replace refs (loose or
    packed) and a grafts file, by their stamps."""
    from dipctl.register import cachefile

    found: list[object] = []
    for name in ("refs/replace", "info/grafts", "packed-refs", "shallow"):
        try:
            found.append(cachefile.stamp((git_dir / name).lstat()))
        except OSError:
            found.append(None)
    replace = git_dir / "refs" / "replace"
    found.append(tuple(sorted(str(p) for p in replace.rglob("*"))) if replace.is_dir() else None)
    return tuple(found)


def by_id(repo: Repository, item: Item, prefix: str) -> list[Entry]:
    """Oldest first, read from git alone: every commit that changed the item's file, and
    before the commit that added it there, the file of the same id that commit deleted in
    another item folder (a move between unit folders keeps the trail), as the history index
    lists them. One ``git log`` per place the file has been (not ``--follow``, which takes a
    similar file for a copy)."""
    from dipctl.register import model

    fmt = f"{_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B"
    folder, name = f"{prefix}{model.ITEMS_DIR}/", item.path.name
    path = item.path.absolute().relative_to(repo.work_tree).as_posix()
    rows: list[tuple[str, str]] = []  # (record, path), newest first
    rev, seen = "HEAD", set()
    while path not in seen:
        seen.add(path)
        log = repo.log_path(path, fmt, rev)
        rows += [(record, path) for record, _ in log]
        if not log or not log[-1][1].startswith("A"):
            break
        added = log[-1][0].split(_FIELD, 1)[0]
        before = [
            p for p in repo.deleted_in(added) if p.startswith(folder) and p.endswith(f"/{name}")
        ]
        if not before:
            break
        path, rev = before[0], f"{added}^"
    rows.reverse()
    contents = repo.read_at_each([(chunk.split(_FIELD, 1)[0], p) for chunk, p in rows])
    entries, status = [], ""
    for (chunk, path), raw in zip(rows, contents, strict=True):
        sha, date, who, email, body = chunk.split(_FIELD, 4)
        after = _status(raw, path)
        found = commits.trailers(body)
        action, role = _first(found, commits.ACTION), _first(found, commits.ROLE)
        note = _note(body)
        entries.append(Entry(sha, date, who, email, action, role, status, after, note, path))
        status = after
    return entries


def direct(repo: Repository, item: Item) -> list[Entry]:
    """Oldest first, read from git alone (``git log --follow`` of the item's file)."""
    rel = item.path.absolute().relative_to(repo.work_tree).as_posix()
    log = repo.log_file(rel, f"{_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%B")
    rows = []
    for chunk, path in log:
        sha, date, name, email, body = chunk.split(_FIELD, 4)
        rows.append((sha, date, name, email, body, path))
    rows.reverse()
    contents = repo.read_at_each([(sha, path) for sha, *_, path in rows])
    entries, before = [], ""
    for (sha, date, name, email, body, path), raw in zip(rows, contents, strict=True):
        after = _status(raw, path)
        found = commits.trailers(body)
        entries.append(
            Entry(
                sha,
                date,
                name,
                email,
                _first(found, commits.ACTION),
                _first(found, commits.ROLE),
                before,
                after,
                _note(body),
                path,
            )
        )
        before = after
    return entries


def _first(found: dict[str, list[str]], key: str) -> str:
    return found.get(key, [""])[0]


def _note(body: str) -> str:
    """The paragraphs between the subject and the trailers: the officer's note."""
    paragraphs = [p.strip() for p in body.strip().split("\n\n")]
    middle = paragraphs[1:-1] if commits.trailers(body) else paragraphs[1:]
    return "\n\n".join(p for p in middle if p)


def _status(raw: bytes | None, path: str) -> str:
    if raw is None:
        return ""
    try:
        data = store.parse(raw.decode("utf-8"), _path(path))
    except Exception:  # a broken historical version: its status is unknown
        return "?"
    return str(data.get("status", "")) if isinstance(data, dict) else "?"


def _path(path: str) -> Path:
    from pathlib import Path

    return Path(path)
