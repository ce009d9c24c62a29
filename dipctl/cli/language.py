"""One language for the whole command line: our messages, the help, and the parser's words.

The language is chosen before the parser runs (``--lang`` wherever it stands, else
``DIPCTL_LANG``, else Indonesian), because help and parse errors are printed while parsing.
Help is written in Indonesian in the code and translated from the ``help`` phrasebook
(``dipctl/locales/help/en.yaml``, keyed by the Indonesian text, as gettext keys by the source).
The parser's own words are English: typer's headings go through gettext, which we point at the
``click`` phrasebook (``dipctl/locales/click/id.yaml``); the usage line, the help option and
the parser's error messages (typer vendors click without gettext) are translated where they are
written: in the help formatter, and from the printed error, template by template; the
usage line's placeholders (``[OPTIONS]``, ``<str>``, ``FILE``) word by word. Every command
also gets ``--verbose`` here (git's own words in messages, docs/glossary.md), and every group
``--lang``, so that both may stand anywhere on the line.
"""

from __future__ import annotations

import copy
import io
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Annotated, Any

import typer
import typer.main
from typer import _click
from typer.core import TyperGroup

from dipctl import i18n

#: The phrasebook the parser's words come from during this invocation (empty: English).
_book: dict[str, str] = {}


def chosen(args: Sequence[str]) -> str:
    """The language of this invocation: ``--lang X`` / ``--lang=X`` before ``--``, else the
    environment, else Indonesian."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return i18n.resolve_language(found)


def paragraphs(text: str) -> list[str]:
    """A help text's paragraphs, each with its line breaks folded into single spaces."""
    return [" ".join(part.split()) for part in text.split("\n\n")]


def translate_help(text: str, book: dict[str, str]) -> str:
    """A help text in the phrasebook's language, paragraph by paragraph; an example paragraph
    (``Contoh: dipctl …``) has only its first word translated."""
    if not book:
        return text
    out = []
    for para in paragraphs(text):
        word, _, rest = para.partition(" ")
        if para in book:
            out.append(book[para])
        elif word in book and word.endswith(":"):
            out.append(f"{book[word]} {rest}")
        else:
            out.append(para)
    return "\n\n".join(out)


def _install(lang: str) -> None:
    """Point typer's gettext at the ``click`` phrasebook of ``lang`` (English: unchanged)."""
    import gettext

    import typer.core

    _book.clear()
    _book.update(i18n.phrasebook("click", lang))
    typer.core._ = parser_word if _book else gettext.gettext  # type: ignore[attr-defined,assignment]


def parser_word(text: str) -> str:
    """One of the parser's texts in the language of this invocation."""
    return _book.get(text, text)


@cache
def _template(source: str) -> re.Pattern[str]:
    """``"No such option: {name}"`` -> a pattern capturing ``name``."""
    parts = re.split(r"\{(\w+)\}", source)
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(pattern, re.DOTALL)


def translate_message(text: str, depth: int = 0) -> str:
    """A printed parser message in this invocation's language: the first phrasebook template
    that matches the whole text, its fields translated in turn (``Invalid value for X: …``)."""
    if text in _book:
        return _book[text]
    if depth > 2:
        return text
    for source, target in _book.items():
        if "{" not in source:
            continue
        found = _template(source).fullmatch(text)
        if found:
            fields = {
                k: _quoted(translate_message(v, depth + 1)) for k, v in found.groupdict().items()
            }
            try:
                return target.format(**fields)
            except (KeyError, IndexError, ValueError):
                return text
    return text


def _quoted(text: str) -> str:
    """A parameter named in a message (``'DECREE_ID'``) as the usage line names it."""
    return re.sub(r"'([^'\s]+)'", lambda found: f"'{placeholders(found.group(1))}'", text)


def show_error(error: _click.exceptions.ClickException) -> None:
    """Print a parse error as the parser would, line by line in this invocation's language."""
    buffer = io.StringIO()
    error.show(file=buffer)
    lines = buffer.getvalue().splitlines()
    sys.stderr.write("".join(translate_message(line) + "\n" for line in lines))


class LocalizedFormatter(_click.formatting.HelpFormatter):
    """The help formatter, with the usage prefix and the help option in this language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = parser_word("Usage: ") if prefix is None else prefix
        super().write_usage(prog, placeholders(args), prefix)

    def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        rows = [(placeholders(a), parser_word(b)) for a, b in rows]
        super().write_dl(rows, *args, **kwargs)


_BRACKETS = re.compile(r"^([\[{<]?)(.*?)((?:\.\.\.)?[\]}>]?(?:\.\.\.)?)$")


def placeholders(text: str) -> str:
    """The usage line's and the parameter list's placeholders in this invocation's language:
    ``[OPTIONS]``, ``COMMAND``, ``{FILE.pdf}``, ``<str>``, one word at a time (the phrasebook
    holds each word with its brackets, as printed, or bare)."""

    def word(found: re.Match[str]) -> str:
        whole = found.group(0)
        if whole in _book:
            return _book[whole]
        opening, bare, closing = _BRACKETS.match(whole).groups()  # type: ignore[union-attr]
        return f"{opening}{_book.get(bare, bare)}{closing}" if bare in _book else whole

    return re.sub(r"\S+", word, text) if _book else text


class LocalizedContext(_click.core.Context):
    formatter_class = LocalizedFormatter


#: ``--verbose``, accepted by every command (and ``dipctl --verbose COMMAND``).
VERBOSE_HELP = "Sertakan rincian teknis git (kode commit, cabang di server, ref, pengaturan git)."


def _detail(value: bool) -> None:
    if value:
        i18n.use_detail(True)


@cache
def _templates() -> dict[str, _click.core.Parameter]:
    """``--verbose`` for every command, and a hidden ``--lang`` for the groups (already
    chosen in :func:`chosen`, accepted there so that it may stand anywhere on the line), built
    by typer as any option; each command gets its own copy, its help translated in place."""
    helper = typer.Typer()

    @helper.command()
    def options(
        verbose: Annotated[
            bool,
            typer.Option("--verbose", help=VERBOSE_HELP, callback=_detail, expose_value=False),
        ] = False,
        lang: Annotated[str | None, typer.Option("--lang", hidden=True, expose_value=False)] = None,
    ) -> None:
        """Only its options are used."""

    params = typer.main.get_command(helper).params
    return {name: param for param in params for name in getattr(param, "opts", ())}


def shared_options(cmd: _click.core.Command) -> None:
    """Give ``cmd`` the options that stand anywhere on the line: ``--verbose`` on every
    command, ``--lang`` on the groups that do not declare it (once: commands are reused)."""
    names = {name for param in cmd.params for name in getattr(param, "opts", ())}
    templates = _templates()
    if "--verbose" not in names:
        cmd.params.append(copy.copy(templates["--verbose"]))
    if "--lang" not in names and getattr(cmd, "commands", None):
        cmd.params.append(copy.copy(templates["--lang"]))


def localize(command: _click.core.Command, lang: str) -> None:
    """Translate the help of ``command`` and every subcommand into ``lang``, in place."""
    book = i18n.phrasebook("help", lang)
    for cmd in walk(command, built_only=True):
        shared_options(cmd)
        cmd.context_class = LocalizedContext
        if cmd.help:
            cmd.help = translate_help(cmd.help, book)
        for param in cmd.params:
            text = getattr(param, "help", None)
            if text:
                param.help = translate_help(text, book)  # type: ignore[attr-defined]


def walk(command: _click.core.Command, built_only: bool = False) -> Iterator[_click.core.Command]:
    """``command`` and all its subcommands, depth first, in name order; ``built_only``: only
    those a lazy group has built (:mod:`dipctl.cli.commands`), else every one."""
    yield command
    subcommands: dict[str, _click.core.Command] = getattr(command, "commands", {})
    if built_only:
        subcommands = getattr(subcommands, "loaded", subcommands)
    for name in sorted(subcommands):
        yield from walk(subcommands[name], built_only)


@contextmanager
def speaking(args: Sequence[str]) -> Iterator[str]:
    """For one invocation: the chosen language for dipctl's messages and click's."""
    lang = chosen(args)
    i18n.use_language(lang)
    i18n.use_detail(False)
    _install(lang)
    try:
        yield lang
    finally:
        i18n.use_language(None)
        i18n.use_detail(False)


class LocalizedGroup(TyperGroup):
    """dipctl's top-level group: chooses the language before click parses the arguments.

    A command registered under two words (``meeting attach``) is found by both, although
    the first word is a command of its own that takes ids (``dipctl meeting ID…``), and is
    listed right after it."""

    #: The language of the running invocation (None outside one).
    language: str | None = None

    def resolve_command(
        self, ctx: _click.core.Context, args: list[str]
    ) -> tuple[str | None, _click.core.Command | None, list[str]]:
        if len(args) >= 2 and f"{args[0]} {args[1]}" in self.commands:
            name = f"{args[0]} {args[1]}"
            return name, self.commands[name], args[2:]
        return super().resolve_command(ctx, args)

    def list_commands(self, ctx: _click.core.Context) -> list[str]:
        """In the help, a two-word command right after the command of its first word."""
        names = list(self.commands)  # the names only: a lazy group builds none for a list
        ordered = [n for n in names if " " not in n]
        for name in (n for n in names if " " in n):
            first = name.split(" ", 1)[0]
            ordered.insert(ordered.index(first) + 1 if first in ordered else len(ordered), name)
        return ordered

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        extra["standalone_mode"] = False  # errors are printed below, in the chosen language
        with speaking(argv) as lang:
            self.language = lang
            localize(self, lang)
            try:
                result = super().main(argv, *rest, **extra)
            except _click.exceptions.ClickException as error:
                show_error(error)
                sys.exit(error.exit_code)
            except typer.Abort:
                sys.stderr.write(parser_word("Aborted!") + "\n")
                sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
