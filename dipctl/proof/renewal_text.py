"""The ``dipctl pemutakhiran`` report as text lines and as ``--json`` (register vocabulary,
ISO dates), from a :class:`~dipctl.proof.renewal.RenewalReport`."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from dipctl import layout

if TYPE_CHECKING:
    from dipctl.i18n import Translator
    from dipctl.proof.renewal import ItemEvent, RenewalReport

#: (attribute of the report, its ``--json`` key, its heading's catalog key), in print order
ITEM_SECTIONS = (
    ("established", ("informasi", "ditetapkan"), "renewal.established"),
    ("revised", ("informasi", "dimutakhirkan"), "renewal.revised"),
    ("withdrawn", ("informasi", "dicabut"), "renewal.withdrawn"),
    ("exemptions", ("pengecualian", "ditetapkan"), "renewal.exemptions"),
    ("expired", ("pengecualian", "berakhir"), "renewal.expired"),
    ("reopened", ("pengecualian", "dibuka"), "renewal.reopened"),
)
_EVENT_KEYS = {
    "item": "informasi",
    "title": "judul",
    "unit": "unit",
    "category": "kategori",
    "date": "tanggal",
    "decree": "keputusan",
    "number": "nomor",
    "revision": "revisi",
    "commit": "commit",
}


def sections(report: RenewalReport) -> list[tuple[str, str, list[ItemEvent]]]:
    """(attribute, heading key, events) of every item section, in print order."""
    return [(name, key, getattr(report, name)) for name, _, key in ITEM_SECTIONS]


def dip_updated(report: RenewalReport) -> bool:
    """Whether a DIP decree was issued in the period ("DIP dimutakhirkan [tahun]")."""
    return any(d.list == "dip" for d in report.decrees)


def render_text(
    tr: Translator, report: RenewalReport, agency: str, width: int | None = None
) -> list[str]:
    """The report as lines; an item too long for ``width`` is one line with its title
    shortened (its id whole), the decree it came by left to ``--wide`` and ``--json``."""
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    lines = [tr("renewal.heading", agency=agency, start=start, end=end)]
    updated = [d for d in report.decrees if d.list == "dip"]
    if updated:
        last = updated[-1]
        lines.append(tr("renewal.updated", number=last.number, date=last.date))
    else:
        lines.append(tr("renewal.not_updated"))
    lines += ["", tr("renewal.decrees", count=len(report.decrees))]
    for d in report.decrees:
        lines.append(f"  {d.date}  {d.list.upper()}  {d.number}  ({d.id})")
    for _, key, events in sections(report):
        lines += ["", tr(key, count=len(events))]
        for e in events:
            revision = f"  {tr('renewal.revision', n=e.revision)}" if e.revision else ""
            ref = f"  {e.number or e.decree}" if (e.number or e.decree) else ""
            whole = f"  {e.date}  {e.item}  {e.title}{revision}{ref}"
            if width is None or layout.cells(whole) <= width:
                lines.append(whole)
                continue
            head = f"  {e.date}  {e.item}{revision}"
            room = width - layout.cells(head) - 2
            lines.append(head + (f"  {layout.clip(e.title, room)}" if room >= 8 else ""))
    lines += ["", tr("renewal.quality")]
    for s in report.quality:
        key = "renewal.quality_none" if not s.steps else "renewal.quality_line"
        met = s.steps - s.missed
        lines.append("  " + tr(key, key=s.key, bound=s.bound, met=met, steps=s.steps))
    return lines


def _event(event: ItemEvent) -> dict[str, Any]:
    return {_EVENT_KEYS[k]: (v if v != "" else None) for k, v in asdict(event).items()}


def to_document(report: RenewalReport) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "periode": {
            "dari": report.period.start.isoformat(),
            "sampai": report.period.end.isoformat(),
        },
        "dip_dimutakhirkan": dip_updated(report),
        "keputusan": [
            {
                "id": d.id,
                "daftar": d.list,
                "jenis": d.kind,
                "nomor": d.number,
                "tanggal": d.date,
                "tentang": d.subject or None,
                "commit": d.commit,
            }
            for d in report.decrees
        ],
        "informasi": {},
        "pengecualian": {},
    }
    for name, (group, key), _ in ITEM_SECTIONS:
        doc[group][key] = [_event(e) for e in getattr(report, name)]
    doc["mutu_baku"] = [
        {"mutu_baku": s.key, "batas": s.bound, "langkah": s.steps, "terlambat": s.missed}
        for s in report.quality
    ]
    doc["jumlah"] = {
        "keputusan": len(report.decrees),
        **{f"{group}_{key}": len(getattr(report, name)) for name, (group, key), _ in ITEM_SECTIONS},
    }
    doc["commit_dibaca"] = report.commits
    return doc
