"""The width default output fits (SPEC.md section 5) and the plain tables drawn to it.

The width is ``COLUMNS`` when set (as for every program), else the terminal's when stdout is
one, else 80: piped output fits 80 columns too. ``--wide`` lifts the limit: every column and
the full text, one row per line (tab-separated when piped, for scripts); ``--json`` gives
everything. The layout is the same on a terminal and in a pipe (no rich: nothing to load).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from dipctl import layout

if TYPE_CHECKING:
    from collections.abc import Sequence

DEFAULT = 80
NARROWEST = 40


def width() -> int:
    """Columns to fit: ``COLUMNS``, else the terminal's, else 80 (never under 40)."""
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return max(NARROWEST, int(value))
    if sys.stdout.isatty():
        try:
            return max(NARROWEST, os.get_terminal_size(sys.stdout.fileno()).columns)
        except OSError:
            pass
    return DEFAULT


def _bold(text: str) -> str:
    """A header in bold on a terminal that can show it (not a pipe, not TERM=dumb)."""
    if not sys.stdout.isatty() or os.environ.get("TERM", "dumb") == "dumb":
        return text
    return f"\x1b[1m{text}\x1b[0m"


def print_table(
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    *,
    flex: int = -1,
    shorten: bool = True,
    wide: bool = False,
) -> None:
    """Aligned columns fitted to :func:`width` (the id whole, the ``flex`` column shortened
    or wrapped); ``wide``: every cell whole, tab-separated when piped."""
    if wide and not sys.stdout.isatty():
        lines = [list(headers)] if headers else []
        sys.stdout.write("".join(["\t".join(row) + "\n" for row in [*lines, *rows]]))
        return
    drawn = layout.table(headers, rows, None if wide else width(), flex=flex, shorten=shorten)
    if headers and drawn:
        drawn[0] = _bold(drawn[0])
    sys.stdout.write("".join([line + "\n" for line in drawn]))  # 10,000 rows: one write


def print_lines(lines: Sequence[str], stream: str = "out") -> None:
    """Lines of prose, each wrapped to :func:`width` under its own indentation."""
    out = sys.stdout if stream == "out" else sys.stderr
    limit = width()
    for line in lines:
        out.writelines(part + "\n" for part in layout.fit(line, limit))


def print_command(text: str, indent: str = "") -> None:
    """A command to copy: one line, or broken before its options with `` \\``."""
    sys.stdout.writelines(line + "\n" for line in layout.command(text, width(), indent))
