"""The SOP *Penetapan dan Pemutakhiran DIP*, one function per command (SPEC.md section 2).

1 collect: :func:`new`, :func:`submit`; 2 review: :func:`review`; 3 classify:
:func:`classify`; 4 joint meeting: :func:`meeting`; 5 decree: :func:`decree_draft`,
:func:`establish`; 6 upload: :func:`publish`; pemutakhiran: :func:`revise`,
:func:`withdraw`. Each decides every item before anything is written, then makes exactly
one commit through :class:`~dipctl.transaction.Session`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl import edits, kelengkapan, model, store, workflow
from dipctl.errors import OutputFailed, Refused, UsageError
from dipctl.model import Item, Status
from dipctl.naming import new_item_id, record_id
from dipctl.transaction import Move, Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from dipctl.config import Register


@dataclass(frozen=True)
class Result:
    commit: str
    moves: tuple[tuple[str, str, str], ...]  # (id, from, to)
    files: tuple[str, ...] = ()


def _finish(
    session: Session, moves: Sequence[Move], commit: str, files: Sequence[Path] = ()
) -> Result:
    return Result(
        commit,
        tuple((m.item.id, m.item.status, m.transition.target) for m in moves),
        tuple(session.reg.relative(p) for p in files),
    )


def _step(
    session: Session,
    items: Sequence[Item],
    action: str,
    target: str | Callable[[Item], str],
    updates: dict[str, Any] | None = None,
) -> list[Move]:
    """Authorize every item (refusing the whole command on the first that fails).

    Hand edits are checked first: a status forged in the work tree is refused as an edit
    of a managed field, never taken for the item's real status.
    """
    hand_edits = session.hand_edits(items)
    moves = [
        Move(
            item,
            session.authorize(item, action, target if isinstance(target, str) else target(item)),
            dict(updates or {}),
        )
        for item in items
    ]
    for edit in hand_edits:
        edits.check_editor(edit, session.person)
    return moves


# -- step 1: collect -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    unit: str
    title: str
    summary: str = ""
    responsible: str = ""
    made: str = ""
    place: str = ""
    forms: Sequence[str] = ()
    retention: str = ""
    item_id: str | None = None


def new(reg: Register, spec: NewItem, as_email: str | None, when: dt.datetime | None = None) -> str:
    """Step 1: a ``draf`` item in its unit's folder, committed as the unit's kasubbag."""
    session = Session(reg, as_email)
    kelengkapan.check_new(reg, spec.unit, spec.title, spec.made, spec.forms)
    transition = workflow.actions_into("new")[0]
    session.authorize_new(transition, spec.unit)
    with session.locked():
        item_id = new_item_id(spec.item_id, spec.title, reg)
        path = reg.item_path(spec.unit, item_id)
        text = store.render_new(
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
        moves = _step(session, items, "submit", Status.SUBMITTED.value)
        for item in items:
            kelengkapan.check_perki(reg, item)
        return _finish(
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
        moves = _step(session, session.items(ids), "review", target, updates)
        return _finish(
            session, moves, session.commit("review", "sekretaris", moves, note=note, when=when)
        )


def classify(
    reg: Register,
    ids: Sequence[str],
    category: str | None,
    exemption: Path | None,
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
            moves = _step(session, items, "classify", Status.RETURNED.value, updates)
        else:
            moves = _step(session, items, "classify", Status.CLASSIFIED.value)
            test = kelengkapan.exemption_file(exemption) if exemption else None
            for move in moves:
                move.updates |= kelengkapan.classification(reg, move.item, category, test)
        return _finish(
            session, moves, session.commit("classify", "ppid_pembantu", moves, note=note, when=when)
        )


# -- step 4: the joint meeting -------------------------------------------------------------


@dataclass(frozen=True)
class MeetingSpec:
    date: str
    place: str
    attendees: Sequence[str]
    softcopy: str
    hardcopy: str
    rejects: Sequence[str] = ()
    note: str = ""
    minutes: str = ""


def meeting(
    reg: Register,
    ids: Sequence[str],
    spec: MeetingSpec,
    as_email: str | None,
    lang: str = "id",
    when: dt.datetime | None = None,
) -> Result:
    """Step 4: the PPID Pembantu records the joint meeting that determines the DIP."""
    from dipctl import paper  # jinja2 is loaded only by the commands that print paper

    kelengkapan.check_meeting(reg, spec)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items([*ids, *spec.rejects])
        rejected = set(spec.rejects)
        moves = _step(
            session,
            items,
            "meeting",
            lambda i: Status.RETURNED.value if i.id in rejected else Status.DETERMINED.value,
        )
        meeting_id = record_id(reg.meetings_dir, f"{spec.date}-penentuan-dip")
        for move in moves:
            move.updates = (
                {"catatan": kelengkapan.return_note(spec.note)}
                if move.item.id in rejected
                else {"rapat": meeting_id}
            )
        document = kelengkapan.meeting_document(meeting_id, spec, moves)
        record = reg.meetings_dir / f"{meeting_id}.yaml"
        printable = reg.meetings_dir / f"{meeting_id}.html"
        files = {
            record: store.render_new(
                document, model.MODELINE.format(schema="../rapat.schema.json")
            ),
            printable: paper.render_minutes(
                reg.settings, model.Meeting.from_mapping(document, record), items, lang
            ),
        }
        commit = session.commit(
            "meeting",
            "ppid_pembantu",
            moves,
            files,
            note=spec.note,
            trailers={"DIP-Meeting": meeting_id},
            when=when,
        )
        return _finish(session, moves, commit, list(files))


# -- step 5: the decree --------------------------------------------------------------------


def decree_draft(reg: Register, number: str, date: str, out: Path, lang: str = "id") -> Path:
    """The printable draft SK for every ``ditentukan`` item; nothing is committed."""
    from dipctl import paper
    from dipctl.actions import load_items

    items = [i for i in load_items(reg) if i.status == Status.DETERMINED.value]
    if not items:
        raise Refused("refused.nothing_determined", hint="hint.status")
    decree = kelengkapan.decree(
        reg, "draf", "penetapan", number, date, None, [i.id for i in items], ""
    )
    html = paper.render_decree_draft(
        reg.settings, model.Decree.from_mapping(decree, out), items, lang
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        store.write_atomic(out, html)
    except OSError as exc:
        raise OutputFailed("output.failed", path=out, detail=exc.strerror or str(exc)) from exc
    return out


def establish(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    number: str,
    date: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Step 5: the kepala establishes the determined items by decree."""
    kelengkapan.check_decree(number, date)
    session = Session(reg, as_email)
    with session.locked():
        items = _chosen(session, ids, all_, Status.DETERMINED.value)
        decree_id = record_id(reg.decrees_dir, "sk-" + _slug(number))
        moves = _step(
            session, items, "establish", Status.ESTABLISHED.value, {"keputusan": decree_id}
        )
        files = _decree_file(session, decree_id, "penetapan", number, date, items, "")
        commit = session.commit(
            "establish", "kepala", moves, files, trailers={"DIP-Decree": decree_id}, when=when
        )
        return _finish(session, moves, commit, list(files))


def _decree_file(
    session: Session,
    decree_id: str,
    kind: str,
    number: str,
    date: str,
    items: Sequence[Item],
    reason: str,
) -> dict[Path, str]:
    """``keputusan/<id>.yaml`` of an establishment or a withdrawal, signed by the actor."""
    reg = session.reg
    document = kelengkapan.decree(
        reg, decree_id, kind, number, date, session.person.email, [i.id for i in items], reason
    )
    header = model.MODELINE.format(schema="../keputusan.schema.json")
    return {reg.decrees_dir / f"{decree_id}.yaml": store.render_new(document, header)}


def _chosen(session: Session, ids: Sequence[str], all_: bool, status: str) -> list[Item]:
    if all_ and ids:
        raise UsageError("usage.ids_or_all")
    if all_:
        items = session.items_in(status)
        if not items:
            raise Refused("refused.none_in_status", status=status, hint="hint.status")
        return items
    return session.items(ids)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "tanpa-nomor"


# -- step 6 and pemutakhiran ---------------------------------------------------------------


def publish(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    url: str,
    site: Path,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Step 6: the PPID Pembantu records that the established items are on the website."""
    kelengkapan.check_url(url)
    session = Session(reg, as_email)
    with session.locked():
        items = _chosen(session, ids, all_, Status.ESTABLISHED.value)
        moves = _step(session, items, "publish", Status.PUBLISHED.value)
        kelengkapan.check_on_site(items, site)
        commit = session.commit(
            "publish", "ppid_pembantu", moves, trailers={"DIP-URL": url}, when=when
        )
        return _finish(session, moves, commit)


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
        moves = _step(session, [item], "revise", Status.DRAFT.value, updates)
        return _finish(
            session, moves, session.commit("revise", "kasubbag", moves, note=note, when=when)
        )


def withdraw(
    reg: Register,
    ids: Sequence[str],
    number: str,
    date: str,
    reason: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """The kepala removes established items from the DIP by a decree of withdrawal."""
    kelengkapan.check_decree(number, date)
    reason = kelengkapan.return_note(reason)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        decree_id = record_id(reg.decrees_dir, "sk-" + _slug(number))
        moves = _step(
            session,
            items,
            "withdraw",
            Status.WITHDRAWN.value,
            {"keputusan": decree_id, "catatan": reason},
        )
        files = _decree_file(session, decree_id, "pencabutan", number, date, items, reason)
        commit = session.commit(
            "withdraw",
            "kepala",
            moves,
            files,
            note=reason,
            trailers={"DIP-Decree": decree_id},
            when=when,
        )
        return _finish(session, moves, commit, list(files))
