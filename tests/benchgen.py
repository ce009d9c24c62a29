"""A province register with a realistic SOP history, for `make bench` (issue 21.5).

Every item goes through the SOP as the real commands record it: ``new``, sometimes an
``edit``, ``submit``, ``review`` (a tenth returned once and resubmitted), ``classify`` (a few
undone and classified again), a joint ``meeting`` per unit, the draft decrees ``present``-ed,
``establish`` (exempt items: ``approve`` and ``exempt`` with their consequence test) and
``publish``; the next year a pemutakhiran revises most public items and takes them through
the SOP again under a decree that revokes the first. About 6.7 commits per item.

Running the CLI 67,000 times would take hours, so after a real ``dipctl init`` the history
goes through ``git fast-import``, with the files and messages the steps write: messages by
:func:`dipctl.sop.commits.message`, records by :func:`dipctl.register.roundtrip.render_new`,
the meeting minutes by :func:`dipctl.publish.minutes_paper.render_minutes`. Deterministic:
the same size gives the same register. ``dipctl verify`` accepts it without findings.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

import yaml

from dipctl.register.records import Settings
from tests.benchrepo import (
    AGENCY,
    CONTACT,
    KEPALA,
    PLACE,
    PPID,
    SEKRETARIS,
    VERSION,
    YEAR1,
    State,
    Writer,
    kasubbag,
    stamp,
    units_for,
)
from tests.benchsop import year_one, year_two


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dipctl-bench"


def ensure(size: int, log: IO[str] = sys.stderr) -> Path:
    """The repository of a ``size``-item register, generated once into the cache."""
    target = cache_root() / f"{size}-v{VERSION}"
    done = target.parent / f"{target.name}.complete"
    if done.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{size}-", dir=target.parent))
    generate(work / "repo", size, log)
    shutil.rmtree(target, ignore_errors=True)
    (work / "repo").rename(target)
    shutil.rmtree(work, ignore_errors=True)
    done.write_text(f"{size} items\n", encoding="utf-8")
    return target


def _people(units: list[str]) -> str:
    lines = [
        f"  - nama: Sekretaris Daerah\n    email: {SEKRETARIS}\n    jabatan: Sekretaris\n"
        "    peran: [sekretaris]\n",
        f"  - nama: PPID Pembantu\n    email: {PPID}\n    jabatan: PPID Pembantu\n"
        "    peran: [ppid_pembantu]\n",
    ]
    for unit in units:
        name = unit.replace("-", " ").title()
        lines.append(
            f"  - nama: Kasubbag {name}\n    email: {kasubbag(unit)}\n"
            f"    jabatan: Kepala Subbagian {name}\n    peran: [kasubbag]\n    unit: [{unit}]\n"
        )
    return "".join(lines)


def _init(root: Path, env: dict[str, str]) -> None:
    date = f"@{stamp(YEAR1, 1, 5) - 3600} +0700"
    env = {**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dipctl",
            "init",
            str(root),
            "--agency",
            AGENCY,
            "--head-name",
            "Gubernur Contoh",
            "--head-email",
            KEPALA,
            "--place",
            PLACE,
            "--unsigned",
        ],
        check=True,
        capture_output=True,
        env=env,
    )


def generate(root: Path, size: int, log: IO[str] = sys.stderr) -> None:
    """A register of ``size`` items with two years of SOP history, in a new repo ``root``."""
    home = root.parent / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
    }
    _init(root, env)
    units = units_for(size)
    config_path = root / "register" / "register.yaml"
    config = config_path.read_text(encoding="utf-8")
    config = config.replace("    peran: [kepala]\n", "    peran: [kepala]\n" + _people(units), 1)
    config = config.replace(
        "unit:\n",
        "unit:\n" + "".join(f"  {u}:\n    nama: {u.replace('-', ' ').title()}\n" for u in units),
        1,
    )
    config = config.replace(f"  tempat: {PLACE}\n", f"  tempat: {PLACE}\n" + CONTACT, 1)
    data = yaml.safe_load(config)
    names = {p["email"]: p["nama"] for p in data["orang"]}
    state = State(root, Settings.from_mapping(data))
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done", "--cat-blob-fd=1"],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    w = Writer(proc, names, stamp(YEAR1, 1, 5))
    assert proc.stdin is not None
    proc.stdin.write(b"reset refs/heads/main\nfrom refs/heads/main^0\n\n")
    w.commit(KEPALA, "orang: pejabat dan unit provinsi\n", [("register/register.yaml", config)])
    rnd = random.Random(size)
    ids = year_one(state, w, rnd, units, size)
    log.write(f"  {size}: first year, {w.count} commits\n")
    year_two(state, w, rnd, units, ids)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, env=env, check=True)
    subprocess.run(["git", "gc", "-q"], cwd=root, env=env, check=True)
    log.write(f"  {size}: {w.count} commits, {w.count / size:.2f} per item\n")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(ensure(int(arg)))
