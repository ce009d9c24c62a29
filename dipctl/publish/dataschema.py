"""The JSON Schemas of the site's open data, published beside it: ``dip.schema.json`` for
``dip.json`` and ``dik.schema.json`` for ``dik.json``.

Strict (no property that is not listed), so that a field added to the published rows without
being described here fails the tests that validate every build's JSON against these, and so
that nothing of an exempt item beyond the DIK whitelist can pass as valid ``dik.json``.
"""

from __future__ import annotations

from typing import Any

from dipctl.register import model

_TEXT: dict[str, Any] = {"type": "string"}
_DATE: dict[str, Any] = {"type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"}
#: The decree that establishes a row, or the decree in force.
DECREE: dict[str, Any] = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "required": ["id", "nomor", "tanggal", "url"],
    "properties": {
        "id": _TEXT,
        "nomor": {**_TEXT, "description": "Nomor surat keputusan."},
        "tanggal": {**_DATE, "description": "Tanggal surat keputusan (ISO 8601)."},
        "url": {**_TEXT, "description": "Halaman keputusan, relatif terhadap situs."},
    },
}
_DIP_ROW_TEXT = {
    "id": "Pengenal informasi; halaman informasi/<id>.html.",
    "judul": "Judul informasi.",
    "ringkasan": "Ringkasan isi informasi (Perki 1/2021: huruf b).",
    "unit": "Kunci pejabat/unit yang menguasai informasi di register.yaml.",
    "unit_nama": "Pejabat/unit yang menguasai informasi (huruf c).",
    "penanggung_jawab": "Penanggung jawab pembuatan atau penerbitan informasi (huruf d).",
    "waktu_pembuatan": 'Waktu pembuatan: "2025", "2025-03", "2025-03-01" atau "A s.d. B" (e).',
    "tempat_pembuatan": "Tempat pembuatan informasi (huruf e).",
    "retensi": "Jangka waktu penyimpanan atau retensi arsip (huruf g).",
    "tahun": "Tahun pembuatan (untuk saringan), atau kosong.",
    "url": "Halaman informasi, relatif terhadap situs.",
    "dokumen_tautan": "Tautan dokumen sebagaimana ditulis di register, atau kosong.",
    "dokumen_arsip": "Tempat penyimpanan arsip, atau kosong.",
}


def _document(title: str, rows_key: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": ["badan_publik", "pemutakhiran", "keputusan_berlaku", rows_key],
        "properties": {
            "badan_publik": {**_TEXT, "description": "Nama badan publik."},
            "pemutakhiran": {**_DATE, "description": "Tanggal keputusan terakhir, atau kosong."},
            "keputusan_berlaku": DECREE,
            rows_key: {"type": "array", "items": row},
        },
    }


#: The row's content hash (:func:`dipctl.register.digest.content_hash`), which step 6
#: (``dipctl publish``) compares with the established version.
HASH = "sha256 isi baris yang diumumkan; dibandingkan oleh langkah 6 (dipctl publish)."


def dip_schema() -> dict[str, Any]:
    """``dip.json``: the established DIP, one object per row with the seven Perki columns."""
    row = {
        "type": "object",
        "additionalProperties": False,
        "required": [*_DIP_ROW_TEXT, "bentuk", "kategori", "subkategori", "revisi", "keputusan"],
        "properties": {
            **{key: {**_TEXT, "description": text} for key, text in _DIP_ROW_TEXT.items()},
            "bentuk": {
                "type": "array",
                "items": {"enum": list(model.FORMS)},
                "description": "Bentuk informasi yang tersedia (huruf f).",
            },
            "kategori": {
                "enum": [k for k in model.CATEGORIES if k != model.EXEMPT],
                "description": "Kategori informasi publik (UU 14/2008 Pasal 9, 10, 11).",
            },
            "subkategori": {
                "enum": ["", *model.SUBCATEGORIES],
                "description": "Subjudul informasi berkala, atau kosong.",
            },
            "revisi": {
                "type": "integer",
                "minimum": 0,
                "description": "0 untuk versi pertama; n untuk pemutakhiran ke-n.",
            },
            "keputusan": DECREE,
            "hash": {**_TEXT, "description": HASH},
        },
    }
    return _document("Daftar Informasi Publik (dipctl, dip.json)", "informasi", row)


def dik_schema() -> dict[str, Any]:
    """``dik.json``: the DIK, only the public elements of the Penetapan DIK (the whitelist
    of SPEC.md section 6): never the consequences, the weighing or the participants."""
    texts = {
        "judul": "Informasi yang dikecualikan.",
        "unit_nama": "Pejabat/unit yang menguasai informasi.",
        "pasal": 'Pasal pengecualian UU 14/2008: "17 huruf h".',
        "dasar_hukum": "Dasar hukum pengecualian.",
        "alasan": "Alasan pengecualian (Perki 1/2017 Pasal 4 ayat 4 huruf e).",
        "bagian": '"seluruhnya" atau bagian yang dikecualikan.',
        "jangka_waktu": "Jangka waktu pengecualian.",
        "berakhir": 'Tanggal berakhir (ISO 8601) atau "permanen".',
    }
    row = {
        "type": "object",
        "additionalProperties": False,
        "required": [*texts, "keputusan"],
        "properties": {
            **{key: {**_TEXT, "description": text} for key, text in texts.items()},
            "keputusan": DECREE,
            "hash": {**_TEXT, "description": HASH},
        },
    }
    return _document("Daftar Informasi yang Dikecualikan (dipctl, dik.json)", "dikecualikan", row)
