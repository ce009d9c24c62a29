"""The rule of ``dipctl verify`` for corrections: ``dipctl undo`` (issue 11 point 7), and
a plain ``git revert`` of a step, which is not one (SPEC.md section 4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.proof.registry import rule
from dipctl.sop import commits, workflow

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dipctl.proof.replay import Objects
    from dipctl.proof.step import Finding, ItemChange, Step

_REVERTS = re.compile(r"This reverts commit ([0-9a-f]{40})")


@dataclass(frozen=True)
class StepCommit:
    """What the undo rule reads of the commit an undo (or a revert) names."""

    sha: str
    parent: str  # its first parent ("" for a root)
    author_email: str
    trailers: dict[str, list[str]]

    @property
    def action(self) -> str:
        return self.trailers.get(commits.ACTION, [""])[0]

    @property
    def role(self) -> str:
        return self.trailers.get(commits.ROLE, [""])[0]


def read_commit(objects: Objects, sha: str) -> StepCommit | None:
    """The commit ``sha`` from the object store (None: no such commit)."""
    found = objects.read(sha) if re.fullmatch(r"[0-9a-f]{40}", sha) else None
    if found is None or not found[1].startswith(b"tree "):
        return None
    header, _, message = found[1].decode("utf-8", "replace").partition("\n\n")
    parents = [line[7:] for line in header.splitlines() if line.startswith("parent ")]
    author = next((line for line in header.splitlines() if line.startswith("author ")), "")
    email = author[author.find("<") + 1 : author.rfind(">")] if "<" in author else ""
    return StepCommit(sha, parents[0] if parents else "", email.lower(), commits.trailers(message))


@rule("undo")
def undo_restores_the_state_before_the_step(step: Step) -> Iterator[Finding]:
    """`dipctl undo` reverses an item's latest step before establishment (submit, review,
    classify, meeting) as a commit with `DIP-Action: undo` and `DIP-Undoes: <the step's
    commit>`. For each item it moves, that commit must be a real step of an undoable action
    that names the item and is still the last commit that changed it; the item's file must
    come back exactly (byte for byte) as it was at that step's parent; and it is authored by
    the step's own author (same e-mail, `DIP-Role` the step's role, still held) or by a
    kepala (`DIP-Role: kepala`). A meeting record it leaves behind stays unchanged. A plain
    `git revert` of a step is not a correction: it is reported here (and by the other
    rules) for good, since the history is the record; use `dipctl undo` instead."""
    if step.commit.action != "undo":
        yield from _reverts(step)
        return
    named = step.commit.trailers.get(commits.UNDOES, [])
    undone = {sha: read_commit(step.objects, sha) for sha in dict.fromkeys(named)}
    for change in step.items:
        yield from _judge(step, change, undone)


def _judge(
    step: Step, change: ItemChange, undone: dict[str, StepCommit | None]
) -> Iterator[Finding]:
    latest = step.latest.get(change.id, "")
    here = step.commit.parents[0] if step.commit.parents else ""
    found = next(
        (
            c
            for c in undone.values()
            if c is not None
            and change.id in c.trailers.get(commits.ITEM, [])
            and (c.sha == latest or not latest)  # not known: history before --since
        ),
        None,
    )
    if (
        found is None
        or found.action not in workflow.UNDOABLE
        or step.objects.blob_at(found.sha, change.path) != step.objects.blob_at(here, change.path)
    ):
        names = ", ".join(sha[:10] for sha in undone) or "-"
        yield step.finding(change, "undo", "verify.undo_step", undone=names, latest=latest[:10])
        return
    before = step.objects.blob_at(found.parent, change.path) if found.parent else None
    if before is None or step.objects.blob_at(step.commit.sha, change.path) != before:
        yield step.finding(change, "undo", "verify.undo_restore", undone=found.sha[:10])
    role = step.commit.role
    if role != workflow.UNDO_OVERRIDE and (
        role != found.role or step.commit.author_email != found.author_email
    ):
        yield step.finding(
            change,
            "undo",
            "verify.undo_author",
            email=step.commit.author_email,
            undone=found.sha[:10],
            author=found.author_email,
            role=found.role or "-",
        )


def _reverts(step: Step) -> Iterator[Finding]:
    """A ``git revert`` of a step commit, without the trailers of ``dipctl undo``."""
    match = _REVERTS.search(step.commit.message)
    reverted = read_commit(step.objects, match.group(1)) if match else None
    if reverted is None or not reverted.action:
        return
    for change in step.items:
        yield step.finding(change, "undo", "verify.revert", undone=reverted.sha[:10])
