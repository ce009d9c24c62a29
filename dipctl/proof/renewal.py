"""``dipctl pemutakhiran``: what a period changed in the DIP and the DIK, read from git
history (issue 13; the yearly e-Monev asks for proof of pemutakhiran).

One walk over the register's history (one ``git log``, one ``git cat-file --batch``: the
machinery of :mod:`dipctl.proof.replay`, as ``verify`` and ``sla`` use it) records:

- items **established** for the first time, **revised** (established again after
  ``revise``) and **withdrawn**, each on the date of its decree;
- exemptions **established** (the Penetapan DIK), **expired** (``berakhir`` in the period and
  before today, in their last established version) and **reopened** (an exempt item
  established again as public information);
- the **decrees** issued in the period (DIP and DIK: number, date);
- the **mutu baku** achieved in the period, from :func:`dipctl.proof.sla.measure`
  (:func:`_quality` is the one place that reads it).

An event is dated by its decree's ``tanggal`` (the legal date), or by its commit's date when
the decree file cannot be read. Read-only, and not proof: ``dipctl verify`` proves who took
each step; this report counts what the history shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import UsageError
from dipctl.proof.history import preflight
from dipctl.proof.replay import Objects, commits_touching
from dipctl.proof.step import item_changes, register_prefix
from dipctl.register import model

if TYPE_CHECKING:
    from dipctl.proof.replay import Commit
    from dipctl.register.config import Register

#: The statuses whose arrival is an event; a blob without any of these bytes is none.
_EVENT_WORDS = tuple(s.encode() for s in (*model.ESTABLISHED, model.Status.WITHDRAWN.value))

__all__ = ["DecreeEvent", "ItemEvent", "Period", "RenewalReport", "Standard", "collect", "period"]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def period(year: int | None, start: str | None, end: str | None, today: dt.date) -> Period:
    """``--year Y``, or ``--from D --to D`` (inclusive), or the current year."""
    if year is not None and (start or end):
        raise UsageError("renewal.year_or_range")
    if year is not None:
        if not 1900 <= year <= 9999:
            raise UsageError("renewal.bad_year", value=year)
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if not start and not end:
        return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    if not start or not end:
        raise UsageError("renewal.range_both")
    first, last = option_day("--from", start), option_day("--to", end)
    if last < first:
        raise UsageError("renewal.range_backwards", start=start, end=end)
    return Period(first, last)


def option_day(option: str, text: str) -> dt.date:
    """A day given as ``option``'s value, exactly ``YYYY-MM-DD``; else a usage error that
    names the option and quotes (at most 40 characters of) the value."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad(option, text)
    except ValueError:
        return _bad(option, text)


def _bad(option: str, text: str) -> dt.date:
    raise UsageError("usage.bad_date", option=option, value=text[:40])


@dataclass(frozen=True)
class ItemEvent:
    item: str
    title: str
    unit: str
    category: str
    date: str  # ISO date: the decree's date (an expiry: the exemption's berakhir)
    decree: str  # the decree's id ("" when the item names none)
    number: str  # the decree's number
    revision: int
    commit: str


@dataclass(frozen=True)
class DecreeEvent:
    id: str
    list: str  # "dip" or "dik"
    kind: str  # jenis: penetapan, pencabutan, penetapan-dik
    number: str
    date: str
    subject: str
    commit: str


@dataclass(frozen=True)
class Standard:
    """One mutu baku over the period: how many of its steps were measured, how many late."""

    key: str  # rapat, penetapan, pengunggahan
    bound: str  # as written in register.yaml ("60 menit")
    steps: int
    missed: int


@dataclass
class RenewalReport:
    period: Period
    established: list[ItemEvent] = field(default_factory=list)
    revised: list[ItemEvent] = field(default_factory=list)
    withdrawn: list[ItemEvent] = field(default_factory=list)
    exemptions: list[ItemEvent] = field(default_factory=list)
    expired: list[ItemEvent] = field(default_factory=list)
    reopened: list[ItemEvent] = field(default_factory=list)
    decrees: list[DecreeEvent] = field(default_factory=list)
    quality: list[Standard] = field(default_factory=list)
    commits: int = 0  # commits read


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


class _Walk:
    """The state of one pass over the history."""

    def __init__(self, reg: Register, when: Period, today: dt.date) -> None:
        self.prefix = register_prefix(reg)
        self.items = f"{self.prefix}{model.ITEMS_DIR}/"
        self.decree_dir = f"{self.prefix}{model.DECREES_DIR}/"
        self.when = when
        self.today = today
        self.report = RenewalReport(when)
        self.decrees: dict[str, tuple[dict[str, Any], str]] = {}  # id -> (data, commit)
        self.was_exempt: dict[str, bool] = {}  # item -> its last established version's kind
        self.exempt_ends: dict[str, ItemEvent] = {}  # item -> its last exemption, dated berakhir

    def commit(self, commit: Commit, objects: Objects) -> None:
        self.report.commits += 1
        for raw in commit.changes:
            name = raw.path.removeprefix(self.decree_dir)
            if raw.path.startswith(self.decree_dir) and "/" not in name and raw.new:
                data = objects.data(raw.new) if name.endswith(".yaml") else None
                if data is not None:
                    self.decrees[name.removesuffix(".yaml")] = (data, commit.sha)
        if not any(self._may_matter(c.path, c.new, objects) for c in commit.changes):
            return  # no item file of this commit can be established or withdrawn
        for change in item_changes(commit, objects, self.items):
            after = change.after
            if after is None or not change.moved:
                continue
            target = change.status_after
            if target in model.ESTABLISHED:  # an imported file may arrive as diunggah
                if change.before is None or change.status_before not in model.ESTABLISHED:
                    self._established(change.id, after, commit)
            elif target == model.Status.WITHDRAWN.value:
                self._add(self.report.withdrawn, self._event(change.id, after, commit))
                self.was_exempt.pop(change.id, None)

    def _may_matter(self, path: str, sha: str | None, objects: Objects) -> bool:
        """False for an item file whose new content cannot carry an established or
        withdrawn status (most step commits): its YAML is then never parsed."""
        if not path.startswith(self.items):
            return False
        raw = objects.peek(sha)
        return raw is None or any(word in raw for word in _EVENT_WORDS)

    def _established(self, item_id: str, after: dict[str, Any], commit: Commit) -> None:
        event = self._event(item_id, after, commit)
        exempt = after.get("kategori") == model.EXEMPT
        before = self.was_exempt.get(item_id)
        self.was_exempt[item_id] = exempt
        if exempt:
            self._add(self.report.exemptions, event)
            test = after.get("pengecualian")
            ends = _day(_text(test.get("berakhir"))) if isinstance(test, dict) else None
            if ends is not None:
                self.exempt_ends[item_id] = _dated(event, ends)
            else:
                self.exempt_ends.pop(item_id, None)
            return
        self.exempt_ends.pop(item_id, None)  # public now: its exemption ended by pemutakhiran
        if before is None and event.revision == 0:
            self._add(self.report.established, event)
        else:
            self._add(self.report.revised, event)
        if before:
            self._add(self.report.reopened, event)

    def _event(self, item_id: str, after: dict[str, Any], commit: Commit) -> ItemEvent:
        decree_id = _text(after.get("keputusan"))
        data = self.decrees.get(decree_id, ({}, ""))[0]
        day = _day(_text(data.get("tanggal"))) or _day(commit.date)
        revision = after.get("revisi")
        return ItemEvent(
            item=item_id,
            title=_text(after.get("judul")),
            unit=_text(after.get("unit")),
            category=_text(after.get("kategori")),
            date=day.isoformat() if day else "",
            decree=decree_id,
            number=_text(data.get("nomor")),
            revision=revision if isinstance(revision, int) and revision >= 0 else 0,
            commit=commit.sha,
        )

    def _add(self, found: list[ItemEvent], event: ItemEvent) -> None:
        if _day(event.date) in self.when:
            found.append(event)

    def finish(self) -> RenewalReport:
        report = self.report
        for event in self.exempt_ends.values():
            ends = _day(event.date)
            if ends in self.when and ends is not None and ends < self.today:
                report.expired.append(event)
        for decree_id, (data, sha) in self.decrees.items():
            kind = _text(data.get("jenis"))
            day = _day(_text(data.get("tanggal")))
            if kind in model.DECREE_KINDS and day in self.when and day is not None:
                report.decrees.append(
                    DecreeEvent(
                        id=decree_id,
                        list="dik" if kind == model.DIK_KIND else "dip",
                        kind=kind,
                        number=_text(data.get("nomor")),
                        date=day.isoformat(),
                        subject=_text(data.get("tentang")),
                        commit=sha,
                    )
                )
        for found in (
            report.established,
            report.revised,
            report.withdrawn,
            report.exemptions,
            report.expired,
            report.reopened,
        ):
            found.sort(key=lambda e: (e.date, e.item, e.revision))
        report.decrees.sort(key=lambda d: (d.date, d.list, d.id))
        return report


def _dated(event: ItemEvent, day: dt.date) -> ItemEvent:
    values = {**vars(event), "date": day.isoformat()}
    return ItemEvent(**values)


def collect(reg: Register, when: Period, today: dt.date) -> RenewalReport:
    """The report of ``when``, read from the history of HEAD in one pass."""
    walk = _Walk(reg, when, today)
    if reg.git_dir is not None:
        preflight(reg.work_tree)
        history = list(commits_touching(reg.work_tree, walk.prefix or "."))
        with Objects(reg.work_tree) as objects:
            objects.preload(reg.work_tree, history)
            for commit in history:
                walk.commit(commit, objects)
    report = walk.finish()
    report.quality = _quality(reg, when, today)
    return report


def _quality(reg: Register, when: Period, today: dt.date) -> list[Standard]:
    """The mutu baku achieved in ``when``: the one call into :mod:`dipctl.proof.sla`
    (``measure``; of its steps this reads ``date``, ``bound``, ``bound_text``, ``measured``
    and ``missed``)."""
    from dipctl.proof import sla

    measured = sla.measure(reg)
    found: dict[str, list[int]] = {}
    bounds: dict[str, str] = dict(measured.standards)
    for step in measured.steps:
        if step.measured and step.bound and _day(step.date) in when:
            tally = found.setdefault(step.bound, [0, 0])
            tally[0] += 1
            tally[1] += int(step.missed)
    return [
        Standard(key, bounds.get(key, ""), *found.get(key, [0, 0]))
        for key in dict.fromkeys([*bounds, *found])
    ]
