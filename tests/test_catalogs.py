"""The message catalogs compiled into the user's cache (dipctl.i18n) are never used stale:
the same texts as the YAML files, an edit seen at once (also one that keeps the file's size
and modification time), a damaged or unwritable cache only costs the parse."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from dipctl import i18n

if TYPE_CHECKING:
    from collections.abc import Iterator


def parsed(folder: Path, name: str) -> dict[str, str]:
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def fresh() -> None:
    for cached in (i18n._compiled, i18n.catalog, i18n.phrasebook):
        cached.cache_clear()


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES, folder)
    monkeypatch.setattr(i18n, "LOCALES", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh()
    yield folder
    fresh()


def test_the_compiled_catalog_says_what_the_files_say_and_follows_every_edit(
    locales: Path, tmp_path: Path
) -> None:
    expected: dict[str, str] = {}
    for path in sorted(locales.glob("*.id.yaml")):
        expected.update(parsed(locales, path.name))
    assert i18n.catalog("id") == expected
    assert i18n.phrasebook("help", "en") == parsed(locales, "help/en.yaml")
    written = list((tmp_path / "cache" / "dipctl").glob("locales-*.json"))
    assert len(written) == 1
    fresh()
    assert i18n.catalog("id") == expected  # now read from the compiled copy

    # an edit that keeps the size and the modification time is still seen
    path = locales / "cli.id.yaml"
    text = path.read_text(encoding="utf-8")
    before = path.stat()
    edited = text.replace("berkas ditulis", "berkas DITULIS", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    fresh()
    assert i18n.catalog("id")["done.file"].startswith("berkas DITULIS")
    assert len(list((tmp_path / "cache" / "dipctl").glob("locales-*.json"))) == 1  # old gone


def test_a_damaged_or_unwritable_cache_only_costs_the_parse(
    locales: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = i18n.catalog("en")
    (written,) = (tmp_path / "cache" / "dipctl").glob("locales-*.json")
    for damage in (b"", b"{", b"[1, 2]", b"\xff\xfe"):
        written.write_bytes(damage)
        fresh()
        assert i18n.catalog("en") == expected
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fresh()
    assert i18n.catalog("en") == expected


def test_two_installs_keep_a_copy_each(
    locales: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts or versions in use by turns (a developer's and the installed one) do
    not evict each other's compiled copy: neither parses its catalogs on every command."""
    cache = tmp_path / "cache" / "dipctl"
    first = i18n.catalog("id")
    (mine,) = cache.glob("locales-*.json")
    other = tmp_path / "other" / "locales"
    shutil.copytree(locales, other)
    monkeypatch.setattr(i18n, "LOCALES", other)
    fresh()
    assert i18n.catalog("id") == first
    assert len(list(cache.glob("locales-*.json"))) == 2 and mine.exists()
    monkeypatch.setattr(i18n, "LOCALES", locales)
    fresh()
    before = mine.stat().st_mtime_ns
    assert i18n.catalog("id") == first
    assert mine.stat().st_mtime_ns == before  # read, not written again
