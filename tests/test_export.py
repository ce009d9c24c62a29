"""dipctl export: the established DIP (or the DIK) as the files officers attach to letters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from tests.conftest import Repo


def test_csv_to_stdout_is_the_dip_with_its_decree(example: Repo) -> None:
    result = example.run("export")
    assert result.exit_code == 0, result.stderr
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["No.", "Kategori", "Judul", "Ringkasan Isi Informasi"]
    assert len(rows) == 1 + 55
    assert {row[1] for row in rows[1:]} == {"berkala", "serta-merta", "setiap-saat"}
    assert {row[-2] for row in rows[1:]} == {"188.44/01/BIRO-ORG/I/2026"}


def test_json_and_the_dik_hold_public_fields_only(example: Repo) -> None:
    dip = json.loads(example.run("export", "--format", "json").stdout)
    assert len(dip["informasi"]) == 55
    dik = json.loads(example.run("export", "--format", "json", "--dik").stdout)
    assert len(dik["dikecualikan"]) == 5
    for row in dik["dikecualikan"]:
        assert set(row) == {  # no id: SPEC section 6's whitelist does not publish it
            "judul",
            "unit_nama",
            "pasal",
            "dasar_hukum",
            "alasan",
            "bagian",
            "jangka_waktu",
            "berakhir",
            "keputusan",
            "hash",  # of the fields above alone (dipctl.register.digest)
        }


def test_xlsx_has_a_frozen_header_and_every_row(example: Repo, tmp_path: Path) -> None:
    out = tmp_path / "dip.xlsx"
    assert example.run("export", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(1, 3).value == "Judul"
    numbered = [r for r in sheet.iter_rows(min_row=2) if str(r[0].value).isdigit()]
    assert len(numbered) == 55  # under 3 kategori headings and 7 berkala sub-headings
    assert sheet.max_row == 1 + 55 + 3 + 7
    assert example.run("export", "--format", "xlsx").exit_code == 2  # needs --out
    assert example.run("export", "--format", "pdf").exit_code == 2
