"""The content hash of an item as the site publishes it (``hash`` in ``dip.json`` and
``dik.json``): one function, used by ``dipctl build`` to write it and by step 6 (``dipctl
publish``) to check that the site carries the established version.

The hash covers only fields the same row publishes, under the row's own keys (the decree
by its id, ``keputusan.id``), so anyone can recompute it from the download and it says
nothing the row does not already say: for an exempt item, only the DIK whitelist goes in,
never the consequence test, the summary, the documents or the id (docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from dipctl.register.model import EXEMPT

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from dipctl.register.records import Item

#: The key of the hash in each published row.
HASH_KEY = "hash"


def hashed_fields(item: Item, units: Mapping[str, str]) -> dict[str, Any]:
    """The published fields of ``item`` that its hash covers: a DIP row's content, or for
    an exempt item the DIK whitelist (without the id, which the DIK does not publish)."""
    unit_name = units.get(item.unit, item.unit)
    if item.category == EXEMPT:
        test = item.exemption
        return {
            "judul": item.title,
            "unit_nama": unit_name,
            "pasal": test.article if test else "",
            "dasar_hukum": test.legal_basis if test else "",
            "alasan": test.reason if test else "",
            "bagian": test.withheld if test else "",
            "jangka_waktu": test.period if test else "",
            "berakhir": test.ends if test else "",
            "keputusan": item.decree,
        }
    return {
        "id": item.id,
        "judul": item.title,
        "ringkasan": item.summary,
        "unit": item.unit,
        "unit_nama": unit_name,
        "penanggung_jawab": item.responsible,
        "waktu_pembuatan": item.made,
        "tempat_pembuatan": item.place,
        "bentuk": list(item.forms),
        "retensi": item.retention,
        "kategori": item.category,
        "dokumen_tautan": item.document_link,
        "dokumen_arsip": item.document_archive,
        "revisi": item.revision,
        "keputusan": item.decree,
    }


def lampiran_digest(lampiran: Iterable[str]) -> str:
    """``sha256:<hex>`` of a decree's lampiran: its item ids, sorted, one per line. The
    draft presented (``penyampaian/``) and the decree signed have the same digest exactly
    when their lampiran lists are equal."""
    text = "".join(f"{item}\n" for item in sorted(set(lampiran)))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def fields_hash(fields: Mapping[str, Any]) -> str:
    """``sha256:`` and the hex digest of ``fields`` as canonical JSON (sorted keys, UTF-8,
    no spaces): stable across runs, machines and Python versions."""
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(item: Item, units: Mapping[str, str]) -> str:
    """The hash of ``item``'s published fields (``units``: unit key -> name)."""
    return fields_hash(hashed_fields(item, units))


class ContentHashes:
    """:func:`content_hash` of each item object once, for one build: a version is the DIP's
    row and a row of every decree that lists it (the objects are kept, so an id is never
    another's)."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[Item, Mapping[str, str], str]] = {}

    def __call__(self, item: Item, units: Mapping[str, str]) -> str:
        found = self._made.get(id(item))
        if found is not None and found[0] is item and found[1] is units:
            return found[2]
        made = content_hash(item, units)
        self._made[id(item)] = (item, units, made)
        return made
