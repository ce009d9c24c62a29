"""`dipctl verify` (SPEC.md section 4): honest histories verify clean, and every tamper made
with plain git, as an attacker would make it, is caught with its commit, item and rule."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from dipctl.proof import verify as audit
from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    git,
)
from tests.test_sop import EXEMPTION, fill

OUTSIDER = "orang.luar@example.com"
KASUBBAG_OF = {"sekretariat": KASUBBAG, "program": KASUBBAG_PROGRAM}
FLOW = ("draf", "diajukan", "diteruskan", "diklasifikasi", "ditentukan", "ditetapkan", "diunggah")
URL = "https://dinas.example.go.id/dip/"


# -- driving the register ------------------------------------------------------------------


def ok(repo: Repo, *args: str) -> str:
    result = repo.run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def head(repo: Repo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


def trailers(action: str, role: str, *items: str) -> str:
    return "\n".join(
        [f"DIP-Action: {action}", f"DIP-Role: {role}", *(f"DIP-Item: {i}" for i in items)]
    )


def forge(repo: Repo, who: str, *paragraphs: str, author: str | None = None) -> str:
    """Stage everything and commit it with plain git as ``who``; returns the new sha."""
    git(repo.path, "add", "-A")
    args = ["-c", f"user.name=Nama {who.split('@')[0]}", "-c", f"user.email={who}", "commit", "-q"]
    if author:
        args += ["--author", author]
    for paragraph in paragraphs:
        args += ["-m", paragraph]
    git(repo.path, *args)
    return head(repo)


def hand_edit(path: Path, **fields: str | None) -> None:
    """Set (or, with None, remove) top-level keys of a YAML file, as a person in an editor."""
    out: list[str] = []
    seen: set[str] = set()
    skipping = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if skipping and line.startswith((" ", "- ")):
            continue  # the rest of a replaced block value
        skipping = False
        key = line.split(":", 1)[0]
        if key in fields and not line.startswith((" ", "#")):
            seen.add(key)
            skipping = True
            if fields[key] is not None:
                out.append(f"{key}: {fields[key]}")
            continue
        out.append(line)
    out += [f"{k}: {v}" for k, v in fields.items() if k not in seen and v is not None]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def grant(repo: Repo, email: str, role: str) -> None:
    """Edit register.yaml so that ``email`` also holds ``role`` (not committed)."""
    config = repo.register / "register.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    person = next(p for p in data["orang"] if p["email"] == email)
    old = f"peran: [{', '.join(person['peran'])}]"
    new = f"peran: [{', '.join([*person['peran'], role])}]"
    text = config.read_text(encoding="utf-8")
    start = text.index(f"email: {email}")
    at = text.index(old, start)
    config.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


def set_config(repo: Repo, text: str) -> None:
    config = repo.register / "register.yaml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


@dataclass
class Driver:
    """Carries items through the SOP with the real commands, as honest officers do."""

    repo: Repo
    tmp: Path
    meetings: int = 0
    decrees: int = 0
    exempt: set[str] = field(default_factory=set)

    def new(self, item_id: str, unit: str = "sekretariat", filled: bool = True) -> None:
        who = KASUBBAG_OF[unit]
        title = f"Informasi {item_id}"
        ok(self.repo, "new", "--unit", unit, "--title", title, "--id", item_id, "--as", who)
        if filled:  # the kasubbag completes the draft and commits it alone (SPEC allows it)
            fill(self.repo, unit, item_id)
            commit_all(self.repo.path, f"{item_id}: isian Perki", who)

    def submit(self, unit: str, *ids: str) -> None:
        ok(self.repo, "submit", *ids, "--as", KASUBBAG_OF[unit])

    def review(self, *ids: str) -> None:
        ok(self.repo, "review", *ids, "--approve", "--as", SEKRETARIS)

    def classify(self, category: str, *ids: str) -> None:
        extra: list[str] = []
        if category == "dikecualikan":
            exemption = self.tmp / "uji-konsekuensi.yaml"
            exemption.write_text(EXEMPTION, encoding="utf-8")
            extra = ["--exemption", str(exemption)]
        ok(self.repo, "classify", *ids, "--category", category, *extra, "--as", PPID)
        self.exempt.update(ids) if category == "dikecualikan" else self.exempt.difference_update(
            ids
        )

    def meeting(self, *ids: str, reject: tuple[str, ...] = ()) -> None:
        self.meetings += 1
        rejected = [a for r in reject for a in ("--reject", r)]
        ok(
            self.repo,
            "meeting",
            *ids,
            "--date",
            f"2026-11-{10 + self.meetings:02d}",
            "--place",
            "Ruang Rapat",
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
            "Lemari Arsip 1",
            *rejected,
            *(["-m", "Belum lengkap"] if reject else []),
            "--as",
            PPID,
        )

    def establish(self, *ids: str) -> None:
        """Step 5: the public items by the DIP decree (the kepala), the exempt ones by the
        head's approval and the PPID's Penetapan DIK."""
        public = [i for i in ids if i not in self.exempt]
        exempt = [i for i in ids if i in self.exempt]
        if public:
            self.decrees += 1
            number = f"188.44/{self.decrees}/2026"
            ok(self.repo, "establish", *public, "--number", number, "--date", "2026-11-26",
               "--as", KEPALA)  # fmt: skip
        if exempt:
            self.decrees += 1
            number = f"188.44/{self.decrees}/2026"
            ok(self.repo, "approve", *exempt, "--as", KEPALA)
            ok(self.repo, "exempt", *exempt, "--number", number, "--date", "2026-11-26",
               "--as", PPID)  # fmt: skip

    def publish(self, *ids: str) -> None:
        site = self.tmp / "site"
        ok(self.repo, "build", "--out", str(site))
        ok(self.repo, "publish", *ids, "--url", URL, "--site", str(site), "--as", PPID)

    def drive(
        self, target: str, *ids: str, unit: str = "sekretariat", category: str = "berkala"
    ) -> None:
        """New items (in ``unit``) carried forward with the real commands up to ``target``."""
        for item_id in ids:
            self.new(item_id, unit)
        steps: dict[str, Callable[[], None]] = {
            "diajukan": lambda: self.submit(unit, *ids),
            "diteruskan": lambda: self.review(*ids),
            "diklasifikasi": lambda: self.classify(category, *ids),
            "ditentukan": lambda: self.meeting(*ids),
            "ditetapkan": lambda: self.establish(*ids),
            "diunggah": lambda: self.publish(*ids),
        }
        for status in FLOW[1 : FLOW.index(target) + 1]:
            steps[status]()


def require_signatures(sop: Driver) -> None:
    config = sop.repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  wajib: false" in text
    config.write_text(text.replace("  wajib: false", "  wajib: true"), encoding="utf-8")
    commit_all(sop.repo.path, "tanda tangan wajib", KEPALA)


def keygen(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key, Path(f"{key}.pub").read_text(encoding="utf-8").strip()


def signed_commit(repo: Repo, who: str, key: Path, *paragraphs: str, author: str = "") -> str:
    git(repo.path, "add", "-A")
    git(
        repo.path,
        *("-c", f"user.name=Nama {who.split('@')[0]}", "-c", f"user.email={who}"),
        *("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"),
        *("commit", "-q", "-S", *(["--author", author] if author else [])),
        *(a for p in paragraphs for a in ("-m", p)),
    )
    return head(repo)


def list_signers(sop: Driver, *emails: str) -> dict[str, Path]:
    """The kepala lists a key per officer in penanda-tangan and requires signatures."""
    keys, lines = {}, []
    for email in emails:
        keys[email], public = keygen(sop.tmp, email.split("@")[0])
        lines.append(f'{email} namespaces="git" {public}')
    signers = sop.repo.register / "penanda-tangan"
    signers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    require_signatures(sop)
    return keys


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def findings(repo: Repo, *args: str) -> list[dict[str, str]]:
    result = repo.run("verify", "--json", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.stdout, result.stderr)
    found: list[dict[str, str]] = json.loads(result.stdout)
    assert (result.exit_code == 1) == bool(found)
    return found


def assert_clean(repo: Repo) -> None:
    result = repo.run("verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert findings(repo) == []
    github = repo.run("verify", "--format", "github")
    assert (github.exit_code, github.stdout) == (0, "")


# -- 1. honest histories -------------------------------------------------------------------


def test_the_whole_sop_driven_by_the_commands_verifies_clean(sop: Driver) -> None:
    repo = sop.repo
    units = {
        "renja-2027": "sekretariat",
        "profil-dinas": "sekretariat",
        "peringatan-banjir": "program",
        "data-pegawai": "program",
    }
    for item_id, unit in units.items():
        sop.new(item_id, unit, filled=False)
        fill(repo, unit, item_id)  # filled in and committed together with the submit
        sop.submit(unit, item_id)
    # a return, a correction by the kasubbag and the resubmission
    ok(repo, "review", "renja-2027", "--return", "-m", "Ringkasan kurang jelas", "--as", SEKRETARIS)
    hand_edit(repo.item("sekretariat", "renja-2027"), ringkasan="Ringkasan diperjelas.")
    ok(repo, "submit", "renja-2027", "-m", "Ringkasan diperjelas", "--as", KASUBBAG)
    # the sekretaris corrects an item under review ("untuk dikoreksi") with the approval
    hand_edit(repo.item("sekretariat", "profil-dinas"), ringkasan="Profil dinas, dikoreksi.")
    sop.review(*units)
    sop.classify("berkala", "renja-2027")
    sop.classify("setiap-saat", "profil-dinas")
    sop.classify("serta-merta", "peringatan-banjir")
    sop.classify("dikecualikan", "data-pegawai")
    sop.meeting(*units)
    ok(repo, "decree", "draft", "--out", str(sop.tmp / "draf-sk.html"))
    sop.establish(*units)
    sop.publish(*units)
    ok(repo, "revise", "renja-2027", "-m", "Renja berubah", "--as", KASUBBAG)
    ok(
        repo,
        *("withdraw", "peringatan-banjir", "--number", "188.44/9/2026", "--date", "2026-12-01"),
        *("-m", "Peringatan sudah tidak berlaku", "--as", KEPALA),
    )
    assert git(repo.path, "status", "--porcelain") == ""
    assert_clean(repo)
    assert repo.run("verify", "--format", "json").stdout.strip() == "[]"


def test_a_long_generated_honest_history_verifies_clean(sop: Driver) -> None:
    repo = sop.repo
    ids = {unit: [f"{unit[:4]}-{n:02d}" for n in range(30)] for unit in KASUBBAG_OF}
    for unit, unit_ids in ids.items():
        who = KASUBBAG_OF[unit]
        for item_id in unit_ids:  # `dipctl new` as plain git would make it
            path = repo.item(unit, item_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"id: {item_id}\njudul: Informasi {item_id}\nringkasan: ''\nunit: {unit}\n"
                "penanggung_jawab: ''\nwaktu_pembuatan: ''\ntempat_pembuatan: Palangka Raya\n"
                "bentuk: []\nretensi: ''\nstatus: draf\n",
                encoding="utf-8",
            )
            forge(repo, who, f"dip(new): {item_id} -> draf", trailers("new", "kasubbag", item_id))
        for chunk in range(0, 30, 10):  # the kasubbag fills ten drafts at a time, alone
            for item_id in unit_ids[chunk : chunk + 10]:
                fill(repo, unit, item_id)
            commit_all(repo.path, f"isian Perki {unit} {chunk}", who)
        sop.submit(unit, *unit_ids[:20])
    every = [i for unit_ids in ids.values() for i in unit_ids[:20]]
    # the sekretaris corrects some items alone, returns two, approves the rest
    for item_id in every[:5]:
        path = next(repo.register.glob(f"informasi/*/{item_id}.yaml"))
        hand_edit(path, retensi="10 tahun")
    commit_all(repo.path, "koreksi retensi", SEKRETARIS)
    returned = ["sekr-00", "prog-00"]
    ok(repo, "review", *returned, "--return", "-m", "Lengkapi ringkasan", "--as", SEKRETARIS)
    forwarded = [i for i in every if i not in returned]
    sop.review(*forwarded)
    for item_id in returned:  # corrected by their kasubbag and resubmitted
        unit = "sekretariat" if item_id.startswith("sekr") else "program"
        hand_edit(repo.item(unit, item_id), ringkasan="Ringkasan lengkap.")
        commit_all(repo.path, f"{item_id} diperbaiki", KASUBBAG_OF[unit])
        sop.submit(unit, item_id)
    # the PPID identifies and edits one item alone, returns one, classifies the rest
    hand_edit(repo.item("sekretariat", "sekr-01"), dokumen="{arsip: Lemari 3}")
    commit_all(repo.path, "dokumen ditambahkan", PPID)
    ok(repo, "classify", "prog-01", "--return", "-m", "Bukan milik unit ini", "--as", PPID)
    rest = [i for i in forwarded if i != "prog-01"]
    categories = ("berkala", "setiap-saat", "serta-merta", "dikecualikan")
    for n, category in enumerate(categories):
        sop.classify(category, *rest[n::4])
    sop.meeting(*rest, reject=("sekr-02",))
    established = [i for i in rest if i != "sekr-02"]
    sop.establish(*established)
    sop.publish(*established[:20])
    ok(repo, "revise", "sekr-03", "-m", "Perubahan", "--as", KASUBBAG)
    ok(repo, "revise", "prog-03", "--as", KASUBBAG_PROGRAM)
    hand_edit(repo.item("sekretariat", "sekr-03"), ringkasan="Ringkasan revisi pertama.")
    sop.submit("sekretariat", "sekr-03")
    sop.review("sekr-03")
    sop.classify("setiap-saat", "sekr-03")
    sop.meeting("sekr-03")
    sop.establish("sekr-03")
    gone = [i for i in established if i not in sop.exempt and i != "sekr-03"][-2:]
    ok(
        repo,
        *("withdraw", *gone, "--number", "188.44/pencabutan/2026"),
        *("--date", "2026-12-01", "-m", "Tidak berlaku", "--as", KEPALA),
    )
    assert int(git(repo.path, "rev-list", "--count", "HEAD")) > 80
    assert_clean(repo)


def test_a_merge_of_two_honest_branches_verifies_clean(sop: Driver) -> None:
    repo = sop.repo
    sop.new("satu", "sekretariat")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.submit("program", "dua")
    sop.new("tiga", "program")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "satu")
    sop.review("satu")
    git(
        repo.path,
        *("-c", "user.name=Kepala Dinas", "-c", f"user.email={KEPALA}"),
        *("merge", "--no-ff", "-q", "-m", "Gabung cabang program", "program"),
    )
    merged = head(repo)
    assert len(git(repo.path, "log", "-1", "--format=%P").split()) == 2
    rules = {(f["rule"], f["commit"]) for f in findings(repo)}
    assert rules == {("merge", merged)}  # the history is one chain: a merge is a finding ...
    config = repo.register / "register.yaml"  # ... until the kepala accepts it as it was made
    config.write_text(
        config.read_text(encoding="utf-8") + f"riwayat:\n  linear_sejak: {merged}\n", "utf-8"
    )
    commit_all(repo.path, "riwayat: merge lama diterima", KEPALA)
    sop.review("dua")  # and the work goes on after the merge
    assert_clean(repo)


def test_signed_steps_stay_valid_after_the_kepala_rotates_a_key(sop: Driver) -> None:
    """A signature is judged by the keys listed when it was made: replacing an officer's
    key (a new laptop, an officer who left) does not turn their past steps into findings."""
    repo = sop.repo
    sop.drive("draf", "satu")
    keys = list_signers(sop, KEPALA, SEKRETARIS, KASUBBAG)
    git(repo.path, "config", "gpg.format", "ssh")
    for who, args in (
        (KASUBBAG, ("submit", "satu")),
        (SEKRETARIS, ("review", "satu", "--approve")),
    ):
        git(repo.path, "config", "user.signingkey", str(keys[who]))
        ok(repo, *args, "--as", who)
    assert_clean(repo)
    _, public = keygen(sop.tmp, "sekretaris-baru")
    signers = repo.register / "penanda-tangan"
    lines = signers.read_text(encoding="utf-8").splitlines()
    lines = [f'{SEKRETARIS} namespaces="git" {public}' if SEKRETARIS in x else x for x in lines]
    signers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    signed_commit(repo, KEPALA, keys[KEPALA], "penanda-tangan: kunci baru sekretaris")
    assert_clean(repo)


# -- 2. the corpus of tampered histories ---------------------------------------------------


@dataclass(frozen=True)
class Expected:
    rule: str
    commit: str
    item: str  # "" for a finding about the whole commit or register.yaml


@dataclass(frozen=True)
class Tamper:
    base: str  # HEAD before the tampering: no finding may name a commit up to it
    expected: tuple[Expected, ...]


Case = Callable[[Driver], Tamper]
CASES: dict[str, tuple[Case, frozenset[str]]] = {}


def tamper(*rule_ids: str) -> Callable[[Case], Case]:
    def register(func: Case) -> Case:
        CASES[func.__name__] = (func, frozenset(rule_ids))
        return func

    return register


def expect(base: str, *found: tuple[str, str, str]) -> Tamper:
    return Tamper(base, tuple(Expected(*f) for f in found))


@tamper("role")
def ppid_forges_a_submit_as_kasubbag(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo, PPID, "dip(submit): satu draf -> diajukan", trailers("submit", "kasubbag", "satu")
    )
    return expect(base, ("role", sha, "satu"))


@tamper("trailers")
def status_changed_by_hand_without_trailers(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(sop.repo, KASUBBAG, "satu siap")
    return expect(base, ("trailers", sha, ""))


@tamper("transition")
def status_jumps_from_draf_to_ditetapkan(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="ditetapkan")
    sha = forge(
        sop.repo,
        KEPALA,
        "dip(establish): satu -> ditetapkan",
        trailers("establish", "kepala", "satu"),
    )
    return expect(base, ("transition", sha, "satu"))


@tamper("role")
def an_outsider_takes_a_step(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo,
        OUTSIDER,
        "dip(submit): satu draf -> diajukan",
        trailers("submit", "kasubbag", "satu"),
    )
    return expect(base, ("role", sha, "satu"))


@tamper("role")
def an_outsider_creates_an_item_with_new_trailers(sop: Driver) -> Tamper:
    base = head(sop.repo)
    path = sop.repo.item("sekretariat", "titipan")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "id: titipan\njudul: Informasi titipan\nunit: sekretariat\nstatus: draf\n", encoding="utf-8"
    )
    sha = forge(
        sop.repo, OUTSIDER, "dip(new): titipan -> draf", trailers("new", "kasubbag", "titipan")
    )
    return expect(base, ("role", sha, "titipan"))


@tamper("role")
def the_sekretaris_takes_the_submit_step_under_review_trailers(sop: Driver) -> Tamper:
    """The diff is a submit (draf -> diajukan, the kasubbag's step), whatever the trailers
    call it."""
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo,
        SEKRETARIS,
        "dip(review): satu draf -> diajukan",
        trailers("review", "sekretaris", "satu"),
    )
    return expect(base, ("role", sha, "satu"))


@tamper("transition")
def a_step_under_a_made_up_action(sop: Driver) -> Tamper:
    """A status change "by a command that does not exist" (the rule's own words)."""
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo, PPID, "dip(setuju): satu draf -> diajukan", trailers("setuju", "kasubbag", "satu")
    )
    return expect(base, ("transition", sha, "satu"))


@tamper("role")
def the_kasubbag_of_another_unit_submits(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo,
        KASUBBAG_PROGRAM,
        "dip(submit): satu draf -> diajukan",
        trailers("submit", "kasubbag", "satu"),
    )
    return expect(base, ("role", sha, "satu"))


@tamper("role")
def a_withdrawal_by_the_sekretaris(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="dicabut")
    sha = forge(
        sop.repo,
        SEKRETARIS,
        "dip(withdraw): satu ditetapkan -> dicabut",
        trailers("withdraw", "kepala", "satu"),
    )
    return expect(base, ("role", sha, "satu"))


@tamper("role", "people")
def the_kasubbag_grants_and_uses_a_role_in_one_commit(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    base = head(sop.repo)
    grant(sop.repo, KASUBBAG, "sekretaris")
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diteruskan")
    sha = forge(
        sop.repo,
        KASUBBAG,
        "dip(review): satu diajukan -> diteruskan",
        trailers("review", "sekretaris", "satu"),
    )
    return expect(base, ("role", sha, "satu"), ("people", sha, ""))


@tamper("people")
def the_kasubbag_grants_a_role_then_uses_it(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    base = head(sop.repo)
    grant(sop.repo, KASUBBAG, "sekretaris")
    granted = forge(sop.repo, KASUBBAG, "register: tambah peran")
    ok(sop.repo, "review", "satu", "--approve", "--as", KASUBBAG)  # the CLI lets it pass
    return expect(base, ("people", granted, ""))


@tamper("edit", "people")
def the_sekretaris_sets_the_trust_root_to_head(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), ringkasan="Diubah diam-diam.")
    edited = forge(sop.repo, SEKRETARIS, "perbaikan kecil")
    set_config(sop.repo, "verifikasi:\n  sejak: HEAD\n")
    rooted = forge(sop.repo, SEKRETARIS, "register: akar kepercayaan")
    return expect(base, ("edit", edited, "satu"), ("people", rooted, ""))


@tamper("people")
def an_evil_merge_rewrites_the_people(sop: Driver) -> Tamper:
    repo = sop.repo
    sop.new("satu", "sekretariat")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.submit("program", "dua")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "satu")
    base = head(repo)
    git(
        repo.path,
        *("-c", "user.name=Kasubbag Umum", "-c", f"user.email={KASUBBAG}"),
        *("merge", "--no-ff", "--no-commit", "-q", "program"),
    )
    config = repo.register / "register.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"email: {SEKRETARIS}", f"email: {KASUBBAG}x"),
        encoding="utf-8",
    )
    grant(repo, KASUBBAG, "kepala")
    sha = forge(repo, KASUBBAG, "Merge branch 'program'")
    assert len(git(repo.path, "log", "-1", "--format=%P").split()) == 2
    return expect(base, ("people", sha, ""))


@tamper("edit")
def an_evil_merge_edits_an_established_item(sop: Driver) -> Tamper:
    repo = sop.repo
    sop.drive("ditetapkan", "satu")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.submit("program", "dua")
    git(repo.path, "checkout", "-q", "main")
    sop.new("tiga", "sekretariat")
    base = head(repo)
    git(
        repo.path,
        *("-c", "user.name=Sekretaris Dinas", "-c", f"user.email={SEKRETARIS}"),
        *("merge", "--no-ff", "--no-commit", "-q", "program"),
    )
    hand_edit(repo.item("sekretariat", "satu"), ringkasan="Diubah di dalam merge.")
    sha = forge(repo, SEKRETARIS, "Merge branch 'program'")
    return expect(base, ("edit", sha, "satu"))


@tamper("merge")
def a_merge_takes_an_old_branchs_draft_over_a_submitted_item(sop: Driver) -> Tamper:
    repo = sop.repo
    sop.new("satu", "sekretariat")
    git(repo.path, "checkout", "-q", "-b", "lama")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "satu")
    base = head(repo)
    git(
        repo.path,
        *("-c", "user.name=Kasubbag Umum", "-c", f"user.email={KASUBBAG}"),
        *("merge", "--no-ff", "--no-commit", "-q", "lama"),
    )
    item = repo.item("sekretariat", "satu")
    git(repo.path, "checkout", "lama", "--", item.relative_to(repo.path).as_posix())
    sha = forge(repo, KASUBBAG, "Merge branch 'lama'")
    assert "status: draf" in item.read_text(encoding="utf-8")
    return expect(base, ("merge", sha, ""))  # a merge after linear_sejak: one finding


@tamper("edit")
def the_sekretaris_edits_an_established_item(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), ringkasan="Ringkasan yang lain.")
    sha = forge(sop.repo, SEKRETARIS, "satu: ringkasan diperbaiki")
    return expect(base, ("edit", sha, "satu"))


@tamper("edit")
def the_kasubbag_edits_a_submitted_item(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), ringkasan="Ringkasan yang lain.")
    sha = forge(sop.repo, KASUBBAG, "satu: ringkasan diperbaiki")
    return expect(base, ("edit", sha, "satu"))


@tamper("edit")
def a_kasubbag_moves_an_item_into_their_unit(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    old = sop.repo.item("sekretariat", "satu")
    new = sop.repo.item("program", "satu")
    new.parent.mkdir(parents=True, exist_ok=True)
    old.rename(new)
    hand_edit(new, unit="program")
    sha = forge(sop.repo, KASUBBAG_PROGRAM, "satu pindah ke program")
    return expect(base, ("edit", sha, "satu"))


@tamper("managed")
def a_return_note_written_by_hand(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), catatan="Sudah diperiksa sekretaris")
    sha = forge(sop.repo, KASUBBAG, "satu: catatan")
    return expect(base, ("managed", sha, "satu"))


@tamper("managed")
def a_decree_reference_changed_by_hand(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), keputusan="sk-lain")
    sha = forge(sop.repo, KEPALA, "satu: keputusan")
    return expect(base, ("managed", sha, "satu"))


@tamper("managed")
def a_revision_number_raised_by_hand(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), revisi="3")
    sha = forge(sop.repo, KASUBBAG, "satu: revisi")
    return expect(base, ("managed", sha, "satu"))


@tamper("trailers")
def trailers_name_an_item_the_commit_did_not_move(sop: Driver) -> Tamper:
    sop.drive("draf", "satu", "dua")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo,
        KASUBBAG,
        "dip(submit): 2 informasi draf -> diajukan",
        trailers("submit", "kasubbag", "satu", "dua"),
    )
    return expect(base, ("trailers", sha, ""))


@tamper("trailers")
def trailers_leave_out_an_item_the_commit_moved(sop: Driver) -> Tamper:
    sop.drive("draf", "satu", "dua")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    hand_edit(sop.repo.item("sekretariat", "dua"), status="diajukan")
    sha = forge(
        sop.repo,
        KASUBBAG,
        "dip(submit): satu draf -> diajukan",
        trailers("submit", "kasubbag", "satu"),
    )
    return expect(base, ("trailers", sha, ""))


@tamper("trailers")
def a_wrong_role_trailer(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        sop.repo,
        KASUBBAG,
        "dip(submit): satu draf -> diajukan",
        trailers("submit", "sekretaris", "satu"),
    )
    return expect(base, ("trailers", sha, "satu"))


@tamper("deleted")
def an_established_item_file_is_deleted(sop: Driver) -> Tamper:
    sop.drive("diunggah", "satu")
    base = head(sop.repo)
    sop.repo.item("sekretariat", "satu").unlink()
    sha = forge(sop.repo, KEPALA, "hapus satu")
    return expect(base, ("deleted", sha, "satu"))


@tamper("id-reuse")
def an_id_is_reused_after_its_file_was_deleted(sop: Driver) -> Tamper:
    sop.new("satu")  # a draft, deleted by its own unit's kasubbag: honest
    path = sop.repo.item("sekretariat", "satu")
    old = path.read_text(encoding="utf-8")
    path.unlink()
    commit_all(sop.repo.path, "satu dihapus", KASUBBAG)
    base = head(sop.repo)
    path.write_text(old, encoding="utf-8")
    sha = forge(sop.repo, KASUBBAG, "dip(new): satu -> draf", trailers("new", "kasubbag", "satu"))
    return expect(base, ("id-reuse", sha, "satu"))


@tamper("establish-record")
def established_without_a_decree(sop: Driver) -> Tamper:
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="ditetapkan", keputusan="sk-palsu")
    sha = forge(
        sop.repo,
        KEPALA,
        "dip(establish): satu ditentukan -> ditetapkan",
        trailers("establish", "kepala", "satu"),
    )
    return expect(base, ("establish-record", sha, "satu"))


@tamper("establish-record")
def established_with_neither_meeting_record_nor_decree(sop: Driver) -> Tamper:
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    for record in sop.repo.register.glob("rapat/*"):
        record.unlink()
    hand_edit(sop.repo.item("sekretariat", "satu"), status="ditetapkan", keputusan="sk-palsu")
    sha = forge(
        sop.repo,
        KEPALA,
        "dip(establish): satu ditentukan -> ditetapkan",
        trailers("establish", "kepala", "satu"),
    )
    return expect(base, ("establish-record", sha, "satu"))


@tamper("exemption")
def classified_exempt_without_a_consequence_test(sop: Driver) -> Tamper:
    sop.drive("diteruskan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), kategori="dikecualikan", status="diklasifikasi")
    sha = forge(
        sop.repo,
        PPID,
        "dip(classify): satu diteruskan -> diklasifikasi",
        trailers("classify", "ppid_pembantu", "satu"),
    )
    return expect(base, ("exemption", sha, "satu"))


@tamper("people")
def a_kasubbag_lists_their_own_key_for_the_sekretaris(sop: Driver) -> Tamper:
    """The allowed-signers file says who may act as whom: only a kepala changes it."""
    sop.drive("diajukan", "satu")
    keys = list_signers(sop, KEPALA, SEKRETARIS, KASUBBAG)
    base = head(sop.repo)
    forged, public = keygen(sop.tmp, "kunci-palsu")
    signers = sop.repo.register / "penanda-tangan"
    with signers.open("a", encoding="utf-8") as out:
        out.write(f'{SEKRETARIS} namespaces="git" {public}\n')
    listed = signed_commit(sop.repo, KASUBBAG, keys[KASUBBAG], "penanda-tangan: kunci baru")
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diteruskan")
    signed_commit(
        sop.repo,
        KASUBBAG,
        forged,
        "dip(review): satu diajukan -> diteruskan",
        trailers("review", "sekretaris", "satu"),
        author=f"Sekretaris Dinas <{SEKRETARIS}>",
    )
    return expect(base, ("people", listed, ""))


@tamper("signature")
def an_unsigned_commit_when_signatures_are_required(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    require_signatures(sop)
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), judul="Informasi satu (diperbaiki)")
    sha = forge(sop.repo, KASUBBAG, "satu: judul")
    return expect(base, ("signature", sha, ""))


@tamper("signature")
def a_review_forged_with_git_commit_author(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    require_signatures(sop)
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diteruskan")
    sha = forge(
        sop.repo,
        PPID,
        "dip(review): satu diajukan -> diteruskan",
        trailers("review", "sekretaris", "satu"),
        author=f"Sekretaris Dinas <{SEKRETARIS}>",
    )
    assert git(sop.repo.path, "log", "-1", "--format=%ae %ce") == f"{SEKRETARIS} {PPID}\n"
    return expect(base, ("signature", sha, ""))


@tamper("root")
def an_orphan_branch_is_merged_as_a_second_root(sop: Driver) -> Tamper:
    repo = sop.repo
    sop.drive("draf", "satu")
    base = head(repo)
    git(repo.path, "checkout", "-q", "--orphan", "palsu")
    hand_edit(repo.item("sekretariat", "satu"), judul="Judul dari riwayat lain")
    orphan = forge(repo, KASUBBAG, "dip(init): register lain", "DIP-Action: init")
    git(repo.path, "checkout", "-q", "main")
    git(
        repo.path,
        *("-c", "user.name=Kasubbag", "-c", f"user.email={KASUBBAG}"),
        *("merge", "-q", "--allow-unrelated-histories", "-X", "theirs", "palsu", "-m", "gabung"),
    )
    return expect(base, ("root", orphan, ""))


@tamper("import")
def an_import_commit_edits_an_established_item(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), judul="Judul lewat impor")
    sha = forge(
        sop.repo, KEPALA, "dip(import): impor DIP 1 informasi", trailers("import", "kepala", "satu")
    )
    return expect(base, ("import", sha, "satu"))


@tamper("date")
def a_step_dated_before_its_parent(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diteruskan")
    git(sop.repo.path, "add", "-A")
    subprocess.run(
        ["git", "-C", str(sop.repo.path), "-c", "user.name=Sekretaris",
         "-c", f"user.email={SEKRETARIS}", "commit", "-q",
         "-m", "dip(review): satu diajukan -> diteruskan",
         "-m", trailers("review", "sekretaris", "satu")],
        check=True,
        env={**os.environ, "GIT_COMMITTER_DATE": "2020-01-01T08:00:00+07:00"},
    )  # fmt: skip
    return expect(base, ("date", head(sop.repo), ""))


@tamper("decree")
def a_decree_number_changed_after_its_step(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    decree = next(sop.repo.register.glob("keputusan/*.yaml"))
    text = decree.read_text(encoding="utf-8")
    decree.write_text(text.replace("188.44/1/2026", "188.44/77/2026"), encoding="utf-8")
    sha = forge(sop.repo, KEPALA, "keputusan: nomor diperbaiki")
    return expect(base, ("decree", sha, ""))


@tamper("decree")
def an_establishment_writes_a_decree_its_trailer_does_not_name(sop: Driver) -> Tamper:
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="ditetapkan", keputusan="sk-lain")
    (sop.repo.register / "keputusan" / "sk-lain.yaml").write_text(
        "id: sk-lain\njenis: penetapan\nnomor: 188.44/8/2026\ntanggal: '2026-11-26'\n"
        f"tentang: Daftar Informasi Publik\npenandatangan: {KEPALA}\ninformasi: [satu]\n",
        encoding="utf-8",
    )
    sha = forge(
        sop.repo,
        KEPALA,
        "dip(establish): satu ditentukan -> ditetapkan",
        trailers("establish", "kepala", "satu") + "\nDIP-Decree: sk-yang-lain",
    )
    return expect(base, ("decree", sha, ""))


@tamper("meeting-record")
def a_meeting_record_written_by_hand(sop: Driver) -> Tamper:
    sop.drive("diklasifikasi", "satu")
    base = head(sop.repo)
    (sop.repo.register / "rapat" / "2026-11-20-rapat.yaml").write_text(
        f"id: 2026-11-20-rapat\ntanggal: '2026-11-20'\ntempat: Kantor\npeserta: [{PPID}]\n"
        "hasil:\n  - informasi: satu\n    keputusan: ditentukan\n",
        encoding="utf-8",
    )
    sha = forge(sop.repo, KASUBBAG, "rapat: catatan")
    return expect(base, ("meeting-record", sha, ""))


@tamper("present")
def the_kasubbag_records_the_presentation_of_the_draft_decree(sop: Driver) -> Tamper:
    """A presentation starts step 5's clock: only the PPID Pembantu may record it."""
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    ok(sop.repo, "decree", "present", "satu", "--as", PPID)
    message = git(sop.repo.path, "log", "-1", "--format=%B").strip()
    git(sop.repo.path, "reset", "-q", "--soft", "HEAD~1")
    sha = forge(sop.repo, KASUBBAG, message)
    return expect(base, ("present", sha, ""))


@tamper("present")
def a_presentation_backdated_by_a_later_commit(sop: Driver) -> Tamper:
    """Its record is never changed afterwards: an earlier time would shorten step 5."""
    sop.drive("ditentukan", "satu")
    ok(sop.repo, "decree", "present", "satu", "--as", PPID)
    base = head(sop.repo)
    record = next(sop.repo.register.glob("penyampaian/*.yaml"))
    record.write_text(record.read_text(encoding="utf-8") + "catatan: lebih awal\n", "utf-8")
    sha = forge(sop.repo, PPID, "penyampaian: diperbaiki")
    return expect(base, ("present", sha, ""))


@tamper("settings")
def the_sekretaris_changes_the_mutu_baku(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    config = sop.repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  rapat: 1 hari\n" in text
    config.write_text(text.replace("  rapat: 1 hari\n", "  rapat: 30 hari\n"), encoding="utf-8")
    sha = forge(sop.repo, SEKRETARIS, "register: mutu baku rapat")
    return expect(base, ("settings", sha, ""))


@tamper("path")
def a_stray_file_beside_the_items(sop: Driver) -> Tamper:
    sop.drive("draf", "satu")
    base = head(sop.repo)
    (sop.repo.register / "informasi" / "sekretariat" / "catatan.txt").write_text(
        "catatan\n", encoding="utf-8"
    )
    sha = forge(sop.repo, KASUBBAG, "catatan")
    return expect(base, ("path", sha, ""))


@tamper("undo")
def an_undo_that_does_not_restore_the_step_before(sop: Driver) -> Tamper:
    sop.drive("diajukan", "satu")
    base = head(sop.repo)
    git(sop.repo.path, "checkout", f"{base}^", "--", "register/informasi/sekretariat/satu.yaml")
    hand_edit(sop.repo.item("sekretariat", "satu"), ringkasan="Diubah bersama undo.")
    sha = forge(
        sop.repo,
        KASUBBAG,
        "dip(undo): satu diajukan -> draf",
        trailers("undo", "kasubbag", "satu") + f"\nDIP-Undoes: {base}",
    )
    return expect(base, ("undo", sha, "satu"))


@tamper("undo", "trailers")
def a_step_reverted_with_git_revert(sop: Driver) -> Tamper:
    sop.drive("diteruskan", "satu")
    base = head(sop.repo)
    git(
        sop.repo.path,
        *("-c", "user.name=Sekretaris", "-c", f"user.email={SEKRETARIS}"),
        *("revert", "--no-edit", base),
    )
    sha = head(sop.repo)
    return expect(base, ("undo", sha, "satu"), ("trailers", sha, ""))


def retake(sop: Driver, edit: Callable[[Path], None]) -> str:
    """The last step taken again by hand: its commit undone (the files kept), the decree it
    wrote changed by ``edit``, and committed with the same message by the same officer."""
    repo = sop.repo
    message = git(repo.path, "log", "-1", "--format=%B").strip()
    who = git(repo.path, "log", "-1", "--format=%ae").strip()
    decree = git(repo.path, "diff", "--name-only", "HEAD~1", "HEAD", "--", "register/keputusan")
    git(repo.path, "reset", "-q", "--soft", "HEAD~1")
    edit(repo.path / decree.strip())
    return forge(repo, who, message)


@tamper("decree-chain")
def a_replacing_decree_leaves_the_amended_base_decree_standing(sop: Driver) -> Tamper:
    """After an SK and its amendment, a new SK that revokes only the amendment: the base
    decree would stay in force beside it."""
    sop.drive("ditetapkan", "satu")
    sop.drive("ditentukan", "dua")
    ok(sop.repo, "establish", "dua", "--number", "188.44/8/2026", "--date", "2026-11-26",
       "--amend", "--as", KEPALA)  # fmt: skip
    sop.drive("ditentukan", "tiga")
    base = head(sop.repo)
    ok(sop.repo, "establish", "tiga", "--number", "188.44/9/2026", "--date", "2026-11-26",
       "--as", KEPALA)  # fmt: skip

    def only_the_last(path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(data["mencabut"]) == 2
        hand_edit(path, mencabut=data["mencabut"][-1])

    sha = retake(sop, only_the_last)
    return expect(base, ("decree-chain", sha, ""))


@tamper("lift")
def an_exemption_lifted_by_hand_without_the_penetapan_dik(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "satu", category="dikecualikan")
    base = head(sop.repo)
    hand_edit(
        sop.repo.item("sekretariat", "satu"),
        status="ditentukan",
        kategori="berkala",
        pengecualian=None,
    )
    sha = forge(
        sop.repo,
        PPID,
        "dip(lift): satu ditetapkan -> ditentukan",
        trailers("lift", "ppid_pembantu", "satu"),
    )
    return expect(base, ("lift", sha, "satu"))


@tamper("dip-dik")
def an_sk_dip_lists_an_item_the_dik_in_force_still_exempts(sop: Driver) -> Tamper:
    sop.drive("ditetapkan", "rahasia", category="dikecualikan")
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    ok(sop.repo, "establish", "satu", "--number", "188.44/9/2026", "--date", "2026-11-26",
       "--as", KEPALA)  # fmt: skip

    def also_the_exempt_one(path: Path) -> None:
        hand_edit(path, lampiran="[rahasia, satu]")

    sha = retake(sop, also_the_exempt_one)
    return expect(base, ("dip-dik", sha, "rahasia"))


@tamper("evidence")
def a_signed_scan_beside_a_meeting_that_never_took_place(sop: Driver) -> Tamper:
    sop.drive("ditentukan", "satu")
    base = head(sop.repo)
    scan = sop.repo.register / "rapat" / "2026-01-01-penentuan-dip.pdf"
    scan.write_bytes(b"%PDF-1.4\n% berita acara bertanda tangan\n%%EOF\n")
    attach = "DIP-Action: attach\nDIP-Role: ppid_pembantu"
    sha = forge(sop.repo, PPID, "dip(attach)", f"{attach}\nDIP-Meeting: 2026-01-01-penentuan-dip")
    return expect(base, ("evidence", sha, ""))


def text_blocks(stdout: str) -> dict[str, list[str]]:
    """The text report: one header line per commit (short sha first), its findings below."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        if line.startswith("  "):
            current.append(line)
        else:
            current = blocks.setdefault(line.split()[0], [])
    return blocks


def test_the_corpus_covers_every_rule() -> None:
    assert len(CASES) >= 23
    covered = {r for _, rule_ids in CASES.values() for r in rule_ids}
    assert covered == set(audit.RULES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_tampered_history_is_caught(name: str, sop: Driver) -> None:
    make, rule_ids = CASES[name]
    repo = sop.repo
    tampered = make(sop)
    assert {e.rule for e in tampered.expected} == rule_ids
    honest = set(git(repo.path, "rev-list", tampered.base).split())
    # verify's checkpoint at the honest base: the tampering is judged from it (resumed)
    git(repo.path, "checkout", "-q", "--detach", tampered.base)
    assert repo.run("verify").exit_code == 0
    git(repo.path, "checkout", "-q", "-")
    # json: the rule, the full sha of the tampering commit, the item
    found = findings(repo)
    assert json.loads(repo.run("verify", "--full", "--json").stdout) == found
    assert found, f"{name}: nothing found"
    for e in tampered.expected:
        assert {"rule": e.rule, "commit": e.commit, "item": e.item} in [
            {k: f[k] for k in ("rule", "commit", "item")} for f in found
        ], (name, e, found)
    assert not [f for f in found if f["commit"] in honest], "a finding on honest history"
    assert json.loads(repo.run("verify", "--format", "json").stdout) == found
    # text: grouped under the commit's short sha, the rule in brackets
    text = repo.run("verify")
    assert text.exit_code == 1
    blocks = text_blocks(text.stdout)
    for e in tampered.expected:
        lines = blocks.get(e.commit[:10], [])
        assert any(f": {e.item or '-'}: [{e.rule}] " in line for line in lines), (e, text.stdout)
    # github: one workflow annotation per finding
    github = repo.run("verify", "--format", "github")
    assert github.exit_code == 1
    annotations = github.stdout.splitlines()
    assert len(annotations) == len(found)
    assert all(line.startswith("::error file=") for line in annotations)
    for e in tampered.expected:
        wanted = f",title=dipctl verify {e.rule}::{e.commit[:10]} {e.item or '-'}: "
        assert any(wanted in line for line in annotations), (e, github.stdout)


# -- 3. --since, --explain, the trust root -------------------------------------------------


def edit_established(sop: Driver, who: str, text: str) -> str:
    hand_edit(sop.repo.item("sekretariat", "satu"), ringkasan=text)
    return forge(sop.repo, who, f"satu: {text}")


def test_since_checks_only_the_new_commits(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    before = edit_established(sop, SEKRETARIS, "Ubah pertama.")
    rev = head(sop.repo)
    sop.drive("diajukan", "dua")
    after = edit_established(sop, SEKRETARIS, "Ubah kedua.")
    assert {f["commit"] for f in findings(sop.repo)} == {before, after}
    assert {f["commit"] for f in findings(sop.repo, "--since", rev)} == {after}
    assert findings(sop.repo, "--since", before) == [
        f for f in findings(sop.repo) if f["commit"] == after
    ]
    git(sop.repo.path, "reset", "-q", "--hard", "HEAD~1")  # only honest commits after rev
    result = sop.repo.run("verify", "--since", rev)
    assert result.exit_code == 0, result.stdout
    assert sop.repo.run("verify").exit_code == 1


@pytest.mark.parametrize("rule_id", sorted(audit.RULES))
def test_explain_prints_the_rule(rule_id: str, repo: Repo) -> None:
    result = repo.run("verify", "--explain", rule_id, "--lang", "en")  # English: the docstring
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{rule_id}\n")
    doc = audit.RULES[rule_id].__doc__ or ""
    assert doc.strip().split()[:4] == result.stdout.split()[1:5]
    assert len(doc.strip()) > 40
    indonesian = repo.run("verify", "--explain", rule_id)  # Indonesian by default
    assert indonesian.stdout.split()[1:5] != result.stdout.split()[1:5]


def test_explain_an_unknown_rule_is_a_usage_error(repo: Repo) -> None:
    result = repo.run("verify", "--explain", "tidak-ada")
    assert result.exit_code == 2
    assert "tidak-ada" in result.stderr
    assert "transition" in result.stderr  # the choices are listed
    assert "all" in result.stderr
    assert repo.run("verify", "--format", "xml").exit_code == 2


@pytest.mark.parametrize("value", ["all", "rules"])
def test_explain_all_lists_the_rules_and_who_writes_which_path(value: str, repo: Repo) -> None:
    from dipctl.proof import owners

    result = repo.run("verify", "--explain", value)
    assert result.exit_code == 0, result.stderr
    english = repo.run("verify", "--explain", value, "--lang", "en")
    lines = english.stdout.splitlines()
    for rule_id in audit.RULES:  # each rule with the start of its documentation (English)
        doc = " ".join((audit.RULES[rule_id].__doc__ or "").split())
        assert any(line.split()[:5] == [rule_id, *doc.split()[:4]] for line in lines), rule_id
    lines = result.stdout.splitlines()
    for row in owners.OWNERS:  # the owners table, generated from owners.OWNERS
        assert any(line.split()[:1] == [row.pattern] and row.rule in line for line in lines)
    assert any("tema/templates/<path>" in line and "ppid_pembantu" in line for line in lines)
    assert any(line.split()[:1] == ["situs"] and "ppid_pembantu" in line for line in lines)
    assert "sekali; tidak diubah atau dihapus sesudahnya" in result.stdout
    assert "once; never changed or deleted afterwards" in english.stdout
    assert repo.run("verify", "--explain", "decree").stdout.startswith("decree\n")


def test_a_trust_root_set_by_the_kepala_hides_only_the_history_before_it(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    before = edit_established(sop, SEKRETARIS, "Ubah sebelum akar.")
    root = head(sop.repo)
    assert [f["commit"] for f in findings(sop.repo)] == [before]
    set_config(sop.repo, f"verifikasi:\n  sejak: {root}\n")
    forge(sop.repo, KEPALA, "register: riwayat sebelum ini dari repositori lama")
    assert_clean(sop.repo)
    after = edit_established(sop, SEKRETARIS, "Ubah sesudah akar.")
    assert [(f["rule"], f["commit"]) for f in findings(sop.repo)] == [("edit", after)]


def test_a_trust_root_is_read_in_the_tips_history_not_heads(sop: Driver) -> None:
    """verify of a tip other than HEAD (sync's check of what it will push, the federation's
    proof of a member's fetched tip) finds who set ``sejak`` in that tip's history."""
    from dipctl.register.config import find_register

    sop.drive("ditetapkan", "satu")
    base = head(sop.repo)
    git(sop.repo.path, "switch", "-qc", "akar")
    edit_established(sop, SEKRETARIS, "Ubah sebelum akar.")
    set_config(sop.repo, f"verifikasi:\n  sejak: {head(sop.repo)}\n")
    forge(sop.repo, KEPALA, "register: riwayat sebelum ini dari repositori lama")
    assert_clean(sop.repo)
    git(sop.repo.path, "switch", "-q", "-")
    assert head(sop.repo) == base
    report = audit.verify(find_register(sop.repo.register), tip="akar")
    assert report.findings == []


def test_a_symbolic_trust_root_does_not_hide_later_commits(sop: Driver) -> None:
    """`sejak` names a commit; a name that moves (HEAD, a branch) must not make the
    commits made after the kepala set it unchecked."""
    sop.drive("ditetapkan", "satu")
    set_config(sop.repo, "verifikasi:\n  sejak: HEAD\n")
    forge(sop.repo, KEPALA, "register: akar kepercayaan")
    after = edit_established(sop, SEKRETARIS, "Ubah sesudah akar.")
    assert [(f["rule"], f["commit"]) for f in findings(sop.repo)] == [("edit", after)]


# -- 4. messages ---------------------------------------------------------------------------


def test_a_finding_in_english(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    sha = edit_established(sop, SEKRETARIS, "Ringkasan lain.")
    result = sop.repo.run("verify", "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        result.stdout.splitlines()[0],
        "  register/informasi/sekretariat/satu.yaml: satu: [edit] ringkasan changed by "
        f"{SEKRETARIS} while ditetapkan; who may edit then: -",
    ]
    assert result.stdout.startswith(f"{sha[:10]} ")
    assert f"<{SEKRETARIS}>: satu: Ringkasan lain." in result.stdout
    assert "1 problems in 1 commits" in result.stderr
    document = json.loads(sop.repo.run("verify", "--json", "--lang", "en").stdout)
    assert document[0]["message"].startswith("ringkasan changed by")
    indonesian = sop.repo.run("verify")
    assert "diubah oleh" in indonesian.stdout
