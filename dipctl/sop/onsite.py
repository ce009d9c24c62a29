"""Step 6's kelengkapan: the website carries every item being published, as established.

The site's own downloads are read: ``dip.json`` (the DIP: each row by its id) and
``dik.json`` (the DIK, which publishes no id: each row by its content hash). A row counts
only when its ``hash`` is :func:`dipctl.register.digest.content_hash` of the established
item, so a site built before a revision was re-established (CI has not rebuilt it yet) is
refused, naming the item. Where the files come from is the caller's: a built folder
(:func:`folder`, ``--site``) or the published site (:mod:`dipctl.publish.remote`, ``--url``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError, Incomplete
from dipctl.register import digest, model

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from dipctl.register.records import Item

#: The downloads step 6 reads, and the key of each one's list of rows.
LISTS = {"dip.json": "informasi", "dik.json": "dikecualikan"}


@dataclass(frozen=True)
class Source:
    """Where the site's files are read: ``where`` names it in messages (a folder or a URL);
    ``read(name)`` returns a file's bytes or raises a :class:`DipctlError` saying why not."""

    where: str
    read: Callable[[str], bytes]
    hint: str = "hint.build"


def folder(path: Path) -> Source:
    """A site built by ``dipctl build`` in ``path`` (offline: ``--site DIR``)."""

    def read(name: str) -> bytes:
        try:
            return (path / name).read_bytes()
        except OSError:
            raise Incomplete("incomplete.no_site", path=path, hint="hint.build") from None

    return Source(str(path), read)


def rows(source: Source, name: str) -> list[dict[str, Any]]:
    """The rows of one download, each a mapping with a text ``hash`` (and for the DIP a
    text ``id``); anything else is a file dipctl did not write (exit 4)."""
    raw = source.read(name)
    where = f"{source.where.rstrip('/')}/{name}"
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[…]]]]
        raise DipctlError("onsite.not_json", file=where, hint="hint.onsite_not_dipctl") from None
    listed = document.get(LISTS[name]) if isinstance(document, dict) else None
    if not isinstance(listed, list) or not all(isinstance(r, dict) for r in listed):
        raise DipctlError(
            "onsite.bad_schema", file=where, key=LISTS[name], hint="hint.onsite_not_dipctl"
        )
    for row in listed:
        if name == "dip.json" and not isinstance(row.get("id"), str):
            raise DipctlError(
                "onsite.bad_schema", file=where, key="id", hint="hint.onsite_not_dipctl"
            )
    return listed


def check(items: Sequence[Item], source: Source, units: Mapping[str, str]) -> None:
    """Refuse (exit 3) unless every item is on the site with its established content."""
    wanted = {i.id: digest.content_hash(i, units) for i in items}
    exempt = [i for i in items if i.category == model.EXEMPT]
    public = [i for i in items if i.category != model.EXEMPT]
    missing, stale, absent = [], [], []
    if public:
        shown = {r["id"]: r.get(digest.HASH_KEY) for r in rows(source, "dip.json")}
        for item in public:
            if item.id not in shown:
                missing.append(item.id)
            elif shown[item.id] != wanted[item.id]:
                stale.append(item.id)
    if exempt:
        hashes = Counter(r.get(digest.HASH_KEY) for r in rows(source, "dik.json"))
        for item in exempt:  # two exempt items may publish the same row: count them
            if hashes[wanted[item.id]] > 0:
                hashes[wanted[item.id]] -= 1
            else:
                absent.append(item.id)
    if stale:
        raise Incomplete(
            "incomplete.stale_on_site", ids=", ".join(stale), path=source.where, hint=source.hint
        )
    if missing:
        raise Incomplete(
            "incomplete.not_on_site", ids=", ".join(missing), path=source.where, hint=source.hint
        )
    if absent:
        raise Incomplete(
            "incomplete.dik_not_on_site", ids=", ".join(absent), path=source.where, hint=source.hint
        )
