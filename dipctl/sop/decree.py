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

from dipctl.errors import Incomplete, InvalidFile, Refused, UsageError
from dipctl.register import chain, checks, model, store
from dipctl.register.chain import in_force, in_force_items, of_list, replaced_by
from dipctl.register.records import Meeting

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item

__all__ = [
    "check",
    "document",
    "in_force",
    "in_force_items",
    "of_list",
    "replaced_by",
    "signer_for",
]


def signer_for(reg: Register, dik: bool) -> str:
    """Who signs when nobody is named (a draft): the first kepala, or for the Penetapan DIK
    the first PPID Pembantu."""
    people = reg.settings.people_with("ppid_pembantu" if dik else "kepala")
    return people[0].email if people else ""


#: "Perubahan Kedua atas …": the ordinal of an amendment after the first (UU 12/2011).
_NTH = ("", "Kedua", "Ketiga", "Keempat", "Kelima", "Keenam", "Ketujuh", "Kedelapan")


def _subject(reg: Register, kind: str, date: str, base: Decree | None, amendment: int) -> str:
    """The decree's ``tentang``; an amendment (``amendment`` 1 for the first) amends the base
    decree of the chain in force: "Perubahan Kedua atas Keputusan Nomor 45 tentang …"."""
    year = f" Tahun {date[:4]}" if date else ""
    agency = reg.settings.agency_name
    if kind == model.DIK_KIND:
        subject = f"Penetapan Informasi yang Dikecualikan di Lingkungan {agency}{year}"
    elif kind == "pencabutan":
        subject = f"Pencabutan Informasi dari Daftar Informasi Publik {agency}{year}"
    else:
        subject = f"Daftar Informasi Publik {agency}{year}"
    if amendment and base is not None:
        nth = _NTH[amendment - 1] if amendment <= len(_NTH) else f"Ke-{amendment}"
        label = f"Perubahan {nth} atas" if nth else "Perubahan atas"
        subject = f"{label} Keputusan Nomor {base.number} tentang {base.subject}"
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
    revoked = chain.chain(decrees, dik)  # the decree in force and every amendment of its base
    _refuse_overlap(decrees, adding, dik)
    lampiran = sorted((set(in_force_items(items, decrees, dik)) | set(adding)) - set(removing))
    if not dik:  # an exempt item never appears in a DIP decree, whatever the caller gives
        exempt = {i.id for i in items if i.category == model.EXEMPT}
        lampiran = [i for i in lampiran if i not in exempt]
    base = decrees.get(revoked[0]) if revoked else None
    doc: dict[str, Any] = {
        "id": decree_id,
        "jenis": kind,
        "nomor": number.strip(),
        "tanggal": date,
        "tentang": _subject(reg, kind, date, base, len(revoked) if amend else 0),
        "penandatangan": signer,
    }
    if dik:
        doc["tempat"] = reg.settings.agency_place
        doc["badan_publik"] = reg.settings.agency_name
        doc["pejabat"] = _official(reg, signer)
    if revoked:  # one id as a plain string (the form of every earlier file), a chain as a list
        doc["mengubah" if amend else "mencabut"] = revoked[0] if len(revoked) == 1 else [*revoked]
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


def _refuse_overlap(decrees: Mapping[str, Decree], adding: Sequence[str], dik: bool) -> None:
    """No item is in both the DIP in force and the DIK in force: a DIP decree cannot list
    what the PPID's Penetapan DIK in force still exempts (only the PPID lifts it, ``dipctl
    lift``), nor a Penetapan DIK what the head's SK DIP in force still lists."""
    other = in_force(decrees, not dik)
    if other is None or not other.complete:
        return
    shared = sorted(set(adding) & set(other.items))
    if shared:
        raise Refused(
            "refused.in_dik" if not dik else "refused.in_dip",
            ids=", ".join(shared),
            number=other.number or other.id,
            hint="hint.lift" if not dik else "hint.dip_first",
        )


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
