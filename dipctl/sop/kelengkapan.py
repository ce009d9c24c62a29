"""Kelengkapan: what each step needs before it may be taken (SPEC.md section 2).

Each check raises :class:`~dipctl.errors.Incomplete` (exit 3) naming what is missing, or
:class:`~dipctl.errors.UsageError` (exit 2) for a malformed option. The builders return
the plain mappings that become meeting and decree files.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from dipctl.errors import Incomplete, UsageError
from dipctl.register import checks, model
from dipctl.sop.inputs import split_guest

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item
    from dipctl.sop.exemption_input import Given, TestInput
    from dipctl.sop.inputs import MeetingSpec
    from dipctl.sop.transaction import Move


def check_new(reg: Register, unit: str, title: str, made: str, forms: Sequence[str]) -> None:
    if unit not in reg.settings.units:
        raise UsageError(
            "usage.bad_choice",
            option="--unit",
            value=unit,
            choices=", ".join(sorted(reg.settings.units)),
        )
    for form in forms:
        if form not in model.FORMS:
            raise UsageError(
                "usage.bad_choice", option="--form", value=form, choices=", ".join(model.FORMS)
            )
    if not title.strip():
        raise UsageError("usage.empty", option="--title")
    check_option_text("--title", title)
    check_option_text("--made", made)
    if made and checks.check_period(made) is not None:
        raise UsageError("usage.bad_period", value=made)


#: The longest text an option may carry (a title, a note): far above any real one.
MAX_OPTION_CHARS = 10_000


def check_option_text(option: str, value: str) -> None:
    """A text given on the command line: bounded, and free of control, invisible and
    text-direction characters, which ``validate`` would refuse in the file afterwards."""
    if len(value) > MAX_OPTION_CHARS:
        raise UsageError("usage.too_long", option=option, size=len(value), limit=MAX_OPTION_CHARS)
    verdict = checks.text_verdict(value.replace("\n", " ").replace("\t", " "))
    if verdict is not None:
        raise UsageError("usage.bad_text", option=option, char=verdict[1]["char"])


def check_perki(reg: Register, item: Item) -> None:
    """Submit: the seven Perki fields present and valid, as ``validate`` checks them."""
    from dipctl.register.readiness import item_problems

    problems = item_problems(reg, item.path, model.Status.SUBMITTED.value)
    if problems:
        raise Incomplete(
            "incomplete.perki",
            id=item.id,
            count=len(problems),
            problems=problems,
            hint="hint.fill_in",
        )


def return_note(note: str, reason: bool = False) -> str:
    """The note of a return (``-m CATATAN``), or with ``reason`` the reason of a withdrawal,
    a lift or an undo (``-m ALASAN``): required, one plain text."""
    if not note.strip():
        raise UsageError("usage.reason_required" if reason else "usage.note_required")
    check_option_text("-m", note)
    return note.strip()


def classification(
    reg: Register,
    item: Item,
    category: str,
    given: TestInput | None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The field updates of step 3; an exempt item needs a complete consequence test, by the
    rules of :mod:`dipctl.register.exemption` (``today``: when the step is taken). ``given``:
    the test answered on a terminal, else ``--exemption``'s (which replaces the item's own
    test) with ``--set``'s keys over it."""
    if category not in model.CATEGORIES:
        raise UsageError(
            "usage.bad_choice",
            option="--category",
            value=category,
            choices=", ".join(model.CATEGORIES),
        )
    if category != model.EXEMPT:
        return {"kategori": category, "pengecualian": None}
    from dipctl.sop import exemption_input

    test = exemption_input.test_for(reg, item, given or exemption_input.TestInput())
    check_exemption(reg, item.id, test, today or exemption_input.today())
    return {"kategori": category, "pengecualian": {k: test.test[k] for k in model.EXEMPTION_KEYS}}


def check_exemption(reg: Register, item_id: str, given: Given, today: dt.date) -> None:
    """A complete and valid test, else :class:`Incomplete` naming the first missing keys
    briefly and each wrong value at its file and line (or option) and key."""
    from dipctl.sop import exemption_input as given_test

    found = given_test.problems(reg, given.test, today)
    if not found:
        return
    missing = given_test.missing_keys(found)
    wrong = [p for p in found if p[1] != given_test.MISSING]
    keys, more = given_test.short_list(missing or list(dict.fromkeys(p[0] for p in wrong)))
    message = "incomplete.exemption" if missing else "incomplete.exemption_wrong"
    raise Incomplete(
        message + ("_more" if more else ""),
        id=item_id,
        keys=keys,
        more=more,
        problems=given_test.located(given, wrong),
        hint="hint.exemption",
    )


def exemption_gaps(test: dict[str, Any]) -> list[str]:
    """The consequence-test keys that are unknown, missing, empty or malformed (what
    ``verify`` can tell from the file alone: no clock, no register)."""
    from dipctl.register import exemption  # (not loaded by the steps that need no test)

    unknown = [k for k in test if k not in model.EXEMPTION_KEYS]
    return unknown + exemption.gaps(exemption.consequence_problems(test))


def meeting_time(text: str) -> str:
    """``--time``: "9:00", "09:00" or "09.00" (as Indonesian papers write it) -> "09:00"."""
    value = text.strip().replace(".", ":")
    if len(value) == 4 and value[1] == ":":
        value = "0" + value
    if not model.TIME_RE.match(value):
        raise UsageError("usage.bad_time", option="--time", value=text.strip()[:40])
    return value


def meeting_chair_text(text: str) -> str:
    """``--chair`` as text: present and printable (who it names is checked with the rest)."""
    if not text.strip():
        raise Incomplete("incomplete.option", option="--chair", hint="hint.meeting")
    check_option_text("--chair", text)
    return text.strip()


def seat_chair(reg: Register, spec: MeetingSpec) -> MeetingSpec:
    """The chair is one of the meeting: an officer's e-mail joins the attendees, anyone else
    (``"Nama — Jabatan"``) the guests, unless already there; the time is normalised."""
    if not spec.time.strip():
        raise Incomplete("incomplete.option", option="--time", hint="hint.meeting")
    time = meeting_time(spec.time)
    chair = meeting_chair_text(spec.chair)
    if "@" in chair:
        if reg.settings.person(chair) is None:
            raise Incomplete("record.unknown_person", email=chair, hint="hint.add_person")
        wanted = chair.lower()
        attendees = [*spec.attendees]
        if wanted not in (a.strip().lower() for a in attendees):
            attendees.append(wanted)
        return dataclasses.replace(spec, time=time, chair=wanted, attendees=attendees)
    name, _ = split_guest(chair)
    if not name:
        raise UsageError("usage.empty", option="--chair")
    known = any(split_guest(g)[0].casefold() == name.casefold() for g in spec.guests)
    guests = [*spec.guests] if known else [*spec.guests, chair]
    return dataclasses.replace(spec, time=time, chair=name, guests=guests)


def check_meeting(reg: Register, spec: MeetingSpec) -> MeetingSpec:
    """Step 4: date, time, place, chair, attendees (the PPID Pembantu and another role),
    storage; returns ``spec`` with the chair seated (:func:`seat_chair`)."""
    if checks.check_date(spec.date) is not None:
        raise UsageError("usage.bad_date", option="--date", value=spec.date)
    from dipctl.sop.decree import step_day

    if spec.date > step_day().isoformat():
        raise Incomplete("meeting.future", date=spec.date, hint="hint.meeting")
    spec = seat_chair(reg, spec)
    for option, value in (
        ("--place", spec.place),
        ("--softcopy", spec.softcopy),
        ("--hardcopy", spec.hardcopy),
    ):
        if not value.strip():
            raise Incomplete("incomplete.option", option=option, hint="hint.meeting")
        check_option_text(option, value)
    check_option_text("--minutes", spec.minutes)
    check_option_text("--note", spec.note)
    check_option_text("--number", spec.number)
    for guest in spec.guests:
        name, position = split_guest(guest)
        if not name:
            raise UsageError("usage.empty", option="--guest")
        check_option_text("--guest", name)
        check_option_text("--guest", position)
    roles: set[str] = set()
    for email in spec.attendees:
        person = reg.settings.person(email)
        if person is None:
            raise Incomplete("record.unknown_person", email=email, hint="hint.add_person")
        roles.update(person.roles)
    if "ppid_pembantu" not in roles or len(roles) < 2:
        raise Incomplete("meeting.attendees", hint="hint.meeting")
    if spec.rejects and not spec.note.strip():
        raise UsageError("usage.note_required")
    return spec


def meeting_document(meeting_id: str, spec: MeetingSpec, moves: Sequence[Move]) -> dict[str, Any]:
    """The meeting record, in the key order of :data:`model.MEETING_KEYS`; the optional
    ``nomor``, ``tamu`` and ``notulen`` only when given."""
    results: list[dict[str, Any]] = []
    for move in sorted(moves, key=lambda m: m.item.id):
        result = {"informasi": move.item.id, "keputusan": move.transition.target}
        if move.transition.target == model.Status.RETURNED.value:
            result["catatan"] = spec.note.strip()
        results.append(result)
    guests = [split_guest(g) for g in dict.fromkeys(spec.guests)]
    document: dict[str, Any] = {
        "id": meeting_id,
        "nomor": spec.number.strip(),
        "tanggal": spec.date,
        "waktu": spec.time,
        "tempat": spec.place.strip(),
        "pimpinan": spec.chair,
        "peserta": [e.lower() for e in dict.fromkeys(spec.attendees)],
        "tamu": [
            {"nama": name, "jabatan": position} if position else {"nama": name}
            for name, position in guests
        ],
        "hasil": results,
        "penyimpanan": {"softcopy": spec.softcopy.strip(), "hardcopy": spec.hardcopy.strip()},
        "notulen": spec.minutes.strip(),
    }
    optional = ("nomor", "waktu", "pimpinan", "tamu", "notulen")
    return {k: v for k, v in document.items() if v or k not in optional}


def check_decree(number: str, date: str) -> None:
    if not number.strip():
        raise Incomplete("incomplete.option", option="--number", hint="hint.decree")
    check_option_text("--number", number)
    if checks.check_date(date) is not None:
        raise UsageError("usage.bad_date", option="--date", value=date)


def check_url(url: str) -> None:
    if checks.check_url(url) is not None:
        raise UsageError("usage.bad_url", value=url[:200])
