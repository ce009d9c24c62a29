"""Where ``dipctl build`` writes: a folder it may replace, replaced whole, never half.

``out`` must be new, empty, or a site an earlier build made (it holds :data:`MARKER`); never
the register, its repository, a folder around them, home or ``/``. The new site is written
into a folder beside ``out`` and swapped in by two renames; leftovers of a killed build are
removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import OutputFailed
from dipctl.feedback import silent

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dipctl.feedback import Progress
    from dipctl.register.config import Register


MARKER = ".dipctl-site"
MARKER_TEXT = b"This folder is written by `dipctl build` and replaced whole by the next build.\n"


@dataclass(frozen=True)
class Kind:
    """What kind of folder is written: its marker file and the messages of its refusals.
    Each kind replaces only its own folders (a build never replaces an e-Monev pack)."""

    marker: str
    text: bytes
    protected: str = "output.protected"
    not_folder: str = "output.not_folder"
    not_ours: str = "output.not_site"
    hint: str = "hint.output_folder"
    hint_not_ours: str = "hint.output_old_site"


SITE = Kind(MARKER, MARKER_TEXT)


def target_folder(reg: Register, out: Path, shown: Path, kind: Kind = SITE) -> Path:
    """The real folder to replace (links resolved), once it is sure nothing is lost."""
    target = out.resolve()
    register = reg.root.resolve()
    around = {register, reg.work_tree.resolve(), Path(target.anchor), *register.parents}
    with contextlib.suppress(RuntimeError, KeyError):  # no home: nothing to protect there
        around.add(Path.home().resolve())
    if target in around or register in target.parents:
        raise OutputFailed(kind.protected, path=shown, hint=kind.hint)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISDIR(mode):
        raise OutputFailed(kind.not_folder, path=shown, hint=kind.hint)
    if not (target / kind.marker).is_file() and any(target.iterdir()):
        raise OutputFailed(kind.not_ours, path=shown, marker=kind.marker, hint=kind.hint_not_ours)
    return target


def write_site(
    target: Path,
    files: dict[str, bytes],
    kind: Kind = SITE,
    progress: Progress = silent,
    phase: str = "progress.build.write",
) -> None:
    """Write the new site beside ``target``, then swap it in.

    The pages go to ``.<name>.tmp-<hex>`` in the same parent folder (so renames stay on one
    file system), with :data:`MARKER` first. Then, if ``target`` holds an earlier site, it is
    renamed to ``.<name>.tmp-<hex>-old``, the new folder renamed to ``target``, and the old
    one deleted. At every instant ``target`` is the complete old site or the complete new
    one, except between those two renames, when it is absent. An empty folder is replaced
    by the one rename (POSIX renames a folder over an empty folder); a folder that is not
    empty and has no marker makes the rename fail, so it is never deleted. A build killed
    on the way leaves only ``.<name>.tmp-*`` folders, deleted by the next build. No fsync:
    this protects against a killed build, not against a power cut.
    """
    with new_site(target, kind) as new:
        for done, (rel, data) in enumerate(sorted(files.items())):
            if done % 500 == 0:
                progress(phase, done, len(files))
            new.write(rel, data)
        progress(phase, len(files), len(files))


class NewSite:
    """The folder a new site is written into before it is swapped in (:func:`new_site`).
    A forked worker may write into it too (each process keeps its own folders made); once
    the process that made the folder is gone (a killed build) it writes nothing more and
    ends, so the next build finds the leftover folder still."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._root = str(folder) + os.sep
        self._folders: set[str] = {""}
        self._owner = os.getpid()

    def write(self, rel: str, data: bytes) -> None:
        """``rel``'s bytes (a path under the folder, ``/`` between its parts), written as
        ``Path.write_bytes`` writes them, with a third of its system calls (19,000 pages)."""
        if self._owner not in (os.getpid(), os.getppid()):
            os._exit(1)  # nobody will swap this folder in (dipctl.workers does the same)
        parent = rel.rpartition("/")[0]
        if parent not in self._folders:
            (self.folder / parent).mkdir(parents=True, exist_ok=True)
            self._folders.add(parent)
        fd = os.open(self._root + rel, _CREATE, 0o666)
        try:
            view, done = memoryview(data), 0
            while done < len(view):
                done += os.write(fd, view[done:])
        finally:
            os.close(fd)


#: How :meth:`NewSite.write` opens a file: as ``open(path, "wb")`` does.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def new_site(target: Path, kind: Kind = SITE) -> Iterator[NewSite]:
    """The new folder beside ``target`` (:func:`write_site` says how), swapped in when the
    block ends without an error, else deleted. Whoever writes into it from another process
    has finished before the block ends."""
    parent, name = target.parent, target.name
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, name)
    new = _new_folder(parent, name)
    try:
        (new / kind.marker).write_bytes(kind.text)
        yield NewSite(new)
        _swap(new, target, kind.marker)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _leftover(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.tmp-[0-9a-f]{{16}}(-old)?")


def _remove_leftovers(parent: Path, name: str) -> None:
    """Folders of builds that were killed before they finished (only ours, by their name)."""
    pattern = _leftover(name)
    for child in parent.iterdir():
        if pattern.fullmatch(child.name) and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)


def _new_folder(parent: Path, name: str) -> Path:
    """``.<name>.tmp-<hex>``, made with the umask's permissions (mkdtemp's 0700 would hide
    the site from the web server that serves it)."""
    while True:
        path = parent / f".{name}.tmp-{secrets.token_hex(8)}"
        try:
            path.mkdir()
        except FileExistsError:  # pragma: no cover  (64 random bits)
            continue
        return path


def _swap(new: Path, target: Path, marker: str) -> None:
    if (target / marker).is_file() and not target.is_symlink():
        old = new.with_name(new.name + "-old")
        target.rename(old)
        try:
            new.rename(target)
        except OSError:
            old.rename(target)
            raise
        shutil.rmtree(old, ignore_errors=True)  # if it stays, the next build removes it
    else:
        new.rename(target)  # absent or empty; anything else fails, deleting nothing
