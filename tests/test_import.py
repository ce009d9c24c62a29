"""``dipctl import``: DIP spreadsheets laid out the way agencies lay them out, made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from dipctl.errors import Incomplete, NotAuthorized
from dipctl.exchange import importer
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, KEPALA, Repo, git

BERKALA = "A. Informasi yang Wajib Disediakan dan Diumumkan Secara Berkala"
SERTA_MERTA = "B. Informasi yang Wajib Diumumkan Serta-merta"
SETIAP_SAAT = "C. Informasi yang Wajib Tersedia Setiap Saat"


def _book(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def _plan(repo: Repo, path: Path, unit_map: dict[str, str] | None = None) -> importer.ImportPlan:
    reg = find_register(repo.register)
    return importer.parse(
        importer.read_rows(path), reg.settings.units, unit_map or {}, taken=importer.taken_ids(reg)
    )


def _import(repo: Repo, path: Path, **kw: Any) -> importer.Result:
    reg = find_register(repo.register)
    plan = _plan(repo, path, kw.pop("unit_map", None))
    assert plan.problems == []
    return importer.commit(reg, plan, "800/12/PPID/2024", "2024-12-20", KEPALA, **kw)


def _items(repo: Repo) -> dict[str, dict[str, Any]]:
    found = {}
    for path in (repo.register / "informasi").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.parent.name == data["unit"]
        found[data["judul"]] = data
    return found


def _head(repo: Repo) -> str:
    return git(repo.path, "rev-parse", "HEAD").strip()


# -- layout 1: category header rows, merged title cells, "v" ticks under a merged header ---


def layout_one(path: Path) -> Path:
    rows: list[list[Any]] = [
        ["DAFTAR INFORMASI PUBLIK DINAS CONTOH TAHUN 2024"] + [None] * 7,
        [None] * 8,
        ["No", "Ringkasan Isi Informasi", "Pejabat/Unit/Satker yang Menguasai Informasi",
         "Penanggung Jawab Pembuatan/Penerbitan", "Waktu dan Tempat Pembuatan",
         "Bentuk Informasi yang Tersedia", None, "Jangka Waktu Penyimpanan"],
        [None, None, None, None, None, "Softcopy", "Hardcopy", None],
        [BERKALA] + [None] * 7,
        ["1", "Rencana Strategis Dinas 2021-2026. Memuat visi, misi dan sasaran.",
         "Sub Bagian Program", "Kepala Subbagian Program", "2021, Palangka Raya", "v", "v",
         "5 tahun"],
        ["2", "Laporan Keuangan Tahun 2023", "Sekretariat", "Sekretaris Dinas",
         "Palangka Raya, 2024", "✓", None, "10 tahun"],
        [None] * 8,
        [SERTA_MERTA] + [None] * 7,
        ["1", "Informasi Peringatan Dini Banjir", "Sekretariat", "Sekretaris Dinas",
         "Januari 2024 Palangka Raya", "√", None, "1 tahun"],
    ]  # fmt: skip
    merges = ("A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3", "H3:H4")
    return _book(path, rows, (*merges, "A5:H5", "A9:H9"))


def test_layout_with_category_rows_merged_headers_and_ticks(repo: Repo, tmp_path: Path) -> None:
    result = _import(repo, layout_one(tmp_path / "dip.xlsx"))
    items = _items(repo)
    renstra = items["Rencana Strategis Dinas 2021-2026"]
    assert renstra == {
        "id": "rencana-strategis-dinas-2021-2026",
        "judul": "Rencana Strategis Dinas 2021-2026",
        "ringkasan": "Rencana Strategis Dinas 2021-2026. Memuat visi, misi dan sasaran.",
        "unit": "program",
        "penanggung_jawab": "Kepala Subbagian Program",
        "waktu_pembuatan": "2021",
        "tempat_pembuatan": "Palangka Raya",
        "bentuk": ["softcopy", "hardcopy"],
        "retensi": "5 tahun",
        "kategori": "berkala",
        "status": "ditetapkan",
        "keputusan": result.decree,
    }
    keuangan = items["Laporan Keuangan Tahun 2023"]
    assert (keuangan["unit"], keuangan["kategori"], keuangan["bentuk"]) == (
        "sekretariat",
        "berkala",
        ["softcopy"],
    )
    assert keuangan["waktu_pembuatan"] == "2024"
    banjir = items["Informasi Peringatan Dini Banjir"]
    assert (banjir["kategori"], banjir["waktu_pembuatan"], banjir["tempat_pembuatan"]) == (
        "serta-merta",
        "2024-01",
        "Palangka Raya",
    )
    assert len(items) == 3


def test_one_commit_by_the_kepala_that_validates(repo: Repo, tmp_path: Path) -> None:
    before = _head(repo)
    result = _import(repo, layout_one(tmp_path / "dip.xlsx"))
    assert git(repo.path, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert result.commit == _head(repo)
    log = repo.log("-1", "--format=%ae%n%ce%n%B")
    assert log.startswith(f"{KEPALA}\n{KEPALA}\ndip(import): impor DIP 3 informasi, 800/12/PPID")
    assert "DIP-Action: import" in log and "DIP-Role: kepala" in log
    assert log.count("DIP-Item: ") == 3
    decree = yaml.safe_load((repo.register / "keputusan" / f"{result.decree}.yaml").read_text())
    assert decree["jenis"] == "penetapan" and decree["nomor"] == "800/12/PPID/2024"
    assert decree["tanggal"] == "2024-12-20" and decree["penandatangan"] == KEPALA
    assert decree["lampiran"] == sorted(i["id"] for i in result.items)  # the complete DIP
    assert decree["menetapkan"] == decree["lampiran"]
    assert git(repo.path, "status", "--porcelain").strip() == ""
    assert decree["sumber"] == "impor"  # so validate asks for no meeting record
    verified = repo.run("verify")  # an import by a kepala is a trust root
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_validate_passes_after_import(repo: Repo, tmp_path: Path) -> None:
    _import(repo, layout_one(tmp_path / "dip.xlsx"))
    checked = repo.run("validate")
    assert checked.exit_code == 0, checked.stdout + checked.stderr


# -- layout 2: a Kategori column, combined Waktu dan Tempat, 1.a / a) numbering ------------


def layout_two(path: Path) -> Path:
    rows: list[list[Any]] = [
        ["  No. ", "Kategori", "Jenis Informasi", "Ringkasan Isi",
         "Pejabat / Unit yang Menguasai", "Penanggungjawab", "Waktu dan Tempat",
         "Bentuk Informasi", "Retensi"],
        ["1", "Berkala", "1. Profil Badan Publik", None, None, None, None, None, None],
        ["1.a", " Berkala ", "1.a  Struktur   Organisasi ", "Bagan struktur organisasi dinas",
         "  sekretariat", "Kepala Subbagian Umum", "2024, Palangka Raya", "Softcopy, Hardcopy",
         "Selama berlaku"],
        [None] * 9,
        ["a)", "Setiap Saat", "a) Daftar Aset", "Daftar barang milik daerah", "SEKRETARIAT",
         "Pengurus Barang", "Palangka Raya, Januari - Juni 2024", "Hardcopy", 5],
        ["1)", "Serta Merta", "Pengumuman Kegiatan", "Pengumuman kegiatan dinas",
         "Subbagian  Program", "Kepala Subbagian Program", dt.date(2024, 3, 7),
         "Elektronik", "2 tahun"],
    ]  # fmt: skip
    return _book(path, rows)


def test_layout_with_a_category_column_and_combined_time_and_place(
    repo: Repo, tmp_path: Path
) -> None:
    path = layout_two(tmp_path / "dip.xlsx")
    plan = _plan(repo, path)
    # the third row has no place: the Excel date is read, and the missing place reported
    assert [(p.row_number, p.message_key) for p in plan.problems] == [(6, "import.missing")]
    assert plan.problems[0].params == {"fields": "tempat_pembuatan"}
    items = {i["judul"]: i for i in plan.items}
    struktur = items["Struktur Organisasi"]
    assert struktur["kategori"] == "berkala" and struktur["unit"] == "sekretariat"
    assert struktur["bentuk"] == ["softcopy", "hardcopy"]
    assert (struktur["waktu_pembuatan"], struktur["tempat_pembuatan"]) == ("2024", "Palangka Raya")
    assert struktur["retensi"] == "Selama berlaku"
    aset = items["Daftar Aset"]
    assert (aset["kategori"], aset["waktu_pembuatan"]) == ("setiap-saat", "2024-01 s.d. 2024-06")
    assert (aset["retensi"], aset["bentuk"]) == ("5 tahun", ["hardcopy"])
    assert "Profil Badan Publik" not in items  # a group heading, not an item


def test_excel_dates_become_iso(repo: Repo, tmp_path: Path) -> None:
    rows = importer.read_rows(layout_two(tmp_path / "dip.xlsx"))
    assert rows[5][6] == "2024-03-07" and rows[4][8] == "5"
    assert importer.when_where("2024-03-07") == ("2024-03-07", "")


# -- layout 3: the export of dipctl/downloads.py (round trip) ------------------------------


def test_export_then_import_gives_back_the_same_items(
    repo: Repo, example: Repo, tmp_path: Path
) -> None:
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"dip.{fmt}"
        exported = example.run("export", "--format", fmt, "--out", out)
        if exported.exit_code != 0:
            pytest.skip(f"export not available: {exported.stderr}")
        source = find_register(example.register)
        units = {v: k for k, v in source.settings.units.items()}
        plan = importer.parse(importer.read_rows(out), source.settings.units, {})
        assert plan.problems == [], plan.problems
        originals = {}
        for path in (example.register / "informasi").rglob("*.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if data["status"] in ("ditetapkan", "diunggah") and data["kategori"] != "dikecualikan":
                originals[data["judul"]] = data
        assert {i["judul"] for i in plan.items} == set(originals)
        keys: tuple[str, ...] = ("ringkasan", "unit", "penanggung_jawab", "waktu_pembuatan")
        keys += ("tempat_pembuatan", "bentuk", "retensi", "kategori")
        for item in plan.items:
            original = originals[item["judul"]]
            assert {k: item[k] for k in keys} == {k: original[k] for k in keys}, item["judul"]
        assert units  # the example register names its units


def test_export_layout_into_a_fresh_register(repo: Repo, tmp_path: Path) -> None:
    header = ["No.", "Kategori", "Judul", "Ringkasan Isi Informasi",
              "Pejabat/Unit yang Menguasai Informasi", "Penanggung Jawab Pembuatan/Penerbitan",
              "Waktu Pembuatan", "Tempat Pembuatan", "Bentuk Informasi yang Tersedia",
              "Jangka Waktu Penyimpanan", "Nomor Keputusan", "Tanggal Keputusan"]  # fmt: skip
    rows = [
        header,
        ["1", "berkala", "Renja 2025", "Rencana kerja tahun 2025", "Subbagian Program",
         "Kepala Subbagian Program", "2025-01 s.d. 2025-06", "Palangka Raya",
         "softcopy, hardcopy", "5 tahun", "800/1/2024", "2024-01-02"],
    ]  # fmt: skip
    _import(repo, _book(tmp_path / "export.xlsx", rows))
    renja = _items(repo)["Renja 2025"]
    assert renja["waktu_pembuatan"] == "2025-01 s.d. 2025-06"
    assert renja["unit"] == "program" and renja["bentuk"] == ["softcopy", "hardcopy"]


# -- CSV -----------------------------------------------------------------------------------

CSV = """\ufeffNo;Judul Informasi;Ringkasan Informasi;Pejabat yang menguasai informasi;\
Penanggungjawab Pembuatan Informasi;Waktu Pembuatan/Penerbitan;Tempat;\
Bentuk Informasi yang Tersedia;Jangka Waktu Penyimpanan
;A. Informasi wajib diumumkan secara berkala;;;;;;;
1;Profil Dinas;Sejarah, tugas dan fungsi dinas;Sekretariat;Sekretaris Dinas;2023;\
Palangka Raya;Hard & Soft File;Selama Berlaku
;;;;;;;;
;C. Informasi yang wajib tersedia setiap saat;;;;;;;
2;Daftar Informasi Publik;DIP dinas;Sekretariat;PPID Pembantu;Desember 2024;\
Palangka Raya;Softcopy;1 tahun
"""


def test_csv_with_semicolons(repo: Repo, tmp_path: Path) -> None:
    path = tmp_path / "dip.csv"
    path.write_text(CSV, encoding="utf-8")
    _import(repo, path)
    items = _items(repo)
    assert items["Profil Dinas"]["bentuk"] == ["softcopy", "hardcopy"]
    assert items["Profil Dinas"]["kategori"] == "berkala"
    assert items["Daftar Informasi Publik"]["kategori"] == "setiap-saat"
    assert items["Daftar Informasi Publik"]["waktu_pembuatan"] == "2024-12"


# -- refusals: nothing written -------------------------------------------------------------


def _refused(repo: Repo, plan: importer.ImportPlan) -> Incomplete:
    before, files = _head(repo), sorted(repo.register.rglob("*"))
    reg = find_register(repo.register)
    with pytest.raises(Incomplete) as refused:
        importer.commit(reg, plan, "800/1/2025", "2025-01-02", KEPALA)
    assert _head(repo) == before
    assert sorted(repo.register.rglob("*")) == files
    assert git(repo.path, "status", "--porcelain").strip() == ""
    return refused.value


def test_unknown_units_are_listed_with_a_suggestion(repo: Repo, tmp_path: Path) -> None:
    rows = importer.read_rows(layout_one(tmp_path / "dip.xlsx"))
    rows[5][2] = "Sub Bagian Progam"
    rows[6][2] = rows[9][2] = "Bagian Umum"
    reg = find_register(repo.register)
    plan = importer.parse(rows, reg.settings.units, {})
    unknown = [p for p in plan.problems if p.message_key == "import.unknown_unit"]
    assert [(p.row_number, p.params["name"], p.params["rows"]) for p in unknown] == [
        (6, "Sub Bagian Progam", "6"),
        (7, "Bagian Umum", "7, 10"),
    ]
    assert unknown[0].params["suggestion"] == "program (Subbagian Program)"
    error = _refused(repo, plan)
    assert error.params["count"] == 2 and error.params["problems"][0].line == 6
    mapped = importer.parse(
        rows, reg.settings.units, {"Sub Bagian Progam": "program", "bagian umum": "sekretariat"}
    )
    assert mapped.problems == [] and len(mapped.items) == 3


def test_unit_map_from_yaml_and_csv(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("Bagian Umum: sekretariat\n", encoding="utf-8")
    (tmp_path / "map.csv").write_text("Bagian Umum;sekretariat\n", encoding="utf-8")
    for name in ("map.yaml", "map.csv"):
        assert importer.read_unit_map(tmp_path / name) == {"Bagian Umum": "sekretariat"}
    plan = importer.parse([], {"sekretariat": "Sekretariat"}, {"X": "nowhere"})
    assert [p.message_key for p in plan.problems] == ["import.no_header"]


def test_malformed_file_reports_rows_and_writes_nothing(repo: Repo, tmp_path: Path) -> None:
    rows = importer.read_rows(layout_two(tmp_path / "dip.xlsx"))
    rows[2][1] = "Penting"  # an unreadable kategori
    rows[5][6] = "kapan-kapan, Palangka Raya"
    reg = find_register(repo.register)
    plan = importer.parse(rows, reg.settings.units, {})
    found = [(p.row_number, p.message_key) for p in plan.problems]
    assert found == [(3, "import.bad_category"), (6, "import.bad_period")]
    error = _refused(repo, plan)
    assert [p.line for p in error.params["problems"]] == [3, 6]


def test_no_header_row(repo: Repo, tmp_path: Path) -> None:
    path = _book(tmp_path / "x.xlsx", [["Nama", "Alamat"], ["Budi", "Jl. Tjilik Riwut"]])
    plan = _plan(repo, path)
    assert [(p.row_number, p.message_key) for p in plan.problems] == [(0, "import.no_header")]
    _refused(repo, plan)


def test_rows_under_no_category(repo: Repo, tmp_path: Path) -> None:
    rows = importer.read_rows(layout_one(tmp_path / "dip.xlsx"))
    del rows[4]  # the first category header row
    plan = importer.parse(rows, {"sekretariat": "Sekretariat", "program": "Subbagian Program"}, {})
    assert [(p.row_number, p.message_key) for p in plan.problems] == [
        (5, "import.no_category"),
        (6, "import.no_category"),
    ]


def test_dry_run_writes_nothing(repo: Repo, tmp_path: Path) -> None:
    before = _head(repo)
    result = _import(repo, layout_one(tmp_path / "dip.xlsx"), dry_run=True)
    assert result.commit == "" and len(result.items) == 3
    assert "register/keputusan/sk-800-12-ppid-2024.yaml" in result.files
    assert _head(repo) == before and not (repo.register / "informasi" / "program").exists()


def test_only_a_kepala_imports(repo: Repo, tmp_path: Path) -> None:
    reg = find_register(repo.register)
    plan = _plan(repo, layout_one(tmp_path / "dip.xlsx"))
    with pytest.raises(NotAuthorized):
        importer.commit(reg, plan, "800/1/2025", "2025-01-02", KASUBBAG)


def test_ids_never_collide(repo: Repo, tmp_path: Path) -> None:
    first = _import(repo, layout_one(tmp_path / "dip.xlsx"))
    second = _import(repo, layout_one(tmp_path / "dip.xlsx"))
    ids = {i["id"] for i in first.items}
    assert ids.isdisjoint(i["id"] for i in second.items)
    assert first.decree != second.decree


@pytest.mark.parametrize(
    ("text", "when", "place"),
    [
        ("2025, Palangka Raya", "2025", "Palangka Raya"),
        ("Palangka Raya, 2025", "2025", "Palangka Raya"),
        ("Januari 2025 Palangka Raya", "2025-01", "Palangka Raya"),
        ("Jakarta, 5 Maret 2024", "2024-03-05", "Jakarta"),
        ("2021 - 2026, Palangka Raya", "2021 s.d. 2026", "Palangka Raya"),
        ("2025-01 s.d. 2025-06 Sampit", "2025-01 s.d. 2025-06", "Sampit"),
        ("Palangka Raya", None, "Palangka Raya"),
    ],
)
def test_when_where(text: str, when: str | None, place: str) -> None:
    assert importer.when_where(text) == (when, place)


# -- ids and the agency's DIK (issue 14) ------------------------------------------------

HEADER = ["No", "Id", "Kategori", "Judul", "Ringkasan Isi Informasi", "Pejabat/Unit",
          "Penanggung Jawab", "Waktu Pembuatan", "Tempat Pembuatan", "Bentuk Informasi",
          "Jangka Waktu Penyimpanan"]  # fmt: skip


def _row(n: int, item_id: str, kategori: str, judul: str) -> list[Any]:
    return [str(n), item_id, kategori, judul, f"Isi {judul}", "Sekretariat", "Sekretaris",
            "2025", "Palangka Raya", "softcopy", "5 tahun"]  # fmt: skip


def test_ids_from_an_id_column_are_kept_and_titles_make_whole_word_ids(
    repo: Repo, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        _row(1, "bo-renstra-2025-2029", "berkala", "Rencana Strategis 2025–2029"),
        _row(2, "", "berkala", "Rencana Strategis Biro Organisasi Tahun 2025–2029"),
        _row(3, "", "setiap-saat",
             "Laporan Keuangan Biro Organisasi per 31 Desember 2025 yang telah diaudit BPK"),
    ]  # fmt: skip
    result = _import(repo, _book(tmp_path / "dip.xlsx", rows))
    ids = [i["id"] for i in result.items]
    assert ids[0] == "bo-renstra-2025-2029"
    assert ids[1] == "rencana-strategis-biro-organisasi-tahun-2025-2029"
    assert ids[2] == "laporan-keuangan-biro-organisasi-per-31-desember-2025-yang"
    assert all(len(i) <= 60 for i in ids[1:])
    assert repo.run("verify").exit_code == 0


@pytest.mark.parametrize(
    ("wanted", "key"),
    [("Bo Renstra!", "import.bad_id"), ("info-a", "import.id_taken"), ("dup", "import.id_taken")],
)
def test_a_bad_or_taken_id_in_the_file_is_a_row_problem(
    repo: Repo, tmp_path: Path, wanted: str, key: str
) -> None:
    assert repo.run("new", "--unit", "sekretariat", "--title", "A", "--id", "info-a",
                    "--as", KASUBBAG).exit_code == 0  # fmt: skip
    rows = [HEADER, _row(1, "dup" if wanted == "dup" else "ok-id", "berkala", "Satu"),
            _row(2, wanted, "berkala", "Dua")]  # fmt: skip
    plan = _plan(repo, _book(tmp_path / "dip.xlsx", rows))
    assert [(p.row_number, p.message_key) for p in plan.problems] == [(3, key)]


def test_the_agencys_dik_comes_in_as_drafts_outside_the_decree(repo: Repo, tmp_path: Path) -> None:
    rows = [
        HEADER,
        _row(1, "", "berkala", "Profil Dinas"),
        ["2", "", "dikecualikan", "Data Pribadi Pegawai", "", "Sekretariat", "", "", "", "", ""],
    ]
    path = _book(tmp_path / "dip.xlsx", rows)
    result = repo.run("import", path, "--number", "800/1/2024", "--date", "2024-12-20",
                      "--as", KEPALA)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "1 informasi yang dikecualikan dibawa sebagai draf" in result.stderr
    assert "1 informasi diimpor dan ditetapkan" in result.stderr
    items = _items(repo)
    dik = items["Data Pribadi Pegawai"]
    assert dik["status"] == "draf" and not dik.get("kategori") and "keputusan" not in dik
    assert "Penetapan DIK" in dik["catatan"]
    assert items["Profil Dinas"]["status"] == "ditetapkan"
    decree = next((repo.register / "keputusan").glob("*.yaml")).read_text(encoding="utf-8")
    assert "profil-dinas" in decree and "data-pribadi-pegawai" not in decree
    assert repo.run("verify").exit_code == 0
    assert repo.run("validate").exit_code == 0
    site = repo.run("build", "--out", tmp_path / "site")
    assert site.exit_code == 0, site.stderr
    assert "Data Pribadi Pegawai" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")
    )
