"""Steps 4 to 6 of the SOP and withdrawal (SPEC.md section 2).

4 joint meeting: :func:`meeting`; 5 decree: :func:`establish` (the DIP), :func:`approve` and
:func:`exempt` (the DIK, built by :mod:`dipctl.sop.decree`); 6 upload: :func:`publish`;
removal from the DIP by decree: :func:`withdraw`. The draft decree that step 5 presents is
printed by :mod:`dipctl.publish.paper`; the signed scans are :mod:`dipctl.sop.evidence`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.errors import Refused
from dipctl.register import model, records, roundtrip
from dipctl.register.ids import new_decree_id, record_id
from dipctl.register.model import Status
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import decree, kelengkapan, onsite
from dipctl.sop.step import Result, authorize, chosen, finish
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item, Meeting, Settings
    from dipctl.sop.inputs import MeetingSpec

__all__ = [
    "Result",
    "approve",
    "establish",
    "exempt",
    "meeting",
    "publish",
    "withdraw",
]


# -- step 4: the joint meeting -------------------------------------------------------------


def meeting(
    reg: Register,
    ids: Sequence[str],
    spec: MeetingSpec,
    as_email: str | None,
    minutes: Callable[[Settings, Meeting, Sequence[Item]], str],
    when: dt.datetime | None = None,
) -> Result:
    """Step 4: the PPID Pembantu records the joint meeting that determines the DIP."""

    spec = kelengkapan.check_meeting(reg, spec)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items([*ids, *spec.rejects])
        rejected = set(spec.rejects)
        moves = authorize(
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
            record: roundtrip.render_new(
                document, model.MODELINE.format(schema="../rapat.schema.json")
            ),
            printable: minutes(reg.settings, records.Meeting.from_mapping(document, record), items),
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
        return finish(session, moves, commit, list(files))


# -- step 5: the decree --------------------------------------------------------------------


def establish(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    number: str,
    date: str,
    as_email: str | None,
    when: dt.datetime | None = None,
    amend: bool = False,
) -> Result:
    """Step 5: the kepala establishes the determined public items by the DIP decree, whose
    lampiran is the complete DIP in force after it; exempt items take the DIK path."""
    session = Session(reg, as_email)
    with session.locked():
        if all_ and not ids:
            items = [i for i in session.items_in(Status.DETERMINED.value) if not _exempt(i)]
            if not items:
                raise Refused(
                    "refused.none_in_status", status=Status.DETERMINED.value, hint="hint.status"
                )
        else:
            items = chosen(session, ids, all_, Status.DETERMINED.value)
        exempt = [i.id for i in items if _exempt(i) and i.status == Status.DETERMINED.value]
        if exempt:
            raise Refused("refused.exempt_in_dip", ids=", ".join(exempt), hint="hint.dik")
        return _establish_by_decree(
            session, items, "establish", "kepala", "penetapan", number, date, amend, when
        )


def approve(
    reg: Register, ids: Sequence[str], as_email: str | None, when: dt.datetime | None = None
) -> Result:
    """Step 5 (DIK): the head approves the consequence tests of determined exempt items
    (Perki 1/2017 Pasal 4 ayat 3)."""
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        moves = authorize(session, items, "approve", Status.APPROVED.value)
        public = [i.id for i in items if not _exempt(i)]
        if public:
            raise Refused("refused.approve_public", ids=", ".join(public), hint="hint.dip")
        commit = session.commit("approve", "kepala", moves, when=when)
        return finish(session, moves, commit)


def exempt(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    number: str,
    date: str,
    as_email: str | None,
    when: dt.datetime | None = None,
    amend: bool = False,
) -> Result:
    """Step 5 (DIK): the PPID Pembantu issues the Penetapan DIK for approved exempt items;
    its lampiran is the complete DIK in force after it."""
    session = Session(reg, as_email)
    with session.locked():
        items = chosen(session, ids, all_, Status.APPROVED.value)
        return _establish_by_decree(
            session, items, "exempt", "ppid_pembantu", model.DIK_KIND, number, date, amend, when
        )


def _establish_by_decree(
    session: Session,
    items: Sequence[Item],
    action: str,
    role: str,
    kind: str,
    number: str,
    date: str,
    amend: bool,
    when: dt.datetime | None,
) -> Result:
    """Step 5's commit, for the DIP decree (``establish``) and the Penetapan DIK
    (``exempt``) alike: the items become ``ditetapkan`` by a new decree of ``kind``."""
    decree_id = new_decree_id(session.reg.decrees_dir, number)
    moves = authorize(session, items, action, Status.ESTABLISHED.value, {"keputusan": decree_id})
    files = _decree_file(session, decree_id, kind, number, date, items, amend=amend)
    commit = session.commit(
        action, role, moves, files, trailers={"DIP-Decree": decree_id}, when=when
    )
    return finish(session, moves, commit, list(files))


def _exempt(item: Item) -> bool:
    return item.category == model.EXEMPT


def _decree_file(
    session: Session,
    decree_id: str,
    kind: str,
    number: str,
    date: str,
    items: Sequence[Item],
    reason: str = "",
    amend: bool = False,
    removing: bool = False,
) -> dict[Path, str]:
    """``keputusan/<id>.yaml`` of an establishment or a withdrawal, signed by the actor."""
    reg = session.reg
    decrees = load_decrees(reg)
    every = load_items(reg)
    decree.check(reg, number, date, [] if removing else items, decrees)
    ids = [i.id for i in items]
    document = decree.document(
        reg,
        every,
        decrees,
        decree_id=decree_id,
        kind=kind,
        number=number,
        date=date,
        signer=session.person.email,
        adding=() if removing else ids,
        removing=ids if removing else (),
        reason=reason,
        amend=amend,
    )
    header = model.MODELINE.format(schema="../keputusan.schema.json")
    return {reg.decrees_dir / f"{decree_id}.yaml": roundtrip.render_new(document, header)}


# -- step 6 and withdrawal ----------------------------------------------------------------


def publish(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    url: str,
    site: onsite.Source,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Step 6: the PPID Pembantu records that the established items are on the website
    (``site``: the published site at ``url``, or a built folder), each as established."""
    kelengkapan.check_url(url)
    session = Session(reg, as_email)
    with session.locked():
        items = chosen(session, ids, all_, Status.ESTABLISHED.value)
        moves = authorize(session, items, "publish", Status.PUBLISHED.value)
        onsite.check(items, site, reg.settings.units)
        commit = session.commit(
            "publish", "ppid_pembantu", moves, trailers={"DIP-URL": url}, when=when
        )
        return finish(session, moves, commit)


def withdraw(
    reg: Register,
    ids: Sequence[str],
    number: str,
    date: str,
    reason: str,
    as_email: str | None,
    when: dt.datetime | None = None,
    amend: bool = False,
) -> Result:
    """The kepala removes established items from the DIP by a decree whose lampiran no
    longer has them (revoking or amending the decree in force)."""
    kelengkapan.check_decree(number, date)
    reason = kelengkapan.return_note(reason, reason=True)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        exempt = [i.id for i in items if _exempt(i) and i.established]
        if exempt:
            raise Refused("refused.withdraw_exempt", ids=", ".join(exempt), hint="hint.status")
        decree_id = new_decree_id(reg.decrees_dir, number)
        moves = authorize(
            session,
            items,
            "withdraw",
            Status.WITHDRAWN.value,
            {"keputusan": decree_id, "catatan": reason},
        )
        files = _decree_file(
            session, decree_id, "pencabutan", number, date, items, reason, amend, removing=True
        )
        commit = session.commit(
            "withdraw",
            "kepala",
            moves,
            files,
            note=reason,
            trailers={"DIP-Decree": decree_id},
            when=when,
        )
        return finish(session, moves, commit, list(files))
