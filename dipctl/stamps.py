"""The stamps of files: what must be unchanged for something read from them to still hold.

A stamp is a file's size, modification time, inode, change time and mode. ``os.utime`` can
set the modification time back but not the change time, and a ``git checkout`` that writes
the same size and the same modification time still moves the change time, so an edited file
never keeps its stamp. os only (no pathlib): :mod:`dipctl.cli.answers` stamps a register
before anything else of dipctl is imported.
"""

from __future__ import annotations

import os
from operator import itemgetter
from stat import S_ISDIR

Entry = tuple[str, int, int, int, int, int]  # path, size, mtime_ns, inode, ctime_ns, mode

#: A file changed this recently may change again within the same timestamp tick without its
#: stamp changing (git's "racily clean" entries): nothing read from it is kept until it is
#: older.
RACY_NS = 2_000_000_000


def tree(root: str, skip: frozenset[str] = frozenset({".git"})) -> list[Entry] | None:
    """Every entry below ``root`` (links not followed, folders named in ``skip`` left out)
    with its stamp, in walk order; None when the walk fails (a folder removed meanwhile, an
    unreadable one). The one loop over ten thousand files: kept tight."""
    found: list[Entry] = []
    add = found.append
    stack = [root]
    try:
        while stack:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    if entry.name in skip:
                        continue
                    st = entry.stat(follow_symlinks=False)
                    mode = st.st_mode
                    add((entry.path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, mode))
                    if S_ISDIR(mode):
                        stack.append(entry.path)
    except OSError:
        return None
    return found


def newest(found: list[Entry]) -> int:
    """The latest modification or change time among ``found`` (0 when empty)."""
    if not found:
        return 0
    return int(max(max(map(itemgetter(2), found)), max(map(itemgetter(4), found))))


def one(path: str) -> Entry | None:
    """The stamp of ``path`` itself (a link not followed), None when there is none."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, st.st_mode)
