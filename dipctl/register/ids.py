"""Ids for new items, meetings and decrees: readable, stable, never reused in a folder."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from dipctl.errors import UsageError
from dipctl.register import model, store

if TYPE_CHECKING:
    from collections.abc import Container
    from pathlib import Path

    from dipctl.register.config import Register


def slug(text: str, limit: int = 60) -> str:
    """``"Rencana Kerja 2025–2029 – Revisi"`` -> ``"rencana-kerja-2025-2029-revisi"``.

    Punctuation and spaces of any script (an en dash between years, a slash) separate words
    before the text is folded to ASCII, so ``2025–2029`` never becomes ``20252029``; an id
    longer than ``limit`` ends at the last whole word, never in the middle of one.
    """
    spaced = "".join(
        " " if unicodedata.category(ch)[0] in "PZSC" else ch
        for ch in unicodedata.normalize("NFKD", text)
    )
    ascii_text = spaced.encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) <= limit:
        return words
    cut = words[: limit + 1]
    return (cut[: cut.rfind("-")] if "-" in cut else words[:limit]).rstrip("-")


def _free(base: str, taken: Container[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def id_from_title(title: str, taken: Container[str]) -> str:
    """An item id made from ``title`` (at least three characters), free of ``taken``."""
    base = slug(title)
    return _free(base if len(base) >= 3 else f"informasi-{base}".strip("-"), taken)


def new_item_id(wanted: str | None, title: str, reg: Register) -> str:
    """``--id`` checked, or an id made from the title; unique across every unit."""
    taken = store.ItemFiles(reg.items_dir)
    if wanted is not None:
        if not model.ID_RE.match(wanted):
            raise UsageError("usage.bad_id", value=wanted)
        if wanted in taken:
            raise UsageError("usage.id_taken", value=wanted)
        return wanted
    return id_from_title(title, taken)


def new_decree_id(folder: Path, number: str) -> str:
    """A free id for a new decree file in ``folder``, from its number: ``sk-<number>``."""
    base = re.sub(r"[^a-z0-9]+", "-", number.lower()).strip("-")[:60] or "tanpa-nomor"
    return record_id(folder, "sk-" + base)


def record_id(folder: Path, base: str) -> str:
    """A free id for a new meeting or decree file in ``folder``."""
    taken = {p.stem for p in store.iter_yaml(folder)}
    return _free(slug(base, 70) or "catatan", taken)
