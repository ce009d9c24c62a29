"""The public site over later years (issue 19): each decree's page shows its lampiran as
signed, the index names the decrees in force, the DIK page states Pasal 20 as it is, the
trail tells the date of an event from the date it was recorded, and ``build`` warns when the
site would show no PPID contact."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from dipctl.proof import history
from dipctl.publish import decreeadds, issued, publicdata, versioncache
from dipctl.register import queries
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_verify import Driver, hand_edit, ok

DATE = "2026-11-27"


class Rows(HTMLParser):
    """The body rows of every table of a page: the table's class, the row's id, its cells'
    text, the links in it, the text of its ``judul`` and the ``datetime`` of each cell."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.text = ""
        self._table: list[str] = []
        self._row: dict[str, Any] | None = None
        self._cell: list[str] | None = None
        self._judul = 0
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._table.append(a.get("class", ""))
        elif tag == "tr" and self._table:
            self._row = {"table": self._table[-1], "id": a.get("id", ""), "cells": [],
                         "links": [], "judul": "", "times": []}  # fmt: skip
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._row["times"].append([])
        elif self._row is not None:
            if tag == "a":
                self._row["links"].append(a.get("href", ""))
            if tag == "time":
                self._row["times"][-1].append(a.get("datetime", ""))
            if "judul" in a.get("class", "").split():
                self._judul += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table:
            self._table.pop()
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"]:
                self.rows.append(self._row)
            self._row = None
        elif tag in ("a", "span") and self._judul:
            self._judul -= 1

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._cell is not None:
            self._cell.append(data)
        if self._judul and self._row is not None:
            self._row["judul"] += data

    def table(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.rows if name in r["table"].split()]


def page(site: Path, rel: str) -> Rows:
    return Rows((site / rel).read_text(encoding="utf-8"))


def build(repo: Repo, site: Path, *args: str) -> Any:
    result = repo.run("build", "--out", site, *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return result


def decree_ids(repo: Repo) -> dict[str, str]:
    """Decree number -> id."""
    folder = repo.register / "keputusan"
    found = {}
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[str(data["nomor"])] = path.stem
    return found


def retitle(sop: Driver, item_id: str, title: str, unit: str = "sekretariat") -> None:
    """The kasubbag opens a revision and gives the item a new title."""
    ok(sop.repo, "revise", item_id, "-m", "Pemutakhiran judul", "--as", KASUBBAG)
    hand_edit(sop.repo.item(unit, item_id), judul=title)
    commit_all(sop.repo.path, f"{item_id}: judul baru", KASUBBAG)


def lampiran(site: Path, decree_id: str) -> dict[str, dict[str, Any]]:
    """The rows of a DIP decree's lampiran on its page, by item id."""
    return {r["id"]: r for r in page(site, f"keputusan/{decree_id}.html").table("perki")}


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def test_old_decree_pages_keep_their_lampiran_as_signed(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SK 1 establishes alpha, beta, gamma; SK 2 withdraws alpha; while beta is revised under
    a new title, SK 3 establishes delta; SK 4 re-establishes beta. Every page keeps its rows
    as the decree listed them: SK 1 and SK 3 with beta's old title, alpha present on SK 1
    and marked withdrawn; SK 4 with the new title."""
    repo = sop.repo
    sop.drive("ditetapkan", "alpha", "beta", "gamma")
    ok(repo, "withdraw", "alpha", "--number", "188.44/w/2026", "--date", DATE,
       "-m", "Tidak dikuasai lagi", "--as", KEPALA)  # fmt: skip
    sop.decrees += 1
    retitle(sop, "beta", "Informasi beta versi baru")
    sop.submit("sekretariat", "beta")
    sop.review("beta")
    sop.classify("berkala", "beta")
    sop.drive("ditetapkan", "delta")  # beta is under revision: SK 3 holds its old version
    sop.meeting("beta")
    sop.establish("beta")
    ids = decree_ids(repo)
    first, withdrawal = ids["188.44/1/2026"], ids["188.44/w/2026"]
    third, fourth = ids["188.44/3/2026"], ids["188.44/4/2026"]
    site = sop.tmp / "site"
    build(repo, site)

    rows = lampiran(site, first)
    assert sorted(rows) == ["alpha", "beta", "gamma"]
    assert rows["beta"]["judul"] == "Informasi beta"
    assert rows["beta"]["links"] == ["../informasi/beta.html"]  # the item's page, as it is now
    assert rows["gamma"]["links"] == ["../informasi/gamma.html"]
    assert rows["alpha"]["judul"] == "Informasi alpha"  # withdrawn since: present, marked
    assert "Kemudian dicabut dari DIP dengan keputusan 188.44/w/2026" in rows["alpha"]["cells"][1]
    assert rows["alpha"]["links"] == [f"../keputusan/{withdrawal}.html"]
    assert not (site / "informasi" / "alpha.html").exists()

    rows = lampiran(site, withdrawal)
    assert sorted(rows) == ["beta", "gamma"] and rows["beta"]["judul"] == "Informasi beta"
    removed = page(site, f"keputusan/{withdrawal}.html").table("dicabut")
    assert [(r["id"], r["cells"][1]) for r in removed] == [("alpha", "Informasi alpha")]

    rows = lampiran(site, third)
    assert sorted(rows) == ["beta", "delta", "gamma"]
    assert rows["beta"]["judul"] == "Informasi beta"  # under revision when SK 3 was signed
    rows = lampiran(site, fourth)
    assert sorted(rows) == ["beta", "delta", "gamma"]
    assert rows["beta"]["judul"] == "Informasi beta versi baru"
    # the English pages too, and the feed names what each decree established as it was
    assert Rows((site / "en" / "keputusan" / f"{first}.html").read_text()).table("perki")
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "Ditetapkan: Informasi alpha" in feed and "Ditetapkan: Informasi beta<" in feed

    # the versions are read in a fixed number of git processes, however many decrees
    calls: list[str] = []
    batch = issued._git_batch

    def run(*args: Any) -> Any:
        calls.append(args[1])
        return history.run(*args)

    def cat_file(reg: Any, option: str, names: Any) -> bytes:
        calls.append(option)
        return batch(reg, option, names)

    def blobs(*args: Any) -> Any:
        calls.append("--batch")
        return history.blobs(*args)

    spy = SimpleNamespace(GIT=history.GIT, run=run, blobs=blobs)
    monkeypatch.setattr(issued, "history", spy)
    monkeypatch.setattr(decreeadds, "history", spy)
    monkeypatch.setattr(issued, "_git_batch", cat_file)
    pub = publicdata.collect(find_register(repo.register))
    # the blob ids come from the history index (no --batch-check), the items once parsed
    # from .git/dipctl/versions.pickle, the decrees' commits from decree-adds.pickle kept
    # for this HEAD by the build above (no log); at most one git process of each kind
    assert sorted(calls) == ["--batch", "rev-list", "rev-parse"]
    assert len(pub.decrees) == 4
    calls.clear()
    again = publicdata.collect(find_register(repo.register))
    assert sorted(calls) == ["--batch", "rev-list", "rev-parse"]  # nothing left: no blob
    calls.clear()
    (repo.path / ".git" / "dipctl" / decreeadds.NAME).unlink()
    assert publicdata.collect(find_register(repo.register)) == pub
    assert sorted(calls) == ["--batch", "log", "rev-list", "rev-parse"]  # the whole log again
    assert again == pub


def test_a_dik_decree_keeps_its_rows_as_signed(sop: Driver) -> None:
    """Two exempt items by DIK 1; one of them revised under a new title and exempted again by
    DIK 2. DIK 1's page still lists both as it signed them: the old title, its rincian."""
    repo = sop.repo
    sop.drive("ditetapkan", "rahasia-a", "rahasia-b", category="dikecualikan")
    retitle(sop, "rahasia-a", "Data pribadi pegawai (versi baru)")
    sop.submit("sekretariat", "rahasia-a")
    sop.review("rahasia-a")
    sop.classify("dikecualikan", "rahasia-a")
    sop.meeting("rahasia-a")
    sop.establish("rahasia-a")
    ids = decree_ids(repo)
    site = sop.tmp / "site"
    build(repo, site)
    rows = page(site, f"keputusan/{ids['188.44/1/2026']}.html").table("dik")
    assert sorted(r["judul"] for r in rows) == ["Informasi rahasia-a", "Informasi rahasia-b"]
    assert all("selama pegawai aktif" in r["cells"][5] for r in rows)  # the signed rincian
    assert all("Berakhir: permanen" in r["cells"][5] for r in rows)
    rows = page(site, f"keputusan/{ids['188.44/2/2026']}.html").table("dik")
    titles = sorted(r["judul"] for r in rows)
    assert titles == ["Data pribadi pegawai (versi baru)", "Informasi rahasia-b"]
    for rel in (f"keputusan/{ids['188.44/1/2026']}.html", "dik.html"):
        shown = (site / rel).read_text(encoding="utf-8")  # never the id, never a page
        assert 'id="rahasia-a"' not in shown and "informasi/rahasia-a" not in shown
    # the rincian as the file says now, never as the last build parsed it: DIK 1 edited in
    # place to the same size, its mtime put back (.git/dipctl/dik-details.pickle)
    path = repo.register / "keputusan" / f"{ids['188.44/1/2026']}.yaml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count("permanen") == 2
    path.write_text(text.replace("permanen", "selamany"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    commit_all(repo.path, "rincian diubah di tempat", KEPALA)
    build(repo, site)
    rows = page(site, f"keputusan/{ids['188.44/1/2026']}.html").table("dik")
    assert all("Berakhir: selamany" in r["cells"][5] for r in rows)


def test_a_file_moved_by_hand_still_shows_as_issued(sop: Driver) -> None:
    """An item file moved to another unit's folder with plain git after its decree (a finding
    for verify) and a decree naming an item that never existed: the page still shows the
    row as issued, and leaves out what never was, without failing."""
    repo = sop.repo
    sop.drive("ditetapkan", "alpha", "beta")
    decree_id = decree_ids(repo)["188.44/1/2026"]
    (repo.register / "informasi" / "program").mkdir(exist_ok=True)
    git(repo.path, "mv", "register/informasi/sekretariat/alpha.yaml",
        "register/informasi/program/alpha.yaml")  # fmt: skip
    commit_all(repo.path, "pindah folder", KASUBBAG)
    hand_edit(repo.item("program", "alpha"), judul="Judul sesudah dipindah")
    commit_all(repo.path, "ubah judul", KASUBBAG)
    path = repo.register / "keputusan" / f"{decree_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["lampiran"].insert(0, "tidak-pernah-ada")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    commit_all(repo.path, "lampiran dipalsukan", KEPALA)
    site = sop.tmp / "site"
    build(repo, site)
    rows = lampiran(site, decree_id)
    assert sorted(rows) == ["alpha", "beta"]
    assert rows["alpha"]["judul"] == "Informasi alpha"


def test_the_index_names_the_decrees_in_force_and_their_scans(sop: Driver) -> None:
    repo = sop.repo
    site = sop.tmp / "site"
    build(repo, site)
    text = page(site, "index.html").text
    assert "Belum ada keputusan penetapan Daftar Informasi Publik yang berlaku." in text
    assert "Belum ada Penetapan Informasi yang Dikecualikan yang berlaku." in text
    sop.drive("ditetapkan", "renja")
    sop.drive("ditetapkan", "data-pegawai", category="dikecualikan")
    ids = decree_ids(repo)
    sk, dik = ids["188.44/1/2026"], ids["188.44/2/2026"]
    scan = sop.tmp / "sk.pdf"
    scan.write_bytes(b"%PDF-1.4\n% pindaian\n%%EOF\n")
    ok(repo, "decree", "attach", sk, str(scan), "--as", PPID)
    build(repo, site)
    index = (site / "index.html").read_text(encoding="utf-8")
    shown = index.split('<section class="berlaku-kini"', 1)[1].split("</section>", 1)[0]
    assert f'href="keputusan/{sk}.html"' in shown and f'href="keputusan/{sk}.pdf"' in shown
    assert f'href="keputusan/{dik}.html"' in shown and f"keputusan/{dik}.pdf" not in shown
    words = " ".join(Rows(shown).text.split())
    assert (
        "Daftar Informasi Publik ditetapkan dengan Keputusan Nomor 188.44/1/2026 tanggal "
        "26 November 2026 (pindaian yang ditandatangani (PDF))." in words
    )
    assert (
        "Daftar Informasi yang Dikecualikan ditetapkan dengan Keputusan Nomor 188.44/2/2026"
        in words
    )
    english = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert f'href="keputusan/{sk}.pdf"' in english and "Decrees in force" in english
    assert (site / "en" / "keputusan" / f"{sk}.pdf").is_file()


def test_the_dik_page_states_pasal_20_as_it_is(sop: Driver) -> None:
    sop.drive("ditetapkan", "data-pegawai", category="dikecualikan")
    site = sop.tmp / "site"
    build(sop.repo, site)
    dik = " ".join(page(site, "dik.html").text.split())
    assert "Pengecualian tidak bersifat permanen (Pasal 20)" not in dik
    assert "Pasal 17 huruf a sampai f tidak bersifat permanen (Pasal 20 ayat 1)" in dik
    assert "huruf g sampai j" in dik and "Berakhir: permanen" in dik
    english = " ".join(page(site, "en/dik.html").text.split())
    assert "letters a to f are not permanent (Article 20(1))" in english
    assert "letters g to j" in english


def at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)


def test_a_meeting_recorded_late_never_reads_as_held_before_the_proposal(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proposed on 6 December, the meeting of 2 March recorded on 7 December: the trail lists
    the steps in the order they were recorded, every recorded date in order, and gives the
    meeting's own date only labelled as the meeting's."""
    repo = sop.repo
    at(monkeypatch, "2026-12-06T09:00:00+07:00")
    sop.drive("diklasifikasi", "renja")
    at(monkeypatch, "2026-12-07T10:00:00+07:00")
    ok(repo, "meeting", "renja", "--date", "2026-03-02", "--place", "Ruang Rapat",
       "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
       "--hardcopy", "Lemari 1", "--time", "09:00", "--chair", PPID,
       "--as", PPID)  # fmt: skip
    ok(repo, "establish", "renja", "--number", "188.44/1/2026", "--date", "2026-12-07",
       "--as", KEPALA)  # fmt: skip
    site = sop.tmp / "site"
    build(repo, site)
    item = page(site, "informasi/renja.html")
    trail = item.table("jejak")
    heads = " ".join(item.text.split())
    assert "Dicatat" in heads and "Tanggal rapat atau keputusan" in heads
    steps = [r["cells"][1][:2] for r in trail]
    assert steps == ["1.", "1.", "2.", "3.", "4.", "5."]
    recorded = [r["times"][3] for r in trail]  # the "Dicatat" column: one time each, in order
    assert all(len(t) == 1 for t in recorded)
    assert [t[0] for t in recorded] == sorted(t[0] for t in recorded)
    assert recorded[0][0].startswith("2026-12-06") and recorded[4][0].startswith("2026-12-07")
    meeting = trail[4]
    assert meeting["cells"][3] == "7 Desember 2026, pukul 10.00"
    assert meeting["cells"][4] == "Rapat tanggal 2 Maret 2026"
    assert trail[5]["cells"][4] == "Keputusan tanggal 7 Desember 2026"
    assert [r["cells"][4] for r in trail[:4]] == ["—"] * 4
    assert not any("2026-03-02" in t for r in trail for t in r["times"][3])  # never as recorded
    english = page(site, "en/informasi/renja.html").table("jejak")
    assert english[4]["cells"][4] == "Meeting held on 2 March 2026"


def set_agency(repo: Repo, **keys: str | None) -> None:
    path = repo.register / "register.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    agency = data.setdefault("badan_publik", {})
    for key, value in keys.items():
        if value is None:
            agency.pop(key, None)
        else:
            agency[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    commit_all(repo.path, "kontak PPID", KEPALA)


def test_build_warns_when_the_site_shows_no_ppid_contact(repo: Repo, tmp_path: Path) -> None:
    none = dict.fromkeys(("alamat", "telepon", "email", "jam_layanan", "situs"))
    set_agency(repo, **none)
    site = tmp_path / "site"
    result = build(repo, site)  # exit 0: a warning, not an error
    assert "Kontak PPID belum dicantumkan" in (site / "index.html").read_text(encoding="utf-8")
    keys = ("badan_publik.alamat", "badan_publik.telepon", "badan_publik.email",
            "badan_publik.jam_layanan")  # fmt: skip
    assert "peringatan" in result.stderr and all(k in result.stderr for k in keys)
    assert "badan_publik" not in result.stdout
    english = repo.run("--lang", "en", "build", "--out", site)
    assert english.exit_code == 0 and "badan_publik.jam_layanan" in english.stderr
    set_agency(repo, email="bukan alamat surel")  # an address the site will not link
    assert "badan_publik.email" in build(repo, site).stderr
    set_agency(repo, email="ppid@dinas.example.go.id")
    result = build(repo, site)
    assert "badan_publik" not in result.stderr
    assert "Kontak PPID belum dicantumkan" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_few_versions_read_without_the_cache_are_the_cached_ones(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fewer than ``versioncache._FEW`` versions are parsed without loading the cache: the
    same items as through the cache, cold and warm, for a version that is the work tree's
    file, one that is not, and one whose commit lacks the file."""
    repo = sop.repo
    sop.drive("ditetapkan", "alpha", "beta")
    first = git(repo.path, "rev-parse", "HEAD").strip()
    retitle(sop, "beta", "Informasi beta versi baru")
    reg = find_register(repo.register)
    current = {i.id: i for i in queries.load_items(reg)}
    root = git(repo.path, "rev-list", "--max-parents=0", "HEAD").strip()
    wanted = {(first, "alpha"), (first, "beta"), (root, "beta")}
    found = []
    for few in (0, 0, 1000):  # the cache cold, then warm; then none
        monkeypatch.setattr(versioncache, "_FEW", few)
        versioncache._LOADED.clear()
        found.append(issued.read_versions(reg, wanted, current))
    assert found[0] == found[1] == found[2]
    assert found[2][(first, "beta")].title == "Informasi beta"
    assert found[2][(first, "alpha")] is current["alpha"]
    assert (root, "beta") not in found[2]
