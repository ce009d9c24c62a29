"""Always recoverable (issue 11 point 2, docs/reliability.md): a step killed at any point, a
write that fails (disk full, read-only), a lock a dead git left behind: the next command
brings the register to exactly before or exactly after the step, with no manual repair."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from dipctl import files
from tests.conftest import KASUBBAG, KEPALA, SEKRETARIS, Repo, commit_all, git
from tests.test_sop import fill, ok

STEP = ("review", "satu", "dua", "--approve", "--as", SEKRETARIS)
ITEMS = ("satu", "dua")

# Every named point of a step (dipctl/files.py fault(), dipctl/gitrepo.py, sop/transaction.py);
# "#n" is the n-th time the point is reached; "=index-lock"/"=ref-lock" leave git's lock file
# behind as a git killed while holding it would.
KILL_POINTS = [
    "locked",
    "commit-start",
    "blobs-stored",
    "private-index",
    "commit-created",
    "atomic-write#1",
    "atomic-write#2",
    "atomic-write#3",
    "atomic-write#4",
    "atomic-renamed#1",
    "atomic-renamed#2",
    "atomic-renamed#3",
    "before-ref",
    "after-ref",
    "index-updated",
    "mid-files#1",
    "mid-files#2",
    "files-written",
    "before-ref=index-lock",
    "after-ref=index-lock",
    "mid-files#1=index-lock",
    "before-ref=ref-lock",
    "after-ref=ref-lock",
]
# Killed again while the next command recovers from a kill at after-ref.
RECOVERY_POINTS = [
    "recover-start",
    "index-updated",
    "mid-files#1",
    "atomic-write#1",
    "recover-files",
]
RANDOM_KILLS = 3


def cli(repo: Repo, *args: str, fault: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPCTL_TEST")}
    if fault:
        env["DIPCTL_TEST_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "dipctl", *args, "--register", str(repo.register)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def register_files(repo: Repo) -> dict[str, bytes]:
    return {
        p.relative_to(repo.path).as_posix(): p.read_bytes()
        for p in sorted(repo.register.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def forwarded(repo: Repo) -> Repo:
    for item_id in ITEMS:
        ok(repo, "new", "--unit", "sekretariat", "--title", item_id.title(), "--as", KASUBBAG)
        fill(repo, "sekretariat", item_id)
        ok(repo, "submit", item_id, "--as", KASUBBAG)
    return repo


def copy_of(base: Repo, dest: Path) -> Repo:
    shutil.copytree(base.path, dest, symlinks=True)
    return Repo(dest)


def assert_before_or_after(repo: Repo, before_head: str, before: dict[str, bytes]) -> str:
    """The next command (here `list --json`) recovered: exactly before, or exactly after."""
    listed = repo.run("list", "--json")
    assert listed.exit_code == 0, listed.stderr
    json.loads(listed.stdout)
    dot_git = repo.path / ".git"
    assert not (dot_git / "index.lock").exists()
    assert not (dot_git / "refs" / "heads" / "main.lock").exists()
    assert not (dot_git / "dipctl" / "journal.json").exists()
    assert not list(repo.register.rglob("*.tmp"))
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""
    head = repo.log("-1", "--format=%H").strip()
    statuses = {
        str(yaml.safe_load(repo.item("sekretariat", i).read_text())["status"]) for i in ITEMS
    }
    if head == before_head:
        assert register_files(repo) == before
        assert statuses == {"diajukan"}
        outcome = "before"
    else:
        assert repo.log("-1", "--format=%P").strip() == before_head
        assert repo.log("-1", "--format=%s").startswith("dip(review)")
        assert statuses == {"diteruskan"}
        outcome = "after"
    verified = repo.run("verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    if outcome == "before":  # and the step can simply be taken again, which also cleans
        ok(repo, *STEP)  # dipctl's private leftovers in .git/dipctl (no command reads them)
        assert not [p for p in (dot_git / "dipctl").iterdir() if p.name.startswith("index.")]
    return outcome


def test_a_step_killed_anywhere_is_recovered_to_before_or_after(
    forwarded: Repo, tmp_path: Path
) -> None:
    before_head = forwarded.log("-1", "--format=%H").strip()
    before = register_files(forwarded)
    outcomes: Counter[str] = Counter()
    killed_at: set[str] = set()  # the named points (and random delays) that did kill
    runs = [(p, "") for p in KILL_POINTS] + [("after-ref", p) for p in RECOVERY_POINTS]
    rng = random.Random(11)
    runs += [(f"random:{rng.uniform(0.3, 0.9):.3f}", "") for _ in range(RANDOM_KILLS)]
    repos = [copy_of(forwarded, tmp_path / f"run{n}") for n in range(len(runs))]

    def crash(n: int) -> list[str]:  # the subprocesses only, four at a time
        (point, then), repo, hit = runs[n], repos[n], []
        if point.startswith("random:"):
            proc = subprocess.Popen(
                [sys.executable, "-m", "dipctl", *STEP, "--register", str(repo.register)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(float(point.split(":")[1]))
            proc.kill()
            code = proc.wait()
        else:
            code = cli(repo, *STEP, fault=point).returncode
        assert code in (0, -9), (point, code)
        if code == -9:
            hit.append(point)
        if then:
            again = cli(repo, "list", "--json", fault=then)
            assert again.returncode in (0, -9), (then, again.stderr)
            if again.returncode == -9:
                hit.append(f"{point} then {then}")
        return hit

    with ThreadPoolExecutor(4) as pool:
        for hit in pool.map(crash, range(len(runs))):
            killed_at.update(hit)
    for repo in repos:  # the next command, in this process, recovers
        outcomes[assert_before_or_after(repo, before_head, before)] += 1
    named = {k for k in killed_at if not k.startswith("random:")}
    print(f"\ncrash runs: {len(runs)}, named kill points hit: {len(named)}, outcomes: {outcomes}")
    assert len(named) >= 20, sorted(killed_at)
    assert outcomes["before"] and outcomes["after"]


def test_a_write_that_fails_is_refused_or_finished_later(
    forwarded: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full or read-only at every write of the step: exit 4, never 5; before the branch
    moves nothing changed, after it the next command finishes the step."""
    before_head = forwarded.log("-1", "--format=%H").strip()
    before = register_files(forwarded)
    seen: Counter[str] = Counter()
    faults = [("enospc", nth) for nth in range(1, 5)] + [("erofs", 2), ("erofs", 3)]
    for action, nth in faults:
        repo = copy_of(forwarded, tmp_path / f"w{action}{nth}")
        monkeypatch.setattr(files, "_seen", {})
        monkeypatch.setenv("DIPCTL_TEST_FAULT", f"atomic-write#{nth}={action}")
        result = repo.run(*STEP)
        monkeypatch.delenv("DIPCTL_TEST_FAULT")
        assert result.exit_code in (0, 4), result.stderr
        if result.exit_code == 4:
            landed = repo.log("-1", "--format=%H").strip() != before_head
            if landed:  # names the file and what to do
                assert "dipctl status" in result.stderr and "register/" in result.stderr
            else:
                assert "tidak berubah" in result.stderr
                assert register_files(repo) == before
            seen["after-ref" if landed else "before-ref"] += 1
        assert_before_or_after(repo, before_head, before)
    assert seen["before-ref"] and seen["after-ref"], seen


def test_a_read_only_work_tree_file_is_finished_once_writable(
    forwarded: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file write fails after the branch moved (a read-only file): every later command
    says exit 4 with the file and the fix, none exit 5; once fixed, the next one finishes."""
    monkeypatch.setattr(files, "_seen", {})
    monkeypatch.setenv("DIPCTL_TEST_FAULT", "atomic-write#3=eacces")
    result = forwarded.run(*STEP)
    assert result.exit_code == 4, result.stderr
    assert "register/informasi/sekretariat/" in result.stderr
    assert "dipctl status" in result.stderr
    monkeypatch.setenv("DIPCTL_TEST_FAULT", "atomic-write#1=eacces")  # still read-only
    for args in (("list",), ("verify",), ("status",)):
        monkeypatch.setattr(files, "_seen", {})
        still = forwarded.run(*args)  # the next write fails as well: exit 4, the same advice
        assert still.exit_code == 4, still.stderr
        assert "dipctl status" in still.stderr
    monkeypatch.delenv("DIPCTL_TEST_FAULT")
    ok(forwarded, "status")
    assert {
        str(yaml.safe_load(forwarded.item("sekretariat", i).read_text())["status"]) for i in ITEMS
    } == {"diteruskan"}
    assert forwarded.run("verify").exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_before_anything_changes(forwarded: Repo) -> None:
    folder = forwarded.register / "informasi" / "sekretariat"
    before = register_files(forwarded)
    folder.chmod(0o555)
    try:
        result = forwarded.run(*STEP)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 4
    assert "informasi/sekretariat" in result.stderr
    assert register_files(forwarded) == before


def test_a_stale_index_lock_without_a_journal_goes_after_a_minute(forwarded: Repo) -> None:
    lock = forwarded.path / ".git" / "index.lock"
    lock.write_bytes(b"")
    listed = forwarded.run("list")  # a fresh one may be a live git's: left alone
    assert listed.exit_code == 0 and lock.exists()
    old = time.time() - 120
    os.utime(lock, (old, old))
    assert forwarded.run("list").exit_code == 0
    assert not lock.exists()
    ok(forwarded, *STEP)


def test_leftovers_of_dipctl_in_git_dir_are_cleaned(forwarded: Repo) -> None:
    private = forwarded.path / ".git" / "dipctl"
    (private / "index.999999999").write_bytes(b"x")
    (private / ".journal.json.abcd1234.tmp").write_bytes(b"{")
    ok(forwarded, *STEP)
    left = {p.name for p in private.iterdir()}  # caches only (*.pickle, their journals)
    assert all(name.endswith((".pickle", ".pickle.journal")) for name in left), left


# -- roles from the commit (issue 11 point 5) ---------------------------------------------


def test_an_uncommitted_role_grant_is_refused(forwarded: Repo) -> None:
    config = forwarded.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    marker = "    peran: [kasubbag]\n    unit: [sekretariat]\n"
    assert marker in text
    config.write_text(
        text.replace(marker, "    peran: [kasubbag, sekretaris]\n    unit: [sekretariat]\n"),
        encoding="utf-8",
    )
    result = forwarded.run("review", "satu", "--approve", "--as", KASUBBAG)
    assert result.exit_code == 3, result.stderr
    assert "orang" in result.stderr and "kepala" in result.stderr
    assert "diajukan" in forwarded.item("sekretariat", "satu").read_text()
    # committed by himself, the grant works in the work tree, but verify names it
    commit_all(forwarded.path, "peran tambahan", email=KASUBBAG)
    ok(forwarded, "review", "satu", "--approve", "--as", KASUBBAG)
    verified = forwarded.run("verify")
    assert verified.exit_code == 1
    assert "orang" in verified.stdout + verified.stderr


def test_an_uncommitted_signers_file_is_refused(forwarded: Repo) -> None:
    (forwarded.register / "penanda-tangan").write_text(f"{KEPALA} ssh-ed25519 AAAA\n")
    result = forwarded.run(*STEP)
    assert result.exit_code == 3
    assert "penanda-tangan" in result.stderr
