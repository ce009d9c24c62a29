"""`dipctl verify` reads a long history with two `git log` at once (issue 21,
``dipctl.proof.replay._in_two``): the commits reachable from a commit halfway down the tip's
first-parent line, and the others. On a hostile history (a stale branch merged back, an
unrelated history merged in, a forgery), at every cut, the walk is the one that one
`git log` reads, and verify's report, exit code, messages and checkpoint are those of one
process; a history git cannot read whole is refused with the words one `git log` gives."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from dipctl.proof import halves, replay
from tests.conftest import KEPALA, Repo, commit_all, git
from tests.test_history import loose, refused
from tests.test_verify import Driver
from tests.test_verify_halves import hostile, verdict


def unrelated_history_merged(repo: Repo) -> None:
    """A parentless commit by hand (a second root) merged in beside the register's."""
    git(repo.path, "checkout", "-q", "--orphan", "asing")
    git(repo.path, "rm", "-rq", "--cached", ".")
    (repo.path / "catatan.txt").write_text("asing\n", encoding="utf-8")
    git(repo.path, "add", "catatan.txt")
    commit_all(repo.path, "akar lain", KEPALA)
    git(repo.path, "checkout", "-qf", "main")
    git(
        repo.path,
        "-c",
        f"user.email={KEPALA}",
        "merge",
        "-q",
        "--no-ff",
        "--allow-unrelated-histories",
        "-m",
        "gabung akar lain",
        "asing",
    )


def test_two_logs_read_what_one_reads_at_every_cut(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile(Driver(repo, tmp_path))
    unrelated_history_merged(repo)
    one = pickle.dumps(replay.walk(repo.path))
    steps = int(git(repo.path, "rev-list", "--first-parent", "--count", "HEAD"))
    for cut in range(steps):  # the tip itself .. the first commit: every commit on each side
        monkeypatch.setattr(replay, "halfway", lambda _steps, cut=cut: cut)
        assert pickle.dumps(replay.walk(repo.path, in_two=lambda _n: True)) == one, cut
    monkeypatch.undo()
    monkeypatch.setenv(halves.ENV, "0")
    alone = verdict(repo, "json", "text")
    assert alone[0][0] == 1 and '"root"' in alone[0][1] and '"merge"' in alone[0][1]
    monkeypatch.setenv(halves.ENV, "1")
    assert verdict(repo, "json", "text") == alone


@pytest.mark.parametrize("below", [0, 6])
def test_a_tree_missing_in_either_half_is_refused_as_one_log_refuses(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, below: int
) -> None:
    sop = Driver(repo, tmp_path)
    for item in ("satu", "dua", "tiga"):
        sop.new(item)
    sop.submit("sekretariat", "satu", "dua", "tiga")
    tree = git(repo.path, "rev-parse", f"HEAD~{below}:register/informasi").strip()
    loose(repo, tree).unlink()
    steps = int(git(repo.path, "rev-list", "--first-parent", "--count", "HEAD"))
    assert (below < replay.halfway(steps)) == (below == 0)  # newer half, older half
    assert replay._in_two(repo.path, "HEAD", lambda _n: True) is None  # one git failed
    said = []
    for split in ("0", "1"):
        monkeypatch.setenv(halves.ENV, split)
        refused(repo, "git fetch --refetch")
        done = repo.run("verify", "--json")
        said.append((done.exit_code, done.stdout, done.stderr))
    assert said[0] == said[1]
