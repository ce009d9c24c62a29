"""A paper whose lampiran is too long for one e-Monev upload, printed in numbered parts.

At province scale the SK DIP's lampiran lists thousands of items: its print is then larger
than the 2 MB e-Monev takes per file, whatever the layout (the text itself, about 600 bytes
per row in Chromium's PDF). Such a paper is printed in parts of at most :data:`ROWS` rows:
``NN-<slug>-bagian-1.pdf`` (the decree with the lampiran's first rows), ``…-bagian-2.pdf``
and so on (the lampiran's further rows, its signature under the last), each headed
"BAGIAN k DARI n", the rows in the decree's order and numbered as in the whole lampiran, so
that the parts read together are the decree as issued. A part still over the limit (very
long rows) makes the parts smaller, in proportion, until each fits; a paper that fits in one
part is the one file ``NN-<slug>.pdf`` as before. Several papers printed together (the
berita acara of the year's meetings, the consequence-test sheets of the DIK) are split the
same way between whole papers: part k holds the next papers, in the order of the whole.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from dipctl.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Callable

#: Rows per part to begin with: about 1.5 MB of short rows (a part over the limit is made
#: smaller in proportion and printed again).
ROWS = 4000
#: Parts printed at once (the printer itself bounds the browsers running).
AT_ONCE = 2
#: The share of the limit a part is aimed at when parts must be made smaller.
AIM = 0.85


@dataclass(frozen=True)
class Part:
    """One part of a paper printed in parts: part ``number`` of ``count``, the rows
    ``start`` to ``stop`` (0-based, in the paper's order over all its tables)."""

    number: int
    count: int
    start: int
    stop: int


def parts(total: int, size: int) -> list[Part]:
    """``total`` rows in parts of at most ``size`` rows (at least one part)."""
    size = max(1, size)
    count = max(1, -(-total // size))
    return [Part(k + 1, count, k * size, min(total, (k + 1) * size)) for k in range(count)]


def splitter(
    total: int, render: Callable[[Part | None], str]
) -> Callable[[int], list[tuple[Part, str]]]:
    """A paper of ``total`` rows, rendered whole (``None``) or one part at a time, as
    :func:`print_parts` asks for it: in parts of at most the given number of rows."""

    def split(size: int) -> list[tuple[Part, str]]:
        chosen = parts(total, size)
        return [(chosen[0], render(None))] if len(chosen) == 1 else [(p, render(p)) for p in chosen]

    return split


def papers(
    pages: tuple[str, ...], bundle: Callable[[tuple[str, ...]], str]
) -> Callable[[int], list[tuple[Part, str]]]:
    """Several papers printed together (``bundle``): as :func:`splitter`, a part holding the
    next whole papers."""
    return splitter(len(pages), lambda p: bundle(pages if p is None else pages[p.start : p.stop]))


def slice_groups(groups: list[dict[str, Any]], part: Part | None) -> list[dict[str, Any]]:
    """The tables (``groups``, each with its ``rows``) each row numbered ``no`` within its
    table; ``part``: only the rows of that part, a table begun in an earlier part marked
    ``continued``, an empty table (*Nihil*) in the part where the rows after it are."""
    total = sum(len(g["rows"]) for g in groups)
    start, stop = (part.start, part.stop) if part else (0, total)
    out, seen = [], 0
    for group in groups:
        listed = [{**row, "no": k} for k, row in enumerate(group["rows"], 1)]
        first, seen = seen, seen + len(listed)
        here = listed[max(0, start - first) : max(0, stop - first)]
        empty_here = not listed and (start <= first < stop or first == stop == total)
        if part is None or here or empty_here:
            out.append({**group, "rows": here, "continued": first < start})
    return out


class Printer(Protocol):
    def print(self, name: str, html: str, check: bool = True) -> bytes: ...


def name_of(number: int, slug: str, part: int, count: int) -> str:
    """``NN-<slug>-bagian-K.pdf``, K zero-padded to sort right (``bagian-01`` of 12)."""
    return f"{number:02d}-{slug}-bagian-{part:0{len(str(count))}d}.pdf"


def print_parts(
    number: int,
    slug: str,
    split: Callable[[int], list[tuple[Part, str]]],
    lang: str,
    printer: Printer,
    limit: int,
    refuse: Callable[[str, bytes], None],
    papers: int = 0,
) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what it holds) of each part, each at most ``limit`` bytes;
    ``refuse`` is called with a file that cannot be made smaller (one row over the limit).
    ``papers``: the rows are that many whole papers printed together (the berita acara of
    each meeting, the sheet of each consequence test), a part holding the next ones.
    The parts are as few as the first part's bytes per row say fit (measured once); the
    others are printed :data:`AT_ONCE` at a time."""
    tr = Translator(lang)
    size, measured = ROWS, False
    while True:
        pieces = split(size)
        total = pieces[-1][0].stop
        if len(pieces) == 1:
            name = f"{number:02d}-{slug}.pdf"
            data = printer.print(name, pieces[0][1], check=False)
            if len(data) <= limit or size == 1:
                refuse(name, data)
                return [(name, data, tr("monev.file.printed", count=papers or 1))]
            size = _fit(min(size, total), data, limit)
            continue
        names = [name_of(number, slug, part.number, part.count) for part, _ in pieces]
        first = printer.print(names[0], pieces[0][1], check=False)
        fit = _fit(pieces[0][0].stop, first, limit)
        if len(first) > limit or (not measured and len(parts(total, fit)) < len(pieces)):
            if len(first) > limit and size == 1:
                refuse(names[0], first)
            size, measured = fit, True  # too big, or fewer parts would do
            continue
        measured = True
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            rest = pool.map(
                lambda n, h: printer.print(n, h, check=False), names[1:], [h for _, h in pieces[1:]]
            )
            printed = [first, *rest]
        over = [
            (p, n, d) for (p, _), n, d in zip(pieces, names, printed, strict=True) if len(d) > limit
        ]
        if not over:
            return [
                (n, d, _what(tr, p, total, papers))
                for (p, _), n, d in zip(pieces, names, printed, strict=True)
            ]
        if size == 1:
            refuse(over[0][1], over[0][2])
        size = min(_fit(p.stop - p.start, d, limit) for p, _, d in over)


def _fit(rows: int, data: bytes, limit: int) -> int:
    """The rows that fit in :data:`AIM` of ``limit``, at the bytes per row of ``data``."""
    return max(1, int(rows * limit * AIM // max(1, len(data))))


def _what(tr: Translator, part: Part, total: int, papers: int = 0) -> str:
    key = "monev.file.part_first" if part.number == 1 else "monev.file.part"
    if papers:
        key = "monev.file.papers_part"
    first, last = part.start + 1, part.stop
    return tr(key, number=part.number, count=part.count, first=first, last=last, total=total)


def is_part(name: str) -> bool:
    """Whether ``name`` is a file of :func:`print_parts` printed in several parts."""
    return "-bagian-" in name
