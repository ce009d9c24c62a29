"""The rules of ``dipctl verify``, one function each; the docstring is the documentation
that ``dipctl verify --explain RULE`` prints (SPEC.md section 4)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dipctl.proof.registry import rule
from dipctl.proof.step import SIGNERS_FILE, Finding, ItemChange, Step
from dipctl.register import model
from dipctl.sop import kelengkapan, workflow
from dipctl.sop.edits import MANAGED as MANAGED_FIELDS

#: The fields that are no content (`edit`), and those only their step changes (`managed`).
_NOT_CONTENT = frozenset((*MANAGED_FIELDS, "unit"))
_MANAGED_BUT_STATUS = frozenset(MANAGED_FIELDS) - {"status"}

if TYPE_CHECKING:
    from collections.abc import Iterator


@rule("transition")
def illegal_transition(step: Step) -> Iterator[Finding]:
    """A status changes only along the SOP's table (SPEC.md section 2): draf -> diajukan by
    submit, diajukan -> diteruskan or dikembalikan by review, and so on; a new item starts
    as draf. A change of `status` that no step makes (by hand, or a jump), and a change
    whose `DIP-Action` names another step or one that does not exist, are reported with
    the item, the commit and the two statuses. A step back is legal only as `dipctl undo`
    (`DIP-Action: undo`, checked by the `undo` rule), never implied by a status change."""
    for change in step.items:
        if change.after is None or not change.moved:
            continue
        if change.transition is None:  # what the trailers claim, or else what it implies
            yield step.finding(
                change,
                "transition",
                "verify.transition",
                source=change.status_before or "-",
                target=change.status_after,
                action=step.commit.action or "-",
            )


@rule("trailers")
def trailers_match_the_diff(step: Step) -> Iterator[Finding]:
    """A commit that moves items says so in its trailers: `DIP-Action` names the step,
    `DIP-Role` the role it was taken as, and one `DIP-Item` per item whose status the
    commit changes, no more and no fewer. A `dipctl edit` commit (`DIP-Action: edit`) moves
    no item: its `DIP-Item` trailers name the items whose content it changes, and its
    `DIP-Role` the editor of their status; an event that moves no item, `present`, names the
    items it concerns and is checked by its own rule. A forged or missing trailer is
    reported."""
    moved = sorted(c.id for c in step.items if c.moved and c.after is not None)
    claimed = sorted(set(step.commit.items))
    commit = step.commit
    if commit.action == workflow.EDIT:  # `dipctl edit`: names the items it edits, as editor
        yield from _edit_trailers(step, claimed)
        return
    if workflow.event(commit.action) is not None:  # names items, moves none: `present`
        claimed = []
    if not moved and not claimed:
        return
    if not commit.action:
        yield step.finding(None, "trailers", "verify.trailers_missing", items=", ".join(moved))
        return
    if moved != claimed:
        yield step.finding(
            None,
            "trailers",
            "verify.trailers_items",
            claimed=", ".join(claimed) or "-",
            moved=", ".join(moved) or "-",
        )
    for change in step.items:
        t = change.transition
        if change.moved and change.after is not None and t is not None and t.role != commit.role:
            yield step.finding(
                change, "trailers", "verify.trailers_role", role=commit.role or "-", expected=t.role
            )


def _edit_trailers(step: Step, claimed: list[str]) -> Iterator[Finding]:
    edited = sorted(c.id for c in step.items if c.before and c.after and c.changed())
    if edited != claimed:
        yield step.finding(
            None,
            "trailers",
            "verify.edit_trailers_items",
            claimed=", ".join(claimed) or "-",
            edited=", ".join(edited) or "-",
        )
    for change in step.items:
        editor = workflow.EDITORS.get(change.status_before)
        if change.id in claimed and editor is not None and editor != step.commit.role:
            yield step.finding(
                change,
                "trailers",
                "verify.trailers_role",
                role=step.commit.role or "-",
                expected=editor,
            )


@rule("role")
def role_held_at_the_parent(step: Step) -> Iterator[Finding]:
    """Each step is taken by someone who held its role (a kasubbag: for the item's unit) in
    the register.yaml of the commit's parent, so a role granted in the same commit does not
    count. Commits by people who are not in register.yaml at all are reported here too."""
    for change in step.items:
        t = change.transition or change.implied  # a mislabelled step is judged as what it does
        if t is None or change.after is None:
            continue
        author = step.author
        if author is None or not author.may_act_for(t.role, change.unit):
            yield step.finding(
                change,
                "role",
                "verify.role",
                email=step.commit.author_email,
                role=t.role,
                unit=change.unit,
                action=t.action,
            )


@rule("edit")
def content_edited_by_its_editor(step: Step) -> Iterator[Finding]:
    """Content (every field but those dipctl manages) is edited only while SPEC.md allows:
    by the kasubbag of the unit in draf or dikembalikan, the sekretaris in diajukan, the
    PPID Pembantu in diteruskan; step 3 itself sets kategori and pengecualian. Nobody edits
    an item that is diklasifikasi, ditentukan, ditetapkan, diunggah or dicabut. An item's
    unit is set once, by `dipctl new` (its `unit` and its folder `informasi/<unit>/`):
    changing the field or moving the file to another unit's folder, alone or inside a
    step, is reported (a unit's items are judged by that unit's officers)."""
    for change in step.items:
        if change.moved_unit:
            yield step.finding(
                change,
                "edit",
                "verify.unit_moved",
                before=(change.old_path or change.path).rsplit("/", 2)[-2],
                after=str((change.after or {}).get("unit") or "-"),
                email=step.commit.author_email,
            )
        if change.before is None or change.after is None:
            continue
        allowed = change.sets()
        content = sorted(change.changed() - allowed - _NOT_CONTENT)
        if not content:
            continue
        editor = workflow.EDITORS.get(change.status_before)
        author = step.author
        if editor is None or author is None or not author.may_act_for(editor, change.unit):
            yield step.finding(
                change,
                "edit",
                "verify.edit",
                keys=", ".join(content),
                status=change.status_before,
                editor=editor or "-",
                email=step.commit.author_email,
            )


@rule("managed")
def managed_fields_only_by_commands(step: Step) -> Iterator[Finding]:
    """`catatan`, `rapat`, `keputusan` and `revisi` change only with the step that sets
    them (a return note, the meeting, the decree, a revision); `status` only by a step."""
    for change in step.items:
        if change.before is None or change.after is None:
            continue
        allowed = change.sets()
        keys = sorted((change.changed() & _MANAGED_BUT_STATUS) - allowed)
        if keys:
            yield step.finding(change, "managed", "verify.managed", keys=", ".join(keys))


@rule("people")
def people_changed_by_a_kepala(step: Step) -> Iterator[Finding]:
    """Only a kepala (in the parent's register.yaml) changes who may act: `orang`, the
    trust settings `tanda_tangan` and `verifikasi`, and the officers' signing keys in
    `penanda-tangan` (the head's steps `dipctl officer` and `dipctl key add`, or a kepala's
    commit by hand)."""
    keys = step.register_changed(("orang", "tanda_tangan", "verifikasi"))
    signers = f"{step.prefix}{SIGNERS_FILE}"
    if any(c.path == signers for c in step.commit.changes):
        keys.append(SIGNERS_FILE)
    author = step.author
    if keys and (author is None or "kepala" not in author.roles):
        yield step.finding(
            None, "people", "verify.people", keys=", ".join(keys), email=step.commit.author_email
        )


@rule("establish-record")
def established_with_meeting_and_decree(step: Step) -> Iterator[Finding]:
    """An item becomes ditetapkan only with a meeting record (`rapat/<id>.yaml`) that lists
    it as ditentukan and a decree (`keputusan/<id>.yaml`) that lists it, both present in the
    same commit's tree: a public item a DIP decree, an exempt item a Penetapan DIK (jenis
    `penetapan-dik`, after the head's approval). Only an exempt item is disetujui."""
    for change in step.items:
        if change.after is None or not change.moved:
            continue
        exempt = change.after.get("kategori") == model.EXEMPT
        if change.status_after == model.Status.APPROVED.value and not exempt:
            yield step.finding(change, "establish-record", "verify.approved_public")
        if change.status_after != "ditetapkan":
            continue
        where = f"{step.prefix}{model.MEETINGS_DIR}/{change.after.get('rapat')}.yaml"
        decided = _decided(step, step.objects.blob_at(step.commit.sha, where))
        where = f"{step.prefix}{model.DECREES_DIR}/{change.after.get('keputusan')}.yaml"
        listed, kind = _listed(step, step.objects.blob_at(step.commit.sha, where))
        if decided.get(change.id) != "ditentukan":
            yield step.finding(
                change,
                "establish-record",
                "verify.no_meeting",
                meeting=change.after.get("rapat") or "-",
            )
        right_kind = (kind == model.DIK_KIND) == exempt
        if change.id not in listed or not right_kind:
            yield step.finding(
                change,
                "establish-record",
                "verify.no_dik" if exempt else "verify.no_decree",
                decree=change.after.get("keputusan") or "-",
            )


def _decided(step: Step, blob: str | None) -> dict[str, Any]:
    """What a meeting record decided of each item (once per version of the record)."""
    key = ("meeting", blob)
    if key not in step.objects.derived:
        meeting = step.objects.data(blob) or {}
        step.objects.derived[key] = {
            str(r.get("informasi")): r.get("keputusan")
            for r in meeting.get("hasil") or []
            if isinstance(r, dict)
        }
    found: dict[str, Any] = step.objects.derived[key]
    return found


def _listed(step: Step, blob: str | None) -> tuple[set[str], Any]:
    """The items a decree lists (those that a str can equal: each id) and its jenis (once
    per version of the decree)."""
    key = ("decree", blob)
    if key not in step.objects.derived:
        decree = step.objects.data(blob) or {}
        listed = [
            *(decree.get("lampiran") or []),
            *(decree.get("menetapkan") or []),
            *(decree.get("informasi") or []),
        ]
        step.objects.derived[key] = ({i for i in listed if isinstance(i, str)}, decree.get("jenis"))
    found: tuple[set[str], Any] = step.objects.derived[key]
    return found


@rule("exemption")
def exempt_with_consequence_test(step: Step) -> Iterator[Finding]:
    """An item classified dikecualikan carries a complete consequence test (`pengecualian`:
    pasal, dasar_hukum, bagian, konsekuensi_dibuka, konsekuensi_ditutup, kepentingan_publik,
    alasan, jangka_waktu, berakhir, tanggal_uji, penguji), with a Pasal 17 letter a–j and
    `permanen` only for g–j. A test written before these keys existed (only dasar_hukum,
    konsekuensi_dibuka, konsekuensi_ditutup, jangka_waktu, berakhir, all filled in) is
    accepted in the history: `validate` asks for the rest in the files of today."""
    for change in step.items:
        after = change.after
        if after is None or after.get("kategori") != model.EXEMPT:
            continue
        if after.get("status") not in model.CLASSIFIED_ON:
            continue
        test = after.get("pengecualian")
        test = test if isinstance(test, dict) else {}
        gaps = kelengkapan.exemption_gaps(test)
        if gaps and not _legacy_complete(test):
            yield step.finding(change, "exemption", "verify.exemption", keys=", ".join(gaps))


def _legacy_complete(test: dict[str, Any]) -> bool:
    return set(test) == set(model.LEGACY_EXEMPTION_KEYS) and not any(
        key in kelengkapan.exemption_gaps(test) for key in model.LEGACY_EXEMPTION_KEYS
    )


@rule("id-reuse")
def ids_never_reused(step: Step) -> Iterator[Finding]:
    """An id names one item for the register's whole life: a new item file with the id of
    one deleted earlier is reported (its history would be mistaken for the new item's)."""
    for change in step.items:
        if change.before is None and change.after is not None and change.id in step.deleted_ids:
            yield step.finding(
                change, "id-reuse", "verify.id_reuse", deleted=step.deleted_ids[change.id][:10]
            )


@rule("deleted")
def items_leave_by_their_steps(step: Step) -> Iterator[Finding]:
    """An item file is deleted only while it is a draft (`draf`), by the kasubbag of its
    unit: once submitted it has a trail, and an established item (ditetapkan, diunggah)
    leaves the DIP only by `dipctl withdraw`, which keeps its file as dicabut. Deleting
    any other item's file is reported."""
    for change in step.items:
        if change.after is not None or change.before is None:
            continue
        author = step.author
        own_draft = (
            change.status_before == model.Status.DRAFT.value
            and author is not None
            and author.may_act_for("kasubbag", change.unit)
        )
        if not own_draft:
            yield step.finding(
                change,
                "deleted",
                "verify.deleted",
                status=change.status_before or "-",
                email=step.commit.author_email,
            )


@rule("signature")
def signed_when_required(step: Step) -> Iterator[Finding]:
    """When the parent's register.yaml says `tanda_tangan: {wajib: true}`, every commit is
    signed with an SSH key that the parent's `register/penanda-tangan` (git's
    allowed-signers file) lists for the author's email, and the signature verifies; a key
    replaced later does not undo the signatures it made."""
    if step.settings is None or not step.settings.signing_required:
        return
    status, signer = step.signature
    if status != "G" or signer.lower() != step.commit.author_email:
        yield step.finding(
            None,
            "signature",
            "verify.signature",
            status=status,
            signer=signer or "-",
            email=step.commit.author_email,
        )


@rule("root")
def one_trust_root(step: Step) -> Iterator[Finding]:
    """A register has exactly one root: its first commit (made by `dipctl init`; HEAD's
    first-parent line ends there), or the commit that `verifikasi.sejak` names. Any other
    commit without a parent (an orphan branch merged with `--allow-unrelated-histories`,
    with or without `DIP-Action: init`) is reported; it is never trusted, and the rules
    judge its content as if it were added in one ordinary commit, so nothing it brings
    counts as established."""
    if not step.commit.parents and not step.root:
        yield step.finding(None, "root", "verify.root", action=step.commit.action or "-")


def imported_new(step: Step, change: ItemChange) -> bool:
    """An item file that a kepala's import may add: no item ever had its id before."""
    return change.before is None and change.after is not None and change.id not in step.known_ids


@rule("import")
def import_adds_only_new_items(step: Step) -> Iterator[Finding]:
    """A kepala's `dipctl import` is trusted only to add items whose id no earlier commit
    had. Changing an existing item, moving it to another unit's folder, changing its
    status, reviving a withdrawn or deleted one, or deleting one in an import commit is
    reported, and every other rule judges those items as in an ordinary commit."""
    if not step.imported:
        return
    for change in step.items:
        if not imported_new(step, change):
            yield step.finding(
                change,
                "import",
                "verify.import",
                source=change.status_before or "-",
                target=change.status_after or "-",
            )


@rule("date")
def dates_do_not_go_backwards(step: Step) -> Iterator[Finding]:
    """A commit's committer date is not earlier than the commit it builds on: a step dated
    before the one it follows is backdated (or made on a wrong clock), and its times
    cannot be trusted for the mutu baku (`dipctl sla` does not measure such a step). The
    author date is when the officer took the step, on their laptop's clock (kept when
    `dipctl sync` replays it); the committer date orders the chain (docs/security.md)."""
    latest = max(step.parent_times, default=0)
    if step.commit.time and step.commit.time < latest:
        parent = dt.datetime.fromtimestamp(latest, dt.UTC).isoformat()
        date = step.commit.committed or step.commit.date
        yield step.finding(None, "date", "verify.date", date=date, parent=parent)
