"""What the PPID Pembantu gives for a consequence test (*uji konsekuensi*): a YAML file
(``classify --exemption FILE``), one ``--set KEY=VALUE`` per key, answers to questions on a
terminal, or ``dipctl edit``'s changes to the test of an item.

Each text becomes the value the item file holds (:func:`value_of`) and is checked by the
rules of :mod:`dipctl.register.exemption`; every problem names where its value came from
(the file and its line, or ``--set``) and its key. :func:`new_problems` judges one answer
against the answers before it, so that a question is asked again at once with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, UsageError
from dipctl.register import exemption, model, store
from dipctl.register.checks import Problem, _shown

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item

KEYS = model.EXEMPTION_KEYS
PREFIX = "pengecualian."
#: Where a value given on the command line comes from, in place of a file.
SET_OPTION = "--set"
#: ``h``, ``huruf h``, ``Pasal 17 huruf h``: an answer naming only the letter.
_LETTER_RE = re.compile(r"^(?:huruf\s+)?([a-j])(\s+angka\s+.+)?$", re.IGNORECASE)
#: The rule of a key that is not there at all (the refusal names those briefly).
MISSING = "key.missing"


@dataclass
class Given:
    """A (possibly partial) test and where each of its values came from."""

    test: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (path, line)
    source: str = SET_OPTION  # named for a key that is missing

    def merged(self, later: Given) -> Given:
        """This test with ``later``'s values over it (``--set`` over ``--exemption``)."""
        source = later.source if later.origins else self.source
        return Given({**self.test, **later.test}, {**self.origins, **later.origins}, source)


def key_of(name: str) -> str:
    """``pasal`` or ``pengecualian.pasal`` -> ``pasal``; another key is a usage error."""
    key = name.strip().removeprefix(PREFIX)
    if key not in KEYS:
        raise UsageError("exemption.unknown_key", key=_shown(name.strip()), allowed=", ".join(KEYS))
    return key


def split_list(text: str) -> list[str]:
    """Participants as typed: separated by ``;``, or by commas when there is no ``;`` (a
    position with a comma in it: separate with ``;``)."""
    parts = text.split(";") if ";" in text else text.split(",")
    return [p.strip() for p in parts if p.strip()]


#: The longest answer taken (as for any option): far above any real weighing.
MAX_CHARS = 10_000


def value_of(key: str, text: str | list[str]) -> Any:
    """The file's value of ``key`` for what an officer typed ("" or nothing: None)."""
    size = sum(map(len, text)) if isinstance(text, list) else len(text)
    if size > MAX_CHARS:
        raise UsageError("usage.too_long", option=f"{PREFIX}{key}", size=size, limit=MAX_CHARS)
    if key == "penguji":
        testers = [t.strip() for t in text] if isinstance(text, list) else split_list(text)
        return [t for t in testers if t] or None
    value = (" ".join(text) if isinstance(text, list) else text).strip()
    if key == "pasal":
        found = _LETTER_RE.match(value)
        if found:
            value = f"17 huruf {found.group(1).lower()}{found.group(2) or ''}"
    if key == "berakhir" and value.lower() == model.PERMANENT:
        value = model.PERMANENT
    return value or None


def from_pairs(pairs: Sequence[str]) -> Given:
    """``--set KEY=VALUE`` options (``--set penguji=…`` given twice adds participants)."""
    given = Given()
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep:
            raise UsageError("exemption.set_syntax", value=_shown(pair))
        key = key_of(name)
        value = value_of(key, text)
        if key == "penguji" and given.test.get(key) and value:
            value = [*given.test[key], *value]
        given.test[key] = value
        given.origins[key] = (SET_OPTION, 0)
    return given


def from_file(path: Path) -> Given:
    """``--exemption FILE``: a YAML mapping of the test's keys (or one nested under
    ``pengecualian:``), each value with its line. An unquoted date (``berakhir:
    2031-12-31``) is the date it says."""
    if not path.is_file():
        raise UsageError("usage.no_file", option="--exemption", value=path)
    located = store.load_located(path)
    data = located.data
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("pengecualian"), dict):
        data, prefix = data["pengecualian"], ("pengecualian",)
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    shown = str(path)
    given = Given(source=shown)
    for name, value in data.items():
        key = str(name)
        given.test[key] = _dated(value)
        given.origins[key] = (shown, located.line(*prefix, key))
    return given


def _dated(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_dated(v) for v in value]
    return value


def from_item(reg: Register, path: Path) -> Given:
    """The test already in an item file (a revised item, one returned by the meeting)."""
    located = store.load_located(path)
    data = located.data if isinstance(located.data, dict) else {}
    test = data.get("pengecualian")
    shown = reg.relative(path)
    given = Given(source=shown)
    for name, value in (test if isinstance(test, dict) else {}).items():
        given.test[str(name)] = value
        given.origins[str(name)] = (shown, located.line("pengecualian", str(name)))
    return given


@dataclass(frozen=True)
class TestInput:
    """All that ``classify`` was given for the tests of its items."""

    file: Given | None = None  # --exemption FILE
    pairs: Given | None = None  # --set KEY=VALUE…
    answered: Mapping[str, Given] = field(default_factory=dict)  # item id -> its answers


def test_for(reg: Register, item: Item, given: TestInput) -> Given:
    """The test of ``item``: its answers, else the file's (or the item's own) with ``--set``
    over it."""
    if item.id in given.answered:
        return given.answered[item.id]
    base = given.file if given.file is not None else from_item(reg, item.path)
    return base.merged(given.pairs) if given.pairs is not None else base


# -- checking ------------------------------------------------------------------------------


def problems(
    reg: Register, test: Mapping[str, Any], today: dt.date | None
) -> list[exemption.TestProblem]:
    """Every problem of ``test``: unknown keys, missing or wrong values, placeholders where
    the weighing should be; in key order."""
    people = {p.email: p.roles for p in reg.settings.people}
    allowed = ", ".join(KEYS)
    found: list[exemption.TestProblem] = [
        (k, "key.unknown", {"key": k, "allowed": allowed}) for k in test if k not in KEYS
    ]
    found += exemption.consequence_problems(test, today, people)
    found += exemption.placeholder_problems(test)
    return found


def new_problems(
    reg: Register, before: Mapping[str, Any], key: str, value: Any, today: dt.date | None
) -> list[exemption.TestProblem]:
    """What goes wrong when ``key`` is given ``value`` after the answers ``before``: the
    problems it brings at any key already answered (``permanen`` after a letter a–f, a test
    date after the end), but none of the keys still to come."""
    after = {**before, key: value}
    earlier = [p for p in problems(reg, before, today) if p[1] != MISSING]
    return [p for p in problems(reg, after, today) if p[1] != MISSING and p not in earlier]


def located(given: Given, found: Sequence[exemption.TestProblem]) -> list[Problem]:
    """``found`` as problems at the file and line (or option) each value came from."""
    located_problems = []
    for key, rule, params in found:
        path, line = given.origins.get(key, (given.source, 1 if given.source != SET_OPTION else 0))
        shown = {k: _shown(v) for k, v in params.items()}
        located_problems.append(Problem(path, line, f"{PREFIX}{key}", rule, tuple(shown.items())))
    return located_problems


def missing_keys(found: Sequence[exemption.TestProblem]) -> list[str]:
    return [key for key, rule, _params in found if rule == MISSING]


#: The refusal names at most this many missing keys, then how many more.
NAMED = 3


def short_list(keys: Sequence[str]) -> tuple[str, int]:
    """The first :data:`NAMED` keys joined, and how many more there are."""
    return ", ".join(keys[:NAMED]), max(0, len(keys) - NAMED)


def today() -> dt.date:
    return dt.datetime.now().astimezone().date()
