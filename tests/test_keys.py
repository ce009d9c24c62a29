"""Signing by default (issue 14.2): `dipctl init` lists the head's key and signs; each
officer runs `dipctl key` in their own clone (their own HOME and ~/.ssh), the head lists
their keys with `dipctl key add`; every step made through dipctl is signed and verify
passes, while unsigned, foreign-signed and self-listed commits made with plain git fail.
Real ssh-keygen, real clones of a bare remote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import KASUBBAG, KEPALA, PEOPLE, PPID, SEKRETARIS, Repo, dipctl, git
from tests.test_sop import fill


class Desk:
    """One officer's laptop: a home folder (~/.ssh) and a clone of the agency's remote."""

    def __init__(self, root: Path, email: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.email = email
        self.home = root / f"home-{email.split('@')[0]}"
        self.home.mkdir(exist_ok=True)
        self.repo = Repo(root / f"clone-{email.split('@')[0]}")
        self._mp = monkeypatch

    def run(self, *args: str | Path) -> Result:
        self._mp.setenv("HOME", str(self.home))
        return self.repo.run(*args, "--as", self.email)

    def ok(self, *args: str | Path) -> str:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result.stdout

    def pull(self) -> None:
        git(self.repo.path, "pull", "-q", "--ff-only")

    def push(self) -> None:
        git(self.repo.path, "push", "-q", "origin", "main")


def signed_log(repo: Repo, count: int) -> list[str]:
    allowed = repo.register / "penanda-tangan"
    out = git(
        repo.path, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", f"-{count}",
        "--format=%G? %ae",
    )  # fmt: skip
    return out.splitlines()


def findings(repo: Repo) -> list[tuple[str, str]]:
    result = repo.run("verify", "--json")
    return [(f["rule"], f["commit"]) for f in json.loads(result.stdout)]


def _build_agency(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The head inits a signed register, adds the officers, pushes it to a bare remote;
    each officer clones it and runs `dipctl key`; the head lists their keys."""
    desks = {e: Desk(root, e, monkeypatch) for e in EMAILS}
    head = desks[KEPALA]
    monkeypatch.setenv("HOME", str(head.home))
    made = dipctl(
        "init", head.repo.path, "--agency", "Dinas Contoh", "--head-name", "Kepala Dinas",
        "--head-email", KEPALA, "--dipctl-source", "git+https://git.example.go.id/dipctl.git@v0.1.0",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "tanda_tangan:\n  wajib: true" in (head.repo.register / "register.yaml").read_text()
    config = head.repo.register / "register.yaml"
    config.write_text(
        config.read_text().replace("    peran: [kepala]\n", "    peran: [kepala]\n" + PEOPLE, 1)
    )
    # plain git in the head's clone signs too: `init` set it up (commit.gpgsign)
    git(
        head.repo.path,
        "-c",
        "user.name=Kepala",
        "-c",
        f"user.email={KEPALA}",
        "commit",
        "-qam",
        "orang",
    )
    remote = root / "remote.git"
    git(root, "clone", "-q", "--bare", str(head.repo.path), str(remote))
    git(head.repo.path, "remote", "add", "origin", str(remote))
    git(head.repo.path, "fetch", "-q", "origin")
    git(head.repo.path, "branch", "-q", "--set-upstream-to=origin/main")
    lines = {}
    for email, desk in desks.items():
        if email != KEPALA:
            git(root, "clone", "-q", str(remote), str(desk.repo.path))
            lines[email] = desk.ok("key").strip()
    for email, line in lines.items():
        head.ok("key", "add", email, line.split(" ", 2)[2])
    head.push()
    for desk in desks.values():
        desk.pull()


EMAILS = (KEPALA, SEKRETARIS, PPID, KASUBBAG)


@pytest.fixture(scope="module")
def _agency_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("agency")
    empty = root / "gitconfig"
    empty.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CONFIG_GLOBAL", str(empty))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        _build_agency(root, mp)
    return root


@pytest.fixture
def agency(
    _agency_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Desk]:
    """A copy of the agency for each test: its clones' git configs point into the copy."""
    root = tmp_path / "agency"
    shutil.copytree(_agency_template, root, symlinks=True)
    for config in [*root.glob("clone-*/.git/config"), root / "remote.git" / "config"]:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(str(_agency_template), str(root)), encoding="utf-8")
    return {e: Desk(root, e, monkeypatch) for e in EMAILS}


def test_every_step_through_dipctl_is_signed_and_verifies(agency: dict[str, Desk]) -> None:
    kasubbag, sekretaris, ppid = agency[KASUBBAG], agency[SEKRETARIS], agency[PPID]
    kasubbag.ok("new", "--unit", "sekretariat", "--title", "Renja 2027")
    fill(kasubbag.repo, "sekretariat", "renja-2027")
    kasubbag.ok("submit", "renja-2027")
    kasubbag.push()
    sekretaris.pull()
    sekretaris.ok("review", "renja-2027", "--approve")
    sekretaris.push()
    ppid.pull()
    ppid.ok("classify", "renja-2027", "--category", "berkala")
    assert signed_log(ppid.repo, 8) == [
        f"G {PPID}", f"G {SEKRETARIS}", f"G {KASUBBAG}", f"G {KASUBBAG}",
        f"G {KEPALA}", f"G {KEPALA}", f"G {KEPALA}", f"G {KEPALA}",
    ]  # fmt: skip
    assert findings(ppid.repo) == []
    verified = ppid.repo.run("verify")
    assert verified.exit_code == 0
    assert "tidak ditandatangani" not in verified.stderr
    allowed = (ppid.repo.register / "penanda-tangan").read_text().splitlines()
    assert [line.split()[0] for line in allowed] == [KEPALA, SEKRETARIS, PPID, KASUBBAG]


def test_plain_git_unsigned_or_foreign_signed_or_self_listed_is_rejected(
    agency: dict[str, Desk], tmp_path: Path
) -> None:
    kasubbag = agency[KASUBBAG]
    repo = kasubbag.repo
    kasubbag.ok("new", "--unit", "sekretariat", "--title", "Renja 2027")
    item = repo.item("sekretariat", "renja-2027")
    ident = ("-c", "user.name=Kasubbag", "-c", f"user.email={KASUBBAG}")
    # 1. unsigned, with plain git
    item.write_text(item.read_text().replace("judul: Renja 2027", "judul: Renja Tahun 2027"))
    git(repo.path, *ident, "-c", "commit.gpgsign=false", "commit", "-qam", "tanpa tanda tangan")
    unsigned = git(repo.path, "rev-parse", "HEAD").strip()
    # 2. signed with a key of the attacker's own, not listed for the author
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    item.write_text(item.read_text().replace("Renja Tahun 2027", "Renja Thn 2027"))
    git(repo.path, *ident, "-c", f"user.signingkey={stranger}.pub", "commit", "-qam", "kunci asing")
    foreign = git(repo.path, "rev-parse", "HEAD").strip()
    # 3. a listed officer lists a second key for themselves (signed with their real key)
    signers = repo.register / "penanda-tangan"
    extra = Path(f"{stranger}.pub").read_text().split()[:2]
    signers.write_text(signers.read_text() + f'{KASUBBAG} namespaces="git" {" ".join(extra)}\n')
    git(repo.path, *ident, "commit", "-qam", "kunci tambahan")
    self_listed = git(repo.path, "rev-parse", "HEAD").strip()
    assert findings(repo) == [
        ("signature", unsigned), ("signature", foreign), ("people", self_listed),
    ]  # fmt: skip
    assert repo.run("verify").exit_code == 1


def test_a_step_with_another_officers_key_is_refused_before_it_is_made(
    agency: dict[str, Desk],
) -> None:
    """A shared clone set up by the kasubbag: the sekretaris's step would carry the
    kasubbag's signature, which verify rejects; dipctl refuses it and writes nothing."""
    kasubbag = agency[KASUBBAG]
    kasubbag.ok("new", "--unit", "sekretariat", "--title", "Renja 2027")
    fill(kasubbag.repo, "sekretariat", "renja-2027")
    kasubbag.ok("submit", "renja-2027")
    head = git(kasubbag.repo.path, "rev-parse", "HEAD")
    result = kasubbag.repo.run("review", "renja-2027", "--approve", "--as", SEKRETARIS)
    assert result.exit_code == 3, result.stderr
    assert SEKRETARIS in result.stderr
    assert "register/penanda-tangan" in result.stderr
    assert "dipctl key" in result.stderr
    assert git(kasubbag.repo.path, "rev-parse", "HEAD") == head
    assert git(kasubbag.repo.path, "status", "--porcelain") == ""


def test_key_twice_reuses_the_key_and_says_when_it_is_listed(agency: dict[str, Desk]) -> None:
    ppid = agency[PPID]
    private = ppid.home / ".ssh" / "dipctl_ed25519"
    before = (private.read_bytes(), Path(f"{private}.pub").read_bytes(), private.stat().st_mtime_ns)
    again = ppid.run("key")
    assert again.exit_code == 0, again.stderr
    assert (
        private.read_bytes(),
        Path(f"{private}.pub").read_bytes(),
        private.stat().st_mtime_ns,
    ) == before
    assert "dipakai" in again.stderr
    assert "sudah terdaftar" in again.stderr
    assert again.stdout.split()[-2:] == Path(f"{private}.pub").read_text().split()[:2]
    assert oct(private.stat().st_mode & 0o777) == "0o600"
    assert oct(private.parent.stat().st_mode & 0o777) == "0o700"
    for key, value in (
        ("gpg.format", "ssh"),
        ("commit.gpgsign", "true"),
        ("user.signingkey", f"{private}.pub"),
    ):
        assert git(ppid.repo.path, "config", "--local", key).strip() == value


def test_key_add_only_by_a_kepala_and_only_a_real_key(agency: dict[str, Desk]) -> None:
    sekretaris, head = agency[SEKRETARIS], agency[KEPALA]
    key = (sekretaris.home / ".ssh" / "dipctl_ed25519.pub").read_text().strip()
    tip = git(head.repo.path, "rev-parse", "HEAD")
    by_other = sekretaris.run("key", "add", SEKRETARIS, key)
    assert by_other.exit_code == 3
    assert "kepala" in by_other.stderr
    injected = key + f'\n* namespaces="git" {key}'  # a second line for everyone
    for bad in (injected, "ssh-ed25519 bukan-base64!", "ssh-dss AAAAB3NzaC1kc3M=", "", key[:30]):
        refused = head.run("key", "add", KASUBBAG, bad)
        assert refused.exit_code == 2, (bad, refused.stderr)
        assert "kunci publik SSH" in refused.stderr
    stranger = head.run("key", "add", "orang.luar@example.go.id", key)
    assert stranger.exit_code == 3
    again = head.run("key", "add", SEKRETARIS, key)  # already listed: no commit
    assert again.exit_code == 0
    assert git(head.repo.path, "rev-parse", "HEAD") == tip
    assert git(head.repo.path, "status", "--porcelain") == ""


def test_init_reuses_an_existing_key_and_never_overwrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    private = home / ".ssh" / "dipctl_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(private)], check=True)
    Path(f"{private}.pub").unlink()  # only the private half: the public one is derived
    content = private.read_bytes()
    monkeypatch.setenv("HOME", str(home))
    made = dipctl(
        "init", tmp_path / "d", "--agency", "X", "--head-name", "K", "--head-email", KEPALA
    )
    assert made.exit_code == 0, made.stderr
    assert private.read_bytes() == content
    derived = Path(f"{private}.pub").read_text().split()[:2]
    listed = (tmp_path / "d" / "register" / "penanda-tangan").read_text().split()
    assert listed == [KEPALA, 'namespaces="git"', *derived]
    assert Repo(tmp_path / "d").run("verify").exit_code == 0


def test_passphrase_needs_a_terminal(agency: dict[str, Desk], tmp_path: Path) -> None:
    result = agency[PPID].run("key", "--passphrase", "--key", tmp_path / "k")
    assert result.exit_code == 2
    assert "terminal" in result.stderr
    assert not (tmp_path / "k").exists()


def test_an_unsigned_register_is_reported_by_verify(repo: Repo) -> None:
    """`init --unsigned` (the conftest register): verify passes, and warns on stderr."""
    result = repo.run("verify")
    assert result.exit_code == 0
    assert "peringatan: riwayat tidak ditandatangani: identitas hanya berdasarkan email" in (
        result.stderr
    )
    english = repo.run("verify", "--lang", "en", "--json")
    assert english.exit_code == 0
    assert json.loads(english.stdout) == []
    assert "history not signed: identity rests on email alone" in english.stderr


def test_init_unsigned_writes_no_key_and_says_it_is_weaker(tmp_path: Path) -> None:
    made = dipctl(
        "init", tmp_path / "d", "--agency", "X", "--head-name", "K", "--head-email", KEPALA,
        "--unsigned",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "identitas hanya berdasarkan email" in made.stderr
    assert not (tmp_path / "d" / "register" / "penanda-tangan").exists()
    assert not (Path(os.environ["HOME"]) / ".ssh").exists()
    assert "wajib: false" in (tmp_path / "d" / "register" / "register.yaml").read_text()


def test_one_key_is_one_officers(agency: dict[str, Desk], monkeypatch: pytest.MonkeyPatch) -> None:
    """Two officers on one laptop account would share ~/.ssh/dipctl_ed25519; git names only
    one holder as the signer, so the other's steps would fail verify: both commands refuse."""
    head, ppid = agency[KEPALA], agency[PPID]
    head_key = (head.home / ".ssh" / "dipctl_ed25519.pub").read_text().split()[:2]
    tip = git(head.repo.path, "rev-parse", "HEAD")
    shared = head.run("key", "add", PPID, " ".join(head_key), "--replace")
    assert shared.exit_code == 3, shared.stderr
    assert KEPALA in shared.stderr
    assert git(head.repo.path, "rev-parse", "HEAD") == tip
    monkeypatch.setenv("HOME", str(head.home))  # the PPID at the head's account, new clone
    git(ppid.repo.path, "config", "--local", "--unset", "user.signingkey")
    config = git(ppid.repo.path, "config", "--local", "--list")
    borrowed = ppid.repo.run("key", "--as", PPID)
    assert borrowed.exit_code == 3, borrowed.stderr
    assert "--key" in borrowed.stderr
    assert git(ppid.repo.path, "config", "--local", "--list") == config  # left as it was
