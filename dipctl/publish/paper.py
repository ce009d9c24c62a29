"""Printable papers: the draft SK of step 5, and what every paper shares (the berita acara of
the step-4 meeting is :mod:`dipctl.publish.minutes`).

Pure rendering: plain values in, one standalone HTML page out (A4, print CSS embedded). The
official text (the berita acara, and the decree's KEPUTUSAN / Menimbang / Mengingat /
MEMUTUSKAN / dicta) is Indonesian whatever ``lang`` is, because it is what gets signed and
filed; ``lang`` only translates the screen chrome (print hint, summary, draft banner), which
the templates mark with its own ``lang`` attribute. No clock is read: the same input renders
to the same bytes.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dipctl.errors import OutputFailed, Refused
from dipctl.files import write_atomic
from dipctl.i18n import DEFAULT, LANGUAGES, Translator
from dipctl.publish import dictum, letterhead, recitals, signatory
from dipctl.publish.dates import long_date, long_period, parse
from dipctl.publish.parts import Part, slice_groups
from dipctl.publish.signatory import BLANK, ROLE_NAMES, format_nip
from dipctl.register import model, records
from dipctl.register.config import templates_dir
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import decree as decree_doc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item, Settings

__all__ = [
    "BLANK",
    "ROLE_NAMES",
    "format_nip",
    "long_date",
    "ordinal",
    "render_decree_draft",
    "write_decree_draft",
]

_ORDINALS = ("SATU", "DUA", "TIGA", "EMPAT", "LIMA", "ENAM", "TUJUH", "DELAPAN", "SEMBILAN")

#: Sort order of the categories; exempt items go to Lampiran II, never into the DIP.
CATEGORY_ORDER = model.CATEGORIES
PUBLIC_CATEGORIES = tuple(c for c in CATEGORY_ORDER if c != model.EXEMPT)
CATEGORY_NAMES = {
    "berkala": "Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala",
    "serta-merta": "Informasi yang Wajib Diumumkan Secara Serta-merta",
    "setiap-saat": "Informasi yang Wajib Tersedia Setiap Saat",
    "dikecualikan": "Informasi yang Dikecualikan",
    "": "Informasi yang Belum Diklasifikasi",
}
CATEGORY_LABELS = {
    "berkala": "Berkala",
    "serta-merta": "Serta-merta",
    "setiap-saat": "Setiap Saat",
    "dikecualikan": "Dikecualikan",
}
FORM_NAMES = {"softcopy": "Softcopy", "hardcopy": "Hardcopy"}


def ordinal(number: int) -> str:
    """The dictum labels of a decree: 1 -> ``KESATU``, 4 -> ``KEEMPAT``, 10 -> ``KESEPULUH``."""
    if 1 <= number <= len(_ORDINALS):
        return "KE" + _ORDINALS[number - 1]
    if number == 10:
        return "KESEPULUH"
    return f"KE-{number}"


def sort_items(items: Sequence[Item]) -> list[Item]:
    """By category (berkala, serta-merta, setiap-saat, dikecualikan, then others), title, id."""

    def key(item: Item) -> tuple[int, str, str, str]:
        rank = CATEGORY_ORDER.index(item.category) if item.category in CATEGORY_ORDER else 9
        return rank, item.title.casefold(), item.title, item.id

    return sorted(items, key=key)


def item_row(item: Item, units: dict[str, str]) -> dict[str, Any]:
    """An item as a paper's table row prints it."""
    made = ", ".join(v for v in (long_period(item.made), item.place) if v)
    ends = item.exemption.ends if item.exemption else ""
    return {
        "id": item.id,
        "title": item.title,
        "summary": item.summary,
        "unit": units.get(item.unit, item.unit),
        "responsible": item.responsible,
        "made": made,
        "forms": ", ".join(FORM_NAMES.get(f, f) for f in item.forms),
        "retention": item.retention,
        "category": CATEGORY_LABELS.get(item.category, item.category),
        "exemption": item.exemption,
        "ends": "" if ends in ("", model.PERMANENT) else long_date(ends),
    }


def _signer(settings: Settings, decree: Decree) -> dict[str, Any]:
    found = settings.person(decree.signer) if decree.signer else None
    person = found or next(iter(settings.people_with("kepala")), None)
    if person is None:
        return signatory.block(BLANK, BLANK)
    return signatory.of_person(person, ROLE_NAMES["kepala"])


def _group_of(item: Item) -> str:
    return item.category if item.category in CATEGORY_ORDER else ""


def _groups(
    rows: list[tuple[Item, dict[str, Any]]], part: Part | None = None
) -> list[dict[str, Any]]:
    """Lampiran I: one group per public category (an empty one says *Nihil*), then any
    unclassified items, so that nothing given is silently left out; each row numbered
    within its group; ``part``: those of one part of a lampiran printed in parts."""
    keys = list(PUBLIC_CATEGORIES)
    if any(_group_of(item) == "" for item, _ in rows):
        keys.append("")
    groups = [
        {
            "letter": chr(ord("A") + n),
            "name": CATEGORY_NAMES[key],
            "rows": [row for item, row in rows if _group_of(item) == key],
        }
        for n, key in enumerate(keys)
    ]
    return slice_groups(groups, part)


def _withdrawal(decree: Decree, removed: Sequence[Item]) -> str:
    """The dictum of a withdrawal: the items it takes out of the DIP, and why."""
    if recitals.kind(decree) != recitals.WITHDRAWAL:
        return ""
    titles = {i.id: i.title for i in removed}
    names = [titles.get(i) or i for i in decree.removes] or [BLANK]
    listed = "; ".join(f"{n}. {name}" for n, name in enumerate(names, 1))
    reason = " ".join(decree.reason.split()).rstrip(" .;") or BLANK
    return (
        "Mencabut informasi berikut dari Daftar Informasi Publik sebagaimana dimaksud dalam"
        f" Diktum {ordinal(1)}, dengan alasan {reason}: {listed}."
    )


def _decree_context(
    settings: Settings,
    decree: Decree,
    items: Sequence[Item],
    previous: Decree | Sequence[Decree] | None = None,
    removed: Sequence[Item] = (),
    part: Part | None = None,
) -> dict[str, Any]:
    rows = [(i, item_row(i, settings.units)) for i in sort_items(items)]
    exempt = [row for item, row in rows if item.category == model.EXEMPT]
    day = parse(decree.date)
    year = str(day.year) if day else BLANK
    subject = decree.subject or f"Daftar Informasi Publik {settings.agency_name} Tahun {year}"
    signer = _signer(settings, decree)
    replaces = replaced(settings, decree, previous)
    return {
        "menimbang": recitals.menimbang(
            decree, settings.agency_name, signer["position"], subject, named(replaces)
        ),
        "mengingat": recitals.mengingat(settings, decree),
        "withdrawal": _withdrawal(decree, removed),
        "agency": settings.agency_name,
        "place": settings.agency_place or BLANK,
        "number": decree.number or BLANK,
        "date": long_date(decree.date) if day else BLANK,
        "year": year,
        "subject": subject,
        "signer": signer,
        "site": settings.base_url or settings.agency_site,
        "groups": _groups(rows, part),
        "part": part,
        "exempt": exempt,
        "count": len(rows),
        # A single attachment is just "Lampiran"; with the DIK they are numbered.
        "lampiran": ["Lampiran I", "Lampiran II"] if exempt else ["Lampiran"],
        "copies": list(settings.copies),
        "replaces": replaces,
    }


def named(replaces: dict[str, str] | None) -> str:
    """The decrees of :func:`replaced` as a recital names them: "Keputusan … Nomor … tanggal …
    tentang … [sebagaimana telah diubah dengan …]"."""
    return replaces["cited"] if replaces else ""


def replaced(
    settings: Settings, decree: Decree, previous: Decree | Sequence[Decree] | None
) -> dict[str, str] | None:
    """The decrees this one revokes or amends, as its dictum names them (:mod:`.dictum`)."""
    return dictum.replaced(decree, previous, lambda d: str(_signer(settings, d)["position"]))


@cache
def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "paper"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["_"] = Translator(lang)
    env.globals["ordinal"] = ordinal
    return env


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def _render(template: str, lang: str, context: dict[str, Any]) -> str:
    return _environment(lang).get_template(template).render(lang=lang, **context)


def render_decree_draft(
    settings: Settings,
    decree: Decree,
    items: Sequence[Item],
    lang: str = "id",
    logo: str = "",
    previous: Decree | Sequence[Decree] | None = None,
    banner: str = "draft",
    removed: Sequence[Item] = (),
    part: Part | None = None,
) -> str:
    """The draft SK penetapan DIP (SOP step 5): its lampiran the complete DIP in force after
    it (exempt items never), naming the decree it revokes or amends. ``banner`` is the
    banner over it: ``draft``, or ``copy`` for an established decree printed
    from the register (the e-Monev pack, when no signed scan is attached). ``removed``: the
    items a withdrawal takes out (their titles are in its dictum). ``part``: one part of
    the decree printed in parts (the decree with the first rows of its lampiran, then the
    lampiran's further rows, the signature under the last), see :func:`parts`."""
    lang = _language(lang)
    context = _decree_context(settings, decree, items, previous, removed, part)
    kop = letterhead.kop(settings, logo)
    return _render("decree.html", lang, {**context, "kop": kop, "banner_key": banner})


def draft_decree(
    reg: Register, number: str, date: str, dik: bool = False, amend: bool = False
) -> tuple[dict[str, Any], Decree, list[Item], list[Decree]]:
    """The decree that step 5 would write now for every ``ditentukan`` public (with ``dik``:
    ``disetujui`` exempt) item, built by the function ``establish`` and ``exempt`` use
    (:func:`dipctl.sop.decree.document`), with its lampiran's items and the decree it
    revokes or amends. Before the head's approval the draft Penetapan DIK is that of the
    ``ditentukan`` exempt items: the one ``decree present --dik`` presents for approval."""
    every = load_items(reg)
    decrees = load_decrees(reg)
    kind = [i for i in every if (i.category == model.EXEMPT) == dik]
    status = model.Status.APPROVED.value if dik else model.Status.DETERMINED.value
    items = [i for i in kind if i.status == status]
    if dik and not items:
        items = [i for i in kind if i.status == model.Status.DETERMINED.value]
    if not items:
        raise Refused(
            "refused.nothing_approved" if dik else "refused.nothing_determined", hint="hint.status"
        )
    document = decree_doc.document(
        reg,
        every,
        decrees,
        decree_id="draf",
        kind=model.DIK_KIND if dik else "penetapan",
        number=number,
        date=date,
        signer=None,
        adding=[i.id for i in items],
        amend=amend,
    )
    made = records.Decree.from_mapping(document, reg.decrees_dir / "draf.yaml")
    by_id = {i.id: i for i in every}
    # a DIP decree never lists exempt information: that is the Penetapan DIK's (dik_paper)
    listed = [
        by_id[i] for i in made.items if i in by_id and (by_id[i].category == model.EXEMPT) == dik
    ]
    return document, made, listed, dictum.superseded(made, decrees)


def write_decree_draft(
    reg: Register, number: str, date: str, out: Path, lang: str = "id", amend: bool = False
) -> Path:
    """The printable draft SK DIP, written to ``out``; nothing is committed. Its lampiran is
    the complete DIP in force after it (:func:`draft_decree`)."""
    _, made, listed, previous = draft_decree(reg, number, date, amend=amend)
    return write_paper(
        out,
        render_decree_draft(reg.settings, made, listed, lang, letterhead.logo_uri(reg), previous),
    )


def write_paper(out: Path, html: str) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, html)
    except OSError as exc:
        raise OutputFailed("output.failed", path=out, detail=exc.strerror or str(exc)) from exc
    return out


def render_page(template: str, context: dict[str, Any], lang: str = "id") -> str:
    """Any template of templates/paper/ with the papers' environment: for the papers built
    beside this module (:mod:`dipctl.publish.consequence`, the consequence-test sheet)."""
    return _render(template, _language(lang), context)
