"""``dipctl sync --keep-theirs ID``: forget this clone's unpushed steps on an item, so that
the colleague's step (already on the server) stands; the officer then repeats their own
step, if it is still needed, with the normal command, which checks it against the workflow.

Only commits that never left this clone are dropped. A commit that changed a dropped file
is dropped whole (a step on several items is one commit), and so is every later local
commit that changed a file of a dropped one; :mod:`.replay` makes the others again on top
of the server's branch. A local merge (made with plain git) is judged against every
parent: one that kept a dropped file against the server's side (a wrong resolution) goes
too, and the files it touched count as dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.errors import ItemNotFound
from dipctl.share import clash, remote

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path


def select(work_tree: Path, head: str, theirs: str, paths: set[str]) -> tuple[list[str], set[str]]:
    """(the dropped commits oldest first, every file they changed and ``paths``)."""
    local = [
        line.split()
        for line in remote.run(
            work_tree, "rev-list", "--reverse", "--topo-order", "--parents", head, f"^{theirs}"
        ).stdout.splitlines()
    ]
    gone = set(paths)
    dropped: list[str] = []
    for sha, *parents in local:
        touched: set[str] = set().union(*(remote.changed(work_tree, p, sha) for p in parents))
        if touched & gone:  # a merge counts what it took from any side (or kept against it)
            dropped.append(sha)
            gone |= touched
    return dropped, gone


def files_of(work: Path, prefix: str, revs: tuple[str, str], ids: Sequence[str]) -> set[str]:
    """The files of ``ids`` (item ids, or register paths) in either commit."""
    paths: set[str] = set()
    for wanted in ids:
        found = {p for rev in revs for p in clash.paths_of(work, prefix, rev, wanted)}
        if not found and any(
            remote.rev(work, rev) and remote.run(work, "cat-file", "-e", f"{rev}:{wanted}",
                                                 check=False).returncode == 0
            for rev in revs
        ):  # fmt: skip
            found = {wanted}
        if not found:
            raise ItemNotFound("item.not_found", id=wanted)
        paths |= found
    return paths
