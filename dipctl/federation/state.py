"""Each member's last known state, kept beside its mirror (``.git/dipctl/anggota/<name>.json``).

The state says what the federation proved of the member and when: the last verified commit
with what it holds (the agency's name, items per status, the decrees in force), and the last
attempt's result. A failed or refused attempt, or an unreachable server, never replaces the
verified part: it is only recorded beside it (``result``, ``since``), so the portal keeps
showing the last verified register, marked as such.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.files import write_atomic

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 1
NEVER = "never"  # no attempt yet
UNREACHABLE = "unreachable"


@dataclass
class Holdings:
    """What a verified commit of a member holds, as the portal and the report show it."""

    agency: str = ""
    items: dict[str, int] = field(default_factory=dict)  # status -> count
    decree: dict[str, str] = field(default_factory=dict)  # the SK DIP in force: id, nomor, tanggal
    dik_decree: dict[str, str] = field(default_factory=dict)  # the Penetapan DIK in force
    head_keys: list[str] = field(default_factory=list)


@dataclass
class MemberState:
    name: str
    verified: str = ""  # the last verified commit ("" : none yet)
    verified_at: str = ""  # when it was verified (UTC, ISO 8601)
    holdings: Holdings = field(default_factory=Holdings)
    result: str = NEVER  # the last attempt: verified, failed, refused, unreachable
    reason: str = ""  # its message key, when not verified
    params: dict[str, str] = field(default_factory=dict)
    checked_at: str = ""  # when the last attempt was made
    since: str = ""  # unreachable or failing since (the first such attempt in a row)
    tip: str = ""  # the commit the last attempt judged ("" when none arrived)

    @property
    def stale(self) -> bool:
        """Whether what the portal shows is older than the member's last answer."""
        return self.result != "verified"


def path_of(folder: Path, name: str) -> Path:
    return folder / f"{name}.json"


def load(folder: Path, name: str) -> MemberState:
    """The member's state; a fresh one when there is none or it is unusable (a damaged or
    planted file never counts as verified: the mirror's ref must agree, see ``sync``)."""
    try:
        data = json.loads(path_of(folder, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return MemberState(name)
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("name") != name:
        return MemberState(name)
    try:
        holdings = Holdings(**_mapping(data.get("holdings")))
        fields = {k: v for k, v in data.items() if k not in ("format", "holdings")}
        return MemberState(**fields, holdings=holdings)
    except TypeError:
        return MemberState(name)


def save(folder: Path, state: MemberState) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, **asdict(state)}
    write_atomic(path_of(folder, state.name), json.dumps(data, indent=1, sort_keys=True) + "\n")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
