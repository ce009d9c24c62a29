"""The agency's theme as files: the folders under ``register/tema/`` and the regular files
in them, read as data and never through a link (a link or special file is refused by name,
:class:`ThemeRefused`, exit 4). What renders them is :mod:`dipctl.publish.theme`; this part
loads no jinja, so that a build with nothing to render never imports it.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register

THEME = "tema"


class ThemeRefused(DipctlError):
    """A theme file the build will not use: a link, a special file, a template that fails."""

    default_hint = "hint.theme_file"

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a forked page worker, too
        return (_rebuild, (type(self), self.key, self.hint_key, self.params))


def _rebuild(
    cls: type[DipctlError], key: str, hint: str | None, params: dict[str, Any]
) -> DipctlError:
    return cls(key, hint=hint, **params)


def theme_folder(reg: Register, name: str) -> Path | None:
    """``tema/<name>`` if it is a real folder (neither it nor ``tema`` a link), else None."""
    path = reg.root
    for part in (THEME, name):
        path = path / part
        mode = mode_of(reg, path)
        if mode is None:
            return None
        if not stat.S_ISDIR(mode):
            raise ThemeRefused("theme.special", path=reg.relative(path))
    return path


def mode_of(reg: Register, path: Path) -> int | None:
    """The mode of what is at ``path`` itself, None when nothing is; a link is refused."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(mode):
        raise ThemeRefused("theme.symlink", path=reg.relative(path))
    return mode


def read_theme_file(reg: Register, path: Path) -> bytes:
    """A regular file's bytes, never through a link (O_NOFOLLOW: no race with a swap)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ThemeRefused("theme.special", path=reg.relative(path))
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    finally:
        if fd != -1:
            os.close(fd)


def theme_static(reg: Register, folder: Path, prefix: str) -> dict[str, bytes]:
    """Every regular file below ``folder``; a link or special file fails the build.

    Not skipped: the agency expects its logo, and a link could publish /etc/passwd or the
    CI job's /proc/self/environ.
    """
    found: dict[str, bytes] = {}
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        path = folder / entry.name
        if entry.is_symlink():
            raise ThemeRefused("theme.symlink", path=reg.relative(path))
        if entry.is_dir(follow_symlinks=False):
            found |= theme_static(reg, path, f"{prefix}{entry.name}/")
        elif entry.is_file(follow_symlinks=False):
            found[prefix + entry.name] = read_theme_file(reg, path)
        else:
            raise ThemeRefused("theme.special", path=reg.relative(path))
    return found


def theme_static_file(reg: Register, name: str) -> bytes | None:
    """``tema/static/<name>`` (a name without folders), if it is there: a regular file read
    without following a link; a link or special file is refused (exit 4), as in the build."""
    folder = theme_folder(reg, "static")
    if folder is None:
        return None
    path = folder / name
    return read_theme_file(reg, path) if mode_of(reg, path) is not None else None
