"""The rules of ``dipctl validate`` for one item file (``informasi/<unit>/<id>.yaml``).

Each adds problems to a :class:`~dipctl.register.checks.FileCheck`; the run over the whole
register is in :mod:`dipctl.register.validate`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dipctl.register import checks, exemption, freshness, model
from dipctl.register.checks import FileCheck, check_keys, check_mapping, check_value

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.checks import Context
    from dipctl.register.config import Register


def check_item_file(fc: FileCheck, path: Path, reg: Register, ctx: Context) -> None:
    data: dict[str, Any] = fc.located.data
    checks.check_unquoted_dates(fc, data)
    status = data.get("status")
    check_keys(fc, data, (), model.ITEM_KEYS)
    for spec in model.ITEM_FIELDS:
        value = data.get(spec.key)
        if value is None or value == "" or value == []:
            if _required(spec.need, status):
                fc.report((spec.key,), "key.missing", key=spec.key)
            continue
        if spec.kind == "document":
            _check_document(fc, value)
        elif spec.kind == "exemption":
            _check_exemption(fc, value, ctx, status in model.CLASSIFIED_ON)
        elif spec.kind == "freshness":
            freshness.check_freshness(fc, value, checks.today())
        else:
            check_value(fc, (spec.key,), value, checks.KIND_CHECKS[spec.kind])
    _check_item_place(fc, data, path, reg, ctx)
    _check_item_refs(fc, data, ctx)
    if data.get("kategori") == model.EXEMPT and not data.get("pengecualian"):
        fc.report(("kategori",), "item.exempt_without_test")
    if data.get("pengecualian") and data.get("kategori") != model.EXEMPT:
        fc.report(("pengecualian",), "item.test_without_exempt")
    if data.get("subkategori") and data.get("kategori") not in (None, "", model.PERIODIC):
        fc.report(("subkategori",), "item.subcategory_not_periodic", kategori=data["kategori"])


def _required(need: model.Need, status: Any) -> bool:
    if need is model.Need.ALWAYS:
        return True
    if status not in model.STATUSES:
        return False
    if need is model.Need.SUBMIT:
        return status not in model.EDITABLE_DRAFT
    return need is model.Need.CLASSIFIED and status in model.CLASSIFIED_ON


def _check_item_place(
    fc: FileCheck, data: dict[str, Any], path: Path, reg: Register, ctx: Context
) -> None:
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        fc.report(("id",), "item.id_mismatch", id=data["id"], stem=path.stem)
    unit = data.get("unit")
    if not isinstance(unit, str):
        unit = None
    if ctx.settings_known and unit and unit not in ctx.units:
        fc.report(("unit",), "item.unknown_unit", unit=unit, units=", ".join(sorted(ctx.units)))
    folder = path.parent
    if folder == reg.items_dir or folder.parent != reg.items_dir:
        fc.report(("unit",), "item.outside_unit_folder", unit=unit or "?")
    elif isinstance(unit, str) and unit and folder.name != unit:
        fc.report(("unit",), "item.wrong_folder", unit=unit, folder=folder.name)


def _check_item_refs(fc: FileCheck, data: dict[str, Any], ctx: Context) -> None:
    for key, known, kind in (
        ("rapat", ctx.meetings, "rapat"),
        ("keputusan", ctx.decrees, "keputusan"),
    ):
        ref = data.get(key)
        if isinstance(ref, str) and ref and ref not in known:
            fc.report((key,), "item.unknown_ref", ref=ref, folder=kind)
    if data.get("status") in model.ESTABLISHED:
        # an imported DIP was decided in a meeting before dipctl: no rapat/ record here
        decree = data.get("keputusan")
        needs_meeting = not (isinstance(decree, str) and decree in ctx.imported)
        for key in (
            ("kategori", "rapat", "keputusan") if needs_meeting else ("kategori", "keputusan")
        ):
            if not data.get(key):  # pointed at the status that needs it
                fc.report(
                    (key,), "item.established_without", line=fc.located.line("status"), key=key
                )


def _check_document(fc: FileCheck, value: Any) -> None:
    if not check_mapping(fc, ("dokumen",), value):
        return
    check_keys(fc, value, ("dokumen",), model.DOCUMENT_KEYS)
    for key in model.DOCUMENT_KEYS:
        if key in value:
            check_value(fc, ("dokumen", key), value[key], checks.check_text)
    link = value.get("tautan")
    if isinstance(link, str) and link and checks.check_url(link) is not None:
        fc.report(("dokumen", "tautan"), "value.url", value=link)


def _check_exemption(fc: FileCheck, value: Any, ctx: Context, classified: bool) -> None:
    """The consequence test: every key of SPEC.md section 3 (an old test with only the five
    keys it had before is a problem per missing key), each by the rules of
    :mod:`dipctl.register.exemption`; once ``classified``, no placeholder in the weighing."""
    if not check_mapping(fc, ("pengecualian",), value):
        return
    check_keys(fc, value, ("pengecualian",), model.EXEMPTION_KEYS)
    people = ctx.people if ctx.settings_known else None
    found = exemption.consequence_problems(value, dt.datetime.now().astimezone().date(), people)
    if classified:
        found += exemption.placeholder_problems(value)
    for key, rule, params in found:
        where = ("pengecualian", key) if key in value else ("pengecualian",)
        fc.report(where, rule, **params)


# -- register.yaml -------------------------------------------------------------------------
