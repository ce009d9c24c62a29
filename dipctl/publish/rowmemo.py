"""The public rows of the last build, kept with everything each was made from (issue 21).

A build derives about 30,000 rows at 10,000 items (each DIP row with its public trail, and
each version a decree lists as issued) and digests each as JSON to find the few pages whose
data changed (:mod:`dipctl.publish.manifest`). After one change nearly all of them are what
they were. ``.git/dipctl/build-rows.pickle`` keeps, per row, the *values* it was made from
(the item as parsed, the public steps of its trail, the decree it names, the dates of the
records that name it; for an issued row whether the item has a page now and what withdrew
it) with the row and its digest. A row is used again only when those values are equal to
this build's; anything else, and any other code (a digest of :mod:`dipctl.publish` and
:mod:`dipctl.register`), Python or set of units, makes the row again. No stamp, commit or
path decides: a rewritten history, an amend, a file edited in place with its size and mtime
kept, or another clone all give values that are compared, never trusted.

The file holds two framed parts (each with its length and SHA-256: a damaged or cut file is
never unpickled), read by an unpickler that loads no class: a planted file cannot run
code. The second holds the inputs of the rows a block carries (:meth:`Rows.block`), read
only when a row of that kind is asked for or the file is written again: a build whose
decrees did not change never needs them. It is written atomically and only when a row
changed; two builds at once leave one whole file. It is a cache: deleting it changes no
byte of the site.

A decree's whole lampiran as issued is kept too, as one *block* (:meth:`Rows.block`): its
rows, with the values they depend on that are not the rows' own (the decree, the history's
order up to the commit that added it, the paths of its items, which have a page and what
withdrew them since), so that a build whose decrees did not change reads no old version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import operator
import pickle
import sys
from typing import TYPE_CHECKING, Any

from dipctl.files import source_digest, write_atomic
from dipctl.proof import framed
from dipctl.publish import manifest
from dipctl.register.records import Exemption, Item

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from dipctl.register.config import Register

NAME = "build-rows.pickle"
FORMAT = 3  # 2: the blocks; 3: the carried rows' inputs a part of their own
_MAGIC = b"dipctl build rows\n"
_CLASSES: frozenset[tuple[str, str]] = frozenset()  # plain values only

#: (kind, item id) -> the rows made of that item: (inputs, row, digest of the row)
Kept = dict[tuple[str, str], list[tuple[Any, dict[str, Any], str]]]
#: (kind, id) -> (inputs, the block, the digests of its rows in :func:`_rows_of` order)
Blocks = dict[tuple[str, str], tuple[Any, dict[str, Any], list[str]]]


_ITEM = operator.attrgetter(
    *(f.name for f in dataclasses.fields(Item) if f.compare and f.name != "exemption")
)
_TEST = operator.attrgetter(*(f.name for f in dataclasses.fields(Exemption) if f.compare))


def item_values(item: Item) -> tuple[Any, ...]:
    """What an item is equal by, as plain values (the kept file loads no class, and
    tuples load faster than objects)."""
    test = item.exemption
    return (*_ITEM(item), None if test is None else _TEST(test))


@functools.cache
def _code() -> str:
    return source_digest(("publish", "register"), (".py",))


class Rows:
    """This build's rows, found among the last build's by their inputs (:meth:`row`), and
    the digests of rows known (:meth:`digest`)."""

    def __init__(self, path: Path | None, scope: Any) -> None:
        self.path = path
        self.key = {"format": FORMAT, "code": _code(), "python": sys.version, "scope": scope}
        self.old, self.old_blocks, self._later = (
            _load(path, self.key) if path is not None else ({}, {}, None)
        )
        self.kept = sum(map(len, self.old.values()))
        #: the kinds of rows the blocks carry: their inputs are kept in the second part
        self.carried: set[str] = set()
        self.new: Kept = {}
        self.new_blocks: Blocks = {}
        self.blocks_made = 0
        self.blocks_dropped = 0
        self.reused = 0
        self.made = 0
        #: id(row) -> (row, digest): the row is held so that its id is never another's
        self.digests: dict[int, tuple[dict[str, Any], str]] = {}

    def row(
        self, kind: str, item_id: str, inputs: Any, make: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """The row made of ``inputs``: the last build's when its inputs were equal."""
        if kind in self.carried:
            self._read_later()
        for found, row, digest in self.old.get((kind, item_id), ()):
            if found == inputs:
                if id(row) not in self.digests:  # two equal versions: one row, kept once
                    self.reused += 1
                    self.digests[id(row)] = (row, digest)
                    self.new.setdefault((kind, item_id), []).append((inputs, row, digest))
                return row
        row = make()
        self.made += 1
        self.new.setdefault((kind, item_id), []).append((inputs, row, ""))
        return row

    def block(self, kind: str, key: str, inputs: Any, carried: str) -> dict[str, Any] | None:
        """The last build's block made of ``inputs``, or None. Its rows are this build's
        (their digests known), and so are the last build's ``carried`` rows of each item
        of its ``items``: the rows a block made was made of (:meth:`row`)."""
        self.carried.add(carried)
        found = self.old_blocks.get((kind, key))
        if found is None or found[0] != inputs:
            return None
        block, digests = found[1], found[2]
        self.new_blocks[(kind, key)] = found
        for row, digest in zip(_rows_of(block), digests, strict=True):
            self.digests.setdefault(id(row), (row, digest))
        for item_id in block["items"]:
            made = (carried, item_id)
            if made in self.old and made not in self.new:
                self.new[made] = list(self.old[made])
                self.reused += len(self.old[made])
                for _, row, digest in self.old[made]:  # :meth:`row` finds them kept
                    self.digests.setdefault(id(row), (row, digest))
        return block

    def keep_block(self, kind: str, key: str, inputs: Any, block: dict[str, Any]) -> None:
        """Keep ``block`` (a dict with its rows by item id in ``items``) made of
        ``inputs``."""
        self.new_blocks[(kind, key)] = (inputs, block, [])
        self.blocks_made += 1

    def release(self) -> None:
        """The last build's rows this one did not use again are let go: less memory
        while the pages render."""
        self.old = {}
        self.blocks_dropped = len(self.old_blocks.keys() - self.new_blocks.keys())
        self.old_blocks = {}

    def digest(self, row: dict[str, Any]) -> str:
        """``manifest.data_digest(row)``, made once per row and build."""
        known = self.digests.get(id(row))
        if known is not None and known[0] is row:
            return known[1]
        made = manifest.data_digest(row)
        self.digests[id(row)] = (row, made)
        return made

    def save(self) -> None:
        """Keep this build's rows (when one was made or one of the last build's is gone)."""
        same = not self.made and self.reused == self.kept
        if self.path is None or (same and not self.blocks_made and not self._dropped()):
            self.new, self.new_blocks, self.digests = {}, {}, {}  # nothing is asked after this
            return
        self._read_later()  # the carried rows' inputs, to be written again
        rows = {
            key: [(inputs, row, digest or self.digest(row)) for inputs, row, digest in found]
            for key, found in self.new.items()
        }
        carried = [key for key in rows if key[0] in self.carried]  # their inputs: part two
        later = {key: [inputs for inputs, _, _ in rows[key]] for key in carried}
        rows.update((key, [(None, r, d) for _, r, d in rows[key]]) for key in carried)
        blocks = {
            key: (inputs, block, digests or [self.digest(r) for r in _rows_of(block)])
            for key, (inputs, block, digests) in self.new_blocks.items()
        }
        self.new, self.new_blocks, self.digests = {}, {}, {}
        kept = {"key": self.key, "rows": rows, "blocks": blocks}
        body = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        inputs = pickle.dumps(later, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # .git/dipctl/ cannot be written: nothing kept
            self.path.parent.mkdir(parents=True, exist_ok=True)
            whole = _MAGIC + framed.framed(body) + framed.framed(inputs)
            write_atomic(self.path, whole, sync=False)

    def _read_later(self) -> None:
        """The inputs of the carried rows, into the entries that lack them (the last
        build's, and those carried into this build's): an entry whose inputs cannot be
        read is dropped (its row is made again)."""
        if self._later is None:
            return
        try:
            later = framed.unpickle(framed.part(io.BytesIO(self._later)), _CLASSES)
        except ValueError:
            later = None
        self._later = None
        if not isinstance(later, dict):
            later = {}
        for kept in (self.old, self.new):
            for key, found in list(kept.items()):
                if not found or found[0][0] is not None:
                    continue
                inputs = later.get(key)
                lacking = sum(1 for entry in found if entry[0] is None)
                if isinstance(inputs, list) and len(inputs) == lacking:
                    given = zip(inputs, found[:lacking], strict=True)
                    found[:lacking] = [(i, r, d) for i, (_, r, d) in given]
                else:
                    found[:] = [entry for entry in found if entry[0] is not None]
                    if not found:
                        del kept[key]

    def _dropped(self) -> bool:
        """Whether a block the last build kept is not this build's (then the file is
        written again, without it)."""
        return bool(self.blocks_dropped or self.old_blocks.keys() - self.new_blocks.keys())


def _rows_of(block: dict[str, Any]) -> list[dict[str, Any]]:
    """A block's rows whose digests it keeps: those of its ``items``, in their order."""
    return list(block["items"].values())


def rows(reg: Register, scope: Any) -> Rows:
    """The rows kept for ``reg`` (none without git: nowhere private to keep them)."""
    path = reg.git_dir / "dipctl" / NAME if reg.git_dir is not None else None
    return Rows(path, scope)


def _load(path: Path, key: dict[str, Any]) -> tuple[Kept, Blocks, bytes | None]:
    """The kept rows and blocks, and the second part as read (:meth:`Rows._read_later`)."""
    try:
        with path.open("rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return {}, {}, None
            data = io.BytesIO(fh.read())
        found = framed.unpickle(framed.part(data), _CLASSES)
    except (OSError, ValueError):
        return {}, {}, None
    if not isinstance(found, dict) or found.get("key") != key:
        return {}, {}, None
    kept: Any = found.get("rows")
    blocks: Any = found.get("blocks")
    if not _sound(kept) or not _sound_blocks(blocks):
        return {}, {}, None
    return kept, blocks, data.read()


def _sound(kept: Any) -> bool:
    """The shape :meth:`Rows.save` writes (the digest already vouches for the bytes)."""
    return isinstance(kept, dict) and all(
        isinstance(key, tuple)
        and isinstance(found, list)
        and all(
            isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[1], dict)
            and isinstance(entry[2], str)
            and entry[2]
            for entry in found
        )
        for key, found in kept.items()
    )


def _sound_blocks(blocks: Any) -> bool:
    """The shape :meth:`Rows.save` writes for the blocks."""
    return isinstance(blocks, dict) and all(
        isinstance(key, tuple)
        and isinstance(found, tuple)
        and len(found) == 3
        and isinstance(found[1], dict)
        and isinstance(found[1].get("items"), dict)
        and all(isinstance(row, dict) for row in found[1]["items"].values())
        and isinstance(found[2], list)
        and len(found[2]) == len(found[1]["items"])
        and all(isinstance(d, str) and d for d in found[2])
        for key, found in blocks.items()
    )
