"""The content fields an officer fills in without an editor (``dipctl edit``, ``dipctl new``).

One row per field: its key (``dokumen.tautan`` for a nested one), the option that sets it,
its kind, and whether the Perki makes it required. :func:`value_of` turns the text an
officer typed into the value the file holds, and :func:`verdict` checks it with the same
checks ``validate`` uses (characters, dates, types, vocabulary). Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dipctl.register import checks, model


@dataclass(frozen=True)
class Editable:
    key: str  # "judul", or "dokumen.tautan" for a key inside a mapping
    option: str  # the option of `dipctl edit` that sets it
    kind: str  # text, period, forms, url
    required: bool  # a Perki field (or the title): needed before submit

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))

    @property
    def choices(self) -> tuple[str, ...]:
        """The allowed values, for a field that has a fixed vocabulary."""
        return model.FORMS if self.kind == "forms" else ()


#: In the item file's key order (SPEC.md section 3).
EDITABLE: tuple[Editable, ...] = (
    Editable("judul", "--title", "text", True),
    Editable("ringkasan", "--summary", "text", True),
    Editable("penanggung_jawab", "--responsible", "text", True),
    Editable("waktu_pembuatan", "--made", "period", True),
    Editable("tempat_pembuatan", "--place", "text", True),
    Editable("bentuk", "--form", "forms", True),
    Editable("retensi", "--retention", "text", True),
    Editable("dokumen.tautan", "--link", "url", False),
    Editable("dokumen.arsip", "--archive", "text", False),
)
BY_KEY = {f.key: f for f in EDITABLE}
MANAGED = frozenset(f.key for f in model.ITEM_FIELDS if f.managed)
#: Item keys that exist but are set by something other than ``edit``: the command to use.
SET_ELSEWHERE = {
    "id": "dipctl new --id",
    "unit": "dipctl new --unit",
    "kategori": "dipctl classify ID --category KATEGORI",
    "pengecualian": "dipctl edit ID --set pengecualian.KUNCI=NILAI",
}


def value_of(field: Editable, text: str | list[str]) -> Any:
    """The file's value for what an officer typed; None removes the key (an empty answer).

    ``bentuk`` takes ``softcopy, hardcopy`` (or the option given twice); texts are stripped.
    """
    if field.kind == "forms":
        parts = text if isinstance(text, list) else text.replace(",", " ").split()
        forms = [p.strip() for p in parts if p.strip()]
        return forms or None
    joined = " ".join(text) if isinstance(text, list) else text
    stripped = joined.strip()
    return stripped or None


def verdict(field: Editable, value: Any) -> checks.Verdict:
    """The problem with ``value`` as ``validate`` would word it, or None."""
    if value is None:
        return ("value.empty", {}) if field.key == "judul" else None
    if field.kind == "forms":
        return checks.check_forms(value)
    if field.kind == "period":
        return checks.check_period(value)
    if field.kind == "url":
        return checks.check_url(value)
    return checks.check_text(value)


def current(data: dict[str, Any], field: Editable) -> Any:
    """The field's value in a loaded item mapping (None when absent or empty)."""
    value: Any = data
    for part in field.path:
        value = value.get(part) if isinstance(value, dict) else None
    return None if value in ("", [], {}) else value


def shown(value: Any) -> str:
    """A value as a prompt shows it as the default answer."""
    if value is None:
        return ""
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
