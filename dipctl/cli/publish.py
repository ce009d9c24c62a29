"""The commands that render: what the public sees (``build``) and the lembar uji konsekuensi
(``consequence-test``), a paper kept by the PPID."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import LangOpt, ReaderAsOpt, RegisterOpt, _register, app, reports_errors
from dipctl.i18n import Translator


@app.command()
@reports_errors
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder keluaran.")] = Path("site"),
    uncommitted: Annotated[
        bool,
        typer.Option(
            "--uncommitted",
            help="Pratinjau: bangun dari folder kerja apa adanya, termasuk perubahan yang belum "
            "di-commit (bukan untuk diterbitkan).",
        ),
    ] = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membangun situs statis dari informasi yang telah ditetapkan, persis dari isi commit
    terakhir (yang dinilai verify); folder kerja yang berbeda ditolak.

    Contoh: dipctl build --out site
    """
    from dipctl.publish import citizen, site  # jinja2 is loaded only when a site is built

    reg = _register(register)
    written = site.build(reg, out, uncommitted=uncommitted)
    tr = Translator(lang)
    ui.print_message(tr("done.build", count=len(written), path=out))
    missing = citizen.contact_missing(reg.settings)
    if missing:  # the site says "Kontak PPID belum dicantumkan" on every page
        keys = ", ".join(missing)
        ui.print_message(f"{tr('label.warning')}: {tr('site.warn.no_contact', keys=keys)}")
    if uncommitted:
        ui.print_message(f"{tr('label.warning')}: {tr('committed.preview')}")


@app.command("consequence-test")
@reports_errors
def consequence_test(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi yang dikecualikan.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Berkas HTML keluaran; default: cetak/uji-konsekuensi-ID.html di repositori, "
            "di luar git.",
        ),
    ] = None,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Lembar uji konsekuensi satu informasi yang dikecualikan (A4, siap cetak dan ditandatangani
    seluruh peserta uji); tidak diumumkan dan tidak di-commit.

    Contoh: dipctl consequence-test bo-data-pribadi-pegawai --out uji.html
    """
    from dipctl.publish import consequence  # jinja2 is loaded only by the commands that print

    reg = _register(register)
    ui.print_result(str(consequence.write_sheet(reg, item_id, out, Translator(lang).lang)))
