"""One item's kelengkapan for a step: the item file's own checks of ``validate``
(:func:`~dipctl.register.item_checks.check_item_file`) as if it had the step's status, and
what they need of the register: its units and people, which meetings and decrees exist, and
their data only for an established item.

Apart from :mod:`dipctl.register.validate` so that a step (``submit``) loads neither the
records' nor the scans' rules, which only ``validate`` runs; ``validate`` reads the records
and builds the context of its checks here too, so that both judge an item alike.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import checks, model, store
from dipctl.register.checks import Context, Problem
from dipctl.register.item_checks import check_item_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.register.config import Register
    from dipctl.register.verdicts import Verdicts

#: The records of each kind, in its folder: (path, data or None when it cannot be read).
Records = dict[str, list[tuple[Path, Any]]]
#: Each kind of record and its folder, in the order ``validate`` reads them.
FOLDERS: dict[str, str] = {
    "rapat": model.MEETINGS_DIR,
    "keputusan": model.DECREES_DIR,
    "penyampaian": model.PRESENTATIONS_DIR,
}


def item_problems(reg: Register, path: Path, as_status: str) -> list[Problem]:
    """The problems of one item file as if it had ``as_status`` (a step's kelengkapan).
    The item ids are not needed (only the records' rules use them): no listing of them;
    nor, below an established status, the records' data (only which records exist: the
    data names the imported decrees, which an established item's check alone asks for)."""
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened
    fc.located.data["status"] = as_status
    settings = store.load(reg.config_file)
    if as_status in model.ESTABLISHED:
        from dipctl.register.verdicts import Verdicts

        loaded = Verdicts(reg, "records.pickle")
        found = records(reg, loaded, partial(_count, reg))
        loaded.save()
    else:
        found = {
            kind: [(p, None) for p in store.iter_yaml(reg.root / folder)]
            for kind, folder in FOLDERS.items()
        }
    check_item_file(fc, path, reg, context(reg, settings, set(), found))
    return fc.problems


def _count(reg: Register) -> int:
    return len(store.item_paths(reg.items_dir))


def records(reg: Register, memo: Verdicts, count: Callable[[], int]) -> Records:
    """The meeting records, decrees and presentations with their data, each read once per
    change (the data of a file over 256 KiB also per ``count`` of items: its size limit
    grows with it; counted only then)."""
    found: Records = {}
    for kind, folder in FOLDERS.items():
        found[kind] = []
        for path in store.iter_yaml(reg.root / folder):
            try:
                big = path.lstat().st_size > store.MAX_FILE_BYTES
            except OSError:
                big = False
            key = str(count()) if big else ""
            found[kind].append((path, memo.get("data", str(path), key, partial(_load, path))))
    return found


def _load(path: Path) -> Any:
    try:
        return store.load(path)
    except InvalidFile:
        return None  # reported by the file's own check


def context(
    reg: Register, settings: dict[str, Any] | None, item_ids: set[str], records: Records
) -> Context:
    """What an item's checks need of the rest of the register."""
    units = (settings or {}).get("unit")
    return Context(
        units=frozenset(str(k) for k in units) if isinstance(units, dict) else frozenset(),
        people=_people(settings or {}),
        item_ids=frozenset(item_ids),
        meetings=frozenset(p.stem for p, _ in records["rapat"]),
        decrees=frozenset(p.stem for p, _ in records["keputusan"]),
        imported=frozenset(
            p.stem
            for p, data in records["keputusan"]
            if isinstance(data, dict) and data.get("sumber") == "impor"
        ),
        settings_known=settings is not None,
    )


def _people(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    people: dict[str, tuple[str, ...]] = {}
    people_list = settings.get("orang")
    for person in people_list if isinstance(people_list, list) else []:
        if isinstance(person, dict) and isinstance(person.get("email"), str):
            roles = person.get("peran")
            people[person["email"].lower()] = (
                tuple(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else ()
            )
    return people
