"""``dipctl federate sync``: fetch every member, prove what arrived, keep what was proven.

The fetches run several at once (``jobs``), each bounded by ``timeout``; the proofs then run
one after another (verify is CPU-bound). Per member the outcome is one of:

- ``verified``: the new tip is proven (:mod:`~dipctl.federation.proving`) and becomes the
  member's verified commit, with what it holds (:mod:`~dipctl.federation.holdings`);
- ``failed`` / ``refused``: the new history is not proven; the last verified state stays,
  and the rule and commit (or the reason) are recorded beside it;
- ``unreachable``: the server did not answer; the last verified state stays, marked stale
  since the first attempt that failed.

The floor of "last verified" is the mirror's own ref, never the state file: a deleted or
planted state file cannot make an unproven commit pass, and the enrolment commit
(``didaftarkan`` in the federation's own, verified register.yaml) is the floor when the
mirror is new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import LockHeld
from dipctl.federation import holdings, proving, state
from dipctl.federation.members import Member, members_of
from dipctl.federation.mirror import VERIFIED, Mirror, Unreachable
from dipctl.feedback import silent
from dipctl.files import flock_file, release_lock

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from dipctl.feedback import Progress
    from dipctl.register.config import Register

DEFAULT_JOBS = 4
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Outcome:
    member: Member
    state: state.MemberState
    moved: bool  # the verified commit changed in this sync

    @property
    def failed(self) -> bool:
        return self.state.result in (proving.FAILED, proving.REFUSED)


def folder_of(reg: Register) -> Path:
    assert reg.git_dir is not None
    return reg.git_dir / "dipctl" / "anggota"


#: How long a sync or a build waits for another one to finish with the mirrors.
LOCK_WAIT = 600.0


@contextlib.contextmanager
def mirrors_locked(reg: Register, wait: float = LOCK_WAIT) -> Iterator[None]:
    """The mirrors for one process at a time: a sync fetching and materializing them, or a
    build or report reading them (a swap in the middle of a read would lose files)."""
    folder = folder_of(reg)
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / ".lock"
    fd = flock_file(lock, wait)
    if fd is None:
        raise LockHeld("git.lock_held", path=lock, seconds=f"{wait:g}", hint="hint.lock_held")
    try:
        yield
    finally:
        release_lock(lock, fd)


def now_text(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sync(
    reg: Register,
    data: dict[str, object],
    jobs: int = DEFAULT_JOBS,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress = silent,
    now: dt.datetime | None = None,
    full: bool = False,
) -> list[Outcome]:
    """Every member of register.yaml's ``data``, fetched, proven and recorded; ``full``
    proves the last verified commits again too (walking each member's whole history), as CI
    does with mirrors it restored from a cache."""
    with mirrors_locked(reg):
        members = members_of(data)
        if full:  # mirrors restored from elsewhere: nothing in them but proven objects counts
            for member in members:
                Mirror(reg, member.name).scrub()
        return _sync(reg, members, jobs, timeout, progress, now_text(now), full)


def _sync(
    reg: Register,
    members: list[Member],
    jobs: int,
    timeout: float,
    progress: Progress,
    when: str,
    full: bool,
) -> list[Outcome]:
    fetched: dict[str, str | Unreachable] = {}

    def fetch(member: Member) -> None:
        try:
            fetched[member.name] = Mirror(reg, member.name).fetch(
                member.url, member.branch, timeout
            )
        except Unreachable as exc:
            fetched[member.name] = exc

    progress("progress.federate.fetch", 0, len(members))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(fetch, members))
    outcomes = []
    for done, member in enumerate(members):
        progress("progress.federate.prove", done, len(members))
        outcomes.append(_settle(reg, member, fetched[member.name], when, full))
    return outcomes


def _settle(
    reg: Register, member: Member, arrived: str | Unreachable, when: str, full: bool
) -> Outcome:
    folder = folder_of(reg)
    mirror = Mirror(reg, member.name)
    known = _floor(mirror, member, state.load(folder, member.name), when, full)
    known.checked_at = when
    if isinstance(arrived, Unreachable):
        _mark(known, state.UNREACHABLE, "federation.unreachable",
              {"reason": arrived.reason[:200]}, when)  # fmt: skip
        state.save(folder, known)
        return Outcome(member, known, False)
    known.tip = arrived
    if arrived == known.verified:
        _clear(known)
        state.save(folder, known)
        return Outcome(member, known, False)
    floor = known.verified or member.enrolled
    proof = proving.prove(mirror, member.folder, arrived, member.root, floor, full)
    if not proof.ok:
        _mark(known, proof.status, proof.key, proof.params, when)
        state.save(folder, known)
        return Outcome(member, known, False)
    _adopt(mirror, member, known, proof, when)
    _clear(known)
    state.save(folder, known)
    return Outcome(member, known, True)


def _floor(
    mirror: Mirror, member: Member, known: state.MemberState, when: str, full: bool
) -> state.MemberState:
    """The member's last verified state as this sync may build on: the mirror's ref (the
    state file only describes it), proven again when ``full``; without one, the enrolment
    commit when it is in the mirror and still proven (a new mirror, a CI runner)."""
    verified = mirror.resolve(VERIFIED)
    if full and verified and not _proof(mirror, member, verified).ok:
        mirror.git("update-ref", "-d", VERIFIED)  # not proven here: never built upon
        verified = ""
    if known.verified != verified:
        known = state.MemberState(member.name, verified=verified)
    if not verified and member.enrolled and mirror.resolve(member.enrolled):
        proof = _proof(mirror, member, member.enrolled)
        if proof.ok:
            _adopt(mirror, member, known, proof, when)
    return known


def _proof(mirror: Mirror, member: Member, commit: str) -> proving.Proof:
    """``commit`` proven again from enrolment, over the member's whole history."""
    return proving.prove(mirror, member.folder, commit, member.root, member.enrolled, True)


def _adopt(
    mirror: Mirror, member: Member, known: state.MemberState, proof: proving.Proof, when: str
) -> None:
    """Make the proven ``proof.tip`` the member's verified state."""
    mirror.keep(proof.tip, member.folder)
    known.verified, known.verified_at = proof.tip, when
    known.holdings = holdings.of_commit(
        mirror, proof.tip, member.folder, proof.agency, proof.head_keys
    )


def _mark(
    known: state.MemberState, result: str, reason: str, params: dict[str, str], when: str
) -> None:
    """Record a failed attempt; ``since`` is the first of the failed attempts in a row."""
    if known.result in (proving.VERIFIED, state.NEVER) or not known.since:
        known.since = when
    known.result, known.reason, known.params = result, reason, params


def _clear(known: state.MemberState) -> None:
    known.result, known.reason, known.params, known.since = proving.VERIFIED, "", {}, ""


def states(reg: Register, data: dict[str, object]) -> list[tuple[Member, state.MemberState]]:
    """Every member with its last known state, without fetching (the portal, the report)."""
    folder = folder_of(reg)
    found = []
    for member in members_of(data):
        known = state.load(folder, member.name)
        if known.verified != Mirror(reg, member.name).resolve(VERIFIED):
            known = state.MemberState(member.name)
        found.append((member, known))
    return found
