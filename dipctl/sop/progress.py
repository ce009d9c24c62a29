"""``dipctl status``: where every item stands in the SOP, who is awaited with which step,
and what is overdue (SPEC.md section 5). Read-only: nothing here writes or commits."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.register import model
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import decree, workflow

if TYPE_CHECKING:
    from dipctl.register import records
    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item


@dataclass(frozen=True)
class Warning:
    item: str
    key: str
    params: dict[str, Any]


@dataclass
class StatusReport:
    total: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_unit: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    waiting: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: list[Warning] = field(default_factory=list)
    #: "dip" / "dik" -> (id, nomor, tanggal) of the decree of that list in force
    in_force: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def status(reg: Register, today: dt.date) -> StatusReport:
    """Counts per status and unit, who each waiting item waits for, and what is overdue."""
    settings = reg.settings
    decrees = load_decrees(reg)
    report = StatusReport()
    for item in load_items(reg):
        report.total += 1
        report.by_status[item.status] += 1
        report.by_unit[item.unit][item.status] += 1
        step = workflow.next_step(item.status)
        if step is not None and step.action == "establish" and item.category == model.EXEMPT:
            step = next(t for t in workflow.actions_into("approve"))
        if step is not None:
            report.waiting[(step.role, step.action)].append(item.id)
        report.warnings += _warnings(item, decrees, settings, today)
    for key, dik in (("dip", False), ("dik", True)):
        found = decree.in_force(decrees, dik)
        if found is not None:
            report.in_force[key] = (found.id, found.number, found.date)
    return report


def _warnings(
    item: Item, decrees: dict[str, Decree], settings: records.Settings, today: dt.date
) -> list[Warning]:
    found = []
    decree = decrees.get(item.decree)
    established = _date(decree.date) if decree else None
    if item.established and established is not None:
        age = _months_between(established, today)
        if age >= settings.cycle_months:
            found.append(
                Warning(
                    item.id,
                    "warn.cycle",
                    {"since": decree.date if decree else "", "months": settings.cycle_months},
                )
            )
        elif item.category == "berkala" and age >= settings.periodic_months:
            found.append(
                Warning(
                    item.id,
                    "warn.periodic",
                    {"since": decree.date if decree else "", "months": settings.periodic_months},
                )
            )
    if item.exemption and item.established:
        ends = _date(item.exemption.ends)
        if ends is not None and ends < today:
            found.append(Warning(item.id, "warn.exemption_ended", {"ends": item.exemption.ends}))
    return found
