"""The read-side use-cases: list, show, status, validate. Plain values in, plain values out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl import model, store, workflow
from dipctl.errors import InvalidFile, ItemNotFound, UsageError
from dipctl.model import Decree, Item

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.checks import Problem
    from dipctl.config import Register


def _to_item(data: Any, path: Path) -> Item:
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return Item.from_mapping(data, path)


#: Names the shape of cached items: a change to :class:`Item` invalidates old caches.
_ITEM_TAG = "Item:" + ",".join(f.name for f in dataclasses.fields(Item))


def load_items(reg: Register) -> list[Item]:
    """Every item of the register, sorted by id (fast path: C loader plus cache)."""
    items = store.load_items(reg.items_dir, reg.cache_file, _to_item, _ITEM_TAG)
    return sorted(items, key=lambda i: i.id)


def load_decrees(reg: Register) -> dict[str, Decree]:
    decrees = {}
    for path in store.iter_yaml(reg.decrees_dir):
        data = store.load(path)
        if isinstance(data, dict):
            decree = Decree.from_mapping(data, path)
            decrees[decree.id] = decree
    return decrees


def find_item(reg: Register, item_id: str) -> Item:
    """The item ``item_id``; looks at its likely path first, then at all items."""
    for item in load_items(reg):
        if item.id == item_id or item.path.stem == item_id:
            return item
    raise ItemNotFound("item.not_found", id=item_id)


def _check_choice(option: str, value: str | None, choices: tuple[str, ...] | list[str]) -> None:
    if value is not None and value not in choices:
        raise UsageError("usage.bad_choice", option=option, value=value, choices=", ".join(choices))


def list_items(
    reg: Register,
    status: str | None = None,
    unit: str | None = None,
    category: str | None = None,
) -> list[Item]:
    _check_choice("--status", status, model.STATUSES)
    _check_choice("--unit", unit, sorted(reg.settings.units))
    _check_choice("--category", category, model.CATEGORIES)
    return [
        item
        for item in load_items(reg)
        if (status is None or item.status == status)
        and (unit is None or item.unit == unit)
        and (category is None or item.category == category)
    ]


def validate(reg: Register) -> list[Problem]:
    from dipctl import validate as validation  # only validate needs the line-aware checks

    return validation.validate(reg)


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
        if step is not None:
            report.waiting[(step.role, step.action)].append(item.id)
        report.warnings += _warnings(item, decrees, settings, today)
    return report


def _warnings(
    item: Item, decrees: dict[str, Decree], settings: model.Settings, today: dt.date
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
