"""The commands that change the register: the SOP steps (SPEC.md section 5; ``init`` is in
:mod:`dipctl.cli.bootstrap`).

Each parses its options, calls one function of :mod:`dipctl.sop.steps`, and prints what
moved; GitPython and jinja2 load only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.errors import UsageError
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.register.config import Register
    from dipctl.sop.step import Result

IdsArg = Annotated[list[str] | None, typer.Argument(metavar="ID...", help="Id informasi.")]
NoteOpt = Annotated[
    str, typer.Option("--message", "-m", help="Catatan (wajib untuk pengembalian).")
]
AllOpt = Annotated[bool, typer.Option("--all", help="Semua informasi yang menunggu langkah ini.")]
NumberOpt = Annotated[str, typer.Option("--number", help="Nomor keputusan.")]
DateOpt = Annotated[str, typer.Option("--date", help='Tanggal ISO, misalnya "2026-11-25".')]
AmendOpt = Annotated[
    bool,
    typer.Option(
        "--amend", help="Mengubah keputusan yang berlaku (bawaan: mencabut dan menggantinya)."
    ),
]


def _report(lang: str | None, reg: Register, result: Result) -> None:
    tr = Translator(lang)
    for item_id, source, target in result.moves:
        ui.print_result(f"{item_id}\t{source} -> {target}")
    for path in result.files:
        ui.print_message(tr("done.file", path=path))
    ui.print_message(tr("done.commit", commit=result.commit[:10], count=len(result.moves)))


@app.command()
@reports_errors
def new(
    unit: Annotated[str | None, typer.Option("--unit", help="Kunci unit di register.yaml.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Judul informasi.")] = None,
    summary: Annotated[str, typer.Option("--summary", help="Ringkasan isi informasi.")] = "",
    responsible: Annotated[str, typer.Option("--responsible", help="Penanggung jawab.")] = "",
    made: Annotated[str, typer.Option("--made", help='Waktu pembuatan: "2025", "2025-03".')] = "",
    place: Annotated[str, typer.Option("--place", help="Tempat pembuatan.")] = "",
    form: Annotated[list[str] | None, typer.Option("--form", help="softcopy|hardcopy")] = None,
    retention: Annotated[str, typer.Option("--retention", help="Retensi arsip.")] = "",
    item_id: Annotated[str | None, typer.Option("--id", help="Id (bawaan: dari judul).")] = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 1: mencatat informasi baru sebagai draf, langkah kasubbag unitnya.

    Di terminal, --unit dan --title yang tidak diberikan ditanyakan.

    Contoh: dipctl new --unit bagian-kelembagaan --title "Renja 2027" --as kasubbag@x.go.id
    """
    from dipctl.cli import prompts
    from dipctl.sop import inputs, steps

    reg = _register(register)
    unit, title = prompts.ask_new(Translator(lang), reg, unit, title)
    spec = inputs.NewItem(
        unit, title, summary, responsible, made, place, form or (), retention, item_id
    )
    item = steps.new(reg, spec, as_)
    ui.print_result(item)
    path = reg.relative(reg.item_path(unit, item))
    ui.print_message(Translator(lang)("done.new", id=item, path=path))


@app.command()
@reports_errors
def submit(
    ids: IdsArg = None,
    message: NoteOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 1: kasubbag mengajukan informasi yang lengkap ke sekretaris.

    Contoh: dipctl submit bo-renja-2027 --as kasubbag@x.go.id
    """
    from dipctl.sop import steps

    reg = _register(register)
    _report(lang, reg, steps.submit(reg, ids or [], as_, message))


@app.command()
@reports_errors
def review(
    ids: IdsArg = None,
    approve: Annotated[bool, typer.Option("--approve", help="Teruskan ke PPID Pembantu.")] = False,
    return_: Annotated[bool, typer.Option("--return", help="Kembalikan untuk diperbaiki.")] = False,
    message: NoteOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 2: sekretaris meneruskan informasi ke PPID Pembantu atau mengembalikannya.

    Contoh: dipctl review bo-renja-2027 --approve --as sekretaris@x.go.id
    """
    from dipctl.sop import steps

    if approve == return_:
        raise UsageError("usage.one_of", options="--approve, --return")
    reg = _register(register)
    _report(lang, reg, steps.review(reg, ids or [], approve, message, as_))


@app.command()
@reports_errors
def classify(
    ids: IdsArg = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="berkala, serta-merta, setiap-saat atau dikecualikan."),
    ] = None,
    exemption: Annotated[
        Path | None, typer.Option("--exemption", help="Berkas YAML uji konsekuensi (pengecualian).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KUNCI=NILAI",
            help="Satu kunci uji konsekuensi, mis. pasal=17 huruf h.",
        ),
    ] = None,
    return_: Annotated[bool, typer.Option("--return", help="Kembalikan untuk dilengkapi.")] = False,
    message: NoteOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 3: PPID Pembantu mengklasifikasi informasi, atau mengembalikannya.

    Untuk dikecualikan diperlukan uji konsekuensi: di terminal setiap kuncinya ditanyakan
    (lalu seluruh lembar ditampilkan untuk disetujui); di luar terminal berikan --set
    KUNCI=NILAI per kunci dan/atau --exemption BERKAS.

    Contoh: dipctl classify bo-renja-2027 --category berkala --as ppid@x.go.id
    """
    from dipctl.sop import steps

    if (category is None) != return_:
        raise UsageError("usage.one_of", options="--category, --return")
    if (exemption is not None or set_) and category != "dikecualikan":
        raise UsageError("exemption.options_only_exempt")
    reg = _register(register)
    test = None
    if category == "dikecualikan":
        from dipctl.cli import prompts
        from dipctl.sop import exemption_input

        file = exemption_input.from_file(exemption) if exemption is not None else None
        pairs = exemption_input.from_pairs(set_) if set_ else None
        test = exemption_input.TestInput(file, pairs)
        if prompts.on_terminal():
            from dipctl.cli import consequence_questions

            test = consequence_questions.ask_tests(Translator(lang), reg, ids or [], test, as_)
    _report(lang, reg, steps.classify(reg, ids or [], category, test, message, as_))


@app.command()
@reports_errors
def establish(
    ids: IdsArg = None,
    all_: AllOpt = False,
    number: NumberOpt = "",
    date: DateOpt = "",
    amend: AmendOpt = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 5: kepala menetapkan DIP dengan surat keputusan; lampirannya DIP lengkap yang
    berlaku, dan keputusan sebelumnya dicabut (atau dengan --amend diubah).

    Contoh: dipctl establish --all --number "188.44/12/2026" --date 2026-11-26 --as kepala@x.go.id
    """
    from dipctl.sop import decision, presented

    reg = _register(register)
    missing = presented.unpresented(reg, ids or [], all_, dik=False)
    result = decision.establish(reg, ids or [], all_, number, date, as_, amend=amend)
    _report(lang, reg, result)
    _not_presented(lang, missing, "dipctl decree present --all")


@app.command()
@reports_errors
def approve(
    ids: IdsArg = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 5 (DIK): kepala menyetujui uji konsekuensi informasi yang dikecualikan.

    Contoh: dipctl approve bo-data-pribadi-pegawai --as kepala@x.go.id
    """
    from dipctl.sop import decision, presented

    reg = _register(register)
    missing = presented.unpresented(reg, ids or [], False, dik=True)
    _report(lang, reg, decision.approve(reg, ids or [], as_))
    _not_presented(lang, missing, "dipctl decree present --dik --all")


def _not_presented(lang: str | None, missing: list[str], command: str) -> None:
    """Step 5 taken without the draft's presentation: done, but its clock has no start."""
    if missing:
        tr = Translator(lang)
        ids = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        ui.print_message(
            f"{tr('label.warning')}: {tr('warn.not_presented', ids=ids, command=command)}"
        )


@app.command()
@reports_errors
def exempt(
    ids: IdsArg = None,
    all_: AllOpt = False,
    number: NumberOpt = "",
    date: DateOpt = "",
    amend: AmendOpt = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 5 (DIK): PPID Pembantu menetapkan Daftar Informasi yang Dikecualikan.

    Contoh: dipctl exempt --all --number "188.44/13/2026" --date 2026-11-26 --as ppid@x.go.id
    """
    from dipctl.sop import decision

    reg = _register(register)
    result = decision.exempt(reg, ids or [], all_, number, date, as_, amend=amend)
    _report(lang, reg, result)


@app.command()
@reports_errors
def publish(
    ids: IdsArg = None,
    all_: AllOpt = False,
    url: Annotated[str, typer.Option("--url", help="Alamat DIP di situs.")] = "",
    site: Annotated[
        Path | None,
        typer.Option("--site", help="Tanpa jaringan: periksa folder situs ini, bukan --url."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Batas waktu, detik.")] = 10.0,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 6: PPID Pembantu mencatat bahwa DIP yang ditetapkan sudah tersedia di situs
    (dip.json dan dik.json di --url memuat setiap informasi dengan hash isi yang sama).

    Contoh: dipctl publish --all --url https://biroorganisasi.kaltengprov.go.id/dip/
    """
    from dipctl.publish import remote
    from dipctl.sop import decision, kelengkapan, onsite

    reg = _register(register)
    kelengkapan.check_url(url)
    if not 0 < timeout <= 300:
        raise UsageError("usage.out_of_range", option="--timeout", value=timeout, low=0, high=300)
    source = onsite.folder(site) if site is not None else remote.site(url, timeout)
    _report(lang, reg, decision.publish(reg, ids or [], all_, url, source, as_))


@app.command()
@reports_errors
def revise(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    message: NoteOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Pemutakhiran: informasi yang ditetapkan kembali menjadi draf sebagai revisi baru.

    Contoh: dipctl revise bo-renstra-2025-2029 -m "Renstra diubah" --as kasubbag@x.go.id
    """
    from dipctl.sop import steps

    reg = _register(register)
    _report(lang, reg, steps.revise(reg, item_id, message, as_))


@app.command()
@reports_errors
def withdraw(
    ids: IdsArg = None,
    number: NumberOpt = "",
    date: DateOpt = "",
    message: NoteOpt = "",
    amend: AmendOpt = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Mencabut informasi dari DIP dengan surat keputusan kepala (lampirannya DIP lengkap tanpa
    informasi itu).

    Contoh: dipctl withdraw bo-x --number "188.44/13/2026" --date 2026-12-01 -m "Dihapus"
    """
    from dipctl.sop import decision

    reg = _register(register)
    result = decision.withdraw(reg, ids or [], number, date, message, as_, amend=amend)
    _report(lang, reg, result)


@app.command()
@reports_errors
def undo(
    ids: IdsArg = None,
    message: Annotated[str, typer.Option("--message", "-m", help="Alasan (wajib).")] = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membatalkan langkah terakhir (submit, review, classify, meeting) atas informasi.

    Oleh pejabat yang mengambil langkah itu, atau kepala; sebelum penetapan saja.

    Contoh: dipctl undo bo-renja-2027 -m "Salah informasi" --as kasubbag@x.go.id
    """
    from dipctl.sop import undo as undoing

    reg = _register(register)
    _report(lang, reg, undoing.undo(reg, ids or [], message, as_))
