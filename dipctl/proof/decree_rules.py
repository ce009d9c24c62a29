"""The rules of ``dipctl verify`` on what decrees say, beside who wrote them (``decree``):
each new decree revokes or amends exactly the chain in force of its list, a lift takes its
items out of the DIK by the PPID's Penetapan DIK, and no item is ever in both the DIP in
force and the DIK in force (SPEC.md sections 2 to 4). The decrees of a commit are read from
its tree (:meth:`~dipctl.proof.replay.Objects.tree`), only at commits that touch one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.proof.registry import rule
from dipctl.proof.step import Finding, Step
from dipctl.register import chain, model
from dipctl.register.records import Decree

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dipctl.proof.replay import Change


def decrees_at(step: Step, commit: str | None) -> dict[str, Decree]:
    """Every readable decree of the register at ``commit`` (none before the first)."""
    if commit is None:
        return {}
    folder = f"{step.prefix}{model.DECREES_DIR}"
    found: dict[str, Decree] = {}
    for name, blob in sorted(step.objects.tree(commit, folder).items()):
        data = step.objects.data(blob) if name.endswith(".yaml") else None
        if data is not None:
            decree = Decree.from_mapping(data, Path(folder, name))
            found[decree.id] = decree
    return found


def _decree_changes(step: Step) -> list[Change]:
    folder = f"{step.prefix}{model.DECREES_DIR}/"
    return [
        c
        for c in step.commit.changes
        if c.path.startswith(folder)
        and c.path.endswith(".yaml")
        and "/" not in c.path[len(folder) :]
    ]


def _parent(step: Step) -> str | None:
    return step.commit.parents[0] if step.commit.parents else None


@rule("decree-chain")
def decrees_revoke_the_chain_in_force(step: Step) -> Iterator[Finding]:
    """A new decree revokes (`mencabut`) or amends (`mengubah`) exactly the chain in force
    of its own list at the commit it builds on: the decree in force and, when that one
    amended others, the base decree and every amendment of it, base first ("Keputusan …
    Nomor 45 … sebagaimana telah diubah dengan Keputusan … Nomor 50", Lampiran II UU
    12/2011); the first decree of a list names none. A replacing decree that leaves part of
    the chain standing (the amended base decree would stay in force beside it), or names a
    decree not in force, is reported."""
    added = [c for c in _decree_changes(step) if c.old is None and c.new is not None]
    if not added:
        return
    before = decrees_at(step, _parent(step))
    for change in added:
        data = step.objects.data(change.new)
        if data is None or data.get("jenis") not in model.DECREE_KINDS:
            continue
        made = Decree.from_mapping(data, Path(change.path))
        expected = chain.chain(before, made.dik)
        if made.replaces != expected or (made.revokes and made.amends):
            yield Finding(
                step.commit.sha,
                change.path,
                "",
                "decree-chain",
                "verify.decree_chain",
                (
                    ("named", ", ".join(made.revokes + made.amends) or "-"),
                    ("expected", ", ".join(expected) or "-"),
                ),
            )


@rule("lift")
def lifted_by_the_ppids_penetapan_dik(step: Step) -> Iterator[Finding]:
    """An exemption ends only by `dipctl lift`: an established exempt item (ditetapkan or
    diunggah, kategori dikecualikan) that the Penetapan DIK in force lists goes to ditentukan
    with a public kategori, in the same commit as the PPID Pembantu's new Penetapan DIK named
    by its `keputusan`, which lists it under `mengeluarkan` and no longer in its `lampiran`.
    A status moved back without that decree, an item that was not exempt or not in the DIK
    in force, or a decree that still lists it, is reported."""
    lifts = []
    for change in step.items:
        move = change.transition or change.implied
        if change.after is not None and change.moved and move is not None and move.action == "lift":
            lifts.append(change)
    added = {c.path for c in _decree_changes(step) if c.old is None and c.new is not None}
    removing = _dik_removals(step, added)
    if not lifts and not removing:
        return
    in_force = chain.in_force(decrees_at(step, _parent(step)), dik=True)
    listed = set(in_force.items) if in_force is not None else set()
    yield from _decree_only(step, removing, {c.id for c in lifts}, listed)
    for change in lifts:
        before, after = change.before or {}, change.after or {}
        decree_id = str(after.get("keputusan") or "")
        path = f"{step.prefix}{model.DECREES_DIR}/{decree_id}.yaml"
        decree = step.objects.data_at(step.commit.sha, path) if path in added else None
        problems = []
        if before.get("kategori") != model.EXEMPT or change.id not in listed:
            problems.append("verify.lift_not_exempt")
        if after.get("kategori") not in model.CATEGORIES or after.get("kategori") == model.EXEMPT:
            problems.append("verify.lift_category")
        if (
            decree is None
            or decree.get("jenis") != model.DIK_KIND
            or change.id not in (decree.get("mengeluarkan") or [])
            or change.id in (decree.get("lampiran") or [])
        ):
            problems.append("verify.lift_decree")
        for key in problems:
            yield step.finding(
                change,
                "lift",
                key,
                decree=decree_id or "-",
                number=in_force.number if in_force is not None else "-",
            )


def _dik_removals(step: Step, added: set[str]) -> dict[str, str]:
    """The items that the Penetapan DIKs new in this commit take out (``mengeluarkan``),
    each with its decree's path."""
    found: dict[str, str] = {}
    for path in sorted(added):
        data = step.objects.data_at(step.commit.sha, path) or {}
        if data.get("jenis") == model.DIK_KIND:
            found.update({str(i): path for i in data.get("mengeluarkan") or []})
    return found


def _decree_only(
    step: Step, removing: dict[str, str], moved: set[str], listed: set[str]
) -> Iterator[Finding]:
    """A Penetapan DIK takes items out only in a `lift` commit, and an item it takes out
    without moving it is one under revision, classified public again, that the DIK in force
    still lists (its last established version was exempt)."""
    for item, path in sorted(removing.items()):
        if item in moved:
            continue
        where = step.item_paths.get(item, "")
        data = (step.objects.data_at(step.commit.sha, where) if where else None) or {}
        revision = data.get("revisi")
        under_revision = (
            data.get("status") in ("diklasifikasi", "ditentukan")
            and isinstance(revision, int)
            and revision > 0
            and data.get("kategori") in model.CATEGORIES
            and data.get("kategori") != model.EXEMPT
        )
        if step.commit.action != "lift" or not under_revision or item not in listed:
            params = (("decree", path.rsplit("/", 1)[-1].removesuffix(".yaml")), ("number", "-"))
            yield Finding(
                step.commit.sha, where or path, item, "lift", "verify.lift_decree", params
            )


@rule("dip-dik")
def no_item_in_both_lists(step: Step) -> Iterator[Finding]:
    """No item is ever in both the DIP in force (the lampiran of the SK DIP in force) and
    the DIK in force (that of the Penetapan DIK in force): the head's DIP decree cannot
    undo the PPID's penetapan (Perki 1/2017 Pasal 4 ayat 3-4), so an exempt item enters the
    DIP only after `dipctl lift`, and a listed public item enters the DIK only after a DIP
    decree without it. Judged at every commit that changes a decree (the lists in force
    change nowhere else), naming the item and both decrees."""
    changes = _decree_changes(step)
    if not changes:
        return
    found = chain.overlap(decrees_at(step, step.commit.sha))
    if found is None:
        return
    dip, dik, shared = found
    earlier = chain.overlap(decrees_at(step, _parent(step)))
    known = set(earlier[2]) if earlier is not None else set()
    where = next((c.path for c in changes if c.new is not None), changes[0].path)
    for item in shared:
        if item not in known:
            params = (("dip", dip.number or dip.id), ("dik", dik.number or dik.id))
            yield Finding(step.commit.sha, where, item, "dip-dik", "verify.dip_dik", params)
