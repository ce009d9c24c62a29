"""The rows an incremental build keeps (issue 21, ``.git/dipctl/build-rows.pickle``): after
real SOP steps, an item edited in place with its size and mtime kept, an amend, a reset to
an older commit, another unit name, a damaged, cut or planted file, two builds at once and a
step recorded while a build runs, a build with the kept rows gives byte for byte what a
build without them gives."""

from __future__ import annotations

import io
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dipctl.proof import framed
from dipctl.publish import issued, manifest, publicdata, rowmemo
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, KEPALA, PROJECT, Repo, commit_all, git, in_place
from tests.test_build_output import tree
from tests.test_issued import DATE, build, decree_ids, retitle
from tests.test_verify import Driver, hand_edit, ok


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


class _Planted:
    """Unpickled, it would write a file: a kept file must never be unpickled with it."""

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, ("touch PLANTED",))


def test_the_kept_rows_are_never_used_stale(
    sop: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = sop.repo
    sop.drive("diunggah", "alpha", "beta", "gamma")
    sop.drive("ditetapkan", "delta")
    site, scratch = tmp_path / "A", tmp_path / "B"
    kept = repo.path / ".git" / "dipctl" / rowmemo.NAME

    def same(what: str, incremental: bool = True) -> None:
        said = build(repo, site)
        assert ("bertahap" in said.stdout + said.stderr) == incremental, what
        assert kept.is_file(), what
        kept.unlink()  # the build to compare with keeps no row
        shutil.rmtree(scratch, ignore_errors=True)
        build(repo, scratch)
        assert tree(site) == tree(scratch), what

    same("first", incremental=False)
    build(repo, site)  # nothing changed: every row kept (the file is not written again)
    before = kept.stat().st_mtime_ns
    build(repo, site)
    assert kept.stat().st_mtime_ns == before
    reg = find_register(repo.register)
    memo = rowmemo.rows(reg, sorted(reg.settings.units.items()))
    publicdata.collect(reg, memo)
    assert memo.reused and not memo.made  # used: not one row made again
    # each decree's lampiran kept whole: no old version is read for it
    assert memo.new_blocks and not memo.blocks_made

    def unread(*args: object, **kwargs: object) -> object:
        raise AssertionError("a kept lampiran read its versions again")

    monkeypatch.setattr(issued, "versions", unread)
    memo = rowmemo.rows(reg, sorted(reg.settings.units.items()))
    publicdata.collect(reg, memo)
    monkeypatch.undo()

    # real steps: a revision open (the public row is the last established version), its
    # new title established and published; a trail grown by steps
    retitle(sop, "beta", "Informasi beta versi baru")
    same("revise")
    sop.submit("sekretariat", "beta")
    sop.review("beta")
    sop.classify("berkala", "beta")
    sop.meeting("beta")
    same("beta ditentukan")
    sop.establish("beta")
    same("beta ditetapkan")
    sop.publish("delta")
    same("delta diunggah")
    # an item two decrees listed withdrawn: their rows of it now name the withdrawal
    ok(repo, "withdraw", "beta", "--number", "188.44/w/2026", "--date", DATE,
       "-m", "Tidak dikuasai lagi", "--as", KEPALA)  # fmt: skip
    sop.decrees += 1
    same("beta dicabut")
    # delta set withdrawn by that decree by hand (verify's finding; the site still right):
    # the lampiran that list it now name the withdrawal and link no page, no decree new
    withdrawal = decree_ids(repo)["188.44/w/2026"]
    hand_edit(repo.item("sekretariat", "delta"), status="dicabut", keputusan=withdrawal)
    commit_all(repo.path, "delta: dicabut", KEPALA)
    same("delta dicabut by hand")

    # a published item's title edited in place, its size and mtime put back, committed
    gamma = repo.item("sekretariat", "gamma")
    in_place(gamma, "Informasi gamma", "Informasi gammX")
    git(repo.path, "rm", "-q", "--cached", str(gamma))  # git's stat check could miss it
    commit_all(repo.path, "gamma: judul", KASUBBAG)
    same("in place")
    # that commit amended to another title of the same size, then the history reset
    in_place(gamma, "Informasi gammX", "Informasi gammY")
    git(repo.path, "rm", "-q", "--cached", str(gamma))
    git(repo.path, "add", str(gamma))
    git(repo.path, "-c", "user.name=Test", "-c", f"user.email={KASUBBAG}", "commit", "-q",
        "--amend", "-m", "gamma: judul lain")  # fmt: skip
    same("amend")
    git(repo.path, "reset", "-q", "--hard", "HEAD~1")
    same("reset")
    # another unit name: every row's unit_nama
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    renamed = text.replace("  sekretariat:\n    nama: ", "  sekretariat:\n    nama: Bagian ", 1)
    assert renamed != text
    config.write_text(renamed, encoding="utf-8")
    commit_all(repo.path, "nama unit", KEPALA)
    same("unit")

    # a careless hand or an attacker in .git/dipctl: the file is no cache, no code runs
    build(repo, site)
    whole = kept.read_bytes()
    body = framed.part(io.BytesIO(whole[len(rowmemo._MAGIC) :]))
    found = pickle.loads(body)
    assert found["rows"][("dip", "gamma")]
    damaged = {
        "cut": whole[: len(whole) // 2],
        "flipped": whole[:-1] + bytes([whole[-1] ^ 1]),
        "empty": b"",
        # right digest, a class pickle would call: refused by the unpickler
        "planted": rowmemo._MAGIC + framed.framed(pickle.dumps({**found, "x": _Planted()})),
        # right digest, a row of another shape: not this build's rows
        "foreign": rowmemo._MAGIC + framed.framed(pickle.dumps({**found, "rows": [1]})),
    }
    retitle(sop, "alpha", "Informasi alpha diubah")
    for what, data in damaged.items():
        kept.write_bytes(data)
        same(what)
    assert not (repo.path / "PLANTED").exists() and not Path("PLANTED").exists()

    # two builds at once into two folders: both a fresh build's bytes, the file whole
    kept.unlink()
    other = tmp_path / "C"
    command = [sys.executable, "-m", "dipctl", "build", "--register", str(repo.register)]
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    runs = [
        subprocess.Popen([*command, "--full", "--out", str(out)], env=env, cwd=tmp_path)
        for out in (site, other)
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    reg = find_register(repo.register)
    assert rowmemo.rows(reg, sorted(reg.settings.units.items())).old  # whole, and ours
    shutil.rmtree(scratch)
    kept.unlink()
    build(repo, scratch)
    assert tree(site) == tree(scratch) == tree(other)

    # a writer records a step while a build runs: whatever that build kept, the next is right
    running = subprocess.Popen([*command, "--out", str(site)], env=env, cwd=tmp_path)
    retitle(sop, "gamma", "Informasi gamma versi baru")
    assert running.wait(timeout=300) in (0, 4)  # 4: it saw the register change under it
    same("a step during a build")


def test_manifest_lines_made_without_json_are_json_bytes() -> None:
    """The manifest's lines made and read by pattern (no text in them needs an escape) are
    the bytes ``json.dumps`` writes and the strings ``json.loads`` reads; any other line
    goes through json itself."""
    rng = random.Random(21)
    alphabet = ["a", "/", '"', "\\", "\x00", "\x1f", "\x7f", "é", "\u2028", " ", "]", ",", "0"]
    for _ in range(5000):
        path = "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        inputs = "".join(rng.choice('0123456789abcdef"') for _ in range(rng.randrange(4)))
        made = rng.choice(["", "ff00", 'a"b', "x\\"])
        line = json.dumps([path, inputs, made], ensure_ascii=False)
        assert manifest._line(path, inputs, made) == line
        plain = manifest._PLAIN.fullmatch(line)
        if plain:
            assert list(plain.groups()) == json.loads(line)


def test_the_carried_rows_inputs_are_read_when_asked_and_never_trusted_damaged(
    sop: Driver, tmp_path: Path
) -> None:
    """The inputs of the rows a decree's lampiran carries are the file's second part: a build
    whose decrees did not change never reads it; one that makes a lampiran again (an item
    it lists withdrawn since) reads it and uses the rows again; damaged, cut, missing,
    planted or of another shape, it is no cache and no code runs."""
    repo = sop.repo
    sop.drive("ditetapkan", "alpha", "beta", "gamma")
    site, scratch = tmp_path / "A", tmp_path / "B"
    kept = repo.path / ".git" / "dipctl" / rowmemo.NAME
    build(repo, site)
    build(repo, site)
    reg = find_register(repo.register)
    units = sorted(reg.settings.units.items())
    memo = rowmemo.rows(reg, units)
    publicdata.collect(reg, memo)
    assert memo.new_blocks and not memo.blocks_made and memo._later is not None  # unread
    whole = kept.read_bytes()
    ok(repo, "withdraw", "beta", "--number", "188.44/w/2026", "--date", DATE,
       "-m", "Tidak dikuasai lagi", "--as", KEPALA)  # fmt: skip
    sop.decrees += 1
    kept.write_bytes(whole)
    memo = rowmemo.rows(reg, units)
    publicdata.collect(reg, memo)
    assert memo.blocks_made and memo._later is None  # read: the lampiran made again
    issued_rows = {k: v for k, v in memo.new.items() if k[0] == "issued"}
    assert issued_rows and all(
        inputs is not None for v in issued_rows.values() for inputs, _, _ in v
    )
    made = memo.made
    kept.write_bytes(whole[: len(whole) - len(pickle.dumps(0))])  # its second part cut
    memo = rowmemo.rows(reg, units)
    publicdata.collect(reg, memo)
    assert made < memo.made  # alpha's and gamma's rows as issued were used again

    data = io.BytesIO(whole[len(rowmemo._MAGIC) :])
    first = framed.framed(framed.part(data))
    second = framed.part(data)
    later = pickle.loads(second)
    assert later and all(isinstance(v, list) for v in later.values())
    head = rowmemo._MAGIC + first
    damaged = {
        "intact": head + framed.framed(second),
        "flipped": head + framed.framed(second)[:-1] + bytes([second[-1] ^ 1]),
        "cut": head + framed.framed(second)[: len(second) // 2],
        "missing": head,
        "planted": head + framed.framed(pickle.dumps({**later, "x": _Planted()})),
        "shorter": head + framed.framed(pickle.dumps({k: v[1:] for k, v in later.items()})),
        "foreign": head + framed.framed(pickle.dumps([1, 2])),
    }
    shutil.rmtree(scratch, ignore_errors=True)
    kept.unlink()
    build(repo, scratch)
    for what, content in damaged.items():
        shutil.rmtree(site)
        build(repo, site)  # a site of this state, then the rows kept before the withdrawal
        kept.write_bytes(content)
        said = build(repo, site)
        assert "bertahap" in said.stdout + said.stderr, what
        assert tree(site) == tree(scratch), what
    assert not (repo.path / "PLANTED").exists() and not Path("PLANTED").exists()
