"""Small things a new officer trips over (issue 14, point 6), each pinned by a test."""

from __future__ import annotations

from tests.conftest import KASUBBAG, PPID, Repo, commit_all, dipctl
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
