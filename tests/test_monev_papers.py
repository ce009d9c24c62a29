"""``dipctl monev`` at province scale, the papers beside the SK DIP (issue 21): the Penetapan
DIK's lampiran, the berita acara of the year's meetings and the consequence-test sheets stay
within e-Monev's 2 MB: the Penetapan DIK in numbered parts of its lampiran's rows as the SK
DIP, the papers printed together in numbered parts of whole papers, every one once, in order.

At 10,000 items a register holds about 500 exempt items (a sheet each) and 20 meetings of
500 decisions a year: several megabytes printed together. Here the limit is lowered so that
a few dozen papers prove the same code path in seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from dipctl.publish import evidence, monev
from dipctl.register.config import find_register
from tests.conftest import EXAMPLE, Repo, commit_all, git
from tests.test_monev import text_of
from tests.test_paper import _tool

EXEMPT = 24
MEETINGS = 7
LIMIT = 150_000  # the index and every single paper are well below; the three above, twice
TEMPLATE_ITEM = "bo-data-pribadi-pegawai"
MEETING = "2026-01-20-penentuan-dip"
SHEET_TITLE = re.compile(r"Data Pribadi Pegawai Skala (\d+)")


def exempt_register(root: Path) -> Repo:
    """The example register (its SK DIP signed, as scanned) with ``EXEMPT`` more exempt items
    in its Penetapan DIK, and ``MEETINGS`` meetings in 2026 instead of one."""
    path = root / "provinsi"
    reg = path / "register"
    shutil.copytree(EXAMPLE, reg)
    folder = reg / "informasi" / "subbagian-tata-usaha"
    template = (folder / f"{TEMPLATE_ITEM}.yaml").read_text(encoding="utf-8")
    decree = reg / "keputusan" / "sk-dik-2026.yaml"
    text = decree.read_text(encoding="utf-8")
    rincian = text[text.index(f"  - informasi: {TEMPLATE_ITEM}\n") :].split("\n  - ")[0]
    ids = [f"skala-dik-{n:03d}" for n in range(EXEMPT)]
    for n, item in enumerate(ids):
        body = template.replace(f"id: {TEMPLATE_ITEM}", f"id: {item}")
        body = body.replace(
            "judul: Data Pribadi Pegawai Biro Organisasi", f"judul: Data Pribadi Pegawai Skala {n}"
        )
        (folder / f"{item}.yaml").write_text(body, encoding="utf-8")
    listed = "".join(f"  - {i}\n" for i in ids)
    long = rincian.replace(
        '    alasan: "', '    alasan: "' + "Alasan pengecualian yang panjang. " * 60
    )
    details = "".join(long.replace(TEMPLATE_ITEM, i) + "\n" for i in ids)
    text = text.replace("\nmenetapkan:\n", "\nmenetapkan:\n" + listed, 1)
    text = text.replace("\nlampiran:\n", "\nlampiran:\n" + listed, 1)
    decree.write_text(text.replace("\nrincian:\n", "\nrincian:\n" + details, 1), "utf-8")
    meeting = (reg / "rapat" / f"{MEETING}.yaml").read_text(encoding="utf-8")
    for day in range(21, 20 + MEETINGS):
        other = f"2026-01-{day}-penentuan-dip"
        body = meeting.replace(f"id: {MEETING}", f"id: {other}")
        body = body.replace('tanggal: "2026-01-20"', f'tanggal: "2026-01-{day}"')
        (reg / "rapat" / f"{other}.yaml").write_text(body, encoding="utf-8")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register provinsi")
    return Repo(path)


def expected(repo: Repo) -> tuple[list[int], list[int]]:
    """The order of the added items in the whole DIK lampiran and in the whole set of sheets,
    as the pack's own producers give them (nothing printed)."""
    inputs = monev._inputs(find_register(repo.register), 2026, "id", dt.date(2026, 12, 1))
    whole = evidence.dik_decree(inputs).parts[0]
    assert whole.split is not None
    dik = [int(n) for n in SHEET_TITLE.findall(whole.split(10**6)[0][1])]
    keys = [p.key for p in evidence.consequence_tests(inputs).parts]
    return dik, [int(k.rsplit("-", 1)[1]) for k in keys if k.startswith("skala-dik-")]


def numbers(path: Path) -> list[int]:
    return [int(n) for n in SHEET_TITLE.findall(text_of(path, layout=False))]


def test_the_dik_the_minutes_and_the_sheets_past_the_limit_are_printed_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tool("chromium", "chromium-browser")
    repo = exempt_register(tmp_path)
    dik_order, sheet_order = expected(repo)
    assert sorted(dik_order) == sorted(sheet_order) == list(range(EXEMPT))
    monkeypatch.setattr(monev, "MAX_BYTES", LIMIT)
    out = tmp_path / "emonev"
    done = repo.run("monev", "--year", "2026", "--out", out)
    assert done.exit_code == 0, done.stderr
    sizes = {p.name: p.stat().st_size for p in out.glob("*.pdf")}
    assert all(size <= LIMIT for size in sizes.values()), sizes
    index = (out / "00-indeks.html").read_text(encoding="utf-8")

    def parts_of(slug: str) -> list[str]:
        names = sorted(n for n in sizes if n.startswith(slug))
        assert len(names) >= 2, sizes
        assert names == [f"{slug}-bagian-{k}.pdf" for k in range(1, len(names) + 1)], names
        for k, name in enumerate(names, 1):
            assert name in index and f"Bagian {k} dari {len(names)}" in index, name
        return names

    # The Penetapan DIK: its lampiran's rows in parts, as the SK DIP's, numbered on.
    dik = parts_of("02-penetapan-dik")
    texts = [text_of(out / n, layout=False) for n in dik]
    assert [n for name in dik for n in numbers(out / name)] == dik_order
    count = len(dik)
    for k, text in enumerate(texts, 1):
        assert f"BAGIAN : {k} DARI {count}" in text or f"BAGIAN {k} DARI {count}" in text, k
        assert ("MEMUTUSKAN" in text) == (k == 1)  # the decree's own text: part 1 only
        assert ("(lanjutan)" in text) == (k > 1)
    signer = "Contoh PPID Pembantu Biro Organisasi"  # under the decree, and under the lampiran
    assert [signer in t for t in texts] == [True] + [False] * (count - 2) + [True]

    # The berita acara of the seven meetings: whole papers, each once, in date order.
    minutes = parts_of("03-berita-acara")
    held = [re.findall(r"\((\d+) Januari", text_of(out / n, layout=False)) for n in minutes]
    days = [int(day) for found in held for day in found]
    assert days == list(range(20, 20 + MEETINGS)), held
    assert all(found for found in held)

    # The consequence-test sheets: each once, whole, in the order of the whole set.
    sheets = parts_of("04-uji-konsekuensi")
    assert [n for name in sheets for n in numbers(out / name)] == sheet_order

    assert index.count("setiap naskah utuh dalam satu bagian") == 2  # minutes and sheets
    assert "baris yang sama dengan naskah utuhnya" in index  # the DIK's rows
    with zipfile.ZipFile(out / "emonev-2026.zip") as archive:
        assert set(sizes) <= set(archive.namelist())


def test_one_meeting_that_decided_thousands_is_split_by_its_rows(tmp_path: Path) -> None:
    """The berita acara of a single meeting over the limit (a first DIP decided at once)
    is split by the rows of its results, as the decrees are (the print loop is theirs,
    proven above with Chromium): the record and first rows in part 1, the rows numbered on
    under their headings (lanjutan), the notes, filing and signatures under the last."""
    repo = exempt_register(tmp_path)
    meeting = repo.register / "rapat" / f"{MEETING}.yaml"
    extra = "".join(
        f"  - informasi: rapat-skala-{n:04d}\n    keputusan: ditentukan\n" for n in range(600)
    )
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("hasil:\n", "hasil:\n" + extra, 1)
    )
    inputs = monev._inputs(find_register(repo.register), 2026, "id", dt.date(2026, 12, 1))
    paper = evidence.minutes(inputs).parts[0]
    assert paper.split is not None and paper.key == MEETING
    whole = paper.split(10**6)
    assert [p.count for p, _ in whole] == [1] and whole[0][1] == paper.page  # unchanged whole
    pieces = paper.split(250)
    count = len(pieces)
    assert count == 3, [p for p, _ in pieces]
    numbered: list[tuple[str, int]] = []
    for (_part, html), k in zip(pieces, range(1, count + 1), strict=True):
        assert f"BAGIAN {k} DARI {count}" in html
        assert ("Peserta Rapat" in html) == (k == 1)  # the record and attendance: part 1
        assert ("Mengetahui" in html) == (k == count)  # the signatures: the last part
        assert ("Hasil Rapat (lanjutan)" in html) == (k > 1)
        for section in re.split(r'<h3 id="hasil-', html)[1:]:
            key = section.split('"', 1)[0]
            numbered += [(key, int(n)) for n in re.findall(r'<td class="no">(\d+)</td>', section)]
    for key in ("dip", "dik"):  # every row once, numbered on across the parts
        found = [n for k, n in numbered if k == key]
        assert found == list(range(1, len(found) + 1)), key
    assert len(numbered) == pieces[-1][0].stop
    assert "(lanjutan)</h3>" in pieces[1][1]
