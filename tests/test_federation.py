"""Issue 22: the PPID Utama's federation. Members are real signed registers served from local
bare repositories; each attack is made with plain git on the member's server."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, dipctl, git
from tests.test_signing import act, keygen

OFFICERS = (KEPALA, SEKRETARIS, PPID, KASUBBAG)


@pytest.fixture
def template(_template_repo: Path) -> Path:
    """The test register (four officers, unsigned) that each member starts from."""
    return _template_repo


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    return {email: keygen(folder, email)[0] for email in OFFICERS}


def signed_member(template: Path, where: Path, keys: dict[str, Path], agency: str) -> Repo:
    """A copy of the test register renamed ``agency``, signatures required, one item."""
    shutil.copytree(template, where, symlinks=True)
    repo = Repo(where)
    lines = [
        f'{email} namespaces="git" {Path(f"{keys[email]}.pub").read_text().strip()}'
        for email in OFFICERS
    ]
    (repo.register / "penanda-tangan").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = repo.register / "register.yaml"
    text = config.read_text().replace("  wajib: false", "  wajib: true")
    config.write_text(text.replace("nama: Dinas Contoh", f"nama: {agency}", 1))
    commit_all(where, "tanda tangan wajib", KEPALA)
    git(where, "config", "gpg.format", "ssh")
    act(repo, keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", f"Renja {agency}")
    return repo


def serve(repo: Repo, server: Path) -> Path:
    """The member's git server: a bare repository its clone pushes to."""
    git(repo.path, "clone", "-q", "--bare", str(repo.path), str(server))
    git(repo.path, "remote", "add", "origin", str(server))
    return server


def push(repo: Repo, *args: str) -> None:
    git(repo.path, "push", "-q", *args, "origin", "HEAD:main")


@pytest.fixture
def federation(tmp_path: Path) -> Repo:
    path = tmp_path / "provinsi"
    result = dipctl(
        "init", path, "--agency", "Diskominfo Provinsi", "--head-name", "Kepala Diskominfo",
        "--head-email", KEPALA, "--place", "Palangka Raya", "--unsigned", "--federation",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return Repo(path)


def sync(fed: Repo) -> tuple[int, dict[str, dict[str, Any]]]:
    result = fed.run("federate", "sync", "--json", "--timeout", "20")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, {m["member"]: m for m in json.loads(result.stdout)}


def test_a_federation_of_five_proves_each_member(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    names = ("dinkes", "disdik", "bappeda", "dpupr", "dishub")
    members, servers = {}, {}
    for name in names:
        members[name] = signed_member(template, tmp_path / name, keys, f"Dinas {name}")
        servers[name] = serve(members[name], tmp_path / f"{name}.git")
        added = federation.run("member", "add", name, str(servers[name]), "--as", KEPALA)
        assert added.exit_code == 0, added.stderr
    config = (federation.register / "register.yaml").read_text()
    assert "kunci_kepala:\n      - SHA256:" in config and "akar: " in config
    assert federation.run("verify").exit_code == 0  # the kepala's enrolments are clean steps
    assert federation.run("validate").exit_code == 0

    code, state = sync(federation)
    assert code == 0
    assert {n: s["result"] for n, s in state.items()} == dict.fromkeys(names, "verified")
    assert state["dinkes"]["holdings"]["items"] == {"draf": 1}
    assert state["dinkes"]["holdings"]["agency"] == "Dinas dinkes"
    proven = {n: s["verified"] for n, s in state.items()}

    # dinkes takes an honest step; disdik forges one with plain git (unsigned)
    act(members["dinkes"], keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Lakip")
    push(members["dinkes"])
    forged = members["disdik"].item("sekretariat", "renja-dinas-disdik")
    forged.write_text(forged.read_text().replace("status: draf", "status: ditetapkan"))
    commit_all(members["disdik"].path, "ditetapkan", KEPALA)
    push(members["disdik"])
    # bappeda's server is gone; dpupr's history is replaced by another with another root;
    # dishub's last commit is rewritten (amended) and force-pushed
    shutil.rmtree(servers["bappeda"])
    other = tmp_path / "other"
    assert dipctl("init", other, "--agency", "Palsu", "--head-name", "X", "--head-email",
                  KEPALA, "--place", "P", "--unsigned").exit_code == 0  # fmt: skip
    git(other, "push", "-q", "--force", str(servers["dpupr"]), "HEAD:main")
    git(members["dishub"].path, "commit", "-q", "--amend", "-m", "diubah")
    push(members["dishub"], "--force")

    code, state = sync(federation)
    assert code == 1
    assert state["dinkes"]["result"] == "verified" and state["dinkes"]["moved"]
    assert state["dinkes"]["verified"] != proven["dinkes"]
    assert state["dinkes"]["holdings"]["items"] == {"draf": 2}
    assert state["disdik"]["result"] == "failed"
    assert state["disdik"]["params"]["rule"] == "transition"  # drafted to ditetapkan
    assert state["bappeda"]["result"] == "unreachable" and state["bappeda"]["since"]
    assert state["dpupr"]["result"] == "refused"
    assert state["dpupr"]["reason"] == "federation.other_root"
    assert state["dishub"]["result"] == "refused"
    assert state["dishub"]["reason"] == "federation.rewritten"
    for name in ("disdik", "bappeda", "dpupr", "dishub"):  # the last proven state is kept
        assert state[name]["verified"] == proven[name]
        assert state[name]["holdings"]["items"] == {"draf": 1}

    # a planted state file cannot make the forged tip count as proven
    planted = federation.path / ".git" / "dipctl" / "anggota" / "disdik.json"
    data = json.loads(planted.read_text())
    data.update(verified=state["disdik"]["tip"], result="verified", reason="", params={})
    planted.write_text(json.dumps(data))
    code, state = sync(federation)
    assert state["disdik"]["result"] == "failed"
    assert state["disdik"]["verified"] == proven["disdik"]

    text = federation.run("federate", "sync", "--timeout", "20")
    assert "disdik: TIDAK TERBUKTI" in text.stdout and "aturan transition" in text.stdout
    assert "bappeda: tidak terjangkau sejak" in text.stdout

    removed = federation.run("member", "remove", "dishub", "--as", KEPALA)
    assert removed.exit_code == 0, removed.stderr
    assert "dishub" not in (federation.register / "register.yaml").read_text()
    assert not (federation.path / ".git" / "dipctl" / "anggota" / "dishub.git").exists()
    assert federation.run("verify").exit_code == 0


def test_enrolment_refuses_what_is_not_proven(
    template: Path, repo: Repo, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    unsigned = serve(repo, tmp_path / "unsigned.git")  # the plain test register: unsigned
    result = federation.run("member", "add", "tanpa-ttd", str(unsigned), "--as", KEPALA)
    assert result.exit_code == 3 and "tanda_tangan.wajib" in result.stderr

    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    forged = member.item("sekretariat", "renja-dinkes")
    forged.write_text(forged.read_text().replace("Renja", "Renja palsu"))
    commit_all(member.path, "diubah", KASUBBAG)  # unsigned
    server = serve(member, tmp_path / "dinkes.git")
    result = federation.run("member", "add", "dinkes", str(server), "--as", KEPALA)
    assert result.exit_code == 3 and "aturan signature" in result.stderr

    marker = tmp_path / "ran"
    for name, url, code in (
        ("Bad_Name", str(server), 2),
        ("jauh", str(tmp_path / "nowhere.git"), 3),
        ("ext", f"ext::sh -c touch% {marker}", 3),  # a transport that would run a command
    ):
        result = federation.run("member", "add", name, url, "--as", KEPALA)
        assert result.exit_code == code, (name, result.stderr)
    assert not marker.exists()
    result = federation.run("member", "add", "dinkes", str(server), "--as", SEKRETARIS)
    assert result.exit_code != 0  # not an officer of the federation, and not its kepala
    assert "anggota: {}" in (federation.register / "register.yaml").read_text()

    plain = repo.run("member", "add", "dinkes", str(server), "--as", KEPALA)
    assert plain.exit_code == 3 and "--federation" in plain.stderr


def test_only_the_kepala_changes_the_members(federation: Repo, tmp_path: Path) -> None:
    config = federation.register / "register.yaml"
    sha = "a" * 40
    config.write_text(config.read_text().replace(
        "anggota: {}",
        f"anggota:\n  palsu:\n    url: /x\n    cabang: main\n    akar: {sha}\n"
        f"    didaftarkan: {sha}\n    kunci_kepala: [SHA256:{'A' * 43}]",
    ))  # fmt: skip
    commit_all(federation.path, "anggota palsu", SEKRETARIS)
    found = json.loads(federation.run("verify", "--json").stdout)
    assert [f["rule"] for f in found] == ["settings"]
    assert federation.run("validate").exit_code == 0
    config.write_text(config.read_text().replace(f"akar: {sha}", "akar: main"))
    result = federation.run("validate")
    assert result.exit_code == 1 and "anggota.palsu.akar" in result.stdout


def test_nothing_of_a_member_is_checked_out(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    """The mirror is bare: a member's hostile attribute, hook or theme never reaches a file."""
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    hook = server / "hooks" / "post-upload-pack"
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path / 'hooked'}\n")
    hook.chmod(0o755)
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes.git"
    assert git(mirror, "rev-parse", "--is-bare-repository").strip() == "true"
    assert not (mirror / "register").exists()
    listed = subprocess.run(["git", "-C", str(federation.path), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert listed == ""  # nothing of the member in the federation's work tree
