"""``dipctl build``: the published register as a static site (SPEC.md section 6).

A linear pipeline: check that ``out`` may be replaced -> :func:`~dipctl.publish.publicdata.collect`
what may be published (plain sorted data) -> render every page and download, each written
into a new folder beside ``out`` by the process that made it -> swap that folder in
(:func:`~dipctl.publish.output.new_site`). No clock is read: two builds of one commit are
byte-identical. All links are relative, so the site works from ``file://`` and under any base
path. An agency restyles it without forking:
``register/tema/templates/`` comes before the built-in templates and ``register/tema/static/``
is copied over the built-in static files.

The theme is data, not code: the build runs in CI beside its secrets, so with theme
templates every template renders in jinja's immutable sandbox (no ``_``-attributes, no
mutation of the data; without them dipctl's own templates render in a plain environment,
:func:`~dipctl.publish.theme.environment`), the loader sees only dipctl's templates and the
regular files under ``tema/templates/`` (no ``..``, no symbolic link anywhere below
``tema/``), and a symbolic link or special file in ``tema/static/`` fails the build instead
of being followed. A theme that does not render is an error naming its file
(:class:`ThemeRefused`, exit 4), never a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, overload

from dipctl.errors import OutputFailed
from dipctl.feedback import silent
from dipctl.publish import downloads, manifest, pieces, rowmemo, siteplan
from dipctl.publish.output import MARKER, NewSite, new_site, target_folder
from dipctl.publish.publicdata import DIK_FIELDS, PublicRegister, collect
from dipctl.publish.themefiles import ThemeRefused, theme_folder
from dipctl.register import committed

if TYPE_CHECKING:
    import hashlib
    from collections.abc import Callable, Iterator

    from dipctl.feedback import Progress
    from dipctl.publish import pagework
    from dipctl.register.config import Register

__all__ = ["DIK_FIELDS", "ThemeRefused", "build", "render"]


@dataclass
class Plan:
    """Every file of the site by its path under ``out``, with the digest of its inputs
    (:mod:`dipctl.publish.manifest`); the pages not rendered yet."""

    digests: dict[str, str] = field(default_factory=dict)
    pages: dict[str, list[tuple[str, str, dict[str, Any]]]] = field(default_factory=dict)
    makers: dict[str, Callable[[], bytes]] = field(default_factory=dict)
    logo: bool = False
    #: the rows' pieces of the downloads (:mod:`dipctl.publish.pieces`), known from the
    #: last build by an incremental one
    parts: pieces.Pieces = field(default_factory=pieces.Pieces)
    #: the index page's rows by language, and the languages whose index was rendered
    hooks: dict[str, pieces.RowHook] = field(default_factory=dict)
    indexed: set[str] = field(default_factory=set)


def plan(reg: Register, pub: PublicRegister, memo: rowmemo.Rows | None = None) -> Plan:
    """What :func:`render` makes, as digests of inputs and the means to make it; the rows'
    digests known from the last build in ``memo``."""
    made = Plan()
    digest_of = memo.digest if memo is not None else manifest.data_digest
    static = siteplan.static_files(reg)
    made.logo = logo = "logo.svg" in static  # what base.html shows
    # the sandbox or not follows from the theme's templates; both write the same bytes
    templates = manifest.tree_digest(theme_folder(reg, "templates"))
    rows = {id(row): digest_of(row) for row in pub.items}
    decrees = siteplan.decree_inputs(pub, digest_of)
    whole = manifest.digest(
        f"{len(rows)} rows, {len(decrees)} decrees",
        manifest.joined(list(rows.values())),
        manifest.data_digest(
            [pub.agency, pub.title, pub.languages, pub.base_url, pub.updated, pub.dik]
        ),
        *decrees.values(),  # each decree's data: its id and all else (siteplan.decree_inputs)
        manifest.data_digest([pub.units, pub.sop, pub.cycle, pub.contact]),
    )
    pages = siteplan.pages(pub)  # the same data in every language: digested once
    data = siteplan.page_inputs(pub, pages, rows, decrees)
    shared: dict[str, Callable[[], bytes]] = {}  # the downloads alike in every language
    keys = [rows[id(row)] for row in pub.items]
    seen: dict[int, tuple[dict[str, Any], str]] = {}
    by_id = {row["id"]: (row, rows[id(row)]) for row in pub.items}
    if len(by_id) != len(pub.items):  # two rows of one id: each by its own data
        by_id = {}
    for lang in pub.languages:
        prefix = siteplan.folder_of(lang)
        made.pages[lang] = []
        site = siteplan.site_inputs(pub, lang, logo)
        begun: dict[str, hashlib.blake2b] = {}  # (templates, template, site) digested once
        for (page, template, context), inputs in zip(pages, data, strict=True):
            if template not in begun:
                begun[template] = manifest.begun(templates, template, site)
            made.digests[prefix + page] = manifest.digest_on(begun[template], page, inputs)
            made.pages[lang].append((prefix + page, template, context))
        made.hooks[lang] = pieces.RowHook(manifest.digest(templates, lang), by_id, seen)
        made.digests[prefix + pieces.HTML_NAME] = manifest.digest(
            pieces.HTML_NAME, made.digests[prefix + "index.html"]
        )
        made.makers[prefix + pieces.HTML_NAME] = functools.partial(
            _index_pieces, reg, pub, made, lang
        )
        for name, maker in siteplan.downloads_of(pub, lang, shared, made.parts, keys).items():
            made.digests[prefix + name] = manifest.digest(name, lang, whole)
            made.makers[prefix + name] = maker
        files = {f"{prefix}static/{name}": data for name, data in static.items()}
        for decree in pub.decrees:  # the signed scans, beside their decree pages
            if decree["scan"]:
                files[prefix + decree["scan"]] = (reg.root / decree["scan"]).read_bytes()
        for path, content in files.items():
            made.digests[path] = manifest.digest(content)
            made.makers[path] = siteplan.given(content)
    made.digests[pieces.NAME] = manifest.digest(pieces.NAME, whole)

    def joined() -> bytes:  # the pieces of this build's rows, once both downloads used them
        shared["dip.json"]()
        shared["dip.csv"]()
        return made.parts.encode()

    made.makers[pieces.NAME] = joined
    if pub.base_url:
        base = pub.base_url.rstrip("/") + "/"
        html = [p for p in sorted(made.digests) if p.endswith(".html")]
        made.digests["sitemap.xml"] = manifest.digest("sitemap", base, *html)
        made.makers["sitemap.xml"] = lambda: downloads.sitemap(base, html)
    return made


def _index_pieces(reg: Register, pub: PublicRegister, made: Plan, lang: str) -> bytes:
    """The index page's row pieces in ``lang`` as this build rendered them (rendered now
    when the page itself was not stale)."""
    if lang not in made.indexed:
        from dipctl.publish import pagework

        index = [p for p in siteplan.pages(pub) if p[0] == "index.html"]
        with contextlib.ExitStack() as stack:
            pagework.render((reg, pub, made.logo, {lang: index}, made.hooks), ({}, {}), stack)
    return made.hooks[lang].parts.encode()


#: The workbooks: the slowest downloads, made in the forked worker (after its pages).
_HEAVY = (".xlsx",)


def produce(
    reg: Register,
    pub: PublicRegister,
    made: Plan,
    paths: set[str],
    progress: Progress = silent,
    forks: bool = True,
) -> dict[str, bytes]:
    """The bytes of the files at ``paths``, the pages and workbooks on both cores
    (:func:`~dipctl.publish.pagework.render`); in this process alone when not ``forks``
    (its caller already keeps both cores busy)."""
    return cast("dict[str, bytes]", _produce(reg, pub, made, paths, progress, forks))


def _produce(
    reg: Register,
    pub: PublicRegister,
    made: Plan,
    paths: set[str],
    progress: Progress = silent,
    forks: bool = True,
    sink: Callable[[str, bytes], str] | None = None,
) -> dict[str, pagework.Made]:
    """:func:`produce`; with a ``sink``, each file goes to it where it is made, and what it
    returned stands for it. (jinja is imported here: a build with nothing stale renders
    nothing and never loads it.)"""
    if not paths:  # as rendering nothing would say it
        progress("progress.build.render", 0, 0)
        progress("progress.build.downloads")
        return {}
    from dipctl.publish import pagework

    chosen = {
        lang: [
            (path[len(siteplan.folder_of(lang)) :], template, context)
            for path, template, context in pages
            if path in paths
        ]
        for lang, pages in made.pages.items()
    }
    makers = {p: m for p, m in made.makers.items() if p in paths}
    heavy = {p: m for p, m in makers.items() if p.endswith(_HEAVY)}
    light = {p: m for p, m in makers.items() if p not in heavy}
    with contextlib.ExitStack() as stack:
        for lang, pages in chosen.items():
            if any(page == "index.html" for page, _, _ in pages):
                made.indexed.add(lang)
        job = (reg, pub, made.logo, chosen, made.hooks)
        rendered, files, heavy_files = pagework.render(
            job, (light, heavy), stack, progress, forks, sink
        )
        for lang, done in rendered.items():
            files.update((siteplan.folder_of(lang) + page, html) for page, html in done)
        progress("progress.build.downloads")
        files.update(heavy_files())
    return files


def render(reg: Register, pub: PublicRegister, progress: Progress = silent) -> dict[str, bytes]:
    """Every file of the site, by its path under ``out``."""
    made = plan(reg, pub)
    return produce(reg, pub, made, set(made.digests), progress)


def _nothing(check: bool = True) -> None:
    return None


def _written(new: NewSite, path: str, data: bytes) -> str:
    """Write a file of the new site; the digest of its bytes for the manifest."""
    new.write(path, data)
    return manifest.digest(data)


def _known_pieces(target: Path, old: manifest.Entries, stale: set[str], made: Plan) -> None:
    """The pieces of the last build, for the files made of them that are stale now."""
    unknown = (manifest.UNKNOWN, manifest.UNKNOWN)
    if pieces.NAME in stale:  # the downloads made of them are stale too
        made.parts.known = pieces.load(target, old.get(pieces.NAME, unknown)[1], pieces.NAME)
    for lang, hook in made.hooks.items():
        name = siteplan.folder_of(lang) + pieces.HTML_NAME
        if name in stale:
            hook.parts.known = pieces.load(target, old.get(name, unknown)[1], name)


@contextlib.contextmanager
def _data_kept() -> Iterator[None]:
    """No cyclic garbage collection while the register's data is read and digested (a
    million small objects, hardly a cycle among them: the collector's passes over them cost
    an incremental build a seventh of its time); then that data is frozen out of later
    passes (:func:`gc.freeze`), which also spares the forked workers' copies of it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class _SiteFiles(Sequence[Path]):
    """The paths of a site's files, made when asked (the CLI only counts them)."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self._root, self._names = root, names

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, at: int) -> Path: ...
    @overload
    def __getitem__(self, at: slice) -> list[Path]: ...
    def __getitem__(self, at: int | slice) -> Path | list[Path]:
        if isinstance(at, slice):
            return [self._root / name for name in self._names[at]]
        return self._root / self._names[at]


@dataclass(frozen=True)
class Built:
    """What a build did: every file of the site, and whether it was incremental (then how
    many files it wrote and deleted; the others were left as they were)."""

    files: Sequence[Path]
    incremental: bool = False
    written: int = 0
    removed: int = 0


def build(
    reg: Register,
    out: Path,
    uncommitted: bool = False,
    full: bool = False,
    progress: Progress = silent,
) -> Built:
    """Render the site into ``out``: incrementally when ``out`` holds a site with a usable
    manifest (:mod:`dipctl.publish.manifest`), else whole, swapped in (``full`` forces it).

    The register folder must hold exactly HEAD's bytes (:func:`committed.require_committed`:
    what is published is what verify judged), unless ``uncommitted`` (a local preview).
    ``out`` must be new, empty, or a site an earlier build made (it holds :data:`MARKER`);
    never the register, its repository, a folder around them, home or ``/``.
    """
    shown = Path(os.path.normpath(out.absolute()))  # as given, made absolute
    try:
        target = target_folder(reg, out, shown)
        # the work tree compared with HEAD on the other core while the data is read
        settle = committed.committed_aside(reg) if not uncommitted else _nothing
        progress("progress.build.collect")
        try:
            with _data_kept():
                memo = rowmemo.rows(reg, sorted(reg.settings.units.items()))
                pub = collect(reg, memo)
                made = plan(reg, pub, memo)
        except Exception:
            settle(True)  # a work tree that is not HEAD's is the error said first
            raise
        except BaseException:  # interrupted: the check's process is only waited for
            settle(False)
            raise
        settle(True)
        memo.save()
        head = manifest.header(reg.settings.agency_name)
        done = Built(_SiteFiles(shown, sorted(made.digests)))
        files: dict[str, bytes] = {}
        if not full and (target / MARKER).is_file():
            with manifest.locked(target):
                old = manifest.read(target, head)
                if old is not None:
                    stale = manifest.stale(target, old, made.digests)
                    _known_pieces(target, old, stale, made)
                    files = produce(reg, pub, made, stale, progress)
                    try:
                        written, removed = manifest.update(target, head, old, made.digests, files)
                        return dataclasses.replace(
                            done, incremental=True, written=written, removed=removed
                        )
                    except OSError:  # such as a folder where a page goes: a full build
                        pass
        with new_site(target) as new:  # written as made, by whichever process made it
            sums: dict[str, pagework.Made] = {p: _written(new, p, d) for p, d in files.items()}
            rest = set(made.digests) - set(files)
            sums |= _produce(reg, pub, made, rest, progress, sink=functools.partial(_written, new))
            bytes_made = {path: (made.digests[path], str(sums[path])) for path in sums}
            new.write(manifest.NAME, manifest.encode(head, bytes_made))
            count = len(bytes_made) + 1
            progress("progress.build.write", count, count)
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        raise OutputFailed(
            "output.failed", path=exc.filename or shown, detail=exc.strerror or str(exc)
        ) from exc
    return done
