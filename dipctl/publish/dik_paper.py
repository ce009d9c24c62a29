"""The printable Penetapan DIK (SOP step 5 for exempt information, SPEC.md section 2).

The Surat Penetapan Klasifikasi of Perki 1/2017 Pasal 4 ayat 4, issued by the PPID after the
head approved the consequence tests, with its six elements: a. the kind of exemption (the
pasal); b. the identity of the PPID official who establishes it; c. the public body and that
official's unit; d. the period; e. the reason; f. the place and date. Its lampiran is the
complete DIK in force. Rendered like the draft SK by :mod:`dipctl.publish.paper`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.publish import dates, letterhead, paper

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

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
    for item in paper.sort_items(items):
        detail = details.get(item.id, {})
        rows.append(
            {
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
    return {
        "agency": str(document.get("badan_publik") or settings.agency_name),
        "place": decree.place or settings.agency_place or paper.BLANK,
        "number": decree.number or paper.BLANK,
        "date": paper.long_date(decree.date) if day else paper.BLANK,
        "year": str(day.year) if day else paper.BLANK,
        "subject": decree.subject,
        "official": {
            "name": official.get("nama") or paper.BLANK,
            "position": official.get("jabatan") or "PPID Pembantu",
            "nip": paper.format_nip(str(official.get("nip") or "")),
            "unit": official.get("unit") or settings.agency_name,
        },
        "legal_bases": list(settings.legal_bases) or [paper.BLANK],
        "rows": rows,
        "replaces": paper.replaced(settings, decree, previous),
        "lift": bool(decree.removes),
        "lifted": [
            f"{item.title} ({settings.units.get(item.unit, item.unit)})"
            for item in paper.sort_items(lifted)
        ],
        "reason": decree.reason or paper.BLANK,
    }


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
) -> str:
    """The Penetapan DIK as a printable HTML page, under the agency's kop (``banner``: as
    :func:`dipctl.publish.paper.render_decree_draft`; ``lifted``: as :func:`context`)."""
    page = context(settings, decree, document, items, previous, lifted)
    kop = letterhead.kop(settings, logo)
    return paper._render("dik.html", lang, {**page, "kop": kop, "banner_key": banner})


def write_draft(
    reg: Register, number: str, date: str, out: Path, lang: str = "id", amend: bool = False
) -> Path:
    """``dipctl decree draft --dik``: the Penetapan DIK that ``exempt`` would issue now for
    every ``disetujui`` item, its lampiran the complete DIK in force after it."""
    document, made, listed, previous = paper.draft_decree(reg, number, date, True, amend)
    logo = letterhead.logo_uri(reg)
    html = render(reg.settings, made, document, listed, lang, previous, logo)
    return paper.write_paper(out, html)
