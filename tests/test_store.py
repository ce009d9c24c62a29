"""The store: byte-identical round trips, minimal edits, atomic writes, the read cache."""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import pytest

from dipctl.errors import InvalidFile
from dipctl.register import cachefile, roundtrip, store
from tests.conftest import EXAMPLE

EXAMPLE_FILES = sorted(EXAMPLE.rglob("*.yaml"))

ITEM = """\
# yaml-language-server: $schema=../../informasi.schema.json
# Catatan petugas: cek ulang dengan JRA.
id: bo-renja-2026
judul: 'Rencana Kerja 2026'   # judul resmi
ringkasan: "Dokumen rencana kerja tahunan: program, kegiatan dan anggaran."

unit: bagian-kelembagaan
waktu_pembuatan: "2026"
bentuk: [softcopy, hardcopy]
retensi: 5 tahun
status: draf  # dikelola dipctl
"""


def test_example_register_has_files() -> None:
    assert len(EXAMPLE_FILES) >= 43


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(EXAMPLE).as_posix())
def test_every_example_file_round_trips_byte_identical(path: Path) -> None:
    assert roundtrip.dump(roundtrip.load_for_edit(path)) == path.read_text(encoding="utf-8")


ITEM_FILES = sorted(EXAMPLE.glob("informasi/*/*.yaml"))


@pytest.mark.parametrize("path", ITEM_FILES, ids=lambda p: p.stem)
def test_changing_one_field_of_an_example_item_changes_only_its_line(
    path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / path.name
    before = path.read_text(encoding="utf-8")
    copy.write_text(before, encoding="utf-8")
    with roundtrip.modify(copy) as data:
        old = data["status"]
        data["status"] = "dicabut"
    changed = _changed_lines(before, copy.read_text(encoding="utf-8"))
    assert [line[:1] for line in changed] == ["-", "+"]
    assert changed[0].startswith(f"-status: {old}")
    assert changed[1].startswith("+status: dicabut")


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_modify_changes_only_the_field_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "bo-renja-2026.yaml"
    path.write_text(ITEM, encoding="utf-8")
    with roundtrip.modify(path) as data:
        data["status"] = "diajukan"
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(ITEM, after) == [
        "-status: draf  # dikelola dipctl",
        "+status: diajukan # dikelola dipctl",  # ruamel keeps the comment's column
    ]


def test_new_key_goes_to_its_canonical_place_and_dates_are_quoted(tmp_path: Path) -> None:
    path = tmp_path / "bo-renja-2026.yaml"
    path.write_text(ITEM, encoding="utf-8")
    order = (
        "id",
        "judul",
        "ringkasan",
        "unit",
        "waktu_pembuatan",
        "bentuk",
        "retensi",
        "kategori",
        "status",
        "rapat",
    )
    with roundtrip.modify(path) as data:
        roundtrip.set_value(data, "kategori", "berkala", order)
        roundtrip.set_value(data, "rapat", "2026-11-25", order)
        roundtrip.set_value(data, "judul", "Renja 2026", order)
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(ITEM, after) == [
        "-judul: 'Rencana Kerja 2026'   # judul resmi",
        "+judul: 'Renja 2026'           # judul resmi",
        "+kategori: berkala",
        '+rapat: "2026-11-25"',
    ]
    assert after.index("kategori:") < after.index("status:") < after.index("rapat:")


def test_modify_without_change_does_not_touch_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(ITEM, encoding="utf-8")
    os.utime(path, ns=(1, 1))
    with roundtrip.modify(path):
        pass
    assert path.stat().st_mtime_ns == 1


def test_failed_edit_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(ITEM, encoding="utf-8")

    def killed_mid_edit() -> None:
        with roundtrip.modify(path) as data:
            data["status"] = "diajukan"
            raise RuntimeError("killed mid-edit")

    with pytest.raises(RuntimeError):
        killed_mid_edit()
    assert path.read_text(encoding="utf-8") == ITEM
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_write_atomic_never_leaves_a_half_written_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n", encoding="utf-8")

    def crash(self: Path, target: Path) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.write_atomic(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def test_new_files_are_written_in_the_canonical_style(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    text = roundtrip.render_new(
        {"id": "a", "waktu": "2025", "bentuk": ["softcopy"], "kosong": []}, "# h\n"
    )
    path.write_text(text, encoding="utf-8")
    assert text == '# h\nid: a\nwaktu: "2025"\nbentuk: [softcopy]\nkosong: []\n'
    assert roundtrip.dump(roundtrip.load_for_edit(path)) == text


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "file.empty"),
        (b"a: &x [1]\nb: *x\n", "file.alias"),
        (b"judul: Caf\xe9\n", "file.not_utf8"),
        (b"a: 1\x00\n", "file.binary"),
        (b"a: [1\n", "file.yaml_unclosed_bracket"),  # in plain words, see test_edit.py
        (b"a: " + b"x" * (store.MAX_FILE_BYTES + 1) + b"\n", "file.too_big"),
    ],
)
def test_readers_refuse_what_a_register_file_never_needs(
    tmp_path: Path, content: bytes, key: str
) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    for reader in (store.load, store.load_located, roundtrip.load_for_edit):
        with pytest.raises(InvalidFile) as caught:
            reader(path)
        assert caught.value.key == key


def test_symlinks_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(outside)
    with pytest.raises(InvalidFile) as caught:
        store.load(link)
    assert caught.value.key == "file.symlink"


def test_located_lines_and_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  c: 2\n  d:\n    - e\n    - f\na: 3\n", encoding="utf-8")
    located = store.load_located(path)
    assert located.line("b", "c") == 3
    assert located.line("b", "d", 1) == 6
    assert located.line("b", "missing") == 2
    assert located.duplicates == [(("a",), 7)]


def test_load_items_cache_sees_every_change(tmp_path: Path, monkeypatch: Any) -> None:
    # os.utime cannot age a file's ctime: trust every file at once here (the racy rule has
    # its own test below)
    monkeypatch.setattr(cachefile, "RACY_NS", -(10**12))
    items = tmp_path / "informasi"
    (items / "u").mkdir(parents=True)
    first = items / "u" / "a.yaml"
    first.write_text("id: a\njudul: Satu\n", encoding="utf-8")
    os.utime(first, ns=(10**18 - 10**10, 10**18 - 10**10))  # written long enough ago
    cache = tmp_path / "cache" / "items.pickle"
    calls: list[str] = []

    def title(data: dict[str, str], path: Path) -> str:
        calls.append(path.name)
        return data["judul"]

    assert store.load_items(items, cache, title, "t") == ["Satu"]
    assert cache.exists()
    assert store.load_items(items, cache, title, "t") == ["Satu"]
    assert calls == ["a.yaml"]  # the second read came from the cache
    first.write_text("id: a\njudul: Dua\n", encoding="utf-8")
    os.utime(first, ns=(10**18, 10**18))
    assert store.load_items(items, cache, title, "t") == ["Dua"]
    (items / "u" / "b.yaml").write_text("id: b\njudul: Tiga\n", encoding="utf-8")
    assert store.load_items(items, cache, title, "t") == ["Dua", "Tiga"]
    calls.clear()
    assert store.load_items(items, cache, title, "other-shape") == ["Dua", "Tiga"]
    assert calls == ["a.yaml", "b.yaml"]  # another tag ignores the cache
    cache.write_bytes(b"garbage")
    assert store.load_items(items, cache, title, "t") == ["Dua", "Tiga"]


def test_a_file_rewritten_in_the_same_tick_is_never_read_stale(tmp_path: Path) -> None:
    """git's racily clean case: ``git checkout`` (or an editor) rewrites a file just after it
    was cached, in the same timestamp tick, same size, same inode: size, mtime and inode
    all match, yet the content differs. A file that recent is never trusted from the cache."""
    items = tmp_path / "informasi"
    (items / "u").mkdir(parents=True)
    path = items / "u" / "a.yaml"
    path.write_text("id: a\njudul: Satu\n", encoding="utf-8")
    cache = tmp_path / "items.pickle"

    def title(data: dict[str, str], _: Path) -> str:
        return data["judul"]

    assert store.load_items(items, cache, title, "t") == ["Satu"]
    before = path.stat()
    with path.open("r+", encoding="utf-8") as fh:  # in place: the same inode, the same size
        fh.write("id: a\njudul: Sama\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same tick
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert store.load_items(items, cache, title, "t") == ["Sama"]
    # once the file is old enough, its stamp is trusted again (and still checked)
    os.utime(path, ns=(10**18 - 10**10, 10**18 - 10**10))
    assert store.load_items(items, cache, title, "t") == ["Sama"]
    with path.open("r+", encoding="utf-8") as fh:
        fh.write("id: a\njudul: Baru\n")
    assert store.load_items(items, cache, title, "t") == ["Baru"]  # the mtime moved on
