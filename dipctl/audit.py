"""``dipctl verify``: the git history is the proof (SPEC.md section 4).

:func:`verify` replays every commit that touched the register, oldest first, and runs each
rule of :data:`RULES` on it. A rule is a small function whose docstring is its
documentation (``dipctl verify --explain RULE``); it yields :class:`Finding` records and
judges a step by the ``register.yaml`` of the commit's *parent*, so nobody can grant
themselves a role and use it in the same commit.

Trust roots, not checked: the first commit when it is ``dipctl init``; ``dipctl import``
commits by a kepala (their content; the author is still checked); and everything up to
the commit that ``verifikasi: {sejak: …}`` names.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl import model, workflow
from dipctl.model import Settings
from dipctl.replay import Commit, Objects, commits_touching

if TYPE_CHECKING:
    from dipctl.config import Register


@dataclass(frozen=True, order=True)
class Finding:
    commit: str
    path: str
    item: str
    rule: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()
    level: str = "error"


@dataclass
class ItemChange:
    """One item file in one commit: its mapping before (first parent) and after."""

    path: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    transition: workflow.Transition | None = None

    @property
    def status_before(self) -> str:
        return str((self.before or {}).get("status", ""))

    @property
    def status_after(self) -> str:
        return str((self.after or {}).get("status", ""))

    @property
    def moved(self) -> bool:
        return self.status_before != self.status_after

    @property
    def unit(self) -> str:
        return str((self.before or self.after or {}).get("unit", ""))

    def changed(self) -> set[str]:
        before, after = self.before or {}, self.after or {}
        return {k for k in {*before, *after} if before.get(k) != after.get(k)}


@dataclass
class Step:
    """What the rules see of one commit."""

    commit: Commit
    settings: Settings | None  # register.yaml at the first parent
    register_before: dict[str, Any] | None
    register_after: dict[str, Any] | None
    items: list[ItemChange]
    objects: Objects
    prefix: str
    deleted_ids: dict[str, str] = field(default_factory=dict)
    trusted: bool = False

    def finding(self, change: ItemChange | None, rule: str, key: str, **params: Any) -> Finding:
        path = change.path if change else f"{self.prefix}{model.REGISTER_FILE}"
        item = change.id if change else ""
        return Finding(self.commit.sha, path, item, rule, key, tuple(params.items()))

    @property
    def author(self) -> model.Person | None:
        return self.settings.person(self.commit.author_email) if self.settings else None


Rule = Callable[[Step], Iterator[Finding]]
RULES: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[rule_id] = func
        return func

    return register


def explain(rule_id: str) -> str | None:
    func = RULES.get(rule_id)
    return (func.__doc__ or "").strip() if func else None


# -- the replay ----------------------------------------------------------------------------


def register_prefix(reg: Register) -> str:
    rel = reg.relative(reg.root)
    return "" if rel in (".", "") else rel.rstrip("/") + "/"


def _trusted_history(reg: Register, settings: Settings) -> set[str]:
    """The commits at or before ``verifikasi.sejak``: history that is not checked."""
    if not settings.trust_root:
        return set()
    done = subprocess.run(
        ["git", "rev-list", settings.trust_root],
        cwd=reg.work_tree,
        capture_output=True,
        text=True,
        check=False,
    )
    return set(done.stdout.split()) if done.returncode == 0 else set()


def _settings(data: dict[str, Any] | None) -> Settings | None:
    return Settings.from_mapping(data) if data is not None else None


def item_changes(commit: Commit, objects: Objects, items_prefix: str) -> list[ItemChange]:
    """Item files changed by ``commit``; a file moved between unit folders is one change."""
    added: dict[str, ItemChange] = {}
    removed: dict[str, ItemChange] = {}
    changes: list[ItemChange] = []
    for change in commit.changes:
        if not change.path.startswith(items_prefix) or not change.path.endswith(".yaml"):
            continue
        item_id = change.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        entry = ItemChange(change.path, item_id, objects.data(change.old), objects.data(change.new))
        if change.old is None:
            added[item_id] = entry
        elif change.new is None:
            removed[item_id] = entry
        else:
            changes.append(entry)
    for item_id, entry in added.items():
        gone = removed.pop(item_id, None)
        changes.append(ItemChange(entry.path, item_id, gone.before, entry.after) if gone else entry)
    return [*changes, *removed.values()]


def _transition(commit: Commit, change: ItemChange) -> workflow.Transition | None:
    if not change.moved:
        return None
    source = change.status_before if change.before is not None else ""
    if commit.action:
        return workflow.find(commit.action, source, change.status_after)
    return next(
        (
            t
            for t in workflow.TRANSITIONS
            if source in t.sources or (not t.sources and not source)
            if t.target == change.status_after
        ),
        None,
    )


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    commits: dict[str, Commit] = field(default_factory=dict)  # those with findings
    checked: int = 0


def verify(reg: Register, since: str | None = None) -> Report:
    """Every finding in the register's history (or in ``since..HEAD``), in history order."""
    from dipctl import rules  # noqa: F401  (registers the rules)

    prefix = register_prefix(reg)
    skip = _trusted_history(reg, reg.settings)
    report = Report()
    deleted: dict[str, str] = {}
    config_path = f"{prefix}{model.REGISTER_FILE}"
    signers = reg.root / "penanda-tangan"
    config = ("-c", f"gpg.ssh.allowedSignersFile={signers}") if signers.is_file() else ()
    history = list(commits_touching(reg.work_tree, prefix or ".", since, config))
    config_at: dict[str, str | None] = {}  # commit -> the blob of register.yaml there
    settings_of: dict[str | None, Settings | None] = {None: None}
    with Objects(reg.work_tree) as objects:
        objects.preload(
            reg.work_tree,
            {
                sha
                for c in history
                for change in c.changes
                for sha in (change.old, change.new)
                if sha
            },
        )
        for commit in history:
            parent = commit.parents[0] if commit.parents else None
            if parent is not None and parent not in config_at:
                config_at[parent] = objects.blob_at(parent, config_path)
            before_blob = config_at.get(parent) if parent else None
            after_blob = next((c.new for c in commit.changes if c.path == config_path), before_blob)
            config_at[commit.sha] = after_blob
            if commit.sha in skip:
                continue
            if before_blob not in settings_of:
                settings_of[before_blob] = _settings(objects.data(before_blob))
            step = Step(
                commit,
                settings_of[before_blob],
                objects.data(before_blob),
                objects.data(after_blob),
                item_changes(commit, objects, f"{prefix}{model.ITEMS_DIR}/"),
                objects,
                prefix,
                deleted,
                trusted=not commit.parents and commit.action == "init",
            )
            for change in step.items:
                change.transition = _transition(commit, change)
            report.checked += 1
            if not step.trusted:
                found = [f for check in RULES.values() for f in check(step)]
                if found:
                    report.findings += found
                    report.commits[commit.sha] = commit
            for change in step.items:
                if change.after is None:
                    deleted[change.id] = commit.sha
    return report
