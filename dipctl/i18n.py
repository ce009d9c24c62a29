"""Message catalogs: Indonesian first, English second (``--lang en`` or ``DIPCTL_LANG``).

Catalogs are flat ``key: text`` maps in ``dipctl/locales/<area>.<lang>.yaml``; texts use
``str.format`` fields. A key missing from the chosen language falls back to Indonesian,
then to the key itself, so a gap shows up as a visible key rather than a crash. The catalogs
are dipctl's own package data, read here with PyYAML's C loader; register files are read
only by :mod:`dipctl.register.store`.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("id", "en")
DEFAULT = "id"


def resolve_language(lang: str | None) -> str:
    """The option, else ``DIPCTL_LANG``, else Indonesian; unknown codes fall back too."""
    chosen = (lang or os.environ.get("DIPCTL_LANG") or DEFAULT).strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(LOCALES.glob(f"*.{lang}.yaml")):
        merged.update(
            {
                str(k): str(v)
                for k, v in (
                    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
                ).items()
            }
        )
    return merged


class Translator:
    def __init__(self, lang: str | None = None) -> None:
        self.lang = resolve_language(lang)
        self._texts = catalog(self.lang)
        self._fallback = catalog(DEFAULT)

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self._texts.get(key) or self._fallback.get(key) or key
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return f"{text} {params}"
