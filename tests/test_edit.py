"""`dipctl edit` and the questions of `edit` and `new` (issue 14.3): an officer fills an item
from `new` to `submit` without an editor; only the editor of the item's status may edit it;
verify tells a real edit from a forged one; YAML mistakes are told in plain words."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import KASUBBAG, KASUBBAG_PROGRAM, PPID, SEKRETARIS, Repo, commit_all, git

ITEM = "renja-2027"


def head(repo: Repo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


def ok(repo: Repo, *args: str) -> str:
    result = repo.run(*args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def draft(repo: Repo) -> Path:
    ok(
        repo,
        "new",
        "--unit",
        "sekretariat",
        "--title",
        "Renja 2027",
        "--id",
        ITEM,
        "--as",
        KASUBBAG,
    )
    return repo.item("sekretariat", ITEM)


FILL = (
    "--summary",
    "Rencana kerja Sekretariat tahun 2027",
    "--responsible",
    "Kepala Subbagian Umum",
    "--made",
    "2026",
    "--form",
    "softcopy",
    "--retention",
    "5 tahun",
)


def findings(repo: Repo) -> list[dict[str, str]]:
    result = repo.run("verify", "--json")
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, str]] = json.loads(result.stdout)
    return found


# -- a pseudo-terminal ---------------------------------------------------------------------


class Terminal:
    """``python -m dipctl …`` with its stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, *args: str | Path) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "EDITOR": "false", "VISUAL": "false", "COLUMNS": "200"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dipctl", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.text = ""
        self.seen = 0

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the child closed the terminal
            return False
        self.text += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return bool(chunk)

    def expect(self, pattern: str, timeout: float = 20) -> str:
        """Wait for ``pattern`` after the last match; returns what came before it."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while True:
            found = regex.search(self.text, self.seen)
            if found:
                before = self.text[self.seen : found.start()]
                self.seen = found.end()
                return before
            if time.monotonic() > deadline or (
                not self._read(0.2) and self.proc.poll() is not None
            ):
                raise AssertionError(f"{pattern!r} not in {self.text[self.seen :]!r}")

    def answer(self, prompt: str, text: str) -> str:
        before = self.expect(rf"\n{re.escape(prompt)}: ")
        os.write(self.master, text.encode() + b"\n")
        return before

    def wait_exit(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.proc.poll() is not None

    def finish(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        while self._read(0.05):
            pass
        os.close(self.master)
        return self.proc.wait(timeout=5)


def test_an_officer_fills_an_item_from_new_to_submit_without_an_editor(repo: Repo) -> None:
    reg = repo.register
    term = Terminal("new", "--register", reg, "--as", KASUBBAG)
    shown = term.answer("unit", "gudang")
    assert "unit yang menguasai informasi" in shown
    assert "pilihan: program, sekretariat" in shown
    assert "dipisah koma" not in shown  # one unit: not offered several
    shown = term.answer("unit", "sekretariat")  # asked again after the bad answer
    assert "--unit 'gudang' tidak dikenal" in shown
    assert "coba lagi." in shown
    term.answer("judul", "Rencana Kerja 2027")
    assert term.finish() == 0, term.text
    assert "rencana-kerja-2027" in term.text
    path = repo.item("sekretariat", "rencana-kerja-2027")
    assert path.is_file()

    term = Terminal("edit", "rencana-kerja-2027", "--register", reg, "--as", KASUBBAG)
    shown = term.answer("ringkasan", "Rencana kerja Sekretariat tahun 2027")
    assert "Ctrl-C membatalkan" in shown
    term.answer("penanggung jawab", "Kepala Subbagian Umum")
    shown = term.answer("waktu pembuatan", "kemarin")
    assert "tahun (2025), bulan (2025-03)" in shown
    shown = term.answer("waktu pembuatan", "2026")
    assert "'kemarin' bukan waktu yang sah" in shown
    shown = term.answer("bentuk", "softcopy, hardcopy")
    assert "pilihan: softcopy, hardcopy (beberapa dipisah koma)" in shown
    term.answer("retensi", "5 tahun")
    assert term.finish() == 0, term.text
    assert "tempat pembuatan:" not in term.text  # filled by `new`: not asked without --all

    text = path.read_text(encoding="utf-8")
    assert 'waktu_pembuatan: "2026"' in text
    assert "bentuk: [softcopy, hardcopy]" in text
    ok(repo, "submit", "rencana-kerja-2027", "--as", KASUBBAG)
    log = repo.log("--format=%ae %s", "-3").splitlines()
    assert log == [
        f"{KASUBBAG} dip(submit): rencana-kerja-2027 draf -> diajukan",
        f"{KASUBBAG} dip(edit): rencana-kerja-2027: ringkasan, penanggung_jawab, "
        "waktu_pembuatan, bentuk, retensi",
        f"{KASUBBAG} dip(new): rencana-kerja-2027 -> draf",
    ]
    assert findings(repo) == []
    assert git(repo.path, "status", "--porcelain") == ""


@pytest.mark.parametrize("stop", ["ctrl-c", "eof"])
def test_stopping_the_questions_writes_nothing(repo: Repo, stop: str) -> None:
    path = draft(repo)
    before, text = head(repo), path.read_text(encoding="utf-8")
    term = Terminal("edit", ITEM, "--register", repo.register, "--as", KASUBBAG)
    term.answer("ringkasan", "Sudah diisi")
    term.expect(r"\npenanggung jawab: ")
    if stop == "ctrl-c":
        # a signal between the prompt and the read is only seen at the next one (CPython's
        # input()): send again until it stops, as an impatient officer would press twice
        for _ in range(10):
            term.proc.send_signal(signal.SIGINT)
            if term.wait_exit(1.0):
                break
    else:
        os.write(term.master, b"\x04")
    assert term.finish() == 130, term.text
    assert "dibatalkan: tidak ada yang ditulis atau dicatat" in term.text
    assert (head(repo), path.read_text(encoding="utf-8")) == (before, text)
    assert git(repo.path, "status", "--porcelain") == ""


# -- options -------------------------------------------------------------------------------


def test_edit_sets_fields_keeping_comments_and_order_as_one_commit(repo: Repo) -> None:
    path = draft(repo)
    text = path.read_text(encoding="utf-8")
    text = text.replace("judul:", "# disusun bersama Bagian Perencanaan\njudul:", 1)
    path.write_text(text.replace("unit: sekretariat", "unit: sekretariat  # unit pengelola"))
    commit_all(repo.path, "komentar", KASUBBAG)
    before = head(repo)
    out = ok(
        repo,
        "edit",
        ITEM,
        *FILL,
        "--link",
        "https://dinas.example.go.id/renja.pdf",
        "--set",
        "dokumen.arsip=Lemari 2, map Renja",
        "--as",
        KASUBBAG,
    )
    assert out.startswith(f"{ITEM}\tringkasan, penanggung_jawab")
    assert git(repo.path, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    text = path.read_text(encoding="utf-8")
    assert "# disusun bersama Bagian Perencanaan\njudul: Renja 2027\n" in text
    assert "unit: sekretariat  # unit pengelola\n" in text
    assert text.index("retensi:") < text.index("dokumen:") < text.index("status: draf")
    assert "dokumen:\n  tautan: https://dinas.example.go.id/renja.pdf\n  arsip: Lemari 2" in text
    body = repo.log("-1", "--format=%an <%ae>%n%B")
    assert body.startswith(f"Kasubbag Umum <{KASUBBAG}>\ndip(edit): {ITEM}: ringkasan")
    assert "DIP-Action: edit\nDIP-Role: kasubbag\nDIP-Item: renja-2027" in body
    assert git(repo.path, "show", "--name-only", "--format=", "HEAD").split() == [
        f"register/informasi/sekretariat/{ITEM}.yaml"
    ]
    ok(repo, "submit", ITEM, "--as", KASUBBAG)  # kelengkapan passes
    # the sekretaris corrects in diajukan; an empty value removes an optional field
    ok(repo, "edit", ITEM, "--title", "Rencana Kerja 2027", "--archive", "", "--as", SEKRETARIS)
    assert "arsip" not in path.read_text(encoding="utf-8")
    assert repo.log("-1", "--format=%B").count("DIP-Role: sekretaris") == 1
    ok(repo, "review", ITEM, "--approve", "--as", SEKRETARIS)
    ok(repo, "edit", ITEM, "--retention", "10 tahun", "--as", PPID)  # diteruskan: the PPID
    assert findings(repo) == []


def test_an_edit_that_changes_nothing_makes_no_commit(repo: Repo) -> None:
    draft(repo)
    ok(repo, "edit", ITEM, *FILL, "--as", KASUBBAG)
    before = head(repo)
    result = repo.run(
        "edit", ITEM, "--summary", "Rencana kerja Sekretariat tahun 2027", "--as", KASUBBAG
    )
    assert result.exit_code == 0, result.stderr
    assert "tidak ada yang berubah; tidak ada yang dicatat" in result.stderr
    assert result.stdout == ""
    assert head(repo) == before


def test_the_wrong_role_and_the_wrong_status_are_refused(repo: Repo) -> None:
    path = draft(repo)
    text = path.read_text(encoding="utf-8")
    for who in (SEKRETARIS, PPID, KASUBBAG_PROGRAM):  # draf: only the unit's kasubbag
        result = repo.run("edit", ITEM, "--summary", "X", "--as", who)
        assert result.exit_code == 3, result.stderr
        assert f"{ITEM} berstatus draf: isinya hanya boleh diubah oleh kasubbag" in result.stderr
        assert KASUBBAG in result.stderr and f"bukan {who}" in result.stderr
        assert f"dipctl edit {ITEM}" in result.stderr
    ok(repo, "edit", ITEM, *FILL, "--as", KASUBBAG)
    ok(repo, "submit", ITEM, "--as", KASUBBAG)
    result = repo.run("edit", ITEM, "--summary", "X", "--as", KASUBBAG)
    assert result.exit_code == 3
    assert "berstatus diajukan: isinya hanya boleh diubah oleh sekretaris" in result.stderr
    ok(repo, "review", ITEM, "--approve", "--as", SEKRETARIS)
    ok(repo, "classify", ITEM, "--category", "berkala", "--as", PPID)
    text = path.read_text(encoding="utf-8")
    result = repo.run("edit", ITEM, "--summary", "X", "--as", PPID, "--lang", "en")
    assert result.exit_code == 3
    assert f"{ITEM} is diklasifikasi: its content can no longer be changed" in result.stderr
    assert "next step: ppid_pembantu: dipctl meeting" in result.stderr
    assert "dipctl undo" in result.stderr
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--set", "status=diajukan"), 3, "status dikelola dipctl"),
        (("--set", "catatan=sudah"), 3, "catatan dikelola dipctl"),
        (("--set", "revisi=2"), 3, "revisi dikelola dipctl"),
        (("--set", "kategori=berkala"), 2, "dipctl classify ID --category"),
        (("--set", "unit=program"), 2, "tidak diubah dengan dipctl edit"),
        (("--set", "warna=biru"), 2, "'warna' bukan isian yang dapat diubah"),
        (("--set", "ringkasan"), 2, "tulis --set KUNCI=NILAI"),
        (("--made", "kemarin"), 2, "--made (waktu_pembuatan): 'kemarin' bukan waktu"),
        (("--made", "2026-02-30"), 2, "bukan tanggal yang ada"),
        (("--form", "kertas"), 2, "'kertas' tidak dikenal; pilihan: softcopy, hardcopy"),
        (("--form", "softcopy", "--form", "softcopy"), 2, "ditulis lebih dari sekali"),
        (("--link", "javascript:alert(1)"), 2, "harus diawali https://"),
        (("--title", ""), 2, "--title (judul): nilai tidak boleh kosong"),
        (("--summary", "Renja\u202e7202"), 2, "U+202E"),
        (("--summary", "a\x1bb"), 2, "U+001B"),
        (("--summary", "x" * 10_001), 2, "10001"),
        (("--all", "--summary", "x"), 2, "--all hanya untuk tanya-jawab"),
        ((), 2, "jalankan dipctl edit renja-2027 di terminal"),
    ],
)
def test_bad_edits_are_refused_before_anything_is_written(
    repo: Repo, args: tuple[str, ...], code: int, says: str
) -> None:
    path = draft(repo)
    before, text = head(repo), path.read_text(encoding="utf-8")
    result = repo.run("edit", ITEM, *args, "--as", KASUBBAG)
    assert result.exit_code == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert (head(repo), path.read_text(encoding="utf-8")) == (before, text)


def test_edit_refuses_a_managed_field_changed_by_hand_first(repo: Repo) -> None:
    path = draft(repo)
    path.write_text(path.read_text(encoding="utf-8").replace("status: draf", "status: diajukan"))
    result = repo.run("edit", ITEM, "--summary", "X", "--as", KASUBBAG)
    assert result.exit_code == 3
    assert "status pada renja-2027 dikelola dipctl" in result.stderr


def test_new_without_its_required_options_off_a_terminal_is_a_usage_error(repo: Repo) -> None:
    result = repo.run("new", "--title", "Renja", "--as", KASUBBAG)
    assert result.exit_code == 2
    assert "--unit wajib diisi" in result.stderr
    result = repo.run("new", "--unit", "sekretariat", "--as", KASUBBAG, "--lang", "en")
    assert (result.exit_code, "--title is required" in result.stderr) == (2, True)


# -- verify: a real edit, and forged ones --------------------------------------------------


def forge(repo: Repo, who: str, message: str) -> None:
    git(repo.path, "add", "-A")
    git(repo.path, "-c", "user.name=Pemalsu", "-c", f"user.email={who}", "commit", "-qm", message)


def edit_trailers(role: str, item: str = ITEM) -> str:
    return f"dip(edit): {item}\n\nDIP-Action: edit\nDIP-Role: {role}\nDIP-Item: {item}"


def test_verify_catches_forged_edits(repo: Repo) -> None:
    path = draft(repo)
    ok(repo, "edit", ITEM, *FILL, "--as", KASUBBAG)
    assert findings(repo) == []

    def run(who: str, message: str, old: str, new: str) -> set[str]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new), encoding="utf-8")
        forge(repo, who, message)
        sha = head(repo)
        found = {f["rule"] for f in findings(repo) if f["commit"] == sha}
        git(repo.path, "reset", "-q", "--hard", "HEAD~1")
        return found

    # the sekretaris edits a draf with plain git, claiming to be the kasubbag's edit
    assert run(SEKRETARIS, edit_trailers("kasubbag"), "5 tahun", "1 tahun") == {"edit"}
    # ... or without any trailer
    assert run(SEKRETARIS, "perbaiki retensi", "5 tahun", "1 tahun") == {"edit"}
    # the kasubbag's real edit under the wrong role
    assert run(KASUBBAG, edit_trailers("sekretaris"), "5 tahun", "1 tahun") == {"trailers"}
    # an "edit" that names another item than the one it changes
    assert run(KASUBBAG, edit_trailers("kasubbag", "lain-2027"), "5 tahun", "1 tahun") == {
        "trailers"
    }
    # a managed field changed by the editor with plain git, as an edit
    assert "managed" in run(
        KASUBBAG,
        edit_trailers("kasubbag"),
        "status: draf",
        "status: draf\ncatatan: sudah diperiksa",
    )
    # an "edit" that moves the status
    assert "transition" in run(
        KASUBBAG, edit_trailers("kasubbag"), "status: draf", "status: diajukan"
    )
    # the same content change by the right officer verifies clean
    assert run(KASUBBAG, edit_trailers("kasubbag"), "5 tahun", "1 tahun") == set()


# -- YAML mistakes in plain words ----------------------------------------------------------

YAML_MISTAKES = [
    (
        "tab",
        ("unit: sekretariat", "\tunit: sekretariat"),
        5,
        "ada karakter tab di baris ini",
        "this line has a tab character",
    ),
    (
        "unclosed-quote",
        ("judul: Renja 2027", 'judul: "Renja 2027'),
        3,
        'tanda petik " yang dibuka di baris ini tidak pernah ditutup',
        'the quote " opened on this line is never closed',
    ),
    (
        "text-after-quote",
        ("judul: Renja 2027", 'judul: "Renja" 2027'),
        3,
        "ada teks setelah tanda petik penutup",
        "there is text after the closing quote",
    ),
    (
        "bad-indent",
        ("unit: sekretariat", "  unit: sekretariat"),
        5,
        "indentasi baris ini tidak sesuai",
        "this line is indented wrongly",
    ),
    (
        "colon",
        ("judul: Renja 2027", "judul: Renja: 2027"),
        3,
        "nilai berisi titik dua (: ) tanpa tanda petik; beri petik pada nilainya: "
        'judul: "Renja: 2027"',
        "the value contains a colon",
    ),
    (
        "no-colon",
        ("judul: Renja 2027", "judul Renja 2027"),
        3,
        "baris ini berisi kunci tanpa titik dua",
        "this line has a key without its colon",
    ),
    (
        "reserved",
        ("judul: Renja 2027", "judul: @Renja"),
        3,
        "nilai diawali karakter @ yang punya arti khusus di YAML; beri petik pada nilainya: "
        'judul: "@Renja"',
        "the value starts with the character @",
    ),
    (
        "bracket",
        ("bentuk: []", "bentuk: [softcopy"),
        9,
        "kurung [ yang dibuka di baris ini tidak ditutup",
        "the bracket [ opened on this line",
    ),
]


def broken(repo: Repo, old: str, new: str) -> Path:
    path = draft(repo)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "change", "line", "id_text", "en_text"),
    YAML_MISTAKES,
    ids=[m[0] for m in YAML_MISTAKES],
)
def test_yaml_mistakes_are_told_in_plain_words(
    repo: Repo, name: str, change: tuple[str, str], line: int, id_text: str, en_text: str
) -> None:
    path = broken(repo, *change)
    rel = f"register/informasi/sekretariat/{ITEM}.yaml"
    result = repo.run("validate")
    assert result.exit_code == 1
    assert f"{rel}:{line}: -: {id_text}" in result.stdout, result.stdout
    result = repo.run("validate", "--lang", "en")
    assert f"{rel}:{line}: -: {en_text}" in result.stdout, result.stdout
    # the editing reader (ruamel.yaml) words it the same way
    result = repo.run("edit", ITEM, "--retention", "5 tahun", "--as", KASUBBAG)
    assert result.exit_code == 4, result.stderr
    assert f"{path}:{line}: {id_text}" in result.stderr
    assert "Traceback" not in result.stderr and "scanning" not in result.stderr


def test_a_duplicate_key_is_named_with_its_line(repo: Repo) -> None:
    path = broken(repo, "status: draf", "judul: Renja lagi\nstatus: draf")
    result = repo.run("validate")
    assert (
        "informasi/sekretariat/renja-2027.yaml:11: judul: kunci ini ditulis dua kali; "
        "hapus salah satunya" in result.stdout
    )
    result = repo.run("edit", ITEM, "--retention", "5 tahun", "--as", KASUBBAG)
    assert result.exit_code == 4
    assert f"{path}:11: kunci judul ditulis dua kali; hapus salah satunya" in result.stderr


def test_an_unknown_parser_error_keeps_its_line_and_words(tmp_path: Path) -> None:
    from dipctl.register import syntax

    class Mark:
        line, column = 6, 2

    class Strange(Exception):
        problem, context, problem_mark, context_mark = "something new", None, Mark(), None

    error = syntax.explain(Strange(), tmp_path / "x.yaml", "a: 1\n" * 8)
    assert (error.key, error.params["line"], error.params["detail"]) == (
        "file.syntax",
        7,
        "something new",
    )


def test_a_perki_field_cannot_be_emptied_once_submitted(repo: Repo) -> None:
    draft(repo)
    ok(repo, "edit", ITEM, *FILL, "--as", KASUBBAG)
    ok(repo, "submit", ITEM, "--as", KASUBBAG)
    before = head(repo)
    result = repo.run("edit", ITEM, "--summary", "", "--as", SEKRETARIS)
    assert result.exit_code == 3
    assert "ringkasan wajib diisi untuk renja-2027 yang berstatus diajukan" in result.stderr
    assert head(repo) == before


def test_all_asks_every_field_with_its_current_value_as_the_default(repo: Repo) -> None:
    path = draft(repo)
    ok(repo, "edit", ITEM, *FILL, "--as", KASUBBAG)
    term = Terminal("edit", ITEM, "--register", repo.register, "--as", KASUBBAG)
    assert term.finish() == 0
    assert "semua isian Perki renja-2027 sudah terisi" in term.text
    term = Terminal("edit", ITEM, "--all", "--register", repo.register, "--as", KASUBBAG)
    for prompt, answer in [
        ("judul [Renja 2027]", ""),
        ("ringkasan [Rencana kerja Sekretariat tahun 2027]", ""),
        ("penanggung jawab [Kepala Subbagian Umum]", ""),
        ("waktu pembuatan [2026]", ""),
        ("tempat pembuatan [Palangka Raya]", ""),
        ("bentuk [softcopy]", ""),
        ("retensi [5 tahun]", "10 tahun"),
        ("tautan dokumen", ""),
        ("arsip dokumen", "Lemari 1"),
    ]:
        term.answer(prompt, answer)
    assert term.finish() == 0, term.text
    assert repo.log("-1", "--format=%s") == f"dip(edit): {ITEM}: retensi, dokumen.arsip\n"
    text = path.read_text(encoding="utf-8")
    assert "retensi: '10 tahun'" in text or "retensi: 10 tahun" in text
    assert "arsip: Lemari 1" in text
