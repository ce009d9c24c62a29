"""Incremental builds: what each file of a built site was made from, kept with the site.

``<out>/.dipctl-manifest.json`` names, for every file dipctl wrote, the digest of its inputs
(the data it renders, the templates, the build's settings: :func:`inputs`) and the digest of
its bytes. A full build writes it like any other file, so a site built incrementally and one
built from scratch are byte-identical, manifest included. Its header names the manifest's
format, dipctl's version, a digest of the code and translations that turn data into bytes
(:func:`code_digest`) and the register: a manifest that is missing, unreadable or made by
other code or for another register is not used, and the build is a full one
(:func:`read` answers ``None``).

An incremental build (:func:`update`) renders only the files whose inputs changed, writes
only those whose bytes differ, and deletes only files that no longer belong *and* that the
manifest says dipctl wrote: a file someone else put in the folder stays. Before it touches
any file it replaces the manifest by one that marks every file it is about to write or delete
as unknown (an empty bytes digest); each file is written beside the site in
``.dipctl-staging/`` and renamed over the old one. A build killed at any moment therefore
leaves a manifest that is true of every file it still vouches for: the next build renders
the unknown ones again and repairs the folder to what a full build writes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import operator
import os
import re
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.files import source_digest
from dipctl.publish.output import MARKER
from dipctl.register.config import templates_dir

if TYPE_CHECKING:
    from collections.abc import Iterator

NAME = ".dipctl-manifest.json"
STAGING = ".dipctl-staging"
FORMAT = 1
UNKNOWN = ""

#: A path's (inputs digest, bytes digest); UNKNOWN bytes: written or deleted by a build that
#: did not finish.
Entries = dict[str, tuple[str, str]]


class Read(Entries):
    """The entries of a manifest as :func:`read` found them; ``canonical`` when its bytes
    are exactly what :func:`encode` writes of them (then an unchanged site's manifest need
    not be encoded again to be compared)."""

    canonical = False


def digest(*parts: bytes | str) -> str:
    return begun(*parts).hexdigest()


def begun(*parts: bytes | str) -> hashlib.blake2b:
    """The digest's state after ``parts``, for :func:`digest_on`: 19,000 pages that begin
    alike hash their common beginning once."""
    return _fed(hashlib.blake2b(digest_size=16), parts)


def digest_on(state: hashlib.blake2b, *parts: bytes | str) -> str:
    """``digest(*first, *parts)`` where ``state`` is ``begun(*first)``."""
    return _fed(state.copy(), parts).hexdigest()


def _fed(h: hashlib.blake2b, parts: tuple[bytes | str, ...]) -> hashlib.blake2b:
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        if len(data) < _SMALL:  # one update: the same bytes fed, one call fewer
            h.update(len(data).to_bytes(8, "little") + data)
        else:
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
    return h


#: A part shorter than this is fed with its length in one update (copying it is cheaper).
_SMALL = 4096


def joined(digests: list[str]) -> str:
    """Many digests as one part of :func:`digest`: one line each (a digest has no newline),
    fed at once rather than 10,000 parts one by one."""
    return "\n".join(digests)


def data_digest(value: Any) -> str:
    """The digest of data as a template or a download sees it (plain dicts, lists, text)."""
    return digest(data_text(value))


def data_text(value: Any) -> str:
    """What :func:`data_digest` digests: ``data_digest([a, b])`` is the digest of
    ``f"[{data_text(a)},{data_text(b)}]"``, so a big value's text may be made once."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=repr
    )


def tree_digest(folder: Path | None) -> str:
    """Every name, kind and regular file's bytes under ``folder``, links not followed."""
    if folder is None or not folder.is_dir():
        return digest("none")
    parts: list[str | bytes] = []
    for here, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names) + dirs:
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                parts += ["link", rel, str(path.readlink())]
            elif path.is_file():
                parts += ["file", rel, path.read_bytes()]
            elif not path.is_dir():
                parts += ["other", rel]
    return digest(*parts)


_CODE: list[str] = []


def code_digest() -> str:
    """dipctl's version and the code and texts that turn the public data into bytes."""
    if not _CODE:
        import dipctl

        parts: list[str | bytes] = [str(dipctl.__version__)]
        parts.append(source_digest(("publish", "locales"), (".py", ".yaml")))
        parts.append(tree_digest(templates_dir() / "site"))
        _CODE.append(digest(*parts))
    return _CODE[0]


def header(agency: str) -> dict[str, Any]:
    """What a usable manifest must say. The register is named by its agency, not by its
    path: two clones of one commit build the same bytes, manifest included."""
    return {"format": FORMAT, "code": code_digest(), "register": digest(agency)}


#: A line as :func:`encode` writes it when no text in it needs an escape in JSON: made and
#: read without the json module (19,000 lines), the same bytes and the same strings.
_PLAIN = re.compile(r'\["([^"\\\x00-\x1f]*)", "([0-9a-f]*)", "([0-9a-f]*)"\]')
_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _line(path: str, inputs: str, made: str) -> str:
    if _ESCAPED.search(f"{path}{inputs}{made}"):
        return json.dumps([path, inputs, made], ensure_ascii=False)
    return f'["{path}", "{inputs}", "{made}"]'


def encode(head: dict[str, Any], entries: Entries) -> bytes:
    """One file per line, sorted: the same entries are always the same bytes."""
    lines = [json.dumps(head, sort_keys=True)]
    lines += [_line(path, *entries[path]) for path in sorted(entries)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def read(target: Path, head: dict[str, Any]) -> Read | None:
    """The manifest of the site at ``target``, or None: none, unreadable, or another's."""
    try:
        text = (target / NAME).read_bytes().decode("utf-8")
        first, _, body = text.partition("\n")
        if json.loads(first) != head:
            return None
        ended = not body or body.endswith("\n")
        found = _PLAIN_LINES.findall(body) if ended else []
        whole = ended and len(found) == body.count("\n")  # each line as encode() writes it
        entries = _plain(found) if whole else _escaped(body)  # (none needs an escape: in C)
        if entries is not None:  # as encode() writes it: that header, sorted lines
            canonical = entries.canonical and first == json.dumps(head, sort_keys=True)
            entries.canonical = canonical
        return entries
    except (OSError, ValueError, TypeError):  # corrupt: a full build repairs it
        return None


#: Every line of a manifest's body, each whole: :data:`_PLAIN` and its newline.
_PLAIN_LINES = re.compile(f"^{_PLAIN.pattern}\n", re.M)
#: What shows a path with an empty or ``..`` part, or an absolute one, among paths each on
#: a line of its own with a newline before the first and after the last.
_OUTSIDE = ("\n\n", "\n/", "//", "/\n", "\n../", "/../", "/..\n", "\n..\n")


def _inside(paths: list[str]) -> bool:
    """Whether every path is one in the site: none empty or absolute, no ``..`` part (by
    substring over them all, in C)."""
    listed = "\n" + "\n".join(paths) + "\n"
    return not paths or not any(mark in listed for mark in _OUTSIDE)


def _plain(found: list[tuple[str, str, str]]) -> Read | None:
    """The entries of the lines :data:`_PLAIN_LINES` found, in C where it can be."""
    paths = [path for path, _, _ in found]
    if not _inside(paths):
        return None
    entries = Read({path: (inputs, made) for path, inputs, made in found})
    entries.canonical = all(map(operator.lt, paths, paths[1:]))
    return entries


def _escaped(body: str) -> Read | None:
    """The entries line by line, some of them written with escapes (:func:`_line`)."""
    lines = body.split("\n")
    ended = lines[-1] == ""
    if ended:
        lines.pop()
    entries = Read()
    canonical, last = ended, ""
    for line in lines:
        plain = _PLAIN.fullmatch(line)
        path, inputs, made = plain.groups() if plain else json.loads(line)
        if not all(isinstance(x, str) for x in (path, inputs, made)):
            return None
        entries[path] = (inputs, made)
        if canonical:
            canonical = last < path and (plain is not None or _line(path, inputs, made) == line)
        last = path
    entries.canonical = canonical
    return entries if _inside(list(entries)) else None


def stale(target: Path, old: Entries, wanted: dict[str, str]) -> set[str]:
    """The files to render: their inputs changed, their bytes are unknown, or they are gone
    (a file the listing of the site's folders does not show as one is asked for alone)."""
    root = str(target)
    listed = _files(root)
    return {
        path
        for path, inputs in wanted.items()
        if (found := old.get(path)) is None
        or found[0] != inputs
        or found[1] == UNKNOWN
        or (
            path not in listed and not os.path.isfile(os.path.join(root, path))  # noqa: PTH113, PTH118
        )
    }


def _files(root: str) -> set[str]:
    """The paths (relative, with ``/``) of the regular files, or links to one, in ``root``
    and its folders (links to folders not followed): one listing per folder, not one
    ``stat`` per file of 19,000."""
    found: set[str] = set()
    folders = [""]
    while folders:
        here = folders.pop()
        try:
            with os.scandir(os.path.join(root, here) if here else root) as entries:  # noqa: PTH118
                for entry in entries:
                    name = f"{here}/{entry.name}" if here else entry.name
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(name)
                        elif entry.is_file():
                            found.add(name)
                    except OSError:
                        continue  # asked for alone
        except OSError:
            continue
    return found


def _same_on_disk(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def update(
    target: Path,
    head: dict[str, Any],
    old: Entries,
    wanted: dict[str, str],
    files: dict[str, bytes],
) -> tuple[int, int]:
    """Bring the site at ``target`` to ``wanted``, ``files`` holding the rendered stale ones;
    returns how many files were written and deleted."""
    made = {path: digest(data) for path, data in files.items()}
    writes = []
    for path, data in sorted(files.items()):
        known = old.get(path, (UNKNOWN, UNKNOWN))[1]
        if known == UNKNOWN:
            if not _same_on_disk(target / path, data):
                writes.append(path)
        elif known != made[path] or not (target / path).is_file():
            writes.append(path)
    removes = sorted(path for path in old if path not in wanted)
    staging = target / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # a killed build's
    staging.mkdir()
    _apply(target, head, old, wanted, files, made, writes, removes)
    return len(writes), len(removes)


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """One incremental build at a time in a folder, from reading the manifest to writing it:
    a second waits for the first."""
    with (target / MARKER).open("rb") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)
        yield


def _apply(
    target: Path,
    head: dict[str, Any],
    old: Entries,
    wanted: dict[str, str],
    files: dict[str, bytes],
    made: dict[str, str],
    writes: list[str],
    removes: list[str],
) -> None:
    staging = target / STAGING
    try:
        if writes or removes:
            pending = dict(old)
            for path in writes + removes:
                pending[path] = (pending.get(path, (UNKNOWN,))[0], UNKNOWN)
            _replace(staging, target / NAME, encode(head, pending))
            for path in writes:
                dest = _below(target, path)
                dest.parent.mkdir(parents=True, exist_ok=True)
                _replace(staging, dest, files[path])
            for path in removes:
                _remove(target, path)
        final = {
            path: (inputs, made[path] if path in made else old[path][1])
            for path, inputs in wanted.items()
        }
        if not writes and not removes and isinstance(old, Read) and old.canonical and final == old:
            return  # the manifest on disk is already these bytes
        data = encode(head, final)
        if not _same_on_disk(target / NAME, data):
            _replace(staging, target / NAME, data)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace(staging: Path, dest: Path, data: bytes) -> None:
    """``dest`` holds the old bytes or the new ones, never a part."""
    temporary = staging / "file"
    temporary.write_bytes(data)
    temporary.replace(dest)


def _below(target: Path, path: str) -> Path:
    """``target / path``, once no folder on the way is a symbolic link: a link put in the
    site would make a build write or delete outside it. OSError: a full build replaces the
    folder instead (and the link with it, never following it)."""
    folder = target
    for part in path.split("/")[:-1]:
        folder = folder / part
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            break  # made by mkdir, a real folder
        if not stat.S_ISDIR(mode):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder of the site", str(folder))
    return target / path


def _remove(target: Path, path: str) -> None:
    """The file, then each folder above it that it leaves empty (never ``target``)."""
    file = _below(target, path)
    with contextlib.suppress(FileNotFoundError):
        file.unlink()
    folder = file.parent
    while folder != target:
        try:
            folder.rmdir()
        except OSError:  # not empty (or gone): the folders above are not empty either
            return
        folder = folder.parent
