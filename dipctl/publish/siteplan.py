"""What each page of the site shows and what each file is made from: the pages' contexts
(:func:`pages`, :func:`site_context`), the digests of their data (:func:`page_inputs`), the
downloads (:func:`downloads_of`) and the static files (:func:`static_files`), for
:mod:`dipctl.publish.site`. Pure: nothing here renders or writes.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from dipctl.publish import citizen, downloads, manifest, pieces
from dipctl.publish.publicdata import PUBLIC_CATEGORIES, PublicRegister
from dipctl.publish.themefiles import theme_folder, theme_static
from dipctl.register.config import templates_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.register.config import Register


def folder_of(lang: str) -> str:
    """Where a language's pages stand under the site's folder: ``""`` for Indonesian, else
    ``"en/"`` and so on."""
    return "" if lang == "id" else f"{lang}/"


def site_context(pub: PublicRegister, lang: str, page: str, logo: bool) -> dict[str, Any]:
    depth = page.count("/")
    root = "../" * depth
    base = pub.base_url.rstrip("/") + "/" if pub.base_url else ""
    others, alternates = [], []
    for other in pub.languages:
        hop = "../" if lang != "id" else ""
        prefix = folder_of(other)
        relative = f"{root}{hop}{prefix}{page}"
        # absolute hreflang alternates (every language, this one too) when base_url is known
        alternates.append({"lang": other, "url": base + prefix + page if base else relative})
        if other != lang:
            others.append({"lang": other, "url": relative})
    own = folder_of(lang)
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


def site_inputs(pub: PublicRegister, lang: str, logo: bool) -> str:
    """The digest of all that :func:`site_context` reads but the page's path (keep them in step)."""
    counts = (len(pub.items), len(pub.dik), len(pub.decrees))
    named = (pub.agency, pub.title, pub.languages, pub.base_url, pub.updated, pub.cycle)
    return manifest.data_digest([*named, pub.contact, counts, lang, logo])


class Later:
    """A page's context value made when the page is rendered, once per process: most of the
    19,000 pages an incremental build plans are not rendered, and grouping a lampiran of
    10,000 rows costs (:func:`resolved`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = functools.cache(make)


def resolved(context: dict[str, Any]) -> dict[str, Any]:
    """The context a template is given: each :class:`Later` value made."""
    return {k: v.make() if isinstance(v, Later) else v for k, v in context.items()}


def pages(pub: PublicRegister) -> list[tuple[str, str, dict[str, Any]]]:
    """(path under the language root, template, context) of every page; the rows grouped
    for the index and each decree's page when it is rendered (:class:`Later`)."""
    pages: list[tuple[str, str, dict[str, Any]]] = [
        (
            "index.html",
            "index.html",
            {
                "groups": Later(
                    functools.partial(citizen.grouped, pub.items, PUBLIC_CATEGORIES, True)
                ),
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
        shown = Later(functools.partial(_with_groups, decree))
        pages.append((decree["url"], "decree.html", {"decree": shown}))
    return pages


def _with_groups(decree: dict[str, Any]) -> dict[str, Any]:
    """A decree's page's data: the decree with its lampiran grouped by kategori."""
    return dict(decree, groups=citizen.grouped(decree["items"], PUBLIC_CATEGORIES, False))


def _in_force(pub: PublicRegister) -> dict[str, dict[str, Any] | None]:
    """The SK DIP and the Penetapan DIK in force, as the index names them (issue 19.6)."""
    found = [d for d in pub.decrees if d["berlaku"]]
    return {
        "dip": next((d for d in found if d["jenis"] != "penetapan-dik"), None),
        "dik": next((d for d in found if d["jenis"] == "penetapan-dik"), None),
    }


def decree_inputs(
    pub: PublicRegister, digest_of: Callable[[dict[str, Any]], str] = manifest.data_digest
) -> dict[str, str]:
    """The digest of each decree's data by its id, its lampiran as its rows' digests (each
    version's row once however many decrees list it; ``digest_of``: a row's digest)."""
    issued: dict[int, str] = {}

    def inputs(decree: dict[str, Any]) -> str:
        listed = [
            issued.get(id(r)) or issued.setdefault(id(r), digest_of(r)) for r in decree["items"]
        ]
        rest = manifest.data_digest({k: v for k, v in decree.items() if k != "items"})
        return manifest.digest(rest, manifest.joined(listed))

    return {d["id"]: inputs(d) for d in pub.decrees}


def page_inputs(
    pub: PublicRegister,
    pages: list[tuple[str, str, dict[str, Any]]],
    rows: dict[int, str],
    decrees: dict[str, str],
) -> list[str]:
    """The digest of each page's data. What :func:`pages` derives by code (the index's and
    a decree's groups, from their rows) is digested as the rows it comes from, each row
    and each decree (``decrees``, :func:`decree_inputs`) once however many pages show it."""
    found = []
    by_page = {d["url"]: d["id"] for d in pub.decrees}
    for page, template, context in pages:
        if template == "item.html" and id(context["item"]) in rows:
            found.append(rows[id(context["item"])])
        elif template == "index.html":
            shown = ("groups", "in_force")
            rest = manifest.data_digest({k: v for k, v in context.items() if k not in shown})
            force = [decrees[d["id"]] if d else "-" for d in context["in_force"].values()]
            listed = manifest.joined([rows[id(r)] for r in pub.items])
            found.append(manifest.digest("index", rest, *force, listed))
        elif template == "decree.html":
            found.append(manifest.digest("decree", decrees[by_page[page]]))
        elif template == "decrees.html":
            found.append(manifest.digest("decrees", *(decrees[d["id"]] for d in pub.decrees)))
        else:
            found.append(manifest.data_digest(context))
    return found


def given(content: bytes) -> Callable[[], bytes]:
    return lambda: content


def downloads_of(
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
    own = base + folder_of(lang)
    return {**shared, "feed.xml": lambda: downloads.feed(pub, own, lang)}


def static_files(reg: Register) -> dict[str, bytes]:
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
