"""``dipctl --version`` and ``--help`` before typer is imported (issue 21.1): the help printed
from the user's cache is byte for byte click's own rendering, for both languages and several
widths, and a damaged or planted copy is never printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dipctl
from tests.conftest import PROJECT

#: The real parser, never the cache: the same entry point with the cache folder unusable.
SCRIPT = "import sys; sys.argv[0] = 'dipctl'; from dipctl.cli import main; main()"


def _run(args: list[str], cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        cwd=cache.parent,  # not the project's folder, which -c would put first on sys.path
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT), "XDG_CACHE_HOME": str(cache), **env},
        check=False,
    )


def _clicks(args: list[str], tmp_path: Path, **env: str) -> str:
    """What click renders: the cache folder is a file, so nothing is read or kept."""
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    shown = _run(args, blocked, **env)
    assert shown.returncode == 0 and not shown.stderr, shown.stderr
    return shown.stdout


def test_help_from_the_cache_is_clicks_own(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cases = [
        (["--help"], {}),
        (["--help", "--lang", "en"], {}),
        (["--lang=en", "--help"], {}),
        (["--help"], {"DIPCTL_LANG": "en"}),
        (["--lang", "id", "--help"], {"DIPCTL_LANG": "en"}),
    ]
    seen: set[str] = set()
    for args, env in cases:
        for columns in ("50", "79", "80", "1000"):
            expected = _clicks(args, tmp_path, COLUMNS=columns, **env)
            for _ in range(2):  # rendered and kept, then printed from the cache
                shown = _run(args, cache, COLUMNS=columns, **env)
                assert shown.returncode == 0 and not shown.stderr, shown.stderr
                assert shown.stdout == expected, (args, env, columns)
            seen.add(expected)
    kept = list((cache / "dipctl").glob("help-*.txt"))
    assert len(kept) == 4 * 4  # one copy per language as given, width (--lang=en is --lang en)
    assert len(seen) >= 6  # the languages and widths do differ
    assert any("Usage: dipctl" in text for text in seen)


def test_a_damaged_or_planted_copy_is_rendered_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = _clicks(["--help"], tmp_path)
    assert _run(["--help"], cache).stdout == expected
    (kept,) = (cache / "dipctl").glob("help-*.txt")
    whole = kept.read_text(encoding="utf-8")
    head, stamp, check, body = whole.split("\n", 3)
    other = stamp.replace("__init__.py\\x00(", "__init__.py\\x00(1", 1)
    assert other != stamp
    bogus = "PLANTED\n"
    planted_check = check  # a checksum that does not fit the planted text
    import zlib

    good_check = f"{len(bogus)}:{zlib.crc32(bogus.encode()):08x}"
    for damaged in (
        whole[: len(whole) // 2],  # cut short
        whole.replace("dipctl", "dipctX", 1) if body.count("dipctl") else whole + "x",
        f"{head}\n{stamp}\n{check}\n{body[:-1]}!",  # one byte of the text changed
        f"{head}\n{stamp}\n{planted_check}\n{bogus}",  # another text, the old checksum
        f"{head}\n{other}\n{good_check}\n{bogus}",  # whole, but made from other files
        f"x{head}\n{stamp}\n{check}\n{body}",  # another format
        "",
    ):
        kept.write_text(damaged, encoding="utf-8")
        shown = _run(["--help"], cache)
        assert shown.returncode == 0 and shown.stdout == expected, damaged[:80]
        assert kept.read_text(encoding="utf-8") == whole  # rendered and kept again
    kept.write_bytes(b"\xff\xfe\x00garbage")
    assert _run(["--help"], cache).stdout == expected
    kept.unlink()
    kept.mkdir()  # unwritable where the copy goes: printed all the same
    assert _run(["--help"], cache).stdout == expected


def test_an_edited_source_file_renders_the_help_again(tmp_path: Path) -> None:
    """A copy of the package, its help text edited in place with the same size: the stamp
    (size, times, inode of every file) changes, and the new text is printed."""
    import shutil

    package = tmp_path / "pkg"
    # without bytecode: Python's own check of a .pyc (mtime and size) would take the edited
    # file for the old one and run the old text, whatever dipctl's cache did
    shutil.copytree(
        PROJECT / "dipctl", package / "dipctl", ignore=shutil.ignore_patterns("__pycache__")
    )
    cache = tmp_path / "cache"
    env = {"PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}
    first = _run(["--help"], cache, **env).stdout
    commands = package / "dipctl" / "cli" / "commands.py"
    text = commands.read_text(encoding="utf-8")
    at = text.index('"list",')
    start = text.index('"', text.index('"read",', at) + len('"read",')) + 1  # list's help
    word = text[start : text.index(" ", start)]
    edited = word[:-1] + ("X" if word[-1] != "X" else "Y")
    assert word in first and edited not in first
    text = text[:start] + edited + text[start + len(word) :]
    stat = commands.stat()
    with commands.open("r+", encoding="utf-8") as fh:  # in place: same inode, same size
        fh.write(text)
    os.utime(commands, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old mtime put back
    shown = _run(["--help"], cache, **env)
    assert edited in shown.stdout and shown.stdout != first
    assert shown.stdout == _clicks(["--help"], tmp_path, **env)


def test_version_loads_neither_typer_nor_the_app(tmp_path: Path) -> None:
    code = (
        "import json, sys; sys.argv = ['dipctl', '--version']\n"
        "from dipctl.cli import main\n"
        "main()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        check=True,
    )
    assert shown.stdout == f"dipctl {dipctl.__version__}\n"
    loaded = json.loads(shown.stderr.splitlines()[-1])
    assert not [m for m in loaded if m.split(".")[0] in ("typer", "click", "yaml")]
    assert "dipctl.cli.app" not in loaded and "dipctl.i18n" not in loaded
    # what click says for the same line, through the app itself
    clicks = subprocess.run(
        [sys.executable, "-c", "from dipctl.cli.app import app; app()", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        check=True,
    )
    assert clicks.stdout == shown.stdout
