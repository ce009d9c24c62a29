"""The commands that read the register: ``list``, ``show``, ``history``, ``status``,
``validate`` and ``schema``. None of them changes a file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dipctl import i18n
from dipctl.cli import trail as trail_view
from dipctl.cli import ui
from dipctl.cli.app import (
    JsonOpt,
    LangOpt,
    ReaderAsOpt,
    RegisterOpt,
    WideOpt,
    _now,
    _register,
    app,
    hint_lag,
    reports_errors,
)
from dipctl.errors import ExitCode, UsageError
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.register.config import Register
    from dipctl.register.records import Item


@app.command("list")
@reports_errors
def list_(
    status: Annotated[str | None, typer.Option("--status", help="Saring menurut status.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Saring menurut unit.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="Saring: kategori.")] = None,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Daftar informasi dalam register, dengan saringan status, unit dan kategori.

    Contoh: dipctl list --status diajukan --json
    """
    from dipctl.register import queries

    reg = _register(register)
    items = queries.list_items(reg, status, unit, category)
    if as_json:
        ui.print_json([item.to_public_dict() for item in items])
    else:
        ui.print_items(Translator(lang), items, wide)


@app.command()
@reports_errors
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Menampilkan satu informasi dengan seluruh kolomnya.

    Contoh: dipctl show bo-renstra-2025-2029
    """
    reg = _register(register)
    from dipctl.register import queries

    item = queries.find_item(reg, item_id)
    entries = _trail(reg, item)
    tr = Translator(lang)
    if as_json:
        ui.print_json(
            {
                **item.to_public_dict(),
                "berkas": reg.relative(item.path),
                "riwayat": [trail_view.history_document(e) for e in entries],
            }
        )
    else:
        ui.print_item(tr, reg, item, wide)
        ui.print_result("")
        trail_view.print_history(tr, entries, wide, codes=i18n.detailed())


def _trail(reg: Register, item: Item) -> list[Any]:
    """The item's trail from git, or none when the register is not in a repository."""
    from dipctl.proof import trail

    if reg.git_dir is None:
        return []
    return trail.trail(reg, item)


@app.command()
@reports_errors
def history(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Riwayat satu informasi: siapa mengambil langkah apa, sebagai peran apa, kapan, kodenya.

    Contoh: dipctl history bo-renstra-2025-2029
    """
    reg = _register(register)
    from dipctl.register import queries

    entries = _trail(reg, queries.find_item(reg, item_id))
    if as_json:
        ui.print_json([trail_view.history_document(e) for e in entries])
    else:
        trail_view.print_history(Translator(lang), entries, wide)


@app.command()
@reports_errors
def status(
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Jumlah per status dan per unit, siapa yang ditunggu, dan apa yang terlambat.

    Contoh: dipctl status
    """
    from dipctl.sop import progress

    reg = _register(register)
    report = progress.status(reg, _now().date())
    if as_json:
        ui.print_json(ui.status_document(Translator(lang), report))
    else:
        ui.print_status(Translator(lang), reg, report, wide)


@app.command()
@reports_errors
def validate(
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Memeriksa setiap berkas register; tiap masalah sebagai berkas:baris: kolom: pesan.

    Contoh: dipctl validate --lang en
    """
    from dipctl.cli import answers
    from dipctl.register import queries
    from dipctl.register.config import find_register

    reg = find_register(register)
    answers.note(reg, register)
    problems = queries.validate(reg)
    tr = Translator(lang)
    hint_lag(tr, reg)
    if as_json:
        ui.print_json([ui.problem_document(tr, p) for p in problems])
    else:
        ui.print_problems(tr, problems)
    if any(p.is_error for p in problems):  # warnings alone leave the register valid
        raise typer.Exit(int(ExitCode.PROBLEMS))


@app.command("schema")
@reports_errors
def schema_(
    kind: Annotated[
        str, typer.Argument(help="informasi, register, rapat, keputusan atau dokumen.")
    ] = "informasi",
    lang: LangOpt = None,
) -> None:
    """Mencetak JSON Schema berkas register (bawaan: berkas informasi), untuk editor dan CI.

    Contoh: dipctl schema > register/informasi.schema.json
    """
    from dipctl.register import schema

    if kind not in schema.KINDS:
        raise UsageError(
            "usage.bad_choice", option="KIND", value=kind, choices=", ".join(schema.KINDS)
        )
    sys.stdout.write(schema.schema_text(schema.KINDS[kind]))
