"""The yearly cycle and fresh information (issue 13; SPEC.md sections 1 and 3).

:func:`dip_cycle` is the one answer to "when was the DIP last updated, and by when must the
next pemutakhiran be decreed": the DIP was last updated on the date of the DIP decree in
force (:func:`dipctl.sop.decree.in_force`, the decree ``status`` and ``export`` name), and
the next is due ``pemutakhiran.siklus`` later (12 bulan when absent). ``status`` and the site
both use it.

:func:`stale` is what needs an officer's attention item by item: an established item whose
next edition (``pembaruan``: ``edisi`` + ``periode``) is overdue, and an exemption whose
``berakhir`` has passed. Each comes with the command that starts the item's pemutakhiran.
Nothing is flagged merely because time passed since an item's decree.

No clock is read here except in :func:`reference_day`, the build's day.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import InvalidFile, UsageError
from dipctl.register import freshness, model
from dipctl.sop import decree

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item, Settings

__all__ = ["Cycle", "Stale", "dip_cycle", "reference_day", "stale"]


@dataclass(frozen=True)
class Cycle:
    """The DIP's pemutakhiran clock on ``today``."""

    period: str  # pemutakhiran.siklus as written ("12 bulan")
    months: int
    decree: str = ""  # id of the DIP decree in force; "" when the DIP was never established
    number: str = ""
    last: str = ""  # ISO date: the last pemutakhiran (the decree's date)
    deadline: str = ""  # ISO date: the next pemutakhiran is due on or before it
    overdue: bool = False  # today is after the deadline
    days: int = 0  # days left until the deadline (negative: days overdue)


@dataclass(frozen=True)
class Stale:
    """One item that waits for its pemutakhiran."""

    item: str
    kind: str  # "edition": the next edition is overdue; "exemption_ended", "exemption_ending"
    since: str  # ISO date: the edition, or the exemption's berakhir
    due: str  # ISO date the next edition was due ("" for an exemption)
    period: str  # the edition period used ("1 tahun"); an ending exemption: working days left

    @property
    def command(self) -> str:
        if self.kind.startswith("exemption"):  # the PPID lifts it (SPEC.md section 2)
            return f"dipctl lift {self.item} --category KATEGORI --number N --date D -m ALASAN"
        return f"dipctl revise {self.item}"


#: An exemption is shown this many working days before its ``berakhir`` (a PPID may
#: establish it as public at most 30 working days before the end, e.g. Permenpora 14/2023
#: Pasal 55).
NOTICE_WORKING_DAYS = 30


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end`` (public holidays
    are not known to dipctl and count as working days)."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    extra = sum(1 for n in range(1, rest + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    return weeks * 5 + extra


def _months(settings: Settings, reg: Register | None, key: str) -> int:
    text = settings.cycle_text if key == "siklus" else settings.periodic_text
    found = freshness.months(text)
    if found is None:
        path = reg.config_file if reg is not None else model.REGISTER_FILE
        raise InvalidFile(
            "cycle.bad_setting", path=path, field=f"pemutakhiran.{key}", value=freshness.shown(text)
        )
    return found


def dip_cycle(
    reg: Register | None, settings: Settings, decrees: Mapping[str, Decree], today: dt.date
) -> Cycle:
    """Last update, deadline and whether it is overdue, from the DIP decree in force.

    An unusable ``pemutakhiran.siklus`` is an error naming register.yaml and the field
    (:class:`InvalidFile`, exit 4), never a silent default."""
    count = _months(settings, reg, "siklus")
    current = decree.in_force(decrees, dik=False)
    day = _day(current.date) if current is not None else None
    if current is None or day is None:
        return Cycle(settings.cycle_text, count)
    deadline = freshness.add_months(day, count)
    return Cycle(
        settings.cycle_text,
        count,
        decree=current.id,
        number=current.number,
        last=day.isoformat(),
        deadline=deadline.isoformat(),
        overdue=today > deadline,
        days=(deadline - today).days,
    )


def stale(
    reg: Register | None, settings: Settings, items: Iterable[Item], today: dt.date
) -> list[Stale]:
    """Established items whose next edition is overdue, and exemptions that have ended or
    end within :data:`NOTICE_WORKING_DAYS` working days, sorted by item id."""
    default = settings.periodic_text
    _months(settings, reg, "berkala")  # an unusable default is an error, not "never due"
    found: list[Stale] = []
    for item in items:
        if not item.established:
            continue  # under way (a revision has started) or not yet in the DIP
        if item.exemption is not None and item.category == model.EXEMPT:
            ends = _day(item.exemption.ends)
            if ends is not None and ends < today:
                found.append(Stale(item.id, "exemption_ended", ends.isoformat(), "", ""))
            elif ends is not None and working_days(today, ends) <= NOTICE_WORKING_DAYS:
                left = str(working_days(today, ends))
                found.append(Stale(item.id, "exemption_ending", ends.isoformat(), "", left))
            continue
        if not item.edition:
            continue  # no edition named: nothing to judge
        due = freshness.next_edition(item.edition, item.update_period, default)
        if due is not None and due < today:
            period = item.update_period or default
            found.append(Stale(item.id, "edition", item.edition, due.isoformat(), period))
    return sorted(found, key=lambda s: (s.item, s.kind))


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def reference_day() -> dt.date:
    """The day the site is built for: ``SOURCE_DATE_EPOCH`` (seconds since the epoch, UTC)
    when it is set, as reproducible builds set it, else today. Two builds of one commit with
    the same ``SOURCE_DATE_EPOCH`` are byte-identical; without it, they differ only when a
    deadline passed between them (the "overdue" mark)."""
    stated = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not stated:
        return dt.datetime.now(dt.UTC).astimezone().date()
    try:
        return dt.datetime.fromtimestamp(int(stated), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError("cycle.bad_epoch", value=freshness.shown(stated)) from None
