"""``dipctl monev``: the e-Monev evidence pack of the example register (issue 13 point 4).

The real pack is printed once per module by Debian's Chromium (about eight short browser
runs); every other test either fails before a page is printed or uses a stand-in browser (a
small script that writes a one-page PDF), so the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from dipctl.publish import evidence_pages, monev, pdf
from dipctl.publish.publicdata import collect
from dipctl.publish.site import render
from dipctl.register.config import find_register
from dipctl.register.queries import load_decrees
from dipctl.sop import decree as decree_doc
from tests.conftest import EXAMPLE, Repo, commit_all, git
from tests.test_paper import _tool
from tests.test_screen import too_wide
from tests.test_verify import Driver

PPID = "ppid@biroorganisasi.example.go.id"
YEAR = "2026"
LIMIT = 2 * 1024 * 1024


def tiny_pdf(text: str, padding: int = 0) -> bytes:
    """A valid one-page PDF showing ``text`` (plain ASCII), ``padding`` bytes of comment
    before its cross-reference table."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    while padding > 0:
        line = min(padding, 1024)
        out += b"%" + b"x" * (line - 2) + b"\n"
        padding -= line
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdfinfo(path: Path) -> dict[str, str]:
    done = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (path.name, done.stderr)
    pairs = (line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def text_of(path: Path, layout: bool = True) -> str:
    """The text, words joined by one space (``layout``: as laid out, else in reading order)."""
    run = [_tool("pdftotext"), "-layout" if layout else "-raw", str(path), "-"]
    return " ".join(subprocess.run(run, capture_output=True, text=True, check=True).stdout.split())


def biro(root: Path) -> Repo:
    """The example register in a new git repository under ``root``."""
    path = root / "biro"
    shutil.copytree(EXAMPLE, path / "register")
    # without the example's signed scan of its SK DIP: these tests print that decree
    (path / "register" / "keputusan" / "sk-dip-2026.pdf").unlink()
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register contoh")
    return Repo(path)


@dataclass(frozen=True)
class Built:
    repo: Repo
    out: Path
    scans: dict[str, bytes]  # file of the pack -> the signed scan it must be, byte for byte
    stdout: str
    stderr: str


#: The signed scans of the pack fixture: one of each kind; the SK DIP, four of the five
#: consequence tests and three of the five kinds of document have none.
SIGNED = {
    "02-penetapan-dik.pdf": (("decree", "attach", "sk-dik-2026"), ()),
    "03-berita-acara.pdf": (("meeting", "attach", "2026-01-20-penentuan-dip"), ()),
    "04-uji-konsekuensi-bo-data-pribadi-pegawai.pdf": (
        ("consequence-test", "bo-data-pribadi-pegawai", "--attach"),
        (),
    ),
    "08-sk-ppid.pdf": (
        ("document", "add", "sk-ppid"),
        ("--title", "SK PPID", "--date", "2026-01-05"),
    ),
    "10-laporan-layanan.pdf": (
        ("document", "add", "laporan-layanan"),
        ("--title", "Laporan Layanan Informasi Publik 2025", "--date", "2026-01-30"),
    ),
}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The pack of 2026, printed by the real Chromium, with a signed scan of each kind."""
    _tool("chromium", "chromium-browser")
    home = tmp_path_factory.mktemp("monev-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("COLUMNS", "80")  # what the officer's terminal shows
    for name in ("DIPCTL_REGISTER", "DIPCTL_AS", "DIPCTL_LANG", "DIPCTL_CHROMIUM"):
        mp.delenv(name, raising=False)
    try:
        root = tmp_path_factory.mktemp("monev")
        repo = biro(root)
        scans = {}
        for name, (before, after) in SIGNED.items():
            scans[name] = tiny_pdf(f"PINDAIAN BERTANDA TANGAN {name.upper()}")
            scan = root / name
            scan.write_bytes(scans[name])
            done = repo.run(*before, scan, *after, "--as", PPID)
            assert done.exit_code == 0, (before, done.stderr)
        out = root / "emonev"
        done = repo.run("monev", "--year", YEAR, "--out", out)
        assert done.exit_code == 0, done.stderr
    finally:
        mp.undo()
    return Built(repo, out, scans, done.stdout, done.stderr)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != monev.MARKER)


def test_every_pdf_opens_and_is_under_two_megabytes(pack: Built) -> None:
    pdfs = [pack.out / n for n in _files(pack.out) if n.endswith(".pdf")]
    assert [p.name for p in pdfs] == [
        "00-indeks.pdf",
        "01-sk-dip.pdf",
        "02-penetapan-dik.pdf",
        "03-berita-acara.pdf",
        "04-uji-konsekuensi-bo-data-pribadi-pegawai.pdf",
        "04-uji-konsekuensi.pdf",
        "05-sop-mutu-baku.pdf",
        "06-tautan-dip-dik.pdf",
        "07-laporan-pemutakhiran.pdf",
        "08-sk-ppid.pdf",
        "10-laporan-layanan.pdf",
    ]
    day = dt.datetime.now(dt.UTC).strftime("%b %e")  # the stamp: today, 00:00 UTC
    for path in pdfs:
        info = pdfinfo(path)
        assert int(info["Pages"]) >= 1
        assert 0 < path.stat().st_size <= LIMIT, path.name
        assert b"file://" not in path.read_bytes(), path.name  # no link to the print folder
        if path.name not in pack.scans:  # the signed scans, as they are
            assert day in info["CreationDate"] and "00:00:00" in info["CreationDate"]
    assert pack.stdout.split() == [str(pack.out / n) for n in _files(pack.out)]


def test_the_signed_scans_go_in_byte_for_byte_and_no_document_names_a_command(
    pack: Built,
) -> None:
    for name, scan in pack.scans.items():
        assert (pack.out / name).read_bytes() == scan, name
    for path in sorted(pack.out.glob("*.pdf")):
        text = text_of(path, layout=False)
        assert text.strip(), path.name
        assert "dipctl" not in text.lower(), (path.name, text[:300])
    index = (pack.out / "00-indeks.html").read_text(encoding="utf-8")
    assert "dipctl" not in index.replace("dipctl.invalid", "")
    # the papers without a signed scan are printed, and say so
    decree = text_of(pack.out / "01-sk-dip.pdf")
    assert "BELUMDITANDATANGANI" in decree.replace(" ", "")  # the banner, letter-spaced
    assert "Salinan yang dicetak dari register" in decree
    sheets = text_of(pack.out / "04-uji-konsekuensi.pdf")
    assert sheets.count("LEMBAR UJI KONSEKUENSI") == 4  # the fifth is signed: its own file
    assert sheets.replace(" ", "").count("BELUMDITANDATANGANI") == 4
    assert "Data Pribadi Pegawai" not in sheets


def test_the_index_says_what_is_signed_what_is_missing_and_what_to_do(pack: Built) -> None:
    html = (pack.out / "00-indeks.html").read_text(encoding="utf-8")
    index = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    printed = text_of(pack.out / "00-indeks.pdf", layout=False).replace(" ", "")
    for words in (
        "Belum ditandatangani: SK DIP 188.44/01/BIRO-ORG/I/2026",
        "Ditandatangani: pindaian yang disimpan di register",
        "1 dari 5 ditandatangani",
        "lampirkan pindaiannya ke register",
        "gabungkan berkas-berkas ini menjadi satu PDF",
        "Belum ada SOP pelayanan informasi publik yang ditandatangani",
        "Belum ada register permohonan informasi",
        "Tidak ada.",
        "Disusun dari register; tidak memerlukan tanda tangan",
        "4 naskah yang belum ditandatangani, dicetak dari register",
    ):
        assert words in index, words
        assert words.replace(" ", "").replace("-", "") in printed.replace("-", ""), words
    # the exact commands are for the officer's terminal only, fitted to its 80 columns (a
    # long command broken before an option with " \\"): read here as one line each
    assert not too_wide(pack.stderr), pack.stderr
    said = " ".join(re.sub(r" \\\n", " ", pack.stderr).split())
    for command in (
        "dipctl decree attach sk-dip-2026 BERKAS.pdf",
        "dipctl consequence-test bo-dokumen-penawaran-pengadaan-2026 --attach BERKAS.pdf",
        'dipctl document add sop BERKAS.pdf --title "JUDUL" --date TANGGAL',
        "dipctl document add maklumat BERKAS.pdf",
    ):
        assert command in said, command
    assert "01-sk-dip.pdf: SK DIP 188.44/01/BIRO-ORG/I/2026 belum ditandatangani" in said
    assert "dipctl meeting attach" not in pack.stderr  # the berita acara is signed


def test_the_index_names_every_file_and_the_zip_holds_them(pack: Built) -> None:
    names = _files(pack.out)
    index = (pack.out / "00-indeks.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in index
    for name in names:
        assert f'href="{name}"' in index, name
    printed = text_of(pack.out / "00-indeks.pdf", layout=False).replace(" ", "")
    for name in names:
        assert name in printed, name
    assert "Pertanyaan e-Monev" in index and "dimutakhirkan tahun 2026" in index
    with zipfile.ZipFile(pack.out / "emonev-2026.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [n for n in names if not n.endswith(".zip")]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for info in infos:
            assert archive.read(info) == (pack.out / info.filename).read_bytes()


def test_the_signed_scan_is_used_and_the_decree_without_one_is_printed(pack: Built) -> None:
    assert pdfinfo(pack.out / "02-penetapan-dik.pdf")["Pages"] == "1"
    # the generated Penetapan DIK would say so, and run to several pages
    assert "PINDAIAN BERTANDA TANGAN" in text_of(pack.out / "02-penetapan-dik.pdf")
    decree = text_of(pack.out / "01-sk-dip.pdf")
    assert "Belum ditetapkan" not in decree
    assert "NOMOR 188.44/01/BIRO-ORG/I/2026" in decree
    assert "Rencana Strategis" in decree  # the lampiran: the complete DIP
    assert "Data Pribadi Pegawai" not in decree  # exempt information is never in the DIP
    assert int(pdfinfo(pack.out / "01-sk-dip.pdf")["Pages"]) > 5
    index = (pack.out / "00-indeks.html").read_text(encoding="utf-8")
    assert "Pindaian bertanda tangan keputusan nomor 188.44/02/PPID-BIRO-ORG/I/2026" in index


def test_the_sheets_sop_and_links_hold_what_the_reviewer_asks(pack: Built) -> None:
    sheets = text_of(pack.out / "04-uji-konsekuensi.pdf")
    assert "Konfigurasi Server" in sheets and "Menyetujui, Kepala Biro Organisasi" in sheets
    sop = text_of(pack.out / "05-sop-mutu-baku.pdf")
    assert "PPID Pembantu" in sop and "1 hari" in sop and "60 menit" in sop
    assert "Belum ada" in sop  # an assembled register: no step commits measured
    links = text_of(pack.out / "06-tautan-dip-dik.pdf", layout=False).replace(" ", "")
    for name in ("dip.json", "dip.csv", "dip.xlsx", "dik.html", "keputusan/sk-dik-2026.pdf"):
        assert f"https://biroorganisasi.kaltengprov.go.id/dip/{name}" in links, name


def test_every_listed_link_is_a_file_the_site_build_writes(pack: Built) -> None:
    reg = find_register(pack.repo.register)
    decrees = load_decrees(reg)
    in_force = [d for d in (decree_doc.in_force(decrees, k) for k in (False, True)) if d]
    rows = evidence_pages.site_links("", in_force, {"sk-dik-2026"})
    built = render(reg, collect(reg))
    assert len(rows) >= 14
    for row in rows:
        assert row["url"] in built, row


# -- refusals: before any page is printed -------------------------------------------------


def test_missing_chromium_says_how_to_install_it(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    monkeypatch.setenv("PATH", str(tools))  # git, and no browser
    monkeypatch.delenv("DIPCTL_CHROMIUM", raising=False)
    done = example.run("monev", "--year", YEAR, "--out", tmp_path / "emonev")
    assert done.exit_code == 4, done.stderr
    assert "Chromium tidak ditemukan" in done.stderr
    assert "apt-get install chromium" in done.stderr and "DIPCTL_CHROMIUM" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "emonev").exists()
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(tmp_path / "tidak-ada"))
    done = example.run("monev", "--year", YEAR, "--out", tmp_path / "emonev", "--lang", "en")
    assert done.exit_code == 4 and "tidak-ada: that program does not exist" in done.stderr


def _browser(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "chromium"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def _fake_chromium(tmp_path: Path) -> Path:
    """A stand-in browser: writes a one-page PDF where --print-to-pdf says."""
    page = tiny_pdf("FAKE")
    return _browser(
        tmp_path,
        "out = next(a.split('=', 1)[1] for a in sys.argv if a.startswith('--print-to-pdf='))\n"
        f"open(out, 'wb').write({page!r})",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sys.stderr.write('ERROR: cannot open display\\n'); sys.exit(3)", "gagal mencetak"),
        # the first paper printed: the example's SK DIP has its signed scan
        ("time.sleep(30)", "tidak selesai mencetak 02-penetapan-dik.html dalam 1 detik"),
        ("open('/dev/null')", "gagal mencetak"),  # exits 0 and writes no PDF
    ],
)
def test_a_failing_or_hanging_chromium_is_one_sentence_and_keeps_the_old_pack(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    out = tmp_path / "emonev"
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path / "good")))
    assert example.run("monev", "--year", YEAR, "--out", out).exit_code == 0
    before = {n: (out / n).read_bytes() for n in _files(out)}
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_browser(tmp_path / "bad", body)))
    monkeypatch.setenv("DIPCTL_CHROMIUM_TIMEOUT", "1")
    done = example.run("monev", "--year", YEAR, "--out", out)
    assert done.exit_code == 4, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert {n: (out / n).read_bytes() for n in _files(out)} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".emonev")] == []


def test_out_is_never_the_repository_the_register_or_a_folder_not_made_by_monev(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path)))
    mine = tmp_path / "laporan"
    mine.mkdir()
    (mine / "catatan.txt").write_text("jangan dihapus", encoding="utf-8")
    site = tmp_path / "site"
    assert example.run("build", "--out", site).exit_code == 0
    for target, key in (
        (example.path, "berada di dalam register atau repositorinya"),
        (example.register, "berada di dalam register atau repositorinya"),
        (example.register / "keputusan", "berada di dalam register atau repositorinya"),
        (mine, "tidak dibuat oleh dipctl monev (tidak ada .dipctl-monev)"),
        (site, "tidak dibuat oleh dipctl monev"),  # a site is not a pack
        (mine / "catatan.txt", "bukan folder"),
    ):
        done = example.run("monev", "--year", YEAR, "--out", target)
        assert done.exit_code == 4, (target, done.stderr)
        assert key in done.stderr, done.stderr
    assert (mine / "catatan.txt").read_text(encoding="utf-8") == "jangan dihapus"
    assert (site / "index.html").is_file()
    assert git(example.path, "status", "--porcelain") == ""
    # a build never replaces a pack either
    pack = tmp_path / "emonev"
    assert example.run("monev", "--year", YEAR, "--out", pack).exit_code == 0
    assert example.run("build", "--out", pack).exit_code == 4
    # and a pack replaces the previous pack whole
    (pack / "sisa.pdf").write_bytes(b"%PDF-1.4\n")
    assert example.run("monev", "--year", YEAR, "--out", pack).exit_code == 0
    assert not (pack / "sisa.pdf").exists() and (pack / "01-sk-dip.pdf").is_file()


def test_a_signed_scan_over_two_megabytes_is_refused_naming_it(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path)))
    big = tmp_path / "sk-dip.pdf"
    big.write_bytes(tiny_pdf("SK DIP", padding=LIMIT + 4096))
    assert pdfinfo(big)["Pages"] == "1"
    attached = example.run("decree", "attach", "sk-dip-2026", big, "--as", PPID)
    assert attached.exit_code == 3 and "paling besar 2 MB" in attached.stderr
    # one committed with plain git (or by an older dipctl, which took 10 MB)
    (example.register / "keputusan" / "sk-dip-2026.pdf").write_bytes(big.read_bytes())
    commit_all(example.path, "pindaian besar")
    done = example.run("monev", "--year", YEAR, "--out", tmp_path / "emonev")
    assert done.exit_code == 4, done.stderr
    assert "register/keputusan/sk-dip-2026.pdf" in done.stderr
    assert "lebih dari 2 MB" in done.stderr and "kompres" in done.stderr
    assert not (tmp_path / "emonev").exists()


def test_a_scan_that_is_no_pdf_committed_with_plain_git_is_refused(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path)))
    (example.register / "keputusan" / "sk-dip-2026.pdf").write_bytes(b"<html>bukan pdf</html>")
    commit_all(example.path, "pindaian")
    done = example.run("monev", "--year", YEAR, "--out", tmp_path / "emonev")
    assert done.exit_code == 4 and "sk-dip-2026.pdf bukan berkas PDF" in done.stderr


def test_years_without_a_decree_or_to_come_are_refused(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path)))
    out = tmp_path / "emonev"
    done = example.run("monev", "--year", "2025", "--out", out)
    assert done.exit_code == 3 and "tidak ada SK DIP yang berlaku pada akhir tahun 2025" in (
        done.stderr
    )
    assert "dipctl establish" in done.stderr
    assert example.run("monev", "--year", "3000", "--out", out).exit_code == 2
    assert example.run("monev", "--year", "dua", "--out", out).exit_code == 2
    assert not out.exists()


def test_in_english_without_base_url_and_without_exempt_items(
    example: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-in browser: the whole pipeline without printing real pages."""
    monkeypatch.setenv("DIPCTL_CHROMIUM", str(_fake_chromium(tmp_path)))
    config = example.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  base_url: https://", "  # base_url: https://"), "utf-8")
    (example.register / "keputusan" / "sk-dik-2026.yaml").unlink()
    commit_all(example.path, "tanpa base_url dan tanpa DIK")
    out = tmp_path / "emonev"
    done = example.run("monev", "--year", YEAR, "--out", out, "--lang", "en")
    assert done.exit_code == 0, done.stderr
    assert "02-penetapan-dik.pdf" not in _files(out) and "04-uji-konsekuensi.pdf" not in _files(out)
    assert "02-penetapan-dik left out: No DIK establishment is in force" in done.stderr
    assert "register.yaml: situs.base_url" in done.stderr
    index = (out / "00-indeks.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "e-Monev question" in index
    assert "Set the official DIP site" in index and "situs.base_url" not in index
    for name in _files(out):
        assert f'href="{name}"' in index
    reg = find_register(example.register)
    sheet = evidence_pages.links_sheet(reg, [], set(), "en", "")
    assert "ALAMAT SITUS BELUM DITETAPKAN" in sheet and "https://" not in sheet.split("<table")[1]


def test_pdf_dates_are_the_stamp_and_the_pdf_still_opens(pack: Built, tmp_path: Path) -> None:
    original = (pack.out / "05-sop-mutu-baku.pdf").read_bytes()
    assert b"(D:20" in original
    again = pdf.stamped(original, "20250102030405")
    assert len(again) == len(original) and again != original
    assert pdf.stamped(again, "20250102030405") == again
    path = tmp_path / "sop.pdf"
    path.write_bytes(again)
    assert "2025" in pdfinfo(path)["CreationDate"]


def test_the_stamp_is_the_day_or_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert monev.stamp(dt.date(2026, 12, 2)) == "20261202000000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert monev.stamp(dt.date(2026, 12, 2)) == "19700102000000"


def test_the_sop_sheet_shows_the_figures_dipctl_sla_measures(repo: Repo, tmp_path: Path) -> None:
    driver = Driver(repo, tmp_path)
    driver.drive("ditetapkan", "renja-2027")
    reg = find_register(repo.register)
    today = dt.datetime.now(dt.UTC).date()
    figures = evidence_pages.achieved(reg, today.year, today)
    assert figures["rapat"]["measured"] == 1
    assert figures["penetapan"]["measured"] == 0  # no recorded presentation: not measured
    assert figures["pengunggahan"]["measured"] == 0
    assert evidence_pages.achieved(reg, today.year - 1, today)["rapat"]["measured"] == 0
    sheet = evidence_pages.sop_sheet(reg, today.year, today, "id", "")
    assert re.search(r"\d dari 1 langkah sesuai mutu baku; median", sheet)
    assert "Belum ada langkah yang diukur pada tahun ini" in sheet  # step 6, not yet taken
