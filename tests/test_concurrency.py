"""Steps and readers at once on one clone (issue 11 point 2, docs/reliability.md): steps
queue on the lock for a bounded time, readers never take it and never fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dipctl.gitrepo import Repository
from tests.conftest import KASUBBAG, SEKRETARIS, Repo, git
from tests.test_sop import fill, ok

STEPS = 8


def spawn(repo: Repo, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPCTL_TEST")}
    return subprocess.Popen(
        [sys.executable, "-m", "dipctl", *args, "--register", str(repo.register)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def submitted(repo: Repo) -> Repo:
    for n in range(STEPS):
        item_id = f"item-{n}"
        ok(repo, "new", "--unit", "sekretariat", "--title", item_id, "--as", KASUBBAG)
        fill(repo, "sekretariat", item_id)
        ok(repo, "submit", item_id, "--as", KASUBBAG)
    return repo


def test_eight_steps_and_readers_at_once(submitted: Repo) -> None:
    before = int(git(submitted.path, "rev-list", "--count", "HEAD"))
    steps = [
        spawn(submitted, "review", f"item-{n}", "--approve", "--as", SEKRETARIS)
        for n in range(STEPS)
    ]
    kinds = {"list": ("list", "--json"), "verify": ("verify",)}
    running = {name: spawn(submitted, *args) for name, args in kinds.items()}
    readers = 0
    while running:  # one reader of each kind at a time, again and again while steps run
        for name, proc in list(running.items()):
            if proc.poll() is None:
                continue
            out, err = proc.communicate()
            assert proc.returncode == 0, (name, err)
            if name == "list":
                assert len(json.loads(out)) == STEPS
            readers += 1
            if any(p.poll() is None for p in steps):
                running[name] = spawn(submitted, *kinds[name])
            else:
                del running[name]
        time.sleep(0.05)
    landed, refused = 0, 0
    for proc in steps:
        out, err = proc.communicate(timeout=60)
        if proc.returncode == 0:
            landed += 1
        else:  # only the bounded wait for the lock may refuse, cleanly
            assert proc.returncode == 4, err
            assert "dipctl.lock" in err, err
            refused += 1
    print(f"\nsteps landed {landed}, refused {refused}, readers {readers}")
    assert int(git(submitted.path, "rev-list", "--count", "HEAD")) == before + landed
    assert landed >= 1
    assert git(submitted.path, "status", "--porcelain", "--untracked-files=all") == ""
    assert submitted.run("verify").exit_code == 0


def test_readers_never_wait_for_a_step_and_a_second_step_waits(
    submitted: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = submitted.path / ".git" / "dipctl" / "journal.json"
    with Repository(submitted.path).lock():  # a live step, in the middle of its commit
        journal.write_text(json.dumps({"commit": "0" * 40, "paths": []}))
        started = time.monotonic()
        for args in (("list", "--json"), ("verify",), ("status",), ("show", "item-0")):
            result = submitted.run(*args)
            assert result.exit_code == 0, (args, result.stderr)
        assert time.monotonic() - started < 5
        assert journal.exists()  # the live step's journal is its own
        monkeypatch.setenv("DIPCTL_LOCK_WAIT", "0.5")
        started = time.monotonic()
        result = submitted.run("review", "item-0", "--approve", "--as", SEKRETARIS)
        assert result.exit_code == 4
        assert "dipctl.lock" in result.stderr and "0.5" in result.stderr
        assert time.monotonic() - started >= 0.5
        journal.unlink()
    # a step that frees the lock within the wait: the second one goes through
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from dipctl.gitrepo import Repository\n"
            "with Repository(Path(sys.argv[1])).lock():\n"
            "    print('held', flush=True); time.sleep(1.0)",
            str(submitted.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    monkeypatch.setenv("DIPCTL_LOCK_WAIT", "10")
    ok(submitted, "review", "item-0", "--approve", "--as", SEKRETARIS)
    assert holder.wait(timeout=10) == 0
    assert not (Path(submitted.path) / ".git" / "dipctl.lock").exists()
