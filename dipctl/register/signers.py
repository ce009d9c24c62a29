"""``register/penanda-tangan``: the officers' SSH signing keys, in git's allowed-signers
format (``gpg.ssh.allowedSignersFile``), one line per key::

    kasubbag@dinas.example.go.id namespaces="git" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA...

Only a kepala's commit changes the file (``dipctl key add``; verify's rule ``people``), and
``verify`` checks each signed commit against the file as its *parent* had it. Pure
functions on text: parse a public key, read which keys a file lists for an email, add one.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass

FILE = "penanda-tangan"

#: The key types OpenSSH signs git commits with (``ssh-keygen -Y sign``).
KEY_TYPES = (
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
)

_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_EMAIL = re.compile(r"[^\s,\"'#*?!]+@[^\s,\"'#*?!]+")


@dataclass(frozen=True)
class PublicKey:
    """An SSH public key: its type and its base64 blob (the comment is not kept)."""

    kind: str
    blob: str

    @property
    def text(self) -> str:
        return f"{self.kind} {self.blob}"


def parse_key(text: str) -> PublicKey | None:
    """The key of one ``TYPE BASE64 [COMMENT]`` line (a ``.pub`` file's content), or None
    when it is not one: another type, broken base64, a blob that does not name its own
    type, or a control character anywhere (which could smuggle a second line in)."""
    text = text.removesuffix("\n").removesuffix("\r")
    if any(ord(c) < 32 or ord(c) == 127 for c in text.replace("\t", " ")):
        return None
    parts = text.split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES or not _BASE64.fullmatch(parts[1]):
        return None
    try:
        raw = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 4:
        return None
    (size,) = struct.unpack(">I", raw[:4])
    if raw[4 : 4 + size] != parts[0].encode("ascii") or len(raw) <= 4 + size:
        return None
    return PublicKey(parts[0], parts[1])


def valid_email(email: str) -> bool:
    """An email that can stand as an allowed-signers principal (no spaces, commas, quotes
    or pattern characters)."""
    return _EMAIL.fullmatch(email) is not None


def line(email: str, key: PublicKey) -> str:
    """The line that lists ``key`` for ``email``, for commits only (``namespaces="git"``)."""
    return f'{email.lower()} namespaces="git" {key.text}'


def listed(text: str, email: str) -> list[PublicKey]:
    """The keys that ``text`` (the file's content) lists for ``email``, in file order."""
    wanted = email.strip().lower()
    found = []
    for principals, key in _entries(text):
        if key is not None and wanted in principals:
            found.append(key)
    return found


def holders(text: str, key: PublicKey) -> list[str]:
    """The principals that ``text`` lists ``key`` for (one key should have one holder:
    git names only one of them as the signer, and verify compares it with the author)."""
    found: list[str] = []
    for principals, listed_key in _entries(text):
        if listed_key == key:
            found += [p for p in principals if p not in found]
    return found


def add(text: str, email: str, key: PublicKey, replace: bool = False) -> str | None:
    """``text`` with ``key`` listed for ``email`` (after the existing lines; with
    ``replace``, the lines that list only ``email`` go); None when nothing would change."""
    email = email.strip().lower()
    kept = []
    for raw in text.splitlines():
        principals, found = _entry(raw)
        if replace and found is not None and principals == [email] and found != key:
            continue
        kept.append(raw)
    if key in listed("\n".join(kept), email):
        new = "\n".join(kept) + "\n" if kept else ""
        return None if new == text else new
    kept.append(line(email, key))
    return "\n".join(kept) + "\n"


def remove(text: str, email: str) -> str:
    """``text`` without the lines that list keys for ``email`` alone (an officer who left);
    lines naming others too keep them, without ``email``."""
    email = email.strip().lower()
    kept = []
    for raw in text.splitlines():
        principals, found = _entry(raw)
        if found is None or email not in principals:
            kept.append(raw)
        elif principals != [email]:
            others = ",".join(p for p in principals if p != email)
            kept.append(others + raw.lstrip()[len(raw.lstrip().split()[0]) :])
    return "\n".join(kept) + "\n" if kept else ""


def _entries(text: str) -> list[tuple[list[str], PublicKey | None]]:
    return [_entry(raw) for raw in text.splitlines()]


def _entry(raw: str) -> tuple[list[str], PublicKey | None]:
    """(principals, key) of one line; ([], None) for a blank line or a comment."""
    tokens = raw.split()
    if not tokens or tokens[0].startswith("#"):
        return [], None
    principals = [p.strip('"').lower() for p in tokens[0].split(",")]
    for i, token in enumerate(tokens[1:], start=1):
        if token in KEY_TYPES and i + 1 < len(tokens):
            return principals, parse_key(f"{token} {tokens[i + 1]}")
    return principals, None
