"""Where a printable paper goes when the officer names no ``--out``.

Into ``cetak/`` at the top of the work tree, which is kept out of git through the repository's
own ``info/exclude`` (nothing to commit, nothing for a colleague to pull), so that a draft SK
or a consequence-test sheet never lies loose and untracked in the repository root, one
``git add -A`` away from being committed. Outside a git repository: the current folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.register import committed

if TYPE_CHECKING:
    from dipctl.register.config import Register

FOLDER = committed.PAPERS  # a register at the top of its work tree skips it there


def default_path(reg: Register, name: str) -> Path:
    """``<top of the work tree>/cetak/<name>``, with ``cetak/`` excluded from git."""
    if reg.git_dir is None:
        return Path(name)
    exclude(reg.git_dir)
    return reg.work_tree / FOLDER / name


def exclude(git_dir: Path) -> None:
    """Add ``/cetak/`` to the repository's ``info/exclude`` once (shared by linked work trees).

    Best effort: when the file cannot be written the paper is still written; git then shows
    ``cetak/`` as untracked, which is visible rather than lost.
    """
    common = git_dir
    pointer = git_dir / "commondir"  # a linked work tree: info/ lives in the main git dir
    if pointer.is_file():
        common = (git_dir / pointer.read_text(encoding="utf-8").strip()).resolve()
    path = common / "info" / "exclude"
    line = f"/{FOLDER}/"
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if line in text.splitlines():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("" if not text or text.endswith("\n") else "\n") + line + "\n")
    except OSError:
        return
