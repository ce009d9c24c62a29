"""git's conflict markers in a register file (``<<<<<<<``, ``=======``, ``>>>>>>>``): a
merge by plain git that stopped half way. Every reader names the file and what to do
(``dipctl sync``) instead of the YAML syntax error the markers would cause."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dipctl.errors import InvalidFile

if TYPE_CHECKING:
    from pathlib import Path

#: A marker line as git writes it: seven of the same sign at the start of a line, then a
#: space and a label or the end of the line (``|||||||`` is diff3's base section).
MARKER_RE = re.compile(r"^(<{7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


def refuse_markers(text: str, path: Path) -> None:
    """Refuse text with conflict markers, naming the line of the first one."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    found = MARKER_RE.search(text)
    if found is not None:
        raise InvalidFile(
            "file.conflict_markers",
            path=path,
            line=text.count("\n", 0, found.start()) + 1,
            hint="hint.conflict_markers",
        )
