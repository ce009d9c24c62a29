"""The files the site offers besides its pages: the DIP and the DIK as CSV, JSON and XLSX,
the JSON Schema of the JSON, an Atom feed, the sitemap and the search index.

Each function returns bytes (pure, deterministic): rebuilt from the same commit, every
file is byte-identical. Only public fields go in: the rows come from
:mod:`dipctl.publish.publicdata`, whose DIK rows hold the whitelist alone.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from dipctl.publish.dates import long_date

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.publish.publicdata import PublicRegister

DIP_COLUMNS = (
    ("nomor", "No."),
    ("kategori", "Kategori"),
    ("judul", "Judul"),
    ("ringkasan", "Ringkasan Isi Informasi"),
    ("unit_nama", "Pejabat/Unit yang Menguasai Informasi"),
    ("penanggung_jawab", "Penanggung Jawab Pembuatan/Penerbitan"),
    ("waktu_pembuatan", "Waktu Pembuatan"),
    ("tempat_pembuatan", "Tempat Pembuatan"),
    ("bentuk", "Bentuk Informasi yang Tersedia"),
    ("retensi", "Jangka Waktu Penyimpanan"),
    ("keputusan_nomor", "Nomor Keputusan"),
    ("keputusan_tanggal", "Tanggal Keputusan"),
)
DIK_COLUMNS = (
    ("nomor", "No."),
    ("judul", "Informasi yang Dikecualikan"),
    ("unit_nama", "Pejabat/Unit yang Menguasai Informasi"),
    ("pasal", "Pasal Pengecualian (UU 14/2008)"),
    ("dasar_hukum", "Dasar Hukum Pengecualian"),
    ("alasan", "Alasan Pengecualian"),
    ("bagian", "Bagian yang Dikecualikan"),
    ("jangka_waktu", "Jangka Waktu"),
    ("berakhir", "Berakhir"),
    ("keputusan_nomor", "Nomor Keputusan"),
    ("keputusan_tanggal", "Tanggal Keputusan"),
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _flat(rows: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    flat = []
    for number, row in enumerate(rows, 1):
        decree = row.get("keputusan") or {}
        flat.append(
            {
                **{
                    k: ", ".join(v) if isinstance(v, list) else str(v)
                    for k, v in row.items()
                    if not isinstance(v, dict) and k not in ("trail",)
                },
                "nomor": str(number),
                "keputusan_nomor": decree.get("nomor", ""),
                "keputusan_tanggal": decree.get("tanggal", ""),
            }
        )
    return flat


def _cell(value: str) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula: quote it."""
    return "'" + value if value.startswith(_FORMULA) else value


#: Characters XML 1.0 (and so XLSX and Atom) cannot hold at all. ``validate`` refuses them
#: in register text; a file that slipped past it still builds, without them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def escape(value: Any) -> str:
    """Text for an XML element: escaped, without the characters XML cannot hold."""
    return _escape(_xml_text(value))


def _attr(value: Any) -> str:
    """A quoted XML attribute value (quotes inside are escaped, not ended)."""
    return quoteattr(_xml_text(value))


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Indonesian text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([title for _, title in columns])
    for row in _flat(rows):
        writer.writerow([_cell(row.get(key, "")) for key, _ in columns])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def to_xlsx(
    rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], title: str, updated: str
) -> bytes:
    """A workbook with a bold, frozen header row, column widths and wrapped text; its
    timestamps come from ``updated`` and the zip entries are dated 1980, so it rebuilds
    byte for byte."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streamed: 10,000 rows in about a second
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", _xml_text(title))[:31].strip() or "DIP")
    widths = {"nomor": 6, "ringkasan": 60, "judul": 40, "unit_nama": 30}
    for index, (key, _) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 20)
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cells(values: list[str], style: str) -> list[Any]:  # WriteOnlyCell is a function
        made = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xml_text(value))
            if style == "header":
                cell.font = bold
            else:
                cell.alignment = wrap
            made.append(cell)
        return made

    sheet.append(cells([name for _, name in columns], "header"))
    for row in _flat(rows):
        sheet.append(cells([_cell(row.get(key, "")) for key, _ in columns], "row"))
    try:
        day = dt.date.fromisoformat(updated[:10]) if updated else dt.date(2000, 1, 1)
    except ValueError:  # validate refuses such a date; the build still goes through
        day = dt.date(2000, 1, 1)
    # openpyxl writes naive datetimes as UTC; the build's date, never the clock
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = stamp
    buf = io.BytesIO()
    book.save(buf)
    return _stable_zip(buf.getvalue(), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _stable_zip(data: bytes, stamp: str) -> bytes:
    """The workbook again with every entry dated 1980 and openpyxl's save-time
    ``dcterms:modified`` replaced by the build's date."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            target.writestr(fixed, content)
    return out.getvalue()


def to_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def dip_document(pub: PublicRegister) -> dict[str, Any]:
    return {
        "badan_publik": pub.agency,
        "pemutakhiran": pub.updated,
        "keputusan_berlaku": in_force(pub, "penetapan-dik", negate=True),
        "informasi": [{k: v for k, v in row.items() if k != "trail"} for row in pub.items],
    }


def dik_document(pub: PublicRegister) -> dict[str, Any]:
    return {
        "badan_publik": pub.agency,
        "pemutakhiran": pub.updated,
        "keputusan_berlaku": in_force(pub, "penetapan-dik"),
        "dikecualikan": pub.dik,
    }


def in_force(pub: PublicRegister, kind: str, negate: bool = False) -> dict[str, str] | None:
    """The decree in force of the DIP (``negate``: not of ``kind``) or of the DIK."""
    for decree in pub.decrees:
        if decree.get("berlaku") and (decree["jenis"] == kind) != negate:
            return {k: decree[k] for k in ("id", "nomor", "tanggal", "url")}
    return None


def dip_schema() -> dict[str, Any]:
    text = {"type": "string"}
    decree = {
        "type": ["object", "null"],
        "properties": {k: text for k in ("id", "nomor", "tanggal", "url")},
    }
    row = {
        "type": "object",
        "required": ["id", "judul", "kategori"],
        "properties": {
            **{
                k: text
                for k in (
                    "id",
                    "judul",
                    "ringkasan",
                    "unit",
                    "unit_nama",
                    "penanggung_jawab",
                    "waktu_pembuatan",
                    "tempat_pembuatan",
                    "retensi",
                    "kategori",
                    "tahun",
                    "url",
                    "dokumen_tautan",
                    "dokumen_arsip",
                    "hash",  # dipctl.register.digest.content_hash: checked by step 6
                )
            },
            "bentuk": {"type": "array", "items": text},
            "revisi": {"type": "integer"},
            "keputusan": decree,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Daftar Informasi Publik (dipctl, dip.json)",
        "type": "object",
        "required": ["badan_publik", "informasi"],
        "properties": {
            "badan_publik": text,
            "pemutakhiran": text,
            "keputusan_berlaku": decree,
            "informasi": {"type": "array", "items": row},
        },
    }


def search_index(pub: PublicRegister) -> bytes:
    """``window.DIP_INDEX`` for the filter script: a script, since file:// forbids fetch."""
    entries = [
        {k: row[k] for k in ("id", "judul", "ringkasan", "kategori", "unit", "tahun", "url")}
        for row in pub.items
    ]
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    return ("window.DIP_INDEX = " + text.replace("</", "<\\/") + ";\n").encode()


def feed(pub: PublicRegister, base: str) -> bytes:
    """An Atom feed of the decrees: each establishment and withdrawal is one entry."""
    updated = f"{escape(_atom_day(pub.updated))}T00:00:00Z"
    # Atom ids must be absolute: the site's URL when known, else a tag URI of the agency
    base = base or f"tag:dipctl,2026:{re.sub(r'[^a-z0-9]+', '-', pub.agency.lower())}/"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(pub.title)}</title>",
        f"<id>{escape(base or 'urn:dipctl')}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(pub.agency)}</name></author>",
    ]
    for decree in pub.decrees:
        names = [i["judul"] for i in decree["items"]] + [w["judul"] for w in decree["withdrawn"]]
        lines += [
            "<entry>",
            f"<title>{escape(decree['tentang'] or decree['nomor'])}</title>",
            f"<id>{escape(base)}{escape(decree['url'])}</id>",
            f"<link href={_attr(base + decree['url'])}/>",
            f"<updated>{escape(_atom_day(decree['tanggal']))}T00:00:00Z</updated>",
            f"<summary>{escape(_dated(decree))}: {escape('; '.join(names))}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()


def _dated(decree: dict[str, Any]) -> str:
    """The decree as people name it in the feed: its number and long date (the ISO date is
    in the entry's ``<updated>``)."""
    shown = long_date(str(decree.get("tanggal") or ""))
    return f"{decree['nomor']}, {shown}" if shown else str(decree["nomor"])


def _atom_day(text: str) -> str:
    """An ISO day for Atom's dates; a malformed one (refused by validate) as 1970-01-01."""
    return (
        text[:10] if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text[:10] or "") else "1970-01-01"
    )


def sitemap(base: str, pages: Sequence[str]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"<url><loc>{escape(base + page)}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
