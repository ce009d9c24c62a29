"""The PPID Utama's federation (issue 22): ``dipctl member add|remove`` (the federation's
kepala enrols a member, one step) and ``dipctl federate sync`` (fetch, prove and keep each
member's register) (:mod:`dipctl.federation`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from dipctl.errors import ExitCode
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.federation.sync import Outcome

member_app = typer.Typer(
    help="Anggota federasi PPID Utama di register.yaml (oleh kepala).", no_args_is_help=True
)
federate_app = typer.Typer(
    help="Federasi PPID Utama: mengambil dan membuktikan register anggota.", no_args_is_help=True
)
app.add_typer(member_app, name="member")
app.add_typer(federate_app, name="federate")

NameArg = Annotated[
    str, typer.Argument(metavar="NAMA", help="Nama anggota: huruf kecil, angka, -.")
]
TimeoutOpt = Annotated[
    float, typer.Option("--timeout", min=1, help="Batas waktu mengambil satu anggota (detik).")
]


@member_app.command("add")
@reports_errors
def member_add(
    name: NameArg,
    url: Annotated[str, typer.Argument(metavar="URL", help="Alamat git register anggota.")],
    branch: Annotated[str, typer.Option("--branch", help="Cabang register anggota.")] = "main",
    folder: Annotated[
        str, typer.Option("--folder", help="Folder register di repositori anggota.")
    ] = "register",
    timeout: TimeoutOpt = 120.0,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala federasi mendaftarkan anggota setelah riwayatnya terbukti (satu langkah).

    Register anggota diambil dan diperiksa dengan verify miliknya sendiri; yang tercatat:
    URL, cabang, commit akar riwayatnya, commit yang terbukti, dan kunci kepalanya.

    Contoh: dipctl member add dinkes https://git.example.go.id/dinkes/dip.git
    """
    from dipctl.federation import enrol

    tr = Translator(lang)
    done = enrol.add(_register(register), name, url, branch, folder, as_, timeout)
    ui.print_result(f"{done.name}: {done.agency}")
    ui.print_message(tr("federation.enrolled", name=done.name, agency=done.agency,
                        commit=done.tip[:12]))  # fmt: skip


@member_app.command("remove")
@reports_errors
def member_remove(
    name: NameArg,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala federasi mengeluarkan anggota (satu langkah); salinan lokalnya dihapus.

    Contoh: dipctl member remove dinkes
    """
    from dipctl.federation import enrol

    tr = Translator(lang)
    done = enrol.remove(_register(register), name, as_)
    ui.print_result(done.name)
    ui.print_message(tr("federation.removed", name=done.name))


@federate_app.command("sync")
@reports_errors
def federate_sync(
    jobs: Annotated[
        int, typer.Option("--jobs", min=1, max=16, help="Anggota yang diambil sekaligus.")
    ] = 4,
    timeout: TimeoutOpt = 120.0,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Buktikan ulang juga keadaan terakhir yang terbukti, dengan seluruh riwayat "
            "anggota (CI, dengan salinan dari cache).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Mengambil setiap anggota, memeriksa riwayat barunya, menyimpan yang terbukti.

    Anggota yang riwayat barunya tidak lolos verify tetap ditampilkan dengan keadaan terakhir
    yang terbukti; yang tidak terjangkau ditandai usang. Keluar 1 bila ada yang tidak lolos.

    Contoh: dipctl federate sync
    """
    from dipctl.cli.progress import Drawer
    from dipctl.federation import enrol, sync

    tr = Translator(lang)
    reg = _register(register)
    data = enrol.federation(reg)
    shown = Drawer(tr, quiet=as_json)
    try:
        outcomes = sync.sync(reg, data, jobs, timeout, progress=shown, full=full)
    finally:
        shown.stop()
    if as_json:
        ui.print_json([{"member": o.member.name, **_document(o)} for o in outcomes])
    else:
        for outcome in outcomes:
            ui.print_result(_line(tr, outcome))
    if any(o.failed for o in outcomes):
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _document(outcome: Outcome) -> dict[str, object]:
    from dataclasses import asdict

    found = asdict(outcome.state)
    found.pop("name", None)
    return {**found, "moved": outcome.moved}


def _line(tr: Translator, outcome: Outcome) -> str:
    st = outcome.state
    verified = st.verified[:12] if st.verified else "-"
    items = sum(st.holdings.items.values())
    head = tr(f"federation.result.{st.result}", name=outcome.member.name, commit=verified,
              items=items, since=st.since or "-")  # fmt: skip
    if st.reason:
        return f"{head}\n  {tr(st.reason, **st.params)}"
    return head


@federate_app.command("report")
@reports_errors
def federate_report(
    year: Annotated[int, typer.Option("--year", min=2008, max=2100, help="Tahun laporan.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Tulis juga halaman siap cetak (HTML).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Laporan federasi per instansi untuk bukti e-Monev PPID Utama, dari commit terakhir
    yang terbukti setiap anggota (jalankan dipctl federate sync dahulu).

    Per instansi: jumlah DIP dan DIK, keputusan tahun itu, SK DIP yang berlaku,
    pemutakhiran, mutu baku, dan keadaan verifikasinya.

    Contoh: dipctl federate report --year 2026 --out laporan-federasi-2026.html
    """
    from dipctl.cli import screen
    from dipctl.federation import enrol
    from dipctl.federation.report import page, report

    tr = Translator(lang)
    reg = _register(register)
    made = report(reg, enrol.federation(reg), year)
    if out is not None:
        from dipctl.publish.paper import write_paper

        written = write_paper(out, page(reg, made, tr.lang))
        ui.print_message(tr("renewal.written", path=written))
    if as_json:
        ui.print_json(made.document())
        return
    lines = [tr("federation.report.head", federation=made.federation, year=year, **made.totals)]
    for a in made.agencies:
        decree = a["keputusan"]
        quality = a["mutu_baku"] or {}
        lines += [
            "",
            f"{a['nama']}: {a['instansi']}",
            tr("federation.report.counts", dip=a["dip"], dik=a["dik"], year=year,
               issued=a["keputusan_tahun_ini"]),
            tr("federation.report.decree", number=decree["nomor"], date=decree["tanggal"])
            if decree else tr("federation.report.no_decree"),
            tr("federation.report.renewal." + ("overdue" if a["terlambat"] else "on_time"),
               within=quality.get("sesuai", 0), measured=quality.get("diukur", 0)),
            "  " + tr(f"portal.proof.{a['verifikasi']}", date=a["terverifikasi"] or "-",
               since=a["sejak"] or "-") + (f" ({a['commit']})" if a["commit"] else ""),
        ]  # fmt: skip
    screen.print_lines(lines)
