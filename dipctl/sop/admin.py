"""The head's administration of register.yaml (SPEC.md sections 3 and 4): the units
(``dipctl unit add|rename``) and the agency's kop and the PPID's contact (``dipctl agency
set``) here, the officers in :mod:`dipctl.sop.officers`.

Like ``dipctl key add``, each is one commit of a kepala, signed where the register requires
it, that changes only register.yaml (an officer's removal also ``penanda-tangan``), with
comments, key order and quoting kept. ``verify`` judges it as any commit: the rules
``people`` (``orang``, ``penanda-tangan``) and ``settings`` (``unit``, ``badan_publik``)
accept it from a kepala and report the same change made by anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import NotAuthorized, Refused, UsageError
from dipctl.gitrepo import Actor
from dipctl.register import checks, model, roundtrip, store
from dipctl.sop import bootstrap, commits
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from dipctl.register.config import Register

ROLE = "kepala"
UNIT = "unit"
AGENCY = "agency"
UNIT_TRAILER = "DIP-Unit"


@dataclass(frozen=True)
class Plan:
    """What a change did to register.yaml's mapping: the commit's subject, its trailers,
    and other files of the same commit (their full new content; None deletes)."""

    subject: str
    trailers: dict[str, str] = field(default_factory=dict)
    files: dict[Path, bytes | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Administered:
    subject: str
    commit: str  # "" : nothing changed, nothing was committed


def administer(
    reg: Register,
    as_email: str | None,
    command: str,
    change: Callable[[Any], Plan],
    when: dt.datetime | None = None,
) -> Administered:
    """Apply ``change`` to register.yaml as committed, as one commit of the acting kepala;
    ``command`` ("unit add") names the step, its first word is the ``DIP-Action``."""
    action = command.split()[0]
    session = Session(reg, as_email)
    refuse_others(reg, session.person.email, session.person.roles, command)
    with session.locked():
        config = reg.config_file
        if session.repo.changed([config]):  # a hand edit would be swept into the head's step
            raise Refused(
                "admin.uncommitted", path=reg.relative(config), hint="hint.admin_uncommitted"
            )
        before = store.read_text(config)
        data = roundtrip.load_for_edit(config)
        plan = change(data)
        text = roundtrip.dump(data)
        files: dict[Path, bytes | None] = dict(plan.files)
        if store.parse(text, config) != store.parse(before, config):
            files[config] = text.encode("utf-8")
        if not files:
            return Administered(plan.subject, "")
        message = commits.message(action, ROLE, [], subject=plan.subject, extra=plan.trailers)
        actor = Actor(session.person.name, session.person.email)
        sha = session.repo.commit_files(actor, files, message, when, session._sign())
    return Administered(plan.subject, sha)


def refuse_others(reg: Register, email: str, roles: tuple[str, ...], command: str) -> None:
    if ROLE not in roles:
        heads = ", ".join(f"{p.name} <{p.email}>" for p in reg.settings.people_with(ROLE))
        raise NotAuthorized(
            "admin.not_kepala", email=email, command=f"dipctl {command}", who=heads or "-",
            hint="hint.admin_kepala",
        )  # fmt: skip


# -- checking what the head typed ----------------------------------------------------------


def text(option: str, value: str, required: bool = True) -> str:
    """One line of text for register.yaml, as ``validate`` would accept it ("" when empty
    and not required)."""
    value = value.strip()
    if not value:
        if required:
            raise UsageError("usage.empty", option=option)
        return ""
    bootstrap.checked_form_value(bootstrap.FormField("", option, "", "text"), value)
    return value


def unit_id(option: str, value: str) -> str:
    value = value.strip()
    if checks.check_id(value) is not None or not roundtrip.reads_back(value):
        raise UsageError("admin.bad_unit_id", option=option, value=value[:80])
    return value


def section(data: Any, key: str) -> Any:
    """The mapping ``data[key]``, made when missing."""
    current = data.get(key)
    if not isinstance(current, dict):
        roundtrip.set_value(data, key, {}, model.REGISTER_KEYS)
    found: Any = data[key]
    return found


def units_of(data: Mapping[str, Any]) -> Any:
    current = data.get("unit")
    return current if isinstance(current, dict) else {}


def unknown_unit(option: str, unit: str, data: Mapping[str, Any]) -> UsageError:
    known = ", ".join(sorted(str(u) for u in units_of(data))) or "-"
    return UsageError("admin.unknown_unit", option=option, unit=unit, units=known,
                      hint="hint.unit_add")  # fmt: skip


# -- units ---------------------------------------------------------------------------------


def add_unit(
    reg: Register, key: str, name: str, as_email: str | None, when: dt.datetime | None = None
) -> Administered:
    """``dipctl unit add ID --name NAME``: a new unit under ``unit``."""
    key, name = unit_id("ID", key), text("--name", name)

    def change(data: Any) -> Plan:
        units = section(data, "unit")
        if key in units:
            shown = units[key].get("nama") if isinstance(units[key], dict) else ""
            raise Refused("admin.unit_exists", unit=key, name=shown or "-", hint="hint.unit_rename")
        entry = roundtrip.commented({"nama": roundtrip.text_scalar(name)})
        roundtrip.set_value(units, key, entry, (*units, key))  # after the others
        return Plan(f"{key}: {name}", {UNIT_TRAILER: key})

    return administer(reg, as_email, f"{UNIT} add", change, when)


def rename_unit(
    reg: Register, key: str, name: str, as_email: str | None, when: dt.datetime | None = None
) -> Administered:
    """``dipctl unit rename ID --name NAME``: the unit's ``nama`` (its key, which item files
    and officers name, stays)."""
    key, name = key.strip(), text("--name", name)

    def change(data: Any) -> Plan:
        units = units_of(data)
        if key not in units:
            raise unknown_unit("ID", key, data)
        if not isinstance(units[key], dict):
            roundtrip.set_value(units, key, roundtrip.commented({"nama": name}), tuple(units))
        else:
            roundtrip.set_value(units[key], "nama", roundtrip.text_scalar(name), model.UNIT_KEYS)
        return Plan(f"{key}: {name}", {UNIT_TRAILER: key})

    return administer(reg, as_email, f"{UNIT} rename", change, when)


# -- the agency's kop and the PPID's contact -----------------------------------------------

#: ``agency set``'s options: the agency's name, short name and seat, and init's form (the kop,
#: the PPID's contact and service hours; the head's NIP is ``officer set EMAIL --nip``).
AGENCY_FIELDS = (
    bootstrap.FormField("agency", "--agency", "nama", "text"),
    bootstrap.FormField("short", "--short", "singkatan", "text"),
    bootstrap.FormField("place", "--place", "tempat", "text"),
    *(f for f in bootstrap.FORM if f.attr != "head_nip"),
)
REQUIRED_AGENCY = ("nama",)


def set_agency(
    reg: Register,
    values: Mapping[str, str | None],
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Administered:
    """``dipctl agency set``: each given field of ``badan_publik`` (by :data:`AGENCY_FIELDS`
    attribute; "" removes an optional one), as one commit."""
    given: dict[str, str] = {}
    for f in AGENCY_FIELDS:
        value = values.get(f.attr)
        if value is None:
            continue
        if not value.strip() and f.key in REQUIRED_AGENCY:
            raise UsageError("usage.empty", option=f.option)
        given[f.key] = bootstrap.checked_form_value(f, value)
    if not given:
        options = " ".join(f.option for f in AGENCY_FIELDS)
        raise UsageError("admin.nothing_given", options=options)

    def change(data: Any) -> Plan:
        agency = section(data, "badan_publik")
        changed = []
        for key, value in given.items():
            if value and agency.get(key) != value:
                roundtrip.set_value(agency, key, roundtrip.text_scalar(value), model.AGENCY_KEYS)
                changed.append(key)
            elif not value and key in agency:
                del agency[key]
                changed.append(key)
        return Plan(f"badan_publik: {', '.join(changed) or '-'}")

    return administer(reg, as_email, f"{AGENCY} set", change, when)
