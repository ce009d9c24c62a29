"""The figures of the site's SOP page (SPEC.md section 6): the six steps of the SOP, the mutu
baku with what the history achieved (:func:`dipctl.proof.sla.by_item`), and the counts of the
DIP per kategori and per unit."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from dipctl.register import model
from dipctl.sop import workflow

if TYPE_CHECKING:
    from dipctl.proof.sla import Summary

SOP_STEPS = (
    (1, "sop.step1", "kasubbag", ""),
    (2, "sop.step2", "sekretaris", ""),
    (3, "sop.step3", "ppid_pembantu", ""),
    (4, "sop.step4", "ppid_pembantu", "rapat"),
    (5, "sop.step5", "kepala", "penetapan"),
    (6, "sop.step6", "ppid_pembantu", "pengunggahan"),
)


def figures(
    summary: Summary | None,
    items: list[dict[str, Any]],
    dik: int,
    units: dict[str, str],
    categories: tuple[str, ...],
) -> dict[str, Any]:
    """The SOP page: its six steps, the mutu baku and what the history achieved, and the
    counts per kategori (``categories``, then the DIK) and per unit."""
    standards = summary.standards if summary else {}
    kinds = Counter(i["kategori"] for i in items)
    per_kategori = [{"label": k, "n": kinds[k]} for k in categories]
    per_kategori.append({"label": model.EXEMPT, "n": dik})
    owners = Counter(i["unit"] for i in items)
    per_unit = [
        {"label": name, "n": owners[key]} for key, name in sorted(units.items(), key=lambda u: u[1])
    ]
    figures = summary.per_step if summary else []
    clocks = {c.standard: c for c in workflow.CLOCKS}
    timeliness = [  # steps measured by their clock, and how many met the standard
        {"langkah": clocks[f.key].stops[0], "total": f.measured, "tepat": f.within} for f in figures
    ]
    return {
        "steps": [
            {"nomor": n, "kegiatan": text, "pelaksana": role, "mutu_baku": standards.get(key, "")}
            for n, text, role, key in SOP_STEPS
        ],
        "standards": [  # the mutu baku, its clock, and what the history achieved
            {
                "langkah": f.key,
                "batas": f.bound_text,
                "mulai": clocks[f.key].start,
                "diukur": f.measured,
                "sesuai": f.within,
                "terlambat": f.late,
                "tidak_diukur": f.unmeasured,
                "median_detik": f.median,
                "maks_detik": f.longest,
            }
            for f in figures
        ],
        "per_kategori": per_kategori,
        "per_unit": per_unit,
        "timeliness": timeliness,
    }
