"""``dipctl build`` on a federation: the province portal (issue 22.3).

Every page of the portal comes from proven commits only: each member's section
(``anggota/<name>/``) is the member's own site as the single-register build renders it, from
its last verified commit as materialized in its mirror (never the member's theme: the mirror
has none), and the province's pages combine those sections:

- ``index.html``: one DIP across the province, the agency a column and a filter;
- ``dik.html``: the province's DIK;
- ``instansi.html``: the agencies compared (the decree in force and its date, pemutakhiran
  overdue or not, the mutu baku achieved, the verification state and its date);
- ``dip.csv``, ``dip.json``, ``dik.csv``, ``dik.json``, ``feed.xml`` and the search index,
  across the province.

What a member's section needs is collected once per verified commit and kept beside its
mirror (``portal.json``), so a build after a sync that moved one member collects only that
one; the site's manifest (:mod:`dipctl.publish.manifest`) then writes only the files whose
inputs changed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import OutputFailed
from dipctl.federation import sectionwork
from dipctl.federation.mirror import Mirror
from dipctl.federation.sync import mirrors_locked, states
from dipctl.feedback import silent
from dipctl.files import write_atomic
from dipctl.publish import downloads, manifest, site, siteplan
from dipctl.publish.output import MARKER, target_folder, write_site
from dipctl.publish.publicdata import PublicRegister, collect
from dipctl.publish.theme import environment
from dipctl.register import committed, model, store

if TYPE_CHECKING:
    from collections.abc import Callable

    from dipctl.federation import state as member_state
    from dipctl.federation.members import Member
    from dipctl.feedback import Progress
    from dipctl.register.config import Register

SECTIONS = "anggota"
CACHE = "portal.json"
AGENCY_COLUMN = ("instansi_nama", "Instansi")
_LINKS = frozenset(("url", "scan"))


@dataclass(frozen=True)
class Section:
    member: Member
    state: member_state.MemberState
    reg: Register | None  # None: never verified, nothing to show
    pub: PublicRegister | None

    @property
    def prefix(self) -> str:
        return f"{SECTIONS}/{self.member.name}/"


def sections(reg: Register, data: dict[str, Any], progress: Progress = silent) -> list[Section]:
    """Every member with what the portal shows of it: its last verified register, read from
    the cache of that commit or collected once (those to collect, on both cores)."""
    found: list[Section] = []
    todo: list[tuple[int, Mirror, Register, str]] = []
    for member, known in states(reg, data):
        if not known.verified:
            found.append(Section(member, known, None, None))
            continue
        mirror = Mirror(reg, member.name)
        mreg = mirror.register(member.folder)
        pub = _cached(mirror, known.verified)
        if pub is None:
            todo.append((len(found), mirror, mreg, known.verified))
        found.append(Section(member, known, mreg, pub))
    _, collected = sectionwork.spread(
        len(todo), lambda n: _collect(*todo[n][1:]), lambda: None, len(todo) > 1
    )
    for (at, *_), pub in zip(todo, collected, strict=True):
        found[at] = dataclasses.replace(found[at], pub=pub)
    return found


def _cache_key(verified: str) -> str:
    return manifest.digest(verified, manifest.code_digest())


def _cached(mirror: Mirror, verified: str) -> PublicRegister | None:
    try:
        data = json.loads((mirror.path / ".git" / "dipctl" / CACHE).read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("key") == _cache_key(verified):
            return PublicRegister(**data["pub"])
    except (OSError, ValueError, TypeError, KeyError):
        pass  # none, damaged or another's: collected again
    return None


def _collect(mirror: Mirror, mreg: Register, verified: str) -> PublicRegister:
    if not (mreg.root / "register.yaml").is_file():  # a mirror folder deleted by hand
        mirror.materialize(verified, mreg.root.name)
    pub = collect(mreg)
    cache = mirror.path / ".git" / "dipctl" / CACHE
    cache.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"key": _cache_key(verified), "pub": asdict(pub)}, ensure_ascii=False)
    write_atomic(cache, text, sync=False)
    return pub


def prefixed(value: Any, prefix: str) -> Any:
    """``value`` with every link (``url``, ``scan``) made relative to the portal's root
    (a copy: a new dict or list for each, the other values as they are)."""
    if isinstance(value, dict):
        made = {}
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                made[k] = prefixed(v, prefix)
            elif k in _LINKS and isinstance(v, str) and v:
                made[k] = prefix + v
            else:
                made[k] = v
        return made
    if isinstance(value, list):
        return [prefixed(v, prefix) if isinstance(v, (dict, list)) else v for v in value]
    return value


def province(fed: Register, found: list[Section]) -> PublicRegister:
    """The province as one register: every member's rows with the agency beside them."""
    settings = fed.settings
    items: list[dict[str, Any]] = []
    dik: list[dict[str, Any]] = []
    decrees: list[dict[str, Any]] = []
    for section in found:
        if section.pub is None:
            continue
        own = {"instansi": section.member.name, "instansi_nama": section.pub.agency}
        items += [{**prefixed(row, section.prefix), **own} for row in section.pub.items]
        dik += [{**prefixed(row, section.prefix), **own} for row in section.pub.dik]
        decrees += [{**prefixed(d, section.prefix), **own} for d in section.pub.decrees]
    items.sort(key=lambda r: (r["judul"].casefold(), r["instansi"], r["url"]))
    dik.sort(key=lambda r: (r["judul"].casefold(), r["instansi"]))
    decrees.sort(key=lambda d: (d["tanggal"], d["instansi"], d["id"]), reverse=True)
    updated = max((s.pub.updated for s in found if s.pub and s.pub.updated), default="")
    return PublicRegister(
        agency=settings.agency_name,
        title=settings.site_title,
        languages=tuple(lang for lang in settings.languages if lang in ("id", "en")) or ("id",),
        base_url=settings.base_url,
        updated=updated,
        items=items,
        dik=dik,
        decrees=decrees,
        units=[
            {"key": s.member.name, "nama": s.pub.agency if s.pub else s.member.title} for s in found
        ],
        contact={},
    )


def comparison(found: list[Section]) -> list[dict[str, Any]]:
    """One row per agency for ``instansi.html`` and ``federate report``."""
    rows = []
    for s in found:
        pub = s.pub
        decrees = pub.decrees if pub else []
        in_force = next(
            (d for d in decrees if d["berlaku"] and d["jenis"] != "penetapan-dik"), None
        )
        rows.append({
            "nama": s.member.name,
            "instansi": pub.agency if pub else s.member.title,
            "url": s.prefix + "index.html" if pub else "",
            "dip": len(pub.items) if pub else 0,
            "dik": len(pub.dik) if pub else 0,
            "keputusan": {k: in_force[k] for k in ("nomor", "tanggal")} if in_force else None,
            "terlambat": bool(pub.cycle.get("overdue")) if pub else False,
            "mutu_baku": _quality(pub),
            "verifikasi": s.state.result,
            "terverifikasi": s.state.verified_at[:10],
            "sejak": s.state.since[:10],
            "commit": s.state.verified[:12],
        })  # fmt: skip
    return rows


def _quality(pub: PublicRegister | None) -> dict[str, int] | None:
    """The mutu baku achieved: steps measured, and within their bound."""
    if pub is None:
        return None
    standards = pub.sop.get("standards") or []
    return {
        "diukur": sum(int(s.get("diukur") or 0) for s in standards),
        "sesuai": sum(int(s.get("sesuai") or 0) for s in standards),
    }


def _pages(
    fed_pub: PublicRegister, rows: list[dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]]:
    years = sorted({r["tahun"] for r in fed_pub.items if r.get("tahun")}, reverse=True)
    return [
        (
            "index.html",
            "portal/index.html",
            {"rows": fed_pub.items, "agencies": fed_pub.units, "years": years},
        ),
        ("dik.html", "portal/dik.html", {"rows": fed_pub.dik}),
        ("instansi.html", "portal/agencies.html", {"agencies": rows}),
    ]


def build(
    reg: Register, out: Path, data: dict[str, Any], full: bool = False,
    uncommitted: bool = False, progress: Progress = silent,
) -> site.Built:  # fmt: skip
    """The portal into ``out``: incrementally from its manifest, like a register's site."""
    shown = Path(os.path.normpath(out.absolute()))
    try:
        target = target_folder(reg, out, shown)
        if not uncommitted:
            committed.require_committed(reg)
        progress("progress.build.collect")
        with mirrors_locked(reg):  # a sync's swap of a mirror folder would lose files
            found = sections(reg, data, progress)
            fed_pub = province(reg, found)
            digests, makers = _plan(reg, found, fed_pub, comparison(found))
            return _write(reg, target, shown, (found, digests, makers), full, progress)
    except OSError as exc:
        raise OutputFailed("output.failed", path=exc.filename or shown,
                           detail=exc.strerror or str(exc)) from exc  # fmt: skip


def _write(
    reg: Register,
    target: Path,
    shown: Path,
    planned: tuple[list[Section], dict[str, str], dict[str, Maker]],
    full: bool,
    progress: Progress,
) -> site.Built:
    """Render what is stale (everything when ``full`` or without a usable manifest) and
    bring ``target`` to the planned files, as a register's own build does."""
    found, digests, makers = planned
    head = manifest.header(reg.settings.agency_name)
    done = site.Built([shown / rel for rel in sorted(digests)])
    if not full and (target / MARKER).is_file():
        with manifest.locked(target):
            old = manifest.read(target, head)
            if old is not None:
                files = _produce(found, makers, manifest.stale(target, old, digests))
                written, removed = manifest.update(target, head, old, digests, files)
                return dataclasses.replace(done, incremental=True, written=written,
                                           removed=removed)  # fmt: skip
    files = _produce(found, makers, set(digests))
    made = {path: (digests[path], manifest.digest(b)) for path, b in files.items()}
    files[manifest.NAME] = manifest.encode(head, made)
    write_site(target, files, progress=progress, phase="progress.build.write")
    return done


Maker = tuple[str, Any]  # ("member", (section, plan, path)) or ("own", a function of no args)


def _plan(
    fed: Register, found: list[Section], fed_pub: PublicRegister, rows: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, Maker]]:
    """Every file of the portal by its path, with the digest of its inputs and its maker."""
    digests: dict[str, str] = {}
    makers: dict[str, Maker] = {}
    for section in found:
        if section.pub is None or section.reg is None:
            continue
        made = site.plan(section.reg, section.pub)
        for path, inputs in made.digests.items():
            digests[section.prefix + path] = manifest.digest(section.member.name, inputs)
            makers[section.prefix + path] = ("member", (section, made, path))
    whole = manifest.data_digest(
        [fed_pub.items, fed_pub.dik, fed_pub.decrees, fed_pub.agency, fed_pub.updated]
    )
    pages = _pages(fed_pub, rows)  # alike in every language: their data written out once
    texts = [manifest.data_text(context) for _, _, context in pages]
    shared = {name: functools.cache(maker) for name, maker in _downloads(fed_pub).items()}
    for lang in fed_pub.languages:
        at = siteplan.folder_of(lang)
        for (page, template, context), text in zip(pages, texts, strict=True):
            shown = siteplan.site_context(fed_pub, lang, page, False)
            inputs = manifest.digest(f"[{manifest.data_text(shown)},{text}]")  # [shown, context]
            digests[at + page] = manifest.digest(template, inputs)
            makers[at + page] = ("own", _page(fed, lang, template, shown, context))
        for name, maker in {**shared, "feed.xml": _feed(fed_pub, lang)}.items():
            digests[at + name] = manifest.digest(name, lang, whole)
            makers[at + name] = ("own", maker)
        for name, data in _static().items():
            digests[f"{at}static/{name}"] = manifest.digest(data)
            makers[f"{at}static/{name}"] = ("own", _given(data))
    return digests, makers


def _downloads(pub: PublicRegister) -> dict[str, Callable[[], bytes]]:
    """The province's downloads alike in every language: the register's own, with the
    agency as the first column."""
    return {
        "dip.csv": lambda: downloads.to_csv(pub.items, (AGENCY_COLUMN, *downloads.DIP_COLUMNS)),
        "dip.json": lambda: downloads.to_json(downloads.dip_document(pub)),
        "dik.csv": lambda: downloads.to_csv(pub.dik, (AGENCY_COLUMN, *downloads.DIK_COLUMNS)),
        "dik.json": lambda: downloads.to_json(downloads.dik_document(pub)),
    }


def _feed(pub: PublicRegister, lang: str) -> Callable[[], bytes]:
    """The province's feed in ``lang``: its links lead to that language's pages."""
    base = pub.base_url.rstrip("/") + "/" if pub.base_url else ""
    feed_base = base + siteplan.folder_of(lang)
    return lambda: downloads.feed(pub, feed_base, lang)


def _given(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _page(
    fed: Register, lang: str, template: str, context_site: dict[str, Any], context: dict[str, Any]
) -> Callable[[], bytes]:
    def render() -> bytes:
        env = environment(fed, lang)
        html = env.get_template(template).render(site=context_site, **context)
        return html.encode("utf-8")

    return render


def _static() -> dict[str, bytes]:
    """The built-in stylesheet and the portal's filter script (never a member's)."""
    from dipctl.register.config import templates_dir

    folder = templates_dir() / "site"
    return {
        "dip.css": (folder / "static" / "dip.css").read_bytes(),
        "portal.js": (folder / "portal" / "portal.js").read_bytes(),
    }


def _produce(found: list[Section], makers: dict[str, Maker], paths: set[str]) -> dict[str, bytes]:
    """The files at ``paths``: the province's own here, the members' on both cores."""
    wanted: dict[int, tuple[Section, Any, set[str]]] = {}
    own: list[str] = []
    for path in paths:
        kind, how = makers[path]
        if kind == "own":
            own.append(path)
        else:
            section, made, inner = how
            wanted.setdefault(id(section), (section, made, set()))[2].add(inner)
    work: list[sectionwork.Work] = []
    for section, made, inner in wanted.values():
        assert section.reg is not None
        assert section.pub is not None
        work.append((section.prefix, section.reg, section.pub, made, inner))
    return sectionwork.produce(work, lambda: {path: makers[path][1]() for path in own})


def load(reg: Register) -> dict[str, Any] | None:
    """register.yaml when it is a federation's, else None (a register's own site)."""
    data = store.load(reg.config_file)
    return data if isinstance(data, dict) and model.is_federation(data) else None
