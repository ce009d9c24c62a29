"""Issue 20.3: `dipctl clone` takes the branch that holds the register, whatever the server's
HEAD names, and when there is none says why (an empty repository, a default branch that
does not exist, branches without a register). Real bare repositories made with plain git,
as an agency's git server (or an admin who knows only `git init --bare`) leaves them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import KEPALA, SEKRETARIS, Repo, dipctl, git

if TYPE_CHECKING:
    from pathlib import Path


def bare(tmp_path: Path, name: str, head: str = "master") -> Path:
    """A plain bare repository whose HEAD names ``head`` (git's own default, unborn)."""
    server = tmp_path / name
    git(tmp_path, "init", "-q", "--bare", str(server))
    git(server, "symbolic-ref", "HEAD", f"refs/heads/{head}")
    return server


def test_clone_takes_the_registers_branch_whatever_the_servers_head_names(
    repo: Repo, tmp_path: Path
) -> None:
    server = bare(tmp_path, "dip.git")  # HEAD: master, which nobody pushes
    git(repo.path, "push", "-q", str(server), "main")
    # someone with push access adds a register of their own on a branch sorted first: main
    # is still taken, and the other is named, not silently used
    forged = tmp_path / "palsu"
    assert dipctl("init", forged, "--agency", "Palsu", "--head-name", "P", "--head-email",
                  "p@example.go.id", "--unsigned").exit_code == 0  # fmt: skip
    git(forged, "push", "-q", str(server), "main:aaa")
    made = dipctl("clone", str(server), tmp_path / "sekretaris", "--as", SEKRETARIS)
    assert made.exit_code == 0, made.stderr
    assert "cabang main diambil" in made.stderr
    assert "cabang bawaan server (master) tidak ada" in made.stderr
    assert "cabang lain yang juga berisi register: aaa;" in made.stderr
    clone = Repo(tmp_path / "sekretaris")
    assert made.stdout.strip() == str(clone.register)
    assert git(clone.path, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert git(clone.path, "rev-parse", "HEAD") == git(repo.path, "rev-parse", "HEAD")
    assert git(clone.path, "status", "--porcelain") == ""
    branches = git(clone.path, "branch", "--format=%(refname:short) %(upstream:short)")
    assert branches == "main origin/main\n"  # the only local branch, tracking the server's
    assert git(clone.path, "config", "user.email").strip() == SEKRETARIS
    # the officer works and shares as usual: a step, then sync pushes it to main
    assert clone.run("new", "--unit", "program", "--title", "Renstra", "--id", "renstra",
                     "--as", "kasubbag.program@dinas.example.go.id").exit_code == 0  # fmt: skip
    synced = clone.run("sync")
    assert synced.exit_code == 0, synced.stderr
    assert git(server, "rev-parse", "main") == git(clone.path, "rev-parse", "HEAD")
    assert clone.run("verify").exit_code == 0
    for word in ("commit", "clone", "refs/", "origin/", "gpg."):
        said = made.stderr.replace(str(tmp_path), "").replace("dipctl clone", "")  # a command
        assert word not in said, word

    # a second branch with a register: the server's default is taken, the other is named
    git(server, "symbolic-ref", "HEAD", "refs/heads/main")
    git(repo.path, "push", "-q", str(server), "main:arsip-2024")
    again = dipctl("clone", str(server), tmp_path / "kepala", "--lang", "en")
    assert again.exit_code == 0, again.stderr
    assert "took the branch" not in again.stderr  # the server's default holds the register
    assert "other branches that also hold a register: aaa, arsip-2024" in again.stderr
    assert "--branch NAME" in again.stderr
    chosen = dipctl("clone", str(server), tmp_path / "arsip", "--branch", "arsip-2024")
    assert chosen.exit_code == 0, chosen.stderr
    assert "main" in chosen.stderr  # the other branch with a register, named
    assert git(tmp_path / "arsip", "symbolic-ref", "--short", "HEAD").strip() == "arsip-2024"
    assert git(tmp_path / "arsip", "config", "branch.arsip-2024.merge").strip() == (
        "refs/heads/arsip-2024"
    )

    # --branch naming nothing there, or a branch without a register: refused, nothing left
    emptied = _commit_without_register(repo)
    git(repo.path, "push", "-q", str(server), f"{emptied}:refs/heads/catatan")
    (tmp_path / "kosong").mkdir()  # an empty folder given stays, empty
    for branch, said in (
        (
            "tidak-ada",
            "tidak punya cabang tidak-ada; cabang yang ada: aaa, arsip-2024, catatan, main",
        ),
        ("catatan", "cabang catatan repositori"),
    ):
        refused = dipctl("clone", str(server), tmp_path / "kosong", "--branch", branch)
        assert refused.exit_code == 4, refused.stderr
        assert said in refused.stderr
        assert "--branch" in refused.stderr  # the hint
        assert (tmp_path / "kosong").is_dir() and not any((tmp_path / "kosong").iterdir())
    for bad in ("--upload-pack=touch x", "-x", "a..b", "a b", "x\x1b[31m"):
        usage = dipctl("clone", str(server), tmp_path / "u", "--branch", bad)
        assert usage.exit_code == 2, (bad, usage.stderr)
        assert not (tmp_path / "u").exists()


def _commit_without_register(repo: Repo) -> str:
    """A commit on top of the register that deletes it all, as anyone with push access can."""
    tree = git(repo.path, "hash-object", "-t", "tree", "-w", "/dev/null").strip()
    parent = git(repo.path, "rev-parse", "HEAD").strip()
    return git(repo.path, "-c", "user.name=X", "-c", "user.email=x@example.go.id",
               "commit-tree", tree, "-p", parent, "-m", "hapus").strip()  # fmt: skip


def test_clone_names_the_real_cause_when_there_is_no_register(repo: Repo, tmp_path: Path) -> None:
    empty = bare(tmp_path, "kosong.git")
    nothing = dipctl("clone", str(empty), tmp_path / "a")
    assert nothing.exit_code == 4
    assert f"repositori {empty} kosong" in nothing.stderr
    assert "dipctl init FOLDER … --remote URL" in nothing.stderr
    assert not (tmp_path / "a").exists()

    # HEAD names master, which does not exist; the only branch holds something else
    other = bare(tmp_path, "lain.git")
    work = tmp_path / "lain"
    git(tmp_path, "init", "-q", "-b", "trunk", str(work))
    (work / "README").write_text("bukan register\n", encoding="utf-8")
    git(work, "add", "README")
    git(work, "-c", "user.name=A", "-c", "user.email=a@example.go.id", "commit", "-qm", "a")
    git(work, "push", "-q", str(other), "trunk")
    missing = dipctl("clone", str(other), tmp_path / "b")
    assert missing.exit_code == 4
    assert "cabang bawaan server (master) tidak ada" in missing.stderr
    assert "tidak satu pun cabang" in missing.stderr and "cabang yang ada: trunk" in missing.stderr
    assert "tidak berisi register (register/register.yaml)\n" not in missing.stderr
    assert not (tmp_path / "b").exists()
    en = dipctl("clone", str(other), tmp_path / "b", "--lang", "en")
    assert "the server's default branch (master) does not exist" in en.stderr

    # HEAD names trunk, which exists but holds no register either
    git(other, "symbolic-ref", "HEAD", "refs/heads/trunk")
    plain = dipctl("clone", str(other), tmp_path / "b")
    assert plain.exit_code == 4
    assert "tidak satu pun cabang repositori" in plain.stderr
    assert "bawaan" not in plain.stderr
    assert not (tmp_path / "b").exists()

    # a register pushed later to a branch with another name is found and taken
    git(repo.path, "push", "-q", str(other), "main:dip")
    found = dipctl("clone", str(other), tmp_path / "b", "--as", KEPALA)
    assert found.exit_code == 0, found.stderr
    assert "cabang dip diambil" in found.stderr
    assert "cabang bawaan server (trunk) tidak berisi register" in found.stderr
    assert (tmp_path / "b" / "register" / "register.yaml").is_file()
    assert not (tmp_path / "b" / "README").exists()
    assert git(tmp_path / "b", "branch", "--format=%(refname:short)").split() == ["dip"]
