"""``dipctl verify``: the git history is the proof (SPEC.md section 4).

:func:`verify` replays every commit that touched the register, oldest first, and runs each
rule of :data:`~dipctl.proof.rules.RULES` on it. A rule is a small function whose docstring is its
documentation (``dipctl verify --explain RULE``); it yields :class:`Finding` records and
judges a step by the ``register.yaml`` of the commit's *parent*, so nobody can grant
themselves a role and use it in the same commit.

Trust roots, not checked: the first commit when it is ``dipctl init``; ``dipctl import``
commits by a kepala (their content; the author is still checked); and everything up to
the commit that ``verifikasi: {sejak: …}`` names.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import NotARepository
from dipctl.proof.replay import Commit, Objects, commits_touching
from dipctl.proof.rules import IMPORT_CHECKED, RULES, explain, summary
from dipctl.proof.step import (
    SIGNERS_FILE,
    Finding,
    Step,
    claimed,
    implied,
    item_changes,
    register_prefix,
)
from dipctl.register import model
from dipctl.register.records import Settings

if TYPE_CHECKING:
    from dipctl.register.config import Register

__all__ = ["RULES", "Finding", "Report", "explain", "register_prefix", "summary", "verify"]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    commits: dict[str, Commit] = field(default_factory=dict)  # those with findings
    checked: int = 0


class Replay:
    """One pass over the register's history, oldest first."""

    def __init__(self, reg: Register, objects: Objects, history: list[Commit]) -> None:
        self.reg, self.objects, self.history = reg, objects, history
        self.prefix = register_prefix(reg)
        self.config_path = f"{self.prefix}{model.REGISTER_FILE}"
        self.signers_path = f"{self.prefix}{SIGNERS_FILE}"
        self._blobs: dict[tuple[str, str], str | None] = {}
        self._settings: dict[str | None, Settings | None] = {None: None}
        self.deleted: dict[str, str] = {}

    def blob(self, commit: str | None, path: str) -> str | None:
        """The blob of ``path`` in ``commit``, followed through the walk, asked of git only
        for commits outside it."""
        if commit is None:
            return None
        key = (commit, path)
        if key not in self._blobs:
            self._blobs[key] = self.objects.blob_at(commit, path)
        return self._blobs[key]

    def follow(self, commit: Commit) -> None:
        """Record the blobs of the tracked files after ``commit``."""
        parent = commit.parents[0] if commit.parents else None
        for path in (self.config_path, self.signers_path):
            changed = next((c for c in commit.changes if c.path == path), None)
            self._blobs[(commit.sha, path)] = changed.new if changed else self.blob(parent, path)

    def settings(self, blob: str | None) -> Settings | None:
        if blob not in self._settings:
            data = self.objects.data(blob)
            self._settings[blob] = Settings.from_mapping(data) if data is not None else None
        return self._settings[blob]

    def step(self, commit: Commit, signatures: dict[str, tuple[str, str]]) -> Step:
        parent = commit.parents[0] if commit.parents else None
        before = self.blob(parent, self.config_path)
        step = Step(
            commit,
            self.settings(before),
            self.objects.data(before),
            self.objects.data(self.blob(commit.sha, self.config_path)),
            item_changes(commit, self.objects, f"{self.prefix}{model.ITEMS_DIR}/"),
            self.objects,
            self.prefix,
            self.deleted,
            trusted=not commit.parents and commit.action == "init",
            signature=signatures.get(commit.sha, ("N", "")),
        )
        author = step.author
        step.imported = (
            commit.action == "import" and author is not None and ("kepala" in author.roles)
        )
        for change in step.items:
            change.transition = claimed(commit, change)
            change.implied = implied(change)
        return step


def _signatures(reg: Register, replay: Replay, commits: list[Commit]) -> dict[str, tuple[str, str]]:
    """%G? and %GS of each commit that must be signed, checked against the allowed-signers
    file of its *parent* (one git call per version of that file)."""
    groups: dict[str | None, list[str]] = {}
    for commit in commits:
        parent = commit.parents[0] if commit.parents else None
        settings = replay.settings(replay.blob(parent, replay.config_path))
        if settings is not None and settings.signing_required:
            groups.setdefault(replay.blob(parent, replay.signers_path), []).append(commit.sha)
    found: dict[str, tuple[str, str]] = {}
    for blob, shas in groups.items():
        with tempfile.TemporaryDirectory() as tmp:
            allowed = Path(tmp) / "allowed_signers"
            raw = replay.objects.read(blob) if blob else None
            allowed.write_bytes(raw[1] if raw else b"")
            done = subprocess.run(
                [
                    "git",
                    "-c",
                    f"gpg.ssh.allowedSignersFile={allowed}",
                    "log",
                    "--no-walk=unsorted",
                    "--format=%H %G? %GS",
                    *shas,
                ],
                cwd=reg.work_tree,
                capture_output=True,
                text=True,
                check=False,
            )
        for line in done.stdout.splitlines():
            sha, status, *signer = line.split(" ", 2)
            found[sha] = (status, signer[0] if signer else "")
    return found


def _trust_root(reg: Register, replay: Replay, head_settings: Settings | None) -> set[str]:
    """The commits at or before ``verifikasi.sejak`` (from HEAD's register.yaml): history
    that is not checked. Only a full commit id that is an ancestor of the commit that set
    it counts, so nobody can hide their own commit behind it."""
    sha = head_settings.trust_root if head_settings else ""
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        return set()
    setter = subprocess.run(
        ["git", "log", "-1", "--format=%H", f"-S{sha}", "--", replay.config_path],
        cwd=reg.work_tree,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    ancestor = subprocess.run(
        ["git", "merge-base", "--is-ancestor", sha, f"{setter}^"],
        cwd=reg.work_tree,
        capture_output=True,
        check=False,
    )
    if not setter or ancestor.returncode != 0:
        return set()
    done = subprocess.run(
        ["git", "rev-list", sha], cwd=reg.work_tree, capture_output=True, text=True, check=False
    )
    return set(done.stdout.split()) if done.returncode == 0 else set()


def verify(reg: Register, since: str | None = None) -> Report:
    """Every finding in the register's history (or in ``since..HEAD``), in history order."""
    if reg.git_dir is None:  # no history, nothing proven: never "verified"
        raise NotARepository("git.not_a_repository", path=reg.root)

    prefix = register_prefix(reg)
    history = list(commits_touching(reg.work_tree, prefix or ".", since))
    report = Report()
    with Objects(reg.work_tree) as objects:
        objects.preload(reg.work_tree, history)
        replay = Replay(reg, objects, history)
        for commit in history:
            replay.follow(commit)
        skip = _trust_root(reg, replay, replay.settings(replay.blob("HEAD", replay.config_path)))
        signatures = _signatures(reg, replay, [c for c in history if c.sha not in skip])
        for commit in history:
            if commit.sha in skip:
                continue
            step = replay.step(commit, signatures)
            report.checked += 1
            if not step.trusted:
                checks = [RULES[r] for r in IMPORT_CHECKED] if step.imported else RULES.values()
                found = [f for check in checks for f in check(step)]
                if found:
                    report.findings += found
                    report.commits[commit.sha] = commit
            replay.deleted.update({c.id: commit.sha for c in step.items if c.after is None})
    return report
