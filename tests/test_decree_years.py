"""Decrees right across the years (issue 19): the revocation chain, lifting an exemption, and
the invariant that no item is in both the DIP in force and the DIK in force."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from dipctl.publish import dik_paper
from dipctl.register import chain
from dipctl.register.config import find_register
from dipctl.register.queries import load_decrees, load_items
from dipctl.register.records import Decree, Exemption, Item
from dipctl.sop import cycle
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, git
from tests.test_decrees import DATE, decree_file, decrees, establish, exempt
from tests.test_verify import Driver, findings, forge, hand_edit, ok, trailers

LIFT = ("--category", "berkala", "--date", DATE, "-m", "Jangka waktu pengecualian berakhir")


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def number_of(repo: Repo, number: str) -> str:
    return next(d for d, data in decrees(repo).items() if data["nomor"] == number)


def lift(repo: Repo, number: str, *ids: str, who: str = PPID) -> str:
    ok(repo, "lift", *ids, "--number", number, *LIFT, "--as", who)
    return number_of(repo, number)


def build(sop: Driver, name: str) -> Path:
    site = sop.tmp / name
    ok(sop.repo, "build", "--out", str(site))
    return site


def lists_in_force(site: Path) -> tuple[set[str], set[str]]:
    """The titles of dip.json and of dik.json (DIK rows carry no id: they are matched by
    title, which the tests keep unique)."""
    dip = json.loads((site / "dip.json").read_text(encoding="utf-8"))
    dik = json.loads((site / "dik.json").read_text(encoding="utf-8"))
    return {r["judul"] for r in dip["informasi"]}, {r["judul"] for r in dik["dikecualikan"]}


def assert_disjoint(sop: Driver, name: str) -> Path:
    site = build(sop, name)
    dip, dik = lists_in_force(site)
    assert not dip & dik, (name, dip & dik)
    assert chain.overlap(load_decrees(find_register(sop.repo.register))) is None
    return site


def status_of(repo: Repo, unit: str, item_id: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(repo.item(unit, item_id).read_text("utf-8"))
    return data


# -- the Done-when story: three rounds in one register -------------------------------------


def test_three_rounds_keep_every_decree_of_the_chain_and_the_two_lists_apart(
    sop: Driver,
) -> None:
    repo = sop.repo
    # round 1: the DIP (SK 1) and the DIK (Penetapan 2)
    sop.drive("ditentukan", "renja", "profil")
    sop.drive("ditentukan", "rahasia", "pegawai", category="dikecualikan")
    base = establish(repo, "188.44/1/2026", "renja", "profil")
    dik = exempt(repo, "188.44/2/2026", "rahasia", "pegawai")
    assert_disjoint(sop, "round-1")
    # round 2: an amendment (SK 3), then a replacement (SK 4) that names both
    sop.drive("ditentukan", "peta")
    amendment = establish(repo, "188.44/3/2026", "peta", extra=("--amend",))
    sop.drive("ditentukan", "renstra")
    replacement = establish(repo, "188.44/4/2026", "renstra")
    assert decree_file(repo, replacement)["mencabut"] == [base, amendment]
    assert_disjoint(sop, "round-2")
    # round 3: a withdrawal with its reason (SK 5), an exemption lifted (Penetapan 6) and
    # established as public (SK 7)
    ok(repo, "withdraw", "profil", "--number", "188.44/5/2026", "--date", DATE,
       "-m", "Tidak dikuasai lagi", "--as", KEPALA)  # fmt: skip
    withdrawal = number_of(repo, "188.44/5/2026")
    assert decree_file(repo, withdrawal)["alasan"] == "Tidak dikuasai lagi"
    lifted = lift(repo, "188.44/6/2026", "rahasia")
    assert status_of(repo, "sekretariat", "rahasia")["status"] == "ditentukan"
    assert_disjoint(sop, "round-3a")
    opened = establish(repo, "188.44/7/2026", "rahasia")
    site = assert_disjoint(sop, "round-3b")
    dip, dik_titles = lists_in_force(site)
    assert "Informasi rahasia" in dip and dik_titles == {"Informasi pegawai"}
    # every superseded decree is marked with its revoker (or amender), on its page and in
    # the list of decrees
    revoker = {base: "188.44/4/2026", amendment: "188.44/4/2026", replacement: "188.44/5/2026"}
    revoker |= {withdrawal: "188.44/7/2026", dik: "188.44/6/2026"}
    listing = (site / "keputusan.html").read_text(encoding="utf-8")
    rows = {m[0]: m[1] for m in re.findall(r'<tr id="([^"]+)">(.*?)</tr>', listing, re.S)}
    for decree_id, number in revoker.items():
        page = (site / "keputusan" / f"{decree_id}.html").read_text(encoding="utf-8")
        verb = "Diubah dengan" if decree_id == dik else "Dicabut oleh"
        assert re.search(rf"{verb} <a [^>]*>{re.escape(number)}</a>", page), decree_id
        assert number in rows[decree_id] and 'class="berlaku"' not in rows[decree_id]
    assert {d for d, row in rows.items() if 'class="berlaku"' in row} == {opened, lifted}
    # the replacing decree names the base decree and its amendment, on its page
    page = (site / "keputusan" / f"{replacement}.html").read_text(encoding="utf-8")
    assert re.search(r"188\.44/1/2026</a> sebagaimana telah diubah dengan <a [^>]*>"
                     r"Keputusan Nomor 188\.44/3/2026</a>, dicabut", page)  # fmt: skip
    assert "Tidak dikuasai lagi" in (site / "keputusan" / f"{withdrawal}.html").read_text("utf-8")
    assert findings(repo) == []


def test_at_every_commit_no_item_is_in_both_lists_in_force(sop: Driver) -> None:
    """Over a history of several rounds, each commit's decrees (read from git) keep the DIP
    in force and the DIK in force apart, and a build of each commit that changed a decree
    publishes no item in both dip.json and dik.json."""
    repo = sop.repo
    sop.drive("ditentukan", "renja")
    sop.drive("ditentukan", "rahasia", "pegawai", category="dikecualikan")
    establish(repo, "188.44/1/2026", "renja")
    exempt(repo, "188.44/2/2026", "rahasia", "pegawai")
    lift(repo, "188.44/3/2026", "pegawai")
    establish(repo, "188.44/4/2026", "pegawai")
    ok(repo, "revise", "rahasia", "--as", KASUBBAG)  # revised and opened in the same round
    sop.submit("sekretariat", "rahasia")
    sop.review("rahasia")
    sop.classify("setiap-saat", "rahasia")
    sop.meeting("rahasia")
    refused = repo.run("establish", "rahasia", "--number", "188.44/5/2026", "--date", DATE,
                       "--as", KEPALA)  # fmt: skip
    assert refused.exit_code == 3 and "dipctl lift" in refused.stderr
    ok(repo, "lift", "rahasia", "--number", "188.44/5/2026", "--category", "setiap-saat",
       "--date", DATE, "-m", "Putusan Komisi Informasi", "--as", PPID)  # fmt: skip
    establish(repo, "188.44/6/2026", "rahasia")
    assert findings(repo) == []
    shas = git(repo.path, "rev-list", "--reverse", "HEAD").split()
    clone = sop.tmp / "clone"
    git(sop.tmp, "clone", "-q", str(repo.path), str(clone))
    built = 0
    for sha in shas:
        at = {
            p.rsplit("/", 1)[-1]: yaml.safe_load(git(repo.path, "show", f"{sha}:{p}"))
            for p in git(repo.path, "ls-tree", "--name-only", sha, "register/keputusan/").split()
            if p.endswith(".yaml")
        }
        those = {d.id: d for d in (Decree.from_mapping(v, Path(k)) for k, v in at.items())}
        assert chain.overlap(those) is None, sha
        changed = git(repo.path, "diff-tree", "--no-commit-id", "--name-only", "-r", sha)
        if "register/keputusan/" in changed:
            git(clone, "checkout", "-q", sha)
            site = sop.tmp / f"site-{built}"
            result = repo.run("build", "--register", str(clone / "register"), "--out", str(site))
            assert result.exit_code == 0, result.stderr
            dip, dik = lists_in_force(site)
            assert not dip & dik, (sha, dip & dik)
            built += 1
    assert built == 6


# -- the revocation chain ------------------------------------------------------------------


def test_the_chain_of_amendments_is_revoked_whole_in_the_record_and_on_paper(
    sop: Driver,
) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "satu")
    base = establish(repo, "45", "satu")
    sop.drive("ditentukan", "dua")
    first = establish(repo, "50", "dua", extra=("--amend",))
    assert decree_file(repo, first)["mengubah"] == base  # one id: the form of older files
    sop.drive("ditentukan", "tiga")
    second = establish(repo, "51", "tiga", extra=("--amend",))
    data = decree_file(repo, second)
    assert data["mengubah"] == [base, first]
    assert str(data["tentang"]).startswith("Perubahan Kedua atas Keputusan Nomor 45 tentang ")
    sop.drive("ditentukan", "empat")
    out = sop.tmp / "draf.html"
    ok(repo, "decree", "draft", "--number", "52", "--date", DATE, "--out", str(out))
    text = re.sub(r"\s+", " ", out.read_text(encoding="utf-8"))
    assert re.search(
        r"Keputusan [^.]* Nomor 45 tanggal [^.]* sebagaimana telah beberapa kali diubah, "
        r"terakhir dengan Keputusan [^.]* Nomor 51 tanggal [^.]*, dicabut dan dinyatakan",
        text,
    )
    replacement = establish(repo, "52", "empat")
    assert decree_file(repo, replacement)["mencabut"] == [base, first, second]
    reg = find_register(repo.register)
    every = load_decrees(reg)
    by = chain.replaced_by(every)
    assert {d: by[d].id for d in (base, first, second)} == dict.fromkeys(
        (base, first, second), replacement
    )
    assert chain.in_force(every).id == replacement  # type: ignore[union-attr]
    assert findings(repo) == []
    # validate and the schema take the list form
    assert repo.run("validate").exit_code == 0


def test_the_dik_chain_is_revoked_whole_too(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "rahasia", category="dikecualikan")
    base = exempt(repo, "46", "rahasia")
    sop.drive("ditentukan", "kedua", category="dikecualikan")
    ok(repo, "approve", "kedua", "--as", KEPALA)
    ok(repo, "exempt", "kedua", "--number", "47", "--date", DATE, "--amend", "--as", PPID)
    amended = number_of(repo, "47")
    sop.drive("ditentukan", "ketiga", category="dikecualikan")
    new = exempt(repo, "48", "ketiga")
    assert decree_file(repo, new)["mencabut"] == [base, amended]
    site = build(sop, "site")
    for old in (base, amended):
        page = (site / "keputusan" / f"{old}.html").read_text(encoding="utf-8")
        assert re.search(r"Dicabut oleh <a [^>]*>48</a>", page)
    assert findings(repo) == []


# -- lifting an exemption ------------------------------------------------------------------


def test_lift_amends_the_dik_and_the_item_enters_the_dip_with_the_next_decree(
    sop: Driver,
) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "renja")
    sop.drive("diunggah", "rahasia", "pegawai", category="dikecualikan")
    dik = number_of(repo, "188.44/2/2026")
    lifted = lift(repo, "188.44/9/2026", "rahasia")
    data = decree_file(repo, lifted)
    assert (data["jenis"], data["penandatangan"], data["mengubah"]) == (
        "penetapan-dik",
        PPID,
        dik,
    )
    assert data["mengeluarkan"] == ["rahasia"] and data["lampiran"] == ["pegawai"]
    assert data["alasan"] == "Jangka waktu pengecualian berakhir"
    assert [r["informasi"] for r in data["rincian"]] == ["pegawai"]  # type: ignore[attr-defined]
    item = status_of(repo, "sekretariat", "rahasia")
    assert (item["status"], item["kategori"], item["keputusan"]) == (
        "ditentukan",
        "berkala",
        lifted,
    )
    assert "pengecualian" not in item  # the test stays in the history and the DIKs as issued
    log = git(repo.path, "log", "-1", "--format=%ae%n%B")
    assert log.startswith(PPID) and trailers("lift", "ppid_pembantu", "rahasia") in log
    assert f"DIP-Decree: {lifted}" in log
    assert git(repo.path, "show", "--name-only", "--format=", "HEAD").split() == sorted(
        [f"register/keputusan/{lifted}.yaml", "register/informasi/sekretariat/rahasia.yaml"]
    )
    assert repo.run("validate").exit_code == 0
    # the site: the lift decree names the item as no longer exempt, the DIK without it
    site = build(sop, "site")
    page = (site / "keputusan" / f"{lifted}.html").read_text(encoding="utf-8")
    assert "tidak lagi dikecualikan" in page and "Informasi rahasia" in page
    assert lists_in_force(site) == ({"Informasi renja"}, {"Informasi pegawai"})
    # the paper of the lift: its own Menimbang and dicta, in a separate branch
    reg = find_register(repo.register)
    every = {i.id: i for i in load_items(reg)}
    made = load_decrees(reg)[lifted]
    html = dik_paper.render(
        reg.settings, made, data, [every["pegawai"]], previous=[load_decrees(reg)[dik]],
        lifted=[every["rahasia"]],
    )  # fmt: skip
    text = re.sub(r"\s+", " ", html)
    assert "Pasal 20 ayat (1) Undang-Undang tersebut" in text  # the Menimbang of a lift
    assert "tidak lagi dikecualikan dan merupakan Informasi Publik: Informasi rahasia" in text
    assert "berakhir dengan alasan: Jangka waktu pengecualian berakhir." in text
    assert "Lampiran Keputusan" in text and "diubah sehingga menjadi" in text
    # the next DIP decree takes it in
    opened = establish(repo, "188.44/10/2026", "rahasia")
    assert "rahasia" in decree_file(repo, opened)["lampiran"]  # type: ignore[operator]
    assert findings(repo) == []


def test_lift_refuses_what_it_may_not_do(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "renja")
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    sop.drive("ditentukan", "belum", category="dikecualikan")
    before = git(repo.path, "rev-parse", "HEAD")

    def refused(*args: str, code: int, text: str) -> None:
        result = repo.run("lift", *args)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        assert text in result.stderr, result.stderr
        assert "Traceback" not in result.stderr

    refused("rahasia", "--number", "9", *LIFT, "--as", KEPALA, code=3, text="ppid_pembantu")
    refused("renja", "--number", "9", *LIFT, "--as", PPID, code=3, text="dipctl withdraw")
    refused("belum", "--number", "9", *LIFT, "--as", PPID, code=3, text="ditentukan")
    refused("rahasia", "--number", "9", "--category", "dikecualikan", "--date", DATE, "-m", "x",
            "--as", PPID, code=2, text="--category")  # fmt: skip
    refused("rahasia", "--number", "9", "--category", "berkala", "--date", DATE,
            "--as", PPID, code=2, text="")  # fmt: skip
    refused("rahasia", "--number", "188.44/1/2026", *LIFT, "--as", PPID, code=3, text="188.44/1")
    refused("tidak-ada", "--number", "9", *LIFT, "--as", PPID, code=4, text="tidak-ada")
    assert git(repo.path, "rev-parse", "HEAD") == before  # nothing written


def test_establish_and_exempt_refuse_an_item_of_the_other_list(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    sop.drive("ditetapkan", "renja")
    # an exempt item revised and classified public: the SK DIP may not list it yet
    ok(repo, "revise", "rahasia", "--as", KASUBBAG)
    sop.submit("sekretariat", "rahasia")
    sop.review("rahasia")
    sop.classify("berkala", "rahasia")
    sop.meeting("rahasia")
    result = repo.run("establish", "rahasia", "--number", "9", "--date", DATE, "--as", KEPALA)
    assert result.exit_code == 3 and "188.44/1/2026" in result.stderr
    assert "dipctl lift" in result.stderr
    # a public item revised and classified exempt: the DIK may not list it while the SK DIP
    # in force does
    ok(repo, "revise", "renja", "--as", KASUBBAG)
    sop.submit("sekretariat", "renja")
    sop.review("renja")
    sop.classify("dikecualikan", "renja")
    sop.meeting("renja")
    ok(repo, "approve", "renja", "--as", KEPALA)
    result = repo.run("exempt", "renja", "--number", "10", "--date", DATE, "--as", PPID)
    assert result.exit_code == 3 and "188.44/2/2026" in result.stderr
    assert findings(repo) == []


# -- verify: forged lifts ------------------------------------------------------------------


def retake_lift(
    sop: Driver, edit_decree: Callable[[Path], None] | None = None, who: str = PPID
) -> str:
    """`dipctl lift` taken, then its commit redone by hand (``edit_decree`` changes the
    decree it wrote) and committed by ``who`` with the same message."""
    repo = sop.repo
    message = git(repo.path, "log", "-1", "--format=%B").strip()
    names = git(repo.path, "show", "--name-only", "--format=", "HEAD").split()
    git(repo.path, "reset", "-q", "--soft", "HEAD~1")
    decree = next(repo.path / n for n in names if "/keputusan/" in n)
    if edit_decree is not None:
        edit_decree(decree)
    return forge(repo, who, message)


def findings_at(repo: Repo, sha: str) -> set[tuple[str, str]]:
    return {(f["rule"], f["item"]) for f in findings(repo) if f["commit"] == sha}


def test_a_lift_by_the_wrong_role_is_a_finding(sop: Driver) -> None:
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    lift(sop.repo, "9", "rahasia")
    sha = retake_lift(sop, who=SEKRETARIS)
    assert {("role", "rahasia"), ("decree", "")} <= findings_at(sop.repo, sha)


def test_a_lift_whose_decree_still_lists_the_item_is_a_finding(sop: Driver) -> None:
    sop.drive("ditetapkan", "rahasia", "pegawai", category="dikecualikan")
    lift(sop.repo, "9", "rahasia")
    sha = retake_lift(sop, lambda p: hand_edit(p, lampiran="[pegawai, rahasia]"))
    assert ("lift", "rahasia") in findings_at(sop.repo, sha)


def test_a_lift_of_an_item_not_in_the_dik_is_a_finding(sop: Driver) -> None:
    """A public item moved back to ditentukan as if lifted, with a decree that names it."""
    repo = sop.repo
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    sop.drive("ditetapkan", "renja")
    lift(repo, "9", "rahasia")
    git(repo.path, "reset", "-q", "--hard", "HEAD~1")  # the honest lift, taken back
    hand_edit(repo.item("sekretariat", "renja"), status="ditentukan", keputusan="sk-9")
    (repo.register / "keputusan" / "sk-9.yaml").write_text(
        "id: sk-9\njenis: penetapan-dik\nnomor: '9'\ntanggal: '2026-11-26'\n"
        f"tentang: Perubahan\npenandatangan: {PPID}\nmengubah: sk-188-44-2-2026\n"
        "mengeluarkan: [renja]\nlampiran: [rahasia]\nalasan: Palsu\n",
        encoding="utf-8",
    )
    sha = forge(
        repo,
        PPID,
        "dip(lift): renja ditetapkan -> ditentukan",
        trailers("lift", "ppid_pembantu", "renja") + "\nDIP-Decree: sk-9",
    )
    assert ("lift", "renja") in findings_at(repo, sha)


def test_validate_names_an_item_in_both_lists(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    sop.drive("ditetapkan", "renja")
    dip = number_of(repo, "188.44/2/2026")
    hand_edit(repo.register / "keputusan" / f"{dip}.yaml", lampiran="[rahasia, renja]")
    result = repo.run("validate")
    assert result.exit_code == 1
    (line,) = [x for x in result.stdout.splitlines() if "rahasia" in x]
    assert line.startswith(f"register/keputusan/{dip}.yaml:") and "188.44/1/2026" in line


# -- status: exemptions that end soon ------------------------------------------------------


def exempt_item(ends: str) -> Item:
    test = Exemption("17 huruf b", "UU 14/2008", "seluruhnya", "a", "b", "c", "d", "1 tahun",
                     ends, "2026-01-01", ())  # fmt: skip
    return Item("rahasia", "Rahasia", "sekretariat", "ditetapkan", category="dikecualikan",
                exemption=test)  # fmt: skip


@pytest.mark.parametrize(
    ("today", "ends", "kind", "left"),
    [
        ("2027-01-04", "2027-02-12", "exemption_ending", "29"),  # Monday; six weeks less a day
        ("2027-01-04", "2027-02-15", "exemption_ending", "30"),  # the 30th working day
        ("2027-01-04", "2027-02-16", None, ""),  # the 31st: not yet
        ("2027-01-08", "2027-01-10", "exemption_ending", "0"),  # a Sunday after a Friday
        ("2027-01-04", "2027-01-03", "exemption_ended", ""),
    ],
)
def test_status_lists_exemptions_ending_within_30_working_days(
    repo: Repo, today: str, ends: str, kind: str | None, left: str
) -> None:
    reg = find_register(repo.register)
    found = cycle.stale(reg, reg.settings, [exempt_item(ends)], dt.date.fromisoformat(today))
    assert [(s.kind, s.period if kind == "exemption_ending" else "") for s in found] == (
        [(kind, left)] if kind else []
    )
    for stale in found:
        assert stale.command.startswith("dipctl lift rahasia --category ")
        assert "revise" not in stale.command


def test_working_days_count_weekends_out() -> None:
    monday = dt.date(2027, 1, 4)
    assert [cycle.working_days(monday, monday + dt.timedelta(days=n)) for n in range(8)] == [
        0, 1, 2, 3, 4, 4, 4, 5,
    ]  # fmt: skip


def test_status_shows_the_lift_line(sop: Driver) -> None:
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    path = sop.repo.item("sekretariat", "rahasia")
    text = path.read_text(encoding="utf-8").replace("berakhir: permanen", 'berakhir: "2026-02-01"')
    path.write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=sop.repo.path, check=True)
    out = ok(sop.repo, "status")
    assert "dipctl lift rahasia --category" in out and "dipctl revise rahasia" not in out
