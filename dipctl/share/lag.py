"""Whether this clone is behind (or ahead of) its upstream, as of the last fetch: no
network: two ref files read in the usual case (in step), one ``git rev-list`` otherwise, and
nothing when the clone has no remote. Every command
that reads the register says so on stderr ("tarik dulu: dipctl sync")."""

from __future__ import annotations

import datetime as dt
import re
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
    if _same_by_files(git_dir, _common_dir(git_dir), config):
        return None  # the usual case, read from two ref files: no git run either
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


def _same_by_files(git_dir: Path, common: Path, config: str) -> bool:
    """Whether HEAD's branch and its upstream's remote-tracking ref name the same commit,
    read from the ref files alone; False whenever that is not plain (then git decides)."""
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return False
    branch = head.removeprefix("ref: refs/heads/")
    if branch == head:
        return False
    found = re.search(
        rf'^\[branch "{re.escape(branch)}"\]\n(?:[ \t]+.*\n)*?[ \t]*remote = (\S+)\n'
        rf"(?:[ \t]+.*\n)*?[ \t]*merge = refs/heads/(\S+)$",
        config,
        re.MULTILINE,
    )
    if found is None:
        return False
    ours = _ref(common, f"refs/heads/{branch}")
    return ours is not None and ours == _ref(common, f"refs/remotes/{found[1]}/{found[2]}")


def _ref(common: Path, name: str) -> str | None:
    try:
        value = (common / name).read_text(encoding="utf-8").strip()
    except OSError:
        value = ""
        try:
            packed = (common / "packed-refs").read_text(encoding="utf-8")
        except OSError:
            return None
        for line in packed.splitlines():
            sha, _, ref = line.partition(" ")
            if ref == name:
                value = sha
    return value if re.fullmatch(r"[0-9a-f]{40,64}", value) else None


def _fetched(common: Path) -> str:
    try:
        stamp = (common / "FETCH_HEAD").stat().st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp, dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
