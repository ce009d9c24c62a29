"""A decree's lampiran as the site shows it, kept whole between builds (issue 21).

The rows of a decree's lampiran (:func:`dipctl.publish.publicdata.collect`) are kept as one
block (:meth:`dipctl.publish.rowmemo.Rows.block`) with every value they are made of that is
not in the rows themselves: the decree (the ids it lists and removes, its kind, a Penetapan
DIK's ``rincian``), every decree's reference (a row names its item's decree), the history up
to the commit that added the decree (the SHA-256 of ``git rev-list``'s ids up to it, in
order: each id names its content, so the same digest reads the same versions), and per item
it lists the path of its file now (where its versions are looked up), whether it has a page
now and what withdrew it since. A build whose values are all equal reads no old version; a
decree not committed yet, a history without git, or a lampiran with an item whose version
was not read from a commit (the item as it is now stood in for it) is never kept whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.publish import decreelist, issued
from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from dipctl.register import records
    from dipctl.register.records import Item

#: The memo's kinds: a decree's block, and the issued rows (one per version) it is made of.
BLOCK, ISSUED = "lampiran", "issued"


def inputs(
    decrees: dict[str, records.Decree],
    now: dict[str, Item],
    pages: set[str],
    order: Callable[[], dict[str, int]],
    added: Mapping[str, str],
    details: Mapping[str, dict[str, dict[str, str]]],
) -> dict[str, tuple[Any, ...]]:
    """The values each committed decree's block is made of (the module's docstring);
    none without an order of the history to digest (``added``: the commit that added each
    decree, :func:`dipctl.publish.decreeadds.added`; ``details``: each decree's
    :func:`~dipctl.publish.issued.details`)."""
    if not isinstance(order, issued.Order) or not decrees:
        return {}
    refs = tuple((k, decreelist.decree_ref(d)) for k, d in decrees.items())
    found = {}
    for decree in decrees.values():
        upto = order.upto(added[decree.id]) if decree.id in added else None
        if upto is None:
            continue
        listed = issued.listed(decree)
        held = tuple(
            (now[i].file, i in pages, later(now[i], decrees)) if i in now else None
            for i in (*listed, *decree.removes)
        )
        values = (decree.id, decree.kind, decree.complete, listed, decree.removes)
        found[decree.id] = (values, upto, refs, held, details[decree.id])
    return found


def later(now: Item | None, decrees: dict[str, records.Decree]) -> dict[str, str] | None:
    """The decree that withdrew the item since, as its row names it."""
    if now is not None and now.status == model.Status.WITHDRAWN.value:
        return decreelist.replacement(decrees.get(now.decree), "dicabut")
    return None
