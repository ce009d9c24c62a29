"""What the site tells a citizen besides the list (issue 13.5): each item's trail dated by the
meeting and the decree, the PPID's contact, a safe document link, and the sub-headings of
berkala information.

Pure functions of loaded records. The trail of an item names steps, roles and dates, never
people: the meeting's step is dated by its berita acara (``rapat/<id>.yaml``) and the
decree's step by the decree (``keputusan/<id>.yaml``), so the page never shows a commit date
that contradicts the decree date printed above it. A register assembled without step commits
still shows those two steps, read from the files the item names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.errors import InvalidFile
from dipctl.register import model, store
from dipctl.register.checks import check_url
from dipctl.register.records import Meeting

if TYPE_CHECKING:
    from collections.abc import Sequence

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
    reports it)."""
    found: dict[str, Meeting] = {}
    for path in store.iter_yaml(reg.meetings_dir):
        try:
            data = store.load(path)
        except InvalidFile:  # an unreadable record dates nothing: the commit date stays
            continue
        if isinstance(data, dict):
            meeting = Meeting.from_mapping(data, path)
            found[meeting.id] = meeting
    return found


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


def trail(
    item: Item,
    steps: list[StepTime],
    meetings: dict[str, Meeting],
    decrees: dict[str, Decree],
) -> list[dict[str, str]]:
    """The SOP steps up to the item's last establishment (a revision still in flight is not
    public), each with the role that took it and its date: the meeting's and the decree's
    for steps 4 and 5, the commit's for the others. Without step commits, steps 4 and 5 from
    the records the item names."""
    end = max((n for n, s in enumerate(steps) if s.target in model.ESTABLISHED), default=-1)
    shown = []
    for step in steps[: end + 1]:
        if not step.action:  # a file added outside the SOP (an assembled register)
            continue
        by = _day(step.date)
        date = step.date
        if step.action in _MEETING_STEPS:
            date = _meeting_day(item.id, by, meetings) or date
        elif step.action in _DECREE_STEPS:
            date = _decree_day(item.id, by, decrees) or date
        shown.append({"langkah": step.action, "peran": step.role or "-", "tanggal": date})
    if shown:
        return shown
    return _from_records(item, meetings, decrees)


def _from_records(
    item: Item, meetings: dict[str, Meeting], decrees: dict[str, Decree]
) -> list[dict[str, str]]:
    found = []
    meeting = meetings.get(item.meeting)
    if meeting is not None and _day(meeting.date):
        found.append(_recorded("meeting", _day(meeting.date)))
    decree = decrees.get(item.decree)
    if decree is not None and _day(decree.date):
        found.append(_recorded("exempt" if decree.dik else "establish", _day(decree.date)))
    return found


def _recorded(action: str, day: str) -> dict[str, str]:
    return {"langkah": action, "peran": _RECORDED_ROLE[action], "tanggal": day}


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


def shows_contact(settings: Settings) -> bool:
    """Whether the site shows a way to reach the PPID: an address, a telephone or an e-mail
    (``build`` warns when it does not)."""
    shown = contact(settings)
    return any(shown[key] for key in ("alamat", "telepon", "email"))


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
