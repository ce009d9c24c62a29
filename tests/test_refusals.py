"""What the SOP refuses, through the real CLI (SPEC.md sections 2, 4 and 5).

Every step that the table of section 2 does not allow, every step attempted by the wrong
officer, a multi-id command with one bad item, each missing kelengkapan and each hand edit
that the acting officer may not carry: exit 3 (4 for an unknown id), nothing on stdout, a
message that says why and who acts next, and the register exactly as it was: same HEAD,
same ``git status``, every file byte for byte.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from dipctl.sop import workflow
from tests.conftest import (
    KASUBBAG,
    KASUBBAG_PROGRAM,
    KEPALA,
    PPID,
    SEKRETARIS,
    Repo,
    commit_all,
    git,
)

UNIT = "sekretariat"
URL = "https://example.go.id/dip/"
MEETING_DATE = "2026-11-25"

#: The officer who holds each role for UNIT, and everyone's name as register.yaml has it.
OFFICER = {
    "kasubbag": KASUBBAG,
    "sekretaris": SEKRETARIS,
    "ppid_pembantu": PPID,
    "kepala": KEPALA,
}
NAME = {
    KEPALA: "Kepala Dinas",
    SEKRETARIS: "Sekretaris Dinas",
    PPID: "PPID Pembantu",
    KASUBBAG: "Kasubbag Umum",
    KASUBBAG_PROGRAM: "Kasubbag Program",
}
EVERYONE = tuple(NAME)

STATUSES = (
    "draf",
    "diajukan",
    "dikembalikan",
    "diteruskan",
    "diklasifikasi",
    "ditentukan",
    "disetujui",
    "ditetapkan",
    "diunggah",
    "dicabut",
)


@dataclass(frozen=True)
class Command:
    action: str  # the dipctl command
    role: str  # who takes it (SPEC.md section 2)
    legal: tuple[str, ...]  # the statuses it may start from (SPEC.md section 2)


#: The table of SPEC.md section 2, written out here rather than read from dipctl.
COMMANDS: dict[str, Command] = {
    "submit": Command("submit", "kasubbag", ("draf", "dikembalikan")),
    "review-approve": Command("review", "sekretaris", ("diajukan",)),
    "review-return": Command("review", "sekretaris", ("diajukan",)),
    "classify": Command("classify", "ppid_pembantu", ("diteruskan",)),
    "classify-return": Command("classify", "ppid_pembantu", ("diteruskan",)),
    "meeting": Command("meeting", "ppid_pembantu", ("diklasifikasi",)),
    "classify-exempt": Command("classify", "ppid_pembantu", ("diteruskan",)),
    "establish": Command("establish", "kepala", ("ditentukan",)),
    "approve": Command("approve", "kepala", ("ditentukan",)),
    "exempt": Command("exempt", "ppid_pembantu", ("disetujui",)),
    "publish": Command("publish", "ppid_pembantu", ("ditetapkan",)),
    "revise": Command("revise", "kasubbag", ("ditetapkan", "diunggah")),
    "withdraw": Command("withdraw", "kepala", ("ditetapkan", "diunggah")),
}

#: The steps that bring a fresh draf to each status.
PATHS: dict[str, tuple[str, ...]] = {
    "draf": (),
    "diajukan": ("submit",),
    "dikembalikan": ("submit", "review-return"),
    "diteruskan": ("submit", "review-approve"),
    "diklasifikasi": ("submit", "review-approve", "classify"),
    "ditentukan": ("submit", "review-approve", "classify", "meeting"),
    "disetujui": ("submit", "review-approve", "classify-exempt", "meeting", "approve"),
    "ditetapkan": ("submit", "review-approve", "classify", "meeting", "establish"),
    "diunggah": ("submit", "review-approve", "classify", "meeting", "establish", "publish"),
    "dicabut": ("submit", "review-approve", "classify", "meeting", "establish", "withdraw"),
}

#: The Perki fields the kasubbag fills in by hand before submitting.
PERKI = {
    "ringkasan": "Ringkasan isi informasi untuk pengujian.",
    "penanggung_jawab": "Kepala Subbagian Umum",
    "waktu_pembuatan": '"2025"',
    "tempat_pembuatan": "Palangka Raya",
    "bentuk": "[softcopy, hardcopy]",
    "retensi": "5 tahun",
}
EMPTY = {"bentuk": "[]"}


# -- driving items through the SOP -----------------------------------------------------------


def argv(step: str, ids: list[str], repo: Repo) -> list[str]:
    """The command line of ``step`` for ``ids``, with every option it needs."""
    first = ids[0] if ids else "x"
    match step:
        case "submit":
            return ["submit", *ids]
        case "review-approve":
            return ["review", *ids, "--approve"]
        case "review-return":
            return ["review", *ids, "--return", "-m", "x"]
        case "classify":
            return ["classify", *ids, "--category", "berkala"]
        case "classify-exempt":
            test = repo.path.parent / "uji-konsekuensi.yaml"
            test.write_text(yaml.safe_dump(EXEMPTION, allow_unicode=True), encoding="utf-8")
            return ["classify", *ids, "--category", "dikecualikan", "--exemption", str(test)]
        case "approve":
            return ["approve", *ids]
        case "exempt":
            return ["exempt", *ids, "--number", f"188.44/dik-{first}/2026", "--date", "2026-11-26"]
        case "classify-return":
            return ["classify", *ids, "--return", "-m", "x"]
        case "meeting":
            return ["meeting", *ids, *meeting_options()]
        case "establish":
            return ["establish", *ids, "--number", f"188.44/{first}/2026", "--date", "2026-11-26"]
        case "publish":
            return ["publish", *ids, "--url", URL, "--site", str(repo.path / "site")]
        case "revise":
            return ["revise", *ids]
        case "withdraw":
            return [
                "withdraw",
                *ids,
                "--number",
                f"188.44/cabut-{first}/2026",
                "--date",
                "2026-12-01",
                "-m",
                "Tidak lagi dikuasai",
            ]
    raise AssertionError(step)


def meeting_options(
    attendees: tuple[str, ...] = (PPID, SEKRETARIS),
    softcopy: str | None = "Folder PPID",
    hardcopy: str | None = "Lemari 1",
    time: str | None = "09:00",
    chair: str | None = "",
) -> list[str]:
    """A meeting's options; the chair is the first attendee unless another is given."""
    options = ["--date", MEETING_DATE, "--place", "Ruang Rapat Dinas"]
    if time is not None:
        options += ["--time", time]
    if chair is not None:
        options += ["--chair", chair or attendees[0]]
    for email in attendees:
        options += ["--attendee", email]
    if softcopy is not None:
        options += ["--softcopy", softcopy]
    if hardcopy is not None:
        options += ["--hardcopy", hardcopy]
    return options


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def set_fields(path: Path, values: dict[str, str]) -> None:
    """Rewrite the top-level ``key: value`` lines of an item file as a person would."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    seen = set()
    for n, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if key in values and not line.startswith((" ", "#")):
            lines[n] = f"{key}: {values[key]}\n"
            seen.add(key)
    lines += [f"{key}: {value}\n" for key, value in values.items() if key not in seen]
    path.write_text("".join(lines), encoding="utf-8")


def fill(path: Path, missing: tuple[str, ...] = ()) -> None:
    """The kasubbag fills in the Perki fields, leaving ``missing`` empty."""
    set_fields(path, {k: (EMPTY.get(k, "''") if k in missing else v) for k, v in PERKI.items()})


def new(repo: Repo, item_id: str, unit: str = UNIT) -> Path:
    owner = KASUBBAG if unit == UNIT else KASUBBAG_PROGRAM
    title = f"Informasi {item_id}"
    ok(repo.run("new", "--unit", unit, "--title", title, "--id", item_id, "--as", owner))
    return repo.item(unit, item_id)


def build(repo: Repo, out: Path | None = None) -> Path:
    out = out or repo.path / "site"
    ok(repo.run("build", "--out", out))
    return out


def step(repo: Repo, name: str, ids: list[str], who: str | None = None) -> Result:
    return repo.run(*argv(name, ids, repo), "--as", who or OFFICER[COMMANDS[name].role])


def drive(repo: Repo, item_id: str, status: str) -> Path:
    """A new item in UNIT, carried to ``status`` by the officers entitled to each step.

    The Perki fields are filled by hand and committed with the submit step; a ``draf``
    is left filled in and committed with plain git by its kasubbag, so the tree is clean.
    """
    path = new(repo, item_id)
    fill(path)
    if status == "draf":
        commit_all(repo.path, f"lengkapi {item_id}", KASUBBAG)
    for name in PATHS[status]:
        if name == "publish":
            build(repo)
        ok(step(repo, name, [item_id]))
    assert re.search(rf"^status: {status}\b", path.read_text(encoding="utf-8"), re.M)
    return path


# -- nothing changed -------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    head: str
    porcelain: str
    files: dict[str, bytes]


def snapshot(repo: Repo) -> Snapshot:
    files = {
        p.relative_to(repo.path).as_posix(): p.read_bytes()
        for p in sorted(repo.register.rglob("*"))
        if p.is_file()
    }
    return Snapshot(
        git(repo.path, "rev-parse", "HEAD").strip(),
        git(repo.path, "status", "--porcelain", "--untracked-files=all"),
        files,
    )


def assert_unchanged(repo: Repo, before: Snapshot) -> None:
    after = snapshot(repo)
    assert after.head == before.head, "a refused command made a commit"
    assert after.porcelain == before.porcelain, "a refused command changed git status"
    changed = sorted(
        set(before.files) ^ set(after.files)
        | {p for p in before.files if after.files.get(p) != before.files[p]}
    )
    assert not changed, f"a refused command changed files: {changed}"


def refused(result: Result, code: int = 3) -> str:
    """The refusal's stderr, after checking its exit code and that stdout is empty."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()
    return result.stderr


def error_line(err: str) -> str:
    """The sentence of the refusal, without the hint (which may list every option)."""
    return err.splitlines()[0]


def line_of(path: Path, key: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return n
    raise AssertionError(f"{key} not in {path}")


def rel(repo: Repo, path: Path) -> str:
    return path.relative_to(repo.path).as_posix()


def head_file(repo: Repo, path: Path, rev: str = "HEAD") -> str:
    return git(repo.path, "show", f"{rev}:{rel(repo, path)}")


# -- one item in every status, built once per module -----------------------------------------

ITEM = {status: f"info-{n}" for n, status in enumerate(STATUSES)}


@pytest.fixture(scope="module")
def _staged_template(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("staged-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("DIPCTL_REGISTER", "DIPCTL_AS", "DIPCTL_LANG", "GIT_DIR", "GIT_WORK_TREE"):
        mp.delenv(name, raising=False)
    try:
        path = tmp_path_factory.mktemp("staged") / "dinas"
        shutil.copytree(_template_repo, path, symlinks=True)
        repo = Repo(path)
        for status in STATUSES:
            drive(repo, ITEM[status], status)
        build(repo)  # the site of the published state stays in site/ (ignored by git)
        git(path, "repack", "-a", "-d", "-q")  # few files: cheap to copy per test
        git(path, "prune-packed")
    finally:
        mp.undo()
    return path


@pytest.fixture
def staged(_staged_template: Path, tmp_path: Path) -> Repo:
    """A copy of a register holding one item in each of the nine statuses."""
    path = tmp_path / "dinas"
    shutil.copytree(_staged_template, path, symlinks=True)
    return Repo(path)


# -- 1. every transition the table does not allow ------------------------------------------

ILLEGAL = [
    pytest.param(status, name, id=f"{status}-{name}")
    for status in STATUSES
    for name, command in COMMANDS.items()
    if status not in command.legal
]


def test_the_table_here_matches_the_workflow() -> None:
    """The legal sources written above are the ones dipctl's table allows."""
    for name, command in COMMANDS.items():
        sources = {
            s
            for t in workflow.TRANSITIONS
            if t.action == command.action and t.role == command.role
            for s in t.sources
        }
        assert sources == set(command.legal), name


@pytest.mark.parametrize(("status", "name"), ILLEGAL)
def test_a_step_from_the_wrong_status_is_refused(staged: Repo, status: str, name: str) -> None:
    item_id = ITEM[status]
    before = snapshot(staged)
    err = refused(step(staged, name, [item_id]))
    assert re.search(rf"\b{re.escape(item_id)}\b", err), err
    assert re.search(rf"\b{status}\b", err), err
    moves = workflow.next_moves(status)
    if status == "dicabut":
        assert moves == []
    else:
        assert moves
        for move in moves:
            assert move.role in err, (move.role, err)
            assert f"dipctl {move.action} {item_id}" in err, (move.action, err)
    assert_unchanged(staged, before)


#: ``dipctl undo`` (issue 11 point 7) reverses an item's latest step when it is one of
#: steps 1 to 4; written out here rather than read from dipctl.
UNDONE_TO = {
    "diajukan": "draf",
    "dikembalikan": "diajukan",
    "diteruskan": "diajukan",
    "diklasifikasi": "diteruskan",
    "ditentukan": "diklasifikasi",
}


def test_the_undo_table_here_matches_the_workflow() -> None:
    undone = {(t.sources[0], t.target) for t in workflow.UNDOS if t.role == "kepala"}
    assert set(UNDONE_TO.items()) <= undone
    assert set(workflow.UNDOABLE) == {"submit", "review", "classify", "meeting"}


@pytest.mark.parametrize("status", STATUSES)
def test_undo_by_the_kepala_in_every_status(staged: Repo, status: str) -> None:
    """Each item's latest commit is the step that brought it to its status: undone when
    that is a step before establishment, refused (nothing changed) otherwise."""
    item_id = ITEM[status]
    before = snapshot(staged)
    result = staged.run("undo", item_id, "-m", "Koreksi", "--as", KEPALA)
    if status in UNDONE_TO:
        assert result.exit_code == 0, result.stderr
        assert f"{item_id}\t{status} -> {UNDONE_TO[status]}" in result.stdout
        return
    err = refused(result)
    assert item_id in err
    assert_unchanged(staged, before)
    if status in ("ditetapkan", "diunggah"):
        assert f"dipctl revise {item_id}" in err
        assert f"dipctl withdraw {item_id}" in err


# -- 2. the right step by the wrong officer ------------------------------------------------

WRONG_ROLE = [
    pytest.param(name, status, who, id=f"{name}-{status}-{who.split('@')[0]}")
    for name, command in COMMANDS.items()
    for status in command.legal
    for who in EVERYONE
    if who != OFFICER[command.role]
]


@pytest.mark.parametrize(("name", "status", "who"), WRONG_ROLE)
def test_a_step_by_the_wrong_officer_is_refused(
    staged: Repo, name: str, status: str, who: str
) -> None:
    role = COMMANDS[name].role
    right = OFFICER[role]
    before = snapshot(staged)
    err = refused(step(staged, name, [ITEM[status]], who))
    assert who in err
    assert re.search(rf"\b{role}\b", err), err
    assert f"{NAME[right]} <{right}>" in err, err
    assert_unchanged(staged, before)


# -- 3. several ids: all or none -----------------------------------------------------------


def test_submit_with_one_incomplete_item_submits_none(repo: Repo) -> None:
    paths = [new(repo, i) for i in ("info-a", "info-b", "info-c")]
    fill(paths[0])
    fill(paths[1], missing=("ringkasan",))
    fill(paths[2])
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a", "info-b", "info-c"]))
    assert "info-b" in err
    assert f"{rel(repo, paths[1])}:{line_of(paths[1], 'ringkasan')}: ringkasan" in err
    assert_unchanged(repo, before)


@pytest.mark.parametrize("order", [("info-a", "info-b"), ("info-b", "info-a")])
def test_review_with_one_item_in_the_wrong_status_reviews_none(
    repo: Repo, order: tuple[str, str]
) -> None:
    drive(repo, "info-a", "diajukan")
    drive(repo, "info-b", "draf")
    before = snapshot(repo)
    err = refused(step(repo, "review-approve", list(order)))
    assert re.search(r"\binfo-b\b.*\bdraf\b", err), err
    assert_unchanged(repo, before)


def test_an_unknown_id_among_several_is_exit_4(repo: Repo) -> None:
    for item_id in ("info-a", "info-c"):
        fill(new(repo, item_id))
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a", "tidak-ada", "info-c"]), code=4)
    assert "tidak-ada" in err
    assert_unchanged(repo, before)


def test_submit_across_units_by_one_kasubbag_submits_none(repo: Repo) -> None:
    fill(new(repo, "info-a"))
    fill(new(repo, "info-b", unit="program"))
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a", "info-b"]))
    assert KASUBBAG in err and f"{NAME[KASUBBAG_PROGRAM]} <{KASUBBAG_PROGRAM}>" in err
    assert_unchanged(repo, before)


def test_meeting_rejecting_an_item_in_the_wrong_status_records_nothing(repo: Repo) -> None:
    drive(repo, "info-a", "diklasifikasi")
    drive(repo, "info-b", "diteruskan")
    before = snapshot(repo)
    err = refused(
        repo.run(
            "meeting",
            "info-a",
            *meeting_options(),
            "--reject",
            "info-b",
            "-m",
            "Belum lengkap",
            "--as",
            PPID,
        )
    )
    assert re.search(r"\binfo-b\b.*\bditeruskan\b", err), err
    assert_unchanged(repo, before)


@pytest.mark.parametrize("name", ["establish", "publish"])
def test_all_with_nothing_waiting_is_refused(repo: Repo, name: str) -> None:
    drive(repo, "info-a", "diklasifikasi")
    before = snapshot(repo)
    args = argv(name, [], repo)
    err = refused(repo.run(*args, "--all", "--as", OFFICER[COMMANDS[name].role]))
    assert ("ditentukan" if name == "establish" else "ditetapkan") in err
    assert_unchanged(repo, before)


def test_someone_not_in_the_register_is_refused(staged: Repo) -> None:
    before = snapshot(staged)
    err = refused(step(staged, "submit", [ITEM["draf"]], "orang.lain@dinas.example.go.id"))
    assert "orang.lain@dinas.example.go.id" in err
    assert_unchanged(staged, before)


# -- 4. kelengkapan --------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PERKI))
def test_submit_names_each_missing_perki_field_with_its_line(repo: Repo, key: str) -> None:
    path = new(repo, "info-a")
    fill(path, missing=(key,))
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a"]))
    assert f"{rel(repo, path)}:{line_of(path, key)}: {key}" in err, err
    others = [k for k in PERKI if k != key]
    assert not any(f": {k}:" in err for k in others), err
    assert_unchanged(repo, before)


def test_submit_refuses_an_invalid_perki_value(repo: Repo) -> None:
    path = new(repo, "info-a")
    fill(path)
    set_fields(path, {"waktu_pembuatan": "kemarin sore"})
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a"]))
    assert f"{rel(repo, path)}:{line_of(path, 'waktu_pembuatan')}: waktu_pembuatan" in err
    assert_unchanged(repo, before)


@pytest.mark.parametrize("key", list(PERKI))
def test_submit_names_a_deleted_perki_field(repo: Repo, key: str) -> None:
    path = new(repo, "info-a")
    fill(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"^{key}:.*\n", "", text, flags=re.M), encoding="utf-8")
    before = snapshot(repo)
    err = refused(step(repo, "submit", ["info-a"]))
    assert re.search(rf"^  {re.escape(rel(repo, path))}:\d+: {key}: ", err, re.M), err
    assert_unchanged(repo, before)


EXEMPTION = {
    "pasal": "17 huruf h",
    "dasar_hukum": "UU 14/2008 Pasal 17 huruf h",
    "bagian": "seluruhnya",
    "konsekuensi_dibuka": "Membuka data pribadi pegawai.",
    "konsekuensi_ditutup": "Data pribadi pegawai terlindungi.",
    "kepentingan_publik": "Privasi pegawai lebih besar daripada manfaat membukanya.",
    "alasan": "Memuat data pribadi pegawai.",
    "jangka_waktu": "5 tahun",
    "berakhir": "2031-12-31",
    "tanggal_uji": "2026-01-15",
    "penguji": [PPID, SEKRETARIS],
}


def test_classify_exempt_without_a_consequence_test_names_the_first_keys(repo: Repo) -> None:
    drive(repo, "info-a", "diteruskan")
    before = snapshot(repo)
    err = refused(repo.run("classify", "info-a", "--category", "dikecualikan", "--as", PPID))
    assert "belum diisi: pasal, dasar_hukum, bagian dan 8 kunci lain" in error_line(err), err
    assert "--set KUNCI=NILAI" in err  # off a terminal; on one, the questions
    assert_unchanged(repo, before)


def test_classify_exempt_with_an_incomplete_test_names_the_gap(repo: Repo, tmp_path: Path) -> None:
    drive(repo, "info-a", "diteruskan")
    test_file = tmp_path / "uji.yaml"
    partial = {k: v for k, v in EXEMPTION.items() if k != "konsekuensi_ditutup"}
    test_file.write_text(yaml.safe_dump(partial, allow_unicode=True), encoding="utf-8")
    before = snapshot(repo)
    err = refused(
        repo.run(
            "classify",
            "info-a",
            "--category",
            "dikecualikan",
            "--exemption",
            test_file,
            "--as",
            PPID,
        )
    )
    assert "konsekuensi_ditutup" in error_line(err)
    assert "konsekuensi_dibuka" not in error_line(err)
    assert_unchanged(repo, before)


def test_classify_exempt_with_a_complete_test_writes_the_block(repo: Repo, tmp_path: Path) -> None:
    path = drive(repo, "info-a", "diteruskan")
    test_file = tmp_path / "uji.yaml"
    test_file.write_text(
        yaml.safe_dump({"pengecualian": EXEMPTION}, allow_unicode=True), encoding="utf-8"
    )
    ok(
        repo.run(
            "classify",
            "info-a",
            "--category",
            "dikecualikan",
            "--exemption",
            test_file,
            "--as",
            PPID,
        )
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["status"] == "diklasifikasi"
    assert data["kategori"] == "dikecualikan"
    assert data["pengecualian"] == EXEMPTION
    assert yaml.safe_load(head_file(repo, path)) == data
    assert git(repo.path, "status", "--porcelain") == ""
    ok(repo.run("validate"))


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(meeting_options(attendees=(SEKRETARIS, KEPALA)), id="no-ppid"),
        pytest.param(meeting_options(attendees=(PPID,)), id="ppid-alone"),
        pytest.param(meeting_options(softcopy=None), id="no-softcopy"),
        pytest.param(meeting_options(hardcopy=None), id="no-hardcopy"),
        pytest.param(meeting_options(time=None), id="no-time"),
        pytest.param(meeting_options(chair=None), id="no-chair"),
        pytest.param(meeting_options(chair="bukan@dinas.example.go.id"), id="unknown-chair"),
    ],
)
def test_meeting_without_its_kelengkapan_is_refused(repo: Repo, options: list[str]) -> None:
    drive(repo, "info-a", "diklasifikasi")
    before = snapshot(repo)
    err = refused(repo.run("meeting", "info-a", *options, "--as", PPID))
    for option in ("--softcopy", "--hardcopy", "--time", "--chair"):
        if option not in options:
            assert option in err
    if "bukan@dinas.example.go.id" in options:
        assert "bukan@dinas.example.go.id" in err
    assert_unchanged(repo, before)  # no meeting record, no minutes


def test_establish_without_a_number_is_refused(repo: Repo) -> None:
    drive(repo, "info-a", "ditentukan")
    before = snapshot(repo)
    err = refused(repo.run("establish", "info-a", "--date", "2026-11-26", "--as", KEPALA))
    assert "--number" in err
    assert_unchanged(repo, before)


def test_publish_refuses_an_item_missing_from_the_built_site(repo: Repo) -> None:
    drive(repo, "info-a", "ditentukan")
    site = build(repo)  # built before info-a was established: it is not on the site
    ok(step(repo, "establish", ["info-a"]))
    before = snapshot(repo)
    err = refused(repo.run("publish", "info-a", "--url", URL, "--site", site, "--as", PPID))
    assert "info-a" in err
    assert_unchanged(repo, before)


def test_publish_refuses_without_a_built_site(repo: Repo, tmp_path: Path) -> None:
    drive(repo, "info-a", "ditetapkan")
    before = snapshot(repo)
    missing = tmp_path / "belum-dibangun"
    err = refused(repo.run("publish", "info-a", "--url", URL, "--site", missing, "--as", PPID))
    assert str(missing) in err
    assert_unchanged(repo, before)


# -- 5. who may edit an item, and when -------------------------------------------------------


def last_author(repo: Repo) -> str:
    return repo.log("-1", "--format=%ae").strip()


def test_the_kasubbag_edit_of_a_draf_goes_in_with_submit(repo: Repo) -> None:
    path = drive(repo, "info-a", "draf")
    set_fields(path, {"judul": "Judul Baru dari Kasubbag"})
    ok(step(repo, "submit", ["info-a"]))
    committed = yaml.safe_load(head_file(repo, path))
    assert committed["judul"] == "Judul Baru dari Kasubbag"
    assert committed["status"] == "diajukan"
    assert last_author(repo) == KASUBBAG
    assert git(repo.path, "status", "--porcelain") == ""


def test_the_kasubbag_edit_of_a_returned_item_goes_in_with_submit(repo: Repo) -> None:
    path = drive(repo, "info-a", "dikembalikan")
    set_fields(path, {"ringkasan": "Ringkasan yang telah diperbaiki."})
    ok(step(repo, "submit", ["info-a"]))
    committed = yaml.safe_load(head_file(repo, path))
    assert committed["ringkasan"] == "Ringkasan yang telah diperbaiki."
    assert committed["status"] == "diajukan"
    assert last_author(repo) == KASUBBAG


def test_the_sekretaris_correction_goes_in_with_review(repo: Repo) -> None:
    path = drive(repo, "info-a", "diajukan")
    set_fields(path, {"ringkasan": "Ringkasan yang dikoreksi sekretaris."})
    ok(step(repo, "review-approve", ["info-a"]))
    committed = yaml.safe_load(head_file(repo, path))
    assert committed["ringkasan"] == "Ringkasan yang dikoreksi sekretaris."
    assert committed["status"] == "diteruskan"
    assert last_author(repo) == SEKRETARIS
    assert repo.log("-1", "--format=%ce").strip() == SEKRETARIS


def test_the_ppid_edit_goes_in_with_classify(repo: Repo) -> None:
    path = drive(repo, "info-a", "diteruskan")
    set_fields(path, {"retensi": "10 tahun"})
    ok(step(repo, "classify", ["info-a"]))
    committed = yaml.safe_load(head_file(repo, path))
    assert committed["retensi"] == "10 tahun"
    assert committed["status"] == "diklasifikasi"
    assert last_author(repo) == PPID


FROZEN = [
    pytest.param(status, name, id=f"{status}-{name}")
    for status in ("diklasifikasi", "ditentukan", "disetujui", "ditetapkan", "diunggah")
    for name, command in COMMANDS.items()
    if status in command.legal
]


@pytest.mark.parametrize(("status", "name"), FROZEN)
def test_nobody_edits_an_item_past_classification(staged: Repo, status: str, name: str) -> None:
    item_id = ITEM[status]
    path = staged.item(UNIT, item_id)
    set_fields(path, {"retensi": "25 tahun"})
    edited = path.read_bytes()
    before = snapshot(staged)
    err = refused(step(staged, name, [item_id]))
    assert f"{rel(staged, path)}:{line_of(path, 'retensi')}" in err, err
    assert "retensi" in err
    assert path.read_bytes() == edited  # the officer's edit is not lost
    assert_unchanged(staged, before)


MANAGED = [
    pytest.param("draf", "status", "diteruskan", "submit", id="status-draf-diteruskan-submit"),
    pytest.param("draf", "status", "dikembalikan", "submit", id="status-draf-dikembalikan"),
    pytest.param("diajukan", "status", "dikembalikan", "submit", id="status-diajukan-submit"),
    pytest.param("draf", "status", "diteruskan", "classify", id="status-draf-classify"),
    pytest.param("draf", "catatan", "Catatan yang ditulis tangan", "submit", id="catatan"),
    pytest.param("draf", "rapat", "2026-11-25-penentuan-dip", "submit", id="rapat"),
    pytest.param("draf", "keputusan", "sk-188-44-1-2026", "submit", id="keputusan"),
    pytest.param("draf", "revisi", "3", "submit", id="revisi"),
    pytest.param("diajukan", "catatan", "Dikoreksi", "review-approve", id="catatan-review"),
]


@pytest.mark.parametrize(("status", "key", "value", "name"), MANAGED)
def test_nobody_edits_a_managed_field_by_hand(
    repo: Repo, status: str, key: str, value: str, name: str
) -> None:
    """A field that only dipctl writes is set by hand; the next step carries it: refused,
    even when the forged status would make that step look legal."""
    path = drive(repo, "info-a", status)
    set_fields(path, {key: value})
    edited = path.read_bytes()
    before = snapshot(repo)
    err = refused(step(repo, name, ["info-a"]))
    assert f"{rel(repo, path)}:{line_of(path, key)}" in err, err
    assert re.search(rf"\b{key}\b", error_line(err)), err
    assert path.read_bytes() == edited
    assert_unchanged(repo, before)


def test_a_step_never_sweeps_up_edits_to_other_items(repo: Repo) -> None:
    """SPEC.md section 4: the commit holds only the files of its own items."""
    frozen = drive(repo, "info-b", "ditetapkan")
    other = drive(repo, "info-c", "draf")
    path = drive(repo, "info-a", "diajukan")
    set_fields(frozen, {"retensi": "25 tahun"})
    set_fields(other, {"judul": "Belum diajukan"})
    ok(step(repo, "review-approve", ["info-a"]))
    changed = repo.log("-1", "--name-only", "--format=").split()
    assert changed == [rel(repo, path)]
    dirty = git(repo.path, "status", "--porcelain").splitlines()
    assert sorted(line[3:] for line in dirty) == sorted([rel(repo, frozen), rel(repo, other)])
    assert "25 tahun" in frozen.read_text(encoding="utf-8")


def test_a_staged_edit_goes_in_with_the_step_and_leaves_the_index_clean(repo: Repo) -> None:
    path = drive(repo, "info-a", "draf")
    set_fields(path, {"judul": "Judul yang Di-stage"})
    git(repo.path, "add", rel(repo, path))
    ok(step(repo, "submit", ["info-a"]))
    assert yaml.safe_load(head_file(repo, path))["judul"] == "Judul yang Di-stage"
    assert git(repo.path, "status", "--porcelain") == ""


def test_a_staged_frozen_edit_is_refused_and_stays_staged(staged: Repo) -> None:
    path = staged.item(UNIT, ITEM["ditentukan"])
    set_fields(path, {"judul": "Judul Diubah Setelah Rapat"})
    git(staged.path, "add", rel(staged, path))
    before = snapshot(staged)
    err = refused(step(staged, "establish", [ITEM["ditentukan"]]))
    assert f"{rel(staged, path)}:{line_of(path, 'judul')}" in err
    assert_unchanged(staged, before)


# -- 6. comments and layout survive every step -----------------------------------------------

COMMENTED = """\
# yaml-language-server: $schema=../../informasi.schema.json
# Profil Dinas: dicatat oleh Subbagian Umum, jangan dihapus.
id: info-a
judul: "Profil Dinas: Visi, Misi dan Struktur"  # judul resmi dari SK
ringkasan: Profil lengkap dinas beserta struktur organisasinya.

unit: sekretariat  # unit pemilik informasi
penanggung_jawab: Kepala Subbagian Umum
# waktu dan tempat pembuatan
waktu_pembuatan: "2025"  # tahun terbit
tempat_pembuatan: Palangka Raya
bentuk: [softcopy, hardcopy]
retensi: 5 tahun  # menurut JRA
status: draf  # dikelola dipctl
"""

KEPT = [
    "# yaml-language-server: $schema=../../informasi.schema.json",
    "# Profil Dinas: dicatat oleh Subbagian Umum, jangan dihapus.",
    'judul: "Profil Dinas: Visi, Misi dan Struktur"  # judul resmi dari SK',
    "ringkasan: Profil lengkap dinas beserta struktur organisasinya.",
    "",
    "unit: sekretariat  # unit pemilik informasi",
    "# waktu dan tempat pembuatan",
    'waktu_pembuatan: "2025"  # tahun terbit',
    "retensi: 5 tahun  # menurut JRA",
]


def assert_layout_kept(path: Path, after: str, status: str) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for line in KEPT:
        assert line in lines, f"after {after}: {line!r} lost:\n{text}"
    assert lines[:2] == KEPT[:2], f"after {after}: the header moved:\n{text}"
    blank = lines.index("")
    assert lines[blank - 1] == KEPT[3], f"after {after}: the blank line moved:\n{text}"
    assert lines[blank + 1] == KEPT[5], f"after {after}: the blank line moved:\n{text}"
    # the inline comment of a key that dipctl rewrites stays on it (its column may shift)
    assert re.search(rf"^status: {status} +# dikelola dipctl$", text, re.M), text


def test_comments_blank_lines_and_quotes_survive_every_step(repo: Repo) -> None:
    path = new(repo, "info-a")
    path.write_text(COMMENTED, encoding="utf-8")  # the kasubbag's edit, carried by submit
    steps = {
        "submit": "diajukan",
        "review-approve": "diteruskan",
        "classify": "diklasifikasi",
        "meeting": "ditentukan",
        "establish": "ditetapkan",
        "publish": "diunggah",
        "revise": "draf",
    }
    for name, status in steps.items():
        if name == "publish":
            build(repo)
        ok(step(repo, name, ["info-a"]))
        assert_layout_kept(path, name, status)
        assert head_file(repo, path) == path.read_text(encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["revisi"] == 1
    ok(repo.run("validate"))


# -- 7. English --------------------------------------------------------------------------


def test_a_refusal_in_english(staged: Repo) -> None:
    before = snapshot(staged)
    item_id = ITEM["ditetapkan"]
    err = refused(staged.run("submit", item_id, "--as", KASUBBAG, "--lang", "en"))
    assert err.startswith("error: ")
    assert f"{item_id} is ditetapkan, so dipctl submit cannot run; the next step:" in err
    assert "ppid_pembantu: dipctl publish " + item_id in err
    assert "hint: " in err
    assert "berstatus" not in err and "galat" not in err
    assert_unchanged(staged, before)
