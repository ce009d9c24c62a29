"""``dipctl federate report --year Y``: the province's figures per agency for the PPID Utama's
e-Monev evidence (issue 22.4), from each member's last proven commit (as the portal shows it).

Per agency: the items in the DIP and the DIK, the decrees issued in the year (SK DIP,
pencabutan, Penetapan DIK), the SK DIP in force, whether the pemutakhiran is overdue, the
mutu baku achieved (steps measured and within their bound), and the verification state with
its dates. Nothing is fetched: ``federate sync`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.federation import portal
from dipctl.federation.sync import mirrors_locked
from dipctl.feedback import silent

if TYPE_CHECKING:
    from dipctl.feedback import Progress
    from dipctl.register.config import Register


@dataclass(frozen=True)
class Report:
    year: int
    federation: str
    agencies: list[dict[str, Any]]

    @property
    def totals(self) -> dict[str, int]:
        keys = ("dip", "dik", "keputusan_tahun_ini")
        found = {k: sum(int(a[k]) for a in self.agencies) for k in keys}
        found["terbukti"] = sum(1 for a in self.agencies if a["verifikasi"] == "verified")
        found["instansi"] = len(self.agencies)
        return found

    def document(self) -> dict[str, Any]:
        return {"tahun": self.year, "federasi": self.federation, "jumlah": self.totals,
                "instansi": self.agencies}  # fmt: skip


def report(reg: Register, data: dict[str, Any], year: int, progress: Progress = silent) -> Report:
    with mirrors_locked(reg):
        found = portal.sections(reg, data, progress)
    rows = portal.comparison(found)
    for row, section in zip(rows, found, strict=True):
        issued = [
            {"nomor": d["nomor"], "tanggal": d["tanggal"], "jenis": d["jenis"]}
            for d in (section.pub.decrees if section.pub else [])
            if str(d.get("tanggal", "")).startswith(f"{year}-")
        ]
        row["keputusan_tahun_ini"] = len(issued)
        row["keputusan_tahun"] = sorted(issued, key=lambda d: (d["tanggal"], d["nomor"]))
        row.pop("url", None)
    return Report(year, reg.settings.agency_name, rows)


#: The verification states as the printed report names them (Indonesian, as official text).
PROOF = {
    "verified": "Terbukti",
    "failed": "TIDAK TERBUKTI; keadaan terbukti",
    "refused": "DITOLAK; keadaan terbukti",
    "unreachable": "Tidak terjangkau (usang); keadaan terbukti",
    "never": "Belum pernah terbukti",
}


def page(reg: Register, made: Report, lang: str = "id") -> str:
    """The report as a standalone A4 HTML page under the federation's kop."""
    from dipctl.publish import letterhead
    from dipctl.publish.paper import render_page

    context = {
        "year": made.year,
        "agency": made.federation,
        "kop": letterhead.kop(reg.settings, letterhead.logo_uri(reg)),
        "agencies": made.agencies,
        "totals": made.totals,
        "proof": PROOF,
    }
    return render_page("federation.html", context, lang)
