"""``dipctl edit``: fill in or change an item's content without opening an editor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dipctl.cli import prompts, ui
from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.errors import UsageError
from dipctl.i18n import Translator

TextOpt = str | None


@app.command()
@reports_errors
def edit(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id informasi.")],
    title: Annotated[TextOpt, typer.Option("--title", help="Judul informasi.")] = None,
    summary: Annotated[TextOpt, typer.Option("--summary", help="Ringkasan isi.")] = None,
    responsible: Annotated[TextOpt, typer.Option("--responsible", help="Penanggung jawab.")] = None,
    made: Annotated[TextOpt, typer.Option("--made", help='Waktu pembuatan: "2025".')] = None,
    place: Annotated[TextOpt, typer.Option("--place", help="Tempat pembuatan.")] = None,
    form: Annotated[list[str] | None, typer.Option("--form", help="softcopy|hardcopy")] = None,
    retention: Annotated[TextOpt, typer.Option("--retention", help="Retensi arsip.")] = None,
    link: Annotated[TextOpt, typer.Option("--link", help="Tautan dokumen (https://…).")] = None,
    archive: Annotated[TextOpt, typer.Option("--archive", help="Tempat arsip dokumen.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="KUNCI=NILAI", help="Isian menurut kuncinya, mis. retensi=5 tahun."
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="Di terminal: tanyakan semua isian, bukan hanya yang kosong."),
    ] = False,
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Ambil semua isian dari berkas YAML, mis. versi Anda yang disimpan dipctl sync "
            "saat konflik (.dipctl/milik-saya/ID.yaml).",
        ),
    ] = None,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Mengisi atau mengubah isi informasi tanpa menyunting YAML, sebagai satu langkah.

    Hanya pejabat yang berwenang pada status informasi itu: kasubbag unitnya (draf,
    dikembalikan), sekretaris (diajukan), PPID Pembantu (diteruskan). Nilai kosong
    menghapus isian. Tanpa opsi isian, di terminal, dipctl menanyakan isian Perki yang
    masih kosong (atau semuanya dengan --all).

    Contoh: dipctl edit bo-renja-2027 --summary "Rencana kerja 2027" --form softcopy
    """
    from dipctl.sop import editing

    tr = Translator(lang)
    given = {
        "judul": title,
        "ringkasan": summary,
        "penanggung_jawab": responsible,
        "waktu_pembuatan": made,
        "tempat_pembuatan": place,
        "bentuk": form,
        "retensi": retention,
        "dokumen.tautan": link,
        "dokumen.arsip": archive,
    }
    changes: dict[str, str | list[str]] = {k: v for k, v in given.items() if v is not None}
    changes |= editing.assignments(set_ or [])
    reg = _register(register)
    if from_ is not None:
        if changes or all_:
            raise UsageError("edit.from_with_fields")
        from dipctl.sop import from_file

        values = from_file.values_from(item_id, from_)
        item = editing.may_edit(reg, item_id, as_)
        values = from_file.differing(values, editing.current_values(item))
    elif changes:
        if all_:
            raise UsageError("edit.all_with_fields")
        values = editing.checked(changes)
    elif prompts.on_terminal():
        item = editing.may_edit(reg, item_id, as_)
        now = editing.current_values(item)
        if not all_ and not prompts.missing(now):
            ui.print_message(tr("prompt.complete", id=item.id))
            return
        ui.print_message(tr("prompt.edit_heading", id=item.id, status=item.status))
        values = prompts.ask_fields(tr, now, all_, editing.checked_value)
        if all_:  # the consequence test too, when the PPID Pembantu edits an item with one
            from dipctl.cli import consequence_questions

            values |= consequence_questions.ask_edit(tr, reg, item)
    else:
        raise UsageError("edit.nothing", id=item_id)
    result = editing.edit(reg, item_id, values, as_)
    if not result.commit:
        ui.print_message(tr("edit.unchanged", id=result.item))
        return
    ui.print_result(f"{result.item}\t{', '.join(result.keys)}")
    ui.print_message(tr("done.edit", id=result.item, commit=result.commit[:10]))
