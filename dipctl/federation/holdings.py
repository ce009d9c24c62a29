"""What a member's verified commit holds: items per status and the decrees in force, read
from the mirror's objects (one ``git ls-tree``, one ``git cat-file --batch``), never from a
checkout."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from dipctl.errors import DipctlError
from dipctl.federation.state import Holdings
from dipctl.proof import history as git_history
from dipctl.register import chain, model, records, store

if TYPE_CHECKING:
    from dipctl.federation.mirror import Mirror


def of_commit(
    mirror: Mirror, tip: str, folder: str, agency: str, keys: tuple[str, ...]
) -> Holdings:
    listing = mirror.git("ls-tree", "-r", "-z", tip, "--", f"{folder}/").stdout
    items: list[str] = []
    decrees: list[str] = []
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        if meta.split()[1:2] != ["blob"] or not path.endswith(".yaml"):
            continue
        inside = path.removeprefix(f"{folder}/")
        if inside.startswith(f"{model.ITEMS_DIR}/") and inside.count("/") == 2:
            items.append(meta.split()[2])
        elif inside.startswith(f"{model.DECREES_DIR}/") and inside.count("/") == 1:
            decrees.append(path)
    blobs, _ = git_history.blobs(mirror.path, [*items, *(f"{tip}:{p}" for p in decrees)])
    statuses: Counter[str] = Counter()
    for sha in items:
        data = _parse(blobs.get(sha), PurePosixPath(sha))
        statuses[str(data.get("status", "")) if data else "?"] += 1
    found: dict[str, records.Decree] = {}
    for path in decrees:
        data = _parse(blobs.get(f"{tip}:{path}"), PurePosixPath(path))
        if data:
            decree = records.Decree.from_mapping(data, PurePosixPath(path))  # type: ignore[arg-type]
            found[decree.id] = decree
    return Holdings(
        agency=agency,
        items=dict(sorted(statuses.items())),
        decree=_shown(chain.in_force(found)),
        dik_decree=_shown(chain.in_force(found, dik=True)),
        head_keys=list(keys),
    )


def _parse(blob: bytes | None, path: PurePosixPath) -> dict[str, object] | None:
    if blob is None:
        return None
    try:
        data = store.parse(blob.decode("utf-8"), path)  # type: ignore[arg-type]
    except (DipctlError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _shown(decree: records.Decree | None) -> dict[str, str]:
    if decree is None:
        return {}
    return {"id": decree.id, "nomor": decree.number, "tanggal": decree.date}
