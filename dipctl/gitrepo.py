"""Git through its command line (the questions asked before a step in :mod:`dipctl.gitfiles`).

Every step is one commit that contains only the files the step changed, authored and
committed by the acting officer. Failures become :class:`GitFailed` with git's own words.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl import gitfiles, gittree
from dipctl.errors import GitFailed, LockHeld, NotARepository, WriteFailed
from dipctl.files import (
    env_seconds,
    fault,
    flock_file,
    reason,
    release_lock,
    wait_gone,
    write_atomic,
)
from dipctl.gitfiles import c_locale
from dipctl.gitfiles import init as init  # re-exported: bootstrap's `git init`

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence


LOCK_WAIT = 10.0  # seconds a step waits for another step's .git/dipctl.lock
INDEX_WAIT = 2.0  # seconds a step waits for a live git's index.lock to go


@dataclass(frozen=True)
class Actor:
    name: str
    email: str


class Repository:
    """A work tree that holds a register."""

    def __init__(self, work_tree: Path) -> None:
        found = gitfiles.locate(work_tree) if Path(work_tree).exists() else None
        if found is None:
            raise NotARepository("git.not_a_repository", path=work_tree)
        self.work_tree, self.git_dir, self._common, self._branch = found

    def _git(self, *args: str, env: dict[str, str] | None = None) -> str:
        """git's output (one final newline removed), its messages in English."""
        return self._run(args, b"", c_locale(env)).removesuffix("\n")

    def can_sign(self) -> bool:
        """Whether the officer's git is set up to sign commits (``user.signingkey``)."""
        return bool(self.config("user.signingkey"))

    def config(self, key: str) -> str:
        try:
            return self._git("config", "--get", key).strip()
        except GitFailed:
            return ""

    def head(self) -> str | None:
        """HEAD's commit, None on an unborn branch."""
        return gitfiles.head_commit(self.work_tree)

    def conflicted(self) -> list[str]:
        """Paths with unresolved merge conflicts (read from the index alone: no stat walk)."""
        out = self._git("ls-files", "--unmerged", "-z")
        return sorted({entry.split("\t", 1)[1] for entry in out.split("\0") if "\t" in entry})

    def changed(self, paths: Sequence[Path]) -> list[Path]:
        """Those of ``paths`` that differ from HEAD (staged, unstaged or untracked)."""
        if not paths:
            return []
        out = self._git(
            *("--no-optional-locks", "-c", "core.preloadIndex=false"),  # no index write-back,
            "status",  # nor threads to stat the whole index ahead for a few paths
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

    def _plumb(
        self, args: Sequence[str], stdin: bytes = b"", env: dict[str, str] | None = None
    ) -> str:
        """A git command that reads ``stdin``; its output stripped."""
        return self._run(args, stdin, {**os.environ, **(env or {})}).strip()

    def _run(self, args: Sequence[str], stdin: bytes, env: Mapping[str, str]) -> str:
        command = "git " + " ".join(args[:2])
        try:
            done = subprocess.run(
                ["git", *args],
                input=stdin,
                cwd=self.work_tree,
                env=env,
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise GitFailed("git.failed", command=command, detail=reason(exc)) from exc
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
            raise GitFailed("git.failed", command=command, detail=detail)
        return done.stdout.decode("utf-8", "replace")

    def commit_files(
        self,
        actor: Actor,
        files: Mapping[Path, bytes | None],
        message: str,
        when: dt.datetime | None = None,
        sign: bool = False,
    ) -> str:
        """One commit holding exactly ``files`` (new contents; None deletes), as ``actor``,
        signed (``commit-tree -S``, the officer's ``user.signingkey``) when ``sign``.

        The commit's tree is HEAD's with only the changed folders written again
        (:mod:`dipctl.gittree`: neither the index nor the work tree is read), and the
        commit moves the branch with one compare-and-swap (``git update-ref``): a commit
        that landed meanwhile is kept, and this step refused. Only then are the real index
        and the work tree brought along. Killed or failing (disk full, read-only folder)
        before that, nothing has changed; after it, a journal in ``.git/dipctl/`` lets the
        next dipctl command finish the job (:meth:`recover`). Other staged or unstaged
        changes are never swept up. Call it holding :meth:`lock`.
        """
        self._wait_index_free()
        self._fault("commit-start")
        head = self.head()
        paths = {self._rel(p): content for p, content in files.items()}
        self._check_writable(paths)
        journal = self.journal
        try:
            ids = self._store_blobs(paths)
            entries = _index_info(paths, ids)
            self._fault("blobs-stored")
            changes = {r: ("100644", "blob", ids[r]) if r in ids else None for r in paths}
            tree = gittree.step_tree(
                self.work_tree, head, changes, lambda: self._fault("private-index")
            )
            parents = ["-p", head] if head is not None else []
            commit = self._plumb(
                ["commit-tree", *(["-S"] if sign else []), tree, *parents, "-F", "-"],
                message.encode("utf-8"),
                env=_identity(actor, when),
            )
            self._fault("commit-created")
            journal.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(journal, json.dumps({"commit": commit, "paths": sorted(paths)}).encode())
        except OSError as exc:
            raise WriteFailed(
                "write.before_ref",
                path=exc.filename or self.git_dir,
                reason=reason(exc),
            ) from exc
        self._fault("before-ref")
        try:
            self._plumb(
                ["update-ref", "-m", message.splitlines()[0], "HEAD", commit, head or "0" * 40]
            )
        except GitFailed:
            now = self.head()
            if now != commit:  # the branch did not move to this step: nothing to finish
                journal.unlink(missing_ok=True)
            if now not in (head, commit):  # another commit landed since HEAD was read
                moved = now[:12] if now else "-"
                raise GitFailed(
                    "git.branch_moved", commit=moved, hint="hint.branch_moved"
                ) from None
            raise
        self._fault("after-ref")
        self.checkout(commit, paths, entries)
        self._fault("files-written")
        journal.unlink(missing_ok=True)
        return commit

    @property
    def journal(self) -> Path:
        return self.git_dir / "dipctl" / "journal.json"

    def _rel(self, path: Path) -> str:
        return Path(path).absolute().relative_to(self.work_tree).as_posix()

    def _fault(self, point: str) -> None:
        """:func:`dipctl.files.fault`, plus the actions that leave one of git's locks behind
        (as a git killed while holding it would)."""
        action = fault(point)
        if action in ("index-lock", "ref-lock"):
            lock = self.git_dir / "index.lock" if action == "index-lock" else self.ref_locks()[-1]
            lock.write_bytes(b"")
            os.kill(os.getpid(), signal.SIGKILL)

    def _check_writable(self, paths: Mapping[str, bytes | None]) -> None:
        """Refuse, before anything changes, a step whose files sit in a read-only folder."""
        for rel in sorted(paths):
            folder = (self.work_tree / rel).parent
            while not folder.exists() and folder != self.work_tree:
                folder = folder.parent
            if not os.access(folder, os.W_OK | os.X_OK):
                reason = os.strerror(errno.EACCES)
                raise WriteFailed("write.before_ref", path=folder, reason=reason)

    def _store_blobs(self, paths: Mapping[str, bytes | None]) -> dict[str, str]:
        """Write the blobs of ``paths`` (one git process); their ids by path."""
        written = sorted((rel, c) for rel, c in paths.items() if c is not None)
        ids = gitfiles.write_blobs(self.work_tree, self.git_dir, [c for _, c in written])
        return dict(zip([rel for rel, _ in written], ids, strict=True))

    def checkout(self, commit: str, paths: Mapping[str, bytes | None], entries: bytes) -> None:
        """Bring the index and the files of ``paths`` to what ``commit`` holds; a file that
        cannot be written is :class:`WriteFailed` naming it (the journal stays)."""
        deadline = time.monotonic() + INDEX_WAIT
        while True:
            try:
                self._plumb(["update-index", "--index-info"], entries)
                break
            except GitFailed as exc:  # another git holds index.lock for a moment
                if (self.git_dir / "index.lock").exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise WriteFailed(
                    "write.after_ref",
                    commit=commit[:12],
                    path=self.git_dir / "index",
                    reason=str(exc.params.get("detail", "")),
                    hint="hint.finish_step",
                ) from exc
        self._fault("index-updated")
        for rel, content in sorted(paths.items()):
            target = self.work_tree / rel
            try:
                if content is None:
                    target.unlink(missing_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    write_atomic(target, content)
            except OSError as exc:
                raise WriteFailed(
                    "write.after_ref",
                    commit=commit[:12],
                    path=rel,
                    reason=reason(exc),
                    hint="hint.finish_step",
                ) from exc
            self._fault("mid-files")

    def ref_locks(self) -> list[Path]:
        """The lock files git takes to move HEAD: ``HEAD.lock`` and the branch's ``.lock``
        (the branch git named with the git directory: :func:`dipctl.gitfiles.locate`)."""
        locks = [self.git_dir / "HEAD.lock"]
        branch = self._branch  # refs/heads/main; None when detached
        branch = gitfiles.head_ref(self.work_tree) if branch == gitfiles.UNASKED else branch
        return locks if branch is None else [*locks, self._common / f"{branch}.lock"]

    def _wait_index_free(self) -> None:
        """Wait a moment for another git's ``index.lock`` to go; refuse if it stays."""
        if not wait_gone(self.git_dir / "index.lock", INDEX_WAIT):
            raise GitFailed(
                "git.index_locked", path=self.git_dir / "index.lock", hint="hint.index_locked"
            )

    def log_file(self, path: str, fmt: str) -> list[tuple[str, str]]:
        """``git log --follow`` of one file, newest first: (formatted record, path then).

        ``fmt`` must start with the record separator ``\\x1e``; each record is followed by
        a blank line and the file's name in that commit.
        """
        out = self._plumb(["log", "--follow", "--name-only", f"--format={fmt}", "--", path])
        found = []
        for chunk in filter(None, out.split("\x1e")):  # (str.strip eats a leading \x1e)
            record, _, name = chunk.rstrip("\n").rpartition("\n\n")
            found.append((record.rstrip("\n"), name.strip() or path))
        return found

    def log_path(self, path: str, fmt: str, rev: str) -> list[tuple[str, str]]:
        """``git log REV`` of every commit that changed the file ``path``, every branch of
        the history (``--full-history``; a merge when it differs from all its parents),
        newest first: (formatted record, git's status letters for the file); ``fmt`` starts
        with the record separator ``\\x1e``."""
        flags = ["--full-history", "--topo-order", "--no-renames", "--diff-merges=combined"]
        args = ["log", *flags, "--name-status", f"--format={fmt}", rev, "--", path]
        found = []
        for chunk in filter(None, self._plumb(args).split("\x1e")):
            record, _, names = chunk.rstrip("\n").rpartition("\n\n")
            listed = [n.split("\t", 1)[0] for n in names.splitlines() if "\t" in n]
            if record and listed:  # a merge equal to one of its parents lists none
                found.append((record.rstrip("\n"), listed[0]))
        return found

    def deleted_in(self, commit: str) -> list[str]:
        """The files ``commit`` deleted (against its first parent)."""
        args = ["diff-tree", "-r", "--no-commit-id", "--name-only", "--diff-filter=D", commit]
        return [line for line in self._plumb(args).splitlines() if line]

    def read_at_each(self, pairs: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """The contents of each (rev, path), in one git process."""
        found = self._batch([f"{rev}:{path}" for rev, path in pairs])
        return [found[f"{rev}:{path}"] for rev, path in pairs]

    def read_at(self, rev: str, paths: Sequence[str]) -> dict[str, bytes | None]:
        """The contents of ``paths`` at ``rev`` (None where absent), in one git process."""
        found = self._batch([f"{rev}:{p}" for p in paths])
        return {p: found[f"{rev}:{p}"] for p in paths}

    def _batch(self, names: Sequence[str]) -> dict[str, bytes | None]:
        if not names:
            return {}
        query = "".join(f"{name}\n" for name in names).encode("utf-8")
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            input=query,
            cwd=self.work_tree,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise GitFailed(
                "git.failed",
                command="git cat-file",
                detail=done.stderr.decode("utf-8", "replace").strip(),
            )
        out, pos = done.stdout, 0
        found: dict[str, bytes | None] = {}
        for rel in names:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[rel] = out[pos : pos + size]
                pos += size + 1
            else:
                found[rel] = None
        return found

    @contextlib.contextmanager
    def lock(self, wait: float | None = None) -> Iterator[None]:
        """Hold ``.git/dipctl.lock`` so that two dipctl steps never interleave.

        An ``flock`` on the file: the kernel releases it when its process dies, so a killed
        step never leaves a lock that blocks the next one. A second step waits up to
        ``wait`` seconds (default :data:`LOCK_WAIT`, or ``DIPCTL_LOCK_WAIT``), then
        :class:`LockHeld`. The file holds the holder's pid, for people.
        """
        path = self.git_dir / "dipctl.lock"
        fd = take_lock(path, env_seconds("DIPCTL_LOCK_WAIT", LOCK_WAIT) if wait is None else wait)
        try:
            yield
        finally:
            release_lock(path, fd)


def take_lock(path: Path, wait: float) -> int:
    """:func:`dipctl.files.flock_file`, its failures as dipctl errors (exit 4)."""
    try:
        fd = flock_file(path, wait)
    except OSError as exc:
        raise WriteFailed("write.before_ref", path=path, reason=reason(exc)) from exc
    if fd is None:
        raise LockHeld("git.lock_held", path=path, seconds=f"{wait:g}")
    return fd


def _index_info(paths: Mapping[str, bytes | None], ids: Mapping[str, str]) -> bytes:
    """The ``git update-index --index-info`` lines that give ``paths`` their new blobs."""
    lines = [
        f"100644 {ids[rel]}\t{rel}" if rel in ids else f"0 {'0' * 40}\t{rel}"
        for rel in sorted(paths)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _identity(actor: Actor, when: dt.datetime | None) -> dict[str, str]:
    env = {
        "GIT_AUTHOR_NAME": actor.name,
        "GIT_AUTHOR_EMAIL": actor.email,
        "GIT_COMMITTER_NAME": actor.name,
        "GIT_COMMITTER_EMAIL": actor.email,
    }
    if when is not None:
        stamp = when.isoformat()
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    return env
