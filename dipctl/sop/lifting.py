"""Lifting an exemption (SPEC.md section 2, "update (DIK)"): ``dipctl lift``.

Information stays exempt only as long as its reason holds: the period of UU 14/2008 Pasal 20
ends, a Komisi Informasi or court decision opens it, or a new consequence test finds it may
be opened. The head's DIP decree cannot undo the PPID's Penetapan DIK (Perki 1/2017 Pasal 4
ayat 3-4), so the PPID Pembantu *menetapkan* it as public: a Penetapan DIK that amends the
one in force (its whole chain), whose lampiran no longer has the items (``mengeluarkan``),
stating why (``alasan``). In the same commit the items go from ``ditetapkan``/``diunggah``
(kategori ``dikecualikan``) to ``ditentukan`` with the public kategori chosen, their
consequence test removed (it stays in the history and in the Penetapan DIKs as issued), and
they enter the DIP with the head's next ``establish``. An item under revision whose last
established version is exempt, and that the PPID has classified public again, is lifted by
the decree alone (its file already says what the revision makes it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.errors import NotAuthorized, Refused, UsageError
from dipctl.register import chain, model, roundtrip
from dipctl.register.ids import new_decree_id
from dipctl.register.model import Status
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import decree, kelengkapan
from dipctl.sop.step import Result, authorize, finish
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item

__all__ = ["PUBLIC", "lift", "lift_document"]

#: The kategori a lifted item may take.
PUBLIC = tuple(c for c in model.CATEGORIES if c != model.EXEMPT)


def check_category(category: str) -> None:
    if category not in PUBLIC:
        raise UsageError(
            "usage.bad_choice", option="--category", value=category, choices=", ".join(PUBLIC)
        )


#: The statuses of an item under revision that the PPID has classified public again (step 3
#: or 4 done): its last established version may still be in the DIK in force.
REVISED = (Status.CLASSIFIED.value, Status.DETERMINED.value)


def revised(item: Item) -> bool:
    """Under revision, classified public again (no status move: only the decree)."""
    return item.status in REVISED and item.revision > 0 and item.category != model.EXEMPT


def refuse_unlisted(items: Sequence[Item], decrees: Mapping[str, Decree], category: str) -> None:
    """Only items that the Penetapan DIK in force lists are lifted: established exempt
    ones, or ones under revision that the PPID classified ``category`` since."""
    current = chain.in_force(decrees, dik=True)
    listed = set(current.items) if current is not None else set()
    for item in items:
        if revised(item) and item.category != category:
            raise UsageError(
                "usage.lift_category", id=item.id, category=item.category, option=category
            )
        if item.category != model.EXEMPT and not revised(item):
            raise Refused("refused.lift_public", id=item.id, hint="hint.lift_public")
        if item.id not in listed:
            number = current.number if current is not None else "-"
            raise Refused("refused.lift_unlisted", id=item.id, number=number, hint="hint.status")


def lift_document(
    reg: Register,
    lifted: Sequence[str],
    decrees: Mapping[str, Decree],
    *,
    decree_id: str,
    number: str,
    date: str,
    reason: str,
    signer: str | None,
) -> dict[str, object]:
    """The lift's Penetapan DIK (also what ``dipctl decree draft --lift`` prints): it
    amends the chain in force, its lampiran the DIK without ``lifted``."""
    return decree.document(
        reg,
        load_items(reg),
        decrees,
        decree_id=decree_id,
        kind=model.DIK_KIND,
        number=number,
        date=date,
        signer=signer,
        removing=lifted,
        reason=reason,
        amend=True,
    )


def lift(
    reg: Register,
    ids: Sequence[str],
    category: str,
    number: str,
    date: str,
    reason: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """The PPID Pembantu lifts the exemption of established exempt items: one commit with
    the Penetapan DIK that amends the DIK in force without them, and the items
    ``ditentukan`` as public information of ``category``."""
    check_category(category)
    kelengkapan.check_decree(number, date)
    reason = kelengkapan.return_note(reason, reason=True)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        decree_id = new_decree_id(reg.decrees_dir, number)
        updates = {"kategori": category, "pengecualian": None, "keputusan": decree_id}
        established = [i for i in items if not revised(i)]
        moves = authorize(session, established, "lift", Status.DETERMINED.value, updates)
        if not session.person.may_act_for("ppid_pembantu"):  # an item under revision
            people = reg.settings.people_with("ppid_pembantu")
            raise NotAuthorized(
                "refused.role", id=items[0].id, email=session.person.email,
                role="ppid_pembantu", unit="phrase.whole_agency", action="lift",
                who=", ".join(f"{p.name} <{p.email}>" for p in people) or "phrase.nobody",
                hint="hint.who_may",
            )  # fmt: skip
        decrees = load_decrees(reg)
        refuse_unlisted(items, decrees, category)
        decree.check(reg, number, date, [], decrees)
        document = lift_document(
            reg,
            [i.id for i in items],
            decrees,
            decree_id=decree_id,
            number=number,
            date=date,
            reason=reason,
            signer=session.person.email,
        )
        header = model.MODELINE.format(schema="../keputusan.schema.json")
        files = {reg.decrees_dir / f"{decree_id}.yaml": roundtrip.render_new(document, header)}
        commit = session.commit(
            "lift",
            "ppid_pembantu",
            moves,
            files,
            note=reason,
            trailers={"DIP-Decree": decree_id},
            when=when,
        )
        return finish(session, moves, commit, list(files))
