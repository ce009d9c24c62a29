"""``dipctl --version`` and ``dipctl --help`` answered before typer is imported.

typer (its vendored click) is a third of a command's start-up. ``--version`` needs none of
it: the version is a constant of :mod:`dipctl`. ``--help`` is click's own rendering, kept in
the user's cache (``$XDG_CACHE_HOME/dipctl/``, else ``~/.cache/dipctl/``, beside the compiled
message catalogs of :mod:`dipctl.i18n`) the first time it is printed and printed from there
afterwards, byte for byte. The copy is used only when it was made from exactly what the
rendering depends on, written whole in its first line and compared whole, not by a digest:

- every file of dipctl and of typer (path, size, inode, modification and change times: an
  edited file, another version or another install has another stamp; no tool sets a change
  time back), and the Python that runs them;
- the language (``--lang``, ``DIPCTL_LANG``), the width click reads (``COLUMNS``, else the
  terminal's of stdout), and the program name click prints in the usage line (``sys.argv[0]``
  and the ``__main__`` package: ``dipctl`` or ``python -m dipctl``).

A copy that is damaged (its length or checksum wrong), planted with another stamp, or
unreadable is ignored and rendered again; an unwritable cache only costs the rendering.
Any other command line, and ``--help`` beside anything but ``--lang``, goes to click.
"""

# os.path, not pathlib: importing pathlib costs more than this whole answer
# ruff: noqa: PTH103, PTH105, PTH108, PTH111, PTH118, PTH120, PTH123

from __future__ import annotations

import os
import sys
from collections.abc import Callable

_HEAD = "dipctl help cache 1"
_TYPER_ENV = ("TYPER_USE_RICH", "_TYPER_STANDARD_TRACEBACK")


def answer(args: list[str], render: Callable[[], None]) -> bool:
    """Print what ``dipctl ARGS`` prints and return True when it is ``--version`` or the
    top-level ``--help``; else False, printing nothing. ``render`` runs click (it exits)."""
    if args == ["--version"]:
        from dipctl import __version__

        sys.stdout.write(f"dipctl {__version__}\n")  # as ui.print_result: never wrapped
        return True
    lang = _help_language(args)
    if lang is None:
        return False
    folder, where = _folder(), _where(lang)
    stamp = _stamp(where)
    target = os.path.join(folder, f"help-{_crc(where)}.txt")
    text = _read(target, stamp)
    if text is None:
        text, code = _rendered(render)
        sys.stdout.write(text)
        if code != 0:
            raise SystemExit(code)
        _keep(folder, target, stamp, text)
    else:
        sys.stdout.write(text)
    return True


def _help_language(args: list[str]) -> str | None:
    """The language of a top-level ``--help`` (with ``--lang`` at most) as given on the line
    and in the environment, else None (not a top-level help)."""
    rest, found = list(args), None
    if "--lang" in rest:
        at = rest.index("--lang")
        if at + 1 >= len(rest):
            return None
        found = rest[at + 1]
        del rest[at : at + 2]
    else:
        given = [a for a in rest if a.startswith("--lang=")]
        if given:
            found = given[0].partition("=")[2]
            rest.remove(given[0])
    if rest != ["--help"] or found == "--help":
        return None
    return repr((found, os.environ.get("DIPCTL_LANG")))  # as given: click resolves it


def _folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dipctl")


def _files(top: str, into: list[str]) -> None:
    """Every file under ``top`` (``__pycache__`` aside) with its stat, in name order."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        into.append(f"{top}\0missing")
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _files(entry.path, into)
            continue
        try:
            info = entry.stat()
        except OSError:
            into.append(f"{entry.path}\0missing")
            continue
        seen = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        into.append(f"{entry.path}\0{seen}")


def _where(lang: str) -> str:
    """The invocation's part of the stamp: language, width, program name, environment (one
    kept copy for each: a second terminal width does not evict the first)."""
    import dipctl

    main = sys.modules.get("__main__")
    parts = [lang, _width(), repr(sys.argv[0]), repr(getattr(main, "__package__", None))]
    parts += [sys.executable, dipctl.__file__]  # one copy per install: none evicts another
    parts += [repr(os.environ.get(name)) for name in _TYPER_ENV]
    return repr(parts)


def _stamp(where: str) -> str:
    """Everything the rendered help depends on, as one line of text."""
    import dipctl

    parts = [sys.version, sys.executable, where]
    files: list[str] = []
    _files(os.path.dirname(dipctl.__file__), files)
    _files(_folder_of("typer"), files)
    return repr((parts, files))


def _folder_of(package: str) -> str:
    """The folder of ``package``, found as the import system would, without importing it."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec(package)
    origin = spec.origin if spec is not None else None
    return os.path.dirname(origin) if origin else "\0none"


def _width() -> str:
    """What click's formatter reads for its width (shutil.get_terminal_size's inputs)."""
    try:
        columns = str(os.get_terminal_size(sys.__stdout__.fileno()).columns)  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = "none"
    return f"{os.environ.get('COLUMNS')!r}/{os.environ.get('LINES')!r}/{columns}"


def _crc(text: str) -> str:
    import zlib

    return f"{zlib.crc32(text.encode('utf-8', 'surrogateescape')):08x}"


def _checksum(text: str) -> str:
    return f"{len(text)}:{_crc(text)}"


def _read(target: str, stamp: str) -> str | None:
    """The kept help when ``target`` was written for ``stamp`` and is whole, else None."""
    try:
        with open(target, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            data = fh.read()
    except (OSError, UnicodeError):
        return None
    head, _, rest = data.partition("\n")
    kept, _, rest = rest.partition("\n")
    check, _, text = rest.partition("\n")
    if head != _HEAD or kept != stamp or check != _checksum(text):
        return None
    return text


def _rendered(render: Callable[[], None]) -> tuple[str, int]:
    """What click prints on stdout for this command line, and its exit status."""
    import io

    real, buffer = sys.stdout, io.StringIO()
    sys.stdout = buffer
    try:
        render()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.stdout = real
    return buffer.getvalue(), code


def _keep(folder: str, target: str, stamp: str, text: str) -> None:
    """Write the help whole (a reader sees the old copy or the new), or nothing."""
    import contextlib
    import tempfile

    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".help-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape", newline="") as fh:
            fh.write(f"{_HEAD}\n{stamp}\n{_checksum(text)}\n{text}")
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
