"""``dipctl validate``: every file of the register against SPEC.md section 3.

One function per kind of file, each adding problems to a :class:`~dipctl.register.checks.FileCheck`;
:func:`validate` runs them all and returns the problems sorted by file and line. Item
fields are checked from the table in :mod:`dipctl.register.model`, the same table
:mod:`dipctl.register.schema` turns into the JSON Schema editors use.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import chain, checks, exemption, freshness, model, scan_checks, store
from dipctl.register.checks import (
    Context,
    FileCheck,
    Problem,
    check_keys,
    check_mapping,
    check_value,
)
from dipctl.register.record_checks import (
    agency_warnings,
    check_decree_file,
    check_meeting_file,
    check_presentation_file,
    check_register_file,
)
from dipctl.register.records import Decree

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register


def validate(reg: Register) -> list[Problem]:
    """Every problem in the register, sorted by file and line; those at level
    :data:`~dipctl.register.checks.WARNING` (the kop and the PPID's contact incomplete) do
    not make it invalid."""
    problems: list[Problem] = []
    fc, opened = checks.open_file(reg, reg.config_file)
    problems += opened
    settings: dict[str, Any] = {}
    if fc is not None:
        settings = fc.located.data
        check_register_file(fc)
        problems += fc.problems
        problems += agency_warnings(fc, reg)
    item_files = _item_files(reg)
    problems += _folders_named_yaml(reg)
    ctx = _context(reg, settings if fc is not None else None, {p.stem for p in item_files})
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    refs: dict[str, tuple[str, str]] = {}  # item id -> (its meeting, its decree)
    for path in item_files:
        fc, opened = checks.open_file(reg, path)
        problems += opened
        if fc is not None:
            check_item_file(fc, path, reg, ctx)
            problems += fc.problems
            data = fc.located.data if isinstance(fc.located.data, dict) else {}
            refs[path.stem] = (str(data.get("rapat") or ""), str(data.get("keputusan") or ""))
        seen[path.stem].append((reg.relative(path), fc.located.line("id") if fc else 1))
    for item_id, places in seen.items():
        for rel, line in places[1:]:
            params = (("id", item_id), ("other", places[0][0]))
            problems.append(Problem(rel, line, "id", "item.duplicate_id", params))
    for path in store.iter_yaml(reg.meetings_dir):
        problems += _run(reg, path, check_meeting_file, ctx)
    for path in store.iter_yaml(reg.decrees_dir):
        problems += _run(reg, path, check_decree_file, ctx)
    for path in store.iter_yaml(reg.root / model.PRESENTATIONS_DIR):
        problems += _run(reg, path, check_presentation_file, ctx)
    problems += _dates_and_numbers(reg, refs)
    problems += _in_both_lists(reg)
    problems += scan_checks.scan_problems(reg, ctx)
    return checks.sorted_problems(problems)


def _in_both_lists(reg: Register) -> list[Problem]:
    """No item is in both the DIP in force and the DIK in force (SPEC.md section 2): each
    item both lampiran list, at the SK DIP in force, naming both decrees."""
    decrees = {}
    for path in store.iter_yaml(reg.decrees_dir):
        try:
            data = store.load(path)
        except InvalidFile:
            continue
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


def _dates_and_numbers(reg: Register, refs: dict[str, tuple[str, str]]) -> list[Problem]:
    """Across files: decree numbers unique, no meeting or decree dated in the future, no
    decree dated before the meeting that determined an item it establishes."""
    today = checks.today().isoformat()
    found: list[Problem] = []
    meetings: dict[str, str] = {}

    def problem(path: Path, key: str, **params: str) -> None:
        found.append(Problem(reg.relative(path), 1, "tanggal", key, tuple(params.items())))

    for path in store.iter_yaml(reg.meetings_dir):
        try:
            data = store.load(path)
        except InvalidFile:
            continue
        date = data.get("tanggal") if isinstance(data, dict) else None
        if isinstance(date, str) and checks.check_date(date) is None:
            meetings[path.stem] = date
            if date > today:
                problem(path, "meeting.date_future", date=date)
    numbers: dict[str, str] = {}
    for path in sorted(store.iter_yaml(reg.decrees_dir)):
        try:
            data = store.load(path)
        except InvalidFile:
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


def _context(reg: Register, settings: dict[str, Any] | None, item_ids: set[str]) -> Context:
    units = (settings or {}).get("unit")
    return Context(
        units=frozenset(str(k) for k in units) if isinstance(units, dict) else frozenset(),
        people=_people(settings or {}),
        item_ids=frozenset(item_ids),
        meetings=frozenset(p.stem for p in store.iter_yaml(reg.meetings_dir)),
        decrees=frozenset(p.stem for p in store.iter_yaml(reg.decrees_dir)),
        imported=_imported_decrees(reg),
        settings_known=settings is not None,
    )


def item_problems(reg: Register, path: Path, as_status: str) -> list[Problem]:
    """The problems of one item file as if it had ``as_status`` (a step's kelengkapan)."""
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened
    fc.located.data["status"] = as_status
    settings = store.load(reg.config_file)
    stems = {
        name.rsplit("/", 1)[-1].removesuffix(".yaml") for name in store.item_paths(reg.items_dir)
    }
    check_item_file(fc, path, reg, _context(reg, settings, stems))
    return fc.problems


def _imported_decrees(reg: Register) -> frozenset[str]:
    found = set()
    for path in store.iter_yaml(reg.decrees_dir):
        try:
            data = store.load(path)
        except InvalidFile:
            continue  # reported on its own
        if isinstance(data, dict) and data.get("sumber") == "impor":
            found.add(path.stem)
    return frozenset(found)


def _run(reg: Register, path: Path, rule: Any, ctx: Context) -> list[Problem]:
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened
    rule(fc, path, ctx)
    return fc.problems


def _item_files(reg: Register) -> list[Path]:
    found: list[Path] = []
    if reg.items_dir.is_dir():
        for path in sorted(reg.items_dir.rglob("*")):
            if path.suffix in (".yaml", ".yml") and (path.is_file() or path.is_symlink()):
                found.append(path)
    return found


def _folders_named_yaml(reg: Register) -> list[Problem]:
    """A folder ``x.yaml`` under informasi/ is no item: said here, skipped by the others."""
    if not reg.items_dir.is_dir():
        return []
    return [
        Problem(reg.relative(path), 1, "", "file.is_folder")
        for path in sorted(reg.items_dir.rglob("*"))
        if path.suffix in (".yaml", ".yml") and path.is_dir() and not path.is_symlink()
    ]


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


# -- items ---------------------------------------------------------------------------------


def check_item_file(fc: FileCheck, path: Path, reg: Register, ctx: Context) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    status = data.get("status")
    check_keys(fc, data, (), model.ITEM_KEYS)
    for spec in model.ITEM_FIELDS:
        value = data.get(spec.key)
        if value is None or value == "" or value == []:
            if _required(spec.need, status):
                fc.report((spec.key,), "key.missing", key=spec.key)
            continue
        if spec.kind == "document":
            _check_document(fc, value)
        elif spec.kind == "exemption":
            _check_exemption(fc, value, ctx, status in model.CLASSIFIED_ON)
        elif spec.kind == "freshness":
            freshness.check_freshness(fc, value, checks.today())
        else:
            check_value(fc, (spec.key,), value, checks.KIND_CHECKS[spec.kind])
    _check_item_place(fc, data, path, reg, ctx)
    _check_item_refs(fc, data, ctx)
    if data.get("kategori") == model.EXEMPT and not data.get("pengecualian"):
        fc.report(("kategori",), "item.exempt_without_test")
    if data.get("pengecualian") and data.get("kategori") != model.EXEMPT:
        fc.report(("pengecualian",), "item.test_without_exempt")
    if data.get("subkategori") and data.get("kategori") not in (None, "", model.PERIODIC):
        fc.report(("subkategori",), "item.subcategory_not_periodic", kategori=data["kategori"])


def _required(need: model.Need, status: Any) -> bool:
    if need is model.Need.ALWAYS:
        return True
    if status not in model.STATUSES:
        return False
    if need is model.Need.SUBMIT:
        return status not in model.EDITABLE_DRAFT
    return need is model.Need.CLASSIFIED and status in model.CLASSIFIED_ON


def _check_item_place(
    fc: FileCheck, data: dict[str, Any], path: Path, reg: Register, ctx: Context
) -> None:
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        fc.report(("id",), "item.id_mismatch", id=data["id"], stem=path.stem)
    unit = data.get("unit")
    if not isinstance(unit, str):
        unit = None
    if ctx.settings_known and unit and unit not in ctx.units:
        fc.report(("unit",), "item.unknown_unit", unit=unit, units=", ".join(sorted(ctx.units)))
    folder = path.parent
    if folder == reg.items_dir or folder.parent != reg.items_dir:
        fc.report(("unit",), "item.outside_unit_folder", unit=unit or "?")
    elif isinstance(unit, str) and unit and folder.name != unit:
        fc.report(("unit",), "item.wrong_folder", unit=unit, folder=folder.name)


def _check_item_refs(fc: FileCheck, data: dict[str, Any], ctx: Context) -> None:
    for key, known, kind in (
        ("rapat", ctx.meetings, "rapat"),
        ("keputusan", ctx.decrees, "keputusan"),
    ):
        ref = data.get(key)
        if isinstance(ref, str) and ref and ref not in known:
            fc.report((key,), "item.unknown_ref", ref=ref, folder=kind)
    if data.get("status") in model.ESTABLISHED:
        # an imported DIP was decided in a meeting before dipctl: no rapat/ record here
        decree = data.get("keputusan")
        needs_meeting = not (isinstance(decree, str) and decree in ctx.imported)
        for key in (
            ("kategori", "rapat", "keputusan") if needs_meeting else ("kategori", "keputusan")
        ):
            if not data.get(key):  # pointed at the status that needs it
                fc.report(
                    (key,), "item.established_without", line=fc.located.line("status"), key=key
                )


def _check_document(fc: FileCheck, value: Any) -> None:
    if not check_mapping(fc, ("dokumen",), value):
        return
    check_keys(fc, value, ("dokumen",), model.DOCUMENT_KEYS)
    for key in model.DOCUMENT_KEYS:
        if key in value:
            check_value(fc, ("dokumen", key), value[key], checks.check_text)
    link = value.get("tautan")
    if isinstance(link, str) and link and checks.check_url(link) is not None:
        fc.report(("dokumen", "tautan"), "value.url", value=link)


def _check_exemption(fc: FileCheck, value: Any, ctx: Context, classified: bool) -> None:
    """The consequence test: every key of SPEC.md section 3 (an old test with only the five
    keys it had before is a problem per missing key), each by the rules of
    :mod:`dipctl.register.exemption`; once ``classified``, no placeholder in the weighing."""
    if not check_mapping(fc, ("pengecualian",), value):
        return
    check_keys(fc, value, ("pengecualian",), model.EXEMPTION_KEYS)
    people = ctx.people if ctx.settings_known else None
    found = exemption.consequence_problems(value, dt.datetime.now().astimezone().date(), people)
    if classified:
        found += exemption.placeholder_problems(value)
    for key, rule, params in found:
        where = ("pengecualian", key) if key in value else ("pengecualian",)
        fc.report(where, rule, **params)


# -- register.yaml -------------------------------------------------------------------------
