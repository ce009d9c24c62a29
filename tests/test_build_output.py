"""Writes that cannot destroy (issue 11 point 1): ``dipctl build --out`` replaces only a
folder it made itself, and swaps the new site in whole, even when it is killed."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Repo, commit_all, dipctl

MARKER = ".dipctl-site"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git/" not in p.relative_to(folder).as_posix() + "/"
    }


def refused(result_code: int, stderr: str, *names: str) -> None:
    assert result_code == 4, stderr
    assert "Traceback" not in stderr
    for name in names:
        assert name in stderr, (name, stderr)


# -- folders a build must never replace ----------------------------------------------------


def test_build_refuses_the_register_and_everything_around_it(
    example: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example.path / "catatan.txt").write_text("pekerjaan belum di-commit\n", encoding="utf-8")
    (example.register / "informasi" / "coba.yaml").write_text("id: coba\n", encoding="utf-8")
    before = tree(example.path)
    root = example.path.resolve()
    monkeypatch.chdir(example.path)
    for out, shown in [
        (".", root),
        ("register", root / "register"),
        ("register/informasi", root / "register/informasi"),
        ("register/informasi/baru", root / "register/informasi/baru"),  # new, but inside
        ("register/tema", root / "register/tema"),
        ("..", root.parent),
        (str(root), root),
        ("site/..", root),
        ("/", Path("/")),
        (os.environ["HOME"], Path(os.environ["HOME"])),
    ]:
        result = example.run("build", "--out", out)
        refused(result.exit_code, result.stderr, str(shown))
        assert "--out site" in result.stderr
        assert tree(example.path) == before, out
    assert not (example.register / "informasi/baru").exists()
    assert sorted(p.name for p in (example.register / "tema").iterdir()) == ["static"]


def test_build_refuses_a_folder_with_someone_elses_files(example: Repo, tmp_path: Path) -> None:
    mine = tmp_path / "dokumen"
    mine.mkdir()
    (mine / "laporan.docx").write_bytes(b"punya saya")
    (mine / ".tersembunyi").write_bytes(b"juga punya saya")
    result = example.run("build", "--out", mine)
    refused(result.exit_code, result.stderr, str(mine), MARKER)
    assert sorted(p.name for p in mine.iterdir()) == [".tersembunyi", "laporan.docx"]
    assert (mine / "laporan.docx").read_bytes() == b"punya saya"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dokumen.tmp-")]


def test_build_refuses_a_file_at_the_path(example: Repo, tmp_path: Path) -> None:
    blocker = tmp_path / "site"
    blocker.write_bytes(b"bukan folder")
    result = example.run("build", "--out", blocker)
    refused(result.exit_code, result.stderr, str(blocker))
    assert blocker.read_bytes() == b"bukan folder"


def test_a_refused_build_renders_nothing(example: Repo, tmp_path: Path) -> None:
    """The folder is checked first: no minutes of rendering before the refusal."""
    (tmp_path / "isi").mkdir()
    (tmp_path / "isi" / "a").write_bytes(b"a")
    start = time.perf_counter()
    assert example.run("build", "--out", tmp_path / "isi").exit_code == 4
    assert time.perf_counter() - start < 5


# -- folders a build may use ---------------------------------------------------------------


def test_build_into_a_new_an_empty_and_its_own_folder(example: Repo, tmp_path: Path) -> None:
    new = tmp_path / "a" / "b" / "site"
    assert example.run("build", "--out", new).exit_code == 0
    assert (new / "index.html").is_file() and (new / MARKER).is_file()
    empty = tmp_path / "kosong"
    empty.mkdir()
    assert example.run("build", "--out", empty).exit_code == 0
    assert tree(empty) == tree(new)
    assert example.run("build", "--out", empty).exit_code == 0  # its own folder again
    assert tree(empty) == tree(new)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "biro", "kosong"]  # no leftovers


def test_the_site_folder_in_the_work_tree_is_fine(example: Repo, monkeypatch) -> None:
    monkeypatch.chdir(example.path)
    for _ in range(2):
        result = example.run("build", "--out", "site")
        assert result.exit_code == 0, result.stderr
    assert (example.path / "site/index.html").is_file()


def test_permissions_follow_the_umask_not_mkdtemp(example: Repo, tmp_path: Path) -> None:
    """A web server reads the site: its folders must not be 0700."""
    old = os.umask(0o022)
    try:
        assert example.run("build", "--out", tmp_path / "site").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "site").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "site" / "informasi").stat().st_mode & 0o777 == 0o755


def test_a_rebuild_removes_pages_of_items_no_longer_published(
    example: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert example.run("build", "--out", out).exit_code == 0
    page = out / "informasi" / "bo-dpa-2026.html"
    assert page.is_file()
    (out / "informasi" / "tambahan-tangan.html").write_bytes(b"hand-made")
    item = example.item("subbagian-tata-usaha", "bo-dpa-2026")
    item.unlink()
    commit_all(example.path, "bo-dpa-2026: dihapus")
    assert example.run("build", "--out", out).exit_code == 0
    assert not page.exists()
    assert (out / "index.html").is_file() and (out / MARKER).is_file()
    assert "bo-dpa-2026" not in (out / "index.html").read_text(encoding="utf-8")
    # an incremental build deletes only what it wrote; --full replaces the folder whole
    assert (out / "informasi/tambahan-tangan.html").read_bytes() == b"hand-made"
    assert example.run("build", "--out", out, "--full").exit_code == 0
    assert not (out / "informasi/tambahan-tangan.html").exists()


def test_a_link_to_a_site_folder_builds_into_that_folder(example: Repo, tmp_path: Path) -> None:
    real = tmp_path / "www" / "dip"
    assert example.run("build", "--out", real).exit_code == 0
    link = tmp_path / "site"
    link.symlink_to(real)
    assert example.run("build", "--out", link).exit_code == 0
    assert link.is_symlink() and (real / "index.html").is_file()


# -- a killed build ------------------------------------------------------------------------


def big_register(example: Repo, copies: int) -> None:
    """The example register with each published item file copied ``copies`` times."""
    originals = [
        p
        for p in sorted(example.register.glob("informasi/*/*.yaml"))
        if re.search(r"^status: (diunggah|ditetapkan)$", p.read_text("utf-8"), re.M)
    ]
    for n in range(copies):
        for path in originals:
            text = path.read_text(encoding="utf-8")
            new_id = f"{path.stem}-salinan-{n}"
            text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
            path.with_name(f"{new_id}.yaml").write_text(text, encoding="utf-8")
    commit_all(example.path, "salinan untuk uji")


def start_build(example: Repo, out: Path) -> subprocess.Popen[bytes]:
    """A full build (an incremental one is tested in tests/test_incremental_build.py)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    where = ["--register", str(example.register), "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "dipctl", "build", "--full", *where],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.tmp-"))


def test_a_killed_build_leaves_the_old_site_or_none(example: Repo, tmp_path: Path) -> None:
    big_register(example, 5)  # about 300 published items, 700 pages in two languages
    reference = tmp_path / "acuan"
    assert dipctl("build", "--register", example.register, "--out", reference).exit_code == 0
    assert len(list(reference.glob("informasi/*.html"))) > 250
    expected = tree(reference)
    start = time.perf_counter()
    process = start_build(example, tmp_path / "ukur")
    assert process.wait(timeout=120) == 0
    took = time.perf_counter() - start
    out = tmp_path / "site"
    rng = random.Random(20260517)
    killed_writing = 0
    for attempt in range(12):
        had_site, old = out.exists(), set(leftovers(out))

        def writing(old: set[str] = old) -> bool:
            return bool(set(leftovers(out)) - old)  # this build's temporary folder

        process = start_build(example, out)
        if attempt % 2:  # at a random moment of the whole build
            time.sleep(rng.uniform(0.05, took))
        else:  # while it writes or swaps: after its temporary folder appears
            deadline = time.monotonic() + 120
            while not writing() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.05))
        if process.poll() is None:
            killed_writing += writing()
        process.send_signal(signal.SIGKILL)  # nothing if it has already finished
        process.wait(timeout=30)
        if out.exists():  # the previous complete site, or the new complete one
            assert (out / "index.html").is_file() and (out / MARKER).is_file()
            assert tree(out) == expected, attempt
        else:
            assert not had_site or leftovers(out), attempt  # only between the two renames
        if attempt % 3 == 2:  # the next build succeeds and clears what the killed one left
            result = dipctl("build", "--full", "--register", example.register, "--out", out)
            assert result.exit_code == 0, result.stderr
            assert leftovers(out) == [] and tree(out) == expected
    assert killed_writing >= 3  # the swap was really interrupted, not only the rendering
    result = dipctl("build", "--register", example.register, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert leftovers(out) == []
    assert tree(out) == expected


def test_a_worker_of_a_killed_build_writes_nothing_more(tmp_path: Path) -> None:
    """The forked worker writes its pages into the new folder itself: once the build that
    made the folder is gone, its next file is not written and it ends (the next build then
    deletes a folder nobody writes into)."""
    from dipctl.publish.output import NewSite

    folder = tmp_path / ".site.tmp-0123456789abcdef"
    folder.mkdir()
    read, write = os.pipe()
    build = os.fork()
    if build == 0:  # the build: makes the folder's writer, forks its worker, is killed
        try:
            os.close(read)
            new = NewSite(folder)
            new.write("index.html", b"made by the build")
            if os.fork() == 0:  # the worker
                try:
                    while os.getppid() == new._owner:
                        time.sleep(0.01)
                    new.write("informasi/a.html", b"after the build died")
                    os.write(write, b"wrote")  # never reached
                finally:
                    os._exit(0)
            os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)  # never pytest's code in a forked copy
    os.close(write)
    os.waitpid(build, 0)
    with os.fdopen(read, "rb") as told:
        assert told.read() == b""  # the worker ended without writing (the pipe closed)
    assert sorted(p.name for p in folder.rglob("*")) == ["index.html"]
