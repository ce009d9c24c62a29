"""Issue 20.5: `dipctl status` guides every path, the DIK's included: at each stop it names
each waiting step with its officer and the exact command, in the order the SOP needs. For
a ``ditentukan`` item that is first the PPID's presentation of the draft decree to the head
(`decree present`, `--dik` for the DIK: SPEC.md section 2, a presentation names
``ditentukan`` items and starts step 5's clock), then the head's `establish` or `approve`,
then for the DIK the PPID's `exempt`. Followed as shown, `sla` measures step 5 clean."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from tests.conftest import KEPALA, PPID, SEKRETARIS, Repo, git
from tests.test_verify import Driver, head, ok

if TYPE_CHECKING:
    from pathlib import Path


def waiting(repo: Repo) -> list[str]:
    result = repo.run("status")
    assert result.exit_code == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("menunggu")]


def test_status_walks_an_exempt_item_and_a_public_one_through_step_5(
    repo: Repo, tmp_path: Path
) -> None:
    sop = Driver(repo, tmp_path)
    sop.new("rahasia")
    sop.new("satu")
    assert waiting(repo) == [
        "menunggu Kasubbag/Kepala Seksi (Kasubbag Umum), 2 informasi (rahasia, satu): "
        "dipctl submit ID…"
    ]
    sop.submit("sekretariat", "rahasia", "satu")
    assert waiting(repo) == [
        "menunggu Sekretaris/Kepala Bagian (Sekretaris Dinas), 2 informasi (rahasia, satu): "
        "dipctl review ID… --approve"
    ]
    sop.review("rahasia", "satu")
    assert waiting(repo)[0].startswith(
        "menunggu PPID Pembantu (PPID Pembantu), 2 informasi (rahasia, satu): "
        "dipctl classify ID… --category KATEGORI"
    )
    sop.classify("dikecualikan", "rahasia")
    sop.classify("berkala", "satu")
    assert waiting(repo)[0].startswith(
        "menunggu PPID Pembantu (PPID Pembantu), 2 informasi (rahasia, satu): "
        "dipctl meeting ID… --date D"
    )
    today = dt.datetime.now().astimezone().date().isoformat()  # recorded the day it is held
    ok(repo, "meeting", "rahasia", "satu", "--date", today, "--time", "00:00", "--place",
       "Ruang Rapat", "--chair", PPID, "--attendee", PPID, "--attendee", SEKRETARIS,
       "--softcopy", "Folder PPID", "--hardcopy", "Lemari 1", "--as", PPID)  # fmt: skip

    # after the meeting: the PPID presents both drafts first; nothing waits for the head yet
    assert waiting(repo) == [
        "menunggu PPID Pembantu (PPID Pembantu), 1 informasi (satu): dipctl decree present --all",
        "menunggu PPID Pembantu (PPID Pembantu), 1 informasi (rahasia): "
        "dipctl decree present --dik --all",
    ]
    as_json = json.loads(repo.run("status", "--json").stdout)["menunggu"]
    assert as_json[1] == {
        "peran": "ppid_pembantu",
        "langkah": "present",
        "dik": True,
        "pejabat": ["PPID Pembantu"],
        "perintah": "dipctl decree present --dik --all",
        "informasi": ["rahasia"],
    }
    # the draft the PPID prints and presents before the approval (was: refused until then)
    draft = repo.run("decree", "draft", "--dik", "--out", str(tmp_path / "draf-dik.html"))
    assert draft.exit_code == 0, draft.stderr
    assert "Informasi rahasia" in (tmp_path / "draf-dik.html").read_text(encoding="utf-8")
    ok(repo, "decree", "present", "--dik", "--all", "--as", PPID)
    assert waiting(repo) == [
        "menunggu PPID Pembantu (PPID Pembantu), 1 informasi (satu): dipctl decree present --all",
        "menunggu Kepala (Kepala Dinas): dipctl approve rahasia",
    ]
    ok(repo, "decree", "present", "--all", "--as", PPID)
    assert waiting(repo) == [
        "menunggu Kepala (Kepala Dinas), 1 informasi (satu): dipctl establish --all --number N "
        "--date D",
        "menunggu Kepala (Kepala Dinas): dipctl approve rahasia",
    ]
    english = repo.run("status", "--lang", "en").stdout
    assert "waiting for Head (Kepala Dinas): dipctl approve rahasia" in english

    approved = repo.run("approve", "rahasia", "--as", KEPALA)
    assert approved.exit_code == 0, approved.stderr
    assert "belum disampaikan" not in approved.stderr  # presented: no warning
    assert waiting(repo) == [
        "menunggu Kepala (Kepala Dinas), 1 informasi (satu): dipctl establish --all --number N "
        "--date D",
        "menunggu PPID Pembantu (PPID Pembantu), 1 informasi (rahasia): dipctl exempt --all "
        "--number N --date D",
    ]
    # presenting the DIK's draft after the approval is too late: said, with the next step
    before = head(repo)
    late = repo.run("decree", "present", "--dik", "--all", "--as", PPID)
    assert late.exit_code == 3
    assert "rahasia sudah disetujui kepala" in late.stderr
    assert "dipctl exempt --all --number N --date D" in late.stderr
    assert "tidak ada informasi berstatus ditentukan" not in late.stderr
    one = repo.run("decree", "present", "--dik", "rahasia", "--as", PPID)
    assert one.exit_code == 3 and "sudah disetujui kepala" in one.stderr
    assert head(repo) == before

    ok(repo, "exempt", "--all", "--number", "188.44/2/2026", "--date", today, "--as", PPID)
    ok(repo, "establish", "--all", "--number", "188.44/1/2026", "--date", today,
       "--as", KEPALA)  # fmt: skip
    assert waiting(repo) == [
        "menunggu PPID Pembantu (PPID Pembantu), 2 informasi (rahasia, satu): "
        "dipctl publish --all --url URL"
    ]
    sla = repo.run("sla", "--json")
    assert sla.exit_code == 0, sla.stdout + sla.stderr
    steps = {(s["informasi"], s["langkah"]): s for s in json.loads(sla.stdout)["langkah"]}
    for key in (("rahasia", "exempt"), ("satu", "establish")):
        assert steps[key]["diukur"], steps[key]  # step 5 measured from its presentation
        assert not steps[key]["terlambat"]
    text = repo.run("sla").stdout + repo.run("sla").stderr
    assert "tidak tercatat" not in text
    verified = repo.run("verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    assert git(repo.path, "status", "--porcelain") == ""


def test_status_says_when_nobody_holds_the_role(repo: Repo, tmp_path: Path) -> None:
    sop = Driver(repo, tmp_path)
    sop.new("dua", unit="program")
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    unit: [program]\n", "    unit: [sekretariat]\n"), "utf-8")
    assert waiting(repo) == [
        "menunggu Kasubbag/Kepala Seksi (belum ada pejabatnya di register.yaml): dipctl submit dua"
    ]


def test_a_step_5_taken_without_the_presentation_says_it_will_not_be_measured(
    repo: Repo, tmp_path: Path
) -> None:
    sop = Driver(repo, tmp_path)
    sop.drive("ditentukan", "rahasia", category="dikecualikan")
    sop.drive("ditentukan", "satu")
    approved = repo.run("approve", "rahasia", "--as", KEPALA)
    assert approved.exit_code == 0, approved.stderr
    assert (
        "peringatan: draf keputusan untuk rahasia belum disampaikan kepada kepala (PPID "
        "Pembantu: dipctl decree present --dik --all, sebelum langkah ini)" in approved.stderr
    )
    made = repo.run("establish", "--all", "--number", "188.44/1/2026", "--date", "2026-11-26",
                    "--as", KEPALA, "--lang", "en")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "the draft decree for satu was not presented" in made.stderr
    assert "dipctl decree present --all" in made.stderr
