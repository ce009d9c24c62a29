"""``dipctl decree``: the decree documents of step 5 that are not steps of an item: the
printable draft (``decree draft``, of the SK DIP or the Penetapan DIK) and the signed scan
(``decree attach``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl import i18n
from dipctl.cli import evidence as evidence_cli
from dipctl.cli import ui
from dipctl.cli.app import AsOpt, LangOpt, ReaderAsOpt, RegisterOpt, _register, app, reports_errors
from dipctl.cli.sop import AmendOpt
from dipctl.i18n import Translator

decree_app = typer.Typer(help="Surat Keputusan (SK) penetapan DIP.", no_args_is_help=True)
app.add_typer(decree_app, name="decree")


@decree_app.command("draft")
@reports_errors
def decree_draft(
    number: Annotated[str, typer.Option("--number", help="Nomor SK (boleh kosong).")] = "",
    date: Annotated[str, typer.Option("--date", help="Tanggal SK (boleh kosong).")] = "",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Berkas HTML keluaran; bawaan: cetak/draf-sk-dip.html (atau "
            "cetak/draf-penetapan-dik.html) di repositori, di luar git.",
        ),
    ] = None,
    dik: Annotated[
        bool, typer.Option("--dik", help="Draf Penetapan DIK (informasi yang disetujui).")
    ] = False,
    amend: AmendOpt = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 5: draf SK penetapan DIP (atau dengan --dik Penetapan DIK), siap cetak, persis
    seperti yang akan ditetapkan: lampirannya daftar lengkap yang berlaku.

    Contoh: dipctl decree draft --out draf-sk.html
    """
    from dipctl.publish import dik_paper, paper, printouts

    reg = _register(register)
    tr = Translator(lang)
    write = dik_paper.write_draft if dik else paper.write_decree_draft
    name = "draf-penetapan-dik.html" if dik else "draf-sk-dip.html"
    target = out if out is not None else printouts.default_path(reg, name)
    written = write(reg, number, date, target, tr.lang, amend=amend)
    ui.print_result(str(written))


@decree_app.command("attach")
@reports_errors
def decree_attach(
    decree_id: Annotated[str, typer.Argument(metavar="DECREE_ID", help="Id keputusan.")],
    scan: evidence_cli.ScanArg,
    replace: evidence_cli.ReplaceOpt = False,
    message: evidence_cli.ReasonOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """PPID Pembantu melampirkan pindaian SK yang ditandatangani sebagai keputusan/<id>.pdf
    (PDF, paling besar 2 MB), dalam satu langkah yang diperiksa verify.

    Contoh: dipctl decree attach sk-188-44-1-2026 sk-dip-2026.pdf --as ppid@x.go.id
    """
    from dipctl.sop import evidence

    reason = evidence_cli.replacing(replace, message)
    reg = _register(register)
    evidence_cli.report(lang, evidence.attach_decree(reg, decree_id, scan, as_, reason))


@decree_app.command("present")
@reports_errors
def decree_present(
    ids: Annotated[list[str] | None, typer.Argument(metavar="ID...", help="Id informasi.")] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Semua informasi ditentukan yang sejenis.")
    ] = False,
    dik: Annotated[
        bool,
        typer.Option("--dik", help="Uji konsekuensi dan draf Penetapan DIK (dikecualikan)."),
    ] = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 5: PPID Pembantu mencatat bahwa draf SK DIP (atau dengan --dik uji konsekuensi
    dan draf Penetapan DIK) disampaikan kepada kepala; mutu baku penetapan dihitung dari sini.

    Contoh: dipctl decree present --all --as ppid@x.go.id
    """
    from dipctl.sop import presentation

    reg = _register(register)
    tr = Translator(lang)
    result, record = presentation.present(reg, ids or [], all_, dik, as_)
    for item_id in record["informasi"]:
        ui.print_result(f"{item_id}\t{tr('present.done', kind=record['jenis'])}")
    if i18n.detailed():  # the trailer that ties the decree to this presentation
        ui.print_result(f"{presentation.DIGEST_TRAILER}: sha256:{record['lampiran_sha256']}")
    for path in result.files:
        ui.print_message(tr("done.file", path=path))
    ui.print_message(tr("done.commit", commit=result.commit[:10], count=len(record["informasi"])))
