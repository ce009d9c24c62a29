"""The kept answers of the read commands (issue 21.1, :mod:`dipctl.cli.answers`): the real
CLI in its own process prints a kept answer again, byte for byte, and never once anything
it depends on changed: an item edited in place with its size and mtime put back, a history
rewritten (amend, replace), a ``.git`` made above the working folder, git busy, another
terminal width. A damaged or foreign kept file, a failed write, a failed command and a
register with a link in it keep or replay nothing.

Every kept answer is first overwritten with :data:`MARK` (the file's framing kept whole):
a run that prints the mark replayed, any other run worked the answer out again.
"""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

from tests.conftest import EXAMPLE, commit_all, git, in_place

ITEM = "bo-analisis-beban-kerja-2025"
UNIT = "bagian-kelembagaan"
MARK = "KEPT ANSWER\n"


def _repo(base: Path, name: str) -> Path:
    path = base / name
    shutil.copytree(EXAMPLE, path / "register")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register contoh")
    return path


def _run(
    where: Path, cache: Path, *args: str, cwd: Path | None = None, **extra: str
) -> tuple[int, str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **extra}
    argv = [sys.executable, "-m", "dipctl", *args]
    if cwd is None:
        argv += ["--register", str(where / "register")]
    done = subprocess.run(argv, cwd=cwd or where, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def _kept(cache: Path) -> list[Path]:
    folder = cache / "dipctl" / "answers"
    return (
        sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []
    )


def _mark(cache: Path) -> int:
    """Overwrite every kept answer's text with :data:`MARK`, as a valid kept file."""
    found = _kept(cache)
    for path in found:
        head, _, rest = path.read_bytes().partition(b"\n")
        _, _, payload = rest.partition(b"\n")
        key, where, state, _chunks = marshal.loads(payload)
        payload = marshal.dumps((key, where, state, [(1, MARK)]), 4)
        path.write_bytes(head + f"\n{len(payload)} {zlib.crc32(payload):08x}\n".encode() + payload)
    return len(found)


def _settle() -> None:
    """Wait out git's racy margin: nothing changed within it is kept."""
    time.sleep(2.1)


def test_a_kept_answer_is_the_same_bytes_and_is_what_answers(tmp_path: Path) -> None:
    repo, cache = _repo(tmp_path, "biro"), tmp_path / "cache"
    lines = [
        ("list",),
        ("list", "--json"),
        ("status",),
        ("--lang", "en", "status"),
        ("show", ITEM, "--wide"),
        ("history", ITEM),
        ("validate",),
    ]
    _settle()
    first = [_run(repo, cache, *line) for line in lines]
    assert all(code == 0 for code, _, _ in first), first
    assert len(_kept(cache)) == len(lines)
    assert [_run(repo, cache, *line) for line in lines] == first  # replayed: the same bytes
    assert _mark(cache) == len(lines)
    for line in lines:
        assert _run(repo, cache, *line) == (0, MARK, ""), line  # it was the kept answer
    # another width, another language in the environment: worked out again
    assert _run(repo, cache, "list", COLUMNS="80")[1] != MARK
    assert _run(repo, cache, "status", DIPCTL_LANG="en")[1] != MARK
    # a command that failed keeps nothing
    before = len(_kept(cache))
    assert _run(repo, cache, "show", "tidak-ada")[0] != 0
    assert len(_kept(cache)) == before == len(lines) + 2  # + the width's, the language's


def _amend(repo: Path) -> None:
    git(repo, "-c", "user.name=X", "-c", "user.email=x@example.go.id", "commit", "-q",
        "--amend", "-m", "register contoh, pesan lain")  # fmt: skip


def _replace(repo: Path) -> None:
    who = ("-c", "user.name=X", "-c", "user.email=x@example.go.id")
    other = git(repo, *who, "commit-tree", "HEAD^{tree}", "-m", "sejarah lain").strip()
    git(repo, "replace", "HEAD", other)


def _nested(repo: Path) -> None:
    git(repo / "sub" / "deeper", "init", "-q")


def _busy(repo: Path) -> None:
    (repo / ".git" / "index.lock").write_bytes(b"")


def _edited(repo: Path) -> None:
    in_place(repo / "register" / "informasi" / UNIT / f"{ITEM}.yaml", "judul: D", "judul: X")


CHANGES = {
    "edited in place": (_edited, ("show", ITEM), None),
    "amended": (_amend, ("history", ITEM), None),
    "replaced": (_replace, ("list",), None),
    "a .git above the working folder": (_nested, ("list",), "sub/deeper"),
    "git busy": (_busy, ("status",), None),
}


def test_a_kept_answer_is_never_replayed_once_anything_it_read_changed(tmp_path: Path) -> None:
    template = _repo(tmp_path, "template")
    repos = {name: tmp_path / f"r{n}" for n, name in enumerate(CHANGES)}
    for name, path in repos.items():
        shutil.copytree(template, path, symlinks=True)
        if CHANGES[name][2]:
            (path / str(CHANGES[name][2])).mkdir(parents=True)
    _settle()
    for name, (_, line, cwd) in CHANGES.items():
        at = repos[name] / cwd if cwd else None
        code, _, _ = _run(repos[name], tmp_path / f"cache-{name}", *line, cwd=at)
        assert code == 0 and _mark(tmp_path / f"cache-{name}") == 1, name
    for name, (change, line, cwd) in CHANGES.items():
        change(repos[name])
        at = repos[name] / cwd if cwd else None
        now = _run(repos[name], tmp_path / f"cache-{name}", *line, cwd=at)
        truth = _run(repos[name], tmp_path / f"fresh-{name}", *line, cwd=at)
        assert now[1] != MARK and now == truth, name
    # the change shows: the title edited in place, the register not found from a new repo
    assert "Xokumen" in _run(repos["edited in place"], tmp_path / "c", "show", ITEM)[1]
    nested = repos["a .git above the working folder"]
    assert _run(nested, tmp_path / "c", "list", cwd=nested / "sub" / "deeper")[0] != 0


def test_what_is_not_whole_is_neither_kept_nor_replayed(tmp_path: Path) -> None:
    repo, cache = _repo(tmp_path, "biro"), tmp_path / "cache"
    linked = _repo(tmp_path, "linked")
    (linked / "register" / "tautan").symlink_to(tmp_path)
    _settle()
    truth = {line: _run(repo, cache, *line) for line in (("list",), ("status",))}
    assert len(_kept(cache)) == 2
    # a damaged kept file, and one kept for another command line put in this one's place
    damaged, foreign = _kept(cache)
    whole = damaged.read_bytes()
    foreign.write_bytes(whole)
    data = bytearray(whole)
    data[-5] ^= 0x01
    damaged.write_bytes(bytes(data))
    for line, answer in truth.items():
        assert _run(repo, cache, *line) == answer, line
    # a register with a link in it: nothing kept
    other = tmp_path / "cache-linked"
    assert _run(linked, other, "list")[0] == 0
    assert _kept(other) == []
    # a reader that went away (``dipctl list | head``): the run ends well, nothing is kept
    third = tmp_path / "cache-pipe"
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "XDG_CACHE_HOME": str(third)}
    argv = [sys.executable, "-m", "dipctl", "list", "--register", str(repo / "register")]
    done = subprocess.run(argv, stdout=write, stderr=subprocess.PIPE, env=env, check=False)
    os.close(write)
    assert done.returncode == 0, done.stderr
    assert _kept(third) == []


def test_nothing_is_kept_from_a_register_changed_within_the_racy_margin(tmp_path: Path) -> None:
    repo, cache = _repo(tmp_path, "biro"), tmp_path / "cache"
    assert _run(repo, cache, "list")[0] == 0
    assert _kept(cache) == []


def test_ctrl_c_while_a_kept_answer_is_checked_is_the_commands_exit_130(tmp_path: Path) -> None:
    # the check takes tens of milliseconds: the interrupt is raised where it would land
    code = (
        "import sys\n"
        "from dipctl.cli import answers, main\n"
        "def stop(args):\n"
        "    raise KeyboardInterrupt\n"
        "answers.replay = stop\n"
        "sys.argv = ['dipctl', '--lang', 'en', 'list']\n"
        "main()\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 130
    assert done.stderr.strip() == "interrupted by the user." and "Traceback" not in done.stderr
    assert done.stdout == ""
