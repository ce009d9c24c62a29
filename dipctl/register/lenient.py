"""Lenient reading of loaded YAML values for :mod:`dipctl.register.records`: a value of the
wrong type reads as empty (``validate`` reports it), so building a record never fails."""

from __future__ import annotations

from typing import Any

__all__ = ["mapping", "sequence", "strings", "text"]


def text(value: Any) -> str:
    """A scalar as text; a list or mapping where text belongs reads as empty."""
    return "" if value is None or isinstance(value, dict | list) else str(value)


def strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(text(v) for v in value if v is not None and text(v))
    return () if value in (None, "") or isinstance(value, dict) else (str(value),)


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
