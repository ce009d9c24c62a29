"""What is published is what was verified (issue 18, point 2; SPEC.md section 4 "One chain").

``build`` refuses (exit 4) a register folder whose bytes are not HEAD's; ``validate`` refuses
a file a checkout setting changed, and any link or special file, but keeps judging an officer's
uncommitted edit. The attack: a committed ``.gitattributes`` makes CI's fresh checkout write an
item that verify never saw.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dipctl.register import committed
from dipctl.register.config import Register, find_register
from tests.conftest import KASUBBAG, Repo, commit_all, dipctl, git

HONEST = "informasi/bagian-kelembagaan/bo-analisis-beban-kerja-2025.yaml"
FORGED = "informasi/bagian-kelembagaan/bo-palsu.yaml"
FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "diunggah")  # ｄｉｕｎｇｇａｈ


def forged_item(example: Repo) -> bytes:
    """An established item's text under a new id, its status in fullwidth letters: verify
    cannot parse it, ASCII//TRANSLIT turns it into ``status: diunggah``."""
    text = (example.register / HONEST).read_text(encoding="utf-8")
    text = text.replace("bo-analisis-beban-kerja-2025", "bo-palsu")
    text = text.replace("Dokumen Analisis Beban Kerja", "Dokumen Palsu")
    text = text.replace("  # perlu dicek ulang dengan JRA", "")
    return text.replace("status: diunggah", f"status: {FULLWIDTH}").encode("utf-8")


def commit_blob(repo: Path, rel: str, data: bytes, message: str, *extra: str) -> None:
    """Commit ``data`` at ``rel`` byte for byte (no filter, as plain git plumbing does), with
    the ``extra`` work-tree files staged as they are."""
    blob = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-w", "--no-filters", "--stdin"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob.strip()},{rel}")
    if extra:
        git(repo, "add", *extra)
    git(repo, "-c", "user.name=Kasubbag", "-c", f"user.email={KASUBBAG}", "commit", "-qm", message)


def clone(source: Path, target: Path, *config: str) -> Path:
    """A real ``git clone``, as CI checks the register out: the checkout applies attributes."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}  # iconv's transliteration depends on the locale
    subprocess.run(["git", *config, "clone", "-q", str(source), str(target)], check=True, env=env)
    return target


def refused_everywhere(work: Path, out: Path, rel: str, words: str) -> None:
    """validate and build both exit 4 naming ``rel``, and no site is written."""
    register = work / "register"
    validated = dipctl("validate", "--register", register)
    assert validated.exit_code == 4, validated.stdout + validated.stderr
    assert f"register/{rel}" in validated.stderr
    assert words in validated.stderr
    built = dipctl("build", "--register", register, "--out", out)
    assert built.exit_code == 4, built.stderr
    assert f"register/{rel}" in built.stderr
    assert "--uncommitted" in built.stderr
    assert not out.exists()


# -- (a) the attack, end to end ------------------------------------------------------------


def test_a_translit_attribute_cannot_publish_an_item_verify_never_saw(
    example: Repo, tmp_path: Path
) -> None:
    attributes = example.path / ".gitattributes"
    attributes.write_text(f"register/{FORGED} working-tree-encoding=ASCII//TRANSLIT\n")
    commit_blob(example.path, f"register/{FORGED}", forged_item(example), "isian", ".gitattributes")
    work = clone(example.path, tmp_path / "ci")
    checked_out = (work / "register" / FORGED).read_bytes()
    if b"status: diunggah\n" not in checked_out:
        pytest.skip("this machine's iconv does not transliterate fullwidth letters to ASCII")
    assert FULLWIDTH.encode() in git(work, "show", f"HEAD:register/{FORGED}").encode()

    refused_everywhere(work, tmp_path / "site", FORGED, "pengaturan checkout")
    english = dipctl("validate", "--register", work / "register", "--lang", "en")
    assert "a git checkout setting" in english.stderr
    assert "working-tree-encoding" in english.stderr

    # without the check, the forged item is what the site would publish
    preview = dipctl(
        "build", "--uncommitted", "--register", work / "register", "--out", tmp_path / "pratinjau"
    )
    assert preview.exit_code == 0, preview.stderr
    assert "bo-palsu" in (tmp_path / "pratinjau" / "dip.json").read_text(encoding="utf-8")


def test_a_smudge_filter_of_the_clone_is_refused_the_same_way(
    example: Repo, tmp_path: Path
) -> None:
    """Any setting that changes bytes at checkout (here a ``filter`` whose smudge command the
    clone configures) is caught by the byte comparison, whatever git makes of it."""
    (example.path / ".gitattributes").write_text(f"register/{FORGED} filter=dip\n")
    text = forged_item(example).replace(FULLWIDTH.encode(), b"DIUNGGAH")
    commit_blob(example.path, f"register/{FORGED}", text, "isian", ".gitattributes")
    smudge = ["-c", "filter.dip.smudge=tr A-Z a-z", "-c", "filter.dip.clean=cat"]
    work = clone(example.path, tmp_path / "ci", *smudge)
    for key, value in (("filter.dip.smudge", "tr A-Z a-z"), ("filter.dip.clean", "cat")):
        git(work, "config", key, value)
    assert b"status: diunggah\n" in (work / "register" / FORGED).read_bytes()
    refused_everywhere(work, tmp_path / "site", FORGED, "pengaturan checkout")


def test_an_eol_attribute_is_refused_although_git_sees_no_change(
    example: Repo, tmp_path: Path
) -> None:
    (example.path / ".gitattributes").write_text("*.yaml text eol=crlf\n")
    commit_all(example.path, "atribut")
    work = clone(example.path, tmp_path / "ci")
    assert b"\r\n" in (work / "register" / HONEST).read_bytes()
    assert git(work, "status", "--porcelain") == ""  # git itself sees nothing to commit
    refused_everywhere(work, tmp_path / "site", HONEST, "pengaturan checkout")


# -- (b) an officer's uncommitted edit -----------------------------------------------------


def test_an_uncommitted_edit_is_validated_but_not_built(example: Repo, tmp_path: Path) -> None:
    item = example.register / HONEST
    item.write_text(item.read_text(encoding="utf-8").replace("Dokumen Analisis", "Kajian"))
    built = example.run("build", "--out", tmp_path / "site")
    assert built.exit_code == 4
    assert f"register/{HONEST} diubah setelah catatan terakhir" in built.stderr
    assert f"git checkout -- register/{HONEST}" in built.stderr
    assert "dipctl build --uncommitted" in built.stderr
    assert not (tmp_path / "site").exists()

    assert example.run("validate").exit_code == 0  # validate judges the edit as it is on disk
    item.write_text(item.read_text(encoding="utf-8").replace("status: diunggah", "status: x"))
    invalid = example.run("validate")
    assert invalid.exit_code == 1
    assert f"register/{HONEST}:" in invalid.stdout

    item.write_text(item.read_text(encoding="utf-8").replace("status: x", "status: diunggah"))
    preview = example.run("build", "--uncommitted", "--out", tmp_path / "site")
    assert preview.exit_code == 0, preview.stderr
    assert "peringatan:" in preview.stderr
    assert "bukan yang dinilai `dipctl verify`" in preview.stderr
    assert "Kajian" in (tmp_path / "site" / "dip.json").read_text(encoding="utf-8")

    commit_all(example.path, "suntingan")
    again = example.run("build", "--out", tmp_path / "site")
    assert again.exit_code == 0, again.stderr
    assert "peringatan" not in again.stderr


def test_a_broken_uncommitted_file_is_refused_as_uncommitted(example: Repo, tmp_path: Path) -> None:
    """The work tree is compared with HEAD in a forked process while the build reads the
    register (issue 21): a careless edit that also breaks the file is still refused as not
    HEAD's bytes (exit 4, the file named), never as the broken file the build read first."""
    item = example.register / HONEST
    item.write_text(item.read_text(encoding="utf-8") + "status: [rusak\n", encoding="utf-8")
    built = example.run("build", "--out", tmp_path / "site")
    assert built.exit_code == 4, built.stderr
    assert f"register/{HONEST} diubah setelah catatan terakhir" in built.stderr
    assert "Traceback" not in built.stderr and not (tmp_path / "site").exists()
    git(example.path, "checkout", "--", f"register/{HONEST}")
    assert example.run("build", "--out", tmp_path / "site").exit_code == 0


def test_an_edit_to_a_converted_file_is_an_edit_for_validate(example: Repo, tmp_path: Path) -> None:
    """validate refuses bytes git's checkout made, not an officer's edit made on top of them:
    git sees the change, and the bytes are not what checkout writes."""
    (example.path / ".gitattributes").write_text(f"register/{HONEST} eol=crlf\n")
    commit_all(example.path, "atribut")
    work = clone(example.path, tmp_path / "ci")
    item = work / "register" / HONEST
    assert example.run("validate").exit_code == 0
    assert dipctl("validate", "--register", work / "register").exit_code == 4
    item.write_bytes(item.read_bytes().replace(b"Dokumen Analisis", b"Kajian"))
    edited = dipctl("validate", "--register", work / "register")
    assert edited.exit_code == 0, edited.stderr
    assert dipctl("build", "--register", work / "register", "--out", tmp_path / "s").exit_code == 4


def test_the_refusal_names_the_first_file_and_counts_the_rest_in_english(
    example: Repo, tmp_path: Path
) -> None:
    (example.register / HONEST).unlink()
    (example.register / "catatan.txt").write_text("catatan\n", encoding="utf-8")
    result = example.run("build", "--out", tmp_path / "site", "--lang", "en")
    assert result.exit_code == 4
    assert "error: register/catatan.txt is not in the last commit (and 1 more" in result.stderr
    assert "move it out of the register" in result.stderr
    assert example.run("validate").exit_code == 1  # the deletion breaks references, not runs


# -- (c) untracked, linked and special files -----------------------------------------------


def test_an_untracked_file_stops_the_build(example: Repo, tmp_path: Path) -> None:
    extra = example.register / "informasi" / "bagian-kelembagaan" / "bo-tambahan.yaml"
    shutil.copy(example.register / HONEST, extra)
    result = example.run("build", "--out", tmp_path / "site")
    assert result.exit_code == 4
    untracked = "register/informasi/bagian-kelembagaan/bo-tambahan.yaml"
    assert f"{untracked} tidak ada di catatan terakhir" in result.stderr
    assert not (tmp_path / "site").exists()


def test_an_ignored_file_stops_the_build_too(example: Repo, tmp_path: Path) -> None:
    """git's ignore rules do not hide a file from the build, which reads the folder."""
    (example.path / ".git" / "info" / "exclude").write_text("*.bak\n")
    (example.register / "keputusan" / "lama.bak").write_text("x\n", encoding="utf-8")
    assert git(example.path, "status", "--porcelain") == ""
    result = example.run("build", "--out", tmp_path / "site")
    assert result.exit_code == 4
    assert "register/keputusan/lama.bak" in result.stderr


def test_a_linked_item_file_is_refused_by_build_and_validate(example: Repo, tmp_path: Path) -> None:
    item = example.register / HONEST
    elsewhere = tmp_path / "salinan.yaml"
    shutil.copy(item, elsewhere)  # the very same bytes, through a link
    item.unlink()
    item.symlink_to(elsewhere)
    built = example.run("build", "--out", tmp_path / "site")
    assert built.exit_code == 4
    assert f"register/{HONEST} bukan berkas biasa" in built.stderr
    assert "ganti dengan berkas biasa" in built.stderr
    validated = example.run("validate")
    assert validated.exit_code == 4
    assert f"register/{HONEST} bukan berkas biasa" in validated.stderr
    assert "ganti dengan berkas biasa" in validated.stderr


def test_a_fifo_and_a_folder_in_place_of_a_file_are_refused_without_hanging(
    example: Repo, tmp_path: Path
) -> None:
    os.mkfifo(example.register / "informasi" / "pipa.yaml")
    result = example.run("build", "--out", tmp_path / "site")
    assert result.exit_code == 4
    assert "register/informasi/pipa.yaml bukan berkas biasa" in result.stderr
    assert example.run("validate").exit_code == 4
    (example.register / "informasi" / "pipa.yaml").unlink()
    (example.register / HONEST).unlink()
    (example.register / HONEST).mkdir()
    for result in (example.run("validate"), example.run("build", "--out", tmp_path / "site")):
        assert result.exit_code == 4
        assert f"register/{HONEST} bukan berkas biasa" in result.stderr


def test_a_committed_link_is_refused_too(example: Repo, tmp_path: Path) -> None:
    """The build would follow it to bytes outside the commit."""
    logo = example.register / "tema" / "static" / "logo.svg"  # the example's logo, replaced
    logo.unlink()
    logo.symlink_to("/etc/hostname")
    commit_all(example.path, "tema")
    result = example.run("build", "--out", tmp_path / "site")
    assert result.exit_code == 4
    assert "register/tema/static/logo.svg bukan berkas biasa" in result.stderr


# -- (d) honest registers, and what is not checked -----------------------------------------


def reg_at(path: Path) -> Register:
    return find_register(path)


def test_an_honest_register_has_no_difference(example: Repo, tmp_path: Path) -> None:
    assert committed.differences(reg_at(example.register)) == []
    assert example.run("build", "--out", tmp_path / "site").exit_code == 0
    assert committed.differences(reg_at(example.register)) == []  # nothing left behind


def test_a_register_outside_git_or_before_its_first_commit_is_not_checked(
    tmp_path: Path,
) -> None:
    loose = tmp_path / "lepas" / "register"
    shutil.copytree(Path(__file__).parent.parent / "register", loose)
    assert committed.differences(reg_at(loose)) is None
    git(loose.parent, "init", "-q", "-b", "main")
    assert committed.differences(reg_at(loose)) is None
    result = dipctl("build", "--register", loose, "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr


def test_a_head_at_a_missing_commit_is_an_error_not_a_pass(example: Repo, tmp_path: Path) -> None:
    (example.path / ".git" / "refs" / "heads" / "main").write_text("0" * 39 + "1\n")
    result = example.run("build", "--out", tmp_path / "site")
    assert result.exit_code == 4
    assert "git ls-tree" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_register_at_the_top_skips_what_lies_beside_it(tmp_path: Path) -> None:
    top = tmp_path / "dip"
    shutil.copytree(Path(__file__).parent.parent / "register", top)
    git(top, "init", "-q", "-b", "main")
    (top / ".gitignore").write_text("/cetak/\n")
    commit_all(top, "register di puncak")
    (top / "cetak").mkdir()
    (top / "cetak" / "draf-sk.html").write_text("<p>draf</p>\n")
    (top / ".gitignore").write_text("/cetak/\n/tmp/\n")
    assert committed.differences(reg_at(top)) == []
    (top / "informasi" / "catatan.txt").write_text("x\n")
    assert committed.differences(reg_at(top)) == [
        committed.Difference("informasi/catatan.txt", "untracked")
    ]


def test_a_sha256_repository_is_compared_with_its_own_hash(tmp_path: Path) -> None:
    top = tmp_path / "sha256"
    shutil.copytree(Path(__file__).parent.parent / "register", top / "register")
    init = subprocess.run(
        ["git", "init", "-q", "-b", "main", "--object-format=sha256", str(top)],
        capture_output=True,
        check=False,
    )
    if init.returncode != 0:
        pytest.skip("this git cannot make a sha256 repository")
    commit_all(top, "register")
    assert committed.differences(reg_at(top / "register")) == []
    (top / "register" / "register.yaml").write_text("x: 1\n")
    assert committed.differences(reg_at(top / "register")) == [
        committed.Difference("register/register.yaml", "changed")
    ]
