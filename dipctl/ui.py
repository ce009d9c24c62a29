"""Rendering for the terminal: results to stdout, diagnostics to stderr (rich lives here).

Tables are rich tables on a terminal and plain tab-separated rows when piped, so that
10,000 rows print at once and scripts can cut columns.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dipctl import model

if TYPE_CHECKING:
    from dipctl.actions import StatusReport
    from dipctl.checks import Problem
    from dipctl.config import Register
    from dipctl.errors import DipctlError
    from dipctl.i18n import Translator
    from dipctl.model import Item


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_result(text: str) -> None:
    sys.stdout.write(text + "\n")


def print_message(text: str) -> None:
    _err().print(escape(text))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def _params(tr: Translator, params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if not isinstance(v, str) or not v.startswith(("hint.", "role.")) else tr(v))
        for k, v in params.items()
    }


def error_text(tr: Translator, exc: DipctlError) -> tuple[str, str | None]:
    params = dict(exc.params)
    if "path" in params:
        params["path"] = str(params["path"])
    message = tr(exc.key, **_params(tr, params))
    if "line" in params and "file." in exc.key:
        message = f"{params['path']}:{params['line']}: {message}"
    hint = tr(exc.hint_key, **params) if exc.hint_key else None
    return message, hint


def print_error(tr: Translator, exc: DipctlError) -> None:
    message, hint = error_text(tr, exc)
    console = _err()
    console.print(f"{escape(tr('label.error'))}: {escape(message)}")
    if hint:
        console.print(f"{escape(tr('label.hint'))}: {escape(hint)}")


# -- items ---------------------------------------------------------------------------------


def print_items(tr: Translator, items: list[Item]) -> None:
    columns = ("id", "status", "kategori", "unit", "judul")
    rows = [(i.id, i.status, i.category or "-", i.unit, i.title) for i in items]
    if not sys.stdout.isatty():
        sys.stdout.writelines("\t".join(row) + "\n" for row in rows)
        return
    table = Table(*(tr(f"field.{c}") for c in columns), box=None, pad_edge=False)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    _out().print(table)
    print_message(tr("list.count", count=len(items)))


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
        ("status", f"{item.status} ({tr('status.' + item.status)})"),
        ("catatan", item.note),
        ("rapat", item.meeting),
        ("keputusan", item.decree),
        ("revisi", str(item.revision) if item.revision else ""),
        ("dokumen.tautan", item.document_link),
        ("dokumen.arsip", item.document_archive),
    ]
    if item.exemption:
        fields += [
            (f"pengecualian.{key}", value)
            for key, value in zip(model.EXEMPTION_KEYS, vars(item.exemption).values(), strict=True)
        ]
    return [(tr(f"field.{k}"), v) for k, v in fields if v]


def print_item(tr: Translator, reg: Register, item: Item) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    for label, value in [(tr("field.berkas"), reg.relative(item.path)), *item_fields(tr, item)]:
        table.add_row(escape(label), escape(value))
    _out().print(table)


# -- status --------------------------------------------------------------------------------


def status_document(tr: Translator, report: StatusReport) -> dict[str, Any]:
    return {
        "jumlah": report.total,
        "per_status": {s: report.by_status[s] for s in model.STATUSES if report.by_status[s]},
        "per_unit": {unit: dict(sorted(c.items())) for unit, c in sorted(report.by_unit.items())},
        "menunggu": [
            {"peran": role, "perintah": f"dipctl {action}", "informasi": ids}
            for (role, action), ids in sorted(report.waiting.items())
        ],
        "peringatan": [
            {
                "informasi": w.item,
                "jenis": w.key.removeprefix("warn."),
                "pesan": tr(w.key, id=w.item, **w.params),
            }
            for w in report.warnings
        ],
    }


def print_status(tr: Translator, reg: Register, report: StatusReport) -> None:
    out = _out()
    out.print(escape(tr("status.heading", total=report.total, agency=reg.settings.agency_name)))
    table = Table(tr("field.status"), tr("label.count"), box=None, pad_edge=False)
    for status in model.STATUSES:
        if report.by_status[status]:
            table.add_row(
                f"{status} ({escape(tr('status.' + status))})", str(report.by_status[status])
            )
    out.print(table)
    units = Table(
        tr("field.unit"),
        *(s for s in model.STATUSES if report.by_status[s]),
        box=None,
        pad_edge=False,
    )
    for unit, counts in sorted(report.by_unit.items()):
        units.add_row(
            escape(unit), *(str(counts[s] or "-") for s in model.STATUSES if report.by_status[s])
        )
    out.print(units)
    for (role, action), ids in sorted(report.waiting.items()):
        out.print(
            escape(
                tr(
                    "status.waiting",
                    role=tr("role." + role),
                    count=len(ids),
                    command=f"dipctl {action}",
                    ids=", ".join(ids[:5]) + (" …" if len(ids) > 5 else ""),
                )
            )
        )
    for warning in report.warnings:
        out.print(
            escape(f"{tr('label.warning')}: " + tr(warning.key, id=warning.item, **warning.params))
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
    for p in problems:
        sys.stdout.write(f"{p.path}:{p.line}: {p.field or '-'}: {problem_message(tr, p)}\n")
    files = len({p.path for p in problems})
    print_message(
        tr("validate.summary", count=len(problems), files=files)
        if problems
        else tr("validate.clean")
    )
