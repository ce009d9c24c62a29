"""git's command line for sharing: the upstream, fetch, push, and commits built without
touching the index or the work tree (a private index, ``commit-tree``); ``merge-tree
--write-tree`` only finds the files git cannot merge. Every failure becomes a
:class:`~dipctl.errors.GitFailed` sentence."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

#: Neither an editor, a pager nor a password prompt may wait for an officer who cannot see
#: it: a server that wants credentials fails at once with git's own words.
QUIET = {"GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_PAGER": "cat", "LC_ALL": "C"}


def run(
    work_tree: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str = "",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["git", *args],
        cwd=work_tree,
        input=stdin,
        env={**os.environ, **QUIET, **(env or {})},
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if check and done.returncode != 0:
        raise GitFailed(
            "git.failed", command="git " + " ".join(args[:2]), detail=detail(done.stderr)
        )
    return done


def detail(stderr: str) -> str:
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return " ".join(lines[-2:])[:300] or "-"


def rev(work_tree: Path, name: str) -> str | None:
    done = run(work_tree, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False)
    return done.stdout.strip() or None


@dataclass(frozen=True)
class Upstream:
    """The branch on the server that this clone's branch shares: ``origin``/``main``."""

    remote: str
    branch: str  # on the server: refs/heads/<branch>
    local: str  # this clone's branch

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.branch}"

    @property
    def name(self) -> str:
        return f"{self.remote}/{self.branch}"


def config(work_tree: Path, key: str) -> str:
    return run(work_tree, "config", "--get", key, check=False).stdout.strip()


def current_branch(work_tree: Path) -> str | None:
    done = run(work_tree, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return done.stdout.strip() or None


def upstream(work_tree: Path) -> Upstream | None:
    """The configured upstream of the current branch; else ``origin`` and the same branch
    name, when the clone has an ``origin`` (then tracking is set, for the next time)."""
    local = current_branch(work_tree)
    if local is None:
        return None
    remote = config(work_tree, f"branch.{local}.remote")
    merge = config(work_tree, f"branch.{local}.merge")
    if remote and remote != "." and merge.startswith("refs/heads/"):
        return Upstream(remote, merge.removeprefix("refs/heads/"), local)
    if config(work_tree, "remote.origin.url"):
        found = Upstream("origin", local, local)
        track(work_tree, found)
        return found
    return None


def track(work_tree: Path, up: Upstream) -> None:
    run(work_tree, "config", f"branch.{up.local}.remote", up.remote)
    run(work_tree, "config", f"branch.{up.local}.merge", f"refs/heads/{up.branch}")


def fetch(work_tree: Path, up: Upstream) -> str | None:
    """The server's branch, fetched into its remote-tracking ref; None while the server
    has no such branch yet (an empty repository)."""
    refspec = f"+refs/heads/{up.branch}:{up.tracking}"
    done = run(work_tree, "fetch", "--quiet", "--no-tags", up.remote, refspec, check=False)
    if done.returncode != 0:
        if "couldn't find remote ref" in done.stderr.lower():
            return None
        url = config(work_tree, f"remote.{up.remote}.url") or up.remote
        raise GitFailed("sync.fetch_failed", remote=url, detail=detail(done.stderr))
    return rev(work_tree, up.tracking)


def push(work_tree: Path, up: Upstream, sha: str) -> bool:
    """Push ``sha`` to the server's branch; False when the server moved meanwhile (a
    colleague pushed first: fetch and replay again). Never forced."""
    target = f"refs/heads/{up.branch}"
    done = run(work_tree, "push", "--porcelain", up.remote, f"{sha}:{target}", check=False)
    if done.returncode == 0:
        run(work_tree, "update-ref", "-m", "dipctl sync: push", up.tracking, sha)
        return True
    text = (done.stdout + done.stderr).lower()
    if any(w in text for w in ("[rejected]", "non-fast-forward", "fetch first", "cannot lock")):
        return False
    url = config(work_tree, f"remote.{up.remote}.url") or up.remote
    raise GitFailed("sync.push_failed", remote=url, detail=detail(done.stderr))


def merge_base(work_tree: Path, a: str, b: str) -> str | None:
    return run(work_tree, "merge-base", a, b, check=False).stdout.strip() or None


def is_ancestor(work_tree: Path, a: str, b: str) -> bool:
    return run(work_tree, "merge-base", "--is-ancestor", a, b, check=False).returncode == 0


def count(work_tree: Path, *revs: str) -> int:
    out = run(work_tree, "rev-list", "--count", *revs, check=False).stdout.strip()
    return int(out) if out.isdigit() else 0


def listed(work_tree: Path, *args: str) -> list[str]:
    return run(work_tree, *args).stdout.split()


def changed(work_tree: Path, a: str, b: str) -> set[str]:
    """The paths whose content differs between commits ``a`` and ``b``."""
    out = run(work_tree, "diff", "--name-only", "--no-renames", "-z", a, b).stdout
    return set(filter(None, out.split("\0")))


def merge_tree(work_tree: Path, ours: str, theirs: str) -> tuple[str, list[str]]:
    """The merged tree and the paths git could not merge (nothing on disk changes); sync
    only reads the paths (:mod:`.clash`), never commits the tree."""
    done = run(
        work_tree, "merge-tree", "--write-tree", "--no-messages", "--name-only", ours, theirs,
        check=False,
    )  # fmt: skip
    if done.returncode not in (0, 1):
        raise GitFailed("git.failed", command="git merge-tree", detail=detail(done.stderr))
    lines = done.stdout.splitlines()
    return lines[0].strip(), sorted({p for p in lines[1:] if p.strip()})


def tree_of(work_tree: Path, commit: str, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(mode, blob) of each of ``paths`` that ``commit`` has."""
    out = run(work_tree, "ls-tree", "-z", commit, "--", *paths).stdout if paths else ""
    found = {}
    for entry in filter(None, out.split("\0")):
        meta, _, rel = entry.partition("\t")
        mode, _, sha = meta.split(" ")
        found[rel] = (mode, sha)
    return found


def tree_entries(work_tree: Path, commit: str, paths: Sequence[str]) -> str:
    """``update-index --index-info`` lines giving ``paths`` their state in ``commit``."""
    found = tree_of(work_tree, commit, paths)
    return "".join(
        (f"{found[p][0]} {found[p][1]}\t{p}" if p in found else f"0 {'0' * 40}\t{p}") + "\n"
        for p in sorted(paths)
    )


def tree_with(git_dir: Path, work_tree: Path, base: str, entries: str) -> str:
    """The tree of commit ``base`` with ``entries`` applied, built in a private index."""
    private = git_dir / "dipctl" / f"sync-index.{os.getpid()}"
    private.parent.mkdir(parents=True, exist_ok=True)
    env = {"GIT_INDEX_FILE": str(private)}
    try:
        run(work_tree, "read-tree", base, env=env)
        if entries:
            run(work_tree, "update-index", "--index-info", env=env, stdin=entries)
        return run(work_tree, "write-tree", env=env).stdout.strip()
    finally:
        private.unlink(missing_ok=True)


def commit_tree(
    work_tree: Path,
    tree: str,
    parents: Sequence[str],
    message: str,
    identity: Mapping[str, str],
    sign: bool,
) -> str:
    args = ["commit-tree", *(["-S"] if sign else []), tree]
    for parent in parents:
        args += ["-p", parent]
    return run(work_tree, *args, "-F", "-", env=identity, stdin=message).stdout.strip()
