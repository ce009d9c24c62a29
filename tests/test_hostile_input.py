"""Issue 11 points 3, 4 and 6, each through the CLI in a real repository: a broken file is
reported but stops only what needs it; every input gets a clean answer (never exit 5);
calendar data, invisible characters and URLs are checked; import files are bounded."""

from __future__ import annotations

import time
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import KASUBBAG, KEPALA, Repo, commit_all

ESTABLISHED = "informasi/bagian-kelembagaan/bo-analisis-beban-kerja-2025.yaml"


def _new(repo: Repo, title: str, *extra: str) -> object:
    return repo.run("new", "--unit", "sekretariat", "--title", title, "--as", KASUBBAG, *extra)


def _put(repo: Repo, item_id: str, text: str) -> Path:
    path = repo.item("sekretariat", item_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _item(unit: str, item_id: str, status: str = "draf", extra: str = "") -> str:
    return f"id: {item_id}\njudul: Judul\nunit: {unit}\nstatus: {status}\n{extra}"


# -- 3: degrade, don't stop ----------------------------------------------------------------


def test_a_broken_draft_is_reported_but_stops_only_what_needs_it(repo: Repo) -> None:
    full: tuple[str, ...] = (
        "--summary",
        "Ringkasan",
        "--responsible",
        "Sekretaris",
        "--made",
        "2025",
    )
    full += ("--place", "Palangka Raya", "--form", "softcopy", "--retention", "5 tahun")
    assert _new(repo, "Satu", *full).exit_code == 0  # type: ignore[attr-defined]
    broken = repo.item("sekretariat", "rusak")
    broken.write_text("id: rusak\nstatus: draf\njudul: [tidak ditutup\n", encoding="utf-8")
    for command in (("list",), ("status",)):
        result = repo.run(*command)
        assert result.exit_code == 0, result.stderr
        assert "informasi/sekretariat/rusak.yaml:" in result.stderr
        assert "validate" in result.stderr  # what to do
    assert "satu" in repo.run("list").stdout
    assert repo.run("submit", "satu", "--as", KASUBBAG).exit_code == 0
    assert _new(repo, "Dua").exit_code == 0  # type: ignore[attr-defined]
    # a preview of this work tree: the broken draft was never committed (in CI, a committed
    # broken file whose status cannot be told stops the build: _refuse_broken_public)
    build = repo.run("build", "--uncommitted", "--out", repo.path / "site")
    assert build.exit_code == 0, build.stderr
    assert "rusak.yaml" in build.stderr
    refused = repo.run("submit", "rusak", "--as", KASUBBAG)
    assert refused.exit_code == 4
    assert "rusak.yaml:" in refused.stderr
    assert repo.run("validate").exit_code == 1


def test_a_broken_established_item_stops_the_build_only(example: Repo) -> None:
    path = example.register / ESTABLISHED
    path.write_text(path.read_text(encoding="utf-8") + "judul: [\n", encoding="utf-8")
    assert example.run("list").exit_code == 0
    assert example.run("status").exit_code == 0
    build = example.run("build", "--out", example.path / "site")
    assert build.exit_code == 4
    assert "bo-analisis-beban-kerja-2025.yaml" in build.stderr
    assert not (example.path / "site" / "dip.json").exists()


def test_a_folder_named_like_an_item_is_found_by_validate_and_skipped_by_status(
    repo: Repo,
) -> None:
    (repo.register / "informasi" / "sekretariat" / "x.yaml").mkdir(parents=True)
    assert repo.run("status").exit_code == 0
    assert repo.run("list").exit_code == 0
    result = repo.run("validate")
    assert result.exit_code == 1
    assert "informasi/sekretariat/x.yaml:1" in result.stdout


# -- 4: every input has a clean answer -----------------------------------------------------


@pytest.mark.parametrize("char", ["\x1b", "\x85", "\x9b", "\x07", "\x7f"])
def test_raw_control_characters_in_a_file_are_refused_with_the_line(repo: Repo, char: str) -> None:
    _put(repo, "kendali", _item("sekretariat", "kendali") + f"ringkasan: a{char}b\n")
    result = repo.run("validate")
    assert result.exit_code == 1
    assert "informasi/sekretariat/kendali.yaml:5: -: " in result.stdout
    assert f"U+{ord(char):04X}" in result.stdout
    assert repo.run("list").exit_code == 0


@pytest.mark.parametrize("title", ["a\x1bb", "a\x00b", "x\u202eevil", "zero\u200bwidth", "a\x9bb"])
def test_new_refuses_control_and_invisible_characters_in_the_title(repo: Repo, title: str) -> None:
    result = _new(repo, title)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "--title" in result.stderr  # type: ignore[attr-defined]


def test_escaped_control_characters_are_findings_and_never_crash_the_outputs(
    example: Repo,
) -> None:
    path = example.register / ESTABLISHED
    text = path.read_text(encoding="utf-8")
    text = "\n".join(
        'judul: "Analisis\\x1b[31m \\x07 Beban"' if line.startswith("judul:") else line
        for line in text.splitlines()
    )
    path.write_text(text + "\n", encoding="utf-8")
    result = example.run("validate")
    assert result.exit_code == 1
    assert "judul" in result.stdout and "U+001B" in result.stdout
    commit_all(example.path, "judul dengan kode kendali")  # what CI would build
    build = example.run("build", "--out", example.path / "site")
    assert build.exit_code == 0, build.stderr
    xml.dom.minidom.parse(str(example.path / "site" / "feed.xml"))
    export = example.run("export", "--format", "xlsx", "--out", example.path / "dip.xlsx")
    assert export.exit_code == 0, export.stderr


@pytest.mark.parametrize(
    "extra",
    [
        "keputusan: [a, b]\nrapat: {x: 1}\n",
        "revisi: " + "9" * 5000 + "\n",
        "revisi: 99999999999999999999\n",
        "ringkasan: " + "[" * 2000 + "]" * 2000 + "\n",
        "bentuk: [[softcopy], {a: b}]\n",
        "waktu_pembuatan: 2026-02-30\n",
        "pengecualian: [1, 2]\n",
        "dokumen: {tautan: [x]}\n",
    ],
)
def test_wrong_types_are_findings(repo: Repo, extra: str) -> None:
    _put(repo, "aneh", _item("sekretariat", "aneh", "ditetapkan", extra))
    for command in ("validate", "list", "status"):
        result = repo.run(command)
        assert result.exit_code in (0, 1), (command, result.stderr)
    assert repo.run("validate").exit_code == 1
    build = repo.run("build", "--out", repo.path / "site")
    assert build.exit_code in (0, 4), build.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    peran: [kepala]\n", "    peran: 7\n"),
        ("orang:\n", "orang: 7\nlama:\n"),
        ("unit:\n", "unit: [a, b]\nlama:\n"),
        ("    peran: [kepala]\n", "    peran: [kepala]\n    unit: 3\n"),
    ],
)
def test_wrong_types_in_register_yaml_are_findings(repo: Repo, old: str, new: str) -> None:
    config = repo.register / "register.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = repo.run("validate")
    assert result.exit_code == 1, result.stderr
    assert "register.yaml:" in result.stdout
    assert repo.run("status").exit_code in (0, 4)


def test_validate_is_linear_in_unknown_keys(repo: Repo) -> None:
    keys = "".join(f"k{n}: 1\n" for n in range(10_000))
    _put(repo, "kunci", _item("sekretariat", "kunci") + keys)
    start = time.perf_counter()
    result = repo.run("validate")
    assert result.exit_code == 1
    assert result.stdout.count("kunci.yaml") >= 10_000
    assert time.perf_counter() - start < 6


# -- 6: real calendar data, invisible characters, URLs --------------------------------------


@pytest.mark.parametrize("made", ["2026-13", "2026-02-30", "2026-06 s.d. 2026-01", "0000"])
def test_new_refuses_a_made_time_that_is_no_real_date(repo: Repo, made: str) -> None:
    result = _new(repo, "Waktu", "--made", made)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "--made" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("made", ["2026-13", "2026-02-30", "2026-06 s.d. 2026-01"])
def test_validate_and_submit_refuse_a_made_time_that_is_no_real_date(repo: Repo, made: str) -> None:
    assert _new(repo, "Waktu", "--made", "2026").exit_code == 0  # type: ignore[attr-defined]
    path = repo.item("sekretariat", "waktu")
    path.write_text(
        path.read_text(encoding="utf-8").replace('"2026"', f'"{made}"'), encoding="utf-8"
    )
    result = repo.run("validate")
    assert result.exit_code == 1
    assert "waktu_pembuatan" in result.stdout and made in result.stdout
    submit = repo.run("submit", "waktu", "--as", KASUBBAG)
    assert submit.exit_code == 3
    assert "waktu_pembuatan" in submit.stderr


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u2060", "\ufeff"])
def test_bidi_and_invisible_characters_in_public_text_are_findings(repo: Repo, char: str) -> None:
    _put(repo, "arah", _item("sekretariat", "arah") + f"ringkasan: isi{char}lain\n")
    result = repo.run("validate")
    assert result.exit_code == 1
    assert f"U+{ord(char):04X}" in result.stdout


@pytest.mark.parametrize(
    "url", ['https://a.example/"><x', "javascript:alert(1)", "https://a b.example/", "http://"]
)
def test_urls_in_settings_are_validated_and_escaped(example: Repo, url: str) -> None:
    config = example.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "  base_url: https://biroorganisasi.kaltengprov.go.id/dip/", f"  base_url: '{url}'"
    )
    text = text.replace("  situs: https://biroorganisasi.kaltengprov.go.id", f"  situs: '{url}'")
    config.write_text(text, encoding="utf-8")
    result = example.run("validate")
    assert result.exit_code == 1
    assert "situs.base_url" in result.stdout and "badan_publik.situs" in result.stdout
    commit_all(example.path, "alamat situs")  # what CI would build
    build = example.run("build", "--out", example.path / "site")
    assert build.exit_code == 0, build.stderr
    xml.dom.minidom.parse(str(example.path / "site" / "feed.xml"))
    if (example.path / "site" / "sitemap.xml").exists():
        xml.dom.minidom.parse(str(example.path / "site" / "sitemap.xml"))


def test_a_document_link_must_be_a_clean_url(repo: Repo) -> None:
    _put(
        repo,
        "tautan",
        _item("sekretariat", "tautan") + "dokumen: {tautan: 'https://x.example/\"a'}\n",
    )
    result = repo.run("validate")
    assert result.exit_code == 1
    assert "dokumen.tautan" in result.stdout


# -- 4: import files are bounded before they are loaded ------------------------------------


def _xlsx(tmp_path: Path, name: str, sheet_xml: bytes) -> Path:
    base = tmp_path / "base.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No", "Ringkasan Isi Informasi"])
    book.save(base)
    out = tmp_path / name
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml if sheet_xml else data[:-40]
            zout.writestr(info.filename, data)
    return out


_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>%s</sheetData>%s</worksheet>"
)


@pytest.mark.parametrize(
    ("name", "xml_", "key"),
    [
        ("merge", _SHEET % (b"", b'<mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>'), "baris"),  # noqa: E501
        ("far", _SHEET % (b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', b""), "baris"),
        ("bomb", _SHEET % (b"", b" " * 120_000_000), "dibuka"),
        ("broken", b"", "tidak dapat dibaca"),
        ("badref", _SHEET % (b'<row r="1"><c r="1A"><v>1</v></c></row>', b""), "tidak dapat"),
        ("entity", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + _SHEET % (b"", b"&a;"), ""),  # noqa: E501
    ],
)  # fmt: skip
def test_hostile_xlsx_is_refused_quickly_and_cleanly(
    repo: Repo, tmp_path: Path, name: str, xml_: bytes, key: str
) -> None:
    path = _xlsx(tmp_path, f"{name}.xlsx", xml_)
    start = time.perf_counter()
    result = repo.run("import", path, "--number", "1/2024", "--date", "2024-01-01", "--as", KEPALA)
    assert time.perf_counter() - start < 10
    assert result.exit_code in ((3, 4) if name == "entity" else (4,)), result.stderr
    assert key in result.stderr


def test_csv_over_the_bounds_is_refused(repo: Repo, tmp_path: Path) -> None:
    wide = tmp_path / "lebar.csv"
    wide.write_text(",".join(["x"] * 500) + "\n", encoding="utf-8")
    result = repo.run("import", wide, "--number", "1", "--date", "2024-01-01", "--as", KEPALA)
    assert result.exit_code == 4
    assert "kolom" in result.stderr
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"No,Ringkasan\n1,a\x00b\n\xff\n")
    result = repo.run("import", nul, "--number", "1", "--date", "2024-01-01", "--as", KEPALA)
    assert result.exit_code == 4
