"""Questions on a terminal: ``dipctl edit``, ``dipctl new`` and ``dipctl init`` without their
field options.

Each question shows the field's explanation and its allowed values, checks the answer with
the function it is given (the same checks as the options), and asks again after a bad
answer. Questions and their explanations go to stderr, so stdout keeps only the result.
Ctrl-C or the end of input stops with :class:`~dipctl.errors.Interrupted` (exit 130) before
anything is written.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from dipctl.cli import stopping, ui
from dipctl.errors import DipctlError, Interrupted, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from dipctl.i18n import Translator
    from dipctl.register import editable
    from dipctl.register.config import Register

T = TypeVar("T")
SKIP: Any = object()  # an empty answer to a question that may stay empty


def on_terminal() -> bool:
    """Questions are asked only when a person sits at the terminal (stdin is one)."""
    return sys.stdin.isatty()


def ask(
    tr: Translator,
    key: str,
    check: Callable[[str], T],
    *,
    choices: Sequence[str] = (),
    many: bool = False,
    default: str | None = None,
) -> T:
    """Ask for field ``key`` until ``check`` accepts the answer; ``default`` is what Enter
    gives (None: an answer is required); ``many``: several ``choices`` may be given."""
    ui.print_message("")
    ui.print_message(f"{tr('field.' + key)} — {tr('explain.' + key)}")
    if choices:
        offer = "prompt.choices_many" if many else "prompt.choices"  # one, or several
        ui.print_message(f"  {tr(offer, choices=', '.join(choices))}")
    if default == "":
        ui.print_message(f"  {tr('prompt.skip')}")
    while True:
        try:
            answer = typer.prompt(
                tr("field." + key), default=default, show_default=bool(default), err=True
            )
        except typer.Abort:
            stopping.hold()  # a second Ctrl-C must not cut the way out short
            raise Interrupted("prompt.interrupted") from None
        try:
            return check(str(answer))
        except DipctlError as exc:
            message, _hint = ui.error_text(tr, exc)
            ui.print_message(f"{tr('label.error')}: {message}")
            ui.print_message(tr("prompt.again"))


def missing(values: dict[str, Any]) -> list[str]:
    """The Perki fields still empty, which the questions ask for without ``--all``."""
    from dipctl.register import editable

    return [f.key for f in editable.EDITABLE if f.required and values.get(f.key) is None]


def ask_fields(
    tr: Translator,
    values: dict[str, Any],
    every: bool,
    check: Callable[[editable.Editable, str], Any],
) -> dict[str, Any]:
    """The Perki fields still missing (or, with ``every``, each editable field, the current
    value as the default): field key -> checked value, leaving out skipped questions."""
    from dipctl.register import editable

    answers: dict[str, Any] = {}
    for field in editable.EDITABLE:
        now = values.get(field.key)
        if not every and (now is not None or not field.required):
            continue

        def checked(text: str, field: editable.Editable = field) -> Any:
            if not text.strip() and field.key != "judul":
                return SKIP
            return check(field, text)

        shown = editable.shown(now)
        answer = ask(
            tr,
            field.key,
            checked,
            choices=field.choices,
            many=field.kind == "forms",
            default=shown or "",
        )
        if answer is not SKIP and not (every and shown and answer == now):
            answers[field.key] = answer
    return answers


def ask_new(tr: Translator, reg: Register, unit: str | None, title: str | None) -> tuple[str, str]:
    """``dipctl new``'s required options: asked on a terminal when not given, else a usage
    error naming the option (as before, for scripts); the editing checks load only to ask."""
    for option, value in (("--unit", unit), ("--title", title)):
        if value is None and not on_terminal():
            raise UsageError("usage.missing_option", option=option)
    if unit is None or title is None:
        from dipctl.sop import editing
    if unit is None:
        units = sorted(reg.settings.units)
        unit = ask(tr, "unit", lambda text: editing.checked_unit(reg, text), choices=units)
    if title is None:
        from dipctl.register import editable

        judul = editable.BY_KEY["judul"]
        title = str(ask(tr, "judul", lambda text: editing.checked_value(judul, text)))
    return unit, title


def ask_form(tr: Translator, given: dict[str, str | None]) -> dict[str, str]:
    """``dipctl init``'s agency form (attribute -> value, "" where left out): each option not
    given is asked on a terminal, checked as ``validate`` would (an empty answer leaves it
    out); off a terminal nothing is asked."""
    from dipctl.sop import bootstrap

    form = {attr: value or "" for attr, value in given.items()}
    missing = [f for f in bootstrap.FORM if given.get(f.attr) is None]
    if not missing or not on_terminal():
        return form
    ui.print_message("")
    ui.print_message(tr("prompt.form_heading"))
    for field in missing:

        def checked(text: str, field: bootstrap.FormField = field) -> str:
            return bootstrap.checked_form_value(field, text)

        form[field.attr] = ask(tr, f"init.{field.attr}", checked, default="")
    return form
