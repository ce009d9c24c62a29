"""The caches dipctl keeps in ``.git/dipctl/``: file stamps that can be trusted, and a pickled
table kept as a base file plus a small journal.

A cache is never the truth: every entry carries the :func:`stamp` of the file it was made from
and is used only while the file still has that stamp; a missing, foreign or broken cache file
is an empty cache. So a cache needs no fsync (it can always be rebuilt) and two processes
writing at once only cost each other some re-reading.

A step changes a few files of ten thousand: rewriting the whole table (9 MB at 10,000 items)
would cost more than the step. :class:`Table` therefore writes the changed entries to a
journal beside the base (``<name>.journal``), tied to the base by a random token, and folds
the journal into a new base once it holds more than :data:`JOURNAL_SHARE` of the entries.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import time
from pathlib import Path
from typing import Any

from dipctl.stamps import RACY_NS

#: The stamp of a file that must not be trusted next time (it was too recent).
NEVER = (-1, -1, -1, -1, -1)
_VERSION = 3
#: The journal is folded into the base once it holds this share of the entries (or more
#: than :data:`_JOURNAL_MIN` of them on a small table).
JOURNAL_SHARE = 64
_JOURNAL_MIN = 64
_ERRORS = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError)


def stamp(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What must be unchanged for a cached verdict about a file to hold: size, mtime, inode,
    ctime (``os.utime`` cannot set it back: a checkout that restores the mtime still moves
    it) and mode (a file swapped for a link)."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, st.st_mode)


def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """The stamp of the register package's code: a changed rule (a developer's edit, an
    upgrade that kept the version) makes every cached verdict stale."""
    found = []
    with os.scandir(Path(__file__).parent) as listing:
        for entry in listing:
            if entry.name.endswith(".py"):
                st = entry.stat()
                found.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))


def cutoff() -> int:
    """A file whose mtime or ctime is at or after this is too recent to be trusted later."""
    return time.time_ns() - RACY_NS


def kept(found: tuple[int, ...], racy: int) -> tuple[int, ...]:
    """The stamp to store for a file: its own, or :data:`NEVER` when it is racy."""
    return found if max(found[1], found[3]) < racy else NEVER


class Table:
    """A ``dict`` of entries in ``path`` (base) and ``path.journal``; ``tag`` names the shape
    of the entries: a file with another tag is ignored."""

    def __init__(self, path: Path | None, tag: str) -> None:
        self.path = path
        self.tag = tag
        self._token = ""
        self._journal: dict[Any, Any] = {}

    @property
    def journal_path(self) -> Path | None:
        return self.path.with_name(self.path.name + ".journal") if self.path else None

    def load(self) -> dict[Any, Any]:
        """The entries: the base's, then the journal's changes when it belongs to this base."""
        base = _read(self.path, (_VERSION, self.tag))
        if base is None:
            return {}
        if not (isinstance(base, tuple) and len(base) == 2 and isinstance(base[1], dict)):
            return {}
        self._token, entries = base[0], dict(base[1])
        journal = _read(self.journal_path, (_VERSION, self.tag, self._token))
        if isinstance(journal, dict):
            self._journal = journal
            for name, entry in journal.items():
                if entry is None:
                    entries.pop(name, None)
                else:
                    entries[name] = entry
        return entries

    def replace(self, entries: dict[Any, Any]) -> None:
        """Store ``entries`` as a new base, with no journal (a table of one answer)."""
        self._token = ""
        self._journal = {}
        self.save(entries, entries, set())

    def save(self, entries: dict[Any, Any], changed: dict[Any, Any], removed: set[Any]) -> None:
        """Store ``entries`` (all of them, after :meth:`load`), of which ``changed`` are new or
        different and ``removed`` are gone: a journal when that is small, else a new base."""
        if self.path is None or (not changed and not removed):
            return
        journal = dict(self._journal)
        journal.update(changed)
        journal.update(dict.fromkeys(removed))
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._token and len(journal) <= max(_JOURNAL_MIN, len(entries) // JOURNAL_SHARE):
                _write(self.journal_path, (_VERSION, self.tag, self._token), journal)
                self._journal = journal
                return
            self._token = os.urandom(8).hex()
            _write(self.path, (_VERSION, self.tag), (self._token, entries))
            self._journal = {}
            if self.journal_path is not None:
                self.journal_path.unlink(missing_ok=True)


def _read(path: Path | None, header: tuple[Any, ...]) -> Any:
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            found, body = pickle.load(fh)
    except _ERRORS:
        return None
    return body if found == header else None


def _write(path: Path | None, header: tuple[Any, ...], body: Any) -> None:
    from dipctl.files import write_atomic  # only a run that changed something writes

    if path is not None:
        write_atomic(path, pickle.dumps((header, body), protocol=5), sync=False)
