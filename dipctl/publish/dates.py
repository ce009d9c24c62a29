"""Dates as people read them: ``"21 Januari 2026"``, and spelled out in words as the opening
of a berita acara (*Pada hari ini Rabu tanggal dua puluh lima bulan November tahun dua ribu
dua puluh enam*), in Indonesian and in English.

Plain functions of ISO text; text that is not an ISO date comes back unchanged, so that a
period such as ``"2025"`` or a word such as ``"permanen"`` passes through. Files and
machine-readable downloads keep ISO dates; only what is shown to people goes through here.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
#: Between the two ends of a period (``waktu_pembuatan: "2025-01 s.d. 2025-06"``).
UNTIL = {"id": "s.d.", "en": "to"}

_ID_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_EN_UNITS = (
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_ORDINAL = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def _lang(lang: str) -> str:
    return lang if lang in MONTHS else "id"


def parse(text: str) -> dt.date | None:
    """The day of ``"2026-01-20"`` (or of a date-time starting with it), else None."""
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def long_date(text: str, weekday: bool = False, lang: str = "id") -> str:
    """``"2026-01-20"`` -> ``"20 Januari 2026"`` (``"Selasa, 20 Januari 2026"`` with
    ``weekday``; ``"Tuesday, 20 January 2026"`` in English); other text unchanged."""
    day = parse(text)
    if day is None:
        return text
    lang = _lang(lang)
    words = f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    return f"{DAYS[lang][day.weekday()]}, {words}" if weekday else words


def long_period(text: str, lang: str = "id") -> str:
    """A ``waktu_pembuatan`` as read: ``"2025-03"`` -> ``"Maret 2025"``, ``"2025-02-03"`` ->
    ``"3 Februari 2025"``, ``"2025-01 s.d. 2025-06"`` -> ``"Januari 2025 s.d. Juni 2025"``;
    a year, or anything else, unchanged."""
    lang = _lang(lang)
    parts = text.split(" s.d. ")
    return f" {UNTIL[lang]} ".join(_when(part, lang) for part in parts)


def _when(text: str, lang: str) -> str:
    month = _MONTH_RE.match(text.strip())
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{MONTHS[lang][int(month.group(2)) - 1]} {month.group(1)}"
    if len(text.strip()) == 10 and parse(text) is not None:
        return long_date(text, lang=lang)
    return text


def words_id(number: int) -> str:
    """An Indonesian number in words (*terbilang*), 0 to 999 999 999."""
    if number == 0:
        return "nol"
    if number < 0 or number >= 10**9:
        return str(number)
    parts: list[str] = []
    for size, name, single in ((10**6, "juta", ""), (1000, "ribu", "seribu")):
        count, number = divmod(number, size)
        if count == 1 and single:
            parts.append(single)
        elif count:
            parts.append(f"{words_id(count)} {name}")
    hundreds, rest = divmod(number, 100)
    if hundreds:
        parts.append("seratus" if hundreds == 1 else f"{_ID_UNITS[hundreds]} ratus")
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        parts.append(f"{_ID_UNITS[tens]} puluh" + (f" {_ID_UNITS[unit]}" if unit else ""))
    elif rest >= 12:
        parts.append(f"{_ID_UNITS[rest - 10]} belas")
    elif rest == 11:
        parts.append("sebelas")
    elif rest == 10:
        parts.append("sepuluh")
    elif rest:
        parts.append(_ID_UNITS[rest])
    return " ".join(parts)


def words_en(number: int) -> str:
    """An English number in words, 0 to 999 999 (years and days)."""
    if number == 0:
        return "zero"
    if number < 0 or number >= 10**6:
        return str(number)
    parts: list[str] = []
    thousands, number = divmod(number, 1000)
    if thousands:
        parts.append(f"{words_en(thousands)} thousand")
    hundreds, rest = divmod(number, 100)
    if hundreds:
        parts.append(f"{_EN_UNITS[hundreds]} hundred")
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        parts.append(_EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else ""))
    elif rest:
        parts.append(_EN_UNITS[rest])
    return " ".join(parts)


def ordinal_en(number: int) -> str:
    """``25`` -> ``"twenty-fifth"``, ``20`` -> ``"twentieth"``."""
    text = words_en(number)
    head, sep, last = text.rpartition("-") if "-" in text else text.rpartition(" ")
    if last in _EN_ORDINAL:
        last = _EN_ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def spelled_date(text: str, lang: str = "id") -> str:
    """The date in words, as a berita acara opens: ``"2026-11-25"`` -> ``"Rabu tanggal dua
    puluh lima bulan November tahun dua ribu dua puluh enam"``; in English ``"Wednesday, the
    twenty-fifth day of November in the year two thousand twenty-six"``. Other text unchanged.
    """
    day = parse(text)
    if day is None:
        return text
    if _lang(lang) == "en":
        return (
            f"{DAYS['en'][day.weekday()]}, the {ordinal_en(day.day)} day of "
            f"{MONTHS['en'][day.month - 1]} in the year {words_en(day.year)}"
        )
    return (
        f"{DAYS['id'][day.weekday()]} tanggal {words_id(day.day)} bulan "
        f"{MONTHS['id'][day.month - 1]} tahun {words_id(day.year)}"
    )
