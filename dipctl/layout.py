"""Plain text laid out to a width (SPEC.md section 5: default output fits 80 columns).

Widths are counted in terminal cells: a wide (East Asian) character takes two, a combining
mark none, a tab runs to the next multiple of eight. Words are never broken: an id, a path or
a URL longer than the width stays whole on a line of its own, so that it can be copied.
Pure functions; the CLI decides the width (:func:`dipctl.cli.ui.width`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

ELLIPSIS = "…"
#: the narrowest a shortened or wrapped column may get before a table is stacked instead
MIN_COLUMN = 12


def cells(text: str) -> int:
    """The terminal cells ``text`` takes on one line."""
    if text.isascii() and text.isprintable():  # the common case, at C speed: one cell each
        return len(text)
    total = 0
    for char in text.expandtabs(8) if "\t" in text else text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def clip(text: str, width: int) -> str:
    """``text`` shortened to ``width`` cells, ending in ``…`` when something was cut."""
    if cells(text) <= width:
        return text
    if text.isascii() and text.isprintable():  # one cell a character
        return text[: max(0, width - 1)].rstrip() + ELLIPSIS
    out, used = "", 0
    for char in text:
        size = cells(char)
        if used + size > width - 1:
            break
        out, used = out + char, used + size
    return out.rstrip() + ELLIPSIS


def wrap(text: str, width: int, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` cells, broken at spaces only (the spaces and tabs
    between the words of a line are kept); the first line starts with ``indent``, the others
    with ``hanging`` (default: ``indent`` and two spaces)."""
    later = indent + "  " if hanging is None else hanging
    lines: list[str] = []
    current, gap, lead = "", "", indent
    room = max(1, width - cells(later))
    for token in _tokens(text.strip(), room):
        if token.isspace():
            gap = " " if "\n" in token else token
            continue
        if current and cells(lead + current + gap + token) > width:
            lines.append(lead + current)
            current, lead = token, later
        else:
            current = current + gap + token if current else token
        gap = ""
    lines.append(lead + current)
    return [line.rstrip() for line in lines]


def _tokens(text: str, room: int) -> list[str]:
    """Words and the spaces between them; a run of wide characters (CJK text, written
    without spaces) longer than ``room`` is cut into pieces that fit, unlike an id or a URL."""
    out: list[str] = []
    for token in re.findall(r"\S+|\s+", text):
        if cells(token) <= room or not any(cells(c) == 2 for c in token):
            out.append(token)
            continue
        piece = ""
        for char in token:
            if cells(piece + char) > room:
                out.append(piece)  # no space token between: the pieces join as they were
                piece = ""
            piece += char
        out.append(piece)
    return out


def fit(text: str, width: int) -> list[str]:
    """Each line of ``text`` wrapped to ``width``, continued under its own indentation plus
    two spaces; lines that fit stay as they are (tabs and all). A command followed by
    ``   # comment`` becomes the comment's lines, then the command whole (:func:`command`)."""
    out: list[str] = []
    for line in text.split("\n"):
        if cells(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        code, mark, comment = body.partition("   # ")
        if mark and code.startswith("dipctl "):
            out += wrap(comment, width, indent=f"{indent}# ", hanging=f"{indent}# ")
            out += command(code.strip(), width, indent)
            continue
        out += wrap(body, width, indent=indent)
    return out


def command(text: str, width: int, indent: str = "") -> list[str]:
    """A command line to copy: whole on one line if it fits, else broken before its options
    with a trailing `` \\`` so that the lines still paste into a shell as one command."""
    if cells(indent + text) <= width:
        return [indent + text]
    parts = text.replace(" --", "\n--").split("\n")
    split = []  # an option whose value is too long for its line: the value on its own line
    for part in parts:
        option, _, value = part.partition(" ")
        long = cells(f"{indent}  {part} \\") > width
        split += [option, value] if long and part.startswith("--") and value else [part]
    parts = split
    lines, current = [], parts[0]
    for part in parts[1:]:
        if cells(f"{indent}{current} {part} \\") <= width:
            current = f"{current} {part}"
        else:
            lines.append(f"{indent}{current} \\")
            current = f"  {part}"
    return [*lines, indent + current]


def pairs(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """``label  value`` lines, the values wrapped under one another; a value with a word
    too long for its column (a path, a URL) goes whole on the next line."""
    label_width = max((cells(label) for label, _ in rows), default=0) + 2
    out: list[str] = []
    for label, value in rows:
        room = width - label_width
        words = value.split()
        if room >= MIN_COLUMN and all(cells(w) <= room for w in words):
            body = wrap(value, room, hanging="") if value.strip() else [""]
            out.append(pad(label, label_width) + body[0])
            out += [" " * label_width + line for line in body[1:]]
        else:
            out.append(label)
            out += wrap(value, width, indent="  ", hanging="  ")
    return [line.rstrip() for line in out]


def fits(headers: Sequence[str] | None, rows: Sequence[Sequence[str]], width: int) -> bool:
    """Whether a :func:`table` fits ``width`` with nothing shortened; measured column by
    column, the widest first given up on."""
    lines = [headers, *rows] if headers else list(rows)
    if not lines:
        return True
    total = 2 * (len(lines[0]) - 1)
    for i in reversed(range(len(lines[0]))):  # the title, the widest, is last
        column = [line[i] for line in lines]
        text = "".join(column)
        measure = len if text.isascii() and text.isprintable() else cells
        total += max(map(measure, column))
        if total > width:
            return False
    return True


def _plain(lines: Sequence[Sequence[str]]) -> bool:
    """Whether every cell is printable ASCII: one cell a character, measured by ``len``."""
    text = "".join(map("".join, lines))
    return text.isascii() and text.isprintable()


def table(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    width: int | None = None,
    flex: int | None = -1,
    shorten: bool = True,
) -> list[str]:
    """Aligned columns two spaces apart, fitted to ``width`` (``None``: no limit).

    The first column (an id) is never cut: a cell too long for it goes on a line of its own
    and the rest of its row follows on the next. The ``flex`` column takes what room is left,
    its cells shortened with ``…`` (or wrapped, ``shorten=False``); with ``flex=0`` the first
    column gives way alone. When even that cannot fit (or ``flex`` is ``None``), every row is
    stacked: its first cell, then the other cells on an indented line (shortened, or wrapped
    whole).
    """
    lines = [list(headers)] if headers else []
    lines += [list(row) for row in rows]
    if not lines:
        return []
    count = len(lines[0])
    if _plain(lines):  # one cell a character: measured and padded at C speed
        natural = [max(map(len, column)) for column in zip(*lines, strict=True)]
        if width is None or sum(natural) + 2 * (count - 1) <= width:
            form = "  ".join([f"{{:<{w}}}" for w in natural[:-1]] + ["{}"])
            return [form.format(*line).rstrip() for line in lines]
        sizes = [list(map(len, line)) for line in lines]
    else:
        sizes = [list(map(cells, line)) for line in lines]
        natural = [max(column) for column in zip(*sizes, strict=True)]
        if width is None or sum(natural) + 2 * (count - 1) <= width:
            return [_row(line, natural, size) for line, size in zip(lines, sizes, strict=True)]
    if flex is None:
        return _stacked(lines, width, shorten)
    flex = flex % count
    widths = list(natural)
    rest = sum(natural[1:]) + 2 * (count - 1)  # the columns after the first, and the gaps
    if flex:
        fixed = rest - natural[flex]
        firsts = sorted(cells(line[0]) for line in lines)
        typical = firsts[(len(firsts) - 1) * 9 // 10]  # one very long id gets a line alone
        widths[0] = min(typical, max(MIN_COLUMN, width - fixed - MIN_COLUMN))
        widths[flex] = min(natural[flex], width - fixed - widths[0])
        if widths[flex] < MIN_COLUMN:
            return _stacked(lines, width, shorten)
    else:  # the first column gives way: its long cells go on lines of their own
        widths[0] = width - rest
        if widths[0] < MIN_COLUMN // 2:
            return _stacked(lines, width, shorten)
    out: list[str] = []
    for line, size in zip(lines, sizes, strict=True):
        rest_of, size = list(line), list(size)
        if size[0] > widths[0]:
            out.append(line[0])
            rest_of[0], size[0] = "", 0
        if not flex:
            out.append(_row(rest_of, widths, size))
            continue
        if shorten:
            if size[flex] > widths[flex]:
                rest_of[flex] = clip(rest_of[flex], widths[flex])
                size[flex] = cells(rest_of[flex])
            out.append(_row(rest_of, widths, size))
            continue
        body = wrap(rest_of[flex], widths[flex], hanging="") or [""]
        rest_of[flex] = body[0]
        out.append(_row(rest_of, widths))
        for more in body[1:]:
            blank = [""] * count
            blank[flex] = more
            out.append(_row(blank, widths))
    return out


def _row(line: Sequence[str], widths: Sequence[int], sizes: Sequence[int] | None = None) -> str:
    """One line of a table, each cell padded to its column (``sizes``: the cells' widths,
    when known)."""
    if sizes is None:
        return "  ".join(pad(cell, w) for cell, w in zip(line, widths, strict=False)).rstrip()
    return "  ".join(
        [cell + " " * (w - n) for cell, w, n in zip(line, widths, sizes, strict=False)]
    ).rstrip()


def _stacked(lines: list[list[str]], width: int, shorten: bool) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.append(line[0])
        cells_after = [cell for cell in line[1:] if cell]
        if not cells_after:
            continue
        if shorten:
            out.append(clip("  " + "  ".join(cells_after), width))
        else:  # nothing cut: the cells wrapped, a dot between them
            out += wrap(" · ".join(cells_after), width, indent="  ", hanging="    ")
    return out
