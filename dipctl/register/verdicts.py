"""What ``dipctl validate`` proved about each file, kept in ``.git/dipctl/validate.pickle``
(and the records' data in ``records.pickle``, which a step's completeness check reads too).

A file's verdict is reused while the file has the same :func:`~dipctl.register.cachefile.stamp`
(with git's racy rule) *and* the same key: the key holds everything else the verdict depends
on: the code of the checks (any edit or upgrade of dipctl's register package), the day
(freshness and the consequence test's dates move with it), register.yaml's units and
people, the meetings and decrees that exist, the imported decrees and, for meeting records,
decrees and presentations, the register's item ids. Only the per-file part is cached: the
checks across files (duplicate ids, decree numbers, dates against meetings, an item in both
lists) run every time, from the cached summaries.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any, TypeVar

from dipctl.register import cachefile

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.register.checks import Context
    from dipctl.register.config import Register

T = TypeVar("T")
_TAG = "verdicts:1"


def verdict_keys(ctx: Context, today: str) -> tuple[str, str]:
    """The key of an item file's verdict, and of a record's (which also names every item)."""
    base = (
        _TAG,
        cachefile.code_stamp(),
        today,
        ctx.settings_known,
        sorted(ctx.units),
        sorted(ctx.people.items()),
        sorted(ctx.meetings),
        sorted(ctx.decrees),
        sorted(ctx.imported),
    )
    items_key = _digest(repr(base))
    return items_key, _digest(items_key + "\n" + "\n".join(sorted(ctx.item_ids)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


class Verdicts:
    """The cached verdicts of one run: :meth:`get` each file's, :meth:`save` at the end."""

    def __init__(self, reg: Register, name: str = "validate.pickle") -> None:
        path = reg.git_dir / "dipctl" / name if reg.git_dir is not None else None
        self._table = cachefile.Table(path, _TAG)
        self._cache = self._table.load() if path is not None else {}
        self._racy = cachefile.cutoff()
        self._fresh: dict[str, Any] = {}
        self._changed: dict[str, Any] = {}

    def get(self, kind: str, path: str, key: str, compute: Callable[[], T]) -> T:
        """The ``kind`` of verdict on the file at ``path`` under ``key``: cached, or
        ``compute``-d (after the file's stamp was taken: a change while it is read leaves
        a stamp that no longer matches)."""
        try:
            found = cachefile.stamp(os.lstat(path))
        except OSError:
            return compute()
        name = f"{kind}:{path}"
        hit = self._cache.get(name)
        if hit is not None and hit[0] == found and hit[1] == key:
            self._fresh[name] = hit
            return hit[2]  # type: ignore[no-any-return]
        value = compute()
        self._fresh[name] = self._changed[name] = (cachefile.kept(found, self._racy), key, value)
        return value

    def save(self) -> None:
        removed = self._cache.keys() - self._fresh.keys()
        self._table.save(self._fresh, self._changed, removed)
