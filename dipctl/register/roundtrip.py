"""Edits of register files that keep what officers wrote: ruamel.yaml's round-trip mode.

The comments, key order, quoting and blank lines of a file survive an edit; new values are
written in the canonical style (flow lists of short words, dates and times double-quoted).
ruamel.yaml is imported inside each function: read-only commands never load it. Reading
for display, listing and building is :mod:`dipctl.register.store`'s fast reader.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.files import write_atomic
from dipctl.register import model
from dipctl.register.store import (
    load_only,
    read_text,
    refuse_aliases,
    syntax_error,
    yaml_errors,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap


def _round_trip() -> YAML:
    """The one configuration of ruamel.yaml used for every edit (the canonical style)."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    rt.default_flow_style = False
    return rt


def load_for_edit(path: Path) -> CommentedMap:
    return parse_for_edit(read_text(path), path)


def parse_for_edit(text: str, path: Path) -> CommentedMap:
    """:func:`load_for_edit` of ``text`` (a file as a commit holds it), named ``path``."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError as RuamelError

    refuse_aliases(text, path)
    try:
        data = _round_trip().load(text)
    except (RuamelError, ValueError, RecursionError) as exc:
        raise syntax_error(exc, path, text) from exc
    if not isinstance(data, CommentedMap):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return data


def dump(data: Any) -> str:
    buf = io.StringIO()
    _round_trip().dump(data, buf)
    return buf.getvalue()


@contextlib.contextmanager
def modify(path: Path) -> Iterator[CommentedMap]:
    """Edit one file in place: yields its round-trip mapping, writes it back if it changed."""
    before = read_text(path)
    data = load_for_edit(path)
    yield data
    after = dump(data)
    if after != before:
        write_atomic(path, after)


def set_value(data: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set ``key`` keeping comments; a new key goes to its place in ``order``.

    Strings replacing a quoted string stay quoted; dates are always double-quoted.
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict | list):
        value = _to_commented(value)
    if isinstance(value, str) and (
        isinstance(data.get(key), DoubleQuotedScalarString) or _looks_like_date(value)
    ):
        value = DoubleQuotedScalarString(value)
    if key in data:
        data[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    position = sum(1 for k in data if k in order and order.index(k) < rank)
    data.insert(position, key, value)


def _looks_like_date(value: str) -> bool:
    """A date, or a time of day ("10:30", which a YAML 1.1 reader takes for the number 630)."""
    return (
        len(value) >= 4 and value[:4].isdigit() and all(c in "0123456789-:T+Z. sd" for c in value)
    ) or bool(model.TIME_RE.match(value))


def render_new(data: dict[str, Any], header: str = "") -> str:
    """The text of a new file in the canonical style: flow lists of words, dates quoted."""
    return header + dump(_to_commented(data))


def render_edit(path: Path, updates: dict[str, Any], order: tuple[str, ...]) -> str:
    """The text of ``path`` with ``updates`` applied (None removes a key), comments kept."""
    data = load_for_edit(path)
    for key, value in updates.items():
        if value is None:
            data.pop(key, None)
        else:
            set_value(data, key, value, order)
    return dump(data)


def _to_commented(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        cmap = CommentedMap()
        for key, child in value.items():
            cmap[key] = _to_commented(child)
        return cmap
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_to_commented(v) for v in value)
        if all(isinstance(v, str) and len(v) < 30 for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _looks_like_date(value):
        return DoubleQuotedScalarString(value)
    return value


def commented(value: dict[str, Any]) -> Any:
    """A new mapping to put into a round-trip document (an entry of a list), in the
    canonical style of :func:`render_new`; keys keep the order given."""
    return _to_commented(value)


def text_scalar(value: str) -> Any:
    """``value`` as a scalar the register's reader reads back as this very text: quoted
    when written plain it would read as something else."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return value if reads_back(value) else DoubleQuotedScalarString(value)


def reads_back(value: str) -> bool:
    """Whether ``value`` written as a plain scalar reads back as this very text (not
    ``yes``, ``08.00``, ``1:30``, ``null``), read as :func:`dipctl.register.store.parse`
    reads register files."""
    try:
        return bool(load_only(value) == value)
    except yaml_errors():
        return False
