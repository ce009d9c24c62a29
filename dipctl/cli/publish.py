"""The commands that render: what the public sees (``build``) and the lembar uji konsekuensi
(``consequence-test``), a paper kept by the PPID, and its signed scan (``--attach``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import evidence as evidence_cli
from dipctl.cli import ui
from dipctl.cli.app import (
    AsOpt,
    LangOpt,
    ReaderAsOpt,
    RegisterOpt,
    _register,
    app,
    reports_errors,
)
from dipctl.errors import UsageError
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
            "dicatat (bukan untuk diterbitkan).",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Bangun ulang seluruh situs dan ganti foldernya utuh, tanpa memakai manifes "
            "build sebelumnya (berkas lain di folder itu ikut terhapus).",
        ),
    ] = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membangun situs statis dari informasi yang telah ditetapkan, persis dari isi catatan
    terakhir (yang dinilai verify); folder kerja yang berbeda ditolak.

    Contoh: dipctl build --out site
    """
    from dipctl.cli.progress import Drawer, number
    from dipctl.publish import citizen, site  # jinja2 is loaded only when a site is built

    reg = _register(register)
    tr = Translator(lang)
    shown = Drawer(tr)
    try:
        data = None
        if reg.settings.federation:  # a federation's build: the province portal
            from dipctl.federation import portal

            data = portal.load(reg)
        if data is not None:
            built = portal.build(reg, out, data, full, uncommitted, progress=shown)
        else:
            built = site.build(reg, out, uncommitted=uncommitted, full=full, progress=shown)
    finally:
        shown.stop()
    count = len(built.files)
    if built.incremental:
        ui.print_message(
            tr(
                "done.build_incremental",
                count=count,
                path=out,
                written=built.written,
                removed=built.removed,
            )
        )
    else:
        ui.print_message(tr("done.build", count=count, path=out))
    missing = citizen.contact_missing(reg.settings)
    if missing:  # the site says "Kontak PPID belum dicantumkan" on every page
        keys = ", ".join(missing)
        ui.print_message(f"{tr('label.warning')}: {tr('site.warn.no_contact', keys=keys)}")
    if uncommitted:
        ui.print_message(f"{tr('label.warning')}: {tr('committed.preview')}")
    pages = shown.count("progress.build.render")
    files = number(built.written, tr.lang) if built.incremental else None
    shown.finish("progress.figures.build", pages=pages, files=files or shown.count(WRITE))


WRITE = "progress.build.write"


@app.command("consequence-test")
@reports_errors
def consequence_test(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi yang dikecualikan.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Berkas HTML keluaran; bawaan: cetak/uji-konsekuensi-ID.html di repositori, "
            "di luar git.",
        ),
    ] = None,
    attach: Annotated[
        Path | None,
        typer.Option(
            "--attach",
            metavar="FILE.pdf",
            help="Pindaian lembar yang telah ditandatangani (PDF, paling besar 2 MB), "
            "dicatat oleh PPID Pembantu.",
        ),
    ] = None,
    replace: evidence_cli.ReplaceOpt = False,
    message: evidence_cli.ReasonOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Lembar uji konsekuensi satu informasi yang dikecualikan (A4, siap cetak dan ditandatangani
    seluruh peserta uji); tidak diumumkan dan tidak dicatat.

    Dengan --attach, PPID Pembantu melampirkan pindaian lembar yang telah ditandatangani dan
    disetujui kepala sebagai uji-konsekuensi/<id>.revisi-<n>.pdf, dalam satu langkah.

    Contoh: dipctl consequence-test bo-data-pribadi-pegawai --out uji.html
    """
    reg = _register(register)
    if attach is not None:
        from dipctl.sop import evidence

        if out is not None:
            raise UsageError("usage.exclusive", options="--out, --attach")
        reason = evidence_cli.replacing(replace, message)
        evidence_cli.report(lang, evidence.attach_test(reg, item_id, attach, as_, reason))
        return
    if replace or message:
        raise UsageError("usage.replace_without_attach")
    from dipctl.publish import consequence  # jinja2 is loaded only by the commands that print

    ui.print_result(str(consequence.write_sheet(reg, item_id, out, Translator(lang).lang)))
