"""Register files on disk: the only module that reads or writes YAML.

Two readers, one writer:

* :func:`load` is the fast, safe read (PyYAML's C loader) for list, show, status and build,
  with :func:`load_items` caching parsed items by size and mtime inside ``.git/``;
* :func:`load_located` also returns the line of every key, for ``dipctl validate``;
* :mod:`dipctl.register.roundtrip` edits through ruamel.yaml's round-trip mode, so that the
  comments, key order, quoting and blank lines that officers wrote survive, and writes
  atomically (temp file in the same folder, then rename).

Every reader refuses what a register file never needs and an attacker might send: symlinks,
files over :data:`MAX_FILE_BYTES` (a decree's limit grows with the register), non-UTF-8
text, and YAML anchors or aliases."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dipctl.errors import InvalidFile
from dipctl.files import write_atomic as write_atomic  # re-exported for store users
from dipctl.register import cachefile, model
from dipctl.register.characters import CONTROL_RE as CONTROL_RE
from dipctl.register.characters import refuse_controls
from dipctl.register.conflicts import refuse_markers

if TYPE_CHECKING:
    from collections.abc import Callable

    import yaml


MAX_FILE_BYTES = 256 * 1024
#: A decree or a presentation lists items (``lampiran``, ``menetapkan``, ``mengeluarkan``,
#: a Penetapan DIK's ``rincian``): its limit grows by this much per item of the register, so
#: that an honest province's lampiran of 50,000 rows is read while a bloated file is not.
LIST_ROW_BYTES = 1024
_LISTING_FOLDERS = (model.DECREES_DIR, model.PRESENTATIONS_DIR)
T = TypeVar("T")


@cache
def _loader() -> type[yaml.SafeLoader]:
    """The safe loader (PyYAML's C one) whose scalars fail with a line: a 5,000-digit
    integer, 2026-02-30. PyYAML is imported here, on the first parse: a warm ``list`` or
    ``validate`` answered from the caches parses nothing."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    for kind in ("int", "float", "timestamp"):
        tag = f"tag:yaml.org,2002:{kind}"
        Loader.add_constructor(tag, _checked(base.yaml_constructors[tag]))
    return Loader


def _checked(construct: Any) -> Any:
    import yaml

    def checked(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as exc:
            detail = f"{node.value[:40]!s}: {exc}"
            raise yaml.constructor.ConstructorError(None, None, detail, node.start_mark) from exc

    return checked


def yaml_errors() -> tuple[type[BaseException], ...]:
    """What hostile text may raise while it is parsed."""
    import yaml

    return (yaml.YAMLError, RecursionError, MemoryError)


# -- reading -------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The text of a register file, or :class:`InvalidFile` naming what is wrong with it."""
    if path.is_symlink():
        raise InvalidFile("file.symlink", path=path, line=1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _refuse_big(path, size)
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile("file.unreadable", path=path, line=1, detail=exc.strerror) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InvalidFile("file.not_utf8", path=path, line=line) from exc
    if "\x00" in text:
        raise InvalidFile(
            "file.binary", path=path, line=text.count("\n", 0, text.index("\x00")) + 1
        )
    refuse_controls(text, path)
    refuse_markers(text, path)  # a plain `git merge` stopped half way: say so, not YAML
    if not text.strip():
        raise InvalidFile("file.empty", path=path, line=1)
    return text.removeprefix("\ufeff")


def _refuse_big(path: Path, size: int) -> None:
    """Refuse a file over its limit: :data:`MAX_FILE_BYTES`, and for a decree or a
    presentation that plus :data:`LIST_ROW_BYTES` per item of the register (counted only
    for a file that big)."""
    if path.parent.name not in _LISTING_FOLDERS:
        raise InvalidFile("file.too_big", path=path, line=1, size=size, limit=MAX_FILE_BYTES)
    count = len(item_paths(path.parent.parent / model.ITEMS_DIR))
    limit = MAX_FILE_BYTES + LIST_ROW_BYTES * count
    if size > limit:
        raise InvalidFile(
            "file.too_big_list",
            path=path,
            line=1,
            size=size,
            limit=limit,
            base=MAX_FILE_BYTES,
            row=LIST_ROW_BYTES,
            count=count,
        )


def refuse_aliases(text: str, path: Path) -> None:
    """Refuse anchors and aliases by scanning parser events, which never expands them."""
    if "&" not in text and "*" not in text:
        return
    import yaml

    try:
        for event in yaml.parse(text, Loader=_loader()):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise InvalidFile("file.alias", path=path, line=line)
    except yaml_errors() as exc:
        raise syntax_error(exc, path, text) from exc


def syntax_error(exc: BaseException, path: Path, text: str) -> InvalidFile:
    """The parser's error in plain words (:mod:`dipctl.register.syntax`)."""
    from dipctl.register import syntax

    return syntax.explain(exc, path, text)


def parse(text: str, path: Path) -> Any:
    """The safe read of register text that is not (or not yet) a file, e.g. from git."""
    refuse_controls(text, path)
    refuse_aliases(text, path)
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except yaml_errors() as exc:
        raise syntax_error(exc, path, text) from exc


def load_only(text: str) -> Any:
    """The loader of :func:`parse` alone, without its refusals: for
    :func:`dipctl.register.batch.parse_many`, which runs them on the whole text and then
    reads its entries one by one (what it raises, the caller handles)."""
    import yaml

    return yaml.load(text, Loader=_loader())


@cache
def _resolver() -> Any:
    return _loader()("").resolve


def plain_tag(text: str) -> str:
    """The tag the loader gives ``text`` as a plain scalar: a string, a number, a date, ..."""
    import yaml

    return str(_resolver()(yaml.ScalarNode, text, (True, False)))


def load(path: Path) -> Any:
    """The safe, fast read of one register file."""
    return parse(read_text(path), path)


@dataclass(frozen=True)
class Located:
    """A loaded file with the line of every key: ``lines[("pengecualian", "berakhir")]``."""

    data: Any
    lines: dict[tuple[str | int, ...], int]
    duplicates: list[tuple[tuple[str | int, ...], int]]

    def line(self, *path: str | int) -> int:
        """The line of the deepest known prefix of ``path`` (1 for the document)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def load_located(path: Path) -> Located:
    """Load one file and record where each key and list entry stands."""
    text = read_text(path)
    refuse_aliases(text, path)
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml_errors() as exc:
        raise syntax_error(exc, path, text) from exc
    finally:
        loader.dispose()
    lines: dict[tuple[str | int, ...], int] = {}
    duplicates: list[tuple[tuple[str | int, ...], int]] = []
    if node is not None:
        try:
            _walk(node, (), lines, duplicates)
        except RecursionError as exc:
            raise syntax_error(exc, path, text) from exc
    return Located(data, lines, duplicates)


def _walk(
    node: Any,  # a yaml.Node
    prefix: tuple[str | int, ...],
    lines: dict[tuple[str | int, ...], int],
    duplicates: list[tuple[tuple[str | int, ...], int]],
) -> None:
    if node.id == "mapping":  # yaml.MappingNode (by its id: no import in the recursion)
        for key_node, value_node in node.value:
            path = (*prefix, str(key_node.value))
            if path in lines:
                duplicates.append((path, key_node.start_mark.line + 1))
            lines[path] = key_node.start_mark.line + 1
            _walk(value_node, path, lines, duplicates)
    elif node.id == "sequence":
        for index, child in enumerate(node.value):
            lines[(*prefix, index)] = child.start_mark.line + 1
            _walk(child, (*prefix, index), lines, duplicates)


def iter_yaml(folder: Path) -> list[Path]:
    """The ``*.yaml`` files directly in ``folder`` (rapat/, keputusan/), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


# -- the item cache ------------------------------------------------------------------------


def item_paths(items_dir: Path) -> list[str]:
    """Every ``*.yaml`` below ``informasi/`` (unit folders, strays), sorted, as strings
    (not :class:`Path` objects: at 10,000 files the difference is felt)."""
    if not items_dir.is_dir():
        return []
    found: list[str] = []
    with os.scandir(items_dir) as units:
        for unit in units:
            if unit.is_dir(follow_symlinks=False):
                with os.scandir(unit.path) as files:  # _is_item_file, inline: 10,000 calls
                    found += [
                        f.path
                        for f in files
                        if f.name.endswith(".yaml") and not f.is_dir(follow_symlinks=False)
                    ]
            elif _is_item_file(unit):
                found.append(unit.path)
    return sorted(found)


class ItemFiles:
    """The item files of given ids (``informasi/<id>.yaml``, ``informasi/<unit>/<id>.yaml``),
    looked for one id at a time: a look in each unit folder, not a listing of every item."""

    def __init__(self, items_dir: Path) -> None:
        self.places = [str(items_dir)]
        if items_dir.is_dir():
            with os.scandir(items_dir) as units:
                self.places += [u.path for u in units if u.is_dir(follow_symlinks=False)]

    def of(self, item_id: str) -> list[str]:
        """The paths of ``item_id``'s file (more than one when two units hold it), sorted."""
        name = f"{item_id}.yaml"
        return sorted(path for place in self.places if _not_folder(path := f"{place}/{name}"))

    def __contains__(self, item_id: object) -> bool:
        return bool(self.of(str(item_id)))


def _not_folder(path: str) -> bool:
    """Whether something other than a folder is at ``path`` (a link is kept, as below)."""
    try:
        return not stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_item_file(entry: os.DirEntry[str]) -> bool:  # a symlink is kept: reading reports it
    return entry.name.endswith(".yaml") and not entry.is_dir(follow_symlinks=False)


def load_items(
    items_dir: Path,
    cache_file: Path | None,
    convert: Callable[[Any, Path], T],
    tag: str = "",
    broken: list[InvalidFile] | None = None,
    codec: tuple[Callable[[T], Any], Callable[[Any], T]] | None = None,
) -> list[T]:
    """Load and ``convert`` every item file, reusing results cached in ``cache_file``
    (:func:`load_files`)."""
    return load_files(item_paths(items_dir), cache_file, convert, tag, broken, codec=codec)


def load_files(
    names: list[str],
    cache_file: Path | None,
    convert: Callable[[Any, Path], T],
    tag: str = "",
    broken: list[InvalidFile] | None = None,
    extra: Callable[[tuple[int, ...]], int] | None = None,
    codec: tuple[Callable[[T], Any], Callable[[Any], T]] | None = None,
) -> list[T]:
    """Load and ``convert`` the files ``names``, reusing results cached in ``cache_file``.

    A file is unchanged when its :func:`~dipctl.register.cachefile.stamp` (size, mtime,
    inode, ctime, mode) is, and it had not been changed in the
    :data:`~dipctl.register.cachefile.RACY_NS` before it was cached (a write in the same
    tick as an earlier one leaves the stamp alike); the cache holds only files that loaded
    and converted without error, so a broken file is always re-read. Only the entries that
    changed are written (:class:`~dipctl.register.cachefile.Table`'s journal).
    ``tag`` names the shape of the converted values: a cache with another tag is ignored.
    ``extra`` adds to a file's stamp what else its reading depends on (a decree's size
    limit: the count of items). ``codec`` (pack, unpack) stores a value in a shape that
    loads faster (plain tuples rather than objects).
    With ``broken``, a file that cannot be read is added there and left out (the caller
    decides whether that stops it); without, the first one raises.
    """
    table = cachefile.Table(cache_file, tag)
    cache = table.load() if cache_file is not None else {}
    racy = cachefile.cutoff()  # files changed after this are not trusted next time
    fresh: dict[str, tuple[tuple[int, ...], Any]] = {}
    changed: dict[str, tuple[tuple[int, ...], Any]] = {}
    loaded: list[T] = []
    pack, unpack = codec if codec is not None else (None, None)
    stamp = cachefile.stamp
    stamps: list[tuple[int, ...]] = [stamp(os.lstat(name)) for name in names]
    if extra is not None:
        stamps = [(*found, extra(found)) for found in stamps]
    whole = _all_kept(cache, names)
    if whole is not None and [entry[0] for entry in whole] == stamps:  # nothing changed
        values = [entry[1] for entry in whole]
        return values if unpack is None else [unpack(value) for value in values]
    for name, found in zip(names, stamps, strict=True):
        hit = cache.get(name)
        if hit is not None and hit[0] == found:
            fresh[name] = hit
            loaded.append(hit[1] if unpack is None else unpack(hit[1]))
            continue
        path = Path(name)
        try:
            value = convert(load(path), path)
        except InvalidFile as exc:
            if broken is None:
                raise
            broken.append(exc)
            continue
        kept = value if pack is None else pack(value)
        fresh[name] = changed[name] = (cachefile.kept(found, racy), kept)
        loaded.append(value)
    table.save(fresh, changed, cache.keys() - fresh.keys())
    return loaded


def _all_kept(cache: dict[str, Any], names: list[str]) -> list[Any] | None:
    """The cache's entry of every one of ``names``, in order, when it holds them and no
    other (one comparison of whole lists then tells whether any changed)."""
    if len(cache) != len(names):
        return None
    try:
        return [cache[name] for name in names]
    except KeyError:
        return None
