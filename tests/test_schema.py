"""The JSON Schemas that editors use agree with `dipctl validate` and with the files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from dipctl.register import model, schema
from tests.conftest import EXAMPLE, Repo, dipctl

FILES = {
    "informasi": sorted(EXAMPLE.glob("informasi/*/*.yaml")),
    "register": [EXAMPLE / "register.yaml"],
    "rapat": sorted(EXAMPLE.glob("rapat/*.yaml")),
    "keputusan": sorted(EXAMPLE.glob("keputusan/*.yaml")),
}


def validator(kind: str) -> jsonschema.Draft202012Validator:
    data = json.loads(dipctl("schema", kind).stdout)
    jsonschema.Draft202012Validator.check_schema(data)
    return jsonschema.Draft202012Validator(data)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_example_file_satisfies_its_schema(kind: str) -> None:
    check = validator(kind)
    assert FILES[kind]
    for path in FILES[kind]:
        errors = [e.message for e in check.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path


@pytest.mark.parametrize("kind", sorted(schema.KINDS))
def test_the_register_ships_the_current_schemas(kind: str) -> None:
    shipped = EXAMPLE / schema.KINDS[kind]
    assert shipped.read_text(encoding="utf-8") == dipctl("schema", kind).stdout


def test_every_modeline_points_at_a_schema_file() -> None:
    for paths in FILES.values():
        for path in paths:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("=", 1)[1]).resolve()
            assert target.is_file(), path


def test_init_writes_every_schema(repo: Repo) -> None:
    for kind, name in schema.KINDS.items():
        assert (repo.register / name).read_text() == dipctl("schema", kind).stdout


def test_unknown_schema_kind_is_a_usage_error() -> None:
    result = dipctl("schema", "orang")
    assert result.exit_code == 2
    assert "informasi" in result.stderr


def test_item_schema_covers_the_field_table() -> None:
    data = json.loads(dipctl("schema").stdout)
    assert list(data["properties"]) == list(model.ITEM_KEYS)
    assert set(data["required"]) == {"id", "judul", "unit", "status"}


ITEM = {
    "id": "bo-x",
    "judul": "X",
    "ringkasan": "R",
    "unit": "u",
    "penanggung_jawab": "P",
    "waktu_pembuatan": "2025",
    "tempat_pembuatan": "T",
    "bentuk": ["softcopy"],
    "retensi": "1 tahun",
    "status": "diajukan",
}


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"status": "draf", "ringkasan": "", "bentuk": []}, True),
        ({"ringkasan": ""}, False),
        ({"bentuk": []}, False),
        ({"bentuk": ["kertas"]}, False),
        ({"waktu_pembuatan": "2025-01 s.d. 2025-06"}, True),
        ({"waktu_pembuatan": "tahun lalu"}, False),
        ({"status": "draf", "waktu_pembuatan": "tahun lalu"}, False),
        ({"kategori": "dikecualikan"}, False),
        ({"kategori": "berkala", "subkategori": "keuangan"}, True),
        ({"kategori": "berkala", "subkategori": "rahasia"}, False),
        ({"kategori": "serta-merta", "subkategori": "keuangan"}, False),
        ({"pengecualian": {"dasar_hukum": "x"}}, False),
        ({"warna": "merah"}, False),
        ({"id": "Bad ID"}, False),
    ],
)
def test_schema_and_validate_agree(repo: Repo, change: dict[str, object], valid: bool) -> None:
    item = {**ITEM, "unit": "sekretariat", **change}
    assert (not list(validator("informasi").iter_errors(item))) == valid
    path = repo.item("sekretariat", "bo-x")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(item, allow_unicode=True), encoding="utf-8")
    assert (repo.run("validate").exit_code == 0) == valid


def test_schema_output_is_deterministic(tmp_path: Path) -> None:
    assert dipctl("schema").stdout == dipctl("schema").stdout
