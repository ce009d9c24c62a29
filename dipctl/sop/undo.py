"""Correcting a mistake: ``dipctl undo`` reverses an item's latest step (issue 11 point 7).

A step taken with a wrong date or on the wrong item is reversed by a new commit, never by
rewriting history: the officer who took it (the same e-mail, still holding the step's role
at HEAD), or a kepala, puts each item's file back exactly as it was at the step's parent,
with a reason and the trailer ``DIP-Undoes: <the step's commit>``. Only while that step is
still the item's latest commit, and only the steps before establishment
(:data:`~dipctl.sop.workflow.UNDOABLE`); after it, ``revise`` and ``withdraw`` correct an
item. A meeting's record in ``rapat/`` stays as it is: records are never changed, the item
simply no longer refers to it. ``dipctl verify`` checks the same (its ``undo`` rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, NotAuthorized, Refused
from dipctl.register import store
from dipctl.sop import commits, kelengkapan, workflow
from dipctl.sop.step import Result, finish
from dipctl.sop.transaction import Move, Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item

__all__ = ["LatestStep", "undo"]

_FORMAT = "\x1e%H\x1f%ae\x1f%an\x1f%B"


@dataclass(frozen=True)
class LatestStep:
    """The latest commit that changed one item's file, and what it did to it."""

    item: Item
    sha: str
    email: str
    name: str
    action: str
    transition: workflow.Transition | None  # the step it made, when it is one
    before: bytes | None  # the file at the commit's parent


def undo(
    reg: Register,
    ids: Sequence[str],
    reason: str,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Result:
    """Reverse the latest step of every item in ``ids`` (all of them, or none)."""
    reason = kelengkapan.return_note(reason, reason=True)
    session = Session(reg, as_email)
    with session.locked():
        items = session.items(ids)
        dirty = session.repo.changed([item.path for item in items])
        if dirty:
            path = reg.relative(dirty[0])
            raise Refused("undo.dirty", path=path, hint="hint.revert_edit")
        latest = [latest_step(session, item) for item in items]
        role = _role(session, latest)
        moves, files = [], {}
        for found in latest:
            assert found.before is not None
            source = _status(found.before, found.item)
            back = workflow.find("undo", found.item.status, source, role)
            assert back is not None
            moves.append(Move(found.item, back))
            files[found.item.path] = found.before
        undone = list(dict.fromkeys(f.sha for f in latest))
        commit = session.commit_contents(
            "undo",
            role,
            moves,
            dict(files),
            note=reason,
            trailers={commits.UNDOES: undone},
            when=when,
        )
        return finish(session, moves, commit)


def latest_step(session: Session, item: Item) -> LatestStep:
    """The item's latest commit, refused unless it is a step that undo may reverse."""
    rel = session.reg.relative(item.path)
    log = session.repo.log_file(rel, _FORMAT)
    if not log:
        raise Refused("undo.not_a_step", id=item.id, commit="-", action="-", hint="hint.undo")
    sha, email, name, message = [*log[0][0].split("\x1f", 3), "", "", ""][:4]
    trailers = commits.trailers(message)
    action = trailers.get(commits.ACTION, [""])[0]
    params = {"id": item.id, "commit": sha[:10], "action": action or "phrase.unnamed_step"}
    if action in ("establish", "publish"):
        raise Refused("undo.established", **params, hint="hint.undo_established")
    before = session.repo.read_at(f"{sha}^", [rel])[rel] if action in workflow.UNDOABLE else None
    transition = None
    if before is not None and item.id in trailers.get(commits.ITEM, []):
        source = _status(before, item)
        transition = workflow.find(action, source, item.status)
    if transition is None:
        raise Refused("undo.not_a_step", **params, hint="hint.undo")
    return LatestStep(item, sha, email.lower(), name, action, transition, before)


def _status(raw: bytes, item: Item) -> str:
    """The status in an item file's content (from git)."""
    try:
        data: Any = store.parse(raw.decode("utf-8"), item.path)
    except (InvalidFile, UnicodeDecodeError):
        return ""
    return str(data.get("status", "")) if isinstance(data, dict) else ""


def _role(session: Session, latest: Sequence[LatestStep]) -> str:
    """The role the undo is taken as: the steps' own, when the actor took every one of them
    and still holds its role; else kepala, when the actor is one; else refused."""
    person = session.person
    roles = set()
    for found in latest:
        assert found.transition is not None
        role = found.transition.role
        if found.email == person.email and person.may_act_for(role, found.item.unit):
            roles.add(role)
            continue
        if workflow.UNDO_OVERRIDE in person.roles:
            return workflow.UNDO_OVERRIDE
        raise NotAuthorized(
            "undo.not_author",
            id=found.item.id,
            email=person.email,
            action=found.action,
            commit=found.sha[:10],
            author=f"{found.name} <{found.email}>",
            role=role,
            hint="hint.undo_who",
        )
    if len(roles) > 1:
        if workflow.UNDO_OVERRIDE in person.roles:
            return workflow.UNDO_OVERRIDE
        raise Refused("undo.mixed", roles=", ".join(sorted(roles)), hint="hint.undo")
    return roles.pop()
