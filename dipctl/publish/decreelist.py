"""The decrees as the site lists them: each with its lampiran as issued, whether it is in
force, which decree revoked or amended it, what it newly established (the feed) and its
signed scan, if one is beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dipctl.register import records
    from dipctl.register.config import Register


def shown(
    decrees: dict[str, records.Decree],
    lampiran: dict[str, dict[str, Any]],
    settings: records.Settings,
    scans: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Every decree with its lampiran as issued (``lampiran``, made by
    :func:`dipctl.publish.publicdata.collect`): for a DIP decree its public items, for a
    Penetapan DIK its DIK rows (the id itself is not published), for a withdrawal the titles
    of the items it removed; and whether it is in force, or which decree revoked or amended
    it."""
    from dipctl.sop import decree as decree_doc

    replaced = decree_doc.replaced_by(decrees)
    current = {
        d.id for d in (decree_doc.in_force(decrees), decree_doc.in_force(decrees, True)) if d
    }
    found = []
    for decree in sorted(decrees.values(), key=lambda d: (d.date, d.id), reverse=True):
        rows = lampiran.get(decree.id) or {"items": {}, "dik": {}, "withdrawn": []}
        later = replaced.get(decree.id)
        earlier = decrees.get(decree.follows)
        chain = [d for d in (decrees.get(i) for i in decree.replaces) if d is not None]
        found.append(
            {
                "id": decree.id,
                "jenis": decree.kind,
                "nomor": decree.number,
                "tanggal": decree.date,
                "tentang": decree.subject,
                "alasan": decree.reason,
                "penandatangan": _position(settings, decree.signer),
                "url": f"keputusan/{decree.id}.html",
                "berlaku": decree.id in current,
                "dicabut_oleh": replacement(
                    later, "dicabut" if later and decree.id in later.revokes else "diubah"
                ),
                # the base decree, then the amendments of it that go with it
                "mencabut": replacement(
                    chain[0] if chain else None, "mengubah" if decree.amends else "mencabut"
                ),
                "diubah_dengan": [decree_ref(d) for d in chain[1:]],
                "items": _by_title(rows["items"].values()),
                "dik": _by_title(rows["dik"].values()),
                "withdrawn": rows["withdrawn"],
                "established": _newly(decree, earlier, rows),
                "scan": f"keputusan/{decree.id}.pdf" if decree.id in scans else "",
            }
        )
    return found


def _newly(
    decree: records.Decree, earlier: records.Decree | None, rows: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """What the decree newly establishes, as the feed names it: public rows as issued
    (``again`` when the decree it replaces listed them too: a pemutakhiran; an item without
    a page now links to its row in the decree), or DIK rows (no id: the DIK publishes none)."""
    new = set(decree.establishes)
    before = set(earlier.items if earlier else ())
    if decree.dik:
        mine = _by_title(r for i, r in rows["dik"].items() if i in new)
        return [{"judul": r["judul"], "dik": True} for r in mine]
    anchor = f"keputusan/{decree.id}.html#"
    found = {i: (r["judul"], r["url"] or anchor + i) for i, r in rows["items"].items() if i in new}
    return [
        {"id": i, "judul": judul, "url": url, "again": i in before}
        for i, (judul, url) in sorted(found.items(), key=lambda r: (r[1][0].casefold(), r[0]))
    ]


def _by_title(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["judul"].casefold(), r.get("id", "")))


def decree_ref(decree: records.Decree | None) -> dict[str, str] | None:
    if decree is None:
        return None
    return {
        "id": decree.id,
        "nomor": decree.number,
        "tanggal": decree.date,
        "url": f"keputusan/{decree.id}.html",
    }


def replacement(decree: records.Decree | None, verb: str) -> dict[str, str] | None:
    if decree is None:
        return None
    return {**(decree_ref(decree) or {}), "verb": verb}


def _position(settings: records.Settings, email: str) -> str:
    """The signer's position (jabatan), as the decree names it; never an email."""
    person = settings.person(email) if email else None
    return person.position if person else ""


def scans(reg: Register, decrees: dict[str, records.Decree]) -> frozenset[str]:
    """The decrees whose signed scan (``keputusan/<id>.pdf``, a regular file) is beside them."""
    found = set()
    for decree_id in decrees:
        path = reg.decrees_dir / f"{decree_id}.pdf"
        if path.is_file() and not path.is_symlink():
            found.add(decree_id)
    return frozenset(found)
