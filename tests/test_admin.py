"""The head runs the register with dipctl commands (issue 20.2): units, officers and the
kop as signed steps of a kepala that verify accepts, refused for anyone else; the same
change made by hand by a non-kepala is a finding. Real git, real ssh-keygen, real clones
of a bare server repository, one officer's laptop (HOME) each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    dipctl,
    git,
)

OUTSIDER = "orang.luar@example.go.id"
OFFICERS = {
    SEKRETARIS: ("Sekretaris Dinas", "Sekretaris", ["--role", "sekretaris"]),
    PPID: ("PPID Pembantu", "Kepala Subbagian Informasi", ["--role", "ppid_pembantu"]),
    KASUBBAG: (
        "Kasubbag Umum",
        "Kepala Subbagian Umum",
        ["--role", "kasubbag", "--unit", "sekretariat", "--nip", "19800101 200501 1 001"],
    ),
    KASUBBAG_PROGRAM: (
        "Kasubbag Program",
        "Kepala Subbagian Program",
        ["--role", "kasubbag", "--unit", "program", "--pangkat", "Penata", "--golongan", "III/c"],
    ),
}
KOP = {
    "--government": "Pemerintah Provinsi Kalimantan Tengah",
    "--address": "Jalan Contoh No. 1, Palangka Raya 73112",
    "--phone": "(0536) 0000000",
    "--email": "ppid@dinas.example.go.id",
    "--website": "https://dinas.example.go.id",
    "--hours": "Senin–Kamis pukul 08.00–15.30 WIB",
}


class Agency:
    """The server, and each officer's laptop: a HOME (their ~/.ssh) and a clone."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.server = root / "server.git"
        self._mp = monkeypatch

    def clone(self, email: str) -> Path:
        return self.root / f"clone-{email.split('@')[0]}"

    def at(self, email: str) -> None:
        home = self.root / f"home-{email.split('@')[0]}"
        home.mkdir(exist_ok=True)
        self._mp.setenv("HOME", str(home))

    def run(self, email: str, *args: str | Path) -> Result:
        """``dipctl ARGS`` by ``email`` at their laptop, in their clone, without --as."""
        self.at(email)
        return dipctl(*args, "--register", self.clone(email) / "register")

    def ok(self, email: str, *args: str | Path) -> str:
        result = self.run(email, *args)
        assert result.exit_code == 0, (email, args, result.stdout, result.stderr)
        return result.stdout


def findings(clone: Path) -> list[tuple[str, str]]:
    result = dipctl("verify", "--json", "--register", clone / "register")
    return [(f["rule"], f["commit"]) for f in json.loads(result.stdout)]


def test_a_register_set_up_from_init_with_dipctl_commands_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency = Agency(tmp_path, monkeypatch)
    git(tmp_path, "init", "--bare", "-q", "-b", "main", str(agency.server))  # the git server
    # the head: init, then the units, the officers and the kop, each as their signed step
    agency.at(KEPALA)
    made = dipctl(
        "init", agency.clone(KEPALA), "--agency", "Dinas Contoh", "--head-name", "Kepala Dinas",
        "--head-email", KEPALA, "--place", "Palangka Raya", "--remote", agency.server,
        "--dipctl-source", "git+https://git.example.go.id/dipctl.git@v0.1.0",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    agency.ok(KEPALA, "unit", "add", "program", "--name", "Subbagian Program")
    agency.ok(KEPALA, "unit", "rename", "sekretariat", "--name", "Subbagian Umum")
    for email, (name, position, options) in OFFICERS.items():
        agency.ok(KEPALA, "officer", "add", email, "--name", name, "--position", position, *options)
    agency.ok(
        KEPALA, "officer", "set", KEPALA, "--nip", "197001011995031001",
        "--pangkat", "Pembina Utama Muda", "--golongan", "IV/c",
    )  # fmt: skip
    agency.ok(KEPALA, "agency", "set", *(x for pair in KOP.items() for x in pair))
    again = agency.run(KEPALA, "agency", "set", "--phone", KOP["--phone"])
    assert again.exit_code == 0 and "tidak ada yang berubah" in again.stderr
    agency.ok(KEPALA, "sync")
    # each officer: a clone, and a key made at their laptop; the sekretaris names
    # themselves to `dipctl key` rather than to `dipctl clone`
    lines = {}
    for email in OFFICERS:
        named = () if email == SEKRETARIS else ("--as", email)
        agency.at(email)
        cloned = dipctl("clone", agency.server, agency.clone(email), *named)
        assert cloned.exit_code == 0, cloned.stderr
        key_args = ("key", "--as", email) if email == SEKRETARIS else ("key",)
        lines[email] = agency.ok(email, *key_args).strip()
    for email, line in lines.items():  # the head lists each key: their own signed step
        agency.ok(KEPALA, "key", "add", email, line.split(" ", 2)[2])
    agency.ok(KEPALA, "sync")
    for email in OFFICERS:
        agency.ok(email, "sync")
    # every officer acts in their clone without --as
    agency.ok(KASUBBAG, "new", "--unit", "sekretariat", "--title", "Rencana Kerja 2027")
    agency.ok(KASUBBAG_PROGRAM, "new", "--unit", "program", "--title", "Program Kerja 2027")
    agency.ok(KASUBBAG, "sync")
    agency.ok(KASUBBAG_PROGRAM, "sync")
    for email in (KEPALA, SEKRETARIS, PPID):
        agency.ok(email, "sync")
    # only the head administers: a kasubbag and an outsider are refused, nothing written
    head = agency.clone(KEPALA)
    before = git(head, "rev-parse", "HEAD")
    for email, extra in ((KASUBBAG, ()), (KEPALA, ("--as", OUTSIDER))):
        refused = agency.run(
            email, "officer", "add", "baru@dinas.example.go.id", "--name", "Baru",
            "--position", "Staf", "--role", "kepala", *extra,
        )  # fmt: skip
        assert refused.exit_code == 3, (email, refused.stderr)
        assert (OUTSIDER if extra else "bukan kepala") in refused.stderr
    assert git(head, "rev-parse", "HEAD") == before
    assert git(agency.clone(KASUBBAG), "status", "--porcelain") == ""
    # the register: five officers, two units, the complete kop, comments kept, all verified
    text = (head / "register" / "register.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=register.schema.json\n")
    assert '    nip: "198001012005011001"\n' in text and "    golongan: IV/c\n" in text
    validated = dipctl("validate", "--json", "--register", head / "register")
    assert validated.exit_code == 0
    assert not [p for p in json.loads(validated.stdout) if "badan_publik" in p["field"]]
    # an officer leaves: refused while their unit's draft waits for them, then, once the
    # successor is in, their entry and their key go in one signed step
    leaving = agency.run(KEPALA, "officer", "remove", KASUBBAG_PROGRAM)
    assert leaving.exit_code == 3 and "program-kerja-2027" in leaving.stderr
    agency.ok(
        KEPALA, "officer", "add", "pengganti@dinas.example.go.id", "--name", "Pengganti",
        "--position", "Kepala Subbagian Program", "--role", "kasubbag", "--unit", "program",
    )  # fmt: skip
    agency.ok(KEPALA, "officer", "remove", KASUBBAG_PROGRAM)
    assert KASUBBAG_PROGRAM not in (head / "register" / "penanda-tangan").read_text()
    assert dipctl("verify", "--register", head / "register").exit_code == 0
    log = git(head, "log", "--format=%G? %ae %(trailers:key=DIP-Action,valueonly)", "-25")
    actions = [line.split() for line in log.splitlines() if line.strip()]
    # every commit signed (git checks against today's file, which no longer lists the
    # removed kasubbag's key: U; verify checks each commit against its parent's)
    assert {a[0] for a in actions} == {"G", "U"}
    admin = [a[2] for a in actions if a[1] == KEPALA and len(a) > 2]
    assert admin.count("officer") == 7 and admin.count("unit") == 2 and "agency" in admin
    # a clone that records nobody acts as the one officer its signing key is listed for
    ppid = agency.clone(PPID)
    git(ppid, "config", "--unset", "user.email")
    assert "sudah terdaftar untuk " + PPID in agency.run(PPID, "key").stderr
    assert git(ppid, "config", "user.email").strip() == PPID
    # a second clone on the PPID's laptop, named by nobody: `dipctl key` finds the officer
    # by the laptop's key, listed for them alone, and records them
    second = tmp_path / "clone-ppid-2"
    assert dipctl("clone", agency.server, second).exit_code == 0
    again = dipctl("key", "--register", second / "register")
    assert again.exit_code == 0, again.stderr
    assert f"bertindak sebagai {PPID}" in again.stderr
    assert git(second, "config", "user.email").strip() == PPID
    # an attacker with push access: the kasubbag makes themselves kepala by hand, with
    # plain git (signed with their own listed key), and adds a unit the same way
    mine = agency.clone(KASUBBAG)
    config = mine / "register" / "register.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "unit:\n", "unit:\n  gelap:\n    nama: Unit Gelap\n", 1
        ),
        encoding="utf-8",
    )
    git(mine, "commit", "-qam", "unit: gelap")
    settings = git(mine, "rev-parse", "HEAD").strip()
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    peran: [kasubbag]\n    unit: [sekretariat]", "    peran: [kasubbag, kepala]"
        ),
        encoding="utf-8",
    )
    git(mine, "commit", "-qam", "orang: saya kepala")
    people = git(mine, "rev-parse", "HEAD").strip()
    assert findings(mine) == [("settings", settings), ("people", people)]


def run(repo: Repo, *args: str) -> Result:
    """By the kepala: ``init`` recorded them in this repository."""
    return repo.run(*args)


def test_each_wrong_change_is_refused_with_its_reason(repo: Repo) -> None:
    cases = [
        (("unit", "add", "sekretariat", "--name", "Lagi"), 3, "sudah ada"),
        (("unit", "add", "Bad Id", "--name", "X"), 2, "bukan kunci unit"),
        (("unit", "rename", "tidak-ada", "--name", "X"), 2, "dipctl unit add"),
        (("officer", "add", SEKRETARIS, "--name", "S", "--position", "S", "--role",
          "sekretaris"), 3, "officer set"),
        (("officer", "add", "x@dinas.example.go.id", "--name", "X", "--position", "X",
          "--role", "bos"), 2, "kasubbag, sekretaris"),
        (("officer", "add", "x@dinas.example.go.id", "--name", "X", "--position", "X",
          "--role", "kasubbag", "--unit", "gudang"), 2, "program, sekretariat"),
        (("officer", "add", "x@dinas.example.go.id", "--name", "X", "--position", "X",
          "--role", "kasubbag"), 2, "--unit"),
        (("officer", "add", "x@dinas.example.go.id", "--name", "X", "--position", "X",
          "--role", "sekretaris", "--nip", "1234"), 2, "NIP"),
        (("officer", "add", "x@dinas.example.go.id", "--name", "X", "--position", "X",
          "--role", "sekretaris", "--golongan", "V/z"), 2, "golongan"),
        (("officer", "add", "bukan-email", "--name", "X", "--position", "X",
          "--role", "sekretaris"), 2, "email"),
        (("officer", "add", "x@dinas.example.go.id", "--position", "X",
          "--role", "sekretaris"), 2, "--name"),
        (("officer", "remove", KEPALA), 3, "tanpa kepala"),
        (("officer", "set", KEPALA, "--role", "sekretaris"), 3, "tanpa kepala"),
        (("officer", "remove", "x@dinas.example.go.id"), 2, SEKRETARIS),
        (("agency", "set"), 2, "--address"),
        (("agency", "set", "--website", "dinas.example.go.id"), 2, "https://"),
        (("agency", "set", "--email", "ppid"), 2, "email"),
        (("agency", "set", "--agency", ""), 2, "--agency"),
    ]  # fmt: skip
    before = repo.log("--format=%H")
    for args, code, words in cases:
        result = run(repo, *args)
        assert result.exit_code == code, (args, result.stderr)
        assert words in result.stderr, (args, result.stderr)
    assert repo.log("--format=%H") == before
    # an officer still awaited: the only kasubbag of program while a draft waits for them
    new = repo.run("new", "--unit", "program", "--title", "Renja", "--as", KASUBBAG_PROGRAM)
    assert new.exit_code == 0, new.stderr
    needed = run(repo, "officer", "remove", KASUBBAG_PROGRAM)
    assert needed.exit_code == 3
    assert "renja" in needed.stderr and "--role kasubbag" in needed.stderr
    moved = run(repo, "officer", "set", KASUBBAG_PROGRAM, "--unit", "sekretariat")
    assert moved.exit_code == 3 and "renja" in moved.stderr
    english = repo.run("officer", "remove", KEPALA, "--lang", "en")
    assert "without a kepala" in english.stderr
    # a hand edit of register.yaml not committed is not swept into the head's step
    config = repo.register / "register.yaml"
    config.write_text(config.read_text().replace("60 menit", "90 menit"), encoding="utf-8")
    dirty = run(repo, "unit", "add", "gudang", "--name", "Gudang")
    assert dirty.exit_code == 3 and "register.yaml" in dirty.stderr
    git(repo.path, "checkout", "--", "register/register.yaml")


def test_the_heads_steps_verify_and_the_same_change_by_others_does_not(repo: Repo) -> None:
    config = repo.register / "register.yaml"
    # the head's own comment in register.yaml survives every step
    config.write_text(
        config.read_text().replace("unit:\n", "unit:  # unit kerja pemilik informasi\n", 1),
        encoding="utf-8",
    )
    git(repo.path, "commit", "-qam", "komentar")  # the head, recorded by init
    successor = "kasubbag.program2@dinas.example.go.id"
    new = repo.run("new", "--unit", "program", "--title", "Renja", "--as", KASUBBAG_PROGRAM)
    assert new.exit_code == 0, new.stderr
    steps = [
        ("unit", "add", "bidang-data", "--name", "Bidang Data"),
        ("officer", "add", successor, "--name", "Pengganti", "--position", "Kasubbag",
         "--role", "kasubbag", "--unit", "program", "--unit", "bidang-data"),
        ("officer", "remove", KASUBBAG_PROGRAM),
        ("officer", "set", SEKRETARIS, "--role", "sekretaris", "--unit", "program",
         "--nip", "197001011995031001"),
        ("officer", "set", SEKRETARIS, "--nip", ""),
        ("agency", "set", "--phone", "(0536) 123", "--hours", "Senin"),
        ("agency", "set", "--hours", ""),
        ("agency", "set", "--short", "yes"),  # quoted: a plain yes would read as true
    ]  # fmt: skip
    for args in steps:
        result = run(repo, *args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "git" not in result.stderr
    text = config.read_text(encoding="utf-8")
    assert "unit:  # unit kerja pemilik informasi\n" in text
    assert KASUBBAG_PROGRAM not in text and "nip" not in text.split(SEKRETARIS)[1][:80]
    assert "telepon: (0536) 123" in text and "jam_layanan" not in text
    assert '  singkatan: "yes"\n' in text
    trailers = repo.log("-1", "--skip=5", "--format=%(trailers:only)")
    assert "DIP-Action: officer\nDIP-Role: kepala\n" in trailers
    assert repo.run("verify").exit_code == 0
    assert repo.run("validate").exit_code == 0
    # the removed kasubbag can no longer act; their earlier step stays valid
    gone = repo.run("submit", "renja", "--as", KASUBBAG_PROGRAM)
    assert gone.exit_code == 3
    # the same kind of change by a sekretaris and a kasubbag, with plain git
    config.write_text(
        config.read_text().replace("nama: Bidang Data", "nama: Bidang Data Baru"),
        encoding="utf-8",
    )
    git(repo.path, "-c", f"user.email={SEKRETARIS}", "commit", "-qam", "unit")
    unit = git(repo.path, "rev-parse", "HEAD").strip()
    config.write_text(
        config.read_text().replace("    peran: [kasubbag]\n", "    peran: [kasubbag, kepala]\n"),
        encoding="utf-8",
    )
    git(repo.path, "-c", f"user.email={KASUBBAG}", "commit", "-qam", "orang")
    people = git(repo.path, "rev-parse", "HEAD").strip()
    found = json.loads(repo.run("verify", "--json").stdout)
    assert [(f["rule"], f["commit"]) for f in found] == [("settings", unit), ("people", people)]
