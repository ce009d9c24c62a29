"""What ``dipctl verify`` found, apart from the rules that found it: a checkpoint's answer
(:mod:`dipctl.proof.checkpoint`) loads without importing them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dipctl.proof.replay import Commit
    from dipctl.proof.step import Finding


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    commits: dict[str, Commit] = field(default_factory=dict)  # those with findings
    checked: int = 0
