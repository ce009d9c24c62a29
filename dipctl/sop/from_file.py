"""``dipctl edit ID --from FILE``: an item's content fields taken from a YAML file, such as
the officer's own version that ``dipctl sync`` saved on a conflict
(``.dipctl/milik-saya/<id>.yaml``, docs/sharing.md).

The file's content is the value: every content field of ``dipctl edit`` (the Perki fields
and ``dokumen``) becomes what the file says, and a field the file lacks is removed; the
managed fields (status, catatan, rapat, keputusan, …) and those set by other steps
(kategori, pengecualian) are not read. Each value is checked as ``validate`` checks it,
naming the file; a file of another item is refused. Nothing here writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile, UsageError
from dipctl.register import editable, store
from dipctl.register.checks import _shown
from dipctl.sop import editing

if TYPE_CHECKING:
    from pathlib import Path


def values_from(item_id: str, path: Path) -> dict[str, Any]:
    """Each content field's value in ``path`` (None: absent), checked."""
    if not path.is_file():
        raise UsageError("edit.from_missing", path=str(path))
    data = store.load(path)
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    found = data.get("id")
    if found is not None and str(found) != item_id:
        raise UsageError("edit.from_other_item", path=str(path), id=item_id, found=_shown(found))
    values: dict[str, Any] = {}
    for field in editable.EDITABLE:
        value = editable.current(data, field)
        editing.refuse_bad(field, value, str(path))
        values[field.key] = value
    return values


def differing(values: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """The values that would change the item (``now``: :func:`editing.current_values`)."""
    return {key: value for key, value in values.items() if now.get(key) != value}
