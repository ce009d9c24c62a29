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
    return reg


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone()


@app.command()
@reports_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder repositori baru.")],
    agency: Annotated[str, typer.Option("--agency", help="Nama badan publik.")],
    head_name: Annotated[str, typer.Option("--head-name", help="Nama kepala badan.")],
    head_email: Annotated[str, typer.Option("--head-email", help="Email kepala badan.")],
    place: Annotated[str, typer.Option("--place", help="Kedudukan (kota).")] = "",
    lang: LangOpt = None,
) -> None:
    """Membuat register baru: repositori git, register/, alur CI, commit pertama oleh kepala.

    Example: dipctl init dip --agency "Biro Organisasi" --head-name N --head-email k@x.go.id
    """
    from dipctl import steps  # GitPython is loaded only by the commands that commit

    root = steps.init(steps.InitOptions(directory, agency, head_name, head_email, place))
    ui.print_result(str(root))
    ui.print_message(Translator(lang)("done.init", path=root))


@app.command()
@reports_errors
def new(
    unit: Annotated[str, typer.Option("--unit", help="Kunci unit di register.yaml.")],
    title: Annotated[str, typer.Option("--title", help="Judul informasi.")],
    summary: Annotated[str, typer.Option("--summary", help="Ringkasan isi informasi.")] = "",
    responsible: Annotated[str, typer.Option("--responsible", help="Penanggung jawab.")] = "",
    made: Annotated[str, typer.Option("--made", help='Waktu pembuatan: "2025", "2025-03".')] = "",
    place: Annotated[str, typer.Option("--place", help="Tempat pembuatan.")] = "",
    form: Annotated[list[str] | None, typer.Option("--form", help="softcopy|hardcopy")] = None,
    retention: Annotated[str, typer.Option("--retention", help="Retensi arsip.")] = "",
    item_id: Annotated[str | None, typer.Option("--id", help="Id (default: dari judul).")] = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 1: mencatat informasi baru sebagai draf, di-commit sebagai kasubbag unitnya.

    Example: dipctl new --unit bagian-kelembagaan --title "Renja 2027" --as kasubbag@x.go.id
    """
    from dipctl import steps

    reg = _register(register)
    spec = steps.NewItem(
        unit, title, summary, responsible, made, place, form or (), retention, item_id
    )
    item = steps.new(reg, spec, as_)
    ui.print_result(item)
    ui.print_message(
        Translator(lang)("done.new", id=item, path=reg.relative(reg.item_path(unit, item)))
    )


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
    if as_json:
        ui.print_json({**item.to_public_dict(), "berkas": reg.relative(item.path)})
    else:
        ui.print_item(Translator(lang), reg, item)


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
    tr = Translator(lang)
    written = site.build(reg, actions.load_items(reg), out, tr.lang)
    ui.print_message(tr("done.build", count=len(written), path=out))


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
