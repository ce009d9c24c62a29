"""Issue 21.2: the history index (dipctl/proof/index.py) answers ``history``, ``show``,
``sla`` and the site's trails exactly as reading git did, and is never used stale: a
rewritten history, a damaged index file, another dipctl version, concurrent readers and a
writer."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

import pytest

from dipctl.gitrepo import Repository
from dipctl.proof import clocks, index_scan, trail
from dipctl.proof.index_rows import Version
from dipctl.register import queries
from dipctl.register.config import find_register
from tests import oracle_clocks
from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, PPID, Repo, commit_all, git
from tests.test_sla import SIGNED, _dik, act, built, minutes, publish

LATER = SIGNED + dt.timedelta(days=2)
INDEX = Path(".git/dipctl")


def _whole(repo: Repo, mp: pytest.MonkeyPatch) -> None:
    """The whole SOP (an exempt item by the Penetapan DIK, a public one by the SK DIP,
    uploaded), then a new item submitted and its step undone, moved to another unit's folder
    by plain git, a broken version and its repair, an item deleted, the mutu baku changed."""
    _dik(repo, mp)
    publish(repo, mp, SIGNED + minutes(40), "renja-2027")
    act(repo, mp, LATER, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Item Tiga")
    from tests.test_sop import fill

    fill(repo, "sekretariat", "item-tiga")
    act(repo, mp, LATER + minutes(5), KASUBBAG, "submit", "item-tiga")
    act(repo, mp, LATER + minutes(9), KASUBBAG, "undo", "item-tiga", "-m", "Salah unit")
    moved = repo.item("program", "item-tiga")
    git(repo.path, "mv", str(repo.item("sekretariat", "item-tiga")), str(moved))
    moved.write_text(moved.read_text().replace("unit: sekretariat", "unit: program"))
    mp.setenv("GIT_COMMITTER_DATE", (LATER + minutes(20)).isoformat())
    mp.setenv("GIT_AUTHOR_DATE", (LATER + minutes(20)).isoformat())
    commit_all(
        repo.path, "pindah unit\n\nitem-tiga milik program", "Kasubbag.Program@Dinas.example.go.id"
    )
    good = moved.read_text()
    moved.write_text(good + "status: [rusak\n")
    commit_all(repo.path, "versi rusak", KASUBBAG)
    moved.write_text(good)
    commit_all(repo.path, "diperbaiki", KASUBBAG)
    act(
        repo,
        mp,
        LATER + minutes(40),
        KASUBBAG,
        "new",
        "--unit",
        "sekretariat",
        "--title",
        "Item Empat",
    )
    git(repo.path, "rm", "-q", str(repo.item("sekretariat", "item-empat")))
    commit_all(repo.path, "hapus item-empat", KASUBBAG)
    config = repo.register / "register.yaml"
    config.write_text(config.read_text().replace("penetapan: 60 menit", "penetapan: 1 hari"))
    commit_all(repo.path, "mutu baku: penetapan 1 hari", PPID)


@pytest.fixture(scope="module")
def whole(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return built(_template_repo, tmp_path_factory, _whole)


def copy(repo: Repo, tmp_path: Path) -> Repo:
    target = Repo(tmp_path / "dinas")
    shutil.copytree(repo.path, target.path, symlinks=True)
    shutil.rmtree(target.path / INDEX, ignore_errors=True)
    return target


def answers(repo: Repo) -> tuple[Any, ...]:
    """What the commands print from the history: every item's trail, the sla's steps."""
    reg = find_register(repo.register)
    trails = {i.id: trail.trail(reg, i) for i in queries.list_items(reg, None, None, None)}
    steps, count = clocks.walk(reg)
    return trails, [tuple(s) for s in steps], count


def oracle(repo: Repo, own: bool = True) -> tuple[Any, ...]:
    """The same, read from git as before the index. ``git log --follow`` takes a new item's
    file for a copy of a similar file added before it (two drafts of the same template) and
    shows that other item's commits as the first of its trail: with ``own``, those are left
    out, as the index (by item id) leaves them out."""
    reg = find_register(repo.register)
    git_repo = Repository(reg.root)
    items = queries.list_items(reg, None, None, None)
    trails = {i.id: trail.direct(git_repo, i) for i in items}
    if own:
        trails = {k: _own(k, v) for k, v in trails.items()}
    steps, count = oracle_clocks.walk(reg)
    return trails, [astuple(s) for s in steps], count


def _own(item: str, entries: list[trail.Entry]) -> list[trail.Entry]:
    found, before = [], ""
    for e in entries:
        if e.path.rsplit("/", 1)[-1] == f"{item}.yaml":
            found.append(replace(e, source=before))
            before = e.target
    return found


def printed(repo: Repo, item: str) -> tuple[str, ...]:
    out = tuple(repo.run(cmd, item, "--json").stdout for cmd in ("history", "show"))
    (repo.path / INDEX / "clocks.pickle").unlink(missing_ok=True)  # the kept clocks' walk
    sla = repo.run("sla", "--json")  # builds the index, as a fresh clone's first `sla` does
    assert sla.exit_code == 0, sla.stderr
    return (*out, sla.stdout)


def test_the_index_answers_exactly_as_git_did_and_follows_a_moved_item(
    whole: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy(whole, tmp_path)
    expected = oracle(repo)
    cold = repo.run("history", "item-tiga", "--json").stdout  # a fresh clone's first read:
    assert not (repo.path / INDEX / "history.json").exists()  # from git by id, no index yet
    monkeypatch.setattr(index_scan, "_PARALLEL_FROM", 1)  # the versions parsed by a pool
    assert answers(repo) == expected  # cold: built from the whole history
    monkeypatch.undo()
    assert (repo.path / INDEX / "history.json").is_file()
    assert answers(repo) == expected  # warm
    assert repo.run("history", "item-tiga", "--json").stdout == cold  # the same trail
    trails, steps, count = expected
    unfiltered = oracle(repo, own=False)[0]
    assert trails["renja-2027"] == unfiltered["renja-2027"]
    assert trails["item-tiga"] == unfiltered["item-tiga"]  # followed across the move
    moved = [e.path for e in trails["item-tiga"]]
    assert moved[0].endswith("sekretariat/item-tiga.yaml")
    assert moved[-1].endswith("program/item-tiga.yaml")
    assert "?" in [e.target for e in trails["item-tiga"]]
    assert any(e.email == "Kasubbag.Program@Dinas.example.go.id" for e in trails["item-tiga"])
    assert {"exempt", "establish", "publish", "undo"} <= {s[3] for s in steps}
    assert "item-empat" in {s[0] for s in steps} and count > 20


def test_a_grown_history_is_added_to_and_a_rewritten_one_rebuilt(
    whole: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = copy(whole, tmp_path)
    before = printed(repo, "item-tiga")
    pointer = repo.path / INDEX / "history.json"
    first = json.loads(pointer.read_text())
    item = repo.item("program", "item-tiga")
    item.write_text(item.read_text().replace("status: draf", "status: diajukan"))
    commit_all(repo.path, "diajukan dengan git", KASUBBAG_PROGRAM)
    parsed: list[bytes] = []
    counted = index_scan.version_of

    def counting(raw: bytes) -> Version:
        parsed.append(raw)
        return counted(raw)

    monkeypatch.setattr(index_scan, "version_of", counting)
    grown = printed(repo, "item-tiga")
    assert parsed == [item.read_bytes()]  # the one new version, parsed once, ever
    monkeypatch.undo()
    assert grown != before and json.loads(grown[0])[-1]["ke"] == "diajukan"
    assert answers(repo) == oracle(repo)
    # grown in place (no copy of the whole file), in a transaction that left no journal
    assert json.loads(pointer.read_text())["db"] == first["db"]
    assert not list((repo.path / INDEX).glob("*-journal"))
    # amend the submit into another status: same parent, another tip
    item.write_text(item.read_text().replace("status: diajukan", "status: diteruskan"))
    git(repo.path, "commit", "-q", "-a", "--amend", "--no-edit")
    amended = printed(repo, "item-tiga")
    assert json.loads(amended[0])[-1]["ke"] == "diteruskan"
    assert len(json.loads(amended[0])) == len(json.loads(grown[0]))
    assert answers(repo) == oracle(repo)
    # back to an older commit, and a new one on it
    git(repo.path, "reset", "-q", "--hard", "HEAD~3")
    assert printed(repo, "item-tiga") != amended
    assert answers(repo) == oracle(repo)
    renja = repo.item("sekretariat", "renja-2027")
    renja.write_text(renja.read_text() + "# catatan\n")
    commit_all(repo.path, "catatan", PPID)
    assert answers(repo) == oracle(repo)


@pytest.mark.parametrize(
    "damage", ["truncated", "scrambled", "garbage", "other-version", "other-db"]
)
def test_a_damaged_or_foreign_index_is_ignored_and_rebuilt(
    whole: Repo, tmp_path: Path, damage: str
) -> None:
    repo = copy(whole, tmp_path)
    expected = printed(repo, "item-tiga")
    pointer = repo.path / INDEX / "history.json"
    found = json.loads(pointer.read_text())
    db = repo.path / INDEX / found["db"]
    if damage == "truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    elif damage == "scrambled":  # the same size, its pages after the first overwritten
        data = db.read_bytes()
        db.write_bytes(data[:4096] + bytes(range(256)) * ((len(data) - 4096) // 256 + 1))
        db.write_bytes(db.read_bytes()[: len(data)])
    elif damage == "garbage":
        db.write_bytes(b"\x00garbage" * (db.stat().st_size // 8 + 1))
        found["size"] = db.stat().st_size
        pointer.write_text(json.dumps(found))
    elif damage == "other-version":
        pointer.write_text(json.dumps({**found, "version": "0.0.1"}))
    else:  # a pointer naming a file it did not write (another tip's index)
        other = Repo(tmp_path / "other")
        git(tmp_path, "init", "-q", str(other.path))
        (other.path / "x").write_text("x")
        commit_all(other.path, "x", PPID)
        db.write_bytes(b"")
        found["size"] = 0
        pointer.write_text(json.dumps(found))
    again = printed(repo, "item-tiga")
    assert again == expected, damage
    assert json.loads(pointer.read_text())["db"] != found["db"]
    assert answers(repo) == oracle(repo)


def test_readers_and_a_writer_at_once_agree(whole: Repo, tmp_path: Path) -> None:
    """Two ``history`` processes while a third commits steps: each prints the trail of the
    HEAD it saw (one of the few tips), never a mix, never a traceback."""
    repo = copy(whole, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "dipctl", "history", "renja-2027", "--json",
           "--register", str(repo.register)]  # fmt: skip
    tips: dict[str, str] = {}
    outputs: list[str] = []
    for round_ in range(3):
        readers = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(2)]  # fmt: skip
        item = repo.item("sekretariat", "renja-2027")
        item.write_text(item.read_text() + f"# catatan {round_}\n")
        commit_all(repo.path, f"catatan {round_}", KASUBBAG)
        tip = git(repo.path, "rev-parse", "HEAD").strip()
        tips[tip] = repo.run("history", "renja-2027", "--json").stdout
        for reader in readers:
            out, err = reader.communicate(timeout=120)
            assert reader.returncode == 0 and b"Traceback" not in err, err
            outputs.append(out.decode())
    allowed = {*tips.values(), printed_at(whole)}
    assert all(o in allowed or _prefix_of(o, tips) for o in outputs)
    assert answers(repo) == oracle(repo)


def printed_at(repo: Repo) -> str:
    return repo.run("history", "renja-2027", "--json").stdout


def _prefix_of(out: str, tips: dict[str, str]) -> bool:
    """A trail of some earlier tip: its entries are the first entries of the latest one."""
    latest = json.loads(list(tips.values())[-1])
    found = json.loads(out)
    return bool(found == latest[: len(found)])


_DYING_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")  # its changes spill into the file before any commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM changes")
conn.execute("UPDATE meta SET value = '\\"0000\\"' WHERE key = 'tip'")
os._exit(0)  # killed in the middle of its transaction: a hot journal is left
"""


def test_a_writer_killed_while_growing_the_index_in_place_leaves_nothing_read(
    whole: Repo, tmp_path: Path
) -> None:
    """The index grows in place (issue 21): a writer that dies in its transaction has
    already written pages into the file; the next run rolls them back from the journal and
    answers as git does, and a reader holding the file waits for no one but is never shown
    a writer's half."""
    repo = copy(whole, tmp_path)
    expected = printed(repo, "item-tiga")
    db = repo.path / INDEX / json.loads((repo.path / INDEX / "history.json").read_text())["db"]
    subprocess.run([sys.executable, "-c", _DYING_WRITER, str(db)], check=True)
    assert db.with_name(db.name + "-journal").stat().st_size > 0  # hot: left by the dead
    assert printed(repo, "item-tiga") == expected
    assert answers(repo) == oracle(repo)
    assert not db.with_name(db.name + "-journal").exists()
    # a reader in its transaction (as `use` reads) while a new commit is added in place
    reader = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    before = reader.execute("SELECT count(*) FROM commits").fetchone()[0]
    item = repo.item("sekretariat", "renja-2027")
    item.write_text(item.read_text() + "# catatan\n")
    commit_all(repo.path, "catatan", KASUBBAG)
    cmd = [sys.executable, "-m", "dipctl", "history", "renja-2027", "--json",
           "--register", str(repo.register)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writer = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.execute("SELECT count(*) FROM commits").fetchone()[0] == before
    reader.close()  # the writer's transaction may commit now
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0 and b"Traceback" not in err, err
    assert out.decode() == printed_at(repo)
    assert answers(repo) == oracle(repo)
