"""Hypothesis fuzzers (issue 11 point 8): item files, register.yaml, command-line values and
import files never give exit 5 nor a traceback. DIPCTL_FUZZ_EXAMPLES raises the count (20 by
default, 120 under DIPCTL_LONG_TESTS=1, as `make nightly` runs them)."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.conftest import KASUBBAG, KEPALA, LONG, Repo

EXAMPLES = int(os.environ.get("DIPCTL_FUZZ_EXAMPLES", "120" if LONG else "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=not os.environ.get("DIPCTL_FUZZ_EXAMPLES"),
)
KEYS = ["id", "judul", "unit", "status", "ringkasan", "waktu_pembuatan", "bentuk", "kategori",
        "dokumen", "pengecualian", "rapat", "keputusan", "revisi", "tautan", "berakhir", "x"]  # fmt: skip  # noqa: E501
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.sampled_from(["ditetapkan", "draf", "2026-13", "2026-02-30", "sekretariat", "softcopy"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}\"'#&*!|>\n\t \\x1b\x1b\x85\u202e0129.")), max_size=120
)


def _clean(result: object) -> None:
    code = result.exit_code  # type: ignore[attr-defined]
    assert code != 5, result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in (result.stderr or "")  # type: ignore[attr-defined]
    exc = result.exception  # type: ignore[attr-defined]
    assert exc is None or isinstance(exc, SystemExit), repr(exc)


def _dump(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


@FUZZ
@given(
    doc=st.one_of(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8).map(_dump), YAMLISH)
)
def test_item_files(repo: Repo, doc: str) -> None:
    path = repo.item("sekretariat", "fuzz")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc, encoding="utf-8", errors="surrogatepass")
    for command in (("validate",), ("list",), ("status",), ("show", "fuzz")):
        _clean(repo.run(*command))


@FUZZ
@given(
    section=st.sampled_from(["orang", "unit", "situs", "badan_publik", "pemutakhiran"]),
    value=VALUES,
)
def test_register_yaml(repo: Repo, section: str, value: object) -> None:
    import yaml

    config = repo.register / "register.yaml"
    original = getattr(test_register_yaml, "original", None) or config.read_text(encoding="utf-8")
    test_register_yaml.original = original  # type: ignore[attr-defined]
    data = yaml.safe_load(original)
    data[section] = value
    config.write_text(_dump(data), encoding="utf-8")
    for command in (("validate",), ("status",), ("list",)):
        _clean(repo.run(*command))
    config.write_text(original, encoding="utf-8")


@FUZZ
@given(title=st.text(max_size=40), made=st.text(alphabet="0123456789- s.d", max_size=24))
def test_new_values(repo: Repo, title: str, made: str) -> None:
    result = repo.run(
        "new",
        "--unit",
        "sekretariat",
        "--title",
        title,
        "--made",
        made,
        "--as",
        KASUBBAG,
        "--id",
        "fuzz-baru",
    )
    _clean(result)
    if result.exit_code == 0:
        _clean(repo.run("validate"))
        shutil.rmtree(repo.register / "informasi" / "sekretariat", ignore_errors=True)
        repo.run("list")


CELLS = st.one_of(
    st.none(), st.text(max_size=20), st.integers(-(10**6), 10**6), st.floats(allow_nan=True)
)
HEADER = ["No", "Ringkasan Isi Informasi", "Pejabat/Unit", "Penanggung Jawab", "Waktu dan Tempat", "Bentuk Informasi", "Jangka Waktu Penyimpanan"]  # fmt: skip  # noqa: E501


@FUZZ
@given(rows=st.lists(st.lists(CELLS, max_size=8), max_size=8), header=st.booleans())
def test_import_csv_and_xlsx(
    repo: Repo, tmp_path_factory: pytest.TempPathFactory, rows: list[list[object]], header: bool
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    table = ([HEADER] if header else []) + rows
    csv_path = folder / "dip.csv"
    csv_path.write_text(
        "\n".join(
            ",".join("" if c is None else str(c).replace(",", " ") for c in row) for row in table
        ),
        encoding="utf-8",
        errors="surrogatepass",
    )
    xlsx_path = folder / "dip.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    try:
        for row in table:
            sheet.append(row)
        book.save(xlsx_path)
    except Exception:  # openpyxl refuses some cells on write: the CSV is fuzzed anyway
        xlsx_path = csv_path
    for path in {csv_path, xlsx_path}:
        _clean(
            repo.run(
                "import",
                path,
                "--number",
                "1/2024",
                "--date",
                "2024-01-01",
                "--dry-run",
                "--as",
                KEPALA,
            )
        )


@FUZZ
@given(data=st.binary(max_size=400))
def test_import_bytes(repo: Repo, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for name in ("dip.csv", "dip.xlsx"):
        path = folder / name
        path.write_bytes(data)
        _clean(
            repo.run(
                "import", path, "--number", "1", "--date", "2024-01-01", "--dry-run", "--as", KEPALA
            )
        )
