"""A step's commit made from its parent's tree (dipctl/gittree.py, issue 21): the same tree
git's own index would write; a commit that lands meanwhile is kept and the step refused;
whatever the officer staged or changed by hand stays theirs, and ``git status`` agrees."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from dipctl import gittree
from dipctl.gitrepo import Repository
from tests.conftest import KASUBBAG, Repo, commit_all, git
from tests.test_signing import keygen
from tests.test_sop import fill, ok


def _index_tree(top: Path, head: str | None, changes: dict[str, gittree.Entry | None]) -> str:
    """The tree git's own index writes: read-tree, update-index, write-tree."""
    env = {**os.environ, "GIT_INDEX_FILE": str(top / ".git" / "test-index")}
    if head is not None:
        subprocess.run(["git", "read-tree", head], cwd=top, env=env, check=True)
    else:
        subprocess.run(["git", "read-tree", "--empty"], cwd=top, env=env, check=True)
    lines = "".join(
        f"{e[0]} {e[2]}\t{rel}\n" if e else f"0 {'0' * 40}\t{rel}\n" for rel, e in changes.items()
    )
    subprocess.run(
        ["git", "update-index", "--index-info"], cwd=top, env=env, input=lines.encode(), check=True
    )
    done = subprocess.run(["git", "write-tree"], cwd=top, env=env, capture_output=True, check=True)
    Path(env["GIT_INDEX_FILE"]).unlink()
    return done.stdout.decode().strip()


def test_the_step_tree_is_the_tree_an_index_would_write(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    git(tmp_path, "init", "-q", "--initial-branch=main", str(top))

    def blob_of(text: str) -> gittree.Entry:
        done = subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=top,
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        return ("100644", "blob", done.stdout.decode().strip())

    # the first commit: no parent tree
    first = {"register/register.yaml": blob_of("a\n"), "README.md": blob_of("r\n")}
    assert gittree.step_tree(top, None, first) == _index_tree(top, None, dict(first))
    for rel in first:
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text("a\n" if "register" in rel else "r\n")
    for n in range(30):
        unit = f"bidang-{n % 3}"
        path = top / "register" / "informasi" / unit / f"item {n}-é.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"id: {n}\n")
    (top / "register" / "rapat" / "2026").mkdir(parents=True)
    (top / "register" / "rapat" / "2026" / "r1.yaml").write_text("r1\n")
    commit_all(top, "isi")
    head = git(top, "rev-parse", "HEAD").strip()
    cases: list[dict[str, gittree.Entry | None]] = [
        {"register/informasi/bidang-0/baru.yaml": blob_of("baru\n")},  # a new item
        {"register/informasi/bidang-1/item 1-é.yaml": blob_of("ubah\n")},  # an edit
        {"register/informasi/bidang-2/item 2-é.yaml": None},  # a deletion
        {"register/rapat/2026/r1.yaml": None},  # the folder empties: it goes, and its parent
        {"register/keputusan/k/1.yaml": blob_of("k\n"), "README.md": None},  # new folders
        {  # one step over several folders: a move and a decree
            "register/informasi/bidang-0/item 0-é.yaml": None,
            "register/informasi/bidang-1/item 0-é.yaml": blob_of("id: 0\n"),
            "register/keputusan/sk.yaml": blob_of("sk\n"),
            "register/register.yaml": blob_of("b\n"),
        },
        {"register/informasi/bidang-0/nope.yaml": None},  # deleting what is not there
    ]
    for changes in cases:
        assert gittree.step_tree(top, head, changes) == _index_tree(top, head, changes), changes
    with pytest.raises(Exception, match="mktree"):  # a blob that does not exist
        gittree.step_tree(top, head, {"x.yaml": ("100644", "blob", "1" * 40)})


def _racing_signer(repo: Repo, tmp_path: Path) -> tuple[Path, Path]:
    """Sign with ssh, and have another commit land (plain git) the first time a commit is
    signed: between the step reading HEAD and moving the branch."""
    key, public = keygen(tmp_path, KASUBBAG)
    allowed = tmp_path / "allowed"
    allowed.write_text(f'{KASUBBAG} namespaces="git" {public}\n', encoding="utf-8")
    mark = tmp_path / "raced"
    program = tmp_path / "racing-signer"
    program.write_text(
        "#!/bin/sh\n"
        f'if [ ! -e "{mark}" ]; then\n'
        f'  touch "{mark}"\n'
        "  unset GIT_INDEX_FILE GIT_DIR GIT_WORK_TREE\n"
        f'  echo lain > "{repo.path}/catatan-lain.txt"\n'
        f'  git -C "{repo.path}" add catatan-lain.txt\n'
        f'  git -C "{repo.path}" -c commit.gpgsign=false -c user.name=Lain'
        " -c user.email=lain@example.go.id commit -qm 'commit lain'\n"
        "fi\n"
        'exec ssh-keygen "$@"\n',
        encoding="utf-8",
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    git(repo.path, "config", "gpg.format", "ssh")
    git(repo.path, "config", "gpg.ssh.program", str(program))
    git(repo.path, "config", "user.signingkey", str(key))
    return allowed, mark


def test_a_commit_landing_mid_step_is_kept_and_the_step_refused(repo: Repo, tmp_path: Path) -> None:
    allowed, mark = _racing_signer(repo, tmp_path)
    before = git(repo.path, "rev-parse", "HEAD").strip()
    args = ("new", "--unit", "sekretariat", "--title", "Renja 2027", "--as", KASUBBAG)
    result = repo.run(*args)
    assert mark.exists()
    assert result.exit_code == 4, result.stderr  # an error, never a traceback (exit 5)
    assert "cabang berpindah" in result.stderr and "jalankan perintahnya lagi" in result.stderr
    assert repo.log("-1", "--format=%s %P").strip() == f"commit lain {before}"
    assert not repo.item("sekretariat", "renja-2027").exists()
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (repo.path / ".git" / "dipctl" / "journal.json").exists()
    assert repo.run("--lang", "en", *args).exit_code == 0  # taken again on top of it, signed
    shown = git(
        repo.path,
        "-c",
        f"gpg.ssh.allowedSignersFile={allowed}",
        "log",
        "-2",
        "--format=%s|%G?",
    ).split("\n")[:2]
    assert shown == ["dip(new): renja-2027 -> draf|G", "commit lain|N"]
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""
    assert not [p for p in (repo.path / ".git" / "dipctl").iterdir() if p.name.startswith("index")]


def test_a_moved_branch_message_in_english(repo: Repo, tmp_path: Path) -> None:
    _racing_signer(repo, tmp_path)
    args = ("new", "--unit", "sekretariat", "--title", "Renja", "--as", KASUBBAG, "--lang", "en")
    result = repo.run(*args)
    assert result.exit_code == 4
    assert "the branch moved" in result.stderr and "run the command again" in result.stderr


def test_the_officers_own_changes_stay_theirs_and_git_status_agrees(repo: Repo) -> None:
    ok(repo, "new", "--unit", "sekretariat", "--title", "Renja 2027", "--as", KASUBBAG)
    staged = repo.path / "catatan.txt"
    staged.write_text("disiapkan\n", encoding="utf-8")
    git(repo.path, "add", "catatan.txt")
    readme = repo.register / "register.schema.json"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # unstaged
    fill(repo, "sekretariat", "renja-2027")  # the hand edit the step commits
    result = repo.run("submit", "renja-2027", "--as", KASUBBAG)
    assert result.exit_code == 0, result.stderr
    files = git(repo.path, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["register/informasi/sekretariat/renja-2027.yaml"]
    assert git(repo.path, "diff", "--cached", "--name-only") == "catatan.txt\n"
    assert git(repo.path, "diff", "--name-only") == "register/register.schema.json\n"
    status = git(repo.path, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert status == ["A  catatan.txt", " M register/register.schema.json"]
    item = "register/informasi/sekretariat/renja-2027.yaml"
    staged_item = git(repo.path, "ls-files", "-s", item).split()[1]
    assert staged_item == git(repo.path, "rev-parse", f"HEAD:{item}").strip()
    repository = Repository(repo.path)
    assert repository.changed([repo.item("sekretariat", "renja-2027")]) == []


def _git_commands(trace: Path) -> list[str]:
    """The git commands a traced run started, in order (``GIT_TRACE``'s top-level lines)."""
    found = []
    for line in trace.read_text(encoding="utf-8").splitlines():
        _, marker, rest = line.partition("trace: built-in: git ")
        if marker:
            words = [w for w in rest.split() if not w.startswith("-")]
            found.append(words[0] if words else rest)
    trace.unlink()
    return found


def test_a_step_asks_git_each_question_once(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: a step's git processes (each a few milliseconds) are the questions and the
    commit it needs, none twice: the repository and its branch in one ``rev-parse``, the
    people at HEAD in one ``cat-file`` (no separate look at HEAD), HEAD under the lock for
    the compare-and-swap of ``update-ref``. A detached HEAD and an unborn branch are tested
    in tests/test_gitfiles.py; the bytes committed are the ones test_sop.py checks."""
    trace = tmp_path / "trace"

    def step(*args: str) -> list[str]:
        with monkeypatch.context() as env:
            env.setenv("GIT_TRACE", str(trace))
            result = repo.run(*args, "--as", KASUBBAG)
        assert result.exit_code == 0, result.stderr
        return _git_commands(trace)

    commit = ["config", "rev-parse", "hash-object", "ls-tree", "mktree", "commit-tree"]
    opened = ["rev-parse", "ls-files", "cat-file"]
    new = step("new", "--unit", "sekretariat", "--title", "Renja 2027")
    assert new == [*opened, *commit, "update-ref", "update-index"]
    fill(repo, "sekretariat", "renja-2027")
    hand_edits = ["status", "cat-file"]  # the filled-in file differs from HEAD's
    submit = step("submit", "renja-2027")
    assert submit == [*opened, *hand_edits, *commit, "update-ref", "update-index"]
    assert repo.log("-1", "--format=%s").strip() == "dip(submit): renja-2027 draf -> diajukan"
    assert git(repo.path, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_step_on_another_branch_or_a_detached_head_moves_only_that(repo: Repo) -> None:
    """The branch a step moves and whose stale lock it clears is the one HEAD names when the
    command starts (asked with the git directory): after the officer switches branch, a
    stale lock a killed git left on the new branch goes, and the old branch stays put; on
    a detached HEAD only HEAD moves."""
    from dipctl.files import STALE_GIT_LOCK_AGE

    main = git(repo.path, "rev-parse", "main").strip()
    git(repo.path, "checkout", "-q", "-b", "lain")
    lock = repo.path / ".git" / "refs" / "heads" / "lain.lock"
    lock.write_bytes(b"")
    old = lock.stat().st_mtime - STALE_GIT_LOCK_AGE - 60
    os.utime(lock, (old, old))
    ok(repo, "new", "--unit", "sekretariat", "--title", "Renja 2027", "--as", KASUBBAG)
    assert not lock.exists()
    assert git(repo.path, "rev-parse", "main").strip() == main
    lain = git(repo.path, "rev-parse", "lain").strip()
    assert (
        git(repo.path, "log", "-1", "--format=%s", "lain").strip() == "dip(new): renja-2027 -> draf"
    )
    git(repo.path, "checkout", "-q", "--detach")
    ok(repo, "new", "--unit", "sekretariat", "--title", "Renstra", "--as", KASUBBAG)
    assert git(repo.path, "rev-parse", "lain").strip() == lain
    assert git(repo.path, "rev-parse", "HEAD^").strip() == lain
    assert git(repo.path, "rev-parse", "--symbolic-full-name", "HEAD").strip() == "HEAD"
