"""``dipctl status``: where every item stands in the SOP, who is awaited with which step,
and what is overdue (SPEC.md section 5): the DIP's next pemutakhiran, the items whose next
edition is due, the exemptions that have ended (:mod:`dipctl.sop.cycle`). Read-only:
nothing here writes or commits."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.register import model
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import cycle as cycles
from dipctl.sop import decree, workflow

if TYPE_CHECKING:
    import datetime as dt

    from dipctl.register.config import Register


@dataclass(frozen=True)
class Warning:
    item: str
    key: str
    params: dict[str, Any]
    command: str = ""  # what to do: ``dipctl revise ID``, or for an exemption ``dipctl lift``


@dataclass
class StatusReport:
    total: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_unit: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    waiting: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[Warning] = field(default_factory=list)
    #: "dip" / "dik" -> (id, nomor, tanggal) of the decree of that list in force
    in_force: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: the DIP's pemutakhiran: last update, deadline, overdue (:func:`cycle.dip_cycle`)
    cycle: cycles.Cycle | None = None


def status(reg: Register, today: dt.date) -> StatusReport:
    """Counts per status and unit, who each waiting item waits for, and what is overdue."""
    settings = reg.settings
    decrees = load_decrees(reg)
    items = load_items(reg)
    report = StatusReport(cycle=cycles.dip_cycle(reg, settings, decrees, today))
    for item in items:
        report.total += 1
        report.by_status[item.status] += 1
        report.by_unit[item.unit][item.status] += 1
        step = workflow.next_step(item.status)
        if step is not None and step.action == "establish" and item.category == model.EXEMPT:
            step = next(t for t in workflow.actions_into("approve"))
        if step is not None:
            report.waiting[(step.role, step.action)].append(item.id)
    for key, dik in (("dip", False), ("dik", True)):
        found = decree.in_force(decrees, dik)
        if found is not None:
            report.in_force[key] = (found.id, found.number, found.date)
    report.warnings = [_warning(s) for s in cycles.stale(reg, settings, items, today)]
    return report


def _warning(found: cycles.Stale) -> Warning:
    if found.kind == "edition":
        params = {"edition": found.since, "period": found.period, "due": found.due}
        return Warning(found.item, "warn.edition", params, found.command)
    if found.kind == "exemption_ending":
        params = {"ends": found.since, "days": found.period}
        return Warning(found.item, "warn.exemption_ending", params, found.command)
    return Warning(found.item, "warn.exemption_ended", {"ends": found.since}, found.command)
