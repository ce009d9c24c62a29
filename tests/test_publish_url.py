"""Step 6 checks the website (``dipctl publish --url``): the published ``dip.json`` and
``dik.json`` are fetched from a local HTTP server serving folders built by ``dipctl
build``; the step is recorded only when every item is there with the content hash of its
established version (exempt items matched by that hash: the DIK publishes no id)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dipctl.register import digest
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.localweb import Web, closed_port, serving
from tests.test_links import established
from tests.test_verify import ok

PUBLIC = ("satu", "dua")
EXEMPT = "rahasia"
DIP_HASHED = (
    "id", "judul", "ringkasan", "unit", "unit_nama", "penanggung_jawab", "waktu_pembuatan",
    "tempat_pembuatan", "bentuk", "retensi", "kategori", "dokumen_tautan", "dokumen_arsip",
    "revisi", "keputusan",
)  # fmt: skip
DIK_HASHED = (
    "judul", "unit_nama", "pasal", "dasar_hukum", "alasan", "bagian", "jangka_waktu",
    "berakhir", "keputusan",
)  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Web]:
    with serving() as running:
        yield running


@pytest.fixture(scope="module")
def prepared(
    server: Web, _template_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Two public items and one exempt item established (not yet published), and the site
    built from that commit, served as /situs/baru/."""
    base = tmp_path_factory.mktemp("publish-url")
    home = tmp_path_factory.mktemp("publish-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    try:
        path = base / "dinas"
        shutil.copytree(_template_repo, path, symlinks=True)
        repo = Repo(path)
        link = server.url("/ok/dokumen.pdf")
        established(repo, base, dict.fromkeys(PUBLIC, link), {EXEMPT: link})
        ok(repo, "build", "--out", str(base / "baru"))
        server.sites["baru"] = base / "baru"
        (base / "kosong").mkdir()
        server.sites["kosong"] = base / "kosong"
        yield path
    finally:
        mp.undo()


@pytest.fixture
def repo(prepared: Path, tmp_path: Path) -> Repo:
    path = tmp_path / "dinas"
    shutil.copytree(prepared, path, symlinks=True)
    return Repo(path)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def head(repo: Repo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


def publish(repo: Repo, url: str, *args: str, who: str = PPID) -> tuple[int, str]:
    result = repo.run("publish", *args, "--url", url, "--as", who)
    assert "Traceback" not in result.stderr and "internal" not in result.stderr.lower()
    return result.exit_code, result.stderr


def refused(repo: Repo, url: str, code: int, *args: str) -> str:
    """The step is refused with ``code`` in one sentence (and a hint); nothing changed."""
    before = head(repo)
    exit_code, err = publish(repo, url, *(args or ("--all",)))
    assert exit_code == code, err
    assert head(repo) == before
    assert git(repo.path, "status", "--porcelain") == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("galat: ") and lines[-1].startswith("saran: "), err
    return err


def serve_copy(server: Web, tmp_path: Path, name: str, change: dict[str, object]) -> str:
    """The fresh site with some downloads replaced (a name -> JSON value, or bytes)."""
    folder = tmp_path / name
    shutil.copytree(server.sites["baru"], folder)
    for file, content in change.items():
        data = content if isinstance(content, bytes) else json.dumps(content).encode()
        (folder / file).write_bytes(data)
    server.sites[name] = folder
    return server.url(f"/situs/{name}/")


def downloads(server: Web) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = server.sites["baru"]
    return (
        json.loads((folder / "dip.json").read_text(encoding="utf-8")),
        json.loads((folder / "dik.json").read_text(encoding="utf-8")),
    )


def test_publish_succeeds_against_the_fresh_site(repo: Repo, server: Web) -> None:
    server.requests.clear()
    url = server.url("/situs/baru/")
    exit_code, err = publish(repo, url, "--all")
    assert exit_code == 0, err
    assert f"DIP-URL: {url}" in repo.log("-1", "--format=%B")
    assert {p for m, p in server.requests if m == "GET"} == {
        "/situs/baru/dip.json",
        "/situs/baru/dik.json",
    }
    result = repo.run("verify")
    assert result.exit_code == 0, result.stdout


def test_a_page_address_is_read_from_its_folder(repo: Repo, server: Web) -> None:
    exit_code, err = publish(repo, server.url("/situs/baru/index.html"), "satu")
    assert exit_code == 0, err


def test_a_stale_site_is_refused_naming_the_revised_item(
    repo: Repo, server: Web, tmp_path: Path
) -> None:
    """satu is revised and re-established; CI has not rebuilt the site yet."""
    ok(repo, "publish", "--all", "--url", server.url("/situs/baru/"), "--as", PPID)
    ok(repo, "revise", "satu", "-m", "Ringkasan diperbarui", "--as", KASUBBAG)
    item = repo.item("sekretariat", "satu")
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("ringkasan: ", "ringkasan: Diperbarui. ", 1), encoding="utf-8")
    commit_all(repo.path, "satu: ringkasan baru", KASUBBAG)
    ok(repo, "submit", "satu", "--as", KASUBBAG)
    ok(repo, "review", "satu", "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", "satu", "--category", "berkala", "--as", PPID)
    ok(repo, "meeting", "satu", "--date", "2026-11-20", "--place", "Ruang Rapat",
       "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
       "--time", "09:00", "--chair", PPID,
       "--hardcopy", "Lemari 1", "--as", PPID)  # fmt: skip
    ok(repo, "establish", "satu", "--number", "188.44/9/2026", "--date", "2026-11-26",
       "--as", KEPALA)  # fmt: skip
    err = refused(repo, server.url("/situs/baru/"), 3, "satu")
    assert "satu" in err and "hash" in err and "tunggu CI" in err
    offline = repo.run("publish", "satu", "--url", server.url("/"), "--site",
                       server.sites["baru"], "--as", PPID)  # fmt: skip
    assert offline.exit_code == 3 and "satu" in offline.stderr  # --site checks the hash too
    ok(repo, "build", "--out", str(tmp_path / "dibangun-ulang"))
    server.sites["ulang"] = tmp_path / "dibangun-ulang"
    exit_code, err = publish(repo, server.url("/situs/ulang/"), "satu")
    assert exit_code == 0, err


def test_an_item_missing_from_dip_json_is_refused_naming_it(
    repo: Repo, server: Web, tmp_path: Path
) -> None:
    dip, _ = downloads(server)
    rows = [r for r in dip["informasi"] if r["id"] != "dua"]
    url = serve_copy(server, tmp_path, "tanpa-dua", {"dip.json": {**dip, "informasi": rows}})
    err = refused(repo, url, 3)
    assert "dua" in err and "satu" not in err


@pytest.mark.parametrize("change", ["removed", "alasan", "title-only"])
def test_an_exempt_item_is_matched_by_its_content_not_its_title(
    repo: Repo, server: Web, tmp_path: Path, change: str
) -> None:
    """The DIK row gone, or its alasan changed (the title still matches): both refused."""
    _, dik = downloads(server)
    (row,) = dik["dikecualikan"]
    if change == "removed":
        rows = []
    elif change == "alasan":
        rows = [{**row, "alasan": "Alasan lain", "hash": digest.fields_hash({"x": 1})}]
    else:  # a site that carries the title with another item's hash
        rows = [{"judul": row["judul"], "hash": "sha256:" + "0" * 64}]
    url = serve_copy(server, tmp_path, f"dik-{change}", {"dik.json": {**dik, "dikecualikan": rows}})
    err = refused(repo, url, 3, EXEMPT)
    assert EXEMPT in err and "DIK" in err


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("html", b"<!doctype html><title>Beranda</title>", "bukan JSON"),
        ("biner", b"\xff\xfe\x00garbage", "bukan JSON"),
        ("bersarang", b"[" * 100_000 + b"]" * 100_000, "bukan JSON"),
        ("daftar", [], "'informasi'"),
        ("bukan-daftar", {"informasi": {"satu": 1}}, "'informasi'"),
        ("tanpa-id", {"informasi": [{"judul": "satu"}]}, "'id'"),
    ],
)
def test_a_site_that_serves_something_else_is_could_not_run(
    repo: Repo, server: Web, tmp_path: Path, name: str, content: object, words: str
) -> None:
    url = serve_copy(server, tmp_path, name, {"dip.json": content})
    err = refused(repo, url, 4, "satu")
    assert f"{url}dip.json" in err and words in err


def test_a_server_answering_html_everywhere_is_could_not_run(repo: Repo, server: Web) -> None:
    err = refused(repo, server.url("/html/"), 4, "satu")
    assert "bukan JSON" in err


def test_an_unreachable_site_is_could_not_run(repo: Repo) -> None:
    url = f"http://127.0.0.1:{closed_port()}/dip/"
    err = refused(repo, url, 4)
    assert f"{url}dip.json" in err and "koneksi ditolak" in err and "--site" in err


def test_a_site_that_does_not_answer_in_time_is_could_not_run(repo: Repo, server: Web) -> None:
    before = head(repo)
    result = repo.run("publish", "satu", "--url", server.url("/slow/"), "--timeout", "0.5",
                      "--as", PPID, "--lang", "en")  # fmt: skip
    assert result.exit_code == 4, result.stderr
    assert "no answer within 0.5 seconds" in result.stderr
    assert head(repo) == before


def test_a_site_not_uploaded_yet_is_refused(repo: Repo, server: Web) -> None:
    err = refused(repo, server.url("/situs/kosong/"), 3)
    assert "dip.json" in err and "404" in err


def test_the_role_is_checked_before_the_network(repo: Repo) -> None:
    """A kasubbag is refused as such (exit 3), even against an address that is down."""
    url = f"http://127.0.0.1:{closed_port()}/"
    exit_code, err = publish(repo, url, "--all", who=KASUBBAG)
    assert exit_code == 3 and "koneksi" not in err


def test_the_hash_covers_only_the_published_fields_of_its_row(server: Web) -> None:
    """Anyone can recompute it from the download; a DIK row's hash takes nothing but the
    whitelist, so it reveals nothing the row does not already show."""
    dip, dik = downloads(server)
    for rows, keys in ((dip["informasi"], DIP_HASHED), (dik["dikecualikan"], DIK_HASHED)):
        assert rows
        for row in rows:
            fields = {k: row[k] for k in keys}
            fields["keputusan"] = row["keputusan"]["id"]
            assert digest.fields_hash(fields) == row["hash"]
    assert "id" not in dik["dikecualikan"][0]
