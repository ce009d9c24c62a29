"""`dipctl undo` (issue 11 point 7): an item's latest step before establishment reversed by
its author or a kepala, as a new commit that `verify` accepts; everything else refused, and
undos forged with plain git caught by `verify`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dipctl.sop import commits
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_verify import (
    Driver,
    assert_clean,
    findings,
    forge,
    hand_edit,
    head,
    ok,
    trailers,
)

UNIT = "sekretariat"


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def files(repo: Repo) -> dict[str, bytes]:
    """Every file of the register, by its path."""
    return {
        str(p.relative_to(repo.register)): p.read_bytes()
        for p in sorted(repo.register.rglob("*"))
        if p.is_file()
    }


def refused(repo: Repo, *args: str) -> str:
    before, sha = files(repo), head(repo)
    result = repo.run(*args)
    assert result.exit_code == 3, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert (files(repo), head(repo)) == (before, sha)
    assert git(repo.path, "status", "--porcelain") == ""
    return " ".join(result.stderr.split())


def return_review(sop: Driver, *ids: str) -> None:
    ok(sop.repo, "review", *ids, "--return", "-m", "Kurang lengkap", "--as", SEKRETARIS)


def return_classify(sop: Driver, *ids: str) -> None:
    ok(sop.repo, "classify", *ids, "--return", "-m", "Bukan informasi publik", "--as", PPID)


#: Each undoable step: (the status it starts from, how it is taken, who took it).
STEPS: dict[str, tuple[str, Callable[[Driver], None], str]] = {
    "submit": ("draf", lambda s: s.submit(UNIT, "satu", "dua"), KASUBBAG),
    "review-approve": ("diajukan", lambda s: s.review("satu", "dua"), SEKRETARIS),
    "review-return": ("diajukan", lambda s: return_review(s, "satu", "dua"), SEKRETARIS),
    "classify": ("diteruskan", lambda s: s.classify("dikecualikan", "satu", "dua"), PPID),
    "classify-return": ("diteruskan", lambda s: return_classify(s, "satu", "dua"), PPID),
    "meeting": ("diklasifikasi", lambda s: s.meeting("satu", "dua"), PPID),
    "meeting-reject": (
        "diklasifikasi",
        lambda s: s.meeting("satu", reject=("dua",)),
        PPID,
    ),
}


@pytest.mark.parametrize("by", ["author", "kepala"])
@pytest.mark.parametrize("name", sorted(STEPS))
def test_an_undone_step_leaves_the_files_as_before_and_verifies_clean(
    sop: Driver, name: str, by: str
) -> None:
    status, take, author = STEPS[name]
    sop.drive(status, "satu", "dua")
    before = {k: v for k, v in files(sop.repo).items() if not k.startswith("rapat/")}
    take(sop)
    step_sha = head(sop.repo)
    records = {k: v for k, v in files(sop.repo).items() if k.startswith("rapat/")}
    who = author if by == "author" else KEPALA
    out = ok(sop.repo, "undo", "satu", "dua", "-m", "Salah tanggal", "--as", who)
    assert f"-> {status}" in out
    after = files(sop.repo)
    # the items exactly as before the step; a meeting's record stays as it was written
    assert {k: v for k, v in after.items() if not k.startswith("rapat/")} == before
    assert {k: v for k, v in after.items() if k.startswith("rapat/")} == records
    message = sop.repo.log("-1", "--format=%B")
    found = commits.trailers(message)
    assert found[commits.ACTION] == ["undo"]
    assert found[commits.ITEM] == ["satu", "dua"]
    assert found[commits.UNDOES] == [step_sha]
    role = "kepala" if by == "kepala" else found[commits.ROLE][0]
    assert found[commits.ROLE] == [role]
    assert "Salah tanggal" in message
    assert sop.repo.log("-1", "--format=%ae").strip() == who
    assert_clean(sop.repo)
    # and the work goes on: the step taken again, right this time
    take(sop)
    assert_clean(sop.repo)


def test_a_meeting_undone_then_held_again_establishes_clean(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    ok(sop.repo, "undo", "satu", "-m", "Tanggal rapat salah", "--as", PPID)
    sop.meeting("satu")
    sop.establish("satu")
    sop.publish("satu")
    assert_clean(sop.repo)


def test_history_shows_the_undo(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    ok(sop.repo, "undo", "satu", "-m", "Belum waktunya", "--as", KASUBBAG)
    assert "undo" in ok(sop.repo, "history", "satu")


# -- refusals -------------------------------------------------------------------------------


def test_another_officer_may_not_undo(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    err = refused(sop.repo, "undo", "satu", "-m", "Salah", "--as", SEKRETARIS)
    assert SEKRETARIS in err
    assert KASUBBAG in err


def test_the_author_who_lost_the_role_may_not_undo(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    config = sop.repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("unit: [sekretariat]", "unit: [program]"), encoding="utf-8")
    commit_all(sop.repo.path, "kasubbag umum pindah", KEPALA)
    refused(sop.repo, "undo", "satu", "-m", "Salah", "--as", KASUBBAG)


def test_a_step_with_a_later_step_is_not_undone_by_its_author(sop: Driver) -> None:
    sop.drive("diteruskan", "satu")
    err = refused(sop.repo, "undo", "satu", "-m", "Salah", "--as", KASUBBAG)
    assert "review" in err


@pytest.mark.parametrize("status", ["ditetapkan", "diunggah"])
def test_establish_and_publish_are_not_undone(sop: Driver, status: str) -> None:
    sop.drive(status, "satu")
    err = refused(sop.repo, "undo", "satu", "-m", "Salah", "--as", KEPALA)
    assert "dipctl revise satu" in err
    assert "dipctl withdraw satu" in err


def test_an_item_whose_latest_commit_is_not_a_step_is_not_undone(sop: Driver) -> None:
    sop.drive("draf", "satu")  # its latest commit: the kasubbag's filling-in, by hand
    refused(sop.repo, "undo", "satu", "-m", "Salah", "--as", KEPALA)
    sop.drive("diajukan", "dua")
    hand_edit(sop.repo.item(UNIT, "dua"), ringkasan="Dikoreksi sekretaris.")
    commit_all(sop.repo.path, "koreksi", SEKRETARIS)
    refused(sop.repo, "undo", "dua", "-m", "Salah", "--as", KASUBBAG)


def test_several_ids_are_undone_all_or_none(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    sop.drive("diteruskan", "dua")
    refused(sop.repo, "undo", "satu", "dua", "-m", "Salah", "--as", KASUBBAG)


def test_an_item_with_uncommitted_edits_is_not_undone(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    hand_edit(sop.repo.item(UNIT, "satu"), ringkasan="Belum di-commit.")
    result = sop.repo.run("undo", "satu", "-m", "Salah", "--as", KASUBBAG)
    assert result.exit_code == 3, result.stderr
    assert "Belum di-commit." in sop.repo.item(UNIT, "satu").read_text(encoding="utf-8")


def test_undo_needs_a_reason(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    assert sop.repo.run("undo", "satu", "--as", KASUBBAG).exit_code == 2


def test_a_refusal_in_english(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    result = sop.repo.run("undo", "satu", "-m", "x", "--as", KEPALA, "--lang", "en")
    assert result.exit_code == 3
    assert "after establishment" in result.stderr


# -- forged undos, made with plain git ------------------------------------------------------


def undo_trailers(role: str, undone: str, *items: str) -> str:
    return trailers("undo", role, *items) + f"\n{commits.UNDOES}: {undone}"


def restore(sop: Driver, rev: str, item: str = "satu") -> None:
    rel = f"register/informasi/{UNIT}/{item}.yaml"
    git(sop.repo.path, "checkout", rev, "--", rel)


def rules_on(repo: Repo, sha: str) -> set[str]:
    return {f["rule"] for f in findings(repo) if f["commit"] == sha}


def test_an_undo_that_changes_content_is_caught(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    step_sha = head(sop.repo)
    restore(sop, f"{step_sha}^")
    hand_edit(sop.repo.item(UNIT, "satu"), ringkasan="Diubah diam-diam.")
    sha = forge(sop.repo, KASUBBAG, "dip(undo): satu", undo_trailers("kasubbag", step_sha, "satu"))
    assert "undo" in rules_on(sop.repo, sha)


def test_an_undo_by_someone_else_is_caught(sop: Driver) -> None:
    sop.drive("diteruskan", "satu")
    step_sha = head(sop.repo)  # the sekretaris's review
    restore(sop, f"{step_sha}^")
    sha = forge(sop.repo, PPID, "dip(undo): satu", undo_trailers("sekretaris", step_sha, "satu"))
    assert {"undo", "role"} <= rules_on(sop.repo, sha)


def test_an_undo_naming_an_older_step_is_caught(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    submit_sha = head(sop.repo)
    sop.review("satu")
    restore(sop, f"{submit_sha}")  # back to diajukan, as the review's parent had it
    sha = forge(
        sop.repo, KASUBBAG, "dip(undo): satu", undo_trailers("kasubbag", submit_sha, "satu")
    )
    assert "undo" in rules_on(sop.repo, sha)


def test_an_undo_that_skips_back_two_steps_is_caught(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    submit_sha = head(sop.repo)
    sop.review("satu")
    review_sha = head(sop.repo)
    restore(sop, f"{submit_sha}^")  # draf: before the submit, two steps back
    sha = forge(
        sop.repo, SEKRETARIS, "dip(undo): satu", undo_trailers("sekretaris", review_sha, "satu")
    )
    assert {"undo", "transition"} <= rules_on(sop.repo, sha)


def test_an_undo_without_undoes_is_caught(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    restore(sop, "HEAD^")
    sha = forge(sop.repo, KASUBBAG, "dip(undo): satu", trailers("undo", "kasubbag", "satu"))
    assert "undo" in rules_on(sop.repo, sha)


def test_an_undo_of_an_establishment_is_caught(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    step_sha = head(sop.repo)
    restore(sop, f"{step_sha}^")
    sha = forge(sop.repo, KEPALA, "dip(undo): satu", undo_trailers("kepala", step_sha, "satu"))
    assert {"undo", "transition"} <= rules_on(sop.repo, sha)


def test_a_git_revert_of_a_step_stays_a_finding(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    step_sha = head(sop.repo)
    git(
        sop.repo.path,
        *("-c", "user.name=Kasubbag Umum", "-c", f"user.email={KASUBBAG}"),
        *("revert", "--no-edit", step_sha),
    )
    sha = head(sop.repo)
    found = [f for f in findings(sop.repo) if f["commit"] == sha]
    assert "undo" in {f["rule"] for f in found}
    assert any("dipctl undo" in f["message"] for f in found), found
    # a later sanctioned undo of something else does not clear it: the record stays
    sop.submit(UNIT, "satu")
    ok(sop.repo, "undo", "satu", "-m", "Salah lagi", "--as", KASUBBAG)
    assert "undo" in rules_on(sop.repo, sha)


def test_sla_names_the_undo_and_holds_it_to_no_mutu_baku(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    ok(sop.repo, "undo", "satu", "-m", "Tanggal rapat salah", "--as", PPID)
    result = sop.repo.run("sla", "--json")  # exit 1: the meeting's date is weeks before its record
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    undone = [s for s in doc["langkah"] if s["langkah"] == "undo"]
    assert [(s["dari"], s["ke"], s["mutu_baku"]) for s in undone] == [
        ("ditentukan", "diklasifikasi", None)
    ]
