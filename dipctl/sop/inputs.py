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
