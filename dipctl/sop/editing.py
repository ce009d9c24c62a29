"""``dipctl edit``: an item's content fields set without an editor, as one commit.

Only the officer that the item's status names may edit it (SPEC.md section 2, "Who may
edit"): the kasubbag of its unit in ``draf``/``dikembalikan``, the sekretaris in
``diajukan``, the PPID Pembantu in ``diteruskan``. Every value is checked as ``validate``
checks it before anything is written (:func:`checked`); the file keeps its comments and key
order; an edit that changes nothing makes no commit. The commit carries ``DIP-Action: edit``
and the editor's role, and ``verify`` holds it to the same rules as a hand edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.errors import Incomplete, NotAuthorized, Refused, UsageError
from dipctl.register import editable, model, roundtrip, store
from dipctl.register.checks import _shown
from dipctl.register.editable import BY_KEY, Editable
from dipctl.sop import edits, exemption_input, kelengkapan, workflow
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from dipctl.register.config import Register
    from dipctl.register.records import Item, Person


@dataclass(frozen=True)
class Edited:
    item: str
    commit: str  # "" when nothing changed (no commit)
    keys: tuple[str, ...]


def assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``--set KEY=VALUE`` options: each KEY a content field (``dokumen.tautan``)."""
    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise UsageError("edit.set_syntax", value=_shown(pair))
        field_key(key)
        found[key] = value
    return found


def field_key(key: str) -> Editable:
    """The editable field ``key``; a managed or otherwise-set field is refused by name. A key
    of the consequence test (``pengecualian.pasal``) is the PPID Pembantu's (:func:`edit`)."""
    if key.startswith(exemption_input.PREFIX):
        return test_field(exemption_input.key_of(key))
    if key in editable.MANAGED or key.split(".")[0] in editable.MANAGED:
        raise Refused("edit.managed_field", key=key, hint="hint.managed_field")
    if key.split(".")[0] in editable.SET_ELSEWHERE:
        command = editable.SET_ELSEWHERE[key.split(".")[0]]
        raise UsageError("edit.set_elsewhere", key=key, command=command)
    if key not in BY_KEY:
        allowed = ", ".join(f.key for f in editable.EDITABLE)
        raise UsageError("edit.unknown_field", key=_shown(key), allowed=allowed)
    return BY_KEY[key]


def test_field(key: str) -> Editable:
    """A key of the consequence test as an editable field (set with ``--set``)."""
    return Editable(f"{exemption_input.PREFIX}{key}", "--set", "exemption", False)


def field_of(key: str) -> Editable:
    return BY_KEY[key] if key in BY_KEY else field_key(key)


def checked_value(field: Editable, text: str | list[str]) -> Any:
    """What ``text`` becomes in the file, or :class:`UsageError` saying what is wrong."""
    for part in text if isinstance(text, list) else [text]:
        kelengkapan.check_option_text(field.option, part)
    if field.kind == "exemption":  # judged with the rest of the test by :func:`edit`
        value = exemption_input.value_of(field.path[1], text)
        if value is None:
            raise UsageError("exemption.edit_empty", key=field.key)
        return value
    value = editable.value_of(field, text)
    refuse_bad(field, value, field.option)
    return value


def refuse_bad(field: Editable, value: Any, source: str) -> None:
    """:class:`UsageError` naming ``source`` (an option or a file) when ``value`` is not
    one ``field`` takes."""
    verdict = editable.verdict(field, value)
    if verdict is not None:
        reason, params = verdict
        raise UsageError(
            "edit.bad_value",
            option=source,
            field=field.key,
            reason=reason,
            reason_params={k: _shown(v) for k, v in params.items()},
        )


def checked(changes: Mapping[str, str | list[str]]) -> dict[str, Any]:
    """Every change checked (the first bad one refuses all): key -> value (None: remove)."""
    return {key: checked_value(field_key(key), text) for key, text in changes.items()}


def editor_role(reg: Register, item: Item, person: Person) -> str:
    """The role ``person`` edits ``item`` as, or a refusal naming its status, who may edit
    it and the command."""
    role = workflow.EDITORS.get(item.status)
    if role is None:
        nxt = "; ".join(
            f"{t.role}: {workflow.USAGE[t.action].format(id=item.id)}"
            for t in workflow.next_moves(item.status)
        )
        raise Refused(
            "edit.refused_status", id=item.id, status=item.status, next=nxt or "-", hint=_hint(item)
        )
    if not person.may_act_for(role, item.unit):
        who = ", ".join(p.email for p in reg.settings.people_with(role, item.unit))
        raise NotAuthorized(
            "edit.refused_role",
            id=item.id,
            status=item.status,
            role=role,
            unit=item.unit,
            email=person.email,
            who=who or "-",
            hint="hint.edit_as",
        )
    return role


def _hint(item: Item) -> str:
    return "hint.edit_revise" if item.status in model.ESTABLISHED else "hint.edit_later"


def may_edit(reg: Register, item_id: str, as_email: str | None) -> Item:
    """The item, when the acting officer may edit it now (asked before the questions)."""
    session = Session(reg, as_email)
    item = session.items([item_id])[0]
    session.hand_edits([item])
    editor_role(reg, item, session.person)
    return item


def edit(
    reg: Register,
    item_id: str,
    values: Mapping[str, Any],
    as_email: str | None,
    when: dt.datetime | None = None,
) -> Edited:
    """Set ``values`` (from :func:`checked`) on the item, as one commit by its editor."""
    session = Session(reg, as_email)
    with session.locked():
        item = session.items([item_id])[0]
        hand = session.hand_edits([item])  # first: a status forged by hand is refused here,
        role = editor_role(reg, item, session.person)  # never taken for the item's real one
        for found in hand:
            edits.check_editor(found, session.person)
        for key, value in values.items():
            field = field_of(key)
            if value is None and field.required and item.status not in model.EDITABLE_DRAFT:
                raise Incomplete("edit.required", id=item.id, key=key, status=item.status)
        data = roundtrip.load_for_edit(item.path)
        changed = [k for k, v in values.items() if editable.current(data, field_of(k)) != v]
        if not changed and not hand:
            return Edited(item.id, "", ())
        _check_test(reg, item, role, data, {k: values[k] for k in changed}, when)
        for key in changed:
            _apply(data, field_of(key), values[key])
        text = roundtrip.dump(data) if changed else store.read_text(item.path)
        keys = tuple(dict.fromkeys([*changed, *(k for e in hand for k in e.keys)]))
        sha = session.commit_edit(item.path, item.id, role, keys, text, when)
        return Edited(item.id, sha, keys)


def _check_test(
    reg: Register,
    item: Item,
    role: str,
    data: Any,
    values: Mapping[str, Any],
    when: dt.datetime | None,
) -> None:
    """Changes to the consequence test: by the PPID Pembantu, to a test the item has, and
    bringing no problem it did not have (the rules of ``classify``)."""
    prefix = exemption_input.PREFIX
    keys = {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)}
    if not keys:
        return
    if role != "ppid_pembantu":
        raise Refused(
            "exemption.edit_not_ppid", id=item.id, status=item.status, hint="hint.edit_test"
        )
    now = data.get("pengecualian")
    if not isinstance(now, dict) or not now:
        raise Refused("exemption.edit_no_test", id=item.id, hint="hint.not_exempt")
    before = {str(k): v for k, v in now.items()}
    today = when.date() if when else exemption_input.today()
    earlier = exemption_input.problems(reg, before, today)
    found = [
        p for p in exemption_input.problems(reg, {**before, **keys}, today) if p not in earlier
    ]
    if found:
        key, rule, params = found[0]
        raise UsageError(
            "edit.bad_value",
            option="--set",
            field=f"{exemption_input.PREFIX}{key}",
            reason=rule,
            reason_params={k: _shown(v) for k, v in params.items()},
        )


def current_test(item: Item) -> dict[str, Any]:
    """The item's consequence test as its file holds it ({} when it has none)."""
    data = store.load(item.path)
    test = data.get("pengecualian") if isinstance(data, dict) else None
    return {str(k): v for k, v in test.items()} if isinstance(test, dict) else {}


def _apply(data: Any, field: Editable, value: Any) -> None:
    """Set (or, for None, remove) one field in the round-trip mapping (a ruamel
    ``CommentedMap`` from :func:`roundtrip.load_for_edit`), comments kept."""
    if len(field.path) == 1:
        if value is None:
            data.pop(field.key, None)
        else:
            roundtrip.set_value(data, field.key, value, model.ITEM_KEYS)
        return
    outer, inner = field.path
    parent: Any = data.get(outer)
    if not isinstance(parent, dict):
        if value is None:
            return
        roundtrip.set_value(data, outer, {inner: value}, model.ITEM_KEYS)
        return
    if value is None:
        parent.pop(inner, None)
        if not parent:
            data.pop(outer, None)
    else:
        order = model.EXEMPTION_KEYS if outer == "pengecualian" else model.DOCUMENT_KEYS
        roundtrip.set_value(data[outer], inner, value, order)


def current_values(item: Item) -> dict[str, Any]:
    """Each editable field's value in the item file now (None: missing)."""
    data = store.load(item.path)
    data = data if isinstance(data, dict) else {}
    return {f.key: editable.current(data, f) for f in editable.EDITABLE}


def checked_unit(reg: Register, text: str) -> str:
    """A unit key of register.yaml, as ``new --unit`` takes it."""
    unit = text.strip()
    if unit not in reg.settings.units:
        raise UsageError(
            "usage.bad_choice",
            option="--unit",
            value=_shown(unit),
            choices=", ".join(sorted(reg.settings.units)),
        )
    return unit
