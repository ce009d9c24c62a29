"""The official form of the papers (issue 12 point 4): the kop from register.yaml and the
theme's logo, long and spelled-out dates, the berita acara's number, opening, guests and
*Mengetahui*, the decree's tembusan; printed to A4 PDF by Chromium."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from dipctl.publish import dates, letterhead, minutes_paper, paper
from dipctl.publish.themefiles import ThemeRefused
from dipctl.register.config import find_register
from dipctl.register.records import Meeting
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_paper import (
    DECREE,
    MEETING,
    PUBLIC_ITEMS,
    SETTINGS,
    _page_sizes,
    _print,
    _tool,
    text_of,
)
from tests.test_sop import fill, ok
from tests.test_verify import Driver

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<circle cx="5" cy="5" r="4"/></svg>'
)
KOP = """\
  pemerintah: Pemerintah Provinsi Kalimantan Tengah
  alamat: Jalan Tjilik Riwut Km. 1, Palangka Raya 73112
  telepon: (0536) 0000000
  email: ppid@dinas.example.go.id
  situs: https://dinas.example.go.id
"""
TEMBUSAN = """\
naskah:
  tembusan:
    - Gubernur Kalimantan Tengah (sebagai laporan)
    - Komisi Informasi Provinsi Kalimantan Tengah
"""
GUEST = "Ahmad Fauzi — Komisioner Komisi Informasi Provinsi Kalimantan Tengah"


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "indonesian", "english"),
    [
        (
            "2026-11-25",
            "Rabu tanggal dua puluh lima bulan November tahun dua ribu dua puluh enam",
            "Wednesday, the twenty-fifth day of November in the year two thousand twenty-six",
        ),
        (
            "2026-01-20",
            "Selasa tanggal dua puluh bulan Januari tahun dua ribu dua puluh enam",
            "Tuesday, the twentieth day of January in the year two thousand twenty-six",
        ),
        (
            "2011-12-11",
            "Minggu tanggal sebelas bulan Desember tahun dua ribu sebelas",
            "Sunday, the eleventh day of December in the year two thousand eleven",
        ),
        (
            "2031-03-01",
            "Sabtu tanggal satu bulan Maret tahun dua ribu tiga puluh satu",
            "Saturday, the first day of March in the year two thousand thirty-one",
        ),
    ],
)
def test_spelled_dates(iso: str, indonesian: str, english: str) -> None:
    assert dates.spelled_date(iso) == indonesian
    assert dates.spelled_date(iso, "en") == english


def test_numbers_in_words() -> None:
    assert [dates.words_id(n) for n in (10, 11, 12, 19, 100, 111, 1000, 1999, 2026)] == [
        "sepuluh",
        "sebelas",
        "dua belas",
        "sembilan belas",
        "seratus",
        "seratus sebelas",
        "seribu",
        "seribu sembilan ratus sembilan puluh sembilan",
        "dua ribu dua puluh enam",
    ]
    assert [dates.ordinal_en(n) for n in (2, 3, 12, 22, 30)] == [
        "second",
        "third",
        "twelfth",
        "twenty-second",
        "thirtieth",
    ]


def test_long_dates_and_periods_in_both_languages() -> None:
    assert dates.long_date("2026-01-21") == "21 Januari 2026"
    assert dates.long_date("2026-01-21", weekday=True, lang="en") == "Wednesday, 21 January 2026"
    assert dates.long_period("2025-01 s.d. 2025-06") == "Januari 2025 s.d. Juni 2025"
    assert dates.long_period("2025-02-03", "en") == "3 February 2025"
    for text in ("2025", "permanen", "", "2025-13"):
        assert dates.long_period(text) == text
        assert dates.spelled_date(text) == text


# --- the papers in memory -------------------------------------------------------------------


def test_kop_lines_come_from_register_yaml() -> None:
    settings = SETTINGS.__class__.from_mapping(
        {"badan_publik": {"nama": "Dinas Contoh", **yaml.safe_load(KOP)}}
    )
    page = paper.render_decree_draft(
        settings, DECREE, PUBLIC_ITEMS, logo="data:image/png;base64,AA=="
    )
    kop = text_of(page.split('<header class="kop', 1)[1].split("</header>", 1)[0])
    assert kop == (
        'dengan-logo"> PEMERINTAH PROVINSI KALIMANTAN TENGAH DINAS CONTOH '
        "Jalan Tjilik Riwut Km. 1, Palangka Raya 73112, Telepon (0536) 0000000 "
        "Pos-el ppid@dinas.example.go.id, Laman https://dinas.example.go.id"
    )
    assert '<img class="kop-logo" src="data:image/png;base64,AA==" alt="">' in page
    # The only source a page names is its own embedded logo.
    assert re.findall(r"""(?:src|href)=["']?([^"' >]+)""", page) == ["data:image/png;base64,AA=="]


def test_minutes_number_opening_guests_and_mengetahui() -> None:
    meeting = Meeting.from_mapping(
        {
            **_meeting_mapping(),
            "nomor": "005/BA-PPID/I/2026",
            "tamu": [{"nama": "Ahmad Fauzi", "jabatan": "Komisioner"}, {"nama": "Rina"}],
        },
        Path("rapat/x.yaml"),
    )
    text = text_of(minutes_paper.render_minutes(SETTINGS, meeting, PUBLIC_ITEMS))
    assert "RAPAT PENENTUAN DAFTAR INFORMASI PUBLIK Nomor: 005/BA-PPID/I/2026" in text
    assert (
        "Pada hari ini Selasa tanggal dua puluh bulan Januari tahun dua ribu dua puluh enam "
        "(20 Januari 2026), pukul ………… sampai dengan selesai, bertempat di Ruang Rapat Dinas,"
        " telah dilaksanakan rapat bersama yang dipimpin oleh ………… untuk" in text
    )  # a record made before the time and the chair were asked for: blanks to fill in
    assert "Ahmad Fauzi Komisioner Undangan" in text and "Rina Undangan" in text
    assert "Mengetahui, Kepala Dinas Contoh, Budi Santoso NIP. 19700101 199003 1 001" in text
    blank = text_of(minutes_paper.render_minutes(SETTINGS, MEETING, PUBLIC_ITEMS))
    assert "Nomor: …………" in blank


def test_minutes_chrome_in_english_spells_the_date_in_english() -> None:
    page = minutes_paper.render_minutes(SETTINGS, MEETING, PUBLIC_ITEMS, lang="en")
    assert "Tuesday, the twentieth day of January in the year two thousand twenty-six" in page
    assert "Pada hari ini Selasa tanggal dua puluh bulan Januari" in page


def test_decree_tembusan_and_long_dates() -> None:
    settings = SETTINGS.__class__.from_mapping(
        {**_settings_mapping(), "naskah": yaml.safe_load(TEMBUSAN)["naskah"]}
    )
    text = text_of(paper.render_decree_draft(settings, DECREE, PUBLIC_ITEMS))
    assert (
        "Tembusan disampaikan kepada Yth.: Gubernur Kalimantan Tengah (sebagai laporan); "
        "Komisi Informasi Provinsi Kalimantan Tengah." in text
    )
    assert "pada tanggal 21 Januari 2026" in text and "TANGGAL : 21 Januari 2026" in text
    without = text_of(paper.render_decree_draft(SETTINGS, DECREE, PUBLIC_ITEMS))
    assert "Tembusan" not in without


def _settings_mapping() -> dict[str, object]:
    return {
        "badan_publik": {"nama": "Dinas Contoh Provinsi Kalimantan Tengah", "tempat": "Sampit"},
        "orang": [
            {
                "nama": "Budi Santoso",
                "email": "kepala@dinas.example.go.id",
                "nip": "197001011990031001",
                "jabatan": "Kepala Dinas Contoh",
                "peran": ["kepala"],
            }
        ],
    }


def _meeting_mapping() -> dict[str, object]:
    return {
        "id": MEETING.id,
        "tanggal": MEETING.date,
        "tempat": MEETING.place,
        "peserta": list(MEETING.attendees),
        "hasil": [{"informasi": i, "keputusan": d} for i, d in MEETING.decisions.items()],
        "penyimpanan": {"softcopy": MEETING.softcopy, "hardcopy": MEETING.hardcopy},
    }


# --- the register: keys, validation, the logo ------------------------------------------------


def _official(repo: Repo) -> None:
    """register.yaml with the kop and tembusan, and a logo in the theme, committed by the head."""
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^badan_publik:\n", lambda m: m.group(0) + KOP, text, count=1)
    config.write_text(text + TEMBUSAN, encoding="utf-8")
    static = repo.register / "tema" / "static"
    static.mkdir(parents=True)
    (static / "logo.svg").write_bytes(LOGO)
    commit_all(repo.path, "kop naskah dinas", KEPALA)


@pytest.mark.parametrize(
    ("section", "bad", "field"),
    [
        ("badan_publik", "  email: bukan-email\n", "badan_publik.email"),
        ("badan_publik", '  telepon: "(0536)\\u0007 1"\n', "badan_publik.telepon"),
        ("naskah", "naskah:\n  tembusan: Gubernur\n", "naskah.tembusan"),
        ("naskah", "naskah:\n  salinan: [Gubernur]\n", "naskah.salinan"),
    ],
)
def test_validate_checks_the_new_register_keys(
    repo: Repo, section: str, bad: str, field: str
) -> None:
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    if section == "badan_publik":
        text = text.replace("badan_publik:\n", "badan_publik:\n" + bad, 1)
    else:
        text += bad
    config.write_text(text, encoding="utf-8")
    result = repo.run("validate")
    assert result.exit_code == 1, result.stdout
    assert field in result.stdout


def test_a_linked_logo_is_refused(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "rahasia.svg"
    outside.write_bytes(LOGO)
    static = repo.register / "tema" / "static"
    static.mkdir(parents=True)
    (static / "logo.svg").symlink_to(outside)
    with pytest.raises(ThemeRefused, match=r"logo\.svg"):
        letterhead.logo_uri(find_register(repo.register))


def _to_meeting(repo: Repo) -> None:
    ok(repo, "new", "--unit", "sekretariat", "--title", "Renja 2027", "--as", KASUBBAG)
    fill(repo, "sekretariat", "renja-2027")
    ok(repo, "submit", "renja-2027", "--as", KASUBBAG)
    ok(repo, "review", "renja-2027", "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "renja-2027", "--category", "berkala", "--as", PPID)


def _meeting_args(*extra: str) -> list[str]:
    return [
        "meeting",
        "renja-2027",
        "--date",
        "2026-11-25",
        "--place",
        "Ruang Rapat Dinas",
        "--attendee",
        PPID,
        "--attendee",
        SEKRETARIS,
        "--time",
        "09:00",
        "--chair",
        PPID,
        "--softcopy",
        "Folder PPID",
        "--hardcopy",
        "Lemari 1",
        *extra,
        "--as",
        PPID,
    ]


def test_meeting_refuses_a_guest_with_control_characters(repo: Repo) -> None:
    _to_meeting(repo)
    for guest in ("Ahmad\x1b[31m — Tamu", " — Jabatan saja"):
        result = repo.run(*_meeting_args("--guest", guest))
        assert result.exit_code == 2, (guest, result.stderr)
        assert "--guest" in result.stderr
    assert not list((repo.register / "rapat").glob("*.yaml"))


def test_the_official_papers_print_on_a4(repo: Repo, tmp_path: Path) -> None:
    browser = _tool("chromium", "chromium-browser")
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    _official(repo)
    _to_meeting(repo)
    ok(
        repo,
        *_meeting_args(
            "--number", "005/BA-PPID/XI/2026", "--guest", GUEST, "--guest", "Rina Wulandari"
        ),
    )
    record = repo.register / "rapat" / "2026-11-25-penentuan-dip.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert data["nomor"] == "005/BA-PPID/XI/2026"
    assert data["tamu"] == [
        {
            "nama": "Ahmad Fauzi",
            "jabatan": "Komisioner Komisi Informasi Provinsi Kalimantan Tengah",
        },
        {"nama": "Rina Wulandari"},
    ]
    assert repo.run("validate").exit_code == 0
    assert repo.run("verify").exit_code == 0, repo.run("verify").stdout
    minutes_html = record.with_suffix(".html")
    assert "data:image/svg+xml;base64," in minutes_html.read_text(encoding="utf-8")
    decree_html = tmp_path / "draf-sk.html"
    ok(
        repo,
        "decree",
        "draft",
        "--number",
        "188.4/1/2026",
        "--date",
        "2026-11-26",
        "--out",
        str(decree_html),
    )
    git(repo.path, "status", "--porcelain")

    def printed(page: Path) -> tuple[list[tuple[float, float]], str]:
        pdf = tmp_path / f"{page.stem}.pdf"
        _print(browser, page, pdf, tmp_path / f"profile-{page.stem}")
        run = [pdftotext, "-layout", str(pdf), "-"]
        out = subprocess.run(run, check=True, capture_output=True, text=True).stdout
        return _page_sizes(pdfinfo, pdf), " ".join(out.split())

    kop = (
        "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
        "DINAS CONTOH",
        "Jalan Tjilik Riwut Km. 1, Palangka Raya 73112",
        "Telepon (0536) 0000000",
    )
    sizes, minutes = printed(minutes_html)
    assert sizes and all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes)
    for line in kop:
        assert line in minutes
    assert "Nomor: 005/BA-PPID/XI/2026" in minutes
    assert (
        "Pada hari ini Rabu tanggal dua puluh lima bulan November tahun dua ribu dua puluh enam"
        in minutes
    )
    assert "Ahmad Fauzi" in minutes and "Komisioner Komisi Informasi" in minutes
    assert "Palangka Raya, 25 November 2026" in minutes
    assert "Mengetahui, Kepala Dinas" in minutes

    sizes, decree = printed(decree_html)
    assert abs(sizes[0][0] - 595) < 2 and abs(sizes[0][1] - 842) < 2  # A4 portrait
    assert abs(sizes[-1][0] - 842) < 2 and abs(sizes[-1][1] - 595) < 2  # lampiran landscape
    for line in kop:
        assert line in decree
    assert "Ditetapkan di Palangka Raya pada tanggal 26 November 2026" in decree
    assert "Tembusan disampaikan kepada Yth.:" in decree
    assert "Gubernur Kalimantan Tengah (sebagai laporan)" in decree


def test_the_site_shows_long_dates_and_keeps_iso_for_machines(example: Repo) -> None:
    out = example.path / "site"
    result = example.run("build", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-11">November 2025</time>, Palangka Raya' in index
    assert '<time datetime="2025-12-31">31 Desember 2025</time>' in index
    english = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-12-31">31 December 2025</time>' in english
    assert not re.search(r">[^<]*\b20[0-9]{2}-[0-9]{2}\b[^<]*<", index)
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<summary>188.44/01/BIRO-ORG/I/2026, 21 Januari 2026: " in feed
    assert "<updated>2026-01-21T00:00:00Z</updated>" in feed
    assert '"waktu_pembuatan": "2025-11"' in (out / "dip.json").read_text(encoding="utf-8")


def test_the_dik_papers_print_on_a4_under_the_kop(repo: Repo, tmp_path: Path) -> None:
    """The Penetapan DIK and the lembar uji konsekuensi, like the SK and the berita acara:
    the kop lines, the long-form dates and the signature blocks, on A4 (issue 12)."""
    browser = _tool("chromium", "chromium-browser")
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    _official(repo)
    sop = Driver(repo, tmp_path)
    sop.drive("ditentukan", "data-pegawai", category="dikecualikan")
    ok(repo, "approve", "data-pegawai", "--as", KEPALA)
    dik_html, sheet_html = tmp_path / "draf-dik.html", tmp_path / "uji.html"
    ok(repo, "decree", "draft", "--dik", "--number", "188.4/2/2026", "--date", "2026-11-26",
       "--out", str(dik_html))  # fmt: skip
    ok(repo, "consequence-test", "data-pegawai", "--out", str(sheet_html))
    kop = (
        "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
        "DINAS CONTOH",
        "Jalan Tjilik Riwut Km. 1, Palangka Raya 73112",
    )
    for page in (dik_html, sheet_html):
        assert "data:image/svg+xml;base64," in page.read_text(encoding="utf-8")
        pdf = tmp_path / f"{page.stem}.pdf"
        _print(browser, page, pdf, tmp_path / f"profile-{page.stem}")
        sizes = _page_sizes(pdfinfo, pdf)
        assert sizes and all({round(w), round(h)} in ({595, 842}, {842, 595}) for w, h in sizes)
        run = [pdftotext, "-layout", str(pdf), "-"]
        text = " ".join(
            subprocess.run(run, check=True, capture_output=True, text=True).stdout.split()
        )
        for line in kop:
            assert line in text, (page.name, line)
        if page is dik_html:
            assert "26 November 2026" in text  # Ditetapkan di … pada tanggal …
            assert "PPID Pembantu" in text and "Informasi data-pegawai" in text
        else:
            assert "15 Januari 2026" in text  # tanggal_uji, in long form
            assert "Dr. Contoh Ahli" in text and "PPID Pembantu" in text  # signature lines
