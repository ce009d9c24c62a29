"""What the public may see (SPEC.md section 6), as plain sorted data for the site builder.

Only established information: items ``ditetapkan``/``diunggah``, and for an item under
revision its last established version, read from git history. Exempt items reach the DIK
only through :data:`DIK_FIELDS`. Drafts, in-flight and withdrawn items never appear. The
public trail of an item names steps, roles and times, never people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.publish import (
    citizen,
    decreeadds,
    decreelist,
    issued,
    lampiranmemo,
    rowmemo,
    sopdata,
)
from dipctl.register import digest, model, queries, records, store
from dipctl.register.queries import load_decrees, load_items
from dipctl.register.records import Item

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from dipctl.proof.sla import StepTime
    from dipctl.register.config import Register

#: The fields of an exempt item that may be published (the DIK whitelist).
#: The public elements of the Penetapan DIK (SPEC.md section 6): never the consequences,
#: the public-interest weighing, the participants or the date of the test.
DIK_FIELDS = (
    "judul",
    "unit_nama",
    "pasal",
    "dasar_hukum",
    "alasan",
    "bagian",
    "jangka_waktu",
    "berakhir",
    "keputusan",
    "hash",  # digest.content_hash of the fields above: derived from them alone
)
PUBLIC_CATEGORIES = ("berkala", "serta-merta", "setiap-saat")


@dataclass
class PublicRegister:
    agency: str
    title: str
    languages: tuple[str, ...]
    base_url: str
    updated: str
    items: list[dict[str, Any]] = field(default_factory=list)  # the DIP, sorted
    dik: list[dict[str, Any]] = field(default_factory=list)
    decrees: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, str]] = field(default_factory=list)
    sop: dict[str, Any] = field(default_factory=dict)
    #: the DIP's pemutakhiran on the build's day (:func:`dipctl.sop.cycle.dip_cycle`):
    #: ``last``, ``deadline`` (ISO dates, "" before the first decree) and ``overdue``
    cycle: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)  # the PPID's, from badan_publik


def _year(made: str) -> str:
    return made[:4] if made[:4].isdigit() else ""


def public_row(
    item: Item,
    units: dict[str, str],
    decree: records.Decree | None,
    trail: list[dict[str, str]],
    hashed: Callable[[Item, Mapping[str, str]], str] = digest.content_hash,
) -> dict[str, Any]:
    """One DIP row: the seven Perki columns and what an item page shows."""
    return {
        "id": item.id,
        "judul": item.title,
        "ringkasan": item.summary,
        "unit": item.unit,
        "unit_nama": units.get(item.unit, item.unit),
        "penanggung_jawab": item.responsible,
        "waktu_pembuatan": item.made,
        "tempat_pembuatan": item.place,
        "bentuk": list(item.forms),
        "retensi": item.retention,
        "kategori": item.category,
        "subkategori": item.subcategory if item.category == "berkala" else "",
        "tahun": _year(item.made),
        "url": f"informasi/{item.id}.html",
        "dokumen_tautan": item.document_link,
        "dokumen_url": citizen.safe_link(item.document_link),  # what the site links to
        "dokumen_arsip": item.document_archive,
        "revisi": item.revision,
        "keputusan": decreelist.decree_ref(decree),
        "trail": trail,
        digest.HASH_KEY: hashed(item, units),
    }


def dik_row(
    item: Item,
    units: dict[str, str],
    decree: records.Decree | None,
    hashed: Callable[[Item, Mapping[str, str]], str] = digest.content_hash,
) -> dict[str, Any]:
    test = item.exemption or records.Exemption.from_mapping({})
    row = {
        "judul": item.title,
        "unit_nama": units.get(item.unit, item.unit),
        "pasal": test.article,
        "dasar_hukum": test.legal_basis,
        "alasan": test.reason,
        "bagian": test.withheld,
        "jangka_waktu": test.period,
        "berakhir": test.ends,
        "keputusan": decreelist.decree_ref(decree),
        digest.HASH_KEY: hashed(item, units),
    }
    assert tuple(row) == DIK_FIELDS  # the whitelist, checked where it is applied
    return row


def _established_versions(
    reg: Register, items: list[Item], steps: dict[str, list[StepTime]], listed: set[str]
) -> list[Item]:
    """Each item as the public knows it: itself when established, else its last
    established version from git while a list in force (``listed``) still holds it (none
    for drafts never established, withdrawn items, and exemptions lifted since)."""
    public, wanted = [], []
    for item in items:
        if item.established:
            public.append(item)
        elif item.id in listed and item.status != model.Status.WITHDRAWN.value:
            last = [s for s in steps.get(item.id, []) if s.target in model.ESTABLISHED]
            if last:
                wanted.append((item, last[-1].commit))
    if wanted and reg.git_dir is not None:
        current = {item.id: item for item, _ in wanted}
        read = issued.read_versions(reg, {(c, i.id) for i, c in wanted}, current, True)
        public += [read[(c, i.id)] for i, c in wanted if (c, i.id) in read]
    return sorted(public, key=lambda i: (i.title.casefold(), i.id))


def _refuse_broken_public(reg: Register) -> None:
    """A file left out because it cannot be read stops the build when the site would
    silently lose a row by it: a decree, or an item established now or at HEAD (or whose
    status cannot be told). A broken draft never established is only warned about."""
    repo = None
    if reg.git_dir is not None:
        from dipctl.gitrepo import Repository

        repo = Repository(reg.root)
    for name, exc in reg.broken.items():
        path = Path(name)
        if path.is_relative_to(reg.items_dir) and not _maybe_public(reg, repo, path):
            continue
        exc.hint_key = "hint.broken_public"
        raise exc


def _maybe_public(reg: Register, repo: Any, path: Path) -> bool:
    stated = queries.stated_status(path)
    if stated in model.ESTABLISHED:
        return True
    if repo is None:
        return stated is None
    rel = reg.relative(path)
    raw = repo.read_at("HEAD", [rel]).get(rel)
    if raw is None:  # never committed, so never established
        return False
    try:
        data = store.parse(raw.decode("utf-8"), path)
    except (InvalidFile, UnicodeDecodeError):
        return True
    if not isinstance(data, dict):
        return True
    committed = Item.from_mapping(data, path)
    return committed.established or (
        committed.revision > 0 and committed.status != model.Status.WITHDRAWN.value
    )


def collect(reg: Register, memo: rowmemo.Rows | None = None) -> PublicRegister:
    """Everything the site publishes, from the work tree and (for trails, revisions and
    the mutu baku figures) the git history; the rows whose inputs are the last build's from
    ``memo`` (:mod:`dipctl.publish.rowmemo`)."""
    from dipctl.proof import sla

    settings = reg.settings
    memo = memo or rowmemo.Rows(None, None)
    order = issued.start_order(reg)  # read beside the history walk
    hashed = digest.ContentHashes()  # a version in the DIP and in its decrees: hashed once
    steps, figures = sla.by_item(reg) if reg.git_dir is not None else ({}, None)
    decrees = load_decrees(reg)
    meetings = citizen.load_meetings(reg)
    every = load_items(reg)
    _refuse_broken_public(reg)
    from dipctl.register import chain

    listed = chain.listed(decrees, False) | chain.listed(decrees, True)
    public = _established_versions(reg, every, steps, listed)
    units = settings.units
    days = citizen.RecordDays(meetings, decrees)

    def row(i: Item) -> dict[str, Any]:
        own = steps.get(i.id, [])
        return memo.row(
            "dip",
            i.id,
            (
                rowmemo.item_values(i),
                decreelist.decree_ref(decrees.get(i.decree)),
                citizen.trail_inputs(i, own, meetings, decrees, days),
            ),
            lambda: public_row(
                i,
                units,
                decrees.get(i.decree),
                citizen.trail(i, own, meetings, decrees, days),
                hashed,
            ),
        )

    items = [row(i) for i in public if i.category in PUBLIC_CATEGORIES]
    exempt = {
        i.id: dik_row(i, units, decrees.get(i.decree), hashed)
        for i in public
        if i.category == model.EXEMPT
    }
    dik = list(exempt.values())
    dates = sorted(d.date for d in decrees.values() if d.date)
    lampiran = _lampiran(reg, decrees, every, steps, items, hashed, memo, order)
    memo.release()
    return PublicRegister(
        agency=settings.agency_name,
        title=settings.site_title,
        languages=tuple(lang for lang in settings.languages if lang in ("id", "en")) or ("id",),
        base_url=settings.base_url,
        updated=dates[-1] if dates else "",
        items=items,
        dik=dik,
        decrees=decreelist.shown(decrees, lampiran, settings, decreelist.scans(reg, decrees)),
        units=[{"key": k, "nama": v} for k, v in sorted(units.items(), key=lambda u: u[1])],
        sop=sopdata.figures(figures, items, len(dik), units, PUBLIC_CATEGORIES),
        cycle=_cycle(reg, decrees),
        contact=citizen.contact(settings),
    )


def _cycle(reg: Register, decrees: dict[str, records.Decree]) -> dict[str, Any]:
    """The index page's "DIP dimutakhirkan …; pemutakhiran berikutnya paling lambat …", on
    :func:`~dipctl.sop.cycle.reference_day` (``SOURCE_DATE_EPOCH`` when set, else today)."""
    from dipctl.sop import cycle

    found = cycle.dip_cycle(reg, reg.settings, decrees, cycle.reference_day())
    return {"last": found.last, "deadline": found.deadline, "overdue": found.overdue}


def _lampiran(
    reg: Register,
    decrees: dict[str, records.Decree],
    every: list[Item],
    steps: dict[str, list[StepTime]],
    shown: list[dict[str, Any]],
    hashed: digest.ContentHashes,
    memo: rowmemo.Rows,
    order: Callable[[], dict[str, int]],
) -> dict[str, dict[str, Any]]:
    """Each decree's lampiran as issued (:mod:`dipctl.publish.issued`), by item id: its DIP
    rows (``items``), DIK rows (``dik``, the whitelist, with the decree's own ``rincian``)
    and the titles of the items it removed (``withdrawn``). A row links to its item's page
    when the item has one now, and an item withdrawn since says by which decree. A decree
    whose rows are made of what the last build's were is the last build's
    (:mod:`dipctl.publish.lampiranmemo`)."""
    units, pages = reg.settings.units, {r["id"] for r in shown}
    now = {i.id: i for i in every}
    added = decreeadds.added(reg) if reg.git_dir is not None and decrees else {}
    details = issued.details(reg, decrees.values())  # a DIK's rincian
    keys = lampiranmemo.inputs(decrees, now, pages, order, added, details)
    found: dict[str, dict[str, Any]] = {}
    for decree_id, key in keys.items():
        block = memo.block(lampiranmemo.BLOCK, decree_id, key, lampiranmemo.ISSUED)
        if block is not None:
            found[decree_id] = block
    missing = {k: d for k, d in decrees.items() if k not in found}
    fell: set[str] = set()  # decrees with an item not read from a commit: never kept whole
    every_version = (
        issued.versions(reg, missing, every, steps, order, fell, added) if missing else {}
    )
    made: dict[int, dict[str, Any]] = {}  # one row per version, however many decrees list it
    for decree in missing.values():
        versions = every_version.get(decree.id, {})
        rows: dict[str, Any] = {"items": {}, "dik": {}, "withdrawn": []}
        for i in issued.listed(decree):
            item = versions.get(i)
            if item is None or (item.category == model.EXEMPT) != decree.dik:
                continue
            if decree.dik:
                row = dik_row(item, units, decrees.get(item.decree), hashed)
                row |= details[decree.id].get(i, {})
                rows["dik"][i] = {k: v for k, v in row.items() if k != digest.HASH_KEY}
            elif item.category in PUBLIC_CATEGORIES:
                if id(item) not in made:
                    made[id(item)] = _issued_row(
                        item, units, decrees, now.get(i), i in pages, hashed, memo
                    )
                rows["items"][i] = made[id(item)]
        rows["withdrawn"] = [  # a DIK decree names no id, not even of what it removed
            {"id": "" if decree.dik else i, "judul": versions[i].title if i in versions else i}
            for i in decree.removes
            if i in versions or not decree.dik
        ]
        found[decree.id] = rows
        if decree.id in keys and decree.id not in fell:
            memo.keep_block(lampiranmemo.BLOCK, decree.id, keys[decree.id], rows)
    return {d: found[d] for d in decrees}


def _issued_row(
    item: Item,
    units: dict[str, str],
    decrees: dict[str, records.Decree],
    now: Item | None,
    page: bool,
    hashed: digest.ContentHashes,
    memo: rowmemo.Rows,
) -> dict[str, Any]:
    later = lampiranmemo.later(now, decrees)
    decree = decrees.get(item.decree)

    def make() -> dict[str, Any]:
        row = public_row(item, units, decree, [], hashed)
        return dict(row, url=row["url"] if page else "", kemudian=later)

    inputs = (rowmemo.item_values(item), decreelist.decree_ref(decree), page, later)
    return memo.row(lampiranmemo.ISSUED, item.id, inputs, make)
