"""The printable Laporan Pemutakhiran DIP of a period, under the kop (issue 13): evidence of
pemutakhiran for the Komisi Informasi's e-Monev.

:func:`write_report_page` is the one entry point for other papers and packs (``dipctl
monev``): it reads the history once (:func:`dipctl.proof.renewal.collect`) and writes one
self-contained A4 HTML page. Pure rendering otherwise, like :mod:`dipctl.publish.paper`: the
official text is Indonesian whatever ``lang`` is, and no clock is read (``today`` is given:
it dates the report and decides which exemptions have already ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.proof import renewal
from dipctl.proof.renewal_text import dip_updated, sections
from dipctl.publish import letterhead, signatory
from dipctl.publish.paper import (
    BLANK,
    CATEGORY_LABELS,
    ROLE_NAMES,
    long_date,
    render_page,
    write_paper,
)
from dipctl.publish.parts import Part, slice_groups

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable
    from pathlib import Path

    from dipctl.proof.renewal import ItemEvent, Period, RenewalReport
    from dipctl.register.config import Register
    from dipctl.register.records import Settings

__all__ = ["render_report", "report_page", "write_report_page"]

#: The section headings of the paper, by report attribute.
TITLES = {
    "established": "Informasi Publik yang Ditetapkan",
    "revised": "Informasi Publik yang Dimutakhirkan",
    "withdrawn": "Informasi Publik yang Dicabut dari DIP",
    "exemptions": "Informasi yang Ditetapkan sebagai Dikecualikan",
    "expired": "Pengecualian yang Berakhir",
    "reopened": "Informasi Dikecualikan yang Dibuka",
}
STEP_NAMES = {
    "rapat": "Rapat penentuan dan berita acara (langkah 4)",
    "penetapan": "Penetapan oleh pimpinan (langkah 5)",
    "pengunggahan": "Pengunggahan ke laman (langkah 6)",
}


def _row(settings: Settings, event: ItemEvent) -> dict[str, Any]:
    decree = event.number or event.decree
    return {
        "id": event.item,
        "title": event.title or event.item,
        "unit": settings.units.get(event.unit, event.unit),
        "category": CATEGORY_LABELS.get(event.category, event.category),
        "date": long_date(event.date),
        "decree": decree or BLANK,
        "revision": event.revision,
    }


def _ppid(settings: Settings) -> dict[str, str]:
    people = settings.people_with("ppid_pembantu")
    return signatory.of_person(people[0] if people else None, ROLE_NAMES["ppid_pembantu"])


def render_report(
    settings: Settings,
    report: RenewalReport,
    today: dt.date,
    lang: str = "id",
    logo: str = "",
    part: Part | None = None,
) -> str:
    """The report as a standalone A4 HTML page under the kop of ``settings``; ``part``: one
    part of the report printed in parts (its item tables' rows in that part)."""
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    whole_year = start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]
    context = {
        "agency": settings.agency_name,
        "period": f"Tahun {start[:4]}"
        if whole_year
        else f"{long_date(start)} s.d. {long_date(end)}",
        "updated": dip_updated(report),
        "decrees": [
            {
                "list": "DIK" if d.list == "dik" else "DIP",
                "number": d.number or BLANK,
                "date": long_date(d.date),
                "subject": d.subject,
            }
            for d in report.decrees
        ],
        "sections": slice_groups(
            [
                {
                    "key": name,
                    "letter": "BCDEFG"[n],
                    "title": TITLES[name],
                    "exempt": name in ("exemptions", "expired"),
                    "rows": [_row(settings, e) for e in events],
                }
                for n, (name, _, events) in enumerate(sections(report))
            ],
            part,
        ),
        "part": part,
        "quality": [
            {
                "name": STEP_NAMES.get(s.key, s.key),
                "bound": s.bound,
                "steps": s.steps,
                "met": s.steps - s.missed,
                "missed": s.missed,
            }
            for s in report.quality
        ],
        "place_signed": ", ".join(
            v for v in (settings.agency_place, long_date(today.isoformat())) if v
        ),
        "ppid": _ppid(settings),
        "kop": letterhead.kop(settings, logo),
    }
    return render_page("renewal.html", context, lang)


def report_page(reg: Register, when: Period, today: dt.date, lang: str = "id") -> str:
    """The Laporan Pemutakhiran DIP of ``when`` as HTML (read from the history of HEAD)."""
    report = renewal.collect(reg, when, today)
    return render_report(reg.settings, report, today, lang, letterhead.logo_uri(reg))


def report_parts(
    reg: Register, when: Period, today: dt.date, lang: str = "id"
) -> tuple[int, Callable[[Part | None], str]]:
    """The rows of the report's item tables, and the report rendered whole (``None``) or one
    part at a time (:mod:`dipctl.publish.parts`); the history is read once."""
    report = renewal.collect(reg, when, today)
    logo = letterhead.logo_uri(reg)
    total = sum(len(events) for _, _, events in sections(report))

    def render(part: Part | None) -> str:
        return render_report(reg.settings, report, today, lang, logo, part)

    return total, render


def write_report_page(
    reg: Register, when: Period, out: Path, today: dt.date, lang: str = "id"
) -> Path:
    """Write the Laporan Pemutakhiran DIP of ``when`` to ``out``; nothing is committed."""
    return write_paper(out, report_page(reg, when, today, lang))
