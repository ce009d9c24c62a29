"""The whole SOP end to end: four officers, one commit per step, the trail in git."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, KEPALA, PPID, SEKRETARIS, Repo, git

ROLE_OF = {
    KASUBBAG: "kasubbag",
    KASUBBAG_PROGRAM: "kasubbag",
    SEKRETARIS: "sekretaris",
    PPID: "ppid_pembantu",
    KEPALA: "kepala",
}
PERKI = {
    "ringkasan": "Ringkasan isi informasi untuk uji.",
    "penanggung_jawab": "Sekretaris Dinas",
    "waktu_pembuatan": '"2026"',
    "bentuk": "[softcopy, hardcopy]",
    "retensi": "5 tahun",
}
EXEMPTION = f"""\
pasal: 17 huruf h
dasar_hukum: UU 14/2008 Pasal 17 huruf h
bagian: seluruhnya
konsekuensi_dibuka: Data pribadi pegawai dapat disalahgunakan.
konsekuensi_ditutup: Privasi pegawai terlindungi.
kepentingan_publik: Perlindungan privasi pegawai lebih besar daripada manfaat membukanya.
alasan: Memuat data pribadi pegawai.
jangka_waktu: selama pegawai aktif
berakhir: permanen
tanggal_uji: "2026-01-15"
penguji:
  - {PPID}
  - {SEKRETARIS}
  - Dr. Contoh Ahli — Dosen Hukum Administrasi Negara
"""


def fill(repo: Repo, unit: str, item_id: str) -> None:
    """The kasubbag completes the Perki fields in an editor (not committed yet)."""
    path = repo.item(unit, item_id)
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split(":", 1)[0]
        lines.append(f"{key}: {PERKI[key]}" if key in PERKI else line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ok(repo: Repo, *args: str) -> str:
    result = repo.run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    assert git(repo.path, "status", "--porcelain") == "", args
    return result.stdout


def last_commit(repo: Repo) -> dict[str, Any]:
    fmt = (
        "%an%n%ae%n%ce%n%(trailers:key=DIP-Action,valueonly,separator=%x2C)%n"
        "%(trailers:key=DIP-Role,valueonly,separator=%x2C)%n"
        "%(trailers:key=DIP-Item,valueonly,separator=%x2C)"
    )
    name, author, committer, action, role, items = repo.log("-1", f"--format={fmt}").split("\n")[:6]
    files = git(repo.path, "show", "--name-only", "--format=", "HEAD").split()
    return {
        "author": author,
        "committer": committer,
        "action": action,
        "role": role,
        "items": sorted(items.split(",")) if items else [],
        "files": files,
        "name": name,
    }


def status_of(repo: Repo, unit: str, item_id: str) -> str:
    return str(yaml.safe_load(repo.item(unit, item_id).read_text())["status"])


def step(repo: Repo, who: str, *args: str) -> dict[str, Any]:
    before = repo.log("-1", "--format=%H")
    ok(repo, *args, "--as", who)
    assert repo.log("-2", "--format=%H").split()[1] == before.strip()  # exactly one commit
    commit = last_commit(repo)
    assert commit["author"] == who
    assert commit["committer"] == who
    assert commit["role"] == ROLE_OF[who]
    assert commit["action"] == args[0]
    item_files = sorted(
        Path(f).stem for f in commit["files"] if f.startswith("register/informasi/")
    )
    assert commit["items"] == item_files  # the trailers name exactly the items in the diff
    return commit


def test_the_whole_sop(repo: Repo, tmp_path: Path) -> None:
    units = {
        "renja-2027": "sekretariat",
        "profil-dinas": "sekretariat",
        "peringatan-banjir": "program",
        "data-pegawai": "program",
    }
    titles = {
        "renja-2027": "Renja 2027",
        "profil-dinas": "Profil Dinas",
        "peringatan-banjir": "Peringatan Banjir",
        "data-pegawai": "Data Pegawai",
    }
    for item_id, unit in units.items():
        who = KASUBBAG if unit == "sekretariat" else KASUBBAG_PROGRAM
        commit = step(repo, who, "new", "--unit", unit, "--title", titles[item_id])
        assert commit["files"] == [f"register/informasi/{unit}/{item_id}.yaml"]
        fill(repo, unit, item_id)
        step(repo, who, "submit", item_id)
    # step 2: one return and a resubmission with a correction by the kasubbag
    step(repo, SEKRETARIS, "review", "renja-2027", "--return", "-m", "Ringkasan kurang jelas")
    assert yaml.safe_load(repo.item("sekretariat", "renja-2027").read_text())["catatan"] == (
        "Ringkasan kurang jelas"
    )
    path = repo.item("sekretariat", "renja-2027")
    path.write_text(path.read_text().replace("untuk uji.", "untuk uji, diperbaiki."))
    commit = step(repo, KASUBBAG, "submit", "renja-2027", "-m", "Ringkasan diperjelas")
    assert "diperbaiki" in git(repo.path, "show", "HEAD", "--", str(path))
    step(repo, SEKRETARIS, "review", *units, "--approve")
    # step 3: one item of each category, one exempt with its consequence test
    exemption = tmp_path / "uji.yaml"
    exemption.write_text(EXEMPTION, encoding="utf-8")
    step(repo, PPID, "classify", "renja-2027", "--category", "berkala")
    step(repo, PPID, "classify", "profil-dinas", "--category", "setiap-saat")
    step(repo, PPID, "classify", "peringatan-banjir", "--category", "serta-merta")
    step(
        repo,
        PPID,
        "classify",
        "data-pegawai",
        "--category",
        "dikecualikan",
        "--exemption",
        str(exemption),
    )
    assert (
        yaml.safe_load(repo.item("program", "data-pegawai").read_text())["pengecualian"]["berakhir"]
        == "permanen"
    )
    # step 4: the joint meeting, with its record and printable minutes
    commit = step(
        repo,
        PPID,
        "meeting",
        *units,
        "--date",
        "2026-11-25",
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
        "Lemari Arsip 1",
    )
    assert "register/rapat/2026-11-25-penentuan-dip.yaml" in commit["files"]
    assert "register/rapat/2026-11-25-penentuan-dip.html" in commit["files"]
    # step 5: the draft decree (no commit), then the decree
    draft = tmp_path / "draf.html"
    head = repo.log("-1", "--format=%H")
    ok(repo, "decree", "draft", "--out", str(draft))
    assert repo.log("-1", "--format=%H") == head
    assert "Renja 2027" in draft.read_text(encoding="utf-8")
    commit = step(
        repo, KEPALA, "establish", "--all", "--number", "188.44/1/2026", "--date", "2026-11-26"
    )
    decree = [f for f in commit["files"] if "keputusan/" in f]
    assert decree == ["register/keputusan/sk-188-44-1-2026.yaml"]
    # the exempt item takes the DIK path: the head approves, the PPID issues the Penetapan DIK
    assert status_of(repo, "program", "data-pegawai") == "ditentukan"
    step(repo, KEPALA, "approve", "data-pegawai")
    dik = tmp_path / "draf-dik.html"
    ok(repo, "decree", "draft", "--dik", "--out", str(dik))
    assert "DAFTAR INFORMASI YANG DIKECUALIKAN" in dik.read_text(encoding="utf-8")
    commit = step(
        repo, PPID, "exempt", "--all", "--number", "188.44/dik-1/2026", "--date", "2026-11-26"
    )
    assert [f for f in commit["files"] if "keputusan/" in f] == [
        "register/keputusan/sk-188-44-dik-1-2026.yaml"
    ]
    assert {status_of(repo, u, i) for i, u in units.items()} == {"ditetapkan"}
    # step 6: built, uploaded, recorded
    ok(repo, "build", "--out", str(repo.path / "site"))
    site = str(repo.path / "site")
    commit = step(
        repo, PPID, "publish", "--all", "--url", "https://dinas.example.go.id/dip/", "--site", site
    )
    assert "DIP-URL: https://dinas.example.go.id/dip/" in repo.log("-1", "--format=%B")
    assert {status_of(repo, u, i) for i, u in units.items()} == {"diunggah"}
    # pemutakhiran and withdrawal
    step(repo, KASUBBAG, "revise", "renja-2027", "-m", "Renja berubah")
    data = yaml.safe_load(repo.item("sekretariat", "renja-2027").read_text())
    assert (data["status"], data["revisi"], "keputusan" in data) == ("draf", 1, False)
    step(
        repo,
        KEPALA,
        "withdraw",
        "peringatan-banjir",
        "--number",
        "188.44/2/2026",
        "--date",
        "2026-12-01",
        "-m",
        "Peringatan sudah tidak berlaku",
    )
    assert status_of(repo, "program", "peringatan-banjir") == "dicabut"
    assert repo.run("validate").exit_code == 0
    verified = repo.run("verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr
    # the trail
    trail = repo.run("history", "renja-2027", "--json")
    actions = [e["langkah"] for e in json.loads(trail.stdout)]
    assert actions == [
        "new",
        "submit",
        "review",
        "submit",
        "review",
        "classify",
        "meeting",
        "establish",
        "publish",
        "revise",
    ]
    shown = repo.run("show", "renja-2027")
    assert "Ringkasan kurang jelas" in shown.stdout
    assert SEKRETARIS in shown.stdout


def test_history_names_who_did_what(repo: Repo) -> None:
    ok(repo, "new", "--unit", "sekretariat", "--title", "Satu", "--as", KASUBBAG)
    fill(repo, "sekretariat", "satu")
    ok(repo, "submit", "satu", "--as", KASUBBAG, "-m", "mohon dikoreksi")
    result = repo.run("history", "satu")
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert "kasubbag" in lines[2]
    assert "draf -> diajukan" in lines[2]
    assert "mohon dikoreksi" in lines[2]
    assert repo.run("history", "tidak-ada").exit_code == 4


# -- killed at any point -------------------------------------------------------------------


def run_killed(repo: Repo, point: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIPCTL_TEST_KILL": point}
    return subprocess.run(
        [sys.executable, "-m", "dipctl", *args, "--register", str(repo.register)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(repo: Repo) -> tuple[str, str, dict[str, bytes]]:
    files = {
        str(p.relative_to(repo.path)): p.read_bytes()
        for p in sorted(repo.register.rglob("*"))
        if p.is_file()
    }
    return (repo.log("-1", "--format=%H"), git(repo.path, "status", "--porcelain"), files)


@pytest.fixture
def forwarded(repo: Repo) -> Repo:
    for item_id in ("satu", "dua"):
        ok(repo, "new", "--unit", "sekretariat", "--title", item_id.title(), "--as", KASUBBAG)
        fill(repo, "sekretariat", item_id)
        ok(repo, "submit", item_id, "--as", KASUBBAG)
    return repo


def test_killed_before_the_commit_lands_changes_nothing(forwarded: Repo) -> None:
    before = snapshot(forwarded)
    killed = run_killed(
        forwarded, "before-ref", "review", "satu", "dua", "--approve", "--as", SEKRETARIS
    )
    assert killed.returncode == -9
    assert snapshot(forwarded)[:2] == before[:2]
    assert snapshot(forwarded)[2] == before[2]
    # the next command cleans up the journal and the stale lock, and works
    ok(forwarded, "review", "satu", "dua", "--approve", "--as", SEKRETARIS)
    assert not (forwarded.path / ".git" / "dipctl" / "journal.json").exists()


@pytest.mark.parametrize("point", ["after-ref", "mid-files"])
def test_killed_after_the_commit_is_finished_by_the_next_command(
    forwarded: Repo, point: str
) -> None:
    killed = run_killed(forwarded, point, "review", "satu", "dua", "--approve", "--as", SEKRETARIS)
    assert killed.returncode == -9
    assert "dip(review)" in forwarded.log("-1", "--format=%s")
    listed = forwarded.run("list", "--json")  # any command finishes the step first
    assert listed.exit_code == 0
    assert git(forwarded.path, "status", "--porcelain") == ""
    assert {status_of(forwarded, "sekretariat", i) for i in ("satu", "dua")} == {"diteruskan"}


def test_a_refused_multi_id_command_changes_nothing(forwarded: Repo) -> None:
    before = snapshot(forwarded)
    result = forwarded.run("review", "satu", "tidak-ada", "--approve", "--as", SEKRETARIS)
    assert result.exit_code == 4
    assert snapshot(forwarded) == before
