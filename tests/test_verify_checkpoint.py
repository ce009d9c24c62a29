"""`dipctl verify` resumes from its checkpoint in .git/dipctl (issue 21, item 2): after any
growth it reports exactly what `verify --full` reports, and a checkpoint that does not fit
(a rewritten history, another policy, a damaged or planted file) is never used."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from dipctl.proof import checkpoint, replay
from dipctl.proof import verify as audit
from dipctl.proof.framed import framed as frame
from dipctl.proof.report import Report
from dipctl.proof.step import Finding, register_prefix
from dipctl.register.config import find_register
from tests.conftest import KASUBBAG, KEPALA, PPID, SEKRETARIS, Repo, commit_all, git
from tests.test_verify import Driver, forge, hand_edit, head, list_signers, set_config

CHECKPOINT = Path(".git") / "dipctl" / checkpoint.FILE


@pytest.fixture
def sop(repo: Repo, tmp_path: Path) -> Driver:
    return Driver(repo, tmp_path)


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How each `verify` of the test answered: "checkpoint" (HEAD's own), "resumed" (only
    the commits since), or "whole" (every commit); the real functions, only watched."""
    seen: list[str] = []
    answer, resume, walk = checkpoint.answer, audit._resume, audit._walk

    def watched_answer(*args: Any) -> Any:
        found = answer(*args)
        if found is not None:
            seen.append("checkpoint")
        return found

    def watched_resume(*args: Any) -> Any:
        found = resume(*args)
        if found is not None:
            seen.append("resumed")
        return found

    def watched_walk(*args: Any) -> Any:
        seen.append("whole")
        return walk(*args)

    monkeypatch.setattr(checkpoint, "answer", watched_answer)
    monkeypatch.setattr(audit, "_resume", watched_resume)
    monkeypatch.setattr(audit, "_walk", watched_walk)
    return seen


def same_as_full(repo: Repo, outputs: tuple[str, ...] = ("json", "text")) -> list[dict[str, str]]:
    """`verify` (from the checkpoint) and `verify --full` agree, in each of ``outputs``; the
    findings."""
    for output in outputs:
        resumed = repo.run("verify", "--format", output)
        full = repo.run("verify", "--full", "--format", output)
        assert resumed.exit_code in (0, 1), resumed.stderr
        assert (resumed.exit_code, resumed.stdout, resumed.stderr) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        ), output
        assert "Traceback" not in resumed.stderr
    found: list[dict[str, str]] = json.loads(repo.run("verify", "--json").stdout)
    return found


def rules_of(found: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(f["rule"], f["commit"]) for f in found}


def commits_of(found: list[dict[str, str]]) -> set[str]:
    return {f["commit"] for f in found}


def acting(repo: Repo, keys: dict[str, Path], who: str) -> None:
    """Every commit from now on (dipctl's and plain git's) signed with ``who``'s key."""
    git(repo.path, "config", "user.signingkey", str(keys[who]))


def test_a_grown_history_resumes_to_exactly_what_a_full_walk_finds(
    sop: Driver, walks: list[str]
) -> None:
    repo = sop.repo
    keys = list_signers(sop, KEPALA, SEKRETARIS, PPID, KASUBBAG)
    git(repo.path, "config", "gpg.format", "ssh")
    git(repo.path, "config", "commit.gpgsign", "true")
    acting(repo, keys, KASUBBAG)
    sop.new("satu")
    sop.submit("sekretariat", "satu")
    fork_point = head(repo)
    git(repo.path, "branch", "lama")  # a fork that will come back stale
    acting(repo, keys, SEKRETARIS)
    sop.review("satu")
    assert repo.run("verify").exit_code == 0  # a whole walk, then the checkpoint at C
    assert walks == ["whole"] and (repo.path / CHECKPOINT).is_file()
    assert repo.run("verify").exit_code == 0  # C itself: answered from the checkpoint
    assert walks[-1] == "checkpoint"
    # after C: an honest step, the kasubbag's key revoked, a forgery with that key
    acting(repo, keys, PPID)
    sop.classify("berkala", "satu")
    acting(repo, keys, KEPALA)
    signers = repo.register / "penanda-tangan"
    signers.write_text(
        "".join(x for x in signers.read_text().splitlines(True) if KASUBBAG not in x)
    )
    commit_all(repo.path, "cabut kunci kasubbag", KEPALA)
    acting(repo, keys, KASUBBAG)
    hand_edit(repo.item("sekretariat", "satu"), status="ditentukan")
    forged = forge(repo, KASUBBAG, "satu: maju sendiri")
    # the stale fork, branched before C, carries a step made with the key still listed
    git(repo.path, "checkout", "-q", "lama")
    sop.new("dua")
    stale = head(repo)
    git(repo.path, "checkout", "-q", "main")
    acting(repo, keys, KEPALA)
    git(repo.path, "-c", f"user.email={KEPALA}", "merge", "-q", "--no-ff", "-m", "gabung", "lama")
    merge = head(repo)
    del walks[:]
    found = same_as_full(repo, ("json", "text", "github"))
    assert walks[0] == "resumed"
    assert {("signature", forged), ("merge", merge)} <= rules_of(found)
    fork = set(git(repo.path, "rev-list", "lama", f"^{fork_point}").split())
    assert stale in fork and not fork & {f["commit"] for f in found}  # its key was listed
    honest = set(git(repo.path, "rev-list", fork_point).split())
    assert not [f for f in found if f["commit"] in honest]


def test_a_rewritten_history_is_walked_whole_and_its_forgery_caught(
    sop: Driver, walks: list[str]
) -> None:
    repo = sop.repo
    sop.drive("diteruskan", "satu")
    assert same_as_full(repo) == []
    # back two commits, then a forgery on a new line: the checkpoint's tip is not below
    git(repo.path, "reset", "-q", "--hard", "HEAD~2")
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    forged = forge(repo, KASUBBAG, "satu: maju sendiri")
    del walks[:]
    assert forged in commits_of(same_as_full(repo))
    assert walks[0] == "whole"
    # an amended tip hides a forgery in the commit the checkpoint was taken at
    git(repo.path, "reset", "-q", "--hard", "main@{2}")  # the honest tip again
    assert same_as_full(repo) == []
    hand_edit(repo.item("sekretariat", "satu"), status="ditentukan")  # a jump, in the review
    git(repo.path, "add", "-A")
    git(repo.path, "-c", f"user.email={SEKRETARIS}", "commit", "-q", "--amend", "--no-edit")
    del walks[:]
    assert head(repo) in {f["commit"] for f in same_as_full(repo)}
    assert walks[0] == "whole"


def test_another_trust_root_is_a_whole_walk(sop: Driver, walks: list[str]) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    forged = forge(repo, KASUBBAG, "satu: maju sendiri")
    sop.new("dua")
    after = head(repo)
    assert forged in commits_of(same_as_full(repo))  # the checkpoint has it
    # the kepala trusts everything up to `after`: the forgery is before it, not reported
    set_config(repo, f"verifikasi:\n  sejak: {after}\n")
    commit_all(repo.path, "register: akar kepercayaan", KEPALA)
    del walks[:]
    found = same_as_full(repo)
    assert walks[0] == "whole"
    assert forged not in {f["commit"] for f in found}


def plant(repo: Repo, report: Report, **keys: Any) -> None:
    """Write a checkpoint with ``report`` as dipctl would, its keys changed by ``keys``."""
    reg = find_register(repo.register)
    at = checkpoint.here(reg, register_prefix(reg))
    assert at is not None
    key = keys.pop("key", None)  # another format, code or folder
    at = dataclasses.replace(at, **keys)
    state = {name: kind() for name, kind in checkpoint.STATE.items()}
    state["accepted"] = checkpoint.accepted_digest(set(), set())
    if key is None:
        checkpoint.save(at, report, state)
        return
    head_part = pickle.dumps((key, at.tip, at.policy, report), protocol=5)
    body = pickle.dumps(state, protocol=5)
    framed = frame(head_part) + frame(body)
    (repo.path / CHECKPOINT).write_bytes(checkpoint._MAGIC + framed)


def test_a_planted_clean_checkpoint_is_used_only_with_every_key_right(
    sop: Driver, walks: list[str]
) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    git(repo.path, "branch", "samping")
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    forged = forge(repo, KASUBBAG, "satu: maju sendiri")
    tip = head(repo)
    side = git(repo.path, "rev-parse", "samping").strip()
    git(repo.path, "checkout", "-q", "-b", "lain", "samping")
    sop.new("dua")
    other = head(repo)  # a tip on another line
    git(repo.path, "checkout", "-q", "main")
    reg = find_register(repo.register)
    at = checkpoint.here(reg, register_prefix(reg))
    assert at is not None
    form, code, python, folder = at.key
    clean = Report(checked=99)
    planted: list[dict[str, Any]] = [
        {"tip": other},  # another branch's tip
        {"tip": "0" * 40},  # no commit at all
        {"policy": (side, "")},  # the same tip, another `verifikasi.sejak`
        {"policy": ("", side)},  # the same tip, another `riwayat.linear_sejak`
        {"key": (form + 1, code, python, folder)},  # another format
        {"key": (form, "0" * 64, python, folder)},  # other code: an edited rule
        {"key": (form, code, (2, 7), folder)},  # another Python
        {"key": (form, code, python, "")},  # another register folder
    ]
    for keys in planted:
        plant(repo, clean, **keys)
        found = same_as_full(repo)
        assert forged in commits_of(found), keys
    # the control: with every key right, the checkpoint is believed; it is local state,
    # like .git/hooks, and `--full` (what CI runs) never reads it
    plant(repo, clean)
    believed = repo.run("verify")
    assert (believed.exit_code, believed.stdout) == (0, "")
    assert "99" in believed.stderr
    full = repo.run("verify", "--full", "--json")
    assert full.exit_code == 1 and forged in full.stdout
    assert repo.run("verify").exit_code == 1  # --full wrote the truth back
    assert tip == head(repo)


@dataclasses.dataclass
class _Boom:
    target: Path

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.target}",))


def test_a_damaged_or_foreign_checkpoint_is_ignored_without_a_traceback(
    sop: Driver, walks: list[str]
) -> None:
    repo = sop.repo
    sop.drive("diajukan", "satu")
    hand_edit(repo.item("sekretariat", "satu"), status="diteruskan")
    forged = forge(repo, KASUBBAG, "satu: maju sendiri")
    sop.new("dua")
    assert same_as_full(repo)
    file = repo.path / CHECKPOINT
    whole = file.read_bytes()
    magic = checkpoint._MAGIC
    evil = pickle.dumps(_Boom(repo.path / "boom"), protocol=5)
    damaged = [
        whole[: len(whole) // 2],  # cut short
        whole[: len(magic) + 20],  # cut in a part's header
        flip(whole, len(magic) + 50),  # one byte of the report changed
        b"",  # empty
        b"garbage" * 100,
        magic + frame(b"not a pickle") + frame(b"x"),
        magic + frame(evil) + frame(evil),  # code, refused
        magic + frame(pickle.dumps({"a": 1})) + frame(b""),
    ]
    for content in damaged:
        file.write_bytes(content)
        del walks[:]
        result = repo.run("verify", "--json")
        assert result.exit_code == 1, result.stderr
        assert forged in result.stdout and "Traceback" not in result.stderr
        assert walks == ["whole"]
        assert file.read_bytes() != content  # written anew after the walk
    assert not (repo.path / "boom").exists()
    # the report whole, the walk's state not (read only to resume): a whole walk again
    sop.new("tiga")
    start = len(magic)
    size = int.from_bytes(whole[start : start + 8], "big")
    report = whole[start + 40 : start + 40 + size]
    for state in (frame(evil), flip(whole, len(whole) - 10)[start + 40 + size :]):
        file.write_bytes(magic + frame(report) + state)
        del walks[:]
        assert forged in repo.run("verify", "--json").stdout
        assert walks == ["whole"]
    # a folder where the file goes: verify works, and keeps no checkpoint
    file.unlink()
    file.mkdir()
    assert forged in repo.run("verify", "--json").stdout


def flip(content: bytes, at: int) -> bytes:
    changed = bytearray(content)
    changed[at] ^= 0xFF
    return bytes(changed)


def test_concurrent_writers_never_leave_a_half_written_checkpoint(repo: Repo) -> None:
    reg = find_register(repo.register)
    at = checkpoint.here(reg, register_prefix(reg))
    assert at is not None
    state = {name: kind() for name, kind in checkpoint.STATE.items()}
    state["accepted"] = ""
    big = [Finding(at.tip, "p", str(n), "edit", "verify.edit") for n in range(3000)]
    reports = [Report(big, {}, 1), Report([], {}, 2)]
    errors: list[str] = []

    def write(report: Report) -> None:
        for _ in range(15):
            checkpoint.save(at, report, state)

    def read() -> None:
        for _ in range(60):
            saved = checkpoint.load(at)
            if saved is not None and (saved.report.checked, len(saved.report.findings)) not in (
                (1, 3000),
                (2, 0),
            ):
                errors.append(repr(saved.report.checked))
            if saved is not None and saved.state() is None:
                errors.append("state")

    checkpoint.save(at, reports[1], state)
    threads = [threading.Thread(target=write, args=(r,)) for r in reports]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert checkpoint.load(at) is not None
    assert not [p for p in (repo.path / ".git" / "dipctl").iterdir() if p.suffix == ".tmp"]


ACTIONS = ("new", "forward", "forge", "fork", "merge", "config")


def test_random_growth_resumes_to_the_full_answer_at_every_step(
    sop: Driver, walks: list[str]
) -> None:
    """Seeded and small: a history grows by honest steps, forgeries, forks and merges, and
    after each growth the resumed `verify` equals `verify --full`."""
    rng = random.Random(21)
    repo = sop.repo
    status: dict[str, str] = {}
    forks: list[str] = []
    done: list[tuple[str, str]] = []
    before = [c.sha for c in replay.walk(repo.path)]
    for step in range(12):
        action = rng.choice(ACTIONS)
        drafts = sorted(i for i, s in status.items() if s == "draf")
        if action == "forward" and drafts:
            item = rng.choice(drafts)
            sop.submit("sekretariat", item)
            status[item] = "diajukan"
        elif action == "forge" and status:
            item = rng.choice(sorted(status))
            hand_edit(repo.item("sekretariat", item), ringkasan=f"Diubah {step}.")
            forge(repo, rng.choice((PPID, KASUBBAG, SEKRETARIS)), f"{item}: ubah")
        elif action == "fork":
            name = f"cabang-{step}"
            git(repo.path, "branch", name, f"HEAD~{rng.randrange(2)}")
            forks.append(name)
        elif action == "merge" and forks:
            name = forks.pop(0)
            git(repo.path, "checkout", "-q", name)
            sop.new(f"cabang-{step}")
            git(repo.path, "checkout", "-q", "main")
            git(repo.path, "-c", f"user.email={KEPALA}", "merge", "-q", "--no-ff",
                "-m", f"gabung {name}", name)  # fmt: skip
        elif action == "config":
            set_config(repo, f"# langkah {step}\n")
            commit_all(repo.path, f"register: catatan {step}", KEPALA)
        else:
            action = "new"
            sop.new(f"item-{step}")
            status[f"item-{step}"] = "draf"
        del walks[:]
        same_as_full(repo)
        done.append((action, walks[0]))
        order = [c.sha for c in replay.walk(repo.path)]  # parents first, prefix-stable
        assert order[: len(before)] == before and len(set(order)) == len(order)
        assert all(order.index(p) < order.index(c.sha) for c in replay.walk(repo.path)
                   for p in c.parents)  # fmt: skip
        before = order
    assert {a for a, _ in done} == set(ACTIONS), done
    assert done[0][1] == "whole"  # the first: no checkpoint yet
    expected = [("checkpoint" if a == "fork" else "resumed") for a, _ in done[1:]]
    assert [w for _, w in done[1:]] == expected, done  # a new branch alone: the same HEAD
