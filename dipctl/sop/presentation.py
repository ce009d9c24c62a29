"""``dipctl decree present``: the draft decree presented to the signatory, a recorded event
that starts step 5's clock (SPEC.md section 2, issue 13.3).

After the joint meeting (step 4) the PPID Pembantu presents the draft SK DIP to the kepala
(or, with ``dik``, the consequence tests and the draft Penetapan DIK for the head's
approval). That moment is one commit by the PPID Pembantu that changes no item and writes
one record, ``penyampaian/<id>.yaml``: the kind of decree, the items it would establish,
its complete lampiran (as :func:`dipctl.sop.decree.document` builds it, exactly the list
``dipctl decree draft`` prints) and the lampiran's digest, which the commit also carries as
its ``DIP-Lampiran`` trailer. ``dipctl sla`` matches the decree to the latest presentation
whose lampiran it equals; ``dipctl verify`` (the ``present`` rule) checks the commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.errors import NotAuthorized, Refused, UsageError
from dipctl.register import model, roundtrip
from dipctl.register.digest import lampiran_digest as digest
from dipctl.register.ids import record_id
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import decree, workflow
from dipctl.sop.step import Result
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item

__all__ = ["ACTION", "DIGEST_TRAILER", "RECORD_TRAILER", "digest", "present", "record"]

ACTION = "present"
RECORD_TRAILER = "DIP-Presentation"
DIGEST_TRAILER = "DIP-Lampiran"
KINDS = model.PRESENTATION_KINDS  # what a presentation may present


def record(reg: Register, kind: str, items: Sequence[Item], presenter: str) -> dict[str, Any]:
    """The mapping of ``penyampaian/<id>.yaml`` (without its id)."""
    every = load_items(reg)
    ids = sorted(i.id for i in items)
    draft = decree.document(
        reg,
        every,
        load_decrees(reg),
        decree_id="draf",
        kind=kind,
        number="",
        date="",
        signer=None,
        adding=ids,
    )
    lampiran = list(draft.get("lampiran") or [])
    return {
        "jenis": kind,
        "disampaikan_oleh": presenter,
        "informasi": ids,
        "lampiran": lampiran,
        "lampiran_sha256": digest(lampiran).removeprefix("sha256:"),
    }


def present(
    reg: Register,
    ids: Sequence[str],
    all_: bool,
    dik: bool,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> tuple[Result, dict[str, Any]]:
    """The PPID Pembantu records that the draft decree of ``ids`` (``ditentukan`` items of
    one kind: public, or with ``dik`` exempt) was presented to the kepala: the commit, and
    the record it wrote."""
    event = workflow.event(ACTION)
    assert event is not None
    session = Session(reg, as_email)
    with session.locked():
        items = _chosen(session, ids, all_, dik, event)
        for item in items:
            _check(session, item, dik, event)
        kind = model.DIK_KIND if dik else "penetapan"
        document = record(reg, kind, items, session.person.email)
        record_key = record_id(reg.root / model.PRESENTATIONS_DIR, f"penyampaian-{kind}")
        path = reg.root / model.PRESENTATIONS_DIR / f"{record_key}.yaml"
        text = roundtrip.render_new({"id": record_key, **document}, "")
        commit = session.commit_contents(
            ACTION,
            event.role,
            [],
            {path: text.encode("utf-8")},
            trailers={
                "DIP-Item": document["informasi"],
                RECORD_TRAILER: record_key,
                DIGEST_TRAILER: f"sha256:{document['lampiran_sha256']}",
            },
            when=when,
            subject=f"{_who(document['informasi'])} {kind}",
        )
        return Result(commit, (), (reg.relative(path),)), document


def _who(ids: Sequence[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{len(ids)} informasi"


def _chosen(
    session: Session, ids: Sequence[str], all_: bool, dik: bool, event: workflow.Event
) -> list[Item]:
    if all_ and ids:
        raise UsageError("usage.ids_or_all")
    if not all_:
        return session.items(ids)
    found = [i for i in session.items_in(event.sources[0]) if (i.category == model.EXEMPT) == dik]
    if not found:
        approved = session.items_in(model.Status.APPROVED.value) if dik else []
        if approved:
            _too_late(approved)
        raise Refused("refused.none_in_status", status=event.sources[0], hint="hint.status")
    return found


def _too_late(approved: Sequence[Item]) -> None:
    """The DIK's draft is presented before the head's approval (SPEC.md section 2: a
    presentation names ``ditentukan`` items; step 5's clock runs from it through ``approve``
    to ``exempt``): after it, the refusal says so and names the next step."""
    ids = ", ".join(i.id for i in approved[:5]) + (" …" if len(approved) > 5 else "")
    raise Refused("refused.present_approved", ids=ids, hint="hint.present_approved")


def _next(item: Item) -> str:
    moves = workflow.next_moves(item.status)
    usage = [f"{t.role}: {workflow.USAGE[t.action].format(id=item.id)}" for t in moves]
    return "; ".join(usage) or "-"


def _check(session: Session, item: Item, dik: bool, event: workflow.Event) -> None:
    """The item is ``ditentukan``, of the kind presented, and the officer holds the role."""
    if item.status not in event.sources:
        if dik and item.status == model.Status.APPROVED.value:
            _too_late([item])
        raise Refused(
            "refused.status",
            id=item.id,
            status=item.status,
            action="decree present",
            next=_next(item),
            hint="hint.status",
        )
    if (item.category == model.EXEMPT) != dik:
        key = "refused.present_exempt" if not dik else "refused.present_public"
        raise Refused(key, id=item.id, hint="hint.present")
    if not session.person.may_act_for(event.role, item.unit):
        who = ", ".join(
            f"{p.name} <{p.email}>" for p in session.reg.settings.people_with(event.role)
        )
        raise NotAuthorized(
            "refused.role", id=item.id, email=session.person.email, role=event.role,
            unit=item.unit, action="decree present", who=who or "-", hint="hint.who_may",
        )  # fmt: skip
