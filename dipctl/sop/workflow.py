"""The SOP *Penetapan dan Pemutakhiran DIP* as one table (SPEC.md section 2).

The step commands decide with it, ``dipctl status`` reads who acts next from it, and
``dipctl verify`` replays history against it. Nothing here does I/O.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dipctl.register import model
from dipctl.register.model import Status


@dataclass(frozen=True)
class Transition:
    action: str  # the command, and the DIP-Action trailer
    step: int  # the SOP step number (0: pemutakhiran, outside the six steps)
    sources: tuple[str, ...]
    target: str
    role: str
    forward: bool = True  # False for returns, rejections and withdrawals


S = Status
TRANSITIONS: tuple[Transition, ...] = (
    Transition("new", 1, (), S.DRAFT.value, "kasubbag"),
    Transition("submit", 1, (S.DRAFT.value, S.RETURNED.value), S.SUBMITTED.value, "kasubbag"),
    Transition("review", 2, (S.SUBMITTED.value,), S.FORWARDED.value, "sekretaris"),
    Transition("review", 2, (S.SUBMITTED.value,), S.RETURNED.value, "sekretaris", forward=False),
    Transition("classify", 3, (S.FORWARDED.value,), S.CLASSIFIED.value, "ppid_pembantu"),
    Transition(
        "classify", 3, (S.FORWARDED.value,), S.RETURNED.value, "ppid_pembantu", forward=False
    ),
    Transition("meeting", 4, (S.CLASSIFIED.value,), S.DETERMINED.value, "ppid_pembantu"),
    Transition(
        "meeting", 4, (S.CLASSIFIED.value,), S.RETURNED.value, "ppid_pembantu", forward=False
    ),
    Transition("establish", 5, (S.DETERMINED.value,), S.ESTABLISHED.value, "kepala"),
    # exempt items: the head approves the consequence tests, the PPID issues the DIK
    Transition("approve", 5, (S.DETERMINED.value,), S.APPROVED.value, "kepala"),
    Transition("exempt", 5, (S.APPROVED.value,), S.ESTABLISHED.value, "ppid_pembantu"),
    Transition("publish", 6, (S.ESTABLISHED.value,), S.PUBLISHED.value, "ppid_pembantu"),
    Transition("revise", 0, (S.ESTABLISHED.value, S.PUBLISHED.value), S.DRAFT.value, "kasubbag"),
    Transition(
        "withdraw",
        0,
        (S.ESTABLISHED.value, S.PUBLISHED.value),
        S.WITHDRAWN.value,
        "kepala",
        forward=False,
    ),
    # an exemption ends (UU 14/2008 Pasal 20, a Komisi Informasi or court decision, a new
    # consequence test): the PPID's Penetapan DIK takes the item out of the DIK, as public
    # information that enters the DIP with the head's next `establish`
    Transition(
        "lift",
        0,
        (S.ESTABLISHED.value, S.PUBLISHED.value),
        S.DETERMINED.value,
        "ppid_pembantu",
        forward=False,
    ),
)

# -- recorded events and the mutu baku clocks (issue 13.3) ----------------------------------


@dataclass(frozen=True)
class Event:
    """A recorded SOP event: one commit that names items and moves none. Its commit writes
    one record (``penyampaian/<id>.yaml``) and starts a step's clock."""

    action: str  # the command's DIP-Action trailer
    step: int
    sources: tuple[str, ...]  # the status every item it names must have
    role: str


#: ``dipctl decree present``: the PPID Pembantu, who prepared the draft after the meeting
#: (step 4), presents the draft SK DIP (or, with ``--dik``, the consequence tests and the
#: draft Penetapan DIK) to the kepala: the SOP's step 5 kelengkapan "Draft SK DIP".
EVENTS: tuple[Event, ...] = (Event("present", 5, (S.DETERMINED.value,), "ppid_pembantu"),)


def event(action: str) -> Event | None:
    return next((e for e in EVENTS if e.action == action), None)


@dataclass(frozen=True)
class Clock:
    """When a bounded step's time starts and stops (SPEC.md section 2: the time the step's
    own work takes once its input is ready, not the waiting time between steps)."""

    standard: str  # its key under ``mutu_baku`` in register.yaml
    step: int
    start: str  # what starts it (see CLOCK_STARTS)
    stops: tuple[str, ...]  # the actions whose commit stops it


#: What starts a clock: the meeting's own date (``rapat/<id>.yaml`` ``tanggal``), the
#: presentation of the draft decree (a ``present`` commit), the decree (the step-5 commit).
CLOCK_STARTS = ("meeting_date", "present", "decree")
CLOCKS: tuple[Clock, ...] = (
    Clock("rapat", 4, "meeting_date", ("meeting",)),
    # the DIK: from the presentation to the head through the approval to the Penetapan DIK
    Clock("penetapan", 5, "present", ("establish", "exempt")),
    Clock("pengunggahan", 6, "decree", ("publish",)),
)


def clock_for(action: str) -> Clock | None:
    """The clock that ``action``'s commit stops (None: the step has no mutu baku)."""
    return next((c for c in CLOCKS if action in c.stops), None)


#: Who may edit an item's content, by status (SPEC.md section 2); absent: nobody.
EDITORS: dict[str, str] = {
    S.DRAFT.value: "kasubbag",
    S.RETURNED.value: "kasubbag",
    S.SUBMITTED.value: "sekretaris",
    S.FORWARDED.value: "ppid_pembantu",
}


#: The action of ``dipctl edit``: content only, no status change, by the editor above.
EDIT = "edit"

#: The managed and content fields each action may set besides ``status`` (verify checks
#: that a commit changes nothing else of an item it moves).
SETS: dict[str, frozenset[str]] = {
    "new": frozenset(),
    "submit": frozenset(),
    "review": frozenset({"catatan"}),
    "classify": frozenset({"catatan", "kategori", "pengecualian"}),
    "meeting": frozenset({"catatan", "rapat"}),
    "establish": frozenset({"keputusan"}),
    "approve": frozenset(),
    "exempt": frozenset({"keputusan"}),
    "publish": frozenset(),
    "revise": frozenset({"catatan", "revisi", "rapat", "keputusan"}),
    "withdraw": frozenset({"catatan", "keputusan"}),
    "lift": frozenset({"kategori", "pengecualian", "keputusan"}),
    # an undo puts the whole file back as it was before the step it undoes (the `undo`
    # rule of verify checks that it is exactly that), so it may change any field
    "undo": frozenset(model.ITEM_KEYS),
}

#: The steps ``dipctl undo`` reverses: those before establishment. After it, corrections
#: go through ``revise`` or ``withdraw``.
UNDOABLE = ("submit", "review", "classify", "meeting")
#: Who may undo any undoable step, besides the officer who took it.
UNDO_OVERRIDE = "kepala"


def _undos() -> tuple[Transition, ...]:
    """Each transition of an undoable step backwards, as the step's role or a kepala."""
    return tuple(
        Transition("undo", t.step, (t.target,), source, role, forward=False)
        for t in TRANSITIONS
        if t.action in UNDOABLE
        for source in t.sources
        for role in dict.fromkeys((t.role, UNDO_OVERRIDE))
    )


#: The moves of ``dipctl undo``: never implied by a status change, only claimed by an
#: ``undo`` commit whose ``DIP-Undoes`` names the step it reverses.
UNDOS: tuple[Transition, ...] = _undos()


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def next_step(status: str) -> Transition | None:
    """The forward step that an item in ``status`` waits for, or None when it waits for none
    (withdrawn, or published: then only pemutakhiran moves it)."""
    return next((t for t in transitions_from(status) if t.forward and t.step > 0), None)


@functools.lru_cache(maxsize=1024)
def find(action: str, source: str, target: str, role: str = "") -> Transition | None:
    """The transition ``action`` makes from ``source`` to ``target``; ``source`` is "" for
    a new item (the ``new`` step, which has no source status). ``role`` chooses among the
    moves of ``undo`` (its author's role, or a kepala's); the first fits otherwise. (Kept
    per question: verify asks it for every item change of the history, and the tables are
    constant.)"""
    fits = [
        t
        for t in (UNDOS if action == "undo" else TRANSITIONS)
        if t.action == action
        and t.target == target
        and (source in t.sources or (not t.sources and not source))
    ]
    return next((t for t in fits if t.role == role), fits[0] if fits else None)


#: How each step is taken, as the refusal messages show it.
USAGE: dict[str, str] = {
    "submit": "dipctl submit {id}",
    "review": "dipctl review {id} --approve | --return -m CATATAN",
    "classify": "dipctl classify {id} --category KATEGORI | --return -m CATATAN",
    "meeting": "dipctl meeting {id} --date D --time HH:MM --place P --chair EMAIL"
    " --attendee EMAIL… --softcopy S --hardcopy H",
    "establish": "dipctl establish {id} --number N --date D",
    "approve": "dipctl approve {id}",
    "exempt": "dipctl exempt {id} --number N --date D",
    "publish": "dipctl publish {id} --url URL",
    "revise": "dipctl revise {id}",
    "withdraw": "dipctl withdraw {id} --number N --date D -m ALASAN",
    "lift": "dipctl lift {id} --category KATEGORI --number N --date D -m ALASAN",
    "undo": "dipctl undo {id} -m ALASAN",
    EDIT: "dipctl edit {id} --title … | --set KUNCI=NILAI",
    "present": "dipctl decree present {id}",
}


def next_moves(status: str) -> list[Transition]:
    """The steps an item in ``status`` may take, forward first, one per action."""
    seen: dict[str, Transition] = {}
    for t in sorted(transitions_from(status), key=lambda t: (not t.forward, t.step)):
        seen.setdefault(t.action, t)
    return list(seen.values())


def actions_into(action: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action]
