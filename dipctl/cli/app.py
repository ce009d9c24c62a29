"""The command line: parse options, call one use-case, render, exit (SPEC.md section 5)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from dipctl import actions, schema, ui
from dipctl.config import Register, find_register
from dipctl.errors import DipctlError, ExitCode, UsageError
from dipctl.i18n import Translator
from dipctl.model import Item

app = typer.Typer(
    name="dipctl",
    help="Daftar Informasi Publik (UU 14/2008) sebagai register git / as a git register.",
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
        help="Folder register (berisi register.yaml); default: DIPCTL_REGISTER "
        "atau register/ di repositori git ini.",
    ),
]
AsOpt = Annotated[
    str | None,
    typer.Option(
        "--as", help="Email pejabat yang bertindak; default: DIPCTL_AS atau git user.email."
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help="Bahasa keluaran: id (default) atau en; juga DIPCTL_LANG."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Keluaran JSON.")]

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """The one error boundary: DipctlError -> its exit code, ^C -> 130, a bug -> 5."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        tr = Translator(kwargs.get("lang"))
        try:
            return func(*args, **kwargs)
        except DipctlError as exc:
            ui.print_error(tr, exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:  # `dipctl list | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.OK)) from None
        except KeyboardInterrupt:
            ui.print_message(tr("error.interrupted"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except typer.Exit:
            raise
        except Exception as exc:
            ui.print_message(tr("error.internal", detail=f"{type(exc).__name__}: {exc}"))
            if os.environ.get("DIPCTL_DEBUG"):
                traceback.print_exc()
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]


def _register(option: Path | None) -> Register:
    reg = find_register(option)
    _ = reg.settings  # register.yaml must at least load
    if reg.git_dir is not None and (reg.git_dir / "dipctl" / "journal.json").exists():
        from dipctl.gitrepo import Repository  # a killed step left work: finish it first

        repo = Repository(reg.root)
        with repo.lock():
            repo.recover()
    return reg


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()


@app.command("list")
@reports_errors
def list_(
    status: Annotated[str | None, typer.Option("--status", help="Saring menurut status.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Saring menurut unit.")] = None,
    category: Annotated[str | None, typer.Option("--category", help="Saring: kategori.")] = None,
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Daftar informasi dalam register, dengan saringan status, unit dan kategori.

    Example: dipctl list --status diajukan --json
    """
    reg = _register(register)
    items = actions.list_items(reg, status, unit, category)
    if as_json:
        ui.print_json([item.to_public_dict() for item in items])
    else:
        ui.print_items(Translator(lang), items)


@app.command()
@reports_errors
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Menampilkan satu informasi dengan seluruh kolomnya.

    Example: dipctl show bo-renstra-2025-2029
    """
    reg = _register(register)
    item = actions.find_item(reg, item_id)
    entries = _trail(reg, item)
    tr = Translator(lang)
    if as_json:
        ui.print_json(
            {
                **item.to_public_dict(),
                "berkas": reg.relative(item.path),
                "riwayat": [ui.history_document(e) for e in entries],
            }
        )
    else:
        ui.print_item(tr, reg, item)
        ui.print_result("")
        ui.print_history(tr, entries)


def _trail(reg: Register, item: Item) -> list[Any]:
    """The item's trail from git, or none when the register is not in a repository."""
    from dipctl import history
    from dipctl.gitrepo import Repository

    if reg.git_dir is None:
        return []
    return history.trail(Repository(reg.root), item)


@app.command()
@reports_errors
def history(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Riwayat satu informasi: siapa mengambil langkah apa, sebagai peran apa, kapan, commit.

    Example: dipctl history bo-renstra-2025-2029
    """
    reg = _register(register)
    entries = _trail(reg, actions.find_item(reg, item_id))
    if as_json:
        ui.print_json([ui.history_document(e) for e in entries])
    else:
        ui.print_history(Translator(lang), entries)


@app.command()
@reports_errors
def status(
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Jumlah per status dan per unit, siapa yang ditunggu, dan apa yang terlambat.

    Example: dipctl status
    """
    reg = _register(register)
    report = actions.status(reg, _now().date())
    if as_json:
        ui.print_json(ui.status_document(Translator(lang), report))
    else:
        ui.print_status(Translator(lang), reg, report)


@app.command()
@reports_errors
def validate(
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Memeriksa setiap berkas register; tiap masalah sebagai berkas:baris: kolom: pesan.

    Example: dipctl validate --lang en
    """
    reg = find_register(register)
    problems = actions.validate(reg)
    tr = Translator(lang)
    if as_json:
        ui.print_json([ui.problem_document(tr, p) for p in problems])
    else:
        ui.print_problems(tr, problems)
    if problems:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@app.command()
@reports_errors
def verify(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Periksa hanya commit setelah REV (untuk pull request)."),
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", help="Tampilkan penjelasan satu aturan.")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text, json atau github.")] = "text",
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Membuktikan dari riwayat git bahwa setiap langkah diambil oleh pejabat yang berhak.

    Example: dipctl verify --format github
    """
    from dipctl import audit, rules  # noqa: F401  (rules registers itself on audit.RULES)

    tr = Translator(lang)
    if explain is not None:
        text = audit.explain(explain)
        if text is None:
            raise UsageError(
                "usage.bad_choice",
                option="--explain",
                value=explain,
                choices=", ".join(audit.RULES),
            )
        ui.print_result(f"{explain}\n\n{text}")
        return
    if output not in ("text", "json", "github"):
        raise UsageError(
            "usage.bad_choice", option="--format", value=output, choices="text, json, github"
        )
    reg = _register(register)
    report = audit.verify(reg, since)
    ui.print_report(tr, report, "json" if as_json else output)
    if report.findings:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@app.command()
@reports_errors
def sla(
    register: RegisterOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Waktu setiap langkah SOP dari riwayat git, dibandingkan dengan mutu baku.

    Example: dipctl sla --json
    """
    from dipctl import sla as timing

    reg = _register(register)
    tr = Translator(lang)
    report = timing.measure(reg, _now().date())
    if as_json:
        ui.print_json(timing.to_document(tr, report))
    else:
        for line in timing.render_text(tr, report):
            ui.print_result(line)
    if report.missed:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@app.command("schema")
@reports_errors
def schema_(
    kind: Annotated[str, typer.Argument(help="informasi, register, rapat atau keputusan.")] = (
        "informasi"
    ),
    lang: LangOpt = None,
) -> None:
    """Mencetak JSON Schema berkas register (default: berkas informasi), untuk editor dan CI.

    Example: dipctl schema > register/informasi.schema.json
    """
    if kind not in schema.KINDS:
        raise UsageError(
            "usage.bad_choice", option="KIND", value=kind, choices=", ".join(schema.KINDS)
        )
    sys.stdout.write(schema.schema_text(schema.KINDS[kind]))


@app.command()
@reports_errors
def build(
    out: Annotated[Path, typer.Option("--out", help="Folder keluaran.")] = Path("site"),
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membangun situs statis dari informasi yang telah ditetapkan.

    Example: dipctl build --out site
    """
    from dipctl import site  # jinja2 is loaded only when a site is built

    reg = _register(register)
    written = site.build(reg, out)
    ui.print_message(Translator(lang)("done.build", count=len(written), path=out))


def main() -> None:
    app()


from dipctl import cli_exchange, cli_sop  # noqa: E402  (register their commands on `app`)

__all__ = ["app", "cli_exchange", "cli_sop", "main"]


if __name__ == "__main__":  # pragma: no cover
    main()
