"""`dipctl decree present` (issue 13.3): the draft decree presented to the kepala, the
recorded event that starts step 5's clock. An honest presentation verifies clean; each
wrong one is refused with exit 2 or 3, names what is wrong, and commits nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import KASUBBAG, KEPALA, PPID, Repo, git
from tests.test_verify import Driver, head, ok


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def refused(sop: Driver, code: int, *args: str) -> str:
    before, status = head(sop.repo), git(sop.repo.path, "status", "--porcelain")
    result = sop.repo.run("decree", "present", *args)
    assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert head(sop.repo) == before  # nothing committed
    assert git(sop.repo.path, "status", "--porcelain") == status  # nothing left behind
    assert not (sop.repo.register / "penyampaian").exists() or not any(
        (sop.repo.register / "penyampaian").iterdir()
    )
    return result.stderr


def test_the_ppid_records_the_presentation_of_the_draft_sk(sop: Driver) -> None:
    sop.drive("ditentukan", "satu", "dua")
    ok(sop.repo, "decree", "present", "--all", "--as", PPID)
    (path,) = (sop.repo.register / "penyampaian").glob("*.yaml")
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["jenis"] == "penetapan"
    assert record["informasi"] == ["dua", "satu"]
    assert {"dua", "satu"} <= set(record["lampiran"])
    assert record["disampaikan_oleh"] == PPID
    message = git(sop.repo.path, "log", "-1", "--format=%B")
    assert "DIP-Action: present" in message and "DIP-Role: ppid_pembantu" in message
    assert f"DIP-Lampiran: sha256:{record['lampiran_sha256']}" in message
    assert f"DIP-Presentation: {path.stem}" in message
    changed = git(sop.repo.path, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"register/penyampaian/{path.name}"]  # no item moved
    result = sop.repo.run("verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    ok(sop.repo, "establish", "--all", "--number", "188.44/1/2026", "--date", "2026-11-26",
       "--as", KEPALA)  # fmt: skip
    assert sop.repo.run("verify").exit_code == 0


def test_only_the_ppid_pembantu_presents_the_draft(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    for who in (KASUBBAG, KEPALA):
        stderr = refused(sop, 3, "satu", "--as", who)
        assert "ppid_pembantu" in stderr


def test_an_item_not_yet_decided_by_the_meeting_is_refused(sop: Driver) -> None:
    sop.drive("diklasifikasi", "satu")
    stderr = refused(sop, 3, "satu", "--as", PPID)
    assert "satu" in stderr and "diklasifikasi" in stderr


def test_a_draft_sk_dip_does_not_present_an_exempt_item(sop: Driver) -> None:
    sop.drive("ditentukan", "rahasia", category="dikecualikan")
    stderr = refused(sop, 3, "rahasia", "--as", PPID)
    assert "rahasia" in stderr and "--dik" in stderr
    ok(sop.repo, "decree", "present", "rahasia", "--dik", "--as", PPID)
    assert sop.repo.run("verify").exit_code == 0


def test_a_draft_penetapan_dik_does_not_present_a_public_item(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    stderr = refused(sop, 3, "satu", "--dik", "--as", PPID)
    assert "satu" in stderr


def test_unknown_ids_and_empty_choices_are_refused_with_what_to_do(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    assert "tidak-ada" in refused(sop, 4, "tidak-ada", "--as", PPID)  # unknown item
    refused(sop, 2, "satu", "--all", "--as", PPID)  # ids or --all, never both
    assert "ditentukan" in refused(sop, 3, "--all", "--dik", "--as", PPID)  # no exempt one
    result = sop.repo.run("decree", "present", "--as", PPID)
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_validate_names_a_presentation_file_edited_by_hand(sop: Driver) -> None:
    sop.drive("ditentukan", "satu")
    ok(sop.repo, "decree", "present", "satu", "--as", PPID)
    assert sop.repo.run("validate").exit_code == 0
    (path,) = (sop.repo.register / "penyampaian").glob("*.yaml")
    text = path.read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    text = text.replace(record["lampiran_sha256"], "0" * 64)
    text = text.replace(f"disampaikan_oleh: {PPID}", f"disampaikan_oleh: {KASUBBAG}")
    path.write_text(text + "lampiran_baru: [tidak-ada]\n", encoding="utf-8")
    result = sop.repo.run("validate")
    assert result.exit_code == 1, result.stdout + result.stderr
    out = result.stdout + result.stderr
    where = f"register/penyampaian/{path.name}"
    lines = [line for line in out.splitlines() if where in line]
    assert any("lampiran_sha256" in line and record["lampiran_sha256"] in line for line in lines)
    assert any(KASUBBAG in line and "ppid_pembantu" in line for line in lines)
    assert any("lampiran_baru" in line for line in lines), out
    assert "Traceback" not in out
