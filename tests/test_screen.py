"""Issue 20.5, one screen: every command's default output fits 80 columns, on the example
register (Biro Organisasi), piped (CliRunner, in-process) and on a terminal (a pty).

A line may pass 80 columns only when it is one word alone on its line (an id, a path or a URL
kept whole so that it can be copied) or an SSH public key to send. ``--wide`` restores every
column and the full text; ``--json`` everything.

To hold a new command to 80 columns, add its command line to :data:`READS` (it reads) or to
the scenario of :func:`test_every_step_and_its_messages_fit` (it changes the register).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import Result

from tests.conftest import EXAMPLE, Repo, commit_all, dipctl, git, isolated_git
from tests.test_language import run_on_terminal

WIDTH = 80
KEPALA = "kepala.biro@biroorganisasi.example.go.id"
SEKRETARIS = "kabag.kelembagaan@biroorganisasi.example.go.id"
SEKRETARIS_TL = "kabag.tatalaksana@biroorganisasi.example.go.id"
PPID = "ppid@biroorganisasi.example.go.id"
POKJA = "pokja.kelembagaan@biroorganisasi.example.go.id"
POKJA_TL = "pokja.tatalaksana@biroorganisasi.example.go.id"
DRAFT = "bo-kajian-pembentukan-upt-2026"  # draf, bagian-kelembagaan
DRAFT_TL = "bo-laporan-evaluasi-sop-2025"  # draf, bagian-tata-laksana
FORWARDED = "bo-hasil-asesmen-kompetensi-pejabat-2026"  # diteruskan
EXEMPT = "bo-dokumen-penawaran-pengadaan-2026"  # diunggah, dikecualikan

COMPLETE = ("--form", "softcopy", "--retention", "5 tahun")  # what the draft lacks

#: (command line, exit code): commands that only read, run on the worked example
READS = [
    ("list", 0),
    ("list --status diunggah --unit subbagian-tata-usaha", 0),
    ("list --lang en", 0),
    (f"show {DRAFT}", 0),
    (f"show {EXEMPT}", 0),
    (f"history {DRAFT}", 0),
    (f"history {DRAFT} --lang en", 0),
    ("status", 0),
    ("status --lang en", 0),
    ("sla", 0),
    ("sla --steps", 0),
    ("verify", 1),  # the example came in one commit by hand: a long report
    ("verify --lang en", 1),
    ("sla --lang en", 0),
    (f"show {EXEMPT} --lang en", 0),
    ("pemutakhiran --year 2026 --lang en", 0),
    ("verify --explain all", 0),
    ("verify --explain decree", 0),
    ("validate", 0),
    ("pemutakhiran --year 2026", 0),
    ("decree draft --dik", 3),  # nothing to draft: the refusal and its hint
    ("show bo-tidak-ada", 4),  # an error with its hint
    ("list --status selesai", 2),  # a usage error
    ("review bo-lkjip-2025 --approve --as " + POKJA, 3),  # a refusal naming the officer
    ("--help", 0),
    ("status --help", 0),
    ("meeting --help", 0),
    ("officer add --help", 0),
    ("agency set --help", 0),
    ("classify --help", 0),
]


def too_wide(text: str, width: int = WIDTH) -> list[str]:
    """The lines of ``text`` wider than ``width`` cells (tabs to the next multiple of 8,
    wide characters two cells), but for one word alone on its line or a public key to
    copy whole."""
    return [
        line
        for line in text.splitlines()
        if cell_len(line.expandtabs(8)) > width
        and len(line.split()) > 1
        and "ssh-ed25519 AAAA" not in line
    ]


def fits(result: Result, code: int = 0) -> Result:
    if os.environ.get("SCREEN_SHOW"):  # to look at the output: SCREEN_SHOW=1 pytest -s
        print(f"{result.stdout}{result.stderr}\n{'-' * WIDTH}")
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert too_wide(result.stdout) == [], result.stdout
    assert too_wide(result.stderr) == [], result.stderr
    return result


def example_repo(path: Path) -> Repo:
    shutil.copytree(EXAMPLE, path / "register")
    git(path, "init", "-q", "-b", "main")
    commit_all(path, "register contoh")
    return Repo(path)


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Repo]:
    """The example register with a few steps taken, so that history and sla have rows."""
    with isolated_git(tmp_path_factory):
        repo = example_repo(tmp_path_factory.mktemp("worked") / "biro")
        for args in (
            ("edit", DRAFT, *COMPLETE, "--as", POKJA),
            ("submit", DRAFT, "--as", POKJA),
            ("review", DRAFT, "--return", "-m", "Ringkasan belum menyebut dasar hukum " * 3,
             "--as", SEKRETARIS),
            ("submit", DRAFT, "--as", POKJA),
            ("review", DRAFT, "--approve", "--as", SEKRETARIS),
        ):  # fmt: skip
            assert repo.run(*args).exit_code == 0, repo.run(*args).stderr
        yield repo


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDTH))


@pytest.mark.parametrize(("line", "code"), READS, ids=[line for line, _ in READS])
@pytest.mark.usefixtures("narrow")
def test_every_read_fits_80_columns(worked: Repo, line: str, code: int) -> None:
    args = shlex.split(line)
    fits(dipctl(*args) if "--help" in args else worked.run(*args), code)


@pytest.mark.usefixtures("narrow")
def test_wide_gives_every_column_whole(worked: Repo) -> None:
    default = fits(worked.run("list"))
    assert "--wide" in default.stderr  # the summary says how to see everything
    assert default.stderr.startswith("67 informasi")
    rows = [line.split("\t") for line in worked.run("list", "--wide").stdout.splitlines()]
    assert len(rows) == 67 and all(len(row) == 5 for row in rows)  # for scripts: cut -f
    (draft,) = [row for row in rows if row[0] == DRAFT]
    assert draft == [DRAFT, "diteruskan", "-", "bagian-kelembagaan",
                     "Kajian Akademis Usulan Pembentukan UPT Baru Tahun 2026"]  # fmt: skip
    assert any(len(line) > WIDTH for line in worked.run("status", "--wide").stdout.splitlines())
    wide = worked.run("history", DRAFT, "--wide").stdout
    assert "Ringkasan belum menyebut dasar hukum " * 2 in wide
    shown = worked.run("show", EXEMPT, "--wide").stdout
    assert f"register/informasi/subbagian-tata-usaha/{EXEMPT}.yaml" in shown
    report = worked.run("pemutakhiran", "--year", "2026", "--wide").stdout
    assert "188.44/01/BIRO-ORG/I/2026" in report.split("Informasi publik ditetapkan")[1]


@pytest.mark.usefixtures("narrow")
def test_every_step_and_its_messages_fit(tmp_path: Path) -> None:
    """The SOP's steps on the example, each result and message within 80 columns."""
    repo = example_repo(tmp_path / "biro")
    run = repo.run
    fits(run("key", "--as", PPID))
    fits(run("new", "--unit", "bagian-kelembagaan", "--title", "Laporan " * 12, "--as", POKJA))
    careless = "報告書" * 20 + " " + "TanpaSpasi" * 12  # wide characters, a word of 120
    made = fits(run("new", "--unit", "bagian-kelembagaan", "--title", careless, "--id",
                    "bo-judul-ceroboh", "--as", POKJA))  # fmt: skip
    assert made.stdout.strip() == "bo-judul-ceroboh"
    fits(run("list", "--unit", "bagian-kelembagaan"))
    fits(run("show", "bo-judul-ceroboh"))
    fits(run("edit", DRAFT_TL, "--summary", "Ringkasan yang panjang " * 8, "--as", POKJA_TL))
    fits(run("submit", DRAFT, DRAFT_TL, "--as", POKJA), 3)  # not their unit: refused
    fits(run("submit", DRAFT, "--as", POKJA), 3)  # incomplete: the missing fields named
    fits(run("edit", DRAFT, *COMPLETE, "--as", POKJA))
    fits(run("submit", DRAFT, "--as", POKJA))
    fits(run("submit", DRAFT_TL, "--as", POKJA_TL))
    fits(run("review", DRAFT_TL, "--return", "-m", "Lengkapi " * 20, "--as", SEKRETARIS_TL))
    fits(run("undo", DRAFT_TL, "-m", "Keliru", "--as", SEKRETARIS_TL))
    fits(run("review", DRAFT, "--approve", "--as", SEKRETARIS))
    fits(run("classify", DRAFT, FORWARDED, "--category", "berkala", "--as", PPID))
    fits(run("review", DRAFT_TL, "--approve", "--as", SEKRETARIS_TL))
    fits(run("classify", DRAFT_TL, "--category", "dikecualikan", "--as", PPID), 3)  # no test
    test = [f"--set={key}={value}" for key, value in (
        ("pasal", "i"), ("dasar_hukum", "UU 14/2008 Pasal 17 huruf i"), ("bagian", "seluruhnya"),
        ("konsekuensi_dibuka", "Evaluasi yang belum final dapat disalahartikan publik"),
        ("konsekuensi_ditutup", "Pembahasan antarbagian berlangsung tanpa tekanan dari luar"),
        ("kepentingan_publik", "Hasil evaluasi yang matang lebih melindungi kepentingan publik"),
        ("alasan", "Evaluasi internal yang belum diputuskan pimpinan"),
        ("jangka_waktu", "2 tahun"), ("berakhir", "2028-12-31"), ("tanggal_uji", "2026-11-20"),
        ("penguji", f"{PPID}, {SEKRETARIS_TL}"))]  # fmt: skip
    fits(run("classify", DRAFT_TL, "--category", "dikecualikan", *test[:-1], "--set",
             "berakhir=permanen", "--as", PPID), 3)  # fmt: skip
    fits(run("classify", DRAFT_TL, "--category", "dikecualikan", *test, "--as", PPID))
    meeting = ("--date", "2026-11-20", "--time", "09:00", "--place", "Ruang Rapat Biro",
               "--chair", PPID, "--attendee", PPID, "--attendee", SEKRETARIS,
               "--softcopy", "Folder PPID", "--hardcopy", "Lemari Arsip 1")  # fmt: skip
    fits(run("meeting", DRAFT, FORWARDED, *meeting, "--as", PPID))
    fits(run("decree", "draft", "--out", str(tmp_path / "draf.html"), "--as", PPID))
    fits(run("decree", "present", "--all", "--as", PPID))
    fits(run("establish", "--all", "--number", "188.44/09/BIRO-ORG/XI/2026",
             "--date", "2026-11-21", "--amend", "--as", KEPALA))  # fmt: skip
    fits(run("revise", EXEMPT, "-m", "Edisi baru", "--as", PPID), 3)
    fits(run("build", "--out", str(tmp_path / "site")))
    fits(run("publish", DRAFT, "--url", "https://biroorganisasi.example.go.id/dip/",
             "--site", str(tmp_path / "site"), "--as", PPID))  # fmt: skip
    fits(run("export", "--format", "csv", "--out", str(tmp_path / "dip.csv")))
    fits(run("consequence-test", EXEMPT, "--out", str(tmp_path / "uji.html")))
    unit = "bagian-perencanaan-dan-evaluasi-kelembagaan-daerah"
    fits(run("unit", "add", unit, "--name", "Bagian Perencanaan " * 6, "--as", KEPALA))
    fits(run("unit", "rename", unit, "--name", "Bagian Perencanaan", "--as", KEPALA))
    newcomer = "kepala.subbagian.perencanaan.dan.evaluasi@biroorganisasi.example.go.id"
    fits(run("officer", "add", newcomer, "--name", "Nama Pejabat yang Panjang " * 3,
             "--position", "Kepala Subbagian " * 5, "--role", "kasubbag", "--unit", unit,
             "--as", KEPALA))  # fmt: skip
    fits(run("officer", "add", "orang@luar.example.go.id", "--name", "Orang Luar", "--position",
             "Staf", "--role", "kasubbag", "--unit", unit, "--as", POKJA), 3)  # fmt: skip
    fits(run("officer", "set", newcomer, "--nip", "197001011995031001", "--pangkat", "Pembina",
             "--golongan", "IV/a", "--as", KEPALA))  # fmt: skip
    fits(run("officer", "remove", newcomer, "--as", KEPALA))
    fits(run("agency", "set", "--address", "Jalan " * 20, "--hours", "Senin–Jumat 08.00–16.00",
             "--as", KEPALA))  # fmt: skip
    fits(run("status"))
    fits(run("sla"), 1)  # the meeting was recorded days after it was held
    fits(run("verify"), 1)
    path = repo.item("subbagian-tata-usaha", EXEMPT)
    path.write_text(path.read_text(encoding="utf-8").replace("status:", "status: [", 1))
    fits(run("validate"), 1)  # a problem names the file and line
    fits(run("list"))  # the file left out: a warning naming it
    fits(dipctl("init", tmp_path / "dinas-baru-dengan-nama-folder-yang-cukup-panjang",
                "--agency", "Dinas Komunikasi, Informatika, Statistik dan Persandian",
                "--head-name", "Kepala Dinas", "--head-email", KEPALA, "--unsigned"))  # fmt: skip


@pytest.mark.usefixtures("narrow")
def test_a_sync_conflict_and_its_resolution_fit(tmp_path: Path) -> None:
    """Two clones of the example change the same item: the report, and the outcomes."""
    origin = example_repo(tmp_path / "origin")
    server = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(origin.path), str(server))
    a, b = Repo(tmp_path / "a"), Repo(tmp_path / "b")
    fits(dipctl("clone", f"file://{server}", a.path, "--as", SEKRETARIS))
    fits(dipctl("clone", f"file://{server}", b.path, "--as", POKJA))
    fits(a.run("edit", DRAFT, *COMPLETE, "--as", POKJA))
    fits(b.run("edit", DRAFT, "--title", "Kajian Pembentukan UPT (perbaikan)"))
    fits(a.run("sync"))
    fits(b.run("status"))  # one step not sent yet: the hint fits too
    conflict = fits(b.run("sync"), 3)
    assert "--keep-theirs" in conflict.stderr
    fits(b.run("sync", "--keep-theirs", DRAFT))
    fits(b.run("sync"))
    fits(a.run("sync"))
    fits(a.run("edit", DRAFT, "--summary", "Ringkasan rekan " * 6, "--as", POKJA))
    fits(a.run("sync"))
    fits(b.run("edit", DRAFT, "--retention", "10 tahun"))
    fits(b.run("sync"), 3)
    fits(b.run("sync", "--keep-mine", DRAFT))


def test_on_a_terminal_80_columns_wide_the_output_fits(worked: Repo) -> None:
    """Through a pseudo-terminal sized 80 columns, without COLUMNS: the terminal's width."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    for line in ("list", "status", f"show {DRAFT}"):
        argv = [sys.executable, "-m", "dipctl", *shlex.split(line), "--register",
                str(worked.register)]  # fmt: skip
        out = on_terminal(argv, env, WIDTH)
        assert too_wide(out) == [], out
        assert DRAFT in out


def on_terminal(argv: list[str], env: dict[str, str], columns: int) -> str:
    text = run_on_terminal(argv, columns, env).replace("\r", "")
    return text.replace("\x1b[1m", "").replace("\x1b[0m", "")


def test_the_layout_counts_cells_and_keeps_words_whole() -> None:
    """What the commands above rest on: wide characters take two cells, ids are never cut,
    a command stays pasteable, a table too wide stacks its rows."""
    from dipctl import layout

    title = "Laporan 報告書 Tahunan"
    assert layout.cells(title) == cell_len(title) == 22
    assert layout.cells("a\tb") == 9
    clipped = layout.clip(title, 12)
    assert clipped.endswith("…") and layout.cells(clipped) <= 12
    long_id = "bo-" + "x" * 90
    assert layout.wrap(f"lihat {long_id} lalu ajukan", 40) == [
        "lihat",
        f"  {long_id}",
        "  lalu ajukan",
    ]
    assert layout.wrap("id\tdraf -> diajukan", 80) == ["id\tdraf -> diajukan"]  # the tab kept
    cjk = layout.wrap("報告書" * 20, 40, hanging="")  # no spaces in CJK text: cut to fit
    assert "".join(cjk) == "報告書" * 20 and max(map(cell_len, cjk)) == 40
    command = "dipctl lift bo-dokumen-penawaran-pengadaan-2026 --category K --number N --date D"
    lines = layout.command(command, 60)
    assert all(line.endswith(" \\") for line in lines[:-1]) and len(lines) > 1
    assert " ".join(line.rstrip(" \\").strip() for line in lines) == command
    rows = [(long_id, "draf", title), ("bo-pendek", "diunggah", title * 4)]
    table = layout.table(["id", "status", "judul"], rows, 60)
    assert long_id in table and all(cell_len(line) <= 60 for line in table if line != long_id)
    first, rest = layout.table(None, [("a" * 30, "b" * 30, "c" * 30)], 50, flex=None)
    assert first == "a" * 30 and rest.startswith("  " + "b" * 30 + "  c") and rest.endswith("…")
    assert cell_len(rest) == 50
