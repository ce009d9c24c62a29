"""Building blocks of ``dipctl validate``: problems, per-file line lookup, value checks.

Each check returns a message key with parameters, or None; nothing here prints or exits.
The per-file rules that use these live in :mod:`dipctl.register.validate`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import characters, model, store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from dipctl.register.config import Register

FieldPath = tuple[str | int, ...]
#: The level of a problem that does not make the register invalid (``validate`` exits 0).
WARNING = "warning"
_DATE_RE = re.compile(model.DATE_PATTERN)
_DATETIME_RE = re.compile(model.DATETIME_PATTERN)
_PERIOD_RE = re.compile(model.PERIOD_PATTERN)
_KEY_RE = re.compile(model.ID_PATTERN)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()
    level: str = "error"  # or WARNING

    @property
    def is_error(self) -> bool:
        return self.level != WARNING


def field_name(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class FileCheck:
    """Collects the problems of one file, finding each field's line."""

    path: str
    located: store.Located
    problems: list[Problem] = field(default_factory=list)
    _seen: set[tuple[Any, ...]] = field(default_factory=set, repr=False)

    def report(
        self, where: FieldPath, rule: str, /, *, line: int | None = None, **params: Any
    ) -> None:
        """Record a problem at ``where`` (or at ``line``); the same problem only once.

        A set remembers what was reported, so that 10,000 unknown keys take linear time.
        """
        found = line if line is not None else self.located.line(*where)
        params = {k: _shown(v) for k, v in params.items()}
        problem = Problem(self.path, found, field_name(where), rule, tuple(params.items()))
        seen = (problem.line, problem.field, problem.key, repr(problem.params))
        if seen not in self._seen:
            self._seen.add(seen)
            self.problems.append(problem)


#: A value quoted in a message is cut to this many characters (a 100 KB title, nested junk).
MAX_SHOWN = 80


def _shown(value: Any) -> Any:
    """A parameter as a message can show it: short, one line, no control characters."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int) and abs(value) < 10**18:
        return value
    text = value if isinstance(value, str) else _short_repr(value)
    text = store.CONTROL_RE.sub("?", INVISIBLE_RE.sub("?", text)).replace("\n", " ")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _short_repr(value: Any) -> str:
    if isinstance(value, int):
        return f"{str(value)[:20]}… ({len(str(value))} digits)"
    if isinstance(value, dict | list):
        try:
            return repr(value)[: MAX_SHOWN * 2]
        except RecursionError:
            return type(value).__name__
    return str(value)


# -- value checks: each returns (message key, params) or None ------------------------------

Verdict = tuple[str, dict[str, Any]] | None


def _is_date_object(value: Any) -> bool:
    return isinstance(value, dt.date | dt.datetime)


INVISIBLE_RE = characters.INVISIBLE_RE


def text_verdict(value: str) -> Verdict:
    """Control, bidi or invisible characters in a text, named by code point; else None."""
    for pattern, key in (
        (store.CONTROL_RE, "value.control_char"),
        (INVISIBLE_RE, "value.invisible"),
    ):
        found = pattern.search(value)
        if found is not None:
            return (key, {"char": f"U+{ord(found.group()):04X}"})
    return None


def check_text(value: Any) -> Verdict:
    if _is_date_object(value):
        return ("value.date_unquoted", {})
    if not isinstance(value, str):
        return ("value.not_text", {"value": value})
    if not value.strip():
        return ("value.empty", {})
    return text_verdict(value)


def check_date(value: Any) -> Verdict:
    if _is_date_object(value):
        return ("value.date_unquoted", {})
    if not isinstance(value, str) or not _DATETIME_RE.match(value):
        return ("value.not_date", {"value": value})
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ("value.not_date", {"value": value})
    return None


def period_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a period (``2026``, ``2026-03``, ``2026-03-05``, or two of
    them joined by `` s.d. ``), or None when it names no real date or runs backwards."""
    if not _PERIOD_RE.match(value):
        return None
    parts = value.split(" s.d. ")
    try:
        bounds = [_when(part) for part in parts]
    except ValueError:
        return None
    first, last = bounds[0][0], bounds[-1][1]
    return (first, last) if first <= last else None


def _when(text: str) -> tuple[dt.date, dt.date]:
    year, *rest = (int(n) for n in text.split("-"))
    if len(rest) == 2:
        day = dt.date(year, rest[0], rest[1])
        return day, day
    if len(rest) == 1:
        first = dt.date(year, rest[0], 1)
        following = dt.date(year + (rest[0] == 12), rest[0] % 12 + 1, 1) if year < 9999 else None
        return first, (following - dt.timedelta(days=1)) if following else dt.date(9999, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def check_period(value: Any) -> Verdict:
    if _is_date_object(value):
        return ("value.date_unquoted", {})
    if isinstance(value, int) and not isinstance(value, bool):
        return ("value.year_unquoted", {"value": value})
    if not isinstance(value, str) or not _PERIOD_RE.match(value):
        return ("value.not_period", {"value": value})
    if period_bounds(value) is None:
        return ("value.bad_period", {"value": value})
    return None


def check_url(value: Any) -> Verdict:
    """An http(s) address with a host and nothing that could break out of an attribute."""
    if not isinstance(value, str):
        return ("value.url", {"value": value})
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        return ("value.url", {"value": value})
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or _URL_BAD_RE.search(value)
        or text_verdict(value) is not None
    ):
        return ("value.url", {"value": value})
    return None


_URL_BAD_RE = re.compile("[\\s\"'<>`\\\\{}|^]")


def check_id(value: Any) -> Verdict:
    if not isinstance(value, str) or not _KEY_RE.match(value):
        return ("value.bad_id", {"value": value})
    return None


def one_of(choices: tuple[str, ...]) -> Callable[[Any], Verdict]:
    def check(value: Any) -> Verdict:
        if not isinstance(value, str) or value not in choices:
            return ("value.not_one_of", {"value": value, "choices": ", ".join(choices)})
        return None

    return check


def check_forms(value: Any) -> Verdict:
    if not isinstance(value, list) or not value:
        return ("value.forms", {"choices": ", ".join(model.FORMS)})
    for form in value:
        if not isinstance(form, str) or form not in model.FORMS:
            return ("value.not_one_of", {"value": form, "choices": ", ".join(model.FORMS)})
    if len(set(value)) != len(value):
        return ("value.repeated", {})
    return None


MAX_REVISION = 10**9


def check_revision(value: Any) -> Verdict:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_REVISION:
        return ("value.revision", {"value": value})
    return None


def check_email(value: Any) -> Verdict:
    if not isinstance(value, str) or not model.EMAIL_RE.match(value):
        return ("value.email", {"value": value})
    return None


def check_duration(value: Any) -> Verdict:
    return (
        None if model.duration_minutes(value) is not None else ("value.duration", {"value": value})
    )


KIND_CHECKS: dict[str, Callable[[Any], Verdict]] = {
    "id": check_id,
    "text": check_text,
    "unit": check_id,
    "period": check_period,
    "forms": check_forms,
    "category": one_of(model.CATEGORIES),
    "subcategory": one_of(model.SUBCATEGORIES),
    "status": one_of(model.STATUSES),
    "revision": check_revision,
}


# -- shared structure checks ---------------------------------------------------------------


def check_keys(
    fc: FileCheck,
    data: dict[str, Any],
    where: FieldPath,
    allowed: tuple[str, ...],
    required: Iterable[str] = (),
) -> None:
    allowed_set = frozenset(allowed)
    for key in data:
        if key not in allowed_set:
            near = difflib.get_close_matches(str(key)[:MAX_SHOWN], allowed, n=1)
            if near:
                fc.report((*where, str(key)), "key.unknown_near", key=key, suggestion=near[0])
            else:
                fc.report((*where, str(key)), "key.unknown", key=key, allowed=", ".join(allowed))
    for key in required:
        if key not in data or data[key] is None or data[key] == "" or data[key] == []:
            fc.report(where or (key,), "key.missing", key=key)


def check_value(
    fc: FileCheck, where: FieldPath, value: Any, check: Callable[[Any], Verdict]
) -> None:
    verdict = check(value)
    if verdict is not None:
        fc.report(where, verdict[0], **verdict[1])


def check_mapping(fc: FileCheck, where: FieldPath, value: Any) -> bool:
    if isinstance(value, dict):
        return True
    fc.report(where, "value.not_mapping")
    return False


def check_unquoted_dates(fc: FileCheck, data: Any, where: FieldPath = ()) -> None:
    """Dates anywhere must be quoted strings: one rule in every file (SPEC.md section 3)."""
    if _is_date_object(data):
        fc.report(where, "value.date_unquoted")
    elif isinstance(data, dict):
        for key, value in data.items():
            check_unquoted_dates(fc, value, (*where, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            check_unquoted_dates(fc, value, (*where, index))


def open_file(reg: Register, path: Path) -> tuple[FileCheck | None, list[Problem]]:
    """Load ``path`` for checking; a file that cannot be loaded becomes one problem."""
    rel = reg.relative(path)
    try:
        located = store.load_located(path)
    except InvalidFile as exc:
        params = {k: v for k, v in exc.params.items() if k not in ("path", "line")}
        return None, [
            Problem(rel, int(exc.params.get("line", 1)), "", exc.key, tuple(params.items()))
        ]
    fc = FileCheck(rel, located)
    for where, line in located.duplicates:
        fc.problems.append(Problem(rel, line, field_name(where), "key.duplicate"))
    if not isinstance(located.data, dict):
        fc.report((), "file.not_mapping")
        return None, fc.problems
    return fc, []


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.field, p.key))


@dataclass(frozen=True)
class Context:
    """What the per-file rules need to know about the rest of the register."""

    units: frozenset[str]
    people: dict[str, tuple[str, ...]]  # email -> roles
    item_ids: frozenset[str]
    meetings: frozenset[str]
    decrees: frozenset[str]
    imported: frozenset[str] = frozenset()  # decrees brought in by `dipctl import`
    #: False when register.yaml itself could not be read: then units and people are
    #: unknown, and the checks against them are skipped rather than flooding every file.
    settings_known: bool = True


def today() -> dt.date:
    """The local date: meetings and decrees may not be dated after it."""
    return dt.datetime.now(dt.UTC).astimezone().date()
