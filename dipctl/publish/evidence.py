"""The documents of the e-Monev evidence pack, one function per kind (``dipctl monev``).

Each function takes the :class:`Inputs` of the pack and returns a :class:`Found`: the HTML
papers to print into one PDF, or a signed scan to use as it is, or nothing (with the reason).
The papers are the ones the SOP already prints (:mod:`~dipctl.publish.paper`,
:mod:`~dipctl.publish.dik_paper`, :mod:`~dipctl.publish.consequence`) plus the SOP sheet and
the list of links of :mod:`~dipctl.publish.evidence_pages`. Their official text is Indonesian;
``lang`` only changes the screen chrome. Pure: nothing is written, no clock is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused
from dipctl.publish import consequence, dictum, dik_paper, evidence_pages, minutes_paper, paper
from dipctl.publish.dates import long_date
from dipctl.register import model, store
from dipctl.register.records import Meeting
from dipctl.sop import decree as decree_doc

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item


@dataclass(frozen=True)
class Inputs:
    """What every document of the pack is made from."""

    reg: Register
    year: int
    lang: str
    today: dt.date
    items: dict[str, Item]
    decrees: dict[str, Decree]  # those dated by the end of ``year``
    logo: str


@dataclass(frozen=True)
class Found:
    """One file of the pack: ``pages`` printed into one PDF, or ``scan`` used as it is, or
    neither (then ``how`` says why). ``how`` and ``params`` are a catalog key and its
    values, shown in the index as how the file was made."""

    how: str
    params: dict[str, Any] = field(default_factory=dict)
    pages: tuple[str, ...] = ()
    scan: Path | None = None
    title: str = ""  # of the PDF, when it holds several papers


def scan_of(reg: Register, decree: Decree) -> Path | None:
    """The signed scan ``keputusan/<id>.pdf`` attached to ``decree`` (a regular file)."""
    path = reg.decrees_dir / f"{decree.id}.pdf"
    return path if path.is_file() and not path.is_symlink() else None


def _decree_params(inputs: Inputs, decree: Decree) -> dict[str, Any]:
    return {
        "number": decree.number or paper.BLANK,
        "date": long_date(decree.date, lang=inputs.lang),
        "path": inputs.reg.relative(inputs.reg.decrees_dir / f"{decree.id}.pdf"),
    }


def dip_decree(inputs: Inputs) -> Found:
    """The SK DIP in force at the end of the year with its lampiran (the complete DIP)."""
    decree = decree_doc.in_force(inputs.decrees)
    if decree is None:
        raise Refused("monev.no_dip_decree", year=inputs.year, hint="hint.monev_establish")
    params = _decree_params(inputs, decree)
    scan = scan_of(inputs.reg, decree)
    if scan is not None:
        return Found("monev.how.scan", params, scan=scan)
    listed = [
        inputs.items[i]
        for i in decree.items
        if i in inputs.items and inputs.items[i].category != model.EXEMPT
    ]
    previous = dictum.superseded(decree, inputs.decrees)
    removed = [inputs.items[i] for i in decree.removes if i in inputs.items]  # a withdrawal
    html = paper.render_decree_draft(
        inputs.reg.settings, decree, listed, inputs.lang, inputs.logo, previous, "copy", removed
    )
    return Found("monev.how.dip_decree", params, pages=(html,))


def dik_decree(inputs: Inputs) -> Found:
    """The Penetapan DIK in force at the end of the year with its lampiran (the DIK)."""
    decree = decree_doc.in_force(inputs.decrees, dik=True)
    if decree is None:
        return Found("monev.missing.dik", {"year": inputs.year})
    params = _decree_params(inputs, decree)
    scan = scan_of(inputs.reg, decree)
    if scan is not None:
        return Found("monev.how.scan", params, scan=scan)
    document = store.load(inputs.reg.decrees_dir / f"{decree.id}.yaml")
    listed = [inputs.items[i] for i in decree.items if i in inputs.items]
    html = dik_paper.render(
        inputs.reg.settings,
        decree,
        document if isinstance(document, dict) else {},
        listed,
        inputs.lang,
        dictum.superseded(decree, inputs.decrees),
        inputs.logo,
        banner="copy",
        lifted=[inputs.items[i] for i in decree.removes if i in inputs.items],
    )
    return Found("monev.how.dik_decree", params, pages=(html,))


def meetings_of(reg: Register, year: int) -> list[Meeting]:
    """The meetings (``rapat/*.yaml``) held in ``year``, by date and id; a file that cannot
    be read stops the pack (:class:`~dipctl.errors.InvalidFile`), it is never left out."""
    found = []
    for path in store.iter_yaml(reg.meetings_dir):
        data = store.load(path)
        meeting = Meeting.from_mapping(data if isinstance(data, dict) else {}, path)
        if meeting.date[:4] == str(year):
            found.append(meeting)
    return sorted(found, key=lambda m: (m.date, m.id))


def minutes(inputs: Inputs) -> Found:
    """The berita acara, with attendance, of every meeting of the year, one after another."""
    meetings = meetings_of(inputs.reg, inputs.year)
    if not meetings:
        return Found("monev.missing.minutes", {"year": inputs.year})
    pages = tuple(
        minutes_paper.render_minutes(
            inputs.reg.settings,
            meeting,
            [inputs.items[i] for i in meeting.decisions if i in inputs.items],
            inputs.lang,
            inputs.logo,
        )
        for meeting in meetings
    )
    dates = ", ".join(long_date(m.date, lang=inputs.lang) for m in meetings)
    title = f"Berita Acara Rapat Penentuan DIP Tahun {inputs.year}"
    params = {"count": len(meetings), "dates": dates}
    return Found("monev.how.minutes", params, pages=pages, title=title)


def consequence_tests(inputs: Inputs) -> Found:
    """The lembar uji konsekuensi of every item of the DIK in force."""
    decree = decree_doc.in_force(inputs.decrees, dik=True)
    listed = [inputs.items[i] for i in decree.items if i in inputs.items] if decree else []
    # an item whose exemption was lifted, or that is under revision as public, has no test
    # any more (its test stays in the history): never a blank sheet
    exempt = [i for i in listed if i.category == model.EXEMPT and i.exemption is not None]
    if not exempt:
        return Found("monev.missing.consequence", {"year": inputs.year})
    pages = tuple(
        consequence.render_sheet(inputs.reg.settings, item, inputs.lang, inputs.logo)
        for item in paper.sort_items(exempt)
    )
    title = "Lembar Uji Konsekuensi Informasi yang Dikecualikan"
    return Found("monev.how.consequence", {"count": len(pages)}, pages=pages, title=title)


def sop(inputs: Inputs) -> Found:
    """The SOP's steps with their mutu baku and the figures achieved in the year."""
    html = evidence_pages.sop_sheet(inputs.reg, inputs.year, inputs.today, inputs.lang, inputs.logo)
    return Found("monev.how.sop", {"year": inputs.year}, pages=(html,))


def links(inputs: Inputs) -> Found:
    """The addresses of the published DIP and DIK: the site's pages and downloads."""
    in_force = [d for d in (decree_doc.in_force(inputs.decrees, dik) for dik in (False, True)) if d]
    scans = {d.id for d in in_force if scan_of(inputs.reg, d) is not None}
    html = evidence_pages.links_sheet(inputs.reg, in_force, scans, inputs.lang, inputs.logo)
    base = inputs.reg.settings.base_url
    key = "monev.how.links" if base else "monev.how.links_no_base"
    return Found(key, {"base": base}, pages=(html,))


def renewal(inputs: Inputs) -> Found:
    """The Laporan Pemutakhiran DIP of the year (``dipctl pemutakhiran``): items added,
    revised, withdrawn, exemptions, decrees and the mutu baku achieved."""
    from dipctl.proof.renewal import Period
    from dipctl.publish import renewal_paper

    when = Period(dt.date(inputs.year, 1, 1), dt.date(inputs.year, 12, 31))
    html = renewal_paper.report_page(inputs.reg, when, inputs.today, inputs.lang)
    return Found("monev.how.renewal", {"year": inputs.year}, pages=(html,))
