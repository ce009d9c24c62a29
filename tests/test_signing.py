"""Signed steps with real SSH keys: dipctl signs when git can, verify checks every one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_sop import fill

OFFICERS = (KEPALA, SEKRETARIS, PPID, KASUBBAG)


def keygen(folder: Path, email: str) -> tuple[Path, str]:
    key = folder / email.split("@")[0]
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email, "-f", str(key)], check=True
    )
    return key, Path(f"{key}.pub").read_text(encoding="utf-8").strip()


@pytest.fixture
def signed(repo: Repo, tmp_path: Path) -> tuple[Repo, dict[str, Path]]:
    """The kepala lists every officer's key and makes signatures required."""
    keys, lines = {}, []
    for email in OFFICERS:
        keys[email], public = keygen(tmp_path, email)
        lines.append(f'{email} namespaces="git" {public}')
    (repo.register / "penanda-tangan").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = repo.register / "register.yaml"
    config.write_text(config.read_text().replace("  wajib: false", "  wajib: true"))
    commit_all(repo.path, "tanda tangan wajib", KEPALA)
    git(repo.path, "config", "gpg.format", "ssh")
    return repo, keys


def act(repo: Repo, keys: dict[str, Path], who: str, *args: str) -> None:
    git(repo.path, "config", "user.signingkey", str(keys[who]))
    result = repo.run(*args, "--as", who)
    assert result.exit_code == 0, result.stderr


def findings(repo: Repo) -> list[dict[str, str]]:
    result = repo.run("verify", "--json")
    found: list[dict[str, str]] = json.loads(result.stdout)
    return found


def test_signed_steps_verify(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    act(repo, keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renja 2027")
    fill(repo, "sekretariat", "renja-2027")
    act(repo, keys, KASUBBAG, "submit", "renja-2027")
    act(repo, keys, SEKRETARIS, "review", "renja-2027", "--approve")
    shown = git(
        repo.path,
        "-c",
        f"gpg.ssh.allowedSignersFile={repo.register / 'penanda-tangan'}",
        "log",
        "-3",
        "--format=%G? %GS",
    )
    assert shown.split("\n")[:3] == [f"G {SEKRETARIS}", f"G {KASUBBAG}", f"G {KASUBBAG}"]
    assert findings(repo) == []


def test_an_unsigned_commit_is_caught(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    act(repo, keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renja 2027")
    path = repo.item("sekretariat", "renja-2027")
    path.write_text(path.read_text().replace("judul: Renja 2027", "judul: Renja Tahun 2027"))
    commit_all(repo.path, "judul diperbaiki", KASUBBAG)  # plain git, no -S
    sha = git(repo.path, "rev-parse", "HEAD").strip()
    found = findings(repo)
    assert [(f["rule"], f["commit"]) for f in found] == [("signature", sha)]


def test_a_signature_by_someone_else_is_caught(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, keys = signed
    act(repo, keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renja 2027")
    path = repo.item("sekretariat", "renja-2027")
    path.write_text(path.read_text().replace("judul: Renja 2027", "judul: Renja Tahun 2027"))
    git(repo.path, "add", "-A")
    git(
        repo.path,
        "-c",
        "user.name=Kasubbag",
        "-c",
        f"user.email={KASUBBAG}",
        "-c",
        f"user.signingkey={keys[SEKRETARIS]}",
        "commit",
        "-S",
        "-qm",
        "ditandatangani orang lain",
    )
    sha = git(repo.path, "rev-parse", "HEAD").strip()
    assert [(f["rule"], f["commit"]) for f in findings(repo)] == [("signature", sha)]


def test_a_step_without_a_signing_key_is_refused(signed: tuple[Repo, dict[str, Path]]) -> None:
    repo, _ = signed
    head = git(repo.path, "rev-parse", "HEAD")
    result = repo.run("new", "--unit", "sekretariat", "--title", "X", "--as", KASUBBAG)
    assert result.exit_code == 4
    assert "belum disiapkan untuk menandatangani" in result.stderr and "dipctl key" in result.stderr
    verbose = repo.run(
        "new", "--unit", "sekretariat", "--title", "X", "--as", KASUBBAG, "--verbose"
    )
    assert "user.signingkey" in verbose.stderr  # --verbose names the git setting
    assert git(repo.path, "rev-parse", "HEAD") == head
    assert git(repo.path, "status", "--porcelain") == ""
