"""Steps 4 to 6 of the SOP and withdrawal (SPEC.md section 2).

4 joint meeting: :func:`meeting`; 5 decree: :func:`establish`; 6 upload: :func:`publish`;
removal from the DIP by decree: :func:`withdraw`. The draft decree that step 5 presents is
printed by :mod:`dipctl.publish.paper`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dipctl.register import model, records, store
from dipctl.register.ids import record_id
from dipctl.register.model import Status
from dipctl.sop import kelengkapan
from dipctl.sop.step import Result, authorize, chosen, finish
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item, Meeting, Settings
    from dipctl.sop.inputs import MeetingSpec

__all__ = ["Result", "establish", "meeting", "publish", "withdraw"]


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

    kelengkapan.check_meeting(reg, spec)
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
            record: store.render_new(
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
) -> Result:
    """Step 5: the kepala establishes the determined items by decree."""
    kelengkapan.check_decree(number, date)
    session = Session(reg, as_email)
    with session.locked():
        items = chosen(session, ids, all_, Status.DETERMINED.value)
        decree_id = record_id(reg.decrees_dir, "sk-" + _slug(number))
        moves = authorize(
            session, items, "establish", Status.ESTABLISHED.value, {"keputusan": decree_id}
        )
        files = _decree_file(session, decree_id, "penetapan", number, date, items, "")
        commit = session.commit(
            "establish", "kepala", moves, files, trailers={"DIP-Decree": decree_id}, when=when
        )
        return finish(session, moves, commit, list(files))


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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "tanpa-nomor"


# -- step 6 and withdrawal ----------------------------------------------------------------


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
        items = chosen(session, ids, all_, Status.ESTABLISHED.value)
        moves = authorize(session, items, "publish", Status.PUBLISHED.value)
        kelengkapan.check_on_site(items, site)
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
) -> Result:
    """The kepala removes established items from the DIP by a decree of withdrawal."""
    kelengkapan.check_decree(number, date)
    reason = kelengkapan.return_note(reason)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        decree_id = record_id(reg.decrees_dir, "sk-" + _slug(number))
        moves = authorize(
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
        return finish(session, moves, commit, list(files))
