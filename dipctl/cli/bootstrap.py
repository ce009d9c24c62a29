"""``dipctl init``: a new register repository, with the agency's form (the kop, the PPID's
contact and service hours, the head's NIP) from its options or, on a terminal, from
questions (SPEC.md section 5)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import keys, prompts, share, ui
from dipctl.cli.app import LangOpt, app, reports_errors
from dipctl.i18n import Translator

GovernmentOpt = Annotated[
    str | None,
    typer.Option(
        "--government",
        help='Baris pemerintah di kop, misalnya "Pemerintah Provinsi Kalimantan Tengah".',
    ),
]
AddressOpt = Annotated[
    str | None, typer.Option("--address", help="Alamat kantor (kop, kontak PPID).")
]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Telepon (kop, kontak PPID).")]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Email PPID (kop, kontak PPID).")]
WebsiteOpt = Annotated[
    str | None, typer.Option("--website", help="Situs web badan publik (https://…).")
]
HoursOpt = Annotated[
    str | None, typer.Option("--hours", help="Jam layanan informasi PPID (kontak PPID di situs).")
]
HeadNipOpt = Annotated[
    str | None,
    typer.Option("--head-nip", help="NIP kepala badan (18 angka), di blok tanda tangan."),
]


@app.command()
@reports_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder repositori baru.")],
    agency: Annotated[str, typer.Option("--agency", help="Nama badan publik.")],
    head_name: Annotated[str, typer.Option("--head-name", help="Nama kepala badan.")],
    head_email: Annotated[str, typer.Option("--head-email", help="Email kepala badan.")],
    place: Annotated[str, typer.Option("--place", help="Kedudukan (kota).")] = "",
    government: GovernmentOpt = None,
    address: AddressOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    website: WebsiteOpt = None,
    hours: HoursOpt = None,
    head_nip: HeadNipOpt = None,
    remote: share.RemoteOpt = None,
    unsigned: keys.UnsignedOpt = False,
    key: keys.KeyOpt = None,
    dipctl_source: keys.SourceOpt = None,
    federation: Annotated[
        bool,
        typer.Option(
            "--federation",
            help="Register federasi PPID Utama: anggotanya didaftarkan dengan `dipctl member add`.",
        ),
    ] = False,
    lang: LangOpt = None,
) -> None:
    """Membuat register baru: repositori git, register/, alur CI, langkah pertama oleh kepala.

    Di terminal, isian kop dan kontak PPID yang tidak diberikan ditanyakan (Enter: lewati).

    Contoh: dipctl init dip --agency "Biro Organisasi" --head-name N --head-email k@x.go.id
    """
    from dipctl.sop import bootstrap

    tr = Translator(lang)
    given = {
        "government": government,
        "address": address,
        "phone": phone,
        "email": email,
        "website": website,
        "hours": hours,
        "head_nip": head_nip,
    }
    form = prompts.ask_form(tr, given)
    opts = bootstrap.InitOptions(directory, agency, head_name, head_email, place)
    opts = dataclasses.replace(
        opts,
        signed=not unsigned,
        key=key,
        dipctl_source=dipctl_source,
        form=bootstrap.AgencyForm(**form),
        federation=federation,
    )
    made = bootstrap.init(opts)
    ui.print_result(str(made.root))
    ui.print_message(tr("done.init", path=made.root))
    keys.report_init(tr, made)
    ui.print_message(tr("admin.after_init"))
    if remote:  # issue 14.1: share it from the agency's git server
        share.push_first(made.root.parent, remote, lang)
