"""The read-side use-cases: list, show, status, validate. Plain values in, plain values out."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, ItemNotFound, UsageError
from dipctl.register import model, store
from dipctl.register.records import Decree, Item

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.checks import Problem
    from dipctl.register.config import Register


def _to_item(data: Any, path: Path) -> Item:
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return Item.from_mapping(data, path)


#: Names the shape of cached items: a change to :class:`Item` invalidates old caches.
_ITEM_TAG = "Item:" + ",".join(f.name for f in dataclasses.fields(Item))


def load_items(reg: Register) -> list[Item]:
    """Every item of the register, sorted by id (fast path: C loader plus cache)."""
    items = store.load_items(reg.items_dir, reg.cache_file, _to_item, _ITEM_TAG)
    return sorted(items, key=lambda i: i.id)


def load_decrees(reg: Register) -> dict[str, Decree]:
    decrees = {}
    for path in store.iter_yaml(reg.decrees_dir):
        data = store.load(path)
        if isinstance(data, dict):
            decree = Decree.from_mapping(data, path)
            decrees[decree.id] = decree
    return decrees


def find_item(reg: Register, item_id: str) -> Item:
    """The item ``item_id``; looks at its likely path first, then at all items."""
    for item in load_items(reg):
        if item.id == item_id or item.path.stem == item_id:
            return item
    raise ItemNotFound("item.not_found", id=item_id)


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
    from dipctl.register import validate as validation  # only validate needs the line-aware checks

    return validation.validate(reg)
