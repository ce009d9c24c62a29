"""A paper whose lampiran is too long for one e-Monev upload, printed in numbered parts.

At province scale the SK DIP's lampiran lists thousands of items: its print is then larger
than the 2 MB e-Monev takes per file, whatever the layout (the text itself, about 600 bytes
per row in Chromium's PDF). Such a paper is printed in parts of at most :data:`ROWS` rows:
``NN-<slug>-bagian-1.pdf`` (the decree with the lampiran's first rows), ``…-bagian-2.pdf``
and so on (the lampiran's further rows, its signature under the last), each headed
"BAGIAN k DARI n", the rows in the decree's order and numbered as in the whole lampiran, so
that the parts read together are the decree as issued. A part still over the limit (very
long rows) makes the parts smaller, in proportion, until each fits; a paper that fits in one
part is the one file ``NN-<slug>.pdf`` as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dipctl.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.publish.paper import Part

#: Rows per part to begin with: about 1.5 MB of short rows (a part over the limit is made
#: smaller in proportion and printed again).
ROWS = 4000
#: The share of the limit a part is aimed at when parts must be made smaller.
AIM = 0.85


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
) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what it holds) of each part, each at most ``limit`` bytes;
    ``refuse`` is called with a file that cannot be made smaller (one row over the limit)."""
    tr = Translator(lang)
    size = ROWS
    while True:
        pieces = split(size)
        if len(pieces) == 1:
            name = f"{number:02d}-{slug}.pdf"
            data = printer.print(name, pieces[0][1], check=False)
            if len(data) <= limit or size == 1:
                refuse(name, data)
                return [(name, data, tr("monev.file.printed", count=1))]
            size = max(1, int(min(size, pieces[0][0].stop) * limit * AIM // len(data)))
            continue
        done = []
        for part, html in pieces:
            name = name_of(number, slug, part.number, part.count)
            data = printer.print(name, html, check=False)
            if len(data) > limit:
                if size == 1:
                    refuse(name, data)
                size = max(1, int((part.stop - part.start) * limit * AIM // len(data)))
                break
            done.append((name, data, _what(tr, part, pieces[-1][0].stop)))
        else:
            return done


def _what(tr: Translator, part: Part, total: int) -> str:
    key = "monev.file.part_first" if part.number == 1 else "monev.file.part"
    first, last = part.start + 1, part.stop
    return tr(key, number=part.number, count=part.count, first=first, last=last, total=total)


def is_part(name: str) -> bool:
    """Whether ``name`` is a file of :func:`print_parts` printed in several parts."""
    return "-bagian-" in name
