"""The commands that read the history as proof: ``verify`` and ``sla``."""

from __future__ import annotations

from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import JsonOpt, LangOpt, RegisterOpt, _now, _register, app, reports_errors
from dipctl.errors import ExitCode, UsageError
from dipctl.i18n import Translator


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
    from dipctl.proof import verify as audit

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
    from dipctl.proof import sla as timing

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
