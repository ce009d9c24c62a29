"""The rules of ``dipctl verify``, one function each; the docstring is the documentation
that ``dipctl verify --explain RULE`` prints (SPEC.md section 4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dipctl.proof import owners
from dipctl.proof.step import SIGNERS_FILE, Finding, Step
from dipctl.register import model
from dipctl.sop import kelengkapan, workflow
from dipctl.sop.edits import MANAGED as MANAGED_FIELDS

Rule = Callable[[Step], Iterator[Finding]]
#: Every rule by its id, in the order they run and ``--explain`` lists them.
RULES: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES[rule_id] = func
        return func

    return register


#: The rules that still apply to a kepala's `dipctl import` commit: its items arrive
#: established (the trust root), but it may not delete established items, reuse ids,
#: change people unless a kepala, or go unsigned where signatures are required.
#: Its files are judged like any commit's (the decree it writes is its own).
IMPORT_CHECKED = (
    "people",
    "deleted",
    "id-reuse",
    "exemption",
    "decree",
    "meeting-record",
    "settings",
    "path",
    "signature",
)


def explain(rule_id: str) -> str | None:
    func = RULES.get(rule_id)
    return (func.__doc__ or "").strip() if func else None


def summary(rule_id: str) -> str:
    """The first sentence of a rule's documentation, on one line."""
    text = " ".join((explain(rule_id) or "").split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


@rule("transition")
def illegal_transition(step: Step) -> Iterator[Finding]:
    """A status changes only along the SOP's table (SPEC.md section 2): draf -> diajukan by
    submit, diajukan -> diteruskan or dikembalikan by review, and so on; a new item starts
    as draf. A change of `status` that no step makes (by hand, or a jump), and a change
    whose `DIP-Action` names another step or one that does not exist, are reported with
    the item, the commit and the two statuses."""
    for change in step.items:
        if change.after is None or not change.moved:
            continue
        if change.implied is None or (step.commit.action and change.transition is None):
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
    commit changes, no more and no fewer. A forged or missing trailer is reported."""
    moved = sorted(c.id for c in step.items if c.moved and c.after is not None)
    claimed = sorted(set(step.commit.items))
    if not moved and not claimed:
        return
    commit = step.commit
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
    an item that is diklasifikasi, ditentukan, ditetapkan, diunggah or dicabut."""
    for change in step.items:
        if change.before is None or change.after is None:
            continue
        allowed = change.sets()
        content = sorted(k for k in change.changed() - allowed - set(MANAGED_FIELDS))
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
        keys = sorted(k for k in change.changed() & set(MANAGED_FIELDS) - allowed - {"status"})
        if keys:
            yield step.finding(change, "managed", "verify.managed", keys=", ".join(keys))


@rule("people")
def people_changed_by_a_kepala(step: Step) -> Iterator[Finding]:
    """Only a kepala (in the parent's register.yaml) changes who may act: `orang`, the
    trust settings `tanda_tangan` and `verifikasi`, and the officers' signing keys in
    `penanda-tangan`."""
    before, after = step.register_before or {}, step.register_after or {}
    keys = [k for k in ("orang", "tanda_tangan", "verifikasi") if before.get(k) != after.get(k)]
    if step.register_after is None:
        keys = []
    if any(c.path == f"{step.prefix}{SIGNERS_FILE}" for c in step.commit.changes):
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
    same commit's tree."""
    for change in step.items:
        if change.after is None or change.status_after != "ditetapkan" or not change.moved:
            continue
        meeting = (
            step.objects.data_at(
                step.commit.sha,
                f"{step.prefix}{model.MEETINGS_DIR}/{change.after.get('rapat')}.yaml",
            )
            or {}
        )
        decided = {
            str(r.get("informasi")): r.get("keputusan")
            for r in meeting.get("hasil") or []
            if isinstance(r, dict)
        }
        decree = (
            step.objects.data_at(
                step.commit.sha,
                f"{step.prefix}{model.DECREES_DIR}/{change.after.get('keputusan')}.yaml",
            )
            or {}
        )
        if decided.get(change.id) != "ditentukan":
            yield step.finding(
                change,
                "establish-record",
                "verify.no_meeting",
                meeting=change.after.get("rapat") or "-",
            )
        if change.id not in (decree.get("informasi") or []):
            yield step.finding(
                change,
                "establish-record",
                "verify.no_decree",
                decree=change.after.get("keputusan") or "-",
            )


@rule("exemption")
def exempt_with_consequence_test(step: Step) -> Iterator[Finding]:
    """An item classified dikecualikan carries a complete consequence test (`pengecualian`:
    dasar_hukum, konsekuensi_dibuka, konsekuensi_ditutup, jangka_waktu, berakhir)."""
    for change in step.items:
        after = change.after
        if after is None or after.get("kategori") != model.EXEMPT:
            continue
        if after.get("status") not in model.CLASSIFIED_ON:
            continue
        test = after.get("pengecualian")
        gaps = kelengkapan.exemption_gaps(test if isinstance(test, dict) else {})
        if gaps:
            yield step.finding(change, "exemption", "verify.exemption", keys=", ".join(gaps))


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
def established_items_leave_by_withdraw(step: Step) -> Iterator[Finding]:
    """An established item (ditetapkan, diunggah) leaves the DIP only by `dipctl withdraw`,
    which keeps its file as dicabut; deleting the file is reported."""
    for change in step.items:
        if change.after is None and change.status_before in model.ESTABLISHED:
            yield step.finding(change, "deleted", "verify.deleted", status=change.status_before)


@rule("decree")
def decrees_written_once_by_their_step(step: Step) -> Iterator[Finding]:
    """A decree (`keputusan/<id>.yaml`) is written only by the step that makes it, in that
    step's commit: `establish`, `withdraw` or `import`, by a kepala (in the parent's
    register.yaml), and its id is the commit's `DIP-Decree` trailer. It is never changed or
    deleted afterwards: a new decree revokes or amends it. Any other file in `keputusan/` is
    reported too (`dipctl verify --explain all` shows who writes what)."""
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
    `mutu_baku`, `pemutakhiran`, `dasar_hukum` and every other section by a kepala (`orang`,
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
    """Every file under `register/` has an owner: register.yaml, `penanda-tangan`, the item
    files `informasi/<unit>/<id>.yaml`, `rapat/` and `keputusan/` have their own rules; the
    `*.schema.json` files of `dipctl init` are changed by a kepala, the site theme `tema/`
    (templates and static files) by a kepala or the PPID Pembantu. Any other file (notes, a
    file directly in `informasi/`, a non-yaml file in a unit's folder) is reported."""
    commit = step.commit
    for change in commit.changes:
        path = owners.relative(step, change.path)
        if path is None or (not step.prefix and path.startswith(".")):
            continue  # outside the register (a register at the top: .github/, .gitignore)
        row = owners.owner(path)
        if row is None and owners.area(path) == "path":
            key, roles = "verify.path_unowned", ""
        elif row is not None and row.rule == "path":
            if any(owners.holds(step, role) for role in row.roles):
                continue
            key, roles = "verify.path_role", ", ".join(row.roles)
        else:
            continue
        if owners.carried(step, change.path, change.new):
            continue
        params = (("email", commit.author_email), ("roles", roles))
        yield Finding(commit.sha, change.path, "", "path", key, params)


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
