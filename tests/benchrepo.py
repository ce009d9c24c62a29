"""The pieces of a generated register (:mod:`tests.benchgen`): who acts, the files and
messages the steps write, and the fast-import stream that commits them."""

from __future__ import annotations

import calendar
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dipctl.register.records import Item, Settings
from dipctl.sop.commits import message

#: Bump when the register this writes changes: the cache key of generated registers.
VERSION = 1
AGENCY = "Pemerintah Provinsi Contoh"
DOMAIN = "prov.example.go.id"
KEPALA = f"kepala@{DOMAIN}"
SEKRETARIS = f"sekretaris@{DOMAIN}"
PPID = f"ppid@{DOMAIN}"
PLACE = "Palangka Raya"
URL = f"https://{DOMAIN}/dip/"
YEAR1, YEAR2 = 2025, 2026
DAY = 86_400
TZ = 7 * 3600  # WIB
CATEGORIES = ("berkala",) * 8 + ("setiap-saat",) * 7 + ("serta-merta",) * 4 + ("dikecualikan",)
TOPICS = ("Laporan Kinerja", "Rencana Kerja", "Data Statistik", "Anggaran", "Profil", "Kajian")
EXEMPTION = {
    "pasal": "17 huruf h",
    "dasar_hukum": "UU 14/2008 Pasal 17 huruf h",
    "bagian": "seluruhnya",
    "konsekuensi_dibuka": "Data pribadi dapat disalahgunakan.",
    "konsekuensi_ditutup": "Privasi para pegawai tetap terlindungi.",
    "kepentingan_publik": "Perlindungan privasi lebih besar daripada manfaat membukanya.",
    "alasan": "Memuat data pribadi.",
    "jangka_waktu": "selama pegawai aktif",
    "berakhir": "permanen",
    "tanggal_uji": f"{YEAR1}-01-15",
    "penguji": [PPID, SEKRETARIS, "Dr. Contoh Ahli — Dosen Hukum Administrasi Negara"],
}
CONTACT = (
    "  pemerintah: Pemerintah Provinsi Contoh\n  alamat: Jalan Contoh Nomor 1, Palangka Raya\n"
    f"  telepon: (0536) 3221000\n  email: ppid@{DOMAIN}\n  situs: https://{DOMAIN}\n"
    "  jam_layanan: Senin-Jumat 08.00-16.00 WIB\n"
)


def units_for(size: int) -> list[str]:
    return [f"bidang-{u:02d}" for u in range(1, (20 if size >= 1000 else 2) + 1)]


def kasubbag(unit: str) -> str:
    return f"kasubbag.{unit}@{DOMAIN}"


def item_text(d: dict[str, Any]) -> str:
    """An item file as the steps write it (canonical key order, flow list of forms)."""
    out = ["# yaml-language-server: $schema=../../informasi.schema.json\n"]
    for key in ("id", "judul", "ringkasan", "unit", "penanggung_jawab"):
        out.append(f"{key}: {d[key] or repr('')}\n")
    out.append("waktu_pembuatan: " + (f'"{d["waktu"]}"' if d["waktu"] else "''") + "\n")
    out.append(f"tempat_pembuatan: {PLACE}\n")
    out.append(f"bentuk: [{', '.join(d['bentuk'])}]\n")
    out.append(f"retensi: {d['retensi'] or repr('')}\n")
    if d.get("kategori"):
        out.append(f"kategori: {d['kategori']}\n")
    if d.get("pengecualian"):
        out.append("pengecualian:\n")
        for key, value in EXEMPTION.items():
            if isinstance(value, list):
                out.append(f"  {key}:\n" + "".join(f"    - {v}\n" for v in value))
            else:
                out.append(
                    f'  {key}: "{value}"\n' if key == "tanggal_uji" else f"  {key}: {value}\n"
                )
    for key in ("status", "catatan", "rapat", "keputusan", "revisi"):
        if d.get(key):
            out.append(f"{key}: {d[key]}\n")
    return "".join(out)


@dataclass
class Writer:
    """A fast-import stream on ``refs/heads/main``; :meth:`sha` asks for a commit's id."""

    proc: subprocess.Popen[bytes]
    names: dict[str, str]
    clock: int
    mark: int = 0
    count: int = 0

    def commit(
        self, email: str, text: str, files: Iterable[tuple[str, str]], step: int = 60
    ) -> int:
        assert self.proc.stdin is not None
        self.clock += step
        self.mark += 1
        self.count += 1
        who = f"{self.names[email]} <{email}> {self.clock} +0700"
        body = text.encode("utf-8")
        parts = [
            f"commit refs/heads/main\nmark :{self.mark}\nauthor {who}\ncommitter {who}\n".encode(),
            b"data %d\n%s\n" % (len(body), body),
        ]
        for path, content in files:
            data = content.encode("utf-8")
            parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
        self.proc.stdin.write(b"".join(parts) + b"\n")
        return self.mark

    def sha(self, mark: int) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"get-mark :{mark}\n".encode())
        self.proc.stdin.flush()
        return self.proc.stdout.readline().decode().strip()

    def at(self, stamp: int) -> None:
        self.clock = max(self.clock, stamp)


def stamp(year: int, month: int, day: int, hour: int = 8) -> int:
    return calendar.timegm((year, month, day, hour, 0, 0)) - TZ


@dataclass
class State:
    root: Path
    settings: Settings
    items: dict[str, dict[str, Any]] = field(default_factory=dict)

    def path(self, item_id: str) -> str:
        return f"register/informasi/{self.items[item_id]['unit']}/{item_id}.yaml"

    def file(self, item_id: str) -> tuple[str, str]:
        return self.path(item_id), item_text(self.items[item_id])

    def move(self, ids: list[str], status: str, **updates: Any) -> list[tuple[str, str]]:
        for i in ids:
            self.items[i]["status"] = status
            self.items[i].update(updates)
        return [self.file(i) for i in ids]

    def record(self, i: str) -> Item:
        return Item.from_mapping(yaml.safe_load(item_text(self.items[i])), self.root / self.path(i))


def msg(
    action: str,
    role: str,
    ids: list[str],
    source: str | None,
    target: str | None,
    note: str = "",
    **extra: str | list[str],
) -> str:
    return message(
        action,
        role,
        ids,
        source=source,
        target=target,
        note=note,
        extra={k.replace("_", "-"): v for k, v in extra.items()},
    )
