"""The file format of the caches that keep a proof's walk in ``.git/dipctl/`` (verify's
checkpoint, :mod:`~dipctl.proof.checkpoint`; the mutu baku clocks,
:mod:`~dipctl.proof.clock_cache`): parts framed with their length and SHA-256, so a damaged
or cut file is never unpickled, read by an unpickler that loads only the classes its
caller names, so a planted file cannot run code."""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any


def framed(payload: bytes) -> bytes:
    return len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest() + payload


def part(fh: io.BytesIO) -> bytes:
    """One framed part; ValueError when it is cut short or its digest does not match."""
    head = fh.read(40)
    if len(head) != 40:
        raise ValueError("short")
    size = int.from_bytes(head[:8], "big")
    payload = fh.read(size)
    if len(payload) != size or hashlib.sha256(payload).digest() != head[8:]:
        raise ValueError("damaged")
    return payload


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: io.BytesIO, classes: frozenset[tuple[str, str]]) -> None:
        super().__init__(data)
        self.classes = classes

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.classes:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return super().find_class(module, name)


def unpickle(payload: bytes, classes: frozenset[tuple[str, str]]) -> Any:
    """``payload`` unpickled, loading no class but ``classes`` (module, name); ValueError
    for anything else a foreign file makes pickle raise."""
    try:
        return _Unpickler(io.BytesIO(payload), classes).load()
    except Exception as exc:  # whatever a foreign file makes pickle raise: not ours
        raise ValueError("unreadable") from exc
