"""Issue 13: the DIP's yearly pemutakhiran, items' own editions, and ``dipctl pemutakhiran``.

Histories are built with the real CLI at dates in the past relative to today (decrees cannot
be dated in the future), each step's commit dated through ``GIT_COMMITTER_DATE``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dipctl.register.freshness import add_months
from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PEOPLE,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    dipctl,
    git,
)
from tests.test_sop import EXEMPTION, fill

TZ = dt.timezone(dt.timedelta(hours=7))  # WIB
TODAY = dt.datetime.now(dt.UTC).astimezone().date()  # the day dipctl status sees
OLD = add_months(TODAY, -13)  # the first decree: 13 months ago
EDITION = add_months(TODAY, -14).isoformat()  # both berkala items' edition: 14 months ago
ENDS = (TODAY - dt.timedelta(days=10)).isoformat()  # the exemption ended 10 days ago


def at(day: dt.date, hour: int = 9) -> str:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ).isoformat()


def act(repo: Repo, mp: pytest.MonkeyPatch, when: str, who: str, *args: str) -> str:
    mp.setenv("GIT_AUTHOR_DATE", when)
    mp.setenv("GIT_COMMITTER_DATE", when)
    result = repo.run(*args, "--as", who)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def edition(repo: Repo, unit: str, item_id: str, period: str, day: str) -> None:
    """The kasubbag gives the item its edition in an editor (committed with the next step)."""
    path = repo.item(unit, item_id)
    text = path.read_text(encoding="utf-8")
    head, _, tail = text.partition("\nstatus:")
    block = f'\npembaruan:\n  periode: {period}\n  edisi: "{day}"'
    path.write_text(head + block + "\nstatus:" + tail, encoding="utf-8")


def establish(repo: Repo, mp: pytest.MonkeyPatch, day: dt.date, tmp: Path) -> None:
    """Three items through steps 1-5 around ``day``: a yearly and a five-yearly berkala item
    (edition 14 months ago), and an exempt item whose exemption ended 10 days ago."""
    before = at(day - dt.timedelta(days=2))
    act(repo, mp, before, KASUBBAG, "new", "--unit", "sekretariat", "--title", "LKjIP 2024")
    act(repo, mp, before, KASUBBAG, "new", "--unit", "sekretariat", "--title", "Renstra 2025")
    act(repo, mp, before, KASUBBAG_PROGRAM, "new", "--unit", "program", "--title", "Data Pegawai")
    units = {"lkjip-2024": "sekretariat", "renstra-2025": "sekretariat", "data-pegawai": "program"}
    for item, unit in units.items():
        fill(repo, unit, item)
    edition(repo, "sekretariat", "lkjip-2024", "1 tahun", EDITION)
    edition(repo, "sekretariat", "renstra-2025", "5 tahun", EDITION)
    act(repo, mp, before, KASUBBAG, "submit", "lkjip-2024", "renstra-2025")
    act(repo, mp, before, KASUBBAG_PROGRAM, "submit", "data-pegawai")
    items = ("lkjip-2024", "renstra-2025", "data-pegawai")
    act(repo, mp, before, SEKRETARIS, "review", *items, "--approve")
    act(repo, mp, before, PPID, "classify", "lkjip-2024", "renstra-2025", "--category", "berkala")
    test = tmp / "uji.yaml"
    tested = (day - dt.timedelta(days=2)).isoformat()
    test.write_text(
        EXEMPTION.replace("berakhir: permanen", f'berakhir: "{ENDS}"')
        .replace('tanggal_uji: "2026-01-15"', f'tanggal_uji: "{tested}"')
        .replace("jangka_waktu: selama pegawai aktif", "jangka_waktu: 1 tahun"),
        encoding="utf-8",
    )
    exempt = ("--category", "dikecualikan", "--exemption", str(test))
    act(repo, mp, before, PPID, "classify", "data-pegawai", *exempt)
    meeting = (
        "meeting", *items, "--date", day.isoformat(), "--place", "Ruang Rapat",
        "--attendee", PPID, "--attendee", SEKRETARIS, "--softcopy", "Folder PPID",
        "--time", "09:00", "--chair", PPID,
        "--hardcopy", "Lemari 1",
    )  # fmt: skip
    act(repo, mp, at(day), PPID, *meeting)
    decree = ("--date", day.isoformat())
    act(repo, mp, at(day, 10), KEPALA, "establish", "--all", "--number", "1/DIP/X", *decree)
    act(repo, mp, at(day, 10), KEPALA, "approve", "data-pegawai")
    act(repo, mp, at(day, 11), PPID, "exempt", "--all", "--number", "1/DIK/X", *decree)


def init(path: Path, mp: pytest.MonkeyPatch, day: dt.date) -> Repo:
    """``dipctl init`` and the four officers of conftest, committed on ``day``."""
    mp.setenv("GIT_AUTHOR_DATE", at(day, 8))
    mp.setenv("GIT_COMMITTER_DATE", at(day, 8))
    made = dipctl("init", path, "--agency", "Dinas Contoh", "--head-name", "Kepala Dinas",
                  "--head-email", KEPALA, "--place", "Palangka Raya", "--unsigned")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    config = path / "register" / "register.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("    peran: [kepala]\n", "    peran: [kepala]\n" + PEOPLE, 1)
    text = text.replace("unit:\n", "unit:\n  program:\n    nama: Subbagian Program\n", 1)
    config.write_text(text, encoding="utf-8")
    commit_all(path, "orang: empat pejabat")
    return Repo(path)


@pytest.fixture(scope="module")
def old(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register whose DIP decree is 13 months old (built once for the module), its whole
    history dated honestly in the past: ``dipctl verify`` passes on it."""
    path = tmp_path_factory.mktemp("cycle") / "dinas"
    home = tmp_path_factory.mktemp("cycle-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        repo = init(path, mp, OLD - dt.timedelta(days=3))
        establish(repo, mp, OLD, path.parent)
        checked = repo.run("verify")
        assert checked.exit_code == 0, checked.stdout  # the editions went in as content
    return path


def copy(source: Path, tmp_path: Path) -> Repo:
    target = tmp_path / "dinas"
    shutil.copytree(source, target, symlinks=True)
    return Repo(target)


def long_id(day: dt.date) -> str:
    months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November"
    names = [*months.split(), "Desember"]
    return f"{day.day} {names[day.month - 1]} {day.year}"


# -- the DIP's pemutakhiran ------------------------------------------------------------------


def test_a_decree_13_months_old_is_overdue_in_status_and_on_the_site(
    old: Path, tmp_path: Path
) -> None:
    repo = copy(old, tmp_path)
    deadline = add_months(OLD, 12)
    doc = json.loads(repo.run("status", "--json").stdout)["pemutakhiran"]
    assert doc["terakhir"] == OLD.isoformat()
    assert doc["paling_lambat"] == deadline.isoformat()
    assert doc["terlambat"] is True
    assert doc["sisa_hari"] == (deadline - TODAY).days < 0
    assert (doc["siklus"], doc["siklus_bulan"], doc["nomor"]) == ("12 bulan", 12, "1/DIP/X")
    text = repo.run("status").stdout
    (line,) = [line for line in text.splitlines() if "pemutakhiran berikutnya" in line]
    assert line.startswith("TERLAMBAT: DIP dimutakhirkan " + long_id(OLD))
    assert f"paling lambat {long_id(deadline)}, sudah lewat {(TODAY - deadline).days} hari" in line
    assert "OVERDUE" in repo.run("status", "--lang", "en").stdout
    assert repo.run("build", "--out", str(tmp_path / "site")).exit_code == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    (shown,) = re.findall(r'<p class="siklus terlambat"[^\n]*</p>', page)
    assert "<strong>Terlambat:</strong> DIP dimutakhirkan" in shown
    assert f'<time datetime="{deadline.isoformat()}">{long_id(deadline)}</time>' in shown
    english = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Overdue:</strong> DIP updated on" in english


def test_a_decree_5_months_old_is_not_overdue(repo: Repo, monkeypatch, tmp_path: Path) -> None:
    day = add_months(TODAY, -5)
    establish(repo, monkeypatch, day, tmp_path)
    doc = json.loads(repo.run("status", "--json").stdout)["pemutakhiran"]
    assert (doc["terakhir"], doc["terlambat"]) == (day.isoformat(), False)
    assert doc["paling_lambat"] == add_months(day, 12).isoformat()
    text = repo.run("status").stdout
    assert "TERLAMBAT" not in text
    expected = f"DIP dimutakhirkan {long_id(day)} (keputusan 1/DIP/X); pemutakhiran berikutnya"
    assert expected in text
    assert repo.run("build", "--out", str(tmp_path / "site")).exit_code == 0
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p class="siklus" id="pemutakhiran_berikutnya">DIP dimutakhirkan' in page
    assert "Terlambat" not in page


def test_the_site_is_byte_identical_for_one_source_date(old: Path, tmp_path: Path, monkeypatch):
    """SOURCE_DATE_EPOCH fixes the day the site is built for; the mark follows it."""
    repo = copy(old, tmp_path)
    before = add_months(OLD, 6)  # a build day before the deadline: not overdue
    epoch = int(dt.datetime(before.year, before.month, before.day, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    pages = []
    for name in ("a", "b"):
        assert repo.run("build", "--out", str(tmp_path / name)).exit_code == 0
        pages.append((tmp_path / name / "index.html").read_bytes())
    assert pages[0] == pages[1]
    assert b'<p class="siklus" id=' in pages[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    bad = repo.run("build", "--out", str(tmp_path / "c"))
    assert bad.exit_code == 2
    assert "SOURCE_DATE_EPOCH 'yesterday'" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout


# -- items' editions and ended exemptions --------------------------------------------------


def test_status_lists_an_overdue_edition_and_an_ended_exemption_with_the_command(
    old: Path, tmp_path: Path
) -> None:
    repo = copy(old, tmp_path)
    warnings = json.loads(repo.run("status", "--json").stdout)["peringatan"]
    by_item = {w["informasi"]: w for w in warnings}
    assert set(by_item) == {"lkjip-2024", "data-pegawai"}  # the five-yearly Renstra is fine
    yearly = by_item["lkjip-2024"]
    assert (yearly["jenis"], yearly["perintah"]) == ("edition", "dipctl revise lkjip-2024")
    assert add_months(dt.date.fromisoformat(EDITION), 12).isoformat() in yearly["pesan"]
    ended = by_item["data-pegawai"]
    lift = "dipctl lift data-pegawai --category KATEGORI --number N --date D -m ALASAN"
    assert (ended["jenis"], ended["perintah"]) == ("exemption_ended", lift)  # the PPID's step
    text = repo.run("status").stdout
    (line,) = [line for line in text.splitlines() if "lkjip-2024: edisi" in line]
    assert line.endswith("— dipctl revise lkjip-2024")
    assert f"masa pengecualian berakhir {ENDS}" in text
    assert "renstra-2025" not in "".join(w["pesan"] for w in warnings)
    # the command shown is the one that works, and taking it clears the warning
    result = repo.run("revise", "lkjip-2024", "--as", KASUBBAG)
    assert result.exit_code == 0, result.stderr
    after = json.loads(repo.run("status", "--json").stdout)["peringatan"]
    assert [w["informasi"] for w in after] == ["data-pegawai"]


def test_nothing_is_flagged_for_the_age_of_a_decree_alone(old: Path, tmp_path: Path) -> None:
    repo = copy(old, tmp_path)
    for unit, item in (("sekretariat", "lkjip-2024"), ("sekretariat", "renstra-2025")):
        path = repo.item(unit, item)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"pembaruan:\n(  .*\n)+", "", text), encoding="utf-8")
    git(repo.path, "add", "-A")
    warnings = json.loads(repo.run("status", "--json").stdout)["peringatan"]
    assert [w["informasi"] for w in warnings] == ["data-pegawai"]  # 13-month-old berkala items


# -- bad values: clear errors naming file and field ----------------------------------------


BAD_EDITIONS = {  # item id -> (its pembaruan block, the field named, the message)
    "lra-a": ("pembaruan:\n  periode: 6 minggu\n  edisi: \"2025-01-01\"", "pembaruan.periode",
              "'6 minggu' bukan jangka waktu dalam bulan atau tahun"),
    "lra-b": ("pembaruan:\n  periode: 0 bulan\n  edisi: \"2025-01-01\"", "pembaruan.periode",
              "'0 bulan' bukan jangka waktu"),
    "lra-c": ("pembaruan:\n  periode: 1 tahun\n  edisi: \"2025-02-30\"", "pembaruan.edisi",
              "'2025-02-30' bukan tanggal edisi ISO berpetik"),
    "lra-d": ("pembaruan:\n  periode: 1 tahun\n  edisi: 2025-01-01", "pembaruan.edisi",
              "tanggal harus ditulis sebagai teks ISO berpetik"),
    "lra-e": ("pembaruan:\n  periode: 1 tahun\n  edisi: \"2999-01-01\"", "pembaruan.edisi",
              "tanggal edisi 2999-01-01 di masa depan"),
    "lra-f": ("pembaruan:\n  periode: 1 tahun", "pembaruan", "kunci wajib 'edisi'"),
    "lra-g": ("pembaruan:\n  periode: 1 tahun\n  edisi: \"2025-01-01\"\n  terbit: x",
              "pembaruan.terbit", "kunci 'terbit' tidak dikenal"),
    "lra-h": ("pembaruan: tahunan", "pembaruan", "pemetaan"),
    "lra-i": ("pembaruan:\n  periode: \"1 tahun\\u001b[2J\"\n  edisi: \"2025-01-01\"",
              "pembaruan.periode", "'1 tahun?[2J' bukan jangka waktu"),
}  # fmt: skip


def test_bad_item_editions_name_file_and_field(repo: Repo) -> None:
    made = repo.run("new", "--unit", "sekretariat", "--title", "LRA", "--as", KASUBBAG)
    assert made.exit_code == 0, made.stderr
    text = repo.item("sekretariat", "lra").read_text(encoding="utf-8")
    repo.item("sekretariat", "lra").unlink()
    for item, (block, _, _) in BAD_EDITIONS.items():
        bad = text.replace("id: lra\n", f"id: {item}\n").replace("\nstatus:", f"\n{block}\nstatus:")
        repo.item("sekretariat", item).write_text(bad, encoding="utf-8")
    result = repo.run("validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "\x1b" not in result.stdout
    for item, (_, field, message) in BAD_EDITIONS.items():
        where = f"register/informasi/sekretariat/{item}.yaml:"
        (line,) = [line for line in lines if line.startswith(where) and message in line]
        assert re.match(rf"{re.escape(where)}\d+: {re.escape(field)}: ", line), line
    english = repo.run("validate", "--lang", "en").stdout
    assert "is not a period in months or years" in english


@pytest.mark.parametrize("value", ["1 hari", "0 tahun", '"12 bulan\\u0007"'])
def test_a_bad_siklus_is_an_error_naming_the_file_and_field(repo: Repo, value: str) -> None:
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"pemutakhiran:\n(  .*\n)+", lambda _: f"pemutakhiran:\n  siklus: {value}\n", text),
        encoding="utf-8",
    )
    checked = repo.run("validate")
    assert checked.exit_code == 1
    assert re.search(r"register/register\.yaml:\d+: pemutakhiran\.siklus: ", checked.stdout)
    status = repo.run("status")
    assert status.exit_code == 4, status.stdout
    assert "register.yaml: pemutakhiran.siklus:" in status.stderr
    assert "dipctl validate" in status.stderr
    assert "\x07" not in status.stderr
    assert "Traceback" not in status.stderr + status.stdout


def test_siklus_defaults_to_12_months_and_takes_years(repo: Repo, tmp_path: Path) -> None:
    config = repo.register / "register.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"pemutakhiran:\n(  .*\n)+", "", text), encoding="utf-8")
    assert repo.run("validate").exit_code == 0, repo.run("validate").stdout
    doc = json.loads(repo.run("status", "--json").stdout)["pemutakhiran"]
    assert (doc["siklus"], doc["siklus_bulan"], doc["paling_lambat"]) == ("12 bulan", 12, None)
    config.write_text(text.replace("siklus: 12 bulan", "siklus: 2 tahun"), encoding="utf-8")
    doc = json.loads(repo.run("status", "--json").stdout)["pemutakhiran"]
    assert doc["siklus_bulan"] == 24


# -- dipctl pemutakhiran --------------------------------------------------------------------


@pytest.fixture(scope="module")
def renewed(old: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``old``, then two months ago a revision round (the yearly item gets a new edition, the
    exempt item is opened as public information) and a month ago a withdrawal."""
    path = tmp_path_factory.mktemp("renewed") / "dinas"
    shutil.copytree(old, path, symlinks=True)
    repo = Repo(path)
    home = tmp_path_factory.mktemp("renewed-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    day, gone = add_months(TODAY, -2), add_months(TODAY, -1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        when = at(day - dt.timedelta(days=1))
        act(repo, mp, when, KASUBBAG, "revise", "lkjip-2024", "-m", "LKjIP 2025 terbit")
        act(repo, mp, when, KASUBBAG_PROGRAM, "revise", "data-pegawai", "-m", "Dibuka")
        item = repo.item("sekretariat", "lkjip-2024")
        item.write_text(item.read_text().replace(EDITION, (day - dt.timedelta(days=5)).isoformat()))
        act(repo, mp, when, KASUBBAG, "submit", "lkjip-2024")
        act(repo, mp, when, KASUBBAG_PROGRAM, "submit", "data-pegawai")
        act(repo, mp, when, SEKRETARIS, "review", "lkjip-2024", "data-pegawai", "--approve")
        act(repo, mp, when, PPID, "classify", "lkjip-2024", "--category", "berkala")
        act(repo, mp, when, PPID, "classify", "data-pegawai", "--category", "setiap-saat")
        meeting = (
            "meeting", "lkjip-2024", "data-pegawai", "--date", day.isoformat(),
            "--place", "Ruang Rapat", "--attendee", PPID, "--attendee", SEKRETARIS,
            "--softcopy", "Folder PPID", "--hardcopy", "Lemari 1",
            "--time", "09:00", "--chair", PPID,
        )  # fmt: skip
        act(repo, mp, at(day), PPID, *meeting)
        # the PPID ends the exemption (its last established version is in the DIK) first:
        # the head's SK DIP cannot list what the Penetapan DIK in force still exempts
        opened = ("--number", "2/DIK/X", "--date", day.isoformat(), "-m", "Uji konsekuensi baru")
        act(
            repo, mp, at(day, 9), PPID, "lift", "data-pegawai", "--category", "setiap-saat", *opened
        )
        decree = ("--number", "2/DIP/X", "--date", day.isoformat())
        act(repo, mp, at(day, 10), KEPALA, "establish", "--all", *decree)
        withdraw = ("--number", "3/DIP/X", "--date", gone.isoformat(), "-m", "Diganti")
        act(repo, mp, at(gone), KEPALA, "withdraw", "renstra-2025", *withdraw)
        checked = repo.run("verify")
        assert checked.exit_code == 0, checked.stdout  # a new edition is a revision's content
    return path


def report(repo: Repo, *args: str) -> dict[str, Any]:
    result = repo.run("pemutakhiran", *args, "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def ids(doc: dict[str, Any], group: str, key: str) -> list[tuple[str, int]]:
    return [(e["informasi"], e["revisi"]) for e in doc[group][key]]


def test_the_report_counts_a_period_of_real_history(renewed: Path, tmp_path: Path) -> None:
    repo = Repo(renewed)
    recent = add_months(TODAY, -3).isoformat()
    doc = report(repo, "--from", recent, "--to", TODAY.isoformat())
    assert doc["periode"] == {"dari": recent, "sampai": TODAY.isoformat()}
    assert [(d["nomor"], d["daftar"], d["jenis"]) for d in doc["keputusan"]] == [
        ("2/DIK/X", "dik", "penetapan-dik"),  # the lift, then the DIP decree that opens it
        ("2/DIP/X", "dip", "penetapan"),
        ("3/DIP/X", "dip", "pencabutan"),
    ]
    assert doc["dip_dimutakhirkan"] is True
    assert ids(doc, "informasi", "ditetapkan") == []
    assert ids(doc, "informasi", "dimutakhirkan") == [("data-pegawai", 1), ("lkjip-2024", 1)]
    assert ids(doc, "informasi", "dicabut") == [("renstra-2025", 0)]
    assert ids(doc, "pengecualian", "dibuka") == [("data-pegawai", 1)]
    assert ids(doc, "pengecualian", "ditetapkan") == ids(doc, "pengecualian", "berakhir") == []
    revised = doc["informasi"]["dimutakhirkan"][0]
    assert (revised["tanggal"], revised["nomor"]) == (add_months(TODAY, -2).isoformat(), "2/DIP/X")
    around = (OLD - dt.timedelta(days=1), OLD + dt.timedelta(days=1))
    first = report(repo, "--from", around[0].isoformat(), "--to", around[1].isoformat())
    assert first["jumlah"] == {
        "keputusan": 2,
        "informasi_ditetapkan": 2,
        "informasi_dimutakhirkan": 0,
        "informasi_dicabut": 0,
        "pengecualian_ditetapkan": 1,
        "pengecualian_berakhir": 0,
        "pengecualian_dibuka": 0,
    }
    assert [d["daftar"] for d in first["keputusan"]] == ["dik", "dip"]
    quiet = report(repo, "--year", str(OLD.year - 1))
    assert quiet["dip_dimutakhirkan"] is False and not any(quiet["jumlah"].values())


def test_an_ended_exemption_is_reported_as_expired(old: Path) -> None:
    doc = report(Repo(old), "--from", OLD.isoformat(), "--to", TODAY.isoformat())
    (ended,) = doc["pengecualian"]["berakhir"]
    assert (ended["informasi"], ended["tanggal"], ended["nomor"]) == (
        "data-pegawai",
        ENDS,
        "1/DIK/X",
    )
    assert ids(doc, "pengecualian", "ditetapkan") == [("data-pegawai", 0)]


def test_the_mutu_baku_of_the_report_is_sla_over_the_period(renewed: Path) -> None:
    from dipctl.proof import sla
    from dipctl.register.config import find_register

    repo = Repo(renewed)
    start = add_months(TODAY, -3)
    doc = report(repo, "--from", start.isoformat(), "--to", TODAY.isoformat())
    steps = sla.measure(find_register(repo.register), TODAY).steps
    inside = [s for s in steps if s.measured and start.isoformat() <= s.date[:10]]
    expected = {k: (0, 0) for k in ("rapat", "penetapan", "pengunggahan")}
    for s in inside:
        count, late = expected[s.bound]
        expected[s.bound] = (count + 1, late + s.missed)
    assert {q["mutu_baku"]: (q["langkah"], q["terlambat"]) for q in doc["mutu_baku"]} == expected
    # the meeting and the upload; a decree with no recorded presentation is not measured
    assert sum(n for n, _ in expected.values()) >= 2


def test_the_report_in_text_and_on_paper_changes_nothing(renewed: Path, tmp_path: Path) -> None:
    repo = Repo(renewed)
    head = repo.log("-1", "--format=%H")
    out = tmp_path / "laporan.html"
    year = ("--year", str(TODAY.year))
    text = repo.run("pemutakhiran", "--from", add_months(TODAY, -3).isoformat(),
                    "--to", TODAY.isoformat(), "--out", str(out))  # fmt: skip
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert "Informasi dicabut dari DIP: 1" in lines
    assert any(line.endswith("renstra-2025  Renstra 2025  3/DIP/X") for line in lines)
    assert str(out) in text.stderr
    page = out.read_text(encoding="utf-8")
    assert "DINAS CONTOH" in page and "LAPORAN PEMUTAKHIRAN" in page  # under the kop
    assert "LKjIP 2024 (revisi 1)" in page
    assert page.count("Nihil") == 3  # established, exemptions established, expired
    assert "Tahun" not in page.split("<h1", 1)[1].split("</h1>")[0]  # a range, not a year
    english = repo.run("pemutakhiran", *year, "--lang", "en")
    assert "Information withdrawn from the DIP: 1" in english.stdout
    assert repo.log("-1", "--format=%H") == head
    assert git(repo.path, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2026", "--from", "2026-01-01"), "bukan keduanya"),
        (("--from", "2026-01-01"), "harus diberikan bersama"),
        (("--from", "2026-06-01", "--to", "2026-01-01"), "jatuh sesudah"),
        (("--from", "2026-02-30", "--to", "2026-03-01"), "--from '2026-02-30' bukan tanggal ISO"),
        (("--year", "20266"), "bukan tahun"),
    ],
)
def test_bad_periods_are_usage_errors(repo: Repo, args: tuple[str, ...], message: str) -> None:
    result = repo.run("pemutakhiran", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_report_reads_a_hostile_history_without_a_traceback(repo: Repo) -> None:
    """Plain-git commits with junk where dates, revisions and decrees belong: the report
    still runs (verify is what refuses such a history), dating events by their commit."""
    made = repo.run("new", "--unit", "sekretariat", "--title", "Junk", "--as", KASUBBAG)
    assert made.exit_code == 0, made.stderr
    path = repo.item("sekretariat", "junk")
    text = path.read_text(encoding="utf-8").replace("status: draf", "status: ditetapkan")
    path.write_text(text + "revisi: banyak\nkeputusan: [x]\npembaruan: 7\n", encoding="utf-8")
    decrees = repo.register / "keputusan"
    decrees.mkdir(exist_ok=True)
    (decrees / "sk-x.yaml").write_text("jenis: penetapan\ntanggal: 12345\nnomor: [1]\n")
    (decrees / "rusak.yaml").write_text("jenis: [\n")
    commit_all(repo.path, "tangan", KASUBBAG)
    doc = report(repo)
    assert ids(doc, "informasi", "ditetapkan") == [("junk", 0)]
    assert doc["informasi"]["ditetapkan"][0]["tanggal"] == TODAY.isoformat()
    assert doc["keputusan"] == []
    assert repo.run("status").exit_code == 0
