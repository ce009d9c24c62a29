"""Every rule of :data:`~dipctl.proof.registry.RULES` on one step of the walk."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from dipctl.proof.registry import IMPORT_CHECKED, RULES
from dipctl.proof.rules import imported_new

if TYPE_CHECKING:
    from dipctl.proof.step import Finding, Step


def check(step: Step) -> list[Finding]:
    """Every rule on an ordinary commit. On a kepala's import: the rules that still apply
    to it (`IMPORT_CHECKED`, `import` among them) on all of it, and every other rule but
    `trailers` on the items that are not new (those an import may not touch)."""
    if not step.imported:
        return [f for check in RULES.values() for f in check(step)]
    found = [f for r in IMPORT_CHECKED for f in RULES[r](step)]
    rest = [c for c in step.items if not imported_new(step, c)]
    if rest:
        others = dataclasses.replace(step, items=rest)
        skipped = {*IMPORT_CHECKED, "trailers"}
        found += [f for r, check in RULES.items() if r not in skipped for f in check(others)]
    return found
