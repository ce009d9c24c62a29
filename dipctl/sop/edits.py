"""Who may edit an item by hand, and when (SPEC.md section 2, "Who may edit").

An officer may change an item with an editor or plain git and let the next step commit the
change. :meth:`~dipctl.sop.transaction.Session.hand_edits` compares the working file with HEAD;
:func:`check_managed` refuses changes to managed fields, and :func:`check_editor` content
changes by anyone but the editor that the item's status (at HEAD) names: the kasubbag in
``draf``/``dikembalikan``, the sekretaris in ``diajukan`` ("untuk dikoreksi"), the PPID
Pembantu in ``diteruskan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused
from dipctl.register import model
from dipctl.sop import workflow

if TYPE_CHECKING:
    from dipctl.register.records import Person

MANAGED = tuple(f.key for f in model.ITEM_FIELDS if f.managed)


@dataclass(frozen=True)
class HandEdit:
    """The keys of one item file that differ between HEAD and the work tree."""

    item: str
    path: str
    status: str  # at HEAD
    unit: str
    keys: tuple[str, ...]
    lines: tuple[int, ...]

    @property
    def managed(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if k in MANAGED)


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    keys = list(dict.fromkeys([*before, *after]))
    return tuple(k for k in keys if before.get(k) != after.get(k))


def _where(edit: HandEdit) -> str:
    return f"{edit.path}:{','.join(str(n) for n in edit.lines)}"


def check_managed(edit: HandEdit) -> None:
    """Nobody sets a field that dipctl manages by hand (checked before anything else, so a
    forged ``status`` is never mistaken for the item's real one)."""
    if edit.managed:
        raise Refused(
            "edit.managed",
            where=_where(edit),
            id=edit.item,
            keys=", ".join(edit.managed),
            path=edit.path,
            hint="hint.revert_edit",
        )


def check_editor(edit: HandEdit, person: Person) -> None:
    """Refuse a content edit unless ``person`` is the editor that the item's status names."""
    editor = workflow.EDITORS.get(edit.status)
    if editor is None or not person.may_act_for(editor, edit.unit):
        raise Refused(
            "edit.not_allowed",
            where=_where(edit),
            id=edit.item,
            status=edit.status,
            keys=", ".join(edit.keys),
            editor=editor or "phrase.nobody_edits",
            email=person.email,
            path=edit.path,
            hint="hint.revert_edit",
        )
