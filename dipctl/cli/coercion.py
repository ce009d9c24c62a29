"""Option values without pydantic, where typer's answer is known without it.

typer 0.29 turns every value of every option that is not a flag through a pydantic
TypeAdapter (``typer._adapters``), built when the option is first processed, even when it was
not given; importing pydantic and building the adapters costs every command about 80 ms
(issue 21). dipctl's options are text, lists of text, paths and a few numbers: for a text,
a list of texts and a path given as text, the result is known (the text itself, a list of the
texts, ``Path(text)`` with typer's own path checks), so it is computed here; anything else,
and any value typer's path checks refuse, goes through typer's own adapter, built only then,
so the value or the message is typer's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import typer
import typer.core
from typer import _click
from typer._coercion import RuntimeParam, TypeDescriptor
from typer._param_types import coerce_cli_path, routes_to_path

_typers_own = getattr(typer.core, "build_runtime_param", None)


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """A text, a list of texts or a path: computed here; anything else: typer's adapter."""

    descriptor: TypeDescriptor = field(kw_only=True)

    @cached_property
    def _typers(self) -> RuntimeParam:
        assert _typers_own is not None
        return _typers_own(self.descriptor)  # type: ignore[no-any-return]

    def _coerce_value(self, value: Any, param: Any, ctx: _click.Context) -> Any:
        kind = self.annotation
        if kind is str and type(value) is str:
            return value
        texts = kind == list[str] and isinstance(value, list | tuple)
        if texts and all(type(item) is str for item in value):
            return list(value)
        info = self.parameter_info
        if type(value) is str and value and routes_to_path(kind, info) and kind is Path:
            try:
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            except (typer.BadParameter, ValueError):
                pass  # typer's own message, from the text as given
        return self._typers._coerce_value(value, param, ctx)


def _runtime_param(descriptor: TypeDescriptor) -> RuntimeParam:
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return _typers_own(descriptor)  # type: ignore[misc,no-any-return]
    return PlainParam(info, descriptor.annotation, descriptor=descriptor)


def install() -> None:
    """Use :class:`PlainParam` for typer's options (once; a typer without the hook: none)."""
    if _typers_own is not None:
        typer.core.build_runtime_param = _runtime_param  # type: ignore[attr-defined]
