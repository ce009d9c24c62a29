"""Issue 21: the walk of the mutu baku clocks kept in ``.git/dipctl/clocks.pickle``
(dipctl/proof/clock_cache.py) answers exactly what the whole walk answers: at the same tip
without reading the index, after new commits by continuing the kept walk, and after a
rewritten history, other code, a damaged or planted file by the whole walk again."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dipctl.proof import clock_cache, clocks, index
from dipctl.proof.index_rows import chained
from dipctl.proof.step import register_prefix
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, PPID, Repo, commit_all, git
from tests.test_history_index import copy, whole  # noqa: F401 - the module's fixture
from tests.test_sla import SIGNED, act

CACHE = Path(".git/dipctl") / clock_cache.FILE
STATUSES = ("draf", "diajukan", "diteruskan", "ditentukan", "ditetapkan", "diumumkan")


def _prefix(repo: Repo) -> str:
    return register_prefix(find_register(repo.register))


def kept(repo: Repo) -> tuple[list[Any], int]:
    steps, count = clock_cache.walk(find_register(repo.register))
    return [tuple(s) for s in steps], count


def full(repo: Repo) -> tuple[list[Any], int]:
    steps, count = clocks.walk(find_register(repo.register))
    return [tuple(s) for s in steps], count


class Walks:
    """Counts the whole walks (:func:`clocks.start`) and the index reads."""

    def __init__(self, mp: pytest.MonkeyPatch) -> None:
        self.whole = self.reads = 0
        start, read = clocks.start, index.read

        def counted_start(reg: Any) -> Any:
            self.whole += 1
            return start(reg)

        def counted_read(*args: Any) -> Any:
            self.reads += 1
            return read(*args)

        mp.setattr(clocks, "start", counted_start)
        mp.setattr(index, "read", counted_read)

    def check(self, repo: Repo, walked: int, reads: int | None = None) -> None:
        before, read_before = self.whole, self.reads
        assert kept(repo) == full(repo)  # full() starts one whole walk and reads once
        assert self.whole - before - 1 == walked
        if reads is not None:
            assert self.reads - read_before - 1 == reads


def _grow(repo: Repo, mp: pytest.MonkeyPatch, rng: random.Random, when: dt.datetime) -> None:
    """One commit of plain git: a status changed, an item added, moved or deleted, the mutu
    baku changed; dated now and then before the item's previous step."""
    items = sorted(repo.register.glob("informasi/*/*.yaml"))
    move = rng.choice(("status", "status", "status", "add", "delete", "standard"))
    stamp = (when - dt.timedelta(days=rng.choice((0, 0, 0, 3)))).isoformat()
    mp.setenv("GIT_COMMITTER_DATE", stamp)
    mp.setenv("GIT_AUTHOR_DATE", stamp)
    if move == "status" or (move == "delete" and len(items) < 3):
        item = rng.choice(items)
        text = item.read_text()
        now = next((s for s in STATUSES if f"status: {s}\n" in text), None)
        if now is not None:
            text = text.replace(f"status: {now}\n", f"status: {rng.choice(STATUSES)}\n")
        item.write_text(text + f"# {rng.random()}\n")
    elif move == "add":
        source = rng.choice(items)
        (source.parent / f"acak-{rng.randrange(10**6)}.yaml").write_text(source.read_text())
    elif move == "delete":
        rng.choice(items).unlink()
    else:
        config = repo.register / "register.yaml"
        minutes = rng.choice(("30 menit", "60 menit", "1 hari"))
        text = config.read_text()
        line = next(x for x in text.splitlines() if x.strip().startswith("pengunggahan:"))
        text = text.replace(line, f"{line.split(':')[0]}: {minutes}")
        config.write_text(text + f"# {rng.random()}\n")
    commit_all(repo.path, f"acak {move}", rng.choice((KASUBBAG, PPID)))


def test_the_kept_walk_equals_the_whole_walk_as_the_history_grows_and_is_rewritten(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clock_cache, "JOURNAL", 4)  # then the whole file written again
    repo = copy(whole, tmp_path)
    cold = repo.run("sla", "--json").stdout  # the first run walks the whole history
    assert (repo.path / CACHE).is_file()
    assert repo.run("sla", "--json").stdout == cold  # byte for byte from the kept walk
    (repo.path / CACHE).unlink()
    assert repo.run("sla", "--json").stdout == cold
    walks = Walks(monkeypatch)
    walks.check(repo, walked=0, reads=0)  # same HEAD: the index is not even read
    rng = random.Random(21)
    when = SIGNED + dt.timedelta(days=10)
    for round_ in range(8):
        for _ in range(rng.choice((1, 1, 2))):
            when += dt.timedelta(minutes=rng.randrange(1, 600))
            _grow(repo, monkeypatch, rng, when)
        walks.check(repo, walked=0, reads=1)  # continued with the new commits only
        assert _read(repo).appended == round_ + 1 - 4 * (round_ > 3)  # appended, not whole
        if round_ == 3:  # a real SOP step among them
            act(repo, monkeypatch, when, KASUBBAG, "new", "--unit", "sekretariat",
                "--title", "Item Acak")  # fmt: skip
            walks.check(repo, walked=0)
            assert _read(repo).appended == 0  # the fifth: the whole file written again
    git(repo.path, "commit", "-q", "--amend", "-m", "diubah")  # amended: not a descendant
    walks.check(repo, walked=1)
    git(repo.path, "reset", "-q", "--hard", "HEAD~3")  # back: an ancestor, not a descendant
    walks.check(repo, walked=1)
    _grow(repo, monkeypatch, rng, when + dt.timedelta(hours=1))
    walks.check(repo, walked=0)
    git(repo.path, "commit", "-q", "--allow-empty", "-m", "di luar register")
    walks.check(repo, walked=0)  # no commit of the register's: the same walk, a new HEAD
    with monkeypatch.context() as patched:
        patched.setattr(clock_cache, "code", lambda: "other code")
        walks.check(repo, walked=1)  # a file written by other code is never read
    walks.check(repo, walked=1)  # and that code's file is not this code's
    walks.check(repo, walked=0, reads=0)
    monkeypatch.setattr(clock_cache, "FORMAT", clock_cache.FORMAT + 1)
    walks.check(repo, walked=1)


def _read(repo: Repo) -> Any:
    saved = clock_cache._load(repo.path / CACHE, clock_cache._key(_prefix(repo)))
    assert saved is not None
    return saved


def _framed(payload: bytes) -> bytes:
    return len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest() + payload


class _Planted:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch PLANTED",))


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped", "empty", "planted", "foreign-tip", "other-folder", "bad-state"],
)
def test_a_damaged_or_planted_file_is_never_used(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    repo = copy(whole, tmp_path)
    expected = full(repo)
    assert kept(repo) == expected
    path = repo.path / CACHE
    data = path.read_bytes()
    key = clock_cache._key(_prefix(repo))
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "planted":  # well framed, its digests right: the class is refused
        head = pickle.dumps({"key": key})
        path.write_bytes(clock_cache._MAGIC + _framed(head) + _framed(pickle.dumps(_Planted())))
    else:
        saved = clock_cache._load(path, key)
        assert saved is not None
        if damage == "foreign-tip":  # a tip this history does not have
            saved.tip = "0" * 40
        elif damage == "bad-state":  # digests right, a state no walk leaves, one commit on
            saved.state.current = "nonsense"  # type: ignore[assignment]
            saved.state.latest = []  # type: ignore[assignment]
            item = repo.item("sekretariat", "renja-2027")
            item.write_text(item.read_text() + "# catatan\n")
            commit_all(repo.path, "catatan", KASUBBAG)
        else:
            key = {**key, "prefix": "lain/"}
        clock_cache._save(path, key, saved)
    monkeypatch.chdir(tmp_path)
    walks = Walks(monkeypatch)
    walks.check(repo, walked=1)
    assert not (tmp_path / "PLANTED").exists()
    assert clock_cache._load(path, clock_cache._key(_prefix(repo))) is not None  # written again


def test_two_processes_writing_at_once_leave_one_whole_file(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = copy(whole, tmp_path)
    expected = repo.run("sla", "--json").stdout
    item = repo.item("sekretariat", "renja-2027")
    item.write_text(item.read_text() + "# catatan\n")
    commit_all(repo.path, "catatan", KASUBBAG)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "dipctl", "sla", "--json", "--register", str(repo.register)]
    for cold in (True, False):  # the whole walk, then a continued one, twice at once
        if cold:
            (repo.path / CACHE).unlink()
        runs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)]  # fmt: skip
        outs = [r.communicate(timeout=120) for r in runs]
        assert all(
            r.returncode == 0 and b"Traceback" not in err
            for r, (_, err) in zip(runs, outs, strict=True)
        )
        assert outs[0][0] == outs[1][0] == repo.run("sla", "--json").stdout.encode()
        if not cold:
            break
        item.write_text(item.read_text() + "# lagi\n")
        commit_all(repo.path, "lagi", KASUBBAG)
    assert expected and kept(repo) == full(repo)
    saved = clock_cache._load(repo.path / CACHE, clock_cache._key(_prefix(repo)))
    assert saved is not None and saved.tip == git(repo.path, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("damage", ["cut", "flipped", "another-walk", "garbage"])
def test_an_appended_walk_damaged_or_of_another_walk_is_passed_over(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    """The continued walks are appended to the file: one cut short (a process killed while
    it wrote), damaged, written from another walk (two processes at once) or bytes that are
    no walk at all never change the answer; the walk read up to it is continued and the
    whole file written again."""
    repo = copy(whole, tmp_path)
    path = repo.path / CACHE
    assert kept(repo) == full(repo)
    whole_file = path.read_bytes()
    rng = random.Random(damage)
    _grow(repo, monkeypatch, rng, SIGNED + dt.timedelta(days=10))
    assert kept(repo) == full(repo)
    one = path.read_bytes()
    assert one.startswith(whole_file) and len(one) > len(whole_file)  # appended
    segment = one[len(whole_file) :]
    if damage == "cut":
        path.write_bytes(one[: len(one) - len(segment) // 3])
    elif damage == "flipped":
        path.write_bytes(one[:-5] + bytes([one[-5] ^ 1]) + one[-4:])
    elif damage == "another-walk":  # the same walk appended twice: the second continues
        path.write_bytes(one + segment)  # from a walk the file no longer ends with
    else:
        path.write_bytes(one + b"\0" * 100)
    saved = _read(repo)
    assert saved.clean is False
    assert saved.appended == (1 if damage in ("another-walk", "garbage") else 0)
    monkeypatch.chdir(tmp_path)
    walks = Walks(monkeypatch)
    lost = damage in ("cut", "flipped")  # the walk before HEAD read: continued, then whole
    walks.check(repo, walked=0, reads=1 if lost else 0)
    _grow(repo, monkeypatch, rng, SIGNED + dt.timedelta(days=11))
    walks.check(repo, walked=0, reads=1)
    again = _read(repo)
    assert again.clean and again.appended == lost  # written whole again, then appended to
    _grow(repo, monkeypatch, rng, SIGNED + dt.timedelta(days=12))
    walks.check(repo, walked=0, reads=1)
    assert _read(repo).appended == 1 + lost


def test_a_walk_is_not_appended_after_one_another_process_appended_since_it_read(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two writers: this process read the file, another appended its walk since; this one's
    walk (continuing the file as it read it) is not appended after the other's but written
    whole, and a file of the older format is never read."""
    repo = copy(whole, tmp_path)
    path, key = repo.path / CACHE, clock_cache._key(_prefix(repo))
    assert kept(repo) == full(repo)
    read_before = _read(repo)
    _grow(repo, monkeypatch, random.Random(5), SIGNED + dt.timedelta(days=10))
    assert kept(repo) == full(repo)  # the other process: appended
    assert _read(repo).appended == 1
    reg = find_register(repo.register)
    old = read_before
    after = index.read(reg, _prefix(repo), lambda found: clock_cache._after(found, old))
    assert after is not None
    grown = clock_cache._grown(read_before, index.head(repo.path), after)
    assert grown is not None
    clock_cache._keep(path, key, read_before, grown)
    saved = _read(repo)
    assert saved.appended == 0 and saved.clean  # written whole
    assert [tuple(s) for s in saved.steps] == full(repo)[0]
    path.write_bytes(b"dipctl clocks\n" + path.read_bytes()[len(clock_cache._MAGIC) :])
    assert clock_cache._load(path, key) is None  # format 2's magic: not read
    assert kept(repo) == full(repo)


def test_the_order_digest_the_index_keeps_is_the_chain_of_the_ids_in_order(
    whole: Repo,  # noqa: F811
    tmp_path: Path,
) -> None:
    """``Index.order_at`` (the kept walk's check that the history before it is unchanged,
    one row read) gives, for every commit, its place and the hash chain of the ids up to it
    in order, as ``Index.ids`` lists them; an unknown commit gives None."""
    repo = copy(whole, tmp_path)
    assert kept(repo) == full(repo)  # the index made
    reg = find_register(repo.register)

    def check(found: index.Index) -> int:
        shas = [one for (one,) in found.conn.execute("SELECT sha FROM commits ORDER BY seq")]
        for sha in shas:
            ids = found.ids(sha)
            assert ids is not None
            chain = ""
            for one in ids[1]:
                chain = chained(chain, one)
            assert found.order_at(sha) == (ids[0], chain)
        assert found.order_at("0" * 40) is None
        return len(shas)

    assert index.read(reg, _prefix(repo), check) > 5
