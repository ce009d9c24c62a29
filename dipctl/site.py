"""``dipctl build``: the published register as static HTML (SPEC.md section 6).

A linear pipeline: collect a plain, sorted context (pure) -> render pages to strings ->
write them. Only established items are published; exempt items appear on the DIK table
with the whitelisted fields only. The full site (item pages, downloads, feed) is built on
this pipeline.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dipctl import model, store
from dipctl.actions import load_decrees
from dipctl.config import Register, templates_dir
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.model import Item

#: The fields of an exempt item that may be published (the DIK whitelist).
DIK_FIELDS = ("id", "judul", "unit", "dasar_hukum", "jangka_waktu", "berakhir", "keputusan")
PUBLIC_CATEGORIES = ("berkala", "serta-merta", "setiap-saat")


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict[str, Any]


def _row(item: Item, number: int, units: dict[str, str]) -> dict[str, Any]:
    return {
        "nomor": number,
        "id": item.id,
        "judul": item.title,
        "ringkasan": item.summary,
        "unit": units.get(item.unit, item.unit),
        "penanggung_jawab": item.responsible,
        "waktu_pembuatan": item.made,
        "tempat_pembuatan": item.place,
        "bentuk": list(item.forms),
        "retensi": item.retention,
    }


def _dik_row(item: Item, units: dict[str, str], decree_number: str) -> dict[str, Any]:
    exemption = item.exemption
    row = {
        "id": item.id,
        "judul": item.title,
        "unit": units.get(item.unit, item.unit),
        "dasar_hukum": exemption.legal_basis if exemption else "",
        "jangka_waktu": exemption.period if exemption else "",
        "berakhir": exemption.ends if exemption else "",
        "keputusan": decree_number,
    }
    assert tuple(row) == DIK_FIELDS
    return row


def collect(reg: Register, items: list[Item]) -> dict[str, Any]:
    """The whole site's data: plain values, sorted, established items only."""
    settings = reg.settings
    decrees = load_decrees(reg)
    established = sorted((i for i in items if i.established), key=lambda i: (i.title, i.id))
    groups = []
    for category in PUBLIC_CATEGORIES:
        members = [i for i in established if i.category == category]
        groups.append(
            {
                "kategori": category,
                "rows": [_row(i, n, settings.units) for n, i in enumerate(members, 1)],
            }
        )
    dik = [
        _dik_row(i, settings.units, decrees[i.decree].number if i.decree in decrees else "")
        for i in established
        if i.category == model.EXEMPT
    ]
    dates = sorted(d.date for d in decrees.values() if d.kind == "penetapan" and d.date)
    return {
        "agency": settings.agency_name,
        "title": settings.site_title,
        "groups": groups,
        "dik": dik,
        "updated": dates[-1] if dates else "",
        "count": sum(len(g["rows"]) for g in groups),
    }


def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "site"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    # `_('site.intro', count=3)`: the catalogs' own str.format fields; output is escaped.
    env.globals["_"] = Translator(lang)
    return env


def pages(context: dict[str, Any]) -> list[Page]:
    return [Page("index.html", "index.html", context)]


def build(reg: Register, items: list[Item], out: Path, lang: str = "id") -> list[Path]:
    """Render the site into ``out`` (emptied first, dotfiles kept); returns the files."""
    context = collect(reg, items)
    env = environment(lang)
    rendered = [
        (p.path, env.get_template(p.template).render(lang=lang, **p.context))
        for p in pages(context)
    ]
    _clean(out)
    written = []
    for rel, text in rendered:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        store.write_atomic(target, text)
        written.append(target)
    static = templates_dir() / "site" / "static"
    if static.is_dir():
        for source in sorted(static.rglob("*")):
            if source.is_file():
                target = out / "static" / source.relative_to(static)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                written.append(target)
    return written


def _clean(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for child in out.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
