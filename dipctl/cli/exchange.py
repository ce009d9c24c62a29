"""The commands that move a DIP between dipctl and the spreadsheets agencies use:
``export`` (the established DIP or DIK as CSV, JSON or XLSX) and ``import``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import AsOpt, LangOpt, ReaderAsOpt, RegisterOpt, _register, app, reports_errors
from dipctl.errors import OutputFailed, UsageError
from dipctl.i18n import Translator

FORMATS = ("csv", "json", "xlsx")


@app.command()
@reports_errors
def export(
    output: Annotated[str, typer.Option("--format", help="csv, json atau xlsx.")] = "csv",
    dik: Annotated[
        bool, typer.Option("--dik", help="Daftar Informasi yang Dikecualikan (kolom publik saja).")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Berkas keluaran (bawaan: stdout untuk csv dan json)."),
    ] = None,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """DIP yang telah ditetapkan (atau DIK dengan --dik) sebagai CSV, JSON atau XLSX.

    Contoh: dipctl export --format xlsx --out dip.xlsx
    """
    from dipctl.publish import downloads
    from dipctl.publish.publicdata import collect

    if output not in FORMATS:
        raise UsageError(
            "usage.bad_choice", option="--format", value=output, choices=", ".join(FORMATS)
        )
    if output == "xlsx" and out is None:
        raise UsageError("usage.out_required", option="--out")
    pub = collect(_register(register))
    rows, columns = (pub.dik, downloads.DIK_COLUMNS) if dik else (pub.items, downloads.DIP_COLUMNS)
    if output == "csv":
        data = downloads.to_csv(rows, columns)
    elif output == "json":
        data = downloads.to_json(
            downloads.dik_document(pub) if dik else downloads.dip_document(pub)
        )
    else:
        data = downloads.to_xlsx(
            rows, columns, "DIK" if dik else "DIP", pub.updated, grouped=not dik
        )
    if out is None:
        sys.stdout.buffer.write(data)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise OutputFailed("output.failed", path=out, detail=exc.strerror or str(exc)) from exc
    ui.print_message(Translator(lang)("done.file", path=out))


@app.command("import")
@reports_errors
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Berkas .xlsx atau .csv.")],
    number: Annotated[str, typer.Option("--number", help="Nomor SK penetapan DIP itu.")] = "",
    date: Annotated[str, typer.Option("--date", help="Tanggal SK itu (ISO).")] = "",
    unit_map: Annotated[
        Path | None, typer.Option("--unit-map", help="Pemetaan nama unit di berkas ke kunci unit.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Tampilkan saja, jangan tulis.")
    ] = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membawa masuk DIP yang telah ditetapkan (Excel atau CSV) sebagai satu langkah kepala.

    Contoh: dipctl import dip-2025.xlsx --number "188.44/1/2025" --date 2025-01-10 --dry-run
    """
    from dipctl.exchange import importer
    from dipctl.sop import kelengkapan

    reg = _register(register)
    kelengkapan.check_decree(number, date)
    if not file.is_file():
        raise UsageError("usage.no_file", option="FILE", value=file)
    mapping = importer.read_unit_map(unit_map) if unit_map else {}
    plan = importer.parse(
        importer.read_rows(file),
        reg.settings.units,
        mapping,
        taken=importer.taken_ids(reg),
        source=file.name,
    )
    result = importer.commit(reg, plan, number, date, as_, dry_run)
    for item in result.items:
        kind = item["kategori"] or item["status"]
        ui.print_result(f"{item['id']}\t{kind}\t{item['unit']}\t{item['judul']}")
    tr = Translator(lang)
    drafts = [i["id"] for i in result.items if i["status"] != "ditetapkan"]
    if drafts:
        ui.print_message(tr("import.drafts", count=len(drafts), ids=", ".join(drafts)))
    key = "import.dry_run" if dry_run else "import.done"
    ui.print_message(
        tr(
            key,
            count=len(result.items) - len(drafts),
            decree=result.decree,
            commit=result.commit[:10],
        )
    )
