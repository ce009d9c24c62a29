"""One SOP step = one commit, all or none (SPEC.md sections 4 and 5).

A :class:`Session` opens the repository, names the acting officer, takes the lock, finishes
anything a killed dipctl left behind (:mod:`dipctl.sop.recovery`), and loads the items a
command names. The step
functions in :mod:`dipctl.sop.steps` decide every item first; only when every item passes do they
hand :meth:`Session.commit` the new file contents, which become one commit authored by the
officer before any file in the work tree changes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dipctl.errors import (
    GitFailed,
    InvalidFile,
    ItemNotFound,
    NotAuthorized,
    Refused,
    UsageError,
)
from dipctl.files import fault
from dipctl.gitrepo import Actor, Repository
from dipctl.register import model, roundtrip, store
from dipctl.register.queries import load_items, named_items, refuse_broken
from dipctl.sop import commits, edits, recovery, workflow
from dipctl.sop.identity import acting_person

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item

AUTHORITY_KEYS = ("orang", "tanda_tangan", "verifikasi")
"""The keys of register.yaml that decide who may act: changed only by a kepala's commit."""
SIGNERS_FILE = "penanda-tangan"
"""The register's allowed signers (git's ssh format), beside register.yaml."""

__all__ = [
    "AUTHORITY_KEYS",
    "SIGNERS_FILE",
    "Move",
    "Session",
    "acting_person",
    "open_repository",
    "refuse_uncommitted_people",
]


def refuse_uncommitted_people(reg: Register, repo: Repository) -> None:
    """Authorisation is decided by register.yaml (and ``penanda-tangan``) as committed at HEAD:
    the people, roles, signing rule, trust root and signing keys in the work tree must be
    exactly HEAD's, since only a kepala's commit may change them (SPEC.md sections 3 and 4)."""
    config = reg.relative(reg.config_file)
    signers = reg.relative(reg.root / SIGNERS_FILE)
    committed = repo.read_at("HEAD", [config, signers])  # an unborn HEAD: None for each
    changed = []
    if committed.get(config) is None:
        changed = list(AUTHORITY_KEYS)
    elif committed[config] != _bytes_of(reg.config_file):  # as committed: nothing to parse
        head_data = _mapping(committed.get(config), reg.config_file)
        work_data = store.load(reg.config_file)
        work_data = work_data if isinstance(work_data, dict) else {}
        changed = [k for k in AUTHORITY_KEYS if head_data.get(k) != work_data.get(k)]
    signers_path = reg.root / SIGNERS_FILE
    work_signers = signers_path.read_bytes() if signers_path.is_file() else None
    if work_signers != committed.get(signers):
        changed.append(SIGNERS_FILE)
    if changed:
        raise Refused(
            "refused.uncommitted_people",
            path=config,
            keys=", ".join(changed),
            hint="hint.commit_people",
        )


def open_repository(reg: Register) -> Repository:
    """The register's repository, with any half-done step finished and no merge conflict."""
    repo = Repository(reg.root)
    conflicted = repo.conflicted()
    if conflicted:
        raise GitFailed("git.conflict", paths=", ".join(conflicted), hint="hint.conflict")
    return repo


@dataclass
class Move:
    """One item's part in a step: where it goes and which fields change."""

    item: Item
    transition: workflow.Transition
    updates: dict[str, Any] = field(default_factory=dict)


class Session:
    def __init__(self, reg: Register, as_email: str | None) -> None:
        self.reg = reg
        self.repo = open_repository(reg)
        refuse_uncommitted_people(reg, self.repo)
        self.person = acting_person(reg, self.repo, as_email)

    @contextlib.contextmanager
    def locked(self) -> Iterator[Session]:
        """Hold the lock (waiting a bounded time for another step), then finish whatever a
        dead step left (:func:`dipctl.sop.recovery.recover`)."""
        with self.repo.lock():
            fault("locked")
            recovery.recover(self.repo)
            yield self

    # -- items -----------------------------------------------------------------------------

    def items(self, ids: Sequence[str]) -> list[Item]:
        """The named items, in the order given (each once); an unknown id stops everything."""
        wanted = list(dict.fromkeys(ids))
        by_id = named_items(self.reg, wanted) or {item.id: item for item in load_items(self.reg)}
        if not wanted:
            raise UsageError("usage.no_ids")
        missing = [i for i in wanted if i not in by_id]
        if missing:
            refuse_broken(self.reg, missing)  # the item's own file cannot be read
            raise ItemNotFound("item.not_found", id=", ".join(missing))
        return [by_id[i] for i in wanted]

    def items_in(self, status: str) -> list[Item]:
        return [item for item in load_items(self.reg) if item.status == status]

    # -- deciding --------------------------------------------------------------------------

    def authorize(self, item: Item, action: str, target: str) -> workflow.Transition:
        """The transition ``action`` takes ``item`` by, or a refusal that says who acts next."""
        transition = workflow.find(action, item.status, target)
        if transition is None:
            raise Refused(
                "refused.status",
                id=item.id,
                status=item.status,
                action=action,
                next=self._next(item),
                hint="hint.status",
            )
        if not self.person.may_act_for(transition.role, item.unit):
            who = ", ".join(
                f"{p.name} <{p.email}>"
                for p in self.reg.settings.people_with(transition.role, item.unit)
            )
            raise NotAuthorized(
                "refused.role",
                id=item.id,
                email=self.person.email,
                role=transition.role,
                unit=item.unit,
                action=action,
                who=who or "phrase.nobody",
                hint="hint.who_may",
            )
        return transition

    def authorize_new(self, transition: workflow.Transition, unit: str) -> None:
        if not self.person.may_act_for(transition.role, unit):
            who = ", ".join(
                f"{p.name} <{p.email}>"
                for p in self.reg.settings.people_with(transition.role, unit)
            )
            raise NotAuthorized(
                "refused.role",
                id="phrase.new_item",
                email=self.person.email,
                role=transition.role,
                unit=unit,
                action="new",
                who=who or "phrase.nobody",
                hint="hint.who_may",
            )

    def _next(self, item: Item) -> str:
        moves = workflow.next_moves(item.status)
        if not moves:
            return "phrase.no_next_step"
        return "; ".join(f"{t.role}: {workflow.USAGE[t.action].format(id=item.id)}" for t in moves)

    def hand_edits(self, items: Sequence[Item]) -> list[edits.HandEdit]:
        """Uncommitted changes to these item files; changes to managed fields are refused."""
        dirty = self.repo.changed([item.path for item in items])
        if not dirty:
            return []
        rels = {self.reg.relative(p): p for p in dirty}
        heads = self.repo.read_at("HEAD", list(rels))
        found = []
        for rel, path in rels.items():
            item = next(i for i in items if i.path == path)
            before = _mapping(heads.get(rel), path)
            located = store.load_located(path)
            after = located.data if isinstance(located.data, dict) else {}
            keys = edits.changed_keys(before, after)
            if not keys:
                continue
            edit = edits.HandEdit(
                item.id,
                rel,
                str(before.get("status", item.status)),
                str(before.get("unit", item.unit)),
                keys,
                tuple(sorted({located.line(k) for k in keys})),
            )
            edits.check_managed(edit)
            found.append(edit)
        return found

    # -- committing ------------------------------------------------------------------------

    def commit_new(
        self,
        path: Path,
        item_id: str,
        text: str,
        transition: workflow.Transition,
        when: dt.datetime | None,
    ) -> str:
        message = commits.message("new", transition.role, [item_id], target=transition.target)
        actor = Actor(self.person.name, self.person.email)
        files: dict[Path, bytes | None] = {path: text.encode("utf-8")}
        return self.repo.commit_files(actor, files, message, when, self._sign())

    def commit_edit(
        self,
        path: Path,
        item_id: str,
        role: str,
        keys: Sequence[str],
        text: str,
        when: dt.datetime | None,
    ) -> str:
        """``dipctl edit``: one item's content, no status change, as its editor."""
        subject = f"{item_id}: {', '.join(keys)}"
        message = commits.message(workflow.EDIT, role, [item_id], subject=subject)
        actor = Actor(self.person.name, self.person.email)
        files: dict[Path, bytes | None] = {path: text.encode("utf-8")}
        return self.repo.commit_files(actor, files, message, when, self._sign())

    def commit(
        self,
        action: str,
        role: str,
        moves: Sequence[Move],
        new_files: Mapping[Path, str | bytes] | None = None,
        note: str = "",
        trailers: dict[str, str] | None = None,
        when: dt.datetime | None = None,
    ) -> str:
        """Write every move and new file as one commit by the acting officer."""
        files: dict[Path, bytes | None] = {}
        for move in moves:
            updates = {"status": move.transition.target, **move.updates}
            text = roundtrip.render_edit(move.item.path, updates, model.ITEM_KEYS)
            files[move.item.path] = text.encode("utf-8")
        for path, content in (new_files or {}).items():
            if path.exists():
                raise Refused("refused.exists", path=self.reg.relative(path))
            files[path] = content if isinstance(content, bytes) else content.encode("utf-8")
        return self.commit_contents(action, role, moves, files, note, trailers, when)

    def commit_contents(
        self,
        action: str,
        role: str,
        moves: Sequence[Move],
        files: dict[Path, bytes | None],
        note: str = "",
        trailers: Mapping[str, str | Sequence[str]] | None = None,
        when: dt.datetime | None = None,
        subject: str | None = None,
    ) -> str:
        """Commit ``files`` (exact contents) as the step ``action`` that makes ``moves``."""
        sources = sorted({m.item.status for m in moves})
        targets = sorted({m.transition.target for m in moves})
        message = commits.message(
            action,
            role,
            [m.item.id for m in moves],
            source="/".join(sources) or None,
            target="/".join(targets),
            note=note,
            subject=subject,
            extra=trailers or {},
        )
        actor = Actor(self.person.name, self.person.email)
        return self.repo.commit_files(actor, files, message, when, self._sign())

    def _sign(self) -> bool:
        """Sign when the officer's git can; refuse when the register requires it and it
        cannot (an unsigned step would fail ``verify``)."""
        required = self.reg.settings.signing_required
        can = self.repo.can_sign()  # one `git config`
        if required and can:  # signed with the key listed for the officer
            from dipctl.sop import signing  # (its key parsing loads only here)

            signing.check_step_key(self.reg, self.repo, self.person.email)
        if can:
            return True
        if required:
            raise GitFailed("git.no_signing_key", email=self.person.email, hint="hint.signing_key")
        return False


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _mapping(raw: bytes | None, path: Path) -> dict[str, Any]:
    """The HEAD side of a hand edit (a file new since HEAD has none)."""
    if raw is None:
        return {}
    try:
        data = store.parse(raw.decode("utf-8"), path)
    except (InvalidFile, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
