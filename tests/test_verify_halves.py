"""`dipctl verify` on two cores (dipctl/proof/halves.py, issue 21): the newer half of the walk
judged in a forked process gives exactly what one process gives — the report in every
format, the exit code, the messages and the checkpoint, byte for byte — on a hostile
history, wherever the walk is cut, and when the forked process or its reading fails."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dipctl.proof import halves, judging, objects
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_verify import Driver, forge, hand_edit, head, list_signers

CHECKPOINT = Path(".git") / "dipctl" / "verify.pickle"


def hostile(sop: Driver) -> Repo:
    """Signed steps, a revoked key used afterwards, an item deleted and another rewritten as
    a list (a blob that is no mapping: one process counts it deleted), a forgery by hand and
    a stale branch merged back."""
    repo = sop.repo
    keys = list_signers(sop, KEPALA, SEKRETARIS, PPID, KASUBBAG)
    git(repo.path, "config", "gpg.format", "ssh")
    git(repo.path, "config", "commit.gpgsign", "true")
    git(repo.path, "config", "user.signingkey", str(keys[KASUBBAG]))
    for item in ("satu", "dua", "tiga"):
        sop.new(item)
    sop.submit("sekretariat", "satu", "dua")
    git(repo.path, "branch", "lama")
    (repo.item("sekretariat", "tiga")).write_text("- bukan\n- pemetaan\n", encoding="utf-8")
    forge(repo, KASUBBAG, "tiga: daftar")
    repo.item("sekretariat", "dua").unlink()
    forge(repo, KASUBBAG, "dua: hapus")
    sop.new("dua")  # the deleted id again
    git(repo.path, "config", "user.signingkey", str(keys[SEKRETARIS]))
    sop.review("satu")
    git(repo.path, "config", "user.signingkey", str(keys[KEPALA]))
    signers = repo.register / "penanda-tangan"
    signers.write_text(
        "".join(x for x in signers.read_text().splitlines(True) if KASUBBAG not in x)
    )
    commit_all(repo.path, "cabut kunci kasubbag", KEPALA)
    git(repo.path, "config", "user.signingkey", str(keys[KASUBBAG]))
    hand_edit(repo.item("sekretariat", "satu"), status="ditentukan")
    forge(repo, KASUBBAG, "satu: maju sendiri")
    git(repo.path, "checkout", "-q", "lama")
    sop.new("empat")
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "config", "user.signingkey", str(keys[KEPALA]))
    git(repo.path, "-c", f"user.email={KEPALA}", "merge", "-q", "--no-ff", "-m", "gabung", "lama")
    return repo


def verdict(repo: Repo, *formats: str) -> list[tuple[int, str, str, bytes]]:
    """Each format's exit code, output and messages, and the checkpoint the run wrote."""
    found = []
    for output in formats:
        (repo.path / CHECKPOINT).unlink(missing_ok=True)
        done = repo.run("verify", "--full", "--format", output)
        assert "Traceback" not in done.stderr
        found.append(
            (done.exit_code, done.stdout, done.stderr, (repo.path / CHECKPOINT).read_bytes())
        )
    return found


def test_both_halves_give_exactly_what_one_process_gives(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile(Driver(repo, tmp_path))
    commits = int(git(repo.path, "rev-list", "--count", "HEAD"))
    monkeypatch.setenv(halves.ENV, "0")
    one = verdict(repo, "json", "text", "github")
    assert one[0][0] == 1 and '"signature"' in one[0][1] and '"merge"' in one[0][1]
    assert '"id-reuse"' in one[0][1]
    monkeypatch.setenv(halves.ENV, "1")
    two = verdict(repo, "json", "text", "github")
    assert two == one
    cut = halves.middle
    for at in range(1, commits):  # every cut, before and after the blob that is no mapping
        monkeypatch.setattr(halves, "middle", lambda history, at=at: at)
        assert verdict(repo, "json") == one[:1], at
    monkeypatch.setattr(halves, "middle", cut)
    parent = os.getpid()

    def in_the_fork(real: Any) -> Any:
        def failing(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != parent:
                raise OSError("the forked process fails")
            return real(*args, **kwargs)

        return failing

    # the forked process cannot read its blobs, or fails while judging: judged here
    preload = objects.Objects.preload
    monkeypatch.setattr(objects.Objects, "preload", in_the_fork(preload))
    assert verdict(repo, "json") == one[:1]
    monkeypatch.setattr(objects.Objects, "preload", preload)
    monkeypatch.setattr(judging, "check", in_the_fork(judging.check))
    assert verdict(repo, "text") == one[1:2]
    assert head(repo)  # the repository untouched by any of it


def test_many_paths_of_one_folder_are_answered_as_git_answers_each(tmp_path: Path) -> None:
    """A presentation names thousands of items: their blobs at the parent are read from each
    unit folder's tree at once, and each answer is what git gives for the path alone (a file,
    a link, a subfolder, an absent name, a folder that is a file, a path with `.`)."""
    work = tmp_path / "r"
    folder = work / "register" / "informasi" / "umum"
    folder.mkdir(parents=True)
    for i in range(20):
        (folder / f"butir-{i:02}.yaml").write_text(f"id: butir-{i:02}\n", encoding="utf-8")
    (folder / "tautan.yaml").symlink_to("butir-00.yaml")
    (folder / "sub").mkdir()
    (folder / "sub" / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    (work / "register" / "berkas").write_text("bukan folder\n", encoding="utf-8")
    git(tmp_path, "init", "-q", str(work))
    git(work, "add", "-A")
    git(work, "-c", "user.email=a@b.c", "-c", "user.name=A", "commit", "-q", "-m", "satu")
    commit = git(work, "rev-parse", "HEAD").strip()
    base = "register/informasi/umum"
    names = [f"butir-{i:02}.yaml" for i in range(22)] + ["tautan.yaml", "sub", "sub/x.yaml"]
    wanted = [(commit, f"{base}/{n}") for n in names]
    wanted += [(commit, f"register/berkas/{i}.yaml") for i in range(20)]
    wanted += [(commit, f"register/./informasi/umum/butir-{i:02}.yaml") for i in range(20)]
    with objects.Objects(work) as alone:
        expected = {key: alone.blob_at(*key) for key in wanted}
    with objects.Objects(work) as listed:
        listed.prefetch(wanted)
        assert {key: listed.blob_at(*key) for key in wanted} == expected
    assert expected[(commit, f"{base}/butir-21.yaml")] is None
    assert expected[(commit, f"{base}/sub")] is not None
