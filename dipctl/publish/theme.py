"""The agency's theme: templates and static files from ``register/tema/``, as data, not code.

The build runs in CI beside its secrets, so when the register has theme templates
(``tema/templates/``) every template renders in jinja's immutable sandbox (no
``_``-attributes, no mutation of the data), the loader sees only dipctl's templates and the
regular files under ``tema/templates/`` (no ``..``, no symbolic link anywhere below
``tema/``), and a symbolic link or special file in ``tema/static/`` fails the build instead
of being followed. A theme that does not render is an error naming its file
(:class:`ThemeRefused`, exit 4), never a traceback.

Without theme templates only dipctl's own templates render, and they render in a plain
environment: the sandbox guards against template code, and these are dipctl's code (the
register's data are values they print, escaped, never templates). Its checks took most of
a build. With any theme template, dipctl's templates render sandboxed too: a built-in
template includes and imports templates a theme may override (``_texts.html`` decides the
format strings ``_macros.html`` fills), so theme data would otherwise reach code the
sandbox does not check.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dipctl.i18n import Translator
from dipctl.publish.plainenv import BuildEnvironment, Once
from dipctl.publish.texts import SandboxedTexts
from dipctl.publish.themefiles import (
    THEME,
    ThemeRefused,
    mode_of,
    read_theme_file,
    theme_folder,
)
from dipctl.register.config import templates_dir

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import CodeType

    from jinja2.bccache import Bucket

    from dipctl.register.config import Register


class _OutsideTheme(TemplateError):
    """A template name with ``..``: not a TemplateNotFound, so ``ignore missing`` cannot hide it."""


class ThemeLoader(BaseLoader):
    """The regular files under ``tema/templates/`` first, then dipctl's own templates.

    A name is looked up component by component with ``lstat``: a symbolic link anywhere
    below ``tema/`` is refused (exit 4) rather than followed, ``..`` is refused, and
    nothing outside these two folders can be loaded, included or imported.
    """

    def __init__(self, reg: Register, builtin: Path, theme: Path | None) -> None:
        self.reg = reg
        self.theme = theme  # None: dipctl's templates only (:func:`environment`)
        self.builtin = builtin
        self._missing: set[str] = set()  # nothing changes under a build

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            pieces = split_template_path(template)
        except TemplateNotFound:
            raise _OutsideTheme(
                f"template {template!r} is outside register/{THEME}/templates/"
            ) from None
        if not pieces:
            raise TemplateNotFound(template)
        if template in self._missing:
            raise TemplateNotFound(template)
        own = self._theme_file(pieces)
        if own is not None:
            data = read_theme_file(self.reg, own)
            try:
                return data.decode("utf-8"), str(own), _unchanged
            except UnicodeDecodeError:
                raise ThemeRefused(
                    "theme.template",
                    path=self.reg.relative(own),
                    line=1,
                    detail="not UTF-8",
                    hint="hint.theme_template",
                ) from None
        builtin = self.builtin.joinpath(*pieces)
        if builtin.is_file():
            return builtin.read_text(encoding="utf-8"), str(builtin), _unchanged
        self._missing.add(template)  # such as _tema_head.html, included on every page
        raise TemplateNotFound(template)

    def _theme_file(self, pieces: list[str]) -> Path | None:
        if self.theme is None:
            return None
        path = self.theme
        for n, piece in enumerate(pieces, 1):
            path = path / piece
            mode = mode_of(self.reg, path)
            if mode is None:
                return None
            if n < len(pieces):
                if not stat.S_ISDIR(mode):
                    return None
            elif stat.S_ISDIR(mode):
                return None
            elif not stat.S_ISREG(mode):
                raise ThemeRefused("theme.special", path=self.reg.relative(path))
        return path


def _unchanged() -> bool:
    return True  # one environment per build and language: templates do not change under it


class _Compiled(BytecodeCache):
    """The templates compiled in this process, by name, file and the checksum of their source.

    A build makes a fresh environment per language; compiling its templates again took
    most of the time of a build. Only :func:`environment` uses it, one cache per kind of
    environment: the code depends on the environment's settings (sandboxed code calls
    through ``environment.call``, plain code through ``context.call``: plain code in a
    sandboxed environment would call unchecked). It never touches the disk, and a changed
    file is compiled anew.
    """

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = {True: _Compiled(), False: _Compiled()}  # by sandboxed

#: Every template in the sandbox even without theme templates. Set only by the test that
#: proves both ways write the same bytes (tests/test_site_sandbox.py).
ALWAYS_SANDBOXED = False


def environment(reg: Register, lang: str) -> Environment:
    """The templates of one build in one language: sandboxed when the register has theme
    templates (``tema/templates/``), else dipctl's own in a plain environment.

    Nothing changes under a build (no auto-reload); compiled code is kept per process.
    """
    theme = theme_folder(reg, "templates")
    sandboxed = theme is not None or ALWAYS_SANDBOXED
    kind = ImmutableSandboxedEnvironment if sandboxed else BuildEnvironment
    env = kind(
        loader=ThemeLoader(reg, templates_dir() / "site", theme),
        bytecode_cache=_COMPILED[sandboxed],
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # a dict: every page imports its templates anew, an LRU cache locks
    )
    env.globals["_"] = SandboxedTexts(Translator(lang), sandboxed)
    env.globals["piece"] = plain_piece  # a build sets its own (dipctl/publish/pieces.py)
    env.globals["once"] = Once()
    return env


def plain_piece(macro: Any, *args: Any) -> Any:
    """A piece of a page rendered by its macro, nothing kept (``piece`` in the templates)."""
    return macro(*args)


def theme_error(reg: Register, exc: Exception) -> ThemeRefused | None:
    """The error as the officer should see it, if a template (of the theme) caused it.

    Jinja rewrites tracebacks so that template lines are frames named by the template
    file: the innermost frame of a theme template names the culprit. A template error with
    no theme frame still means a theme that does not fit, when there is a theme.
    """
    theme = str(reg.root / THEME / "templates") + os.sep
    builtin = str(templates_dir() / "site") + os.sep
    syntax = None
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        syntax = (exc.filename, exc.lineno)  # the file being compiled, not a frame
    culprit: tuple[str, int] | None = None
    fallback: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(theme):
            culprit = (name, tb.tb_lineno)
        elif name.startswith(builtin):
            fallback = (name, tb.tb_lineno)
        tb = tb.tb_next
    if syntax is not None and syntax[0].startswith(theme):
        where = syntax
    elif culprit is not None:
        where = culprit
    elif isinstance(exc, TemplateError) and theme_folder(reg, "templates") is not None:
        where = syntax or fallback or (str(reg.root / THEME / "templates"), 0)
    else:
        return None
    detail = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
    return ThemeRefused(
        "theme.template",
        path=reg.relative(Path(where[0])),
        line=where[1],
        detail=detail,
        hint="hint.theme_template",
    )


#: In every folder ``dipctl build`` made: a folder with it may be replaced by the next build.
