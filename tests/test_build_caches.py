"""The caches an incremental build reads (issue 21.3): the parsed meetings, the commits that
added the decree files, the blob of a file at a commit and of a work tree file. None is used
stale: a file edited in place with its size and mtime kept, a history grown, amended or
with a decree file added twice, a damaged or planted cache file."""

from __future__ import annotations

import pickle
import shutil

import pytest

from dipctl.publish import citizen, decreeadds, issued, versioncache
from dipctl.register import cachefile
from dipctl.register.config import find_register
from dipctl.register.queries import load_items
from tests.conftest import Repo, commit_all, git
from tests.conftest import in_place as _in_place

ITEM = "bo-analisis-beban-kerja-2025"
MEETING = "2026-01-20-penentuan-dip"


def _head(repo: Repo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


def test_the_build_caches_are_never_used_stale(
    example: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # trust every stamp at once (the racy rule has its own test): the worst case
    monkeypatch.setattr(cachefile, "RACY_NS", -(10**12))
    reg = find_register(example.register)
    private = example.path / ".git" / "dipctl"

    # the meetings: kept, then one edited in place, its size and mtime kept
    first = citizen.load_meetings(reg)
    assert first[MEETING].date == "2026-01-20"
    assert (private / citizen.MEETINGS_CACHE).is_file()
    assert citizen.load_meetings(reg) == first
    _in_place(example.register / "rapat" / f"{MEETING}.yaml", '"2026-01-20"', '"2026-01-21"')
    assert citizen.load_meetings(reg)[MEETING].date == "2026-01-21"

    # the decrees' additions: kept for HEAD, extended as the history grows
    root = _head(example)
    assert decreeadds.added(reg) == {"sk-dik-2026": root, "sk-dip-2026": root}
    decrees = example.register / "keputusan"
    shutil.copy(decrees / "sk-dip-2026.yaml", decrees / "sk-dip-2027.yaml")
    commit_all(example.path, "keputusan baru")
    grown = _head(example)
    assert decreeadds.added(reg)["sk-dip-2027"] == grown
    # amended: the kept HEAD is no ancestor any more
    who = ("-c", "user.name=Test", "-c", "user.email=kepala@example.go.id")
    git(example.path, *who, "commit", "-q", "--amend", "-m", "keputusan baru, diubah")
    amended = _head(example)
    assert amended != grown
    assert decreeadds.added(reg) == {
        "sk-dik-2026": root,
        "sk-dip-2026": root,
        "sk-dip-2027": amended,
    }
    # a decree file deleted and added again: the oldest addition, as the whole log says
    (decrees / "sk-dip-2027.yaml").unlink()
    commit_all(example.path, "keputusan dihapus")
    shutil.copy(decrees / "sk-dip-2026.yaml", decrees / "sk-dip-2027.yaml")
    commit_all(example.path, "keputusan ditambahkan lagi")
    assert decreeadds.added(reg)["sk-dip-2027"] == amended
    # planted: a well-formed file naming another HEAD's additions is read only as an ancestor
    forged = {"adds": ("register/keputusan", "0" * 40, {"sk-dip-2026": ["f" * 40]})}
    cachefile.Table(private / decreeadds.NAME, "decree-adds:1").replace(forged)
    assert decreeadds.added(reg)["sk-dip-2026"] == root

    # an item's version at a commit: the work tree's file by its stamp, never stale
    head = _head(example)
    current = {i.id: i for i in load_items(reg)}
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)] is current[ITEM]  # a few files: hashed, no table
    assert versioncache.OWN_NAME not in {p.name for p in private.iterdir()}
    monkeypatch.setattr(versioncache, "_HASHED", 0)  # as for a whole lampiran: the table
    monkeypatch.setattr(versioncache, "_FEW", 0)  # and the versions' caches
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)] is current[ITEM]  # the work tree's file is HEAD's
    assert {versioncache.OWN_NAME, versioncache.BLOBS_NAME} <= {p.name for p in private.iterdir()}
    _in_place(example.item("bagian-kelembagaan", ITEM), "judul: Dokumen", "judul: Dokumex")
    current = {i.id: i for i in load_items(reg)}
    assert current[ITEM].title.startswith("Dokumex ")
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)].title.startswith("Dokumen ")  # HEAD's bytes, as committed
    monkeypatch.setattr(versioncache, "_HASHED", 200)
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)].title.startswith("Dokumen ")  # hashed: the same answer
    monkeypatch.setattr(versioncache, "_HASHED", 0)

    # a careless hand in .git/dipctl: damaged or foreign caches are no caches
    versioncache._LOADED.clear()  # as a new process
    for cache in private.iterdir():
        if cache.is_file():
            cache.write_bytes(b"\x80\x05garbage" if cache.name.endswith("journal") else b"")
    assert citizen.load_meetings(reg)[MEETING].date == "2026-01-21"
    assert decreeadds.added(reg)["sk-dip-2027"] == amended
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)].title.startswith("Dokumen ")
    (private / versioncache.OWN_NAME).write_bytes(pickle.dumps(("foreign", {})))
    versioncache._LOADED.clear()
    found = issued.read_versions(reg, {(head, ITEM)}, current)
    assert found[(head, ITEM)].title.startswith("Dokumen ")
