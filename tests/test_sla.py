"""``dipctl sla``: step durations from commit times, against the mutu baku of register.yaml."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dipctl.i18n import Translator
from dipctl.proof import sla
from dipctl.register.config import Register, find_register
from dipctl.sop import workflow
from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, KEPALA, PPID, SEKRETARIS, Repo, commit_all
from tests.test_sop import fill

TZ = dt.timezone(dt.timedelta(hours=7))  # WIB
START = dt.datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
MEETING = START + dt.timedelta(days=1)
URL = "https://dinas.example.go.id/dip/"
MIN, HOUR = 60, 3600


def act(repo: Repo, mp: pytest.MonkeyPatch, when: dt.datetime, who: str, *args: str) -> None:
    """One SOP step taken at ``when`` (dipctl's commits inherit git's date variables)."""
    mp.setenv("GIT_AUTHOR_DATE", when.isoformat())
    mp.setenv("GIT_COMMITTER_DATE", when.isoformat())
    result = repo.run(*args, "--as", who)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def story(repo: Repo, mp: pytest.MonkeyPatch, decree_after: dt.timedelta) -> Register:
    """Two items, one per unit, through steps 1 to 6 on a ticking clock; ``data-program`` is
    established 30 minutes after the meeting, ``renja-2027`` ``decree_after`` it."""
    act(repo, mp, START, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renja 2027")
    program = ("new", "--unit", "program", "--title", "Data Program")
    act(repo, mp, START + minutes(5), KASUBBAG_PROGRAM, *program)
    fill(repo, "sekretariat", "renja-2027")
    fill(repo, "program", "data-program")
    act(repo, mp, START + minutes(30), KASUBBAG, "submit", "renja-2027")
    act(repo, mp, START + minutes(35), KASUBBAG_PROGRAM, "submit", "data-program")
    both = ("renja-2027", "data-program")
    site = str(repo.path / "site")
    act(repo, mp, START + minutes(120), SEKRETARIS, "review", *both, "--approve")
    act(repo, mp, START + minutes(180), PPID, "classify", both[0], "--category", "berkala")
    act(repo, mp, START + minutes(190), PPID, "classify", both[1], "--category", "setiap-saat")
    act(
        repo, mp, MEETING, PPID, "meeting", *both, "--date", "2026-12-02", "--place", "Ruang Rapat",
        "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
        "--hardcopy", "Lemari 1",
    )  # fmt: skip
    decree = ("--date", "2026-12-02", "--number")
    act(repo, mp, MEETING + minutes(30), KEPALA, "establish", "data-program", *decree, "1/2026")
    assert repo.run("build", "--out", str(repo.path / "site")).exit_code == 0
    act(
        repo,
        mp,
        MEETING + minutes(45),
        PPID,
        "publish",
        "data-program",
        "--url",
        URL,
        "--site",
        site,
    )
    act(repo, mp, MEETING + decree_after, KEPALA, "establish", "renja-2027", *decree, "2/2026")
    assert repo.run("build", "--out", str(repo.path / "site")).exit_code == 0
    late = MEETING + decree_after + minutes(20)
    act(repo, mp, late, PPID, "publish", "renja-2027", "--url", URL, "--site", site)
    return find_register(repo.register)


def durations(report: sla.SlaReport, item: str) -> list[tuple[str, int | None]]:
    return [(s.action, s.seconds) for s in report.steps if s.item == item]


def test_a_late_decree_is_flagged_with_its_item_duration_and_bound(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = story(repo, monkeypatch, decree_after=dt.timedelta(hours=3))
    report = sla.measure(reg, dt.date(2026, 12, 3))
    assert [s.item for s in report.steps] == ["data-program"] * 7 + ["renja-2027"] * 7
    assert durations(report, "renja-2027") == [
        ("new", None),
        ("submit", 30 * MIN),
        ("review", 90 * MIN),
        ("classify", HOUR),
        ("meeting", 21 * HOUR),
        ("establish", 3 * HOUR),
        ("publish", 20 * MIN),
    ]
    assert durations(report, "data-program") == [
        ("new", None),
        ("submit", 30 * MIN),
        ("review", 85 * MIN),
        ("classify", 70 * MIN),
        ("meeting", 20 * HOUR + 50 * MIN),
        ("establish", 30 * MIN),
        ("publish", 15 * MIN),
    ]
    (late,) = [s for s in report.steps if s.missed]
    assert (late.item, late.action, late.source, late.target) == (
        "renja-2027",
        "establish",
        "ditentukan",
        "ditetapkan",
    )
    assert (late.seconds, late.bound, late.bound_text, late.bound_seconds) == (
        3 * HOUR,
        "penetapan",
        "60 menit",
        HOUR,
    )
    assert (late.email, late.role, late.name) == (KEPALA, "kepala", "Kepala Dinas")
    assert late.commit == repo.log("-1", "--format=%H", "--grep=dip(establish): renja").strip()
    assert late.date == (MEETING + dt.timedelta(hours=3)).isoformat()
    assert report.missed == 1
    assert report.bounded == 6
    bounded = {(s.item, s.action) for s in report.steps if s.measured}
    assert {a for _, a in bounded} == {"meeting", "establish", "publish"}
    assert all(s.bound == "" and s.bound_seconds is None for s in report.steps if not s.measured)


def test_tallies_per_unit_and_per_person(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    report = sla.measure(story(repo, monkeypatch, dt.timedelta(hours=3)), dt.date(2026, 12, 3))
    units = {t.key: (t.bounded, t.missed, t.median, t.longest) for t in report.by_unit}
    assert units == {
        "program": (3, 0, 30 * MIN, 20 * HOUR + 50 * MIN),
        "sekretariat": (3, 1, 3 * HOUR, 21 * HOUR),
    }
    people = {t.key: (t.bounded, t.missed, t.median, t.longest) for t in report.by_person}
    assert people == {  # only officers who took bounded steps
        KEPALA: (2, 1, (30 * MIN + 3 * HOUR) // 2, 3 * HOUR),
        PPID: (4, 0, (20 * MIN + 20 * HOUR + 50 * MIN) // 2, 21 * HOUR),
    }
    assert [t.name for t in report.by_person] == ["Kepala Dinas", "PPID Pembantu"]


def test_the_text_report_in_indonesian_and_english(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = sla.measure(story(repo, monkeypatch, dt.timedelta(hours=3)), dt.date(2026, 12, 3))
    lines = sla.render_text(Translator("id"), report)
    assert lines[0] == "Mutu baku: rapat 1 hari, penetapan 60 menit, pengunggahan 60 menit"
    (late,) = [line for line in lines if "TERLAMBAT" in line]
    assert late.split()[:3] == ["renja-2027", "0", "establish"]
    for text in (
        "ditentukan -> ditetapkan",
        "2026-12-02 11:00",
        "Kepala Dinas",
        "3 jam",
        "60 menit",
    ):
        assert text in late
    assert sum("sesuai" in line for line in lines) == 5
    assert "Per unit" in lines and "Per pejabat" in lines
    assert "Jatuh tempo pemutakhiran: 0 informasi" in lines
    assert lines[-1] == "1 dari 6 langkah bermutu baku melewati mutu baku."
    english = sla.render_text(Translator("en"), report)
    (late,) = [line for line in english if "LATE" in line]
    assert "3 hours" in late and "renja-2027" in late
    assert any("20 hours 50 minutes" in line for line in english)
    assert english[-1] == "1 of 6 bounded steps exceeded their time standard."


def test_json_gives_seconds(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    report = sla.measure(story(repo, monkeypatch, dt.timedelta(hours=3)), dt.date(2026, 12, 3))
    doc = json.loads(json.dumps(sla.to_document(Translator("en"), report)))
    assert doc["terlambat"] == 1
    assert doc["langkah_bermutu_baku"] == 6
    assert doc["mutu_baku"]["rapat"] == {"teks": "1 hari", "detik": 86400}
    late = [s for s in doc["langkah"] if s["terlambat"]]
    assert [(s["informasi"], s["langkah"], s["detik"], s["batas_detik"]) for s in late] == [
        ("renja-2027", "establish", 3 * HOUR, HOUR)
    ]
    assert (late[0]["mutu_baku"], late[0]["batas"]) == ("penetapan", "60 menit")
    first = doc["langkah"][0]
    assert (first["langkah"], first["dari"], first["detik"], first["mutu_baku"]) == (
        "new",
        None,
        None,
        None,
    )
    assert {t["unit"]: t["median_detik"] for t in doc["per_unit"]} == {
        "program": 30 * MIN,
        "sekretariat": 3 * HOUR,
    }
    assert [t["email"] for t in doc["per_orang"]] == [KEPALA, PPID]


def test_items_overdue_for_pemutakhiran(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 13: nothing is due merely because time passed since the decree (dipctl.sop.cycle)
    reg = story(repo, monkeypatch, dt.timedelta(minutes=40))
    assert sla.measure(reg, dt.date(2026, 12, 3)).overdue == []
    report = sla.measure(reg, dt.date(2030, 1, 1))
    assert report.overdue == []
    assert "Jatuh tempo pemutakhiran: 0 informasi" in sla.render_text(Translator("id"), report)
    assert report.missed == 0  # overdue pemutakhiran is reported, not a missed mutu baku


def test_an_honest_fast_history_misses_nothing_and_revision_starts_a_cycle(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = story(repo, monkeypatch, dt.timedelta(minutes=40))
    later = MEETING + dt.timedelta(days=30)
    act(repo, monkeypatch, later, KASUBBAG, "revise", "renja-2027", "-m", "Renja berubah")
    act(repo, monkeypatch, later + dt.timedelta(hours=2), KASUBBAG, "submit", "renja-2027")
    report = sla.measure(reg, dt.date(2026, 12, 3))
    assert not report.missed
    assert report.bounded == 6
    assert [s.seconds for s in report.steps if s.missed] == []
    tail = [(s.action, s.revision, s.seconds) for s in report.steps if s.item == "renja-2027"][-3:]
    assert tail == [("publish", 0, 20 * MIN), ("revise", 1, None), ("submit", 1, 2 * HOUR)]
    assert sla.render_text(Translator("id"), report)[-1] == (
        "Semua 6 langkah bermutu baku memenuhi mutu baku."
    )


def test_a_standard_is_judged_as_it_was_when_the_step_was_taken(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = story(repo, monkeypatch, dt.timedelta(hours=3))
    config = reg.config_file
    config.write_text(config.read_text().replace("penetapan: 60 menit", "penetapan: 1 hari"))
    commit_all(repo.path, "mutu baku: penetapan 1 hari", KEPALA)
    report = sla.measure(find_register(repo.register), dt.date(2026, 12, 3))
    assert report.standards["penetapan"] == "1 hari"
    (late,) = [s for s in report.steps if s.missed]  # relaxing the standard later erases nothing
    assert (late.item, late.bound_text) == ("renja-2027", "60 menit")


def test_a_meeting_that_rejects_is_held_to_its_day_too(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    act(repo, monkeypatch, START, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Satu")
    fill(repo, "sekretariat", "satu")
    act(repo, monkeypatch, START + minutes(10), KASUBBAG, "submit", "satu")
    act(repo, monkeypatch, START + minutes(20), SEKRETARIS, "review", "satu", "--approve")
    act(repo, monkeypatch, START + minutes(30), PPID, "classify", "satu", "--category", "berkala")
    met = START + dt.timedelta(days=2, minutes=30)
    act(
        repo, monkeypatch, met, PPID, "meeting", "satu", "--reject", "satu", "-m", "Belum jelas",
        "--date", "2026-12-03", "--place", "Ruang Rapat", "--attendee", PPID,
        "--attendee", SEKRETARIS, "--softcopy", "Folder PPID", "--hardcopy", "Lemari 1",
    )  # fmt: skip
    act(repo, monkeypatch, met + minutes(90), KASUBBAG, "submit", "satu")
    report = sla.measure(find_register(repo.register), dt.date(2026, 12, 3))
    (late,) = [s for s in report.steps if s.missed]
    assert (late.action, late.target, late.seconds, late.bound) == (
        "meeting",
        "dikembalikan",
        2 * 86400,
        "rapat",
    )
    assert (report.steps[-1].action, report.steps[-1].seconds) == ("submit", 90 * MIN)


def test_a_register_without_steps(repo: Repo) -> None:
    report = sla.measure(find_register(repo.register), dt.date(2026, 12, 3))
    assert (report.steps, report.missed, report.by_unit, report.commits) == ([], 0, [], 2)
    lines = sla.render_text(Translator("en"), report)
    assert "No SOP step in the register's history yet." in lines
    assert lines[-1] == "All 0 bounded steps met their time standard."


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
    assert sla.human(Translator("id"), seconds) == indonesian
    assert sla.human(Translator("en"), seconds) == english


def test_every_status_change_names_one_step() -> None:
    pairs = [(s, t.target) for t in workflow.TRANSITIONS for s in t.sources or ("",)]
    assert len(pairs) == len(set(pairs)) == len(sla.MOVES)
    assert {t.action for t in sla.MOVES.values() if t.step in sla.BOUNDED} == {
        "meeting",
        "establish",
        "approve",  # step 5 for exempt items: the head's approval, then the Penetapan DIK
        "exempt",
        "publish",
    }
