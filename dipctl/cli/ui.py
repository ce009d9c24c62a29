"""Rendering for the terminal: results to stdout, diagnostics to stderr.

Default output fits the screen (80 columns when piped, :mod:`dipctl.cli.screen`); ``--wide``
gives every column whole (tab-separated rows when piped, for scripts), ``--json`` everything.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from dipctl import layout
from dipctl.cli import screen
from dipctl.cli.screen import print_table as print_table  # tables: fitted to the screen

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.errors import DipctlError
    from dipctl.i18n import Translator
    from dipctl.proof.verify import Finding, Report
    from dipctl.register.checks import Problem
    from dipctl.register.config import Register
    from dipctl.register.records import Item
    from dipctl.sop.cycle import Cycle
    from dipctl.sop.progress import StatusReport


def print_result(text: str) -> None:
    """A result on stdout, wrapped to the screen (words, ids and paths stay whole)."""
    screen.print_lines([text])


def print_copy(text: str) -> None:
    """A line to copy whole (an SSH key to send): never wrapped."""
    sys.stdout.write(text + "\n")


def print_message(text: str) -> None:
    """A message on stderr, wrapped to the screen."""
    screen.print_lines([text], "err")


def print_message_with(text: str, command: str) -> None:
    """A message on stderr whose ``\\x00`` stands for a command to copy: the words wrapped,
    the command whole on a line of its own."""
    head, _, tail = text.partition("\x00")
    if head.strip():
        print_message(head.rstrip())
    sys.stderr.write(f"  {command}\n")
    if tail.strip():
        print_message(tail.strip())


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def _params(tr: Translator, params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (
            v
            if not isinstance(v, str) or not v.startswith(("hint.", "role.", "phrase."))
            else tr(v)
        )
        for k, v in params.items()
    }


def error_text(tr: Translator, exc: DipctlError) -> tuple[str, str | None]:
    params = {k: v for k, v in exc.params.items() if k not in ("problems", "reason_params")}
    if "reason" in params:  # a value check's verdict inside the message (dipctl edit)
        params["reason"] = tr(params["reason"], **exc.params.get("reason_params", {}))
    if "path" in params:
        params["path"] = str(params["path"])
    message = tr(exc.key, **_params(tr, params))
    if "line" in params and "file." in exc.key:
        message = f"{params['path']}:{params['line']}: {message}"
    hint = tr(exc.hint_key, **params) if exc.hint_key else None
    return message, hint


def print_warning(tr: Translator, exc: DipctlError) -> None:
    """A file a command left out: ``peringatan: path:line: message``, no hint."""
    message, _hint = error_text(tr, exc)
    print_message(f"{tr('label.warning')}: {message}")


def print_error(tr: Translator, exc: DipctlError) -> None:
    message, hint = error_text(tr, exc)
    print_message(f"{tr('label.error')}: {message}")
    for problem in exc.params.get("problems", []):
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path  # 0: --set
        print_message(f"  {where}: {problem.field or '-'}: {problem_message(tr, problem)}")
    if hint:
        print_message(f"{tr('label.hint')}: {hint}")


# -- items ---------------------------------------------------------------------------------


def print_items(tr: Translator, items: list[Item], wide: bool = False) -> None:
    """Id, status and title fitted to the screen, then the count; ``wide``: every column
    whole, tab-separated rows without a header when piped (for scripts)."""
    rows = [(i.id, i.status, i.category or "-", i.unit, i.title) for i in items]
    headers = [tr(f"field.{c}") for c in ("id", "status", "kategori", "unit", "judul")]
    if not wide and _fits(headers, rows):  # every column fits the screen as it is
        print_table(headers, rows)
        print_message(tr("list.count", count=len(items)))
        return
    if wide:
        if not sys.stdout.isatty():
            print_table(None, rows, wide=True)
            return
        print_table(headers, rows, wide=True)
        print_message(tr("list.count", count=len(items)))
        return
    headers = [tr(f"field.{c}") for c in ("id", "status", "judul")]
    print_table(headers, [(i.id, i.status, i.title) for i in items])
    print_message(tr("screen.list_summary", count=len(items)))


def _fits(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Whether the whole table fits the screen without shortening anything."""
    return layout.fits(headers, rows, screen.width())


def item_fields(tr: Translator, item: Item) -> list[tuple[str, str]]:
    fields = [
        ("id", item.id),
        ("judul", item.title),
        ("ringkasan", item.summary),
        ("unit", item.unit),
        ("penanggung_jawab", item.responsible),
        ("waktu_pembuatan", item.made),
        ("tempat_pembuatan", item.place),
        ("bentuk", ", ".join(item.forms)),
        ("retensi", item.retention),
        ("kategori", item.category),
        ("status", status_label(tr, item.status)),
        ("catatan", item.note),
        ("rapat", item.meeting),
        ("keputusan", item.decree),
        ("revisi", str(item.revision) if item.revision else ""),
        ("dokumen.tautan", item.document_link),
        ("dokumen.arsip", item.document_archive),
    ]
    if item.exemption:
        fields += [
            (f"pengecualian.{key}", ", ".join(value) if isinstance(value, list) else value)
            for key, value in item.exemption.as_mapping().items()
        ]
    return [(tr(f"field.{k}"), v) for k, v in fields if v]


def print_item(tr: Translator, reg: Register, item: Item, wide: bool = False) -> None:
    """Label and value, the values wrapped under one another (``wide``: one line each)."""
    fields = [(tr("field.berkas"), reg.relative(item.path)), *item_fields(tr, item)]
    if wide:
        print_table(None, fields, wide=True)
    else:
        sys.stdout.writelines(line + "\n" for line in layout.pairs(fields, screen.width()))


# -- status --------------------------------------------------------------------------------


def status_document(tr: Translator, report: StatusReport) -> dict[str, Any]:
    from dipctl.register import model

    return {
        "jumlah": report.total,
        "per_status": {s: report.by_status[s] for s in model.STATUSES if report.by_status[s]},
        "keputusan_berlaku": {
            key: {"id": d[0], "nomor": d[1], "tanggal": d[2]} for key, d in report.in_force.items()
        },
        "per_unit": {unit: dict(sorted(c.items())) for unit, c in sorted(report.by_unit.items())},
        "menunggu": [
            {
                "peran": w.role,
                "langkah": w.action,
                "dik": w.dik,
                "pejabat": list(w.officers),
                "perintah": w.command,
                "informasi": list(w.items),
            }
            for w in report.waiting
        ],
        "pemutakhiran": cycle_document(report.cycle),
        "peringatan": [
            {
                "informasi": w.item,
                "jenis": w.key.removeprefix("warn."),
                "pesan": tr(w.key, id=w.item, **w.params),
                "perintah": w.command or None,
            }
            for w in report.warnings
        ],
    }


def cycle_document(cycle: Cycle | None) -> dict[str, Any] | None:
    """The DIP's pemutakhiran clock in ``--json`` (register vocabulary, ISO dates)."""
    if cycle is None:
        return None
    return {
        "siklus": cycle.period,
        "siklus_bulan": cycle.months,
        "keputusan": cycle.decree or None,
        "nomor": cycle.number or None,
        "terakhir": cycle.last or None,
        "paling_lambat": cycle.deadline or None,
        "terlambat": cycle.overdue,
        "sisa_hari": cycle.days if cycle.deadline else None,
    }


def _print_cycle(tr: Translator, cycle: Cycle | None) -> None:
    """``DIP dimutakhirkan 21 Januari 2026; pemutakhiran berikutnya paling lambat …``."""
    if cycle is None or not cycle.deadline:
        return
    from dipctl.publish.dates import long_date

    lang = tr.lang
    dates = {
        "last": long_date(cycle.last, lang=lang),
        "deadline": long_date(cycle.deadline, lang=lang),
        "number": cycle.number,
    }
    if cycle.overdue:
        print_result(tr("status.cycle_overdue", days=-cycle.days, **dates))
    else:
        print_result(tr("status.cycle", days=cycle.days, **dates))


def status_label(tr: Translator, status: str) -> str:
    """``diajukan (diajukan ke sekretaris)``; the key alone where the label adds nothing."""
    label = tr("status." + status)
    return status if label == status else f"{status} ({label})"


def _print_counts(tr: Translator, report: StatusReport, present: list[str], wide: bool) -> None:
    print_table(
        [tr("field.status"), tr("label.count")],
        [(status_label(tr, s), str(report.by_status[s])) for s in present],
        wide=wide,
    )
    print_result("")
    units = sorted(report.by_unit.items())
    rows = [(unit, *(str(c[s] or "-") for s in present)) for unit, c in units]
    if wide or _fits([tr("field.unit"), *present], rows):
        print_table([tr("field.unit"), *present], rows, wide=wide)
    else:  # one line per unit: the statuses it has
        for unit, c in units:
            counts = ", ".join(f"{c[s]} {s}" for s in present if c[s])
            print_result(f"{unit}: {counts}")
    print_result("")


def print_status(tr: Translator, reg: Register, report: StatusReport, wide: bool = False) -> None:
    from dipctl.register import model

    present = [s for s in model.STATUSES if report.by_status[s]]
    print_result(tr("status.heading", total=report.total, agency=reg.settings.agency_name))
    for key, label in (("dip", "decree.in_force"), ("dik", "decree.dik_in_force")):
        if key in report.in_force:
            print_result(tr(label, number=report.in_force[key][1], date=report.in_force[key][2]))
    if "dip" not in report.in_force:
        print_result(tr("decree.none_in_force"))
    if present:  # an empty register has no table to show
        _print_counts(tr, report, present, wide)
    for waiting in report.waiting:
        ids = waiting.items
        shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
        one = len(ids) == 1 and ids[0] in waiting.command.split()
        params = {
            "role": tr("role." + waiting.role),
            "who": ", ".join(waiting.officers) or tr("status.nobody"),
            "count": len(ids),
            "ids": shown,
        }
        key = "status.waiting.one" if one else "status.waiting"
        line = tr(key, command=waiting.command, **params)
        if wide or layout.cells(line) <= screen.width():
            print_copy(line)
            continue
        print_result(tr(key, command="", **params).rstrip())  # the command whole, to copy
        screen.print_command(waiting.command, indent="  ")
    _print_cycle(tr, report.cycle)
    for warning in report.warnings:
        text = f"{tr('label.warning')}: " + tr(warning.key, id=warning.item, **warning.params)
        fix = f" — {warning.command}" if warning.command else ""
        if wide or layout.cells(text + fix) <= screen.width():
            print_copy(text + fix)
            continue
        print_result(text)
        if warning.command:  # whole on its own line(s), to copy
            screen.print_command(warning.command, indent="  ")


# -- verify --------------------------------------------------------------------------------


def finding_document(tr: Translator, finding: Finding) -> dict[str, Any]:
    return {
        "commit": finding.commit,
        "path": finding.path,
        "item": finding.item,
        "rule": finding.rule,
        "level": finding.level,
        "message": tr(finding.key, **dict(finding.params)),
    }


def print_report(tr: Translator, report: Report, output: str) -> None:
    """``text``: grouped by commit; ``json``: a list; ``github``: workflow annotations."""
    if output == "json":
        print_json([finding_document(tr, f) for f in report.findings])
    elif output == "github":
        for f in report.findings:
            message = tr(f.key, **dict(f.params)).replace("%", "%25").replace("\n", "%0A")
            sys.stdout.write(
                f"::error file={f.path},title=dipctl verify {f.rule}::"
                f"{f.commit[:10]} {f.item or '-'}: {message}\n"
            )
    else:
        current = ""
        for f in report.findings:
            if f.commit != current:
                current = f.commit
                c = report.commits[f.commit]
                print_result(
                    f"{c.sha[:10]} {c.date[:16].replace('T', ' ')} "
                    f"{c.author_name} <{c.author_email}>: {c.subject}"
                )
            print_result(f"  {f.path}: {f.item or '-'}: [{f.rule}] {tr(f.key, **dict(f.params))}")
    print_message(
        tr(
            "verify.summary",
            count=len(report.findings),
            commits=len(report.commits),
            checked=report.checked,
        )
        if report.findings
        else tr("verify.clean", checked=report.checked)
    )


# -- problems ------------------------------------------------------------------------------


def problem_message(tr: Translator, problem: Problem) -> str:
    return tr(problem.key, **_params(tr, dict(problem.params)))


def problem_document(tr: Translator, problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "field": problem.field,
        "rule": problem.key,
        "level": problem.level,
        "message": problem_message(tr, problem),
    }


def print_problems(tr: Translator, problems: list[Problem]) -> None:
    """Each problem as ``file:line: field: message``, a warning's message after the word for
    warning; then the summary on stderr."""
    for p in problems:
        level = "" if p.is_error else f"{tr('label.warning')}: "
        print_result(f"{p.path}:{p.line}: {p.field or '-'}: {level}{problem_message(tr, p)}")
    errors = [p for p in problems if p.is_error]
    warnings = len(problems) - len(errors)
    files = len({p.path for p in errors})
    if errors:
        key = "validate.summary_warnings" if warnings else "validate.summary"
        print_message(tr(key, count=len(errors), files=files, warnings=warnings))
    else:
        key = "validate.clean_warnings" if warnings else "validate.clean"
        print_message(tr(key, warnings=warnings))
