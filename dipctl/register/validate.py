"""``dipctl validate``: every file of the register against SPEC.md section 3.

One function per kind of file, each adding problems to a :class:`~dipctl.register.checks.FileCheck`;
:func:`validate` runs them all and returns the problems sorted by file and line. Item
fields are checked from the table in :mod:`dipctl.register.model`, the same table
:mod:`dipctl.register.schema` turns into the JSON Schema editors use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import checks, model, store
from dipctl.register.checks import FileCheck, Problem, check_keys, check_mapping, check_value

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register


@dataclass(frozen=True)
class Context:
    """What the per-file rules need to know about the rest of the register."""

    units: frozenset[str]
    people: dict[str, tuple[str, ...]]  # email -> roles
    item_ids: frozenset[str]
    meetings: frozenset[str]
    decrees: frozenset[str]
    imported: frozenset[str] = frozenset()  # decrees brought in by `dipctl import`
    #: False when register.yaml itself could not be read: then units and people are
    #: unknown, and the checks against them are skipped rather than flooding every file.
    settings_known: bool = True


def validate(reg: Register) -> list[Problem]:
    """Every problem in the register, sorted by file and line."""
    problems: list[Problem] = []
    fc, opened = checks.open_file(reg, reg.config_file)
    problems += opened
    settings: dict[str, Any] = {}
    if fc is not None:
        settings = fc.located.data
        check_register_file(fc)
        problems += fc.problems
    item_files = _item_files(reg)
    ctx = _context(reg, settings if fc is not None else None, {p.stem for p in item_files})
    seen: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for path in item_files:
        fc, opened = checks.open_file(reg, path)
        problems += opened
        if fc is not None:
            check_item_file(fc, path, reg, ctx)
            problems += fc.problems
        seen[path.stem].append((reg.relative(path), fc.located.line("id") if fc else 1))
    for item_id, places in seen.items():
        for rel, line in places[1:]:
            params = (("id", item_id), ("other", places[0][0]))
            problems.append(Problem(rel, line, "id", "item.duplicate_id", params))
    for path in store.iter_yaml(reg.meetings_dir):
        problems += _run(reg, path, check_meeting_file, ctx)
    for path in store.iter_yaml(reg.decrees_dir):
        problems += _run(reg, path, check_decree_file, ctx)
    return checks.sorted_problems(problems)


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


def _people(settings: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    people: dict[str, tuple[str, ...]] = {}
    for person in settings.get("orang") or []:
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
            _check_exemption(fc, value)
        else:
            check_value(fc, (spec.key,), value, checks.KIND_CHECKS[spec.kind])
    _check_item_place(fc, data, path, reg, ctx)
    _check_item_refs(fc, data, ctx)
    if data.get("kategori") == model.EXEMPT and not data.get("pengecualian"):
        fc.report(("kategori",), "item.exempt_without_test")
    if data.get("pengecualian") and data.get("kategori") != model.EXEMPT:
        fc.report(("pengecualian",), "item.test_without_exempt")


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
    if ctx.settings_known and isinstance(unit, str) and unit and unit not in ctx.units:
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
        needs_meeting = data.get("keputusan") not in ctx.imported
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
    if isinstance(link, str) and link and not link.startswith(("https://", "http://")):
        fc.report(("dokumen", "tautan"), "value.url", value=link)


def _check_exemption(fc: FileCheck, value: Any) -> None:
    if not check_mapping(fc, ("pengecualian",), value):
        return
    check_keys(fc, value, ("pengecualian",), model.EXEMPTION_KEYS, model.EXEMPTION_KEYS)
    for key in model.EXEMPTION_KEYS[:-1]:
        if value.get(key) not in (None, ""):
            check_value(fc, ("pengecualian", key), value[key], checks.check_text)
    ends = value.get("berakhir")
    if ends not in (None, "", model.PERMANENT):
        check_value(fc, ("pengecualian", "berakhir"), ends, checks.check_date)


# -- register.yaml -------------------------------------------------------------------------


def check_register_file(fc: FileCheck) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    check_keys(fc, data, (), model.REGISTER_KEYS, model.REGISTER_REQUIRED)
    agency = data.get("badan_publik")
    if agency is not None and check_mapping(fc, ("badan_publik",), agency):
        check_keys(fc, agency, ("badan_publik",), model.AGENCY_KEYS, ("nama",))
    units = data.get("unit")
    if units is not None and check_mapping(fc, ("unit",), units):
        for key, unit in units.items():
            check_value(fc, ("unit", str(key)), key, checks.check_id)
            if check_mapping(fc, ("unit", str(key)), unit):
                check_keys(fc, unit, ("unit", str(key)), model.UNIT_KEYS, ("nama",))
    _check_people(fc, data.get("orang"), set(units) if isinstance(units, dict) else set())
    _check_sections(fc, data)


def _check_people(fc: FileCheck, people: Any, units: set[str]) -> None:
    if people is None:
        return
    if not isinstance(people, list):
        fc.report(("orang",), "value.not_list")
        return
    emails: set[str] = set()
    for index, person in enumerate(people):
        where: tuple[str | int, ...] = ("orang", index)
        if not check_mapping(fc, where, person):
            continue
        check_keys(fc, person, where, model.PERSON_KEYS, ("nama", "email", "peran"))
        email = person.get("email")
        if email:
            check_value(fc, (*where, "email"), email, checks.check_email)
            if str(email).lower() in emails:
                fc.report((*where, "email"), "person.duplicate_email", email=email)
            emails.add(str(email).lower())
        roles = person.get("peran")
        if roles is not None and not isinstance(roles, list):
            fc.report((*where, "peran"), "value.not_list")
            roles = []
        for role in roles or []:
            check_value(fc, (*where, "peran"), role, checks.one_of(model.ROLES))
        person_units = person.get("unit")
        if "kasubbag" in (roles or []) and not person_units:
            fc.report((*where, "unit"), "person.kasubbag_without_units", name=person.get("nama"))
        if person_units is not None and not isinstance(person_units, list):
            fc.report((*where, "unit"), "value.not_list")
        elif person_units:
            for unit in person_units:
                if not isinstance(unit, str) or unit not in units:
                    fc.report(
                        (*where, "unit"),
                        "item.unknown_unit",
                        unit=unit,
                        units=", ".join(sorted(units)),
                    )
        nip = person.get("nip")
        if nip is not None and not (isinstance(nip, str) and model.NIP_RE.match(nip)):
            fc.report((*where, "nip"), "person.nip", value=nip)
    if people and not any(
        isinstance(p, dict) and "kepala" in (p.get("peran") or []) for p in people
    ):
        fc.report(("orang",), "person.no_kepala")


def _check_sections(fc: FileCheck, data: dict[str, Any]) -> None:
    sections: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("mutu_baku", model.QUALITY_KEYS),
        ("pemutakhiran", model.CYCLE_KEYS),
        ("situs", model.SITE_KEYS),
        ("tanda_tangan", model.SIGNING_KEYS),
        ("verifikasi", model.TRUST_KEYS),
    )
    for key, allowed in sections:
        value = data.get(key)
        if value is not None and check_mapping(fc, (key,), value):
            check_keys(fc, value, (key,), allowed)
    for key in ("mutu_baku", "pemutakhiran"):
        for name, text in (data.get(key) or {}).items() if isinstance(data.get(key), dict) else ():
            check_value(fc, (key, str(name)), text, checks.check_duration)
    site = data.get("situs")
    if isinstance(site, dict) and site.get("bahasa") is not None:
        if not isinstance(site["bahasa"], list):
            fc.report(("situs", "bahasa"), "value.not_list")
        else:
            for index, lang in enumerate(site["bahasa"]):
                check_value(fc, ("situs", "bahasa", index), lang, checks.one_of(model.LANGUAGES))
    signing = data.get("tanda_tangan")
    if isinstance(signing, dict) and not isinstance(signing.get("wajib", False), bool):
        fc.report(("tanda_tangan", "wajib"), "value.not_bool", value=signing.get("wajib"))
    bases = data.get("dasar_hukum")
    if bases is not None:
        if not isinstance(bases, list):
            fc.report(("dasar_hukum",), "value.not_list")
        else:
            for index, base in enumerate(bases):
                check_value(fc, ("dasar_hukum", index), base, checks.check_text)


# -- rapat/ and keputusan/ -----------------------------------------------------------------


def _check_record_id(fc: FileCheck, data: dict[str, Any], path: Path) -> None:
    if "id" in data:
        check_value(fc, ("id",), data["id"], checks.check_id)
        if data["id"] != path.stem:
            fc.report(("id",), "item.id_mismatch", id=data["id"], stem=path.stem)
    if "tanggal" in data:
        check_value(fc, ("tanggal",), data["tanggal"], checks.check_date)


def _check_item_list(fc: FileCheck, key: str, value: Any, ctx: Context) -> None:
    if not isinstance(value, list):
        fc.report((key,), "value.not_list")
        return
    for index, item_id in enumerate(value):
        _check_item_ref(fc, (key, index), item_id, ctx)


def _check_item_ref(
    fc: FileCheck, where: tuple[str | int, ...], item_id: Any, ctx: Context
) -> None:
    """An id naming an item of the register (only strings can: lists are not looked up)."""
    if checks.check_id(item_id) is not None:
        check_value(fc, where, item_id, checks.check_id)
    elif item_id not in ctx.item_ids:
        fc.report(where, "record.unknown_item", id=item_id)


def check_meeting_file(fc: FileCheck, path: Path, ctx: Context) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    check_keys(fc, data, (), model.MEETING_KEYS, model.MEETING_REQUIRED)
    _check_record_id(fc, data, path)
    attendees = data.get("peserta")
    if isinstance(attendees, list) and ctx.settings_known:
        roles: set[str] = set()
        for index, email in enumerate(attendees):
            if str(email).lower() not in ctx.people:
                fc.report(("peserta", index), "record.unknown_person", email=email)
            roles.update(ctx.people.get(str(email).lower(), ()))
        if "ppid_pembantu" not in roles or len(roles) < 2:
            fc.report(("peserta",), "meeting.attendees")
    elif attendees is not None and not isinstance(attendees, list):
        fc.report(("peserta",), "value.not_list")
    results = data.get("hasil")
    if isinstance(results, list):
        for index, result in enumerate(results):
            where: tuple[str | int, ...] = ("hasil", index)
            if check_mapping(fc, where, result):
                check_keys(fc, result, where, model.MEETING_RESULT_KEYS, ("informasi", "keputusan"))
                if result.get("informasi"):
                    _check_item_ref(fc, (*where, "informasi"), result["informasi"], ctx)
                if result.get("keputusan"):
                    check_value(
                        fc,
                        (*where, "keputusan"),
                        result["keputusan"],
                        checks.one_of(model.MEETING_DECISIONS),
                    )
    elif results is not None:
        fc.report(("hasil",), "value.not_list")
    storage = data.get("penyimpanan")
    if storage is not None and check_mapping(fc, ("penyimpanan",), storage):
        check_keys(fc, storage, ("penyimpanan",), model.STORAGE_KEYS, model.STORAGE_KEYS)


def check_decree_file(fc: FileCheck, path: Path, ctx: Context) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    required = (
        (*model.DECREE_REQUIRED, "alasan")
        if data.get("jenis") == "pencabutan"
        else (model.DECREE_REQUIRED)
    )
    check_keys(fc, data, (), model.DECREE_KEYS, required)
    _check_record_id(fc, data, path)
    if data.get("jenis"):
        check_value(fc, ("jenis",), data["jenis"], checks.one_of(model.DECREE_KINDS))
    for key in ("nomor", "tentang", "alasan"):
        if data.get(key) is not None:
            check_value(fc, (key,), data[key], checks.check_text)
    signer = data.get("penandatangan")
    if ctx.settings_known and signer and "kepala" not in ctx.people.get(str(signer).lower(), ()):
        fc.report(("penandatangan",), "decree.signer", email=signer)
    if data.get("informasi") is not None:
        _check_item_list(fc, "informasi", data["informasi"], ctx)
