"""What the rules of ``dipctl verify`` see of one commit: the item files it changed, the
register.yaml before and after, and the finding a rule reports (SPEC.md section 4)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from dipctl.register import model, records
from dipctl.sop import workflow

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from collections.abc import Set as AbstractSet

    from dipctl.proof.replay import Commit, Objects
    from dipctl.register.config import Register
    from dipctl.register.records import Settings


@dataclass(frozen=True, order=True)
class Finding:
    commit: str
    path: str
    item: str
    rule: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()
    level: str = "error"


T = TypeVar("T")


class _once(Generic[T]):
    """:func:`functools.cached_property` without its lock, which Python 3.11 takes on every
    first read: a walk reads these about half a million times, in one thread."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute, self.name = compute, compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass
class ItemChange:
    """One item file in one commit: its mapping before (first parent) and after."""

    path: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    transition: workflow.Transition | None = None  # the step the trailers claim, if it fits
    implied: workflow.Transition | None = None  # the step the status change could be
    old_path: str = ""  # its path before, when the commit moved it to another folder

    @property
    def moved_unit(self) -> bool:
        """Its unit changed: the `unit` field, or the folder (the unit's) it lives in; an
        item new in this commit: a folder that is not its `unit`."""
        if self.after is None:
            return False
        folder = self.path.rsplit("/", 2)[-2]
        if self.before is None:
            return str(self.after.get("unit", "")) != folder
        before_folder = (self.old_path or self.path).rsplit("/", 2)[-2]
        return self.before.get("unit") != self.after.get("unit") or before_folder != folder

    # what follows is read by most rules of every commit, and before and after never change
    # once the walk made the change: each is worked out once

    @_once
    def status_before(self) -> str:
        return str((self.before or {}).get("status", ""))

    @_once
    def status_after(self) -> str:
        return str((self.after or {}).get("status", ""))

    @_once
    def moved(self) -> bool:
        return self.status_before != self.status_after

    @property
    def unit(self) -> str:
        return str((self.before or self.after or {}).get("unit", ""))

    def sets(self) -> frozenset[str]:
        """The fields besides ``status`` that the step it is part of may set."""
        return (
            workflow.SETS.get(self.transition.action, frozenset())
            if self.transition
            else (frozenset())
        )

    def changed(self) -> frozenset[str]:
        return self._changed

    @_once
    def _changed(self) -> frozenset[str]:
        before, after = self.before or {}, self.after or {}
        return frozenset({k for k in {*before, *after} if before.get(k) != after.get(k)})


@dataclass(frozen=True)
class MergedPath:
    """A path whose result in a merge differs from at least one of its parents."""

    path: str
    item: str  # the item's id for an item file, "" for any other file
    parents: tuple[str | None, ...]  # its blob in each parent (None: absent)
    result: str | None  # its blob in the merge
    newer: bool = True  # taken whole from a side: each other side's state leads to it

    @property
    def taken(self) -> bool:
        """The merge took one parent's version whole."""
        return self.result in self.parents


@dataclass
class Step:
    """What the rules see of one commit."""

    commit: Commit
    settings: Settings | None  # register.yaml at the first parent
    register_before: dict[str, Any] | None
    register_after: dict[str, Any] | None
    items: list[ItemChange]
    objects: Objects
    prefix: str
    deleted_ids: dict[str, str] = field(default_factory=dict)
    trusted: bool = False
    imported: bool = False  # `dipctl import` by a kepala: its items are a trust root
    signature: tuple[str, str] = ("N", "")  # %G? and %GS, against the parent's signers
    root: bool = False  # the register's one trust root (its first commit, when no `sejak`)
    known_ids: AbstractSet[str] = frozenset()  # every item id in the history before it
    parent_times: tuple[int, ...] = ()  # the parents' committer times (%ct)
    merged: list[MergedPath] = field(default_factory=list)  # a merge's paths, see MergedPath
    register_parents: tuple[dict[str, Any] | None, ...] = ()  # a merge's other parents
    linear: bool = True  # after `riwayat.linear_sejak` (or without it): merges are findings
    latest: Mapping[str, str] = field(default_factory=dict)  # item id -> its last commit
    item_paths: Mapping[str, str] = field(default_factory=dict)  # item id -> its file now
    #: What the rules' helpers work out once per step from its commit alone (a copy made
    #: with ``dataclasses.replace`` starts empty): :func:`dipctl.proof.owners._in_area`.
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def register_changed(self, keys: tuple[str, ...]) -> list[str]:
        """The top-level ``keys`` of register.yaml that this commit itself changed: for a
        merge, those that differ from every parent (the others it took from a side)."""
        if self.register_after is None:
            return []
        after = self.register_after
        if not self.register_parents:  # not a merge: the first parent's alone
            before = self.register_before or {}
            return [k for k in keys if before.get(k) != after.get(k)]
        parents = (self.register_before, *self.register_parents)
        return [k for k in keys if all((p or {}).get(k) != after.get(k) for p in parents)]

    def finding(self, change: ItemChange | None, rule: str, key: str, **params: Any) -> Finding:
        path = change.path if change else f"{self.prefix}{model.REGISTER_FILE}"
        item = change.id if change else ""
        return Finding(self.commit.sha, path, item, rule, key, tuple(params.items()))

    @_once
    def author(self) -> records.Person | None:
        """The commit's author in the parent's register.yaml (read by most rules: looked up
        once; neither the settings nor the commit of a step change)."""
        return self.settings.person(self.commit.author_email) if self.settings else None


def register_prefix(reg: Register) -> str:
    rel = reg.relative(reg.root)
    return "" if rel in (".", "") else rel.rstrip("/") + "/"


SIGNERS_FILE = "penanda-tangan"


def item_changes(commit: Commit, objects: Objects, items_prefix: str) -> list[ItemChange]:
    """Item files changed by ``commit``; a file moved between unit folders is one change."""
    added: dict[str, ItemChange] = {}
    removed: dict[str, ItemChange] = {}
    changes: list[ItemChange] = []
    for change in commit.changes:
        if not change.path.startswith(items_prefix) or not change.path.endswith(".yaml"):
            continue
        item_id = change.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        entry = ItemChange(change.path, item_id, objects.data(change.old), objects.data(change.new))
        if change.old is None:
            added[item_id] = entry
        elif change.new is None:
            removed[item_id] = entry
        else:
            changes.append(entry)
    for item_id, entry in added.items():
        gone = removed.pop(item_id, None)
        changes.append(
            ItemChange(entry.path, item_id, gone.before, entry.after, old_path=gone.path)
            if gone
            else entry
        )
    return [*changes, *removed.values()]


def implied(change: ItemChange) -> workflow.Transition | None:
    """The SOP step that a status change could be, whatever the commit claims."""
    if not change.moved or change.after is None:
        return None
    return _implied(change.status_before if change.before is not None else "", change.status_after)


@functools.lru_cache(maxsize=1024)
def _implied(source: str, target: str) -> workflow.Transition | None:
    """The first step of the SOP's (constant) table from ``source`` to ``target``: asked for
    every item change of the history, kept per question."""
    return next(
        (
            t
            for t in workflow.TRANSITIONS
            if (source in t.sources or (not t.sources and not source)) and t.target == target
        ),
        None,
    )


def claimed(commit: Commit, change: ItemChange) -> workflow.Transition | None:
    """The step the commit's DIP-Action claims, when it fits the status change."""
    if not change.moved or change.after is None:
        return None
    if commit.action:
        source = change.status_before if change.before is not None else ""
        return workflow.find(commit.action, source, change.status_after, commit.role)
    return implied(change)
