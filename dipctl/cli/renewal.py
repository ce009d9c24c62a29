"""``dipctl pemutakhiran``: the report of a period's pemutakhiran (issue 13), as text,
``--json``, and with ``--out`` the printable page under the kop. Read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import screen, ui
from dipctl.cli.app import (
    JsonOpt,
    LangOpt,
    ReaderAsOpt,
    RegisterOpt,
    WideOpt,
    _now,
    _register,
    app,
    reports_errors,
)
from dipctl.i18n import Translator


@app.command("pemutakhiran")
@reports_errors
def pemutakhiran(
    year: Annotated[
        int | None, typer.Option("--year", help="Tahun laporan (bawaan: tahun ini).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Awal periode, tanggal ISO (dengan --to).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Akhir periode, tanggal ISO (termasuk).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Tulis juga halaman siap cetak (HTML).")
    ] = None,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Laporan pemutakhiran satu periode dari riwayat register: informasi ditetapkan,
    dimutakhirkan, dicabut; pengecualian ditetapkan, berakhir, dibuka; keputusan; mutu baku.

    Contoh: dipctl pemutakhiran --year 2026 --out laporan-pemutakhiran-2026.html
    """
    from dipctl.proof import renewal, renewal_text
    from dipctl.publish import letterhead, paper, renewal_paper

    reg = _register(register)
    tr = Translator(lang)
    today = _now().date()
    report = renewal.collect(reg, renewal.period(year, start, end, today), today)
    if out is not None:
        page = renewal_paper.render_report(
            reg.settings, report, today, tr.lang, letterhead.logo_uri(reg)
        )
        written = paper.write_paper(out, page)
    if as_json:
        ui.print_json(renewal_text.to_document(report))
    else:
        print_line = ui.print_copy if wide else ui.print_result  # --wide: one line per row
        fitted = None if wide else screen.width()
        for line in renewal_text.render_text(tr, report, reg.settings.agency_name, fitted):
            print_line(line)
        if not wide:
            ui.print_message(tr("screen.more_columns"))
    if out is not None:
        ui.print_message(tr("renewal.written", path=written))
