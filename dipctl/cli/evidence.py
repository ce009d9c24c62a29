"""The signed evidence (SPEC.md section 5): ``dipctl meeting attach`` (the berita acara's
signed scan) and ``dipctl document add`` (the other documents the e-Monev asks for), with
the options and the report that ``decree attach`` and ``consequence-test --attach`` share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.errors import UsageError
from dipctl.i18n import Translator
from dipctl.register import model

if TYPE_CHECKING:
    from dipctl.sop.step import Result

ScanArg = Annotated[
    Path,
    typer.Argument(metavar="FILE.pdf", help="Pindaian bertanda tangan (PDF, paling besar 2 MB)."),
]
ReplaceOpt = Annotated[
    bool,
    typer.Option(
        "--replace", help="Mengganti pindaian yang sudah dilampirkan (wajib dengan -m ALASAN)."
    ),
]
ReasonOpt = Annotated[
    str, typer.Option("--message", "-m", help="Alasan penggantian pindaian (dengan --replace).")
]


def replacing(replace: bool, reason: str) -> str | None:
    """The reason to replace a scan (None: no replacement); ``-m`` goes with ``--replace``."""
    if replace and not reason.strip():
        raise UsageError("usage.replace_reason")
    if reason and not replace:
        raise UsageError("usage.reason_without_replace")
    return reason.strip() if replace else None


def report(lang: str | None, result: Result) -> None:
    """What a scan step wrote, and its commit."""
    tr = Translator(lang)
    for path in result.files:
        ui.print_result(path)
    ui.print_message(tr("scan.done", commit=result.commit[:10]))


@app.command("meeting attach")
@reports_errors
def meeting_attach(
    meeting_id: Annotated[str, typer.Argument(metavar="RAPAT", help="Id rapat (rapat/<id>.yaml).")],
    scan: ScanArg,
    replace: ReplaceOpt = False,
    message: ReasonOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """PPID Pembantu melampirkan pindaian berita acara rapat yang ditandatangani sebagai
    rapat/<id>.pdf (PDF, paling besar 2 MB), dalam satu langkah yang diperiksa verify.

    Contoh: dipctl meeting attach 2026-11-25-penentuan-dip berita-acara.pdf --as ppid@x.go.id
    """
    from dipctl.sop import evidence

    reason = replacing(replace, message)
    reg = _register(register)
    report(lang, evidence.attach_minutes(reg, meeting_id, scan, as_, reason))


document_app = typer.Typer(
    help="Dokumen bukti e-Monev lain yang disimpan di register.", no_args_is_help=True
)
app.add_typer(document_app, name="document")


@document_app.command("add")
@reports_errors
def document_add(
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND", help="Jenis: " + ", ".join(model.DOCUMENT_KINDS) + "."),
    ],
    scan: ScanArg,
    title: Annotated[str, typer.Option("--title", help="Judul dokumen.")] = "",
    date: Annotated[
        str, typer.Option("--date", help='Tanggal dokumen (ISO), misalnya "2026-01-15".')
    ] = "",
    replace: ReplaceOpt = False,
    message: ReasonOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """PPID Pembantu menyimpan bukti e-Monev lain (SK PPID, SOP, laporan layanan, register
    permohonan, maklumat) di register sebagai dokumen/<jenis>-<tanggal>.pdf dengan catatannya
    (.yaml), dalam satu langkah yang diperiksa verify; dipctl monev memasukkannya ke paket.

    Contoh: dipctl document add sk-ppid sk-ppid.pdf --title "SK PPID Biro Organisasi"
    --date 2026-01-15 --as ppid@x.go.id
    """
    from dipctl.sop import evidence

    reason = replacing(replace, message)
    reg = _register(register)
    report(lang, evidence.add_document(reg, kind, scan, title, date, as_, reason))
