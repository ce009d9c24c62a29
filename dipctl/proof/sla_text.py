"""The text of ``dipctl sla``: the steps with their clocks, then the figures per step, per
unit and per officer (:mod:`dipctl.proof.sla`), in Indonesian or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl import layout

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.i18n import Translator
    from dipctl.proof.sla import Figure, SlaReport, StepTime, Summary

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def human(tr: Translator, seconds: int) -> str:
    """``93784`` -> ``1 hari 2 jam`` (``1 day 2 hours``): the two largest non-zero units."""
    rest, parts = abs(seconds), []
    for unit, size in _UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(tr(f"sla.{unit}" if count == 1 else f"sla.{unit}s", n=count))
    text = " ".join(parts[:2]) or tr("sla.seconds", n=0)
    return f"-{text}" if seconds < 0 else text


def took(tr: Translator, step: StepTime) -> str:
    """The measured time; a meeting dated by day only reads in days (``hari yang sama``)."""
    if step.seconds is None:
        return "-"
    if step.days:
        return tr("sla.same_day") if step.seconds == 0 else human(tr, step.seconds)
    return human(tr, step.seconds)


def _table(headers: list[str], rows: Sequence[Sequence[str]], width: int | None) -> list[str]:
    """Aligned columns; fitted to ``width`` the first column gives way (nothing is cut)."""
    return layout.table(headers, rows, width, flex=0, shorten=False)


def result(tr: Translator, step: StepTime) -> str:
    if step.missed:
        return tr("sla.late")
    if step.measured:
        return tr("sla.ok")
    if step.reason == "backdated" or (step.backdated and not step.bound):
        return tr("sla.backdated")
    if step.reason:
        return tr("sla.not_measured", reason=tr(f"sla.reason.{step.reason}"))
    return ""


def _start(tr: Translator, step: StepTime) -> str:
    if not step.start:
        return "-"
    return tr(f"sla.start.{step.start_kind}", when=step.start[:16].replace("T", " "))


def _step_row(tr: Translator, s: StepTime) -> tuple[str, ...]:
    return (
        s.item,
        str(s.revision),
        s.action or "-",
        f"{s.source or '-'} -> {s.target}",
        s.date[:16].replace("T", " "),
        s.name,
        s.role or "-",
        _start(tr, s),
        took(tr, s),
        s.bound_text or "-",
        result(tr, s),
    )


def _time(tr: Translator, seconds: int | None) -> str:
    return "-" if seconds is None else human(tr, seconds)


def figure_rows(
    tr: Translator, figures: list[Figure], label: str, width: int | None = None
) -> list[str]:
    """One table of figures; ``label`` is ``step``, ``unit`` or ``person``."""
    columns = [label, "steps", "measured", "within", "late", "unmeasured", "median", "max"]
    rows = []
    for f in figures:
        if label == "step":
            name = tr("sla.step_label", n=f.name, key=f.key, bound=f.bound_text)
        elif label == "person":
            name = f"{f.name} <{f.key}>"
        else:
            name = f.key
        counts = (f.steps, f.measured, f.within, f.late, f.unmeasured)
        rows.append([name, *map(str, counts), _time(tr, f.median), _time(tr, f.longest)])
    return _table([tr(f"sla.col.{c}") for c in columns], rows, width)


def summary_lines(tr: Translator, found: Summary, width: int | None = None) -> list[str]:
    """The figures per step, per unit and per officer, and the closing sentence: what the
    pemutakhiran report and the monev pack may print as they are."""
    lines = [tr("sla.per_step"), *figure_rows(tr, found.per_step, "step", width)]
    for title, figures, label in (
        ("sla.by_unit", found.per_unit, "unit"),
        ("sla.by_person", found.per_person, "person"),
    ):
        if figures:
            lines += ["", tr(title), *figure_rows(tr, figures, label, width)]
    key = "sla.summary_missed" if found.missed else "sla.summary_clean"
    closing = tr(key, missed=found.missed, bounded=found.measured)
    if found.unmeasured:
        closing += " " + tr("sla.summary_unmeasured", count=found.unmeasured)
    return [*lines, "", closing]


_EVERY_COLUMNS = (
    "item", "revision", "step", "move", "when", "who", "role", "start", "took", "bound", "result",
)  # fmt: skip
_SHORT_COLUMNS = ("item", "revision", "step", "when", "took", "bound", "result")


def _short_row(tr: Translator, s: StepTime) -> tuple[str, ...]:
    when = s.date[:16].replace("T", " ")
    return (s.item, str(s.revision), s.action or "-", when, took(tr, s), s.bound_text or "-",
            result(tr, s))  # fmt: skip


def needs_attention(tr: Translator, step: StepTime) -> bool:
    """A step the officer should look at: late, backdated or not measured."""
    return result(tr, step) not in ("", tr("sla.ok"))


def render_text(
    tr: Translator, report: SlaReport, every_step: bool = False, width: int | None = None
) -> list[str]:
    """The standards and their clocks, the steps that need attention (late, backdated or not
    measured; with ``every_step``, every step in full) and the summary; tables fitted to
    ``width`` (``None``: one line per row)."""
    shown = ", ".join(f"{key} {text}" for key, text in report.standards.items())
    lines = [tr("sla.heading", standards=shown)]
    lines += [f"  {tr(f'sla.clock.{key}')}" for key in report.standards]
    lines.append("")
    if not report.steps:
        lines += [tr("sla.no_steps"), ""]
    elif every_step:
        headers = [tr(f"sla.col.{c}") for c in _EVERY_COLUMNS]
        lines += [*_table(headers, [_step_row(tr, s) for s in report.steps], width), ""]
    else:
        attention = [s for s in report.steps if needs_attention(tr, s)]
        if attention:
            headers = [tr(f"sla.col.{c}") for c in _SHORT_COLUMNS]
            lines.append(tr("sla.attention", count=len(attention)))
            lines += _table(headers, [_short_row(tr, s) for s in attention], width)
        else:
            lines.append(tr("sla.no_attention"))
        lines += [tr("sla.every_step", count=len(report.steps)), ""]
    return [*lines, *summary_lines(tr, report.summary, width)]
