"""Reading an agency's spreadsheet into a grid of strings: XLSX (merged cells spread, Excel
dates as ISO) or CSV, and the optional unit map of ``--unit-map``."""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, UsageError
from dipctl.register import store

if TYPE_CHECKING:
    from pathlib import Path


#: Bounds on an import file, checked before a sheet is loaded (docs/reliability.md): a DIP
#: of 10,000 rows and 20 columns is far inside them; a zip bomb or a sheet that claims a
#: million rows is refused in milliseconds instead of filling the memory.
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # the file as given
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # every part of an XLSX, uncompressed
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000  # cells written plus cells covered by merged ranges
MAX_CELL_CHARS = 32_767  # Excel's own limit

_UNPRINTABLE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufffe\\uffff]")
_INVISIBLE = re.compile("[\\u200b-\\u200f\\u202a-\\u202e\\u2060\\u2066-\\u2069\\ufeff]")


class _TooBig(ValueError):
    """An import file over one of the bounds above."""

    def __init__(self, what: str, size: int, limit: int) -> None:
        super().__init__(what)
        self.what, self.size, self.limit = what, size, limit


def _text(value: Any) -> str:
    """A cell as one line of text. Control characters become spaces and invisible or
    text-direction characters are dropped: a spreadsheet copied from elsewhere often
    carries them, and no register text may (they are neutralised here, not refused)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_CELL_CHARS:
        raise _TooBig("cell", len(text), MAX_CELL_CHARS)
    return " ".join(_INVISIBLE.sub("", _UNPRINTABLE.sub(" ", text)).split())


def read_rows(path: Path) -> list[list[str]]:
    """Every row of the first sheet (or the CSV) as stripped strings."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise UsageError("import.bad_format", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise _TooBig("file", size, MAX_IMPORT_BYTES)
        return _read_xlsx(path) if suffix != ".csv" else _read_csv(path)
    except _TooBig as exc:
        raise InvalidFile(
            f"import.too_big_{exc.what}",
            path=path,
            size=exc.size,
            limit=exc.limit,
            hint="import.hint_too_big",
        ) from exc
    except (OSError, ValueError, KeyError, csv.Error) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise InvalidFile(
            "import.unreadable", path=path, detail=detail[:200], hint="import.hint_format"
        ) from exc


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_xlsx_bounds(path)
    try:
        sheet = load_workbook(path, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        merged = list(sheet.merged_cells.ranges)
    except (_TooBig, OSError):
        raise
    except Exception as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc
    grid = [[_text(v) for v in row] for row in rows]
    for cells in merged:
        if cells.min_row > len(grid) or cells.min_col > len(grid[cells.min_row - 1]):
            continue
        value = grid[cells.min_row - 1][cells.min_col - 1]
        for r in range(cells.min_row - 1, min(cells.max_row, len(grid))):
            for c in range(cells.min_col - 1, min(cells.max_col, len(grid[r]))):
                grid[r][c] = value
    return grid


def _check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook over the bounds from its zip directory and a streaming read of its
    sheets' XML (dimension, merged ranges, cell references), before openpyxl loads it."""
    import zipfile
    from xml.etree.ElementTree import ParseError, iterparse

    try:
        book = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(str(exc)) from exc
    with book:
        infos = book.infolist()
        unzipped = sum(info.file_size for info in infos)
        if unzipped > MAX_UNZIPPED_BYTES:
            raise _TooBig("unzipped", unzipped, MAX_UNZIPPED_BYTES)
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    with book.open(info) as fh:
                        _check_sheet(iterparse(fh, events=("start",)))
                except (ParseError, zipfile.BadZipFile, EOFError) as exc:
                    raise ValueError(f"{info.filename}: {exc}") from exc


def _check_sheet(events: Any) -> None:
    cells = rows = row_cells = 0
    for _event, elem in events:
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag == "row":
            rows += 1
            if rows > MAX_ROWS:
                raise _TooBig("rows", rows, MAX_ROWS)
            row_cells = 0
            _check_ref(elem.get("r"), rows_only=True)
        elif tag == "c":
            cells += 1
            row_cells += 1
            if cells > MAX_CELLS:
                raise _TooBig("cells", cells, MAX_CELLS)
            if row_cells > MAX_COLUMNS:
                raise _TooBig("columns", row_cells, MAX_COLUMNS)
            _check_ref(elem.get("r"))
        elif tag in ("dimension", "mergeCell"):
            rows, cols = _check_ref(elem.get("ref"))
            if tag == "mergeCell":
                cells += rows * cols
                if cells > MAX_CELLS:
                    raise _TooBig("cells", cells, MAX_CELLS)
        elem.clear()


def _check_ref(ref: str | None, rows_only: bool = False) -> tuple[int, int]:
    """The rows and columns a reference (``B3``, ``A1:H4``, a row number) spans, bounded."""
    from openpyxl.utils.cell import range_boundaries

    if not ref:
        return 1, 1
    if rows_only:
        if not ref.isdigit() or len(ref) > 9:
            raise ValueError(f"row {ref[:20]!r}")
        if int(ref) > MAX_ROWS:
            raise _TooBig("rows", int(ref), MAX_ROWS)
        return 1, 1
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref[:40])
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cell reference {ref[:20]!r}") from exc
    for value, limit, what in ((max_row, MAX_ROWS, "rows"), (max_col, MAX_COLUMNS, "columns")):
        if value is not None and value > limit:
            raise _TooBig(what, value, limit)
    return (max_row or min_row or 1) - (min_row or 1) + 1, (max_col or min_col or 1) - (
        min_col or 1
    ) + 1


def _read_csv(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    grid: list[list[str]] = []
    cells = 0
    for row in csv.reader(text.splitlines(), delimiter=delimiter):
        if len(grid) >= MAX_ROWS:
            raise _TooBig("rows", len(grid) + 1, MAX_ROWS)
        if len(row) > MAX_COLUMNS:
            raise _TooBig("columns", len(row), MAX_COLUMNS)
        cells += len(row)
        if cells > MAX_CELLS:
            raise _TooBig("cells", cells, MAX_CELLS)
        grid.append([_text(v) for v in row])
    return grid


def read_unit_map(path: Path) -> dict[str, str]:
    """``--unit-map FILE``: YAML ``name in the sheet: unit key`` or a two-column CSV."""
    if path.suffix.lower() == ".csv":
        return {r[0]: r[1] for r in _read_csv(path) if len(r) >= 2 and r[0] and r[1]}
    data = store.load(path)
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return {str(k): str(v) for k, v in data.items()}


# -- recognising ---------------------------------------------------------------------------
