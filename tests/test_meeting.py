"""Step 4 records its time and its chair, the berita acara prints them and separates the
DIP from the DIK path, and a withdrawal decree prints with its reason (issue 19.3, 19.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from dipctl.cli import prompts
from dipctl.publish import evidence, monev
from dipctl.register.config import find_register
from tests.conftest import KEPALA, PPID, SEKRETARIS, Repo, git
from tests.test_paper import text_of
from tests.test_verify import Driver, ok


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


def meeting_args(*extra: str) -> list[str]:
    return [
        "meeting", "renja-2027", "data-pegawai", "--date", "2026-11-25", "--place", "Ruang Rapat",
        "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
        "--hardcopy", "Lemari 1", *extra, "--as", PPID,
    ]  # fmt: skip


def record(repo: Repo) -> tuple[dict[str, object], str, str]:
    """The meeting's record (parsed and as text) and its berita acara's visible text."""
    [path] = (repo.register / "rapat").glob("*.yaml")
    text = path.read_text(encoding="utf-8")
    page = path.with_suffix(".html").read_text(encoding="utf-8")
    return yaml.safe_load(text), text, text_of(page)


def to_meeting(sop: Driver) -> None:
    sop.drive("diklasifikasi", "renja-2027")
    sop.drive("diklasifikasi", "data-pegawai", category="dikecualikan")


def test_the_meeting_records_its_time_and_a_guest_chair(sop: Driver) -> None:
    to_meeting(sop)
    chair = "Ahmad Yani — Sekretaris Daerah"
    ok(sop.repo, *meeting_args("--time", "9.30", "--chair", chair))
    data, text, minutes = record(sop.repo)
    assert data["waktu"] == "09:30" and 'waktu: "09:30"' in text  # quoted: never 570 minutes
    assert data["pimpinan"] == "Ahmad Yani"
    assert {"nama": "Ahmad Yani", "jabatan": "Sekretaris Daerah"} in data["tamu"]  # type: ignore[operator]
    assert "pukul 09.30 sampai dengan selesai" in minutes
    assert "dipimpin oleh Ahmad Yani, Sekretaris Daerah untuk menentukan" in minutes
    results = minutes.split("A. Informasi Publik yang ditetapkan dalam DIP dengan Keputusan")[1]
    dip, dik = results.split(
        "B. Informasi yang diusulkan dikecualikan, ditetapkan PPID setelah persetujuan Pimpinan"
    )
    assert "Informasi renja-2027" in dip and "Informasi data-pegawai" not in dip
    assert "Informasi data-pegawai" in dik.split("Penyimpanan")[0]
    ok(sop.repo, "validate")
    ok(sop.repo, "verify")


def test_an_officer_chairing_is_an_attendee(sop: Driver) -> None:
    to_meeting(sop)
    ok(sop.repo, *meeting_args("--time", "13:05", "--chair", KEPALA.upper()))
    data, _, minutes = record(sop.repo)
    assert data["pimpinan"] == KEPALA and KEPALA in data["peserta"]  # type: ignore[operator]
    assert "dipimpin oleh Kepala Dinas" in minutes and "pukul 13.05" in minutes
    ok(sop.repo, "validate")


@pytest.mark.parametrize(
    ("extra", "code", "named"),
    [
        (("--chair", PPID), 3, "--time"),
        (("--time", "09:00"), 3, "--chair"),
        (("--time", "25:00", "--chair", PPID), 2, "--time"),
        (("--time", "pagi", "--chair", PPID), 2, "--time"),
        (("--time", "09:00", "--chair", "bukan@dinas.example.go.id"), 3, "bukan@dinas"),
        (("--time", "09:00", "--chair", " — Jabatan saja"), 2, "--chair"),
        (("--time", "09:00", "--chair", "Ahmad\x1b[31m"), 2, "--chair"),
    ],
)
def test_a_meeting_without_a_good_time_or_chair_is_refused(
    sop: Driver, extra: tuple[str, ...], code: int, named: str
) -> None:
    to_meeting(sop)
    result = sop.repo.run(*meeting_args(*extra))
    assert result.exit_code == code, result.stderr
    assert named in result.stderr and "Traceback" not in result.stderr
    assert not list((sop.repo.register / "rapat").glob("*.y*ml"))
    assert git(sop.repo.path, "status", "--porcelain") == ""


def test_on_a_terminal_the_time_and_chair_are_asked(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dipctl.cli.app import app

    to_meeting(sop)
    monkeypatch.setattr(prompts, "on_terminal", lambda: True)
    args = [*meeting_args(), "--register", str(sop.repo.register)]
    result = CliRunner().invoke(app, args, input=f"jam sembilan\n09:15\n{SEKRETARIS}\n")
    assert result.exit_code == 0, result.stderr
    assert "pukul rapat" in result.stderr and "pimpinan rapat" in result.stderr
    assert "bukan jam:menit" in result.stderr  # a bad answer is asked again
    data, _, _ = record(sop.repo)
    assert data["waktu"] == "09:15" and data["pimpinan"] == SEKRETARIS


def test_validate_checks_time_chair_rank_and_mengingat(repo: Repo) -> None:
    meeting = repo.register / "rapat" / "2026-11-25-penentuan-dip.yaml"
    meeting.parent.mkdir(exist_ok=True)
    meeting.write_text(
        'id: 2026-11-25-penentuan-dip\ntanggal: "2026-11-25"\nwaktu: 10:30\ntempat: Ruang\n'
        f"pimpinan: Orang Lain\npeserta: [{PPID}, {SEKRETARIS}]\nhasil: []\n"
        "penyimpanan: {softcopy: F, hardcopy: L}\n",
        encoding="utf-8",
    )
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("    peran: [kepala]\n", "    golongan: 4a\n    peran: [kepala]\n", 1)
    config.write_text(text + "naskah:\n  mengingat:\n    sk: [UU 14/2008]\n    dip: UU\n", "utf-8")
    result = repo.run("validate")
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    for expected in (
        "waktu",  # read as the number 630 by a YAML 1.1 reader: refused, with the fix
        "pimpinan",
        "Orang Lain",
        "golongan '4a'",
        "naskah.mengingat.sk",
        "naskah.mengingat.dip",
    ):
        assert expected in out, expected


def test_a_withdrawal_decree_prints_its_reason_in_the_pack(sop: Driver) -> None:
    sop.drive("ditetapkan", "renja-2027", "profil-dinas")
    reason = "Dokumen telah digantikan oleh Renja Perubahan"
    ok(sop.repo, "withdraw", "renja-2027", "--number", "188.44/9/2026", "--date", "2026-12-01",
       "-m", reason, "--as", KEPALA)  # fmt: skip
    reg = find_register(sop.repo.register)
    found = evidence.dip_decree(monev._inputs(reg, 2026, "id", dt.date(2026, 12, 31)))
    [part] = found.parts
    assert part.split is not None and not part.page  # printed whole, or in parts if too long
    [(_, page)] = part.split(10_000)  # a few rows: one part
    text = text_of(page)
    assert "rapat" not in text.casefold()
    assert f"dengan alasan {reason};" in text  # Menimbang
    assert f"dengan alasan {reason}: 1. Informasi renja-2027." in text  # the dictum
    lampiran = text_of(page.split('id="lampiran-dip"', 1)[1])
    assert "Informasi profil-dinas" in lampiran and "Informasi renja-2027" not in lampiran
