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

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import DipctlError, OutputFailed
from dipctl.feedback import silent
from dipctl.publish import citizen, downloads
from dipctl.publish.output import target_folder, write_site
from dipctl.publish.publicdata import DIK_FIELDS, PUBLIC_CATEGORIES, PublicRegister, collect
from dipctl.publish.theme import ThemeRefused, environment, theme_error, theme_folder, theme_static
from dipctl.register import committed
from dipctl.register.config import templates_dir

if TYPE_CHECKING:
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
        theme = theme_error(reg, exc)
        if theme is None:
            raise
        raise theme from exc


def _render_pages(
    reg: Register,
    pub: PublicRegister,
    lang: str,
    logo: bool,
    counted: tuple[Progress, int, int] | None = None,
) -> list[tuple[str, bytes]]:
    """Every page in one language; with two cores, half of them in a forked worker (whose
    pages are counted when it hands them over)."""
    global _JOB
    pages = _pages(pub)
    _JOB = (reg, pub, logo, pages)
    workers = min(2, os.cpu_count() or 1)
    if len(pages) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _render_slice(lang, 0, len(pages), counted)
    half = len(pages) // 2
    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
        other = pool.submit(_render_slice, lang, half, len(pages))
        mine = _render_slice(lang, 0, half, counted)
        return mine + other.result()


def render(reg: Register, pub: PublicRegister, progress: Progress = silent) -> dict[str, bytes]:
    """Every file of the site, by its path under ``out``."""
    files: dict[str, bytes] = {}
    static = _static(reg)
    logo = "logo.svg" in static  # what base.html shows
    total, done = len(_pages(pub)) * len(pub.languages), 0
    for lang in pub.languages:
        prefix = "" if lang == "id" else f"{lang}/"
        progress("progress.build.render", done, total)
        for page, html in _render_pages(reg, pub, lang, logo, (progress, done, total)):
            files[prefix + page] = html
            done += 1
        progress("progress.build.render", done, total)
        progress("progress.build.downloads")
        files |= {prefix + name: data for name, data in _downloads(pub, lang).items()}
        files |= {f"{prefix}static/{name}": data for name, data in static.items()}
        for decree in pub.decrees:  # the signed scans, beside their decree pages
            if decree["scan"]:
                files[prefix + decree["scan"]] = (reg.root / decree["scan"]).read_bytes()
    if pub.base_url:
        base = pub.base_url.rstrip("/") + "/"
        pages = [p for p, data in sorted(files.items()) if p.endswith(".html")]
        files["sitemap.xml"] = downloads.sitemap(base, pages)
    return files


def _downloads(pub: PublicRegister, lang: str) -> dict[str, bytes]:
    base = pub.base_url.rstrip("/") + "/" if pub.base_url else ""
    return {
        "dip.csv": downloads.to_csv(pub.items, downloads.DIP_COLUMNS),
        "dip.json": downloads.to_json(downloads.dip_document(pub)),
        "dip.schema.json": downloads.to_json(downloads.dip_schema()),
        "dip.xlsx": downloads.to_xlsx(
            pub.items, downloads.DIP_COLUMNS, "DIP", pub.updated, grouped=True
        ),
        "dik.csv": downloads.to_csv(pub.dik, downloads.DIK_COLUMNS),
        "dik.json": downloads.to_json(downloads.dik_document(pub)),
        "dik.schema.json": downloads.to_json(downloads.dik_schema()),
        "dik.xlsx": downloads.to_xlsx(pub.dik, downloads.DIK_COLUMNS, "DIK", pub.updated),
        # the feed in the page's language; its links lead to that language's pages
        "feed.xml": downloads.feed(pub, base + ("" if lang == "id" else f"{lang}/"), lang),
        "static/search-index.js": downloads.search_index(pub),
    }


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


def build(
    reg: Register, out: Path, uncommitted: bool = False, progress: Progress = silent
) -> list[Path]:
    """Render the site and swap it in at ``out`` whole; returns the files.

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
        files = render(reg, collect(reg), progress)
        write_site(target, files, progress=progress, phase="progress.build.write")
    except RuntimeError as exc:  # a loop of links, before Python 3.13
        raise OutputFailed("output.failed", path=shown, detail=str(exc)) from exc
    except OSError as exc:
        raise OutputFailed(
            "output.failed", path=exc.filename or shown, detail=exc.strerror or str(exc)
        ) from exc
    return [shown / rel for rel in sorted(files)]
