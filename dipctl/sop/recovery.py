"""Finishing or forgetting a step that a dead dipctl left half done (docs/reliability.md).

Run holding the lock (:meth:`dipctl.gitrepo.Repository.lock`), by every step before its
work, and by any other command when :func:`pending` says so and no step is alive.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed, LockHeld, WriteFailed
from dipctl.files import STALE_GIT_LOCK_AGE, TMP_SUFFIX, age, fault, release_lock

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.gitrepo import Repository


def pending(git_dir: Path) -> bool:
    """Whether a command should run :func:`recover` first (two ``stat`` calls):
    a step's journal, or a git ``index.lock`` old enough to be stale."""
    if (git_dir / "dipctl" / "journal.json").exists():
        return True
    return age(git_dir / "index.lock") > STALE_GIT_LOCK_AGE


def recover(repo: Repository) -> bool:
    """Finish or forget a step that a dead dipctl left half done; True if there was one.

    Call it holding :meth:`Repository.lock`: then no dipctl step is alive, and whatever a step left
    is stale. With a journal: the stale locks of git that the step's git left
    (``index.lock``, the branch's ``.lock``: see :func:`_clear_stale_locks`) go; if the
    branch moved, the index and the work tree files of the step's paths are brought to
    exactly HEAD's version (no other path is touched); the temp files of the step's
    atomic writes go. Without one, only provably stale leftovers are cleaned.
    """
    _clean_private(repo)
    journal = repo.journal
    if not journal.exists():
        _clear_stale_locks(repo, step_died=False)
        return False
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        commit, paths = str(record["commit"]), [str(p) for p in record["paths"]]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return True
    fault("recover-start")
    _clear_stale_locks(repo, step_died=True)
    head = repo.head()
    if head == commit:  # the branch moved: finish index and files
        behind = paths
    elif head is not None and _is_ancestor(repo, commit, head):
        behind = _not_brought_along(repo, commit, head, paths)
    else:  # the branch never moved: the work tree was never touched
        behind = []
    if behind and head is not None:
        contents = repo.read_at(head, behind)
        repo.checkout(head, contents, _tree_entries(repo, head, behind))
    _clean_tmp(repo, paths)
    fault("recover-files")
    journal.unlink(missing_ok=True)
    return True


def recover_if_free(repo: Repository) -> bool:
    """:func:`recover` for a command that takes no step: when another process holds the
    lock, its step is alive and finishes its own work, so do nothing and do not wait."""
    from dipctl.gitrepo import take_lock

    path = repo.git_dir / "dipctl.lock"
    try:
        fd = take_lock(path, 0)
    except (LockHeld, WriteFailed):  # a live step, or a .git we may not write: read on
        return False
    try:
        return recover(repo)
    finally:
        release_lock(path, fd)


def _not_brought_along(repo: Repository, commit: str, head: str, paths: Sequence[str]) -> list[str]:
    """The step landed and more commits followed: its paths whose work tree file still
    holds the version before the step, and that nobody changed since."""
    before = repo.read_at(f"{commit}^", paths) if _has_parent(repo, commit) else {}
    at, now = repo.read_at(commit, paths), repo.read_at(head, paths)
    behind = []
    for rel in paths:
        target = repo.work_tree / rel
        current = target.read_bytes() if target.is_file() else None
        if now[rel] == at[rel] and current == before.get(rel) and current != now[rel]:
            behind.append(rel)
    return behind


def _tree_entries(repo: Repository, rev: str, paths: Sequence[str]) -> bytes:
    """The ``--index-info`` lines that give ``paths`` their version at ``rev``
    (read from git: nothing is written, so it works on a full disk)."""
    out = repo._plumb(["ls-tree", "-z", rev, "--", *paths])
    found = {}
    for entry in filter(None, out.split("\0")):
        meta, _, rel = entry.partition("\t")
        mode, _, sha = meta.split(" ")
        found[rel] = f"{mode} {sha}\t{rel}"
    lines = [found.get(rel, f"0 {'0' * 40}\t{rel}") for rel in sorted(paths)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _has_parent(repo: Repository, commit: str) -> bool:
    done = subprocess.run(
        ["git", "rev-list", "--parents", "-n", "1", commit],
        cwd=repo.work_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    return len(done.stdout.split()) > 1


def _is_ancestor(repo: Repository, ancestor: str, rev: str) -> bool:
    done = subprocess.run(
        ["git", "merge-base", "--is-ancestor", ancestor, rev],
        cwd=repo.work_tree,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _clear_stale_locks(repo: Repository, step_died: bool) -> None:
    """Remove git's own lock files that a dead process left behind.

    git records no owner in them, so the rule is: a lock file that no process holds
    open (read from ``/proc``) is stale when our journal says a step was in progress
    and no dipctl holds the lock (``step_died``: the step's git died with it), or when
    it is older than :data:`STALE_GIT_LOCK_AGE` seconds. Where ``/proc`` cannot be read,
    only the journal rule applies. A lock a live git holds is waited for, briefly.
    """
    locks = [repo.git_dir / "index.lock", *repo.ref_locks()]
    from dipctl.gitrepo import INDEX_WAIT

    deadline = time.monotonic() + (INDEX_WAIT if step_died else 0)
    for lock in locks:
        while lock.exists():
            held = _held_open(lock)
            if not held and (step_died or (held is False and age(lock) > STALE_GIT_LOCK_AGE)):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                break
            if time.monotonic() >= deadline:
                if step_died:
                    raise GitFailed("git.index_locked", path=lock, hint="hint.index_locked")
                break
            time.sleep(0.05)


def _clean_tmp(repo: Repository, paths: Sequence[str]) -> None:
    """The temp files (``.<name>.<random>.tmp``) that atomic writes of ``paths`` left."""
    wanted: dict[Path, set[str]] = {}
    for rel in paths:
        target = repo.work_tree / rel
        wanted.setdefault(target.parent, set()).add(target.name)
    for folder, names in wanted.items():
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _tmp_of(entry.name) in names and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()


def _clean_private(repo: Repository) -> None:
    """dipctl's own leftovers in ``.git/dipctl``: the private index of a dead process,
    a half-written journal, an old temp file of the item cache."""
    folder = repo.git_dir / "dipctl"
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        stale = False
        if name.startswith("index.") and name[6:].isdigit():
            stale = not _alive(int(name[6:]))
        elif _tmp_of(name) == "journal.json":
            stale = True  # only a step writes it, and it held the lock we hold now
        elif _tmp_of(name) is not None:
            stale = age(Path(entry.path)) > STALE_GIT_LOCK_AGE
        if stale:
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()


def _tmp_of(name: str) -> str | None:
    """The file whose atomic write left temp file ``name`` (``.<name>.<random>.tmp``)."""
    if not (name.startswith(".") and name.endswith(TMP_SUFFIX)):
        return None
    stem, dot, rand = name[1 : -len(TMP_SUFFIX)].rpartition(".")
    return stem if dot and stem and rand else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


def _held_open(path: Path) -> bool | None:
    """Whether any process has ``path`` open (``/proc/*/fd``); None where that cannot be read.

    Processes of other users whose descriptors we may not read are not seen."""
    if not Path("/proc/self/fd").is_dir():
        return None
    target = os.path.realpath(path)
    try:
        procs = [e.path for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return None
    for proc in procs:
        try:
            fds = list(os.scandir(f"{proc}/fd"))
        except OSError:
            continue
        for fd in fds:
            with contextlib.suppress(OSError):
                if str(Path(fd.path).readlink()) == target:
                    return True
    return False
