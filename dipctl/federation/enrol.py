"""``dipctl member add|remove``: the federation's kepala enrols or removes a member.

Enrolment fetches the member and proves its history (:func:`~dipctl.federation.proving.prove`)
before anything is written: only a member whose own ``verify`` is clean and whose register
requires signed steps is enrolled. The step is a kepala's change of register.yaml's
``anggota`` (:func:`dipctl.sop.admin.administer`), signed where the federation requires it and
judged by verify like any change of the settings: it records the URL and branch, the root of
the member's history (``akar``), the commit proven (``didaftarkan``) and its head's keys.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused, UsageError
from dipctl.federation import holdings, members, proving, state
from dipctl.federation.mirror import Mirror, Unreachable
from dipctl.federation.sync import DEFAULT_TIMEOUT, folder_of, mirrors_locked, now_text
from dipctl.register import model, roundtrip, store
from dipctl.sop import admin

if TYPE_CHECKING:
    import datetime as dt

    from dipctl.register.config import Register

ACTION = "member"
TRAILER = "DIP-Member"


@dataclass(frozen=True)
class Enrolled:
    name: str
    agency: str
    tip: str
    commit: str  # the federation's commit ("" when nothing changed)


def add(
    reg: Register,
    name: str,
    url: str,
    branch: str = members.DEFAULT_BRANCH,
    folder: str = members.DEFAULT_FOLDER,
    as_email: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    when: dt.datetime | None = None,
) -> Enrolled:
    name, url = name.strip(), url.strip()
    if not members.NAME_RE.fullmatch(name):
        raise UsageError("federation.bad_name", value=name[:80])
    url = admin.text("URL", url)
    branch, folder = admin.text("--branch", branch), admin.text("--folder", folder)
    federation(reg)
    session_check(reg, as_email)
    if name in _enrolled(reg):
        raise Refused("federation.exists", name=name, hint="hint.member_remove")
    with mirrors_locked(reg):
        return _add(reg, name, url, (branch, folder), as_email, timeout, when)


def _add(
    reg: Register,
    name: str,
    url: str,
    where: tuple[str, str],
    as_email: str | None,
    timeout: float,
    when: dt.datetime | None,
) -> Enrolled:
    branch, folder = where
    mirror = Mirror(reg, name)
    try:
        tip = mirror.fetch(url, branch, timeout)
    except Unreachable as exc:
        raise Refused("federation.cannot_fetch", name=name, url=url, reason=exc.reason,
                      hint="hint.member_url") from None  # fmt: skip
    proof = proving.prove(mirror, folder, tip)
    if not proof.ok:
        raise Refused("federation.not_enrolled", name=name, hint=proof.key, **proof.params)
    root = proving.tip_root(mirror, tip)

    def change(data: Any) -> admin.Plan:
        section = admin.section(data, members.SECTION)
        if name in section:
            raise Refused("federation.exists", name=name, hint="hint.member_remove")
        entry: dict[str, Any] = {"nama": roundtrip.text_scalar(proof.agency), "url": url,
                                 "cabang": branch}  # fmt: skip
        if folder != members.DEFAULT_FOLDER:
            entry["folder"] = folder
        entry |= {"akar": root, "didaftarkan": tip, "kunci_kepala": list(proof.head_keys)}
        roundtrip.set_value(section, name, roundtrip.commented(entry), (*section, name))
        return admin.Plan(f"{name}: {proof.agency}", {TRAILER: name})

    done = admin.administer(reg, as_email, f"{ACTION} add", change, when)
    mirror.keep(tip, folder)
    known = state.MemberState(name, verified=tip, verified_at=now_text(when), tip=tip,
                              result=proving.VERIFIED, checked_at=now_text(when))  # fmt: skip
    known.holdings = holdings.of_commit(mirror, tip, folder, proof.agency, proof.head_keys)
    state.save(folder_of(reg), known)
    return Enrolled(name, proof.agency, tip, done.commit)


def remove(
    reg: Register, name: str, as_email: str | None = None, when: dt.datetime | None = None
) -> Enrolled:
    name = name.strip()
    federation(reg)
    if name not in _enrolled(reg):
        known = ", ".join(sorted(_enrolled(reg))) or "-"
        raise UsageError("federation.unknown", name=name[:80], known=known)

    def change(data: Any) -> admin.Plan:
        section = admin.section(data, members.SECTION)
        title = section[name].get("nama", name) if isinstance(section[name], dict) else name
        del section[name]
        return admin.Plan(f"{name}: {title}", {TRAILER: name})

    done = admin.administer(reg, as_email, f"{ACTION} remove", change, when)
    with mirrors_locked(reg):
        shutil.rmtree(Mirror(reg, name).path, ignore_errors=True)
        state.path_of(folder_of(reg), name).unlink(missing_ok=True)
    return Enrolled(name, "", "", done.commit)


def session_check(reg: Register, as_email: str | None) -> None:
    """Refuse before fetching anything when the acting officer is not a kepala."""
    from dipctl.sop.transaction import Session

    session = Session(reg, as_email)
    admin.refuse_others(reg, session.person.email, session.person.roles, f"{ACTION} add")


def federation(reg: Register) -> dict[str, Any]:
    """register.yaml of a federation; refused when the register is not one."""
    data = store.load(reg.config_file)
    if not isinstance(data, dict) or not model.is_federation(data):
        raise Refused("federation.not_federation", path=reg.relative(reg.config_file),
                      hint="hint.init_federation")  # fmt: skip
    return data


def _enrolled(reg: Register) -> set[str]:
    return {m.name for m in members.members_of(federation(reg))}
