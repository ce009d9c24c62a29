"""git's own files read and written without a git process (nor GitPython, whose import alone
costs a step a third of its time): where a repository is, what HEAD names, a loose blob;
and ``git init``.

Only what git documents as stable (gitrepository-layout): ``.git`` as a folder or a
``gitdir:`` file, ``commondir``, ``HEAD``, loose refs and ``packed-refs``, loose objects.
A repository whose refs are not files (``reftable``) answers None where a caller then asks
git itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.files import reason

if TYPE_CHECKING:
    from collections.abc import Mapping


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


def discover(start: Path) -> tuple[Path, Path] | None:
    """(top of the work tree, git directory) of the repository around ``start``."""
    path = Path(os.path.abspath(start))  # noqa: PTH100  (normalised, links not resolved)
    for folder in (path, *path.parents):
        candidate = folder / ".git"
        if candidate.is_dir():
            return folder, candidate
        if candidate.is_file():  # a linked work tree or submodule: "gitdir: <path>"
            text = candidate.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return folder, (folder / text.removeprefix("gitdir:").strip()).resolve()
    return None


def common_dir(git_dir: Path) -> Path:
    """Where the refs and objects a linked work tree shares with its main one live."""
    pointer = git_dir / "commondir"
    with contextlib.suppress(OSError):
        return (git_dir / pointer.read_text(encoding="utf-8").strip()).resolve()
    return git_dir


def files_refs(git_dir: Path) -> bool:
    """Whether the refs are plain files (not a reftable)."""
    return not (common_dir(git_dir) / "reftable").exists()


def head_ref(git_dir: Path) -> str | None:
    """The branch HEAD names (``refs/heads/main``), None when HEAD is detached."""
    try:
        text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text.removeprefix("ref:").strip() if text.startswith("ref:") else None


class AskGit(Exception):
    """What the files say is not plain enough: ask git itself."""


def head_commit(git_dir: Path) -> str | None:
    """HEAD's commit id, or None when its branch has no commit yet (an unborn branch);
    :class:`AskGit` when the files do not say it plainly (a reftable, a symbolic ref)."""
    common = common_dir(git_dir)
    try:
        text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise AskGit from exc
    if not files_refs(git_dir):
        raise AskGit
    if not text.startswith("ref:"):
        return _plain_id(text)
    ref = text.removeprefix("ref:").strip()
    for folder in (git_dir, common) if common != git_dir else (git_dir,):
        try:
            found = (folder / ref).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise AskGit from exc
        return _plain_id(found)
    with contextlib.suppress(FileNotFoundError):
        for line in (common / "packed-refs").read_text(encoding="utf-8").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and not line.startswith(("#", "^")):
                return _plain_id(sha)
    return None


def _plain_id(text: str) -> str:
    if len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text):
        return text
    raise AskGit


def write_blob(git_dir: Path, content: bytes) -> str:
    """Store ``content`` as a loose blob (as ``git hash-object -w`` does: a temp file in
    the object's folder, renamed; read-only); its id."""
    header = b"blob %d\0" % len(content)
    sha = hashlib.sha1(header + content).hexdigest()
    target = common_dir(git_dir) / "objects" / sha[:2] / sha[2:]
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix="tmp_obj_")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(zlib.compress(header + content))
        os.chmod(tmp, 0o444)  # noqa: PTH101
        os.replace(tmp, target)  # noqa: PTH105
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha
