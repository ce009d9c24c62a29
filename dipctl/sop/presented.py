"""Which ``ditentukan`` items have had their draft decree presented to the kepala since they
became ``ditentukan`` (``dipctl decree present``, step 5's clock), for ``dipctl status``.

Read from one ``git log`` of the items' files and ``penyampaian/``: walking back from the
newest commit, a presentation record of the item's kind that names it counts when it was
added after the item's file last changed (the meeting that made it ``ditentukan``; a
presentation changes no item). ``dipctl sla`` measures the clock itself from the whole
history (:mod:`dipctl.proof.clocks`); this only tells who is awaited next.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from dipctl.errors import DipctlError
from dipctl.register import model, store
from dipctl.register.queries import load_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item


def presented(reg: Register, items: Sequence[Item]) -> set[str]:
    """The ids of ``items`` whose draft decree of their kind was presented since their file
    last changed (an empty set without git history)."""
    if not items or reg.git_dir is None:
        return set()
    folder = reg.root / model.PRESENTATIONS_DIR
    records = _records(reg)
    located = {item.id: _rel(reg, item) for item in items}
    by_path = {path: item for item in items if (path := located[item.id]) is not None}
    if not records or not by_path:
        return set()
    done = subprocess.run(
        [
            "git",
            "log",
            "--no-renames",
            "--name-only",
            "--format=%x1e",
            "--",
            reg.relative(folder),
            *by_path,
        ],
        cwd=reg.work_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return set()
    found: set[str] = set()
    settled: set[str] = set()  # the item's own last change is reached: older ones do not count
    for chunk in done.stdout.split("\x1e"):
        changed = chunk.split()
        settled.update(by_path[p].id for p in changed if p in by_path)
        for path in changed:
            kind, ids = records.get(path, ("", frozenset()))
            found.update(
                i.id for i in by_path.values() if i.id in ids - settled and _kind(i) == kind
            )
        if len(settled) == len(by_path):
            break
    return found


def unpresented(reg: Register, ids: Sequence[str], all_: bool, dik: bool) -> list[str]:
    """Of the ``ditentukan`` items that ``establish`` (or with ``dik`` ``approve``) is about
    to take (``ids``, or with ``all_`` every one of its kind), those whose draft decree was
    not presented: their step 5 will not be measured (``dipctl sla``)."""
    chosen = set(ids)
    items = [
        i
        for i in load_items(reg)
        if i.status == model.Status.DETERMINED.value
        and (i.category == model.EXEMPT) == dik
        and (all_ or i.id in chosen)
    ]
    shown = presented(reg, items)
    return [i.id for i in items if i.id not in shown]


def _kind(item: Item) -> str:
    return model.DIK_KIND if item.category == model.EXEMPT else "penetapan"


def _rel(reg: Register, item: Item) -> str | None:
    try:
        return item.path.absolute().relative_to(reg.work_tree.absolute()).as_posix()
    except ValueError:
        return None


def _records(reg: Register) -> dict[str, tuple[str, frozenset[str]]]:
    """Each presentation record by its path in the repository: (kind, the items it names)."""
    found = {}
    for path in store.iter_yaml(reg.root / model.PRESENTATIONS_DIR):
        try:
            data = store.load(path)
        except DipctlError:
            continue
        if isinstance(data, dict) and isinstance(data.get("informasi"), list):
            ids = frozenset(str(i) for i in data["informasi"])
            found[reg.relative(path)] = (str(data.get("jenis") or ""), ids)
    return found
