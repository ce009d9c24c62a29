"""Feedback on long work (issue 21.6): build, verify, sync and monev report progress through a
callback (the library draws nothing); the CLI shows one line updated in place on a terminal,
plain phase lines when piped or under CI, nothing under --json, and the run's figures at the
end. ``DIPCTL_PROGRESS_AFTER=0`` shows at once what a longer run shows after a second."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from dipctl.cli.progress import Drawer, number
from dipctl.i18n import Translator
from tests.conftest import EXAMPLE, PROJECT, Repo, commit_all, dipctl, git
from tests.test_language import run_on_terminal
from tests.test_screen import DRAFT, POKJA

WIDTH = 80


def example_repo(path: Path) -> Repo:
    shutil.copytree(EXAMPLE, path / "register")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register contoh")
    return Repo(path)


def env(**extra: str) -> dict[str, str]:
    found = {**os.environ, "PYTHONPATH": str(PROJECT), "DIPCTL_PROGRESS_AFTER": "0"}
    found.pop("CI", None)
    return {**found, **extra}


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "dipctl", *(str(a) for a in args)]


def screens(raw: str) -> list[str]:
    """Every state of every line a terminal showed: split at carriage returns and newlines,
    the erase-to-end-of-line sequence taken out."""
    return [part for part in re.split(r"\r\n|\r|\n", raw.replace("\x1b[K", "")) if part]


def test_a_build_on_a_terminal_updates_one_line_and_ends_with_its_figures(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "biro")
    out = tmp_path / "situs"
    argv = cli("build", "--register", repo.register, "--out", out)
    shown = run_on_terminal(argv, WIDTH, env(COLUMNS=str(WIDTH), TERM="xterm"))
    assert "\r" in shown.replace("\r\n", "") and "\x1b[K" in shown  # drawn over in place
    lines = screens(shown)
    assert any(re.fullmatch(r"Membangun situs: \d+/\d+ halaman", line) for line in lines), lines
    assert any(re.fullmatch(r"Membangun situs: menulis \d+/\d+ berkas", ln) for ln in lines)
    assert re.search(r"Selesai dalam \d+,\d detik: \d+ halaman, \d+ berkas ditulis\.", shown)
    assert "berkas situs ditulis ke" in shown
    # within 80 columns, but for a path longer than a line, which stands whole to be copied
    assert [line for line in lines if cell_len(line) > WIDTH and " " in line.strip()] == []
    assert (out / "index.html").is_file()
    # in English, and the figures after the result: the last line the officer reads
    argv = cli("build", "--register", repo.register, "--out", out, "--lang", "en")
    shown = run_on_terminal(argv, WIDTH, env(COLUMNS=str(WIDTH), TERM="xterm"))
    assert re.search(r"Building the site: \d+/\d+ pages", shown)
    assert re.fullmatch(r"Done in \d+\.\d s: \d+ pages, \d+ files written\.", screens(shown)[-1])


def test_piped_or_under_ci_each_phase_is_one_plain_line(tmp_path: Path) -> None:
    repo = example_repo(tmp_path / "biro")
    argv = cli("build", "--register", repo.register, "--out", tmp_path / "situs")
    piped = subprocess.run(argv, capture_output=True, text=True, env=env(), check=True)
    assert piped.stdout == ""
    assert "\r" not in piped.stderr and "\x1b" not in piped.stderr
    assert piped.stderr.splitlines()[:5] == [
        "Membangun situs: membaca register dan riwayatnya",
        "Membangun situs: menyusun halaman",
        "Membangun situs: menyusun unduhan (CSV, JSON, XLSX)",
        "Membangun situs: menulis berkas",
        piped.stderr.splitlines()[4],  # done.build, as before
    ]
    assert "berkas situs ditulis ke" in piped.stderr.splitlines()[4]
    assert re.search(r"\nSelesai dalam \d+,\d detik", piped.stderr)
    # CI=true on a terminal: CI logs keep every line, so plain lines there too
    shown = run_on_terminal(argv, WIDTH, env(COLUMNS=str(WIDTH), TERM="xterm", CI="true"))
    assert "\x1b[K" not in shown and "Membangun situs: menyusun halaman\r\n" in shown
    # verify: its phases and the commits judged; --json and --format github show nothing
    ran = subprocess.run(cli("verify", "--register", repo.register), capture_output=True,
                         text=True, env=env())  # fmt: skip
    assert ran.stderr.startswith("Memeriksa riwayat: membaca commit\n"), ran.stderr
    assert re.search(r"Selesai dalam \d+,\d detik: 1 commit dinilai\.", ran.stderr)
    for machine in (["--json"], ["--format", "github"], ["--format", "json"]):
        argv = cli("verify", "--register", repo.register, *machine)
        shown = run_on_terminal(argv, WIDTH, env(COLUMNS=str(WIDTH), TERM="xterm"))
        assert "Memeriksa" not in shown and "Selesai" not in shown, machine


def test_a_sync_shows_its_phases_and_what_it_moved(tmp_path: Path) -> None:
    origin = example_repo(tmp_path / "origin")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(origin.path), str(server))
    a = Repo(tmp_path / "a")
    assert dipctl("clone", f"file://{server}", a.path, "--as", POKJA).exit_code == 0
    result = a.run("edit", DRAFT, "--title", "Kajian Pembentukan UPT (perbaikan)")
    assert result.exit_code == 0, result.stderr
    ran = subprocess.run(cli("sync", "--register", a.register, "--lang", "en"),
                         capture_output=True, text=True, env=env())  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    lines = ran.stderr.splitlines()
    assert lines[:2] == ["Sync: fetching colleagues' steps from the server",
                         "Sync: putting your steps on top"]  # fmt: skip
    assert "Sync: sending to the server" in lines
    assert re.fullmatch(r"Done in \d+\.\d s: 0 commits fetched, 0 replayed, 1 sent\.", lines[-1])
    again = subprocess.run(cli("sync", "--register", a.register, "--json"),
                           capture_output=True, text=True, env=env())  # fmt: skip
    assert again.returncode == 0 and again.stderr == "" and again.stdout.startswith("{")


def test_the_drawer_is_quiet_for_quick_work_and_numbers_read_as_the_language(
    capsys: object,
) -> None:
    quick = Drawer(Translator("id"))  # DIPCTL_PROGRESS_AFTER=3600 in every other test
    quick("progress.build.render", 10, 100)
    quick.finish("progress.figures.build", pages="100", files="120")
    assert capsys.readouterr().err == ""  # type: ignore[attr-defined]
    assert number(10000, "id") == "10.000" and number(12.25, "id", 1) == "12,2"
    assert number(10000, "en") == "10,000" and number(1234.5, "en", 1) == "1,234.5"


def test_the_library_draws_nothing() -> None:
    """Progress leaves the library only through the callback: the modules that report it
    hold no terminal code (the CLI's dipctl/cli/progress.py draws)."""
    reporting = ["feedback.py", "publish/site.py", "publish/output.py", "publish/monev.py",
                 "proof/verify.py", "share/sync.py"]  # fmt: skip
    drawing = ("isatty", "\\x1b[", "get_terminal_size", "sys.stderr", "sys.stdout")
    texts = {name: (PROJECT / "dipctl" / name).read_text(encoding="utf-8") for name in reporting}
    assert [(name, d) for name, text in texts.items() for d in drawing if d in text] == []
    assert all("progress(" in text for name, text in texts.items() if name != "feedback.py")
