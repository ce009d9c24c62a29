"""The decrees in force and their chains (SPEC.md sections 1 to 3).

Two lists, each with one decree in force: the DIP (the head's SK DIP) and the DIK (the PPID's
Penetapan DIK). A new decree of a list revokes (``mencabut``) or amends (``mengubah``) the
decree in force of that list *and* every decree that one amended, base first: the drafting
technique of Lampiran II UU 12/2011 revokes "Keputusan … Nomor 45 … sebagaimana telah diubah
dengan Keputusan … Nomor 50". :func:`chain` is that list of ids; :func:`replaced_by` names, for
every superseded decree, the decree that revoked it (or else amended it); :func:`overlap` is
the invariant that no item is in both lists in force. Pure functions of the records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from dipctl.register.records import Decree, Item

__all__ = [
    "chain",
    "in_force",
    "in_force_items",
    "lineage",
    "listed",
    "of_list",
    "overlap",
    "replaced_by",
]


def of_list(decrees: Iterable[Decree], dik: bool) -> list[Decree]:
    """The decrees of the DIP (``dik`` False) or of the DIK."""
    return [d for d in decrees if d.kind in model.DECREE_KINDS and d.dik == dik]


def replaced_by(decrees: Mapping[str, Decree]) -> dict[str, Decree]:
    """Each decree revoked or amended -> the decree that revoked it, or, for one amended and
    never revoked, the first decree that amended it."""
    revoked: dict[str, Decree] = {}
    amended: dict[str, Decree] = {}
    for decree in sorted(decrees.values(), key=lambda d: (d.date, d.id)):
        for target in decree.revokes:
            if target != decree.id:
                revoked.setdefault(target, decree)
        for target in decree.amends:
            if target != decree.id:
                amended.setdefault(target, decree)
    return {**amended, **revoked}


def in_force(decrees: Mapping[str, Decree], dik: bool = False) -> Decree | None:
    """The decree of the list in force: the latest one that no other revokes or amends."""
    replaced = replaced_by(decrees)
    mine = [d for d in of_list(decrees.values(), dik) if d.id not in replaced]
    if not mine:
        return None

    def depth(decree: Decree) -> int:  # how many decrees it follows (same-day ties)
        n, seen = 0, {decree.id}
        while decree.follows in decrees and decree.follows not in seen:
            decree = decrees[decree.follows]
            seen.add(decree.id)
            n += 1
        return n

    return max(mine, key=lambda d: (d.date, depth(d), d.id))


def lineage(decree: Decree, decrees: Mapping[str, Decree]) -> tuple[str, ...]:
    """The ids of the chain ``decree`` ends: the base decree, every amendment of it, then
    ``decree`` itself. A decree that amends nothing (a first one, or one that revoked the
    chain before it) starts its own chain; an old amendment names only the decree it
    amended, whose own chain is followed."""
    ids = [decree.id]
    current = decree
    while current.amends:
        earlier = decrees.get(current.follows)
        if earlier is None or earlier.id in ids:
            ids[:0] = [i for i in current.amends if i not in ids]
            break
        ids.insert(0, earlier.id)
        current = earlier
    return tuple(ids)


def chain(decrees: Mapping[str, Decree], dik: bool = False) -> tuple[str, ...]:
    """The chain in force of a list, base first: what a new decree of it revokes or amends
    (empty when the list has no decree yet)."""
    current = in_force(decrees, dik)
    return lineage(current, decrees) if current is not None else ()


def listed(decrees: Mapping[str, Decree], dik: bool) -> set[str]:
    """The lampiran of the decree in force; for a list still in the old form (decrees
    without a complete lampiran), everything any of its decrees listed."""
    current = in_force(decrees, dik)
    if current is not None and current.complete:
        return set(current.items)
    found: set[str] = set()
    for decree in of_list(decrees.values(), dik):
        found.update(decree.items, decree.establishes)
    return found


def in_force_items(
    items: Iterable[Item], decrees: Mapping[str, Decree], dik: bool = False
) -> list[str]:
    """The ids in the list now: the established items of its kind, and the items under
    revision whose last established version the decree in force holds."""
    held = listed(decrees, dik)
    found = []
    for item in items:
        # under revision: in the lampiran that holds its last established version (an old
        # decree listed exempt items too: never in the DIP)
        revised = item.status != model.Status.WITHDRAWN.value and item.revision > 0
        if item.established:
            if (item.category == model.EXEMPT) == dik:
                found.append(item.id)
        elif revised and item.id in held and (dik or item.category != model.EXEMPT):
            found.append(item.id)
    return sorted(found)


def overlap(decrees: Mapping[str, Decree]) -> tuple[Decree, Decree, list[str]] | None:
    """The invariant: no item is in both the DIP in force and the DIK in force. None when it
    holds, else the two decrees in force and the items both lampiran list. Decrees of the
    old form (no complete lampiran) are not judged: their ``informasi`` is not the list."""
    dip, dik = in_force(decrees, False), in_force(decrees, True)
    if dip is None or dik is None or not (dip.complete and dik.complete):
        return None
    shared = sorted(set(dip.items) & set(dik.items))
    return (dip, dik, shared) if shared else None
