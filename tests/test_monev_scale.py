"""``dipctl monev`` at province scale (issue 21): every PDF of the pack within e-Monev's 2 MB.

Printed tagged, as before, the SK DIP of this register (the example's 76 items and 700 more)
was about 2.2 MB (1,076 items: 3.1 MB, 35 MB at 10,000): four fifths of it the structure
tree Chromium writes for a tagged PDF. Printed untagged it is a few hundred KB; a lampiran
still over the limit (about 5,000 rows and more) is printed in numbered parts, each within
it, which the second run proves with the limit lowered (the same code path, fewer rows).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dipctl.publish import monev
from tests.conftest import EXAMPLE, Repo, commit_all, git
from tests.test_monev import LIMIT, pdfinfo, text_of
from tests.test_paper import _tool

ITEMS = 700
TITLE = re.compile(r"Informasi skala nomor (\d+)")


def big_register(root: Path, count: int = ITEMS) -> Repo:
    """The example register without its signed SK DIP scan, and ``count`` more established
    items in that decree's lampiran."""
    path = root / "provinsi"
    reg = path / "register"
    shutil.copytree(EXAMPLE, reg)
    (reg / "keputusan" / "sk-dip-2026.pdf").unlink()
    folder = reg / "informasi" / "subbagian-tata-usaha"
    ids = [f"skala-{n:04d}" for n in range(count)]
    for n, item in enumerate(ids):
        (folder / f"{item}.yaml").write_text(
            f"id: {item}\njudul: Informasi skala nomor {n}\n"
            f"ringkasan: Ringkasan isi informasi skala nomor {n} untuk uji ukuran lampiran.\n"
            "unit: subbagian-tata-usaha\npenanggung_jawab: Kepala Subbagian Tata Usaha\n"
            'waktu_pembuatan: "2025"\ntempat_pembuatan: Palangka Raya\n'
            "bentuk: [softcopy, hardcopy]\nretensi: 5 tahun\nkategori: berkala\n"
            "status: ditetapkan\nrapat: 2026-01-20-penentuan-dip\nkeputusan: sk-dip-2026\n",
            encoding="utf-8",
        )
    decree = reg / "keputusan" / "sk-dip-2026.yaml"
    listed = "".join(f"  - {i}\n" for i in ids)
    text = decree.read_text(encoding="utf-8")
    text = text.replace("\nmenetapkan:\n", "\nmenetapkan:\n" + listed, 1)
    decree.write_text(text.replace("\nlampiran:\n", "\nlampiran:\n" + listed, 1), "utf-8")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register provinsi")
    return Repo(path)


def numbers(path: Path) -> list[int]:
    return [int(n) for n in TITLE.findall(text_of(path, layout=False))]


def test_a_large_lampiran_fits_and_past_the_limit_is_printed_in_parts_the_index_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tool("chromium", "chromium-browser")
    repo = big_register(tmp_path)
    out = tmp_path / "emonev"
    done = repo.run("monev", "--year", "2026", "--out", out)
    assert done.exit_code == 0, done.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert all(p.stat().st_size <= LIMIT for p in pdfs), [(p.name, p.stat().st_size) for p in pdfs]
    whole = out / "01-sk-dip.pdf"
    assert whole.stat().st_size < LIMIT // 4  # untagged: a fraction of the tagged 2.2 MB
    order = numbers(whole)
    assert sorted(order) == list(range(ITEMS))  # every row, once

    # Past the limit (lowered here, so that few rows prove it): the same decree in parts.
    limit = whole.stat().st_size * 2 // 5
    monkeypatch.setattr(monev, "MAX_BYTES", limit)
    done = repo.run("monev", "--year", "2026", "--out", out)
    assert done.exit_code == 0, done.stderr
    names = sorted(p.name for p in out.glob("01-sk-dip*.pdf"))
    count = len(names)
    assert 3 <= count <= 4, names  # as few parts as fit
    assert names == [f"01-sk-dip-bagian-{k}.pdf" for k in range(1, count + 1)]
    assert all(p.stat().st_size <= limit for p in out.glob("*.pdf"))
    texts = [text_of(out / n, layout=False) for n in names]
    # the same rows in the same order as the decree printed whole, numbered on
    assert [n for name in names for n in numbers(out / name)] == order
    for k, text in enumerate(texts, 1):
        assert f"BAGIAN : {k} DARI {count}" in text or f"BAGIAN {k} DARI {count}" in text, k
        assert ("MEMUTUSKAN" in text) == (k == 1)  # the decree's text is in part 1 only
        assert ("(lanjutan)" in text) == (k > 1)
    assert int(pdfinfo(out / names[-1])["Pages"]) >= 1
    signer = "Contoh Kepala Biro Organisasi"
    assert [signer in t for t in texts] == [True] + [False] * (count - 2) + [True]
    index = (out / "00-indeks.html").read_text(encoding="utf-8")
    for k, name in enumerate(names, 1):
        assert name in index and f"Bagian {k} dari {count}" in index
    assert "jangan digabung" in index and "gabungkan berkas-berkas ini" not in index
    assert "01-sk-dip-bagian-1.pdf" in done.stdout


def test_a_part_that_cannot_be_made_small_enough_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One row and the decree's text over the limit (here a limit below the embedded fonts,
    as a row of megabytes would be): the parts shrink to one row, then exit 4 naming the
    file, nothing written; never a loop, a traceback or a part over the limit."""
    _tool("chromium", "chromium-browser")
    repo = big_register(tmp_path, count=0)
    monkeypatch.setattr(monev, "MAX_BYTES", 20_000)
    out = tmp_path / "emonev"
    done = repo.run("monev", "--year", "2026", "--out", out)
    assert done.exit_code == 4, (done.exit_code, done.stderr)
    assert "01-sk-dip-bagian-" in done.stderr and "2 MB" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
