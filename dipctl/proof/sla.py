"""``dipctl sla``: each bounded SOP step measured by its own clock, against the mutu baku
(SPEC.md section 2; the clocks are defined in :mod:`dipctl.proof.clocks`).

:func:`measure` gives every step of the history; :func:`summary` gives the figures per
step, per unit and per officer for a period, the one function that ``dipctl sla``, the
site's SOP page, the pemutakhiran report and the e-Monev pack share, so all of them count
alike. A bounded step is *measured* (its clock's start and stop are recorded), *within* or
*late* against the mutu baku in force when it was taken, or *not measured* with a reason;
steps 1–3, the head's ``approve`` (inside step 5's clock of the DIK) and pemutakhiran have
no mutu baku.
"""

from __future__ import annotations

import datetime as dt
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from dipctl.proof import clock_cache
from dipctl.proof.clocks import JSON_KEYS, MOVES, REASONS, SOP_STANDARDS, StepTime, standards_of
from dipctl.register import model
from dipctl.sop import workflow

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dipctl.register.config import Register

__all__ = [
    "MOVES",
    "REASONS",
    "SOP_STANDARDS",
    "Figure",
    "SlaReport",
    "StepTime",
    "Summary",
    "measure",
    "summary",
    "summary_document",
]


def _key(name: str) -> dict[str, str]:
    return {"json": name}


@dataclass(frozen=True)
class Figure:
    """The bounded steps of one SOP step, one unit or one officer."""

    key: str  # the mutu_baku key, the unit key, or the officer's email
    name: str = field(metadata=_key("nama"))  # the step's number, unit's or person's name
    steps: int = field(metadata=_key("langkah"))  # bounded steps taken
    measured: int = field(metadata=_key("diukur"))
    within: int = field(metadata=_key("sesuai"))
    late: int = field(metadata=_key("terlambat"))
    unmeasured: int = field(metadata=_key("tidak_diukur"))
    median: int | None = field(metadata=_key("median_detik"))  # None: nothing measured
    longest: int | None = field(metadata=_key("maks_detik"))
    #: per step only: the standard in force now
    bound_text: str = field(default="", metadata=_key("batas"))
    bound_seconds: int | None = field(default=None, metadata=_key("batas_detik"))


@dataclass(frozen=True)
class Summary:
    """The mutu baku achieved: the standards now, and the figures of the bounded steps."""

    standards: dict[str, str]  # mutu_baku key -> text, in SOP order
    per_step: list[Figure]  # rapat, penetapan, pengunggahan (steps 4, 5, 6)
    per_unit: list[Figure]
    per_person: list[Figure]
    start: dt.date | None = None  # the period counted (by the step's commit date)
    end: dt.date | None = None

    @property
    def measured(self) -> int:
        return sum(f.measured for f in self.per_step)

    @property
    def missed(self) -> int:
        return sum(f.late for f in self.per_step)

    @property
    def unmeasured(self) -> int:
        return sum(f.unmeasured for f in self.per_step)


@dataclass
class SlaReport:
    steps: list[StepTime]  # by item id, then history order
    summary: Summary
    commits: int = 0

    @property
    def standards(self) -> dict[str, str]:
        return self.summary.standards

    @property
    def bounded(self) -> int:
        """Bounded steps measured by their clock."""
        return self.summary.measured

    @property
    def missed(self) -> int:
        """Steps that took longer than their mutu baku: the CLI exits 1 when not 0."""
        return self.summary.missed

    @property
    def by_unit(self) -> list[Figure]:
        return self.summary.per_unit

    @property
    def by_person(self) -> list[Figure]:
        return self.summary.per_person


#: A step's item (read in C: 112,000 steps a build)
_ITEM = operator.itemgetter(StepTime._fields.index("item"))


def measure(reg: Register, start: dt.date | None = None, end: dt.date | None = None) -> SlaReport:
    """Every step in the history, and the figures of the bounded steps taken between
    ``start`` and ``end`` (inclusive, by the date of the step's commit; None: unbounded)."""
    steps, count = clock_cache.walk(reg) if reg.git_dir is not None else ([], 0)
    steps.sort(key=_ITEM)  # stable: history order within an item
    return SlaReport(steps, _summary(reg, steps, start, end), count)


def by_item(reg: Register) -> tuple[dict[str, list[StepTime]], Summary]:
    """Every step in the history by item (in history order, as :func:`measure` orders them)
    and the figures per step of the whole history, for the site: no figures per unit or
    per officer, which it does not show, and no sort of 112,000 steps."""
    steps, _ = clock_cache.walk(reg) if reg.git_dir is not None else ([], 0)
    found: dict[str, list[StepTime]] = {}
    for step in steps:
        found.setdefault(step.item, []).append(step)
    return found, _summary(reg, steps, None, None, groups=False)


def summary(reg: Register, start: dt.date | None = None, end: dt.date | None = None) -> Summary:
    """The mutu baku achieved between ``start`` and ``end`` (inclusive; None: the whole
    history): per step, per unit, per officer. Stable: for the site's SOP page, ``dipctl
    pemutakhiran`` and ``dipctl monev``; :func:`summary_document` is its JSON form."""
    return measure(reg, start, end).summary


def _summary(
    reg: Register,
    steps: list[StepTime],
    start: dt.date | None,
    end: dt.date | None,
    groups: bool = True,
) -> Summary:
    """The figures of the bounded steps between ``start`` and ``end``: per step, and per
    unit and per officer unless not ``groups`` (then those are empty)."""
    whole = start is None and end is None  # no date to read of each of 100,000 steps
    chosen = [s for s in steps if s.bound and (whole or _within(s, start, end))]
    units = reg.settings.units
    numbers = {c.standard: str(c.step) for c in workflow.CLOCKS}
    standards = standards_of(reg.settings.quality)
    # the steps by standard, by unit and by officer, in one pass (in their order)
    by_bound: dict[str, list[StepTime]] = defaultdict(list)
    by_unit: dict[str, list[StepTime]] = defaultdict(list)
    by_person: dict[str, list[StepTime]] = defaultdict(list)
    names: dict[str, str] = {}  # an officer's last name seen wins
    for s in chosen:
        by_bound[s.bound].append(s)
        if groups:
            by_unit[s.unit].append(s)
            by_person[s.email].append(s)
            names[s.email] = s.name
    per_step = [
        _figure(key, numbers[key], by_bound.get(key, []), standards[key]) for key in standards
    ]
    return Summary(
        standards=standards,
        per_step=per_step,
        per_unit=_tally(by_unit, {u: units.get(u, u) for u in by_unit}),
        per_person=_tally(by_person, names),
        start=start,
        end=end,
    )


def _within(step: StepTime, start: dt.date | None, end: dt.date | None) -> bool:
    day = dt.date.fromisoformat(step.date[:10])
    return (start is None or day >= start) and (end is None or day <= end)


def _figure(key: str, name: str, steps: Iterable[StepTime], bound: str = "") -> Figure:
    steps = list(steps)
    times: list[int] = []
    missed = unmeasured = 0
    for s in steps:  # StepTime's measured, missed and unmeasured, read once per step
        if s.seconds is not None and s.bound_seconds is not None:
            times.append(s.seconds)
            missed += s.seconds > s.bound_seconds
        elif s.bound:
            unmeasured += 1
    minutes = model.duration_minutes(bound) if bound else None
    return Figure(
        key,
        name,
        len(steps),
        len(times),
        len(times) - missed,
        missed,
        unmeasured,
        int(statistics.median(times)) if times else None,
        max(times) if times else None,
        bound,
        minutes * 60 if minutes is not None else None,
    )


def _tally(members: dict[str, list[StepTime]], names: dict[str, str]) -> list[Figure]:
    """Per group key (``names``: its name), sorted by key."""
    return [_figure(key, names[key], found) for key, found in sorted(members.items())]


# -- JSON -------------------------------------------------------------------------------


def _document(record: StepTime | Figure) -> dict[str, Any]:
    if isinstance(record, StepTime):
        values = {key: getattr(record, name) for name, key in JSON_KEYS.items()}
    else:
        values = {f.metadata["json"]: getattr(record, f.name) for f in fields(record) if f.metadata}
    return {key: None if value == "" else value for key, value in values.items()}


def summary_document(found: Summary) -> dict[str, Any]:
    """The summary in the register's vocabulary, durations in seconds (``sla --json``)."""
    clocks = {c.standard: c for c in workflow.CLOCKS}
    return {
        "periode": {
            "mulai": found.start.isoformat() if found.start else None,
            "sampai": found.end.isoformat() if found.end else None,
        },
        "mutu_baku": {
            key: {
                "teks": text,
                "detik": (model.duration_minutes(text) or 0) * 60,
                "langkah_sop": clocks[key].step,
                "mulai": clocks[key].start,
                "berhenti": list(clocks[key].stops),
            }
            for key, text in found.standards.items()
        },
        "per_langkah": [{"mutu_baku": f.key, **_document(f)} for f in found.per_step],
        "per_unit": [{"unit": f.key, **_bare(f)} for f in found.per_unit],
        "per_orang": [{"email": f.key, **_bare(f)} for f in found.per_person],
        "diukur": found.measured,
        "terlambat": found.missed,
        "tidak_diukur": found.unmeasured,
    }


def _bare(figure: Figure) -> dict[str, Any]:
    doc = _document(figure)
    del doc["batas"], doc["batas_detik"]
    return doc


def to_document(report: SlaReport) -> dict[str, Any]:
    """``dipctl sla --json``: every step, then the summary's figures."""
    return {
        "langkah": [
            {**_document(s), "terlambat": s.missed, "diukur": s.measured} for s in report.steps
        ],
        **summary_document(report.summary),
    }
