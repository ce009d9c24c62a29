"""``dipctl monev``: the evidence a Komisi Informasi e-Monev reviewer asks for, as one folder.

:data:`EVIDENCE` is the one table of the pack: each entry is a file name, the e-Monev
question it answers, and the function of :mod:`~dipctl.publish.evidence` that produces it.
Each file is one PDF (e-Monev takes one PDF of at most :data:`MAX_BYTES` per question),
printed by Chromium (:mod:`~dipctl.publish.pdf`), or a signed scan used as it is; a file
over the limit is an error naming it, never left out. Beside them: an index mapping each
file to its question (HTML and PDF, in the officer's language) and one zip of everything
(entries sorted, dated 1980-01-01). The folder is written beside ``out`` and swapped in
(:mod:`~dipctl.publish.output`), never over a folder that is not an earlier pack.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError, OutputFailed, UsageError
from dipctl.i18n import Translator
from dipctl.publish import evidence, letterhead, paper, pdf
from dipctl.publish.output import Kind, target_folder, write_site
from dipctl.register.queries import load_decrees, load_items

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.register.config import Register

#: e-Monev's upload limit per question.
MAX_BYTES = 2 * 1024 * 1024
MARKER = ".dipctl-monev"
KIND = Kind(
    MARKER,
    b"This folder is written by `dipctl monev` and replaced whole by the next run.\n",
    protected="monev.protected",
    not_folder="monev.not_folder",
    not_ours="monev.not_pack",
    hint="hint.monev_folder",
    hint_not_ours="hint.monev_folder",
)


@dataclass(frozen=True)
class Entry:
    """One file of the pack: ``slug`` names it, ``question`` is the catalog key of the
    e-Monev question it answers, ``produce`` makes it."""

    slug: str
    question: str
    produce: Callable[[evidence.Inputs], evidence.Found]


#: The pack, in order; file ``NN-<slug>.pdf`` is entry NN.
EVIDENCE: tuple[Entry, ...] = (
    Entry("sk-dip", "monev.q.dip_decree", evidence.dip_decree),
    Entry("penetapan-dik", "monev.q.dik_decree", evidence.dik_decree),
    Entry("berita-acara", "monev.q.minutes", evidence.minutes),
    Entry("uji-konsekuensi", "monev.q.consequence", evidence.consequence_tests),
    Entry("sop-mutu-baku", "monev.q.sop", evidence.sop),
    Entry("tautan-dip-dik", "monev.q.links", evidence.links),
    Entry("laporan-pemutakhiran", "monev.q.renewal", evidence.renewal),
)
INDEX = "00-indeks"


class PackRefused(DipctlError):
    """A file of the pack cannot be uploaded to e-Monev as it is."""

    default_hint = "hint.monev_compress"


@dataclass(frozen=True)
class Pack:
    """What ``dipctl monev`` wrote: the folder, its files, and what it left out and why."""

    folder: Path
    files: tuple[str, ...]
    missing: tuple[tuple[str, str], ...]  # (file slug, reason sentence)


#: The first e-Monev year that can be asked for: UU 14/2008 came into force in 2010.
FIRST_YEAR = 2010


def check_year(year: int | None, today: dt.date) -> int:
    """``--year``: this year by default; never a year to come or before the Act."""
    if year is None:
        return today.year
    if not FIRST_YEAR <= year <= today.year:
        raise UsageError("usage.monev_year", value=year, first=FIRST_YEAR, last=today.year)
    return year


def file_name(number: int, entry: Entry) -> str:
    return f"{number:02d}-{entry.slug}.pdf"


def zip_name(year: int) -> str:
    return f"emonev-{year}.zip"


def stamp(today: dt.date) -> str:
    """The date printed into every PDF: ``SOURCE_DATE_EPOCH`` when set, else ``today``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y%m%d%H%M%S")
    return today.strftime("%Y%m%d") + "000000"


def _body(html: str) -> str:
    """What a rendered paper has inside ``<main>`` (dipctl's own, escaped output)."""
    start, end = html.find("<main>"), html.rfind("</main>")
    return html[start + len("<main>") : end] if start >= 0 and end > start else html


def one_document(pages: tuple[str, ...], title: str, lang: str) -> str:
    """Several papers as one HTML document, each from a new page."""
    if len(pages) == 1:
        return pages[0]
    parts = [_body(page) for page in pages]
    return paper.render_page("bundle.html", {"title": title, "parts": parts}, lang)


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return found.group(1).strip() if found else ""


def _size(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KiB".replace(",", ".")


def _check(name: str, data: bytes, scan: Path | None, shown: str) -> None:
    if len(data) <= MAX_BYTES:
        return
    if scan is not None:
        raise PackRefused("monev.scan_too_big", path=shown, size=_size(data), file=name)
    raise PackRefused("monev.too_big", path=name, size=_size(data), hint="hint.monev_split")


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def _inputs(reg: Register, year: int, lang: str, today: dt.date) -> evidence.Inputs:
    end = f"{year}-12-31"
    decrees = {k: d for k, d in load_decrees(reg).items() if d.date and d.date[:10] <= end}
    items = {i.id: i for i in load_items(reg)}
    logo = letterhead.logo_uri(reg)
    return evidence.Inputs(reg, year, lang, today, items, decrees, logo)


def _index(
    inputs: evidence.Inputs, rows: list[dict[str, Any]], notes: list[str], lang: str, links: bool
) -> str:
    """The index page; ``links``: the file names as links (the HTML, not the PDF)."""
    settings = inputs.reg.settings
    context = {
        "agency": settings.agency_name,
        "year": inputs.year,
        "limit": "2 MB",
        "rows": rows,
        "notes": notes,
        "index_html": f"{INDEX}.html",
        "index_pdf": f"{INDEX}.pdf",
        "zip": zip_name(inputs.year),
        "kop": letterhead.kop(settings, inputs.logo),
        "links": links,
    }
    return paper.render_page("monev.html", context, lang)


def build(reg: Register, out: Path, year: int, lang: str, today: dt.date) -> Pack:
    """Write the pack of ``year`` to ``out`` (replaced whole); see the module's docstring."""
    shown = Path(os.path.normpath(out.absolute()))
    try:
        target = target_folder(reg, out, shown, KIND)
        program = pdf.browser()  # before any work: a missing browser says so at once
        inputs = _inputs(reg, year, lang, today)
        with tempfile.TemporaryDirectory(prefix="dipctl-monev-") as work:
            files, missing = _files(inputs, _Printer(program, Path(work), stamp(today)))
        files[zip_name(year)] = _zip(files)
        write_site(target, files, KIND)
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise OutputFailed("output.failed", path=exc.filename or shown, detail=detail) from exc
    return Pack(shown, tuple(sorted(files)), tuple(missing))


def _files(
    inputs: evidence.Inputs, printer: _Printer
) -> tuple[dict[str, bytes], list[tuple[str, str]]]:
    """Every PDF of :data:`EVIDENCE` and the index; what was left out, and why."""
    tr = Translator(inputs.lang)
    files: dict[str, bytes] = {}
    rows: list[dict[str, Any]] = []
    missing: list[tuple[str, str]] = []
    for number, entry in enumerate(EVIDENCE, 1):
        found = entry.produce(inputs)
        how = tr(found.how, **found.params)
        row = {"name": "", "size": "", "question": tr(entry.question, year=inputs.year)}
        if found.scan is not None or found.pages:
            name = file_name(number, entry)
            files[name] = _produce(printer, name, found, inputs)
            row |= {"name": name, "size": _size(files[name])}
        else:
            missing.append((entry.slug, how))
        rows.append({**row, "how": how})
    notes = [] if inputs.reg.settings.base_url else [tr("monev.note.no_base_url")]
    html = _index(inputs, rows, notes, tr.lang, links=True)
    files[f"{INDEX}.html"] = html.encode("utf-8")
    plain = _index(inputs, rows, notes, tr.lang, links=False)
    files[f"{INDEX}.pdf"] = printer.print(f"{INDEX}.pdf", plain)
    return files, missing


@dataclass(frozen=True)
class _Printer:
    program: str
    work: Path
    stamp: str

    def print(self, name: str, html: str) -> bytes:
        page = self.work / (name.removesuffix(".pdf") + ".html")
        page.write_text(html, encoding="utf-8")
        data = pdf.print_pdf(self.program, page, self.work / name, self.stamp)
        _check(name, data, None, name)
        return data


def _produce(printer: _Printer, name: str, found: evidence.Found, inputs: evidence.Inputs) -> bytes:
    if found.scan is not None:
        data = found.scan.read_bytes()
        shown = str(inputs.reg.relative(found.scan))
        if not data.startswith(b"%PDF-"):
            raise PackRefused("monev.scan_not_pdf", path=shown, hint="hint.scan")
        _check(name, data, found.scan, shown)
        return data
    html = one_document(found.pages, found.title or _title(found.pages[0]), inputs.lang)
    return printer.print(name, html)
