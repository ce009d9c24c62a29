"""``dipctl lift``: the PPID Pembantu lifts exemptions by a Penetapan DIK that amends the one
in force (SPEC.md section 2, "update (DIK)"); the items become public information that
enters the DIP with the head's next ``establish``."""

from __future__ import annotations

from typing import Annotated

import typer

from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.cli.sop import DateOpt, IdsArg, NumberOpt, _report


@app.command()
@reports_errors
def lift(
    ids: IdsArg = None,
    category: Annotated[
        str,
        typer.Option(
            "--category", help="Kategori informasi publik: berkala, serta-merta atau setiap-saat."
        ),
    ] = "",
    number: NumberOpt = "",
    date: DateOpt = "",
    message: Annotated[
        str,
        typer.Option(
            "--message",
            "-m",
            help="Alasan berakhirnya pengecualian (wajib): jangka waktunya berakhir, putusan "
            "Komisi Informasi atau pengadilan, atau uji konsekuensi baru.",
        ),
    ] = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """PPID Pembantu mengakhiri pengecualian informasi dengan Penetapan DIK yang mengubah
    penetapan yang berlaku (lampirannya DIK tanpa informasi itu); informasi itu menjadi
    informasi publik yang ditentukan dan masuk DIP dengan penetapan kepala berikutnya.

    Contoh: dipctl lift bo-x --category berkala --number 188.44/20 --date 2027-01-04 -m "Berakhir"
    """
    from dipctl.sop import lifting

    reg = _register(register)
    result = lifting.lift(reg, ids or [], category, number, date, message, as_)
    _report(lang, reg, result)
