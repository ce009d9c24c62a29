"""A forked worker ends when the dipctl that forked it is killed (a build on both cores, the
history index's scan): before, each killed build left a worker waiting forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dipctl import workers
from tests.conftest import PROJECT

SCRIPT = """
import os, sys, time
from dipctl.workers import forked_pool
pool = forked_pool(1)
print(pool.submit(os.getpid).result(), flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie waits only to be reaped


def test_a_worker_ends_with_its_killed_parent() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, env=env)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    assert worker != parent.pid and _alive(worker)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10 * workers.WATCH_EVERY + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def test_a_worker_does_its_work() -> None:
    with workers.forked_pool(2) as pool:
        assert sorted(pool.map(abs, [-2, 1])) == [1, 2]
