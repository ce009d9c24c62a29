"""An item's trail as ``show`` and ``history`` print it: one block per step fitted to the
screen, or one row per step with ``--wide``, or the ``--json`` document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl import layout
from dipctl.cli import screen
from dipctl.cli.ui import print_result, print_table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.i18n import Translator
    from dipctl.proof.trail import Entry


def history_document(entry: Entry) -> dict[str, Any]:
    return {
        "commit": entry.commit,
        "tanggal": entry.date,
        "nama": entry.name,
        "email": entry.email,
        "langkah": entry.action,
        "peran": entry.role,
        "dari": entry.source,
        "ke": entry.target,
        "catatan": entry.note,
        "berkas": entry.path,
    }


def print_history(
    tr: Translator, entries: Sequence[Entry], wide: bool = False, codes: bool = True
) -> None:
    """One row per step, every column, when that fits the screen (or ``wide``); else per
    step: when, which step, the move and the commit on one line, who (as which role) and
    the note under it. ``codes``: with each step's short commit id (``history``, and
    ``show --verbose``)."""
    every = [
        (
            e.date[:16].replace("T", " "),
            e.action or "-",
            e.role or "-",
            f"{e.name} <{e.email}>",
            f"{e.source or '-'} -> {e.target or '-'}",
            e.commit[:10],
            e.note.replace("\n", " "),
        )
        for e in entries
    ]
    columns = ("date", "action", "role", "who", "status", "commit", "note")
    keep = [i for i, c in enumerate(columns) if codes or c != "commit"]
    headers = [tr(f"history.{columns[i]}") for i in keep]
    rows = [tuple(row[i] for i in keep) for row in every]
    if wide or layout.fits(headers, rows, screen.width()):
        print_table(headers, rows, wide=wide)  # the whole table fits
        return
    for e in entries:
        move = f"{e.source or '-'} -> {e.target or '-'}"
        when = e.date[:16].replace("T", " ")
        code = f"  {e.commit[:10]}" if codes else ""
        print_result(f"{when}  {e.action or '-'}  {move}{code}")
        role = f" ({tr('role.' + e.role)})" if e.role else ""
        print_result(f"  {e.name} <{e.email}>{role}")
        if e.note:
            print_result("  " + " ".join(e.note.split()))
