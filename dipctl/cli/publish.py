"""The command that renders what the public sees: ``build``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.i18n import Translator


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
    from dipctl.publish import site  # jinja2 is loaded only when a site is built

    reg = _register(register)
    written = site.build(reg, out)
    ui.print_message(Translator(lang)("done.build", count=len(written), path=out))
