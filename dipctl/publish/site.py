"""``dipctl build``: the published register as a static site (SPEC.md section 6).

A linear pipeline: check that ``out`` may be replaced -> :func:`~dipctl.publish.publicdata.collect`
what may be published (plain sorted data) -> render every page and download to bytes ->
write them into a new folder beside ``out`` -> swap it in (:func:`_write`). No clock is
read: two builds of one commit are byte-identical. All links are relative, so the site
works from ``file://`` and under any base path. An agency restyles it without forking:
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
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError, OutputFailed
from dipctl.feedback import silent
from dipctl.publish import citizen, downloads, manifest, pieces
from dipctl.publish.output import MARKER, target_folder, write_site
from dipctl.publish.publicdata import DIK_FIELDS, PUBLIC_CATEGORIES, PublicRegister, collect
from dipctl.publish.theme import ThemeRefused, environment, theme_error, theme_folder, theme_static
from dipctl.register import committed
from dipctl.register.config import templates_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.feedback import Progress
    from dipctl.register.config import Register

__all__ = ["DIK_FIELDS", "ThemeRefused", "build", "render"]


def _site(pub: PublicRegister, lang: str, page: str, logo: bool) -> dict[str, Any]:
    depth = page.count("/")
    root = "../" * depth
    base = pub.base_url.rstrip("/") + "/" if pub.base_url else ""
    others, alternates = [], []
    for other in pub.languages:
        hop = "../" if lang != "id" else ""
        prefix = "" if other == "id" else f"{other}/"
        relative = f"{root}{hop}{prefix}{page}"
        # absolute hreflang alternates (every language, this one too) when base_url is known
        alternates.append({"lang": other, "url": base + prefix + page if base else relative})
        if other != lang:
            others.append({"lang": other, "url": relative})
    own = "" if lang == "id" else f"{lang}/"
    return {
        "agency": pub.agency,
        "title": pub.title,
        "lang": lang,
        "languages": list(pub.languages),
        "updated": pub.updated,
        "cycle": pub.cycle,  # the DIP's next pemutakhiran (issue 13)
        "root": root,
        "other": others,
        "alternates": alternates if base else [a for a in alternates if a["lang"] != lang],
        "canonical": base + own + page if base else "",
        # the Indonesian page, for a reader whose language the site does not offer
        "x_default": base + page if base and len(alternates) > 1 and "id" in pub.languages else "",
        "logo": logo,
        "page": page,
        "contact": pub.contact,
        "counts": {"dip": len(pub.items), "dik": len(pub.dik), "decrees": len(pub.decrees)},
    }


def _site_inputs(pub: PublicRegister, lang: str, logo: bool) -> str:
    """The digest of all that :func:`_site` reads but the page's path (keep them in step)."""
    counts = (len(pub.items), len(pub.dik), len(pub.decrees))
    named = (pub.agency, pub.title, pub.languages, pub.base_url, pub.updated, pub.cycle)
    return manifest.data_digest([*named, pub.contact, counts, lang, logo])


def _pages(pub: PublicRegister) -> list[tuple[str, str, dict[str, Any]]]:
    """(path under the language root, template, context) of every page."""
    groups = citizen.grouped(pub.items, PUBLIC_CATEGORIES, True)
    pages: list[tuple[str, str, dict[str, Any]]] = [
        (
            "index.html",
            "index.html",
            {
                "groups": groups,
                "units": pub.units,
                "categories": list(PUBLIC_CATEGORIES),
                "years": sorted({r["tahun"] for r in pub.items if r["tahun"]}, reverse=True),
                "in_force": _in_force(pub),
            },
        ),
        ("dik.html", "dik.html", {"dik": pub.dik}),
        ("keputusan.html", "decrees.html", {"decrees": pub.decrees}),
        ("sop.html", "sop.html", {"sop": pub.sop}),
    ]
    for row in pub.items:
        pages.append((row["url"], "item.html", {"item": row}))
    for decree in pub.decrees:
        lampiran = citizen.grouped(decree["items"], PUBLIC_CATEGORIES, False)
        pages.append((decree["url"], "decree.html", {"decree": dict(decree, groups=lampiran)}))
    return pages


def _in_force(pub: PublicRegister) -> dict[str, dict[str, Any] | None]:
    """The SK DIP and the Penetapan DIK in force, as the index names them (issue 19.6)."""
    found = [d for d in pub.decrees if d["berlaku"]]
    return {
        "dip": next((d for d in found if d["jenis"] != "penetapan-dik"), None),
        "dik": next((d for d in found if d["jenis"] == "penetapan-dik"), None),
    }


#: What the page workers render, set before they fork so that nothing is pickled to them.
_JOB: tuple[Register, PublicRegister, bool, list[tuple[str, str, dict[str, Any]]]] | None = None
PARALLEL_FROM = 2000  # pages; below this one process is faster than starting two


def _render_slice(
    lang: str, start: int, stop: int, counted: tuple[Progress, int, int] | None = None
) -> list[tuple[str, bytes]]:
    """Pages ``start:stop``; ``counted`` (progress, pages done before, all pages): reported
    every 100 pages (only by the main process: a forked worker has no one to tell)."""
    assert _JOB is not None
    reg, pub, logo, pages = _JOB
    env = environment(reg, lang)
    made: list[tuple[str, bytes]] = []
    try:
        for page, template, context in pages[start:stop]:
            html = env.get_template(template).render(site=_site(pub, lang, page, logo), **context)
            made.append((page, html.encode("utf-8")))
            if counted is not None and len(made) % 100 == 0:
                counted[0]("progress.build.render", counted[1] + len(made), counted[2])
        return made
    except DipctlError:
        raise
    except Exception as exc:
        refused = theme_error(reg, exc)
        if refused is None:
            raise
        raise refused from exc


def _render_pages(
    reg: Register,
    pub: PublicRegister,
    lang: str,
    logo: bool,
    pages: list[tuple[str, str, dict[str, Any]]],
    counted: tuple[Progress, int, int] | None = None,
) -> list[tuple[str, bytes]]:
    """The pages in one language; with two cores, half of them in a forked worker (whose
    pages are counted when it hands them over)."""
    global _JOB
    _JOB = (reg, pub, logo, pages)
    workers = min(2, os.cpu_count() or 1)
    if len(pages) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _render_slice(lang, 0, len(pages), counted)
    half = len(pages) // 2
    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
        other = pool.submit(_render_slice, lang, half, len(pages))
        mine = _render_slice(lang, 0, half, counted)
        return mine + other.result()


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


def plan(reg: Register, pub: PublicRegister) -> Plan:
    """What :func:`render` makes, as digests of inputs and the means to make it."""
    made = Plan()
    static = _static(reg)
    made.logo = logo = "logo.svg" in static  # what base.html shows
    # the sandbox or not follows from the theme's templates; both write the same bytes
    templates = manifest.tree_digest(theme_folder(reg, "templates"))
    rows = {id(row): manifest.data_digest(row) for row in pub.items}
    whole = manifest.digest(
        *rows.values(),
        manifest.data_digest(
            [pub.agency, pub.title, pub.languages, pub.base_url, pub.updated, pub.dik]
        ),
        manifest.data_digest([pub.decrees, pub.units, pub.sop, pub.cycle, pub.contact]),
    )
    pages = _pages(pub)  # the same data in every language: digested once
    data = _page_inputs(pub, pages, rows)
    shared: dict[str, Callable[[], bytes]] = {}  # the downloads alike in every language
    keys = [rows[id(row)] for row in pub.items]
    for lang in pub.languages:
        prefix = "" if lang == "id" else f"{lang}/"
        made.pages[lang] = []
        site = _site_inputs(pub, lang, logo)
        for (page, template, context), inputs in zip(pages, data, strict=True):
            made.digests[prefix + page] = manifest.digest(templates, template, site, page, inputs)
            made.pages[lang].append((prefix + page, template, context))
        for name, maker in _downloads(pub, lang, shared, made.parts, keys).items():
            made.digests[prefix + name] = manifest.digest(name, lang, whole)
            made.makers[prefix + name] = maker
        files = {f"{prefix}static/{name}": data for name, data in static.items()}
        for decree in pub.decrees:  # the signed scans, beside their decree pages
            if decree["scan"]:
                files[prefix + decree["scan"]] = (reg.root / decree["scan"]).read_bytes()
        for path, content in files.items():
            made.digests[path] = manifest.digest(content)
            made.makers[path] = _given(content)
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


def _page_inputs(
    pub: PublicRegister, pages: list[tuple[str, str, dict[str, Any]]], rows: dict[int, str]
) -> list[str]:
    """The digest of each page's data. What :func:`_pages` derives by code (the index's and
    a decree's groups, from their rows) is digested as the rows it comes from, each row
    and each decree once however many pages show it."""
    issued: dict[int, str] = {}  # a version's row, listed by many decrees: digested once

    def decree_inputs(decree: dict[str, Any]) -> str:
        listed = [
            issued.get(id(r)) or issued.setdefault(id(r), manifest.data_digest(r))
            for r in decree["items"]
        ]
        rest = manifest.data_digest({k: v for k, v in decree.items() if k != "items"})
        return manifest.digest(rest, *listed)

    decrees = {d["id"]: decree_inputs(d) for d in pub.decrees}
    found = []
    for _, template, context in pages:
        if template == "item.html" and id(context["item"]) in rows:
            found.append(rows[id(context["item"])])
        elif template == "index.html":
            rest = manifest.data_digest({k: v for k, v in context.items() if k != "groups"})
            found.append(manifest.digest("index", rest, *(rows[id(r)] for r in pub.items)))
        elif template == "decree.html":
            found.append(manifest.digest("decree", decrees[context["decree"]["id"]]))
        elif template == "decrees.html":
            found.append(manifest.digest("decrees", *(decrees[d["id"]] for d in pub.decrees)))
        else:
            found.append(manifest.data_digest(context))
    return found


def _given(content: bytes) -> Callable[[], bytes]:
    return lambda: content


#: The workbooks: the slowest downloads, made in a forked worker while the pages render
#: when the pages alone do not fill both cores (an incremental build after a small change).
_HEAVY = (".xlsx",)
_MAKERS: dict[str, Callable[[], bytes]] = {}


def _make(paths: list[str]) -> list[tuple[str, bytes]]:
    return [(path, _MAKERS[path]()) for path in paths]


def _forks() -> bool:
    return min(2, os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


def produce(
    reg: Register,
    pub: PublicRegister,
    made: Plan,
    paths: set[str],
    progress: Progress = silent,
) -> dict[str, bytes]:
    """The bytes of the files at ``paths``, pages rendered in one go per language."""
    global _MAKERS
    files: dict[str, bytes] = {}
    chosen = {
        lang: [(path, template, context) for path, template, context in pages if path in paths]
        for lang, pages in made.pages.items()
    }
    heavy = sorted(p for p in paths if p in made.makers and p.endswith(_HEAVY))
    few = sum(map(len, chosen.values())) < PARALLEL_FROM
    with contextlib.ExitStack() as stack:
        other = None
        if heavy and few and _forks():
            _MAKERS = made.makers
            pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=mp.get_context("fork")))
            other = pool.submit(_make, heavy)
        total, done = sum(map(len, chosen.values())), 0
        for lang, pages in chosen.items():
            prefix = "" if lang == "id" else f"{lang}/"
            bare = [(path[len(prefix) :], template, context) for path, template, context in pages]
            progress("progress.build.render", done, total)
            if bare:
                for page, html in _render_pages(
                    reg, pub, lang, made.logo, bare, (progress, done, total)
                ):
                    files[prefix + page] = html
                    done += 1
            progress("progress.build.render", done, total)
        progress("progress.build.downloads")
        for path, maker in made.makers.items():
            if path in paths and not (other is not None and path in heavy):
                files[path] = maker()
        if other is not None:
            files |= dict(other.result())
    return files


def render(reg: Register, pub: PublicRegister, progress: Progress = silent) -> dict[str, bytes]:
    """Every file of the site, by its path under ``out``."""
    made = plan(reg, pub)
    return produce(reg, pub, made, set(made.digests), progress)


def _downloads(
    pub: PublicRegister,
    lang: str,
    shared: dict[str, Callable[[], bytes]],
    known: pieces.Pieces,
    keys: list[str],
) -> dict[str, Callable[[], bytes]]:
    """How to make each download: made only when its inputs changed. All but the feed are
    the same bytes in every language: made once (``shared``) however many ask."""
    base = pub.base_url.rstrip("/") + "/" if pub.base_url else ""
    if not shared:
        shared |= {
            name: functools.cache(maker)
            for name, maker in {
                "dip.csv": lambda: pieces.dip_csv(pub.items, keys, downloads.DIP_COLUMNS, known),
                "dip.json": lambda: pieces.dip_json(
                    downloads.dip_document(pub), keys, (), known, downloads.to_json
                ),
                "dip.schema.json": lambda: downloads.to_json(downloads.dip_schema()),
                "dip.xlsx": lambda: downloads.to_xlsx(
                    pub.items, downloads.DIP_COLUMNS, "DIP", pub.updated, grouped=True
                ),
                "dik.csv": lambda: downloads.to_csv(pub.dik, downloads.DIK_COLUMNS),
                "dik.json": lambda: downloads.to_json(downloads.dik_document(pub)),
                "dik.schema.json": lambda: downloads.to_json(downloads.dik_schema()),
                "dik.xlsx": lambda: downloads.to_xlsx(
                    pub.dik, downloads.DIK_COLUMNS, "DIK", pub.updated
                ),
                "static/search-index.js": lambda: downloads.search_index(pub),
            }.items()
        }
    # the feed in the page's language; its links lead to that language's pages
    own = base + ("" if lang == "id" else f"{lang}/")
    return {**shared, "feed.xml": lambda: downloads.feed(pub, own, lang)}


def _static(reg: Register) -> dict[str, bytes]:
    """The built-in static files, then the agency's own over them (never through a link)."""
    found: dict[str, bytes] = {}
    builtin = templates_dir() / "site" / "static"
    for path in sorted(builtin.rglob("*")):
        if path.is_file():
            found[path.relative_to(builtin).as_posix()] = path.read_bytes()
    own = theme_folder(reg, "static")
    if own is not None:
        found |= theme_static(reg, own, "")
    return found


@dataclass(frozen=True)
class Built:
    """What a build did: every file of the site, and whether it was incremental (then how
    many files it wrote and deleted; the others were left as they were)."""

    files: list[Path]
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
        if not uncommitted:
            committed.require_committed(reg)
        progress("progress.build.collect")
        pub = collect(reg)
        made = plan(reg, pub)
        head = manifest.header(reg.settings.agency_name)
        done = Built([shown / rel for rel in sorted(made.digests)])
        files: dict[str, bytes] = {}
        if not full and (target / MARKER).is_file():
            with manifest.locked(target):
                old = manifest.read(target, head)
                if old is not None:
                    stale = manifest.stale(target, old, made.digests)
                    if pieces.NAME in stale:  # the downloads made of them are stale too
                        vouched = old.get(pieces.NAME, (manifest.UNKNOWN, manifest.UNKNOWN))
                        made.parts.known = pieces.load(target, vouched[1])
                    files = produce(reg, pub, made, stale, progress)
                    try:
                        written, removed = manifest.update(target, head, old, made.digests, files)
                        return dataclasses.replace(
                            done, incremental=True, written=written, removed=removed
                        )
                    except OSError:  # such as a folder where a page goes: a full build
                        pass
        files |= produce(reg, pub, made, set(made.digests) - set(files), progress)
        bytes_made = {
            path: (made.digests[path], manifest.digest(data)) for path, data in files.items()
        }
        files[manifest.NAME] = manifest.encode(head, bytes_made)
        write_site(target, files, progress=progress, phase="progress.build.write")
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        raise OutputFailed(
            "output.failed", path=exc.filename or shown, detail=exc.strerror or str(exc)
        ) from exc
    return done
