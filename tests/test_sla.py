"""``dipctl sla``: each bounded step measured by its own clock (issue 13.3): step 4 from the
meeting's date to its record, step 5 from the recorded presentation of the draft decree to
the decree, step 6 from the decree to the upload; histories built with the real CLI on a
clock set through GIT_AUTHOR_DATE / GIT_COMMITTER_DATE."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dipctl.i18n import Translator
from dipctl.proof import sla, sla_text
from dipctl.register.config import Register, find_register
from dipctl.sop import workflow
from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, KEPALA, PPID, SEKRETARIS, Repo, commit_all
from tests.test_sop import EXEMPTION, fill

if TYPE_CHECKING:
    from collections.abc import Callable

TZ = dt.timezone(dt.timedelta(hours=7))  # WIB
START = dt.datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
MEETING_DAY = "2026-12-02"
RECORDED = dt.datetime(2026, 12, 2, 15, 0, tzinfo=TZ)  # the meeting's record, same day
SIGNED = dt.datetime(2026, 12, 5, 10, 30, tzinfo=TZ)  # 3 days after the meeting
URL = "https://dinas.example.go.id/dip/"
MIN, HOUR, DAY = 60, 3600, 86400
BOTH = ("renja-2027", "data-program")


def at(mp: pytest.MonkeyPatch, when: dt.datetime) -> None:
    mp.setenv("GIT_AUTHOR_DATE", when.isoformat())
    mp.setenv("GIT_COMMITTER_DATE", when.isoformat())


def act(repo: Repo, mp: pytest.MonkeyPatch, when: dt.datetime, who: str, *args: str) -> str:
    """One SOP step taken at ``when`` (dipctl's commits inherit git's date variables)."""
    at(mp, when)
    result = repo.run(*args, "--as", who)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return repo.log("-1", "--format=%H").strip()


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def determined(
    repo: Repo,
    mp: pytest.MonkeyPatch,
    recorded: dt.datetime = RECORDED,
    day: str = MEETING_DAY,
    exempt: Path | None = None,
) -> None:
    """Two items, one per unit, through steps 1 to 4; the meeting of ``day`` is recorded at
    ``recorded``. With ``exempt`` (a consequence test), ``data-program`` is dikecualikan."""
    act(repo, mp, START, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renja 2027")
    program = ("new", "--unit", "program", "--title", "Data Program")
    act(repo, mp, START + minutes(5), KASUBBAG_PROGRAM, *program)
    fill(repo, "sekretariat", "renja-2027")
    fill(repo, "program", "data-program")
    act(repo, mp, START + minutes(30), KASUBBAG, "submit", "renja-2027")
    act(repo, mp, START + minutes(35), KASUBBAG_PROGRAM, "submit", "data-program")
    act(repo, mp, START + minutes(120), SEKRETARIS, "review", *BOTH, "--approve")
    act(repo, mp, START + minutes(180), PPID, "classify", BOTH[0], "--category", "berkala")
    category = ("--category", "dikecualikan", "--exemption", str(exempt)) if exempt else (
        "--category", "setiap-saat")  # fmt: skip
    act(repo, mp, START + minutes(190), PPID, "classify", BOTH[1], *category)
    act(
        repo, mp, recorded, PPID, "meeting", *BOTH, "--date", day, "--place", "Ruang Rapat",
        "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
        "--time", "09:00", "--chair", PPID,
        "--hardcopy", "Lemari 1",
    )  # fmt: skip


def establish(repo: Repo, mp: pytest.MonkeyPatch, when: dt.datetime, *ids: str) -> str:
    number = f"{len(list((repo.register / 'keputusan').glob('*.yaml'))) + 1}/2026"
    return act(repo, mp, when, KEPALA, "establish", *ids, "--number", number, "--date",
               when.date().isoformat())  # fmt: skip


def publish(repo: Repo, mp: pytest.MonkeyPatch, when: dt.datetime, *ids: str) -> str:
    at(mp, when)
    assert repo.run("build", "--out", str(repo.path / "site")).exit_code == 0
    return act(repo, mp, when, PPID, "publish", *ids, "--url", URL, "--site",
               str(repo.path / "site"))  # fmt: skip


def story(
    repo: Repo, mp: pytest.MonkeyPatch, signed_after: dt.timedelta, upload_after: dt.timedelta
) -> Register:
    """Steps 1-4 of both items, then the draft SK DIP of both presented at ``SIGNED - 30
    min``, signed ``signed_after`` that, and uploaded ``upload_after`` the decree."""
    determined(repo, mp)
    shown = SIGNED - minutes(30)
    act(repo, mp, shown, PPID, "decree", "present", "--all")
    establish(repo, mp, shown + signed_after, *BOTH)
    publish(repo, mp, shown + signed_after + upload_after, *BOTH)
    return find_register(repo.register)


def built(
    template: Path,
    factory: pytest.TempPathFactory,
    make: Callable[[Repo, pytest.MonkeyPatch], None],
) -> Repo:
    """A history made once per module (``make`` with the real CLI), as ``git_env`` would
    isolate it; the tests only read it."""
    mp = pytest.MonkeyPatch()
    home = factory.mktemp("home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "DIPCTL_AS", "DIPCTL_REGISTER"):
        mp.delenv(name, raising=False)
    repo = Repo(factory.mktemp("sla") / "dinas")
    shutil.copytree(template, repo.path, symlinks=True)
    try:
        make(repo, mp)
    finally:
        mp.undo()
    return repo


def _within(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """The SK signed 3 days after the meeting (recorded the same day), 30 minutes after
    the draft was presented; uploaded 30 minutes after the decree."""
    story(repo, mp, minutes(30), minutes(30))


def _late(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """The meeting recorded 2 days after its date, the SK signed 2 hours after it was
    presented, uploaded 3 hours after; then the kepala relaxes penetapan to 1 hari."""
    determined(repo, mp, recorded=RECORDED + dt.timedelta(days=2))
    shown = SIGNED - minutes(30)
    act(repo, mp, shown, PPID, "decree", "present", "--all")
    establish(repo, mp, shown + dt.timedelta(hours=2), *BOTH)
    publish(repo, mp, shown + dt.timedelta(hours=5), *BOTH)
    config = repo.register / "register.yaml"
    config.write_text(config.read_text().replace("penetapan: 60 menit", "penetapan: 1 hari"))
    at(mp, SIGNED + dt.timedelta(days=1))
    commit_all(repo.path, "mutu baku: penetapan 1 hari", KEPALA)


def _mixed(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """Both drafts presented a day early, renja-2027's again 20 minutes before its SK (the
    latest matching draft counts), data-program established with the first draft; the
    meeting recorded the next day; both uploaded at once, late."""
    determined(repo, mp, recorded=RECORDED + dt.timedelta(days=1))
    act(repo, mp, SIGNED - dt.timedelta(days=1), PPID, "decree", "present", "--all")
    act(repo, mp, SIGNED - minutes(20), PPID, "decree", "present", "renja-2027")
    establish(repo, mp, SIGNED, "renja-2027")  # 20 minutes: within
    establish(repo, mp, SIGNED + minutes(5), "data-program")  # its draft: a day earlier
    publish(repo, mp, SIGNED + dt.timedelta(hours=2), *BOTH)  # 2 h and 1 h 55 min: late


def _unpresented(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """renja-2027's draft presented alone, then both established by one SK: renja-2027's
    decree is not the draft presented, data-program's draft was never presented."""
    determined(repo, mp)
    act(repo, mp, SIGNED - minutes(30), PPID, "decree", "present", "renja-2027")
    establish(repo, mp, SIGNED, *BOTH)


def _dik(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """data-program exempt: presented to the head, approved 30 minutes later, the Penetapan
    DIK 20 minutes after that; renja-2027's SK committed with a clock 10 minutes behind
    its presentation."""
    test = repo.path.parent / "uji.yaml"
    test.write_text(EXEMPTION, encoding="utf-8")
    determined(repo, mp, exempt=test)
    shown = SIGNED - minutes(50)
    act(repo, mp, shown, PPID, "decree", "present", "--dik", "data-program")
    act(repo, mp, shown + minutes(30), KEPALA, "approve", "data-program")
    act(repo, mp, SIGNED, PPID, "exempt", "data-program", "--number", "DIK/1",
        "--date", SIGNED.date().isoformat())  # fmt: skip
    act(repo, mp, SIGNED + minutes(10), PPID, "decree", "present", "renja-2027")
    establish(repo, mp, SIGNED, "renja-2027")


@pytest.fixture(scope="module")
def within(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _within)


@pytest.fixture(scope="module")
def late(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _late)


@pytest.fixture(scope="module")
def mixed(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _mixed)


@pytest.fixture(scope="module")
def unpresented(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _unpresented)


@pytest.fixture(scope="module")
def dik(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _dik)


def report_of(repo: Repo) -> sla.SlaReport:
    return sla.measure(find_register(repo.register))


def bounded(report: sla.SlaReport, action: str) -> list[sla.StepTime]:
    return [s for s in report.steps if s.action == action]


def test_the_sk_signed_3_days_after_the_meeting_30_minutes_after_presentation_is_within(
    within: Repo,
) -> None:
    report = report_of(within)
    presented = within.log("-1", "--format=%H", "--grep=^dip(present)").strip()
    steps = bounded(report, "establish")
    assert len(steps) == 2
    for step in steps:
        assert (step.seconds, step.bound, step.bound_seconds) == (30 * MIN, "penetapan", HOUR)
        assert (step.start_kind, step.start_commit, step.reason) == ("present", presented, "")
        assert step.start == (SIGNED - minutes(30)).isoformat()
        assert step.measured and not step.missed
    assert (report.missed, report.bounded, report.summary.unmeasured) == (0, 6, 0)
    result = within.run("sla", "--steps")
    assert result.exit_code == 0, result.stderr
    rows = [
        x for x in result.stdout.splitlines() if x.split()[:3] == ["renja-2027", "0", "establish"]
    ]
    (line,) = rows
    assert "disampaikan 2026-12-05 10:00" in line and "30 menit" in line and "sesuai" in line
    assert result.stdout.splitlines()[-1] == (
        "Semua 6 langkah bermutu baku yang diukur memenuhi mutu baku."
    )


def test_by_default_only_the_steps_that_need_attention_are_listed(
    within: Repo, late: Repo, unpresented: Repo
) -> None:
    """The officer reads the late, backdated and unmeasured steps and the summary; every
    step (submit, review, … with who and when) only with --steps."""
    calm = within.run("sla")
    assert calm.exit_code == 0, calm.stderr
    every = within.run("sla", "--steps").stdout.splitlines()
    assert "Tidak ada langkah yang terlambat, bertanggal mundur atau tidak diukur." in calm.stdout
    steps = len(report_of(within).steps)
    assert f"Semua {steps} langkah: dipctl sla --steps" in calm.stdout
    assert not any(line.startswith("renja-2027") for line in calm.stdout.splitlines())
    assert sum(line.startswith("renja-2027") for line in every) == sum(
        s.item == "renja-2027" for s in report_of(within).steps
    )
    result = late.run("sla")
    assert result.exit_code == 1
    rows = [line.split() for line in result.stdout.splitlines() if line[:1] not in ("", " ")]
    listed = [(r[0], r[2]) for r in rows if r[0] in ("renja-2027", "data-program")]
    missed = [(s.item, s.action) for s in report_of(late).steps if s.missed]
    assert sorted(listed) == sorted(missed) and len(missed) == 6
    assert all(line.rstrip().endswith("TERLAMBAT") for line in result.stdout.splitlines()
               if line.split()[:1] in (["renja-2027"], ["data-program"]))  # fmt: skip
    assert max(map(len, result.stdout.splitlines()[4:])) <= 120  # no 200-column table
    quiet = unpresented.run("sla", "--lang", "en").stdout
    assert "Steps that need attention (2):" in quiet
    assert "not measured: " in quiet


def test_a_decree_signed_2_hours_after_presentation_is_late(late: Repo) -> None:
    report = report_of(late)
    assert [(s.item, s.seconds, s.missed) for s in bounded(report, "establish")] == [
        ("data-program", 2 * HOUR, True),
        ("renja-2027", 2 * HOUR, True),
    ]
    (step5,) = [f for f in report.summary.per_step if f.key == "penetapan"]
    assert (step5.steps, step5.measured, step5.within, step5.late) == (2, 2, 0, 2)
    result = late.run("sla", "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "6 of 6 measured bounded steps exceeded their time standard."
    )


def test_a_standard_is_judged_as_it_was_when_the_step_was_taken(late: Repo) -> None:
    report = report_of(late)
    assert report.standards["penetapan"] == "1 hari"  # relaxed after the steps
    assert {s.bound_text for s in bounded(report, "establish")} == {"60 menit"}
    assert all(s.missed for s in bounded(report, "establish"))  # relaxing it erases nothing


def test_the_meeting_is_measured_from_its_own_date_in_calendar_days(
    within: Repo, mixed: Repo, late: Repo
) -> None:
    tr = Translator("id")
    for repo, seconds, missed, text in (
        (within, 0, False, "hari yang sama"),
        (mixed, DAY, False, "1 hari"),
        (late, 2 * DAY, True, "2 hari"),
    ):
        report = report_of(repo)
        steps = bounded(report, "meeting")
        assert [(s.seconds, s.missed, s.days, s.start, s.start_kind) for s in steps] == [
            (seconds, missed, True, MEETING_DAY, "meeting_date")
        ] * 2
        assert sla_text.took(tr, steps[0]) == text
        assert bounded(report, "classify")[0].seconds is None  # the waiting time is no step's


def test_the_upload_is_measured_from_the_decree(within: Repo, late: Repo) -> None:
    for repo, seconds, missed in ((within, 30 * MIN, False), (late, 3 * HOUR, True)):
        decree = repo.log("-1", "--format=%H", "--grep=^dip(establish)").strip()
        steps = bounded(report_of(repo), "publish")
        assert [(s.seconds, s.missed, s.start_kind, s.start_commit) for s in steps] == [
            (seconds, missed, "decree", decree)
        ] * 2


def test_an_establishment_without_its_presentation_is_not_measured(unpresented: Repo) -> None:
    report = report_of(unpresented)
    steps = {s.item: (s.seconds, s.reason, s.unmeasured) for s in bounded(report, "establish")}
    assert steps == {
        "data-program": (None, "no_presentation", True),  # never presented: an old history
        "renja-2027": (None, "draft_differs", True),  # presented alone, signed with another
    }
    assert (report.missed, report.summary.unmeasured) == (0, 2)
    result = unpresented.run("sla")
    assert result.exit_code == 0  # not measured is no miss, and never a guess
    assert "tidak diukur: penyampaian draf SK tidak tercatat" in result.stdout
    assert "tidak diukur: lampiran SK tidak sama dengan draf yang disampaikan" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Semua 2 langkah bermutu baku yang diukur memenuhi mutu baku. "
        "2 langkah tidak diukur karena awal waktunya tidak tercatat."
    )


def test_the_latest_matching_presentation_starts_the_clock(mixed: Repo) -> None:
    steps = {s.item: (s.seconds, s.missed) for s in bounded(report_of(mixed), "establish")}
    assert steps == {"renja-2027": (20 * MIN, False), "data-program": (DAY + 5 * MIN, True)}


def test_the_dik_clock_runs_from_presentation_through_approval_to_the_penetapan(
    dik: Repo,
) -> None:
    report = report_of(dik)
    (approve,) = bounded(report, "approve")
    assert (approve.bound, approve.seconds, approve.reason) == ("", None, "")
    (exempt,) = bounded(report, "exempt")
    assert (exempt.seconds, exempt.bound, exempt.start_kind, exempt.missed) == (
        50 * MIN, "penetapan", "present", False,
    )  # fmt: skip


def test_a_decree_dated_before_its_presentation_is_never_negative(dik: Repo) -> None:
    (step,) = [s for s in bounded(report_of(dik), "establish") if s.item == "renja-2027"]
    assert (step.seconds, step.reason, step.backdated) == (None, "backdated", True)
    assert "TANGGAL MUNDUR" in dik.run("sla").stdout
    found = json.loads(dik.run("verify", "--json").stdout)
    assert {f["rule"] for f in found} == {"date"}  # the honest DIK path passes verify


def test_figures_per_step_per_unit_and_per_officer(mixed: Repo) -> None:
    found = sla.summary(find_register(mixed.register))
    per_step = {
        f.key: (f.steps, f.measured, f.within, f.late, f.unmeasured) for f in found.per_step
    }
    assert per_step == {
        "rapat": (2, 2, 2, 0, 0),
        "penetapan": (2, 2, 1, 1, 0),
        "pengunggahan": (2, 2, 0, 2, 0),
    }
    units = {f.key: (f.steps, f.within, f.late, f.median, f.longest) for f in found.per_unit}
    assert units == {
        "program": (3, 1, 2, DAY, DAY + 5 * MIN),
        "sekretariat": (3, 2, 1, 2 * HOUR, DAY),
    }
    people = {f.key: (f.name, f.steps, f.within, f.late) for f in found.per_person}
    assert people == {KEPALA: ("Kepala Dinas", 2, 1, 1), PPID: ("PPID Pembantu", 4, 2, 2)}
    # a period counts the steps whose commit falls in it
    since_the_sk = sla.summary(find_register(mixed.register), dt.date(2026, 12, 5))
    assert [f.steps for f in since_the_sk.per_step] == [0, 2, 2]
    until = sla.summary(find_register(mixed.register), None, dt.date(2026, 12, 4))
    assert [f.steps for f in until.per_step] == [2, 0, 0]
    lines = sla_text.summary_lines(Translator("en"), found)
    assert lines[0] == "Per step" and "Per officer" in lines
    assert any(line.startswith("5 penetapan (60 menit)") for line in lines)


def test_json_shape(late: Repo) -> None:
    result = late.run("sla", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {
        "langkah", "periode", "mutu_baku", "per_langkah", "per_unit", "per_orang", "diukur",
        "terlambat", "tidak_diukur",
    }  # fmt: skip
    assert (doc["diukur"], doc["terlambat"], doc["tidak_diukur"]) == (6, 6, 0)
    assert doc["mutu_baku"]["pengunggahan"] == {
        "teks": "60 menit", "detik": HOUR, "langkah_sop": 6, "mulai": "decree",
        "berhenti": ["publish"],
    }  # fmt: skip
    (step,) = [s for s in doc["langkah"] if s["langkah"] == "establish" and s["unit"] == "program"]
    keys = ("detik", "batas_detik", "mulai_dari", "tidak_diukur", "terlambat", "diukur")
    assert {k: step[k] for k in keys} == {
        "detik": 2 * HOUR, "batas_detik": HOUR, "mulai_dari": "present", "tidak_diukur": None,
        "terlambat": True, "diukur": True,
    }  # fmt: skip
    first = doc["langkah"][0]
    assert (first["langkah"], first["dari"], first["detik"], first["mutu_baku"]) == (
        "new", None, None, None,
    )  # fmt: skip
    assert [f["mutu_baku"] for f in doc["per_langkah"]] == ["rapat", "penetapan", "pengunggahan"]
    assert doc["per_langkah"][1]["batas"] == "1 hari"  # the standard now; misses as then
    assert [t["email"] for t in doc["per_orang"]] == [KEPALA, PPID]
    assert {t["unit"] for t in doc["per_unit"]} == {"program", "sekretariat"}
    assert "pemutakhiran" not in doc  # berkala items are not "due" six months on
    later = json.loads(late.run("sla", "--json", "--since", "2027-01-01").stdout)
    assert (later["diukur"], later["periode"]) == (0, {"mulai": "2027-01-01", "sampai": None})
    bad = late.run("sla", "--since", "kemarin")
    assert bad.exit_code == 2 and "--since" in bad.stderr
    # the same days as pemutakhiran --from/--to: YYYY-MM-DD only, the value quoted short
    for value in ("20270101", "2027-01-01T10:00", "x" * 500):
        bad = late.run("sla", "--until", value)
        assert bad.exit_code == 2 and "--until" in bad.stderr, value
        assert "x" * 41 not in bad.stderr


def test_a_register_without_steps(repo: Repo) -> None:
    report = sla.measure(find_register(repo.register))
    assert (report.steps, report.missed, report.by_unit, report.commits) == ([], 0, [], 2)
    lines = sla_text.render_text(Translator("en"), report)
    assert "No SOP step in the register's history yet." in lines
    assert lines[-1] == "All 0 measured bounded steps met their time standard."


@pytest.mark.parametrize(
    ("seconds", "indonesian", "english"),
    [
        (0, "0 detik", "0 seconds"),
        (1, "1 detik", "1 second"),
        (45 * MIN, "45 menit", "45 minutes"),
        (HOUR, "1 jam", "1 hour"),
        (26 * HOUR + 3 * MIN + 4, "1 hari 2 jam", "1 day 2 hours"),
        (86400 + 5, "1 hari 5 detik", "1 day 5 seconds"),
        (2 * 86400, "2 hari", "2 days"),
        (-5 * MIN, "-5 menit", "-5 minutes"),  # a clock that ran backwards
    ],
)
def test_durations_read_as_people_say_them(seconds: int, indonesian: str, english: str) -> None:
    assert sla_text.human(Translator("id"), seconds) == indonesian
    assert sla_text.human(Translator("en"), seconds) == english


def test_every_status_change_names_one_step_and_each_clock_one_stop() -> None:
    pairs = [(s, t.target) for t in workflow.TRANSITIONS for s in t.sources or ("",)]
    assert len(pairs) == len(set(pairs)) == len(sla.MOVES)
    stops = [a for c in workflow.CLOCKS for a in c.stops]
    assert len(stops) == len(set(stops))
    assert set(stops) == {"meeting", "establish", "exempt", "publish"}  # approve: inside 5
    assert {c.start for c in workflow.CLOCKS} == set(workflow.CLOCK_STARTS)
    assert {c.standard for c in workflow.CLOCKS} == set(sla.SOP_STANDARDS)


def test_an_establishment_taken_on_a_branch_and_replayed_days_later_is_not_measured(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: the kepala establishes on a side branch dated ten minutes after the
    presentation and puts it on the chain three days later (a replay keeps the author date,
    the committer date orders the chain). The history is one chain and verifies, but sla
    does not take the ten minutes the step claims: it was recorded later than its bound."""
    determined(repo, monkeypatch)
    shown = SIGNED - minutes(30)
    act(repo, monkeypatch, shown, PPID, "decree", "present", "--all")
    git = ("git", "-C", str(repo.path))
    subprocess.run([*git, "checkout", "-q", "-b", "sisi"], check=True)
    claimed = establish(repo, monkeypatch, shown + minutes(10), *BOTH)
    subprocess.run([*git, "checkout", "-q", "main"], check=True)
    act(repo, monkeypatch, shown + dt.timedelta(days=1), KASUBBAG, "new", "--unit",
        "sekretariat", "--title", "Informasi lain")  # fmt: skip
    monkeypatch.setenv("GIT_COMMITTER_DATE", (shown + dt.timedelta(days=3)).isoformat())
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    subprocess.run(
        [*git, "-c", "user.name=Kepala Dinas", "-c", f"user.email={KEPALA}",
         "cherry-pick", "--allow-empty", claimed], check=True, capture_output=True,
    )  # fmt: skip
    replayed = repo.log("-1", "--format=%H %aI %cI").split()
    assert replayed[1] == (shown + minutes(10)).isoformat()  # the time it claims, kept
    assert repo.log("--merges", "--format=%H") == ""
    found = json.loads(repo.run("verify", "--json").stdout)  # (the story predates its template)
    assert not [f for f in found if f["commit"] == replayed[0]], found
    steps = [s for s in sla.measure(find_register(repo.register)).steps if s.action == "establish"]
    assert {(s.item, s.seconds, s.reason) for s in steps} == {
        (item, None, "recorded_late") for item in BOTH
    }
