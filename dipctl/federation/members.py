"""The members of a federation as register.yaml records them (``anggota``).

Each member is enrolled by the federation's kepala (``dipctl member add``) with what makes
its history recognisable later: the URL and branch it is fetched from, the root commit its
history must keep starting at (``akar``), the commit verified at enrolment
(``didaftarkan``) and the SSH keys of its head at that commit (``kunci_kepala``, as
fingerprints), so that the head the federation trusted is on record.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dipctl.register.signers import PublicKey

SECTION = model.MEMBERS
DEFAULT_BRANCH = "main"
DEFAULT_FOLDER = "register"
#: a member's name: its key under ``anggota``, its folder on the portal
NAME_RE = re.compile(model.MEMBER_NAME_PATTERN)


@dataclass(frozen=True)
class Member:
    name: str
    title: str  # ``nama``: the agency as the portal shows it until the member's own name is read
    url: str
    branch: str
    folder: str  # the register folder inside the member's repository
    root: str  # ``akar``: the root commit of the member's history
    enrolled: str  # ``didaftarkan``: the member's commit verified at enrolment
    head_keys: tuple[str, ...]  # ``kunci_kepala``: SSH fingerprints of the member's head(s)


def members_of(data: Mapping[str, Any]) -> list[Member]:
    """The enrolled members, in the order register.yaml lists them (entries that are not
    mappings are left out: ``validate`` names them)."""
    found = data.get(SECTION)
    if not isinstance(found, dict):
        return []
    return [
        Member(
            name=str(name),
            title=_text(entry.get("nama")) or str(name),
            url=_text(entry.get("url")),
            branch=_text(entry.get("cabang")) or DEFAULT_BRANCH,
            folder=_text(entry.get("folder")) or DEFAULT_FOLDER,
            root=_text(entry.get("akar")),
            enrolled=_text(entry.get("didaftarkan")),
            head_keys=tuple(_text(k) for k in entry.get("kunci_kepala") or () if _text(k)),
        )
        for name, entry in found.items()
        if isinstance(entry, dict)
    ]


def fingerprint(key: PublicKey) -> str:
    """The SHA-256 fingerprint of an SSH public key, as ``ssh-keygen -l`` prints it."""
    digest = hashlib.sha256(base64.b64decode(key.blob)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
