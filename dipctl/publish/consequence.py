"""The lembar uji konsekuensi: the consequence test of one exempt item as a printable A4
page, to be signed by every participant (Permendes 12/2025 Pasal 50 ayat 4) and approved by
the head of the public body (Perki 1/2017 Pasal 4 ayat 3).

Internal paper, never published: it shows the whole test (the consequences, the weighing,
the participants), which the DIK leaves out (SPEC.md section 6). Pure rendering like
:mod:`dipctl.publish.paper`, whose environment and helpers it uses; no clock is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused
from dipctl.publish import letterhead, signatory
from dipctl.publish.paper import BLANK, CATEGORY_LABELS, FORM_NAMES, long_date, write_paper
from dipctl.publish.paper import render_page as _render_page
from dipctl.register import exemption, model, queries, records

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item, Settings

#: UU 14/2008 Pasal 17, what each letter protects (abridged from the Act's wording).
LETTERS = {
    "a": "informasi yang apabila dibuka dapat menghambat proses penegakan hukum",
    "b": "informasi yang apabila dibuka dapat mengganggu kepentingan perlindungan hak atas"
    " kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat",
    "c": "informasi yang apabila dibuka dapat membahayakan pertahanan dan keamanan negara",
    "d": "informasi yang apabila dibuka dapat mengungkapkan kekayaan alam Indonesia",
    "e": "informasi yang apabila dibuka dapat merugikan ketahanan ekonomi nasional",
    "f": "informasi yang apabila dibuka dapat merugikan kepentingan hubungan luar negeri",
    "g": "informasi yang apabila dibuka dapat mengungkapkan isi akta otentik yang bersifat"
    " pribadi dan kemauan terakhir ataupun wasiat seseorang",
    "h": "informasi yang apabila dibuka dapat mengungkap rahasia pribadi",
    "i": "memorandum atau surat-surat antar-Badan Publik atau intra-Badan Publik yang menurut"
    " sifatnya dirahasiakan",
    "j": "informasi yang tidak boleh diungkapkan berdasarkan undang-undang",
}


def _participant(settings: Settings, tester: str) -> dict[str, Any]:
    """An officer of register.yaml by email (name, position, NIP), or ``Nama — Jabatan``."""
    person = settings.person(tester) if model.EMAIL_RE.match(tester) else None
    if person is not None:
        return {
            **signatory.of_person(person, ", ".join(person.roles)),
            "ppid": "ppid_pembantu" in person.roles,
            "head": "kepala" in person.roles,
        }
    name, position = tester, ""
    match = exemption.OUTSIDER_RE.match(tester)
    if match and not model.EMAIL_RE.match(tester):
        for dash in (" — ", " – ", " - "):
            if dash in tester:
                name, position = (part.strip() for part in tester.split(dash, 1))
                break
    return {**signatory.block(name, position), "ppid": False, "head": False}


def _approver(participants: list[dict[str, Any]], settings: Settings) -> dict[str, Any] | None:
    """The head who approves the test, when no participant is a kepala."""
    if any(p["head"] for p in participants):
        return None
    return signatory.head(settings)


def sheet_context(settings: Settings, item: Item) -> dict[str, Any]:
    test = item.exemption or records.Exemption.from_mapping({})
    letter = exemption.letter(test.article)
    ends = test.ends
    participants = [_participant(settings, t) for t in test.testers]
    found = exemption.consequence_problems(test.as_mapping())
    gaps = exemption.gaps(found + exemption.placeholder_problems(test.as_mapping()))
    return {
        "agency": settings.agency_name,
        "place": settings.agency_place or BLANK,
        "item": {
            "id": item.id,
            "title": item.title,
            "summary": item.summary or BLANK,
            "unit": settings.units.get(item.unit, item.unit),
            "responsible": item.responsible or BLANK,
            "made": ", ".join(v for v in (item.made, item.place) if v) or BLANK,
            "forms": ", ".join(FORM_NAMES.get(f, f) for f in item.forms) or BLANK,
            "category": CATEGORY_LABELS.get(item.category, item.category) or BLANK,
        },
        "pasal": test.article or BLANK,
        "letter": LETTERS.get(letter or "", ""),
        "legal_basis": test.legal_basis or BLANK,
        "withheld": test.withheld or BLANK,
        "whole": test.withheld.strip().lower() == model.WHOLE,
        "if_opened": test.if_opened or BLANK,
        "if_closed": test.if_closed or BLANK,
        "public_interest": test.public_interest or BLANK,
        "reason": test.reason or BLANK,
        "period": test.period or BLANK,
        "ends": "Permanen" if ends == model.PERMANENT else (long_date(ends) if ends else BLANK),
        "tested": long_date(test.tested) if test.tested else BLANK,
        "participants": participants,
        "approver": _approver(participants, settings),
        "incomplete": gaps,
    }


def render_sheet(settings: Settings, item: Item, lang: str = "id", logo: str = "") -> str:
    """The lembar uji konsekuensi of ``item`` as a standalone A4 HTML page, under the
    agency's kop."""
    context = {**sheet_context(settings, item), "kop": letterhead.kop(settings, logo)}
    return _render_page("consequence.html", context, lang)


def write_sheet(reg: Register, item_id: str, out: Path | None, lang: str = "id") -> Path:
    """Write the sheet of the exempt item ``item_id`` to ``out`` (default
    ``cetak/uji-konsekuensi-<id>.html``, kept out of git); nothing is committed."""
    from dipctl.publish import printouts

    item = queries.find_item(reg, item_id)
    if item.category != model.EXEMPT and item.exemption is None:
        raise Refused("refused.not_exempt", id=item.id, hint="hint.not_exempt")
    target = (
        out if out is not None else printouts.default_path(reg, f"uji-konsekuensi-{item.id}.html")
    )
    return write_paper(target, render_sheet(reg.settings, item, lang, letterhead.logo_uri(reg)))
