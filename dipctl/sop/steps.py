"""Steps 1 to 3 of the SOP and the start of pemutakhiran (SPEC.md section 2).

1 collect: :func:`new`, :func:`submit`; 2 review: :func:`review`; 3 classify:
:func:`classify`; pemutakhiran: :func:`revise`. Steps 4 to 6 and withdrawal are in
:mod:`dipctl.sop.decision`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.register import model, roundtrip
from dipctl.register.ids import new_item_id
from dipctl.register.model import Status
from dipctl.sop import kelengkapan, workflow
from dipctl.sop.step import Result, authorize, finish
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item
    from dipctl.sop.exemption_input import TestInput
    from dipctl.sop.inputs import NewItem

__all__ = ["Result", "classify", "may_classify", "new", "review", "revise", "submit"]


# -- step 1: collect -----------------------------------------------------------------------


def new(reg: Register, spec: NewItem, as_email: str | None, when: dt.datetime | None = None) -> str:
    """Step 1: a ``draf`` item in its unit's folder, committed as the unit's kasubbag."""
    session = Session(reg, as_email)
    kelengkapan.check_new(reg, spec.unit, spec.title, spec.made, spec.forms)
    for option, value in (
        ("--summary", spec.summary),
        ("--responsible", spec.responsible),
        ("--place", spec.place),
        ("--retention", spec.retention),
    ):
        kelengkapan.check_option_text(option, value)
    transition = workflow.actions_into("new")[0]
    session.authorize_new(transition, spec.unit)
    with session.locked():
        item_id = new_item_id(spec.item_id, spec.title, reg)
        path = reg.item_path(spec.unit, item_id)
        text = roundtrip.render_new(
            _item_document(reg, spec, item_id),
            model.MODELINE.format(schema=f"../../{model.ITEM_SCHEMA_FILE}"),
        )
        session.commit_new(path, item_id, text, transition, when)
    return item_id


def _item_document(reg: Register, spec: NewItem, item_id: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "judul": spec.title.strip(),
        "ringkasan": spec.summary,
        "unit": spec.unit,
        "penanggung_jawab": spec.responsible,
        "waktu_pembuatan": spec.made,
        "tempat_pembuatan": spec.place or reg.settings.agency_place,
        "bentuk": list(dict.fromkeys(spec.forms)),
        "retensi": spec.retention,
        "status": Status.DRAFT.value,
    }


def submit(
    reg: Register,
    ids: Sequence[str],
    as_email: str | None,
    note: str = "",
    when: dt.datetime | None = None,
) -> Result:
    """Step 1: the kasubbag sends complete items to the sekretaris."""
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        moves = authorize(session, items, "submit", Status.SUBMITTED.value)
        for item in items:
            kelengkapan.check_perki(reg, item)
        return finish(
            session, moves, session.commit("submit", "kasubbag", moves, note=note, when=when)
        )


# -- steps 2 and 3: review and classify ----------------------------------------------------


def review(
    reg: Register,
    ids: Sequence[str],
    approve: bool,
    note: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Step 2: the sekretaris forwards items to the PPID Pembantu, or returns them."""
    target = Status.FORWARDED.value if approve else Status.RETURNED.value
    updates = {} if approve else {"catatan": kelengkapan.return_note(note)}
    session = Session(reg, as_email)
    with session.locked():
        moves = authorize(session, session.items(ids), "review", target, updates)
        return finish(
            session, moves, session.commit("review", "sekretaris", moves, note=note, when=when)
        )


def classify(
    reg: Register,
    ids: Sequence[str],
    category: str | None,
    test: TestInput | None,
    note: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Step 3: the PPID Pembantu sets the kategori (with the consequence test for
    ``dikecualikan``), or returns the items to be completed."""
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        if category is None:
            updates: dict[str, Any] = {"catatan": kelengkapan.return_note(note)}
            moves = authorize(session, items, "classify", Status.RETURNED.value, updates)
        else:
            moves = authorize(session, items, "classify", Status.CLASSIFIED.value)
            for move in moves:
                move.updates |= kelengkapan.classification(
                    reg, move.item, category, test, when.date() if when else None
                )
        return finish(
            session, moves, session.commit("classify", "ppid_pembantu", moves, note=note, when=when)
        )


def may_classify(reg: Register, ids: Sequence[str], as_email: str | None) -> list[Item]:
    """The items, when the acting officer may classify them now (asked before the questions
    of the consequence test, so that nobody answers them in vain)."""
    session = Session(reg, as_email)
    items = session.items(ids)
    authorize(session, items, "classify", Status.CLASSIFIED.value)
    return items


# -- pemutakhiran ---------------------------------------------------------------------------


def revise(
    reg: Register, item_id: str, note: str, as_email: str | None, when: dt.datetime | None = None
) -> Result:
    """Pemutakhiran: an established item goes back to ``draf`` as a new revision; the site
    keeps showing the last established version until the new one is established."""
    session = Session(reg, as_email)
    with session.locked():
        item = session.items([item_id])[0]
        updates: dict[str, Any] = {"revisi": item.revision + 1, "rapat": None, "keputusan": None}
        if note.strip():
            updates["catatan"] = note.strip()
        moves = authorize(session, [item], "revise", Status.DRAFT.value, updates)
        return finish(
            session, moves, session.commit("revise", "kasubbag", moves, note=note, when=when)
        )
