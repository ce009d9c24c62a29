"""Git through its command line (via GitPython's ``repo.git``): the only GitPython user.

Every step is one commit that contains only the files the step changed, authored and
committed by the acting officer. Failures become :class:`GitFailed` with git's own words.
"""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import git

from dipctl.errors import GitFailed, LockHeld, NotARepository

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence


@dataclass(frozen=True)
class Actor:
    name: str
    email: str


def init(path: Path) -> None:
    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as exc:
        raise GitFailed("git.failed", command="git init", detail=_stderr(exc)) from exc


def _stderr(exc: git.GitCommandError) -> str:
    text = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
    return text.strip().removeprefix("stderr:").strip().strip("'").strip() or str(exc)


class Repository:
    """A work tree that holds a register."""

    def __init__(self, work_tree: Path) -> None:
        try:
            self._repo = git.Repo(work_tree, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
            raise NotARepository("git.not_a_repository", path=work_tree) from exc
        if self._repo.working_tree_dir is None:
            raise NotARepository("git.not_a_repository", path=work_tree)
        self.work_tree = Path(self._repo.working_tree_dir)
        self.git_dir = Path(self._repo.git_dir)

    def _git(self, *args: str, env: dict[str, str] | None = None) -> str:
        try:
            if env:
                with self._repo.git.custom_environment(**env):
                    return str(self._repo.git.execute(["git", *args]))
            return str(self._repo.git.execute(["git", *args]))
        except git.GitCommandError as exc:
            raise GitFailed(
                "git.failed", command="git " + " ".join(args[:2]), detail=_stderr(exc)
            ) from exc

    def config(self, key: str) -> str:
        try:
            return str(self._repo.git.config("--get", key)).strip()
        except git.GitCommandError:
            return ""

    def head(self) -> str | None:
        try:
            return self._repo.head.commit.hexsha
        except ValueError:
            return None

    def conflicted(self) -> list[str]:
        """Paths with unresolved merge conflicts (read from the index alone: no stat walk)."""
        out = self._git("ls-files", "--unmerged", "-z")
        return sorted({entry.split("\t", 1)[1] for entry in out.split("\0") if "\t" in entry})

    def changed(self, paths: Sequence[Path]) -> list[Path]:
        """Those of ``paths`` that differ from HEAD (staged, unstaged or untracked)."""
        if not paths:
            return []
        out = self._git(
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--",
            *(str(Path(p).absolute()) for p in paths),
        )
        names = {entry[3:] for entry in out.split("\0") if len(entry) > 3}
        return [
            p for p in paths if Path(p).absolute().relative_to(self.work_tree).as_posix() in names
        ]

    def commit_as(
        self,
        actor: Actor,
        paths: Sequence[Path],
        message: str,
        when: dt.datetime | None = None,
    ) -> str:
        """Commit exactly ``paths`` (added, changed or deleted) as ``actor``; returns the sha.

        Other staged or unstaged changes in the work tree are left as they were. If the
        commit fails, the paths are unstaged again and :class:`GitFailed` is raised.
        """
        env = {
            "GIT_AUTHOR_NAME": actor.name,
            "GIT_AUTHOR_EMAIL": actor.email,
            "GIT_COMMITTER_NAME": actor.name,
            "GIT_COMMITTER_EMAIL": actor.email,
        }
        if when is not None:
            stamp = when.isoformat()
            env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        names = [str(Path(p).absolute()) for p in paths]
        had_head = self.head() is not None
        self._git("add", "--all", "--", *names)
        try:
            self._git(
                "commit",
                "--quiet",
                "--no-verify",
                "--cleanup=verbatim",
                "-m",
                message,
                "--",
                *names,
                env=env,
            )
        except GitFailed:
            with contextlib.suppress(GitFailed):
                if had_head:
                    self._git("reset", "--quiet", "--", *names)
                else:
                    self._git("rm", "--cached", "--quiet", "-r", "--", *names)
            raise
        return self._repo.head.commit.hexsha

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold ``.git/dipctl.lock`` so that two dipctl processes never interleave steps."""
        path = self.git_dir / "dipctl.lock"
        for _ in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                break
            except FileExistsError:
                if not _stale(path):
                    raise LockHeld("git.lock_held", path=path) from None
                path.unlink(missing_ok=True)
        else:  # pragma: no cover - the stale lock came back between two tries
            raise LockHeld("git.lock_held", path=path)
        try:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            yield
        finally:
            path.unlink(missing_ok=True)


def _stale(path: Path) -> bool:
    """A lock whose process no longer runs (on this machine) may be taken over."""
    try:
        pid = int(path.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return False
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.ESRCH
    return False
