"""The command line: typer adapters only (SPEC.md section 5).

Each command parses its options, calls one function of the library, renders the result with
:mod:`dipctl.cli.ui` (fitted to the screen by :mod:`dipctl.cli.screen`) and exits with the
code of :mod:`dipctl.errors`.
Nothing here decides anything of the SOP. May import every other dipctl package; nothing
imports it. typer is imported only here.

A command's module is imported only when the command runs or its own ``--help`` is asked
(:mod:`dipctl.cli.commands` lists every command with its module and short help), so that
``dipctl --help`` and ``dipctl --version`` load none of the register's code; those two are
answered before typer itself is imported (:mod:`dipctl.cli.startup`), and so is a read
command whose kept answer still holds (:mod:`dipctl.cli.answers`). The typer application is
:data:`dipctl.cli.app.app`.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"] or "--help" in args[:3]:
        from dipctl.cli import startup

        if startup.answer(args, _run):
            sys.stdout.flush()
            return
    if args and (args[0] in _READS or args[0].startswith("--lang")):
        from dipctl.cli import answers

        if answers.command(args) is not None:
            try:
                if answers.replay(args):
                    return
            except KeyboardInterrupt:
                _interrupted(args)
            answers.run_kept(args, _run)
            return
    _run()


def _interrupted(args: list[str]) -> None:
    """Ctrl-C before a command ran: as the commands' own boundary says it, exit 130."""
    from dipctl.cli import stopping, ui
    from dipctl.errors import ExitCode
    from dipctl.i18n import Translator

    stopping.hold()
    lang = args[1] if args[:1] == ["--lang"] and len(args) > 1 else None
    if args[:1] and args[0].startswith("--lang="):
        lang = args[0].partition("=")[2]
    ui.print_message(Translator(lang)("error.interrupted"))
    raise SystemExit(int(ExitCode.INTERRUPTED))


#: The read commands whose answers :mod:`dipctl.cli.answers` keeps (checked here first, so
#: that no other command imports it).
_READS = frozenset({"history", "list", "show", "status", "validate"})


def _run() -> None:
    from dipctl.cli.app import app

    app()
