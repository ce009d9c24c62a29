"""The rules of ``dipctl verify`` for merges and for the files of the register besides the
items: decrees, meeting records, register.yaml's settings, and every other path, each with
its owner in :mod:`dipctl.proof.owners` (SPEC.md section 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.proof import owners
from dipctl.proof.registry import rule
from dipctl.proof.step import Finding, Step
from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Iterator


@rule("merge")
def merges_take_the_newer_side(step: Step) -> Iterator[Finding]:
    """The register's history is one chain of steps: each commit is judged against the
    one policy (roles, keys, settings) of the commit it builds on, so a revocation binds
    every commit after it. A merge commit is reported (`dipctl sync` never makes one: it
    replays the officer's steps on top of the server's), except in history that a kepala
    accepted as it was by naming its last commit in `riwayat: {linear_sejak: COMMIT}`.
    Those earlier merges are judged as before: a merge brings back no older state and
    makes none of its own. A file that it takes whole from one parent must be that side's
    newer state (the other parents' versions of the file lead to it in the history), and a
    file that equals no parent (a conflict resolved by hand) is judged by the other rules
    as a change from the first parent, each of its fields one that a parent has."""
    if step.linear and len(step.commit.parents) > 1:
        yield step.finding(None, "merge", "verify.merge_linear", parents=len(step.commit.parents))
        return
    for merged in step.merged:
        if merged.taken:
            if not merged.newer:
                after = step.objects.data(merged.result) or {}
                before = {
                    str((step.objects.data(b) or {}).get("status") or "-")
                    for b in merged.parents
                    if b != merged.result
                }
                params = (
                    ("before", ", ".join(sorted(before))),
                    ("after", str(after.get("status") or "-")),
                )
                yield Finding(
                    step.commit.sha, merged.path, merged.item, "merge", "verify.merge_older", params
                )
            continue
        result = step.objects.data(merged.result) if merged.item else None
        if result is None:
            continue
        parents = [step.objects.data(b) or {} for b in merged.parents]
        keys = {k for p in parents for k in p} | set(result)
        own = sorted(k for k in keys if all(p.get(k) != result.get(k) for p in parents))
        if own:
            yield Finding(
                step.commit.sha,
                merged.path,
                merged.item,
                "merge",
                "verify.merge_new",
                (("keys", ", ".join(own)),),
            )


@rule("decree")
def decrees_written_once_by_their_step(step: Step) -> Iterator[Finding]:
    """A decree (`keputusan/<id>.yaml`) is written only by the step that makes it, in that
    step's commit: `establish`, `withdraw` or `import`, by a kepala (in the parent's
    register.yaml), or `exempt` or `lift` by the PPID Pembantu for a Penetapan DIK, and its
    id is the commit's `DIP-Decree` trailer. It is never changed or deleted afterwards: a new decree
    revokes or amends it. Any other file in `keputusan/` is reported too
    (`dipctl verify --explain all` shows who writes what)."""
    yield from owners.record_findings(step, "decree")


@rule("meeting-record")
def meeting_records_written_once_by_step_4(step: Step) -> Iterator[Finding]:
    """A meeting record (`rapat/<id>.yaml`) and its printable minutes (`rapat/<id>.html`) are
    written only by step 4, `dipctl meeting`, by the PPID Pembantu, and their id is the
    commit's `DIP-Meeting` trailer; they are never changed or deleted afterwards. Any other
    file in `rapat/` is reported too."""
    yield from owners.record_findings(step, "meeting-record")


@rule("settings")
def settings_changed_by_their_owners(step: Step) -> Iterator[Finding]:
    """The settings in register.yaml are changed only by their owners in the parent's
    register.yaml: `situs` by a kepala or the PPID Pembantu; `badan_publik`, `unit`,
    `mutu_baku`, `pemutakhiran`, `dasar_hukum` and every other section by a kepala (`unit`
    and `badan_publik` with the head's steps `dipctl unit` and `dipctl agency set`; `orang`,
    `tanda_tangan` and `verifikasi` are the `people` rule's)."""
    config = f"{step.prefix}{model.REGISTER_FILE}"
    if not any(c.path == config for c in step.commit.changes):
        return
    before, after = step.register_before or {}, step.register_after or {}
    others = [step.objects.data_at(p, config) or {} for p in step.commit.parents[1:]]
    changed = [
        k
        for k in sorted({*before, *after} - set(owners.PEOPLE_SECTIONS), key=str)
        if before.get(k) != after.get(k)
        and not any(k in after and k in other and other[k] == after[k] for other in others)
    ]
    for section in owners.SECTIONS:
        keys = [k for k in changed if owners.section(k) is section]
        if keys and not any(owners.holds(step, role) for role in section.roles):
            yield step.finding(
                None,
                "settings",
                "verify.settings",
                keys=", ".join(map(str, keys)),
                email=step.commit.author_email,
                roles=", ".join(section.roles),
            )


@rule("path")
def every_path_has_an_owner(step: Step) -> Iterator[Finding]:
    """Every path of the repository has an owner. Under `register/`: register.yaml,
    `penanda-tangan`, the item files `informasi/<unit>/<id>.yaml`, `rapat/` and `keputusan/`
    have their own rules; the `*.schema.json` files of `dipctl init` are changed by a
    kepala, the site theme `tema/` (templates and static files) by a kepala or the PPID
    Pembantu. Any other file there (notes, a file directly in `informasi/`, a non-yaml file
    in a unit's folder) is reported, and so is anything under `register/` that is not a
    plain file (a symbolic link, a submodule) and an item file that is not a YAML mapping
    (verify could not judge it, yet a checkout might make it one). Outside `register/`
    (CI files, `.gitignore`, `.gitmodules`, `.gitattributes`, anything else) every path is a
    kepala's setting. A `.gitattributes` anywhere that changes the bytes git checks out
    (`working-tree-encoding`, `filter`, `ident`, `eol`, `text`, `crlf`, a macro) is refused
    whoever wrote it: what is published must be the bytes that were verified."""
    commit = step.commit
    items = f"{model.ITEMS_DIR}/"
    for change in commit.changes:
        path = owners.relative(step, change.path)
        if change.path.rsplit("/", 1)[-1] == ".gitattributes" and change.new is not None:
            line = owners.changes_checkout(_text(step, change.new))
            if line:
                yield _found(step, change.path, "", "verify.attributes", line=line[:80])
                continue
        item = _item_id(path) if path is not None and path.startswith(items) else ""
        if path is not None and not change.regular:
            yield _found(step, change.path, item, "verify.path_mode", mode=change.mode)
            continue
        if item and change.new is not None and step.objects.data(change.new) is None:
            yield _found(step, change.path, item, "verify.item_unreadable")
            continue
        row = owners.OUTSIDE if path is None else owners.owner(path)
        if row is None and path is not None and owners.area(path) == "path":
            key, roles = "verify.path_unowned", ""
        elif row is not None and row.rule == "path":
            if any(owners.holds(step, role) for role in row.roles):
                continue
            key = "verify.path_role" if path is not None else "verify.path_outside"
            roles = ", ".join(row.roles)
        else:
            continue
        if owners.carried(step, change.path, change.new):
            continue
        params = (("email", commit.author_email), ("roles", roles))
        yield Finding(commit.sha, change.path, "", "path", key, params)


def _found(step: Step, path: str, item: str, key: str, **params: str) -> Finding:
    found = (("email", step.commit.author_email), *params.items())
    return Finding(step.commit.sha, path, item, "path", key, found)


def _item_id(path: str) -> str:
    """The id of an item file's path (relative to the register), "" for any other path."""
    row = owners.owner(path)
    if row is None or row.rule != "item":
        return ""
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _text(step: Step, blob: str) -> str:
    found = step.objects.raw(blob)
    return found.decode("utf-8", "replace") if found is not None else ""
