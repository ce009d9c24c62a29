"""The commands that read the history as proof: ``verify`` and ``sla``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl import i18n, layout
from dipctl.cli import screen, ui
from dipctl.cli.app import (
    JsonOpt,
    LangOpt,
    ReaderAsOpt,
    RegisterOpt,
    WideOpt,
    _register,
    app,
    reports_errors,
)
from dipctl.errors import ExitCode, UsageError
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Sequence


@app.command()
@reports_errors
def verify(
    since: Annotated[
        str | None,
        typer.Option("--since", help="Periksa hanya commit setelah REV (untuk pull request)."),
    ] = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            help="Tampilkan penjelasan satu aturan; `all`: semua aturan dan siapa menulis apa.",
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Periksa seluruh riwayat lagi, tanpa titik periksa lokal (untuk CI)."
        ),
    ] = False,
    output: Annotated[str, typer.Option("--format", help="text, json atau github.")] = "text",
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Membuktikan dari riwayat git bahwa setiap langkah diambil oleh pejabat yang berhak.

    Contoh: dipctl verify --format github
    """
    tr = Translator(lang)
    if explain in EXPLAIN_ALL:
        ui.print_result(explain_all(tr, screen.width()))
        return
    if explain is not None:
        text = rule_text(tr, explain)
        if text is None:
            from dipctl.proof import verify as audit

            raise UsageError(
                "usage.bad_choice",
                option="--explain",
                value=explain,
                choices=", ".join([*audit.RULES, EXPLAIN_ALL[0]]),
            )
        ui.print_result(f"{explain}\n\n{text}")
        return
    if output not in ("text", "json", "github"):
        raise UsageError(
            "usage.bad_choice", option="--format", value=output, choices="text, json, github"
        )
    from dipctl.cli.progress import Drawer, number

    reg = _register(register)
    shown = Drawer(tr, quiet=as_json or output != "text")  # json, github: machines read
    try:
        report = None
        if since is None and not full:  # HEAD's own checkpoint: answered without the rules
            from dipctl.proof import checkpoint

            report = checkpoint.answer(reg)
        if report is None:
            from dipctl.proof import verify as audit

            report = audit.verify(reg, since, resume=not full, save=since is None, progress=shown)
    finally:
        shown.stop()
    ui.print_report(tr, report, "json" if as_json else output)
    shown.finish("progress.figures.verify", commits=number(report.checked, tr.lang))
    if not reg.settings.signing_required:  # identity then rests on what people typed
        ui.print_message(f"{tr('label.warning')}: {tr('verify.unsigned_register')}")
    if report.findings:
        raise typer.Exit(int(ExitCode.PROBLEMS))


EXPLAIN_ALL = ("all", "rules")


def rule_text(tr: Translator, rule_id: str) -> str | None:
    """A rule's explanation in the chosen language: the ``rules`` phrasebook in Indonesian, the
    rule's own docstring in English (None: no such rule)."""
    from dipctl.proof import verify as audit

    english = audit.explain(rule_id)
    if english is None:
        return None
    translated = i18n.phrasebook("rules", tr.lang).get(rule_id)
    return " ".join((translated or english).split())


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _table(rows: Sequence[Sequence[str]], width: int | None, flex: int | None) -> list[str]:
    """Indented columns fitted to ``width``, nothing cut (:func:`dipctl.layout.table`)."""
    limit = None if width is None else width - 2
    return ["  " + line for line in layout.table(None, rows, limit, flex=flex, shorten=False)]


def explain_all(tr: Translator, width: int | None = None) -> str:
    """Every rule with its summary, and who writes which path by which step (generated
    from :mod:`dipctl.proof.owners`, so the documentation is the table itself)."""
    from dipctl.proof import owners
    from dipctl.proof import verify as audit

    lines = [tr("verify.explain_rules")]
    rules = [(r, first_sentence(rule_text(tr, r) or "")) for r in audit.RULES]
    lines += _table(rules, width, 1)
    head = tuple(tr(f"verify.explain_{k}") for k in ("path", "who", "step", "rule"))
    rows = [head]
    for row in owners.OWNERS:
        who, rule = ", ".join(row.roles) or "-", row.rule
        steps = ", ".join(a or tr("verify.explain_by_hand") for a in row.actions)
        if row.once:
            once = "verify.explain_replaced" if row.replaceable else "verify.explain_once"
            steps += f" ({tr(once)})"
        if row.rule == "settings":  # register.yaml: by section, in the table below
            roles = dict.fromkeys(r for s in owners.SECTIONS for r in s.roles)
            who, steps = ", ".join(roles), tr("verify.explain_per_section")
            rule = ", ".join(dict.fromkeys(s.rule for s in owners.SECTIONS))
        rows.append((row.pattern, who, steps or tr("verify.explain_by_sop"), rule))
    lines += ["", tr("verify.explain_owners"), *_table(rows, width, None)]
    lines.append(tr("verify.explain_unowned"))
    head = (tr("verify.explain_section"), head[1], head[3])
    sections = [(", ".join(s.keys) or tr("verify.explain_other"), ", ".join(s.roles), s.rule)
                for s in owners.SECTIONS]  # fmt: skip
    lines += ["", tr("verify.explain_sections"), *_table([head, *sections], width, None)]
    return "\n".join(lines)


@app.command()
@reports_errors
def sla(
    since: Annotated[
        str | None, typer.Option("--since", help="Hanya langkah sejak tanggal ini (ISO).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Hanya langkah sampai tanggal ini (ISO).")
    ] = None,
    every_step: Annotated[
        bool,
        typer.Option(
            "--steps", help="Tampilkan setiap langkah, bukan hanya yang perlu diperhatikan."
        ),
    ] = False,
    register: RegisterOpt = None,
    as_: ReaderAsOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
    wide: WideOpt = False,
) -> None:
    """Mutu baku: setiap langkah bermutu baku diukur dengan jamnya sendiri (langkah 4 dari
    tanggal rapat, 5 dari penyampaian draf SK, 6 dari SK), per langkah, unit dan pejabat.

    Tanpa --steps hanya langkah yang terlambat, bertanggal mundur atau tidak diukur yang
    dicantumkan, lalu ringkasannya.

    Contoh: dipctl sla --steps --since 2026-01-01
    """
    from dipctl.proof import sla as timing
    from dipctl.proof import sla_text

    start, end = _day("--since", since), _day("--until", until)
    reg = _register(register)
    tr = Translator(lang)
    report = timing.measure(reg, start, end)
    if as_json:
        ui.print_json(timing.to_document(report))
    else:
        fitted = None if wide else screen.width()
        print_line = ui.print_copy if wide else ui.print_result
        for line in sla_text.render_text(tr, report, every_step, fitted):
            print_line(line)
    if report.missed:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _day(option: str, value: str | None) -> dt.date | None:
    from dipctl.proof.renewal import option_day  # the same days as pemutakhiran --from/--to

    return None if value is None else option_day(option, value)
