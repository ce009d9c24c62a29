"""Incremental builds (issue 21.3): after any change, a build into a site folder that an
earlier build made gives byte for byte, file list included, what a build from scratch gives;
it writes only what changed, keeps files it did not write, falls back to a full build on a
manifest it cannot use, and a build killed on the way is repaired by the next one."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PROJECT, Repo, commit_all, dipctl
from tests.test_build_output import MARKER, big_register, tree

MANIFEST = ".dipctl-manifest.json"


def published(repo: Repo) -> list[Path]:
    return [
        p
        for p in sorted(repo.register.glob("informasi/*/*.yaml"))
        if re.search(r"^status: (diunggah|ditetapkan)$", p.read_text("utf-8"), re.M)
    ]


def build(repo: Repo, out: Path, *more: str) -> str:
    result = dipctl("build", "--register", repo.register, "--out", out, *more)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout + result.stderr


def fresh(repo: Repo, folder: Path) -> dict[str, bytes]:
    """A build from scratch, without the rows kept by the last build (tests/test_row_memo.py)."""
    (repo.path / ".git" / "dipctl" / "build-rows.pickle").unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    build(repo, folder)
    return tree(folder)


def edit(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_random_changes_build_incrementally_to_the_bytes_of_a_full_build(
    example: Repo, tmp_path: Path
) -> None:
    rng = random.Random(2126)
    site, scratch = tmp_path / "A", tmp_path / "B"
    build(example, site)
    assert (site / MANIFEST).is_file() and (site / MARKER).is_file()
    (site / "catatan-tangan.txt").write_text("milik pengguna\n", encoding="utf-8")
    before = mtimes(site)
    again = build(example, site)  # nothing changed: nothing written
    assert "0 ditulis, 0 dihapus" in again, again
    assert mtimes(site) == before

    def retitle() -> str:
        path = rng.choice(published(example))
        edit(path, r"^judul: (.*)$", rf"judul: \1 (revisi {rng.randrange(1000)})")
        return f"judul {path.stem}"

    def add() -> str:
        path = rng.choice(published(example))
        new_id = f"{path.stem}-baru-{rng.randrange(1000)}"
        text = re.sub(r"^id: .*$", f"id: {new_id}", path.read_text("utf-8"), count=1, flags=re.M)
        path.with_name(f"{new_id}.yaml").write_text(text, encoding="utf-8")
        return f"baru {new_id}"

    def delete() -> str:
        path = rng.choice(published(example))
        path.unlink()
        return f"hapus {path.stem}"

    def move() -> str:
        path = rng.choice(published(example))
        units = sorted(p.name for p in (example.register / "informasi").iterdir())
        unit = rng.choice([u for u in units if u != path.parent.name])
        edit(path, r"^unit: .*$", f"unit: {unit}")
        path.rename(example.register / "informasi" / unit / path.name)
        return f"pindah {path.stem} ke {unit}"

    def step() -> str:  # out of the DIP (a draft again) or from diunggah to ditetapkan
        path = rng.choice(published(example))
        edit(path, r"^status: \w+$", rng.choice(["status: draf", "status: ditetapkan"]))
        return f"status {path.stem}"

    def restyle() -> str:
        own = example.register / "tema" / "templates"
        own.mkdir(parents=True, exist_ok=True)
        builtin = (PROJECT / "templates" / "site" / "item.html").read_text("utf-8")
        (own / "item.html").write_text(builtin + f"<!-- {rng.randrange(1000)} -->\n", "utf-8")
        (example.register / "tema" / "static" / "tambahan.css").write_text(
            f"body {{ margin: {rng.randrange(9)}px }}\n", encoding="utf-8"
        )
        return "tema"

    def languages() -> str:
        config = example.register / "register.yaml"
        text = config.read_text("utf-8")
        one = "  bahasa: [id]\n" in text
        config.write_text(
            text.replace(*(("[id]", "[id, en]") if one else ("[id, en]", "[id]"))), "utf-8"
        )
        return "bahasa"

    changes = [retitle, add, delete, move, step, restyle, languages, retitle, add, step]
    changes += [rng.choice(changes) for _ in range(3)]
    for n, change in enumerate(changes):
        what = change()
        commit_all(example.path, f"uji {n}: {what}")
        lang = ["--lang", "en"] if n % 3 == 0 else []
        said = build(example, site, *lang)
        assert ("written" if lang else "ditulis") in said, (what, said)
        assert "incremental" in said or "bertahap" in said, (what, said)
        expected = fresh(example, scratch)
        got = tree(site)
        assert got.pop("catatan-tangan.txt") == b"milik pengguna\n"  # never ours to delete
        assert sorted(got) == sorted(expected), what
        assert got == expected, what
        if what == "tema":  # the theme's templates are in every page's inputs
            assert "0 ditulis" not in said


def test_a_manifest_it_cannot_use_means_a_full_build(example: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(example, site)
    expected = tree(site)
    manifest = site / MANIFEST
    lines = manifest.read_text("utf-8").splitlines()
    head = json.loads(lines[0])
    other_code = json.dumps({**head, "code": "0" * 32}, sort_keys=True)
    other_register = json.dumps({**head, "register": "0" * 32}, sort_keys=True)
    for broken in [
        b"",
        b"\xff\xfe not json",
        b"[1, 2",
        "\n".join([lines[0], '["../../etc/passwd", "x", "y"]']).encode(),
        *(  # outside the site, in the form a build writes: never written or deleted
            "\n".join([lines[0], *lines[1:], f'["{bad}", "ab", "cd"]', ""]).encode()
            for bad in ("../../etc/passwd", "/etc/passwd", "a//b.html", "a/..", "", "x/")
        ),
        "\n".join([lines[0], *lines[1:], "garbage", ""]).encode(),
        "\n".join([lines[0], *lines[1:], "xx" + lines[-1], ""]).encode(),
        "\n".join([lines[0], *lines[1:], lines[-1][:-1]]).encode(),  # cut short
        "\n".join([lines[0], '["index.html", 1, 2]']).encode(),
        "\n".join([other_code, *lines[1:]]).encode(),
        "\n".join([other_register, *lines[1:]]).encode(),
    ]:
        manifest.write_bytes(broken)
        (site / "index.html").write_bytes(b"rusak")
        said = build(example, site)
        assert "bertahap" not in said, broken
        assert tree(site) == expected, broken
    manifest.unlink()  # a site of a dipctl before manifests: a full build too
    assert "bertahap" not in build(example, site)
    assert tree(site) == expected
    # --full rebuilds whole even with a good manifest; a hand-made file goes with it
    (site / "tangan.html").write_text("x", encoding="utf-8")
    (site / "index.html").write_bytes(b"rusak")
    assert "bertahap" not in build(example, site, "--full")
    assert tree(site) == expected
    # a page deleted or changed by hand is written again by an incremental build
    (site / "dik.html").unlink()
    said = build(example, site)
    assert "1 ditulis" in said and tree(site) == expected


def test_a_manifest_in_another_form_is_written_again_as_a_full_build_writes_it(
    example: Repo, tmp_path: Path
) -> None:
    """Nothing changed, the manifest usable but not in the bytes a build writes (reordered,
    spaced, escaped, no last newline): the incremental build writes it again, so that the
    site stays byte for byte a full build's; its own bytes it leaves alone."""
    site = tmp_path / "site"
    build(example, site)
    expected = tree(site)
    manifest = site / MANIFEST
    head, *lines = manifest.read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    for other in [
        "\n".join([head, *reversed(lines)]) + "\n",
        "\n".join([head, *lines]),
        "\n".join([head, *(json.dumps(r, separators=(",  ", ":")) for r in rows)]) + "\n",
        "\n".join([head, *(json.dumps(r, separators=(",", ":")) for r in rows)]) + "\n",
        "\n".join([head, *(json.dumps(r, ensure_ascii=True).replace("x", "\\u0078") for r in rows)])
        + "\n",
        "\n".join([json.dumps(dict(reversed(json.loads(head).items()))), *lines]) + "\n",
        "\r\n".join([head, *lines]) + "\r\n",
    ]:
        manifest.write_text(other, encoding="utf-8", newline="")
        assert manifest.read_bytes() != expected[MANIFEST]
        said = build(example, site)
        assert "bertahap" in said and "0 ditulis" in said, other[:200]
        assert tree(site) == expected, other[:200]
    before = manifest.stat().st_mtime_ns
    time.sleep(0.01)
    assert "bertahap" in build(example, site)
    assert manifest.stat().st_mtime_ns == before  # already those bytes: not written


def start_build(example: Repo, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.Popen(
        [sys.executable, "-m", "dipctl", "build", "--register", example.register, "--out", out],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_killed_incremental_build_is_repaired_by_the_next(example: Repo, tmp_path: Path) -> None:
    big_register(example, 3)  # about 200 published items, every page rewritten below
    site, scratch = tmp_path / "A", tmp_path / "B"
    build(example, site)
    config = example.register / "register.yaml"
    rng = random.Random(5)
    killed_writing = 0
    for attempt in range(4):
        # the PPID's telephone is on every page: the build rewrites them all (not the agency's
        # name: that names the register in the manifest, and makes a full build)
        edit(config, r"^  telepon: .*$", f"  telepon: (0536) 12345{attempt:02d}")
        commit_all(example.path, f"singkatan {attempt}")
        process = start_build(example, site)
        deadline = time.monotonic() + 120
        while (
            not (site / ".dipctl-staging").exists()
            and process.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.03))
        if process.poll() is None:
            killed_writing += 1
        process.send_signal(signal.SIGKILL)  # nothing if it has already finished
        process.wait(timeout=30)
        assert (site / MARKER).is_file() and (site / MANIFEST).is_file()
        if attempt % 2:  # a second change before the repair
            edit(config, r"^  telepon: .*$", f"  telepon: (0536) 54321{attempt:02d}")
            commit_all(example.path, f"singkatan lagi {attempt}")
        said = build(example, site)
        assert "bertahap" in said, said  # repaired in place, not rebuilt whole
        assert tree(site) == fresh(example, scratch), attempt
        assert not (site / ".dipctl-staging").exists()
    assert killed_writing >= 2  # really killed while it wrote, not before or after


def test_a_link_put_in_the_site_is_never_followed(example: Repo, tmp_path: Path) -> None:
    """Someone who may write the site folder swaps ``informasi/`` for a link to a folder of
    look-alike pages elsewhere: the build neither deletes nor writes there."""
    site = tmp_path / "site"
    build(example, site)
    outside = tmp_path / "luar"
    shutil.copytree(site / "informasi", outside)
    shutil.rmtree(site / "informasi")
    (site / "informasi").symlink_to(outside)
    before = tree(outside)
    gone, edited = published(example)[:2]
    gone.unlink()  # its page no longer belongs: the manifest says dipctl wrote it
    edit(edited, r"^judul: (.*)$", r"judul: \1 (diubah)")  # its page is written again
    commit_all(example.path, "hapus satu, ubah satu")
    assert f"{gone.stem}.html" in before
    build(example, site)
    assert tree(outside) == before
    assert not (site / "informasi").is_symlink()
    assert tree(site) == fresh(example, tmp_path / "B")


def test_row_pieces_join_to_the_whole_file_and_are_never_trusted_unvouched(
    example: Repo, tmp_path: Path
) -> None:
    """``dip.json`` and ``dip.csv`` joined from per-row pieces are the bytes of the whole
    files as ``downloads`` makes them (also for rows with quotes, line breaks, formulas and
    non-Latin text, and for no rows at all); a pieces file damaged, planted, deleted or
    left by a killed build is not used, and the site stays a full build's bytes."""
    from dipctl.publish import downloads, manifest, pieces
    from dipctl.publish.publicdata import PublicRegister, collect
    from dipctl.register.config import find_register

    pub = collect(find_register(example.register))
    odd = dict(pub.items[0], judul='=SUM(A1) "kutip"\nbaris dua', ringkasan="Ōsaka, ½ – 日本")
    for items in ([*pub.items, odd], [odd], []):
        made = PublicRegister(pub.agency, pub.title, pub.languages, "", pub.updated, items=items)
        keys = [manifest.data_digest(r) for r in items]
        doc = downloads.dip_document(made)
        first = pieces.Pieces()  # every piece made, then every piece joined from them
        for got in (first, pieces.Pieces(first.used)):
            assert pieces.dip_json(doc, keys, (), got, downloads.to_json) == downloads.to_json(doc)
            csv = pieces.dip_csv(items, keys, downloads.DIP_COLUMNS, got)
            assert csv == downloads.to_csv(items, downloads.DIP_COLUMNS)
            assert got.used == first.used

    site, scratch = tmp_path / "A", tmp_path / "B"
    build(example, site)
    listed = (site / MANIFEST).read_text("utf-8")
    stored, rows = site / pieces.NAME, site / pieces.HTML_NAME  # downloads, the index's rows
    assert f'["{pieces.NAME}"' in listed and f'["{pieces.HTML_NAME}"' in listed
    forged = {}
    for path in (stored, rows):
        lines = path.read_text("utf-8").splitlines()
        key, text = json.loads(lines[1])
        forged[path] = [lines[0], json.dumps([key, text.replace('"', '"PALSU ', 1)]), *lines[2:]]
    targets = iter(published(example))
    for n, harm in enumerate(
        [
            lambda p: p.write_text("\n".join(forged[p]) + "\n", "utf-8"),  # a forged row
            lambda p: p.write_bytes(b"\x00rusak"),
            lambda p: p.unlink(),
            lambda p: None,  # untouched: used, and the result is the same
        ]
    ):
        path = next(targets)
        edit(path, r"^judul: (.*)$", rf"judul: \1 (ubah {n})")
        commit_all(example.path, f"ubah {n}")
        harm(stored)
        harm(rows)
        assert "bertahap" in build(example, site)
        assert tree(site) == fresh(example, scratch), n
        joined = [site / name for name in ("dip.json", "dip.csv", "index.html")]
        assert all(b"PALSU" not in p.read_bytes() for p in joined)


def test_the_stale_check_lists_folders_as_asking_each_file_would(
    example: Repo, tmp_path: Path
) -> None:
    """The stale check lists the site's folders once instead of asking for each of its files:
    a page deleted, a folder where a page goes, a page made a link to a file, a folder made a
    link to a folder (never followed by the listing: its files are asked for alone) give the
    answer of one ``isfile`` per page; the build after them is the fresh build's bytes."""
    from dipctl.publish import manifest

    site = tmp_path / "site"
    build(example, site)
    pages = sorted(p for p in site.rglob("*.html") if "/" in p.relative_to(site).as_posix())
    gone, folder, linked = pages[:3]
    gone.unlink()
    folder.unlink()
    folder.mkdir()
    (tmp_path / "elsewhere.html").write_bytes(linked.read_bytes())
    linked.unlink()
    linked.symlink_to(tmp_path / "elsewhere.html")
    others = tmp_path / "others"
    moved = next(p.parent for p in pages if p.parent.parent != site and p.parent != gone.parent)
    shutil.copytree(moved, others)
    shutil.rmtree(moved)
    moved.symlink_to(others)
    root = str(site)
    wanted = {path: entry[0] for path, entry in _manifest_entries(site).items()}
    one_by_one = {p for p in wanted if not os.path.isfile(os.path.join(root, p))}  # noqa: PTH113, PTH118
    assert manifest.stale(site, _manifest_entries(site), wanted) == one_by_one
    rel = {p.relative_to(site).as_posix() for p in (gone, folder)}
    assert rel <= one_by_one and linked.relative_to(site).as_posix() not in one_by_one
    # links are as isfile sees them (the answer of before): undone, then built again
    moved.unlink()
    shutil.copytree(others, moved)
    linked.unlink()
    shutil.copy(tmp_path / "elsewhere.html", linked)
    folder.rmdir()  # a folder where a page goes makes a full build (not asked here)
    assert "bertahap" in build(example, site)  # the pages gone: written again
    assert tree(site) == fresh(example, tmp_path / "B")


def _manifest_entries(site: Path) -> dict[str, tuple[str, str]]:
    lines = (site / MANIFEST).read_text("utf-8").splitlines()[1:]
    return {path: (inputs, made) for path, inputs, made in map(json.loads, lines)}
