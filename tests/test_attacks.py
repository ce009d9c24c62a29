"""Issue 10: histories an attacker builds with plain git that ``dipctl verify`` must catch.

Each test builds a hostile history in a tmp register repository with the real commands
(as honest officers) and plain git (as the attacker), then asserts that
``dipctl verify --json`` exits 1 with the finding expected: its rule, the full sha of the
commit to blame, and the item ("" for a finding about a whole commit or a file that is not
an item). Honest variants next to them assert that verify stays clean.

Only the CLI and git are used here (no dipctl module is imported), so that the tests
survive the package being restructured. Tests marked ``xfail(strict=True)`` show a hole
that verify has today; the fix turns them into passes (and strict xfail into a failure
that asks for the marker to be removed). See docs/security.md for the threat model.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    dipctl,
    git,
)
from tests.test_verify import (
    OUTSIDER,
    Driver,
    forge,
    grant,
    hand_edit,
    head,
    keygen,
    list_signers,
    ok,
    signed_commit,
    trailers,
)

NEW_KASUBBAG = "kasubbag.baru@dinas.example.go.id"
WITHDRAW = ("--number", "188.44/90/2026", "--date", "2026-12-01", "-m", "Tidak berlaku")


def hole(what: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 10: {what}")


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


# -- helpers -------------------------------------------------------------------------------


def who_args(who: str) -> tuple[str, ...]:
    return ("-c", f"user.name=Nama {who.split('@')[0]}", "-c", f"user.email={who}")


def merge(repo: Repo, who: str, *args: str) -> str:
    """``git merge`` as ``who``; a merge that stops (conflicts, --no-commit) is left for the
    caller to finish with :func:`forge`."""
    done = subprocess.run(
        ["git", "-C", str(repo.path), *who_args(who), "merge", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return head(repo)


def accept_merges(repo: Repo) -> str:
    """The kepala accepts the history so far as it was made, merges included: `riwayat:
    {linear_sejak: HEAD}` (SPEC.md section 4, "One chain"); merges up to there are judged by
    the rules of a history with merges, any later merge is a `merge` finding."""
    sha = head(repo)
    config = repo.register / "register.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"riwayat:\n  linear_sejak: {sha}\n", "utf-8"
    )
    commit_all(repo.path, "riwayat: merge sebelum ini diterima", KEPALA)
    return sha


def linear_finding(repo: Repo, merge_sha: str) -> None:
    """Without `linear_sejak` a merge is a finding of its own, whatever it carries."""
    found_as(repo, {"merge"}, merge_sha, "", rel(repo, repo.register / "register.yaml"))


def is_merge(repo: Repo, rev: str = "HEAD") -> bool:
    return len(git(repo.path, "log", "-1", "--format=%P", rev).split()) == 2


def found_as(repo: Repo, rules: set[str], commit: str, item: str, path: str = "") -> None:
    """verify exits 1 with a finding of one of ``rules`` on ``commit`` and ``item``."""
    result = repo.run("verify", "--json")
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    found = json.loads(result.stdout)
    hits = [
        f
        for f in found
        if f["rule"] in rules and f["commit"] == commit and f["item"] == item
        if not path or f["path"] == path
    ]
    assert hits, (rules, commit, item, path, found)


def clean(repo: Repo) -> None:
    result = repo.run("verify", "--json")
    assert (result.exit_code, json.loads(result.stdout or "null")) == (0, []), (
        result.stdout,
        result.stderr,
    )


def rel(repo: Repo, path: Path) -> str:
    return path.relative_to(repo.path).as_posix()


def only(folder: Path) -> Path:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files
    return files[0]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def without_person(repo: Repo, email: str) -> None:
    """Remove one person's block from ``orang`` (not committed)."""
    config = repo.register / "register.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"email: {email}") - 1
    end = at + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    config.write_text("".join(lines[:at] + lines[end:]), encoding="utf-8")


def with_new_kasubbag(repo: Repo) -> None:
    replace_in(
        repo.register / "register.yaml",
        "orang:\n",
        f"orang:\n  - nama: Kasubbag Baru\n    email: {NEW_KASUBBAG}\n"
        "    jabatan: Kepala Subbagian Umum\n    peran: [kasubbag]\n    unit: [sekretariat]\n",
    )


def move(sop: Driver, item_id: str, unit: str = "sekretariat", *, to: str) -> None:
    """Carry an existing item forward with the real commands up to ``to``."""
    steps = {
        "diajukan": lambda: sop.submit(unit, item_id),
        "diteruskan": lambda: sop.review(item_id),
        "diklasifikasi": lambda: sop.classify("berkala", item_id),
        "ditentukan": lambda: sop.meeting(item_id),
        "ditetapkan": lambda: sop.establish(item_id),
        "diunggah": lambda: sop.publish(item_id),
    }
    for status, step in steps.items():
        step()
        if status == to:
            return


# -- 1. a forged trust root ----------------------------------------------------------------


def forged_orphan(sop: Driver, who: str, *paragraphs: str) -> str:
    """On an orphan branch ``palsu``: ``who`` made kepala, an item already diunggah, and the
    meeting and decree that list it; committed with ``paragraphs`` as message."""
    repo = sop.repo
    git(repo.path, "checkout", "-q", "--orphan", "palsu")
    config = repo.register / "register.yaml"
    if who == OUTSIDER:
        replace_in(config, f"email: {KEPALA}", f"email: {OUTSIDER}")
    else:
        grant(repo, who, "kepala")
    item = repo.item("sekretariat", "titipan")
    item.parent.mkdir(parents=True, exist_ok=True)
    item.write_text(
        "id: titipan\njudul: Informasi titipan\nringkasan: Titipan.\nunit: sekretariat\n"
        "penanggung_jawab: Sekretaris Dinas\nwaktu_pembuatan: '2026'\n"
        "tempat_pembuatan: Palangka Raya\nbentuk: [softcopy]\nretensi: 5 tahun\n"
        "kategori: berkala\nstatus: diunggah\nrapat: 2026-01-05-rapat\nkeputusan: sk-palsu\n",
        encoding="utf-8",
    )
    (repo.register / "rapat").mkdir(exist_ok=True)
    (repo.register / "rapat" / "2026-01-05-rapat.yaml").write_text(
        "id: 2026-01-05-rapat\ntanggal: '2026-01-05'\ntempat: Rumah\n"
        f"peserta: [{who}, {PPID}]\nhasil:\n  - informasi: titipan\n    keputusan: ditentukan\n"
        "penyimpanan:\n  softcopy: Laptop\n  hardcopy: Laci\n",
        encoding="utf-8",
    )
    (repo.register / "keputusan").mkdir(exist_ok=True)
    (repo.register / "keputusan" / "sk-palsu.yaml").write_text(
        "id: sk-palsu\njenis: penetapan\nnomor: 188.44/1/2026\ntanggal: '2026-01-06'\n"
        f"tentang: Daftar Informasi Publik\npenandatangan: {who}\ninformasi: [titipan]\n",
        encoding="utf-8",
    )
    sha = forge(repo, who, *paragraphs)
    assert git(repo.path, "log", "-1", "--format=%P").strip() == ""
    git(repo.path, "checkout", "-q", "main")
    return sha


INIT = ("dip(init): register DIP Dinas Contoh", "DIP-Action: init\nDIP-Role: kepala")


def test_a_forged_init_root_merged_with_unrelated_histories_is_root(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    orphan = forged_orphan(sop, OUTSIDER, *INIT)
    merged = merge(
        repo, OUTSIDER, "--allow-unrelated-histories", "-X", "theirs", "palsu", "-m", "x"
    )
    assert is_merge(repo, merged)
    assert f"email: {OUTSIDER}" in (repo.register / "register.yaml").read_text(encoding="utf-8")
    found_as(repo, {"root"}, orphan, "")


def test_a_forged_root_merged_by_a_kasubbag_with_a_signed_merge_is_root(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    keys = list_signers(sop, KEPALA, SEKRETARIS, PPID, KASUBBAG)
    orphan = forged_orphan(sop, KASUBBAG, *INIT)
    git(
        repo.path,
        *who_args(KASUBBAG),
        *("-c", "gpg.format=ssh", "-c", f"user.signingkey={keys[KASUBBAG]}"),
        *("merge", "-q", "-S", "--allow-unrelated-histories", "-X", "theirs", "palsu"),
        *("-m", "Merge branch 'palsu'"),
    )
    merged = head(repo)
    assert "gpgsig -----BEGIN SSH SIGNATURE-----" in git(repo.path, "cat-file", "-p", merged)
    found_as(repo, {"root"}, orphan, "")


def test_a_second_parentless_commit_without_trailers_is_root(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    orphan = forged_orphan(sop, KASUBBAG, "register lama dari repositori dinas")
    merge(repo, KASUBBAG, "--allow-unrelated-histories", "-X", "theirs", "palsu", "-m", "gabung")
    found_as(repo, {"root"}, orphan, "")


def test_the_init_commit_is_the_only_root_of_an_honest_register(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    assert len(git(sop.repo.path, "rev-list", "--max-parents=0", "HEAD").split()) == 1
    clean(sop.repo)


# -- 2. merges -----------------------------------------------------------------------------


def test_a_merge_of_an_old_branch_revives_a_withdrawn_item(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diunggah", "satu")
    git(repo.path, "checkout", "-q", "-b", "lama")
    sop.new("dua")  # honest work on the old branch
    git(repo.path, "checkout", "-q", "main")
    ok(repo, "withdraw", "satu", *WITHDRAW, "--as", KEPALA)
    merge(repo, PPID, "--no-ff", "--no-commit", "lama")
    git(repo.path, "checkout", "lama", "--", rel(repo, repo.item("sekretariat", "satu")))
    sha = forge(repo, PPID, "Merge branch 'lama'")
    assert is_merge(repo, sha)
    assert "status: diunggah" in repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    linear_finding(repo, sha)
    accept_merges(repo)
    found_as(repo, {"merge", "transition"}, sha, "satu")


def test_a_merge_replaces_a_published_item_with_an_old_draft(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "lama")
    hand_edit(repo.item("sekretariat", "satu"), judul="Judul draf lama")
    commit_all(repo.path, "satu: judul", KASUBBAG)  # honest: a kasubbag edits a draft
    git(repo.path, "checkout", "-q", "main")
    move(sop, "satu", to="diunggah")
    merge(repo, KASUBBAG, "--no-ff", "--no-commit", "lama")
    git(repo.path, "checkout", "lama", "--", rel(repo, repo.item("sekretariat", "satu")))
    sha = forge(repo, KASUBBAG, "Merge branch 'lama'")
    assert is_merge(repo, sha)
    assert "status: draf" in repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    linear_finding(repo, sha)
    accept_merges(repo)
    found_as(repo, {"merge", "transition"}, sha, "satu")


def merge_people_branch(sop: Driver, change: str) -> str:
    """A kepala changes ``orang`` on a branch while work goes on on main; merged by him."""
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "orang")
    if change == "remove":
        without_person(repo, KASUBBAG)
    else:
        with_new_kasubbag(repo)
    commit_all(repo.path, "orang: mutasi kasubbag umum", KEPALA)
    git(repo.path, "checkout", "-q", "main")
    sop.new("dua", "program")
    sha = merge(repo, KEPALA, "--no-ff", "orang", "-m", "Merge branch 'orang'")
    assert is_merge(repo, sha)
    return sha


def test_an_officer_removed_on_a_merged_branch_cannot_act_after_the_merge(sop: Driver) -> None:
    repo = sop.repo
    merge_people_branch(sop, "remove")
    assert KASUBBAG not in (repo.register / "register.yaml").read_text(encoding="utf-8")
    refused = repo.run("submit", "satu", "--as", KASUBBAG)
    assert refused.exit_code == 3  # the CLI reads the merged register.yaml ...
    hand_edit(repo.item("sekretariat", "satu"), status="diajukan")
    sha = forge(
        repo, KASUBBAG, "dip(submit): satu draf -> diajukan", trailers("submit", "kasubbag", "satu")
    )
    found_as(repo, {"role"}, sha, "satu")  # ... and so must verify


def test_an_officer_added_on_a_merged_branch_may_act_after_the_merge(sop: Driver) -> None:
    repo = sop.repo
    linear_finding(repo, merge_people_branch(sop, "add"))
    accept_merges(repo)
    ok(repo, *("new", "--unit", "sekretariat", "--title", "Informasi tiga", "--id", "tiga"),
       "--as", NEW_KASUBBAG)  # fmt: skip
    ok(repo, "submit", "satu", "--as", NEW_KASUBBAG)
    clean(repo)


def test_an_honest_merge_of_two_branches_with_steps_on_each_is_clean(sop: Driver) -> None:
    """Steps on both sides, a meeting and a decree made on a branch and merged in, and work
    on the merged items afterwards: none of it is a finding (the new merge, decree and
    meeting-record checks must not fire on what a merge only carries over)."""
    repo = sop.repo
    sop.drive("diajukan", "satu")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.drive("ditetapkan", "dua", unit="program")
    sop.drive("diteruskan", "tiga", unit="program")
    git(repo.path, "checkout", "-q", "main")
    sop.review("satu")
    sop.classify("berkala", "satu")
    assert is_merge(repo, merge(repo, KEPALA, "--no-ff", "program", "-m", "Gabung program"))
    accept_merges(repo)
    sop.classify("setiap-saat", "tiga")
    sop.meeting("satu", "tiga")
    sop.establish("satu", "tiga")
    sop.publish("dua", "satu", "tiga")
    clean(repo)


def test_a_merge_that_smuggles_an_edit_to_an_established_judul(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "satu")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.submit("program", "dua")
    git(repo.path, "checkout", "-q", "main")
    sop.new("tiga")
    merge(repo, SEKRETARIS, "--no-ff", "--no-commit", "program")
    hand_edit(repo.item("sekretariat", "satu"), judul="Judul yang diselundupkan")
    sha = forge(repo, SEKRETARIS, "Merge branch 'program'")
    assert is_merge(repo, sha)
    linear_finding(repo, sha)
    found_as(repo, {"edit"}, sha, "satu")  # judged as a change from the first parent, too
    accept_merges(repo)
    found_as(repo, {"edit", "merge"}, sha, "satu")


def test_merges_of_steps_on_the_same_item_on_both_sides_are_clean(sop: Driver) -> None:
    """One side advances an item that the other side moved before: merged back and forth,
    each merge takes the newer state, including merges where one side has no change."""
    repo = sop.repo
    sop.drive("diajukan", "satu")
    git(repo.path, "branch", "ppid")
    sop.review("satu")
    git(repo.path, "checkout", "-q", "ppid")
    assert is_merge(repo, merge(repo, PPID, "--no-ff", "main", "-m", "Merge main"))
    sop.classify("berkala", "satu")
    sop.meeting("satu")
    git(repo.path, "checkout", "-q", "main")
    sop.new("dua")
    assert is_merge(repo, merge(repo, KEPALA, "--no-ff", "ppid", "-m", "Merge ppid"))
    sop.establish("satu")
    git(repo.path, "checkout", "-q", "ppid")
    assert is_merge(repo, merge(repo, PPID, "--no-ff", "main", "-m", "Merge main lagi"))
    sop.publish("satu")
    git(repo.path, "checkout", "-q", "main")
    assert is_merge(repo, merge(repo, KEPALA, "--no-ff", "ppid", "-m", "Merge ppid lagi"))
    assert "status: diunggah" in repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    accept_merges(repo)
    clean(repo)


def test_a_git_pull_that_takes_another_officers_step_whole_is_clean(sop: Driver) -> None:
    """An officer's clone: the kasubbag's own step locally, the sekretaris's step on the
    remote; `git pull` merges them as the kasubbag, who could not take the review."""
    repo = sop.repo
    sop.drive("diajukan", "satu")
    sop.new("dua")
    git(repo.path, "checkout", "-q", "-b", "origin-main")
    sop.review("satu")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "dua")
    assert is_merge(repo, merge(repo, KASUBBAG, "origin-main", "-m", "Merge origin/main"))
    assert "status: diteruskan" in repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    accept_merges(repo)
    sop.review("dua")
    clean(repo)


def test_a_criss_cross_merge_is_clean(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "b")
    sop.submit("program", "dua")
    git(repo.path, "checkout", "-q", "main")
    sop.review("satu")
    main_tip = head(repo)
    git(repo.path, "checkout", "-q", "b")
    b_tip = head(repo)
    assert is_merge(repo, merge(repo, KASUBBAG_PROGRAM, "--no-ff", main_tip, "-m", "b+main"))
    sop.review("dua")
    git(repo.path, "checkout", "-q", "main")
    assert is_merge(repo, merge(repo, SEKRETARIS, "--no-ff", b_tip, "-m", "main+b"))
    sop.classify("berkala", "satu")
    assert is_merge(repo, merge(repo, KEPALA, "--no-ff", "b", "-m", "criss-cross"))
    assert len(git(repo.path, "merge-base", "--all", "HEAD^1", "HEAD^2").split()) == 2
    accept_merges(repo)
    sop.classify("berkala", "dua")
    clean(repo)


def test_an_octopus_merge_of_honest_branches_is_clean(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    sop.new("dua", "program")
    for branch, work in (
        ("x", lambda: sop.review("satu")),
        ("y", lambda: sop.submit("program", "dua")),
    ):
        git(repo.path, "checkout", "-q", "-b", branch, "main")
        work()
    git(repo.path, "checkout", "-q", "main")
    sop.new("tiga")
    merge(repo, KEPALA, "x", "y", "-m", "octopus")
    assert len(git(repo.path, "log", "-1", "--format=%P").split()) == 3
    linear_finding(repo, head(repo))
    accept_merges(repo)
    sop.review("dua")
    clean(repo)


def test_an_octopus_merge_that_takes_an_old_draft_is_merge(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "lama")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "lain", "main")
    sop.new("tiga")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "satu")
    merge(repo, KASUBBAG, "--no-commit", "lama", "lain")
    git(repo.path, "checkout", "lama", "--", rel(repo, repo.item("sekretariat", "satu")))
    sha = forge(repo, KASUBBAG, "octopus")
    assert len(git(repo.path, "log", "-1", "--format=%P").split()) == 3
    linear_finding(repo, sha)
    accept_merges(repo)
    found_as(repo, {"merge"}, sha, "satu")


def test_a_merge_that_revives_a_removed_officer_is_merge(sop: Driver) -> None:
    """register.yaml taken whole from a branch from before the kepala removed someone."""
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "lama")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "main")
    without_person(repo, KASUBBAG)
    commit_all(repo.path, "orang: kasubbag umum pindah", KEPALA)
    merge(repo, KASUBBAG_PROGRAM, "--no-ff", "--no-commit", "lama")
    git(repo.path, "checkout", "lama", "--", rel(repo, repo.register / "register.yaml"))
    sha = forge(repo, KASUBBAG_PROGRAM, "Merge branch 'lama'")
    linear_finding(repo, sha)
    accept_merges(repo)
    found_as(repo, {"merge"}, sha, "", rel(repo, repo.register / "register.yaml"))


def test_a_merge_that_resolves_a_draft_with_a_value_of_its_own_is_merge(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "b")
    hand_edit(repo.item("sekretariat", "satu"), judul="Judul cabang")
    commit_all(repo.path, "satu: judul", KASUBBAG)
    git(repo.path, "checkout", "-q", "main")
    hand_edit(repo.item("sekretariat", "satu"), retensi="10 tahun")
    commit_all(repo.path, "satu: retensi", KASUBBAG)
    merge(repo, KASUBBAG, "--no-ff", "--no-commit", "b")
    text = repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    assert "Judul cabang" in text and "10 tahun" in text  # both sides' fields: fine so far
    hand_edit(repo.item("sekretariat", "satu"), ringkasan="Ringkasan dari merge.")
    sha = forge(repo, KASUBBAG, "Merge branch 'b'")
    linear_finding(repo, sha)
    accept_merges(repo)
    found_as(repo, {"merge"}, sha, "satu")


# -- 3. files no rule guards ---------------------------------------------------------------


def test_an_outsider_changes_a_decree_number_and_date(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    decree = only(sop.repo.register / "keputusan")
    replace_in(decree, "nomor: 188.44/1/2026", "nomor: 188.44/77/2026")
    replace_in(decree, 'tanggal: "2026-11-26"', 'tanggal: "2026-10-01"')
    sha = forge(sop.repo, OUTSIDER, "keputusan: nomor diperbaiki")
    found_as(sop.repo, {"decree"}, sha, "", rel(sop.repo, decree))


def test_a_decree_file_is_deleted(sop: Driver) -> None:
    sop.drive("diunggah", "satu")
    decree = only(sop.repo.register / "keputusan")
    decree.unlink()
    sha = forge(sop.repo, PPID, "keputusan lama dihapus")
    found_as(sop.repo, {"decree"}, sha, "", rel(sop.repo, decree))


def test_a_decree_written_by_hand_outside_establish_or_withdraw(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    decree = sop.repo.register / "keputusan" / "sk-tambahan.yaml"
    decree.write_text(
        "id: sk-tambahan\njenis: penetapan\nnomor: 188.44/5/2026\ntanggal: '2026-11-27'\n"
        f"tentang: Daftar Informasi Publik\npenandatangan: {KEPALA}\ninformasi: [satu]\n",
        encoding="utf-8",
    )
    sha = forge(sop.repo, SEKRETARIS, "keputusan tambahan")
    found_as(sop.repo, {"decree"}, sha, "", rel(sop.repo, decree))


def test_a_kasubbag_changes_a_meeting_decision_after_establishment(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    record = only(sop.repo.register / "rapat")
    replace_in(record, "keputusan: ditentukan", "keputusan: dikembalikan")
    sha = forge(sop.repo, KASUBBAG, "rapat: hasil diperbaiki")
    found_as(sop.repo, {"meeting-record"}, sha, "", rel(sop.repo, record))


def test_a_meeting_record_is_deleted(sop: Driver) -> None:
    sop.drive("ditetapkan", "satu")
    record = only(sop.repo.register / "rapat")
    record.unlink()
    sha = forge(sop.repo, SEKRETARIS, "rapat dihapus")
    found_as(sop.repo, {"meeting-record"}, sha, "", rel(sop.repo, record))


SETTINGS = {
    "mutu_baku": ("  penetapan: 60 menit\n", "  penetapan: 30 hari\n"),
    "unit": ("unit:\n", "unit:\n  gudang:\n    nama: Gudang Arsip\n"),
    "badan_publik": ("  nama: Dinas Contoh\n", "  nama: Dinas Lain\n"),
    "dasar_hukum": ("dasar_hukum:\n", "dasar_hukum:\n  - Peraturan Kasubbag Nomor 1\n"),
    "situs": ("situs:\n", "situs:\n  base_url: https://dinas-palsu.example.com/\n"),
}


@pytest.mark.parametrize("section", sorted(SETTINGS))
def test_a_kasubbag_changes_a_register_setting(section: str, sop: Driver) -> None:
    sop.drive("draf", "satu")
    config = sop.repo.register / "register.yaml"
    replace_in(config, *SETTINGS[section])
    sha = forge(sop.repo, KASUBBAG, f"register: {section}")
    found_as(sop.repo, {"settings"}, sha, "", rel(sop.repo, config))


def test_a_kepala_changes_the_mutu_baku(sop: Driver) -> None:
    sop.drive("draf", "satu")
    replace_in(sop.repo.register / "register.yaml", *SETTINGS["mutu_baku"])
    forge(sop.repo, KEPALA, "register: mutu baku penetapan")
    clean(sop.repo)


def test_the_ppid_pembantu_changes_the_site_settings(sop: Driver) -> None:
    sop.drive("draf", "satu")
    replace_in(sop.repo.register / "register.yaml", *SETTINGS["situs"])
    forge(sop.repo, PPID, "register: alamat situs")
    clean(sop.repo)


def test_a_kasubbag_adds_a_site_template(sop: Driver) -> None:
    sop.drive("draf", "satu")
    template = sop.repo.register / "tema" / "templates" / "base.html"
    template.parent.mkdir(parents=True)
    template.write_text("<html><body>{% block main %}{% endblock %}</body></html>\n")
    sha = forge(sop.repo, KASUBBAG, "tema: tampilan baru")
    found_as(sop.repo, {"path"}, sha, "", rel(sop.repo, template))


def test_a_stray_file_in_the_register(sop: Driver) -> None:
    sop.drive("draf", "satu")
    notes = sop.repo.register / "notes.txt"
    notes.write_text("catatan pribadi\n", encoding="utf-8")
    sha = forge(sop.repo, SEKRETARIS, "catatan")
    found_as(sop.repo, {"path"}, sha, "", rel(sop.repo, notes))


def test_a_meeting_step_forged_by_a_kasubbag_writes_no_meeting_record(sop: Driver) -> None:
    sop.drive("diklasifikasi", "satu")
    record = sop.repo.register / "rapat" / "2026-11-20-rapat.yaml"
    record.write_text(
        f"id: 2026-11-20-rapat\ntanggal: '2026-11-20'\ntempat: Kantor\npeserta: [{PPID}]\n"
        "hasil:\n  - informasi: satu\n    keputusan: dikembalikan\n",
        encoding="utf-8",
    )
    claim = "DIP-Action: meeting\nDIP-Role: ppid_pembantu\nDIP-Meeting: 2026-11-20-rapat"
    sha = forge(sop.repo, KASUBBAG, "dip(meeting): rapat", claim)
    found_as(sop.repo, {"meeting-record"}, sha, "", rel(sop.repo, record))


def test_a_ppid_pembantu_adds_an_unknown_register_section(sop: Driver) -> None:
    sop.drive("draf", "satu")
    config = sop.repo.register / "register.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "kop:\n  logo: palsu.svg\n")
    sha = forge(sop.repo, PPID, "register: kop")
    found_as(sop.repo, {"settings"}, sha, "", rel(sop.repo, config))


def test_register_yaml_keys_that_are_not_text_are_a_finding_not_a_crash(sop: Driver) -> None:
    sop.drive("draf", "satu")
    config = sop.repo.register / "register.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "1: satu\n2026-01-01: dua\n")
    sha = forge(sop.repo, SEKRETARIS, "register: kunci aneh")
    found_as(sop.repo, {"settings"}, sha, "", rel(sop.repo, config))


def test_a_merge_of_two_owners_settings_changes_is_clean(sop: Driver) -> None:
    """The kepala changes the mutu baku on a branch, the PPID the site on main; a kasubbag
    merges them: register.yaml is new, but each section is one its owner wrote."""
    repo = sop.repo
    sop.drive("draf", "satu")
    git(repo.path, "checkout", "-q", "-b", "mutu")
    replace_in(repo.register / "register.yaml", *SETTINGS["mutu_baku"])
    forge(repo, KEPALA, "register: mutu baku")
    git(repo.path, "checkout", "-q", "main")
    replace_in(repo.register / "register.yaml", *SETTINGS["situs"])
    forge(repo, PPID, "register: situs")
    assert is_merge(repo, merge(repo, KASUBBAG, "--no-ff", "mutu", "-m", "Gabung mutu"))
    text = (repo.register / "register.yaml").read_text(encoding="utf-8")
    assert SETTINGS["mutu_baku"][1] in text and SETTINGS["situs"][1] in text
    accept_merges(repo)
    clean(repo)


def test_the_ppid_pembantu_changes_the_site_theme(sop: Driver) -> None:
    sop.drive("draf", "satu")
    static = sop.repo.register / "tema" / "static" / "dip.css"
    static.parent.mkdir(parents=True)
    static.write_text("body { font-size: 1.1rem; }\n", encoding="utf-8")
    forge(sop.repo, PPID, "tema: huruf lebih besar")
    clean(sop.repo)


@pytest.mark.parametrize(
    "name", ["informasi/satu.yaml", "informasi/sekretariat/satu.yml", "keputusan/sk-1.pdf",
             "tema/catatan.txt", "informasi.schema.json"],
)  # fmt: skip
def test_a_file_no_rule_owns_or_its_owner_did_not_write(name: str, sop: Driver) -> None:
    sop.drive("draf", "satu")
    path = sop.repo.register / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}\n", encoding="utf-8")
    sha = forge(sop.repo, KASUBBAG, f"tambah {name}")
    rule = "decree" if name.startswith("keputusan/") else "path"
    found_as(sop.repo, {rule}, sha, "", rel(sop.repo, path))


# -- 4. import -----------------------------------------------------------------------------


def forged_import(sop: Driver, *items: str) -> str:
    return forge(
        sop.repo,
        KEPALA,
        f"dip(import): impor DIP {len(items)} informasi, 800/12/PPID/2024",
        trailers("import", "kepala", *items),
    )


def test_an_import_that_edits_a_published_judul(sop: Driver) -> None:
    sop.drive("diunggah", "satu")
    hand_edit(sop.repo.item("sekretariat", "satu"), judul="Judul lewat impor")
    sha = forged_import(sop, "satu")
    found_as(sop.repo, {"import"}, sha, "satu")


def test_an_import_that_moves_another_units_draft_to_diunggah(sop: Driver) -> None:
    sop.drive("draf", "dua", unit="program")
    hand_edit(sop.repo.item("program", "dua"), kategori="berkala", status="diunggah")
    sha = forged_import(sop, "dua")
    found_as(sop.repo, {"import"}, sha, "dua")


def test_an_import_that_revives_a_withdrawn_item(sop: Driver) -> None:
    sop.drive("diunggah", "satu")
    ok(sop.repo, "withdraw", "satu", *WITHDRAW, "--as", KEPALA)
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diunggah")
    sha = forged_import(sop, "satu")
    found_as(sop.repo, {"import"}, sha, "satu")


CSV = """\ufeffNo;Judul Informasi;Ringkasan Informasi;Pejabat yang menguasai informasi;\
Penanggungjawab Pembuatan Informasi;Waktu Pembuatan/Penerbitan;Tempat;\
Bentuk Informasi yang Tersedia;Jangka Waktu Penyimpanan
;A. Informasi wajib diumumkan secara berkala;;;;;;;
1;Profil Dinas;Sejarah, tugas dan fungsi dinas;Sekretariat;Sekretaris Dinas;2023;\
Palangka Raya;Hard & Soft File;Selama Berlaku
;;;;;;;;
;C. Informasi yang wajib tersedia setiap saat;;;;;;;
2;Daftar Informasi Publik;DIP dinas;Sekretariat;PPID Pembantu;Desember 2024;\
Palangka Raya;Softcopy;1 tahun
"""


def test_an_honest_import_of_new_items_is_clean(sop: Driver) -> None:
    sop.drive("diunggah", "satu")
    sheet = sop.tmp / "dip.csv"
    sheet.write_text(CSV, encoding="utf-8")
    ok(sop.repo, "import", str(sheet), "--number", "800/12/PPID/2024", "--date", "2024-12-20",
       "--as", KEPALA)  # fmt: skip
    assert "DIP-Action: import" in sop.repo.log("-1", "--format=%B")
    sop.drive("diajukan", "dua")  # and the work goes on after it
    clean(sop.repo)


# -- 5. smaller holes ----------------------------------------------------------------------


def test_a_replace_ref_does_not_hide_a_forged_commit(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "satu")
    hand_edit(repo.item("sekretariat", "satu"), ringkasan="Diubah diam-diam.")
    bad = forge(repo, SEKRETARIS, "satu: perbaikan kecil")
    found_as(repo, {"edit"}, bad, "satu")
    good = git(
        repo.path, *who_args(SEKRETARIS), "commit-tree", f"{bad}~1^{{tree}}", "-p", f"{bad}~1",
        "-m", "satu: perbaikan kecil",
    ).strip()  # fmt: skip
    git(repo.path, "replace", bad, good)
    assert git(repo.path, "log", "-1", "--format=%H").strip() == bad  # names stay the same ...
    assert (
        git(repo.path, "log", "-1", "--format=%T").strip()
        != git(repo.path, "--no-replace-objects", "log", "-1", "--format=%T").strip()
    )  # ... but git shows the replacement's content
    found_as(repo, {"edit"}, bad, "satu")


def test_a_key_trusted_only_by_the_verifiers_git_config_does_not_count(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    list_signers(sop, KEPALA, SEKRETARIS, KASUBBAG)
    forged, public = keygen(sop.tmp, "kunci-ppid")
    allowed = sop.tmp / "allowed_signers_lokal"
    allowed.write_text(f'{SEKRETARIS} namespaces="git" {public}\n', encoding="utf-8")
    git(repo.path, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    sha = signed_commit(
        repo,
        PPID,
        forged,
        "dip(review): satu diajukan -> diteruskan",
        trailers("review", "sekretaris", "satu"),
        author=f"Sekretaris Dinas <{SEKRETARIS}>",
    )
    assert git(repo.path, "log", "-1", "--format=%G? %GS").strip() == f"G {SEKRETARIS}"
    found_as(repo, {"signature"}, sha, "")


@pytest.fixture
def gnupg(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A GnuPG home of the verifier's own (short path: gpg-agent's socket must fit)."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed")
    home = Path(f"/tmp/dipctl-gpg-{os.getpid()}-{tmp_path_factory.getbasetemp().name[-6:]}")
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], capture_output=True, check=False)
    shutil.rmtree(home, ignore_errors=True)


def test_a_gpg_signature_from_a_key_outside_penanda_tangan_does_not_count(
    sop: Driver, gnupg: Path
) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    list_signers(sop, KEPALA, SEKRETARIS, KASUBBAG)
    subprocess.run(
        ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", SEKRETARIS, "ed25519", "sign",
         "never"],
        check=True, capture_output=True,
    )  # fmt: skip
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    git(repo.path, "add", "-A")
    git(
        repo.path,
        *who_args(PPID),
        *("-c", "gpg.format=openpgp", "-c", f"user.signingkey={SEKRETARIS}"),
        *("commit", "-q", "-S", "--author", f"Sekretaris Dinas <{SEKRETARIS}>"),
        *("-m", "dip(review): satu diajukan -> diteruskan"),
        *("-m", trailers("review", "sekretaris", "satu")),
    )
    sha = head(repo)
    assert git(repo.path, "log", "-1", "--format=%G? %GS").strip() == f"G {SEKRETARIS}"
    found_as(repo, {"signature"}, sha, "")


def backdated_review(sop: Driver) -> str:
    sop.drive("diajukan", "satu")
    hand_edit(sop.repo.item("sekretariat", "satu"), status="diteruskan")
    git(sop.repo.path, "add", "-A")
    subprocess.run(
        ["git", "-C", str(sop.repo.path), *who_args(SEKRETARIS), "commit", "-q",
         "-m", "dip(review): satu diajukan -> diteruskan",
         "-m", trailers("review", "sekretaris", "satu")],
        check=True,
        env={**os.environ, "GIT_COMMITTER_DATE": "2020-01-01T08:00:00+07:00",
             "GIT_AUTHOR_DATE": "2020-01-01T08:00:00+07:00"},
    )  # fmt: skip
    return head(sop.repo)


def test_a_backdated_commit_is_date(sop: Driver) -> None:
    sha = backdated_review(sop)
    found_as(sop.repo, {"date"}, sha, "")


def test_sla_never_shows_a_negative_duration(sop: Driver) -> None:
    backdated_review(sop)
    result = sop.repo.run("sla", "--json")
    assert result.exit_code in (0, 1), result.stderr
    steps = json.loads(result.stdout)["langkah"]
    assert any(s["tanggal_mundur"] for s in steps), steps  # flagged, not measured
    assert all(s["detik"] is None or s["detik"] >= 0 for s in steps), steps


def test_verify_refuses_a_shallow_clone(sop: Driver, tmp_path: Path) -> None:
    sop.drive("diteruskan", "satu")
    clone = tmp_path / "dangkal"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{sop.repo.path}", str(clone))
    assert (clone / ".git" / "shallow").exists()
    result = dipctl("verify", "--json", "--register", clone / "register")
    assert result.exit_code == 4, (result.exit_code, result.stdout, result.stderr)
    assert "--unshallow" in result.stderr


SECRET_ID = "rahasia-zq9x"


def test_the_dik_does_not_publish_an_exempt_items_id(sop: Driver) -> None:
    sop.drive("ditetapkan", SECRET_ID, category="dikecualikan")
    site = sop.tmp / "situs"
    ok(sop.repo, "build", "--out", str(site))
    dik = {name: (site / name).read_text(encoding="utf-8") for name in
           ("dik.json", "dik.csv", "dik.html")}  # fmt: skip
    assert all(f"Informasi {SECRET_ID}" in text for text in dik.values())  # judul is public
    leaked = [name for name, text in dik.items() if SECRET_ID in text.replace(
        f"Informasi {SECRET_ID}", "")]  # fmt: skip
    assert leaked == []
