"""``dipctl monev``: the evidence a Komisi Informasi e-Monev reviewer asks for, as one folder.

:data:`EVIDENCE` is the one table of the pack: each entry is a file name, the e-Monev
question it answers, and the function of :mod:`~dipctl.publish.evidence` that produces it.
Each file is one PDF of at most :data:`MAX_BYTES` (e-Monev's limit): a signed scan used as
it is, byte for byte, or the papers that have none printed together by Chromium
(:mod:`~dipctl.publish.pdf`), each marked "belum ditandatangani"; an entry with several
signed scans gives a file per scan (``NN-<slug>-<record>.pdf``). A file over the limit is an
error naming it, never left out. Beside them: an index (HTML and PDF, in the officer's
language) of each file, its question, what is signed, what is missing and what to do about
it in words, and one zip of everything (entries sorted, dated 1980-01-01). No document of
the pack names a command: the exact commands go to the terminal (:attr:`Pack.notices`).
The folder is written beside ``out`` and swapped in (:mod:`~dipctl.publish.output`), never
over a folder that is not an earlier pack.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import re
import tempfile
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError, OutputFailed, UsageError
from dipctl.feedback import silent
from dipctl.i18n import Translator
from dipctl.publish import evidence, letterhead, paper, parts, pdf
from dipctl.publish.output import Kind, target_folder, write_site
from dipctl.register import model, scans
from dipctl.register.queries import load_decrees, load_items

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.feedback import Progress
    from dipctl.register.config import Register

#: e-Monev's upload limit per question.
MAX_BYTES = 2 * 1024 * 1024
#: Browsers printing at once.
PRINTS = 2
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


#: The pack, in order; file ``NN-<slug>.pdf`` is entry NN; after the papers of the SOP, the
#: other documents the e-Monev asks for (``dipctl document add``), one entry per kind.
EVIDENCE: tuple[Entry, ...] = (
    Entry("sk-dip", "monev.q.dip_decree", evidence.dip_decree),
    Entry("penetapan-dik", "monev.q.dik_decree", evidence.dik_decree),
    Entry("berita-acara", "monev.q.minutes", evidence.minutes),
    Entry("uji-konsekuensi", "monev.q.consequence", evidence.consequence_tests),
    Entry("sop-mutu-baku", "monev.q.sop", evidence.sop),
    Entry("tautan-dip-dik", "monev.q.links", evidence.links),
    Entry("laporan-pemutakhiran", "monev.q.renewal", evidence.renewal),
    *(Entry(k, f"monev.q.document.{k}", evidence.document(k)) for k in model.DOCUMENT_KINDS),
)
INDEX = "00-indeks"


class PackRefused(DipctlError):
    """A file of the pack cannot be uploaded to e-Monev as it is."""

    default_hint = "hint.monev_compress"


@dataclass(frozen=True)
class Pack:
    """What ``dipctl monev`` wrote: the folder, its files, and for the terminal what is not
    signed or missing, with the command that fixes each (translated lines)."""

    folder: Path
    files: tuple[str, ...]
    notices: tuple[str, ...]


#: The first e-Monev year that can be asked for: UU 14/2008 came into force in 2010.
FIRST_YEAR = 2010


def check_year(year: int | None, today: dt.date) -> int:
    """``--year``: this year by default; never a year to come or before the Act."""
    if year is None:
        return today.year
    if not FIRST_YEAR <= year <= today.year:
        raise UsageError("usage.monev_year", value=year, first=FIRST_YEAR, last=today.year)
    return year


def file_name(number: int, entry: Entry, key: str = "") -> str:
    """``NN-<slug>.pdf``; ``key``: one signed scan of an entry that has several files."""
    return f"{number:02d}-{entry.slug}{'-' + key if key else ''}.pdf"


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


def one_document(pages: tuple[str, ...], title: str, lang: str, banner: bool = False) -> str:
    """Several papers as one HTML document, each from a new page; ``banner``: each marked as
    not signed yet."""
    if len(pages) == 1 and not banner:
        return pages[0]
    parts = [_body(page) for page in pages]
    context = {"title": title, "parts": parts, "banner": banner}
    return paper.render_page("bundle.html", context, lang)


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return found.group(1).strip() if found else ""


def _size(data: bytes) -> str:
    return scans.size_text(len(data))


def _check(name: str, data: bytes, scan: Path | None, shown: str) -> None:
    if len(data) <= MAX_BYTES:
        return
    if scan is not None:
        raise PackRefused("monev.scan_too_big", path=shown, size=_size(data), file=name)
    raise PackRefused("monev.too_big", path=name, size=_size(data), hint="hint.monev_split")


def _refuse(name: str, data: bytes) -> None:
    _check(name, data, None, name)


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
    documents = tuple(scans.load_documents(reg))
    return evidence.Inputs(reg, year, lang, today, items, decrees, logo, documents)


def _index(inputs: evidence.Inputs, rows: list[dict[str, Any]], lang: str, links: bool) -> str:
    """The index page; ``links``: the file names as links (the HTML, not the PDF)."""
    settings = inputs.reg.settings
    context = {
        "agency": settings.agency_name,
        "year": inputs.year,
        "limit": "2 MB",
        "rows": rows,
        "index_html": f"{INDEX}.html",
        "index_pdf": f"{INDEX}.pdf",
        "zip": zip_name(inputs.year),
        "kop": letterhead.kop(settings, inputs.logo),
        "links": links,
    }
    return paper.render_page("monev.html", context, lang)


def build(
    reg: Register, out: Path, year: int, lang: str, today: dt.date, progress: Progress = silent
) -> Pack:
    """Write the pack of ``year`` to ``out`` (replaced whole); see the module's docstring."""
    shown = Path(os.path.normpath(out.absolute()))
    try:
        target = target_folder(reg, out, shown, KIND)
        program = pdf.browser()  # before any work: a missing browser says so at once
        progress("progress.monev.read")
        inputs = _inputs(reg, year, lang, today)
        with tempfile.TemporaryDirectory(prefix="dipctl-monev-") as work:
            printer = _Printer(program, Path(work), stamp(today))
            files, notices = _files(inputs, printer, progress)
        files[zip_name(year)] = _zip(files)
        write_site(target, files, KIND, progress, "progress.monev.write")
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise OutputFailed("output.failed", path=exc.filename or shown, detail=detail) from exc
    return Pack(shown, tuple(sorted(files)), tuple(notices))


def _files(
    inputs: evidence.Inputs, printer: _Printer, progress: Progress = silent
) -> tuple[dict[str, bytes], list[str]]:
    """Every PDF of :data:`EVIDENCE` and the index; the notices for the terminal."""
    tr = Translator(inputs.lang)
    files: dict[str, bytes] = {}
    rows: list[dict[str, Any]] = []
    notices: list[str] = []
    made = [(number, entry, entry.produce(inputs)) for number, entry in enumerate(EVIDENCE, 1)]

    total, counter = len(made) + 1, itertools.count(1)  # every entry, then the index
    progress("progress.monev.print", 0, total)

    def print_entry(one: tuple[int, Entry, evidence.Found]) -> list[tuple[str, bytes, str]]:
        done = _entry_files(*one, inputs, printer)
        progress("progress.monev.print", next(counter), total)  # next(): one thread at a time
        return done

    # Chromium runs as a subprocess: two at a time keep both cores busy (each print is
    # mostly a browser starting up), in the pack's order whatever finishes first.
    with ThreadPoolExecutor(max_workers=PRINTS) as pool:
        printed = list(pool.map(print_entry, made))
    for (number, entry, found), written in zip(made, printed, strict=True):
        files.update((name, data) for name, data, _ in written)
        several = len(written) > 1
        row = _row(tr, number, entry, found, inputs.year, several)
        if several and all(parts.is_part(name) for name, _, _ in written):
            alone = [p for p in found.parts if p.scan is None]  # one paper split by its rows
            row["todo"] = _parts_todo(tr, row["todo"], len(written), len(alone) == 1)
        row["files"] = [{"name": n, "size": _size(d), "what": w} for n, d, w in written]
        rows.append(row)
        notices += _notices(tr, number, entry, found, written)
    html = _index(inputs, rows, tr.lang, links=True)
    files[f"{INDEX}.html"] = html.encode("utf-8")
    plain = _index(inputs, rows, tr.lang, links=False)
    files[f"{INDEX}.pdf"] = printer.print(f"{INDEX}.pdf", plain)
    progress("progress.monev.print", total, total)
    return files, notices


def _entry_files(
    number: int,
    entry: Entry,
    found: evidence.Found,
    inputs: evidence.Inputs,
    printer: _Printer,
) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what it holds) of one entry: each signed scan as it is, and the
    papers without one printed together."""
    signed = [p for p in found.parts if p.scan is not None]
    printed = [p for p in found.parts if p.scan is None]
    alone = len(signed) + bool(printed) == 1
    out = []
    for part in signed:
        assert part.scan is not None
        name = file_name(number, entry, "" if alone else part.key)
        out.append((name, _scan(name, part.scan, inputs), part.name))
    split = printed[0].split if len(printed) == 1 else None
    if split is not None:
        out += parts.print_parts(
            number, entry.slug, split, inputs.lang, printer, MAX_BYTES, _refuse
        )
    elif printed:  # printed together: in parts of whole papers when over the limit
        pages = tuple(p.page for p in printed)
        title = found.title or _title(pages[0])
        banner = found.signed and not found.marked
        split = parts.papers(pages, lambda some: one_document(some, title, inputs.lang, banner))
        out += parts.print_parts(
            number, entry.slug, split, inputs.lang, printer, MAX_BYTES, _refuse, len(pages)
        )
    return sorted(out)


def _row(
    tr: Translator, number: int, entry: Entry, found: evidence.Found, year: int, several: bool
) -> dict[str, Any]:
    """An entry of the index: its question, how it was made, what is signed and what to do."""
    params = {k: tr(v) if k == "what" else v for k, v in found.params.items()}
    unsigned = [p.name for p in found.parts if p.scan is None]
    if not found.parts:
        status, todo = tr("monev.status.missing"), tr(found.todo) if found.todo else "—"
    elif not found.signed:
        status, todo = tr("monev.status.generated"), tr(found.todo) if found.todo else "—"
    elif unsigned:
        count, signed = len(found.parts), len(found.parts) - len(unsigned)
        names = "; ".join(unsigned)
        status = (
            tr("monev.status.unsigned", names=names)
            if not signed
            else tr("monev.status.partly", signed=signed, count=count, names=names)
        )
        todo = tr("monev.todo.attach")
    else:
        status, todo = tr("monev.status.signed"), "—"
    if several:
        todo = tr("monev.todo.combine") if todo == "—" else f"{todo} {tr('monev.todo.combine')}"
    return {
        "number": number,
        "question": tr(entry.question, year=year),
        "how": tr(found.how, **params),
        "status": status,
        "todo": todo,
    }


def _parts_todo(tr: Translator, todo: str, count: int, rows: bool) -> str:
    """A paper (``rows``: its table) or papers printed in parts: not to be combined (that
    would be over the limit again)."""
    combine = tr("monev.todo.combine")
    parts_todo = tr("monev.todo.parts" if rows else "monev.todo.papers_parts", count=count)
    return parts_todo if todo == combine else todo.replace(combine, parts_todo)


def _notices(
    tr: Translator,
    number: int,
    entry: Entry,
    found: evidence.Found,
    written: list[tuple[str, bytes, str]],
) -> list[str]:
    """For the terminal: each paper not signed and each document missing, with its command."""
    shown = written[0][0] if len(written) == 1 else f"{number:02d}-{entry.slug}"
    lines = []
    if not found.parts:
        reason = tr(found.how, **{k: tr(v) if k == "what" else v for k, v in found.params.items()})
        lines.append(tr("monev.notice.missing", file=shown, reason=reason))
        if found.command:
            lines.append(f"  {found.command}")
    elif found.signed:
        for part in found.parts:
            if part.scan is None:
                lines.append(tr("monev.notice.unsigned", file=shown, name=part.name))
                lines.append(f"  {part.command}")
    elif found.todo:
        lines.append(tr("monev.notice.todo", file=shown, what=tr(found.todo)))
        if found.command:
            lines.append(f"  {found.command}")
    return lines


@dataclass(frozen=True)
class _Printer:
    """Prints a page to PDF, at most :data:`PRINTS` browsers at a time from any thread."""

    program: str
    work: Path
    stamp: str
    slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(PRINTS)
    )

    def print(self, name: str, html: str, check: bool = True) -> bytes:
        page = self.work / (name.removesuffix(".pdf") + ".html")
        page.write_text(html, encoding="utf-8")
        with self.slots:
            data = pdf.print_pdf(self.program, page, self.work / name, self.stamp)
        if check:
            _check(name, data, None, name)
        return data


def _scan(name: str, scan: Path, inputs: evidence.Inputs) -> bytes:
    """A signed scan, byte for byte: a PDF of at most 2 MB (a scan committed with plain git
    may be anything: refused naming it)."""
    data = scan.read_bytes()
    shown = str(inputs.reg.relative(scan))
    if not data.startswith(model.SCAN_MAGIC):
        raise PackRefused("monev.scan_not_pdf", path=shown, hint="hint.scan")
    _check(name, data, scan, shown)
    return data
