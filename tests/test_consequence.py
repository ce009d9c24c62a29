"""The consequence test (issue 12 point 3): every key of SPEC.md section 3 checked by
``classify``, ``validate`` and the schema, and its printable lembar uji konsekuensi."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from dipctl.publish import consequence
from dipctl.register import exemption, model, schema
from dipctl.register.config import find_register
from dipctl.register.queries import find_item, load_items
from tests.conftest import EXAMPLE, PPID, SEKRETARIS, Repo
from tests.test_paper import _page_sizes, _print, _tool, text_pages
from tests.test_refusals import (
    EXEMPTION,
    assert_unchanged,
    drive,
    error_line,
    ok,
    refused,
    snapshot,
)

TU = "subbagian-tata-usaha"


def classify(repo: Repo, tmp_path: Path, test: dict[str, Any]) -> Any:
    test_file = tmp_path / "uji.yaml"
    test_file.write_text(yaml.safe_dump(test, allow_unicode=True), encoding="utf-8")
    return repo.run(
        "classify", "info-a", "--category", "dikecualikan", "--exemption", test_file, "--as", PPID
    )


@pytest.mark.parametrize("key", model.EXEMPTION_KEYS)
def test_classify_refuses_a_test_without_each_key(repo: Repo, tmp_path: Path, key: str) -> None:
    drive(repo, "info-a", "diteruskan")
    before = snapshot(repo)
    err = refused(classify(repo, tmp_path, {k: v for k, v in EXEMPTION.items() if k != key}))
    assert f"belum diisi: {key}" in error_line(err), err  # named briefly, not listed
    assert_unchanged(repo, before)


@pytest.mark.parametrize(
    ("change", "key", "said"),
    [
        pytest.param({"pasal": "17 huruf c"}, "berakhir", "Pasal 20", id="permanen-for-c"),
        pytest.param({"pasal": "17 huruf a"}, "berakhir", "huruf a", id="permanen-for-a"),
        pytest.param(
            {"pasal": "17 huruf k", "berakhir": "2031-12-31"}, "pasal", "17 huruf k", id="letter-k"
        ),
        pytest.param({"pasal": "Pasal 18"}, "pasal", "Pasal 18", id="not-pasal-17"),
        pytest.param({"tanggal_uji": "2999-01-01"}, "tanggal_uji", "2999-01-01", id="future"),
        pytest.param({"tanggal_uji": "15-01-2026"}, "tanggal_uji", "15-01-2026", id="not-a-date"),
        pytest.param({"berakhir": "2025-01-01"}, "berakhir", "2025-01-01", id="ends-before"),
        pytest.param({"penguji": [PPID]}, "penguji", "2", id="one-tester"),
        pytest.param(
            {"penguji": [SEKRETARIS, "Budi — Ahli Hukum"]}, "penguji", "PPID", id="no-ppid"
        ),
        pytest.param(
            {"penguji": [PPID, "orang.lain@x.go.id"]},
            "penguji",
            "orang.lain@x.go.id",
            id="unknown-email",
        ),
        pytest.param({"penguji": [PPID, "Budi"]}, "penguji", "Budi", id="no-position"),
    ],
)
def test_classify_refuses_an_invalid_test(
    repo: Repo, tmp_path: Path, change: dict[str, Any], key: str, said: str
) -> None:
    drive(repo, "info-a", "diteruskan")
    before = snapshot(repo)
    base = {**EXEMPTION, "berakhir": "permanen"} if "berakhir" not in change else EXEMPTION
    err = refused(classify(repo, tmp_path, {**base, **change}))
    assert key in error_line(err), err
    assert said in err, err
    assert_unchanged(repo, before)


@pytest.mark.parametrize("pasal", ["17 huruf g", "17 huruf h", "17 huruf i", "17 huruf j"])
def test_permanen_is_allowed_for_g_to_j(repo: Repo, tmp_path: Path, pasal: str) -> None:
    drive(repo, "info-a", "diteruskan")
    test = {**EXEMPTION, "pasal": pasal, "berakhir": "permanen"}
    test["penguji"] = [PPID, SEKRETARIS, "Dr. Contoh Ahli — Dosen Hukum Administrasi Negara"]
    ok(classify(repo, tmp_path, test))
    ok(repo.run("validate"))


def test_letters_and_participants() -> None:
    assert exemption.letter("17 huruf h") == "h"
    assert exemption.letter("Pasal 17 huruf C angka 6") == "c"
    assert exemption.letter("17 h") is None
    assert exemption.is_outsider("Siti — Dosen") and not exemption.is_outsider("a@b.go.id")
    today = dt.date(2026, 1, 15)
    assert exemption.consequence_problems({**EXEMPTION}, today, {PPID: ("ppid_pembantu",)}) == [
        ("penguji", "exemption.unknown_tester", {"email": SEKRETARIS})
    ]
    tomorrow = exemption.consequence_problems(EXEMPTION, today - dt.timedelta(days=1))
    assert [p[:2] for p in tomorrow] == [("tanggal_uji", "exemption.test_in_future")]


def example_copy(tmp_path: Path) -> Path:
    root = tmp_path / "register"
    shutil.copytree(EXAMPLE, root)
    return root


def test_an_old_test_is_a_validate_problem_per_missing_key(tmp_path: Path) -> None:
    from tests.conftest import dipctl

    root = example_copy(tmp_path)
    path = root / "informasi" / TU / "bo-data-pribadi-pegawai.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    old = {k: data["pengecualian"][k] for k in model.LEGACY_EXEMPTION_KEYS}
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("pengecualian:\n", 1)
    tail = rest[rest.index("status:") :]
    block = yaml.safe_dump({"pengecualian": old}, allow_unicode=True, width=1000)
    path.write_text(head + block + tail, encoding="utf-8")
    result = dipctl("validate", "--register", root, "--json")
    assert result.exit_code == 1, result.stdout + result.stderr
    problems = [p for p in json.loads(result.stdout) if p["level"] == "error"]  # no logo: a warning
    new_keys = [k for k in model.EXEMPTION_KEYS if k not in model.LEGACY_EXEMPTION_KEYS]
    missing = [p["message"] for p in problems if p["rule"] == "key.missing"]
    assert len(missing) == len(new_keys) == len(problems)
    for key in new_keys:
        assert any(f"'{key}'" in m for m in missing), (key, missing)
    # ... and every command that reads it still works
    assert dipctl("show", "bo-data-pribadi-pegawai", "--register", root).exit_code == 0
    out = tmp_path / "uji.html"
    sheet = dipctl("consequence-test", "bo-data-pribadi-pegawai", "--register", root, "--out", out)
    assert sheet.exit_code == 0, sheet.stderr
    assert "BELUM LENGKAP" in out.read_text(encoding="utf-8")


def test_the_schema_knows_every_key_and_the_permanence_rule() -> None:
    item_schema = schema.item_schema()
    test_schema = item_schema["properties"]["pengecualian"]
    assert test_schema["required"] == list(model.EXEMPTION_KEYS)
    valid = {**EXEMPTION, "berakhir": "permanen"}
    jsonschema.validate(valid, test_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**valid, "pasal": "17 huruf c"}, test_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**valid, "pasal": "17 huruf k"}, test_schema)


def test_the_example_register_has_complete_tests(tmp_path: Path) -> None:
    reg = find_register(example_copy(tmp_path))
    people = {p.email: p.roles for p in reg.settings.people}
    items = [i for i in load_items(reg) if i.category == model.EXEMPT]
    assert len(items) == 6  # five in the DIK, one on its way through the README walkthrough
    for item in items:
        assert item.exemption is not None
        test = item.exemption.as_mapping()
        assert exemption.consequence_problems(test, dt.date(2026, 11, 25), people) == [], item.id


# -- the lembar uji konsekuensi ----------------------------------------------------------------


def test_the_sheet_has_every_key_and_a_signature_per_participant(tmp_path: Path) -> None:
    reg = find_register(example_copy(tmp_path))
    item = find_item(reg, "bo-konfigurasi-sistem-informasi")
    page = consequence.render_sheet(reg.settings, item)
    assert item.exemption is not None
    text = re.sub(r"\s+", " ", page)
    for value in (
        "Pasal 17 huruf c",
        "membahayakan pertahanan dan keamanan negara",
        item.exemption.legal_basis.split("  #")[0],
        item.exemption.if_opened,
        item.exemption.if_closed,
        item.exemption.public_interest,
        item.exemption.reason,
        item.exemption.period,
        "21 Januari 2031",
        "Palangka Raya, 14 Januari 2026",
        item.title,
        item.id,
        "Seluruh informasi",
        "Contoh Pejabat Persandian",
        "Sandiman Ahli Muda",
    ):
        assert value in text, value
    for email in item.exemption.testers[:3]:
        person = reg.settings.person(email)
        assert person is not None
        assert person.name in text and person.position in text
        assert f"NIP. {person.nip[:8]} " in text
    assert text.count('class="nama"') == len(item.exemption.testers) + 1  # + the head approves
    assert "Menyetujui" in text and "BELUM LENGKAP" not in text
    assert consequence.render_sheet(reg.settings, item) == page  # deterministic


def test_consequence_test_command(example: Repo, tmp_path: Path) -> None:
    out = tmp_path / "lembar" / "uji.html"
    result = example.run("consequence-test", "bo-data-pribadi-pegawai", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "LEMBAR UJI KONSEKUENSI" in out.read_text(encoding="utf-8")
    not_exempt = example.run("consequence-test", "bo-daftar-informasi-publik-2026")
    assert not_exempt.exit_code == 3
    assert "bo-daftar-informasi-publik-2026" in not_exempt.stderr
    assert example.run("consequence-test", "tidak-ada").exit_code == 4
    english = example.run(
        "consequence-test", "bo-data-pribadi-pegawai", "--out", out, "--lang", "en"
    )
    assert english.exit_code == 0
    assert "signed by the 3 participants" in out.read_text(encoding="utf-8")


def test_a_sheet_for_an_item_classified_by_the_command(repo: Repo, tmp_path: Path) -> None:
    drive(repo, "info-a", "diteruskan")
    ok(classify(repo, tmp_path, EXEMPTION))
    out = tmp_path / "uji.html"
    ok(repo.run("consequence-test", "info-a", "--out", out))
    page = out.read_text(encoding="utf-8")
    assert "Pasal 17 huruf h" in page and "PPID Pembantu" in page and "Sekretaris Dinas" in page


def test_chromium_prints_the_sheet_on_a4(tmp_path: Path) -> None:
    browser = _tool("chromium", "chromium-browser")
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    reg = find_register(example_copy(tmp_path))
    item = find_item(reg, "bo-dokumen-penawaran-pengadaan-2026")
    assert item.exemption is not None
    page = tmp_path / "uji.html"
    page.write_text(consequence.render_sheet(reg.settings, item), encoding="utf-8")
    pdf = tmp_path / "uji.pdf"
    _print(browser, page, pdf, tmp_path / "profile")
    sizes = _page_sizes(pdfinfo, pdf)
    assert sizes and all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes), sizes
    assert len(text_pages(pdftotext, pdf)) == len(sizes)
    # without -layout: the two consequence columns come out one after the other
    raw = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True)
    text = " ".join(raw.stdout.split())
    assert "LEMBAR UJI KONSEKUENSI" in text
    assert "Pasal 17 huruf b" in text
    for part in (
        item.exemption.if_opened,
        item.exemption.if_closed,
        item.exemption.public_interest,
    ):
        assert " ".join(part.split()[:6]) in text, part
    for email in item.exemption.testers:
        person = reg.settings.person(email)
        assert person is not None and person.name in text, email
