"""The DIP and DIK workbooks, written by XlsxWriter since issue 21, read back by openpyxl
exactly as the workbooks openpyxl wrote before: the same sheet, header, values, types, styles,
column widths and frozen pane. The former writer is kept below as the reference."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook, load_workbook

from dipctl.publish import downloads
from dipctl.publish.publicdata import collect
from dipctl.publish.workbook import _readable, _xml_text, cell_text, dip_lines, flat
from dipctl.register.config import find_register

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tests.conftest import Repo


def openpyxl_reference(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    title: str,
    updated: str,
    grouped: bool = False,
) -> bytes:
    """``to_xlsx`` as openpyxl's write-only mode made it before issue 21 (dipctl 0.1.0)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", _xml_text(title))[:31].strip() or "DIP")
    widths = {"nomor": 6, "ringkasan": 60, "judul": 40, "unit_nama": 30}
    for index, (key, _) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(key, 20)
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    italic = Font(bold=True, italic=True)

    def cells(values: list[str], font: Font | None) -> list[Any]:
        made = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xml_text(value))
            if font is not None:
                cell.font = font
            cell.alignment = wrap
            made.append(cell)
        return made

    sheet.append(cells([name for _, name in columns], bold))
    lines = dip_lines(rows) if grouped else [("row", _readable(r)) for r in flat(rows)]
    judul = [k for k, _ in columns].index("judul") if grouped else 0
    pad = [""] * (judul - 1)
    for kind, values in lines:
        if isinstance(values, dict):
            sheet.append(cells([cell_text(values.get(k, "")) for k, _ in columns], None))
        elif kind == "heading":
            sheet.append(cells([values[0], *pad, values[1]], bold))
        else:
            sheet.append(cells(["", *pad, values[0]], italic))
    try:
        day = dt.date.fromisoformat(updated[:10]) if updated else dt.date(2000, 1, 1)
    except ValueError:
        day = dt.date(2000, 1, 1)
    book.properties.created = book.properties.modified = dt.datetime(
        day.year, day.month, day.day, tzinfo=dt.UTC
    ).replace(tzinfo=None)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def read_back(data: bytes) -> dict[str, Any]:
    """Everything a reader of the workbook sees, through openpyxl."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    widths = {}
    for dim in sheet.column_dimensions.values():  # <col min max>: a range or one column
        for index in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            widths[index] = (dim.width, dim.customWidth)
    cells = []
    for row in sheet.iter_rows():
        for c in row:
            font = c.font
            cells.append(
                (
                    c.coordinate,
                    c.value,
                    c.data_type if c.value is not None else None,  # an empty cell has no type
                    bool(font.b),
                    bool(font.i),
                    font.name or "Calibri",  # a font without name or size: the default one
                    font.sz or 11.0,
                    c.alignment.wrap_text,
                    c.alignment.vertical,
                    c.number_format,
                )
            )
    return {
        "sheets": book.sheetnames,
        "created": book.properties.created,  # modified: openpyxl wrote the clock, then fixed
        "freeze": sheet.freeze_panes,
        "widths": widths,
        "validations": [repr(v) for v in sheet.data_validations.dataValidation],
        "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
        "conditional": len(sheet.conditional_formatting),
        "dimensions": sheet.dimensions,
        "cells": cells,
    }


HOSTILE: dict[str, Any] = {  # what an officer may type into a field, as a workbook must keep it
    "judul": '=HYPERLINK("http://x")',
    "ringkasan": "Baris satu\nbaris dua\x07 dengan kendali\x1b, 'kutip', <tag> & 😀 " + "ä" * 300,
    "penanggung_jawab": "+62 812",
    "tempat_pembuatan": "-",
    "retensi": "@ 5 tahun",
    "unit_nama": "https://contoh.go.id/unit",
    "waktu_pembuatan": "2025",
    "bentuk": ["softcopy", "hardcopy"],
    "nomor": "007",
}


def test_xlsxwriter_workbooks_read_back_as_the_openpyxl_ones(example: Repo) -> None:
    pub = collect(find_register(example.register))
    assert len(pub.items) > 3 and pub.dik  # both sheets have rows to compare
    cases: list[tuple[Sequence[dict[str, Any]], Any, str, str, bool]] = [
        (pub.items, downloads.DIP_COLUMNS, "DIP", pub.updated, True),
        (pub.dik, downloads.DIK_COLUMNS, "DIK", pub.updated, False),
        ([HOSTILE, {"judul": ""}], downloads.DIP_COLUMNS, "D[I]P: a/b*?", "2026-02-30", False),
        ([], downloads.DIK_COLUMNS, "", "", False),
    ]
    for rows, columns, title, updated, grouped in cases:
        new = downloads.to_xlsx(rows, columns, title, updated, grouped)
        reference = openpyxl_reference(rows, columns, title, updated, grouped)
        assert read_back(new) == read_back(reference), title
        assert new == downloads.to_xlsx(rows, columns, title, updated, grouped)  # deterministic
        with zipfile.ZipFile(io.BytesIO(new)) as book:
            assert {i.date_time[:2] for i in book.infolist()} == {(1980, 1)}
            core = book.read("docProps/core.xml").decode()
        day = updated if updated and updated != "2026-02-30" else "2000-01-01"
        assert core.count(f">{day}T00:00:00Z<") == 2, core  # created and modified: the build's
    sheet = load_workbook(io.BytesIO(downloads.to_xlsx(*cases[2][:4]))).worksheets[0]
    assert sheet.title == "D I P  a b"
    assert [c.value for c in sheet[2]][:3] == ["007", None, '\'=HYPERLINK("http://x")']
    assert sheet["D2"].value.startswith("Baris satu\nbaris dua dengan kendali, 'kutip', <tag>")
