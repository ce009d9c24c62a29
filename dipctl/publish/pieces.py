"""Per-row pieces of the whole-register downloads, kept beside the manifest (issue 21.3).

``dip.json`` and ``dip.csv`` hold one piece per DIP row: its JSON object as ``to_json``
indents it inside the list, its CSV line as the writer ends it. After one item changed, a
build makes the pieces of the rows whose data changed and joins the others from
``<out>/.dipctl-pieces``: the same bytes as made whole (a test compares them).

A piece is found by the digest of everything it is made from (the row's data digest, for
CSV its number too, and the piece's kind); the file is a site file like any other, listed
in the manifest, whose bytes digest vouches for it. It is read only by an incremental build
whose manifest names its bytes (not a file a killed build was writing, nor one changed,
damaged or planted since): anything else is no pieces, and every row is made again. Its
content is the pieces of this build's rows alone, sorted, so a full build and an
incremental one write it byte for byte alike.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from dipctl.publish import manifest
from dipctl.publish.workbook import cell_text, flat

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

NAME = ".dipctl-pieces"
#: The index page's table rows, in each language's folder.
HTML_NAME = ".dipctl-pieces-html"
FORMAT = 1
_LIST = '\n  "informasi": [],\n'


class Pieces:
    """The pieces known from the last build, and those this build uses."""

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, str] = {}

    def piece(self, key: str, make: Any, *args: Any) -> str:
        found = self.known.get(key)
        if found is None:
            found = make(*args)
        self.used[key] = found
        return found

    def encode(self) -> bytes:
        lines = [json.dumps({"format": FORMAT})]
        lines += [json.dumps([k, self.used[k]], ensure_ascii=False) for k in sorted(self.used)]
        return ("\n".join(lines) + "\n").encode("utf-8")


def load(target: Path, vouched: str, name: str = NAME) -> dict[str, str]:
    """The pieces in ``target``'s file ``name`` when its bytes are those the manifest names
    (``vouched``, its bytes digest there), else none."""
    if not vouched or vouched == manifest.UNKNOWN:
        return {}
    try:
        raw = (target / name).read_bytes()
        if manifest.digest(raw) != vouched:
            return {}
        lines = raw.decode("utf-8").splitlines()
        if not lines or json.loads(lines[0]) != {"format": FORMAT}:
            return {}
        found: dict[str, str] = {}
        for line in lines[1:]:
            key, text = json.loads(line)
            if not isinstance(key, str) or not isinstance(text, str):
                return {}
            found[key] = text
        return found
    except (OSError, ValueError, TypeError):
        return {}


def _json_row(row: dict[str, Any], hidden: tuple[str, ...]) -> str:
    text = json.dumps(
        {k: v for k, v in row.items() if k not in hidden},
        ensure_ascii=False,
        indent=2,
        sort_keys=True,
    )
    return "\n".join("    " + line for line in text.split("\n"))


def dip_json(
    document: dict[str, Any],
    keys: Sequence[str],
    hidden: tuple[str, ...],
    pieces: Pieces,
    whole: Any,
) -> bytes:
    """``whole(document)`` (:func:`~dipctl.publish.downloads.to_json`), its ``informasi``
    rows (``keys``: their data digests) joined from pieces."""
    rows = document["informasi"]
    head = whole({**document, "informasi": []}).decode("utf-8")
    if not rows or head.count(_LIST) != 1:
        return bytes(whole(document))
    before, after = head.split(_LIST)
    made = [
        pieces.piece(manifest.digest("json", key), _json_row, row, hidden)
        for key, row in zip(keys, rows, strict=True)
    ]
    body = ",\n".join(made)
    return f'{before}\n  "informasi": [\n{body}\n  ],\n{after}'.encode()


def _csv_line(row: dict[str, Any], columns: Sequence[tuple[str, str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(
        [cell_text(row.get(key, "")) for key, _ in columns]
    )
    return buf.getvalue()


def dip_csv(
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    columns: Sequence[tuple[str, str]],
    pieces: Pieces,
) -> bytes:
    """:func:`~dipctl.publish.downloads.to_csv` of the rows, each line a piece (by its data
    digest and its number: the CSV numbers rows in order)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([title for _, title in columns])
    lines = [buf.getvalue()]
    flat_rows: list[dict[str, str]] = []  # made only when a line is missing

    def line(n: int) -> str:
        if not flat_rows:
            flat_rows.extend(flat(rows))
        return _csv_line(flat_rows[n], columns)

    for n, key in enumerate(keys):
        lines.append(pieces.piece(manifest.digest("csv", key, str(n + 1)), line, n))
    return b"\xef\xbb\xbf" + "".join(lines).encode("utf-8")


class RowHook:
    """``piece`` in the templates while a build renders the index page: each DIP row's
    ``<tr>`` (``macro(row, *args)``) found by the digest of the row's data, its number, the
    macro's arguments and ``salt`` (the theme's templates and the language), else rendered.
    Inactive (while other pages render, whose rows are not kept) it only calls the macro.

    ``rows``: each published row by id, with its data digest: a row that is that row plus
    its ``nomor`` is found by that digest; any other row by its own data's digest."""

    def __init__(
        self,
        salt: str,
        rows: Mapping[str, tuple[dict[str, Any], str]],
        seen: dict[int, tuple[dict[str, Any], str]],
    ) -> None:
        self.salt = salt
        self.rows = rows
        self.seen = seen  # by id, shared by the languages: the row is kept, its id never reused
        self.parts = Pieces()
        self.active = False

    def _data(self, row: dict[str, Any]) -> str:
        found = self.seen.get(id(row))
        if found is not None and found[0] is row:
            return found[1]
        known = self.rows.get(str(row.get("id")))
        same = known is not None and {k: v for k, v in row.items() if k != "nomor"} == known[0]
        data = known[1] if same and known else manifest.data_digest(row)
        self.seen[id(row)] = (row, data)
        return data

    def __call__(self, macro: Any, row: dict[str, Any], *args: Any) -> Any:
        if not self.active:
            return macro(row, *args)
        data = self._data(row)
        key = manifest.digest("html", self.salt, data, repr(row.get("nomor")), repr(args))
        return Markup(self.parts.piece(key, lambda: str(macro(row, *args))))
