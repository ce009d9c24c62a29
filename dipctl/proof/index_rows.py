"""The values of the history index (:mod:`dipctl.proof.index`): what its readers use of
one item version and of one commit. Read without the machinery that writes them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from dipctl.register import model

#: A version's kind: unreadable or not a mapping; a mapping; the empty mapping.
BAD, MAPPING, EMPTY = 1, 2, 3


@dataclass(frozen=True)
class Version:
    """What the readers use of one version of an item file (a blob)."""

    kind: int
    status: str = ""  # str(status), as every reader compares it
    unit: str = ""
    exempt: bool = False  # kategori is the DIK's
    revision: Any = None  # revisi when an int, else None

    def mapping(self) -> dict[str, Any] | None:
        """A stand-in for the parsed mapping, with the same answers to what clocks asks."""
        if self.kind == EMPTY:
            return {}
        if self.kind != MAPPING:
            return None
        found: dict[str, Any] = {"status": self.status, "unit": self.unit}
        if self.exempt:
            found["kategori"] = model.EXEMPT
        if self.revision is not None:
            found["revisi"] = self.revision
        return found

    @property
    def trail_status(self) -> str:
        return self.status if self.kind in (MAPPING, EMPTY) else "?"


@dataclass(frozen=True)
class Row:
    """One commit of the register's history, as the index keeps it."""

    sha: str
    name: str
    email: str  # as written (the trail shows it); clocks lower-case it
    date: str  # author date, ISO 8601
    time: int  # committer date, seconds since the epoch
    action: str
    role: str
    items: tuple[str, ...]  # DIP-Item trailers
    note: str
    meeting: str = ""  # the `tanggal` of the DIP-Meeting record it wrote, as text
    decree: tuple[str, str] = ("", "")  # the DIP-Decree it wrote: (jenis, lampiran digest)
    present: tuple[str, str] | None = None  # a valid presentation: (jenis, digest)
    standards: dict[str, str] | None = None  # register.yaml's mutu baku, when it wrote one
    #: item changes: (id, path, old_path, old blob, new blob), in item_changes' order
    changes: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def chained(before: str, sha: str) -> str:
    """The order digest of the commits up to ``sha``, from that of those before it: a hash
    chain (SHA-256 of the one before and the id), so that one equal digest means the same
    commits in the same order from the first one, and no walk over them compares it."""
    return hashlib.sha256(f"{before}\n{sha}".encode()).hexdigest()
