"""``dipctl verify``: the git history is the proof (SPEC.md section 4).

:func:`verify` replays every commit of the history, parents first (in the order of
:func:`~dipctl.proof.replay.canonical`), and runs each rule of
:data:`~dipctl.proof.registry.RULES` on it. A rule is a small function whose docstring is its
documentation (``dipctl verify --explain RULE``); it yields :class:`Finding` records and
judges a step by the ``register.yaml`` of the commit's *parent*, so nobody can grant
themselves a role and use it in the same commit. ``dipctl verify`` resumes from the last
walk's checkpoint (:mod:`~dipctl.proof.checkpoint`); ``--full`` walks everything.

One trust root, not checked: the register's first commit (the root of HEAD's first-parent
line) when it is ``dipctl init``, or everything up to the commit that ``verifikasi: {sejak:
…}`` names. Any other parentless commit is a ``root`` finding and judged like any commit. A
kepala's ``dipctl import`` is trusted only for the items it adds under new ids (``import``).
:mod:`~dipctl.proof.history` refuses a history git cannot show whole and real (exit 4).

A merge is replayed as what it is: its diff against each parent (:attr:`Replay.sides`).
The paths it changed itself (equal to no parent) go through the rules as a change from
the first parent; the paths it took whole from one side must be that side's newer state,
which :meth:`Replay.newer` reads off the graph of every version each path has had in the
walk so far. After a merge, steps are judged by the merge's own register.yaml.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from dipctl.errors import HistoryUnreadable, NotARepository
from dipctl.feedback import silent
from dipctl.proof import (  # noqa: F401  (the *_rules and rules modules register theirs)
    checkpoint,
    decree_rules,
    evidence_rules,
    file_rules,
    halves,
    judging,
    present_rules,
    rules,
    signatures,
    undo_rules,
)
from dipctl.proof import history as git_history
from dipctl.proof.registry import RULES, explain
from dipctl.proof.replay import Change, Commit, Objects, commits_named, merge_sides, walk
from dipctl.proof.report import Report
from dipctl.proof.step import (
    SIGNERS_FILE,
    Finding,
    MergedPath,
    Step,
    claimed,
    implied,
    item_changes,
    register_prefix,
)
from dipctl.register import model
from dipctl.register.records import Settings

if TYPE_CHECKING:
    from dipctl.feedback import Progress
    from dipctl.register.config import Register

__all__ = ["RULES", "Finding", "Report", "explain", "register_prefix", "verify"]


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
        self.root = ""  # the one parentless commit that may be a trust root
        self.known: set[str] = set()  # every item id the walk has seen so far
        self.latest: dict[str, str] = {}  # item id -> the last commit that changed it
        self.paths: dict[str, str] = {}  # item id -> its file's path now (for `present`)
        self.times: dict[str, int] = {c.sha: c.time for c in history}
        self.by_sha: dict[str, Commit] = {c.sha: c for c in history}
        self.sides: dict[str, tuple[tuple[Change, ...], ...]] = {}  # a merge's diff per parent
        self.versions: dict[str, dict[str, set[str]]] = {}  # path -> version -> next versions
        self.gone: set[str] = set()  # paths deleted so far in the walk
        self.graph = False  # whether the walk keeps `versions` (it has merges to judge)
        self.nonlinear: set[str] = set()  # merges at or before `riwayat.linear_sejak`

    def saw(self, commit: Commit) -> None:
        """Remember the item ids that ``commit`` touched (for `import`), and that it is
        their latest commit (for `undo`)."""
        items = f"{self.prefix}{model.ITEMS_DIR}/"
        for change in commit.changes:
            if change.path.startswith(items) and change.path.endswith(".yaml"):
                item = change.path.rsplit("/", 1)[-1].removesuffix(".yaml")
                self.known.add(item)
                self.latest[item] = commit.sha
                if change.new is not None:
                    self.paths[item] = change.path
                elif self.paths.get(item) == change.path:
                    del self.paths[item]

    def first_diff(self, commit: Commit) -> tuple[Change, ...]:
        """Every path that differs from the first parent (for a merge, not only the paths
        that differ from all parents)."""
        sides = self.sides.get(commit.sha)
        return sides[0] if sides else commit.changes

    def merge_diffs(self, commit: Commit) -> tuple[tuple[Change, ...], ...] | None:
        sides = self.sides.get(commit.sha)
        return sides if sides and len(sides) == len(commit.parents) > 1 else None

    def _version(self, path: str, blob: str | None, *, source: bool) -> str:
        if blob is not None:
            return blob
        return "+" if source and path not in self.gone else "-"  # not yet there / deleted

    def record(self, commit: Commit) -> None:
        """Add the versions that ``commit`` moved its paths between to the graph (only kept
        when the history has merges to judge by it)."""
        if not self.graph:
            return
        diffs = self.merge_diffs(commit) or (commit.changes,)
        for diff in diffs:
            for change in diff:
                old = self._version(change.path, change.old, source=True)
                new = self._version(change.path, change.new, source=False)
                self.versions.setdefault(change.path, {}).setdefault(old, set()).add(new)
        for diff in diffs:
            self.gone.update(c.path for c in diff if c.new is None)

    def newer(self, path: str, old: str | None, new: str | None) -> bool:
        """Whether the history so far moved ``path`` from version ``old`` to ``new``, in one
        commit or several (on any branch before this point of the walk)."""
        start = self._version(path, old, source=True)
        goal = self._version(path, new, source=False)
        graph = self.versions.get(path, {})
        seen, todo = {start}, [start]
        while todo:
            version = todo.pop()
            if version == goal:
                return True
            for following in graph.get(version, ()):
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        return False

    def merged(self, commit: Commit) -> list[MergedPath]:
        """Every path of a merge whose result differs from some parent."""
        diffs = self.merge_diffs(commit)
        if diffs is None:
            return []
        per_path: dict[str, list[Change | None]] = {}
        for i, diff in enumerate(diffs):
            for change in diff:
                per_path.setdefault(change.path, [None] * len(diffs))[i] = change
        items = f"{self.prefix}{model.ITEMS_DIR}/"
        found = []
        for path, entries in sorted(per_path.items()):
            result = next(c.new for c in entries if c is not None)
            parents = tuple(c.old if c is not None else result for c in entries)
            item = (
                path.rsplit("/", 1)[-1].removesuffix(".yaml")
                if path.startswith(items) and path.endswith(".yaml")
                else ""
            )
            newer = result not in parents or all(
                self.newer(path, p, result) for p in parents if p != result
            )
            found.append(MergedPath(path, item, parents, result, newer))
        return found

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
            changed = next((c for c in self.first_diff(commit) if c.path == path), None)
            self._blobs[(commit.sha, path)] = changed.new if changed else self.blob(parent, path)

    def by_kepala(self, sha: str) -> bool:
        """Whether the commit ``sha`` of the walk was made by a kepala of its parent."""
        commit = self.by_sha.get(sha) or next(commits_named(self.reg.work_tree, [sha]), None)
        parent = commit.parents[0] if commit and commit.parents else None
        settings = self.settings(self.blob(parent, self.config_path))
        person = settings.person(commit.author_email) if commit and settings else None
        return person is not None and "kepala" in person.roles

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
            trusted=commit.sha == self.root and commit.action == "init",
            signature=signatures.get(commit.sha, ("N", "")),
            root=commit.sha == self.root,
            known_ids=self.known,  # shared, not copied: `saw` adds this commit after it
            latest=self.latest,  # the same
            item_paths=self.paths,  # the same
            parent_times=tuple(self.times.get(p, 0) for p in commit.parents),
            merged=self.merged(commit),
            linear=commit.sha not in self.nonlinear,
            register_parents=tuple(
                self.objects.data(self.blob(p, self.config_path)) for p in commit.parents[1:]
            ),
        )
        author = step.author
        step.imported = (
            commit.action == "import" and author is not None and ("kepala" in author.roles)
        )
        for change in step.items:
            change.transition = claimed(commit, change)
            change.implied = implied(change)
        return step


def verify(
    reg: Register,
    since: str | None = None,
    tip: str = "HEAD",
    *,
    resume: bool = False,
    save: bool = False,
    progress: Progress = silent,
) -> Report:
    """Every finding in the history of ``tip`` (or in ``since..tip``), in history order;
    ``dipctl sync`` checks a merge before it becomes HEAD. Without ``since``: ``resume``
    answers from the checkpoint or judges only what came after it, ``save`` keeps one
    (:mod:`dipctl.proof.checkpoint`). ``progress`` hears of the reading and of every 100
    commits judged."""
    if reg.git_dir is None:  # no history, nothing proven: never "verified"
        raise NotARepository("git.not_a_repository", path=reg.root)

    prefix = register_prefix(reg)
    git_history.preflight(reg.work_tree)
    if prefix.startswith("../"):
        raise HistoryUnreadable("history.outside", hint="hint.history_outside", path=reg.root)
    at = checkpoint.here(reg, prefix, tip) if since is None and (resume or save) else None
    saved = checkpoint.load(at) if at is not None and resume else None
    if saved is not None and at is not None and saved.tip == at.tip:
        return saved.report
    progress("progress.verify.read")
    with Objects(reg.work_tree) as objects:
        done = _resume(reg, objects, saved, at, progress) if saved is not None and at else None
        report, replay, accepted = done or _walk(
            reg, objects, since, at.tip if at else tip, progress
        )
    if at is not None and save and replay is not None:
        checkpoint.save(at, report, checkpoint.state_of(replay, accepted))
    return report


def _walk(
    reg: Register, objects: Objects, since: str | None, tip: str, progress: Progress
) -> tuple[Report, Replay | None, str]:
    """The whole history of ``tip`` (or ``since..tip``): the report, the walk, and the
    digest of what the policy at the tip accepts."""
    history = walk(reg.work_tree, since, tip, halves.wanted)  # every path: every byte
    if not history:  # a repository without commits (or nothing since ``since``): nothing yet
        return Report(), None, ""
    config = f"{register_prefix(reg)}{model.REGISTER_FILE}"
    if since is None and not any(c.path == config for commit in history for c in commit.changes):
        raise HistoryUnreadable("history.untracked", hint="hint.history_untracked", path=reg.root)
    split = halves.wanted(len(history))  # both halves read their own blobs, after the fork
    if not split:
        objects.preload(reg.work_tree, history, parse=True)
    try:
        replay = Replay(reg, objects, history)
        history = _with_every_root(reg, replay, history, since, tip)
        replay.sides = merge_sides(reg.work_tree, [c for c in history if len(c.parents) > 1], ".")
        replay.graph = bool(replay.sides)
        for commit in history:
            replay.follow(commit)
        skip, replay.nonlinear = _policy(reg, replay, tip)
    except Exception:
        if split:  # what one process meets first: a blob of the history it cannot read
            objects.preload(reg.work_tree, history, parse=True)
        raise
    if skip:  # `sejak` names the trust root: no parentless commit after it is one
        replay.root = ""
    report, judge = Report(), functools.partial(_judge, reg)
    if split:
        halves.judge(reg.work_tree, replay, history, skip, report, progress, judge)
    else:
        judge(replay, history, skip, report, progress)
    return report, replay, checkpoint.accepted_digest(skip, replay.nonlinear)


def _resume(
    reg: Register,
    objects: Objects,
    saved: checkpoint.Saved,
    at: checkpoint.Here,
    progress: Progress,
) -> tuple[Report, Replay, str] | None:
    """The walk from ``saved`` on to ``at``: only the commits since its tip are judged (None:
    it cannot resume, a whole walk is needed)."""
    state = saved.state() if checkpoint.follows(at, saved.tip) else None
    history = walk(reg.work_tree, saved.tip, at.tip) if state is not None else []
    if state is None or not history:
        return None
    replay = Replay(reg, objects, history)
    merges = [c for c in history if len(c.parents) > 1]
    if not checkpoint.restore(replay, state):
        return None
    if merges and not replay.graph:  # the first merges: the version graph from the start
        replay.graph = True
        for commit in walk(reg.work_tree, None, saved.tip):  # no merge there: diffs only
            replay.record(commit)
    objects.preload(reg.work_tree, history, parse=True)
    outside = {p for c in history for p in c.parents if p not in replay.times}
    replay.times.update(git_history.commit_times(reg.work_tree, outside))
    replay.sides = merge_sides(reg.work_tree, merges, ".")
    for commit in history:
        replay.follow(commit)
    accepted = state["accepted"]
    diffs = [d for c in history for d in (c.changes, *replay.sides.get(c.sha, ()))]
    if any(at.policy) and any(c.path == replay.config_path for d in diffs for c in d):
        skip, nonlinear = _policy(reg, replay, at.tip)  # the commit naming it may have moved
        if checkpoint.accepted_digest(skip, nonlinear) != accepted:
            return None
    base = saved.report
    report = Report(list(base.findings), dict(base.commits), base.checked)
    _judge(reg, replay, history, set(), report, progress)
    return report, replay, accepted


def _policy(reg: Register, replay: Replay, tip: str) -> tuple[set[str], set[str]]:
    """The commits that ``verifikasi.sejak`` at ``tip`` leaves unchecked, and the merges that
    ``riwayat.linear_sejak`` accepts as made."""
    at_tip = replay.settings(replay.blob(tip, replay.config_path))
    trust, linear = (at_tip.trust_root, at_tip.linear_since) if at_tip else ("", "")
    work, config, kepala = reg.work_tree, replay.config_path, replay.by_kepala
    skip = git_history.accepted(work, config, trust, kepala, tip=tip)
    return skip, git_history.accepted(work, config, linear, kepala, merges=True, tip=tip)


def _judge(
    reg: Register,
    replay: Replay,
    history: list[Commit],
    skip: set[str],
    report: Report,
    progress: Progress,
) -> None:
    """Run the rules on every commit of ``history`` (those in ``skip`` only followed)."""
    signed = signatures.of_walk(reg, replay, [c for c in history if c.sha not in skip])
    for done, commit in enumerate(history):
        if done % 100 == 0:
            progress("progress.verify.judge", done, len(history))
        if commit.sha in skip:
            replay.saw(commit)
            replay.record(commit)
            continue
        step = replay.step(commit, signed)
        replay.record(commit)
        report.checked += 1
        if not step.trusted:
            found = judging.check(step)
            if found:
                report.findings += found
                report.commits[commit.sha] = commit
        replay.deleted.update({c.id: commit.sha for c in step.items if c.after is None})
        replay.saw(commit)
    progress("progress.verify.judge", len(history), len(history))


def _with_every_root(
    reg: Register, replay: Replay, history: list[Commit], since: str | None, tip: str
) -> list[Commit]:
    """``history`` (every parentless commit reachable from ``tip`` is in it) with the one
    trust root noted and the committer times of parents outside it read (for `date`)."""
    replay.root = git_history.roots(reg.work_tree, f"{since}..{tip}" if since else tip, tip)[1]
    outside = {p for c in history for p in c.parents if p not in replay.times}
    replay.times.update(git_history.commit_times(reg.work_tree, outside))
    return history
