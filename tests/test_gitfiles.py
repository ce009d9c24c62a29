"""What a step asks of git before its commit (dipctl.gitfiles) is git's own answer: the
repository around a folder, HEAD from loose and packed refs, detached, unborn, in a linked
work tree; blobs written in one process as ``git hash-object`` would."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from dipctl import gitfiles
from dipctl.gitrepo import Repository
from tests.conftest import commit_all, git

if TYPE_CHECKING:
    from pathlib import Path


def test_head_and_blobs_as_git_sees_them(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    gitfiles.init(top)
    (top / "a" / "b").mkdir(parents=True)
    found = gitfiles.discover(top / "a" / "b")
    assert found == (top, top / ".git", top / ".git")
    assert gitfiles.head_commit(top) is None  # unborn
    unborn = gitfiles.locate(top)  # rev-parse refuses HEAD: asked again without it, later
    assert unborn == (top, top / ".git", top / ".git", gitfiles.UNASKED)
    assert Repository(top).ref_locks()[-1] == top / ".git" / "refs" / "heads" / "main.lock"
    (top / "x.txt").write_text("satu\n", encoding="utf-8")
    commit_all(top, "satu")
    head = git(top, "rev-parse", "HEAD").strip()
    assert gitfiles.head_commit(top) == head == Repository(top).head()
    git(top, "pack-refs", "--all")
    assert gitfiles.head_commit(top) == head  # from packed-refs
    (top / "HEAD").write_text("a file named HEAD\n", encoding="utf-8")  # not a revision
    assert gitfiles.locate(top) == (top, top / ".git", top / ".git", "refs/heads/main")
    git(top, "checkout", "-q", "--detach")
    assert gitfiles.head_ref(top) is None
    assert gitfiles.head_commit(top) == head
    assert gitfiles.locate(top) == (top, top / ".git", top / ".git", None)
    assert Repository(top).ref_locks() == [top / ".git" / "HEAD.lock"]
    git(top, "checkout", "-q", "main")
    assert gitfiles.head_ref(top) == "refs/heads/main"
    (top / "HEAD").unlink()

    linked = tmp_path / "linked"
    git(top, "worktree", "add", "-q", "-b", "other", str(linked))
    (linked / "y.txt").write_text("dua\n", encoding="utf-8")
    commit_all(linked, "dua")
    repo = Repository(linked)
    assert repo.work_tree == linked
    assert repo.head() == git(linked, "rev-parse", "HEAD").strip() != head
    assert repo.ref_locks()[-1] == top / ".git" / "refs" / "heads" / "other.lock"

    contents = [b"id: contoh\n\x00\xff", b"", b"dua\r\n"]
    ids = gitfiles.write_blobs(top, top / ".git", contents)
    for content, sha in zip(contents, ids, strict=True):
        hashed = subprocess.run(
            ["git", "-C", str(top), "hash-object", "--stdin", "--no-filters"],
            input=content,
            capture_output=True,
            check=True,
        )
        assert sha == hashed.stdout.decode().strip()
        assert git(top, "cat-file", "-t", sha).strip() == "blob"
    assert gitfiles.write_blobs(top, top / ".git", contents) == ids  # already there: kept
    assert not [p for p in (top / ".git").iterdir() if p.name.startswith("dipctl-blobs-")]
