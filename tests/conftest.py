"""Shared fixtures: an isolated git identity, real registers in tmp git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
import typer.main
import typer.testing
from typer import _click
from typer.testing import CliRunner, Result

from dipctl.cli.app import app
from dipctl.cli.language import chosen

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "register"
#: DIPCTL_LONG_TESTS=1 (`make nightly`): the long versions of the stateful model and the
#: fuzzers; the default suite runs shorter ones of the same tests (issue 21.7)
LONG = os.environ.get("DIPCTL_LONG_TESTS", "") not in ("", "0")

KEPALA = "kepala@dinas.example.go.id"
SEKRETARIS = "sekretaris@dinas.example.go.id"
PPID = "ppid@dinas.example.go.id"
KASUBBAG = "kasubbag.umum@dinas.example.go.id"
KASUBBAG_PROGRAM = "kasubbag.program@dinas.example.go.id"

PEOPLE = f"""\
  - nama: Sekretaris Dinas
    email: {SEKRETARIS}
    jabatan: Sekretaris
    peran: [sekretaris]
  - nama: PPID Pembantu
    email: {PPID}
    jabatan: PPID Pembantu
    peran: [ppid_pembantu]
  - nama: Kasubbag Umum
    email: {KASUBBAG}
    jabatan: Kepala Subbagian Umum
    peran: [kasubbag]
    unit: [sekretariat]
  - nama: Kasubbag Program
    email: {KASUBBAG_PROGRAM}
    jabatan: Kepala Subbagian Program
    peran: [kasubbag]
    unit: [program]
"""


@pytest.fixture(autouse=True)
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's git config, identity or dipctl settings."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "DIPCTL_REGISTER",
        "DIPCTL_AS",
        "DIPCTL_LANG",
        "DIPCTL_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # wide enough that no line wraps: the tests read content; tests/test_screen.py holds
    # every command to 80 columns
    monkeypatch.setenv("COLUMNS", "1000")
    monkeypatch.setenv("TERM", "dumb")
    # no progress lines amid what the tests read, however slow the machine (a long command
    # shows them after a second); tests/test_progress.py sets it to 0 to see them
    monkeypatch.setenv("DIPCTL_PROGRESS_AFTER", "3600")


@cache
def _command(lang: str) -> _click.Command:
    """The app's click command, built once per language rather than by typer on every invoke
    (a tenth of a second each); one per language because each run translates its help in
    place (:func:`dipctl.cli.language.localize`)."""
    return typer.main.get_command(app)


def dipctl(*args: str | Path) -> Result:
    """Run the real CLI in-process; stdout and stderr stay separate."""
    argv = [str(a) for a in args]
    command = _command(chosen(argv))
    with mock.patch.object(typer.testing, "_get_command", return_value=command):
        return CliRunner().invoke(app, argv)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def commit_all(repo: Path, message: str, email: str = KEPALA) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Test", "-c", f"user.email={email}", "commit", "-qm", message)


def in_place(path: Path, old: str, new: str) -> None:
    """Rewrite ``old`` as ``new`` (the same length) through a plain ``open(..., 'r+')``:
    the same inode and size; then the old atime and mtime put back, as a careless tool or
    an attacker would (only the change time, which no tool sets back, still moves)."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with path.open("r+", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


@dataclass(frozen=True)
class Repo:
    """A register repository made by ``dipctl init``, with four officers and two units."""

    path: Path

    @property
    def register(self) -> Path:
        return self.path / "register"

    def item(self, unit: str, item_id: str) -> Path:
        return self.register / "informasi" / unit / f"{item_id}.yaml"

    def run(self, *args: str | Path) -> Result:
        return dipctl(*args, "--register", self.register)

    def log(self, *args: str) -> str:
        return git(self.path, "log", *args)


@contextmanager
def isolated_git(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What :func:`git_env` gives a test, for a fixture of a wider scope that it cannot reach."""
    home = tmp_path_factory.mktemp("fixture-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        mp.setenv("DIPCTL_PROGRESS_AFTER", "3600")
        for name in ("DIPCTL_REGISTER", "DIPCTL_AS", "DIPCTL_LANG", "GIT_DIR", "GIT_WORK_TREE"):
            mp.delenv(name, raising=False)
        yield


def copy_repo(template: Path, tmp_path: Path, name: str = "dinas") -> Repo:
    """A test's own copy of a repository a wider-scoped fixture built."""
    path = tmp_path / name
    shutil.copytree(template, path, symlinks=True)
    return Repo(path)


@pytest.fixture(scope="session")
def _template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("template-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    try:
        path = tmp_path_factory.mktemp("template") / "dinas"
        result = dipctl(
            "init",
            path,
            "--agency",
            "Dinas Contoh",
            "--head-name",
            "Kepala Dinas",
            "--head-email",
            KEPALA,
            "--place",
            "Palangka Raya",
            "--unsigned",  # the SOP tests; signed registers: tests/test_signing.py
        )
        assert result.exit_code == 0, result.stderr
        config = path / "register" / "register.yaml"
        text = config.read_text(encoding="utf-8")
        text = text.replace("    peran: [kepala]\n", "    peran: [kepala]\n" + PEOPLE, 1)
        text = text.replace("unit:\n", "unit:\n  program:\n    nama: Subbagian Program\n", 1)
        config.write_text(text, encoding="utf-8")
        commit_all(path, "orang: empat pejabat")
    finally:
        mp.undo()
    return path


@pytest.fixture
def repo(_template_repo: Path, tmp_path: Path) -> Repo:
    """A fresh copy of a small register repository for each test."""
    path = tmp_path / "dinas"
    shutil.copytree(_template_repo, path, symlinks=True)
    return Repo(path)


@pytest.fixture
def example(tmp_path: Path) -> Repo:
    """The project's example register (Biro Organisasi) in a tmp git repository."""
    path = tmp_path / "biro"
    shutil.copytree(EXAMPLE, path / "register")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register contoh")
    return Repo(path)


#: The files whose tests take longest (`pytest --durations`, issue 21.7), slowest first:
#: collected first, so that pytest-xdist starts them first and the short tests fill the other
#: workers meanwhile, instead of one of them starting last and running on alone.
SLOW_FIRST = ("test_stateful.py", "test_monev_scale.py", "test_make_site.py",
              "test_build_output.py", "test_docs.py", "test_recovery.py")  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: every other file keeps its place and its tests' order
