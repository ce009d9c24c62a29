"""Many versions of register files read at once, each distinct top-level key read once
(for ``dipctl verify``, which reads every version of every item the history holds).

The versions of one item differ in a line or two: a step changes ``status``, ``rapat`` or
``keputusan`` and leaves the rest as it was; and many lines (``status: diajukan``,
``bentuk: [softcopy, hardcopy]``) recur in thousands of items. A file in *block form* is cut
into its top-level entries: a line that starts with a key character (a letter, a digit or
``_``) in the first column, with the indented, empty and comment lines after it. Each
distinct entry is read once by :func:`dipctl.register.store.parse`'s loader, and a version is
the mapping of its entries' single keys, in order. That is what the loader makes of the whole
text, for these reasons:

- a file in block form is a block mapping at the first column: nothing else may stand in
  that column (``-``, ``.``, ``%``, ``?``, quotes, brackets, a tab, ``<<`` are not block
  form), before the first entry only comments and empty lines, and no line break but
  ``\\n`` (a ``\\r``, U+2028 or U+2029 would start lines this cut does not see);
- a new key in the first column ends whatever the entry before it held (a plain or block
  scalar, a nested block), and an entry that would go on (an open quote or bracket) does
  not read alone: it fails, and the whole file is read as a whole;
- an entry that does not read alone as a mapping of exactly one key sends the whole file
  to the whole read; and the loader builds a mapping entry by entry (``mapping[key] =
  value``: the first place and the last value of a repeated key), which is what assembling
  the entries does.

The whole-text refusals of :func:`~dipctl.register.store.parse` (controls, anchors and
aliases) run on every text first; a text that is not in block form is read whole, exactly as
:func:`~dipctl.register.store.parse` reads it. ``tests/test_batch_parse.py`` compares the two
readers on hostile texts.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import store
from dipctl.register.characters import CONTROL_RE, refuse_controls

if TYPE_CHECKING:
    from collections.abc import Iterable

#: The start of a line that begins a top-level entry: anything but a space, ``#`` or a
#: line break in the first column.
_CUT = re.compile(r"\n(?=[^ #\n])")
_KEY_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
#: What a text in block form never holds: a line that starts with anything but a key
#: character, a space, ``#`` or a line break (this pattern); nor (:func:`_entries` asks) a
#: line break YAML knows besides \n (U+0085 is refused as a control) or a byte order mark,
#: which only the whole read treats as YAML does. (Apart: one regex with both alternatives
#: tries the second at every character, ten times slower than ``in``.)
_NOT_BLOCK = re.compile("\n[^ #\n0-9A-Za-z_]")
#: Values read once and handed to every version as they are; any other (a list, a mapping)
#: is copied for each version, so no two versions share a mutable value.
_IMMUTABLE = frozenset((str, int, float, bool, type(None), bytes, dt.date, dt.datetime))

#: An entry of one line, ``key: value``, both plain scalars of ASCII letters, digits and
#: marks that are no indicator inside a block mapping's plain scalar (no ``:``, ``#``,
#: quote, bracket, tab, and no space at either end): the loader reads it as ``{key:
#: value}`` when its resolver makes both strings, which is asked; it is then not loaded.
_PLAIN = re.compile(
    r"([A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?): "
    r"([A-Za-z0-9](?:[A-Za-z0-9 .,()/_-]*[A-Za-z0-9.,()/_-])?)\n?"
)
_BAD = object()  # an entry that does not read alone as one key: read the file whole


def parse_many(texts: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Each (name, text) read as :func:`~dipctl.register.store.parse` reads it (one by one,
    as ``texts`` hands them over): by name, its value, or the
    :class:`~dipctl.errors.InvalidFile` that the read raises."""
    found: dict[str, Any] = {}
    read: dict[str, Any] = {}  # entry -> (key, value, copy) or _BAD
    given: set[str] = set()  # the entries whose value one version holds already
    for name, text in texts:
        if CONTROL_RE.search(text) or "&" in text or "*" in text:
            try:  # what the whole read refuses first, with its message
                refuse_controls(text, Path(name))
                store.refuse_aliases(text, Path(name))
            except InvalidFile as exc:
                found[name] = exc
                continue
        entries = _entries(text)
        if entries is None:
            found[name] = _whole(text, name)
            continue
        value: dict[Any, Any] = {}
        for entry in entries:
            pair = read.get(entry)
            if pair is None:
                pair = read[entry] = _entry(entry)
            if pair is _BAD:
                found[name] = _whole(text, name)
                break
            key, item, copied = pair
            if copied is None:
                value[key] = item
            elif entry in given:  # a list or a mapping: each version after the first a copy
                value[key] = copied(item)
            else:
                given.add(entry)
                value[key] = item
        else:
            found[name] = value
    return found


def _entries(text: str) -> list[str] | None:
    """The top-level entries of a text in block form (None: not in block form)."""
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text:
        return None
    if _NOT_BLOCK.search(text):
        return None
    parts = _CUT.split(text)  # each cut drops the \n before the line it starts
    if parts[0][:1] not in _KEY_START:  # before the first entry: comments, empty lines
        if parts[0][:1] not in ("", "#", "\n") or "\n " in parts[0]:
            return None
        del parts[0]
    if not parts:
        return None
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def _entry(text: str) -> Any:
    """(key, value, how to copy the value for each version or None) of one entry read
    alone, or :data:`_BAD`."""
    plain = _PLAIN.fullmatch(text)
    if plain is not None and plain_str(plain[1]) and plain_str(plain[2]):
        return plain[1], plain[2], None
    try:
        value = store.load_only(text)
    except Exception:  # whatever the loader raises: the whole read says what it is
        return _BAD
    if not isinstance(value, dict) or len(value) != 1:
        return _BAD
    key, item = next(iter(value.items()))
    if type(item) in _IMMUTABLE:
        return key, item, None
    if type(item) is list and all(type(v) in _IMMUTABLE for v in item):
        return key, item, list
    return key, item, copy.deepcopy


def _whole(text: str, name: str) -> Any:
    try:
        return store.parse(text, Path(name))
    except InvalidFile as exc:
        return exc


def plain_str(text: str) -> bool:
    """Whether the loader reads ``text``, a plain scalar, as a string (not a number, a date,
    a boolean, null, ...)."""
    return store.plain_tag(text) == "tag:yaml.org,2002:str"
