"""The documents of the e-Monev evidence pack, one function per kind (``dipctl monev``).

Each function takes the :class:`Inputs` of the pack and returns a :class:`Found`: its parts,
each a signed scan to use as it is (:mod:`dipctl.register.scans`) or else the HTML paper to
print, or nothing (with the reason and what to do).
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
from dipctl.publish import (
    consequence,
    dictum,
    dik_paper,
    evidence_pages,
    minutes_paper,
    paper,
    parts,
)
from dipctl.publish.dates import long_date
from dipctl.register import model, scans, store
from dipctl.register.records import Meeting
from dipctl.sop import decree as decree_doc

if TYPE_CHECKING:
    from collections.abc import Callable
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
    documents: tuple[scans.Document, ...] = ()  # by kind, date and id


@dataclass(frozen=True)
class Part:
    """One paper of a file of the pack: its signed scan, used as it is, or else its print
    (``page``). ``command`` attaches its signed scan: it is said in the terminal, never
    printed into a document of the pack."""

    name: str  # what it is, in words (the index)
    key: str  # its record's id: the file's name when it is a file of its own
    scan: Path | None = None
    page: str = ""
    command: str = ""
    #: A paper with a lampiran that may be too long for one file: its print in parts of at
    #: most the given number of rows (each part and its page; one part when it fits).
    split: Callable[[int], list[tuple[parts.Part, str]]] | None = None


@dataclass(frozen=True)
class Found:
    """One entry of the pack: its ``parts``, or none (then ``how`` says why). ``how`` and
    ``params`` are a catalog key and its values, shown in the index as how the file was
    made. ``signed``: a paper that is signed, whose print says it is not signed yet (the
    decrees say so themselves, ``marked``); ``todo``: what to do when it is missing, in
    words (a catalog key), and ``command``: the same for the terminal."""

    how: str
    params: dict[str, Any] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()
    title: str = ""  # of the printed PDF, when it holds several papers
    signed: bool = False
    marked: bool = False
    todo: str = ""
    command: str = ""


FILE = "BERKAS.pdf"  # the officer's scan, as the terminal names it


def scan_of(reg: Register, decree: Decree) -> Path | None:
    """The signed scan ``keputusan/<id>.pdf`` attached to ``decree`` (a regular file)."""
    return scans.present(scans.decree_scan(reg, decree.id))


def _decree_params(inputs: Inputs, decree: Decree) -> dict[str, Any]:
    return {
        "number": decree.number or paper.BLANK,
        "date": long_date(decree.date, lang=inputs.lang),
        "path": inputs.reg.relative(scans.decree_scan(inputs.reg, decree.id)),
    }


def _decree(
    inputs: Inputs,
    decree: Decree,
    name: str,
    key: str,
    page: Callable[[], str],
    split: Callable[[int], list[tuple[parts.Part, str]]] | None = None,
) -> Found:
    """A decree in force: its signed scan, else its print marked as not signed."""
    params = _decree_params(inputs, decree)
    command = f"dipctl decree attach {decree.id} {FILE}"
    scan = scan_of(inputs.reg, decree)
    if scan is not None:
        part = Part(name, decree.id, scan=scan, command=command)
        return Found("monev.how.scan", params, (part,), signed=True)
    part = Part(name, decree.id, page="" if split else page(), command=command, split=split)
    return Found(key, params, (part,), signed=True, marked=True)


def dip_decree(inputs: Inputs) -> Found:
    """The SK DIP in force at the end of the year with its lampiran (the complete DIP)."""
    decree = decree_doc.in_force(inputs.decrees)
    if decree is None:
        raise Refused("monev.no_dip_decree", year=inputs.year, hint="hint.monev_establish")

    listed = [
        inputs.items[i]
        for i in decree.items
        if i in inputs.items and inputs.items[i].category != model.EXEMPT
    ]
    previous = dictum.superseded(decree, inputs.decrees)
    removed = [inputs.items[i] for i in decree.removes if i in inputs.items]  # withdrawal

    def page(part: parts.Part | None = None) -> str:
        return paper.render_decree_draft(
            inputs.reg.settings,
            decree,
            listed,
            inputs.lang,
            inputs.logo,
            previous,
            "copy",
            removed,
            part,
        )

    name = f"SK DIP {decree.number}"
    split = parts.splitter(len(listed), page)
    return _decree(inputs, decree, name, "monev.how.dip_decree", page, split)


def dik_decree(inputs: Inputs) -> Found:
    """The Penetapan DIK in force at the end of the year with its lampiran (the DIK)."""
    decree = decree_doc.in_force(inputs.decrees, dik=True)
    if decree is None:
        return Found("monev.missing.dik", {"year": inputs.year}, todo="monev.todo.dik")

    listed = [inputs.items[i] for i in decree.items if i in inputs.items]

    def page(part: parts.Part | None = None) -> str:
        document = store.load(inputs.reg.decrees_dir / f"{decree.id}.yaml")
        return dik_paper.render(
            inputs.reg.settings,
            decree,
            document if isinstance(document, dict) else {},
            listed,
            inputs.lang,
            dictum.superseded(decree, inputs.decrees),
            inputs.logo,
            banner="copy",
            lifted=[inputs.items[i] for i in decree.removes if i in inputs.items],
            part=part,
        )

    name = f"Penetapan DIK {decree.number}"
    split = parts.splitter(len(listed), page)
    return _decree(inputs, decree, name, "monev.how.dik_decree", page, split)


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
    """The berita acara, with attendance, of every meeting of the year: each its signed
    scan, else its print."""
    meetings = meetings_of(inputs.reg, inputs.year)
    if not meetings:
        return Found("monev.missing.minutes", {"year": inputs.year}, todo="monev.todo.minutes")
    found = []
    for meeting in meetings:
        name = f"Berita acara rapat {long_date(meeting.date, lang='id')}"
        command = f"dipctl meeting attach {meeting.id} {FILE}"
        scan = scans.present(scans.minutes_scan(inputs.reg, meeting.id))
        if scan is not None:
            found.append(Part(name, meeting.id, scan=scan, command=command))
            continue
        page, split = _minutes_paper(inputs, meeting)
        found.append(Part(name, meeting.id, page=page, command=command, split=split))
    dates = ", ".join(long_date(m.date, lang=inputs.lang) for m in meetings)
    title = f"Berita Acara Rapat Penentuan DIP Tahun {inputs.year}"
    params = {"count": len(meetings), "dates": dates}
    return Found("monev.how.minutes", params, tuple(found), title=title, signed=True)


def _minutes_paper(
    inputs: Inputs, meeting: Meeting
) -> tuple[str, Callable[[int], list[tuple[parts.Part, str]]]]:
    """A meeting's berita acara: its page, and its print in parts of its results' rows (used
    when it is the only paper of the entry printed: a meeting that decided thousands)."""
    settings, items = (
        inputs.reg.settings,
        [inputs.items[i] for i in meeting.decisions if i in inputs.items],
    )

    def render(part: parts.Part | None) -> str:
        return minutes_paper.render_minutes(
            settings, meeting, items, inputs.lang, inputs.logo, part
        )

    context = minutes_paper.minutes_context(settings, meeting, items, inputs.lang)
    return render(None), parts.splitter(minutes_paper.result_count(context), render)


def consequence_tests(inputs: Inputs) -> Found:
    """The lembar uji konsekuensi of every item of the DIK in force: each its signed scan
    (of the revision whose test was approved), else its print."""
    decree = decree_doc.in_force(inputs.decrees, dik=True)
    listed = [inputs.items[i] for i in decree.items if i in inputs.items] if decree else []
    # an item whose exemption was lifted, or that is under revision as public, has no test
    # any more (its test stays in the history): never a blank sheet
    exempt = [i for i in listed if i.category == model.EXEMPT and i.exemption is not None]
    if not exempt:
        return Found("monev.missing.consequence", {"year": inputs.year})
    parts = []
    for item in paper.sort_items(exempt):
        revision = scans.tested_revision(item)
        command = f"dipctl consequence-test {item.id} --attach {FILE}"
        scan = scans.present(scans.test_scan(inputs.reg, item.id, revision))
        if scan is not None:
            parts.append(Part(item.title, item.id, scan=scan, command=command))
            continue
        page = consequence.render_sheet(inputs.reg.settings, item, inputs.lang, inputs.logo)
        parts.append(Part(item.title, item.id, page=page, command=command))
    title = "Lembar Uji Konsekuensi Informasi yang Dikecualikan"
    params = {"count": len(parts)}
    return Found("monev.how.consequence", params, tuple(parts), title=title, signed=True)


def sop(inputs: Inputs) -> Found:
    """The SOP's steps with their mutu baku and the figures achieved in the year."""
    html = evidence_pages.sop_sheet(inputs.reg, inputs.year, inputs.today, inputs.lang, inputs.logo)
    return Found("monev.how.sop", {"year": inputs.year}, (Part("SOP", "sop", page=html),))


def links(inputs: Inputs) -> Found:
    """The addresses of the published DIP and DIK: the site's pages and downloads."""
    in_force = [d for d in (decree_doc.in_force(inputs.decrees, dik) for dik in (False, True)) if d]
    scans = {d.id for d in in_force if scan_of(inputs.reg, d) is not None}
    html = evidence_pages.links_sheet(inputs.reg, in_force, scans, inputs.lang, inputs.logo)
    base = inputs.reg.settings.base_url
    key = "monev.how.links" if base else "monev.how.links_no_base"
    todo, command = ("", "") if base else ("monev.todo.base_url", "register.yaml: situs.base_url")
    part = Part("Tautan", "tautan", page=html)
    return Found(key, {"base": base}, (part,), todo=todo, command=command)


def renewal(inputs: Inputs) -> Found:
    """The Laporan Pemutakhiran DIP of the year (``dipctl pemutakhiran``): items added,
    revised, withdrawn, exemptions, decrees and the mutu baku achieved."""
    from dipctl.proof.renewal import Period
    from dipctl.publish import renewal_paper

    when = Period(dt.date(inputs.year, 1, 1), dt.date(inputs.year, 12, 31))
    total, render = renewal_paper.report_parts(inputs.reg, when, inputs.today, inputs.lang)
    split = parts.splitter(total, render)
    part = Part("Laporan pemutakhiran", "laporan", split=split)
    return Found("monev.how.renewal", {"year": inputs.year}, (part,))


def document(kind: str) -> Callable[[Inputs], Found]:
    """The producer of the e-Monev document ``kind`` (``dipctl document add``): the latest
    one dated by the end of the year, its scan as it is."""

    def produce(inputs: Inputs) -> Found:
        end = f"{inputs.year}-12-31"
        kept = [d for d in inputs.documents if d.kind == kind and d.date <= end]
        label = f"monev.document.{kind}"
        if not kept:
            command = f'dipctl document add {kind} {FILE} --title "JUDUL" --date TANGGAL'
            params = {"year": inputs.year, "what": label}
            return Found("monev.missing.document", params, todo="monev.todo.document",
                         command=command)  # fmt: skip
        latest = kept[-1]
        scan = scans.present(latest.pdf)
        if scan is None:
            return Found("monev.missing.document", {"year": inputs.year, "what": label},
                         todo="monev.todo.document")  # fmt: skip
        params = {
            "title": latest.title,
            "date": long_date(latest.date, lang=inputs.lang),
            "path": inputs.reg.relative(scan),
        }
        command = f"dipctl document add {kind} {FILE} --date {latest.date} --replace -m ALASAN"
        part = Part(latest.title, latest.id, scan=scan, command=command)
        return Found("monev.how.document", params, (part,), signed=True)

    return produce
