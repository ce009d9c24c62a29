"""What an officer gives a step besides item ids: a new item's fields and a meeting's record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True)
class NewItem:
    unit: str
    title: str
    summary: str = ""
    responsible: str = ""
    made: str = ""
    place: str = ""
    forms: Sequence[str] = ()
    retention: str = ""
    item_id: str | None = None


@dataclass(frozen=True)
class MeetingSpec:
    date: str
    place: str
    attendees: Sequence[str]
    softcopy: str
    hardcopy: str
    rejects: Sequence[str] = ()
    note: str = ""
    minutes: str = ""
    number: str = ""  # the berita acara's nomor (optional)
    guests: Sequence[str] = ()  # --guest "Nama — Jabatan": attendees outside the register
    time: str = ""  # --time "09:00": when it began
    chair: str = ""  # --chair: an officer's e-mail, or a guest as "Nama — Jabatan"


#: Between a guest's name and position in ``--guest "Nama — Jabatan"`` (an em or en dash).
GUEST_SEPARATORS = ("—", "–")


def split_guest(text: str) -> tuple[str, str]:
    """``"Ahmad Yani — Kepala Seksi, Dinas Kominfo"`` -> (name, position); a hyphen is part of
    a name ("Siti Nur-Aini"), so only an em or en dash separates; without one, a name only."""
    for separator in GUEST_SEPARATORS:
        if separator in text:
            name, _, position = text.partition(separator)
            return name.strip(), position.strip()
    return text.strip(), ""
