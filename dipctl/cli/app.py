"""The typer application, the options every command shares, and the one error boundary.

The commands themselves live beside this module, one module per group (SPEC.md section 5).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from dipctl.cli import coercion, commands, stopping, ui
from dipctl.cli.commands import LazyGroup
from dipctl.errors import DipctlError, ExitCode
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from typer import _click

    from dipctl.register.config import Register


coercion.install()  # text and path options without pydantic


class Root(LazyGroup):
    """dipctl itself: each command built by typer from what its module registered on
    :data:`app`, once that module is imported (the first time the command is used)."""

    def build(self, name: str) -> _click.core.Command | None:
        import importlib

        import typer.main

        module = commands.module_of(name)
        if module is None:
            return None
        importlib.import_module(module)
        for info in app.registered_commands:
            if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:  # type: ignore[union-attr]
                return typer.main.get_command_from_info(
                    info,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                )
        for group in app.registered_groups:
            if typer.main.solve_typer_info_defaults(group).name == name:
                return typer.main.get_group_from_info(
                    group,
                    pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode,
                    suggest_commands=app.suggest_commands,
                )
        return None


app = typer.Typer(
    name="dipctl",
    cls=Root,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
)

RegisterOpt = Annotated[
    Path | None,
    typer.Option(
        "--register",
        "-C",
        help="Folder register (berisi register.yaml); bawaan: DIPCTL_REGISTER "
        "atau register/ di repositori git ini.",
    ),
]
AsOpt = Annotated[
    str | None,
    typer.Option(
        "--as", help="Email pejabat yang bertindak; bawaan: DIPCTL_AS atau git user.email."
    ),
]
ReaderAsOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Email pejabat; diterima oleh setiap perintah, tetapi perintah ini hanya membaca "
        "dan hasilnya sama bagi siapa pun.",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="Bahasa keluaran: id (bawaan) atau en; juga DIPCTL_LANG."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Keluaran JSON.")]
WideOpt = Annotated[
    bool,
    typer.Option("--wide", help="Semua kolom dan teks utuh, satu baris per baris tabel."),
]


def _print_version(value: bool) -> None:
    if value:
        from dipctl import __version__  # not importlib.metadata: a start-up of its own

        ui.print_result(f"dipctl {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    lang: LangOpt = None,
    version: Annotated[
        bool,
        typer.Option("--version", help="Versi dipctl.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Daftar Informasi Publik (UU 14/2008) sebagai register git.

    --lang berlaku di mana pun ia ditulis: dipctl --lang en status sama dengan
    dipctl status --lang en.
    """


F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """The one error boundary: DipctlError -> its exit code, ^C -> 130, a bug -> 5."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tr = Translator(kwargs.get("lang"))
        _opened.clear()
        try:
            result = func(*args, **kwargs)
            _hint_lag(tr)
            _warn_broken(tr)
            return result
        except DipctlError as exc:
            _hint_lag(tr)
            _warn_broken(tr, exc)
            ui.print_error(tr, exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:  # `dipctl list | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except KeyboardInterrupt:
            stopping.hold()
            ui.print_message(tr("error.interrupted"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except typer.Exit:
            raise
        except Exception as exc:
            ui.print_message(tr("error.internal", detail=f"{type(exc).__name__}: {exc}"))
            if os.environ.get("DIPCTL_DEBUG"):
                traceback.print_exc()
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        finally:
            stopping.release()

    return wrapper  # type: ignore[return-value]


#: The register the running command opened, for the warnings of :func:`_warn_broken`.
_opened: list[Register] = []


def _warn_broken(tr: Translator, shown: DipctlError | None = None) -> None:
    """Name on stderr every file the command left out because it cannot be read."""
    for reg in _opened:
        errors = [e for e in reg.__dict__.get("broken", {}).values() if e is not shown]
        for exc in errors:
            ui.print_warning(tr, exc)
        if errors:
            ui.print_message(f"{tr('label.hint')}: {tr('hint.broken_left_out', count=len(errors))}")
    _opened.clear()


def _hint_lag(tr: Translator) -> None:
    """Issue 14.1: for the register the command read, say on stderr when the clone is
    behind its upstream (as of the last fetch) or has commits not pushed yet."""
    for reg in dict.fromkeys(_opened):
        hint_lag(tr, reg)


def hint_lag(tr: Translator, reg: Register) -> None:
    from dipctl.share.lag import lag

    found = lag(reg.git_dir, reg.work_tree)
    if found is not None and found.behind:
        fetched = tr("sync.fetched_at", when=found.fetched) if found.fetched else ""
        text = tr("sync.behind", count=found.behind, upstream=found.upstream, fetched=fetched)
        ui.print_message(f"{tr('label.hint')}: {text}")
    if found is not None and found.ahead:
        text = tr("sync.ahead", count=found.ahead, upstream=found.upstream)
        ui.print_message(f"{tr('label.hint')}: {text}")


def _register(option: Path | None) -> Register:
    from dipctl.cli import answers
    from dipctl.register.config import find_register

    reg = find_register(option)
    _opened.append(reg)
    answers.note(reg, option)
    _ = reg.settings  # register.yaml must at least load
    if reg.git_dir is not None:
        from dipctl.sop import recovery

        if recovery.pending(reg.git_dir):  # a killed step left work: finish it first,
            from dipctl.gitrepo import Repository  # (GitPython: only then)

            recovery.recover_if_free(Repository(reg.root))  # unless a live step holds the lock
    return reg


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()
