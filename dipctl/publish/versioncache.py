"""The historical item versions a build reads, from what is already known about them
(issue 21, build point 3): their blob ids from the history index, their parsed items from
``.git/dipctl/versions.pickle``.

Both are facts about git objects, which never change: a commit's file is the blob the index
recorded when it read that commit (the index is brought up to ``HEAD`` and rebuilt when the
history was rewritten, :mod:`dipctl.proof.index`), and a blob's bytes parse to the same
item as long as the code that parses them is the same (the cache is keyed by a digest of
the register package). So neither can be stale; what they do not answer is read from git
as before (:mod:`dipctl.publish.issued`). A damaged or foreign cache file is an empty cache.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from dipctl.register import cachefile

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from dipctl.proof.index import Index
    from dipctl.register.config import Register
    from dipctl.register.records import Item

NAME = "versions.pickle"


def indexed_blobs(
    reg: Register, paths: Mapping[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """The blob id of item ``id``'s file at ``commit``, for each ``(commit, id)`` whose file
    that commit changed at the path given (its path now): then ``git cat-file commit:path``
    names the same blob. Pairs the index does not answer plainly are left out."""
    if reg.git_dir is None or not paths:
        return {}
    from dipctl.proof import index
    from dipctl.proof.step import register_prefix

    wanted = {k for k, rel in paths.items() if rel}
    items = {i for _, i in wanted}

    def use(found: Index) -> dict[tuple[str, str], str | None]:
        seen: dict[tuple[str, str], str | None] = {}
        query = "SELECT c.sha, h.item, h.path, h.new FROM changes h JOIN commits c ON c.seq = h.seq"
        for sha, item, path, new in found.conn.execute(query):
            key = (sha, item)
            if item not in items or key not in wanted or path != paths[key]:
                continue
            # the same file twice in one commit (never in a history git made): ask git
            seen[key] = new if key not in seen else None
        return seen

    try:
        found = index.read(reg, register_prefix(reg), use)
    except (OSError, sqlite3.Error):
        return {}
    return {k: v for k, v in found.items() if v}


def parsed(reg: Register) -> Parsed:
    """The cache of the register's repository, loaded once per process."""
    key = str(reg.git_dir)
    if key not in _LOADED:
        _LOADED[key] = Parsed(reg)
    return _LOADED[key]


class Parsed:
    """Items parsed from blobs, by (blob id, path): the path names the item when its file
    has no ``id`` or ``unit`` (:meth:`~dipctl.register.records.Item.from_mapping`)."""

    def __init__(self, reg: Register) -> None:
        from dipctl.files import source_digest

        path = reg.git_dir / "dipctl" / NAME if reg.git_dir is not None else None
        code = source_digest(("register",), (".py",))
        self._table = cachefile.Table(path, f"versions:1:{code}")
        self._cache: dict[tuple[str, str], Item] = self._table.load()
        self._new: dict[tuple[str, str], Item] = {}

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._cache

    def get(self, blob: str, path: str, parse: Callable[[], Item | None]) -> Item | None:
        """The item of ``blob`` at ``path``, parsed by ``parse`` when not known (an item
        that cannot be read is not kept: it is parsed, and refused, again)."""
        key = (blob, path)
        found = self._cache.get(key)
        if found is None:
            found = parse()
            if found is not None:
                self._cache[key] = self._new[key] = found
        return found

    def save(self) -> None:
        """Keep what was parsed (a version of the history stays one: nothing is dropped)."""
        self._table.save(self._cache, self._new, set())
        self._new = {}


_LOADED: dict[str, Parsed] = {}
