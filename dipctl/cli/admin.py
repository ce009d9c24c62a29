"""The head's administration of register.yaml as steps (SPEC.md section 5): ``dipctl unit
add|rename``, ``dipctl officer add|set|remove`` and ``dipctl agency set``, each one commit
of a kepala (:mod:`dipctl.sop.admin`, :mod:`dipctl.sop.officers`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli import bootstrap, ui
from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.sop.admin import Administered

unit_app = typer.Typer(help="Unit kerja di register.yaml (oleh kepala).", no_args_is_help=True)
officer_app = typer.Typer(
    help="Pejabat di register.yaml dan perannya (oleh kepala).", no_args_is_help=True
)
agency_app = typer.Typer(
    help="Kop badan publik dan kontak PPID di register.yaml (oleh kepala).", no_args_is_help=True
)
app.add_typer(unit_app, name="unit")
app.add_typer(officer_app, name="officer")
app.add_typer(agency_app, name="agency")

UnitIdArg = Annotated[str, typer.Argument(metavar="ID", help="Kunci unit: huruf kecil, angka, -.")]
UnitNameOpt = Annotated[str, typer.Option("--name", help="Nama unit kerja.")]
EmailArg = Annotated[str, typer.Argument(metavar="EMAIL", help="Email pejabat.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Nama pejabat.")]
PositionOpt = Annotated[str | None, typer.Option("--position", help="Jabatan.")]
RoleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--role", metavar="PERAN", help="Peran: kasubbag, sekretaris, ppid_pembantu, kepala."
    ),
]
OfficerUnitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        help="Unit pejabat (wajib untuk kasubbag; sekretaris tanpa unit: semua unit).",
    ),
]
NipOpt = Annotated[str | None, typer.Option("--nip", help="NIP (18 angka).")]
RankOpt = Annotated[str | None, typer.Option("--pangkat", help="Pangkat, misalnya Pembina.")]
GradeOpt = Annotated[
    str | None, typer.Option("--golongan", help="Golongan/ruang, misalnya IV/a (PPPK: IX).")
]


def _report(tr: Translator, done: Administered, key: str, **params: str) -> None:
    if not done.commit:
        ui.print_message(tr("admin.unchanged"))
        return
    ui.print_result(done.subject)
    ui.print_message(tr(key, **params))


@unit_app.command("add")
@reports_errors
def unit_add(
    unit: UnitIdArg,
    name: UnitNameOpt,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala menambahkan unit kerja ke register.yaml (satu langkah bertanda tangan).

    Contoh: dipctl unit add program --name "Subbagian Program"
    """
    from dipctl.sop import admin

    done = admin.add_unit(_register(register), unit, name, as_)
    _report(Translator(lang), done, "admin.unit_added", unit=unit.strip())


@unit_app.command("rename")
@reports_errors
def unit_rename(
    unit: UnitIdArg,
    name: UnitNameOpt,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala mengganti nama unit kerja; kuncinya tetap.

    Contoh: dipctl unit rename sekretariat --name "Subbagian Umum"
    """
    from dipctl.sop import admin

    done = admin.rename_unit(_register(register), unit, name, as_)
    _report(Translator(lang), done, "admin.unit_renamed", unit=unit.strip())


@officer_app.command("add")
@reports_errors
def officer_add(
    email: EmailArg,
    name: NameOpt = None,
    position: PositionOpt = None,
    role: RoleOpt = None,
    unit: OfficerUnitOpt = None,
    nip: NipOpt = None,
    pangkat: RankOpt = None,
    golongan: GradeOpt = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala menambahkan pejabat ke orang di register.yaml, dengan perannya.

    Contoh: dipctl officer add kasubbag@x.go.id --name "Nama" --position "Kepala Subbagian Umum" --role kasubbag --unit sekretariat
    """  # noqa: E501
    from dipctl.sop import officers

    form = officers.OfficerForm(
        name, position, tuple(role or ()), tuple(unit) if unit else None, nip, pangkat, golongan
    )
    done = officers.add_officer(_register(register), email, form, as_)
    tr = Translator(lang)
    _report(tr, done, "admin.officer_added", email=email.strip().lower())
    if done.commit:
        ui.print_message(tr("admin.officer_key", email=email.strip().lower()))


@officer_app.command("set")
@reports_errors
def officer_set(
    email: EmailArg,
    name: NameOpt = None,
    position: PositionOpt = None,
    role: RoleOpt = None,
    unit: OfficerUnitOpt = None,
    nip: NipOpt = None,
    pangkat: RankOpt = None,
    golongan: GradeOpt = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala mengubah data pejabat: hanya isian yang diberikan; --role dan --unit
    menggantikan daftar lama; nilai kosong ("") menghapus NIP, pangkat, golongan atau unit.

    Contoh: dipctl officer set kepala@x.go.id --nip 197001011995031001 --pangkat Pembina --golongan IV/a
    """  # noqa: E501
    from dipctl.sop import officers

    form = officers.OfficerForm(
        name,
        position,
        tuple(role) if role else None,
        tuple(unit) if unit is not None else None,
        nip,
        pangkat,
        golongan,
    )
    done = officers.set_officer(_register(register), email, form, as_)
    _report(Translator(lang), done, "admin.officer_changed", email=email.strip().lower())


@officer_app.command("remove")
@reports_errors
def officer_remove(
    email: EmailArg,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala mengeluarkan pejabat dari orang (dan kuncinya dari register/penanda-tangan);
    langkah yang sudah diambilnya tetap sah.

    Contoh: dipctl officer remove kasubbag.lama@x.go.id
    """
    from dipctl.sop import officers

    done = officers.remove_officer(_register(register), email, as_)
    _report(Translator(lang), done, "admin.officer_removed", email=email.strip().lower())


@agency_app.command("set")
@reports_errors
def agency_set(
    agency: Annotated[str | None, typer.Option("--agency", help="Nama badan publik.")] = None,
    short: Annotated[
        str | None, typer.Option("--short", help="Singkatan nama badan publik.")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Kedudukan (kota).")] = None,
    government: bootstrap.GovernmentOpt = None,
    address: bootstrap.AddressOpt = None,
    phone: bootstrap.PhoneOpt = None,
    email: bootstrap.EmailOpt = None,
    website: bootstrap.WebsiteOpt = None,
    hours: bootstrap.HoursOpt = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala mengisi atau mengubah kop badan publik dan kontak PPID (badan_publik); hanya
    opsi yang diberikan; nilai kosong ("") menghapus isian itu.

    Contoh: dipctl agency set --address "Jalan Contoh No. 1" --phone "(0536) 0000000"
    """
    from dipctl.sop import admin

    values = {
        "agency": agency,
        "short": short,
        "place": place,
        "government": government,
        "address": address,
        "phone": phone,
        "email": email,
        "website": website,
        "hours": hours,
    }
    done = admin.set_agency(_register(register), values, as_)
    _report(Translator(lang), done, "admin.agency_set")
