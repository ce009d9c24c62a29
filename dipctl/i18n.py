"""Message catalogs: Indonesian first, English second (``--lang en`` or ``DIPCTL_LANG``).

Catalogs are flat ``key: text`` maps in ``dipctl/locales/<area>.<lang>.yaml``; texts use
``str.format`` fields. A key may have a technical twin, ``<key>.verbose``, shown instead with
``--verbose``: the default text speaks the officer's language (a step, the server, this
clone), the twin adds what git calls it (the commit, ``origin/main``, a ref, a config key);
see docs/glossary.md. A key missing from the chosen language falls back to Indonesian,
then to the key itself, so a gap shows up as a visible key rather than a crash. The catalogs
are dipctl's own package data, read here with PyYAML's C loader; register files are read
only by :mod:`dipctl.register.store`.

Parsing the catalogs took a command a tenth of a second at start-up (PyYAML's import and
its parse), so every locale file is compiled once into one JSON file in the user's cache
(``$XDG_CACHE_HOME/dipctl/``, else ``~/.cache/dipctl/``), named by a digest of the
install's locale folder (two checkouts or versions in use keep a copy each) and of every locale
file's path, size, inode and times (the change time too, which no tool sets back): an
edited or another version's catalog has another name and is compiled again; an unwritable
cache only costs the parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("id", "en")
DEFAULT = "id"


#: The language of the running command line, set once per invocation by :mod:`dipctl.cli`
#: from ``--lang`` wherever it stands, so that it applies before the command is parsed.
_invocation: list[str] = []

#: Whether the running command line was given ``--verbose``: then a message's technical
#: variant (``<key>.verbose``: commits, refs, git config keys) is shown where it has one.
_detail: list[bool] = []


def use_detail(on: bool) -> None:
    """Show the ``.verbose`` variants of messages (``--verbose``) or not."""
    _detail[:] = [True] if on else []


def detailed() -> bool:
    return bool(_detail)


def use_language(lang: str | None) -> None:
    """Make ``lang`` the default of :func:`resolve_language` (None: back to the environment)."""
    _invocation[:] = [lang] if lang else []


def resolve_language(lang: str | None) -> str:
    """The option, else ``--lang`` before the command, else ``DIPCTL_LANG``, else Indonesian;
    unknown codes fall back too."""
    default = _invocation[0] if _invocation else os.environ.get("DIPCTL_LANG")
    chosen = (lang or default or DEFAULT).strip().lower()
    return chosen if chosen in LANGUAGES else DEFAULT


@cache
def _compiled() -> dict[str, dict[str, str]]:
    """Every locale file's ``key: text`` map by its path under :data:`LOCALES`: from the
    compiled copy in the user's cache when its name (the digest of the files) matches, else
    parsed and the copy written for the next command."""
    files = sorted(LOCALES.rglob("*.yaml"))
    stamp = hashlib.sha256()
    for path in files:
        info = path.stat()
        seen = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        stamp.update(f"{path.relative_to(LOCALES)}\0{seen}\n".encode())
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dipctl"
    install = hashlib.sha256(os.fsencode(LOCALES)).hexdigest()[:12]  # one copy per install
    target = folder / f"locales-{install}-{stamp.hexdigest()[:32]}.json"
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(target.read_bytes())
        if isinstance(found, dict):
            return found
    import yaml

    parsed = {}
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
        parsed[path.relative_to(LOCALES).as_posix()] = {str(k): str(v) for k, v in data.items()}
    with contextlib.suppress(OSError):
        _keep(folder, target, json.dumps(parsed, ensure_ascii=False).encode("utf-8"))
    return parsed


def _keep(folder: Path, target: Path, data: bytes) -> None:
    """Write ``target`` whole (a reader sees the old file or the new) and drop older ones."""
    import tempfile  # only when the catalogs changed: not on every command's start-up

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".locales-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)  # noqa: PTH105
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    install = target.name.split("-")[1]  # only this install's older copies: two checkouts
    for old in folder.glob(f"locales-{install}-*.json"):  # in use must not evict each other
        if old != target:
            old.unlink(missing_ok=True)
    for old in folder.glob("locales-*.json"):  # the old naming, without the install
        if old.name.count("-") == 1:
            old.unlink(missing_ok=True)


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, texts in sorted(_compiled().items()):
        if "/" not in name and name.endswith(f".{lang}.yaml"):
            merged.update(texts)
    return merged


class Translator:
    def __init__(self, lang: str | None = None) -> None:
        self.lang = resolve_language(lang)
        self._texts = catalog(self.lang)
        self._fallback = catalog(DEFAULT)

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self._lookup(f"{key}.verbose") if _detail else None
        text = text or self._lookup(key) or key
        if not params:
            return text
        words = placeholders(self.lang)
        if words:  # a command line dipctl suggests, with its placeholders in this language
            params = {k: _commands(v, words) for k, v in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return f"{text} {params}"

    def _lookup(self, key: str) -> str | None:
        return self._texts.get(key) or self._fallback.get(key)


_PLACEHOLDER = re.compile(r"\b[A-Z][A-Z=]+[A-Z]\b")


def placeholders(lang: str) -> dict[str, str]:
    """The placeholders of the command lines dipctl suggests (``-m CATATAN``), written in
    Indonesian in the code, in ``lang`` (``locales/usage/<lang>.yaml``)."""
    return phrasebook("usage", lang)


def _commands(value: Any, words: dict[str, str]) -> Any:
    """``value`` with the placeholders of the ``dipctl …`` command lines in it translated."""
    if not isinstance(value, str) or "dipctl " not in value:
        return value
    return _PLACEHOLDER.sub(lambda found: words.get(found.group(0), found.group(0)), value)


@cache
def phrasebook(name: str, lang: str) -> dict[str, str]:
    """A source-text -> translation map, ``locales/<name>/<lang>.yaml``; empty when absent.

    For texts that are written in the code in one language (typer help in Indonesian, click's
    own messages in English), so the source text itself is the key, as in gettext.
    """
    return _compiled().get(f"{name}/{lang}.yaml", {})
