"""The characters no register file may hold raw, and those no public text may hold at all
(docs/reliability.md, "Hostile input")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dipctl.errors import InvalidFile

if TYPE_CHECKING:
    from pathlib import Path

#: Characters refused anywhere in a register file: C0 controls except tab, newline and
#: carriage return, DEL, the C1 controls and the two non-characters YAML cannot read.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

#: Bidirectional controls (U+202A-U+202E, U+2066-U+2069) and invisible characters
#: (U+200B-U+200F, U+2060, U+FEFF): refused in every text of the register, because on the
#: public site they make a row read otherwise than it is stored.
INVISIBLE_RE = re.compile("[\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff]")


def refuse_controls(text: str, path: Path) -> None:
    """Refuse a raw control character (ESC, C1, ...) with its line, column and code point."""
    found = CONTROL_RE.search(text)
    if found is not None:
        start = found.start()
        raise InvalidFile(
            "file.control_char",
            path=path,
            line=text.count("\n", 0, start) + 1,
            column=start - (text.rfind("\n", 0, start) + 1) + 1,
            char=f"U+{ord(found.group()):04X}",
        )
