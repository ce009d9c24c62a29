"""The caches in ``.git/dipctl/`` (issue 21): the item cache (``list``, ``show``, every step),
what ``validate`` proved per file and for the whole register, the blob ids of the work tree.
None is ever used stale: not for another version checked out with the same size and mtime,
not after a rewritten history, not with a writer at work in another process, not when a
SIGKILL cut the cache's own write, not when register.yaml changes a verdict. Also: a decree
may grow with the register (its limit per item), a bloated one is refused by name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dipctl.errors import InvalidFile
from dipctl.register import cachefile, store
from dipctl.register import validate as validation
from tests.conftest import KASUBBAG, Repo, commit_all, git

ITEM = "bo-analisis-beban-kerja-2025"


def _calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each item file validate checks itself (rather than taking from the cache)."""
    seen: list[str] = []
    real = getattr(validation, "check_item_file")  # noqa: B009  (as validate calls it)

    def counted(fc: object, path: Path, *args: object) -> None:
        seen.append(path.stem)
        real(fc, path, *args)

    monkeypatch.setattr(validation, "check_item_file", counted)
    return seen


def _title(repo: Repo, item_id: str) -> str:
    result = repo.run("list", "--json")
    assert result.exit_code == 0, result.stderr
    return str(next(i["judul"] for i in json.loads(result.stdout) if i["id"] == item_id))


def test_no_cache_is_used_stale(example: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # trust every stamp at once (the racy rule has its own test in test_store.py): the
    # worst case for staleness, and the caches are really used
    monkeypatch.setattr(cachefile, "RACY_NS", -(10**12))
    checked = _calls(monkeypatch)
    path = example.item("bagian-kelembagaan", ITEM)
    first = example.run("validate")
    assert first.exit_code == 0, first.stdout
    assert checked  # the first run checked the files
    checked.clear()
    again = example.run("validate")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    assert checked == []  # an unchanged register: the stored answer
    private = example.path / ".git" / "dipctl"
    assert {"validate.pickle", "validated.pickle", "blobs.pickle"} <= {
        p.name for p in private.iterdir()
    }
    assert _title(example, ITEM).startswith("Dokumen ")

    # (a) another version with the same size, put back with the same mtime by git checkout
    text = path.read_text(encoding="utf-8")
    other = text.replace("judul: Dokumen", "judul: Dokumex").replace(
        "kategori: setiap-saat", "kategori: setiap-sabt"
    )
    assert len(other) == len(text) and other != text
    path.write_text(other, encoding="utf-8")
    commit_all(example.path, "versi kedua, sama panjang")
    second = path.stat()
    assert _title(example, ITEM).startswith("Dokumex ")
    bad = example.run("validate")
    assert bad.exit_code == 1 and "kategori" in bad.stdout
    checked.clear()
    git(example.path, "checkout", "HEAD~1", "--", str(path))
    os.utime(path, ns=(second.st_atime_ns, second.st_mtime_ns))
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns) == (second.st_size, second.st_mtime_ns)
    assert _title(example, ITEM).startswith("Dokumen ")
    assert example.run("validate").exit_code == 0
    assert checked == [ITEM]  # that one file, and only it, was checked again
    git(example.path, "checkout", "HEAD", "--", str(path))
    os.utime(path, ns=(second.st_atime_ns, second.st_mtime_ns))
    assert _title(example, ITEM).startswith("Dokumex ")
    assert example.run("validate").exit_code == 1

    # (b) a rewritten history: reset --hard to the first version
    git(example.path, "reset", "-q", "--hard", "HEAD~1")
    assert _title(example, ITEM).startswith("Dokumen ")
    assert example.run("validate").exit_code == 0

    # (d) register.yaml removes the item's unit: every item of it is reported
    config = example.register / "register.yaml"
    before = config.read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  bagian-kelembagaan:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    config.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    removed = example.run("validate", "--lang", "en")
    assert removed.exit_code == 1
    assert f"informasi/bagian-kelembagaan/{ITEM}.yaml" in removed.stdout
    config.write_text(before, encoding="utf-8")
    assert example.run("validate").stdout == first.stdout

    # a careless hand in .git/dipctl: broken or truncated caches are no caches
    for cache in private.iterdir():
        cache.write_bytes(b"\x80\x05garbage" if cache.name.endswith("journal") else b"")
    checked.clear()
    assert example.run("validate").stdout == first.stdout
    assert len(checked) > 50  # checked again, every item
    assert _title(example, ITEM).startswith("Dokumen ")


def _spawn(repo: Repo, *args: str, fault: str = "") -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPCTL_TEST")}
    if fault:
        env["DIPCTL_TEST_FAULT"] = fault
    return subprocess.Popen(
        [sys.executable, "-m", "dipctl", *args, "--register", str(repo.register)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _fresh(repo: Repo, *args: str) -> str:
    """What a run with no cache at all prints."""
    private = repo.path / ".git" / "dipctl"
    saved = {p.name: p.read_bytes() for p in private.glob("*.pickle*")}
    for name in saved:
        (private / name).unlink()
    try:
        out, _ = _spawn(repo, *args).communicate()
    finally:
        for name, data in saved.items():
            (private / name).write_bytes(data)
    return out


def test_a_killed_cache_write_and_a_writer_at_work(repo: Repo) -> None:
    """SIGKILL during each cache write of list and validate leaves a cache that is ignored
    or right; readers running while steps write items print what a run without any cache
    prints of the register as it ended."""
    for args in (("list", "--json"), ("validate", "--json")):
        expected = _fresh(repo, *args)
        for nth in range(1, 5):
            killed = _spawn(repo, *args, fault=f"cache-write#{nth}=kill")
            killed.communicate()
            out, err = _spawn(repo, *args).communicate()
            assert out == expected, (args, nth, err)
    steps = [
        _spawn(repo, "new", "--unit", "sekretariat", "--title", f"Baru {n}", "--as", KASUBBAG)
        for n in range(3)
    ]
    readers = [_spawn(repo, *args) for args in (("list", "--json"), ("validate",)) * 2]
    for proc in steps + readers:
        proc.communicate()
    for proc in steps:
        assert proc.returncode == 0
    for proc in readers:  # a reader never fails for a writer at work (validate may see a
        assert proc.returncode in (0, 1)  # new item before it is complete, never a traceback)
    for args in (("list", "--json"), ("validate", "--json")):
        out, _ = _spawn(repo, *args).communicate()
        assert out == _fresh(repo, *args)
    assert len(json.loads(_fresh(repo, "list", "--json"))) == 3


def test_a_lampiran_grows_with_the_register(tmp_path: Path) -> None:
    """At 50,000 items an honest decree (a lampiran row and a menetapkan row per item)
    is over 256 KiB and is read; a bloated one is refused, naming its limit."""
    count = 50_000
    items = tmp_path / "informasi" / "unit-a"
    items.mkdir(parents=True)
    for n in range(count):
        (items / f"item-{n:05d}.yaml").touch()
    decrees = tmp_path / "keputusan"
    decrees.mkdir()
    rows = "".join(f"  - item-{n:05d}\n" for n in range(count))
    honest = decrees / "sk-dip-2026.yaml"
    honest.write_text(
        f'id: sk-dip-2026\njenis: penetapan\nnomor: "1/2026"\nlampiran:\n{rows}menetapkan:\n{rows}',
        encoding="utf-8",
    )
    assert honest.stat().st_size > store.MAX_FILE_BYTES
    assert len(store.load(honest)["lampiran"]) == count
    bloated = decrees / "sk-dip-2027.yaml"
    padding = "x" * (store.LIST_ROW_BYTES * count + store.MAX_FILE_BYTES)
    bloated.write_text(f"id: sk-dip-2027\nalasan: {padding}\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as refused:
        store.load(bloated)
    assert refused.value.key == "file.too_big_list"
    assert refused.value.params["count"] == count
    assert refused.value.params["limit"] == store.MAX_FILE_BYTES + store.LIST_ROW_BYTES * count
    item = items / "item-00000.yaml"  # an item file keeps the fixed limit
    item.write_text("judul: " + "x" * store.MAX_FILE_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as big:
        store.load(item)
    assert big.value.key == "file.too_big"


def test_validate_names_a_bloated_decree_and_its_limit(example: Repo) -> None:
    decree = example.register / "keputusan" / "sk-dip-2026.yaml"
    with decree.open("a", encoding="utf-8") as fh:
        fh.write("alasan: " + "x" * 2_000_000 + "\n")
    result = example.run("validate", "--lang", "en")
    assert result.exit_code == 1
    assert "keputusan/sk-dip-2026.yaml:1" in result.stdout
    assert "per item for the" in result.stdout and "the limit is" in result.stdout
