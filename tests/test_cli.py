"""Every command of the foundation through the real CLI, in tmp git repositories."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from dipctl import gitrepo
from dipctl.errors import GitFailed
from dipctl.register import queries
from dipctl.register.config import find_register
from dipctl.sop import progress
from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    Repo,
    commit_all,
    dipctl,
    git,
)


def trailers(repo: Repo, key: str, rev: str = "HEAD") -> list[str]:
    out = repo.log("-1", f"--format=%(trailers:key={key},valueonly)", rev)
    return [line for line in out.splitlines() if line]


def files_in(repo: Repo, rev: str = "HEAD") -> list[str]:
    return git(repo.path, "show", "--name-only", "--format=", rev).split()


def assert_clean(repo: Repo) -> None:
    assert git(repo.path, "status", "--porcelain") == ""


# -- init ----------------------------------------------------------------------------------


def test_init_makes_a_register_with_its_first_commit_by_the_head(tmp_path: Path) -> None:
    target = tmp_path / "baru"
    result = dipctl(
        "init",
        target,
        "--agency",
        "Dinas Kominfo",
        "--head-name",
        "Ibu Kepala",
        "--head-email",
        "kadis@kominfo.example.go.id",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(target / "register")
    repo = Repo(target)
    assert repo.log("--format=%an <%ae>|%cn <%ce>").splitlines() == [
        "Ibu Kepala <kadis@kominfo.example.go.id>|Ibu Kepala <kadis@kominfo.example.go.id>"
    ]
    assert trailers(repo, "DIP-Action") == ["init"]
    assert trailers(repo, "DIP-Role") == ["kepala"]
    assert sorted(files_in(repo)) == [
        ".github/workflows/dip.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        "ci/dipctl-0.1.0-py3-none-any.whl",  # what the CI installs (tests/test_ci_install.py)
        "register/dokumen.schema.json",
        "register/informasi.schema.json",
        "register/informasi/.gitkeep",
        "register/keputusan.schema.json",
        "register/keputusan/.gitkeep",
        "register/penanda-tangan",  # the head's signing key: signed by default
        "register/rapat.schema.json",
        "register/rapat/.gitkeep",
        "register/register.schema.json",
        "register/register.yaml",
    ]
    assert_clean(repo)
    assert repo.run("validate").exit_code == 0
    assert (repo.register / "informasi.schema.json").read_text() == dipctl("schema").stdout


def test_init_refuses_an_existing_register_and_bad_options(repo: Repo) -> None:
    again = dipctl("init", repo.path, "--agency", "X", "--head-name", "Y", "--head-email", KEPALA)
    assert again.exit_code == 4
    assert "register" in again.stderr
    bad = dipctl(
        "init", repo.path / "x", "--agency", "X", "--head-name", "Y", "--head-email", "bukan-email"
    )
    assert bad.exit_code == 2
    assert "--head-email" in bad.stderr
    assert not (repo.path / "x").exists()


# -- new -----------------------------------------------------------------------------------


def test_new_commits_a_draft_as_the_kasubbag(repo: Repo) -> None:
    result = repo.run(
        "new",
        "--unit",
        "sekretariat",
        "--title",
        "Rencana Kerja 2027",
        "--summary",
        "Program dan kegiatan 2027.",
        "--made",
        "2026-10",
        "--form",
        "softcopy",
        "--form",
        "hardcopy",
        "--retention",
        "5 tahun",
        "--responsible",
        "Sekretaris",
        "--as",
        KASUBBAG,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "rencana-kerja-2027\n"
    path = repo.item("sekretariat", "rencana-kerja-2027")
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../informasi.schema.json\n"
        "id: rencana-kerja-2027\n"
        "judul: Rencana Kerja 2027\n"
        "ringkasan: Program dan kegiatan 2027.\n"
        "unit: sekretariat\n"
        "penanggung_jawab: Sekretaris\n"
        'waktu_pembuatan: "2026-10"\n'
        "tempat_pembuatan: Palangka Raya\n"
        "bentuk: [softcopy, hardcopy]\n"
        "retensi: 5 tahun\n"
        "status: draf\n"
    )
    assert repo.log("-1", "--format=%an <%ae>|%ce|%s").strip() == (
        f"Kasubbag Umum <{KASUBBAG}>|{KASUBBAG}|dip(new): rencana-kerja-2027 -> draf"
    )
    assert trailers(repo, "DIP-Action") == ["new"]
    assert trailers(repo, "DIP-Role") == ["kasubbag"]
    assert trailers(repo, "DIP-Item") == ["rencana-kerja-2027"]
    assert files_in(repo) == ["register/informasi/sekretariat/rencana-kerja-2027.yaml"]
    assert_clean(repo)
    assert repo.run("validate").exit_code == 0


def test_new_commits_only_its_own_file(repo: Repo) -> None:
    readme = repo.path / "CATATAN.md"
    readme.write_text("staged\n", encoding="utf-8")
    git(repo.path, "add", "CATATAN.md")
    (repo.register / "register.yaml").write_text(
        (repo.register / "register.yaml").read_text() + "# belum di-commit\n"
    )
    result = repo.run(
        "new", "--unit", "program", "--title", "Data Program", "--as", KASUBBAG_PROGRAM
    )
    assert result.exit_code == 0, result.stderr
    assert files_in(repo) == ["register/informasi/program/data-program.yaml"]
    status = git(repo.path, "status", "--porcelain").splitlines()
    assert sorted(status) == sorted(["A  CATATAN.md", " M register/register.yaml"])


def test_new_ids_are_unique_and_checked(repo: Repo) -> None:
    for expected in ("laporan-tahunan", "laporan-tahunan-2"):
        result = repo.run(
            "new", "--unit", "sekretariat", "--title", "Laporan Tahunan", "--as", KASUBBAG
        )
        assert result.stdout.strip() == expected
    taken = repo.run(
        "new",
        "--unit",
        "program",
        "--title",
        "X",
        "--id",
        "laporan-tahunan",
        "--as",
        KASUBBAG_PROGRAM,
    )
    assert taken.exit_code == 2
    assert "laporan-tahunan" in taken.stderr
    bad = repo.run(
        "new", "--unit", "program", "--title", "X", "--id", "Bad ID", "--as", KASUBBAG_PROGRAM
    )
    assert bad.exit_code == 2


def test_the_acting_person_comes_from_as_then_env_then_git(repo: Repo, monkeypatch) -> None:
    monkeypatch.setenv("DIPCTL_AS", KASUBBAG)
    assert repo.run("new", "--unit", "sekretariat", "--title", "Satu").exit_code == 0
    monkeypatch.delenv("DIPCTL_AS")
    git(repo.path, "config", "user.email", KASUBBAG_PROGRAM)
    assert repo.run("new", "--unit", "program", "--title", "Dua").exit_code == 0
    assert repo.log("-2", "--format=%ae").split() == [KASUBBAG_PROGRAM, KASUBBAG]
    git(repo.path, "config", "--unset", "user.email")
    nobody = repo.run("new", "--unit", "program", "--title", "Tiga")
    assert nobody.exit_code == 3
    assert "--as" in nobody.stderr


@pytest.mark.parametrize(
    ("who", "unit", "code", "words"),
    [
        (KEPALA, "sekretariat", 3, ["kasubbag", "sekretariat"]),
        (PPID, "program", 3, ["kasubbag"]),
        (KASUBBAG, "program", 3, ["program"]),  # another unit's kasubbag
        ("orang.lain@example.go.id", "program", 3, ["orang.lain@example.go.id", "register.yaml"]),
        (KASUBBAG, "tidak-ada", 2, ["tidak-ada", "sekretariat"]),
    ],
)
def test_new_is_refused_for_the_wrong_person_or_unit(
    repo: Repo, who: str, unit: str, code: int, words: list[str]
) -> None:
    head = repo.log("-1", "--format=%H")
    result = repo.run("new", "--unit", unit, "--title", "Coba", "--as", who)
    assert result.exit_code == code
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr
    assert repo.log("-1", "--format=%H") == head
    assert_clean(repo)


def test_new_refuses_bad_values_without_writing(repo: Repo) -> None:
    for args in (["--form", "kertas"], ["--made", "tahun lalu"], ["--title", " "]):
        argv = ["new", "--unit", "program", "--title", "X", *args, "--as", KASUBBAG_PROGRAM]
        result = repo.run(*argv)
        assert result.exit_code == 2, args
    assert_clean(repo)


def test_a_failed_commit_leaves_nothing_behind(repo: Repo, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise GitFailed("git.failed", command="git commit", detail="injected")

    monkeypatch.setattr(gitrepo.Repository, "commit_files", fail)
    result = repo.run("new", "--unit", "program", "--title", "Gagal", "--as", KASUBBAG_PROGRAM)
    assert result.exit_code == 4
    assert "injected" in result.stderr
    assert_clean(repo)
    assert not (repo.register / "informasi" / "program").exists() or not any(
        (repo.register / "informasi" / "program").iterdir()
    )


def test_a_real_git_failure_unstages_and_removes_the_file(repo: Repo) -> None:
    hook = repo.path / ".git" / "index.lock"  # git cannot take its own index lock
    hook.write_text("", encoding="utf-8")
    result = repo.run("new", "--unit", "program", "--title", "Terkunci", "--as", KASUBBAG_PROGRAM)
    hook.unlink()
    assert result.exit_code == 4
    assert "git" in result.stderr
    assert_clean(repo)


def test_the_dipctl_lock_is_respected(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from dipctl.gitrepo import Repository

    monkeypatch.setenv("DIPCTL_LOCK_WAIT", "0.3")
    lock = repo.path / ".git" / "dipctl.lock"
    with Repository(repo.path).lock():  # another step holds it (an flock, not just a file)
        result = repo.run("new", "--unit", "program", "--title", "X", "--as", KASUBBAG_PROGRAM)
    assert result.exit_code == 4
    assert "dipctl.lock" in result.stderr
    lock.write_text("999999999", encoding="ascii")  # left by a process that is gone: free
    result = repo.run("new", "--unit", "program", "--title", "X", "--as", KASUBBAG_PROGRAM)
    assert result.exit_code == 0, result.stderr
    assert not lock.exists()


def test_a_merge_conflict_stops_every_step(repo: Repo) -> None:
    config = repo.register / "register.yaml"
    git(repo.path, "checkout", "-q", "-b", "lain")
    config.write_text(config.read_text().replace("Dinas Contoh", "Dinas A", 1))
    commit_all(repo.path, "a")
    git(repo.path, "checkout", "-q", "main")
    config.write_text(config.read_text().replace("Dinas Contoh", "Dinas B", 1))
    commit_all(repo.path, "b")
    merge = subprocess.run(
        [
            "git",
            "-C",
            str(repo.path),
            "-c",
            "user.name=T",
            "-c",
            f"user.email={KEPALA}",
            "merge",
            "-q",
            "lain",
        ],
        capture_output=True,
    )
    assert merge.returncode != 0
    assert "CONFLICT" in merge.stdout.decode()
    result = repo.run("new", "--unit", "program", "--title", "X", "--as", KASUBBAG_PROGRAM)
    assert result.exit_code == 4
    assert "register/register.yaml" in result.stderr


def test_new_needs_a_git_repository(tmp_path: Path) -> None:
    register = tmp_path / "register"
    (register / "informasi").mkdir(parents=True)
    (register / "register.yaml").write_text(
        "badan_publik:\n  nama: X\nunit:\n  umum:\n    nama: Umum\norang:\n"
        f"  - nama: K\n    email: {KASUBBAG}\n    peran: [kasubbag]\n    unit: [umum]\n"
    )
    result = dipctl(
        "new", "--unit", "umum", "--title", "X", "--as", KASUBBAG, "--register", register
    )
    assert result.exit_code == 4
    assert "git" in result.stderr
    assert "dipctl init" in result.stderr


# -- finding the register ------------------------------------------------------------------


def test_outside_a_register_is_exit_4_with_a_hint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = dipctl("list")
    assert result.exit_code == 4
    # an officer with a clone is told to change into it first, then how to get one
    assert "pindah dulu ke folder klon register Anda (cd FOLDER)" in result.stderr
    assert "dipctl clone URL FOLDER" in result.stderr and "dipctl init" in result.stderr
    assert "--register" in result.stderr
    assert dipctl("list", "--register", tmp_path / "nope").exit_code == 4


def test_the_register_is_found_from_inside_the_repository(repo: Repo, monkeypatch) -> None:
    (repo.register / "informasi" / "sekretariat").mkdir(parents=True)
    monkeypatch.chdir(repo.register / "informasi" / "sekretariat")
    assert find_register().root == repo.register
    monkeypatch.chdir(repo.path.parent)
    monkeypatch.setenv("DIPCTL_REGISTER", str(repo.path))
    assert find_register().root == repo.register
    assert dipctl("list").exit_code == 0


# -- list, show, status --------------------------------------------------------------------


def test_list_filters_and_json(example: Repo) -> None:
    everything = json.loads(example.run("list", "--json").stdout)
    assert len(everything) >= 44
    assert {i["kategori"] for i in everything} >= {
        "berkala",
        "serta-merta",
        "setiap-saat",
        "dikecualikan",
    }
    exempt = json.loads(example.run("list", "--category", "dikecualikan", "--json").stdout)
    assert exempt and all(i["kategori"] == "dikecualikan" for i in exempt)
    unit = example.run("list", "--unit", "subbagian-tata-usaha", "--wide")  # rows for scripts
    assert unit.exit_code == 0
    rows = [line.split("\t") for line in unit.stdout.splitlines()]
    assert rows and all(row[3] == "subbagian-tata-usaha" and len(row) == 5 for row in rows)
    drafts = json.loads(example.run("list", "--status", "draf", "--json").stdout)
    assert all(i["status"] == "draf" for i in drafts)
    bad = example.run("list", "--status", "selesai")
    assert bad.exit_code == 2
    assert "diunggah" in bad.stderr


def test_show_prints_every_field_and_refuses_unknown_ids(example: Repo) -> None:
    item = json.loads(example.run("list", "--category", "dikecualikan", "--json").stdout)[0]
    shown = example.run("show", item["id"])
    assert shown.exit_code == 0
    assert item["judul"] in shown.stdout
    assert "dasar hukum pengecualian" in shown.stdout
    english = example.run("show", item["id"], "--lang", "en")
    assert "legal basis of the exemption" in english.stdout
    as_json = json.loads(example.run("show", item["id"], "--json").stdout)
    assert as_json["pengecualian"]["dasar_hukum"]
    missing = example.run("show", "tidak-ada")
    assert missing.exit_code == 4
    assert "tidak-ada" in missing.stderr
    assert "dipctl list" in missing.stderr


def test_status_counts_waits_and_warns(example: Repo) -> None:
    result = example.run("status", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["jumlah"] == sum(report["per_status"].values()) >= 44
    waiting = {w["langkah"]: w for w in report["menunggu"]}
    assert waiting["submit"]["peran"] == "kasubbag"
    assert waiting["submit"]["perintah"] == "dipctl submit ID…"  # several: their ids follow
    assert waiting["review"]["peran"] == "sekretaris"
    (reviewed,) = waiting["review"]["informasi"]  # one: the command names it
    assert waiting["review"]["perintah"] == f"dipctl review {reviewed} --approve"
    assert waiting["review"]["pejabat"]  # who, by name
    text = example.run("status")
    assert "menunggu" in text.stdout
    assert f"dipctl review {reviewed} --approve" in text.stdout


def test_status_flags_editions_not_the_age_of_decrees(example: Repo) -> None:
    """Issue 13: no item is flagged because time passed since its decree; an item whose
    next edition is overdue is, with the command that starts its pemutakhiran."""
    reg = find_register(example.register)
    decree_day = dt.date(2026, 1, 21)

    def flagged(today: dt.date) -> dict[str, str]:
        return {w.item: w.command for w in progress.status(reg, today).warnings}

    assert flagged(decree_day) == {}
    later = flagged(decree_day + dt.timedelta(days=370))
    assert later["bo-lkjip-2024"] == "dipctl revise bo-lkjip-2024"  # yearly, edition 2025-02-26
    assert "bo-renstra-2025-2029" not in later  # five-yearly, edition 2025-08-01
    assert "bo-profil-biro-organisasi" not in later  # berkala without an edition


def test_status_warns_when_an_exemption_has_ended(example: Repo) -> None:
    reg = find_register(example.register)
    exempt = [i for i in queries.load_items(reg) if i.exemption and i.exemption.ends[:1] == "2"]
    assert exempt
    ends = dt.date.fromisoformat(exempt[0].exemption.ends)  # type: ignore[union-attr]
    warned = {
        w.item
        for w in progress.status(reg, ends + dt.timedelta(days=1)).warnings
        if w.key == "warn.exemption_ended"
    }
    assert exempt[0].id in warned


# -- the error boundary --------------------------------------------------------------------


def test_a_bug_is_exit_5_without_a_traceback(repo: Repo, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(queries, "list_items", boom)
    result = repo.run("list")
    assert result.exit_code == 5
    assert "Traceback" not in result.stderr
    assert "DIPCTL_DEBUG" in result.stderr


def test_interrupt_is_exit_130(repo: Repo, monkeypatch) -> None:
    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(queries, "list_items", stop)
    assert repo.run("list").exit_code == 130


def test_usage_errors_are_exit_2(repo: Repo) -> None:
    assert repo.run("new", "--title", "tanpa unit").exit_code == 2
    assert dipctl("tidak-ada-perintah").exit_code == 2


def test_english_messages(repo: Repo, monkeypatch) -> None:
    result = repo.run("show", "tidak-ada", "--lang", "en")
    assert "there is no item 'tidak-ada'" in result.stderr
    monkeypatch.setenv("DIPCTL_LANG", "en")
    assert "there is no item" in repo.run("show", "tidak-ada").stderr
    monkeypatch.delenv("DIPCTL_LANG")
    assert "tidak ada di register" in repo.run("show", "tidak-ada").stderr


def test_an_output_that_cannot_be_written_is_exit_4(example: Repo, tmp_path: Path) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder", encoding="utf-8")
    for args in (["build", "--out", str(blocker)], ["export", "--out", str(blocker / "dip.csv")]):
        result = example.run(*args)
        assert result.exit_code == 4, (args, result.stderr)
        assert str(blocker) in result.stderr
        assert "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "bukan folder"


def test_verify_outside_git_proves_nothing(tmp_path: Path) -> None:
    register = tmp_path / "register"
    register.mkdir()
    (register / "register.yaml").write_text(
        f"badan_publik:\n  nama: X\nunit:\n  umum:\n    nama: Umum\norang:\n"
        f"  - nama: K\n    email: {KEPALA}\n    peran: [kepala]\n",
        encoding="utf-8",
    )
    result = dipctl("verify", "--register", register)
    assert result.exit_code == 4
    assert "git" in result.stderr
