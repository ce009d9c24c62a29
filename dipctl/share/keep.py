"""``dipctl sync --keep-mine ID``: the officer's own unpushed step(s) on an item taken
again on top of the colleague's, as the officer's new commit(s), when the workflow still
allows them (docs/sharing.md, "Resolving a conflict").

The officer's commits on the item are set aside as ``--keep-theirs`` would drop them
(:mod:`.drop`), the others are replayed (:mod:`.replay`), and then each set-aside commit
``C`` (parent ``P``) is *re-applied* on the tip ``T`` built so far, file by file:

* a file ``T`` holds as ``P`` did takes ``C``'s version (nobody else changed it);
* a file ``T`` holds as ``C`` does needs nothing;
* an item both changed takes, over ``T``'s version, the fields ``C`` changed, with
  ``C``'s values, when the step is still allowed there: an ``edit`` when the item's
  status in ``T`` still lets the officer edit it (workflow.EDITORS), a status step when
  the item in ``T`` still is in a status that step leaves from, by the officer's role.
  Anything else (an ``undo``, a ``new``, another file both changed) is :class:`NotKept`.

The result is checked like every replayed step: ``verify`` on the candidate before it is
pushed. Nothing is written until then; a refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.errors import Refused, UsageError
from dipctl.register import model, roundtrip, store
from dipctl.share import clash, remote, replay
from dipctl.sop import commits, workflow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.register.records import Person

NESTED = ("dokumen",)
"""Item keys whose inner keys are content fields of their own (``dokumen.tautan``): taken
one inner key at a time, so that a colleague's change to another inner key stays."""


class NotKept(Refused):
    """The officer's step cannot be taken again on the colleague's state: why, and what to
    do instead; nothing changed."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key, hint="hint.keep_mine_refused", **params)


@dataclass(frozen=True)
class Kept:
    """One of the officer's steps made again: the new commit, its action and items, and
    the fields it set."""

    sha: str
    action: str
    items: tuple[str, ...]
    keys: tuple[str, ...]


def in_conflict(work: Path, prefix: str, sides: tuple[str | None, str | None], ids: Sequence[str],
                paths: dict[str, set[str]]) -> None:  # fmt: skip
    """Refuse (usage) an id whose file is not changed on both sides: there is nothing to
    keep, or nothing to keep it against (a plain ``dipctl sync`` takes it)."""
    head, theirs = sides
    base = remote.merge_base(work, head, theirs) if head and theirs else None
    for wanted in ids:
        ours_changed = theirs_changed = False
        if head and theirs and base:
            ours_changed = bool(paths[wanted] & remote.changed(work, base, head))
            theirs_changed = bool(paths[wanted] & remote.changed(work, base, theirs))
        if not (ours_changed and theirs_changed):
            raise UsageError("keep.not_in_conflict", id=wanted, hint="hint.keep_not_in_conflict")


class Reapplier:
    """Makes the set-aside commits again on a tip, as the syncing officer; ``sides`` are the
    clone's and the server's tips (to name the colleague's step in a refusal)."""

    def __init__(self, work: Path, prefix: str, sides: tuple[str, str]) -> None:
        self.work, self.prefix, self.sides = work, prefix, sides

    def run(self, git_dir: Path, commits_: Sequence[str], tip: str, who: replay.Officer
            ) -> tuple[str, list[Kept]]:  # fmt: skip
        person = who.person
        ident = {"GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": person.email}
        made: list[Kept] = []
        for sha in commits_:
            parents = remote.listed(self.work, "rev-list", "--parents", "-n", "1", sha)[1:]
            if len(parents) != 1:  # a merge made with plain git: only its steps count
                continue
            message = replay.message_of(self.work, sha)
            found = commits.trailers(message)
            action = (found.get(commits.ACTION) or [""])[0]
            entries, items, keys, role = self._commit(sha, parents[0], tip, action, person)
            if not entries:
                continue
            tree = remote.tree_with(git_dir, self.work, tip, entries)
            if action == workflow.EDIT and role and keys:
                message = commits.message(workflow.EDIT, role, items,
                                          subject=f"{items[0]}: {', '.join(keys)}")  # fmt: skip
            when = max(_now(self.work, ident), _date(self.work, tip))
            stamp = f"@{when[0]} {when[1]}"
            identity = {
                **ident,
                "GIT_AUTHOR_NAME": person.name,
                "GIT_AUTHOR_EMAIL": person.email,
                "GIT_AUTHOR_DATE": stamp,
                "GIT_COMMITTER_DATE": stamp,
            }
            tip = remote.commit_tree(self.work, tree, [tip], message, identity, who.sign)
            made.append(Kept(tip, action, tuple(items), tuple(keys)))
        return tip, made

    def _commit(
        self, sha: str, parent: str, tip: str, action: str, person: Person
    ) -> tuple[str, list[str], list[str], str]:
        """(index lines, the items, the fields set, the role) of ``sha`` made again on ``tip``."""
        changes = replay.diff_of(self.work, parent, sha)
        there = remote.tree_of(self.work, tip, sorted(changes))
        lines: list[str] = []
        items: list[str] = []
        keys: list[str] = []
        role = ""
        for path, (before, after) in sorted(changes.items()):
            current = there.get(path)
            item = clash.item_of(path, self.prefix)
            if current == after:
                continue
            if current != before:
                if not item or before is None or after is None or current is None:
                    raise NotKept("keep.file_clash", path=path, action=action or "-")
                texts = [_text(self.work, e[1]) for e in (before, after, current)]
                text, set_keys, role = self._item(path, item, action, texts, person)
                blob = remote.run(self.work, "hash-object", "-w", "--stdin", stdin=text)
                after = (after[0], blob.stdout.strip())
                if after == current:  # the colleague's version already says it
                    continue
                keys += [k for k in set_keys if k not in keys]
            if item:
                items.append(item)
            mode, blob_sha = after if after is not None else ("0", "0" * 40)
            lines.append(f"{mode} {blob_sha}\t{path}\n")
        return "".join(lines), items, keys, role

    def _item(
        self, path: str, item: str, action: str, texts: list[str], person: Person
    ) -> tuple[str, list[str], str]:
        """The item file ``T`` holds with ``C``'s changes over it: (text, keys, role)."""
        before, after, now = (_mapping(t, path) for t in texts)
        status, unit = str(now.get("status", "")), str(now.get("unit", ""))
        where = {"id": item, "status": status, "action": action or "-", **self._their_step(path)}
        where["next"] = (
            "; ".join(
                f"{t.role}: {workflow.USAGE[t.action].format(id=item)}"
                for t in workflow.next_moves(status)
            )
            or "-"
        )
        if action == workflow.EDIT:
            role = workflow.EDITORS.get(status, "")
            if not role:
                raise NotKept("keep.edit_status", **where)
            if not person.may_act_for(role, unit):
                raise NotKept("keep.edit_role", role=f"role.{role}", email=person.email, **where)
        elif action in {t.action for t in workflow.TRANSITIONS}:
            target = str(after.get("status", ""))
            move = workflow.find(action, status, target)
            if move is None:
                raise NotKept("keep.step_status", target=target, **where)
            if not person.may_act_for(move.role, unit):
                raise NotKept(
                    "keep.step_role", role=f"role.{move.role}", email=person.email, **where
                )
            role = move.role
        else:
            raise NotKept("keep.unsupported", **where)
        data = roundtrip.parse_for_edit(texts[2], Path(path))
        keys = _apply(data, before, after)
        return roundtrip.dump(data), keys, role

    def _their_step(self, path: str) -> dict[str, str]:
        """The colleague's latest step on ``path``: its action, role and officer."""
        head, theirs = self.sides
        steps = clash.explain(self.work, self.prefix, head, theirs, [path])[0].theirs
        last = steps[-1] if steps else None
        if last is None:
            return {"their_action": "-", "their_role": "-", "their_who": "-"}
        return {
            "their_action": _plain(last.action or "-"),
            "their_role": f"role.{last.role}" if last.role else "-",
            "their_who": _plain(f"{last.author_name} <{last.author_email}>"),
        }


def _plain(text: str) -> str:
    """Text from a commit anyone could have made, safe to print on a terminal."""
    from dipctl.register.characters import CONTROL_RE, INVISIBLE_RE

    return CONTROL_RE.sub("?", INVISIBLE_RE.sub("?", text)).replace("\n", " ")[:100]


def _apply(data: Any, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Set on ``data`` (round-trip) every key ``after`` changed against ``before``; inner
    keys of :data:`NESTED` one at a time. The keys set, ``dokumen.tautan`` style."""
    done: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in NESTED and isinstance(old, dict) and isinstance(new, dict):
            inner = dict(data.get(key) or {}) if isinstance(data.get(key), dict) else {}
            for sub in dict.fromkeys([*old, *new]):
                if old.get(sub) != new.get(sub):
                    if sub in new:
                        inner[sub] = new[sub]
                    else:
                        inner.pop(sub, None)
                    done.append(f"{key}.{sub}")
            new = inner or None
        else:
            done.append(key)
        if new is None:
            data.pop(key, None)
        else:
            roundtrip.set_value(data, key, new, model.ITEM_KEYS)
    return done


def _mapping(text: str, path: str) -> dict[str, Any]:
    data = store.parse(text, Path(path))
    return data if isinstance(data, dict) else {}


def _text(work: Path, blob: str) -> str:
    return remote.run(work, "cat-file", "blob", blob).stdout


def _now(work: Path, committer: dict[str, str]) -> tuple[int, str]:
    ident = remote.run(work, "var", "GIT_COMMITTER_IDENT", env=committer).stdout.split()
    return int(ident[-2]), ident[-1]


def _date(work: Path, commit: str) -> tuple[int, str]:
    raw = remote.run(work, "log", "-1", "--format=%cd", "--date=raw", commit).stdout.split()
    return int(raw[0]), raw[1]
