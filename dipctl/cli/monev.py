"""``dipctl monev``: the e-Monev evidence pack of a year (PDFs, their index, one zip)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import LangOpt, ReaderAsOpt, RegisterOpt, _now, _register, app, reports_errors
from dipctl.i18n import Translator


@app.command()
@reports_errors
def monev(
    out: Annotated[Path, typer.Option("--out", help="Folder keluaran paket bukti.")] = Path(
        "emonev"
    ),
    year: Annotated[
        int | None, typer.Option("--year", help="Tahun e-Monev; bawaan: tahun ini.")
    ] = None,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Paket bukti e-Monev Komisi Informasi: PDF (masing-masing paling besar 2 MB) berisi SK
    DIP dan Penetapan DIK yang berlaku, berita acara rapat tahun itu, lembar uji konsekuensi,
    SOP dengan mutu bakunya, laporan pemutakhiran, daftar tautan DIP/DIK dan dokumen lain yang
    disimpan (SK PPID, SOP pelayanan, laporan layanan, register permohonan, maklumat), dengan
    indeks dan satu berkas zip. Naskah yang bertanda tangan diambil dari pindaiannya; yang
    belum, dicetak dengan tanda belum ditandatangani, dan perintah untuk melampirkan
    pindaiannya dicantumkan di layar.
    Memerlukan Chromium (apt-get install chromium, atau DIPCTL_CHROMIUM).

    Contoh: dipctl monev --year 2026 --out emonev-2026
    """
    from dipctl.cli.progress import Drawer
    from dipctl.publish import monev as pack  # jinja2 is loaded only by the commands that print

    reg = _register(register)
    tr = Translator(lang)
    today = _now().date()
    shown = Drawer(tr)
    try:
        written = pack.build(reg, out, pack.check_year(year, today), tr.lang, today, shown)
    finally:
        shown.stop()
    for line in written.notices:  # what is not signed or missing, with the exact commands
        ui.print_message(line if line.startswith("  ") else f"{tr('label.warning')}: {line}")
    for name in written.files:
        ui.print_result(str(written.folder / name))
    documents, files = shown.count("progress.monev.print"), shown.count("progress.monev.write")
    shown.finish("progress.figures.monev", documents=documents, files=files)
