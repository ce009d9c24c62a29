"""Whether git can be trusted to show the real, complete history, and what it has besides
the register's own commits: its parentless commits and the dates of parents outside it.

Every git command of :mod:`dipctl.proof` runs as :data:`GIT`: ``--no-replace-objects``, so
``refs/replace/`` cannot swap the content of a commit that keeps its name. A shallow or
grafted repository, one that git refuses to read (dubious ownership), and a history with
missing objects are refused (:class:`~dipctl.errors.HistoryUnreadable`, exit 4) with the
reason and what to do: verify never reports a history it did not see as clean, and never
blames an officer for what git could not show.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import HistoryUnreadable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

#: The git command line for reading history as proof (replace refs ignored).
GIT = ("git", "--no-replace-objects")

_MISSING = (
    "unable to read",
    "bad object",
    "could not parse",
    "missing blob",
    "missing tree",
    "missing commit",
    "invalid object",
    "not a valid object",
    "corrupt",
)


def run(work_tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GIT, *args], cwd=work_tree, capture_output=True, text=True, check=False)


def refuse(work_tree: Path, stderr: str, command: str) -> HistoryUnreadable | None:
    """The refusal that git's ``stderr`` calls for, or None when it is something else."""
    text = stderr.lower()
    if "dubious ownership" in text or "safe.directory" in text:
        return HistoryUnreadable(
            "history.dubious", hint="hint.history_dubious", path=work_tree.absolute()
        )
    if any(marker in text for marker in _MISSING):
        detail = stderr.strip().splitlines()[0] if stderr.strip() else command
        return HistoryUnreadable("history.missing", hint="hint.history_missing", detail=detail)
    return None


def preflight(work_tree: Path) -> None:
    """Refuse a repository whose history git would show incomplete or altered."""
    done = run(work_tree, "rev-parse", "--is-shallow-repository", "--git-path", "info/grafts")
    if done.returncode != 0:
        raise refuse(work_tree, done.stderr, "git rev-parse") or HistoryUnreadable(
            "history.unreadable", hint="hint.git_failed", detail=done.stderr.strip() or "-"
        )
    shallow, _, grafts = done.stdout.partition("\n")
    if shallow.strip() == "true":
        raise HistoryUnreadable("history.shallow", hint="hint.history_shallow")
    graft_file = Path(grafts.strip())
    if not graft_file.is_absolute():
        graft_file = work_tree / graft_file
    if grafts.strip() and graft_file.is_file():
        raise HistoryUnreadable("history.grafted", hint="hint.history_grafted", path=graft_file)


def roots(work_tree: Path, rev: str, tip: str = "HEAD") -> tuple[list[str], str]:
    """Every parentless commit reachable in ``rev``, and the root of ``tip``'s first-parent
    line (the register's first commit; "" when there is none)."""
    every = run(work_tree, "rev-list", "--max-parents=0", rev)
    first = run(work_tree, "rev-list", "--first-parent", "--max-parents=0", tip)
    for done in (every, first):
        if done.returncode != 0:
            raise refuse(work_tree, done.stderr, "git rev-list") or HistoryUnreadable(
                "history.unreadable", hint="hint.git_failed", detail=done.stderr.strip() or "-"
            )
    found = first.stdout.split()
    return every.stdout.split(), found[0] if found else ""


def blobs(work_tree: Path, names: Iterable[str]) -> tuple[dict[str, bytes], list[str]]:
    """The contents of objects by name (a sha, or ``commit:path``) from one ``git cat-file
    --batch`` fed and drained at once: found by name, and the names git reported missing."""
    asked = list(names)
    if not asked:
        return {}, []
    done = subprocess.run(
        [*GIT, "cat-file", "--batch"],
        cwd=work_tree,
        input="".join(f"{n}\n" for n in asked).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    out, pos, found, missing = done.stdout, 0, {}, []
    for name in asked:  # one answer per name, in order
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3:
            size = int(header[2])
            found[name] = out[pos : pos + size]
            pos += size + 1
        else:
            missing.append(b" ".join(header).decode("utf-8", "replace"))
    return found, missing


def commit_times(work_tree: Path, shas: set[str]) -> dict[str, int]:
    """The committer time (%ct) of each of ``shas``, in one ``git log --no-walk``."""
    if not shas:
        return {}
    done = run(work_tree, "log", "--no-walk=unsorted", "--format=%H %ct", *sorted(shas))
    if done.returncode != 0:
        raise refuse(work_tree, done.stderr, "git log") or HistoryUnreadable(
            "history.unreadable", hint="hint.git_failed", detail=done.stderr.strip() or "-"
        )
    times: dict[str, int] = {}
    for line in done.stdout.splitlines():
        sha, _, when = line.partition(" ")
        if when.strip().isdigit():
            times[sha] = int(when)
    return times


def accepted(
    work_tree: Path,
    config_path: str,
    sha: str,
    by_kepala: Callable[[str], bool],
    *,
    merges: bool = False,
    tip: str = "HEAD",
) -> set[str]:
    """The commits at or before ``sha`` (``verifikasi.sejak``: history that is not checked;
    with ``merges``, only the merges at or before ``riwayat.linear_sejak``: judged by the
    rules of a history with merges), as named in the tip's register.yaml. Only a full
    commit id that is an ancestor of the commit that set it (the last one to change
    ``config_path`` naming it) counts, so nobody can hide their own commit behind it, and
    only when ``by_kepala`` says a kepala made that commit."""
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        return set()
    setter = run(work_tree, "log", "-1", "--format=%H", f"-S{sha}", tip, "--", config_path)
    found = setter.stdout.strip()
    if not found or run(work_tree, "merge-base", "--is-ancestor", sha, f"{found}^").returncode:
        return set()
    if not by_kepala(found):
        return set()
    done = run(work_tree, "rev-list", *(["--merges"] if merges else []), sha)
    return set(done.stdout.split()) if done.returncode == 0 else set()
