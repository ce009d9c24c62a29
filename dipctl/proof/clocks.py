"""The mutu baku clocks read from the history (SPEC.md section 2, issue 13.3).

One walk over the register's history, read from the history index (:mod:`dipctl.proof.index`,
which reads each commit and parses each item version once, ever), records each status change
of each item as a :class:`StepTime`.
A bounded step is measured by its own clock (:data:`dipctl.sop.workflow.CLOCKS`), never by
the waiting time since the item's previous step:

- step 4 (``meeting``, ``mutu_baku.rapat``): from the meeting's date (``tanggal`` of its
  ``rapat/<id>.yaml``) to the commit that records it. A date without a time of day is
  counted in whole calendar days, in the record commit's own time zone: recorded the same
  day is 0, the next day 1 hari. A date with a time and zone is counted to the second.
- step 5 (``establish``, or for the DIK ``exempt``; ``mutu_baku.penetapan``): from the
  presentation of the draft decree to the kepala (a ``dipctl decree present`` commit) to the
  commit of the decree. The presentation that counts is the latest one of the same kind
  (SK DIP or Penetapan DIK) that named the item since it became ``ditentukan`` and whose
  lampiran equals the decree's (:func:`dipctl.sop.presentation.digest`). For the DIK the
  clock runs through the head's ``approve`` to the Penetapan DIK; ``approve`` itself has no
  clock of its own.
- step 6 (``publish``, ``mutu_baku.pengunggahan``): from the commit of the item's decree
  (its step 5 in this cycle) to the upload.

Where a clock's start is not recorded, the step is *not measured*, with the reason
(:data:`REASONS`): never a guess. A step whose commit is dated before an earlier commit of
the item (verify's ``date`` rule), or before its clock's start, is not measured either, so
no duration is ever negative. Each step is held to the ``mutu_baku`` in force at its
commit's parent, so relaxing a standard later erases no miss. Committer dates are used, as
everywhere in dipctl's proof.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from dipctl.proof import index
from dipctl.proof.history import preflight
from dipctl.proof.step import ItemChange, register_prefix
from dipctl.register import model
from dipctl.sop import workflow

if TYPE_CHECKING:
    from dipctl.proof.index_rows import Row, Version
    from dipctl.register.config import Register

#: The SOP's own standards, for a register.yaml that does not state one.
SOP_STANDARDS = {"rapat": "1 hari", "penetapan": "60 menit", "pengunggahan": "60 menit"}
#: A status change (from, to) -> the SOP transition; every pair names exactly one step.
MOVES = {(s, t.target): t for t in workflow.TRANSITIONS for s in t.sources or ("",)}
#: Why a bounded step is not measured (the ``tidak_diukur`` of ``--json``).
REASONS = (
    "no_meeting_date",  # the meeting record has no readable date
    "no_presentation",  # no presentation of the draft decree named the item before it
    "draft_differs",  # presented, but the decree's lampiran is not the draft presented
    "no_decree",  # the item's decree is not a step in this history (imported, trust root)
    "backdated",  # dated before an earlier commit of the item or before its clock's start
    "recorded_late",  # put on the chain later than its bound after the time it claims
)
_CYCLE = ("new", "revise", "withdraw")


#: A :class:`StepTime` field's key in ``--json`` (the register's vocabulary, as ``status``
#: and ``history``), by field.
JSON_KEYS = {
    "item": "informasi",
    "unit": "unit",
    "revision": "revisi",
    "action": "langkah",
    "source": "dari",
    "target": "ke",
    "date": "tanggal",
    "commit": "commit",
    "name": "nama",
    "email": "email",
    "role": "peran",
    "seconds": "detik",
    "bound": "mutu_baku",
    "bound_text": "batas",
    "bound_seconds": "batas_detik",
    "backdated": "tanggal_mundur",
    "start_kind": "mulai_dari",
    "start": "mulai",
    "start_commit": "mulai_commit",
    "reason": "tidak_diukur",
    "days": "hitungan_hari",
}


class StepTime(NamedTuple):
    """One status change of one item, and for a bounded step the time its clock measured.

    A named tuple, not a dataclass: the kept walk (:mod:`dipctl.proof.clock_cache`) makes
    112,000 of them again at 10,000 items, each from the tuple of its values, in C."""

    item: str
    unit: str
    revision: int
    action: str  # "" for a status change that is no step
    source: str  # "" when the file was added
    target: str
    date: str  # committer date, ISO 8601 with zone
    commit: str
    name: str
    email: str
    role: str
    seconds: int | None  # None: not measured, or no clock
    bound: str  # the mutu_baku key, or ""
    bound_text: str  # as written in register.yaml
    bound_seconds: int | None
    #: dated before the item's previous step (see verify's `date`): not measured
    backdated: bool = False
    start_kind: str = ""  # CLOCK_STARTS, or ""
    start: str = ""  # a date, or ISO with zone
    start_commit: str = ""
    reason: str = ""  # REASONS, or ""
    days: bool = False  # whole calendar days

    @property
    def measured(self) -> bool:
        return self.seconds is not None and self.bound_seconds is not None

    @property
    def missed(self) -> bool:
        return self.measured and (self.seconds or 0) > (self.bound_seconds or 0)

    @property
    def unmeasured(self) -> bool:
        """A bounded step whose clock could not be read (see :attr:`reason`)."""
        return bool(self.bound) and not self.measured


@dataclass(frozen=True)
class _Presented:
    when: dt.datetime
    sha: str
    kind: str
    digest: str
    backdated: bool


@dataclass
class _Clock:
    """What a bounded step's clock found: start, seconds, or why it is not measured."""

    kind: str = ""
    start: str = ""
    commit: str = ""
    seconds: int | None = None
    reason: str = ""
    days: bool = False


@dataclass
class Walk:
    """Per item, what the clocks need while the history is replayed."""

    items_prefix: str
    prefix: str
    latest: dict[str, dt.datetime] = field(default_factory=dict)
    current: dict[str, dict[str, Any]] = field(default_factory=dict)
    presented: dict[str, list[_Presented]] = field(default_factory=dict)
    decreed: dict[str, tuple[dt.datetime, str, bool]] = field(default_factory=dict)
    standards: dict[str, str] = field(default_factory=lambda: standards_of({}))


def standards_of(quality: dict[str, str]) -> dict[str, str]:
    """The register's mutu baku; the SOP's where one is missing or no duration (validate)."""
    return {
        key: quality[key] if model.duration_minutes(quality.get(key)) is not None else text
        for key, text in SOP_STANDARDS.items()
    }


def walk(reg: Register) -> tuple[list[StepTime], int]:
    """Every status change in the history, in history order, and the commits read."""
    state = start(reg)
    steps: list[StepTime] = []
    preflight(reg.work_tree)
    versions, history = index.read(
        reg, state.prefix, lambda found: (found.versions(), found.rows())
    )
    return steps, advance(state, steps, versions, history)


def start(reg: Register) -> Walk:
    """The clocks' state before the first commit of the register's history."""
    prefix = register_prefix(reg)
    return Walk(f"{prefix}{model.ITEMS_DIR}/", prefix)


def advance(
    state: Walk, steps: list[StepTime], versions: dict[str, Version], history: list[Row]
) -> int:
    """Replay ``history`` on ``state``, adding its status changes to ``steps``: the walk of
    a history is the walk of its first commits continued by the rest
    (:mod:`dipctl.proof.clock_cache` keeps one); the number of commits read."""
    count = 0
    for commit in history:
        count += 1
        when = dt.datetime.fromisoformat(commit.date)
        changes = [_change(versions, *c) for c in commit.changes]
        if commit.present is not None:
            _presentation(state, commit, when)
        for change in changes:
            if change.after is None:
                _forget(state, change.id)
                continue
            if change.moved:
                steps.append(_step(state, commit, change, when))
            state.current[change.id] = change.after
        if commit.standards is not None:
            state.standards = standards_of(commit.standards)
    return count


def _change(
    versions: dict[str, Version],
    item: str,
    path: str,
    old_path: str,
    old: str | None,
    new: str | None,
) -> ItemChange:
    before = versions[old].mapping() if old else None
    return ItemChange(
        path, item, before, versions[new].mapping() if new else None, old_path=old_path
    )


def _forget(state: Walk, item: str) -> None:
    state.latest.pop(item, None)
    state.current.pop(item, None)
    state.presented.pop(item, None)
    state.decreed.pop(item, None)


def _seen(state: Walk, item: str, when: dt.datetime) -> bool:
    """Note ``when`` in the item's chain; False when it is dated before an earlier commit."""
    since = state.latest.get(item)
    state.latest[item] = max(when, since) if since else when
    return since is None or when >= since


def _presentation(state: Walk, commit: Row, when: dt.datetime) -> None:
    """A ``present`` commit as recorded (verify's ``present`` rule judges it): each item it
    names that is ``ditentukan`` and of the draft's kind gets a presentation (the index
    keeps a draft only from a ``ppid_pembantu``, one file, its lampiran's digest right)."""
    assert commit.present is not None
    kind, digest = commit.present
    for item in dict.fromkeys(commit.items):
        now = state.current.get(item) or {}
        exempt = now.get("kategori") == model.EXEMPT
        if now.get("status") != model.Status.DETERMINED.value:
            continue
        if exempt != (kind == model.DIK_KIND):
            continue
        honest = _seen(state, item, when)
        state.presented.setdefault(item, []).append(
            _Presented(when, commit.sha, kind, digest, not honest)
        )


def _step(state: Walk, commit: Row, change: ItemChange, when: dt.datetime) -> StepTime:
    source = change.status_before if change.before is not None else ""
    transition = MOVES.get((source, change.status_after))
    if commit.action == "undo":  # a step back, whatever step its two statuses look like
        transition = workflow.find("undo", source, change.status_after, commit.role)
    action = transition.action if transition else ""
    honest = _seen(state, change.id, when) or action in _CYCLE
    clock = workflow.clock_for(action) if action != "undo" else None
    key = clock.standard if clock else ""
    text = state.standards[key] if key else ""
    minutes = model.duration_minutes(text) if key else None
    found = _measure(state, commit, change, when, clock) if clock else _Clock()
    if clock and not honest and found.reason in ("", "backdated"):
        found = _Clock(found.kind, found.start, found.commit, None, "backdated", found.days)
    if found.seconds is not None and minutes is not None and _recorded_late(commit, when, minutes):
        found = _Clock(found.kind, found.start, found.commit, None, "recorded_late", found.days)
    _advance(state, change, action, when, commit.sha, honest)
    revision = (change.after or {}).get("revisi")
    shared = sys.intern  # one string for the many steps alike: a smaller kept walk
    return StepTime(
        item=shared(change.id),
        unit=shared(change.unit),
        revision=revision if isinstance(revision, int) else 0,
        action=action,
        source=shared(source),
        target=shared(change.status_after),
        date=commit.date,
        commit=commit.sha,
        name=shared(commit.name),
        email=shared(commit.email.lower()),
        role=shared(commit.role or (transition.role if transition else "")),
        seconds=found.seconds,
        bound=key,
        bound_text=text,
        bound_seconds=minutes * 60 if minutes is not None else None,
        backdated=found.reason == "backdated" or (not honest and action not in _CYCLE),
        start_kind=found.kind,
        start=shared(found.start),
        start_commit=found.commit,
        reason=found.reason,
        days=found.days,
    )


def _advance(
    state: Walk, change: ItemChange, action: str, when: dt.datetime, sha: str, honest: bool
) -> None:
    """After a status change: a new cycle forgets the clocks' starts; a decree starts 6."""
    item, target = change.id, change.status_after
    if target == model.Status.DETERMINED.value or action in _CYCLE or action == "undo":
        state.presented.pop(item, None)
        state.decreed.pop(item, None)
    if action in ("establish", "exempt"):
        state.presented.pop(item, None)
        state.decreed[item] = (when, sha, not honest)


def _measure(
    state: Walk, commit: Row, change: ItemChange, when: dt.datetime, clock: workflow.Clock
) -> _Clock:
    if clock.start == "meeting_date":
        return _from_meeting_date(commit, when)
    if clock.start == "present":
        return _from_presentation(state, commit, change, when)
    decreed = state.decreed.get(change.id)
    if decreed is None:
        return _Clock("decree", reason="no_decree")
    start, sha, backdated = decreed
    return _span("decree", start, sha, when, backdated)


def _recorded_late(commit: Row, when: dt.datetime, minutes: int) -> bool:
    """Put on the chain (committer date) more than the step's own bound after the time it
    claims to have been taken (author date)."""
    return bool(commit.time) and commit.time - when.timestamp() > minutes * 60


def _span(kind: str, start: dt.datetime, sha: str, end: dt.datetime, backdated: bool) -> _Clock:
    seconds = int((end - start).total_seconds())
    if backdated or seconds < 0:
        return _Clock(kind, start.isoformat(), sha, None, "backdated")
    return _Clock(kind, start.isoformat(), sha, seconds)


def _from_meeting_date(commit: Row, when: dt.datetime) -> _Clock:
    """Step 4: the meeting's own date (of the DIP-Meeting record the commit wrote) to its
    record; a bare date in whole calendar days."""
    text = commit.meeting
    try:
        held = dt.datetime.fromisoformat(text) if "T" in text or " " in text else None
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return _Clock("meeting_date", reason="no_meeting_date")
    if held is not None and held.tzinfo is not None:
        return _span("meeting_date", held, "", when, False)
    days = (when.date() - day).days
    if days < 0:
        return _Clock("meeting_date", day.isoformat(), "", None, "backdated", True)
    return _Clock("meeting_date", day.isoformat(), "", days * 86400, "", True)


def _from_presentation(state: Walk, commit: Row, change: ItemChange, when: dt.datetime) -> _Clock:
    """Step 5: the latest presentation of the item whose lampiran the decree's equals (the
    DIP-Decree record the commit wrote: its kind and lampiran digest, once per commit)."""
    kind, digest = commit.decree
    shown = [p for p in state.presented.get(change.id, []) if p.kind == kind]
    if not shown:
        return _Clock("present", reason="no_presentation")
    matching = [p for p in shown if p.digest == digest]
    if not matching:
        return _Clock("present", shown[-1].when.isoformat(), shown[-1].sha, None, "draft_differs")
    chosen = matching[-1]
    return _span("present", chosen.when, chosen.sha, when, chosen.backdated)
