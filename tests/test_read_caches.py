"""The read path's caches (issue 21.1): the parsed decrees (``status``), the items as plain
values (``list``, ``show``), an item's trail at HEAD (``show``, ``history``). None is used
stale: a file edited in place with its size kept and its old mtime put back, a new commit,
a history rewritten to the same HEAD by ``git replace``, a broken cache file."""

from __future__ import annotations

import json

import pytest

from dipctl.register import cachefile
from tests.conftest import Repo, commit_all, git, in_place

ITEM = "bo-analisis-beban-kerja-2025"


def _json(repo: Repo, *args: str) -> object:
    result = repo.run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _trail(repo: Repo) -> list[str]:
    found = _json(repo, "history", ITEM)
    assert isinstance(found, list)
    return [str(e["commit"]) for e in found]


def test_the_read_caches_are_never_used_stale(
    example: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # trust every stamp at once (the racy rule has its own test): the worst case
    monkeypatch.setattr(cachefile, "RACY_NS", -(10**12))
    private = example.path / ".git" / "dipctl"
    status = _json(example, "status")
    assert isinstance(status, dict)
    assert status["keputusan_berlaku"]["dip"]["nomor"] == "188.44/01/BIRO-ORG/I/2026"
    items = _json(example, "list")
    assert isinstance(items, list)
    title = next(i["judul"] for i in items if i["id"] == ITEM)
    assert title.startswith("Dokumen ")
    assert {"decrees.pickle", "items.pickle"} <= {p.name for p in private.iterdir()}
    assert _json(example, "status") == status  # from the caches, the same

    # a decree and an item edited in place, their size and mtime kept
    decree = example.register / "keputusan" / "sk-dip-2026.yaml"
    in_place(decree, '"188.44/01/BIRO', '"188.44/09/BIRO')
    again = _json(example, "status")
    assert isinstance(again, dict)
    assert again["keputusan_berlaku"]["dip"]["nomor"] == "188.44/09/BIRO-ORG/I/2026"
    in_place(example.item("bagian-kelembagaan", ITEM), "judul: Dokumen", "judul: Dokumex")
    items = _json(example, "list")
    assert isinstance(items, list)
    assert next(i["judul"] for i in items if i["id"] == ITEM).startswith("Dokumex ")
    shown = _json(example, "show", ITEM)
    assert isinstance(shown, dict) and shown["judul"].startswith("Dokumex ")

    # the trail: remembered for HEAD, read again after a commit, a reset, a replace
    first = _trail(example)
    assert len(first) == 1 and "trails.pickle" in {p.name for p in private.iterdir()}
    assert _trail(example) == first
    # (git itself, comparing whole seconds, may take the edited files for unchanged)
    git(example.path, "rm", "-q", "--cached", "-r", "register")
    commit_all(example.path, "judul diubah di tempat")
    second = _trail(example)
    assert len(second) == 2 and second[0] == first[0]
    git(example.path, "reset", "-q", "--hard", "HEAD~1")
    assert _trail(example) == first
    git(example.path, "reset", "-q", "--hard", second[-1])
    assert _trail(example) == second
    # the same HEAD, another history: HEAD's parent replaced by a root commit of its own
    git(example.path, "replace", "--graft", second[-1])
    assert _trail(example) == second[-1:]
    git(example.path, "replace", "-d", second[-1])
    assert _trail(example) == second

    # a careless hand in .git/dipctl: broken or truncated caches are no caches
    for cache in private.iterdir():
        cache.write_bytes(b"\x80\x05garbage" if cache.name.endswith("journal") else b"")
    assert _json(example, "status") == again
    assert _trail(example) == second
    items = _json(example, "list")
    assert isinstance(items, list)
    assert next(i["judul"] for i in items if i["id"] == ITEM).startswith("Dokumex ")
