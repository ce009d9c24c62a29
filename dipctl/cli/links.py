"""``dipctl check-links``: the document links of the published DIP, checked over HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import (
    JsonOpt,
    LangOpt,
    ReaderAsOpt,
    RegisterOpt,
    _register,
    app,
    reports_errors,
)
from dipctl.errors import ExitCode
from dipctl.i18n import Translator
from dipctl.publish import links as checker


@app.command("check-links")
@reports_errors
def check_links(
    timeout: Annotated[
        float, typer.Option("--timeout", help="Batas waktu per tautan, dalam detik.")
    ] = checker.DEFAULT_TIMEOUT,
    jobs: Annotated[
        int, typer.Option("--jobs", help="Jumlah tautan yang diperiksa bersamaan.")
    ] = checker.DEFAULT_JOBS,
    total: Annotated[
        float, typer.Option("--total", help="Batas waktu seluruh pemeriksaan, dalam detik.")
    ] = checker.DEFAULT_TOTAL,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Memeriksa setiap tautan dokumen DIP yang diumumkan (HEAD, lalu GET); melaporkan yang
    rusak dengan kode keluar 1.

    Contoh: dipctl check-links --timeout 10 --jobs 8
    """
    checker.check_options(timeout, jobs, total)
    reg = _register(register)
    tr = Translator(lang)
    report = checker.check(checker.published_links(reg), timeout, jobs, total)
    if as_json:
        ui.print_json(checker.to_document(tr, report))
    else:
        for line in checker.render_text(tr, report):
            ui.print_result(line)
    if report.broken:
        raise typer.Exit(int(ExitCode.PROBLEMS))
