"""The officer's own version of a file in conflict, left where they can see it and take it
again (``dipctl edit ID --from FILE``): ``.dipctl/milik-saya/<id>.yaml`` at the top of the
clone, outside ``register/`` and outside git (the clone's ``.git/info/exclude`` names the
folder; ``init`` writes it into ``.gitignore`` too).

Written on every conflict and before ``--keep-theirs``/``--keep-mine`` drop anything, each
file whole or not at all (:func:`dipctl.files.write_atomic`); a later conflict on the same
item replaces it with the clone's version then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.errors import WriteFailed
from dipctl.files import reason, write_atomic
from dipctl.share import clash

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from dipctl.gitrepo import Repository

FOLDER = (".dipctl", "milik-saya")
"""Where, below the clone's top folder."""
EXCLUDE = "/.dipctl/"


def folder(repo: Repository) -> Path:
    return repo.work_tree.joinpath(*FOLDER)


def save(repo: Repository, prefix: str, rev: str, paths: Iterable[str]) -> dict[str, Path]:
    """Each of ``paths`` (relative to the clone) as commit ``rev`` holds it, saved under
    :data:`FOLDER`: the item id (or the path) -> the saved file. A path ``rev`` does not
    hold is skipped."""
    wanted = sorted(set(paths))
    if not wanted:
        return {}
    contents = repo.read_at(rev, wanted)
    target = folder(repo)
    saved: dict[str, Path] = {}
    try:
        _exclude(repo)
        for path in wanted:
            data = contents.get(path)
            if data is None:
                continue
            item = clash.item_of(path, prefix)
            name = f"{item}.yaml" if item else path.replace("/", "__")
            target.mkdir(parents=True, exist_ok=True)
            write_atomic(target / name, data)
            saved[item or path] = target / name
    except OSError as exc:
        raise WriteFailed("write.before_ref", path=target, reason=reason(exc)) from exc
    return saved


def _exclude(repo: Repository) -> None:
    """Keep the folder out of git in this clone, whatever its ``.gitignore`` says."""
    exclude = repo.git_dir / "info" / "exclude"
    text = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
    if EXCLUDE in text.splitlines():
        return
    exclude.parent.mkdir(parents=True, exist_ok=True)
    joined = text if not text or text.endswith("\n") else text + "\n"
    write_atomic(exclude, f"{joined}{EXCLUDE}\n")
