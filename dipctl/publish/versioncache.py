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

import os
import sqlite3
from typing import TYPE_CHECKING

from dipctl.register import cachefile

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from dipctl.proof.index import Index
    from dipctl.register.config import Register
    from dipctl.register.records import Item

NAME = "versions.pickle"
#: The blob id of a work tree file, by its path, kept with the file's stamp
#: (:func:`~dipctl.register.cachefile.stamp`): used only while the file keeps that stamp.
OWN_NAME = "versions-own.pickle"
#: Up to this many items, :func:`indexed_blobs` asks the index for their rows alone.
_FEW = 200
#: Up to this many files, :func:`own_blobs` hashes them rather than load its table.
_HASHED = 200
#: The blob of a file at a commit, by (commit, path): a fact about git objects, as above.
BLOBS_NAME = "versions-blobs.pickle"


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
        asked: tuple[str, ...] = ()
        if len(items) <= _FEW:  # a few items (after one step): their rows alone, by index
            asked = tuple(sorted(items))
            query += f" WHERE h.item IN ({','.join('?' * len(asked))})"
        for sha, item, path, new in found.conn.execute(query, asked):
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


def own_blobs(
    reg: Register, files: Mapping[str, str], kind: str, make: Callable[[str], str]
) -> dict[str, str]:
    """``make(path)`` (the blob id of the file as it is now, in the object format ``kind``;
    "" when it cannot be read) of each of ``files``, by key, from the cache while the file
    keeps the stamp it had when it was hashed (not one changed within
    :data:`~dipctl.register.cachefile.RACY_NS` before: its stamp may not show a change)."""
    if len(files) <= _HASHED:  # a few (the items under revision): hashed, not looked up
        return {key: make(name) for key, name in files.items()}
    path = reg.git_dir / "dipctl" / OWN_NAME if reg.git_dir is not None else None
    table = cachefile.Table(path, f"versions-own:1:{kind}")
    known = table.load() if path is not None else {}
    racy = cachefile.cutoff()
    changed: dict[str, tuple[tuple[int, ...], str]] = {}
    found: dict[str, str] = {}
    for key, name in files.items():
        try:
            now = cachefile.stamp(os.stat(name))  # noqa: PTH116  (text: no Path per item)
        except OSError:
            found[key] = ""
            continue
        hit = known.get(name)
        if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == now and isinstance(hit[1], str):
            found[key] = hit[1]
            continue
        found[key] = blob = make(name)
        if blob:
            known[name] = changed[name] = (cachefile.kept(now, racy), blob)
    table.save(known, changed, set())
    return found


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
        blobs = reg.git_dir / "dipctl" / BLOBS_NAME if reg.git_dir is not None else None
        self._blobs_table = cachefile.Table(blobs, "versions-blobs:1")
        self._blobs: dict[tuple[str, str], str] | None = None
        self._new_blobs: dict[tuple[str, str], str] = {}

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

    def blobs_at(self, paths: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
        """The blob of each ``(commit, id)`` at its path in ``paths`` that is known."""
        known = self._known_blobs()
        found = {}
        for key, path in paths.items():
            blob = known.get((key[0], path)) if path else None
            if blob:
                found[key] = blob
        return found

    def _known_blobs(self) -> dict[tuple[str, str], str]:
        if self._blobs is None:
            loaded = self._blobs_table.load()
            self._blobs = {
                k: v
                for k, v in loaded.items()
                if isinstance(k, tuple) and len(k) == 2 and isinstance(v, str) and v
            }
        return self._blobs

    def keep_blobs_at(
        self, paths: Mapping[tuple[str, str], str], blobs: Mapping[tuple[str, str], str | None]
    ) -> None:
        """Remember the blob of each ``(commit, id)`` found at its path (kept by :meth:`save`)."""
        known = self._known_blobs()
        for key, blob in blobs.items():
            path = paths.get(key, "")
            if blob and path and known.get((key[0], path)) != blob:
                known[(key[0], path)] = self._new_blobs[(key[0], path)] = blob

    def save(self) -> None:
        """Keep what was parsed (a version of the history stays one: nothing is dropped)."""
        self._table.save(self._cache, self._new, set())
        self._new = {}
        if self._blobs is not None:
            self._blobs_table.save(self._blobs, self._new_blobs, set())
            self._new_blobs = {}


_LOADED: dict[str, Parsed] = {}


class Unkept(Parsed):
    """No cache: each version parsed, nothing kept (:func:`for_versions` for a few)."""

    def __init__(self) -> None:
        self._cache, self._new, self._blobs, self._new_blobs = {}, {}, {}, {}

    def save(self) -> None:
        self._new, self._new_blobs = {}, {}


#: Fewer versions than this are parsed without the cache (loading its 8 MB at 10,000
#: items costs more than parsing a few: the items under revision of a build).
_FEW = 64


def for_versions(reg: Register, wanted: int) -> Parsed:
    """The cache for reading ``wanted`` versions: :class:`Unkept` for a few."""
    return Unkept() if wanted < _FEW else parsed(reg)
