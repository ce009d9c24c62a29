"""`make bench`: a PPID Utama's federation (issue 22): 40 members of 250 items each, 10,000
items in all, each with its realistic SOP history (:mod:`tests.benchgen`), served from local
bare repositories.

Each member is the generated 250-item register under its own agency name, brought under
signatures by one signed commit of its head that names the generated history as its trust
root (``verifikasi.sejak``: a history imported from elsewhere), so that the federation may
enrol it. What is timed, against a full build of the portal from scratch:

- ``federate sync`` when one member took a step (fetch all 40, prove the one that moved);
- the portal's ``build`` after that sync (incremental: one member's section and the
  province's pages).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests import benchgen, benchrepo
from tests.benchtime import Run, paired, run

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.benchtime import Pair

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "40"))
TOTAL = int(os.environ.get("BENCH_FEDERATION_ITEMS", "10000"))
HEAD = "kepala.provinsi@diskominfo.example.go.id"


def _git(cwd: Path, *args: str | Path) -> str:
    done = subprocess.run(["git", "-C", str(cwd), *map(str, args)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


class Federation:
    """The federation's repository, its members' servers, and what is measured on them."""

    def __init__(
        self,
        tmp: Path,
        dipctl: list[str],
        runs: int,
        log: Callable[[str], object],
        row: Callable[[str, Pair, str], Any],
    ) -> None:
        self.size, self.log, self.runs, self.dipctl, self.row = TOTAL, log, runs, dipctl, row
        self.rows: list[Any] = []
        self.sizes: dict[str, int] = {}
        self.root = tmp / "federasi"
        self.root.mkdir()
        base = benchgen.ensure(TOTAL // MEMBERS)
        key = self.root / "kunci"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        self.sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "-c",
                     "user.name=Kepala", "-c", f"user.email={benchrepo.KEPALA}"]  # fmt: skip
        public = Path(f"{key}.pub").read_text(encoding="utf-8").strip()
        self.members = [self._member(base, n, public) for n in range(MEMBERS)]
        self.fed = self.root / "provinsi"
        self._dipctl("init", self.fed, "--agency", "Diskominfo Provinsi Contoh", "--head-name",
                     "Kepala Diskominfo", "--head-email", HEAD, "--place", "Palangka Raya",
                     "--unsigned", "--federation")  # fmt: skip
        for n, (_, server) in enumerate(self.members):
            self._dipctl("member", "add", f"dinas-{n:02d}", server, "--as", HEAD,
                         "--register", self.fed / "register")  # fmt: skip
        self.commits = sum(
            int(_git(server, "rev-list", "--count", "HEAD")) for _, server in self.members
        )
        self.out = self.root / "portal"
        self.pages = 0

    def _member(self, base: Path, n: int, public: str) -> tuple[Path, Path]:
        work, server = self.root / f"m{n:02d}", self.root / f"m{n:02d}.git"
        _git(self.root, "clone", "-q", base, work)
        tip = _git(work, "rev-parse", "HEAD").strip()
        config = work / "register" / "register.yaml"
        text = config.read_text(encoding="utf-8")
        text = text.replace(f"nama: {benchrepo.AGENCY}", f"nama: Dinas Bench {n:02d}", 1)
        text = text.replace("  wajib: false", "  wajib: true", 1)
        config.write_text(text + f"verifikasi:\n  sejak: {tip}\n", encoding="utf-8")
        signers = work / "register" / "penanda-tangan"
        signers.write_text(f'{benchrepo.KEPALA} namespaces="git" {public}\n', encoding="utf-8")
        _git(work, "add", "-A")
        _git(work, *self.sign, "commit", "-S", "-qm", "Tanda tangan wajib; riwayat lama")
        _git(self.root, "clone", "-q", "--bare", work, server)
        _git(work, "remote", "set-url", "origin", server)
        return work, server

    def _dipctl(self, *args: str | Path) -> None:
        done = subprocess.run([*self.dipctl, *map(str, args)], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"dipctl {args[0]}: {done.stderr.strip()}")

    def _step(self, n: int) -> None:
        """One member's head retitles its site: every page of its section changes."""
        work, _ = self.members[n % MEMBERS]
        config = work / "register" / "register.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("  judul: ", f"  judul: ({n}) ", 1), encoding="utf-8")
        _git(work, *self.sign, "commit", "-S", "-qam", f"Judul situs {n}")
        _git(work, "push", "-q", "origin", "HEAD:main")

    def measure(self) -> None:
        reg: list[str | Path] = ["--register", self.fed / "register"]
        self._dipctl("federate", "sync", *reg)
        full_out = self.root / "portal-full"

        def full() -> Run:
            shutil.rmtree(full_out, ignore_errors=True)
            return run([*self.dipctl, "build", "--full", "--out", full_out, *reg])

        run([*self.dipctl, "build", "--out", self.out, *reg])  # the previous portal
        self.pages = sum(1 for _ in self.out.rglob("*.html"))

        def sync() -> Run:
            return run([*self.dipctl, "federate", "sync", *reg])

        def build() -> Run:
            return run([*self.dipctl, "build", "--out", self.out, *reg])

        def sync_then_build() -> Run:
            first, second = sync(), build()
            return Run(first.seconds + second.seconds, max(first.peak_kib, second.peak_kib),
                       first.ok and second.ok)  # fmt: skip

        fair = "the portal's `build --full`"
        for what, mine in (
            ("`federate sync`, one member changed", sync),
            ("`federate sync` and `build`, one member changed", sync_then_build),
        ):
            pair = paired(mine, full, self.runs, before_mine=self._step)
            self.rows.append(self.row(f"federation of {MEMBERS}: {what}", pair, fair))
            self.log(f"  federation {what}: {pair.mine:.3f} s vs {pair.peer:.3f} s "
                     f"({pair.ratio:.2f}x)")  # fmt: skip

    def describe(self) -> str:
        return (f"- a federation of {MEMBERS} members of {TOTAL // MEMBERS:,} items each "
                f"({TOTAL:,} items, {self.commits:,} commits in all), each served from a local "
                f"bare repository; its portal has {self.pages:,} pages")  # fmt: skip
