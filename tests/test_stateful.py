"""A stateful model test (issue 11 point 8): random sequences of every step command, by
random officers (entitled or not, and an outsider), on random items, in a real git
repository, against a model of the SOP state machine of SPEC.md section 2.

After every step: the exit code is the model's (0 legal and entitled, 3 refused), ``list
--json`` shows the model's statuses, a refusal changed nothing (HEAD, a clean work tree) and
a success made exactly one commit whose trailers name the action and the items moved. At the
end of each example ``dipctl verify`` is clean: a history made only by dipctl always is.

DIPCTL_STATEFUL_EXAMPLES sets the number of examples (default 50, 200 under
DIPCTL_LONG_TESTS=1 as `make nightly` runs it; randomized when set), DIPCTL_STATEFUL_STEPS
the steps of each (default 8). docs/reliability.md has the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from dipctl.cli.app import app
from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    LONG,
    PPID,
    SEKRETARIS,
    dipctl,
    git,
)
from tests.test_sop import EXEMPTION

OUTSIDER = "orang.luar@example.com"
ACTORS = (KEPALA, SEKRETARIS, PPID, KASUBBAG, KASUBBAG_PROGRAM, OUTSIDER)
KASUBBAG_OF = {"sekretariat": KASUBBAG, "program": KASUBBAG_PROGRAM}
UNITS = tuple(KASUBBAG_OF)
CATEGORIES = ("berkala", "serta-merta", "setiap-saat", "dikecualikan")
EXEMPT = "dikecualikan"
URL = "https://dinas.example.go.id/dip/"
COMPLETE = ("--summary", "Ringkasan isi informasi.", "--responsible", "Sekretaris Dinas",
            "--made", "2026", "--place", "Palangka Raya", "--form", "softcopy",
            "--retention", "5 tahun")  # fmt: skip
EXAMPLES = int(os.environ.get("DIPCTL_STATEFUL_EXAMPLES", "200" if LONG else "50"))
STEPS = int(os.environ.get("DIPCTL_STATEFUL_STEPS", "8"))
LOG = os.environ.get("DIPCTL_STATEFUL_LOG")
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=not os.environ.get("DIPCTL_STATEFUL_EXAMPLES"),
)

#: (action, done) -> how many steps of the run: what the run exercised (printed at the end)
OUTCOMES: Counter[tuple[str, bool]] = Counter()

# who holds which role, for which units (None: the whole agency); the outsider holds none
ROLES: dict[str, dict[str, tuple[str, ...] | None]] = {
    KEPALA: {"kepala": None},
    SEKRETARIS: {"sekretaris": None},
    PPID: {"ppid_pembantu": None},
    KASUBBAG: {"kasubbag": ("sekretariat",)},
    KASUBBAG_PROGRAM: {"kasubbag": ("program",)},
}
# the model of SPEC.md section 2: action -> (source statuses, role)
SOURCES = {
    "submit": ({"draf", "dikembalikan"}, "kasubbag"),
    "review": ({"diajukan"}, "sekretaris"),
    "classify": ({"diteruskan"}, "ppid_pembantu"),
    "meeting": ({"diklasifikasi"}, "ppid_pembantu"),
    "establish": ({"ditentukan"}, "kepala"),  # public items only: exempt ones take the DIK path
    "approve": ({"ditentukan"}, "kepala"),  # exempt items only: the head approves the test
    "exempt": ({"disetujui"}, "ppid_pembantu"),  # the PPID's Penetapan DIK
    "publish": ({"ditetapkan"}, "ppid_pembantu"),
    "revise": ({"ditetapkan", "diunggah"}, "kasubbag"),
    "withdraw": ({"ditetapkan", "diunggah"}, "kepala"),
}


def entitled(who: str, role: str, unit: str) -> bool:
    if role not in ROLES.get(who, {}):
        return False
    units = ROLES[who][role]
    return units is None or unit in units


@dataclass(frozen=True)
class Item:
    """What the model knows of an item."""

    unit: str
    status: str
    complete: bool = True  # the Perki fields (kelengkapan of submit)
    category: str | None = None
    tested: bool = False  # carries a complete `pengecualian`
    shown: str | None = None  # the kategori of the version on the site (last established)
    edition: int = 0  # how often established: each time its published content hash changes


def _fits(action: str, item: Item) -> bool:
    """The kategori an action needs: exempt information never goes into a DIP decree, and
    is approved by the head and established by the PPID's Penetapan DIK instead; it leaves
    the DIK by pemutakhiran (revise), not by a withdrawal from the DIP."""
    exempt = item.category == EXEMPT
    if action in ("approve", "exempt"):
        return exempt
    if action in ("establish", "withdraw"):
        return not exempt
    return True


@dataclass(frozen=True)
class Site:
    """A built site: the ids in dip.json and the titles in dik.json, each with the edition
    of the item it shows (step 6 compares the content hash of the established version)."""

    path: Path
    dip: frozenset[tuple[str, int]]
    dik: frozenset[tuple[str, int]]


def title(item_id: str) -> str:
    return f"Informasi {item_id}"


# -- the prepared register: items in every status, made only by dipctl ---------------------


def _run(register: Path, *args: str | Path) -> None:
    result = dipctl(*args, "--register", register)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)


def _prepare(template: Path, folder: Path) -> tuple[Path, dict[str, Item], Site]:
    """A copy of the ``repo`` template with one item in each status (both units, exempt
    items), every commit made by a dipctl command, and its built site."""
    path = folder / "dinas"
    shutil.copytree(template, path, symlinks=True)
    reg = path / "register"
    exemption = folder / "uji.yaml"
    exemption.write_text(EXEMPTION, encoding="utf-8")
    plan = [  # id, unit, last status, kategori
        ("draf-a", "sekretariat", "draf", None),
        ("kembali-b", "program", "dikembalikan", None),
        ("ajukan-c", "sekretariat", "diajukan", None),
        ("terus-d", "program", "diteruskan", None),
        ("kelas-e", "sekretariat", "diklasifikasi", "berkala"),
        ("kelas-f", "program", "diklasifikasi", EXEMPT),
        ("tentu-g", "sekretariat", "ditentukan", "serta-merta"),
        ("tentu-h", "program", "ditentukan", EXEMPT),
        ("setuju-m", "program", "disetujui", EXEMPT),
        ("tetap-i", "program", "ditetapkan", "setiap-saat"),
        ("unggah-j", "sekretariat", "diunggah", "berkala"),
        ("cabut-k", "program", "dicabut", "berkala"),
    ]
    order = ["draf", "diajukan", "diteruskan", "diklasifikasi", "ditentukan", "ditetapkan"]
    model: dict[str, Item] = {}
    for item_id, unit, last, category in plan:
        who = KASUBBAG_OF[unit]
        _run(reg, "new", "--unit", unit, "--title", title(item_id), "--id", item_id,
             *COMPLETE, "--as", who)  # fmt: skip
        reach = order.index(last) if last in order else len(order) - 1
        if last == "dikembalikan":
            reach = 1
        if last == "disetujui":
            reach = 4  # up to the meeting; then the head approves
        steps = [
            ("submit", item_id, "--as", who),
            ("review", item_id, "--approve", "--as", SEKRETARIS),
            (
                "classify",
                item_id,
                "--category",
                category or "berkala",
                "--as",
                PPID,
                *(("--exemption", str(exemption)) if category == EXEMPT else ()),
            ),
            (
                "meeting",
                item_id,
                "--date",
                "2026-06-10",
                "--place",
                "Ruang Rapat",
                "--attendee",
                PPID,
                "--attendee",
                SEKRETARIS,
                "--time",
                "09:00",
                "--chair",
                PPID,
                "--softcopy",
                "Folder PPID",
                "--hardcopy",
                "Lemari 1",
                "--as",
                PPID,
            ),
            (
                "establish",
                item_id,
                "--number",
                f"prep/{item_id}",
                "--date",
                "2026-06-15",
                "--as",
                KEPALA,
            ),
        ]
        for args in steps[:reach]:
            _run(reg, *args)
        if last == "dikembalikan":
            _run(reg, "review", item_id, "--return", "-m", "Kurang jelas", "--as", SEKRETARIS)
        if last == "disetujui":
            _run(reg, "approve", item_id, "--as", KEPALA)
        shown = category if reach == 5 else None
        if last == "diunggah":
            site = folder / "site"
            _run(reg, "build", "--out", site)
            _run(reg, "publish", item_id, "--url", URL, "--site", site, "--as", PPID)
        if last == "dicabut":
            _run(reg, "withdraw", item_id, "--number", f"cabut/{item_id}", "--date",
                 "2026-06-20", "-m", "Tidak berlaku", "--as", KEPALA)  # fmt: skip
            shown = None
        model[item_id] = Item(
            unit,
            last,
            category=category if reach >= 3 else None,
            tested=category == EXEMPT,
            shown=shown,
            edition=1 if reach == 5 else 0,
        )
    _run(reg, "new", "--unit", "program", "--title", title("kosong-l"), "--id", "kosong-l",
         "--as", KASUBBAG_PROGRAM)  # fmt: skip
    model["kosong-l"] = Item("program", "draf", complete=False)
    _run(reg, "build", "--out", folder / "site-prepared")
    assert git(path, "status", "--porcelain") == ""
    git(path, "repack", "-adq")  # thousands of loose objects made each copy and removal slow
    git(path, "prune-packed", "-q")
    return path, model, _site(folder / "site-prepared", model)


def _site_lists(
    items: dict[str, Item],
) -> tuple[frozenset[tuple[str, int]], frozenset[tuple[str, int]]]:
    """The ids of dip.json and the titles of dik.json with their editions, by the model."""
    shown = {i: item for i, item in items.items() if item.shown}
    return (
        frozenset((i, item.edition) for i, item in shown.items() if item.shown != EXEMPT),
        frozenset((title(i), item.edition) for i, item in shown.items() if item.shown == EXEMPT),
    )


def _site(out: Path, items: dict[str, Item]) -> Site:
    """The model's site built at ``out``, checked against what the build wrote."""
    site = Site(out, *_site_lists(items))
    dip = json.loads((out / "dip.json").read_text(encoding="utf-8"))["informasi"]
    assert sorted(row["id"] for row in dip) == sorted(i for i, _ in site.dip)
    dik = json.loads((out / "dik.json").read_text(encoding="utf-8"))["dikecualikan"]
    assert sorted(row["judul"] for row in dik) == sorted(t for t, _ in site.dik)
    return site


# -- the machine ---------------------------------------------------------------------------


class SopMachine(RuleBasedStateMachine):
    def __init__(self, template: Path, model: dict[str, Item], site: Site) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="dipctl-stateful-"))
        self.path = self.tmp / "dinas"
        shutil.copytree(template, self.path, symlinks=True)
        self.register = self.path / "register"
        self.exemption = self.tmp / "uji.yaml"
        self.exemption.write_text(EXEMPTION, encoding="utf-8")
        self.items = dict(model)
        self.site = site  # the prepared register's, until a rule builds again
        self.counter = 0
        self.head = self._last_commit()[0]

    # -- drawing ---------------------------------------------------------------------------

    def _ids(self, data: st.DataObject, action: str, most: int = 3) -> list[str]:
        """Some items, mostly ones the action may take (else the refusals would dominate)."""
        sources = SOURCES[action][0]
        ready = sorted(i for i, item in self.items.items() if item.status in sources)
        anything = data.draw(st.sampled_from([False, False, False, True]), label="any")
        pool = sorted(self.items) if anything or not ready else ready
        size = min(most, data.draw(st.sampled_from([1, 1, 2, 3]), label="size"))
        return data.draw(
            st.lists(st.sampled_from(pool), min_size=1, max_size=size, unique=True), label="ids"
        )

    def _who(self, data: st.DataObject, action: str, ids: list[str]) -> str:
        """Mostly the entitled officer of the first item, else anyone."""
        role = SOURCES[action][1]
        unit = self.items[ids[0]].unit if ids else UNITS[0]
        right = next(a for a in ACTORS if entitled(a, role, unit))
        return data.draw(st.sampled_from([right] * 6 + list(ACTORS)), label="who")

    def _may(self, action: str, ids: list[str], who: str) -> bool:
        sources, role = SOURCES[action]
        return all(
            self.items[i].status in sources
            and entitled(who, role, self.items[i].unit)
            and _fits(action, self.items[i])
            for i in ids
        )

    # -- running and checking --------------------------------------------------------------

    def _last_commit(self) -> tuple[str, str, str, list[str]]:
        """HEAD, its parent, its author and committer, its message lines: one git call."""
        head, parent, people, *body = git(
            self.path, "log", "-1", "--format=%H%n%P%n%ae %ce%n%B"
        ).splitlines()
        return head, parent, people, body

    def _step(
        self,
        action: str,
        args: list[str],
        legal: bool,
        moved: dict[str, Item],
        who: str,
    ) -> None:
        before = self.head
        result = dipctl(action, *args, "--as", who, "--register", self.register)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        expected = 0 if legal else 3
        OUTCOMES[(action, legal)] += 1
        assert result.exit_code == expected, (action, args, who, result.stdout, result.stderr)
        assert git(self.path, "status", "--porcelain") == "", (action, args)
        head, parent, people, lines = self._last_commit()
        if legal:
            assert parent == before, (action, args)  # exactly one commit on top
            assert f"DIP-Action: {action}" in lines, lines
            items = sorted(x.split(": ", 1)[1] for x in lines if x.startswith("DIP-Item: "))
            assert items == sorted(moved), lines
            assert people == f"{who} {who}", (people, who)  # author and committer
            self.items.update(moved)
            self.head = head
        else:
            assert head == before, (action, args, who)  # a refusal changed nothing
        listed = dipctl("list", "--json", "--register", self.register)
        assert listed.exit_code == 0, listed.stderr
        statuses = {row["id"]: row["status"] for row in json.loads(listed.stdout)}
        assert statuses == {i: item.status for i, item in self.items.items()}

    def _number(self) -> str:
        self.counter += 1
        return f"188.44/{self.counter}/2026"

    # -- the rules: every command ----------------------------------------------------------

    @rule(data=st.data(), unit=st.sampled_from(UNITS), incomplete=st.booleans())
    def new(self, data: st.DataObject, unit: str, incomplete: bool) -> None:
        complete = not incomplete
        who = data.draw(st.sampled_from([KASUBBAG_OF[unit]] * 6 + list(ACTORS)), label="who")
        item_id = f"baru-{len(self.items)}"
        legal = entitled(who, "kasubbag", unit)
        extra = list(COMPLETE) if complete else []
        args = ["--unit", unit, "--title", title(item_id), "--id", item_id, *extra]
        self._step("new", args, legal, {item_id: Item(unit, "draf", complete=complete)}, who)

    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        ids = self._ids(data, "submit")
        who = self._who(data, "submit", ids)
        legal = self._may("submit", ids, who) and all(self.items[i].complete for i in ids)
        moved = {i: replace(self.items[i], status="diajukan") for i in ids}
        self._step("submit", ids, legal, moved, who)

    @rule(data=st.data(), approve=st.booleans())
    def review(self, data: st.DataObject, approve: bool) -> None:
        ids = self._ids(data, "review")
        who = self._who(data, "review", ids)
        target = "diteruskan" if approve else "dikembalikan"
        moved = {i: replace(self.items[i], status=target) for i in ids}
        args = [*ids, *(["--approve"] if approve else ["--return", "-m", "Perbaiki ringkasan"])]
        self._step("review", args, self._may("review", ids, who), moved, who)

    @rule(
        data=st.data(),
        category=st.sampled_from(CATEGORIES),
        without=st.sampled_from([False, False, False, True]),
    )
    def classify(self, data: st.DataObject, category: str, without: bool) -> None:
        ids = self._ids(data, "classify")
        who = self._who(data, "classify", ids)
        legal = self._may("classify", ids, who)
        args = [*ids, "--category", category]
        exemption = not without  # mostly with the consequence-test file
        if category == EXEMPT and exemption:
            args += ["--exemption", str(self.exemption)]
        tested = category == EXEMPT and (exemption or all(self.items[i].tested for i in ids))
        if category == EXEMPT and not tested:
            legal = False  # no consequence test: kelengkapan
        moved = {
            i: replace(self.items[i], status="diklasifikasi", category=category, tested=tested)
            for i in ids
        }
        self._step("classify", args, legal, moved, who)

    @rule(data=st.data())
    def classify_return(self, data: st.DataObject) -> None:
        ids = self._ids(data, "classify")
        who = self._who(data, "classify", ids)
        moved = {i: replace(self.items[i], status="dikembalikan") for i in ids}
        args = [*ids, "--return", "-m", "Lengkapi isian"]
        self._step("classify", args, self._may("classify", ids, who), moved, who)

    @rule(data=st.data(), few=st.sampled_from([False] * 5 + [True]))
    def meeting(self, data: st.DataObject, few: bool) -> None:
        ids = self._ids(data, "meeting")
        who = self._who(data, "meeting", ids)
        rejects = data.draw(st.lists(st.sampled_from(ids), unique=True), label="rejects")
        attendees = ["--attendee", PPID] + (["--attendee", SEKRETARIS] if not few else [])
        legal = self._may("meeting", ids, who) and not few  # only the PPID: kelengkapan
        args = [*ids, "--date", "2026-06-25", "--place", "Ruang Rapat", *attendees,
                "--time", "09:00", "--chair", PPID,
                "--softcopy", "Folder PPID", "--hardcopy", "Lemari 1"]  # fmt: skip
        for r in rejects:
            args += ["--reject", r]
        if rejects:
            args += ["-m", "Belum tepat"]
        moved = {
            i: replace(self.items[i], status="dikembalikan" if i in rejects else "ditentukan")
            for i in ids
        }
        self._step("meeting", args, legal, moved, who)

    @rule(data=st.data(), all_=st.sampled_from([True, False, False]))
    def establish(self, data: st.DataObject, all_: bool) -> None:
        if all_:
            ids = sorted(
                i
                for i, item in self.items.items()
                if item.status == "ditentukan" and item.category != EXEMPT
            )  # --all takes the public ones only
            args = ["--all"]
            who = self._who(data, "establish", ids)
            legal = bool(ids) and self._may("establish", ids, who)
        else:
            ids = self._ids(data, "establish")
            who = self._who(data, "establish", ids)
            args = list(ids)
            legal = self._may("establish", ids, who)
        moved = {
            i: replace(
                self.items[i],
                status="ditetapkan",
                shown=self.items[i].category,
                edition=self.items[i].edition + 1,
            )
            for i in ids
        }
        args += ["--number", self._number(), "--date", "2026-06-30"]
        self._step("establish", args, legal, moved, who)

    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        ids = self._ids(data, "approve")
        who = self._who(data, "approve", ids)
        moved = {i: replace(self.items[i], status="disetujui") for i in ids}
        self._step("approve", list(ids), self._may("approve", ids, who), moved, who)

    @rule(data=st.data(), all_=st.sampled_from([True, False, False]))
    def exempt(self, data: st.DataObject, all_: bool) -> None:
        if all_:
            ids = sorted(i for i, item in self.items.items() if item.status == "disetujui")
            args = ["--all"]
            who = self._who(data, "exempt", ids)
            legal = bool(ids) and self._may("exempt", ids, who)
        else:
            ids = self._ids(data, "exempt")
            who = self._who(data, "exempt", ids)
            args = list(ids)
            legal = self._may("exempt", ids, who)
        moved = {
            i: replace(
                self.items[i],
                status="ditetapkan",
                shown=self.items[i].category,
                edition=self.items[i].edition + 1,
            )
            for i in ids
        }
        args += ["--number", self._number(), "--date", "2026-06-30"]
        self._step("exempt", args, legal, moved, who)

    @rule(data=st.data(), stale=st.sampled_from([False, False, True]), all_=st.booleans())
    def publish(self, data: st.DataObject, stale: bool, all_: bool) -> None:
        if not stale:  # else the site built last (by this example or the prepared one)
            self._build()
        site = self.site
        if all_:
            ids = sorted(i for i, item in self.items.items() if item.status == "ditetapkan")
            args = ["--all"]
            who = self._who(data, "publish", ids)
            legal = bool(ids) and self._may("publish", ids, who)
        else:
            ids = self._ids(data, "publish")
            who = self._who(data, "publish", ids)
            args = list(ids)
            legal = self._may("publish", ids, who)
        on_site = all(
            ((title(i), item.edition) in site.dik)
            if item.category == EXEMPT
            else ((i, item.edition) in site.dip)
            for i, item in ((i, self.items[i]) for i in ids)
        )
        moved = {i: replace(self.items[i], status="diunggah") for i in ids}
        args += ["--url", URL, "--site", str(site.path)]
        self._step("publish", args, legal and on_site, moved, who)

    def _build(self) -> None:
        """``dipctl build`` (a reader: no commit), and what the model says the site shows;
        when the model says it would show what the last site shows, that site is kept (a
        build takes seconds; the publish check reads only dip.json and dik.json)."""
        if _site_lists(self.items) == (self.site.dip, self.site.dik):
            return
        self.counter += 1
        out = self.tmp / f"site-{self.counter}"
        result = dipctl("build", "--out", out, "--register", self.register)
        assert result.exit_code == 0, result.stderr
        self.site = _site(out, self.items)
        assert git(self.path, "status", "--porcelain") == ""

    @rule(data=st.data())
    def revise(self, data: st.DataObject) -> None:
        ids = self._ids(data, "revise", most=1)
        who = self._who(data, "revise", ids)
        moved = {i: replace(self.items[i], status="draf") for i in ids}
        args = [*ids, "-m", "Pemutakhiran"]
        self._step("revise", args, self._may("revise", ids, who), moved, who)

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        ids = self._ids(data, "withdraw")
        who = self._who(data, "withdraw", ids)
        moved = {i: replace(self.items[i], status="dicabut", shown=None) for i in ids}
        args = [*ids, "--number", self._number(), "--date", "2026-07-01", "-m", "Dicabut"]
        self._step("withdraw", args, self._may("withdraw", ids, who), moved, who)

    def teardown(self) -> None:
        OUTCOMES[("examples", True)] += 1
        if LOG:  # the long local sessions count what they ran, even when stopped
            with Path(LOG).open("a", encoding="utf-8") as log:
                examples = OUTCOMES[("examples", True)]
                log.write(f"{examples} {sum(OUTCOMES.values()) - examples}\n")
        try:
            verified = dipctl("verify", "--register", self.register)
            assert verified.exit_code == 0, verified.stdout + verified.stderr
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def test_the_sop_against_its_model(
    _template_repo: Path,  # noqa: PT019
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import typer.main
    import typer.testing

    command = typer.main.get_command(app)  # built once: typer rebuilds it on every invoke
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: command)
    template, model, site = _prepare(_template_repo, tmp_path_factory.mktemp("stateful"))
    verified = dipctl("verify", "--register", template / "register")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    OUTCOMES.clear()

    class Machine(SopMachine):
        def __init__(self) -> None:
            super().__init__(template, model, site)

    run_state_machine_as_test(Machine, settings=SETTINGS)
    print(
        "stateful steps (done, refused):",
        {a: (OUTCOMES[(a, True)], OUTCOMES[(a, False)]) for a in ("new", *SOURCES)},
    )
    for action in ("new", *SOURCES):  # the run took and refused every kind of step
        assert EXAMPLES < 50 or (OUTCOMES[(action, True)] and OUTCOMES[(action, False)]), OUTCOMES
