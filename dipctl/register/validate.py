"""``dipctl validate``: every file of the register against SPEC.md section 3.

One function per kind of file, each adding problems to a :class:`~dipctl.register.checks.FileCheck`;
:func:`validate` runs them all and returns the problems sorted by file and line. Item
fields are checked from the table in :mod:`dipctl.register.model`, the same table
:mod:`dipctl.register.schema` turns into the JSON Schema editors use.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.register import chain, checks, record_checks, scan_checks
from dipctl.register.checks import Context, Problem
from dipctl.register.item_checks import check_item_file
from dipctl.register.readiness import FOLDERS, Records, context
from dipctl.register.readiness import records as read_records
from dipctl.register.record_checks import agency_warnings, check_register_file
from dipctl.register.records import Decree
from dipctl.register.verdicts import Verdicts, verdict_keys

if TYPE_CHECKING:
    from dipctl.register.config import Register


def validate(reg: Register) -> list[Problem]:
    """Every problem in the register, sorted by file and line; those at level
    :data:`~dipctl.register.checks.WARNING` (the kop and the PPID's contact incomplete) do
    not make it invalid. Each file's own verdict comes from :class:`Verdicts` when the file
    and what its verdict depends on are unchanged; the checks across files always run."""
    memo = Verdicts(reg)
    problems: list[Problem] = []
    fc, opened = checks.open_file(reg, reg.config_file)
    problems += opened
    settings: dict[str, Any] = {}
    if fc is not None:
        settings = fc.located.data
        check_register_file(fc)
        problems += fc.problems
        problems += agency_warnings(fc, reg)
    item_files, folders = _item_files(reg)
    problems += [Problem(reg.relative(Path(p)), 1, "", "file.is_folder") for p in folders]
    stems = [_stem(name) for name in item_files]
    loaded = Verdicts(reg, "records.pickle")
    records = read_records(reg, loaded, partial(len, item_files))
    ctx = context(reg, settings if fc is not None else None, set(stems), records)
    item_key, record_key = verdict_keys(ctx, checks.today().isoformat())
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    refs: dict[str, tuple[str, str]] = {}  # item id -> (its meeting, its decree)
    for name, stem in zip(item_files, stems, strict=True):
        found, rel, line, ref = memo.get("item", name, item_key, partial(_item, reg, name, ctx))
        problems += found
        if ref is not None:
            refs[stem] = ref
        seen[stem].append((rel, line))
    for item_id, places in seen.items():
        for rel, line in places[1:]:
            params = (("id", item_id), ("other", places[0][0]))
            problems.append(Problem(rel, line, "id", "item.duplicate_id", params))
    for kind, (_, rule) in _RULES.items():
        for path, _data in records[kind]:
            problems += memo.get(kind, str(path), record_key, partial(_run, reg, path, rule, ctx))
    problems += _dates_and_numbers(reg, refs, records)
    problems += _in_both_lists(reg, records)
    problems += scan_checks.scan_problems(reg, ctx)
    memo.save()
    loaded.save()
    return checks.sorted_problems(problems)


#: Each kind of record: its folder and its rule.
_RULES: dict[str, tuple[str, Any]] = {
    "rapat": (FOLDERS["rapat"], record_checks.check_meeting_file),
    "keputusan": (FOLDERS["keputusan"], record_checks.check_decree_file),
    "penyampaian": (FOLDERS["penyampaian"], record_checks.check_presentation_file),
}


def _item(reg: Register, name: str, ctx: Context) -> tuple[list[Problem], str, int, Any]:
    """One item file's own problems, where it is, the line of its id, and its meeting and
    decree (None when it cannot be read)."""
    path = Path(name)
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened, reg.relative(path), 1, None
    check_item_file(fc, path, reg, ctx)
    data = fc.located.data
    ref = (str(data.get("rapat") or ""), str(data.get("keputusan") or ""))
    return fc.problems, fc.path, fc.located.line("id"), ref


def _in_both_lists(reg: Register, records: Records) -> list[Problem]:
    """No item is in both the DIP in force and the DIK in force (SPEC.md section 2): each
    item both lampiran list, at the SK DIP in force, naming both decrees."""
    decrees = {}
    for path, data in records["keputusan"]:
        if isinstance(data, dict):
            decree = Decree.from_mapping(data, path)
            decrees[decree.id] = decree
    found = chain.overlap(decrees)
    if found is None:
        return []
    dip, dik, shared = found
    where = reg.relative(reg.decrees_dir / f"{dip.id}.yaml")
    return [
        Problem(where, 1, "lampiran", "decree.in_both", (("id", i), ("dik", dik.number or dik.id)))
        for i in shared
    ]


def _dates_and_numbers(
    reg: Register, refs: dict[str, tuple[str, str]], records: Records
) -> list[Problem]:
    """Across files: decree numbers unique, no meeting or decree dated in the future, no
    decree dated before the meeting that determined an item it establishes."""
    today = checks.today().isoformat()
    found: list[Problem] = []
    meetings: dict[str, str] = {}

    def problem(path: Path, key: str, **params: str) -> None:
        found.append(Problem(reg.relative(path), 1, "tanggal", key, tuple(params.items())))

    for path, data in records["rapat"]:
        if data is None:
            continue
        date = data.get("tanggal") if isinstance(data, dict) else None
        if isinstance(date, str) and checks.check_date(date) is None:
            meetings[path.stem] = date
            if date > today:
                problem(path, "meeting.date_future", date=date)
    numbers: dict[str, str] = {}
    for path, data in sorted(records["keputusan"], key=lambda r: r[0]):
        if data is None:
            continue
        decree = Decree.from_mapping(data if isinstance(data, dict) else {}, path)
        key = decree.number.strip().casefold()
        if key and key in numbers:
            params = (("number", decree.number), ("other", numbers[key]))
            found.append(Problem(reg.relative(path), 1, "nomor", "decree.number_duplicate", params))
        numbers.setdefault(key, decree.id)
        if checks.check_date(decree.date) is not None:
            continue
        if decree.date > today:
            problem(path, "decree.date_future", date=decree.date)
        for item_id in decree.establishes:
            meeting, established_by = refs.get(item_id, ("", ""))
            held = meetings.get(meeting) if established_by == decree.id else None
            if held and decree.date < held:
                problem(
                    path,
                    "decree.date_before_meeting",
                    date=decree.date,
                    meeting=meeting,
                    held=held,
                    id=item_id,
                )
    return found


def _run(reg: Register, path: Path, rule: Any, ctx: Context) -> list[Problem]:
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened
    rule(fc, path, ctx)
    return fc.problems


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _item_files(reg: Register) -> tuple[list[str], list[str]]:
    """Every ``*.yaml`` / ``*.yml`` file (or link) below informasi/, at any depth, and every
    folder so named (which is no item: said as such, skipped by the others), sorted."""
    files: list[str] = []
    folders: list[str] = []
    stack = [str(reg.items_dir)] if reg.items_dir.is_dir() else []
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                named = entry.name.endswith((".yaml", ".yml")) and entry.name.rfind(".") > 0
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    if named:
                        folders.append(entry.path)
                elif named and (entry.is_file() or entry.is_symlink()):
                    files.append(entry.path)
    return sorted(files, key=_parts), sorted(folders, key=_parts)


def _parts(name: str) -> list[str]:
    """The sort key of a path as :class:`Path` objects sort (``a/b`` before ``a-c/b``)."""
    return name.split("/")
