"""Who may edit an item by hand, and when (SPEC.md section 2, "Who may edit").

An officer may change an item with an editor or plain git and let the next step commit the
change. :func:`hand_edits` compares the working file with HEAD; :func:`check_edits`
refuses changes to managed fields, and content changes by anyone but the editor that the
item's status (at HEAD) names: the kasubbag in ``draf``/``dikembalikan``, the sekretaris in
``diajukan`` ("untuk dikoreksi"), the PPID Pembantu in ``diteruskan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl import model, workflow
from dipctl.errors import Refused

if TYPE_CHECKING:
    from dipctl.model import Person

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


def check_edits(edit: HandEdit, person: Person) -> None:
    """Refuse ``edit`` unless ``person`` may make it (managed fields: nobody)."""
    where = f"{edit.path}:{','.join(str(n) for n in edit.lines)}"
    if edit.managed:
        raise Refused(
            "edit.managed",
            where=where,
            id=edit.item,
            keys=", ".join(edit.managed),
            path=edit.path,
            hint="hint.revert_edit",
        )
    editor = workflow.EDITORS.get(edit.status)
    if editor is None or not person.may_act_for(editor, edit.unit):
        raise Refused(
            "edit.not_allowed",
            where=where,
            id=edit.item,
            status=edit.status,
            keys=", ".join(edit.keys),
            editor=editor or "-",
            email=person.email,
            path=edit.path,
            hint="hint.revert_edit",
        )
