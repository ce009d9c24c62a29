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

The file holds one framed part (its length and SHA-256: a damaged or cut file is never
unpickled), read by an unpickler that loads no class but the item's own: a planted file
cannot run code. It is written atomically and only when a row changed; two builds at once
leave one whole file. It is a cache: deleting it changes no byte of the site.
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
FORMAT = 1
_MAGIC = b"dipctl build rows\n"
_CLASSES: frozenset[tuple[str, str]] = frozenset()  # plain values only

#: (kind, item id) -> the rows made of that item: (inputs, row, digest of the row)
Kept = dict[tuple[str, str], list[tuple[Any, dict[str, Any], str]]]


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
        self.old: Kept = _load(path, self.key) if path is not None else {}
        self.kept = sum(map(len, self.old.values()))
        self.new: Kept = {}
        self.reused = 0
        self.made = 0
        #: id(row) -> (row, digest): the row is held so that its id is never another's
        self.digests: dict[int, tuple[dict[str, Any], str]] = {}

    def row(
        self, kind: str, item_id: str, inputs: Any, make: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """The row made of ``inputs``: the last build's when its inputs were equal."""
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

    def release(self) -> None:
        """The last build's rows this one did not use again are let go: less memory
        while the pages render."""
        self.old = {}

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
        new = self.new
        if self.path is None or (not self.made and self.reused == self.kept):
            self.new, self.digests = {}, {}  # nothing is asked after this
            return
        rows = {
            key: [(inputs, row, digest or self.digest(row)) for inputs, row, digest in found]
            for key, found in new.items()
        }
        self.new, self.digests = {}, {}
        body = pickle.dumps({"key": self.key, "rows": rows}, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # .git/dipctl/ cannot be written: nothing kept
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, _MAGIC + framed.framed(body), sync=False)


def rows(reg: Register, scope: Any) -> Rows:
    """The rows kept for ``reg`` (none without git: nowhere private to keep them)."""
    path = reg.git_dir / "dipctl" / NAME if reg.git_dir is not None else None
    return Rows(path, scope)


def _load(path: Path, key: dict[str, Any]) -> Kept:
    try:
        with path.open("rb") as fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                return {}
            found = framed.unpickle(framed.part(io.BytesIO(fh.read())), _CLASSES)
    except (OSError, ValueError):
        return {}
    if not isinstance(found, dict) or found.get("key") != key:
        return {}
    kept: Any = found.get("rows")
    return kept if _sound(kept) else {}


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
