"""A member's private mirror: a bare repository under ``.git/dipctl/anggota/<name>.git``.

The federation fetches each member here and nowhere else. Nothing is checked out, so none of
the member's attributes, filters, hooks, CI files or theme can act: the register is read from
git's objects. The mirror's configuration is dipctl's own, never the member's. Two refs live
in it: ``refs/dipctl/incoming`` (what the last fetch brought) and ``refs/dipctl/verified``
(the last commit proven, which keeps its objects).

A fetch accepts only the transports a register server uses (file, ssh, https, http, git:
never ``ext::``, which would run a command), checks every object it receives
(``transfer.fsckObjects``), never asks for a password on the terminal, and is killed with
everything it started when it takes longer than its timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.gitfiles import c_locale
from dipctl.register.config import Register

if TYPE_CHECKING:
    from pathlib import Path

INCOMING = "refs/dipctl/incoming"
VERIFIED = "refs/dipctl/verified"
_TRANSPORTS = ("file", "ssh", "https", "http", "git")
_SAFE = (
    "-c", "protocol.allow=never",
    *(x for p in _TRANSPORTS for x in ("-c", f"protocol.{p}.allow=always")),
    "-c", "transfer.fsckObjects=true",
    "-c", "core.hooksPath=/dev/null",
    "-c", "credential.helper=",
)  # fmt: skip
_QUIET = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "true",
    "SSH_ASKPASS": "true",
    "GIT_SSH_COMMAND": "ssh -o BatchMode=yes",
}


class Unreachable(Exception):
    """The member's server did not answer (or not in time): ``reason`` says what git said."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Mirror:
    def __init__(self, federation: Register, name: str) -> None:
        if federation.git_dir is None:
            raise GitFailed("git.failed", command="git rev-parse", detail="no git directory")
        self.path = federation.git_dir / "dipctl" / "anggota" / f"{name}.git"

    def register(self, folder: str) -> Register:
        """The member's register as verify reads it: from this mirror's objects only."""
        return Register(self.path / folder, self.path, self.path)

    def ensure(self) -> None:
        if (self.path / "HEAD").is_file():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["git", "init", "-q", "--bare", str(self.path)],
            capture_output=True, text=True, check=False, env=c_locale(),
        )  # fmt: skip
        if done.returncode != 0:
            raise GitFailed("git.failed", command="git init --bare", detail=done.stderr.strip())

    def fetch(self, url: str, branch: str, timeout: float) -> str:
        """The tip of ``branch`` at ``url``, fetched into :data:`INCOMING`; raises
        :class:`Unreachable` when the server cannot be read in ``timeout`` seconds."""
        self.ensure()
        refspec = f"+refs/heads/{branch}:{INCOMING}"
        args = ["git", *_SAFE, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head"]
        command = [*args, "--", url, refspec]
        with subprocess.Popen(
            command, cwd=self.path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, env=c_locale(_QUIET), start_new_session=True,
        ) as proc:  # fmt: skip
            try:
                _, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise Unreachable(f"timeout after {timeout:g} s") from None
        if proc.returncode != 0:
            text = err.decode("utf-8", "replace").strip().splitlines()
            raise Unreachable(text[-1] if text else f"git fetch exit {proc.returncode}")
        return self.resolve(INCOMING)

    def resolve(self, ref: str) -> str:
        """The commit ``ref`` names ("" when none)."""
        done = self.git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return done.stdout.strip() if done.returncode == 0 else ""

    def roots(self, tip: str) -> list[str]:
        """Every parentless commit in the history of ``tip``."""
        return self.git("rev-list", "--max-parents=0", tip).stdout.split()

    def descends(self, ancestor: str, tip: str) -> bool:
        return self.git("merge-base", "--is-ancestor", ancestor, tip).returncode == 0

    def read(self, commit: str, path: str) -> bytes | None:
        """The blob at ``path`` in ``commit``, None when there is none."""
        done = subprocess.run(
            ["git", "cat-file", "blob", f"{commit}:{path}"],
            cwd=self.path, capture_output=True, check=False, env=c_locale(),
        )  # fmt: skip
        return done.stdout if done.returncode == 0 else None

    def keep(self, commit: str) -> None:
        """Mark ``commit`` as the last verified one."""
        done = self.git("update-ref", VERIFIED, commit)
        if done.returncode != 0:
            raise GitFailed("git.failed", command="git update-ref", detail=done.stderr.strip())

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "--no-replace-objects", *args],
            cwd=self.path, capture_output=True, text=True, check=False, env=c_locale(),
        )  # fmt: skip


def exists(path: Path) -> bool:
    return (path / "HEAD").is_file()
