"""One language per invocation: help, the parser's own messages, results and rule texts."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dipctl import i18n
from dipctl.cli.app import app
from dipctl.cli.language import paragraphs, shared_options, walk
from dipctl.proof import verify as audit
from tests.conftest import KASUBBAG, Repo, dipctl


def commands() -> list[typer.core.TyperCommand]:
    """Every command, with the options every command line accepts (``--verbose``)."""
    found = list(walk(typer.main.get_command(app)))
    for cmd in found:
        shared_options(cmd)
    return found  # type: ignore[return-value]


def help_texts() -> list[str]:
    texts = []
    for cmd in commands():
        texts.append(cmd.help or "")
        texts += [getattr(p, "help", None) or "" for p in cmd.params]
    return [t for t in texts if t]


def test_every_help_paragraph_has_an_english_text() -> None:
    book = i18n.phrasebook("help", "en")
    missing = {
        para
        for text in help_texts()
        for para in paragraphs(text)
        if para not in book and not para.startswith("Contoh:")
    }
    assert not missing, f"add to dipctl/locales/help/en.yaml: {sorted(missing)}"
    used = {para for text in help_texts() for para in paragraphs(text)}
    stale = set(book) - used - {"Contoh:"}
    assert not stale, f"remove from dipctl/locales/help/en.yaml: {sorted(stale)}"


def test_examples_in_help_are_introduced_in_indonesian() -> None:
    english = [t for t in help_texts() if "Example:" in t]
    assert not english  # "Contoh:" in the code; "Example:" comes from the phrasebook


def en(*args: str) -> str:
    result = CliRunner(env={"DIPCTL_LANG": "en"}).invoke(app, list(args))
    return result.stdout + result.stderr


def test_help_is_indonesian_by_default_and_english_when_asked() -> None:
    result = dipctl("submit", "--help")
    assert result.exit_code == 0
    for word in ("Penggunaan:", "Opsi:", "Langkah 1", "Contoh: dipctl submit", "Tampilkan bantuan"):
        assert word in result.stdout
    assert "Usage:" not in result.stdout
    english = en("submit", "--help")
    for word in ("Usage:", "Options:", "Step 1", "Example: dipctl submit", "Show this message"):
        assert word in english
    assert "Langkah 1" not in english
    assert "Step 1" in dipctl("--lang", "en", "submit", "--help").stdout


def test_the_parsers_errors_follow_the_language() -> None:
    result = dipctl("status", "--zzz")
    assert result.exit_code == 2
    assert "Opsi --zzz tidak dikenal." in result.stderr
    assert "Ketik 'dipctl status --help' untuk bantuan." in result.stderr
    assert "No such option" not in result.stderr
    assert "No such option: --zzz" in en("status", "--zzz")
    typo = dipctl("stauts")
    assert typo.exit_code == 2
    assert "Perintah 'stauts' tidak dikenal. Maksud Anda 'status'?" in typo.stderr
    missing = dipctl("meeting", "x", "--date")
    assert missing.exit_code == 2
    assert "Opsi '--date' memerlukan nilai." in missing.stderr
    extra = dipctl("status", "ekstra")
    assert "Argumen berlebih yang tidak dikenal: ekstra" in extra.stderr
    # after an English run, Indonesian again: nothing leaks between invocations
    assert "Opsi --zzz tidak dikenal." in dipctl("status", "--zzz").stderr


def test_lang_before_the_command_name(repo: Repo) -> None:
    result = dipctl("--lang", "en", "status", "--register", repo.register)
    assert result.exit_code == 0, result.stderr
    by_env = CliRunner(env={"DIPCTL_LANG": "en"}).invoke(
        app, ["status", "--register", str(repo.register)]
    )
    assert result.stdout == by_env.stdout
    assert result.stdout != repo.run("status").stdout


def test_version() -> None:
    from importlib.metadata import version

    result = dipctl("--version")
    assert result.exit_code == 0
    assert result.stdout == f"dipctl {version('dipctl')}\n"


def test_every_command_with_a_register_accepts_as(repo: Repo) -> None:
    lacking = [
        cmd.name
        for cmd in commands()
        if any(p.name == "register" for p in cmd.params)
        and not any(p.name == "as_" for p in cmd.params)
    ]
    assert not lacking
    for args in (("validate",), ("list",), ("status",), ("verify",), ("decree", "draft")):
        out = repo.path / "draf.html"
        extra = ("--out", str(out)) if args[0] == "decree" else ()
        result = repo.run(*args, *extra, "--as", KASUBBAG)
        assert result.exit_code == (3 if extra else 0), (args, result.stderr)  # nothing to draft
        assert "--as" not in result.stderr


def test_every_rule_is_explained_in_indonesian_and_english() -> None:
    book = i18n.phrasebook("rules", "id")
    assert not [r for r in audit.RULES if r not in book], "add to dipctl/locales/rules/id.yaml"
    assert not set(book) - set(audit.RULES)
    result = dipctl("verify", "--explain", "root")
    assert result.exit_code == 0
    assert "Register punya tepat satu akar" in result.stdout
    english = en("verify", "--explain", "root")
    assert "A register has exactly one root" in english
    every = dipctl("verify", "--explain", "all").stdout
    assert "Aturan dipctl verify" in every
    assert "Riwayat register adalah satu rantai langkah" in every


@pytest.mark.e2e
def test_list_on_a_narrow_terminal_keeps_ids_whole(repo: Repo) -> None:
    """On a terminal the table is fitted to its width, the header in bold; the id column is
    never cut or wrapped."""
    long_id = "bo-laporan-kinerja-instansi-pemerintah-tahun-anggaran-2025-semester-pertama"
    created = repo.run(
        "new", "--unit", "sekretariat", "--title", "Laporan Kinerja", "--id", long_id,
        "--as", KASUBBAG,
    )  # fmt: skip
    assert created.exit_code == 0, created.stderr
    out = run_on_terminal(
        [sys.executable, "-m", "dipctl", "list", "--register", str(repo.register)], columns=60
    )
    assert long_id in out.replace("\r", "")
    wide = run_on_terminal(
        [sys.executable, "-m", "dipctl", "list", "--register", str(repo.register)], columns=160
    )
    assert "\x1b[1m" in wide  # the header in bold
    assert long_id in wide
    assert "Laporan" in wide


def run_on_terminal(argv: list[str], columns: int, env: dict[str, str] | None = None) -> str:
    """What ``argv`` shows on a pseudo-terminal ``columns`` wide (``env``: instead of this
    process's environment with ``COLUMNS`` set)."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    if env is None:
        env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "TERM": "xterm"}
    with subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=env) as proc:
        os.close(child)
        chunks = []
        while True:
            try:
                data = os.read(main, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_phrasebooks_read_as_maps(tmp_path: Path) -> None:
    assert i18n.phrasebook("click", "id")["Usage: "] == "Penggunaan: "
    # English: the parser's own words, only dipctl's Indonesian placeholders in English
    assert "Usage: " not in i18n.phrasebook("click", "en")
    assert i18n.phrasebook("click", "en")["RAPAT"] == "MEETING"
    assert i18n.phrasebook("nothing-here", "id") == {}
