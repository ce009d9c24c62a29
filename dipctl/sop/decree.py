"""The decrees of step 5 and of withdrawal: one DIP decree and one DIK in force (SPEC.md 1, 2).

Every new decree's lampiran is the complete list in force after it (the DIP: public items;
the DIK: exempt items; never the other), it records the items it newly establishes
(``menetapkan``) or removes (``mengeluarkan``), and it names the decree of the same list that
it revokes (``mencabut``, the default) or amends (``mengubah``). ``establish``, ``exempt``,
``withdraw``, ``import`` and ``dipctl decree draft`` all build the file with
:func:`document`, so the draft is exactly what would be established.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dipctl.errors import Incomplete, InvalidFile, UsageError
from dipctl.register import checks, model, store
from dipctl.register.records import Meeting

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item

__all__ = [
    "check",
    "document",
    "in_force",
    "in_force_items",
    "replaced_by",
    "signer_for",
]


def of_list(decrees: Iterable[Decree], dik: bool) -> list[Decree]:
    """The decrees of the DIP (``dik`` False) or of the DIK."""
    return [d for d in decrees if d.kind in model.DECREE_KINDS and d.dik == dik]


def replaced_by(decrees: Mapping[str, Decree]) -> dict[str, Decree]:
    """Each decree revoked or amended -> the decree that revokes or amends it."""
    found: dict[str, Decree] = {}
    for decree in sorted(decrees.values(), key=lambda d: (d.date, d.id)):
        if decree.replaces and decree.replaces != decree.id:
            found.setdefault(decree.replaces, decree)
    return found


def in_force(decrees: Mapping[str, Decree], dik: bool = False) -> Decree | None:
    """The decree of the list in force: the latest one that no other revokes or amends."""
    replaced = replaced_by(decrees)
    mine = [d for d in of_list(decrees.values(), dik) if d.id not in replaced]
    if not mine:
        return None

    def depth(decree: Decree) -> int:  # how many decrees it follows (same-day ties)
        n, seen = 0, {decree.id}
        while decree.replaces in decrees and decree.replaces not in seen:
            decree = decrees[decree.replaces]
            seen.add(decree.id)
            n += 1
        return n

    return max(mine, key=lambda d: (d.date, depth(d), d.id))


def in_force_items(
    items: Iterable[Item], decrees: Mapping[str, Decree], dik: bool = False
) -> list[str]:
    """The ids in the list now: the established items of its kind, and the items under
    revision whose last established version a decree of that list holds."""
    listed: set[str] = set()
    for decree in of_list(decrees.values(), dik):
        listed.update(decree.items, decree.establishes)
    found = []
    for item in items:
        # under revision: in the list of the decrees that hold its last established version
        # (an old decree listed exempt items too: never in the DIP)
        revised = item.status != model.Status.WITHDRAWN.value and item.revision > 0
        if item.established:
            if (item.category == model.EXEMPT) == dik:
                found.append(item.id)
        elif revised and item.id in listed and (dik or item.category != model.EXEMPT):
            found.append(item.id)
    return sorted(found)


def signer_for(reg: Register, dik: bool) -> str:
    """Who signs when nobody is named (a draft): the first kepala, or for the Penetapan DIK
    the first PPID Pembantu."""
    people = reg.settings.people_with("ppid_pembantu" if dik else "kepala")
    return people[0].email if people else ""


def _subject(reg: Register, kind: str, date: str, previous: Decree | None, amend: bool) -> str:
    year = f" Tahun {date[:4]}" if date else ""
    agency = reg.settings.agency_name
    if kind == model.DIK_KIND:
        subject = f"Penetapan Informasi yang Dikecualikan di Lingkungan {agency}{year}"
    elif kind == "pencabutan":
        subject = f"Pencabutan Informasi dari Daftar Informasi Publik {agency}{year}"
    else:
        subject = f"Daftar Informasi Publik {agency}{year}"
    if amend and previous is not None:
        subject = f"Perubahan atas Keputusan Nomor {previous.number} tentang {previous.subject}"
    return subject


def _official(reg: Register, email: str) -> dict[str, str]:
    """Perki 1/2017 Pasal 4 ayat 4 b and c: who establishes the DIK, and their unit."""
    person = reg.settings.person(email) if email else None
    if person is None:
        return {"email": email}
    units = [reg.settings.units.get(u, u) for u in person.units]
    official = {
        "nama": person.name,
        "email": person.email,
        "jabatan": person.position or "PPID Pembantu",
        "nip": person.nip,
        "pangkat": person.rank,
        "golongan": person.grade,
        "unit": ", ".join(units) or reg.settings.agency_name,
    }
    return {k: v for k, v in official.items() if v}


def _details(items: Sequence[Item]) -> list[dict[str, str]]:
    """Perki 1/2017 Pasal 4 ayat 4 a, d, e for each exempt item: the kind (pasal), the
    period and the reason, from its consequence test."""
    rows = []
    for item in items:
        try:
            raw = store.load(item.path).get("pengecualian")
        except (InvalidFile, AttributeError):
            raw = None
        test = raw if isinstance(raw, dict) else {}
        exemption = item.exemption
        basis = exemption.legal_basis if exemption else ""
        row = {
            "informasi": item.id,
            "pasal": str(test.get("pasal") or basis),
            "dasar_hukum": basis,
            "jangka_waktu": exemption.period if exemption else "",
            "berakhir": exemption.ends if exemption else "",
            "alasan": str(test.get("alasan") or (exemption.if_closed if exemption else "")),
        }
        rows.append({k: v for k, v in row.items() if v})
    return rows


def document(
    reg: Register,
    items: Sequence[Item],
    decrees: Mapping[str, Decree],
    *,
    decree_id: str,
    kind: str,
    number: str,
    date: str,
    signer: str | None,
    adding: Sequence[str] = (),
    removing: Sequence[str] = (),
    reason: str = "",
    amend: bool = False,
) -> dict[str, Any]:
    """A decree file's mapping: the complete list in force after it, what it adds or
    removes, and the decree it revokes (or with ``amend`` amends)."""
    dik = kind == model.DIK_KIND
    signer = signer if signer is not None else signer_for(reg, dik)
    previous = in_force(decrees, dik)
    lampiran = sorted((set(in_force_items(items, decrees, dik)) | set(adding)) - set(removing))
    if not dik:  # an exempt item never appears in a DIP decree, whatever the caller gives
        exempt = {i.id for i in items if i.category == model.EXEMPT}
        lampiran = [i for i in lampiran if i not in exempt]
    doc: dict[str, Any] = {
        "id": decree_id,
        "jenis": kind,
        "nomor": number.strip(),
        "tanggal": date,
        "tentang": _subject(reg, kind, date, previous, amend),
        "penandatangan": signer,
    }
    if dik:
        doc["tempat"] = reg.settings.agency_place
        doc["badan_publik"] = reg.settings.agency_name
        doc["pejabat"] = _official(reg, signer)
    if previous is not None:
        doc["mengubah" if amend else "mencabut"] = previous.id
    doc["menetapkan"] = sorted(adding)
    if removing:
        doc["mengeluarkan"] = sorted(removing)
    if reason:
        doc["alasan"] = reason
    doc["lampiran"] = lampiran
    if dik:
        by_id = {i.id: i for i in items}
        doc["rincian"] = _details([by_id[i] for i in lampiran if i in by_id])
    return {k: v for k, v in doc.items() if v not in (None, "") or k in ("nomor", "tanggal")}


def check(
    reg: Register,
    number: str,
    date: str,
    items: Sequence[Item],
    decrees: Mapping[str, Decree],
    today: dt.date | None = None,
) -> None:
    """Kelengkapan of a decree: a number unique in the register, a date not in the future and
    not before the meetings of the items it establishes."""
    if not number.strip():
        raise Incomplete("incomplete.option", option="--number", hint="hint.decree")
    if checks.check_date(date) is not None:
        raise UsageError("usage.bad_date", option="--date", value=date)
    wanted = number.strip().casefold()
    same = next((d for d in decrees.values() if d.number.strip().casefold() == wanted), None)
    if same is not None:
        raise Incomplete("decree.number_taken", number=number, id=same.id, hint="hint.decree")
    day = dt.date.fromisoformat(date)
    if day > (today or step_day()):
        raise Incomplete("decree.future", date=date, hint="hint.decree")
    for item in items:
        held = meeting_date(reg, item.meeting)
        if held is not None and day < held:
            raise Incomplete(
                "decree.before_meeting",
                date=date,
                id=item.id,
                meeting=item.meeting,
                held=held.isoformat(),
                hint="hint.decree",
            )


def meeting_date(reg: Register, meeting_id: str) -> dt.date | None:
    path = reg.meetings_dir / f"{meeting_id}.yaml"
    if not meeting_id or not path.is_file():
        return None
    try:
        data = store.load(path)
    except InvalidFile:
        return None
    text = Meeting.from_mapping(data if isinstance(data, dict) else {}, path).date
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def step_day() -> dt.date:
    """The day of the commit a step makes: git's ``GIT_COMMITTER_DATE`` when it is set (an
    ISO date, as CI and the tests set it), else today. A decree or meeting may not be dated
    after it."""
    import os

    stated = os.environ.get("GIT_COMMITTER_DATE", "")
    try:
        return dt.datetime.fromisoformat(stated).date() if stated else checks.today()
    except ValueError:
        return checks.today()
