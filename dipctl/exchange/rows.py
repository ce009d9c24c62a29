"""Understanding an agency's DIP table: :func:`parse` finds the header row, the category
header rows, the tick columns and the units in a grid of strings, and returns an
:class:`ImportPlan` of item mappings and every row it could not understand."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.register import checks, model
from dipctl.register.ids import id_from_title

if TYPE_CHECKING:
    from collections.abc import Collection


@dataclass(frozen=True)
class RowProblem:
    row_number: int  # 1-based row of the sheet; 0: the whole file
    message_key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    items: list[dict[str, Any]]
    problems: list[RowProblem]
    source: str = "import"
    given: frozenset[str] = frozenset()  # ids the file itself gave (its Id column)

    def as_problems(self) -> list[checks.Problem]:
        """The problems as ``validate`` reports them: ``file:row: message``."""
        return [
            checks.Problem(self.source, p.row_number, "", p.message_key, tuple(p.params.items()))
            for p in self.problems
        ]


_HEADERS = (  # normalized header text -> field; the first pattern found wins
    ("ignore", ("keputusan", "keterangan", "jenis media", "memuat", "tautan", "unduh", "link")),
    ("retensi", ("jangka waktu", "retensi", "penyimpanan", "masa simpan")),
    ("waktu_tempat", ("waktu dan tempat", "tempat dan waktu", "waktu tempat", "tempat waktu")),
    ("ringkasan", ("ringkasan", "uraian", "isi informasi")),
    ("penanggung_jawab", ("penanggung", "tanggung jawab", "tanggungjawab")),
    ("unit", ("pejabat", "unit", "satker", "satuan kerja", "menguasai")),
    ("bentuk", ("bentuk", "format")),
    ("kategori", ("kategori", "klasifikasi", "golongan")),
    ("judul", ("judul", "nama informasi", "jenis informasi", "nama dokumen", "nama file")),
    ("waktu", ("waktu", "tahun", "tanggal")),
    ("tempat", ("tempat", "lokasi")),
)
_NUMBER_HEADERS = ("no", "nomor", "no urut", "nomor urut")
_ID_HEADERS = ("id", "id informasi", "kode", "kode informasi")  # whole header only
_TICKS = {"softcopy": "softcopy", "elektronik": "softcopy", "digital": "softcopy",
          "online": "softcopy", "rekam": "softcopy", "hardcopy": "hardcopy",
          "cetak": "hardcopy", "tercetak": "hardcopy", "kertas": "hardcopy"}  # fmt: skip
_TICKED = {"v", "✓", "√", "✔", "☑", "✅", "x", "ya", "y", "yes", "ada", "1", "true"}
_CATEGORIES = (("serta merta", "serta-merta"), ("sertamerta", "serta-merta"),
               ("setiap saat", "setiap-saat"), ("berkala", "berkala"),
               ("dikecualikan", model.EXEMPT))  # fmt: skip
_NUMBERING = re.compile(r"^(?:\d{1,3}(?:\.[0-9a-z]{1,3})+\.?|\d{1,3}[.)]|[a-zA-Z][.)]|[IVX]+\.)\s+")
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
           "agu": 8, "ags": 8, "agt": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11,
           "des": 12, "dec": 12}  # fmt: skip
_CONNECTORS = {"s.d.", "s.d", "sd", "s/d", "-", "–", "—", "sampai", "dengan", "hingga"}
REQUIRED = ("judul", "unit", *model.PERKI_KEYS)
#: The note an exempt row of the imported table carries as a draft (the kasubbag submits it,
#: the PPID classifies it dikecualikan with a complete consequence test, the head approves it,
#: and the PPID issues it in a Penetapan DIK: Perki 1/2017 Pasal 4).
EXEMPT_NOTE = (
    "Dibawa dari DIK lama lewat dipctl import: klasifikasikan kembali sebagai dikecualikan "
    "dengan uji konsekuensi lengkap, lalu tetapkan lewat Penetapan DIK."
)
_TITLES = ("judul", "ringkasan", "unit")
_DATA = ("unit", "penanggung_jawab", "waktu", "tempat", "waktu_tempat", "bentuk", "retensi")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _header_field(text: str) -> str | None:
    norm = _norm(text)
    if norm.replace(" ", "") in _TICKS:
        return "tick"
    if norm in _NUMBER_HEADERS:
        return "nomor"
    if norm in _ID_HEADERS:
        return "id"
    if norm == "informasi":
        return "judul"
    for name, patterns in _HEADERS:
        if any(re.search(rf"\b{p}", norm) for p in patterns):
            return name
    return None


def _category(text: str, heading: bool) -> str | None:
    norm = _norm(_NUMBERING.sub("", text))
    if heading and "informasi" not in norm and len(norm.split()) > 2:
        return None
    return next((key for pattern, key in _CATEGORIES if pattern in norm), None)


def _month(word: str) -> int | None:
    word = word.lower().strip(".,")
    return _MONTHS.get(word[:3]) if word.isalpha() and len(word) >= 3 else None


def _single(text: str) -> str | None:
    words = text.lower().replace("tahun", " ").split()
    if len(words) == 1 and re.fullmatch(model.PERIOD_PATTERN, words[0]):
        return words[0]
    if len(words) == 1 and (m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", words[0])):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    day = words.pop(0) if len(words) == 3 and words[0].isdigit() else None
    if len(words) == 2 and (month := _month(words[0])) and re.fullmatch(r"\d{4}", words[1]):
        return f"{words[1]}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return None


def period(text: str) -> str | None:
    """``"2025"``, ``"Januari 2025"``, ``"3/1/2025"``, ``"Januari - Juni 2025"`` and
    ``"2025-2029"`` as the register's period (``model.PERIOD_PATTERN``); else None."""
    text = text.strip().strip(".,")
    if (one := _single(text)) is not None:
        return one
    sep = r"\s+(?:s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|hingga|-)\s+|\s*[–—]\s*|(?<=\d{4})-(?=\d{4})"
    parts = re.split(sep, text, flags=re.IGNORECASE)
    if len(parts) != 2:
        return None
    year = re.search(r"\d{4}", parts[1])
    start = _single(parts[0]) or (_single(f"{parts[0]} {year[0]}") if year else None)
    end = _single(parts[1])
    return f"{start} s.d. {end}" if start and end else None


def when_where(text: str) -> tuple[str | None, str]:
    """``"Palangka Raya, Januari 2025"`` -> ``("2025-01", "Palangka Raya")``: the longest run
    of date words holding a year is the time, the rest the place."""
    words = text.replace(",", " , ").split()

    def datey(w: str) -> bool:
        w = w.lower()
        return (
            bool(re.fullmatch(r"[\d/.-]{4,10}|\d{1,2}", w)) or w in _CONNECTORS or bool(_month(w))
        )

    best: tuple[int, int] = (0, 0)
    start = 0
    for end in range(len(words) + 1):
        if end == len(words) or not datey(words[end]):
            run = " ".join(words[start:end])
            if re.search(r"\d{4}", run) and end - start > best[1] - best[0]:
                best = (start, end)
            start = end + 1
    when = period(" ".join(words[best[0] : best[1]])) if best[1] else None
    place = " ".join(words[: best[0]] + words[best[1] :]) if when else text
    return when, re.sub(r"\s+,", ",", place).strip(" ,;-")


def forms(text: str) -> list[str]:
    low = text.lower()
    soft = any(w in low for w in ("soft", "elektronik", "digital", "online", "pdf", "web"))
    hard = any(w in low for w in ("hard", "cetak", "kertas", "print", "fisik"))
    return [f for f, on in (("softcopy", soft), ("hardcopy", hard)) if on]


# -- parsing -------------------------------------------------------------------------------


@dataclass
class _Layout:
    header: int  # index of the last header row
    columns: dict[str, int]
    ticks: dict[int, str]


def _layout(rows: list[list[str]]) -> _Layout | None:
    """The header row (the first of the first 30 rows naming four fields including a title),
    and a sub-header row of tick or waktu/tempat columns under it."""
    for index, row in enumerate(rows[:30]):
        names = [_header_field(cell) for cell in row]
        if len(set(names) - {None, "ignore"}) < 4 or not {"judul", "ringkasan"} & set(names):
            continue
        below = rows[index + 1] if index + 1 < len(rows) else []
        sub = [_header_field(cell) for cell in below] + [None] * len(row)
        # a row of sub-headings has nothing of its own under the title columns (a merged
        # header cell repeats the header): a first item whose bentuk is just "Softcopy" is
        # data, not a sub-header, and must not be lost
        titled = any(
            below[c] and below[c] != row[c]
            for c, n in enumerate(names)
            if n in _TITLES and c < len(below)
        )
        is_sub = not titled and any(_sub_header(s, n) for s, n in zip(sub, names, strict=False))
        texts = list(row)
        if is_sub:
            for col, s in enumerate(sub[: len(names)]):
                if _sub_header(s, names[col]):
                    names[col], texts[col] = s, below[col]
        columns: dict[str, int] = {}
        for col, name in enumerate(names):
            if name is not None:
                columns.setdefault(name, col)
        ticks = {
            c: _TICKS[_norm(texts[c]).replace(" ", "")] for c, n in enumerate(names) if n == "tick"
        }
        return _Layout(index + int(is_sub), columns, ticks)
    return None


def _sub_header(below: str | None, above: str | None) -> bool:
    """Softcopy/Hardcopy ticks under "Bentuk", Waktu/Tempat under "Waktu dan Tempat"."""
    return (below == "tick" and above != "tick") or (
        below in ("waktu", "tempat") and above == "waktu_tempat"
    )


def _unit_index(
    units: dict[str, str], unit_map: dict[str, str]
) -> tuple[dict[str, str], list[RowProblem]]:
    """Normalized unit names and keys (and the ``--unit-map`` names) -> unit key."""
    index = {_squash(name): key for key, name in units.items()}
    index.update({_squash(key): key for key in units})
    problems = []
    for name, key in unit_map.items():
        if key in units:
            index[_squash(name)] = key
        else:
            problems.append(RowProblem(0, "import.bad_unit_map", {"name": name, "unit": key}))
    return index, problems


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _suggest(name: str, units: dict[str, str]) -> str:
    names = {_squash(n): f"{key} ({n})" for key, n in units.items()}
    close = difflib.get_close_matches(_squash(name), list(names), n=1, cutoff=0.4)
    return names[close[0]] if close else "-"


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?;:])\s", text, maxsplit=1)[0].rstrip(".;:")
    return sentence if len(sentence) <= 120 else sentence[:120].rsplit(" ", 1)[0]


def _when_and_where(values: dict[str, str]) -> tuple[str | None, str, str]:
    """(waktu or None, tempat, the time text that could not be read)."""
    raw, place = values.get("waktu", ""), values.get("tempat", "")
    if values.get("waktu_tempat"):
        raw = values["waktu_tempat"]
        when, place = when_where(raw)
    elif raw and (when := period(raw)) is None:
        when, rest = when_where(raw)
        place = place or rest
    elif not raw:
        return None, place, ""
    return when, place, "" if when else raw


def _item(
    values: dict[str, str], row: list[str], layout: _Layout, section: str | None
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """One row's item mapping (unit still a name) and what is wrong with it."""
    found: list[tuple[str, dict[str, Any]]] = []
    ringkasan = _NUMBERING.sub("", values.get("ringkasan", ""))
    judul = _NUMBERING.sub("", values.get("judul", "")) or _first_sentence(ringkasan)
    kategori = section
    if values.get("kategori"):
        kategori = _category(values["kategori"], heading=False)
        if kategori is None:
            found.append(("import.bad_category", {"value": values["kategori"]}))
    elif kategori is None:
        found.append(("import.no_category", {}))
    exempt = kategori == model.EXEMPT
    when, place, bad_when = _when_and_where(values)
    if bad_when:
        found.append(("import.bad_period", {"value": bad_when}))
    ticked = {f for c, f in layout.ticks.items() if c < len(row) and row[c].lower() in _TICKED}
    retensi = values.get("retensi", "")
    item: dict[str, Any] = {
        "id": values.get("id", "").strip(),
        "judul": judul,
        "ringkasan": ringkasan or judul,
        "unit": values.get("unit", ""),
        "penanggung_jawab": values.get("penanggung_jawab", ""),
        "waktu_pembuatan": when or "",
        "tempat_pembuatan": place,
        "bentuk": [f for f in model.FORMS if f in ticked] or forms(values.get("bentuk", "")),
        "retensi": f"{retensi} tahun" if retensi.isdigit() else retensi,
        "kategori": kategori or "",
        "status": model.Status.ESTABLISHED.value,
    }
    if exempt:  # carried over as a draft: its exemption is decided again, with a full test
        item.update(kategori="", status=model.Status.DRAFT.value, catatan=EXEMPT_NOTE)
        required: tuple[str, ...] = ("judul", "unit")
    else:
        required = REQUIRED
    missing = [k for k in required if not item[k] and not (k == "waktu_pembuatan" and bad_when)]
    if missing:
        found.append(("import.missing", {"fields": ", ".join(missing)}))
    return item, found


def parse(
    rows: list[list[str]],
    units: dict[str, str],
    unit_map: dict[str, str],
    *,
    taken: Collection[str] = (),
    source: str = "import",
) -> ImportPlan:
    """The items of a DIP table; ``units`` is register.yaml's key -> name, ``taken`` the ids
    already in the register."""
    layout = _layout(rows)
    if layout is None:
        return ImportPlan([], [RowProblem(0, "import.no_header")], source)
    index, problems = _unit_index(units, unit_map)
    unknown: dict[str, list[int]] = {}
    items: list[dict[str, Any]] = []
    numbers: list[int] = []  # each item's row in the file
    section: str | None = None
    for number, row in enumerate(rows[layout.header + 1 :], layout.header + 2):
        distinct = {cell for cell in row if cell}
        data = [row[c] for n, c in layout.columns.items() if n in _DATA and c < len(row)]
        data += [row[c] for c in layout.ticks if c < len(row)]
        if len(distinct) <= 2 or not any(data):  # blank, a category row or a group heading
            heading = _category(max(distinct, key=len), heading=True) if distinct else None
            section = heading or section
            continue
        values = {n: row[c] if c < len(row) else "" for n, c in layout.columns.items()}
        item, found = _item(values, row, layout, section)
        key = index.get(_squash(item["unit"]))
        if item["unit"] and key is None:
            unknown.setdefault(item["unit"], []).append(number)
        problems += [RowProblem(number, k, params) for k, params in found]
        if not found and key is not None:
            items.append({**item, "unit": key})
            numbers.append(number)
    problems += _unknown_units(unknown, units)
    problems += id_problems(items, numbers, set(taken))
    if not items and not problems:
        problems.append(RowProblem(0, "import.no_items"))
    given = frozenset(item["id"] for item in items if item["id"])
    name_items(items, set(taken), given)
    return ImportPlan(items, sorted(problems, key=lambda p: p.row_number), source, given)


def id_problems(
    items: list[dict[str, Any]], numbers: list[int], taken: set[str]
) -> list[RowProblem]:
    """An id given in the file must be a valid id, new to the register, and once in the file."""
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for item, row in zip(items, numbers, strict=True):
        wanted = item["id"]
        if not wanted:
            continue
        if not model.ID_RE.match(wanted):
            problems.append(RowProblem(row, "import.bad_id", {"value": wanted}))
        elif wanted in taken or wanted in seen:
            problems.append(RowProblem(row, "import.id_taken", {"value": wanted}))
        seen.add(wanted)
    return problems


def _unknown_units(unknown: dict[str, list[int]], units: dict[str, str]) -> list[RowProblem]:
    """One problem per unknown unit name, at its first row, naming every row and the
    register's closest unit."""
    return [
        RowProblem(
            rows[0],
            "import.unknown_unit",
            {"name": name, "rows": ", ".join(map(str, rows)), "suggestion": _suggest(name, units)},
        )
        for name, rows in unknown.items()
    ]


def name_items(
    items: list[dict[str, Any]], taken: set[str], given: frozenset[str] = frozenset()
) -> None:
    """The file's own ids (``given``, from its Id column, checked by :func:`id_problems`), else
    ids from the titles; unique across the register and this import."""
    taken.update(given)
    for item in items:
        if item["id"] in given:
            continue
        item["id"] = id_from_title(item["judul"], taken)
        taken.add(item["id"])
