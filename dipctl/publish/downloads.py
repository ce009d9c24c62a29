"""The files the site offers besides its pages: the DIP and the DIK as CSV, JSON and XLSX,
the JSON Schema of the JSON, an Atom feed, the sitemap and the search index.

Each function returns bytes (pure, deterministic): rebuilt from the same commit, every
file is byte-identical. Only public fields go in: the rows come from
:mod:`dipctl.publish.publicdata`, whose DIK rows hold the whitelist alone.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from typing import TYPE_CHECKING, Any

from dipctl.publish.dataschema import dik_schema, dip_schema
from dipctl.publish.dates import long_date
from dipctl.publish.workbook import cell_text, flat, to_xlsx

__all__ = [
    "DIK_COLUMNS",
    "DIP_COLUMNS",
    "dik_document",
    "dik_schema",
    "dip_document",
    "dip_schema",
    "feed",
    "search_index",
    "sitemap",
    "to_csv",
    "to_json",
    "to_xlsx",
]

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

    from dipctl.publish.publicdata import PublicRegister

DIP_COLUMNS = (
    ("nomor", "No."),
    ("kategori", "Kategori"),
    ("judul", "Judul"),
    ("ringkasan", "Ringkasan Isi Informasi"),
    ("unit_nama", "Pejabat/Unit yang Menguasai Informasi"),
    ("penanggung_jawab", "Penanggung Jawab Pembuatan/Penerbitan"),
    ("waktu_pembuatan", "Waktu Pembuatan"),
    ("tempat_pembuatan", "Tempat Pembuatan"),
    ("bentuk", "Bentuk Informasi yang Tersedia"),
    ("retensi", "Jangka Waktu Penyimpanan"),
    ("keputusan_nomor", "Nomor Keputusan"),
    ("keputusan_tanggal", "Tanggal Keputusan"),
)
DIK_COLUMNS = (
    ("nomor", "No."),
    ("judul", "Informasi yang Dikecualikan"),
    ("unit_nama", "Pejabat/Unit yang Menguasai Informasi"),
    ("pasal", "Pasal Pengecualian (UU 14/2008)"),
    ("dasar_hukum", "Dasar Hukum Pengecualian"),
    ("alasan", "Alasan Pengecualian"),
    ("bagian", "Bagian yang Dikecualikan"),
    ("jangka_waktu", "Jangka Waktu"),
    ("berakhir", "Berakhir"),
    ("keputusan_nomor", "Nomor Keputusan"),
    ("keputusan_tanggal", "Tanggal Keputusan"),
)
#: Characters XML 1.0 (and so XLSX and Atom) cannot hold at all. ``validate`` refuses them
#: in register text; a file that slipped past it still builds, without them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


@functools.cache
def _sax() -> ModuleType:
    """``xml.sax.saxutils``, imported when a feed or sitemap is made: it brings
    ``urllib.request`` and ``http.client``, which a build with none stale never needs."""
    from xml.sax import saxutils

    return saxutils


def escape(value: Any) -> str:
    """Text for an XML element: escaped, without the characters XML cannot hold."""
    return _sax().escape(_xml_text(value))  # type: ignore[no-any-return]


def _attr(value: Any) -> str:
    """A quoted XML attribute value (quotes inside are escaped, not ended)."""
    return _sax().quoteattr(_xml_text(value))  # type: ignore[no-any-return]


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Indonesian text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([title for _, title in columns])
    for row in flat(rows):
        writer.writerow([cell_text(row.get(key, "")) for key, _ in columns])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def to_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


#: What the site's pages use but the JSON does not carry: the trail (steps and roles, shown on
#: the item page) and the checked link (``dokumen_tautan`` is the link as written).
_NOT_IN_JSON = ("trail", "dokumen_url")


def dip_document(pub: PublicRegister) -> dict[str, Any]:
    return {
        "badan_publik": pub.agency,
        "pemutakhiran": pub.updated,
        "keputusan_berlaku": in_force(pub, "penetapan-dik", negate=True),
        "informasi": [{k: v for k, v in row.items() if k not in _NOT_IN_JSON} for row in pub.items],
    }


def dik_document(pub: PublicRegister) -> dict[str, Any]:
    return {
        "badan_publik": pub.agency,
        "pemutakhiran": pub.updated,
        "keputusan_berlaku": in_force(pub, "penetapan-dik"),
        "dikecualikan": pub.dik,
    }


def in_force(pub: PublicRegister, kind: str, negate: bool = False) -> dict[str, str] | None:
    """The decree in force of the DIP (``negate``: not of ``kind``) or of the DIK."""
    for decree in pub.decrees:
        if decree.get("berlaku") and (decree["jenis"] == kind) != negate:
            return {k: decree[k] for k in ("id", "nomor", "tanggal", "url")}
    return None


def search_index(pub: PublicRegister) -> bytes:
    """``window.DIP_INDEX`` for the filter script: a script, since file:// forbids fetch."""
    entries = [
        {k: row[k] for k in ("id", "judul", "ringkasan", "kategori", "unit", "tahun", "url")}
        for row in pub.items
    ]
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    return ("window.DIP_INDEX = " + text.replace("</", "<\\/") + ";\n").encode()


#: The feed's entry titles, by what a decree did to an item (the site's two languages).
FEED_TITLES = {
    "id": {
        "new": "Ditetapkan: {}",
        "again": "Dimutakhirkan: {}",
        "dik": "Dikecualikan: {}",
        "removed": "Dicabut: {}",
        "decree": "Keputusan {}",
    },
    "en": {
        "new": "Established: {}",
        "again": "Updated: {}",
        "dik": "Exempted: {}",
        "removed": "Withdrawn: {}",
        "decree": "Decree {}",
    },
}
FEED_LIMIT = 200  # the newest entries; the decree pages keep the whole history


def _changes(decree: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(kind, title, link) of each item the decree establishes, exempts or withdraws; the
    decree itself when it names none."""
    found = []
    for n, row in enumerate(decree.get("established") or [], 1):
        if row.get("dik"):
            found.append(("dik", row["judul"], f"{decree['url']}#dik-{n}"))
        else:
            kind = "again" if row.get("again") else "new"
            found.append((kind, row["judul"], row["url"]))
    found += [("removed", w["judul"], f"{decree['url']}#{w['id']}") for w in decree["withdrawn"]]
    return found or [("decree", str(decree["nomor"] or decree["id"]), decree["url"])]


def feed(pub: PublicRegister, base: str, lang: str = "id") -> bytes:
    """An Atom feed of what the decrees changed: one entry per item established
    ("Ditetapkan: <judul>"), updated ("Dimutakhirkan: …"), exempted or withdrawn
    ("Dicabut: …"), newest first, each linking to the item's page (or the decree's)."""
    titles = FEED_TITLES.get(lang, FEED_TITLES["id"])
    updated = f"{escape(_atom_day(pub.updated))}T00:00:00Z"
    # Atom ids must be absolute: the site's URL when known, else a tag URI of the agency
    slug = re.sub(r"[^a-z0-9]+", "-", pub.agency.lower())
    base = base or f"tag:dipctl,2026:{slug}/" + ("" if lang == "id" else f"{lang}/")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_attr(lang)[1:-1]}">',
        f"<title>{escape(pub.title)}</title>",
        f"<id>{escape(base)}</id>",
        f"<updated>{updated}</updated>",
        f"<author><name>{escape(pub.agency)}</name></author>",
    ]
    entries = [(d, change) for d in pub.decrees for change in _changes(d)][:FEED_LIMIT]
    for decree, (kind, name, link) in entries:
        entry_id = f"{decree['url']}#{kind}-{name}" if kind != "decree" else decree["url"]
        lines += [
            "<entry>",
            f"<title>{escape(titles[kind].format(name))}</title>",
            f"<id>{escape(base)}{escape(_tag(entry_id))}</id>",
            f"<link href={_attr(base + link)}/>",
            f"<updated>{escape(_atom_day(decree['tanggal']))}T00:00:00Z</updated>",
            f"<summary>{escape(_dated(decree, lang))}: {escape(decree['tentang'] or '')}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode()


def _tag(text: str) -> str:
    """An entry id's tail: the decree page and what changed, as URI-safe characters."""
    return re.sub(r"[^A-Za-z0-9._~/#-]+", "-", text)


def _dated(decree: dict[str, Any], lang: str = "id") -> str:
    """The decree as people name it in the feed: its number and long date (the ISO date is
    in the entry's ``<updated>``)."""
    shown = long_date(str(decree.get("tanggal") or ""), lang=lang)
    return f"{decree['nomor']}, {shown}" if shown else str(decree["nomor"])


def _atom_day(text: str) -> str:
    """An ISO day for Atom's dates; a malformed one (refused by validate) as 1970-01-01."""
    return (
        text[:10] if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text[:10] or "") else "1970-01-01"
    )


def sitemap(base: str, pages: Sequence[str]) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"<url><loc>{escape(base + page)}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
