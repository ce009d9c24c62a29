"""The printable Penetapan DIK (SOP step 5 for exempt information, SPEC.md section 2).

The Surat Penetapan Klasifikasi of Perki 1/2017 Pasal 4 ayat 4, issued by the PPID after the
head approved the consequence tests, with its six elements: a. the kind of exemption (the
pasal); b. the identity of the PPID official who establishes it; c. the public body and that
official's unit; d. the period; e. the reason; f. the place and date. Its lampiran is the
complete DIK in force. Rendered like the draft SK by :mod:`dipctl.publish.paper`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.publish import dates, letterhead, paper, recitals, signatory

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.publish.parts import Part
    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item, Settings


def context(
    settings: Settings,
    decree: Decree,
    document: dict[str, Any],
    items: Sequence[Item],
    previous: Decree | Sequence[Decree] | None = None,
    lifted: Sequence[Item] = (),
) -> dict[str, Any]:
    """The paper's values; ``lifted``: the items a lift (``dipctl lift``: a Penetapan DIK
    with ``mengeluarkan``) takes out of the DIK, named in its dicta."""
    found = document.get("pejabat")
    official: dict[str, Any] = found if isinstance(found, dict) else {}
    details = {
        str(r.get("informasi")): r for r in document.get("rincian") or [] if isinstance(r, dict)
    }
    rows = []
    for no, item in enumerate(paper.sort_items(items), 1):
        detail = details.get(item.id, {})
        rows.append(
            {
                "no": no,
                "id": item.id,
                "title": item.title,
                "unit": settings.units.get(item.unit, item.unit),
                "pasal": detail.get("pasal", ""),
                "legal_basis": detail.get("dasar_hukum", ""),
                "period": detail.get("jangka_waktu", ""),
                "ends": detail.get("berakhir", ""),
                "reason": detail.get("alasan", ""),
            }
        )
    day = dates.parse(decree.date)
    signer = _official(settings, official)
    replaces = paper.replaced(settings, decree, previous)
    agency = str(document.get("badan_publik") or settings.agency_name)
    return {
        "agency": agency,
        "place": decree.place or settings.agency_place or paper.BLANK,
        "number": decree.number or paper.BLANK,
        "date": paper.long_date(decree.date) if day else paper.BLANK,
        "year": str(day.year) if day else paper.BLANK,
        "subject": decree.subject,
        "official": signer,
        "menimbang": recitals.menimbang(
            decree, agency, signer["position"], decree.subject, paper.named(replaces)
        ),
        "mengingat": recitals.mengingat(settings, decree),
        "rows": rows,
        "replaces": replaces,
        "lift": bool(decree.removes),
        "lifted": [
            f"{item.title} ({settings.units.get(item.unit, item.unit)})"
            for item in paper.sort_items(lifted)
        ],
        "reason": decree.reason or paper.BLANK,
    }


def _official(settings: Settings, official: dict[str, Any]) -> dict[str, Any]:
    """The PPID official who signs, as the decree records them (``pejabat``, Pasal 4 ayat 4
    b and c); a NIP, pangkat or golongan it does not record is the officer's in ``orang``."""
    person = settings.person(str(official.get("email") or ""))
    found = signatory.block(
        str(official.get("nama") or paper.BLANK),
        str(official.get("jabatan") or "PPID Pembantu"),
        str(official.get("nip") or (person.nip if person else "")),
        str(official.get("pangkat") or (person.rank if person else "")),
        str(official.get("golongan") or (person.grade if person else "")),
    )
    return {**found, "unit": official.get("unit") or settings.agency_name}


def render(
    settings: Settings,
    decree: Decree,
    document: dict[str, Any],
    items: Sequence[Item],
    lang: str = "id",
    previous: Decree | Sequence[Decree] | None = None,
    logo: str = "",
    banner: str = "draft",
    lifted: Sequence[Item] = (),
    part: Part | None = None,
) -> str:
    """The Penetapan DIK as a printable HTML page, under the agency's kop (``banner``: as
    :func:`dipctl.publish.paper.render_decree_draft`; ``lifted``: as :func:`context`;
    ``part``: one part of the decree printed in parts, as the SK DIP's: the decree with the
    first rows of its lampiran, then the further rows numbered on, the signature under the
    last, see :mod:`dipctl.publish.parts`)."""
    page = context(settings, decree, document, items, previous, lifted)
    if part is not None:
        page["rows"] = page["rows"][part.start : part.stop]
    kop = letterhead.kop(settings, logo)
    context_ = {**page, "kop": kop, "banner_key": banner, "part": part}
    return paper._render("dik.html", lang, context_)


def write_draft(
    reg: Register, number: str, date: str, out: Path, lang: str = "id", amend: bool = False
) -> Path:
    """``dipctl decree draft --dik``: the Penetapan DIK that ``exempt`` would issue now for
    every ``disetujui`` item, its lampiran the complete DIK in force after it."""
    document, made, listed, previous = paper.draft_decree(reg, number, date, True, amend)
    logo = letterhead.logo_uri(reg)
    html = render(reg.settings, made, document, listed, lang, previous, logo)
    return paper.write_paper(out, html)
