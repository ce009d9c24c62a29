"""Which commit added each decree file (:func:`added`), for the lampiran as issued
(:mod:`dipctl.publish.issued`): one ``git log`` over the whole history cost an incremental
build a third of a second, for an answer that only grows with the history.

``.git/dipctl/decree-adds.pickle`` keeps, for the ``HEAD`` it was made at, every commit that
added each decree file. The next build at a ``HEAD`` that has the kept one as an ancestor
reads only the commits after it (``git log old..HEAD``) and adds their additions: the whole
history's log is that range's and the old history's. The answer (the oldest addition of a
file) is taken from the union only when each decree was added once in all (the order of two
additions of one file, across the two logs, is git's date order, which a range need not
keep); else, and for a kept ``HEAD`` that is not an ancestor (a rewritten or amended
history, another branch), or a cache file missing, damaged or foreign, the whole log is read
again. Commit ids name what they hold: an ancestor's additions never change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.proof import history
from dipctl.register import cachefile

if TYPE_CHECKING:
    from dipctl.register.config import Register

NAME = "decree-adds.pickle"
_TAG = "decree-adds:1"
_KEY = "adds"


def added(reg: Register) -> dict[str, str]:
    """Decree id -> the commit that added its file (the first, should it be added twice)."""
    folder = reg.relative(reg.decrees_dir)
    head = history.run(reg.work_tree, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    tip = head.stdout.strip() if head.returncode == 0 else ""
    if not tip:
        return {}
    path = reg.git_dir / "dipctl" / NAME if reg.git_dir is not None else None
    table = cachefile.Table(path, _TAG)
    kept = _kept(table.load(), folder)
    adds: dict[str, list[str]] | None = None
    if kept is not None:
        old, old_adds = kept
        if old == tip:
            adds = old_adds
        elif _ancestor(reg, old, tip):
            grown = _adds(reg, folder, f"{old}..{tip}")
            adds = _merged(old_adds, grown) if grown is not None else None
    if adds is None:
        adds = _adds(reg, folder, tip)
        if adds is None:  # git could not tell: as the whole log did, no decree dated
            return {}
    if kept is None or kept[0] != tip:
        table.replace({_KEY: (folder, tip, adds)})
    return {name: shas[-1] for name, shas in adds.items()}


def _kept(entries: dict[Any, Any], folder: str) -> tuple[str, dict[str, list[str]]] | None:
    """The kept ``HEAD`` and additions, when the entry has their shape and this folder."""
    found = entries.get(_KEY)
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == folder):
        return None
    _, tip, adds = found
    if not isinstance(tip, str) or not isinstance(adds, dict):
        return None
    for name, shas in adds.items():
        if not (isinstance(name, str) and isinstance(shas, list) and shas):
            return None
        if not all(isinstance(sha, str) for sha in shas):
            return None
    return tip, adds


def _merged(old: dict[str, list[str]], new: dict[str, list[str]]) -> dict[str, list[str]] | None:
    """The additions of the whole history, when each file was added once in all; else None
    (the whole log decides which addition is the oldest)."""
    if any(len(shas) != 1 for shas in new.values()) or old.keys() & new.keys():
        return None
    if any(len(shas) != 1 for shas in old.values()):
        return None
    return {**old, **new}


def _ancestor(reg: Register, old: str, tip: str) -> bool:
    done = history.run(reg.work_tree, "merge-base", "--is-ancestor", old, tip)
    return done.returncode == 0


def _adds(reg: Register, folder: str, revisions: str) -> dict[str, list[str]] | None:
    """Every commit of ``revisions`` that added each decree file, as ``git log`` lists
    them (newest first); None when git fails."""
    done = history.run(
        reg.work_tree,
        "log",
        "--diff-filter=A",
        "--no-renames",
        "--format=%x1e%H",
        "--name-only",
        revisions,
        "--",
        folder + "/",
    )
    if done.returncode != 0:
        return None
    found: dict[str, list[str]] = {}
    for record in done.stdout.split("\x1e")[1:]:
        sha, *names = record.strip().splitlines()
        for name in names:
            if name.endswith(".yaml") and name.count("/") == folder.count("/") + 1:
                found.setdefault(name.rsplit("/", 1)[-1][: -len(".yaml")], []).append(sha)
    return found
