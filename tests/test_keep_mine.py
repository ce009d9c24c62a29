"""Issue 20.7: a conflict keeps the officer's work. ``dipctl sync --keep-mine ID`` takes the
officer's step again on top of the colleague's when the workflow still allows it, and the
officer's version of the file is saved where they can see it (``.dipctl/milik-saya/``) and
take it again with ``dipctl edit ID --from FILE``.

Two (or three) real clones of a local bare repository, the real CLI (the office of
tests/test_sync.py: ``satu`` is ``diajukan``, ``a`` and ``b`` are both sekretaris, ``c`` the
PPID Pembantu).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests import test_sync
from tests.conftest import PPID, SEKRETARIS, Repo, git
from tests.test_sync import (
    SEKRETARIS_2,
    Office,
    chain,
    clean_tree,
    one_chain,
    status_of,
    sync,
    verified,
)
from tests.test_verify import forge, head, trailers

_office_template = test_sync._office_template  # the fixtures of the office
office = test_sync.office
SAVED = ".dipctl/milik-saya/satu.yaml"


def field(repo: Repo, key: str) -> str:
    """A top-level value of satu's file in ``repo``'s work tree, as written."""
    text = repo.item("sekretariat", "satu").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"{key}:"))
    return line.split(":", 1)[1].strip().strip('"')


def conflict_on_satu(office: Office) -> None:
    """a (on the server) and b (not pushed) both edit satu's ringkasan; a also its retensi."""
    a, b = office.a, office.b
    done = a.run("edit", "satu", "--summary", "Ringkasan A", "--retention", "7 tahun")
    assert done.exit_code == 0, done.stderr
    assert sync(a)[0] == 0
    done = b.run("edit", "satu", "--summary", "Ringkasan B")
    assert done.exit_code == 0, done.stderr


def test_keep_mine_takes_my_edit_again_over_theirs_and_the_colleague_sees_it(
    office: Office,
) -> None:
    a, b = office.a, office.b
    conflict_on_satu(office)
    before, served = head(b), git(office.server, "rev-parse", "main")
    code, _, err = sync(b)
    assert code == 3, err
    commands = [line.split("#")[0].strip() for line in err.splitlines() if "dipctl " in line]
    assert "dipctl sync --keep-mine satu" in commands
    assert "dipctl sync --keep-theirs satu" in commands
    saved = b.path / SAVED
    assert f"dipctl edit satu --from {saved}" in commands
    assert f"versi Anda disimpan di {saved}" in err
    assert "Ringkasan B" in saved.read_text(encoding="utf-8")  # the officer's version
    clean_tree(b)  # the saved copy is outside git
    # abuse: an item not in conflict, one that does not exist, both options: nothing changes
    for args, exit_code, word in (
        (("--keep-mine", "dua"), 2, "dua"),
        (("--keep-mine", "tidak-ada"), 4, "tidak-ada"),
        (("--keep-mine", "satu", "--keep-theirs", "satu"), 2, "satu"),
    ):
        code, _, err = sync(b, *args)
        assert (code, word in err) == (exit_code, True), (args, err)
        assert head(b) == before and git(office.server, "rev-parse", "main") == served
        clean_tree(b)
    code, out, err = sync(b, "--keep-mine", "satu")
    assert code == 0, err
    assert "langkah Anda diterapkan lagi di atas langkah rekan: edit satu (ringkasan)" in out
    assert git(office.server, "rev-parse", "main") == git(b.path, "rev-parse", "HEAD")
    links = one_chain(office.server)
    last = links[-1]
    assert (last.action, last.items, last.author) == ("edit", ["satu"], SEKRETARIS_2)
    assert [link.action for link in links[-2:]] == ["edit", "edit"]  # a's, then b's again
    assert (field(b, "ringkasan"), field(b, "retensi")) == ("Ringkasan B", "7 tahun")
    message = git(b.path, "log", "-1", "--format=%B")
    assert "DIP-Role: sekretaris" in message and "satu: ringkasan" in message
    verified(b)
    clean_tree(b)
    assert sync(a)[0] == 0  # the colleague sees it
    assert (field(a, "ringkasan"), field(a, "retensi")) == ("Ringkasan B", "7 tahun")
    verified(a)
    assert sync(b)[0] == 0  # nothing left to send


def test_keep_mine_is_refused_with_the_reason_when_the_colleague_moved_the_item(
    office: Office,
) -> None:
    a, b = office.a, office.b
    assert a.run("review", "satu", "--approve").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("edit", "satu", "--summary", "Ringkasan B").exit_code == 0
    assert sync(b)[0] == 3
    before, served = head(b), git(office.server, "rev-parse", "main")
    code, _, err = sync(b, "--keep-mine", "satu")
    assert code == 3, err
    assert "satu" in err and "review" in err and "diteruskan" in err
    assert f"Sekretaris Dinas <{SEKRETARIS}>" in err  # the colleague's step, by name
    assert "dipctl sync --keep-theirs satu" in err  # what to do instead
    assert "dipctl classify satu" in err  # and who acts next
    assert head(b) == before and git(office.server, "rev-parse", "main") == served
    clean_tree(b)
    english = b.run("sync", "--keep-mine", "satu", "--lang", "en")
    assert english.exit_code == 3 and "cannot be applied again" in english.stderr
    assert status_of(b, "satu") == "diajukan"  # as it was in this clone


def test_the_saved_version_is_taken_again_with_edit_from_after_keep_theirs(
    office: Office,
) -> None:
    b, c = office.b, office.c
    original = field(b, "retensi")
    conflict_on_satu(office)
    assert sync(b)[0] == 3
    code, out, err = sync(b, "--keep-theirs", "satu")
    assert code == 0, err
    saved = b.path / SAVED
    assert f"dipctl edit satu --from {saved}" in out
    assert field(b, "ringkasan") == "Ringkasan A"  # the colleague's stands
    mine = saved.read_text(encoding="utf-8")
    assert "Ringkasan B" in mine
    wrong = b.run("edit", "satu", "--from", saved, "--summary", "x")
    assert wrong.exit_code == 2
    other = b.path / "lain.yaml"
    other.write_text(mine.replace("id: satu", "id: dua"), encoding="utf-8")
    refused = b.run("edit", "satu", "--from", other)
    assert refused.exit_code == 2 and "dua" in refused.stderr
    other.unlink()
    done = b.run("edit", "satu", "--from", saved)
    assert done.exit_code == 0, done.stderr
    assert "ringkasan" in done.stdout and "retensi" in done.stdout  # the file is the value
    assert (field(b, "ringkasan"), field(b, "retensi")) == ("Ringkasan B", original)
    assert b.run("edit", "satu", "--from", saved).exit_code == 0  # again: nothing to change
    assert [link.action for link in chain(b.path, "HEAD")[-2:]] == ["edit", "edit"]
    assert sync(b)[0] == 0
    verified(b)
    clean_tree(b)
    assert sync(c)[0] == 0
    assert field(c, "ringkasan") == "Ringkasan B"
    assert c.run("edit", "satu", "--from", saved, "--as", PPID).exit_code == 3  # diajukan


def test_a_keep_mine_killed_after_the_push_is_finished_by_running_it_again(
    office: Office,
) -> None:
    b = office.b
    conflict_on_satu(office)
    killed = subprocess.run(
        [sys.executable, "-m", "dipctl", "sync", "--keep-mine", "satu", "--register",
         str(b.register)],
        env={**os.environ, "DIPCTL_TEST_KILL": "sync-after-push"},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    pushed = git(office.server, "rev-parse", "main")
    assert (b.path / SAVED).is_file()
    code, out, err = sync(b, "--keep-mine", "satu")
    assert code == 0, err
    assert "diterapkan lagi" not in out  # already on the server: made once, not twice
    assert git(office.server, "rev-parse", "main") == pushed == git(b.path, "rev-parse", "HEAD")
    assert field(b, "ringkasan") == "Ringkasan B"
    verified(b)
    clean_tree(b)


def test_keep_mine_takes_a_status_step_again_while_the_item_is_still_where_it_left_from(
    office: Office,
) -> None:
    a, b, c = office.a, office.b, office.c
    assert a.run("edit", "satu", "--summary", "Ringkasan A").exit_code == 0
    assert sync(a)[0] == 0
    assert b.run("review", "satu", "--return", "-m", "Lengkapi tautan").exit_code == 0
    assert sync(b)[0] == 3
    code, out, err = sync(b, "--keep-mine", "satu", "--json")
    assert code == 0, err
    report = json.loads(out)
    (kept,) = report["kept"]
    assert (kept["action"], kept["items"], kept["fields"]) == (
        "review",
        ["satu"],
        ["status", "catatan"],
    )
    assert report["saved"] == {"satu": str(b.path / SAVED)}
    last = one_chain(office.server)[-1]
    assert (last.action, last.items, last.author) == ("review", ["satu"], SEKRETARIS_2)
    assert (status_of(b, "satu"), field(b, "ringkasan")) == ("dikembalikan", "Ringkasan A")
    assert field(b, "catatan") == "Lengkapi tautan"
    verified(b)
    assert sync(c)[0] == 0
    verified(c)


def test_a_forged_edit_that_moves_the_status_is_never_taken_again(office: Office) -> None:
    """Abuse: an unpushed commit made with plain git that claims to be an ``edit`` but also
    moves the item (``diajukan`` -> ``ditetapkan``): ``--keep-mine`` would set every field it
    changed, and ``verify`` refuses the result before anything is pushed or changed."""
    a, b = office.a, office.b
    assert a.run("edit", "satu", "--summary", "Ringkasan A").exit_code == 0
    assert sync(a)[0] == 0
    item = b.item("sekretariat", "satu")
    text = item.read_text(encoding="utf-8").replace("status: diajukan", "status: ditetapkan")
    item.write_text(text.replace("ringkasan:", "ringkasan: Palsu #", 1), encoding="utf-8")
    forge(b, SEKRETARIS_2, "dip(edit): satu: ringkasan", trailers("edit", "sekretaris", "satu"))
    before, served = head(b), git(office.server, "rev-parse", "main")
    code, _, err = sync(b, "--keep-mine", "satu")
    assert code == 1, err
    assert head(b) == before and git(office.server, "rev-parse", "main") == served
    clean_tree(b)
