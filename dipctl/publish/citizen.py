"""What the site tells a citizen besides the list (issue 13.5): each item's trail, the PPID's
contact, a safe document link, and the sub-headings of berkala information.

Pure functions of loaded records. The trail of an item names steps, roles and dates, never
people. It tells the two kinds of date apart (issue 19.4): each step is listed in the order it
was recorded, with the date it was recorded (its commit), and the meeting's and the decree's
steps also with the date of the event (the berita acara's ``rapat/<id>.yaml`` and the
decree's ``keputusan/<id>.yaml``, the date printed above the trail), each labelled, so that
a meeting recorded late never reads as held before the item was proposed. A register
assembled without step commits still shows those two steps, read from the files the item
names, with their event dates.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import TYPE_CHECKING, Any

from dipctl.register import model, store
from dipctl.register.checks import check_url
from dipctl.register.records import Guest, Meeting

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.proof.sla import StepTime
    from dipctl.register.config import Register
    from dipctl.register.records import Decree, Item, Settings

#: The steps dated by a record rather than by their commit.
_MEETING_STEPS = ("meeting",)
_DECREE_STEPS = ("establish", "exempt")
#: Who takes the recorded steps (SPEC.md section 2), for a trail read from files alone.
_RECORDED_ROLE = {"meeting": "ppid_pembantu", "establish": "kepala", "exempt": "ppid_pembantu"}


def load_meetings(reg: Register) -> dict[str, Meeting]:
    """Every readable meeting record; one that cannot be read dates no step (validate
    reports it). Parsed once per change of the file (a berita acara names every item it
    decided: a build spent a tenth of an incremental run parsing them), cached in
    ``.git/dipctl/meetings.pickle`` by the file's stamp as the decrees are
    (:func:`~dipctl.register.store.load_files`)."""
    from dipctl.register import cachefile

    cache = reg.git_dir / "dipctl" / MEETINGS_CACHE if reg.git_dir is not None else None
    names = [str(path) for path in store.iter_yaml(reg.meetings_dir)]
    tag = f"{_MEETING_TAG}:{cachefile.code_stamp()}"
    found: dict[str, Meeting] = {}
    # an unreadable record dates nothing: the commit date stays
    for meeting in store.load_files(names, cache, _to_meeting, tag, broken=[]):
        if meeting is not None:
            found[meeting.id] = meeting
    return found


MEETINGS_CACHE = "meetings.pickle"
#: Names the shape of a cached meeting: another :class:`Meeting` ignores the cache.
_MEETING_TAG = "Meeting:" + ",".join(
    f.name for kind in (Meeting, Guest) for f in dataclasses.fields(kind)
)


def _to_meeting(data: Any, path: Path) -> Meeting | None:
    return Meeting.from_mapping(data, path) if isinstance(data, dict) else None


def _day(text: str) -> str:
    """The ISO day of a record's date, or "" for a date that is none (validate refuses it)."""
    day = text[:10]
    ok = len(day) == 10 and day[4] == "-" and day[7] == "-"
    return day if ok and day.replace("-", "").isdigit() else ""


def _latest(candidates: list[tuple[str, str]], by: str) -> str:
    """The latest record date on or before the step's commit day (``by``), else ""."""
    dated = sorted(c for c in candidates if c[0] and (not by or c[0] <= by))
    return dated[-1][0] if dated else ""


def _meeting_day(item_id: str, by: str, meetings: dict[str, Meeting]) -> str:
    return _latest([(_day(m.date), m.id) for m in meetings.values() if item_id in m.decisions], by)


def _decree_day(item_id: str, by: str, decrees: dict[str, Decree]) -> str:
    return _latest(
        [
            (_day(d.date), d.id)
            for d in decrees.values()
            if d.kind != "pencabutan" and item_id in (d.establishes or d.items)
        ],
        by,
    )


class RecordDays:
    """The dates of the meetings and decrees that name each item, indexed once per build:
    :func:`_meeting_day` and :func:`_decree_day` for every item of a 10,000-item lampiran
    would scan every record's list once per item (4 s at 10,000 items). The same answers."""

    def __init__(self, meetings: dict[str, Meeting], decrees: dict[str, Decree]) -> None:
        self.meetings: dict[str, list[tuple[str, str]]] = {}
        self.decrees: dict[str, list[tuple[str, str]]] = {}
        for m in meetings.values():
            for item_id in dict.fromkeys(m.decisions):
                self.meetings.setdefault(item_id, []).append((_day(m.date), m.id))
        for d in decrees.values():
            if d.kind != "pencabutan":
                for item_id in dict.fromkeys(d.establishes or d.items):
                    self.decrees.setdefault(item_id, []).append((_day(d.date), d.id))

    def meeting(self, item_id: str, by: str) -> str:
        return _latest(self.meetings.get(item_id, []), by)

    def decree(self, item_id: str, by: str) -> str:
        return _latest(self.decrees.get(item_id, []), by)


def trail(
    item: Item,
    steps: list[StepTime],
    meetings: dict[str, Meeting],
    decrees: dict[str, Decree],
    days: RecordDays | None = None,
) -> list[dict[str, str]]:
    """The SOP steps up to the item's last establishment (a revision still in flight is not
    public), in the order they were recorded, each with the role that took it, when it was
    recorded (``dicatat``: its commit's date) and, for steps 4 and 5, the date of the event
    itself (``peristiwa`` ``rapat`` or ``keputusan``, ``tanggal_peristiwa``: the berita
    acara's and the decree's date), never one passed off as the other: a meeting recorded
    late is dated as held and as recorded. Without step commits, steps 4 and 5 from the
    records the item names, with their event dates alone. ``days``: the records' dates
    indexed once for many items (:class:`RecordDays`)."""
    end = max((n for n, s in enumerate(steps) if s.target in model.ESTABLISHED), default=-1)
    shown = []
    for step in steps[: end + 1]:
        if not step.action:  # a file added outside the SOP (an assembled register)
            continue
        by, event, day = _day(step.date), "", ""
        if step.action in _MEETING_STEPS:
            day = days.meeting(item.id, by) if days else _meeting_day(item.id, by, meetings)
            event = "rapat"
        elif step.action in _DECREE_STEPS:
            day = days.decree(item.id, by) if days else _decree_day(item.id, by, decrees)
            event = "keputusan"
        shown.append(_row(step.action, step.role or "-", step.date, event if day else "", day))
    if shown:
        return shown
    return _from_records(item, meetings, decrees)


#: What :func:`trail` shows of a step (in C, for 10,000 trails a build)
_SHOWN = operator.attrgetter("action", "role", "date")


def trail_inputs(
    item: Item,
    steps: list[StepTime],
    meetings: dict[str, Meeting],
    decrees: dict[str, Decree],
    days: RecordDays,
) -> tuple[Any, ...]:
    """Every value :func:`trail` reads (with ``days``) besides ``item``: two equal ones give
    the same trail (:mod:`dipctl.publish.rowmemo`)."""
    established = model.ESTABLISHED  # the last step that left the item established:
    end = next((n for n in range(len(steps) - 1, -1, -1) if steps[n].target in established), -1)
    shown = tuple(map(_SHOWN, steps[: end + 1]))
    meeting, decree = meetings.get(item.meeting), decrees.get(item.decree)
    return (
        shown,
        tuple(days.meetings.get(item.id, ())),
        tuple(days.decrees.get(item.id, ())),
        meeting.date if meeting is not None else None,
        (decree.dik, decree.date) if decree is not None else None,
    )


def _row(action: str, role: str, recorded: str, event: str, day: str) -> dict[str, str]:
    return {
        "langkah": action,
        "peran": role,
        "dicatat": recorded,
        "peristiwa": event,
        "tanggal_peristiwa": day,
    }


def _from_records(
    item: Item, meetings: dict[str, Meeting], decrees: dict[str, Decree]
) -> list[dict[str, str]]:
    found = []
    meeting = meetings.get(item.meeting)
    if meeting is not None and _day(meeting.date):
        found.append(_row("meeting", _RECORDED_ROLE["meeting"], "", "rapat", _day(meeting.date)))
    decree = decrees.get(item.decree)
    if decree is not None and _day(decree.date):
        action = "exempt" if decree.dik else "establish"
        found.append(_row(action, _RECORDED_ROLE[action], "", "keputusan", _day(decree.date)))
    return found


def safe_link(link: str) -> str:
    """The item's document address when it is a plain http(s) URL, else "" (never a
    ``javascript:`` or ``data:`` link, whatever slipped past ``validate``)."""
    return link if link and check_url(link) is None else ""


def contact(settings: Settings) -> dict[str, str]:
    """The PPID's contact as the site prints it (``badan_publik`` in register.yaml)."""
    email = settings.agency_email
    return {
        "nama": settings.agency_name,
        "alamat": settings.agency_address,
        "telepon": settings.agency_phone,
        "email": email if email and model.EMAIL_RE.match(email) and _plain(email) else "",
        "jam_layanan": settings.agency_hours,
        "situs": safe_link(settings.agency_site),
    }


#: The ``badan_publik`` keys of the PPID's contact that the site shows (``situs`` aside: the
#: agency's website is no way to reach the PPID).
CONTACT_KEYS = ("alamat", "telepon", "email", "jam_layanan")


def contact_missing(settings: Settings) -> list[str]:
    """The register.yaml keys to fill in when the site would show no way to reach the PPID (no
    address, telephone or e-mail), else []; an e-mail address the site refuses to link counts
    as missing."""
    shown = contact(settings)
    if any(shown[k] for k in ("alamat", "telepon", "email")):
        return []
    return [f"badan_publik.{k}" for k in CONTACT_KEYS if not shown[k]]


def _plain(text: str) -> bool:
    """No character that would change a ``mailto:`` link's meaning."""
    return not any(c in text for c in "?&#%/\\:;,<>\"' ")


def subgroups(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Berkala rows under their sub-headings, in :data:`~dipctl.register.model.SUBCATEGORIES`
    order, then the rows without one (``subkategori`` "", shown under "Lainnya" when any
    other sub-heading is used). Rows keep their order within each group."""
    order = {key: n for n, key in enumerate(model.SUBCATEGORIES)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        key = row.get("subkategori") or ""
        groups.setdefault(key if key in order else "", []).append(row)
    keys = sorted(groups, key=lambda k: order.get(k, len(order)))
    return [{"subkategori": k, "rows": groups[k]} for k in keys]


def grouped(
    rows: Sequence[dict[str, Any]], categories: Sequence[str], subheadings: bool
) -> list[dict[str, Any]]:
    """The rows by kategori (A, B, C of the DIP), numbered within each as the lampiran
    numbers them; berkala rows under their sub-headings (:func:`subgroups`) when
    ``subheadings`` and any row has one. The site's table and the XLSX both use this."""
    groups = []
    for k in categories:
        mine = [r for r in rows if r["kategori"] == k]
        parts = subgroups(mine) if subheadings and k == "berkala" else []
        if parts and any(p["subkategori"] for p in parts):
            ordered = [r for p in parts for r in p["rows"]]
        else:
            parts, ordered = [], mine
        number = {id(r): n for n, r in enumerate(ordered, 1)}
        groups.append(
            {
                "kategori": k,
                "rows": [dict(r, nomor=number[id(r)]) for r in ordered],
                "subgroups": [
                    dict(p, rows=[dict(r, nomor=number[id(r)]) for r in p["rows"]]) for p in parts
                ],
            }
        )
    return groups
