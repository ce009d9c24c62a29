"""``dipctl validate`` on a register exactly as it was at the last run: the answer again.

Before any work, one walk of the register folder takes the
:func:`~dipctl.register.cachefile.stamp` of every entry. When those stamps, HEAD, the clone's
git config and attributes, the code of the checks, the day and the register's place are all
what they were at a run that stored its answer, that answer (the refusal of a converted or
special file included: it raised, so nothing was stored) is the answer now. Otherwise the
run does the work (reusing what :mod:`dipctl.register.verdicts` kept per file) and stores
its answer with the stamps taken *before* it read anything. A run during which any entry
was changed within :data:`~dipctl.register.cachefile.RACY_NS` stores nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from dipctl import gitfiles, stamps
from dipctl.register import cachefile

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.checks import Problem
    from dipctl.register.config import Register

_TAG = "validated:1"


class Memo:
    """The stored answer for this register's state, if any (:attr:`problems`)."""

    def __init__(self, reg: Register, today: str) -> None:
        self._path = reg.git_dir / "dipctl" / "validated.pickle" if reg.git_dir else None
        self._state: Any = None
        self.problems: list[Problem] | None = None
        if self._path is None or reg.git_dir is None:
            return
        racy = cachefile.cutoff()
        stamps = _stamps(os.fspath(reg.root), racy)
        head = _head(reg)
        if stamps is None or head is None:
            return  # something changed just now, or no commit: nothing to recall or keep
        git = tuple(
            _stamp_of(reg.git_dir / name) for name in ("config", "info/attributes", "commondir")
        )
        key = (cachefile.code_stamp(), today, str(reg.root), str(reg.work_tree), head, git)
        self._state = (key, stamps)
        self._table = cachefile.Table(self._path, _TAG)
        stored = self._table.load()
        if stored.get("state") == self._state and isinstance(stored.get("problems"), list):
            self.problems = stored["problems"]

    def remember(self, problems: list[Problem]) -> None:
        if self._state is not None and self.problems is None:
            self._table.replace({"state": self._state, "problems": problems})


def _stamps(root: str, racy: int) -> list[stamps.Entry] | None:
    """Every entry below ``root`` but ``.git``, with its stamp, in walk order; None when one
    is too recent to be trusted later."""
    found = stamps.tree(root)
    if found is None or stamps.newest(found) >= racy:
        return None
    return found


def _stamp_of(path: Path) -> tuple[int, ...] | None:
    try:
        return cachefile.stamp(path.stat())
    except OSError:
        return None


def _head(reg: Register) -> str | None:
    """HEAD's commit id (None without a commit or without git)."""
    return gitfiles.head_commit(reg.work_tree)
