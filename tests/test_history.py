"""Issue 10: ``dipctl verify`` (and ``sla``) refuse a history that git cannot show whole and
real, with exit 4, the reason and what to do; never "0 commits checked" and exit 0, and never
a finding blamed on an officer. See docs/security.md."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Repo, dipctl, git
from tests.test_verify import Driver


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def refused(repo: Repo, *words: str, command: str = "verify") -> None:
    result = repo.run(command, "--json")
    assert result.exit_code == 4, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def loose(repo: Repo, sha: str) -> Path:
    path = repo.path / ".git" / "objects" / sha[:2] / sha[2:]
    assert path.is_file(), "the test repository keeps its objects loose"
    return path


def test_a_missing_blob_is_refused_not_blamed(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    blob = git(sop.repo.path, "rev-parse", "HEAD:register/informasi/sekretariat/satu.yaml")
    loose(sop.repo, blob.strip()).unlink()
    refused(sop.repo, "git fetch --refetch")
    refused(sop.repo, command="sla")


def test_a_missing_tree_is_refused(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    tree = git(sop.repo.path, "rev-parse", "HEAD~1:register/informasi").strip()
    loose(sop.repo, tree).unlink()
    refused(sop.repo, "git fetch --refetch")


def test_a_grafted_history_is_refused(sop: Driver) -> None:
    sop.drive("diajukan", "satu")
    grafts = sop.repo.path / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(git(sop.repo.path, "rev-parse", "HEAD").strip() + "\n", encoding="utf-8")
    refused(sop.repo, "graft")


def test_a_register_that_was_never_committed_is_refused(repo: Repo, tmp_path: Path) -> None:
    other = tmp_path / "lain"
    shutil.copytree(repo.register, other / "register")
    git(tmp_path, "init", "-q", "-b", "main", str(other))
    (other / "README").write_text("bukan register\n", encoding="utf-8")
    git(other, "add", "README")
    git(other, "-c", "user.name=Kepala", "-c", "user.email=kepala@x.invalid", "commit", "-qm", "x")
    assert git(other, "ls-files") == "README\n"
    result = dipctl("verify", "--register", other / "register")
    assert result.exit_code == 4, (result.exit_code, result.stdout, result.stderr)
    assert "commit" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_repository_git_refuses_to_read_is_refused(sop: Driver) -> None:
    """As in CI, where the checkout belongs to another user and safe.directory is unset."""
    sop.drive("diajukan", "satu")
    path = sop.repo.path
    subprocess.run(["chown", "-R", "12345:12345", str(path)], check=True)
    try:
        refused(sop.repo, "safe.directory", "dubious")
    finally:
        subprocess.run(["chown", "-R", "0:0", str(path)], check=True)
    assert sop.repo.run("verify").exit_code == 0


def test_a_register_in_a_linked_work_tree_verifies_and_builds(sop: Driver) -> None:
    """A clone's second checkout (`git worktree add`) has a `.git` file, not a folder: the
    work tree is where that file is, not the git directory's parent."""
    sop.drive("diunggah", "satu")
    linked = sop.tmp / "kedua"
    git(sop.repo.path, "worktree", "add", "-q", str(linked), "-b", "kedua")
    for args in (("verify",), ("sla", "--json"), ("list", "--json")):
        result = dipctl(*args, "--register", linked / "register")
        main = dipctl(*args, "--register", sop.repo.register)
        # sla says 1 when a step ran late (the meeting here is dated weeks before its record)
        assert result.exit_code == main.exit_code, (args, result.stdout, result.stderr)
        assert result.exit_code in (0, 1) and result.stderr == main.stderr, (args, result.stderr)
        assert result.stdout == main.stdout, args
    result = dipctl("build", "--out", sop.tmp / "situs", "--register", linked / "register")
    assert result.exit_code == 0, result.stderr
    assert (sop.tmp / "situs" / "informasi" / "satu.html").is_file()
    result = dipctl(
        "submit", "tidak-ada", "--as", "kasubbag.umum@dinas.example.go.id",
        "--register", linked / "register",
    )  # fmt: skip
    assert result.exit_code == 4, result.stderr  # unknown item: found the register, not git
