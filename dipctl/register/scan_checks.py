"""``dipctl validate`` for the signed scans and the other e-Monev documents (SPEC.md 3 and 5;
the paths are :mod:`dipctl.register.scans`'s).

Every scan is a regular file, a PDF of at most 2 MB, beside the record it belongs to: a
decree, a meeting record, an item (``uji-konsekuensi/<id>.revisi-<n>.pdf``), a document
record ``dokumen/<id>.yaml`` (``id`` = ``<jenis>-<tanggal>``, its ``jenis`` one of the kinds,
a ``judul``, a ``tanggal`` not in the future). Any other file in ``uji-konsekuensi/`` or
``dokumen/`` is a problem too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.register import checks, model, scans
from dipctl.register.checks import Problem, check_keys, check_value

if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path

    from dipctl.register.checks import Context
    from dipctl.register.config import Register


def scan_problems(reg: Register, ctx: Context) -> list[Problem]:
    """Every problem of the scans and documents of the register."""
    found: list[Problem] = []
    beside: tuple[tuple[Path, Collection[str]], ...] = (
        (reg.decrees_dir, ctx.decrees),
        (reg.meetings_dir, ctx.meetings),
    )
    for folder, records in beside:
        for path in _files(folder):
            if path.suffix == ".pdf":
                found += _beside(reg, path, records, path.with_suffix(".yaml"))
    for path in _files(scans.tests_dir(reg)):
        name = scans.parse_test_name(path.stem) if path.suffix == ".pdf" else None
        if name is None:
            found.append(_problem(reg, path, "scan.unknown_file", folder=model.TESTS_DIR))
            continue
        found += _pdf(reg, path)
        if name[0] not in ctx.item_ids:
            found.append(_problem(reg, path, "scan.no_item", id=name[0]))
    documents = scans.documents_dir(reg)
    for path in _files(documents):
        if path.suffix == ".pdf":
            kept = {p.stem for p in _files(documents) if p.suffix == ".yaml"}
            found += _beside(reg, path, kept, path.with_suffix(".yaml"))
        elif path.suffix == ".yaml":
            found += _document(reg, path)
        else:
            found.append(_problem(reg, path, "scan.unknown_file", folder=model.DOCUMENTS_DIR))
    return found


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name != ".gitkeep") if folder.is_dir() else []


def _problem(reg: Register, where: Path, key: str, **params: Any) -> Problem:
    return Problem(reg.relative(where), 1, "", key, tuple(params.items()))


def _pdf(reg: Register, path: Path) -> list[Problem]:
    if path.is_symlink() or not path.is_file():
        return [_problem(reg, path, "scan.not_regular")]
    size = path.stat().st_size
    with path.open("rb") as handle:
        problem = scans.pdf_problem(handle.read(len(model.SCAN_MAGIC)), size)
    if not problem:
        return []
    size_shown = scans.size_text(size)
    return [_problem(reg, path, problem, path=reg.relative(path), size=size_shown, limit="2 MB")]


def _beside(reg: Register, path: Path, records: Collection[str], record: Path) -> list[Problem]:
    found = _pdf(reg, path)
    if path.stem not in records:
        found.append(_problem(reg, path, "scan.no_record", record=reg.relative(record)))
    return found


def _document(reg: Register, path: Path) -> list[Problem]:
    fc, opened = checks.open_file(reg, path)
    if fc is None:
        return opened
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    keys = model.DOCUMENT_RECORD_KEYS
    check_keys(fc, data, (), keys, keys)
    if data.get("id") is not None:
        check_value(fc, ("id",), data["id"], checks.check_id)
    if data.get("jenis") is not None:
        check_value(fc, ("jenis",), data["jenis"], checks.one_of(model.DOCUMENT_KINDS))
    if data.get("judul") is not None:
        check_value(fc, ("judul",), data["judul"], checks.check_text)
    date = data.get("tanggal")
    if date is not None:
        check_value(fc, ("tanggal",), date, checks.check_date)
        if isinstance(date, str) and date > checks.today().isoformat():
            fc.report(("tanggal",), "document.date_future", date=date)
    wanted = scans.document_id(str(data.get("jenis")), str(date))
    if data.get("id") != path.stem or path.stem != wanted:
        fc.report(("id",), "document.id", id=data.get("id"), stem=path.stem, wanted=wanted)
    if not path.with_suffix(".pdf").is_file():
        fc.report(("id",), "document.no_scan", scan=reg.relative(path.with_suffix(".pdf")))
    return fc.problems
