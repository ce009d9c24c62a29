"""``dipctl sync --keep-theirs ID``: forget this clone's unpushed steps on an item, so that
the colleague's step (already on the server) stands; the officer then repeats their own
step, if it is still needed, with the normal command, which checks it against the workflow.

Only commits that never left this clone are rewritten. A commit that changed a dropped
file is dropped whole (a step on several items is one commit), and so is every later local
commit that changed a file of a dropped one; the others are made again on their new
parents with the same message, author, committer and dates (signed as steps are). A local
merge is judged against every parent: one that kept a dropped file against the server's
side (a wrong resolution made with plain git) goes too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dipctl.share import remote

if TYPE_CHECKING:
    from pathlib import Path


class Signer(Protocol):
    @property
    def sign(self) -> bool: ...


def drop(
    git_dir: Path, work_tree: Path, head: str, theirs: str, paths: set[str], who: Signer
) -> tuple[str, list[str]]:
    """(the new local tip, the dropped commits oldest first)."""
    local = [
        line.split()
        for line in remote.run(
            work_tree, "rev-list", "--reverse", "--topo-order", "--parents", head, f"^{theirs}"
        ).stdout.splitlines()
    ]
    gone = set(paths)
    mapped: dict[str, str] = {}
    dropped: list[str] = []
    for sha, *parents in local:
        first = parents[0] if parents else None
        own = remote.changed(work_tree, first, sha) if first else set()
        touched = own.union(*(remote.changed(work_tree, p, sha) for p in parents[1:]))
        if touched & gone:  # a merge counts what it took from any side (or kept against it)
            dropped.append(sha)
            gone |= touched
            mapped[sha] = mapped.get(first, first) if first else ""
            continue
        new_parents = [mapped.get(p, p) for p in parents]
        if new_parents == parents:
            mapped[sha] = sha
            continue
        entries = remote.tree_entries(work_tree, sha, sorted(own))
        tree = remote.tree_with(git_dir, work_tree, new_parents[0], entries)
        mapped[sha] = remote.commit_tree(
            work_tree,
            tree,
            [p for p in dict.fromkeys(new_parents) if p],
            remote.message_of(work_tree, sha),
            remote.identity_of(work_tree, sha),
            who.sign,
        )
    return mapped.get(head, head), dropped
