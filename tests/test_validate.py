"""``dipctl validate``: a corpus of broken register files, each next to the problem it gives.

Every case writes a valid item first, then breaks one thing (or writes a broken file next to
it), and expects exit 1, no traceback, and one ``path:line: field: message`` naming that
file and line, in text and in ``--json``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dipctl.register import model
from tests.conftest import KASUBBAG, PPID, SEKRETARIS, dipctl

if TYPE_CHECKING:
    from collections.abc import Callable

MODELINE = "# yaml-language-server: $schema=../../informasi.schema.json\n"
ITEM = "informasi/sekretariat/renja-2027.yaml"
MEETING = "rapat/2026-11-25-penentuan.yaml"
DECREE = "keputusan/sk-2026-dip.yaml"
OUTSIDE = Path("../../../../outside.yaml")  # from informasi/sekretariat/ to tmp_path

VALID = (
    MODELINE  # line 1
    + "id: renja-2027\n"  # 2
    "judul: Rencana Kerja 2027\n"  # 3
    "ringkasan: Rencana kerja tahunan Sekretariat.\n"  # 4
    "unit: sekretariat\n"  # 5
    "penanggung_jawab: Kepala Subbagian Umum\n"  # 6
    'waktu_pembuatan: "2026"\n'  # 7
    "tempat_pembuatan: Palangka Raya\n"  # 8
    "bentuk: [softcopy, hardcopy]\n"  # 9
    "retensi: 5 tahun\n"  # 10
    "status: diajukan\n"  # 11
)
EXEMPT = VALID.replace(
    "status: diajukan\n",
    "kategori: dikecualikan\n"  # 11
    "pengecualian:\n"  # 12
    "  dasar_hukum: UU 14/2008 Pasal 17 huruf h\n"  # 13
    "  konsekuensi_dibuka: Data pribadi pegawai terbuka.\n"  # 14
    "  konsekuensi_ditutup: Data pribadi pegawai terlindungi.\n"  # 15
    "  jangka_waktu: 5 tahun\n"  # 16
    '  berakhir: "2031-12-31"\n'  # 17
    "  pasal: 17 huruf h\n"  # 18
    "  bagian: seluruhnya\n"  # 19
    "  kepentingan_publik: Privasi pegawai lebih besar daripada manfaat membukanya.\n"  # 20
    "  alasan: Memuat data pribadi pegawai.\n"  # 21
    '  tanggal_uji: "2026-01-15"\n'  # 22
    f"  penguji: [{PPID}, {SEKRETARIS}]\n"  # 23
    "status: diklasifikasi\n",  # 24
)
MEETING_TEXT = (
    "id: 2026-11-25-penentuan\n"  # 1
    'tanggal: "2026-11-25"\n'  # 2
    "tempat: Ruang Rapat Sekretariat\n"  # 3
    "peserta:\n"  # 4
    f"  - {PPID}\n"  # 5
    f"  - {SEKRETARIS}\n"  # 6
    "hasil:\n"  # 7
    "  - informasi: renja-2027\n"  # 8
    "    keputusan: ditentukan\n"  # 9
    "penyimpanan:\n"  # 10
    "  softcopy: Drive PPID\n"  # 11
    "  hardcopy: Lemari 1\n"  # 12
)
DECREE_TEXT = (
    "id: sk-2026-dip\n"  # 1
    "jenis: penetapan\n"  # 2
    "nomor: 800/12/2026\n"  # 3
    'tanggal: "2026-12-01"\n'  # 4
    "tentang: Penetapan Daftar Informasi Publik\n"  # 5
    "penandatangan: kepala@dinas.example.go.id\n"  # 6
    "informasi:\n"  # 7
    "  - renja-2027\n"  # 8
)
BOMB = (
    MODELINE
    + "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"  # line 2
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def edit(base: str, *pairs: str) -> str:
    """``base`` with each ``old`` replaced by ``new`` (each ``old`` must occur exactly once)."""
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert base.count(old) == 1, old
        base = base.replace(old, new)
    return base


def change(*pairs: str) -> Callable[[str], str]:
    """A mutation of a file that already exists (register.yaml)."""
    return lambda text: edit(text, *pairs)


def case(name, files, line, rule, field=None, path=None):
    """``files``: the item's text, or ``{path: content}``; the problem is in the first file
    (or ``path``), on ``line``: a number, or a text whose first line in that file is it."""
    files = files if isinstance(files, dict) else {ITEM: files}
    return pytest.param(files, path or next(iter(files)), line, rule, field, id=name)


def item(*pairs: str) -> str:
    return edit(VALID, *pairs)


REG = "register.yaml"
JUNK = b"\x00" + os.urandom(4096).replace(b"\n", b"")
# fmt: off
CASES = [
    # -- files that cannot be read as YAML ---------------------------------------------------
    case("empty", "", 1, "file.empty"),
    case("only-comment", MODELINE, 1, "file.not_mapping"),
    case("top-level-list", "- renja-2027\n- judul\n", 1, "file.not_mapping"),
    case("nul-byte", (MODELINE + "id: renja-2027\n\x00junk\n").encode(), 3, "file.binary"),
    case("binary-junk", JUNK, 1, "file.not_utf8|file.binary"),
    case("latin-1", item("Rencana Kerja", "Caf\xe9 Rakyat").encode("latin-1"), 3, "file.not_utf8"),
    case("alias-bomb", BOMB, 2, "file.alias"),
    case("anchor-alias", item("jawab: ", "jawab: &pj ", "Palangka Raya", "*pj"), 6, "file.alias"),
    case("5mb-value", VALID + "catatan: " + "x" * 5_000_000 + "\n", 1, "file.too_big"),
    case("syntax-colon", item("Kerja 2027", "Kerja: 2027"), 3, "file.yaml_colon"),
    case("syntax-tab", item("retensi", "\tretensi"), 10, "file.yaml_tab"),
    case("duplicate-key", VALID + "judul: Lagi\n", 12, "key.duplicate", "judul"),
    # -- item keys and values ----------------------------------------------------------------
    case("unknown-key", VALID + "warna: biru\n", 12, "key.unknown", "warna"),
    case("typo-key", VALID + "revisii: 1\n", 12, "key.unknown_near", "revisii"),
    case("missing-judul", item("judul: Rencana Kerja 2027\n", ""), 1, "key.missing", "judul"),
    case("judul-list", item("Rencana Kerja 2027", "[a, b]"), 3, "value.not_text", "judul"),
    case("bad-id", item("id: renja-2027", "id: Renja_2027"), 2, "value.bad_id", "id"),
    case("id-mismatch", item("id: renja-2027", "id: renja-2028"), 2, "item.id_mismatch", "id"),
    case("duplicate-id", {"informasi/program/renja-2027.yaml": item("sekretariat", "program")},
         2, "item.duplicate_id", "id", path=ITEM),
    case("unknown-unit", item("t: sekretariat", "t: keuangan"), 5, "item.unknown_unit", "unit"),
    case("outside-unit-folder", {"informasi/renja-2026.yaml": item("renja-2027", "renja-2026")},
         5, "item.outside_unit_folder", "unit"),
    case("other-units-folder",
         {"informasi/program/renja-2026.yaml": item("renja-2027", "renja-2026")}, 5,
         "item.wrong_folder", "unit"),
    case("year-unquoted", item('"2026"', "2025"), 7, "value.year_unquoted", "waktu_pembuatan"),
    case("date-unquoted", item('"2026"', "2025-03-01"), 7, "value.date_unquoted",
         "waktu_pembuatan"),
    case("bad-period", item('"2026"', '"2025/2026"'), 7, "value.not_period", "waktu_pembuatan"),
    case("bentuk-unknown", item("hardcopy", "mikrofilm"), 9, "value.not_one_of", "bentuk"),
    case("bentuk-not-list", item("[softcopy, hardcopy]", "softcopy"), 9, "value.forms", "bentuk"),
    case("bentuk-repeated", item("hardcopy]", "softcopy]"), 9, "value.repeated", "bentuk"),
    case("kategori-unknown", item("status:", "kategori: rahasia\nstatus:"), 11,
         "value.not_one_of", "kategori"),
    case("status-unknown", item("diajukan", "selesai"), 11, "value.not_one_of", "status"),
    case("revisi-negative", VALID + "revisi: -1\n", 12, "value.revision", "revisi"),
    case("tautan-not-http", VALID + "dokumen:\n  tautan: ftp://arsip.local/renja\n", 13,
         "value.url", "dokumen.tautan"),
    case("dokumen-not-mapping", VALID + "dokumen: https://x.go.id/a\n", 12, "value.not_mapping",
         "dokumen"),
    case("exempt-without-test", item("status: diajukan", "kategori: dikecualikan\nstatus: "
         "diklasifikasi"), 11, "item.exempt_without_test", "kategori"),
    case("exempt-test-incomplete", edit(EXEMPT, "  jangka_waktu: 5 tahun\n", ""), 12,
         "key.missing", "pengecualian"),
    case("berakhir-unquoted", edit(EXEMPT, '"2031-12-31"', "2031-12-31"), 17,
         "value.date_unquoted", "pengecualian.berakhir"),
    case("test-without-exempt", edit(EXEMPT, "dikecualikan", "berkala"), 12,
         "item.test_without_exempt", "pengecualian"),
    # -- issue 13.5: the sub-headings of berkala information
    case("subkategori-unknown", item("status:", "kategori: berkala\nsubkategori: lain\nstatus:"),
         12, "value.not_one_of", "subkategori"),
    case("subkategori-not-berkala", item("status:", "kategori: setiap-saat\nsubkategori: "
         "keuangan\nstatus:"), 12, "item.subcategory_not_periodic", "subkategori"),
    case("subkategori-control-char", item("status:", "kategori: berkala\nsubkategori: "
         '"keuangan\\u0007"\nstatus:'), 12, "value.not_one_of", "subkategori"),
    case("established-without-rapat", item("status: diajukan", "kategori: berkala\nstatus: "
         "ditetapkan"), 12, "item.established_without", "rapat"),
    case("unknown-rapat", VALID + "rapat: 2026-11-25-tidak-ada\n", 12, "item.unknown_ref", "rapat"),
    case("unknown-keputusan", VALID + "keputusan: sk-x\n", 12, "item.unknown_ref", "keputusan"),
    # -- register.yaml -----------------------------------------------------------------------
    case("register-unknown-key", {REG: lambda t: t + "warna: biru\n"}, "warna", "key.unknown"),
    case("register-syntax", {REG: change("singkatan: Dinas", "singkatan: Dinas:")}, "Dinas:",
         "file.yaml_colon"),
    case("register-duplicate-key", {REG: lambda t: t + "dasar_hukum: []\n"}, "hukum: []",
         "key.duplicate", "dasar_hukum"),
    case("person-without-email", {REG: change(f"    email: {SEKRETARIS}\n", "")},
         "- nama: Sekretaris", "key.missing", "orang[1]"),
    case("person-bad-email", {REG: change(f"email: {PPID}", "email: ppid-dinas")}, "ppid-dinas",
         "value.email", "orang[2].email"),
    case("person-unknown-role", {REG: change("[sekretaris]", "[sekretaris, bendahara]")},
         "bendahara", "value.not_one_of", "orang[1].peran"),
    case("person-bad-nip", {REG: change("Sekretaris\n", 'Sekretaris\n    nip: "1970"\n')},
         "nip:", "person.nip", "orang[1].nip"),
    case("kasubbag-without-units", {REG: change("    unit: [sekretariat]\n", "")},
         "- nama: Kasubbag Umum", "person.kasubbag_without_units", "orang[3].unit"),
    case("person-unknown-unit", {REG: change("[program]", "[program, keuangan]")}, "keuangan",
         "item.unknown_unit", "orang[4].unit"),
    case("jam-layanan-control-char", {REG: change("badan_publik:\n", 'badan_publik:\n'
         '  jam_layanan: "Senin\\u0007"\n')}, "jam_layanan", "value.control_char",
         "badan_publik.jam_layanan"),
    case("jam-layanan-not-text", {REG: change("badan_publik:\n", "badan_publik:\n"
         "  jam_layanan: [Senin]\n")}, "jam_layanan", "value.not_text", "badan_publik.jam_layanan"),
    case("register-empty", {REG: lambda t: ""}, 1, "file.empty"),
    case("bahasa-not-list", {REG: change("bahasa: [id, en]", "bahasa: 5")}, "bahasa: 5",
         "value.not_list", "situs.bahasa"),
    case("bad-duration", {REG: change("60 menit\n  peng", "sejam\n  peng")}, "sejam",
         "value.duration", "mutu_baku.penetapan"),
    # -- rapat/ and keputusan/ ---------------------------------------------------------------
    case("meeting-without-ppid", {MEETING: edit(MEETING_TEXT, PPID, "kepala@dinas.example.go.id")},
         4, "meeting.attendees", "peserta"),
    case("meeting-unknown-item", {MEETING: edit(MEETING_TEXT, ": renja-2027", ": renja-2099")},
         8, "record.unknown_item", "hasil[0].informasi"),
    case("meeting-without-storage", {MEETING: MEETING_TEXT.split("penyimpanan")[0]}, 1,
         "key.missing", "penyimpanan"),
    case("meeting-date-unquoted", {MEETING: edit(MEETING_TEXT, '"2026-11-25"', "2026-11-25")},
         2, "value.date_unquoted", "tanggal"),
    case("decree-signer-not-kepala", {DECREE: edit(DECREE_TEXT, "kepala@", "sekretaris@")},
         6, "decree.signer", "penandatangan"),
    case("decree-unknown-item", {DECREE: edit(DECREE_TEXT, "- renja-2027", "- renja-2099")},
         8, "record.unknown_item", "informasi[0]"),
    case("decree-unknown-kind", {DECREE: edit(DECREE_TEXT, "penetapan\n", "pengumuman\n")},
         2, "value.not_one_of", "jenis"),
    case("decree-item-not-id", {DECREE: edit(DECREE_TEXT, "- renja-2027", "- [renja-2027]")},
         8, "value.bad_id|record.unknown_item", "informasi[0]"),
    case("meeting-item-not-id", {MEETING: edit(MEETING_TEXT, ": renja-2027", ": [renja-2027]")},
         8, "value.bad_id|record.unknown_item", "hasil[0].informasi"),
]
# fmt: on


def write(repo, files):
    """Write the valid item, then each case file; return the text written per path."""
    written = {ITEM: VALID, **files}
    for rel, content in written.items():
        path = repo.register / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            (repo.path.parent / "outside.yaml").write_text(VALID, encoding="utf-8")
            path.symlink_to(content)
        elif callable(content):
            path.write_text(content(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return written


def line_of(repo, rel, line):
    if isinstance(line, int):
        return line
    lines = (repo.register / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if line in text)


def errors(result):
    """The problems of a ``--json`` run that make the register invalid (not the warnings
    about the kop and contact that the test register, made by a bare init, has)."""
    return [p for p in json.loads(result.stdout) if p["level"] == "error"]


def run_validate(repo, *args):
    result = repo.run("validate", *args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    return result


@pytest.mark.parametrize(("files", "path", "line", "rule", "field"), CASES)
def test_broken_file(repo, files, path, line, rule, field):
    write(repo, files)
    expected_line = line_of(repo, path, line)
    shown = f"register/{path}"
    result = run_validate(repo)
    assert result.exit_code == 1, result.stdout + result.stderr
    prefix = f"{shown}:{expected_line}: "
    assert any(out.startswith(prefix) for out in result.stdout.splitlines()), result.stdout

    result = run_validate(repo, "--json")
    assert result.exit_code == 1, result.stdout + result.stderr
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    assert problems
    for problem in problems:
        assert {"path", "line", "field", "rule", "message"} <= problem.keys()
        assert problem["message"]
        assert problem["message"] != problem["rule"]  # rendered, not a bare catalog key
    found = [
        p
        for p in problems
        if (p["path"], p["line"]) == (shown, expected_line) and p["rule"] in rule.split("|")
    ]
    assert found, problems
    if field is not None:
        assert field in [p["field"] for p in found], found
    seen = [(p["path"], p["line"], p["field"], p["rule"]) for p in problems]
    assert len(seen) == len(set(seen)), f"a problem is reported twice: {seen}"


def test_a_linked_file_is_refused_in_git_and_a_problem_outside_it(repo):
    """In git, validate refuses a link (exit 4: its bytes are not the committed ones, see
    tests/test_committed_bytes.py); a register outside git still reports it as a problem."""
    write(repo, {"informasi/sekretariat/evil.yaml": OUTSIDE})
    refused = run_validate(repo)
    assert refused.exit_code == 4
    assert "register/informasi/sekretariat/evil.yaml bukan berkas biasa" in refused.stderr
    shutil.rmtree(repo.path / ".git")
    result = run_validate(repo, "--json")
    assert result.exit_code == 1, result.stdout + result.stderr
    found = [p for p in json.loads(result.stdout) if p["rule"] == "file.symlink"]
    assert [p["path"] for p in found] == ["informasi/sekretariat/evil.yaml"]


def test_valid_register_passes(repo):
    write(repo, {MEETING: MEETING_TEXT, DECREE: DECREE_TEXT})
    result = run_validate(repo)
    assert result.exit_code == 0, result.stdout
    assert "valid" in result.stderr  # the summary is a message, not a result
    assert errors(run_validate(repo, "--json")) == []


def test_messages_follow_the_language(repo):
    write(repo, {ITEM: edit(VALID, "diajukan", "selesai")})
    indonesian = run_validate(repo)
    english = run_validate(repo, "--lang", "en")
    assert indonesian.exit_code == english.exit_code == 1
    assert "tidak dikenal" in indonesian.stdout
    assert "masalah" in indonesian.stderr
    assert "is unknown" in english.stdout
    assert "problems in" in english.stderr
    assert "tidak dikenal" not in english.stdout
    json_en = errors(run_validate(repo, "--json", "--lang", "en"))
    assert [p["rule"] for p in json_en] == ["value.not_one_of"]
    assert "is unknown" in json_en[0]["message"]


@pytest.mark.parametrize("editable", ["draf", "dikembalikan"])
def test_perki_fields_are_required_from_submission(repo, editable):
    result = repo.run("new", "--unit", "sekretariat", "--title", "Renja 2027", "--as", KASUBBAG)
    assert result.exit_code == 0, result.stderr
    path = repo.item("sekretariat", result.stdout.strip())
    draft = path.read_text(encoding="utf-8")
    path.write_text(draft.replace("status: draf", f"status: {editable}"), encoding="utf-8")
    assert run_validate(repo).exit_code == 0

    submitted = draft.replace("status: draf", "status: diajukan")
    path.write_text(submitted, encoding="utf-8")
    result = run_validate(repo, "--json")
    assert result.exit_code == 1
    missing = {p["field"]: p["line"] for p in errors(result)}
    lines = submitted.splitlines()
    expected = {
        key: next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))
        for key in ("ringkasan", "penanggung_jawab", "waktu_pembuatan", "bentuk", "retensi")
    }
    assert missing == expected
    assert set(expected) <= set(model.PERKI_KEYS)


def test_nested_key_reports_its_own_line(repo):
    write(repo, {ITEM: edit(EXEMPT, '"2031-12-31"', '"31-12-2031"')})
    result = run_validate(repo, "--json")
    assert result.exit_code == 1
    problems = errors(result)
    assert [(p["line"], p["field"], p["rule"]) for p in problems] == [
        (17, "pengecualian.berakhir", "value.not_date")
    ]
    permanent = edit(EXEMPT, '"2031-12-31"', "permanen")
    write(repo, {ITEM: permanent})
    assert run_validate(repo).exit_code == 0


def test_schema_matches_the_item_fields():
    result = dipctl("schema")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert tuple(schema["properties"]) == model.ITEM_KEYS
    assert {"id", "judul", "unit", "status"} <= set(schema["required"])
    assert schema["additionalProperties"] is False


def test_init_writes_the_same_schema(repo):
    written = (repo.register / model.ITEM_SCHEMA_FILE).read_text(encoding="utf-8")
    assert written == dipctl("schema").stdout


def test_a_broken_register_yaml_does_not_flood_every_item(repo) -> None:
    item = repo.item("sekretariat", "renja-2027")
    item.parent.mkdir(parents=True, exist_ok=True)
    item.write_text("id: renja-2027\njudul: Renja\nunit: sekretariat\nstatus: draf\n")
    (repo.register / "register.yaml").write_text("badan_publik: [\n", encoding="utf-8")
    result = repo.run("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "register/register.yaml:2: -: sintaks YAML tidak sah: did not find expected node content"
    ]
