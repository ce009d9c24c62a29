"""The printable berita acara of the step-4 meeting (SPEC.md section 6, Papers).

The record of ``rapat/<id>.yaml`` under the kop: when (the date spelled out, the time), where,
who chaired it, the attendees and guests, what it decided, separating the information to be
established in the DIP by the head's decree from the information proposed as exempt (which
the PPID establishes after the head approves its consequence test) and the items returned,
then the signatures and the head's *Mengetahui*. A record made before the time and the chair
were asked for prints a blank line for each, to fill in by hand. Official Indonesian text;
``lang`` translates only the screen chrome. Pure, like :mod:`dipctl.publish.paper`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.publish import letterhead, paper, signatory
from dipctl.publish.dates import long_date, spelled_date
from dipctl.publish.parts import slice_groups
from dipctl.publish.signatory import BLANK
from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.publish.parts import Part
    from dipctl.register.records import Item, Meeting, Settings

__all__ = ["minutes_context", "render_minutes", "result_count"]


def _summary(groups: dict[str, list[dict[str, Any]]]) -> str:
    """What the meeting decided, in one clause per kind of result (counts)."""
    parts = [
        f"menentukan {len(groups['public'])} informasi sebagai Informasi Publik untuk"
        " ditetapkan dalam Daftar Informasi Publik dengan Keputusan Pimpinan Badan Publik"
    ]
    if groups["exempt"]:
        parts.append(
            f"menentukan {len(groups['exempt'])} informasi yang diusulkan dikecualikan, untuk"
            " ditetapkan oleh PPID setelah uji konsekuensinya disetujui Pimpinan Badan Publik"
        )
    if groups["returned"]:
        parts.append(
            f"mengembalikan {len(groups['returned'])} informasi kepada unit pengusulnya untuk"
            " diperbaiki"
        )
    return ", ".join(parts[:-1]) + (" dan " if len(parts) > 1 else "") + parts[-1]


def _results(rows: list[dict[str, Any]], meeting: Meeting) -> dict[str, list[dict[str, Any]]]:
    """The items by what the meeting decided: ``public`` (to be established in the DIP by
    the head's decree), ``exempt`` (proposed as exempt: the PPID establishes them after the
    head approves their consequence test) and ``returned`` (back to their unit)."""
    groups: dict[str, list[dict[str, Any]]] = {"public": [], "exempt": [], "returned": []}
    for row in rows:
        decision = meeting.decisions.get(row["id"], "")
        if decision == model.Status.RETURNED.value:
            groups["returned"].append(row)
        elif decision == model.Status.DETERMINED.value:
            groups["exempt" if row["exempt"] else "public"].append(row)
    for listed in groups.values():
        for no, row in enumerate(listed, 1):
            row["no"] = no
    return groups


#: The headings of the results, in order: (key, id suffix, heading).
HEADINGS = (
    ("public", "dip", "A. Informasi Publik yang ditetapkan dalam DIP dengan Keputusan Pimpinan"
     " Badan Publik"),
    ("exempt", "dik", "B. Informasi yang diusulkan dikecualikan, ditetapkan PPID setelah"
     " persetujuan Pimpinan Badan Publik atas uji konsekuensinya"),
    ("returned", "kembali", "C. Informasi yang dikembalikan kepada unit pengusulnya untuk"
     " diperbaiki"),
)  # fmt: skip


def result_count(context: dict[str, Any]) -> int:
    """The rows of the results of :func:`minutes_context` (what a part counts)."""
    return sum(len(rows) for rows in context["groups"].values())


def _part_groups(groups: dict[str, list[dict[str, Any]]], part: Part) -> list[dict[str, Any]]:
    """The results of one part, under their headings (C only when something was returned)."""
    listed = [
        {"key": suffix, "heading": heading, "rows": groups[key]}
        for key, suffix, heading in HEADINGS
        if key != "returned" or groups[key]
    ]
    return slice_groups(listed, part)


def minutes_context(
    settings: Settings, meeting: Meeting, items: Sequence[Item], lang: str
) -> dict[str, Any]:
    attendees = [signatory.attendee(settings, email) for email in meeting.attendees]
    guests = [signatory.guest(g) for g in meeting.guests]
    rows = [paper.item_row(i, settings.units) for i in paper.sort_items(items)]
    known = {r["id"] for r in rows}
    # A decision on an item the caller did not pass still belongs on the record.
    extra = sorted(set(meeting.decisions) - known)
    rows += [{"id": i, "title": i, "unit": "", "category": ""} for i in extra]
    exempt = {i.id for i in items if i.category == model.EXEMPT}
    for row in rows:
        row["note"] = meeting.notes.get(row["id"], "")
        row["exempt"] = row["id"] in exempt
    ppid = [a for a in attendees if a["ppid"]]
    others = [a for a in attendees if not a["ppid"]]
    groups = _results(rows, meeting)
    return {
        "agency": settings.agency_name,
        "number": meeting.number or BLANK,
        "opening": spelled_date(meeting.date),
        "time": meeting.time.replace(":", ".") if meeting.time else BLANK,
        "chair": signatory.chair(meeting.chair, attendees + guests),
        "date": long_date(meeting.date),
        "date_shown": long_date(meeting.date, weekday=True, lang=lang),
        "opening_shown": spelled_date(meeting.date, lang),
        "place": meeting.place,
        "attendees": attendees + guests,
        "guests": len(guests),
        "rows": rows,
        "groups": groups,
        "summary": _summary(groups),
        "minutes": meeting.minutes,
        "softcopy": meeting.softcopy,
        "hardcopy": meeting.hardcopy,
        "signers": ppid + others[:1],
        "place_signed": ", ".join(v for v in (settings.agency_place, long_date(meeting.date)) if v),
        "head": signatory.head(settings),
    }


def render_minutes(
    settings: Settings,
    meeting: Meeting,
    items: Sequence[Item],
    lang: str = "id",
    logo: str = "",
    part: Part | None = None,
) -> str:
    """The berita acara rapat penentuan DIP (SOP step 4) as a printable HTML page, under the
    kop of ``settings`` with ``logo`` (a ``data:`` URI, :func:`letterhead.logo_uri`);
    ``part``: one part of a meeting that decided more items than one file of e-Monev holds
    (:mod:`dipctl.publish.parts`), its results' rows ``part.start`` to ``part.stop`` in the
    order of the whole (A, B, C), numbered on."""
    context = minutes_context(settings, meeting, items, lang)
    context |= {"kop": letterhead.kop(settings, logo), "part": part}
    if part is not None:
        context["part_groups"] = _part_groups(context["groups"], part)
    return paper.render_page("minutes.html", context, lang)
