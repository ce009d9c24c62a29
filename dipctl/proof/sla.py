"""``dipctl sla``: how long each SOP step took, against the mutu baku (SPEC.md section 2).

One walk over the history (one ``git log``, one ``git cat-file``; :mod:`dipctl.proof.verify`'s
helpers) records each status change of each item with its committer date, author and role.
A step takes the time since the item's previous status change; ``new`` and ``revise`` start
a cycle. A step dated before the item's previous one (a backdated commit, verify's ``date``)
is not measured (``detik`` null, ``tanggal_mundur`` true, "tanggal mundur" in the table), and
the next step is measured from the latest date seen, so no duration is ever negative. Steps
4–6 are held to the ``mutu_baku`` in force at the parent commit, so relaxing a standard later
erases no miss; steps 1–3 and pemutakhiran have no bound.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from dipctl.proof.history import preflight
from dipctl.proof.replay import Objects, commits_touching
from dipctl.proof.step import ItemChange, item_changes, register_prefix
from dipctl.register import model, records
from dipctl.sop import progress, workflow

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from dipctl.i18n import Translator
    from dipctl.proof.replay import Commit
    from dipctl.register.config import Register

#: SOP step number -> its key under ``mutu_baku``.
BOUNDED = {4: "rapat", 5: "penetapan", 6: "pengunggahan"}
#: The SOP's own standards, for a register.yaml that does not state one.
SOP_STANDARDS = {"rapat": "1 hari", "penetapan": "60 menit", "pengunggahan": "60 menit"}
#: A status change (from, to) -> the SOP transition; every pair names exactly one step.
MOVES = {(s, t.target): t for t in workflow.TRANSITIONS for s in t.sources or ("",)}
_STARTS = ("new", "revise")
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def _key(name: str) -> dict[str, str]:
    """A field's key in ``--json`` (the register's vocabulary, as ``status`` and ``history``)."""
    return {"json": name}


@dataclass(frozen=True)
class StepTime:
    """One status change of one item."""

    item: str = field(metadata=_key("informasi"))
    unit: str = field(metadata=_key("unit"))
    revision: int = field(metadata=_key("revisi"))
    action: str = field(metadata=_key("langkah"))  # "" for a status change that is no step
    source: str = field(metadata=_key("dari"))  # "" when the file was added
    target: str = field(metadata=_key("ke"))
    date: str = field(metadata=_key("tanggal"))  # committer date, ISO 8601 with zone
    commit: str = field(metadata=_key("commit"))
    name: str = field(metadata=_key("nama"))
    email: str = field(metadata=_key("email"))
    role: str = field(metadata=_key("peran"))
    seconds: int | None = field(metadata=_key("detik"))  # None: the step starts a cycle
    bound: str = field(metadata=_key("mutu_baku"))  # the mutu_baku key, or ""
    bound_text: str = field(metadata=_key("batas"))  # as written in register.yaml
    bound_seconds: int | None = field(metadata=_key("batas_detik"))
    #: dated before the item's previous step (see verify's `date`): not measured
    backdated: bool = field(default=False, metadata=_key("tanggal_mundur"))

    @property
    def measured(self) -> bool:
        return self.seconds is not None and self.bound_seconds is not None

    @property
    def missed(self) -> bool:
        return self.measured and (self.seconds or 0) > (self.bound_seconds or 0)


@dataclass(frozen=True)
class Tally:
    """The bounded steps of one unit or one person."""

    key: str  # unit key, or email
    name: str = field(metadata=_key("nama"))  # the unit's or the person's name
    bounded: int = field(metadata=_key("langkah"))
    missed: int = field(metadata=_key("terlambat"))
    median: int = field(metadata=_key("median_detik"))
    longest: int = field(metadata=_key("maks_detik"))


@dataclass
class SlaReport:
    standards: dict[str, str]  # mutu_baku now: key -> text
    steps: list[StepTime]  # by item id, then history order
    by_unit: list[Tally]
    by_person: list[Tally]
    overdue: list[progress.Warning]  # pemutakhiran due, from ``dipctl status``
    commits: int = 0

    @property
    def bounded(self) -> int:
        return sum(s.measured for s in self.steps)

    @property
    def missed(self) -> int:
        """Steps that took longer than their mutu baku: the CLI exits 1 when not 0."""
        return sum(s.missed for s in self.steps)


def measure(reg: Register, today: dt.date) -> SlaReport:
    """Every step's duration, the tallies, and what is overdue for pemutakhiran on ``today``."""
    steps, count = _walk(reg) if reg.git_dir is not None else ([], 0)
    steps.sort(key=lambda s: s.item)  # stable: history order within an item
    units = reg.settings.units
    return SlaReport(
        standards=_standards(reg.settings.quality),
        steps=steps,
        by_unit=_tally(steps, lambda s: (s.unit, units.get(s.unit, s.unit))),
        by_person=_tally(steps, lambda s: (s.email, s.name)),
        overdue=progress.status(reg, today).warnings,
        commits=count,
    )


def _standards(quality: dict[str, str]) -> dict[str, str]:
    """The register's mutu baku; the SOP's where one is missing or no duration (see validate)."""
    return {
        key: quality[key] if model.duration_minutes(quality.get(key)) is not None else text
        for key, text in SOP_STANDARDS.items()
    }


def _walk(reg: Register) -> tuple[list[StepTime], int]:
    prefix = register_prefix(reg)
    config_path = f"{prefix}{model.REGISTER_FILE}"
    items_prefix = f"{prefix}{model.ITEMS_DIR}/"
    steps: list[StepTime] = []
    last: dict[str, dt.datetime] = {}
    standards = _standards({})
    count = 0
    preflight(reg.work_tree)
    history = list(commits_touching(reg.work_tree, prefix or "."))
    with Objects(reg.work_tree) as objects:
        objects.preload(reg.work_tree, history)
        for commit in history:
            count += 1
            when = dt.datetime.fromisoformat(commit.date)
            for change in item_changes(commit, objects, items_prefix):
                if change.after is None:
                    last.pop(change.id, None)
                elif change.moved:
                    since = last.get(change.id)
                    took = int((when - since).total_seconds()) if since else None
                    steps.append(_step(commit, change, took, standards))
                    last[change.id] = max(when, since) if since else when
            config = next((c for c in commit.changes if c.path == config_path), None)
            data = objects.data(config.new) if config else None
            if data is not None:
                standards = _standards(records.Settings.from_mapping(data).quality)
    return steps, count


def _step(
    commit: Commit, change: ItemChange, took: int | None, standards: dict[str, str]
) -> StepTime:
    """``took``: seconds since the item's previous status change (None: it has none)."""
    source = change.status_before if change.before is not None else ""
    transition = MOVES.get((source, change.status_after))
    if commit.action == "undo":  # a step back, whatever step its two statuses look like
        transition = workflow.find("undo", source, change.status_after, commit.role)
    action = transition.action if transition else ""
    key = BOUNDED.get(transition.step, "") if transition and action != "undo" else ""
    minutes = model.duration_minutes(standards[key]) if key else None
    revision = (change.after or {}).get("revisi")
    measured = change.before is not None and action not in _STARTS
    backdated = measured and took is not None and took < 0
    return StepTime(
        item=change.id,
        unit=change.unit,
        revision=revision if isinstance(revision, int) else 0,
        action=action,
        source=source,
        target=change.status_after,
        date=commit.date,
        commit=commit.sha,
        name=commit.author_name,
        email=commit.author_email,
        role=commit.role or (transition.role if transition else ""),
        seconds=took if measured and not backdated else None,
        bound=key,
        bound_text=standards[key] if key else "",
        bound_seconds=minutes * 60 if minutes is not None else None,
        backdated=backdated,
    )


def _tally(steps: list[StepTime], group: Callable[[StepTime], tuple[str, str]]) -> list[Tally]:
    """Per group key (the last name seen wins): bounded steps, misses, median, longest."""
    times: dict[str, list[int]] = defaultdict(list)
    missed: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for step in steps:
        if step.measured:
            key, name = group(step)
            names[key] = name
            times[key].append(step.seconds or 0)
            missed[key] += step.missed
    return [
        Tally(key, names[key], len(t), missed[key], int(statistics.median(t)), max(t))
        for key, t in sorted(times.items())
    ]


def human(tr: Translator, seconds: int) -> str:
    """``93784`` -> ``1 hari 2 jam`` (``1 day 2 hours``): the two largest non-zero units."""
    rest, parts = abs(seconds), []
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(tr(f"sla.{unit}" if count == 1 else f"sla.{unit}s", n=count))
    text = " ".join(parts[:2]) or tr("sla.seconds", n=0)
    return f"-{text}" if seconds < 0 else text


def _table(headers: list[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [headers, *[list(row) for row in rows]]
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    ]


def _step_row(tr: Translator, s: StepTime) -> tuple[str, ...]:
    result = (
        tr("sla.backdated")
        if s.backdated
        else tr("sla.late")
        if s.missed
        else tr("sla.ok")
        if s.measured
        else ""
    )
    return (
        s.item,
        str(s.revision),
        s.action or "-",
        f"{s.source or '-'} -> {s.target}",
        s.date[:16].replace("T", " "),
        s.name,
        s.role or "-",
        human(tr, s.seconds) if s.seconds is not None else "-",
        s.bound_text or "-",
        result,
    )


def _tally_table(tr: Translator, tallies: list[Tally], person: bool) -> list[str]:
    columns = ("person" if person else "unit", "bounded", "missed", "median", "max")
    rows = []
    for t in tallies:
        label = f"{t.name} <{t.key}>" if person else t.key
        times = (human(tr, t.median), human(tr, t.longest))
        rows.append([label, str(t.bounded), str(t.missed), *times])
    title = tr("sla.by_person" if person else "sla.by_unit")
    return [title, *_table([tr(f"sla.col.{c}") for c in columns], rows)]


def render_text(tr: Translator, report: SlaReport) -> list[str]:
    """The steps, the tallies per unit and per person, what is overdue, and a summary."""
    shown = ", ".join(f"{key} {text}" for key, text in report.standards.items())
    lines = [tr("sla.heading", standards=shown), ""]
    columns = ("item", "revision", "step", "move", "when", "who", "role", "took", "bound", "result")
    if report.steps:
        headers = [tr(f"sla.col.{c}") for c in columns]
        lines += _table(headers, [_step_row(tr, s) for s in report.steps])
    else:
        lines.append(tr("sla.no_steps"))
    for person, tallies in ((False, report.by_unit), (True, report.by_person)):
        if tallies:
            lines += ["", *_tally_table(tr, tallies, person)]
    lines += ["", tr("sla.overdue", count=len(report.overdue))]
    lines += [f"  {tr(w.key, id=w.item, **w.params)}" for w in report.overdue]
    summary = "sla.summary_missed" if report.missed else "sla.summary_clean"
    return [*lines, "", tr(summary, missed=report.missed, bounded=report.bounded)]


def _document(record: StepTime | Tally) -> dict[str, Any]:
    values = {f.metadata["json"]: getattr(record, f.name) for f in fields(record) if f.metadata}
    return {key: None if value == "" else value for key, value in values.items()}


def to_document(tr: Translator, report: SlaReport) -> dict[str, Any]:
    """``--json``: durations in seconds; keys in the register's vocabulary, as ``status``."""
    return {
        "mutu_baku": {
            key: {"teks": text, "detik": (model.duration_minutes(text) or 0) * 60}
            for key, text in report.standards.items()
        },
        "langkah": [{**_document(s), "terlambat": s.missed} for s in report.steps],
        "per_unit": [{"unit": t.key, **_document(t)} for t in report.by_unit],
        "per_orang": [{"email": t.key, **_document(t)} for t in report.by_person],
        "pemutakhiran": [
            {
                "informasi": w.item,
                "jenis": w.key.removeprefix("warn."),
                "pesan": tr(w.key, id=w.item, **w.params),
            }
            for w in report.overdue
        ],
        "langkah_bermutu_baku": report.bounded,
        "terlambat": report.missed,
    }
