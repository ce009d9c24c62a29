"""The consequence test without YAML (issue 20.1): `classify --category dikecualikan` asks
each key on a terminal; off a terminal `--set KEY=VALUE` and `--exemption FILE`, whose errors
name the file, line and key; the PPID Pembantu changes a test with `dipctl edit`."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from typer.testing import Result

from dipctl.i18n import Translator
from dipctl.register import editable, model
from tests.conftest import KASUBBAG, PPID, SEKRETARIS, Repo, git
from tests.test_edit import Terminal, edit_trailers, findings, forge
from tests.test_refusals import (
    EXEMPTION,
    assert_unchanged,
    drive,
    meeting_options,
    ok,
    refused,
    snapshot,
)

ITEM = "info-a"
tr = Translator("id")


def sets(test: Mapping[str, object]) -> list[str]:
    """``--set KEY=VALUE`` for each key of ``test`` (the participants separated by commas)."""
    args = []
    for key, value in test.items():
        text = ", ".join(value) if isinstance(value, list) else str(value)
        args += ["--set", f"{key}={text}"]
    return args


def classify(repo: Repo, *args: str | Path) -> Result:
    return repo.run("classify", ITEM, "--category", "dikecualikan", *args, "--as", PPID)


def test_the_ppid_answers_the_questions_on_a_terminal_and_the_result_verifies(
    repo: Repo,
) -> None:
    path = drive(repo, ITEM, "diteruskan")
    today = dt.datetime.now().astimezone().date().isoformat()
    term = Terminal(
        "classify", ITEM, "--category", "dikecualikan", "--register", repo.register, "--as", PPID
    )
    shown = term.answer("pasal pengecualian", "k")
    assert "Uji konsekuensi info-a" in shown
    assert "h. dapat mengungkap rahasia pribadi" in shown  # the letters listed and explained
    assert "g. dapat mengungkapkan isi akta otentik" in shown and "(boleh permanen)" in shown
    shown = term.answer("pasal pengecualian", "c")  # asked again, with the reason
    assert "'k' bukan pasal pengecualian yang sah" in shown
    assert "coba lagi." in shown
    term.answer("dasar hukum pengecualian [UU 14/2008 Pasal 17 huruf c]", "")
    term.answer("bagian yang dikecualikan [seluruhnya]", "")
    term.answer("konsekuensi bila dibuka", "-")
    shown = term.answer(
        "konsekuensi bila dibuka", "Rencana pengamanan gedung diketahui pihak lain."
    )
    assert "bukan uji yang sebenarnya" in shown
    term.answer("konsekuensi bila ditutup", "Pengamanan gedung tetap terjaga.")
    term.answer("pertimbangan kepentingan publik", "Keamanan lebih besar daripada manfaatnya.")
    term.answer("alasan pengecualian", "Memuat rencana pengamanan.")
    term.answer("jangka waktu pengecualian", "5 tahun")
    term.answer("pengecualian berakhir", "permanen")
    shown = term.answer("pengecualian berakhir", "2031-02-30")
    assert "huruf c tidak boleh permanen" in shown
    shown = term.answer("pengecualian berakhir", "2031-12-31")
    assert "2031-02-30" in shown and "coba lagi." in shown
    term.answer(f"tanggal uji konsekuensi [{today}]", "")
    shown = term.answer("penguji", "3")
    assert f"3. PPID Pembantu <{PPID}> (PPID Pembantu)" in shown  # the officers, numbered
    shown = term.answer("penguji", "3, 2; Budi Santoso — Ahli Hukum, Universitas Palangka Raya")
    assert "paling sedikit 2 penguji" in shown
    shown = term.answer("Simpan? ya / nomor 1–11 untuk mengubah / batal", "7")
    assert "Lembar uji konsekuensi:" in shown
    assert " 1. pasal pengecualian: 17 huruf c" in shown
    assert "Budi Santoso — Ahli Hukum, Universitas Palangka Raya" in shown
    term.answer(
        "alasan pengecualian [Memuat rencana pengamanan.]", "Memuat rencana pengamanan gedung."
    )
    term.answer("Simpan? ya / nomor 1–11 untuk mengubah / batal", "ya")
    assert term.finish() == 0, term.text
    assert "info-a\tditeruskan -> diklasifikasi" in term.text

    test = yaml.safe_load(path.read_text(encoding="utf-8"))["pengecualian"]
    assert test == {
        "pasal": "17 huruf c",
        "dasar_hukum": "UU 14/2008 Pasal 17 huruf c",
        "bagian": "seluruhnya",
        "konsekuensi_dibuka": "Rencana pengamanan gedung diketahui pihak lain.",
        "konsekuensi_ditutup": "Pengamanan gedung tetap terjaga.",
        "kepentingan_publik": "Keamanan lebih besar daripada manfaatnya.",
        "alasan": "Memuat rencana pengamanan gedung.",
        "jangka_waktu": "5 tahun",
        "berakhir": "2031-12-31",
        "tanggal_uji": today,
        "penguji": [PPID, SEKRETARIS, "Budi Santoso — Ahli Hukum, Universitas Palangka Raya"],
    }
    assert f'tanggal_uji: "{today}"' in path.read_text(encoding="utf-8")
    assert findings(repo) == []
    ok(repo.run("verify"))
    ok(repo.run("validate"))


def test_the_questions_in_english_and_the_end_of_input_writes_nothing(repo: Repo) -> None:
    drive(repo, ITEM, "diteruskan")
    before = snapshot(repo)
    reg = repo.register
    term = Terminal(
        "classify",
        ITEM,
        "--category",
        "dikecualikan",
        "--register",
        reg,
        "--as",
        PPID,
        "--lang",
        "en",
    )
    shown = term.answer("exemption article", "17 huruf h")
    assert "h. could reveal personal secrets" in shown and "(may be permanent)" in shown
    assert "the letter of Pasal 17 of UU 14/2008" in shown
    term.expect(r"\nlegal basis of the exemption \[UU 14/2008 Pasal 17 huruf h\]: ")
    os.write(term.master, b"\x04")
    assert term.finish() == 130, term.text
    assert "cancelled: nothing was written" in term.text
    assert_unchanged(repo, before)


def test_on_a_terminal_only_what_the_options_leave_open_is_asked(repo: Repo) -> None:
    path = drive(repo, ITEM, "diteruskan")
    given = {k: v for k, v in EXEMPTION.items() if k != "penguji"}
    reg = repo.register
    term = Terminal(
        "classify", ITEM, "--category", "dikecualikan", *sets({**given, "berakhir": "2031-02-30"}),
        "--register", reg, "--as", PPID,
    )  # fmt: skip
    shown = term.answer("pengecualian berakhir", "2031-12-31")  # the wrong one, with why
    assert "'2031-02-30' bukan tanggal" in shown and "pasal pengecualian:" not in shown
    term.answer("penguji", f"{PPID}; Budi — Dosen Hukum")  # the missing one
    term.answer("Simpan? ya / nomor 1–11 untuk mengubah / batal", "ya")
    assert term.finish() == 0, term.text
    test = yaml.safe_load(path.read_text(encoding="utf-8"))["pengecualian"]
    assert test == {**given, "penguji": [PPID, "Budi — Dosen Hukum"]}


def test_off_a_terminal_set_gives_each_key_and_the_refusal_is_short(
    repo: Repo, tmp_path: Path
) -> None:
    path = drive(repo, ITEM, "diteruskan")
    before = snapshot(repo)
    err = refused(classify(repo))
    lines = err.splitlines()
    assert len(lines) == 2, err  # the sentence and the hint, no list of every key
    assert "belum diisi: pasal, dasar_hukum, bagian dan 8 kunci lain" in lines[0]
    assert "README: Uji konsekuensi" in lines[1] and "--set KUNCI=NILAI" in lines[1]
    assert max(map(len, lines)) < 200
    # a wrong value given with --set: named by the option and the key
    err = refused(classify(repo, *sets({**EXEMPTION, "tanggal_uji": "2026-02-30"})))
    assert "salah pada tanggal_uji" in err.splitlines()[0]
    assert "--set: pengecualian.tanggal_uji: '2026-02-30' bukan tanggal" in err
    for args, says in (
        (["--set", "warna=biru"], "'warna' bukan kunci uji konsekuensi"),
        (["--set", "pasal"], "tulis --set KUNCI=NILAI"),
        (["--set", "alasan=" + "x" * 10_001], "10001"),
    ):
        result = classify(repo, *args)
        assert (result.exit_code, says in result.stderr) == (2, True), result.stderr
    result = repo.run("classify", ITEM, "--category", "berkala", "--set", "pasal=h", "--as", PPID)
    assert result.exit_code == 2 and "--category dikecualikan" in result.stderr
    assert_unchanged(repo, before)

    # --set over a file; the file's unquoted dates are the dates they say
    test_file = tmp_path / "uji.yaml"
    text = yaml.safe_dump({**EXEMPTION, "pasal": "17 huruf c"}, allow_unicode=True)
    test_file.write_text(text.replace("'2031-12-31'", "2031-12-31"), encoding="utf-8")
    assert "berakhir: 2031-12-31\n" in test_file.read_text(encoding="utf-8")
    ok(
        classify(
            repo,
            "--exemption",
            test_file,
            "--set",
            "pasal=h",
            "--set",
            "penguji=" + PPID,
            "--set",
            f"penguji={SEKRETARIS}; Budi — Dosen Hukum",
        )
    )
    test = yaml.safe_load(path.read_text(encoding="utf-8"))["pengecualian"]
    assert test["pasal"] == "17 huruf h" and test["berakhir"] == "2031-12-31"
    assert test["penguji"] == [PPID, SEKRETARIS, "Budi — Dosen Hukum"]
    assert 'berakhir: "2031-12-31"' in path.read_text(encoding="utf-8")
    assert findings(repo) == []


def test_errors_in_the_file_name_the_file_the_line_and_the_key(repo: Repo, tmp_path: Path) -> None:
    drive(repo, ITEM, "diteruskan")
    before = snapshot(repo)
    test_file = tmp_path / "uji.yaml"
    body = yaml.safe_dump(
        {**EXEMPTION, "berakhir": "permanen"}, allow_unicode=True, sort_keys=False
    )
    test_file.write_text(body.replace("17 huruf h", "17 huruf c", 1), encoding="utf-8")
    line = body.splitlines().index("berakhir: permanen") + 1
    err = refused(classify(repo, "--exemption", test_file))
    assert f"{test_file}:{line}: pengecualian.berakhir: " in err
    assert "tidak boleh permanen" in err
    # nested under pengecualian:, an impossible unquoted date is refused with its line
    test_file.write_text("pengecualian:\n  pasal: 17 huruf h\n  berakhir: 2031-02-30\n")
    result = classify(repo, "--exemption", test_file)
    assert result.exit_code == 4, result.stderr
    assert f"{test_file}:3:" in result.stderr
    # a number where a text belongs
    test_file.write_text(yaml.safe_dump({**EXEMPTION, "jangka_waktu": 5}, sort_keys=False))
    err = refused(classify(repo, "--exemption", test_file, "--lang", "en"))
    assert f"{test_file}:8: pengecualian.jangka_waktu: " in err
    assert "cannot be exempted" in err
    assert_unchanged(repo, before)


def test_the_ppid_changes_a_returned_test_with_edit(repo: Repo) -> None:
    path = drive(repo, ITEM, "diteruskan")
    ok(classify(repo, *sets(EXEMPTION)))
    meeting = ["meeting", ITEM, *meeting_options(), "--reject", ITEM, "-m", "Uji diulang"]
    ok(repo.run(*meeting, "--as", PPID))
    # dikembalikan: the test is the PPID's, not the kasubbag's
    result = repo.run("edit", ITEM, "--set", "pengecualian.jangka_waktu=3 tahun", "--as", KASUBBAG)
    assert result.exit_code == 3, result.stderr
    assert "hanya diubah oleh PPID Pembantu" in result.stderr
    ok(repo.run("submit", ITEM, "--as", KASUBBAG))
    ok(repo.run("review", ITEM, "--approve", "--as", SEKRETARIS))
    before = snapshot(repo)
    result = repo.run(
        "edit",
        ITEM,
        "--set",
        "pengecualian.berakhir=permanen",
        "--set",
        "pengecualian.pasal=17 huruf c",
        "--as",
        PPID,
    )
    assert result.exit_code == 2, result.stderr
    assert "pengecualian.berakhir" in result.stderr and "tidak boleh permanen" in result.stderr
    result = repo.run("edit", ITEM, "--set", "pengecualian.penguji=", "--as", PPID)
    assert result.exit_code == 2 and "tidak boleh dikosongkan" in result.stderr
    assert_unchanged(repo, before)
    out = ok(
        repo.run(
            "edit",
            ITEM,
            "--set",
            "pengecualian.tanggal_uji=2026-02-01",
            "--set",
            f"pengecualian.penguji={PPID}, {SEKRETARIS}, Siti — Ahli Arsip",
            "--as",
            PPID,
        )
    ).stdout
    assert out == f"{ITEM}\tpengecualian.tanggal_uji, pengecualian.penguji\n"
    text = path.read_text(encoding="utf-8")
    assert 'tanggal_uji: "2026-02-01"' in text and "- Siti — Ahli Arsip" in text
    assert "DIP-Role: ppid_pembantu" in repo.log("-1", "--format=%B")
    # on a terminal, edit --all asks the test too, each key with its value as the default
    term = Terminal("edit", ITEM, "--all", "--register", repo.register, "--as", PPID)
    for field in editable.EDITABLE:
        term.expect(rf"\n{re.escape(tr(f'field.{field.key}'))}( \[[^\n]*\])?: ")
        os.write(term.master, b"\n")
    for key in model.EXEMPTION_KEYS:
        label = tr(f"field.pengecualian.{key}")
        term.expect(rf"\n{re.escape(label)} \[[^\n]*\]: ")
        answer = "Memuat data pribadi pegawai dan keluarganya." if key == "alasan" else ""
        os.write(term.master, answer.encode() + b"\n")
    assert "Enter mempertahankan nilai yang ada" in term.text
    term.answer("Simpan? ya / nomor 1–11 untuk mengubah / batal", "ya")
    assert term.finish() == 0, term.text
    assert repo.log("-1", "--format=%s") == f"dip(edit): {ITEM}: pengecualian.alasan\n"
    # plain git: the sekretaris changes the test of a diteruskan item, as if an edit
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"2031-12-31"', '"2040-12-31"'), encoding="utf-8")
    forge(repo, SEKRETARIS, edit_trailers("sekretaris", ITEM))
    assert "edit" in {f["rule"] for f in findings(repo)}
    git(repo.path, "reset", "-q", "--hard", "HEAD~1")
    ok(classify(repo))  # the edited test, from the item file
    assert findings(repo) == []
    # an item without a test has none to change
    drive(repo, "info-b", "diteruskan")
    result = repo.run("edit", "info-b", "--set", "pengecualian.pasal=h", "--as", PPID)
    assert result.exit_code == 3 and "belum memiliki uji konsekuensi" in result.stderr
    assert git(repo.path, "status", "--porcelain") == ""
