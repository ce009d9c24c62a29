"""``dipctl sync``: fetch, replay this clone's steps on the colleagues', verify, push, land
(docs/sharing.md). It never makes a merge: the shared history stays one chain.

Nothing on disk changes until the end. The officer's unpushed steps are made again on top
of the server's branch as objects only (:mod:`.replay`), the new tip is checked by
``verify`` as the tip it would be, pushed (never forced), and only then moved into the
clone: one compare-and-swap of HEAD plus the files that differ, under the journal that
:mod:`dipctl.sop.recovery` finishes if the process dies. A failure before that leaves the
clone exactly as it was; a push that loses a race with a colleague is fetched and
replayed again from the clone's own commits, a bounded number of times. A plain ``git
merge`` left half done is aborted first.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dipctl.errors import DipctlError, ExitCode, GitFailed, Refused, UsageError, WriteFailed
from dipctl.feedback import silent
from dipctl.files import fault, reason, write_atomic
from dipctl.gitrepo import Repository
from dipctl.proof.replay import commits_named
from dipctl.proof.step import register_prefix
from dipctl.proof.verify import verify
from dipctl.share import clash, drop, keep, remote, replay, saved
from dipctl.sop import recovery
from dipctl.sop.transaction import acting_person

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from dipctl.feedback import Progress
    from dipctl.proof.replay import Commit
    from dipctl.proof.step import Finding
    from dipctl.register.config import Register
    from dipctl.register.records import Person

ATTEMPTS = 4
"""Pushes tried before giving up when colleagues keep pushing first."""
BACKUP_REF = "refs/dipctl/sebelum-sync"
"""Where sync leaves the clone's tip when it replayed or dropped its unpushed commits
(``git log refs/dipctl/sebelum-sync``)."""


class SyncConflict(Refused):
    """Both sides changed the same item (or a file git cannot merge); nothing changed."""

    def __init__(self, clashes: list[clash.Clash], upstream: str) -> None:
        ids = ", ".join(c.item or c.path for c in clashes)
        super().__init__("sync.conflict", ids=ids, upstream=upstream, hint="hint.sync_conflict")
        self.clashes = clashes
        self.saved: dict[str, Path] = {}  # item id (or path) -> the officer's version


class HistoryRejected(DipctlError):
    """``verify`` found problems in what arrived (or in what this clone would push)."""

    exit_code = ExitCode.PROBLEMS

    def __init__(
        self, side: str, findings: list[Finding], commits: dict[str, Commit], call: list[Person]
    ) -> None:
        first = findings[0]
        who = ", ".join(f"{p.name} <{p.email}>" for p in call) or "-"
        super().__init__(
            f"sync.rejected_{side}",
            commit=first.commit[:12],
            rule=first.rule,
            count=len(findings),
            hint=f"hint.sync_rejected_{side}",
            who=who,
        )
        self.findings, self.commits = findings, commits


@dataclass
class Outcome:
    upstream: str
    head: str | None = None
    fetched: int = 0  # commits that arrived
    pushed: int = 0  # commits sent
    replayed: int = 0  # this clone's steps made again on top of the server's
    retries: int = 0
    dropped: list[Commit] = field(default_factory=list)
    kept: list[keep.Kept] = field(default_factory=list)  # the officer's steps made again
    saved: dict[str, Path] = field(default_factory=dict)  # id -> the officer's version
    old_findings: int = 0  # in history both sides already shared


def sync(
    reg: Register,
    as_email: str | None,
    keep_theirs: Sequence[str] = (),
    keep_mine: Sequence[str] = (),
    progress: Progress = silent,
) -> Outcome:
    both = sorted(set(keep_theirs) & set(keep_mine))
    if both:
        raise UsageError("keep.both", ids=", ".join(both))
    repo = Repository(reg.root)
    work = repo.work_tree
    with repo.lock():
        recovery.recover(repo)
        _abort_plain_git(repo)
        unmerged = repo.conflicted()
        if unmerged:
            raise GitFailed("git.conflict", paths=", ".join(unmerged), hint="hint.conflict")
        up = remote.upstream(work)
        if up is None:
            raise GitFailed("sync.no_upstream", hint="hint.sync_no_upstream")
        who = _Officer(reg, repo, as_email)
        kept = _save(reg, repo, [*keep_theirs, *keep_mine])
        for attempt in range(ATTEMPTS):
            try:
                outcome = _attempt(reg, repo, up, who, (keep_theirs, keep_mine), progress)
            except SyncConflict as exc:
                paths = [c.path for c in exc.clashes]
                exc.saved = saved.save(repo, register_prefix(reg), "HEAD", paths)
                raise
            if outcome is not None:
                outcome.retries, outcome.saved = attempt, kept
                return outcome
        raise GitFailed("sync.race", attempts=ATTEMPTS, upstream=up.name, hint="hint.sync_race")


def _save(reg: Register, repo: Repository, ids: Sequence[str]) -> dict[str, Path]:
    """The officer's version of the files of ``ids``, saved before anything is dropped."""
    if not ids or repo.head() is None:
        return {}
    prefix = register_prefix(reg)
    paths = [p for i in ids for p in clash.paths_of(repo.work_tree, prefix, "HEAD", i)]
    return saved.save(repo, prefix, "HEAD", paths)


class _Officer:
    """Who commits and signs the replayed steps, asked only when something is made: a pull
    that only fast-forwards needs nobody."""

    def __init__(self, reg: Register, repo: Repository, as_email: str | None) -> None:
        self.reg, self.repo, self.as_email = reg, repo, as_email

    @functools.cached_property
    def person(self) -> Person:
        return acting_person(self.reg, self.repo, self.as_email)

    @functools.cached_property
    def sign(self) -> bool:
        """As steps do: sign when git can; refuse when the register requires it and it
        cannot (an unsigned step would fail ``verify``)."""
        if self.repo.can_sign():
            return True
        if self.reg.settings.signing_required:
            email = self.person.email
            raise GitFailed("git.no_signing_key", email=email, hint="hint.signing_key")
        return False


def _attempt(
    reg: Register,
    repo: Repository,
    up: remote.Upstream,
    who: _Officer,
    keeps: tuple[Sequence[str], Sequence[str]],
    progress: Progress = silent,
) -> Outcome | None:
    """One round; None when the push lost a race (then fetch and replay again)."""
    work = repo.work_tree
    progress("progress.sync.fetch")
    theirs = remote.fetch(work, up)
    head = repo.head()
    out = Outcome(up.name)
    progress("progress.sync.replay")
    candidate = _candidate(reg, repo, up, who, head, theirs, keeps, out)
    if candidate is None:  # neither side has a commit
        return out
    out.old_findings = _check(reg, work, candidate, head, theirs, progress)
    _refuse_dirty(reg, repo, head, candidate)
    if theirs is None or not remote.is_ancestor(work, candidate, theirs):
        out.pushed = remote.count(work, candidate, *([f"^{theirs}"] if theirs else []))
        fault("sync-before-push")
        progress("progress.sync.push")
        if not remote.push(work, up, candidate):
            return None
        if theirs is None:
            remote.track(work, up)
        fault("sync-after-push")
    if head is not None and not remote.is_ancestor(work, head, candidate):
        remote.run(work, "update-ref", "-m", "dipctl sync", BACKUP_REF, head)
    land(repo, head, candidate)
    out.head = candidate
    return out


def _candidate(
    reg: Register,
    repo: Repository,
    up: remote.Upstream,
    who: _Officer,
    head: str | None,
    theirs: str | None,
    keeps: tuple[Sequence[str], Sequence[str]],
    out: Outcome,
) -> str | None:
    """The commit the clone's branch will be: ours, theirs, or our steps replayed on theirs
    (and, for ``--keep-mine``, the officer's set-aside steps made again on top)."""
    work, prefix = repo.work_tree, register_prefix(reg)
    keep_theirs, keep_mine = keeps
    gone: set[str] = set()
    mine: list[str] = []
    if keep_mine:
        if head is None or theirs is None or head == theirs:
            raise UsageError(
                "keep.not_in_conflict", id=keep_mine[0], hint="hint.keep_not_in_conflict"
            )
        by_id = {i: drop.files_of(work, prefix, (head, theirs), [i]) for i in keep_mine}
        keep.in_conflict(work, prefix, (head, theirs), keep_mine, by_id)
        mine, gone = drop.select(work, head, theirs, set().union(*by_id.values()))
    if keep_theirs and head is not None and theirs is not None:
        paths = drop.files_of(work, prefix, (head, theirs), keep_theirs)
        dropped, dropped_files = drop.select(work, head, theirs, paths)
        shared = sorted(set(dropped) & set(mine))
        if shared:
            raise UsageError("keep.shared_step", sha=shared[0][:10],
                             ids=", ".join([*keep_theirs, *keep_mine]))  # fmt: skip
        gone |= dropped_files
        out.dropped = list(commits_named(work, dropped))
    if theirs is None or head == theirs:
        return head
    out.fetched = remote.count(work, theirs, *([f"^{head}"] if head else []))
    if head is None or remote.is_ancestor(work, head, theirs):
        return theirs
    if not out.dropped and remote.is_ancestor(work, theirs, head):
        return head
    tip = _replayed(reg, repo, up, who, (head, theirs), gone, set(mine), out)
    if mine:
        again = keep.Reapplier(work, prefix, (head, theirs))
        tip, out.kept = again.run(repo.git_dir, mine, tip, who)
    return tip


def _replayed(
    reg: Register,
    repo: Repository,
    up: remote.Upstream,
    who: _Officer,
    sides: tuple[str, str],
    gone: set[str],
    aside: set[str],
    out: Outcome,
) -> str:
    """This clone's steps (but the dropped ones) made again on the server's tip; a file
    both sides changed (but those of the dropped steps) is a :class:`SyncConflict`."""
    work, prefix = repo.work_tree, register_prefix(reg)
    head, theirs = sides
    _, unmerged = remote.merge_tree(work, head, theirs)
    found = clash.clashes(work, prefix, head, theirs, unmerged)
    found = [c for c in found if c.path not in gone]  # those go with the dropped steps
    if found:
        raise SyncConflict(found, up.name)
    skip = {c.sha for c in out.dropped} | aside  # aside: the --keep-mine ones, made later
    mine = [sha for sha in replay.local(work, head, theirs) if sha not in skip]
    try:
        tip, made = replay.replay(
            repo.git_dir, work, mine, theirs, who, lambda p: bool(clash.item_of(p, prefix))
        )
    except replay.Stuck as exc:
        stuck = clash.explain(work, prefix, head, theirs, [exc.path])
        found = [dataclasses.replace(c, ours=tuple(o for o in c.ours if o.sha not in skip))
                 for c in stuck]  # fmt: skip
        raise SyncConflict(found, up.name) from None
    out.replayed = len(made)
    return tip


def _check(
    reg: Register,
    work: Path,
    candidate: str,
    head: str | None,
    theirs: str | None,
    progress: Progress = silent,
) -> int:
    """Refuse the candidate when ``verify`` finds problems in what arrived or in this
    clone's own steps (as replayed, or as they are when nothing arrived); return the count
    of older findings (in the history both sides already shared, reported by ``dipctl
    verify``)."""
    report = verify(reg, tip=candidate, progress=progress)
    if not report.findings:
        return 0
    arrived: set[str] = set()
    if theirs:
        arrived = set(remote.listed(work, "rev-list", theirs, *([f"^{head}"] if head else [])))
    local = set(remote.listed(work, "rev-list", candidate, *([f"^{theirs}"] if theirs else [])))
    kepala = reg.settings.people_with("kepala")
    for side, shas in (("upstream", arrived), ("local", local)):
        found = [f for f in report.findings if f.commit in shas]
        if found:
            authors = _authors(reg, [report.commits[f.commit] for f in found])
            raise HistoryRejected(side, found, report.commits, [*authors, *kepala])
    return len(report.findings)


def _authors(reg: Register, commits: list[Commit]) -> list[Person]:
    found = []
    for commit in commits:
        person = reg.settings.person(commit.author_email)
        if person is not None and person not in found and "kepala" not in person.roles:
            found.append(person)
    return found


def _abort_plain_git(repo: Repository) -> None:
    """A ``git merge`` or ``git pull`` that stopped on a conflict is undone (``git merge
    --abort``): dipctl explains the conflict itself and never builds on a half merge."""
    if (repo.git_dir / "MERGE_HEAD").exists():
        remote.run(repo.work_tree, "merge", "--abort")


def _refuse_dirty(reg: Register, repo: Repository, head: str | None, candidate: str) -> None:
    """Refuse, before anything changes, when an uncommitted edit sits in a file the sync
    would change (the edit would be lost)."""
    if head is None or head == candidate:
        return
    paths = sorted(remote.changed(repo.work_tree, head, candidate))
    dirty = repo.changed([repo.work_tree / p for p in paths])
    if dirty:
        rels = ", ".join(reg.relative(p) for p in dirty)
        raise GitFailed("sync.dirty", paths=rels, hint="hint.sync_dirty")


def land(repo: Repository, old: str | None, new: str) -> None:
    """Move the branch from ``old`` to ``new`` and bring the files that differ along,
    under the journal that :func:`dipctl.sop.recovery.recover` finishes."""
    if old == new:
        return
    work = repo.work_tree
    if old is None:
        paths = sorted(remote.run(work, "ls-tree", "-r", "-z", "--name-only", new)
                       .stdout.split("\0"))  # fmt: skip
        paths = [p for p in paths if p]
    else:
        paths = sorted(remote.changed(work, old, new))
    entries = remote.tree_entries(work, new, paths)
    try:
        repo.journal.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(repo.journal, json.dumps({"commit": new, "paths": paths}).encode())
    except OSError as exc:
        raise WriteFailed("write.before_ref", path=repo.journal, reason=reason(exc)) from exc
    remote.run(work, "update-ref", "-m", "dipctl sync", "HEAD", new, old or "0" * 40)
    fault("sync-after-ref")
    repo.checkout(new, repo.read_at(new, paths), entries.encode("utf-8"))
    repo.journal.unlink(missing_ok=True)
