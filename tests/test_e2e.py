"""The installed CLI, out of process: packaging, entry points and the example register."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, KASUBBAG, PROJECT, Repo, commit_all, git

pytestmark = pytest.mark.e2e
SCRIPT = Path(sys.executable).parent / "dipctl"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )


def test_the_console_script_and_python_m_both_run() -> None:
    for command in ([SCRIPT], [sys.executable, "-m", "dipctl"]):
        result = run(*command, "--help")
        assert result.returncode == 0, result.stderr
        for verb in ("init", "new", "list", "show", "status", "validate", "schema", "build"):
            assert verb in result.stdout


def test_init_new_list_from_the_shell(tmp_path: Path) -> None:
    target = tmp_path / "dinas"
    made = run(
        SCRIPT,
        "init",
        target,
        "--agency",
        "Dinas Uji",
        "--head-name",
        "Kepala",
        "--head-email",
        "kepala@uji.example.go.id",
    )
    assert made.returncode == 0, made.stderr
    config = target / "register" / "register.yaml"
    config.write_text(
        config.read_text().replace(
            "    peran: [kepala]\n",
            (
                "    peran: [kepala]\n  - nama: Kasubbag\n    email: "
                + KASUBBAG
                + "\n    peran: [kasubbag]\n    unit: [sekretariat]\n"
            ),
            1,
        )
    )
    commit_all(target, "orang")
    created = run(
        SCRIPT,
        "new",
        "--unit",
        "sekretariat",
        "--title",
        "Profil Dinas",
        "--as",
        KASUBBAG,
        cwd=target / "register",
    )
    assert created.returncode == 0, created.stderr
    listed = run(SCRIPT, "list", cwd=target)
    assert listed.stdout == "profil-dinas\tdraf\t-\tsekretariat\tProfil Dinas\n"
    assert run(SCRIPT, "validate", cwd=target).returncode == 0


def test_the_example_register_validates_and_builds(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "biro")
    shutil.copytree(EXAMPLE, repo.register)
    git(repo.path, "init", "-q", "-b", "main")
    commit_all(repo.path, "contoh")
    checked = run(SCRIPT, "validate", "--register", repo.register)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run(SCRIPT, "build", "--register", repo.register, "--out", tmp_path / "site")
    assert built.returncode == 0, built.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Rencana Strategis" in index
    assert "Daftar Informasi yang Dikecualikan" in index


def test_make_site_target_builds_into_site(tmp_path: Path) -> None:
    """The Makefile's `site` recipe, run against a copy of the project (no venv creation)."""
    recipe = run("make", "-n", "site", cwd=PROJECT).stdout
    assert "dipctl build --register register --out site" in recipe
