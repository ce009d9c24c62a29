"""The published site (SPEC.md section 6): what it may show, and that it shows it well."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from openpyxl import load_workbook

from dipctl.publish.downloads import DIP_COLUMNS
from dipctl.register.config import templates_dir
from tests.conftest import (
    EXAMPLE,
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    dipctl,
    git,
)
from tests.test_sop import ok

UNIT_OF = {"sekretariat": KASUBBAG, "program": KASUBBAG_PROGRAM}
BASE_URL = "https://biroorganisasi.kaltengprov.go.id/dip/"  # the example register's
PERKI = ("judul", "ringkasan", "penanggung_jawab", "tempat_pembuatan", "retensi", "arsip")


def build(register: Path, out: Path) -> Path:
    result = dipctl("build", "--out", out, "--register", register)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def site_bytes(out: Path) -> dict[str, bytes]:
    """Every file under ``out``; a workbook also as its XML parts unzipped."""
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for rel in [r for r in files if r.endswith(".xlsx")]:
        with zipfile.ZipFile(out / rel) as book:
            files[rel + "!xml"] = b"".join(book.read(n) for n in book.namelist())
    return files


def text(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def edit(path: Path, **values: object) -> None:
    """An officer's hand edit: top-level keys replaced (values written as YAML flow)."""
    keep, skipping = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith((" ", "-", "#")):
            skipping = line.split(":", 1)[0] in values
        keep += [] if skipping else [line]
    keep += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")


def new_item(repo: Repo, unit: str, item_id: str, f: dict[str, str]) -> None:
    """``dipctl new`` with every Perki field; the document fields by hand, committed."""
    ok(repo, "new", "--unit", unit, "--id", item_id, "--title", f["judul"],
       "--summary", f["ringkasan"], "--responsible", f["penanggung_jawab"],
       "--made", f["waktu_pembuatan"], "--place", f["tempat_pembuatan"],
       "--form", "softcopy", "--retention", f["retensi"], "--as", UNIT_OF[unit])  # fmt: skip
    edit(repo.item(unit, item_id), dokumen={"tautan": f["tautan"], "arsip": f["arsip"]})
    commit_all(repo.path, f"{item_id}: dokumen", email=UNIT_OF[unit])


def marked(tag: str, n: int) -> dict[str, str]:
    """A unique marker in every field of an item (the period: a unique date)."""
    f = {k: f"LEAK-{k}-{tag}" for k in PERKI}
    return {**f, "tautan": f"https://bocor.example/LEAK-tautan-{tag}",
            "waktu_pembuatan": f"17{n:02d}-0{n % 9 + 1}-1{n % 9}"}  # fmt: skip


def public(name: str) -> dict[str, str]:
    return {"judul": f"Judul {name}", "ringkasan": f"Ringkasan {name} yang ditetapkan.",
            "penanggung_jawab": "Kepala Subbagian Umum", "waktu_pembuatan": "2026",
            "tempat_pembuatan": "Palangka Raya", "retensi": "5 tahun", "arsip": f"Lemari {name}",
            "tautan": f"https://dinas.example.go.id/{name.replace(' ', '-')}.pdf"}  # fmt: skip


#: The keys of a consequence test that the DIK publishes (SPEC.md section 6).
DIK_PUBLIC = ("pasal", "dasar_hukum", "bagian", "alasan", "jangka_waktu", "berakhir")


def classify_exempt(repo: Repo, tmp: Path, item_id: str, tag: str = "") -> list[str]:
    """Step 3 with a consequence test; with a tag, every field of it is a marker. Without,
    the keys the DIK never shows are markers: the consequences, the weighing, the
    participants and the date of the test (also in its long form)."""
    ends = f"2199-0{len(item_id) % 9 + 1}-21" if tag else "2031-12-31"
    n = len(item_id) % 9 + 1
    tested = f"2001-0{n}-1{n}"
    test = {"pasal": "17 huruf h",
            "dasar_hukum": f"LEAK-dasar-{tag}" if tag else "UU 14/2008 Pasal 17 huruf h",
            "bagian": f"LEAK-bagian-{tag}" if tag else "seluruhnya",
            "konsekuensi_dibuka": f"LEAK-dibuka-{item_id}",
            "konsekuensi_ditutup": f"LEAK-ditutup-{item_id}",
            "kepentingan_publik": f"LEAK-kepentingan-{item_id}",
            "alasan": f"LEAK-alasan-{tag}" if tag else "Memuat data pribadi pegawai.",
            "jangka_waktu": f"LEAK-jangka-{tag}" if tag else "selama pegawai aktif",
            "berakhir": ends,
            "tanggal_uji": tested,
            "penguji": [PPID, SEKRETARIS, f"LEAK-penguji-{item_id} — Ahli Hukum"]}  # fmt: skip
    (tmp / f"{item_id}.yaml").write_text(yaml.safe_dump(test), encoding="utf-8")
    ok(repo, "classify", item_id, "--category", "dikecualikan",
       "--exemption", str(tmp / f"{item_id}.yaml"), "--as", PPID)  # fmt: skip
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September")  # fmt: skip
    secret = [f"LEAK-penguji-{item_id}", tested, f"1{n} {months[n - 1]} 2001"]
    return [*secret, *(str(v) for k, v in test.items() if k not in ("pasal", "penguji") and
                       (tag or k not in DIK_PUBLIC) and k != "tanggal_uji")]  # fmt: skip


def meeting(repo: Repo, date: str, *ids: str) -> None:
    ok(repo, "meeting", *ids, "--date", date, "--place", "Ruang Rapat", "--attendee", PPID,
       "--attendee", SEKRETARIS, "--softcopy", "Folder PPID", "--hardcopy", "Lemari 1",
       "--time", "09:00", "--chair", PPID,
       "--as", PPID)  # fmt: skip


def establish(repo: Repo, number: str, date: str) -> None:
    ok(repo, "establish", "--all", "--number", number, "--date", date, "--as", KEPALA)


def establish_dik(repo: Repo, number: str, date: str, *ids: str) -> None:
    """Step 5 for exempt items: the head approves, the PPID issues the Penetapan DIK."""
    ok(repo, "approve", *ids, "--as", KEPALA)
    ok(repo, "exempt", *ids, "--number", number, "--date", date, "--as", PPID)


# -- nothing unpublishable leaks -------------------------------------------------------------


@pytest.fixture
def leaky(repo: Repo, tmp_path: Path) -> tuple[Repo, list[str]]:
    """Items in every status, an exempt, a withdrawn and two revised items, with a marker
    in every field the site must never show. Returns the repository and the markers."""
    markers: list[str] = []
    secret, gone = marked("rahasia", 1), marked("dicabut", 2)
    new_item(repo, "sekretariat", "terbuka", public("Terbuka"))
    new_item(repo, "program", "rahasia", {**secret, "judul": "Data Pegawai Dikecualikan"})
    new_item(repo, "sekretariat", "dicabut", {**gone, "judul": "Informasi Yang Dicabut"})
    new_item(repo, "sekretariat", "revisi-satu", public("Mapan Satu"))
    new_item(repo, "program", "revisi-dua", public("Mapan Dua"))
    markers += [v for f in (secret, gone) for k, v in f.items() if k != "judul"]
    cycle1 = ("terbuka", "rahasia", "dicabut", "revisi-satu", "revisi-dua")
    ok(repo, "submit", "terbuka", "dicabut", "revisi-satu", "--as", KASUBBAG)
    ok(repo, "submit", "rahasia", "revisi-dua", "--as", KASUBBAG_PROGRAM)
    ok(repo, "review", *cycle1, "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "terbuka", "dicabut", "revisi-dua", "--category", "setiap-saat",
       "--as", PPID)  # fmt: skip
    ok(repo, "classify", "revisi-satu", "--category", "berkala", "--as", PPID)
    markers += classify_exempt(repo, tmp_path, "rahasia")
    meeting(repo, "2026-11-25", *cycle1)
    establish(repo, "188.44/1/2026", "2026-11-26")
    establish_dik(repo, "188.44/dik-1/2026", "2026-11-26", "rahasia")
    ok(repo, "withdraw", "dicabut", "--number", "188.44/2/2026", "--date", "2026-12-01",
       "-m", "Sudah tidak berlaku", "--as", KEPALA)  # fmt: skip
    for n, (item_id, unit) in enumerate(
        (("revisi-satu", "sekretariat"), ("revisi-dua", "program"))
    ):
        ok(repo, "revise", item_id, "-m", "Pemutakhiran", "--as", UNIT_OF[unit])
        f = marked(item_id, 3 + n)
        edit(repo.item(unit, item_id), **{k: f[k] for k in PERKI if k != "arsip"},
             waktu_pembuatan=f["waktu_pembuatan"],
             dokumen={"tautan": f["tautan"], "arsip": f["arsip"]})  # fmt: skip
        commit_all(repo.path, f"{item_id}: diperbarui", email=UNIT_OF[unit])
        markers += f.values()
    # new items, left in every status before establishment
    tags = ("draf", "kembali", "diajukan", "diteruskan", "klasifikasi", "ditentukan")
    for n, tag in enumerate(tags, 10):
        f = marked(tag, n)
        new_item(repo, "sekretariat", f"xq-{tag}", f)
        markers += [*f.values(), f"xq-{tag}"]
    ok(repo, "submit", *(f"xq-{t}" for t in tags[1:]), "--as", KASUBBAG)
    ok(repo, "submit", "revisi-dua", "--as", KASUBBAG_PROGRAM)
    ok(repo, "review", "xq-kembali", "--return", "-m", "LEAK-catatan", "--as", SEKRETARIS)
    ok(repo, "review", "xq-diteruskan", "xq-klasifikasi", "xq-ditentukan", "revisi-dua",
       "--approve", "--as", SEKRETARIS)  # fmt: skip
    markers += classify_exempt(repo, tmp_path, "xq-klasifikasi", "xq-klasifikasi")
    markers += classify_exempt(repo, tmp_path, "revisi-dua", "revisi-dua")
    ok(repo, "classify", "xq-ditentukan", "--category", "berkala", "--as", PPID)
    meeting(repo, "2026-12-01", "xq-ditentukan", "revisi-dua")
    verified = repo.run("verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    history = git(repo.path, "log", "-p")  # every marker really is in the register
    markers = [m.rsplit("/", 1)[-1] for m in [*markers, "LEAK-catatan"]]
    assert [m for m in markers if m not in history and not m.endswith(" 2001")] == []
    return repo, markers


def test_nothing_unpublishable_reaches_any_byte_of_the_site(
    leaky: tuple[Repo, list[str]], tmp_path: Path
) -> None:
    repo, markers = leaky
    out = build(repo.register, tmp_path / "site")
    files = site_bytes(out)
    # the withdrawn item was public: the decree that established it keeps its row as signed
    # (the Perki columns only: never its document link or archive), and nothing else does
    gone = marked("dicabut", 2)
    signed = {k: gone[k] for k in ("ringkasan", "penanggung_jawab", "tempat_pembuatan",
                                   "retensi", "waktu_pembuatan")}  # fmt: skip
    first = {"keputusan/sk-188-44-1-2026.html", "en/keputusan/sk-188-44-1-2026.html"}
    for value in signed.values():
        assert {r for r, data in files.items() if value.encode() in data} == first, value
    leaks = {
        m: [r for r, data in files.items() if m.encode() in data]
        for m in markers
        if m not in signed.values()
    }
    assert {m: where for m, where in leaks.items() if where} == {}
    people = (KEPALA, SEKRETARIS, PPID, KASUBBAG, KASUBBAG_PROGRAM)
    assert [(p, r) for p in people for r, data in files.items() if p.encode() in data] == []
    # ... and what may be published is there: the site is not just empty
    dip, dik = json.loads(files["dip.json"]), json.loads(files["dik.json"])["dikecualikan"]
    assert sorted(r["id"] for r in dip["informasi"]) == ["revisi-dua", "revisi-satu", "terbuka"]
    assert [r["judul"] for r in dik] == ["Data Pegawai Dikecualikan"]
    assert set(dik[0]) <= {"judul", "unit_nama", *DIK_PUBLIC, "keputusan", "hash"}  # no id
    for rel in ("index.html", "dip.csv", "dip.xlsx!xml", "static/search-index.js", "en/dip.json"):
        for shown in ("Judul Terbuka", "Judul Mapan Satu", "Ringkasan Mapan Dua yang"):
            assert shown.encode() in files[rel], (rel, shown)
    # an item under revision: its last established version, everywhere
    page = text(out, "informasi/revisi-satu.html")
    assert [v for v in public("Mapan Satu").values() if v not in page] == []
    assert "Ringkasan Mapan Dua yang ditetapkan." in text(out, "en/informasi/revisi-dua.html")
    for shown in ("Data Pegawai Dikecualikan", "UU 14/2008 Pasal 17 huruf h", "17 huruf h",
                  "seluruhnya", "Memuat data pribadi pegawai.", "selama pegawai aktif",
                  "2031-12-31", "188.44/dik-1/2026"):  # fmt: skip
        assert shown.encode() in files["dik.html"] and shown.encode() in files["dik.csv"]
    assert not (out / "informasi/rahasia.html").exists()
    # the withdrawn item left the DIP; its withdrawal decree stays listed and names it
    assert not (out / "informasi/dicabut.html").exists()
    for rel in ("index.html", "dip.json", "dip.csv", "static/search-index.js", "dik.html"):
        assert b"Informasi Yang Dicabut" not in files[rel], rel
    assert "188.44/2/2026" in text(out, "keputusan.html")
    withdrawal = text(out, "keputusan/sk-188-44-2-2026.html")
    assert "188.44/2/2026" in withdrawal and "Sudah tidak berlaku" in withdrawal
    assert "Informasi Yang Dicabut" in withdrawal, "the withdrawal decree names its item"


# -- escaping --------------------------------------------------------------------------------

NASTY = {
    "skrip": "<script>alert(1)</script> Laporan",
    "kutip": "\"kutip\" & 'apostrof' <b>tebal</b>",
    "rtl": "تقرير مرحبا 2026",
    "emoji": "Laporan Ceria 🙂 ✓",
}
FORMULA = '=HYPERLINK("http://bocor.example","klik")'


class Page(HTMLParser):
    """The text, attributes, links, ids and inline scripts of one HTML page."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.text, self.scripts, self._tag = "", "", ""
        self.attrs: list[tuple[str, str, str]] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        self.attrs += [(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        self._tag = ""

    def handle_data(self, data: str) -> None:
        if self._tag == "script":
            self.scripts += data
        else:
            self.text += data

    @property
    def ids(self) -> set[str]:
        return {value for _, name, value in self.attrs if name == "id"}


def test_titles_are_escaped_and_exact_everywhere(repo: Repo, tmp_path: Path) -> None:
    for key, title in NASTY.items():
        summary = FORMULA if key == "skrip" else f"Ringkasan {key}."
        new_item(
            repo, "sekretariat", f"x-{key}", {**public(key), "judul": title, "ringkasan": summary}
        )
    new_item(repo, "sekretariat", "x-dik", {**public("dik"), "judul": NASTY["skrip"]})
    ids = [f"x-{k}" for k in (*NASTY, "dik")]
    ok(repo, "submit", *ids, "--as", KASUBBAG)
    ok(repo, "review", *ids, "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", *ids[:-1], "--category", "setiap-saat", "--as", PPID)
    classify_exempt(repo, tmp_path, "x-dik")
    meeting(repo, "2026-11-25", *ids)
    establish(repo, "188.44/1/2026", "2026-11-26")
    establish_dik(repo, "188.44/dik-1/2026", "2026-11-26", "x-dik")
    out = build(repo.register, tmp_path / "site")
    for rel, data in site_bytes(out).items():
        if rel.endswith(".html"):
            page = Page(data.decode())
            assert b"<script>alert" not in data and "alert" not in page.scripts, rel
            assert [a for a in page.attrs if a[1].startswith("on")] == [], rel
    for lang in ("", "en/"):
        for key, title in NASTY.items():
            for rel in ("index.html", f"informasi/x-{key}.html", "keputusan/sk-188-44-1-2026.html"):
                assert title in Page(text(out, lang + rel)).text, (lang + rel, title)
        assert NASTY["skrip"] in Page(text(out, f"{lang}dik.html")).text
    # downloads: the exact text; a spreadsheet cannot run the formula
    rows = json.loads(text(out, "dip.json"))["informasi"]
    assert sorted(r["judul"] for r in rows) == sorted(NASTY.values())
    assert [r["ringkasan"] for r in rows if r["id"] == "x-skrip"] == [FORMULA]
    assert json.loads(text(out, "dik.json"))["dikecualikan"][0]["judul"] == NASTY["skrip"]
    with (out / "dip.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert sorted(r[2] for r in table[1:]) == sorted(NASTY.values())
    assert [r[3] for r in table[1:] if r[2] == NASTY["skrip"]] == ["'" + FORMULA]
    sheet = load_workbook(out / "dip.xlsx").worksheets[0]
    numbered = [r for r in sheet.iter_rows(min_row=2) if str(r[0].value).isdigit()]
    assert sorted(str(r[2].value) for r in numbered) == sorted(NASTY.values())
    assert [c.data_type for c in sheet["D"][1:] if c.value == "'" + FORMULA] == ["s"]
    # the search index is a script: nothing in it can close a <script> element
    index = (out / "static/search-index.js").read_bytes().decode()
    assert "</" not in index
    entries = json.loads(index.split("=", 1)[1].strip().rstrip(";"))
    assert sorted(e["judul"] for e in entries) == sorted(NASTY.values())
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    assert NASTY["kutip"] in "".join(feed.itertext())


# -- the example register --------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project's example register in a tmp repository, built once: (register, site)."""
    path, home = tmp_path_factory.mktemp("biro"), tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:  # no developer's git config
        (home / ".gitconfig").write_text("", encoding="utf-8")
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        shutil.copytree(EXAMPLE, path / "register")
        git(path, "init", "-q", "-b", "main")
        commit_all(path, "register contoh")
    return path / "register", build(path / "register", path / "site")


def test_only_established_items_are_published(example_site: tuple[Path, Path]) -> None:
    register, out = example_site
    items = [yaml.safe_load(p.read_text("utf-8")) for p in register.glob("informasi/*/*.yaml")]
    established = {i["id"] for i in items if i["status"] in ("ditetapkan", "diunggah")}
    dip = {r["id"] for r in json.loads(text(out, "dip.json"))["informasi"]}
    dik = {r["judul"] for r in json.loads(text(out, "dik.json"))["dikecualikan"]}
    exempt = {i["id"]: i["judul"] for i in items if i.get("kategori") == "dikecualikan"}
    assert (len(dip), len(dik)) == (55, 5)  # the DIK publishes no id: judge it by its titles
    assert (dip, dik) == (established - set(exempt), {exempt[i] for i in established & set(exempt)})
    for lang in ("", "en/"):
        assert {p.stem for p in (out / lang / "informasi").glob("*.html")} == dip
        index = text(out, lang + "index.html")
        assert set(re.findall(r'href="informasi/([a-z0-9-]+)\.html"', index)) == dip
    in_flight = [i for i in items if i["id"] not in established]
    assert len(in_flight) == 7
    for rel, data in site_bytes(out).items():
        for i in in_flight:
            assert not re.search(rf"{i['id']}(?![a-z0-9-])".encode(), data), (rel, i["id"])
            assert i["judul"].encode() not in data, (rel, i["id"])


def test_the_csv_and_the_workbook_open_with_indonesian_text(
    example_site: tuple[Path, Path],
) -> None:
    _, out = example_site
    assert (out / "dip.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (out / "dip.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [title for _, title in DIP_COLUMNS]
    rows = json.loads(text(out, "dip.json"))["informasi"]
    assert [r[2] for r in table[1:]] == [r["judul"] for r in rows]
    assert "Rencana Strategis Biro Organisasi 2025–2029" in [r[2] for r in table[1:]]
    sheet = load_workbook(out / "dip.xlsx").worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == table[0]  # grouped as the table: test_citizen_site


def test_two_builds_of_one_commit_are_byte_identical(
    example_site: tuple[Path, Path], tmp_path: Path
) -> None:
    register, first = example_site
    expected = site_bytes(first)
    git(tmp_path, "clone", "-q", str(register.parent), str(tmp_path / "klon"))
    for path in (tmp_path / "klon").rglob("*"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    time.sleep(1.1)  # a clock read anywhere would now show
    for again in (
        build(tmp_path / "klon/register", tmp_path / "a"),
        build(register, tmp_path / "b"),
    ):
        files = site_bytes(again)
        assert files.keys() == expected.keys()
        assert [rel for rel, data in files.items() if expected[rel] != data] == []


def resolves(out: Path, pages: dict[str, Page], rel: str, value: str) -> bool:
    """A relative link from page ``rel`` to a file (and an anchor) of the build."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("/"):
        return False
    target = os.path.normpath(Path(rel).parent / unquote(parts.path)) if parts.path else rel
    if target.startswith("..") or not (out / target).is_file():
        return False
    return not (parts.fragment and target in pages and parts.fragment not in pages[target].ids)


def test_every_link_is_relative_and_resolves(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    pages = {p.relative_to(out).as_posix(): Page(p.read_text("utf-8")) for p in out.rglob("*.html")}
    checked, absolute, broken = 0, 0, []
    for rel, page in pages.items():
        for tag, attr, value in page.attrs:
            if attr not in ("href", "src", "srcset", "poster", "data", "action"):
                continue
            if (tag, attr) == ("a", "href") and value.startswith(("https://", "mailto:")):
                continue  # e.g. an item's document on the agency's site: linked, never loaded
            if tag == "link" and value.startswith(BASE_URL):  # canonical and hreflang
                absolute += 1  # with base_url known they are absolute, and name a built page
                named = (out / value.removeprefix(BASE_URL)).is_file()
                broken += [] if named else [(rel, tag, value)]
                continue
            if not (value.startswith("data:") and tag == "link"):  # the empty favicon
                checked += 1
                broken += [] if resolves(out, pages, rel, value) else [(rel, tag, value)]
    assert broken == []
    assert checked > 10 * len(pages)
    assert absolute == 4 * len(pages)  # canonical, id, en, x-default
    for css in out.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text("utf-8")):
            assert url.startswith("data:") or (css.parent / url).is_file(), (css, url)


def test_languages_and_sitemap_follow_register_yaml(
    example_site: tuple[Path, Path], repo: Repo, tmp_path: Path
) -> None:
    _, out = example_site  # bahasa: [id, en], with a base_url
    assert '<html lang="en">' in text(out, "en/dik.html")
    assert '<html lang="id">' in text(out, "dik.html") and 'hreflang="en"' in text(out, "dik.html")
    base = "https://biroorganisasi.kaltengprov.go.id/dip/"
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert re.findall(r"<loc>([^<]+)</loc>", text(out, "sitemap.xml")) == [base + p for p in pages]
    config = repo.register / "register.yaml"  # bahasa: [id, en], no base_url
    assert not (build(repo.register, tmp_path / "dua") / "sitemap.xml").exists()
    assert (tmp_path / "dua/en/index.html").is_file()
    config.write_text(config.read_text("utf-8").replace("[id, en]", "[id]"), "utf-8")
    commit_all(repo.path, "situs: hanya bahasa Indonesia")
    only = build(repo.register, tmp_path / "satu")
    assert (only / "index.html").is_file()
    assert not (only / "en").exists() and "hreflang" not in text(only, "index.html")


def test_a_theme_overrides_templates_and_static_files(repo: Repo, tmp_path: Path) -> None:
    before = build(repo.register, tmp_path / "sebelum")
    theme = repo.register / "tema"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    base = (templates_dir() / "site/base.html").read_text("utf-8")
    mine = re.sub(r"(<body[^>]*>)", r"\1Tema Kita", base, count=1)
    (theme / "templates/base.html").write_text(mine, encoding="utf-8")
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'
    (theme / "static" / "logo.svg").write_bytes(logo)
    commit_all(repo.path, "tema")
    after = build(repo.register, tmp_path / "sesudah")
    for path in after.rglob("*.html"):
        assert "Tema Kita" in path.read_text("utf-8"), path
        assert "Tema Kita" not in (before / path.relative_to(after)).read_text("utf-8")
    assert (after / "static/logo.svg").read_bytes() == logo
    assert not (before / "static/logo.svg").exists()
    assert (after / "static/dip.css").read_bytes() == (before / "static/dip.css").read_bytes()
    assert "static/logo.svg" in text(after, "index.html")
    assert "static/logo.svg" not in text(before, "index.html")
