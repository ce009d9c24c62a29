"""``dipctl status``: where every item stands in the SOP, who is awaited with which step,
and what is overdue (SPEC.md section 5): the DIP's next pemutakhiran, the items whose next
edition is due, the exemptions that have ended (:mod:`dipctl.sop.cycle`). Read-only:
nothing here writes or commits."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.register import model
from dipctl.register.queries import load_decrees, load_items
from dipctl.sop import cycle as cycles
from dipctl.sop import decree, presented, workflow

if TYPE_CHECKING:
    import datetime as dt

    from dipctl.register.config import Register
    from dipctl.register.records import Item


@dataclass(frozen=True)
class Warning:
    item: str
    key: str
    params: dict[str, Any]
    command: str = ""  # what to do: ``dipctl revise ID``, or for an exemption ``dipctl lift``


#: The steps an item waits for, in the SOP's order (``present``: the draft decree presented
#: to the kepala, which starts step 5's clock, before ``establish`` or, for the DIK,
#: ``approve``), and the exact command of each (``{ids}``: the items' ids, or ``ID…``).
ORDER = ("submit", "review", "classify", "meeting", "present", "establish", "approve", "exempt",
         "publish")  # fmt: skip
COMMANDS = {
    "submit": "dipctl submit {ids}",
    "review": "dipctl review {ids} --approve",
    "classify": "dipctl classify {ids} --category KATEGORI",
    "meeting": workflow.USAGE["meeting"].replace("{id}", "{ids}"),
    "present": "dipctl decree present --all",
    "present-dik": "dipctl decree present --dik --all",
    "establish": "dipctl establish --all --number N --date D",
    "approve": "dipctl approve {ids}",
    "exempt": "dipctl exempt --all --number N --date D",
    "publish": "dipctl publish --all --url URL",
}


@dataclass(frozen=True)
class Waiting:
    """One step that items wait for: who takes it (the role, and the officers who may take
    it for these items), the exact command, and the items."""

    role: str
    action: str  # a step of ORDER
    dik: bool  # the DIK's path (``present --dik``)
    command: str
    items: tuple[str, ...]
    officers: tuple[str, ...]  # names; () when nobody holds the role


@dataclass
class StatusReport:
    total: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_unit: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    waiting: list[Waiting] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    #: "dip" / "dik" -> (id, nomor, tanggal) of the decree of that list in force
    in_force: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: the DIP's pemutakhiran: last update, deadline, overdue (:func:`cycle.dip_cycle`)
    cycle: cycles.Cycle | None = None


def status(reg: Register, today: dt.date) -> StatusReport:
    """Counts per status and unit, who each waiting item waits for, and what is overdue."""
    settings = reg.settings
    decrees = load_decrees(reg)
    items = load_items(reg)
    report = StatusReport(cycle=cycles.dip_cycle(reg, settings, decrees, today))
    for item in items:
        report.total += 1
        report.by_status[item.status] += 1
        report.by_unit[item.unit][item.status] += 1
    report.waiting = waiting(reg, items)
    for key, dik in (("dip", False), ("dik", True)):
        found = decree.in_force(decrees, dik)
        if found is not None:
            report.in_force[key] = (found.id, found.number, found.date)
    report.warnings = [_warning(s) for s in cycles.stale(reg, settings, items, today)]
    return report


def waiting(reg: Register, items: list[Item]) -> list[Waiting]:
    """Each step that items wait for, in the SOP's order. A ``ditentukan`` item waits first
    for the PPID Pembantu to present the draft decree (``decree present``, ``--dik`` for
    exempt items; SPEC.md section 2: a presentation names ``ditentukan`` items, and step 5's
    clock starts there), then for the kepala: ``establish``, or for the DIK ``approve``,
    after which the PPID Pembantu issues the Penetapan DIK (``exempt``)."""
    determined = [i for i in items if i.status == model.Status.DETERMINED.value]
    shown = presented.presented(reg, determined)
    groups: dict[tuple[str, str, bool], list[Item]] = defaultdict(list)
    steps = {status: workflow.next_step(status) for status in {i.status for i in items}}
    for item in items:
        step = steps[item.status]
        if step is None:
            continue
        action, role, exempt = step.action, step.role, item.category == model.EXEMPT
        if item.status == model.Status.DETERMINED.value:
            if item.id not in shown:
                action, role = "present", workflow.EVENTS[0].role
            elif exempt:
                action, role = "approve", "kepala"
        dik = exempt and action in ("present", "approve", "exempt")
        groups[(role, action, dik)].append(item)
    found = [
        _waiting(reg, role, action, dik, group) for (role, action, dik), group in groups.items()
    ]
    return sorted(found, key=lambda w: (ORDER.index(w.action), w.dik, w.role))


def _waiting(reg: Register, role: str, action: str, dik: bool, group: list[Item]) -> Waiting:
    ids = tuple(i.id for i in group)
    template = COMMANDS["present-dik" if action == "present" and dik else action]
    command = template.format(ids=ids[0] if len(ids) == 1 else "ID…")
    people = reg.settings.people
    officers = tuple(p.name for p in people if any(p.may_act_for(role, i.unit) for i in group))
    return Waiting(role, action, dik, command, ids, officers)


def _warning(found: cycles.Stale) -> Warning:
    if found.kind == "edition":
        params = {"edition": found.since, "period": found.period, "due": found.due}
        return Warning(found.item, "warn.edition", params, found.command)
    if found.kind == "exemption_ending":
        params = {"ends": found.since, "days": found.period}
        return Warning(found.item, "warn.exemption_ending", params, found.command)
    return Warning(found.item, "warn.exemption_ended", {"ends": found.since}, found.command)
