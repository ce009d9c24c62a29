"""The JSON Schema of item files, built from the field table in :mod:`dipctl.register.model`.

``dipctl schema`` prints it; files that dipctl writes point to it with a
``yaml-language-server`` modeline, so an editor checks an item while the officer types.
"""

from __future__ import annotations

import json
from typing import Any

from dipctl.register import model

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
    "subcategory": {"enum": list(model.SUBCATEGORIES)},
    "status": {"enum": list(model.STATUSES)},
    "revision": {"type": "integer", "minimum": 0},
    "document": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"tautan": {"type": "string", "format": "uri"}, "arsip": _TEXT},
    },
    "freshness": {
        "type": "object",
        "additionalProperties": False,
        "required": ["edisi"],
        "properties": {
            "periode": {
                "type": "string",
                "pattern": r"^[0-9]+ (bulan|tahun)$",
                "description": 'Setiap berapa lama terbit edisi baru: "6 bulan", "1 tahun",'
                ' "5 tahun"; default pemutakhiran.berkala di register.yaml.',
            },
            "edisi": {
                "type": "string",
                "pattern": model.DATE_PATTERN,
                "description": "Tanggal edisi yang kini dirujuk; tidak boleh di masa depan.",
            },
        },
    },
    "exemption": {
        "type": "object",
        "additionalProperties": False,
        "required": list(model.EXEMPTION_KEYS),
        "properties": {
            **{key: _TEXT for key in model.EXEMPTION_KEYS},
            "pasal": {
                "type": "string",
                "pattern": "^(?:Pasal )?17 huruf [a-j](?: angka .+)?$",
                "description": 'UU 14/2008 Pasal 17, huruf a–j: "17 huruf h".',
            },
            "berakhir": {
                "anyOf": [
                    {"type": "string", "pattern": model.DATE_PATTERN},
                    {"const": model.PERMANENT},
                ],
                "description": 'Tanggal berakhir, atau "permanen" (hanya Pasal 17 huruf g–j).',
            },
            "tanggal_uji": {
                "type": "string",
                "pattern": model.DATE_PATTERN,
                "description": "Tanggal uji konsekuensi; tidak boleh di masa depan.",
            },
            "penguji": {
                "type": "array",
                "minItems": 2,
                "uniqueItems": True,
                "items": _TEXT,
                "description": "Peserta uji: email pejabat di register.yaml (termasuk PPID"
                ' Pembantu) atau "Nama — Jabatan".',
            },
        },
        # Pasal 20 ayat 1: only g-j may be permanent
        "if": {
            "properties": {"berakhir": {"const": model.PERMANENT}},
            "required": ["berakhir"],
        },
        "then": {"properties": {"pasal": {"pattern": "^(?:Pasal )?17 huruf [g-j](?: |$)"}}},
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
    "subkategori": "Subjudul informasi berkala di situs (hanya untuk kategori berkala): "
    + ", ".join(model.SUBCATEGORIES)
    + ".",
    "dokumen": "Di mana informasi dapat diperoleh.",
    "pembaruan": "Edisi informasi yang kini dirujuk dan periode terbitnya edisi berikutnya.",
    "pengecualian": "Uji konsekuensi; wajib bila kategori dikecualikan.",
    "status": "Dikelola oleh dipctl.",
    "catatan": "Catatan pengembalian terakhir; dikelola oleh dipctl.",
    "rapat": "Rapat penentuan (langkah 4); dikelola oleh dipctl.",
    "keputusan": "Keputusan penetapan (langkah 5); dikelola oleh dipctl.",
    "revisi": "Nomor revisi (pemutakhiran); dikelola oleh dipctl.",
}


def _lenient(schema: dict[str, Any]) -> dict[str, Any]:
    """A Perki field in a draft may still be empty; the non-empty rule applies from submit."""
    if schema.get("type") == "array":
        return {k: v for k, v in schema.items() if k != "minItems"}
    return {"anyOf": [{"const": ""}, schema]}


def item_schema() -> dict[str, Any]:
    properties = {
        f.key: {
            **(
                _lenient(KIND_SCHEMAS[f.kind])
                if f.need is model.Need.SUBMIT
                else KIND_SCHEMAS[f.kind]
            ),
            "description": _DESCRIPTIONS[f.key],
        }
        for f in model.ITEM_FIELDS
    }
    submitted = {
        f.key: KIND_SCHEMAS[f.kind] for f in model.ITEM_FIELDS if f.need is model.Need.SUBMIT
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
                "then": {"required": list(model.PERKI_KEYS), "properties": submitted},
            },
            {  # a sub-heading of berkala information only
                "if": {"required": ["kategori", "subkategori"]},
                "then": {"properties": {"kategori": {"const": model.PERIODIC}}},
            },
        ],
    }


def _object(
    keys: tuple[str, ...], required: tuple[str, ...] = (), **properties: dict[str, Any]
) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(required),
        "properties": {key: properties.get(key, {}) for key in keys},
    }


_DATE: dict[str, Any] = {"type": "string", "pattern": model.DATE_PATTERN}
_IDS: dict[str, Any] = {"type": "array", "items": KIND_SCHEMAS["id"]}
_EMAILS: dict[str, Any] = {"type": "array", "items": {"type": "string", "format": "email"}}
_DURATIONS = {
    "type": "object",
    "additionalProperties": {
        "type": "string",
        "pattern": r"^[0-9]+ (menit|jam|hari|minggu|bulan|tahun)$",
    },
}


_MONTHS: dict[str, Any] = {"type": "string", "pattern": r"^[0-9]+ (bulan|tahun)$"}


def register_schema() -> dict[str, Any]:
    person = _object(
        model.PERSON_KEYS,
        ("nama", "email", "peran"),
        nama=_TEXT,
        email={"type": "string", "format": "email"},
        nip={"type": "string", "pattern": model.NIP_RE.pattern},
        pangkat={**_TEXT, "description": 'Pangkat, dicetak di blok tanda tangan: "Pembina".'},
        golongan={
            "type": "string",
            "pattern": model.GRADE_PATTERN,
            "description": 'Golongan/ruang: "IV/a" (PNS) atau "IX" (PPPK).',
        },
        jabatan=_TEXT,
        peran={"type": "array", "items": {"enum": list(model.ROLES)}, "minItems": 1},
        unit=_IDS,
    )
    return _object(
        model.REGISTER_KEYS,
        model.REGISTER_REQUIRED,
        badan_publik=_object(
            model.AGENCY_KEYS,
            ("nama",),
            **{k: _TEXT for k in model.TEXT_KEYS if k in model.AGENCY_KEYS},
            email={"type": "string", "format": "email"},
            situs={"type": "string", "format": "uri"},
        ),
        unit={"type": "object", "additionalProperties": _object(model.UNIT_KEYS, ("nama",))},
        orang={"type": "array", "items": person},
        mutu_baku=_DURATIONS,
        pemutakhiran=_object(model.CYCLE_KEYS, (), siklus=_MONTHS, berkala=_MONTHS),
        situs=_object(
            model.SITE_KEYS, bahasa={"type": "array", "items": {"enum": list(model.LANGUAGES)}}
        ),
        dasar_hukum={"type": "array", "items": _TEXT},
        tanda_tangan=_object(model.SIGNING_KEYS, wajib={"type": "boolean"}),
        verifikasi=_object(model.TRUST_KEYS, sejak={"type": "string"}),
        riwayat=_object(model.HISTORY_KEYS, linear_sejak={"type": "string"}),
        anggota={
            "type": "object",
            "description": "Anggota federasi PPID Utama (dipctl member add), per nama.",
            "propertyNames": {"pattern": model.MEMBER_NAME_PATTERN},
            "additionalProperties": _object(
                model.MEMBER_KEYS,
                model.MEMBER_REQUIRED,
                nama=_TEXT,
                url={"type": "string", "minLength": 1},
                cabang={"type": "string", "minLength": 1},
                folder={"type": "string", "minLength": 1},
                akar={"type": "string", "pattern": model.COMMIT_PATTERN},
                didaftarkan={"type": "string", "pattern": model.COMMIT_PATTERN},
                kunci_kepala={
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": model.FINGERPRINT_PATTERN},
                },
            ),
        },
        naskah=_object(
            model.PAPER_KEYS,
            tembusan={"type": "array", "items": _TEXT},
            mengingat={
                **_object(
                    model.RECITAL_KEYS,
                    dip={"type": "array", "items": _TEXT},
                    dik={"type": "array", "items": _TEXT},
                ),
                "description": "Mengingat SK DIP (dip) dan Penetapan DIK (dik); default:"
                " dasar_hukum (SK DIP), lalu UU 14/2008, PP 61/2010, Perki 1/2017, Perki 1/2021.",
            },
        ),
    )


def meeting_schema() -> dict[str, Any]:
    result = _object(
        model.MEETING_RESULT_KEYS,
        ("informasi", "keputusan"),
        informasi=KIND_SCHEMAS["id"],
        keputusan={"enum": list(model.MEETING_DECISIONS)},
        catatan=_TEXT,
    )
    return _object(
        model.MEETING_KEYS,
        model.MEETING_REQUIRED,
        id=KIND_SCHEMAS["id"],
        tanggal=_DATE,
        waktu={"type": "string", "pattern": model.TIME_PATTERN, "description": 'Pukul: "09:00".'},
        tempat=_TEXT,
        pimpinan={**_TEXT, "description": "Pimpinan rapat: email peserta, atau nama tamu."},
        nomor=_TEXT,
        peserta=_EMAILS,
        tamu={
            "type": "array",
            "items": _object(model.GUEST_KEYS, ("nama",), nama=_TEXT, jabatan=_TEXT),
        },
        hasil={"type": "array", "items": result},
        penyimpanan=_object(model.STORAGE_KEYS, model.STORAGE_KEYS, softcopy=_TEXT, hardcopy=_TEXT),
        notulen=_TEXT,
    )


def decree_schema() -> dict[str, Any]:
    return _object(
        model.DECREE_KEYS,
        model.DECREE_REQUIRED,
        id=KIND_SCHEMAS["id"],
        jenis={"enum": list(model.DECREE_KINDS)},
        nomor=_TEXT,
        tanggal=_DATE,
        tentang=_TEXT,
        penandatangan={"type": "string", "format": "email"},
        informasi=_IDS,
        lampiran=_IDS,
        menetapkan=_IDS,
        mengeluarkan=_IDS,
        # the chain in force, base first; one id alone is a plain string
        mencabut={"oneOf": [KIND_SCHEMAS["id"], {**_IDS, "minItems": 2}]},
        mengubah={"oneOf": [KIND_SCHEMAS["id"], {**_IDS, "minItems": 2}]},
        alasan=_TEXT,
        tempat=_TEXT,
        badan_publik=_TEXT,
        pejabat=_object(
            model.OFFICIAL_KEYS,
            ("nama", "jabatan"),
            **{k: {"type": "string"} for k in model.OFFICIAL_KEYS},
        ),
        rincian={
            "type": "array",
            "items": _object(
                model.DETAIL_KEYS,
                ("informasi",),
                **{k: {"type": "string"} for k in model.DETAIL_KEYS},
            ),
        },
        sumber={"enum": ["impor"]},
    )


def document_schema() -> dict[str, Any]:
    """``dokumen/<id>.yaml``: another e-Monev document kept by ``dipctl document add``."""
    return _object(
        model.DOCUMENT_RECORD_KEYS,
        model.DOCUMENT_RECORD_KEYS,
        id=KIND_SCHEMAS["id"],
        jenis={"enum": list(model.DOCUMENT_KINDS)},
        judul=_TEXT,
        tanggal=_DATE,
    )


#: Schema file name (in the register folder) -> its builder.
SCHEMAS = {
    model.ITEM_SCHEMA_FILE: item_schema,
    "register.schema.json": register_schema,
    "rapat.schema.json": meeting_schema,
    "keputusan.schema.json": decree_schema,
    f"{model.DOCUMENTS_DIR}.schema.json": document_schema,
}
KINDS = {
    "informasi": model.ITEM_SCHEMA_FILE,
    "register": "register.schema.json",
    "rapat": "rapat.schema.json",
    "keputusan": "keputusan.schema.json",
    model.DOCUMENTS_DIR: f"{model.DOCUMENTS_DIR}.schema.json",
}


def schema_text(file_name: str = model.ITEM_SCHEMA_FILE) -> str:
    data = SCHEMAS[file_name]()
    if file_name != model.ITEM_SCHEMA_FILE:
        title = file_name.removesuffix(".schema.json")
        data = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://dipctl.invalid/schema/{file_name}",
            "title": f"{title} (dipctl)",
            **data,
        }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
