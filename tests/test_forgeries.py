"""Issue 18: the second round of forged histories, and the contract of ``dipctl verify`` that
catches them (SPEC.md section 4, "One chain" and the rows marked *planned: this round*).

Each test builds a hostile history in a tmp register with the real commands (the honest
officers, through :class:`~tests.test_verify.Driver`) and plain git (the attacker:
``commit-tree``, ``merge``, ``revert``, ``rebase``, ``update-index --cacheinfo``,
``GIT_COMMITTER_DATE``, ``-S`` with an SSH key), asserts with git that the history really
does what the attack says (the merge exists, the file has the claimed bytes at HEAD,
``dipctl build`` would publish the item today), and then asserts the finding that
``dipctl verify --json`` must report: its rule, the full sha of the commit to blame, the
item ("" for a whole commit or a file that is not an item) and, where it matters, the path.
Honest twins next to them stay clean.

The contract these tests hold:

* **Linear history.** Every merge commit is a ``merge`` finding (item "") unless it is at
  or before the commit named by ``riwayat: {linear_sejak: <full sha>}`` in HEAD's
  register.yaml, set by a kepala in a later commit; those merges keep today's merge rules.
  ``riwayat`` written by anyone else is a ``settings`` finding and names nothing.
* **Every byte judged.** Paths outside ``register/`` are a kepala's (anyone else: ``path``,
  item "", the path). A ``.gitattributes`` anywhere that changes how files are checked out
  (``working-tree-encoding``, ``filter``, ``ident``, ``eol``, ``text``/``crlf`` set or
  valued, an ``[attr]`` macro) is ``path`` whoever wrote it. An item path whose blob is no
  YAML mapping, or that is a symlink or a gitlink, is ``path`` with the item's id.
* **What each step may touch.** ``unit`` (and the unit folder) only by ``dipctl new``
  (``edit``); an item file deleted in any status but a draf deleted by its own unit's
  kasubbag (``deleted``); a decree revokes or amends only a decree of its own kind
  (``decree``); an undo of an undo (``undo``).
* **Time.** A commit dated before the commit it builds on (``date``).

The tests are written against this contract ahead of its implementation and are not
marked xfail: on round one's verify most of these attacks go unnoticed (exit 0), so they
fail until it lands; the rebased stolen key (``signature``), the backdated replay
(``date``), the undo of an undo (``undo``) and attributes under ``register/`` are caught
already. See docs/security.md for the threat model. Only the CLI and git are driven here
(and PyYAML to show what a blob is); no dipctl module is imported.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

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
from tests.test_attacks import (
    NEW_KASUBBAG,
    clean,
    found_as,
    is_merge,
    merge,
    only,
    rel,
    replace_in,
    who_args,
    with_new_kasubbag,
    without_person,
)
from tests.test_verify import (
    OUTSIDER,
    Driver,
    forge,
    hand_edit,
    head,
    keygen,
    list_signers,
    ok,
    signed_commit,
    trailers,
)

WAKIL = "wakil.kepala@dinas.example.go.id"
DECREE = ("--date", "2026-11-26")
OCTOPUS = pytest.mark.parametrize("octopus", [False, True], ids=["two-parents", "octopus"])


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


# -- helpers -------------------------------------------------------------------------------


def merge_commit(repo: Repo, who: str, *others: str, key: Path | None = None) -> str:
    """Commit the index as a merge of HEAD and ``others`` (``git merge`` of an ancestor is
    "Already up to date", ``commit-tree`` is not), signed with ``key``; the branch moves."""
    parents = [head(repo), *(head_of(repo, rev) for rev in others)]
    tree = git(repo.path, "write-tree").strip()
    config = ("-c", "gpg.format=ssh", "-c", f"user.signingkey={key}") if key else ()
    sha = git(
        repo.path, *who_args(who), *config, "commit-tree", *(["-S"] if key else []), tree,
        *(a for p in parents for a in ("-p", p)), "-m", "Merge branch 'lama'",
    ).strip()  # fmt: skip
    git(repo.path, "reset", "-q", "--hard", sha)
    assert git(repo.path, "log", "-1", "--format=%P").split() == parents
    return sha


def head_of(repo: Repo, rev: str) -> str:
    return git(repo.path, "rev-parse", rev).strip()


def section(text: str, key: str) -> str:
    """The top-level section ``key:`` of a YAML text, its indented lines with it."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"{key}:\n")
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    return "".join(lines[start:end])


def take_section(repo: Repo, rev: str, key: str) -> None:
    """register.yaml as HEAD has it but for section ``key``, as ``rev`` had it, and a comment
    line, so that the file equals no parent of the merge about to be made (staged)."""
    config = repo.register / "register.yaml"
    now = config.read_text(encoding="utf-8")
    then = git(repo.path, "show", f"{rev}:register/register.yaml")
    text = now.replace(section(now, key), section(then, key), 1)
    assert text != now
    config.write_text(f"# diselaraskan dengan cabang lama\n{text}", encoding="utf-8")
    git(repo.path, "add", "-A")


def equals_no_parent(repo: Repo, merged: str, path: str) -> bool:
    parents = git(repo.path, "log", "-1", "--format=%P", merged).split()
    blobs = {git(repo.path, "rev-parse", f"{p}:{path}").strip() for p in parents}
    return git(repo.path, "rev-parse", f"{merged}:{path}").strip() not in blobs


def ancestors(repo: Repo, rev: str, octopus: bool) -> tuple[str, ...]:
    """``rev``, and with ``octopus`` its parent too: the other parents of the merge."""
    return (head_of(repo, rev), head_of(repo, f"{rev}^")) if octopus else (head_of(repo, rev),)


def status(repo: Repo, unit: str, item_id: str) -> str:
    return str(yaml.safe_load(repo.item(unit, item_id).read_text(encoding="utf-8"))["status"])


def published(repo: Repo) -> set[str]:
    """The ids in the DIP that ``dipctl build`` would publish today: its ``dip.json`` is the
    document ``dipctl export --format json`` prints, read from the work tree."""
    return {row["id"] for row in json.loads(ok(repo, "export", "--format", "json"))["informasi"]}


def is_mapping(text: str) -> bool:
    try:
        return isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return False


def sign_as(repo: Repo, key: Path) -> None:
    """This clone signs every commit (dipctl's and plain git's) with ``key`` from now on."""
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)),
                        ("commit.gpgsign", "true")):  # fmt: skip
        git(repo.path, "config", name, value)


def signature(repo: Repo, rev: str, signers_at: str) -> str:
    """%G? of ``rev`` against the penanda-tangan that commit ``signers_at`` had."""
    allowed = repo.path.parent / f"allowed-{signers_at[:10]}"
    allowed.write_text(git(repo.path, "show", f"{signers_at}:register/penanda-tangan"), "utf-8")
    shown = git(repo.path, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1",
                "--format=%G?", rev)  # fmt: skip
    return shown.strip()


def add_person(repo: Repo, email: str, role: str) -> None:
    replace_in(
        repo.register / "register.yaml",
        "orang:\n",
        f"orang:\n  - nama: Nama {email.split('@')[0]}\n    email: {email}\n"
        f"    jabatan: Pejabat\n    peran: [{role}]\n",
    )


def list_key(repo: Repo, email: str, public: str, after: str = "") -> None:
    """A line for ``email`` in penanda-tangan: at the end, or after ``after``'s line."""
    signers = repo.register / "penanda-tangan"
    lines = signers.read_text(encoding="utf-8").splitlines(keepends=True)
    at = (
        next(i + 1 for i, line in enumerate(lines) if line.startswith(f"{after} "))
        if after
        else len(lines)
    )
    lines.insert(at, f'{email} namespaces="git" {public}\n')
    signers.write_text("".join(lines), encoding="utf-8")


# -- 1. a merge of an ancestor that takes one section of register.yaml back ----------------


@OCTOPUS
def test_an_ancestor_merge_turns_signing_off_and_a_forged_establish_follows(
    sop: Driver, octopus: bool
) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "satu")
    unsigned = head(repo)
    keys = list_signers(sop, KEPALA, SEKRETARIS, PPID, KASUBBAG)
    take_section(repo, unsigned, "tanda_tangan")
    merged = merge_commit(repo, PPID, *ancestors(repo, unsigned, octopus), key=keys[PPID])
    assert signature(repo, merged, f"{merged}^1") == "G"  # the insider's own, listed key
    assert equals_no_parent(repo, merged, "register/register.yaml")
    assert "  wajib: false" in (repo.register / "register.yaml").read_text(encoding="utf-8")
    # the PPID now takes the kepala's step as the kepala: nothing asks for a signature
    ok(repo, "establish", "satu", "--number", "188.44/9/2026", *DECREE, "--as", KEPALA)
    assert git(repo.path, "log", "-1", "--format=%G? %ae").split() == ["N", KEPALA]
    assert status(repo, "sekretariat", "satu") == "ditetapkan"
    assert "satu" in published(repo)
    found_as(repo, {"merge"}, merged, "")


@OCTOPUS
def test_an_ancestor_merge_gives_a_removed_sekretaris_his_role_back(
    sop: Driver, octopus: bool
) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    before = head(repo)
    without_person(repo, SEKRETARIS)
    commit_all(repo.path, "orang: sekretaris dimutasi", KEPALA)
    removed = head(repo)
    sop.new("dua")  # the work goes on
    take_section(repo, before, "orang")
    merged = merge_commit(repo, KASUBBAG, *ancestors(repo, before, octopus))
    assert equals_no_parent(repo, merged, "register/register.yaml")
    assert SEKRETARIS not in git(repo.path, "show", f"{removed}:register/register.yaml")
    ok(repo, "review", "satu", "--approve", "--as", SEKRETARIS)  # the CLI reads HEAD: he is back
    assert status(repo, "sekretariat", "satu") == "diteruskan"
    found_as(repo, {"merge"}, merged, "")


@OCTOPUS
def test_an_ancestor_merge_undoes_the_kepalas_renaming_of_a_unit(
    sop: Driver, octopus: bool
) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    before = head(repo)
    config = repo.register / "register.yaml"
    replace_in(config, "    nama: Subbagian Program\n", "    nama: Subbagian Perencanaan\n")
    commit_all(repo.path, "unit: program berganti nama", KEPALA)
    sop.new("dua", "program")
    take_section(repo, before, "unit")
    merged = merge_commit(repo, KASUBBAG_PROGRAM, *ancestors(repo, before, octopus))
    assert equals_no_parent(repo, merged, "register/register.yaml")
    text = config.read_text(encoding="utf-8")
    assert "nama: Subbagian Program\n" in text and "Perencanaan" not in text
    found_as(repo, {"merge"}, merged, "")


# -- 2. a reverted appointment merged back -------------------------------------------------


def test_a_merge_of_a_reverted_appointment_brings_the_officer_back(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    keys = list_signers(sop, KEPALA, SEKRETARIS, PPID, KASUBBAG)
    key, public = keygen(sop.tmp, "kasubbag-baru")
    with_new_kasubbag(repo)
    list_key(repo, NEW_KASUBBAG, public)
    appointed = signed_commit(repo, KEPALA, keys[KEPALA], "orang: kasubbag umum baru")
    git(
        repo.path, *who_args(KEPALA), "-c", "gpg.format=ssh", "-c",
        f"user.signingkey={keys[KEPALA]}", "revert", "-S", "--no-edit", appointed,
    )  # fmt: skip
    assert NEW_KASUBBAG not in (repo.register / "register.yaml").read_text(encoding="utf-8")
    files = ("register/register.yaml", "register/penanda-tangan")
    git(repo.path, "checkout", appointed, "--", *files)  # both files whole from that commit
    merged = merge_commit(repo, KASUBBAG, appointed, key=keys[KASUBBAG])
    for path in files:
        assert git(repo.path, "rev-parse", f"{merged}:{path}") == git(
            repo.path, "rev-parse", f"{appointed}:{path}"
        )
    sign_as(repo, key)  # and the officer the kepala took back acts
    ok(repo, "new", "--unit", "sekretariat", "--title", "Informasi tiga", "--id", "tiga",
       "--as", NEW_KASUBBAG)  # fmt: skip
    found_as(repo, {"merge"}, merged, "")


# -- 3. an undone meeting merged back ------------------------------------------------------


def test_a_merge_takes_back_an_undone_meeting_and_establish_all_publishes_it(
    sop: Driver,
) -> None:
    repo = sop.repo
    sop.drive("ditentukan", "satu")
    met = head(repo)
    ok(repo, "undo", "satu", "-m", "Rapat belum kuorum", "--as", PPID)
    assert status(repo, "sekretariat", "satu") == "diklasifikasi"
    item = rel(repo, repo.item("sekretariat", "satu"))
    git(repo.path, "checkout", met, "--", item)
    merged = merge_commit(repo, KASUBBAG, met)
    assert status(repo, "sekretariat", "satu") == "ditentukan"
    assert git(repo.path, "rev-parse", f"{merged}:{item}") == git(
        repo.path, "rev-parse", f"{met}:{item}"
    )
    ok(repo, "establish", "--all", "--number", "188.44/9/2026", *DECREE, "--as", KEPALA)
    assert status(repo, "sekretariat", "satu") == "ditetapkan"
    assert "satu" in published(repo)
    found_as(repo, {"merge"}, merged, "")


# -- 4. a key revoked on main, used on a branch from before --------------------------------


def stolen_key_branch(sop: Driver) -> tuple[dict[str, Path], str, str, str]:
    """A signed register with two kepala; the first kepala's key is stolen. On main the
    second kepala replaces it; the thief, on a branch from before, establishes an item and
    lists himself as kepala, both signed with the stolen key. Returns the keys, the
    revocation, the forged establishment and the commit that lists the thief."""
    repo = sop.repo
    sop.drive("ditentukan", "satu")
    add_person(repo, WAKIL, "kepala")
    commit_all(repo.path, "orang: wakil kepala", KEPALA)
    keys = list_signers(sop, KEPALA, WAKIL, SEKRETARIS, PPID, KASUBBAG)
    git(repo.path, "branch", "curian")  # the thief's copy, before the revocation
    _, fresh = keygen(sop.tmp, "kepala-baru")
    sign_as(repo, keys[WAKIL])
    ok(repo, "key", "add", KEPALA, fresh, "--replace", "--as", WAKIL)
    revoked = head(repo)
    sign_as(repo, keys[KASUBBAG])
    sop.new("dua")  # the work goes on on main
    git(repo.path, "checkout", "-q", "curian")
    sign_as(repo, keys[KEPALA])
    ok(repo, "establish", "satu", "--number", "188.44/66/2026", *DECREE, "--as", KEPALA)
    forged = head(repo)
    keys[OUTSIDER], public = keygen(sop.tmp, "pencuri")
    add_person(repo, OUTSIDER, "kepala")
    list_key(repo, OUTSIDER, public, after=SEKRETARIS)  # mid-file: git merges it cleanly
    commit_all(repo.path, "orang: kepala tambahan", KEPALA)
    listed = head(repo)
    assert signature(repo, forged, revoked) != "G"  # revoked on main ...
    assert signature(repo, forged, f"{forged}^") == "G"  # ... valid where the thief forked
    return keys, revoked, forged, listed


@pytest.mark.parametrize("thief_first", [True, False], ids=["thief-side-first", "main-first"])
def test_a_branch_signed_with_a_revoked_key_merged_with_main(
    sop: Driver, thief_first: bool
) -> None:
    repo = sop.repo
    keys, revoked, forged, listed = stolen_key_branch(sop)
    sign_as(repo, keys[OUTSIDER])  # the thief merges as himself, listed on his side
    main = head_of(repo, "main")
    if thief_first:
        merged = merge(repo, OUTSIDER, "--no-ff", "main", "-m", "Merge branch 'main'")
        git(repo.path, "checkout", "-q", "main")
        git(repo.path, "merge", "-q", "--ff-only", "curian")  # pushed
    else:
        git(repo.path, "checkout", "-q", "main")
        merged = merge(repo, OUTSIDER, "--no-ff", "curian", "-m", "Merge branch 'curian'")
    assert is_merge(repo, merged) and head(repo) == merged
    parents = git(repo.path, "log", "-1", "--format=%P").split()
    assert parents == ([listed, main] if thief_first else [main, listed])
    assert {forged, revoked} <= set(git(repo.path, "rev-list", merged).split())
    assert f"{OUTSIDER} " in (repo.register / "penanda-tangan").read_text(encoding="utf-8")
    assert status(repo, "sekretariat", "satu") == "ditetapkan"
    assert "satu" in published(repo)
    found_as(repo, {"merge"}, merged, "")


def test_a_branch_signed_with_a_revoked_key_rebased_onto_main(sop: Driver) -> None:
    repo = sop.repo
    _, revoked, forged, _ = stolen_key_branch(sop)
    git(repo.path, *who_args(KEPALA), "rebase", "-q", "-S", "main")  # still the stolen key
    replayed = git(repo.path, "rev-list", "--reverse", "main..curian").split()
    assert len(replayed) == 2 and replayed[0] != forged
    assert git(repo.path, "rev-parse", f"{replayed[0]}^").strip() == head_of(repo, "main")
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--ff-only", "curian")
    assert not is_merge(repo, replayed[0])
    assert signature(repo, replayed[0], revoked) != "G"
    assert signature(repo, replayed[0], f"{forged}^") == "G"
    assert status(repo, "sekretariat", "satu") == "ditetapkan"
    found_as(repo, {"signature"}, replayed[0], "")


# -- 5. bytes that git checks out otherwise than verify reads them -------------------------


def fullwidth(text: str) -> str:
    """``text`` in fullwidth forms (U+FF01-FF5E, U+3000): iconv's ASCII//TRANSLIT turns
    them back into ASCII, YAML reads them as no key at all."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def stage_blob(repo: Repo, path: str, content: bytes, mode: str = "100644") -> None:
    """Put ``content`` into the index at ``path`` as is (no attribute filters)."""
    blob = subprocess.run(
        ["git", "-C", str(repo.path), "hash-object", "-w", "--no-filters", "--stdin"],
        input=content, capture_output=True, check=True,
    ).stdout.decode().strip()  # fmt: skip
    git(repo.path, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}")


def commit_index(repo: Repo, who: str, message: str) -> str:
    """``git commit`` of what is staged (``forge`` would stage the work tree over it)."""
    git(repo.path, *who_args(who), "commit", "-q", "-m", message)
    return head(repo)


def test_a_fullwidth_item_that_an_attribute_checks_out_as_diunggah(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "dua")
    item = repo.item("sekretariat", "dua")
    path = rel(repo, item)
    honest = item.read_text(encoding="utf-8")
    forged = honest.replace("status: draf\n", fullwidth("kategori: berkala") + "\n"
                            + fullwidth("status: diunggah") + "\n")  # fmt: skip
    assert forged != honest
    (repo.path / ".gitattributes").write_text(
        "register/informasi/**/*.yaml working-tree-encoding=ASCII//TRANSLIT\n", encoding="utf-8"
    )
    git(repo.path, "add", ".gitattributes")
    stage_blob(repo, path, forged.encode("utf-8"))
    sha = commit_index(repo, KASUBBAG, "dua: perbaikan penulisan")
    item.unlink()
    git(repo.path, "checkout", "HEAD", "--", path)  # what every clone and CI checks out
    blob, checked_out = git(repo.path, "show", f"HEAD:{path}"), item.read_text(encoding="utf-8")
    assert not is_mapping(blob) and "status: diunggah" not in blob  # what verify reads ...
    assert is_mapping(checked_out) and "status: diunggah\n" in checked_out  # ... what is built
    site = sop.tmp / "situs"
    ok(repo, "build", "--out", str(site), "--uncommitted")  # the work tree as it is ...
    rows = json.loads((site / "dip.json").read_text(encoding="utf-8"))["informasi"]
    assert [row["id"] for row in rows] == ["dua"]  # ... would publish the forged item
    refused = repo.run("build", "--out", str(sop.tmp / "ci"))  # what CI runs refuses it
    assert refused.exit_code == 4 and path in refused.stderr, (refused.stdout, refused.stderr)
    assert not (sop.tmp / "ci").exists()
    found_as(repo, {"path"}, sha, "", ".gitattributes")
    found_as(repo, {"path"}, sha, "dua", path)


def test_an_item_blob_that_is_a_yaml_list(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    path = rel(repo, repo.item("sekretariat", "dua"))
    stage_blob(repo, path, b"- id: dua\n- status: diunggah\n")
    sha = commit_index(repo, KASUBBAG, "dua: daftar")
    found_as(repo, {"path"}, sha, "dua", path)


@pytest.mark.parametrize("mode", ["120000", "160000"], ids=["symlink", "gitlink"])
def test_an_item_path_that_is_no_regular_file(sop: Driver, mode: str) -> None:
    repo = sop.repo
    sop.drive("ditetapkan", "satu")
    path = rel(repo, repo.item("program", "dua"))
    if mode == "120000":  # another unit's established item, as the program's own
        stage_blob(repo, path, b"../sekretariat/satu.yaml", mode)
    else:
        git(repo.path, "update-index", "--add", "--cacheinfo", f"{mode},{head(repo)},{path}")
    sha = commit_index(repo, KASUBBAG_PROGRAM, "dua")
    assert git(repo.path, "ls-tree", "HEAD", path).split()[0] == mode
    found_as(repo, {"path"}, sha, "dua", path)


CHANGING = ("*.yaml eol=crlf", "*.yaml text", "*.yaml crlf", "*.yaml filter=kunci",
            "*.yaml ident", "*.yaml working-tree-encoding=UTF-16", "[attr]rapi -diff")  # fmt: skip


def kepalas_attributes(sop: Driver, line: str, where: str) -> tuple[str, str]:
    """The kepala commits a ``.gitattributes`` of one ``line`` in folder ``where``."""
    sop.drive("draf", "satu")
    attributes = sop.repo.path / where / ".gitattributes"
    attributes.write_text(f"{line}\n", encoding="utf-8")
    git(sop.repo.path, "add", rel(sop.repo, attributes))
    return commit_index(sop.repo, KEPALA, "atribut berkas"), rel(sop.repo, attributes)


@pytest.mark.parametrize("where", ["", "register"], ids=["root", "register"])
@pytest.mark.parametrize("line", CHANGING)
def test_a_kepalas_gitattributes_that_change_the_checkout(
    sop: Driver, line: str, where: str
) -> None:
    sha, path = kepalas_attributes(sop, line, where)
    found_as(sop.repo, {"path"}, sha, "", path)


@pytest.mark.parametrize("line", ["*.pdf binary", "*.pdf -diff"])
def test_a_kepalas_gitattributes_that_leave_the_checkout_alone(sop: Driver, line: str) -> None:
    kepalas_attributes(sop, line, "")
    clean(sop.repo)


# -- 6. unit changed other than by `new` ---------------------------------------------------


@pytest.mark.parametrize("how", ["move-and-submit", "bare-move", "unit-field"])
def test_a_kasubbag_moves_his_draft_into_another_unit(sop: Driver, how: str) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    old, new = repo.item("sekretariat", "satu"), repo.item("program", "satu")
    paragraphs: tuple[str, ...] = ("satu: pindah unit",)
    if how != "unit-field":
        new.parent.mkdir(parents=True, exist_ok=True)
        git(repo.path, "mv", rel(repo, old), rel(repo, new))
    if how != "bare-move":
        hand_edit(new if how == "move-and-submit" else old, unit="program")
    if how == "move-and-submit":
        hand_edit(new, status="diajukan")
        paragraphs = ("dip(submit): satu draf -> diajukan", trailers("submit", "kasubbag", "satu"))
    sha = forge(repo, KASUBBAG, *paragraphs)
    moved = git(repo.path, "ls-tree", "--name-only", "HEAD", "register/informasi/program/")
    assert ("satu.yaml" in moved) == (how != "unit-field")
    found_as(repo, {"edit"}, sha, "satu")


# -- 7. items deleted ----------------------------------------------------------------------


def public_and_exempt(sop: Driver) -> None:
    """``satu`` (berkala) and ``dua`` (dikecualikan) decided in one meeting: ditentukan."""
    sop.new("satu")
    sop.new("dua")
    sop.submit("sekretariat", "satu", "dua")
    sop.review("satu", "dua")
    sop.classify("berkala", "satu")
    sop.classify("dikecualikan", "dua")
    sop.meeting("satu", "dua")


def test_another_units_kasubbag_deletes_items_at_ditentukan_and_disetujui(sop: Driver) -> None:
    repo = sop.repo
    public_and_exempt(sop)
    ok(repo, "approve", "dua", "--as", KEPALA)
    assert [status(repo, "sekretariat", i) for i in ("satu", "dua")] == ["ditentukan", "disetujui"]
    git(repo.path, "rm", "-q", *(rel(repo, repo.item("sekretariat", i)) for i in ("satu", "dua")))
    sha = forge(repo, KASUBBAG_PROGRAM, "bersih-bersih")
    found_as(repo, {"deleted"}, sha, "satu")
    found_as(repo, {"deleted"}, sha, "dua")


@pytest.mark.parametrize(
    ("target", "who", "finding"),
    [("diajukan", KASUBBAG, True), ("draf", KASUBBAG_PROGRAM, True), ("draf", SEKRETARIS, True),
     ("draf", KASUBBAG, False)],
    ids=["own-diajukan", "other-units-draf", "sekretaris-draf", "own-draf-clean"],
)  # fmt: skip
def test_an_item_file_deleted(sop: Driver, target: str, who: str, finding: bool) -> None:
    repo = sop.repo
    sop.drive(target, "satu")
    git(repo.path, "rm", "-q", rel(repo, repo.item("sekretariat", "satu")))
    sha = forge(repo, who, "satu dihapus")
    if finding:
        found_as(repo, {"deleted"}, sha, "satu")
    else:
        clean(repo)


# -- 8. a decree that revokes one of another kind ------------------------------------------


def test_the_ppids_penetapan_dik_revokes_the_kepalas_sk_dip(sop: Driver) -> None:
    repo = sop.repo
    public_and_exempt(sop)
    sop.establish("satu")
    sk_dip = only(repo.register / "keputusan").stem
    ok(repo, "approve", "dua", "--as", KEPALA)
    before = json.loads(ok(repo, "export", "--format", "json"))
    assert before["keputusan_berlaku"]["id"] == sk_dip
    ok(repo, "exempt", "dua", "--number", "188.44/2/2026", *DECREE, "--as", PPID)
    exempted = head(repo)
    dik = next(p for p in (repo.register / "keputusan").glob("*.yaml") if p.stem != sk_dip)
    text = dik.read_text(encoding="utf-8")
    assert "jenis: penetapan-dik\n" in text and "mencabut" not in text
    dik.write_text(text.replace("menetapkan:", f"mencabut: {sk_dip}\nmenetapkan:", 1), "utf-8")
    git(repo.path, "add", rel(repo, dik))
    git(repo.path, *who_args(PPID), "commit", "-q", "--amend", "--no-edit")
    sha = head(repo)
    assert git(repo.path, "log", "-1", "--format=%B", sha) == git(
        repo.path, "log", "-1", "--format=%B", exempted
    )  # the exempt step's own message and trailers
    assert f"DIP-Decree: {dik.stem}" in git(repo.path, "log", "-1", "--format=%B")
    assert f"mencabut: {sk_dip}" in git(repo.path, "show", f"HEAD:{rel(repo, dik)}")
    after = json.loads(ok(repo, "export", "--format", "json"))
    assert not after.get("keputusan_berlaku")  # the head's DIP decree is no longer in force
    found_as(repo, {"decree"}, sha, "", rel(repo, dik))


# -- 9. time, and an undo undone -----------------------------------------------------------


def test_an_establishment_rebased_with_its_old_committer_date(
    sop: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kepala establishes on a side branch and rebases it onto main, which has moved on
    since, with ``GIT_COMMITTER_DATE`` ten minutes after the presentation: step 5 would
    read as ten minutes."""
    repo = sop.repo
    sop.drive("ditentukan", "satu")
    start = int(git(repo.path, "log", "-1", "--format=%ct")) + 3600
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"@{start} +0700")
    ok(repo, "decree", "present", "satu", "--as", PPID)
    git(repo.path, "checkout", "-q", "-b", "penetapan")
    ok(repo, "establish", "satu", "--number", "188.44/1/2026", *DECREE, "--as", KEPALA)
    git(repo.path, "checkout", "-q", "main")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"@{start + 2 * 86400} +0700")
    sop.new("dua")  # main goes on, two days later
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"@{start + 600} +0700")
    git(repo.path, "checkout", "-q", "penetapan")
    git(repo.path, *who_args(KEPALA), "rebase", "-q", "main")
    sha = head(repo)
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--ff-only", "penetapan")
    assert not is_merge(repo, sha) and head(repo) == sha
    times = git(repo.path, "log", "-2", "--format=%ct", sha).split()
    assert int(times[0]) == start + 600 < int(times[1])
    assert status(repo, "sekretariat", "satu") == "ditetapkan"
    found_as(repo, {"date"}, sha, "")


def test_an_undo_of_an_undo(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    ok(repo, "undo", "satu", "-m", "Salah ajukan", "--as", KASUBBAG)
    undone = head(repo)
    refused = repo.run("undo", "satu", "-m", "Ternyata benar", "--as", KASUBBAG)
    assert refused.exit_code == 3, refused.stderr  # the CLI does not undo an undo ...
    item = rel(repo, repo.item("sekretariat", "satu"))
    git(repo.path, "checkout", f"{undone}^", "--", item)  # ... plain git does, byte for byte
    sha = forge(
        repo, KASUBBAG, "dip(undo): satu draf -> diajukan",
        trailers("undo", "kasubbag", "satu") + f"\nDIP-Undoes: {undone}",
    )  # fmt: skip
    assert status(repo, "sekretariat", "satu") == "diajukan"
    found_as(repo, {"undo"}, sha, "satu")


# -- 10. honest twins ----------------------------------------------------------------------


def old_merges(sop: Driver) -> str:
    """Two honest merges made with ``git merge`` (the history as round one's sync made it);
    returns the last one."""
    repo = sop.repo
    sop.new("satu")
    sop.new("dua", "program")
    git(repo.path, "checkout", "-q", "-b", "program")
    sop.submit("program", "dua")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("sekretariat", "satu")
    assert is_merge(repo, merge(repo, KEPALA, "--no-ff", "program", "-m", "Gabung program"))
    git(repo.path, "checkout", "-q", "program")
    sop.new("tiga", "program")
    git(repo.path, "checkout", "-q", "main")
    sop.review("satu")
    last = merge(repo, SEKRETARIS, "--no-ff", "program", "-m", "Gabung program lagi")
    assert is_merge(repo, last)
    return last


def linear_since(repo: Repo, sha: str) -> None:
    config = repo.register / "register.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"riwayat:\n  linear_sejak: {sha}\n", "utf-8"
    )


def test_old_merges_up_to_linear_sejak_set_by_the_kepala_are_clean(sop: Driver) -> None:
    repo = sop.repo
    last = old_merges(sop)
    linear_since(repo, last)
    forge(repo, KEPALA, "riwayat: linear mulai sekarang")
    sop.review("dua")  # and the work goes on, linear
    clean(repo)


def test_a_merge_after_linear_sejak(sop: Driver) -> None:
    repo = sop.repo
    linear_since(repo, old_merges(sop))
    forge(repo, KEPALA, "riwayat: linear mulai sekarang")
    git(repo.path, "checkout", "-q", "-b", "lagi")
    sop.review("dua")
    git(repo.path, "checkout", "-q", "main")
    sop.submit("program", "tiga")
    merged = merge(repo, KEPALA, "--no-ff", "lagi", "-m", "Gabung lagi")
    assert is_merge(repo, merged)
    found_as(repo, {"merge"}, merged, "")


def test_linear_sejak_set_by_a_kasubbag(sop: Driver) -> None:
    repo = sop.repo
    last = old_merges(sop)
    linear_since(repo, last)
    sha = forge(repo, KASUBBAG, "riwayat: linear mulai sekarang")
    found_as(repo, {"settings"}, sha, "", "register/register.yaml")
    found_as(repo, {"merge"}, last, "")  # it names nothing: every merge is one


def test_a_merge_in_a_register_without_riwayat(sop: Driver) -> None:
    last = old_merges(sop)
    assert "riwayat" not in (sop.repo.register / "register.yaml").read_text(encoding="utf-8")
    found_as(sop.repo, {"merge"}, last, "")


def test_the_kepala_changes_the_ci_workflow(sop: Driver) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    workflow = repo.path / ".github" / "workflows" / "dip.yml"
    workflow.write_text(workflow.read_text(encoding="utf-8") + "# ditinjau kepala\n", "utf-8")
    forge(repo, KEPALA, "ci: catatan")
    clean(repo)


ROOT_PATHS = (".github/workflows/dip.yml", ".gitlab-ci.yml", ".gitignore", ".gitmodules",
              "README.md", ".github/workflows/lain.yml")  # fmt: skip


@pytest.mark.parametrize("name", ROOT_PATHS)
def test_a_kasubbag_writes_a_path_outside_the_register(sop: Driver, name: str) -> None:
    repo = sop.repo
    sop.drive("draf", "satu")
    path = repo.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(old + "# tambahan kasubbag\n", encoding="utf-8")
    sha = forge(repo, KASUBBAG, f"{name}: tambahan")
    found_as(repo, {"path"}, sha, "", name)
