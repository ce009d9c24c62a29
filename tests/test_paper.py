"""The printable papers: berita acara (step 4) and draft SK (step 5), in memory and in Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from dipctl import i18n
from dipctl.publish import minutes_paper, paper
from dipctl.register import model, store
from dipctl.register.config import find_register, templates_dir
from dipctl.register.queries import load_items
from dipctl.register.records import Decree, Item, Meeting, Settings
from tests.conftest import EXAMPLE

KEPALA = "kepala@dinas.example.go.id"
PPID = "ppid@dinas.example.go.id"
SEKRETARIS = "sekretaris@dinas.example.go.id"
KASUBBAG = "kasubbag@dinas.example.go.id"
GUEST = "tamu@example.org"

LEGAL_BASES = [
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14 "
    "Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
]
SETTINGS = Settings.from_mapping(
    {
        "badan_publik": {"nama": "Dinas Contoh Provinsi Kalimantan Tengah", "tempat": "Sampit"},
        "unit": {"sekretariat": {"nama": "Sekretariat"}, "program": {"nama": "Subbagian Program"}},
        "orang": [
            {
                "nama": "Budi Santoso",
                "email": KEPALA,
                "nip": "197001011990031001",
                "jabatan": "Kepala Dinas Contoh",
                "peran": ["kepala"],
            },
            {
                "nama": "Siti Aminah",
                "email": PPID,
                "jabatan": "PPID Pembantu",
                "peran": ["ppid_pembantu"],
            },
            {
                "nama": "Rahmat Hidayat",
                "email": SEKRETARIS,
                "jabatan": "Sekretaris",
                "peran": ["sekretaris"],
            },
            {
                "nama": "Dewi Lestari",
                "email": KASUBBAG,
                "jabatan": "Kepala Subbagian Program",
                "peran": ["kasubbag"],
                "unit": ["program"],
            },
        ],
        "situs": {"base_url": "https://dinas.example.go.id/dip/"},
        "dasar_hukum": LEGAL_BASES,
    }
)
EXEMPTION = {
    "dasar_hukum": "UU 14/2008 Pasal 17 huruf h",
    "konsekuensi_dibuka": "Data pribadi pegawai dapat disalahgunakan.",
    "konsekuensi_ditutup": "Privasi pegawai terlindungi.",
    "jangka_waktu": "5 tahun",
    "berakhir": "2031-12-31",
}


def make_item(item_id: str, title: str, category: str, unit: str = "program", **extra: Any) -> Item:
    data = {
        "id": item_id,
        "judul": title,
        "ringkasan": f"Ringkasan {title}",
        "unit": unit,
        "penanggung_jawab": "Kepala Subbagian Program",
        "waktu_pembuatan": "2025",
        "tempat_pembuatan": "Sampit",
        "bentuk": ["softcopy", "hardcopy"],
        "retensi": "5 tahun",
        "kategori": category,
        "status": "ditentukan",
        **extra,
    }
    return Item.from_mapping(data, Path(f"informasi/{unit}/{item_id}.yaml"))


PUBLIC_ITEMS = [
    make_item("renstra-2025", "Rencana Strategis 2025-2029", "berkala"),
    make_item("bencana-info", "Peringatan Dini Bencana", "serta-merta", unit="sekretariat"),
    make_item("sop-layanan", "SOP Layanan Informasi", "setiap-saat"),
    make_item("lakip-2025", "Laporan Kinerja 2025", "berkala"),
]
EXEMPT_ITEM = make_item(
    "data-pegawai", "Data Pribadi Pegawai", "dikecualikan", pengecualian=EXEMPTION
)
MEETING = Meeting.from_mapping(
    {
        "id": "2026-01-20-penentuan-dip",
        "tanggal": "2026-01-20",
        "tempat": "Ruang Rapat Dinas",
        "peserta": [PPID, SEKRETARIS, KASUBBAG, GUEST],
        "hasil": [
            {"informasi": "renstra-2025", "keputusan": "ditentukan"},
            {"informasi": "bencana-info", "keputusan": "ditentukan"},
            {"informasi": "sop-layanan", "keputusan": "dikembalikan", "catatan": "Lengkapi SOP."},
            {"informasi": "lakip-2025", "keputusan": "ditentukan"},
            {"informasi": "data-pegawai", "keputusan": "ditentukan", "catatan": "Masuk DIK."},
        ],
        "penyimpanan": {"softcopy": "Folder PPID/2026", "hardcopy": "Lemari Arsip PPID"},
        "notulen": "Rapat dibuka pukul 09.00.\nSemua usulan dibahas.",
    },
    Path("rapat/2026-01-20-penentuan-dip.yaml"),
)


def make_decree(**data: Any) -> Decree:
    fields = {"id": "sk-dip-2026", "jenis": "penetapan", "penandatangan": KEPALA, **data}
    return Decree.from_mapping(fields, Path("keputusan/sk-dip-2026.yaml"))


#: The berita acara's opening for the meeting of 2026-01-20.
OPENING = "Pada hari ini Selasa tanggal dua puluh bulan Januari tahun dua ribu dua puluh enam"
DECREE = make_decree(nomor="188.4/12/DINAS/2026", tanggal="2026-01-21")


def text_of(page: str) -> str:
    """The page's visible words, tags dropped and whitespace collapsed."""
    body = page.split("<body>", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def dicta(page: str) -> list[tuple[str, str]]:
    """The (label, text) pairs of the decree's Menetapkan/KESATU/... grid."""
    section = page.split('id="memutuskan"', 1)[1].split('class="ttd"', 1)[0]
    pairs = re.findall(
        r'<div>([A-Za-z]+)</div><div class="sep">:</div><div class="isi">(.*?)</div>', section
    )
    return [(label, html.unescape(text)) for label, text in pairs]


# --- pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2026-01-20", "Selasa, 20 Januari 2026"),
        ("2024-02-29", "Kamis, 29 Februari 2024"),
        ("2000-02-29", "Selasa, 29 Februari 2000"),
        ("2025-12-31", "Rabu, 31 Desember 2025"),
        ("2026-08-17T09:00:00+07:00", "Senin, 17 Agustus 2026"),
    ],
)
def test_long_date_names_the_indonesian_day_and_month(iso: str, expected: str) -> None:
    assert paper.long_date(iso, weekday=True) == expected
    assert paper.long_date(iso) == expected.split(", ", 1)[1]


@pytest.mark.parametrize("text", ["", "2026-02-30", "2025-02-29", "Januari 2026"])
def test_long_date_leaves_what_is_not_a_date(text: str) -> None:
    assert paper.long_date(text, weekday=True) == text


def test_ordinals_and_nip() -> None:
    assert [paper.ordinal(n) for n in range(1, 11)] == [
        "KESATU",
        "KEDUA",
        "KETIGA",
        "KEEMPAT",
        "KELIMA",
        "KEENAM",
        "KETUJUH",
        "KEDELAPAN",
        "KESEMBILAN",
        "KESEPULUH",
    ]
    assert paper.format_nip("197001011990031001") == "19700101 199003 1 001"
    assert paper.format_nip("12345") == "12345"


def test_items_are_sorted_by_category_title_and_id() -> None:
    twin = make_item("lakip-2025-b", "Laporan Kinerja 2025", "berkala")
    ordered = paper.sort_items([EXEMPT_ITEM, *reversed(PUBLIC_ITEMS), twin])
    assert [i.id for i in ordered] == [
        "lakip-2025",
        "lakip-2025-b",
        "renstra-2025",
        "bencana-info",
        "sop-layanan",
        "data-pegawai",
    ]


# --- berita acara ---------------------------------------------------------------------------


def test_minutes_list_every_attendee_and_decision() -> None:
    page = minutes_paper.render_minutes(SETTINGS, MEETING, [*PUBLIC_ITEMS, EXEMPT_ITEM])
    text = text_of(page)
    assert "BERITA ACARA RAPAT PENENTUAN DAFTAR INFORMASI PUBLIK" in text
    assert "DINAS CONTOH PROVINSI KALIMANTAN TENGAH" in text
    assert f"{OPENING} (20 Januari 2026)" in text
    assert "Ruang Rapat Dinas" in text
    for name in ("Siti Aminah", "Rahmat Hidayat", "Dewi Lestari", GUEST):
        assert name in text
    assert "PPID Pembantu" in text and "Kasubbag/Kepala Seksi" in text
    public, exempt, returned = results(page)
    assert public == [
        "Laporan Kinerja 2025",
        "Rencana Strategis 2025-2029",
        "Peringatan Dini Bencana",
    ]
    assert exempt == ["Data Pribadi Pegawai"] and returned == ["SOP Layanan Informasi"]
    assert "Lengkapi SOP." in text and "Masuk DIK." in text
    assert "Rapat dibuka pukul 09.00.\nSemua usulan dibahas." in page
    assert "Folder PPID/2026" in text and "Lemari Arsip PPID" in text
    assert (
        "Rapat menentukan 3 informasi sebagai Informasi Publik untuk ditetapkan dalam Daftar"
        " Informasi Publik dengan Keputusan Pimpinan Badan Publik, menentukan 1 informasi yang"
        " diusulkan dikecualikan, untuk ditetapkan oleh PPID setelah uji konsekuensinya disetujui"
        " Pimpinan Badan Publik dan mengembalikan 1 informasi" in text
    )
    assert "ditetapkan dalam DIP dengan Keputusan Pimpinan" in text
    assert "diusulkan dikecualikan, ditetapkan PPID setelah persetujuan Pimpinan" in text


def results(page: str) -> tuple[list[str], ...]:
    """The titles under each heading of the berita acara's results: to be established in the
    DIP, proposed as exempt, returned."""
    section = page.split('id="hasil-dip"', 1)[1]
    public, rest = section.split('id="hasil-dik"', 1)
    exempt, _, returned = rest.partition('id="hasil-kembali"')
    returned = returned.split('id="penyimpanan"', 1)[0]

    def titles(part: str) -> list[str]:
        found = re.findall(r'<td class="no">\d+</td>\s*<td>([^<]*)</td>', part)
        return [html.unescape(t) for t in found]

    return titles(public), titles(exempt), titles(returned)


def test_minutes_are_signed_by_the_ppid_and_one_other_attendee() -> None:
    page = minutes_paper.render_minutes(SETTINGS, MEETING, PUBLIC_ITEMS)
    signatures = text_of(page.split('class="ttd-baris">', 1)[1])
    assert signatures.startswith("PPID Pembantu, Siti Aminah Sekretaris, Rahmat Hidayat")
    assert "Dewi Lestari" not in signatures
    assert "Sampit, 20 Januari 2026" in text_of(page)


def test_minutes_keep_decisions_on_items_not_passed() -> None:
    page = minutes_paper.render_minutes(SETTINGS, MEETING, PUBLIC_ITEMS[:1])
    assert "data-pegawai" in text_of(page)
    assert "Masuk DIK." in text_of(page)


# --- draft SK -------------------------------------------------------------------------------


def test_decree_has_the_form_of_an_indonesian_sk() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, [*PUBLIC_ITEMS, EXEMPT_ITEM])
    text = text_of(page)
    title = (
        "KEPUTUSAN KEPALA DINAS CONTOH NOMOR 188.4/12/DINAS/2026 TENTANG DAFTAR INFORMASI PUBLIK "
        "DINAS CONTOH PROVINSI KALIMANTAN TENGAH TAHUN 2026 KEPALA DINAS CONTOH,"
    )
    assert title in text
    for word in (
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN:",
        "Menetapkan",
        "Pasal 11 ayat (1) huruf a",
    ):
        assert word in text
    assert "Ditetapkan di Sampit pada tanggal 21 Januari 2026 KEPALA DINAS CONTOH," in text
    assert "Budi Santoso NIP. 19700101 199003 1 001" in text
    assert text.count("Budi Santoso") == 3  # the decree and both lampiran
    assert 'class="draf"' in page


def test_decree_legal_bases_are_numbered_in_order() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, PUBLIC_ITEMS)
    mengingat = page.split("<div>Mengingat</div>", 1)[1].split("</ol>", 1)[0]
    assert "<ol>" in mengingat
    items = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", mengingat)]
    assert items == [f"{basis};" for basis in LEGAL_BASES[:-1]] + [f"{LEGAL_BASES[-1]}."]


def test_decree_dicta_with_exempt_items() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, [*PUBLIC_ITEMS, EXEMPT_ITEM])
    labels = [label for label, _ in dicta(page)]
    assert labels == ["Menetapkan", "KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    texts = dict(dicta(page))
    assert "Lampiran I yang" in texts["KESATU"]
    assert "Lampiran II" in texts["KEDUA"] and "uji konsekuensi" in texts["KEDUA"]
    assert "1 (satu) kali dalam 1 (satu) tahun" in texts["KETIGA"]
    assert (
        "PPID Pembantu" in texts["KETIGA"] and "https://dinas.example.go.id/dip/" in texts["KETIGA"]
    )
    assert texts["KEEMPAT"] == "Keputusan ini mulai berlaku pada tanggal ditetapkan."
    assert "LAMPIRAN I :" in text_of(page) and "LAMPIRAN II :" in text_of(page)


def test_decree_dicta_without_exempt_items_are_renumbered() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, PUBLIC_ITEMS)
    pairs = dicta(page)
    assert [label for label, _ in pairs] == ["Menetapkan", "KESATU", "KEDUA", "KETIGA"]
    texts = dict(pairs)
    assert "Lampiran yang" in texts["KESATU"]
    assert "dimutakhirkan" in texts["KEDUA"] and "Diktum KESATU" in texts["KEDUA"]
    assert texts["KETIGA"] == "Keputusan ini mulai berlaku pada tanggal ditetapkan."
    assert "LAMPIRAN II" not in page and "DIKECUALIKAN" not in page
    assert "LAMPIRAN :" in text_of(page)


def test_decree_lampiran_groups_items_by_category() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, [*PUBLIC_ITEMS, EXEMPT_ITEM])
    dip, dik = page.split('id="lampiran-dip"', 1)[1].split('id="lampiran-dik"', 1)
    headings = re.findall(r"<h3 [^>]*>(.*?)</h3>", dip)
    assert headings == [
        "A. Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala",
        "B. Informasi yang Wajib Diumumkan Secara Serta-merta",
        "C. Informasi yang Wajib Tersedia Setiap Saat",
    ]
    order = re.findall(r'<tr id="informasi-([^"]+)">\s*<td class="no">(\d+)</td>', dip)
    assert order == [
        ("lakip-2025", "1"),
        ("renstra-2025", "2"),
        ("bencana-info", "1"),
        ("sop-layanan", "1"),
    ]
    assert "Subbagian Program" in dip and "Sekretariat" in dip and "2025, Sampit" in dip
    assert "Softcopy, Hardcopy" in dip
    assert "data-pegawai" not in dip and "Privasi pegawai" not in dip
    for value in EXEMPTION.values():
        if value != "2031-12-31":
            assert value in text_of(dik)
    assert "sampai dengan 31 Desember 2031" in text_of(dik)
    assert page.count('scope="col"') == 3 * 7 + 6


def test_decree_empty_category_says_nihil() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, PUBLIC_ITEMS[:1])
    assert text_of(page).count("Nihil") == 2


def test_decree_keeps_an_unclassified_item_in_its_own_group() -> None:
    page = paper.render_decree_draft(SETTINGS, DECREE, [make_item("tanpa-kategori", "Lain", "")])
    assert "D. Informasi yang Belum Diklasifikasi" in page
    assert 'id="informasi-tanpa-kategori"' in page


def test_decree_draft_without_number_and_date_shows_blanks() -> None:
    page = paper.render_decree_draft(SETTINGS, make_decree(penandatangan=""), PUBLIC_ITEMS)
    text = text_of(page)
    assert f"NOMOR {paper.BLANK} TENTANG" in text
    assert f"pada tanggal {paper.BLANK} KEPALA DINAS CONTOH," in text  # signer: the kepala
    assert f"TAHUN {paper.BLANK}" in text


def test_decree_uses_the_subject_given() -> None:
    decree = make_decree(
        nomor="1", tanggal="2026-01-21", tentang="Daftar Informasi Publik Perubahan"
    )
    text = text_of(paper.render_decree_draft(SETTINGS, decree, PUBLIC_ITEMS))
    assert "TENTANG DAFTAR INFORMASI PUBLIK PERUBAHAN KEPALA DINAS CONTOH," in text


def test_everything_given_is_escaped() -> None:
    evil = '<script>alert(1)</script> & "x"'
    items = [make_item("evil-item", evil, "berkala"), make_item("evil-dik", evil, "dikecualikan")]
    meeting = Meeting.from_mapping(
        {"tanggal": "2026-01-20", "tempat": evil, "peserta": [evil], "hasil": [], "notulen": evil},
        Path("rapat/x.yaml"),
    )
    decree = make_decree(nomor=evil, tanggal="2026-01-21", tentang=evil)
    for page in (
        minutes_paper.render_minutes(SETTINGS, meeting, items),
        paper.render_decree_draft(SETTINGS, decree, items),
    ):
        assert "<script" not in page
        assert str(escape(evil)) in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34;" in page


def test_rendering_is_deterministic() -> None:
    items = [*PUBLIC_ITEMS, EXEMPT_ITEM]
    assert paper.render_decree_draft(SETTINGS, DECREE, items) == paper.render_decree_draft(
        SETTINGS, DECREE, list(reversed(items))
    )
    assert minutes_paper.render_minutes(SETTINGS, MEETING, items) == minutes_paper.render_minutes(
        SETTINGS, MEETING, list(reversed(items))
    )


def test_english_translates_only_the_chrome() -> None:
    items = [*PUBLIC_ITEMS, EXEMPT_ITEM]
    english = paper.render_decree_draft(SETTINGS, DECREE, items, lang="en")
    indonesian = paper.render_decree_draft(SETTINGS, DECREE, items, lang="id")
    assert '<p class="draf" lang="en"><strong>DRAFT</strong>' in english
    assert '<p class="draf" lang="id"><strong>DRAF</strong>' in indonesian
    assert "The attachments list 5 items, 1 of them exempt." in english
    assert "Lampiran memuat 5 informasi, 1 di antaranya dikecualikan." in indonesian
    for page in (english, indonesian):
        assert page.startswith('<!doctype html>\n<html lang="id">')
    assert dicta(english) == dicta(indonesian)
    minutes = minutes_paper.render_minutes(SETTINGS, MEETING, items, lang="en")
    assert "These minutes record 5 decisions and 4 attendees." in minutes
    assert "BERITA ACARA" in minutes


def test_catalogs_have_the_same_keys() -> None:
    locales = i18n.LOCALES
    indonesian = store.load(locales / "paper.id.yaml")
    english = store.load(locales / "paper.en.yaml")
    assert set(indonesian) == set(english)
    assert all(key.startswith("paper.") for key in indonesian)
    templates = templates_dir() / "paper"
    used = {
        key
        for page in templates.glob("*.html")
        for key in re.findall(r"_\('([a-z_.]+)'", page.read_text(encoding="utf-8"))
    }
    assert used and used <= set(indonesian)


def test_pages_are_standalone() -> None:
    for page in (
        minutes_paper.render_minutes(SETTINGS, MEETING, PUBLIC_ITEMS),
        paper.render_decree_draft(SETTINGS, DECREE, PUBLIC_ITEMS),
    ):
        assert '<meta charset="utf-8">' in page and "<style>" in page
        assert "<script" not in page and "<link" not in page and "@import" not in page
        assert not re.search(r"""(src|href)=|url\(""", page)
        assert "@page { size: A4; margin: 2cm; }" in page
        assert "@page lampiran { size: A4 landscape; margin: 1.5cm; }" in page


# --- the example register -------------------------------------------------------------------


@pytest.fixture(scope="module")
def biro(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example register, copied outside any git repository (no item cache is written)."""
    root = tmp_path_factory.mktemp("biro") / "register"
    shutil.copytree(EXAMPLE, root)
    reg = find_register(root)
    decree_file = reg.decrees_dir / "sk-dip-2026.yaml"
    meeting_file = reg.meetings_dir / "2026-01-20-penentuan-dip.yaml"
    meeting = Meeting.from_mapping(store.load(meeting_file), meeting_file)
    items = load_items(reg)
    return {
        "settings": reg.settings,
        "items": [i for i in items if i.established],
        "decree": Decree.from_mapping(store.load(decree_file), decree_file),
        "meeting": meeting,
        "meeting_items": [i for i in items if i.id in meeting.decisions],
    }


def test_example_decree_lists_every_established_item(biro: dict[str, Any]) -> None:
    items: list[Item] = biro["items"]
    assert len(items) == 60
    page = paper.render_decree_draft(biro["settings"], biro["decree"], items)
    body, rest = page.split('id="lampiran-dip"', 1)
    dip, dik = rest.split('id="lampiran-dik"', 1)
    exempt = [i for i in items if i.category == model.EXEMPT]
    assert len(exempt) == 5
    for item in items:
        anchor = f'id="informasi-{item.id}"'
        assert page.count(anchor) == 1
        assert anchor in (dik if item in exempt else dip)
        assert str(escape(item.title)) in (dik if item in exempt else dip)
    for item in exempt:
        assert item.exemption is not None
        assert str(escape(item.exemption.if_opened)) in dik
        assert str(escape(item.exemption.if_opened)) not in dip + body
    assert "188.44/01/BIRO-ORG/I/2026" in body and "21 Januari 2026" in body
    assert dip.count('<td class="no">') == 55


def test_example_minutes_record_every_decision(biro: dict[str, Any]) -> None:
    meeting: Meeting = biro["meeting"]
    page = minutes_paper.render_minutes(biro["settings"], meeting, biro["meeting_items"])
    text = text_of(page)
    assert f"{OPENING} (20 Januari 2026)" in text
    for email in meeting.attendees:
        person = biro["settings"].person(email)
        assert person is not None and person.name in text
    for item in biro["meeting_items"]:
        assert str(escape(item.title)) in page
    public, exempt, returned = results(page)
    assert len(public) + len(exempt) + len(returned) == len(meeting.decisions)
    assert len(exempt) == sum(i.category == model.EXEMPT for i in biro["meeting_items"])


# --- a real browser prints them ---------------------------------------------------------------


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} is not installed (Debian: apt-get install chromium poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _print(browser: str, page: Path, out: Path, profile: Path) -> None:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={out}",
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run(command, check=True, capture_output=True, timeout=60, env=env)
    assert out.is_file() and out.stat().st_size > 0


def _page_sizes(pdfinfo: str, pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run([pdfinfo, str(pdf)], check=True, capture_output=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert match, info.stdout
    pages = int(match.group(1))
    sized = subprocess.run(
        [pdfinfo, "-f", "1", "-l", str(pages), str(pdf)], check=True, capture_output=True, text=True
    )
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", sized.stdout, re.MULTILINE)
    assert len(sizes) == pages, sized.stdout
    return [(float(w), float(h)) for w, h in sizes]


def text_pages(pdftotext: str, pdf: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    run = [pdftotext, "-layout", str(pdf), "-"]
    return subprocess.run(run, check=True, capture_output=True, text=True).stdout.split("\f")[:-1]


def _is(size: tuple[float, float], width: float, height: float) -> bool:
    return abs(size[0] - width) < 2 and abs(size[1] - height) < 2


def test_chromium_prints_the_papers(biro: dict[str, Any], tmp_path: Path) -> None:
    browser = _tool("chromium", "chromium-browser")
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    decree_html, minutes_html = tmp_path / "sk.html", tmp_path / "berita-acara.html"
    decree_html.write_text(
        paper.render_decree_draft(biro["settings"], biro["decree"], biro["items"]), "utf-8"
    )
    minutes = minutes_paper.render_minutes(biro["settings"], biro["meeting"], biro["meeting_items"])
    minutes_html.write_text(minutes, "utf-8")
    decree_pdf, minutes_pdf = tmp_path / "sk.pdf", tmp_path / "berita-acara.pdf"
    _print(browser, decree_html, decree_pdf, tmp_path / "profile-sk")
    _print(browser, minutes_html, minutes_pdf, tmp_path / "profile-ba")

    sizes = _page_sizes(pdfinfo, decree_pdf)
    assert len(sizes) >= 4
    assert _is(sizes[0], 595, 842)  # the decree itself: A4 portrait
    first_lampiran = next(n for n, size in enumerate(sizes) if _is(size, 842, 595))
    assert first_lampiran >= 1
    assert all(_is(size, 595, 842) for size in sizes[:first_lampiran])
    assert all(_is(size, 842, 595) for size in sizes[first_lampiran:])  # lampiran: landscape

    def text(pdf: Path, *pages: str) -> str:
        run = [pdftotext, "-layout", *pages, str(pdf), "-"]
        out = subprocess.run(run, check=True, capture_output=True, text=True).stdout
        return " ".join(out.split())

    body = text(decree_pdf, "-f", "1", "-l", str(first_lampiran))
    kop = (
        "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
        "BIRO ORGANISASI SEKRETARIAT DAERAH PROVINSI KALIMANTAN TENGAH",
        "Jalan Tjilik Riwut Km. 1, Palangka Raya 73112, Telepon (0536) 0000000",
    )
    for word in (
        *kop,
        "KEPUTUSAN KEPALA BIRO ORGANISASI",
        "MEMUTUSKAN",
        "KESATU",
        "KEEMPAT",
        "Menimbang",
        "Ditetapkan di Palangka Raya pada tanggal 21 Januari 2026",
        "Tembusan disampaikan kepada Yth.:",
        "Komisi Informasi Provinsi Kalimantan Tengah",
    ):
        assert word in body
    lampiran = text(decree_pdf, "-f", str(first_lampiran + 1))
    assert "LAMPIRAN I" in lampiran and "LAMPIRAN II" in lampiran
    assert (
        "DAFTAR INFORMASI PUBLIK" in lampiran and "DAFTAR INFORMASI YANG DIKECUALIKAN" in lampiran
    )
    shortest = min(biro["items"], key=lambda i: len(i.title))
    assert " ".join(shortest.title.split()[:2]) in lampiran

    # Every signature shares its page with the text it signs: the last dictum, the last rows.
    pages = [" ".join(p.split()) for p in text_pages(pdftotext, decree_pdf)]
    signed = [n for n, page in enumerate(pages) if "NIP. 19700101 199503 1 001" in page]
    assert len(signed) == 3
    assert "KEEMPAT" in pages[signed[0]]
    public = [i for i in paper.sort_items(biro["items"]) if i.category != model.EXEMPT]
    for n, last in zip(signed[1:], (public[-1], paper.sort_items(biro["items"])[-1]), strict=True):
        assert " ".join(last.title.split()[:2]) in pages[n]

    minutes_sizes = _page_sizes(pdfinfo, minutes_pdf)
    assert len(minutes_sizes) >= 2 and all(_is(s, 595, 842) for s in minutes_sizes)
    minutes = text(minutes_pdf)
    assert "BERITA ACARA" in minutes and OPENING in minutes
    for line in kop:
        assert line in minutes
    assert "Nomor: …………" in minutes  # no nomor in the example record: filled in by hand
    # Every signature block: the name, pangkat (golongan) and NIP (Permendagri 1/2023).
    head = "Contoh Kepala Biro Organisasi Pembina Utama Muda (IV/c) NIP. 19700101 199503 1 001"
    assert f"Mengetahui, Kepala Biro Organisasi, {head}" in minutes
    # the PPID and the other signer, side by side (pdftotext interleaves their lines)
    assert "Penata Tingkat I (III/d) Pembina Tingkat I (IV/b)" in minutes
    assert "NIP. 19800505 200501 2 005 NIP. 19720202 200003 1 002" in minutes
    assert f"KEPALA BIRO ORGANISASI, {head}" in body
