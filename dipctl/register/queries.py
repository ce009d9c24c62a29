"""The read-side use-cases: list, show, status, validate. Plain values in, plain values out."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, ItemNotFound, UsageError
from dipctl.register import model, store
from dipctl.register.records import Decree, Item

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from dipctl.register.checks import Problem
    from dipctl.register.config import Register


def _to_item(data: Any, path: Path) -> Item:
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return Item.from_mapping(data, path)


#: The fields of an :class:`Item`, in order: a cached item is the tuple of their values
#: (unpickled three times faster than the object, which is then made without ``__init__``).
_ITEM_FIELDS = tuple(f.name for f in dataclasses.fields(Item))
#: Names the shape of cached items: a change to :class:`Item` invalidates old caches.
_ITEM_TAG = "Item-values:" + ",".join(_ITEM_FIELDS)
_new = object.__new__


def _pack(item: Item) -> tuple[Any, ...]:
    """The item's values; its texts interned, so that pickle stores a unit, status or
    officer written by ten thousand items once (a third less to unpickle)."""
    values = [getattr(item, name) for name in _ITEM_FIELDS]
    return tuple([sys.intern(v) if type(v) is str else v for v in values])


def _unpack(values: tuple[Any, ...]) -> Item:
    item: Item = _new(Item)
    item.__dict__.update(zip(_ITEM_FIELDS, values, strict=True))  # frozen: as pickle does
    return item


def load_items(reg: Register) -> list[Item]:
    """Every readable item of the register, sorted by id (fast path: C loader plus cache).

    A file that cannot be read is left out and kept in ``reg.broken``: the command goes on
    with the others and the CLI warns about it; what needs that very file asks
    :func:`refuse_broken`.
    """
    broken: list[InvalidFile] = []
    items = store.load_items(
        reg.items_dir, reg.cache_file, _to_item, _ITEM_TAG, broken, codec=(_pack, _unpack)
    )
    _keep_broken(reg, broken)
    return sorted(items, key=lambda i: i.id)


def named_items(reg: Register, ids: Iterable[str]) -> dict[str, Item] | None:
    """The items ``ids`` read straight from their files ``<unit>/<id>.yaml``, for a step
    that names a few of ten thousand (no cache to load); None when that is not plain (no
    such file, two of one name, a file that cannot be read or names another id): then the
    caller reads every item."""
    files = store.ItemFiles(reg.items_dir)
    found: dict[str, str] = {}
    for stem in set(ids):
        paths = files.of(stem)
        if len(paths) != 1:
            return None
        found[stem] = paths[0]
    items: dict[str, Item] = {}
    for stem, name in found.items():
        path = Path(name)
        try:
            item = _to_item(store.load(path), path)
        except InvalidFile:
            return None
        if item.id != stem:
            return None
        items[stem] = item
    return items


def _keep_broken(reg: Register, broken: list[InvalidFile]) -> None:
    for exc in broken:
        reg.broken.setdefault(str(exc.params.get("path", "")), exc)


#: Names the shape of cached decrees (and the register package's code, which reads them).
_DECREE_TAG = "Decree:" + ",".join(f.name for f in dataclasses.fields(Decree))


def load_decrees(reg: Register) -> dict[str, Decree]:
    """Every readable decree; one that cannot be read is kept in ``reg.broken``. Parsed
    once per change of the file (a decree's lampiran lists every item: the parse cost
    ``status`` half its time), cached in ``.git/dipctl/decrees.pickle`` as the items are;
    a decree over the plain size limit is cached with the count of items (its limit)."""
    from dipctl.register import cachefile

    broken: list[InvalidFile] = []
    cache = reg.git_dir / "dipctl" / "decrees.pickle" if reg.git_dir is not None else None
    tag = f"{_DECREE_TAG}:{cachefile.code_stamp()}"
    names = [str(path) for path in store.iter_yaml(reg.decrees_dir)]
    found = store.load_files(names, cache, _to_decree, tag, broken, extra=listing_limit(reg))
    _keep_broken(reg, broken)
    return {decree.id: decree for decree in found if decree is not None}


def listing_limit(reg: Register) -> Callable[[tuple[int, ...]], int]:
    """What a decree's or a presentation's reading depends on besides its bytes, for
    :func:`~dipctl.register.store.load_files`' ``extra``: over the plain size limit, the count
    of items (its limit grows with the register); -1 under it."""
    count: list[int] = []

    def limit(stamp: tuple[int, ...]) -> int:
        if stamp[0] <= store.MAX_FILE_BYTES:
            return -1
        if not count:
            count.append(len(store.item_paths(reg.items_dir)))
        return count[0]

    return limit


def _to_decree(data: Any, path: Path) -> Decree | None:
    return Decree.from_mapping(data, path) if isinstance(data, dict) else None


def refuse_broken(reg: Register, item_ids: Iterable[str]) -> None:
    """Raise the read error of the file of any of ``item_ids`` that could not be read."""
    wanted = set(item_ids)
    for name, exc in reg.broken.items():
        if Path(name).stem in wanted and Path(name).is_relative_to(reg.items_dir):
            raise exc


_STATUS_LINE = re.compile(r"^status:[ \t]*[\"']?([a-z]+)", re.MULTILINE)


def stated_status(path: Path) -> str | None:
    """The status a file that cannot be loaded still shows on its ``status:`` line."""
    try:
        with path.open("rb") as fh:
            head = fh.read(store.MAX_FILE_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    found = _STATUS_LINE.findall(head)
    return found[0] if len(found) == 1 else None


def find_item(reg: Register, item_id: str) -> Item:
    """The item ``item_id``; looks at its likely path first, then at all items."""
    for item in load_items(reg):
        if item.id == item_id or _stem(item.file) == item_id:
            return item
    refuse_broken(reg, [item_id])
    raise ItemNotFound("item.not_found", id=item_id)


def _stem(file: str) -> str:
    """``Path(file).stem`` without making a Path (ten thousand of them were a tenth of
    ``show``'s time)."""
    name = file.rpartition("/")[2]
    if name.endswith(".yaml") and name != ".yaml":
        return name[:-5]
    return Path(file).stem


def _check_choice(option: str, value: str | None, choices: tuple[str, ...] | list[str]) -> None:
    if value is not None and value not in choices:
        raise UsageError("usage.bad_choice", option=option, value=value, choices=", ".join(choices))


def list_items(
    reg: Register,
    status: str | None = None,
    unit: str | None = None,
    category: str | None = None,
) -> list[Item]:
    _check_choice("--status", status, model.STATUSES)
    _check_choice("--unit", unit, sorted(reg.settings.units))
    _check_choice("--category", category, model.CATEGORIES)
    return [
        item
        for item in load_items(reg)
        if (status is None or item.status == status)
        and (unit is None or item.unit == unit)
        and (category is None or item.category == category)
    ]


def validate(reg: Register) -> list[Problem]:
    """Every problem in the register's files as they are on disk (an officer's uncommitted
    edit included), once :func:`committed.require_unconverted` has refused a file whose
    bytes a checkout setting changed, or a link or special file."""
    from dipctl.register import checks
    from dipctl.register.unchanged import Memo

    memo = Memo(reg, checks.today().isoformat())  # the stamps, before anything is read
    if memo.problems is not None:
        return memo.problems
    from dipctl.register import committed
    from dipctl.register import validate as validation  # only validate needs the line-aware checks

    committed.require_unconverted(reg)
    problems = validation.validate(reg)
    memo.remember(problems)
    return problems
