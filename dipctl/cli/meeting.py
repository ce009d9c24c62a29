"""``dipctl meeting``: step 4, the joint meeting that determines the DIP, its record
(``rapat/<id>.yaml``) and its berita acara.

The time (``--time``) and the chair (``--chair``) of a new meeting are required (SPEC.md
section 2); on a terminal the ones not given are asked, else the step is refused naming the
option (exit 3).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.cli.sop import DateOpt, IdsArg, NoteOpt, _report
from dipctl.errors import UsageError
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.register.config import Register

TimeOpt = Annotated[str, typer.Option("--time", help='Pukul rapat dimulai, misalnya "09:00".')]
ChairOpt = Annotated[
    str,
    typer.Option(
        "--chair", help='Pimpinan rapat: email pejabat di register, atau "Nama — Jabatan" tamu.'
    ),
]


@app.command()
@reports_errors
def meeting(
    ids: IdsArg = None,
    date: DateOpt = "",
    time: TimeOpt = "",
    place: Annotated[str, typer.Option("--place", help="Tempat rapat.")] = "",
    chair: ChairOpt = "",
    attendee: Annotated[list[str] | None, typer.Option("--attendee", help="Email peserta.")] = None,
    softcopy: Annotated[str, typer.Option("--softcopy", help="Tempat softcopy.")] = "",
    hardcopy: Annotated[str, typer.Option("--hardcopy", help="Tempat hardcopy.")] = "",
    reject: Annotated[
        list[str] | None, typer.Option("--reject", help="Id yang dikembalikan.")
    ] = None,
    minutes: Annotated[Path | None, typer.Option("--minutes", help="Berkas teks notulen.")] = None,
    number: Annotated[
        str, typer.Option("--number", help="Nomor berita acara (boleh kosong).")
    ] = "",
    guest: Annotated[
        list[str] | None,
        typer.Option("--guest", help='Peserta di luar register: "Nama — Jabatan".'),
    ] = None,
    message: NoteOpt = "",
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Langkah 4: PPID Pembantu mencatat rapat bersama yang menentukan DIP, dengan berita acara.

    Di terminal, --time dan --chair yang tidak diberikan ditanyakan.

    Contoh: dipctl meeting bo-renja-2027 --date 2026-11-25 --time 09:00 --place "Ruang Rapat"
    --chair sekretaris@x.go.id --attendee ppid@x.go.id --attendee sekretaris@x.go.id
    --softcopy "Folder PPID" --hardcopy "Lemari 1" --number "005/BA-PPID/XI/2026"
    --guest "Ahmad — Komisi Informasi"
    """
    import functools

    from dipctl.publish import letterhead, minutes_paper  # jinja2: loaded only to print paper
    from dipctl.sop import decision, inputs

    reg = _register(register)
    text = minutes.read_text(encoding="utf-8") if minutes and minutes.is_file() else ""
    if minutes and not minutes.is_file():
        raise UsageError("usage.no_file", option="--minutes", value=minutes)
    tr = Translator(lang)
    time, chair = _ask_missing(tr, reg, time, chair)
    spec = inputs.MeetingSpec(
        date,
        place,
        attendee or [],
        softcopy,
        hardcopy,
        reject or [],
        message,
        text,
        number,
        guest or [],
        time=time,
        chair=chair,
    )
    logo = letterhead.logo_uri(reg)
    printer = functools.partial(minutes_paper.render_minutes, lang=tr.lang, logo=logo)
    _report(lang, reg, decision.meeting(reg, ids or [], spec, as_, printer))


def _ask_missing(tr: Translator, reg: Register, time: str, chair: str) -> tuple[str, str]:
    """The time and the chair, asked on a terminal when not given (checked as the options
    are); without a terminal they stay empty and the step names the missing option."""
    from dipctl.cli import prompts
    from dipctl.sop import kelengkapan

    if not prompts.on_terminal():
        return time, chair
    if not time.strip():
        time = prompts.ask(tr, "waktu", kelengkapan.meeting_time)
    if not chair.strip():
        officers = [p.email for p in reg.settings.people]
        chair = prompts.ask(tr, "pimpinan", kelengkapan.meeting_chair_text, choices=officers)
    return time, chair
