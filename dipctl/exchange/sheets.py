"""Reading an agency's spreadsheet into a grid of strings: XLSX (merged cells spread, Excel
dates as ISO) or CSV, and the optional unit map of ``--unit-map``."""

from __future__ import annotations

import csv
import datetime as dt
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, UsageError
from dipctl.register import store

if TYPE_CHECKING:
    from pathlib import Path


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as stripped strings."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise UsageError("import.bad_format", path=path)
    try:
        return _read_xlsx(path) if suffix != ".csv" else _read_csv(path)
    except (OSError, ValueError, KeyError, csv.Error) as exc:
        raise InvalidFile(
            "import.unreadable", path=path, detail=str(exc), hint="import.hint_format"
        ) from exc


def _read_xlsx(path: Path) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, data_only=True).worksheets[0]
    except BadZipFile as exc:
        raise ValueError(str(exc)) from exc
    grid = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for cells in sheet.merged_cells.ranges:
        value = grid[cells.min_row - 1][cells.min_col - 1]
        for r in range(cells.min_row - 1, cells.max_row):
            for c in range(cells.min_col - 1, cells.max_col):
                grid[r][c] = value
    return grid


def _read_csv(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [[_text(v) for v in row] for row in csv.reader(text.splitlines(), delimiter=delimiter)]


def read_unit_map(path: Path) -> dict[str, str]:
    """``--unit-map FILE``: YAML ``name in the sheet: unit key`` or a two-column CSV."""
    if path.suffix.lower() == ".csv":
        return {r[0]: r[1] for r in _read_csv(path) if len(r) >= 2 and r[0] and r[1]}
    data = store.load(path)
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return {str(k): str(v) for k, v in data.items()}


# -- recognising ---------------------------------------------------------------------------
