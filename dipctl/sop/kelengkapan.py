"""Kelengkapan: what each step needs before it may be taken (SPEC.md section 2).

Each check raises :class:`~dipctl.errors.Incomplete` (exit 3) naming what is missing, or
:class:`~dipctl.errors.UsageError` (exit 2) for a malformed option. The builders return
the plain mappings that become meeting and decree files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.errors import Incomplete, InvalidFile, UsageError
from dipctl.register import checks, model, store

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item
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
    from dipctl.register.validate import item_problems

    problems = item_problems(reg, item.path, model.Status.SUBMITTED.value)
    if problems:
        raise Incomplete(
            "incomplete.perki",
            id=item.id,
            count=len(problems),
            problems=problems,
            hint="hint.fill_in",
        )


def return_note(note: str) -> str:
    if not note.strip():
        raise UsageError("usage.note_required")
    check_option_text("--note", note)
    return note.strip()


def exemption_file(path: Path) -> dict[str, Any]:
    """``--exemption FILE``: a YAML mapping of the ``pengecualian`` keys (or one nested
    under ``pengecualian:``)."""
    if not path.is_file():
        raise UsageError("usage.no_file", option="--exemption", value=path)
    data = store.load(path)
    if isinstance(data, dict) and isinstance(data.get("pengecualian"), dict):
        data = data["pengecualian"]
    if not isinstance(data, dict):
        raise InvalidFile("file.not_mapping", path=path, line=1)
    return data


def classification(
    reg: Register, item: Item, category: str, test: dict[str, Any] | None
) -> dict[str, Any]:
    """The field updates of step 3; an exempt item needs a complete consequence test."""
    if category not in model.CATEGORIES:
        raise UsageError(
            "usage.bad_choice",
            option="--category",
            value=category,
            choices=", ".join(model.CATEGORIES),
        )
    if category != model.EXEMPT:
        return {"kategori": category, "pengecualian": None}
    if test is None:
        current = store.load(item.path).get("pengecualian")
        test = current if isinstance(current, dict) else {}
    missing = exemption_gaps(test)
    if missing:
        raise Incomplete(
            "incomplete.exemption", id=item.id, keys=", ".join(missing), hint="hint.exemption"
        )
    return {"kategori": category, "pengecualian": {k: test[k] for k in model.EXEMPTION_KEYS}}


def exemption_gaps(test: dict[str, Any]) -> list[str]:
    """The consequence-test keys that are missing, empty or malformed."""
    gaps = [k for k in test if k not in model.EXEMPTION_KEYS]
    for key in model.EXEMPTION_KEYS[:-1]:
        if checks.check_text(test.get(key)) is not None:
            gaps.append(key)
    ends = test.get("berakhir")
    if ends != model.PERMANENT and checks.check_date(ends) is not None:
        gaps.append("berakhir")
    return gaps


def check_meeting(reg: Register, spec: MeetingSpec) -> None:
    """Step 4: date, place, attendees (the PPID Pembantu and another role), storage."""
    if checks.check_date(spec.date) is not None:
        raise UsageError("usage.bad_date", option="--date", value=spec.date)
    from dipctl.sop.decree import step_day

    if spec.date > step_day().isoformat():
        raise Incomplete("meeting.future", date=spec.date, hint="hint.meeting")
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


def meeting_document(meeting_id: str, spec: MeetingSpec, moves: Sequence[Move]) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for move in sorted(moves, key=lambda m: m.item.id):
        result = {"informasi": move.item.id, "keputusan": move.transition.target}
        if move.transition.target == model.Status.RETURNED.value:
            result["catatan"] = spec.note.strip()
        results.append(result)
    document: dict[str, Any] = {
        "id": meeting_id,
        "tanggal": spec.date,
        "tempat": spec.place.strip(),
        "peserta": [e.lower() for e in dict.fromkeys(spec.attendees)],
        "hasil": results,
        "penyimpanan": {"softcopy": spec.softcopy.strip(), "hardcopy": spec.hardcopy.strip()},
    }
    if spec.minutes.strip():
        document["notulen"] = spec.minutes.strip()
    return document


def check_decree(number: str, date: str) -> None:
    if not number.strip():
        raise Incomplete("incomplete.option", option="--number", hint="hint.decree")
    check_option_text("--number", number)
    if checks.check_date(date) is not None:
        raise UsageError("usage.bad_date", option="--date", value=date)


def check_url(url: str) -> None:
    if checks.check_url(url) is not None:
        raise UsageError("usage.bad_url", value=url[:200])


def check_on_site(items: Sequence[Item], site: Path) -> None:
    """Step 6: every item is in the built site (``dipctl build``) that was uploaded, as the
    site's own downloads list it: ``dip.json`` (the DIP, by id) or ``dik.json`` (the DIK,
    which publishes no id: by its title)."""
    import json

    lists = {"dip.json": "informasi", "dik.json": "dikecualikan"}
    if not all((site / name).is_file() for name in lists):
        raise Incomplete("incomplete.no_site", path=site, hint="hint.build")
    published: dict[str, set[str]] = {}
    for name, key in lists.items():
        try:
            rows = json.loads((site / name).read_text(encoding="utf-8")).get(key, [])
        except (OSError, ValueError, AttributeError):
            rows = []
        field = "judul" if name == "dik.json" else "id"
        published[name] = {str(row.get(field)) for row in rows if isinstance(row, dict)}
    missing = [
        i.id
        for i in items
        if (
            i.title not in published["dik.json"]
            if i.category == model.EXEMPT
            else i.id not in published["dip.json"]
        )
    ]
    if missing:
        raise Incomplete(
            "incomplete.not_on_site", ids=", ".join(missing), path=site, hint="hint.build"
        )
