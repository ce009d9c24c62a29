"""Issue 14.1: several officers share one register through a git server (a local bare
repository here), each in their own clone, with the real CLI and real git.

The server is ``server.git``; each officer's clone comes from ``dipctl clone``. Attacks
are made with plain git, as an officer who knows git (or an attacker with push access)
would make them; every test also checks that the clone it refused is as it was.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import KASUBBAG_PROGRAM, KEPALA, PPID, SEKRETARIS, Repo, commit_all, dipctl, git
from tests.test_signing import keygen
from tests.test_verify import Driver, head

SEKRETARIS_2 = "sekretaris.dua@dinas.example.go.id"
SECOND_SEKRETARIS = f"""\
  - nama: Sekretaris Kedua
    email: {SEKRETARIS_2}
    jabatan: Plh. Sekretaris
    peran: [sekretaris]
"""


@dataclass(frozen=True)
class Office:
    """The server and three officers' clones: ``a`` the sekretaris, ``b`` the second
    sekretaris (or the kasubbag program), ``c`` the PPID Pembantu."""

    server: Path
    a: Repo
    b: Repo
    c: Repo


def clean_tree(repo: Repo) -> None:
    assert git(repo.path, "status", "--porcelain") == ""
    assert not (repo.path / ".git" / "MERGE_HEAD").exists()


def status_of(repo: Repo, item: str) -> str:
    result = repo.run("show", item, "--json")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["status"])


def verified(repo: Repo) -> None:
    result = repo.run("verify", "--json")
    assert (result.exit_code, result.stdout.strip()) == (0, "[]"), (result.stdout, result.stderr)


def sync(repo: Repo, *args: str) -> tuple[int, str, str]:
    result = repo.run("sync", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@dataclass(frozen=True)
class Link:
    """One commit of a chain, as git records it."""

    sha: str
    parents: list[str]
    author: str  # e-mail
    authored: str  # raw: seconds and zone
    committer: str  # e-mail
    committed: int  # seconds
    action: str
    items: list[str]


def chain(path: Path, rev: str = "main") -> list[Link]:
    """The commits of ``rev`` oldest first, with their ``DIP-Action`` and ``DIP-Item``."""
    fields = "%H%x1f%P%x1f%ae%x1f%ad%x1f%ce%x1f%ct%x1f%B%x1e"
    out = git(path, "log", "--reverse", f"--format={fields}", "--date=raw", rev)
    links = []
    for record in filter(str.strip, out.split("\x1e")):
        sha, parents, author, authored, committer, committed, body = record.strip().split("\x1f")
        lines = body.splitlines()
        action = [v.split(": ", 1)[1] for v in lines if v.startswith("DIP-Action: ")]
        items = [v.split(": ", 1)[1] for v in lines if v.startswith("DIP-Item: ")]
        links.append(Link(sha, parents.split(), author, authored, committer, int(committed),
                          action[0] if action else "", items))  # fmt: skip
    return links


def one_chain(server: Path) -> list[Link]:
    """The server's history: no merge, and no committer date before its parent's."""
    assert git(server, "rev-list", "--merges", "main") == ""
    links = chain(server)
    for parent, link in itertools.pairwise(links):
        assert link.parents == [parent.sha]
        assert link.committed >= parent.committed, (parent, link)
    return links


def step_of(links: list[Link], action: str, item: str) -> Link:
    (found,) = [link for link in links if link.action == action and item in link.items]
    return found


@pytest.fixture(scope="module")
def _office_template(_template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Items ``satu`` (sekretariat, diajukan) and ``dua`` (program, draf), a second
    sekretaris; the server and three clones made by ``dipctl clone``. Built once."""
    home = tmp_path_factory.mktemp("office-home")
    (home / ".gitconfig").write_text("", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    try:
        top = tmp_path_factory.mktemp("office")
        shutil.copytree(_template_repo, top / "origin", symlinks=True)
        repo = Repo(top / "origin")
        config = repo.register / "register.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("  - nama: PPID", SECOND_SEKRETARIS + "  - nama: PPID", 1))
        commit_all(repo.path, "orang: sekretaris kedua", KEPALA)
        sop = Driver(repo, top)
        sop.drive("diajukan", "satu")
        sop.new("dua", "program")
        git(top, "clone", "-q", "--bare", str(repo.path), str(top / "server.git"))
        for name, who in (("a", SEKRETARIS), ("b", SEKRETARIS_2), ("c", PPID)):
            done = dipctl("clone", f"file://{top / 'server.git'}", top / name, "--as", who)
            assert done.exit_code == 0, done.stderr
    finally:
        mp.undo()
    return top


@pytest.fixture
def office(_office_template: Path, tmp_path: Path) -> Office:
    """A fresh copy of the office for each test, its clones pointed at its own server."""
    top = tmp_path / "office"
    shutil.copytree(_office_template, top, symlinks=True)
    clones = [Repo(top / name) for name in "abc"]
    for clone in clones:
        git(clone.path, "remote", "set-url", "origin", f"file://{top / 'server.git'}")
    return Office(top / "server.git", *clones)


def test_two_officers_on_different_items_sync_into_one_chain_and_the_third_sees_both(
    office: Office,
) -> None:
    a, b, c = office.a, office.b, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0  # git user.email: the sekretaris
    assert b.run("submit", "dua", "--as", KASUBBAG_PROGRAM).exit_code == 0
    taken = step_of(chain(b.path, "HEAD"), "submit", "dua")
    assert sync(a)[0] == 0
    code, out, err = sync(b)
    assert code == 0, err
    assert out.strip() == (
        "sinkron dengan server: 1 langkah diambil, 1 langkah dikirim; "
        "1 langkah Anda disusun ulang di atas langkah rekan."
    )
    assert "commit" not in out
    links = one_chain(office.server)  # no merge: b's step was replayed on a's
    review, submit = step_of(links, "review", "satu"), step_of(links, "submit", "dua")
    assert links[-2:] == [review, submit]
    assert (review.author, submit.author) == (SEKRETARIS, KASUBBAG_PROGRAM)
    assert submit.committer == SEKRETARIS_2  # the officer who synced
    assert submit.sha != taken.sha and submit.authored == taken.authored  # when it was taken
    code, out, err = sync(c)
    assert code == 0, err
    assert (status_of(c, "satu"), status_of(c, "dua")) == ("diteruskan", "diajukan")
    verified(c)
    assert sync(a)[0] == 0
    assert head(a) == head(b) == head(c) == git(office.server, "rev-parse", "main").strip()
    for clone in (a, b, c):
        clean_tree(clone)
    code, out, _ = sync(c)
    assert (code, out.strip()) == (0, "sudah sinkron dengan server.")


def test_a_conflict_on_one_item_is_explained_and_the_printed_commands_resolve_it(
    office: Office,
) -> None:
    a, b, c = office.a, office.b, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert b.run("review", "satu", "--return", "-m", "Ringkasan kurang").exit_code == 0
    assert sync(a)[0] == 0
    before, served = head(b), git(office.server, "rev-parse", "main")
    code, out, err = sync(b)
    assert code == 3, err
    assert head(b) == before  # the clone is as it was, and so is the server
    assert git(office.server, "rev-parse", "main") == served == git(a.path, "rev-parse", "HEAD")
    clean_tree(b)
    assert "konflik dengan server pada satu" in err
    assert f"Sekretaris Kedua <{SEKRETARIS_2}>: satu diajukan -> dikembalikan" in err
    assert f"Sekretaris Dinas <{SEKRETARIS}>: satu diajukan -> diteruskan" in err
    assert "Anda (belum dikirim)" in err and "rekan (di server)" in err
    commands = [line.split("#")[0].strip() for line in err.splitlines() if "dipctl " in line]
    assert "dipctl sync --keep-theirs satu" in commands
    assert "dipctl show satu" in commands
    english = b.run("sync", "--lang", "en")
    assert english.exit_code == 3
    assert "conflict with the server on satu" in english.stderr
    assert "colleague (on the server)" in english.stderr
    code, out, err = sync(b, "--keep-theirs", "satu")
    assert code == 0, err
    assert "satu diajukan -> dikembalikan" in out  # the step it dropped, and how to redo it
    assert "dipctl review satu --approve | --return -m CATATAN" in out
    assert status_of(b, "satu") == "diteruskan"
    redo = b.run("review", "satu", "--return", "-m", "Ringkasan kurang")
    assert redo.exit_code == 3  # the redo is checked by the workflow: satu moved on
    verified(b)
    assert sync(c)[0] == 0
    verified(c)
    assert status_of(c, "satu") == "diteruskan"
    clean_tree(b)
    one_chain(office.server)


def test_a_wrong_resolution_with_plain_git_is_caught_and_refused_by_the_next_officer(
    office: Office,
) -> None:
    a, b, c = office.a, office.b, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("review", "satu", "--return", "-m", "Ringkasan kurang").exit_code == 0
    pull = subprocess.run(
        ["git", "-C", str(b.path), "pull", "--no-rebase", "-q"], capture_output=True, text=True
    )
    assert pull.returncode != 0  # CONFLICT in satu.yaml
    item = b.item("sekretariat", "satu")
    # every read command names the conflict markers instead of a YAML syntax error
    for args in (("list",), ("status",), ("validate",), ("show", "satu")):
        result = b.run(*args)
        said = result.stderr + result.stdout
        assert "tanda konflik git" in said, (args, said)
        assert "informasi/sekretariat/satu.yaml" in said, args
        assert "sintaks YAML" not in said, args
        assert result.exit_code in (0, 1, 4), args
    assert "git conflict markers" in b.run("list", "--lang", "en").stderr
    # the sekretaris "resolves" it by keeping their own side, and pushes with plain git
    git(b.path, "checkout", "--ours", "--", str(item))
    git(b.path, "add", str(item))
    git(b.path, "-c", f"user.email={SEKRETARIS_2}", "-c", "user.name=S2", "commit", "-qm", "m")
    bad = head(b)
    refused = b.run("verify", "--json")
    assert refused.exit_code == 1
    assert {(f["rule"], f["commit"]) for f in json.loads(refused.stdout)} >= {("merge", bad)}
    own = sync(b)  # dipctl itself never sends it
    assert own[0] == 1 and "belum dikirim gagal `dipctl verify`" in own[2], own
    git(b.path, "push", "-q", "origin", "HEAD:main")
    before = head(c)
    code, _, err = sync(c, "--verbose")  # the commit to take off the server, named
    assert code == 1, err
    assert f"commit {bad[:12]}, aturan merge" in err
    assert "riwayat dari server gagal `dipctl verify`" in err
    assert SEKRETARIS_2 in err and KEPALA in err  # whom to call: the author and the kepala
    assert head(c) == before
    clean_tree(c)
    verified(c)


def test_sync_aborts_a_half_done_git_merge_and_explains_it(office: Office) -> None:
    a, b = office.a, office.b
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("review", "satu", "--return", "-m", "Ringkasan kurang").exit_code == 0
    before = head(b)
    subprocess.run(["git", "-C", str(b.path), "pull", "--no-rebase", "-q"], capture_output=True)
    assert (b.path / ".git" / "MERGE_HEAD").exists()
    code, _, err = sync(b)
    assert code == 3 and "konflik dengan server pada satu" in err
    assert head(b) == before
    clean_tree(b)
    assert status_of(b, "satu") == "dikembalikan"


def test_a_push_race_is_fetched_replayed_and_pushed_again(office: Office) -> None:
    a, c = office.a, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert c.run("submit", "dua", "--as", KASUBBAG_PROGRAM).exit_code == 0
    hook = a.path / ".git" / "hooks" / "pre-push"
    marker = a.path.parent / "raced"
    hook.write_text(  # between a's fetch and a's push, c pushes (once)
        "#!/bin/sh\n"
        f'if [ ! -e "{marker}" ]; then touch "{marker}"; '
        "env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE "
        f'git -C "{c.path}" push -q origin HEAD:main; fi\n',
        encoding="utf-8",
    )
    hook.chmod(0o755)
    result = a.run("sync", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert marker.exists() and report["retries"] == 1 and report["replayed"] == 1
    assert report["pushed"] == 1 and "merge" not in report
    assert sync(c)[0] == 0
    assert (status_of(c, "satu"), status_of(c, "dua")) == ("diteruskan", "diajukan")
    verified(c)
    links = one_chain(office.server)  # replayed again from a's own step, on c's
    assert [(link.action, link.items) for link in links[-2:]] == [
        ("submit", ["dua"]), ("review", ["satu"])
    ]  # fmt: skip


def test_read_commands_say_when_the_clone_is_behind_or_ahead(office: Office) -> None:
    a, c = office.a, office.c
    assert c.run("status").stderr.count("dipctl sync") == 0  # in step: no hint
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    git(c.path, "fetch", "-q")  # the last fetch knows; no network at the read
    listed = c.run("list", "--json")
    assert listed.exit_code == 0
    json.loads(listed.stdout)  # stdout stays JSON
    assert "tertinggal 1 langkah dari server" in listed.stderr
    assert "ambil dulu dengan dipctl sync" in listed.stderr
    for args in (("status",), ("validate",), ("history", "satu"), ("sla",)):
        assert "ambil dulu dengan dipctl sync" in c.run(*args).stderr, args
    assert "take them first: dipctl sync" in c.run("status", "--lang", "en").stderr
    assert sync(c)[0] == 0
    assert c.run("submit", "dua", "--as", KASUBBAG_PROGRAM).exit_code == 0
    assert "1 langkah di klon ini belum dikirim ke server" in c.run("status").stderr
    assert sync(c)[0] == 0
    assert "dipctl sync" not in c.run("status").stderr


def test_init_remote_and_clone_give_officers_a_working_share(tmp_path: Path) -> None:
    server = tmp_path / "dip.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(server))
    made = dipctl("init", tmp_path / "dinas", "--agency", "Dinas Contoh", "--head-name",
                  "Kepala Dinas", "--head-email", KEPALA, "--remote", str(server))  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert "dikirim ke" in made.stderr
    assert git(server, "rev-parse", "main") == git(tmp_path / "dinas", "rev-parse", "HEAD")
    cloned = dipctl("clone", str(server), tmp_path / "kepala", "--as", KEPALA)
    assert cloned.exit_code == 0, cloned.stderr
    kepala = Repo(tmp_path / "kepala")
    assert git(kepala.path, "config", "user.email").strip() == KEPALA
    assert kepala.run("sync").exit_code == 0
    verified(kepala)
    again = dipctl("clone", str(server), tmp_path / "kepala")
    assert again.exit_code == 4 and "sudah ada" in again.stderr
    empty = tmp_path / "kosong.git"
    git(tmp_path, "init", "-q", "--bare", str(empty))
    nothing = dipctl("clone", str(empty), tmp_path / "x")
    assert nothing.exit_code == 4 and "kosong" in nothing.stderr
    assert not (tmp_path / "x").exists()
    lonely = Repo(tmp_path / "dinas2")
    assert dipctl("init", lonely.path, "--agency", "D", "--head-name", "K",
                  "--head-email", KEPALA).exit_code == 0  # fmt: skip
    alone = lonely.run("sync")
    assert alone.exit_code == 4 and "dipctl clone URL FOLDER" in alone.stderr
    refused = dipctl("init", tmp_path / "dinas3", "--agency", "D", "--head-name", "K",
                     "--head-email", KEPALA, "--remote", str(server))  # fmt: skip
    assert refused.exit_code == 4 and str(server) in refused.stderr  # not empty: not forced


@pytest.mark.parametrize("point", ["sync-before-push", "sync-after-push", "sync-after-ref",
                                   "mid-files"])  # fmt: skip
def test_a_sync_killed_anywhere_is_finished_by_the_next_sync(office: Office, point: str) -> None:
    a, b = office.a, office.b
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("submit", "dua", "--as", KASUBBAG_PROGRAM).exit_code == 0
    env = {**os.environ, "DIPCTL_TEST_KILL": point}
    killed = subprocess.run(
        [sys.executable, "-m", "dipctl", "sync", "--register", str(b.register)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert killed.returncode == -9, (killed.returncode, killed.stderr)
    code, _, err = sync(b)
    assert code == 0, err
    clean_tree(b)
    assert (status_of(b, "satu"), status_of(b, "dua")) == ("diteruskan", "diajukan")
    assert head(b) == git(office.server, "rev-parse", "main").strip()
    verified(b)


def test_the_same_new_id_made_in_two_clones_is_a_conflict_resolved_by_keep_theirs(
    office: Office,
) -> None:
    a, b = office.a, office.b
    for clone, title in ((a, "Laporan A"), (b, "Laporan B")):
        made = clone.run("new", "--unit", "program", "--title", title, "--id", "tiga",
                         "--as", KASUBBAG_PROGRAM)  # fmt: skip
        assert made.exit_code == 0, made.stderr
    assert sync(a)[0] == 0
    code, _, err = sync(b)
    assert code == 3 and "pada tiga" in err and "new sebagai" in err
    assert sync(b, "--keep-theirs", "tiga")[0] == 0
    assert "Laporan A" in b.item("program", "tiga").read_text(encoding="utf-8")
    assert sync(b)[0] == 0
    verified(b)
    clean_tree(b)


def test_sync_never_overwrites_an_uncommitted_edit(office: Office) -> None:
    a, c = office.a, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    item = c.item("sekretariat", "satu")
    edited = item.read_text(encoding="utf-8").replace("Informasi satu", "Judul baru")
    item.write_text(edited, encoding="utf-8")
    before = head(c)
    code, _, err = sync(c)
    assert code == 4 and "register/informasi/sekretariat/satu.yaml" in err, err
    assert (head(c), item.read_text(encoding="utf-8")) == (before, edited)
    unknown = sync(c, "--keep-theirs", "tidak-ada")
    assert unknown[0] == 4 and "tidak-ada" in unknown[2]


def test_a_pull_that_only_fast_forwards_needs_no_identity(office: Office) -> None:
    a, c = office.a, office.c
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    git(c.path, "config", "--unset", "user.email")
    code, out, err = sync(c)
    assert code == 0, err
    assert "1 langkah diambil, 0 langkah dikirim." in out
    assert status_of(c, "satu") == "diteruskan"


def test_a_hostile_author_name_is_printed_harmlessly_in_a_conflict(office: Office) -> None:
    a, b = office.a, office.b
    item = a.item("sekretariat", "satu")
    item.write_text(item.read_text(encoding="utf-8").replace("Informasi satu", "Judul lain"))
    evil = "Evil\x1b[2J\x1b]0;owned\x07 \u202eName"
    git(a.path, "-c", f"user.name={evil}", "-c", "user.email=x@example.com", "commit", "-qam",
        "judul\x1b[31m")  # fmt: skip
    git(a.path, "push", "-q", "origin", "HEAD:main")
    assert b.run("review", "satu", "--approve").exit_code == 0
    code, _, err = sync(b)
    assert code == 3 and "Evil" in err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err


def test_a_url_that_git_would_read_as_an_option_is_refused(tmp_path: Path) -> None:
    for args in (
        ("clone", "--", "--upload-pack=touch /tmp/x", tmp_path / "x"),
        ("init", tmp_path / "d", "--agency", "D", "--head-name", "K", "--head-email", KEPALA,
         "--remote", "-oProxyCommand=x"),
    ):  # fmt: skip
        done = dipctl(*args)
        assert done.exit_code == 2, (args, done.stderr)
        assert "bukan URL repositori git" in done.stderr


def test_a_wrong_resolution_not_pushed_yet_is_dropped_with_the_printed_command(
    office: Office,
) -> None:
    a, b = office.a, office.b
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("review", "satu", "--return", "-m", "Ringkasan kurang").exit_code == 0
    subprocess.run(["git", "-C", str(b.path), "pull", "--no-rebase", "-q"], capture_output=True)
    item = b.item("sekretariat", "satu")
    git(b.path, "checkout", "--ours", "--", str(item))
    git(b.path, "add", str(item))
    git(b.path, "-c", f"user.email={SEKRETARIS_2}", "-c", "user.name=S2", "commit", "-qm", "m")
    code, _, err = sync(b)
    assert code == 1 and "dipctl sync --keep-theirs ID" in err
    code, out, err = sync(b, "--keep-theirs", "satu")
    assert code == 0, err
    assert "satu diajukan -> dikembalikan" in out
    assert status_of(b, "satu") == "diteruskan"
    assert head(b) == git(office.server, "rev-parse", "main").strip()
    verified(b)
    clean_tree(b)


# -- sync never merges: the officer's unpushed steps are replayed on the server's ------------


def test_a_replayed_step_keeps_when_it_was_taken_and_is_dated_after_its_parent(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = office.a, office.b
    now = int(time.time())
    for who, at, args in ((b, now + 3600, ("submit", "dua", "--as", KASUBBAG_PROGRAM)),
                          (a, now + 7200, ("review", "satu", "--approve"))):  # fmt: skip
        monkeypatch.setenv("GIT_AUTHOR_DATE", f"@{at} +0700")
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"@{at} +0700")
        assert who.run(*args).exit_code == 0
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert sync(a)[0] == 0
    before = head(b)
    result = b.run("sync", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        "in step with the server: 1 step(s) taken, 1 step(s) sent; "
        "1 of your step(s) replayed on top of your colleagues'."
    )
    links = one_chain(office.server)
    review, submit = step_of(links, "review", "satu"), step_of(links, "submit", "dua")
    assert submit.parents == [review.sha]
    assert submit.authored == f"{now + 3600} +0700"  # taken an hour before the review
    assert submit.committed == review.committed == now + 7200  # but it follows the review
    assert git(b.path, "rev-parse", "refs/dipctl/sebelum-sync").strip() == before
    verified(b)


def test_a_signed_register_stays_one_chain_and_replayed_steps_are_signed_again(
    office: Office, tmp_path: Path
) -> None:
    a, c = office.a, office.c
    keys, lines = {}, []
    (tmp_path / "keys").mkdir()
    for email in (KEPALA, SEKRETARIS, KASUBBAG_PROGRAM):
        keys[email], public = keygen(tmp_path / "keys", email)
        lines.append(f'{email} namespaces="git" {public}')
    (a.register / "penanda-tangan").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = a.register / "register.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  wajib: false", "  wajib: true"))
    commit_all(a.path, "tanda tangan wajib", KEPALA)
    assert sync(a)[0] == 0
    # c becomes the kasubbag program's laptop, with their key; a signs as the sekretaris
    for clone, email in ((a, SEKRETARIS), (c, KASUBBAG_PROGRAM)):
        git(clone.path, "config", "user.email", email)
        git(clone.path, "config", "gpg.format", "ssh")
        git(clone.path, "config", "user.signingkey", str(keys[email]))
    assert sync(c)[0] == 0
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert c.run("submit", "dua").exit_code == 0
    assert sync(a)[0] == 0
    code, out, err = sync(c)
    assert code == 0, err
    assert "1 langkah Anda disusun ulang" in out
    links = one_chain(office.server)
    assert [(link.action, link.author) for link in links[-2:]] == [
        ("review", SEKRETARIS), ("submit", KASUBBAG_PROGRAM)
    ]  # fmt: skip
    allowed = f"gpg.ssh.allowedSignersFile={c.register / 'penanda-tangan'}"
    signed = git(c.path, "-c", allowed, "log", "-2", "--format=%G? %GS").splitlines()
    assert signed == [f"G {KASUBBAG_PROGRAM}", f"G {SEKRETARIS}"]
    verified(c)
    assert sync(a)[0] == 0
    verified(a)


def test_two_sections_of_register_yaml_changed_in_two_clones_are_joined_without_a_merge(
    office: Office,
) -> None:
    a, c = office.a, office.c
    mutu = ("  penetapan: 60 menit\n", "  penetapan: 30 hari\n")
    situs = ("situs:\n", "situs:\n  base_url: https://dinas.example.go.id/dip/\n")
    for clone, (old, new), who in ((a, mutu, KEPALA), (c, situs, PPID)):
        config = clone.register / "register.yaml"
        text = config.read_text(encoding="utf-8")
        assert old in text
        config.write_text(text.replace(old, new, 1), encoding="utf-8")
        commit_all(clone.path, f"register: {new.split(':')[0].strip()}", who)
    assert sync(a)[0] == 0
    code, out, err = sync(c)
    assert code == 0, err
    assert "1 langkah Anda disusun ulang" in out
    links = one_chain(office.server)
    assert [link.author for link in links[-2:]] == [KEPALA, PPID]
    text = (c.register / "register.yaml").read_text(encoding="utf-8")
    assert mutu[1] in text and situs[1] in text
    clean_tree(c)
    verified(c)
    assert sync(a)[0] == 0
    assert (a.register / "register.yaml").read_text(encoding="utf-8") == text


def test_a_register_yaml_change_that_cannot_be_replayed_is_a_conflict(office: Office) -> None:
    """c set a site address and took it back; meanwhile a set another one: the whole is
    mergeable, but c's first change cannot be replayed on a's."""
    a, c = office.a, office.c
    for clone, urls in ((a, ["https://a.example.go.id/"]),
                        (c, ["https://c.example.go.id/", ""])):  # fmt: skip
        config = clone.register / "register.yaml"
        original = config.read_text(encoding="utf-8")
        for url in urls:
            line = f"situs:\n  base_url: {url}\n" if url else "situs:\n"
            config.write_text(original.replace("situs:\n", line, 1), encoding="utf-8")
            commit_all(clone.path, f"register: situs {url or 'kembali'}", PPID)
    assert sync(a)[0] == 0
    before, served = head(c), git(office.server, "rev-parse", "main")
    code, _, err = sync(c)
    assert code == 3, err
    assert "konflik dengan server pada register/register.yaml" in err
    assert "berkas register/register.yaml:" in err
    assert "dipctl sync --keep-theirs register/register.yaml" in err
    assert (head(c), git(office.server, "rev-parse", "main")) == (before, served)
    clean_tree(c)
    code, _, err = sync(c, "--keep-theirs", "register/register.yaml")
    assert code == 0, err
    assert "https://a.example.go.id/" in (c.register / "register.yaml").read_text()
    assert head(c) == git(office.server, "rev-parse", "main").strip()
    one_chain(office.server)
    verified(c)


def test_keep_theirs_drops_the_clashing_step_and_replays_the_others_in_one_chain(
    office: Office,
) -> None:
    a, b = office.a, office.b
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("review", "satu", "--return", "-m", "Ringkasan kurang").exit_code == 0
    assert b.run("submit", "dua", "--as", KASUBBAG_PROGRAM).exit_code == 0
    before = head(b)
    assert sync(b)[0] == 3
    code, out, err = sync(b, "--keep-theirs", "satu")
    assert code == 0, err
    assert "satu diajukan -> dikembalikan" in out  # dropped, with the command that redoes it
    assert "1 langkah Anda disusun ulang" in out  # the submit of dua, on a's review
    links = one_chain(office.server)
    assert [(link.action, link.items, link.author) for link in links[-2:]] == [
        ("review", ["satu"], SEKRETARIS), ("submit", ["dua"], KASUBBAG_PROGRAM)
    ]  # fmt: skip
    assert git(b.path, "rev-parse", "refs/dipctl/sebelum-sync").strip() == before
    assert (status_of(b, "satu"), status_of(b, "dua")) == ("diteruskan", "diajukan")
    verified(b)
    clean_tree(b)
