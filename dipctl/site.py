"""``dipctl build``: the published register as a static site (SPEC.md section 6).

A linear pipeline: check that ``out`` may be replaced -> :func:`~dipctl.publicdata.collect`
what may be published (plain sorted data) -> render every page and download to bytes ->
write them into a new folder beside ``out`` -> swap it in (:func:`_write`). No clock is
read: two builds of one commit are byte-identical. All links are relative, so the site
works from ``file://`` and under any base path. An agency restyles it without forking:
``register/tema/templates/`` comes before the built-in templates and ``register/tema/static/``
is copied over the built-in static files.

The theme is data, not code: the build runs in CI beside its secrets, so every template
renders in jinja's immutable sandbox (no ``_``-attributes, no mutation of the data), the
loader sees only dipctl's templates and the regular files under ``tema/templates/`` (no
``..``, no symbolic link anywhere below ``tema/``), and a symbolic link or special file in
``tema/static/`` fails the build instead of being followed. A theme that does not render
is an error naming its file (:class:`ThemeRefused`, exit 4), never a traceback.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import re
import secrets
import shutil
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter

from dipctl import downloads
from dipctl.config import templates_dir
from dipctl.errors import DipctlError, OutputFailed
from dipctl.i18n import Translator
from dipctl.publicdata import DIK_FIELDS, PUBLIC_CATEGORIES, PublicRegister, collect

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.config import Register

__all__ = ["DIK_FIELDS", "ThemeRefused", "build", "render"]
THEME = "tema"


class ThemeRefused(DipctlError):
    """A theme file the build will not use: a link, a special file, a template that fails."""

    default_hint = "hint.theme_file"

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a forked page worker, too
        return (_rebuild, (type(self), self.key, self.hint_key, self.params))


def _rebuild(
    cls: type[DipctlError], key: str, hint: str | None, params: dict[str, Any]
) -> DipctlError:
    return cls(key, hint=hint, **params)


class _OutsideTheme(TemplateError):
    """A template name with ``..``: not a TemplateNotFound, so ``ignore missing`` cannot hide it."""


def _theme_folder(reg: Register, name: str) -> Path | None:
    """``tema/<name>`` if it is a real folder (neither it nor ``tema`` a link), else None."""
    path = reg.root
    for part in (THEME, name):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        _refuse_link(reg, path, mode)
        if not stat.S_ISDIR(mode):
            raise ThemeRefused("theme.special", path=reg.relative(path))
    return path


def _refuse_link(reg: Register, path: Path, mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise ThemeRefused("theme.symlink", path=reg.relative(path))


def _read_theme_file(reg: Register, path: Path) -> bytes:
    """A regular file's bytes, never through a link (O_NOFOLLOW: no race with a swap)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ThemeRefused("theme.special", path=reg.relative(path))
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    finally:
        if fd != -1:
            os.close(fd)


class ThemeLoader(BaseLoader):
    """The regular files under ``tema/templates/`` first, then dipctl's own templates.

    A name is looked up component by component with ``lstat``: a symbolic link anywhere
    below ``tema/`` is refused (exit 4) rather than followed, ``..`` is refused, and
    nothing outside these two folders can be loaded, included or imported.
    """

    def __init__(self, reg: Register, builtin: Path) -> None:
        self.reg = reg
        self.theme = _theme_folder(reg, "templates")
        self.builtin = builtin

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
        own = self._theme_file(pieces)
        if own is not None:
            data = _read_theme_file(self.reg, own)
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
        raise TemplateNotFound(template)

    def _theme_file(self, pieces: list[str]) -> Path | None:
        if self.theme is None:
            return None
        path = self.theme
        for n, piece in enumerate(pieces, 1):
            path = path / piece
            try:
                mode = os.lstat(path).st_mode
            except (FileNotFoundError, NotADirectoryError):
                return None
            _refuse_link(self.reg, path, mode)
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


class SandboxedTexts:
    """The ``_`` of the templates: dipctl's :class:`Translator`, formatting in the sandbox.

    A key missing from the catalogs is its own text, so a template chooses that format
    string: it is filled by jinja's sandboxed formatter, or ``_('{x.__init__}', x=...)``
    would reach Python attributes the sandbox forbids everywhere else.
    """

    def __init__(self, tr: Translator, env: ImmutableSandboxedEnvironment) -> None:
        self._tr = tr
        self._formatter = SandboxedFormatter(env)

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self._tr(key)
        if not params:
            return text
        try:
            return self._formatter.vformat(text, (), params)
        except (KeyError, IndexError, ValueError):
            return f"{text} {params}"

    def table(self, keys: list[str]) -> dict[str, str]:
        """The texts of many keys without fields, for ``_texts.html``."""
        return {key: self._tr(key) for key in keys}


def environment(reg: Register, lang: str) -> Environment:
    env = ImmutableSandboxedEnvironment(
        loader=ThemeLoader(reg, templates_dir() / "site"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["_"] = SandboxedTexts(Translator(lang), env)
    return env


def _theme_error(reg: Register, exc: Exception) -> ThemeRefused | None:
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
    elif isinstance(exc, TemplateError) and _theme_folder(reg, "templates") is not None:
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


def _site(pub: PublicRegister, lang: str, page: str, logo: bool) -> dict[str, Any]:
    depth = page.count("/")
    root = "../" * depth
    others = []
    for other in pub.languages:
        if other == lang:
            continue
        hop = "../" if lang != "id" else ""
        prefix = "" if other == "id" else f"{other}/"
        others.append({"lang": other, "url": f"{root}{hop}{prefix}{page}"})
    return {
        "agency": pub.agency,
        "title": pub.title,
        "lang": lang,
        "languages": list(pub.languages),
        "updated": pub.updated,
        "root": root,
        "other": others,
        "logo": logo,
        "page": page,
        "counts": {"dip": len(pub.items), "dik": len(pub.dik), "decrees": len(pub.decrees)},
    }


def _pages(pub: PublicRegister) -> list[tuple[str, str, dict[str, Any]]]:
    """(path under the language root, template, context) of every page."""
    groups = [
        {
            "kategori": k,
            "rows": [
                dict(r, nomor=n)
                for n, r in enumerate((r for r in pub.items if r["kategori"] == k), 1)
            ],
        }
        for k in PUBLIC_CATEGORIES
    ]
    pages: list[tuple[str, str, dict[str, Any]]] = [
        (
            "index.html",
            "index.html",
            {
                "groups": groups,
                "units": pub.units,
                "categories": list(PUBLIC_CATEGORIES),
                "years": sorted({r["tahun"] for r in pub.items if r["tahun"]}, reverse=True),
            },
        ),
        ("dik.html", "dik.html", {"dik": pub.dik}),
        ("keputusan.html", "decrees.html", {"decrees": pub.decrees}),
        ("sop.html", "sop.html", {"sop": pub.sop}),
    ]
    for row in pub.items:
        pages.append((row["url"], "item.html", {"item": row}))
    for decree in pub.decrees:
        lampiran = [
            {
                "kategori": k,
                "rows": [
                    dict(r, nomor=n)
                    for n, r in enumerate((r for r in decree["items"] if r["kategori"] == k), 1)
                ],
            }
            for k in PUBLIC_CATEGORIES
        ]
        pages.append((decree["url"], "decree.html", {"decree": dict(decree, groups=lampiran)}))
    return pages


#: What the page workers render, set before they fork so that nothing is pickled to them.
_JOB: tuple[Register, PublicRegister, bool, list[tuple[str, str, dict[str, Any]]]] | None = None
PARALLEL_FROM = 2000  # pages; below this one process is faster than starting two


def _render_slice(lang: str, start: int, stop: int) -> list[tuple[str, bytes]]:
    assert _JOB is not None
    reg, pub, logo, pages = _JOB
    env = environment(reg, lang)
    try:
        return [
            (
                page,
                env.get_template(template)
                .render(site=_site(pub, lang, page, logo), **context)
                .encode("utf-8"),
            )
            for page, template, context in pages[start:stop]
        ]
    except DipctlError:
        raise
    except Exception as exc:
        theme = _theme_error(reg, exc)
        if theme is None:
            raise
        raise theme from exc


def _render_pages(
    reg: Register, pub: PublicRegister, lang: str, logo: bool
) -> list[tuple[str, bytes]]:
    """Every page in one language; with two cores, half of them in a forked worker."""
    global _JOB
    pages = _pages(pub)
    _JOB = (reg, pub, logo, pages)
    workers = min(2, os.cpu_count() or 1)
    if len(pages) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _render_slice(lang, 0, len(pages))
    half = len(pages) // 2
    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
        other = pool.submit(_render_slice, lang, half, len(pages))
        mine = _render_slice(lang, 0, half)
        return mine + other.result()


def render(reg: Register, pub: PublicRegister) -> dict[str, bytes]:
    """Every file of the site, by its path under ``out``."""
    files: dict[str, bytes] = {}
    static = _static(reg)
    logo = "logo.svg" in static  # what base.html shows
    for lang in pub.languages:
        prefix = "" if lang == "id" else f"{lang}/"
        for page, html in _render_pages(reg, pub, lang, logo):
            files[prefix + page] = html
        files |= {prefix + name: data for name, data in _downloads(pub).items()}
        files |= {f"{prefix}static/{name}": data for name, data in static.items()}
    if pub.base_url:
        base = pub.base_url.rstrip("/") + "/"
        pages = [p for p, data in sorted(files.items()) if p.endswith(".html")]
        files["sitemap.xml"] = downloads.sitemap(base, pages)
    return files


def _downloads(pub: PublicRegister) -> dict[str, bytes]:
    return {
        "dip.csv": downloads.to_csv(pub.items, downloads.DIP_COLUMNS),
        "dip.json": downloads.to_json(downloads.dip_document(pub)),
        "dip.schema.json": downloads.to_json(downloads.dip_schema()),
        "dip.xlsx": downloads.to_xlsx(pub.items, downloads.DIP_COLUMNS, "DIP", pub.updated),
        "dik.csv": downloads.to_csv(pub.dik, downloads.DIK_COLUMNS),
        "dik.json": downloads.to_json(downloads.dik_document(pub)),
        "dik.xlsx": downloads.to_xlsx(pub.dik, downloads.DIK_COLUMNS, "DIK", pub.updated),
        "feed.xml": downloads.feed(pub, pub.base_url.rstrip("/") + "/" if pub.base_url else ""),
        "static/search-index.js": downloads.search_index(pub),
    }


def _static(reg: Register) -> dict[str, bytes]:
    """The built-in static files, then the agency's own over them (never through a link)."""
    found: dict[str, bytes] = {}
    builtin = templates_dir() / "site" / "static"
    for path in sorted(builtin.rglob("*")):
        if path.is_file():
            found[path.relative_to(builtin).as_posix()] = path.read_bytes()
    own = _theme_folder(reg, "static")
    if own is not None:
        found |= _theme_static(reg, own, "")
    return found


def _theme_static(reg: Register, folder: Path, prefix: str) -> dict[str, bytes]:
    """Every regular file below ``folder``; a link or special file fails the build.

    Not skipped: the agency expects its logo, and a link could publish /etc/passwd or the
    CI job's /proc/self/environ.
    """
    found: dict[str, bytes] = {}
    with os.scandir(folder) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        path = folder / entry.name
        if entry.is_symlink():
            raise ThemeRefused("theme.symlink", path=reg.relative(path))
        if entry.is_dir(follow_symlinks=False):
            found |= _theme_static(reg, path, f"{prefix}{entry.name}/")
        elif entry.is_file(follow_symlinks=False):
            found[prefix + entry.name] = _read_theme_file(reg, path)
        else:
            raise ThemeRefused("theme.special", path=reg.relative(path))
    return found


#: In every folder ``dipctl build`` made: a folder with it may be replaced by the next build.
MARKER = ".dipctl-site"
MARKER_TEXT = b"This folder is written by `dipctl build` and replaced whole by the next build.\n"


def build(reg: Register, out: Path) -> list[Path]:
    """Render the site and swap it in at ``out`` whole; returns the files.

    ``out`` must be new, empty, or a site an earlier build made (it holds :data:`MARKER`);
    never the register, its repository, a folder around them, home or ``/``.
    """
    shown = Path(os.path.normpath(out.absolute()))  # as given, made absolute
    try:
        target = _target(reg, out, shown)
        files = render(reg, collect(reg))
        _write(target, files)
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        raise OutputFailed(
            "output.failed", path=exc.filename or shown, detail=exc.strerror or str(exc)
        ) from exc
    return [shown / rel for rel in sorted(files)]


def _target(reg: Register, out: Path, shown: Path) -> Path:
    """The real folder to replace (links resolved), once it is sure nothing is lost."""
    target = out.resolve()
    register = reg.root.resolve()
    around = {register, reg.work_tree.resolve(), Path(target.anchor), *register.parents}
    with contextlib.suppress(RuntimeError, KeyError):  # no home: nothing to protect there
        around.add(Path.home().resolve())
    if target in around or register in target.parents:
        raise OutputFailed("output.protected", path=shown, hint="hint.output_folder")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISDIR(mode):
        raise OutputFailed("output.not_folder", path=shown, hint="hint.output_folder")
    if not (target / MARKER).is_file() and any(target.iterdir()):
        raise OutputFailed(
            "output.not_site", path=shown, marker=MARKER, hint="hint.output_old_site"
        )
    return target


def _write(target: Path, files: dict[str, bytes]) -> None:
    """Write the new site beside ``target``, then swap it in.

    The pages go to ``.<name>.tmp-<hex>`` in the same parent folder (so renames stay on one
    file system), with :data:`MARKER` first. Then, if ``target`` holds an earlier site, it is
    renamed to ``.<name>.tmp-<hex>-old``, the new folder renamed to ``target``, and the old
    one deleted. At every instant ``target`` is the complete old site or the complete new
    one, except between those two renames, when it is absent. An empty folder is replaced
    by the one rename (POSIX renames a folder over an empty folder); a folder that is not
    empty and has no marker makes the rename fail, so it is never deleted. A build killed
    on the way leaves only ``.<name>.tmp-*`` folders, deleted by the next build. No fsync:
    this protects against a killed build, not against a power cut.
    """
    parent, name = target.parent, target.name
    parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(parent, name)
    new = _new_folder(parent, name)
    try:
        (new / MARKER).write_bytes(MARKER_TEXT)
        folders: set[Path] = {new}
        for rel, data in sorted(files.items()):
            path = new / rel
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(data)
        _swap(new, target)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _leftover(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}\.tmp-[0-9a-f]{{16}}(-old)?")


def _remove_leftovers(parent: Path, name: str) -> None:
    """Folders of builds that were killed before they finished (only ours, by their name)."""
    pattern = _leftover(name)
    for child in parent.iterdir():
        if pattern.fullmatch(child.name) and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)


def _new_folder(parent: Path, name: str) -> Path:
    """``.<name>.tmp-<hex>``, made with the umask's permissions (mkdtemp's 0700 would hide
    the site from the web server that serves it)."""
    while True:
        path = parent / f".{name}.tmp-{secrets.token_hex(8)}"
        try:
            path.mkdir()
        except FileExistsError:  # pragma: no cover  (64 random bits)
            continue
        return path


def _swap(new: Path, target: Path) -> None:
    if (target / MARKER).is_file() and not target.is_symlink():
        old = new.with_name(new.name + "-old")
        target.rename(old)
        try:
            new.rename(target)
        except OSError:
            old.rename(target)
            raise
        shutil.rmtree(old, ignore_errors=True)  # if it stays, the next build removes it
    else:
        new.rename(target)  # absent or empty; anything else fails, deleting nothing
