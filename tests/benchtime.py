"""Whole-process timing for `make bench`: medians of paired runs, peak memory, the machine.

A figure is the median of at least five runs of a whole process (start-up included); a
command and its peer or floor run alternately in pairs, so that both see the same machine
(the other helpers' load, the page cache, the CPU's clock), and only their ratio is judged.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: A process slower than this is stopped and counted as this long (a target then fails).
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "1800"))
Argv = Sequence[str | Path]
Setup = Callable[[int], None] | None


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kib: int  # the largest resident set of the process or a child it waited for
    ok: bool


#: The user's cache of every timed process (``XDG_CACHE_HOME``): the bench's own, so that a
#: cold run can drop the read commands' kept answers (``dipctl/answers/`` in it).
CACHE: Path | None = None


def env() -> dict[str, str]:
    """The environment of every timed process: no colour, no user config of git."""
    found = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}
    if CACHE is not None:
        found["XDG_CACHE_HOME"] = str(CACHE)
    return found


COMPILED = (
    "dipctl is timed as installed: `pip install` compiles a package's bytecode, so the "
    "bench runs `python -m compileall -q` on the dipctl package once before timing (an "
    "editable install under PYTHONDONTWRITEBYTECODE=1 would compile every module again in "
    "every run)."
)


def compile_package(python: str, package: str = "dipctl") -> Path:
    """Time ``package`` as installed: ``pip install`` compiles a package's bytecode, while
    an editable install (or a checkout on PYTHONPATH) under PYTHONDONTWRITEBYTECODE would
    compile every module again in every timed process. One ``python -m compileall -q``
    of the package that the timed processes import (found as they find it: their
    environment, and a folder without the package as the current one), once, untimed; its
    folder."""
    found = subprocess.run(
        [python, "-c", f"import {package}; print({package}.__path__[0])"],
        capture_output=True, text=True, check=True, env=env(), cwd="/",
    ).stdout.strip()  # fmt: skip
    subprocess.run([python, "-m", "compileall", "-q", found], check=True, env=env())
    return Path(found)


def run(argv: Argv, cwd: Path | None = None) -> Run:
    """One whole process, its wall time and peak memory (``wait4``'s resource usage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = start + TIMEOUT
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return Run(TIMEOUT, usage.ru_maxrss, False)
        time.sleep(0.002)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(time.perf_counter() - start, usage.ru_maxrss, proc.returncode == 0)


def chain(*argvs: Argv, cwd: Path | None = None) -> Run:
    """Several processes one after the other, as one figure (``git add`` + ``git commit``)."""
    runs = [run(a, cwd) for a in argvs]
    return Run(sum(r.seconds for r in runs), max(r.peak_kib for r in runs), all(r.ok for r in runs))


@dataclass(frozen=True)
class Pair:
    """Medians of a command and its peer, timed alternately."""

    mine: float
    peer: float
    mine_kib: float
    peer_kib: float
    ok: bool

    @property
    def ratio(self) -> float:
        return self.mine / self.peer if self.peer else float("inf")


def paired(
    mine: Callable[[], Run],
    peer: Callable[[], Run],
    runs: int,
    before_mine: Setup = None,
    before_peer: Setup = None,
) -> Pair:
    """``runs`` pairs, the order swapped every other pair; untimed setup before each run."""
    a: list[Run] = []
    b: list[Run] = []
    for n in range(runs):
        order = ((before_mine, mine, a), (before_peer, peer, b))
        for setup, job, into in order if n % 2 == 0 else order[::-1]:
            if setup is not None:
                setup(n)
            into.append(job())
    return Pair(
        statistics.median(r.seconds for r in a),
        statistics.median(r.seconds for r in b),
        statistics.median(r.peak_kib for r in a),
        statistics.median(r.peak_kib for r in b),
        all(r.ok for r in a + b),
    )


def _version(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        return "not installed"
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def machine() -> list[tuple[str, str]]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0].split()[1]
        ram = f"{int(mem) / 1024 / 1024:.1f} GiB"
    except OSError:
        ram = "?"
    try:
        osname = platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    except OSError:
        osname = platform.system()
    return [
        ("CPU", cpu),
        ("cores", str(os.cpu_count())),
        ("RAM", ram),
        ("OS", f"{osname}, kernel {platform.release()}"),
        ("Python", sys.version.split()[0]),
        ("git", _version("git", "--version")),
        ("Hugo", _version("hugo", "version")),
        (
            "load average (1, 5, 15 min) when this was written",
            " ".join(f"{x:.1f}" for x in os.getloadavg()),
        ),
    ]
