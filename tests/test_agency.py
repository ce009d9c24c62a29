"""The agency's form, complete by default (issue 19.6): ``init`` takes the kop, the PPID's
contact and service hours and the head's NIP (options, or questions on a terminal);
``validate`` warns of each missing piece and ``build`` of a site without a PPID contact; a
consequence test with a placeholder where the weighing should be is refused."""

from __future__ import annotations

import html
import json
import os
import re
import signal
from pathlib import Path

import pytest
import yaml

from dipctl.register import exemption
from tests.conftest import KEPALA, PEOPLE, PPID, Repo, commit_all, dipctl, git
from tests.test_consequence import classify
from tests.test_edit import Terminal
from tests.test_official_form import KOP, LOGO, _meeting_args, _official, _to_meeting
from tests.test_refusals import (
    EXEMPTION,
    assert_unchanged,
    drive,
    error_line,
    ok,
    refused,
    snapshot,
)
from tests.test_sop import ok as sop_ok

FORM = {
    "--government": "Pemerintah Kota Palangka Raya",
    "--address": "Jalan Tjilik Riwut Km. 5, Palangka Raya 73112",
    "--phone": "(0536) 3221234",
    "--email": "ppid@dinas.example.go.id",
    "--website": "https://dinas.example.go.id",
    "--hours": "Senin–Kamis pukul 08.00–15.30 WIB",
    "--head-nip": "19700101 199503 1 001",
}
AGENCY_KEYS = ("pemerintah", "alamat", "telepon", "email", "situs", "jam_layanan")
BASE = ("--agency", "Dinas Contoh", "--head-name", "Kepala Dinas", "--head-email", KEPALA)


def init_with_form(path: Path, *extra: str) -> Repo:
    """``init`` with the whole form, then the four officers and the program unit of the
    ``repo`` fixture, committed by the head."""
    form = [a for option, value in FORM.items() for a in (option, value)]
    made = dipctl("init", path, *BASE, "--place", "Palangka Raya", "--unsigned", *form, *extra)
    assert made.exit_code == 0, made.stderr
    config = path / "register" / "register.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("    peran: [kepala]\n", "    peran: [kepala]\n" + PEOPLE, 1)
    config.write_text(text.replace("unit:\n", "unit:\n  program:\n    nama: Program\n", 1))
    commit_all(path, "orang: empat pejabat")
    return Repo(path)


def kop_of(page: str) -> str:
    """The text of the kop of a printed paper."""
    found = re.search(r'<header class="kop.*?</header>', page, re.S)
    assert found, page[:500]
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0)))


def test_init_with_the_form_gives_a_complete_kop(tmp_path: Path) -> None:
    repo = init_with_form(tmp_path / "dinas")
    agency = yaml.safe_load((repo.register / "register.yaml").read_text("utf-8"))["badan_publik"]
    assert agency["pemerintah"] == FORM["--government"]
    assert agency["jam_layanan"] == FORM["--hours"]
    head = yaml.safe_load((repo.register / "register.yaml").read_text("utf-8"))["orang"][0]
    assert head["nip"] == "197001011995031001"  # 18 digits, as validate wants it
    _to_meeting(repo)
    sop_ok(repo, *_meeting_args())
    minutes = (repo.register / "rapat" / "2026-11-25-penentuan-dip.html").read_text("utf-8")
    draft = tmp_path / "draf-sk.html"
    sop_ok(
        repo, "decree", "draft", "--number", "1/2026", "--date", "2026-11-26", "--out", str(draft)
    )
    decree = draft.read_text(encoding="utf-8")
    for page in (minutes, decree):
        kop = " ".join(kop_of(page).split())
        assert "PEMERINTAH KOTA PALANGKA RAYA" in kop
        assert "DINAS CONTOH" in kop
        for option in ("--address", "--phone", "--email", "--website"):
            assert FORM[option] in kop, (option, kop)
    assert "NIP. 19700101 199503 1 001" in decree  # the head signs the SK with a NIP
    # the register is complete but for the logo: one warning, nothing else
    checked = repo.run("validate", "--json")
    assert checked.exit_code == 0, checked.stdout
    assert [p["rule"] for p in json.loads(checked.stdout)] == ["agency.missing_logo"]
    assert repo.run("verify").exit_code == 0


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--email", "ppid-at-dinas"),
        ("--website", "dinas.example.go.id"),
        ("--website", "javascript:alert(1)"),
        ("--head-nip", "1970"),
        ("--head-nip", "19700101199503100A"),
        ("--phone", "(0536)\x1b[31m 1"),
        ("--address", "Jalan A\nNomor 1"),
        ("--government", "Pemerintah\u202eKota"),
    ],
)
def test_init_refuses_a_bad_form_value_naming_the_option(
    tmp_path: Path, option: str, value: str
) -> None:
    result = dipctl("init", tmp_path / "d", *BASE, "--unsigned", option, value)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert option in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d" / "register").exists()


def test_init_off_a_terminal_asks_nothing_and_validate_warns_of_each_gap(repo: Repo) -> None:
    """The ``repo`` fixture is a bare init (no kop options, stdin not a terminal)."""
    agency = yaml.safe_load((repo.register / "register.yaml").read_text("utf-8"))["badan_publik"]
    assert not set(AGENCY_KEYS) & set(agency)
    result = repo.run("validate")
    assert result.exit_code == 0, result.stdout  # warnings leave the register valid
    lines = result.stdout.splitlines()
    for key in AGENCY_KEYS:
        line = next(x for x in lines if f": badan_publik.{key}: " in x)
        assert line.startswith("register/register.yaml:")
        assert "peringatan:" in line and "register.yaml" in line.split(": peringatan: ")[1]
    assert any(x.startswith("register/tema/static/logo.svg:") for x in lines)
    assert len(lines) == len(AGENCY_KEYS) + 1
    assert "7 peringatan" in result.stderr
    purposes = {"pemerintah": "PEMERINTAH", "jam_layanan": "jam layanan", "situs": "situs web"}
    for key, said in purposes.items():
        assert said in next(x for x in lines if f"badan_publik.{key}:" in x)
    english = repo.run("validate", "--json", "--lang", "en")
    assert english.exit_code == 0
    found = json.loads(english.stdout)
    assert {p["level"] for p in found} == {"warning"}
    assert {p["field"] for p in found} == {f"badan_publik.{k}" for k in AGENCY_KEYS} | {""}
    assert all("register.yaml" in p["message"] for p in found if p["field"])
    assert "logo.png" in next(p["message"] for p in found if not p["field"])


def test_a_complete_form_leaves_no_warning_and_a_warning_hides_no_error(repo: Repo) -> None:
    _official(repo)  # KOP and a logo: only jam_layanan is missing
    found = json.loads(repo.run("validate", "--json").stdout)
    assert [(p["field"], p["level"]) for p in found] == [("badan_publik.jam_layanan", "warning")]
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(KOP, KOP + "  jam_layanan: Senin–Jumat\n"), encoding="utf-8")
    clean = repo.run("validate")
    assert clean.exit_code == 0 and clean.stdout == "", clean.stdout
    (repo.register / "tema" / "static" / "logo.svg").unlink()
    (repo.register / "tema" / "static" / "logo.png").write_bytes(LOGO)  # either logo will do
    assert repo.run("validate").stdout == ""
    config.write_text(text.replace("  email: ppid@", "  email: bukan-email ppid@"))
    broken = repo.run("validate")
    assert broken.exit_code == 1
    assert "badan_publik.email" in broken.stdout and "1 peringatan" in broken.stderr


def test_build_warns_when_the_site_shows_no_ppid_contact(repo: Repo, tmp_path: Path) -> None:
    bare = repo.run("build", "--out", tmp_path / "a")
    assert bare.exit_code == 0, bare.stderr
    assert "PPID" in bare.stderr and "peringatan" in bare.stderr
    _official(repo)
    built = repo.run("build", "--out", tmp_path / "b")
    assert built.exit_code == 0 and "badan_publik" not in built.stderr, built.stderr


# -- questions on a terminal -----------------------------------------------------------------


def test_init_asks_for_the_form_on_a_terminal(tmp_path: Path) -> None:
    term = Terminal("init", tmp_path / "d", *BASE, "--unsigned", "--phone", "(0536) 1")
    term.answer("Pemerintah", "Pemerintah Kabupaten Contoh")
    term.answer("Alamat kantor", "")  # Enter: left out
    term.answer("Email PPID", "bukan email")
    term.answer("Email PPID", "ppid@kabupaten.example.go.id")  # asked again after the error
    term.answer("Situs web", "kabupaten.example.go.id")
    term.answer("Situs web", "https://kabupaten.example.go.id")
    term.answer("Jam layanan", "Senin–Jumat pukul 08.00–16.00 WIB")
    term.answer("NIP kepala", "197001011995031001")
    assert term.finish() == 0, term.text
    assert "--email" in term.text and "--website" in term.text  # each error names its option
    assert "Telepon:" not in term.text  # given as an option: not asked
    data = yaml.safe_load((tmp_path / "d" / "register" / "register.yaml").read_text("utf-8"))
    assert data["badan_publik"] | {"nama": "-", "singkatan": "-"} == {
        "nama": "-",
        "singkatan": "-",
        "tempat": "-",
        "pemerintah": "Pemerintah Kabupaten Contoh",
        "telepon": "(0536) 1",
        "email": "ppid@kabupaten.example.go.id",
        "situs": "https://kabupaten.example.go.id",
        "jam_layanan": "Senin–Jumat pukul 08.00–16.00 WIB",
    }
    assert data["orang"][0]["nip"] == "197001011995031001"


@pytest.mark.parametrize("stop", ["ctrl-c", "end-of-input"])
def test_stopping_the_questions_makes_nothing(tmp_path: Path, stop: str) -> None:
    term = Terminal("init", tmp_path / "d", *BASE, "--unsigned")
    term.answer("Pemerintah", "Pemerintah Kabupaten Contoh")
    term.expect(r"\nAlamat kantor: ")
    if stop == "ctrl-c":  # sent until seen, as in tests/test_edit.py
        for _ in range(10):
            term.proc.send_signal(signal.SIGINT)
            if term.wait_exit(1.0):
                break
    else:
        os.write(term.master, b"\x04")
    assert term.finish() == 130, term.text
    assert not (tmp_path / "d").exists()


# -- a placeholder is no consequence test ------------------------------------------------------

PLACEHOLDERS = ["-", "n/a", "N/A", "tidak ada", "…", "...", "Lihat lampiran.", "tidak ada data"]


@pytest.mark.parametrize("key", exemption.REASONED_KEYS)
@pytest.mark.parametrize("value", ["-", "tidak ada"])
def test_classify_refuses_a_placeholder_naming_the_key(
    repo: Repo, tmp_path: Path, key: str, value: str
) -> None:
    drive(repo, "info-a", "diteruskan")
    before = snapshot(repo)
    err = refused(classify(repo, tmp_path, {**EXEMPTION, key: value}))
    assert key in error_line(err), err
    test_file = tmp_path / "uji.yaml"  # named with the line of the key
    line = next(
        n
        for n, text in enumerate(test_file.read_text(encoding="utf-8").splitlines(), start=1)
        if text.startswith(f"{key}:")
    )
    assert f"{test_file}:{line}: pengecualian.{key}: '{value}'" in err
    others = [k for k in exemption.REASONED_KEYS if k != key]
    assert not any(k in error_line(err) for k in others)
    assert_unchanged(repo, before)


def test_a_placeholder_in_the_item_file_is_refused_naming_the_file(repo: Repo) -> None:
    path = drive(repo, "info-a", "diteruskan")
    block = yaml.safe_dump({"pengecualian": {**EXEMPTION, "alasan": "n/a"}}, allow_unicode=True)
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    result = repo.run("classify", "info-a", "--category", "dikecualikan", "--as", PPID)
    err = refused(result)
    assert "alasan" in error_line(err)
    line = path.read_text(encoding="utf-8").splitlines().index("  alasan: n/a") + 1
    assert f"{path.relative_to(repo.path).as_posix()}:{line}: pengecualian.alasan" in err


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_what_counts_as_a_placeholder(text: str) -> None:
    assert exemption.is_placeholder(text)


@pytest.mark.parametrize(
    "text",
    [
        "Privasi pegawai terlindungi.",
        "Membuka data pribadi pegawai.",
        "Data pribadi (NIK, alamat) dapat disalahgunakan.",
    ],
)
def test_three_words_of_weighing_pass(text: str) -> None:
    assert not exemption.is_placeholder(text)


def test_a_placeholder_written_by_hand_after_classify_is_a_validate_problem(
    repo: Repo, tmp_path: Path
) -> None:
    """A careless PPID replaces the weighing with "-" by plain git once the item is
    classified: validate (the CI gate) names the key; the draft of a revision is not judged
    until it is classified again."""
    drive(repo, "info-a", "diteruskan")
    ok(classify(repo, tmp_path, EXEMPTION))
    path = next(repo.register.glob("informasi/*/info-a.yaml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  kepentingan_publik: .*$", "  kepentingan_publik: '-'", text))
    git(repo.path, "-c", "user.name=P", "-c", f"user.email={PPID}", "commit", "-qam", "uji")
    result = repo.run("validate", "--json")
    assert result.exit_code == 1
    found = [p for p in json.loads(result.stdout) if p["level"] == "error"]
    assert [(p["field"], p["rule"]) for p in found] == [
        ("pengecualian.kepentingan_publik", "exemption.placeholder")
    ]
    status = re.sub(r"(?m)^status: diklasifikasi$", "status: diteruskan", path.read_text("utf-8"))
    path.write_text(status, encoding="utf-8")
    assert [
        p for p in json.loads(repo.run("validate", "--json").stdout) if p["level"] == "error"
    ] == []


def test_the_example_registers_exempt_items_pass(example: Repo) -> None:
    result = example.run("validate", "--json")
    assert result.exit_code == 0, result.stdout
    assert not [p for p in json.loads(result.stdout) if p["rule"] == "exemption.placeholder"]
