"""Small things a new officer trips over (issue 14, point 6), each pinned by a test."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import KASUBBAG, PPID, Repo, commit_all, dipctl, git
from tests.test_refusals import drive, meeting_options


def test_a_meeting_that_only_rejects_names_the_item_once(repo: Repo) -> None:
    drive(repo, "info-a", "diklasifikasi")
    drive(repo, "info-b", "diklasifikasi")
    result = repo.run(
        "meeting", "info-a", *meeting_options(), "--reject", "info-b", "-m", "Belum jelas",
        "--as", PPID,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    drive(repo, "info-c", "diklasifikasi")
    only = repo.run(
        "meeting", *meeting_options(), "--reject", "info-c", "-m", "Belum jelas", "--as", PPID
    )
    assert only.exit_code == 0, only.stderr
    assert "status: dikembalikan" in repo.item("sekretariat", "info-c").read_text()


def test_a_refusal_names_the_missing_officer_in_words(repo: Repo) -> None:
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("unit:\n", "unit:\n  keuangan:\n    nama: Keuangan\n", 1))
    commit_all(repo.path, "unit keuangan")
    result = repo.run("new", "--unit", "keuangan", "--title", "Laporan Keuangan", "--as", KASUBBAG)
    assert result.exit_code == 3
    line = result.stderr.splitlines()[0]
    assert "dipctl new untuk informasi baru" in line
    assert "belum ada pejabat dengan peran itu" in line
    assert not line.rstrip().endswith("-")
    english = dipctl(
        "new", "--unit", "keuangan", "--title", "X", "--as", KASUBBAG,
        "--register", repo.register, "--lang", "en",
    )  # fmt: skip
    assert "no officer holds that role" in english.stderr


def test_papers_without_out_go_to_cetak_outside_git(repo: Repo) -> None:
    drive(repo, "info-a", "ditentukan")
    result = repo.run("decree", "draft")
    assert result.exit_code == 0, result.stderr
    written = Path(result.stdout.strip())
    assert written == repo.path / "cetak" / "draf-sk-dip.html"
    assert "info-a" in written.read_text(encoding="utf-8") or written.stat().st_size > 0
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""
    again = repo.run("decree", "draft")  # the exclude line is written once
    assert again.exit_code == 0
    exclude = (repo.path / ".git" / "info" / "exclude").read_text(encoding="utf-8")
    assert exclude.splitlines().count("/cetak/") == 1
    assert repo.run("verify").exit_code == 0


def test_a_linked_work_tree_shares_the_exclude(repo: Repo, tmp_path: Path) -> None:
    drive(repo, "info-a", "ditentukan")
    linked = tmp_path / "linked"
    git(repo.path, "worktree", "add", "-q", str(linked))
    result = dipctl("decree", "draft", "--register", linked / "register")
    assert result.exit_code == 0, result.stderr
    assert Path(result.stdout.strip()) == linked / "cetak" / "draf-sk-dip.html"
    assert git(linked, "status", "--porcelain", "--untracked-files=all") == ""
