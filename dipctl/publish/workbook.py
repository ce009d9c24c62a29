"""The DIP and the DIK as an XLSX workbook that reads as agencies keep their DIP (issue 13.5).

The DIP comes grouped as in the lampiran of the decree and the site's table: a heading row per
kategori (*A. Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala*, B, C), the
berkala rows under their sub-headings, rows numbered within each kategori, the kategori by its
name, the period made and the decree's date in long Indonesian form. ``dipctl import`` reads
such a sheet back (heading rows set the kategori of the rows below them).

Pure and deterministic: its timestamps come from ``updated`` and the zip entries are dated
1980, so a rebuild is byte-identical. Written with XlsxWriter; openpyxl only reads
(``dipctl import``, the tests).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from dipctl.publish import citizen
from dipctl.publish.dates import long_date, long_period
from dipctl.publish.publicdata import PUBLIC_CATEGORIES

if TYPE_CHECKING:
    from collections.abc import Sequence

#: Kategori and sub-heading names as the DIP prints them (Perki 1/2021; the site's catalog).
CATEGORY_NAMES = {
    "berkala": "Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala",
    "serta-merta": "Informasi yang Wajib Diumumkan Secara Serta-merta",
    "setiap-saat": "Informasi yang Wajib Tersedia Setiap Saat",
}
CATEGORY_SHORT = {"berkala": "Berkala", "serta-merta": "Serta-merta", "setiap-saat": "Setiap saat"}
SUBCATEGORY_NAMES = {
    "profil": "Profil badan publik",
    "program-kegiatan": "Program dan kegiatan",
    "kinerja": "Kinerja",
    "keuangan": "Laporan keuangan",
    "akses-informasi": "Laporan akses informasi publik",
    "peraturan": "Peraturan, keputusan dan kebijakan",
    "pengadaan": "Pengadaan barang dan jasa",
    "tanggap-darurat": "Prosedur peringatan dini dan evakuasi keadaan darurat",
    "": "Informasi berkala lainnya",
}
FORM_NAMES = {"softcopy": "Softcopy", "hardcopy": "Hardcopy"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def cell_text(value: str) -> str:
    """A spreadsheet would run a cell starting with = + - @ as a formula: quote it."""
    return "'" + value if value.startswith(_FORMULA) else value


def flat(rows: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Rows as text cells, numbered in order; the decree as its number and date."""
    found = []
    for number, row in enumerate(rows, 1):
        decree = row.get("keputusan") or {}
        found.append(
            {
                **{
                    k: ", ".join(v) if isinstance(v, list) else str(v)
                    for k, v in row.items()
                    if not isinstance(v, dict) and k != "trail"
                },
                "nomor": str(row.get("nomor", number)),
                "keputusan_nomor": decree.get("nomor", ""),
                "keputusan_tanggal": decree.get("tanggal", ""),
            }
        )
    return found


def _readable(row: dict[str, str]) -> dict[str, str]:
    """A DIP row as people read it: names instead of keys, long dates."""
    return {
        **row,
        "kategori": CATEGORY_SHORT.get(row.get("kategori", ""), row.get("kategori", "")),
        "waktu_pembuatan": long_period(row.get("waktu_pembuatan", "")),
        "bentuk": ", ".join(
            FORM_NAMES.get(f.strip(), f.strip()) for f in row.get("bentuk", "").split(",") if f
        ),
        "keputusan_tanggal": long_date(row.get("keputusan_tanggal", "")),
        "berakhir": long_date(row.get("berakhir", "")),
    }


def dip_lines(rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[str] | dict[str, str]]]:
    """The DIP's sheet below its header: ("heading", [letter, name]), ("subheading", [name])
    and ("row", cells) in the order of the lampiran."""
    lines: list[tuple[str, list[str] | dict[str, str]]] = []
    groups = citizen.grouped(rows, PUBLIC_CATEGORIES, True)
    for letter, group in zip("ABCDEFGH", groups, strict=False):
        lines.append(("heading", [f"{letter}.", CATEGORY_NAMES[group["kategori"]]]))
        parts = group["subgroups"] or [{"subkategori": None, "rows": group["rows"]}]
        for part in parts:
            if part["subkategori"] is not None:
                lines.append(("subheading", [SUBCATEGORY_NAMES.get(part["subkategori"], "")]))
            lines += [("row", _readable(r)) for r in flat(part["rows"])]
    return lines


def to_xlsx(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str,
    updated: str,
    grouped: bool = False,
) -> bytes:
    """A workbook with a bold, frozen header row, column widths and wrapped text. With
    ``grouped`` (the DIP), the rows come under their kategori and sub-headings
    (:func:`dip_lines`); otherwise (the DIK) one numbered row each, dates in long form.

    Written by XlsxWriter in its constant-memory mode: each row goes to a temporary file as
    it is written (10,000 rows in about a second, a third of openpyxl's write-only time)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    # the build's date in docProps/core.xml (created and modified), never the clock; the
    # zip entries are dated 1980 by XlsxWriter itself
    book.set_properties({"created": _stamp(updated)})
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", _xml_text(title))[:31].strip() or "DIP")
    widths = {"nomor": 6, "ringkasan": 60, "judul": 40, "unit_nama": 30}
    for index, (key, _) in enumerate(columns):
        # in pixels, so that the file says width="20" as openpyxl wrote it (7 per digit)
        sheet.set_column_pixels(index, index, widths.get(key, 20) * 7)
    sheet.freeze_panes(1, 0)
    look = {"text_wrap": True, "valign": "top"}
    wrap = book.add_format(look)
    bold = book.add_format({**look, "bold": True})
    italic = book.add_format({**look, "bold": True, "italic": True})
    number = 0

    def put(values: list[str], style: Any) -> None:
        nonlocal number
        for column, value in enumerate(values):
            text = _xml_text(value)
            if text:
                sheet.write_string(number, column, text, style)
            else:  # an empty cell, styled, as openpyxl left it
                sheet.write_blank(number, column, None, style)
        number += 1

    put([name for _, name in columns], bold)
    lines: list[tuple[str, list[str] | dict[str, str]]]
    lines = dip_lines(rows) if grouped else [("row", _readable(r)) for r in flat(rows)]
    judul = [k for k, _ in columns].index("judul") if grouped else 0
    pad = [""] * (judul - 1)
    for kind, values in lines:
        if isinstance(values, dict):
            put([cell_text(values.get(key, "")) for key, _ in columns], wrap)
        elif kind == "heading":  # "A." in the number column, the kategori under the titles
            put([values[0], *pad, values[1]], bold)
        else:
            put(["", *pad, values[0]], italic)
    book.close()
    return out.getvalue()


def _stamp(updated: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(updated[:10]) if updated else dt.date(2000, 1, 1)
    except ValueError:  # validate refuses such a date; the build still goes through
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
