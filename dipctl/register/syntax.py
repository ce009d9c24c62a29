"""YAML syntax problems in plain words: what is wrong on which line, and what to do.

The parsers (PyYAML for reading, ruamel.yaml for editing) word their errors for
programmers ("mapping values are not allowed here"). :func:`explain` reads the error's kind
and marks and the text of the line, and names the common mistakes of people who edit a file
by hand: a tab in the indentation, a quote that is never closed, text after a closing
quote, a line indented wrongly, a colon in an unquoted value, a key written twice, a key
without its colon, a value that starts with a character YAML reserves, a bracket never
closed. Anything else keeps the parser's words, with the line. No parser is imported here:
the errors are read by their attributes, which both libraries share.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile

if TYPE_CHECKING:
    from pathlib import Path

_DUPLICATE_RE = re.compile(r'duplicate key "?(.*?)"? with value')
_KEY_RE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(\s|$)")


def explain(exc: BaseException, path: Path, text: str) -> InvalidFile:
    """The :class:`InvalidFile` for a parser's error on ``text`` (the file at ``path``)."""
    if isinstance(exc, RecursionError | MemoryError):
        return InvalidFile("file.too_deep", path=path, line=1)
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    at = _mark(getattr(exc, "problem_mark", None)) or _mark(getattr(exc, "context_mark", None))
    opened = _mark(getattr(exc, "context_mark", None))
    if at is None:
        detail = (str(exc).splitlines() or [""])[0]
        return InvalidFile("file.syntax", path=path, line=1, detail=detail)
    line, column = at
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    tab = _tab_line(lines, line)
    if tab is not None:
        return InvalidFile("file.yaml_tab", path=path, line=tab)
    found = _kind(problem, context, source, column)
    if found is not None and found[0] == "file.yaml_after_quote":
        earlier = _unclosed_before(lines, line, source[:column])
        if earlier is not None:  # the quote that "closed" was opened lines before
            return InvalidFile(
                "file.yaml_unclosed_quote", path=path, line=earlier[0], char=earlier[1]
            )
    if found is None:
        return InvalidFile("file.syntax", path=path, line=line, detail=problem or context)
    key, params = found
    opens = ("file.yaml_unclosed_quote", "file.yaml_unclosed_bracket", "file.yaml_no_colon")
    if key in opens and opened is not None:  # said where it was opened, not where it ended
        line = opened[0]
        opening = lines[line - 1] if 0 < line <= len(lines) else ""
        params["char"] = opening[opened[1] : opened[1] + 1] or '"'
    return InvalidFile(key, path=path, line=line, **params)


def _mark(mark: Any) -> tuple[int, int] | None:
    if mark is None or not isinstance(getattr(mark, "line", None), int):
        return None
    return mark.line + 1, int(getattr(mark, "column", 0) or 0)


def _tab_line(lines: list[str], upto: int) -> int | None:
    """The first line up to the error's with a tab in its indentation (or, on the error's
    own line, anywhere: ruamel refuses a tab after the colon too)."""
    for number, text in enumerate(lines[:upto], start=1):
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent or (number == upto and "\t" in text):
            return number
    return None


def _kind(
    problem: str, context: str, source: str, column: int
) -> tuple[str, dict[str, Any]] | None:
    """The catalog key and parameters for the error, or None for the parser's words."""
    if "duplicate key" in problem:
        match = _DUPLICATE_RE.search(problem)
        return "file.yaml_duplicate", {"key": match.group(1) if match else "?"}
    if "quoted scalar" in context:
        return "file.yaml_unclosed_quote", {}
    if "flow sequence" in context or "flow mapping" in context:
        return "file.yaml_unclosed_bracket", {}
    if "could not find expected ':'" in problem:
        return "file.yaml_no_colon", {}
    if "cannot start any token" in problem:
        char = source[column : column + 1] or "?"
        return "file.yaml_reserved", {"char": char, "fix": _quoted(source)}
    if "mapping values are not allowed" in problem:
        key = _KEY_RE.match(source)
        if key is not None and column > key.end(2):
            return "file.yaml_colon", {"fix": _quoted(source)}
        return "file.yaml_indent", {}
    if "expected key" in problem or "expected <block end>" in problem or "expected '-'" in problem:
        indent = len(source) - len(source.lstrip())
        before = source[:column]
        if column > indent and ('"' in before or "'" in before):
            return "file.yaml_after_quote", {}
        return "file.yaml_indent", {}
    return None


def _unclosed_before(lines: list[str], line: int, before: str) -> tuple[int, str] | None:
    """Where a quote that ends on ``line`` (odd count before the error) was opened: the
    nearest earlier line with an odd count of that quote character."""
    quotes = [c for c in before if c in "\"'"]
    if not quotes or before.count(quotes[-1]) % 2 == 0:
        return None
    char = quotes[-1]
    for number in range(line - 1, 0, -1):
        if lines[number - 1].count(char) % 2 == 1:
            return number, char
    return None


def _quoted(source: str) -> str:
    """The line with its value in double quotes: ``judul: "Renstra: 2025–2029"``."""
    key = _KEY_RE.match(source)
    if key is None:
        return source.strip()
    value = source[key.end() :].strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'{key.group(1).lstrip()}{key.group(2)}: "{value}"'
