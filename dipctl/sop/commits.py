"""The commit message of a step (SPEC.md section 4): subject, optional note, trailers.

```
dip(review): bo-renstra-2025-2029 diajukan -> diteruskan

DIP-Action: review
DIP-Role: sekretaris
DIP-Item: bo-renstra-2025-2029
```

Pure functions: :func:`message` writes one, :func:`trailers` reads them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

ACTION = "DIP-Action"
ROLE = "DIP-Role"
ITEM = "DIP-Item"
UNDOES = "DIP-Undoes"
"""``dipctl undo``: the step commit it reverses (one trailer per step)."""


def message(
    action: str,
    role: str,
    items: Sequence[str],
    *,
    source: str | None = None,
    target: str | None = None,
    note: str = "",
    subject: str | None = None,
    extra: Mapping[str, str | Sequence[str]] | None = None,
) -> str:
    """The full message; ``subject`` overrides the generated ``<ids> <from> -> <to>`` part;
    an ``extra`` trailer with several values is written once per value."""
    if subject is None:
        who = items[0] if len(items) == 1 else f"{len(items)} informasi"
        move = f"{source} -> {target}" if source else f"-> {target}"
        subject = f"{who} {move}" if target else who
    lines = [f"dip({action}): {subject}", ""]
    if note.strip():
        lines += [note.strip(), ""]
    lines += [f"{ACTION}: {action}", f"{ROLE}: {role}"]
    lines += [f"{ITEM}: {item}" for item in items]
    for key, value in (extra or {}).items():
        lines += [f"{key}: {v}" for v in ([value] if isinstance(value, str) else value)]
    return "\n".join(lines) + "\n"


def trailers(text: str) -> dict[str, list[str]]:
    """The ``DIP-*`` trailers of a message (the last paragraph), each key to its values."""
    found: dict[str, list[str]] = {}
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    if len(paragraphs) < 2:
        return found
    for line in paragraphs[-1].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.startswith("DIP-"):
            found.setdefault(key.strip(), []).append(value.strip())
    return found
