"""Periods in months, and an item's own freshness: ``pembaruan`` (issue 13, SPEC.md 1 and 3).

Two clocks, both counted in calendar months:

- the whole DIP (``register.yaml`` ``pemutakhiran.siklus``, default 12 bulan): the next
  decree is due that long after the DIP decree in force;
- the information itself (an item's ``pembaruan``): its current edition (``edisi``, the date
  of the LRA, LKjIP, Renstra … it points to) and how often a new one comes out (``periode``,
  default ``pemutakhiran.berkala``, 6 bulan: UU 14/2008 Pasal 9). The next edition is due at
  ``edisi + periode``.

Nothing here reads a clock: callers pass ``today``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from dipctl.register import checks, model

if TYPE_CHECKING:
    from dipctl.register.checks import FileCheck, Verdict

_MONTHS_RE = re.compile(r"^\s*([0-9]{1,4})\s*(bulan|tahun)\s*$")
_DATE_RE = re.compile(model.DATE_PATTERN)
#: A period longer than a century is a typing mistake, not a plan.
MAX_MONTHS = 1200


def months(text: object) -> int | None:
    """``"12 bulan"`` -> 12, ``"5 tahun"`` -> 60; None for anything else (zero, days, junk)."""
    if not isinstance(text, str):
        return None
    match = _MONTHS_RE.match(text)
    if not match:
        return None
    count = int(match.group(1)) * (12 if match.group(2) == "tahun" else 1)
    return count if 1 <= count <= MAX_MONTHS else None


def add_months(day: dt.date, count: int) -> dt.date:
    """``day`` plus ``count`` calendar months, the day clamped to the month's last day
    (31 January + 1 month = 28 or 29 February); the last representable day on overflow."""
    index = day.year * 12 + day.month - 1 + count
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def shown(value: object) -> str:
    """A value as an error message may quote it: short, one line, no control characters."""
    return str(checks._shown(value))


def check_months(value: Any) -> Verdict:
    """A period in months or years (``siklus``, ``berkala``, ``pembaruan.periode``)."""
    return None if months(value) is not None else ("freshness.months", {"value": value})


def edition_day(value: object) -> dt.date | None:
    """The day of a well-formed ``edisi`` ("2025-12-31"), else None."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def next_edition(edition: str, period: str, default_period: str) -> dt.date | None:
    """When the next edition is due: ``edisi`` + ``periode`` (or ``default_period``); None
    when either is unusable (validate says which)."""
    day = edition_day(edition)
    count = months(period or default_period)
    return add_months(day, count) if day is not None and count is not None else None


def check_freshness(fc: FileCheck, value: Any, today: dt.date) -> None:
    """``pembaruan`` of an item file: a mapping with a quoted ISO ``edisi`` not in the
    future, and an optional ``periode`` in months or years."""
    where = ("pembaruan",)
    if not checks.check_mapping(fc, where, value):
        return
    checks.check_keys(fc, value, where, model.FRESHNESS_KEYS)
    period = value.get("periode")
    if period is not None:
        checks.check_value(fc, (*where, "periode"), period, check_months)
    edition = value.get("edisi")
    if edition is None or edition == "":
        fc.report(where, "key.missing", key="edisi")
        return
    if checks.check_date(edition) == ("value.date_unquoted", {}):
        fc.report((*where, "edisi"), "value.date_unquoted")
        return
    day = edition_day(edition)
    if day is None:
        fc.report((*where, "edisi"), "freshness.edition", value=edition)
    elif day > today:
        fc.report((*where, "edisi"), "freshness.edition_future", value=edition)
