"""The rule of ``dipctl verify`` for the recorded presentation of the draft decree
(``dipctl decree present``, :mod:`dipctl.sop.presentation`): the event that starts step 5's
clock, so a forged one would make the head's signature look faster than it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.proof import owners
from dipctl.proof.registry import rule
from dipctl.proof.step import Finding
from dipctl.register import model
from dipctl.sop import presentation, workflow

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from dipctl.proof.step import Step


@rule("present")
def presentation_recorded_by_the_ppid(step: Step) -> Iterator[Finding]:
    """The draft decree's presentation to the kepala (`DIP-Action: present`, written by
    `dipctl decree present`) starts step 5's clock (`dipctl sla`), so it is checked like a
    step: it is made by someone who holds `ppid_pembantu` in the parent's register.yaml,
    with `DIP-Role: ppid_pembantu`; it changes no item file and no other file than its one
    new record `penyampaian/<id>.yaml` (named by its `DIP-Presentation` trailer, never
    changed or deleted afterwards, written by no other step); it names at least one item
    (`DIP-Item`), each of them known and `ditentukan` at the parent, public for a draft SK
    DIP (`jenis: penetapan`) and `dikecualikan` for a draft Penetapan DIK (`jenis:
    penetapan-dik`); its record lists exactly those items, and the record's
    `lampiran_sha256` is the digest of its `lampiran` (the sorted ids, one per line) and
    equals the `DIP-Lampiran` trailer. For the DIK, the clock runs from this presentation
    through the head's approval to the Penetapan DIK (`exempt`)."""
    yield from owners.record_findings(step, "present")
    if step.commit.action != presentation.ACTION:
        return
    event = workflow.event(presentation.ACTION)
    assert event is not None
    commit = step.commit
    author = step.author
    if commit.role != event.role or author is None or not author.may_act_for(event.role):
        yield _found(
            step, _where(step), "", "verify.present_role", email=commit.author_email,
            role=commit.role or "-", expected=event.role,
        )  # fmt: skip
    records = []
    for change in commit.changes:
        path = owners.relative(step, change.path)
        if path is not None and path.startswith(f"{model.PRESENTATIONS_DIR}/"):
            if change.new is not None and change.old is None:
                records.append(change)
            continue
        yield _found(step, change.path, "", "verify.present_other", path=change.path)
    if len(records) != 1:
        yield _found(step, _where(step), "", "verify.present_no_record", count=len(records))
        return
    data = step.objects.data(records[0].new) or {}
    yield from _items(step, data, event)
    yield from _record(step, data)


def _where(step: Step) -> str:
    """The presentation's record file (or, when it wrote none, its folder)."""
    named = step.commit.trailers.get(presentation.RECORD_TRAILER, [""])[0]
    stem = named if model.ID_RE.fullmatch(named) else "<id>"
    return f"{step.prefix}{model.PRESENTATIONS_DIR}/{stem}.yaml"


def _found(step: Step, where: str, item_id: str, key: str, /, **params: Any) -> Finding:
    return Finding(step.commit.sha, where, item_id, "present", key, tuple(params.items()))


def _items(step: Step, data: dict[str, Any], event: workflow.Event) -> Iterator[Finding]:
    named = step.commit.items
    if not named:
        yield _found(step, _where(step), "", "verify.present_no_items")
    dik = data.get("jenis") == model.DIK_KIND
    parent = step.commit.parents[0] if step.commit.parents else None
    if parent:
        paths = (step.item_paths.get(item) for item in dict.fromkeys(named))
        step.objects.prefetch([(parent, path) for path in paths if path])
    for item in dict.fromkeys(named):
        path = step.item_paths.get(item)
        before = step.objects.data_at(parent, path) if parent and path else None
        if before is None:
            yield _found(step, _where(step), item, "verify.present_unknown", item=item)
            continue
        status = str(before.get("status") or "-")
        if status not in event.sources:
            yield _found(
                step, str(path), item, "verify.present_status", item=item, status=status,
                expected=", ".join(event.sources),
            )  # fmt: skip
        elif (before.get("kategori") == model.EXEMPT) != dik:
            yield _found(
                step, str(path), item, "verify.present_kind", item=item,
                kind=str(data.get("jenis") or "-"), category=str(before.get("kategori") or "-"),
            )  # fmt: skip


def _record(step: Step, data: dict[str, Any]) -> Iterator[Finding]:
    items = data.get("informasi")
    lampiran = data.get("lampiran")
    lampiran = [str(i) for i in lampiran] if isinstance(lampiran, list) else []
    digest = presentation.digest(lampiran)
    trailer = step.commit.trailers.get(presentation.DIGEST_TRAILER, [])
    problems = []
    if data.get("jenis") not in presentation.KINDS:
        problems.append("jenis")
    if not isinstance(items, list) or sorted(map(str, items)) != sorted(set(step.commit.items)):
        problems.append("informasi")
    if not set(step.commit.items) <= set(lampiran):
        problems.append("lampiran")
    if f"sha256:{data.get('lampiran_sha256')}" != digest or trailer != [digest]:
        problems.append("lampiran_sha256")
    if problems:
        yield _found(step, _where(step), "", "verify.present_record", keys=", ".join(problems))
