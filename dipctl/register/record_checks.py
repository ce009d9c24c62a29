"""The rules of ``dipctl validate`` for register.yaml, meeting records and decrees.

Each adds problems to a :class:`~dipctl.register.checks.FileCheck`; the item files' rules
and the run over the whole register are in :mod:`dipctl.register.validate`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dipctl.register import checks, digest, freshness, model
from dipctl.register.checks import (
    WARNING,
    FileCheck,
    Problem,
    check_keys,
    check_mapping,
    check_value,
)

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.checks import Context
    from dipctl.register.config import Register


def check_register_file(fc: FileCheck) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    check_keys(fc, data, (), model.REGISTER_KEYS, model.REGISTER_REQUIRED)
    agency = data.get("badan_publik")
    if agency is not None and check_mapping(fc, ("badan_publik",), agency):
        check_keys(fc, agency, ("badan_publik",), model.AGENCY_KEYS, ("nama",))
        _check_texts(fc, agency, ("badan_publik",), ("situs",))
        if agency.get("email") is not None:
            check_value(fc, ("badan_publik", "email"), agency["email"], checks.check_email)
    units = data.get("unit")
    if units is not None and check_mapping(fc, ("unit",), units):
        for key, unit in units.items():
            check_value(fc, ("unit", str(key)), key, checks.check_id)
            if check_mapping(fc, ("unit", str(key)), unit):
                check_keys(fc, unit, ("unit", str(key)), model.UNIT_KEYS, ("nama",))
                _check_texts(fc, unit, ("unit", str(key)))
    _check_people(fc, data.get("orang"), set(units) if isinstance(units, dict) else set())
    _check_sections(fc, data)
    _check_members(fc, data.get("anggota"))


def _check_members(fc: FileCheck, members: object) -> None:
    """``anggota``: a federation's members as ``dipctl member add`` writes them."""
    if members is None or not check_mapping(fc, ("anggota",), members):
        return
    assert isinstance(members, dict)
    for name, entry in members.items():
        where = ("anggota", str(name))
        if not (isinstance(name, str) and re.match(model.MEMBER_NAME_PATTERN, name)):
            fc.report(where, "member.name", value=name)
        if not check_mapping(fc, where, entry):
            continue
        check_keys(fc, entry, where, model.MEMBER_KEYS, model.MEMBER_REQUIRED)
        for key in ("nama", "url", "cabang", "folder"):
            if entry.get(key) is not None:
                check_value(fc, (*where, key), entry[key], checks.check_text)
        for key in ("akar", "didaftarkan"):
            value = entry.get(key)
            if value is not None and not (
                isinstance(value, str) and re.match(model.COMMIT_PATTERN, value)
            ):
                fc.report((*where, key), "member.commit", value=value)
        keys = entry.get("kunci_kepala")
        if keys is not None and not (
            isinstance(keys, list)
            and keys
            and all(isinstance(k, str) and re.match(model.FINGERPRINT_PATTERN, k) for k in keys)
        ):
            fc.report((*where, "kunci_kepala"), "member.keys")


def agency_warnings(fc: FileCheck, reg: Register) -> list[Problem]:
    """A warning per missing key of the kop and the PPID's contact in ``badan_publik``, and
    one when the theme has no logo: the register is valid without them, but its papers and
    site are incomplete."""
    agency = fc.located.data.get("badan_publik")
    found: list[Problem] = []
    if isinstance(agency, dict):
        line = fc.located.line("badan_publik")
        for key in model.AGENCY_FORM_KEYS:
            value = agency.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                where = f"badan_publik.{key}"
                found.append(Problem(fc.path, line, where, f"agency.missing.{key}", (), WARNING))
    logos = [reg.root / name for name in model.LOGO_FILES]
    if not any(path.is_file() for path in logos):
        params = (("path", " / ".join(reg.relative(path) for path in logos)),)
        shown = reg.relative(logos[0])
        found.append(Problem(shown, 1, "", "agency.missing_logo", params, WARNING))
    return found


def _check_texts(
    fc: FileCheck, data: dict[str, Any], where: tuple[str, ...], urls: tuple[str, ...] = ()
) -> None:
    """The public texts of a section (and its addresses, as URLs) when they are present."""
    for key, value in data.items():
        if value is None or key not in model.TEXT_KEYS + urls:
            continue
        check_value(
            fc, (*where, key), value, checks.check_url if key in urls else checks.check_text
        )


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
        roles = roles or []
        for role in roles:
            check_value(fc, (*where, "peran"), role, checks.one_of(model.ROLES))
        person_units = person.get("unit")
        if "kasubbag" in roles and not person_units:
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
        if person.get("pangkat") is not None:
            check_value(fc, (*where, "pangkat"), person["pangkat"], checks.check_text)
        grade = person.get("golongan")
        if grade is not None and not (isinstance(grade, str) and model.GRADE_RE.match(grade)):
            fc.report((*where, "golongan"), "person.golongan", value=grade)
    if people and not any(
        isinstance(p, dict) and isinstance(p.get("peran"), list) and "kepala" in p["peran"]
        for p in people
    ):
        fc.report(("orang",), "person.no_kepala")


def _check_sections(fc: FileCheck, data: dict[str, Any]) -> None:
    sections: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("mutu_baku", model.QUALITY_KEYS),
        ("pemutakhiran", model.CYCLE_KEYS),
        ("situs", model.SITE_KEYS),
        ("tanda_tangan", model.SIGNING_KEYS),
        ("verifikasi", model.TRUST_KEYS),
        ("riwayat", model.HISTORY_KEYS),
        ("naskah", model.PAPER_KEYS),
    )
    for key, allowed in sections:
        value = data.get(key)
        if value is not None and check_mapping(fc, (key,), value):
            check_keys(fc, value, (key,), allowed)
    for key, rule in (
        ("mutu_baku", checks.check_duration),
        ("pemutakhiran", freshness.check_months),  # calendar months or years
    ):
        for name, text in (data.get(key) or {}).items() if isinstance(data.get(key), dict) else ():
            check_value(fc, (key, str(name)), text, rule)
    site = data.get("situs")
    if isinstance(site, dict):
        _check_texts(fc, site, ("situs",), ("base_url",))
    if isinstance(site, dict) and site.get("bahasa") is not None:
        if not isinstance(site["bahasa"], list):
            fc.report(("situs", "bahasa"), "value.not_list")
        else:
            for index, lang in enumerate(site["bahasa"]):
                check_value(fc, ("situs", "bahasa", index), lang, checks.one_of(model.LANGUAGES))
    signing = data.get("tanda_tangan")
    if isinstance(signing, dict) and not isinstance(signing.get("wajib", False), bool):
        fc.report(("tanda_tangan", "wajib"), "value.not_bool", value=signing.get("wajib"))
    _check_texts_list(fc, ("dasar_hukum",), data.get("dasar_hukum"))
    paper = data.get("naskah")
    if isinstance(paper, dict):
        _check_texts_list(fc, ("naskah", "tembusan"), paper.get("tembusan"))
        recitals = paper.get("mengingat")
        if recitals is not None and check_mapping(fc, ("naskah", "mengingat"), recitals):
            check_keys(fc, recitals, ("naskah", "mengingat"), model.RECITAL_KEYS)
            for key in model.RECITAL_KEYS:
                _check_texts_list(fc, ("naskah", "mengingat", key), recitals.get(key))


def _check_texts_list(fc: FileCheck, where: tuple[str, ...], texts: Any) -> None:
    """A list of public texts (the legal bases, the tembusan), when it is present."""
    if texts is None:
        return
    if not isinstance(texts, list):
        fc.report(where, "value.not_list")
        return
    for index, text in enumerate(texts):
        check_value(fc, (*where, index), text, checks.check_text)


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
    _check_guests(fc, data.get("tamu"))
    _check_time_and_chair(fc, data)
    if data.get("nomor") is not None:
        check_value(fc, ("nomor",), data["nomor"], checks.check_text)
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


def _check_guests(fc: FileCheck, guests: Any) -> None:
    """``tamu``: attendees outside the register, by name (and position); no e-mail."""
    if guests is None:
        return
    if not isinstance(guests, list):
        fc.report(("tamu",), "value.not_list")
        return
    for index, guest in enumerate(guests):
        where: tuple[str | int, ...] = ("tamu", index)
        if check_mapping(fc, where, guest):
            check_keys(fc, guest, where, model.GUEST_KEYS, ("nama",))
            for key in model.GUEST_KEYS:
                if guest.get(key) is not None:
                    check_value(fc, (*where, key), guest[key], checks.check_text)


def _check_time_and_chair(fc: FileCheck, data: dict[str, Any]) -> None:
    """``waktu`` ("09:00") and ``pimpinan`` (an attendee's e-mail or a guest's name), when
    present: records made before they were asked for have neither."""
    time = data.get("waktu")
    if time is not None and not (isinstance(time, str) and model.TIME_RE.match(time)):
        fc.report(("waktu",), "meeting.time", value=time)
    chair = data.get("pimpinan")
    if chair is None or checks.check_text(chair) is not None:
        if chair is not None:
            check_value(fc, ("pimpinan",), chair, checks.check_text)
        return
    attendees, guests = data.get("peserta"), data.get("tamu")
    attendees = attendees if isinstance(attendees, list) else []
    guests = guests if isinstance(guests, list) else []
    present = {str(e).strip().casefold() for e in attendees} | {
        str(g.get("nama")).strip().casefold() for g in guests if isinstance(g, dict)
    }
    if chair.strip().casefold() not in present:
        fc.report(("pimpinan",), "meeting.chair", chair=chair)


def check_presentation_file(fc: FileCheck, path: Path, ctx: Context) -> None:
    """``penyampaian/<id>.yaml``, written by ``dipctl decree present``: what was presented,
    by whom, and the digest of the lampiran that step 5's clock matches to the decree."""
    data: dict[str, Any] = fc.located.data
    keys = model.PRESENTATION_KEYS
    check_keys(fc, data, (), keys, keys)
    _check_record_id(fc, data, path)
    if data.get("jenis") is not None:
        check_value(fc, ("jenis",), data["jenis"], checks.one_of(model.PRESENTATION_KINDS))
    presenter = data.get("disampaikan_oleh")
    if ctx.settings_known and presenter is not None:
        if str(presenter).lower() not in ctx.people:
            fc.report(("disampaikan_oleh",), "record.unknown_person", email=presenter)
        elif "ppid_pembantu" not in ctx.people[str(presenter).lower()]:
            fc.report(("disampaikan_oleh",), "presentation.presenter", email=presenter)
    for key in ("informasi", "lampiran"):
        if data.get(key) is not None:
            _check_item_list(fc, key, data[key], ctx)
    lampiran, recorded = data.get("lampiran"), data.get("lampiran_sha256")
    if isinstance(lampiran, list) and recorded is not None:
        expected = digest.lampiran_digest(map(str, lampiran)).removeprefix("sha256:")
        if str(recorded) != expected:
            fc.report(("lampiran_sha256",), "presentation.digest", expected=expected)


def check_decree_file(fc: FileCheck, path: Path, ctx: Context) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    required: tuple[str, ...] = model.DECREE_REQUIRED
    if data.get("jenis") == "pencabutan":
        required = (*required, "alasan")
    if data.get("jenis") == model.DIK_KIND:
        required = (*required, "lampiran", "tempat", "badan_publik", "pejabat")
    if "informasi" not in data:
        required = (*required, "lampiran")
    check_keys(fc, data, (), model.DECREE_KEYS, required)
    _check_record_id(fc, data, path)
    if data.get("jenis"):
        check_value(fc, ("jenis",), data["jenis"], checks.one_of(model.DECREE_KINDS))
    for key in ("nomor", "tentang", "alasan", "tempat", "badan_publik"):
        if data.get(key) is not None:
            check_value(fc, (key,), data[key], checks.check_text)
    role = "ppid_pembantu" if data.get("jenis") == model.DIK_KIND else "kepala"
    signer = data.get("penandatangan")
    if ctx.settings_known and signer and role not in ctx.people.get(str(signer).lower(), ()):
        key = "decree.signer" if role == "kepala" else "decree.signer_role"
        fc.report(("penandatangan",), key, email=signer, role=role)
    for key in ("informasi", "lampiran", "menetapkan", "mengeluarkan"):
        if data.get(key) is not None:
            _check_item_list(fc, key, data[key], ctx)
    for key in ("mencabut", "mengubah"):  # one id, or the chain in force as a list
        ref = data.get(key)
        refs = ref if isinstance(ref, list) and len(ref) > 1 else [ref]
        for one in refs if ref is not None else []:
            if checks.check_id(one) is not None or one not in ctx.decrees:
                fc.report((key,), "decree.unknown", id=one)
    if "mencabut" in data and "mengubah" in data:
        fc.report(("mengubah",), "decree.revokes_and_amends")
    official = data.get("pejabat")
    if official is not None and check_mapping(fc, ("pejabat",), official):
        check_keys(fc, official, ("pejabat",), model.OFFICIAL_KEYS, ("nama", "jabatan"))
    details = data.get("rincian")
    if isinstance(details, list):
        for index, row in enumerate(details):
            if check_mapping(fc, ("rincian", index), row):
                check_keys(fc, row, ("rincian", index), model.DETAIL_KEYS, ("informasi",))
    elif details is not None:
        fc.report(("rincian",), "value.not_list")
