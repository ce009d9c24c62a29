"""Whether this clone is behind (or ahead of) its upstream, as of the last fetch: no
network, one ``git rev-list`` at most, and none when the clone has no remote. Every command
that reads the register says so on stderr ("tarik dulu: dipctl sync")."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Lag:
    behind: int  # commits on the upstream (as last fetched) that HEAD lacks
    ahead: int  # local commits not pushed yet
    upstream: str  # e.g. origin/main
    fetched: str  # when the upstream was last fetched (ISO minutes), "" if unknown


def _common_dir(git_dir: Path) -> Path:
    pointer = git_dir / "commondir"  # a linked work tree keeps config in the main .git
    if pointer.is_file():
        return (git_dir / pointer.read_text(encoding="utf-8").strip()).resolve()
    return git_dir


def lag(git_dir: Path | None, work_tree: Path) -> Lag | None:
    """The clone's lag behind its upstream; None when in step, or without an upstream."""
    if git_dir is None:
        return None
    try:
        config = (_common_dir(git_dir) / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "[remote " not in config or "merge = " not in config.replace("merge=", "merge = "):
        return None  # no remote, or no branch tracks one: nothing to compare, no git run
    done = subprocess.run(
        ["git", "rev-list", "--left-right", "--count", "HEAD...@{upstream}", "--"],
        cwd=work_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    counts = done.stdout.split()
    if done.returncode != 0 or len(counts) != 2 or not all(c.isdigit() for c in counts):
        return None
    ahead, behind = int(counts[0]), int(counts[1])
    if not ahead and not behind:
        return None
    name = subprocess.run(
        ["git", "rev-parse", "--abbrev-ref", "@{upstream}"],
        cwd=work_tree,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return Lag(behind, ahead, name or "upstream", _fetched(_common_dir(git_dir)))


def _fetched(common: Path) -> str:
    try:
        stamp = (common / "FETCH_HEAD").stat().st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp, dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
