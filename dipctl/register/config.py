"""Finding the register and reading register.yaml (SPEC.md section 5, ``--register``).

Precedence: ``--register PATH``, then ``DIPCTL_REGISTER``, then ``register/`` at the top of
the enclosing git work tree, then the first ``register.yaml`` found walking up from the
current directory. Nothing here changes the working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from dipctl.errors import InvalidFile, RegisterError
from dipctl.register import model, records, store


@dataclass(frozen=True)
class Register:
    """Where a register lives: ``root`` holds register.yaml; ``git_dir`` may be None.

    ``top`` is the top of the git work tree: ``git_dir``'s parent, except in a linked work
    tree (``git worktree add``) or a submodule, whose ``.git`` is a file naming the git
    directory elsewhere."""

    root: Path
    git_dir: Path | None
    top: Path | None = None

    @property
    def config_file(self) -> Path:
        return self.root / model.REGISTER_FILE

    @property
    def items_dir(self) -> Path:
        return self.root / model.ITEMS_DIR

    @property
    def meetings_dir(self) -> Path:
        return self.root / model.MEETINGS_DIR

    @property
    def decrees_dir(self) -> Path:
        return self.root / model.DECREES_DIR

    @property
    def work_tree(self) -> Path:
        if self.top is not None:
            return self.top
        return self.git_dir.parent if self.git_dir is not None else self.root

    @property
    def cache_file(self) -> Path | None:
        return self.git_dir / "dipctl" / "items.pickle" if self.git_dir is not None else None

    def item_path(self, unit: str, item_id: str) -> Path:
        return self.items_dir / unit / f"{item_id}.yaml"

    def relative(self, path: Path) -> str:
        """A path as the officer sees it: relative to the work tree, with ``/``."""
        try:
            return path.relative_to(self.work_tree).as_posix()
        except ValueError:
            return str(path)

    @cached_property
    def broken(self) -> dict[str, InvalidFile]:
        """The register files this run could not read, by path, filled in by the readers
        that leave such a file out (:func:`dipctl.register.queries.load_items`); the CLI
        reports each on stderr."""
        return {}

    @cached_property
    def settings(self) -> records.Settings:
        """register.yaml, parsed once per change of the file: kept in
        ``.git/dipctl/settings.pickle`` by its stamp, as the items are (every command reads
        it; a warm one then parses no YAML at all)."""
        if self.git_dir is not None:
            from dipctl.register import cachefile

            cache = self.git_dir / "dipctl" / "settings.pickle"
            tag = f"Settings:{cachefile.code_stamp()}"
            try:
                return store.load_files([str(self.config_file)], cache, _settings, tag)[0]
            except OSError:
                pass  # no file to stamp: the plain read says what is wrong
        return _settings(store.load(self.config_file), self.config_file)


def _settings(data: object, path: Path) -> records.Settings:
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return records.Settings.from_mapping(data)


def _git_above(start: Path) -> tuple[Path, Path] | None:
    """(git directory, top of the work tree) of the repository around ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.is_dir():
            return candidate, folder
        if candidate.is_file():  # a linked work tree or submodule: "gitdir: <path>"
            text = candidate.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve(), folder
    return None


def _located(root: Path, git: tuple[Path, Path] | None) -> Register:
    return Register(root, git[0], git[1]) if git else Register(root, None)


def _as_register_dir(path: Path) -> Path | None:
    for candidate in (path, path / "register"):
        if (candidate / model.REGISTER_FILE).is_file():
            return candidate
    return None


def find_register(option: Path | None = None, cwd: Path | None = None) -> Register:
    """Locate the register, or raise :class:`RegisterError` saying where we looked."""
    explicit = option or (
        Path(os.environ["DIPCTL_REGISTER"]) if os.environ.get("DIPCTL_REGISTER") else None
    )
    if explicit is not None:
        root = _as_register_dir(explicit.expanduser().resolve())
        if root is None:
            raise RegisterError("register.not_found_at", hint="hint.init", path=explicit)
        return _located(root, _git_above(root))
    start = (cwd or Path.cwd()).resolve()
    git = _git_above(start)
    if git is not None:
        root = _as_register_dir(git[1])
        if root is not None:
            return _located(root, git)
    for folder in (start, *start.parents):
        if (folder / model.REGISTER_FILE).is_file():
            return _located(folder, _git_above(folder))
    raise RegisterError("register.not_found", hint="hint.init", cwd=start)


def templates_dir() -> Path:
    """``templates/``: inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # dipctl/
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"
