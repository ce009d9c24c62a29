"""What a step asks of git before and beside its commit: ``git init``, where a repository
is, what HEAD names, and the blobs of a step's files, each from git itself in one process.

GitPython is not imported on a step's path: its import alone cost a step a third of its
time (95 ms at 10,000 items), while these questions are one ``git`` process each (a few
milliseconds). git's own formats (refs, packed refs, loose objects) are never read or
written here by hand: git answers for them, whatever its storage (reftable, SHA-256).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.files import reason

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def init(path: Path) -> None:
    """``git init`` of ``path`` with the branch ``main``."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["git", "init", "-q", "--initial-branch=main", str(path)],
            capture_output=True,
            check=False,
            env=c_locale(),
        )
    except OSError as exc:
        raise GitFailed("git.failed", command="git init", detail=reason(exc)) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise GitFailed("git.failed", command="git init", detail=detail)


def c_locale(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """git's messages in English, as dipctl quotes and reads them (as GitPython had it)."""
    return {**os.environ, **(env or {}), "LANGUAGE": "C", "LC_ALL": "C"}


def _ask(cwd: Path, *args: str, data: bytes = b"") -> str | None:
    """git's answer (stdout, stripped), None when git says no or cannot run."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=data, capture_output=True, check=False, env=c_locale()
        )
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def discover(start: Path) -> tuple[Path, Path, Path] | None:
    """(top of the work tree, git directory, common directory) of the repository around
    ``start``: the top as the path names it (links not resolved), the directories as git
    says; the common directory holds what a linked work tree shares with its main one."""
    found = locate(start)
    return None if found is None else found[:3]


#: :func:`locate`'s branch when git could not say it with the rest (an unborn branch).
UNASKED = ""


def locate(start: Path) -> tuple[Path, Path, Path, str | None] | None:
    """:func:`discover`, and the branch HEAD names (:func:`head_ref`: None when detached)
    from the same git process; :data:`UNASKED` when git cannot name it with the rest (on
    an unborn branch ``rev-parse`` refuses HEAD: then only the directories are asked)."""
    path = Path(os.path.abspath(start))  # noqa: PTH100  (normalised, links not resolved)
    top = next((f for f in (path, *path.parents) if (f / ".git").exists()), None)
    if top is None:
        return None
    dirs = ("rev-parse", "--absolute-git-dir", "--git-common-dir")
    found = _ask(top, *dirs, "--symbolic-full-name", "HEAD", "--")
    lines = found.splitlines() if found else []
    branch: str | None = UNASKED
    if len(lines) == 4 and lines[3] == "--":
        ref = lines.pop(2)
        branch = ref if ref.startswith("refs/") else None  # "HEAD": detached
        lines.pop()
    else:
        found = _ask(top, *dirs)
        lines = found.splitlines() if found else []
    if len(lines) != 2:
        return None
    git_dir, common = Path(lines[0]), Path(lines[1])
    return top, git_dir, common if common.is_absolute() else (top / common).resolve(), branch


def head_commit(work_tree: Path) -> str | None:
    """HEAD's commit id, None when its branch has no commit yet (or there is no git)."""
    return _ask(work_tree, "rev-parse", "-q", "--verify", "HEAD^{commit}") or None


def head_ref(work_tree: Path) -> str | None:
    """The branch HEAD names (``refs/heads/main``), None when HEAD is detached."""
    return _ask(work_tree, "symbolic-ref", "-q", "HEAD") or None


def write_blobs(work_tree: Path, git_dir: Path, contents: Sequence[bytes]) -> list[str]:
    """Store ``contents`` as blobs (``git hash-object -w``, no filters), all in one git
    process; their ids, in order."""
    if not contents:
        return []
    with tempfile.TemporaryDirectory(dir=git_dir, prefix="dipctl-blobs-") as tmp:
        paths = []
        for n, content in enumerate(contents):
            path = Path(tmp, str(n))
            path.write_bytes(content)
            paths.append(str(path))
        listed = ("\n".join(paths) + "\n").encode("utf-8")
        found = _ask(work_tree, "hash-object", "-w", "--no-filters", "--stdin-paths", data=listed)
    ids = found.split() if found else []
    if len(ids) != len(contents):
        raise GitFailed("git.failed", command="git hash-object", detail="-")
    return ids
