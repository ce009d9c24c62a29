"""The two papers only the e-Monev pack prints: the SOP with its mutu baku, and the list of
links to the published DIP and DIK.

The SOP sheet lists the steps of :data:`dipctl.sop.workflow.TRANSITIONS` (who takes each;
no command: the pack's documents name none), the standards of ``register.yaml``'s
``mutu_baku`` and the figures achieved in the year, from :func:`dipctl.proof.sla.measure`
(read in :func:`achieved` only). The list of links is built from ``situs.base_url`` and the
files ``dipctl build`` writes; it says so plainly when ``base_url`` is not set. Official text
in Indonesian, as every paper.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dipctl.i18n import Translator
from dipctl.publish import letterhead, paper
from dipctl.sop import workflow

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Decree

#: The site's pages and downloads, as ``dipctl build`` writes them (path, what it is).
SITE_PAGES = (
    ("", "Daftar Informasi Publik (DIP)"),
    ("dik.html", "Daftar Informasi yang Dikecualikan (DIK)"),
    ("keputusan.html", "Surat keputusan penetapan DIP dan DIK"),
    ("sop.html", "SOP penetapan dan pemutakhiran DIP, mutu baku dan angka pelaksanaannya"),
)
SITE_DOWNLOADS = (
    ("dip.json", "DIP dalam format JSON (dengan skema dip.schema.json)"),
    ("dip.csv", "DIP dalam format CSV"),
    ("dip.xlsx", "DIP dalam format Excel (XLSX)"),
    ("dik.json", "DIK dalam format JSON"),
    ("dik.csv", "DIK dalam format CSV"),
    ("dik.xlsx", "DIK dalam format Excel (XLSX)"),
    ("feed.xml", "Umpan perubahan (Atom)"),
)


def achieved(reg: Register, year: int, today: dt.date) -> dict[str, dict[str, Any]]:
    """Per ``mutu_baku`` key, the steps of ``year`` measured by ``dipctl sla`` (the one
    summary of :func:`dipctl.proof.sla.summary`): how many, how many within the standard,
    the median and the longest (seconds), and the standard."""
    from dipctl.proof import sla

    found = sla.summary(reg, dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
    return {
        figure.key: {
            "standard": found.standards.get(figure.key, figure.bound_text),
            "measured": figure.measured,
            "within": figure.within,
            "median": figure.median,
            "longest": figure.longest,
        }
        for figure in found.per_step
    }


def _steps(reg: Register, figures: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    from dipctl.proof.sla_text import human

    bounded = {clock.step: clock.standard for clock in workflow.CLOCKS}  # step -> mutu_baku key

    tr = Translator("id")
    rows = []
    for number in sorted({t.step for t in workflow.TRANSITIONS if t.step > 0}):
        moves = [t for t in workflow.TRANSITIONS if t.step == number and t.forward]
        roles = dict.fromkeys(paper.ROLE_NAMES.get(t.role, t.role) for t in moves)
        key = bounded.get(number, "")
        figure = figures.get(key)
        result = ""
        if figure and figure["measured"]:
            result = (
                f"{figure['within']} dari {figure['measured']} langkah sesuai mutu baku; "
                f"median {human(tr, figure['median'])}, terlama {human(tr, figure['longest'])}"
            )
        elif figure:
            result = "Belum ada langkah yang diukur pada tahun ini"
        rows.append(
            {
                "number": number,
                "activity": tr(f"sop.step{number}"),
                "roles": ", ".join(roles),
                "standard": figure["standard"] if figure else "Secara berkala dan setiap saat",
                "result": result or "—",
            }
        )
    return rows


def sop_sheet(reg: Register, year: int, today: dt.date, lang: str, logo: str) -> str:
    """The SOP *Penetapan dan Pemutakhiran DIP* with its mutu baku, as an A4 paper."""
    settings = reg.settings
    context = {
        "agency": settings.agency_name,
        "year": year,
        "steps": _steps(reg, achieved(reg, year, today)),
        "kop": letterhead.kop(settings, logo),
    }
    return paper.render_page("sop.html", context, lang)


def site_links(
    base: str, in_force: Sequence[Decree], scans: Collection[str]
) -> list[dict[str, str]]:
    """The addresses to list: under ``base`` (``""``: the paths on the site)."""
    root = base.rstrip("/") + "/" if base else ""
    rows = [{"path": p, "what": w} for p, w in SITE_PAGES]
    for decree in in_force:
        kind = "Penetapan DIK" if decree.dik else "SK DIP"
        rows.append({"path": f"keputusan/{decree.id}.html", "what": f"{kind} yang berlaku"})
        if decree.id in scans:
            what = f"{kind} yang berlaku, pindaian bertanda tangan (PDF)"
            rows.append({"path": f"keputusan/{decree.id}.pdf", "what": what})
    rows += [{"path": p, "what": w} for p, w in SITE_DOWNLOADS]
    for row in rows:
        row["url"] = root + row["path"] if root else (row["path"] or "index.html")
    return rows


def _english(base: str) -> str:
    return base.rstrip("/") + "/en/" if base else "en/"


def links_sheet(
    reg: Register, in_force: Sequence[Decree], scans: Collection[str], lang: str, logo: str
) -> str:
    """The list of links to the published DIP and DIK, as an A4 paper."""
    settings = reg.settings
    context = {
        "agency": settings.agency_name,
        "base": settings.base_url,
        "english": _english(settings.base_url) if "en" in settings.languages else "",
        "links": site_links(settings.base_url, in_force, scans),
        "kop": letterhead.kop(settings, logo),
    }
    return paper.render_page("links.html", context, lang)
