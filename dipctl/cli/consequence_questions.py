"""The consequence test asked on a terminal: ``dipctl classify ID --category dikecualikan``
without a complete test, and ``dipctl edit ID --all`` of an item that has one.

Each key of the test is asked in the file's order, in plain words (the Pasal 17 letters
listed and explained; the officers of ``orang`` numbered for the participants), and each
answer is checked at once against the answers before it, by the same rules as ``--set`` and
``--exemption`` (:mod:`dipctl.sop.exemption_input`); a wrong answer is asked again with the
reason. The whole sheet is then shown for confirmation before anything is written; Ctrl-C,
the end of input or "batal" stop with exit 130 and nothing written.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import TYPE_CHECKING, Any

import typer

from dipctl.cli import prompts, stopping, ui
from dipctl.errors import Interrupted, UsageError
from dipctl.register import exemption, model
from dipctl.sop import exemption_input as given_test

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from dipctl.i18n import Translator
    from dipctl.register.config import Register
    from dipctl.register.records import Item

KEYS = model.EXEMPTION_KEYS
_NUMBERS_RE = re.compile(r"^[0-9][0-9,\s]*$")
YES = ("ya", "y", "yes")
#: The widest line the questions print (a laptop terminal).
WIDTH = 80
CANCEL = ("batal", "tidak", "t", "n", "no", "cancel")


def ask_tests(
    tr: Translator, reg: Register, ids: Sequence[str], given: given_test.TestInput, as_: str | None
) -> given_test.TestInput:
    """``classify --category dikecualikan`` on a terminal: for each item whose test (its
    own, or ``--exemption``'s, with ``--set``'s keys) is missing, incomplete or wrong, the
    questions and the sheet; the answered tests replace the others. A complete test is
    taken as off a terminal (a README block pasted into a terminal never stops at a
    question it did not expect)."""
    from dipctl.sop import steps

    items = steps.may_classify(reg, ids, as_)
    today = given_test.today()
    answered: dict[str, given_test.Given] = {}
    for item in items:
        start = given_test.test_for(reg, item, given)
        if not given_test.problems(reg, start.test, today):
            continue
        ui.print_message("")
        _say(tr("exemption.q.heading", id=item.id, title=item.title))
        test = ask_test(tr, reg, {k: v for k, v in start.test.items() if k in KEYS}, today)
        answered[item.id] = given_test.Given(test, {}, tr("exemption.q.answers"))
    return given_test.TestInput(given.file, given.pairs, answered)


def ask_test(tr: Translator, reg: Register, test: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Ask each key of ``test`` that is missing or wrong (every key when none is given),
    then show the whole sheet until the officer saves it."""
    test = dict(test)
    while True:
        for key in _to_ask(reg, test, today):
            test[key] = ask_key(tr, reg, key, test, today)
        choice = _confirm(tr, reg, test)
        if choice is None:
            return test
        test[choice] = ask_key(tr, reg, choice, test, today)


def _to_ask(reg: Register, test: dict[str, Any], today: dt.date) -> list[str]:
    wrong = {key for key, _rule, _params in given_test.problems(reg, test, today)}
    return [k for k in KEYS if k in wrong]


def ask_key(tr: Translator, reg: Register, key: str, test: dict[str, Any], today: dt.date) -> Any:
    """One key of the test, asked until its answer fits the answers before it."""
    before = {k: v for k, v in test.items() if k != key}
    current = test.get(key)
    if current not in (None, "", []):
        found = given_test.new_problems(reg, before, key, current, today)
        if found:
            ui.print_message("")
            ui.print_message(f"{tr('label.error')}: {_said(tr, found[0])}")
            current = None  # not offered again as the default
    if key == "pasal":
        _show_letters(tr)
    if key == "penguji":
        _show_officers(tr, reg)

    def check(text: str) -> Any:
        value = given_test.value_of(key, _officers(reg, text) if key == "penguji" else text)
        if value is None:
            raise UsageError("exemption.q.required")
        found = given_test.new_problems(reg, before, key, value, today)
        if found:
            rule, params = found[0][1], found[0][2]
            raise UsageError(rule, **params)
        return value

    default = _default(key, test, current, today)
    return prompts.ask(tr, f"pengecualian.{key}", check, default=default)


def _say(text: str, indent: int = 0) -> None:
    """One line, wrapped to the terminal (at most :data:`WIDTH`), continued under its text."""
    width = min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns)
    lead = len(text) - len(text.lstrip())
    ui.print_message(
        textwrap.fill(text, width, subsequent_indent=" " * (lead + indent), break_long_words=False)
    )


def _said(tr: Translator, problem: exemption.TestProblem) -> str:
    return tr(problem[1], **problem[2])


def _default(key: str, test: dict[str, Any], current: Any, today: dt.date) -> str | None:
    """What Enter gives: the value there is, else a likely one (None: an answer is needed)."""
    if current not in (None, "", []):
        return "; ".join(current) if isinstance(current, list) else str(current)
    letter = exemption.letter(test.get("pasal"))
    if key == "dasar_hukum" and letter:
        return f"UU 14/2008 Pasal 17 huruf {letter}"
    if key == "bagian":
        return model.WHOLE
    if key == "tanggal_uji":
        return today.isoformat()
    return None


def _show_letters(tr: Translator) -> None:
    ui.print_message("")
    _say(tr("exemption.q.letters"))
    for letter in model.EXEMPTION_LETTERS:
        mark = tr("exemption.q.may_be_permanent") if letter in model.PERMANENT_LETTERS else ""
        _say(f"  {letter}. {tr('exemption.letter.' + letter)}{mark}", 3)


def _show_officers(tr: Translator, reg: Register) -> None:
    ui.print_message("")
    _say(tr("exemption.q.officers"))
    for number, person in enumerate(reg.settings.people, start=1):
        roles = ", ".join(tr(f"role.{r}") for r in person.roles)
        _say(f"  {number}. {person.name} <{person.email}> ({roles})", 3)


def _officers(reg: Register, text: str) -> list[str]:
    """The participants typed: numbers of the officers listed (``1, 3``), e-mails, and guests
    as "Nama — Jabatan", separated by ``;`` (or by commas when there is no ``;``)."""
    people = reg.settings.people
    chosen: list[str] = []
    for part in given_test.split_list(text):
        if not _NUMBERS_RE.match(part):
            chosen.append(part)
            continue
        for number in re.split(r"[,\s]+", part.strip(", ")):
            if not 1 <= int(number) <= len(people):
                raise UsageError("exemption.q.no_such_officer", number=number, count=len(people))
            chosen.append(people[int(number) - 1].email)
    return list(dict.fromkeys(chosen))


# -- the sheet -----------------------------------------------------------------------------


def show_sheet(tr: Translator, reg: Register, test: dict[str, Any]) -> None:
    """The whole test, one numbered key a line (the numbers choose a key to change)."""
    ui.print_message("")
    ui.print_message(tr("exemption.q.sheet"))
    for number, key in enumerate(KEYS, start=1):
        value = test.get(key)
        label = tr(f"field.pengecualian.{key}")
        if key == "penguji":
            ui.print_message(f"  {number:>2}. {label}:")
            for tester in value or []:
                _say(f"        - {_tester(reg, tester)}", 2)
            continue
        _say(f"  {number:>2}. {label}: {value if value is not None else '-'}", 4)


def _tester(reg: Register, tester: str) -> str:
    person = reg.settings.person(tester) if "@" in tester else None
    if person is None:
        return tester
    return f"{person.name} — {person.position} <{person.email}>" if person.position else tester


def _confirm(tr: Translator, reg: Register, test: dict[str, Any]) -> str | None:
    """Show the sheet; None when the officer saves it, else the key they want to change."""
    show_sheet(tr, reg, test)
    while True:
        answer = _prompt(tr, tr("exemption.q.confirm", count=len(KEYS))).strip().lower()
        if answer in YES:
            return None
        if answer in CANCEL:
            stopping.hold()
            raise Interrupted("prompt.interrupted")
        if answer.isdigit() and 1 <= int(answer) <= len(KEYS):
            return KEYS[int(answer) - 1]
        if answer.removeprefix(given_test.PREFIX) in KEYS:
            return answer.removeprefix(given_test.PREFIX)
        ui.print_message(tr("exemption.q.confirm_again", count=len(KEYS)))


def _prompt(tr: Translator, text: str) -> str:
    try:
        return str(typer.prompt(text, err=True))
    except typer.Abort:
        stopping.hold()  # a second Ctrl-C must not cut the way out short
        raise Interrupted("prompt.interrupted") from None


def ask_edit(tr: Translator, reg: Register, item: Item) -> dict[str, Any]:
    """``dipctl edit ID --all`` of an item with a test: each key asked with its value as
    the default, then the sheet; the changed keys as ``pengecualian.KEY`` -> value."""
    from dipctl.sop import editing, workflow

    now = editing.current_test(item)
    if not now or workflow.EDITORS.get(item.status) != "ppid_pembantu":
        return {}
    today = given_test.today()
    ui.print_message("")
    _say(tr("exemption.q.edit_heading", id=item.id))
    test = dict(now)
    for key in KEYS:
        test[key] = ask_key(tr, reg, key, test, today)
    while (choice := _confirm(tr, reg, test)) is not None:
        test[choice] = ask_key(tr, reg, choice, test, today)
    return {f"{given_test.PREFIX}{k}": v for k, v in test.items() if now.get(k) != v}
