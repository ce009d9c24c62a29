"""A member's private mirror: a repository under ``.git/dipctl/anggota/<name>/``.

The federation fetches each member here and nowhere else. git never checks anything out
here, so none of the member's attributes, filters or hooks can act: the register folder of
the last proven commit is written by :meth:`Mirror.materialize` from git's objects, byte for
byte, regular files only, without the member's theme (``tema/``) and without anything outside
the register folder (CI files, ``.gitattributes``). The mirror's configuration is dipctl's
own, never the member's. HEAD names the proven commit; ``refs/dipctl/incoming`` is what the
last fetch brought and ``refs/dipctl/verified`` the last commit proven.

A fetch accepts only the transports a register server uses (file, ssh, https, http, git:
never ``ext::``, which would run a command), checks every object it receives
(``transfer.fsckObjects``), never asks for a password on the terminal, and is killed with
everything it started when it takes longer than its timeout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed
from dipctl.files import fault
from dipctl.gitfiles import c_locale
from dipctl.proof import history
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
        self.path = federation.git_dir / "dipctl" / "anggota" / name

    def register(self, folder: str) -> Register:
        """The member's register: its history in this mirror, its files as materialized."""
        return Register(self.path / folder, self.path / ".git", self.path)

    def ensure(self) -> None:
        if (self.path / ".git" / "HEAD").is_file():
            return
        self.path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["git", "init", "-q", str(self.path)],
            capture_output=True, text=True, check=False, env=c_locale(),
        )  # fmt: skip
        if done.returncode != 0:
            raise GitFailed("git.failed", command="git init", detail=done.stderr.strip())

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

    def scrub(self) -> bool:
        """A mirror restored from elsewhere (CI's cache) made dipctl's again before any git
        runs in it: its configuration rewritten; its hooks, info, alternates, commit-graph,
        shallow file, replace refs, derived files (``.git/dipctl``) and materialized folder
        dropped; every object checked against its name (``git fsck``). False when git finds
        an object wrong: the mirror is then dropped whole and fetched again from scratch."""
        git_dir = self.path / ".git"
        if not (git_dir / "HEAD").is_file():
            return True
        for entry in self.path.iterdir():
            if entry.name != ".git":
                _remove(entry)
        for name in ("hooks", "info", "dipctl", "objects/info", "shallow", "refs/replace"):
            _remove(git_dir / name)
        (git_dir / "config").write_text(_CONFIG, encoding="utf-8")
        if self.git("fsck", "--no-progress", "--no-dangling").returncode == 0:
            return True
        shutil.rmtree(self.path, ignore_errors=True)
        return False

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

    def keep(self, commit: str, folder: str) -> None:
        """Mark ``commit`` as the last verified one, its register folder materialized (its
        files first: a process killed between leaves the old ref, and the state file, which
        only describes the ref, is written after it)."""
        self.materialize(commit, folder)
        for ref in (VERIFIED, "HEAD"):
            done = self.git("update-ref", "--no-deref", ref, commit)
            if done.returncode != 0:
                raise GitFailed("git.failed", command="git update-ref",
                                detail=done.stderr.strip())  # fmt: skip

    def materialize(self, commit: str, folder: str) -> None:
        """The register folder of ``commit`` written from git's objects (raw bytes, regular
        files only, no theme) into a new folder, then swapped in for the old one."""
        listing = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", f"{folder}/")
        wanted: dict[str, str] = {}
        for entry in filter(None, listing.stdout.split("\0")):
            meta, _, path = entry.partition("\t")
            mode, kind, sha = meta.split()
            inside = path.removeprefix(f"{folder}/")
            if kind != "blob" or mode not in ("100644", "100755") or _hidden(inside):
                continue
            wanted[inside] = sha
        blobs, _ = history.blobs(self.path, list(wanted.values()))
        fresh = self.path / f".{folder}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        for inside, sha in wanted.items():
            target = fresh / inside
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blobs.get(sha, b""))
        fresh.mkdir(exist_ok=True)
        old = self.path / f".{folder}.old"
        shutil.rmtree(old, ignore_errors=True)
        current = self.path / folder
        fault("materialize-written")
        if current.exists():
            current.rename(old)
        fault("materialize-between")  # no register folder: the next read materializes again
        fresh.rename(current)
        shutil.rmtree(old, ignore_errors=True)

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "--no-replace-objects", *args],
            cwd=self.path, capture_output=True, text=True, check=False, env=c_locale(),
        )  # fmt: skip


_CONFIG = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _hidden(inside: str) -> bool:
    """Never materialized: the member's theme (its templates, its static files), and any
    path a file system would not write as named (``..``, an absolute or empty segment)."""
    parts = inside.split("/")
    return parts[0] == "tema" or any(p in ("", ".", "..", ".git") for p in parts)
