"""``dipctl officer add|set|remove``: the head keeps ``orang`` in register.yaml, the people
who may act and as which roles (SPEC.md sections 3 and 4), each change one commit of a
kepala (:func:`dipctl.sop.admin.administer`).

A change is refused when it would leave the register without a kepala, or leave items
waiting for a role that nobody would hold any more (the only kasubbag of a unit whose
drafts wait, the only PPID Pembantu while items wait for classification): the head adds
the successor first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused, UsageError
from dipctl.register import model, roundtrip, signers
from dipctl.register.queries import load_items
from dipctl.register.records import Settings
from dipctl.sop import admin, bootstrap, workflow

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Person

ACTION = "officer"
TRAILER = "DIP-Officer"
NIP = bootstrap.FormField("nip", "--nip", "nip", "nip")
#: How many waiting items a refusal names.
SHOWN = 5


@dataclass(frozen=True)
class OfficerForm:
    """The options of ``officer add`` and ``officer set``; None: not given (``set`` keeps
    the value), "" or (): remove it (``nip``, ``pangkat``, ``golongan``, ``unit``)."""

    name: str | None = None
    position: str | None = None
    roles: tuple[str, ...] | None = None
    units: tuple[str, ...] | None = None
    nip: str | None = None
    rank: str | None = None
    grade: str | None = None


def checked(form: OfficerForm) -> OfficerForm:
    """Each given value as ``validate`` would accept it in ``orang``, else exit 2 naming
    the option."""
    roles = form.roles
    if roles is not None:
        roles = tuple(dict.fromkeys(r.strip() for r in roles if r.strip()))
        for role in roles:
            if role not in model.ROLES:
                raise UsageError(
                    "usage.bad_choice", option="--role", value=role[:40],
                    choices=", ".join(model.ROLES),
                )  # fmt: skip
        if not roles:
            raise UsageError("usage.empty", option="--role")
    units = form.units
    if units is not None:
        units = tuple(dict.fromkeys(u.strip() for u in units if u.strip()))
    grade = form.grade
    if grade is not None:
        grade = grade.strip()
        if grade and not model.GRADE_RE.match(grade):
            raise UsageError("admin.bad_grade", option="--golongan", value=grade[:20])
    return OfficerForm(
        name=None if form.name is None else admin.text("--name", form.name),
        position=None if form.position is None else admin.text("--position", form.position),
        roles=roles,
        units=units,
        nip=None if form.nip is None else bootstrap.checked_form_value(NIP, form.nip),
        rank=None if form.rank is None else admin.text("--pangkat", form.rank, required=False),
        grade=grade,
    )


def _email(value: str) -> str:
    email = value.strip().lower()
    if not model.EMAIL_RE.match(email) or not signers.valid_email(email):
        raise UsageError("usage.bad_email", option="EMAIL", value=value.strip()[:80])
    return email


def add_officer(
    reg: Register,
    email: str,
    form: OfficerForm,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> admin.Administered:
    """``dipctl officer add EMAIL --name N --position J --role R…``: a new entry of ``orang``."""
    email = _email(email)
    for option, value in (("--name", form.name), ("--position", form.position)):
        if value is None:
            raise UsageError("usage.empty", option=option)
    form = checked(replace(form, roles=form.roles or ()))

    def change(data: Any) -> admin.Plan:
        people = _people(data)
        if _find(people, email) is not None:
            raise Refused("admin.officer_exists", email=email, hint="hint.officer_set")
        entry = roundtrip.commented(
            {"nama": roundtrip.text_scalar(form.name or ""), "email": email}
        )
        _apply(entry, form, data)
        people.append(entry)
        return admin.Plan(f"orang: {email} ({', '.join(form.roles or ())})", {TRAILER: email})

    return admin.administer(reg, as_email, f"{ACTION} add", change, when)


def set_officer(
    reg: Register,
    email: str,
    form: OfficerForm,
    as_email: str | None,
    when: dt.datetime | None = None,
) -> admin.Administered:
    """``dipctl officer set EMAIL [options]``: the given fields of an officer's entry."""
    email = _email(email)
    form = checked(form)

    def change(data: Any) -> admin.Plan:
        people = _people(data)
        index = _find(people, email)
        if index is None:
            raise _unknown(email, people)
        before = Settings.from_mapping(_plain(data))
        _apply(people[index], form, data)
        _refuse_needed(reg, before, Settings.from_mapping(_plain(data)), email)
        return admin.Plan(f"orang: {email}", {TRAILER: email})

    return admin.administer(reg, as_email, f"{ACTION} set", change, when)


def remove_officer(
    reg: Register, email: str, as_email: str | None, when: dt.datetime | None = None
) -> admin.Administered:
    """``dipctl officer remove EMAIL``: the entry leaves ``orang`` and the officer's keys
    leave ``penanda-tangan`` (signatures made with them stay valid: verify reads each
    commit's parent)."""
    email = _email(email)
    keys_file = reg.root / signers.FILE

    def change(data: Any) -> admin.Plan:
        people = _people(data)
        index = _find(people, email)
        if index is None:
            raise _unknown(email, people)
        before = Settings.from_mapping(_plain(data))
        del people[index]
        _refuse_needed(reg, before, Settings.from_mapping(_plain(data)), email)
        files: dict[Path, bytes | None] = {}
        current = keys_file.read_text(encoding="utf-8") if keys_file.is_file() else ""
        kept = signers.remove(current, email)
        if kept != current:
            files[keys_file] = kept.encode("utf-8")
        return admin.Plan(f"orang: {email} -", {TRAILER: email}, files)

    return admin.administer(reg, as_email, f"{ACTION} remove", change, when)


# -- the entry -----------------------------------------------------------------------------


def _apply(entry: Any, form: OfficerForm, data: Any) -> None:
    """Write the given fields of ``form`` into one entry of ``orang``, in the keys' order."""
    for key, value in (
        ("nama", form.name),
        ("jabatan", form.position),
        ("nip", form.nip),
        ("pangkat", form.rank),
        ("golongan", form.grade),
    ):
        if value:
            roundtrip.set_value(entry, key, roundtrip.text_scalar(value), model.PERSON_KEYS)
        elif value is not None:
            entry.pop(key, None)
    if form.roles is not None:
        roundtrip.set_value(entry, "peran", list(form.roles), model.PERSON_KEYS)
    if form.units is not None:
        known = admin.units_of(data)
        for unit in form.units:
            if unit not in known:
                raise admin.unknown_unit("--unit", unit, data)
        if form.units:
            roundtrip.set_value(entry, "unit", list(form.units), model.PERSON_KEYS)
        else:
            entry.pop("unit", None)
    roles = entry.get("peran") or []
    if "kasubbag" in roles and not entry.get("unit"):
        raise UsageError("admin.kasubbag_unit", email=str(entry.get("email") or ""))


def _people(data: Any) -> Any:
    people = data.get("orang")
    if not isinstance(people, list):
        roundtrip.set_value(data, "orang", [], model.REGISTER_KEYS)
        people = data["orang"]
    return people


def _find(people: Sequence[Any], email: str) -> int | None:
    return next(
        (
            i
            for i, p in enumerate(people)
            if isinstance(p, dict) and str(p.get("email") or "").strip().lower() == email
        ),
        None,
    )


def _unknown(email: str, people: Sequence[Any]) -> UsageError:
    known = [str(p.get("email")) for p in people if isinstance(p, dict) and p.get("email")]
    return UsageError("admin.unknown_officer", email=email, known=", ".join(known) or "-",
                      hint="hint.officer_add")  # fmt: skip


def _plain(data: Any) -> dict[str, Any]:
    return {"unit": data.get("unit"), "orang": data.get("orang")}


# -- who is still needed -------------------------------------------------------------------


def _refuse_needed(reg: Register, before: Settings, after: Settings, email: str) -> None:
    """No kepala left, or items waiting for a role (for their unit) that someone held before
    the change and nobody holds after it: refused, naming them."""
    if not after.people_with("kepala"):
        raise Refused("admin.last_kepala", email=email, role="kepala",
                      hint="hint.officer_successor")  # fmt: skip
    waiting: dict[tuple[str, str], list[str]] = {}
    for item in load_items(reg):
        for role in _awaited(item.status):
            unit = item.unit if role in ("kasubbag", "sekretaris") else None
            if _holders(before, role, unit) and not _holders(after, role, unit):
                waiting.setdefault((role, unit or "-"), []).append(item.id)
    for (role, unit), ids in sorted(waiting.items()):
        shown = ", ".join(ids[:SHOWN]) + (f" (+{len(ids) - SHOWN})" if len(ids) > SHOWN else "")
        raise Refused(
            "admin.still_needed", email=email, role=role, role_name=f"role.{role}", unit=unit,
            ids=shown, hint="hint.officer_successor",
        )  # fmt: skip


def _awaited(status: str) -> list[str]:
    """The roles an item in ``status`` waits for: its next step's, and its editor's."""
    roles = []
    step = workflow.next_step(status)
    if step is not None:
        roles.append(step.role)
    editor = workflow.EDITORS.get(status)
    if editor is not None and editor not in roles:
        roles.append(editor)
    return roles


def _holders(settings: Settings, role: str, unit: str | None) -> list[Person]:
    return settings.people_with(role, unit)
