"""What two clones did to the same file: the steps on each side, read from the commits'
trailers (``DIP-Action``, ``DIP-Role``, ``DIP-Item``) and authors, for the officer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.proof.replay import commits_named
from dipctl.register import model
from dipctl.share import remote

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.proof.replay import Commit


@dataclass(frozen=True)
class Clash:
    """A file both sides changed since they parted: an item (``item`` its id) or another
    register file (``item`` empty); ``ours`` are this clone's unpushed commits on it,
    ``theirs`` the server's, oldest first."""

    path: str
    item: str
    ours: tuple[Commit, ...]
    theirs: tuple[Commit, ...]


def item_of(path: str, prefix: str) -> str:
    """The id of an item file (``<prefix>informasi/<unit>/<id>.yaml``), else ""."""
    folder = f"{prefix}{model.ITEMS_DIR}/"
    if path.startswith(folder) and path.endswith(".yaml"):
        return path.rsplit("/", 1)[-1].removesuffix(".yaml")
    return ""


def clashes(
    work_tree: Path, prefix: str, head: str, theirs: str, unmerged: list[str]
) -> list[Clash]:
    """Every item file that both sides changed to different contents, and every other
    file that git could not merge (``unmerged``), with the commits of each side."""
    base = remote.merge_base(work_tree, head, theirs)
    both: set[str] = set(unmerged)
    if base is not None:
        ours_changed = remote.changed(work_tree, base, head)
        theirs_changed = remote.changed(work_tree, base, theirs)
        common = ours_changed & theirs_changed
        differ = remote.changed(work_tree, head, theirs)
        both |= {p for p in common & differ if item_of(p, prefix)}
    return explain(work_tree, prefix, head, theirs, sorted(both))


def explain(work_tree: Path, prefix: str, head: str, theirs: str, paths: list[str]) -> list[Clash]:
    """Each of ``paths`` with the commits of each side that changed it."""
    return [
        Clash(
            path,
            item_of(path, prefix),
            _steps(work_tree, head, theirs, path),
            _steps(work_tree, theirs, head, path),
        )
        for path in paths
    ]


def _steps(work_tree: Path, tip: str, other: str, path: str) -> tuple[Commit, ...]:
    shas = remote.listed(work_tree, "rev-list", "--reverse", "--no-merges", tip, f"^{other}",
                         "--", path)  # fmt: skip
    return tuple(commits_named(work_tree, shas))


def paths_of(work_tree: Path, prefix: str, rev: str, item: str) -> list[str]:
    """The path(s) of item ``item`` in commit ``rev``."""
    folder = f"{prefix}{model.ITEMS_DIR}/"
    out = remote.run(work_tree, "ls-tree", "-r", "-z", "--name-only", rev, "--", folder).stdout
    return [p for p in out.split("\0") if p.endswith(f"/{item}.yaml")]
