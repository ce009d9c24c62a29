"""The JSON Schema of item files, built from the field table in :mod:`dipctl.model`.

``dipctl schema`` prints it; files that dipctl writes point to it with a
``yaml-language-server`` modeline, so an editor checks an item while the officer types.
"""

from __future__ import annotations

import json
from typing import Any

from dipctl import model

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "pattern": model.ID_PATTERN},
    "unit": {"type": "string", "pattern": model.ID_PATTERN},
    "text": _TEXT,
    "period": {"type": "string", "pattern": model.PERIOD_PATTERN},
    "forms": {
        "type": "array",
        "items": {"enum": list(model.FORMS)},
        "minItems": 1,
        "uniqueItems": True,
    },
    "category": {"enum": list(model.CATEGORIES)},
    "status": {"enum": list(model.STATUSES)},
    "revision": {"type": "integer", "minimum": 0},
    "document": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tautan": {"type": "string", "format": "uri"}, "arsip": _TEXT},
    },
    "exemption": {
        "type": "object",
        "additionalProperties": False,
        "required": list(model.EXEMPTION_KEYS),
        "properties": {
            **{key: _TEXT for key in model.EXEMPTION_KEYS[:-1]},
            "berakhir": {
                "anyOf": [
                    {"type": "string", "pattern": model.DATE_PATTERN},
                    {"const": model.PERMANENT},
                ]
            },
        },
    },
}

_DESCRIPTIONS = {
    "id": "Pengenal unik; sama dengan nama berkas.",
    "judul": "Judul informasi.",
    "ringkasan": "Ringkasan isi informasi (Perki: huruf b).",
    "unit": "Pejabat atau unit yang menguasai informasi (kunci di register.yaml; huruf c).",
    "penanggung_jawab": "Penanggung jawab pembuatan atau penerbitan informasi (huruf d).",
    "waktu_pembuatan": 'Waktu pembuatan: "2025", "2025-03", "2025-03-01" atau'
    ' "2025-01 s.d. 2025-06" (huruf e).',
    "tempat_pembuatan": "Tempat pembuatan informasi (huruf e).",
    "bentuk": "Bentuk informasi yang tersedia: softcopy, hardcopy (huruf f).",
    "retensi": "Jangka waktu penyimpanan atau retensi arsip (huruf g).",
    "kategori": "Kategori, ditetapkan pada langkah 3.",
    "dokumen": "Di mana informasi dapat diperoleh.",
    "pengecualian": "Uji konsekuensi; wajib bila kategori dikecualikan.",
    "status": "Dikelola oleh dipctl.",
    "catatan": "Catatan pengembalian terakhir; dikelola oleh dipctl.",
    "rapat": "Rapat penentuan (langkah 4); dikelola oleh dipctl.",
    "keputusan": "Keputusan penetapan (langkah 5); dikelola oleh dipctl.",
    "revisi": "Nomor revisi (pemutakhiran); dikelola oleh dipctl.",
}


def item_schema() -> dict[str, Any]:
    properties = {
        f.key: {**KIND_SCHEMAS[f.kind], "description": _DESCRIPTIONS[f.key]}
        for f in model.ITEM_FIELDS
    }
    required = [f.key for f in model.ITEM_FIELDS if f.need is model.Need.ALWAYS]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://dipctl.invalid/schema/informasi.schema.json",
        "title": "Informasi Publik (dipctl)",
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
        "allOf": [
            {
                "if": {
                    "properties": {"kategori": {"const": model.EXEMPT}},
                    "required": ["kategori"],
                },
                "then": {"required": ["pengecualian"]},
                "else": {"not": {"required": ["pengecualian"]}},
            },
            {
                "if": {"properties": {"status": {"not": {"enum": list(model.EDITABLE_DRAFT)}}}},
                "then": {"required": list(model.PERKI_KEYS)},
            },
        ],
    }


def item_schema_text() -> str:
    return json.dumps(item_schema(), ensure_ascii=False, indent=2) + "\n"
