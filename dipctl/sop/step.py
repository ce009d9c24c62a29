"""What every step shares: authorizing the items, and the result it reports.

A step decides every item before anything is written (one refusal refuses the whole command,
SPEC.md section 5), then makes exactly one commit through
:class:`~dipctl.sop.transaction.Session`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused, UsageError
from dipctl.sop import edits
from dipctl.sop.transaction import Move

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from dipctl.register.records import Item
    from dipctl.sop.transaction import Session


@dataclass(frozen=True)
class Result:
    commit: str
    moves: tuple[tuple[str, str, str], ...]  # (id, from, to)
    files: tuple[str, ...] = ()


def finish(
    session: Session, moves: Sequence[Move], commit: str, files: Sequence[Path] = ()
) -> Result:
    return Result(
        commit,
        tuple((m.item.id, m.item.status, m.transition.target) for m in moves),
        tuple(session.reg.relative(p) for p in files),
    )


def authorize(
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


def chosen(session: Session, ids: Sequence[str], all_: bool, status: str) -> list[Item]:
    if all_ and ids:
        raise UsageError("usage.ids_or_all")
    if all_:
        items = session.items_in(status)
        if not items:
            raise Refused("refused.none_in_status", status=status, hint="hint.status")
        return items
    return session.items(ids)
