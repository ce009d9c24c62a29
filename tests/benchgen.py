"""A province register with a realistic SOP history, for `make bench` (issue 21.5).

Every item goes through the SOP as the real commands record it: ``new``, sometimes an
``edit``, ``submit``, ``review`` (a tenth returned once and resubmitted), ``classify`` (a few
undone and classified again), a joint ``meeting`` per unit, the draft decrees ``present``-ed,
``establish`` (exempt items: ``approve`` and ``exempt`` with their consequence test) and
``publish``; the next year a pemutakhiran revises most public items and takes them through
the SOP again under a decree that revokes the first. About 6.7 commits per item.

Running the CLI 67,000 times would take hours, so after a real ``dipctl init`` the history
goes through ``git fast-import``, with the files and messages the steps write: messages by
:func:`dipctl.sop.commits.message`, records by :func:`dipctl.register.roundtrip.render_new`,
the meeting minutes by :func:`dipctl.publish.minutes_paper.render_minutes`. Deterministic:
the same size gives the same register. ``dipctl verify`` accepts it without findings.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from dipctl.register import roundtrip
from dipctl.register.digest import lampiran_digest
from dipctl.register.model import MODELINE
from dipctl.register.records import Item, Meeting, Settings
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


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dipctl-bench"


def ensure(size: int, log: IO[str] = sys.stderr) -> Path:
    """The repository of a ``size``-item register, generated once into the cache."""
    target = cache_root() / f"{size}-v{VERSION}"
    if (target / ".complete").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{size}-", dir=target.parent))
    generate(work / "repo", size, log)
    (work / "repo" / ".complete").write_text("", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    (work / "repo").rename(target)
    shutil.rmtree(work, ignore_errors=True)
    return target


def units_for(size: int) -> list[str]:
    return [f"bidang-{u:02d}" for u in range(1, (20 if size >= 1000 else 2) + 1)]


def kasubbag(unit: str) -> str:
    return f"kasubbag.{unit}@{DOMAIN}"


def _people(units: list[str]) -> str:
    lines = [
        f"  - nama: Sekretaris Daerah\n    email: {SEKRETARIS}\n    jabatan: Sekretaris\n"
        "    peran: [sekretaris]\n",
        f"  - nama: PPID Pembantu\n    email: {PPID}\n    jabatan: PPID Pembantu\n"
        "    peran: [ppid_pembantu]\n",
    ]
    for unit in units:
        name = unit.replace("-", " ").title()
        lines.append(
            f"  - nama: Kasubbag {name}\n    email: {kasubbag(unit)}\n"
            f"    jabatan: Kepala Subbagian {name}\n    peran: [kasubbag]\n    unit: [{unit}]\n"
        )
    return "".join(lines)


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
                out.append(f'  {key}: "{value}"\n' if key == "tanggal_uji" else f"  {key}: {value}\n")
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


def _stamp(year: int, month: int, day: int, hour: int = 8) -> int:
    import calendar

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


def _init(root: Path, env: dict[str, str]) -> None:
    stamp = f"@{_stamp(YEAR1, 1, 5) - 3600} +0700"
    env = {**env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(
        [sys.executable, "-m", "dipctl", "init", str(root), "--agency", AGENCY,
         "--head-name", "Gubernur Contoh", "--head-email", KEPALA, "--place", PLACE,
         "--unsigned"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip


def generate(root: Path, size: int, log: IO[str] = sys.stderr) -> None:
    """A register of ``size`` items with two years of SOP history, in a new repo ``root``."""
    home = root.parent / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("", encoding="utf-8")
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
           "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}  # fmt: skip
    _init(root, env)
    units = units_for(size)
    config_path = root / "register" / "register.yaml"
    config = config_path.read_text(encoding="utf-8")
    config = config.replace("    peran: [kepala]\n", "    peran: [kepala]\n" + _people(units), 1)
    config = config.replace(
        "unit:\n", "unit:\n" + "".join(f"  {u}:\n    nama: {u.replace('-', ' ').title()}\n"
                                       for u in units), 1)  # fmt: skip
    config = config.replace(f"  tempat: {PLACE}\n", f"  tempat: {PLACE}\n" + CONTACT, 1)
    data = yaml.safe_load(config)
    names = {p["email"]: p["nama"] for p in data["orang"]}
    state = State(root, Settings.from_mapping(data))
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done", "--cat-blob-fd=1"],
        cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    w = Writer(proc, names, _stamp(YEAR1, 1, 5))
    assert proc.stdin is not None
    proc.stdin.write(b"reset refs/heads/main\nfrom refs/heads/main^0\n\n")
    w.commit(KEPALA, "orang: pejabat dan unit provinsi\n", [("register/register.yaml", config)])
    rnd = random.Random(size)
    ids = _year_one(state, w, rnd, units, size)
    log.write(f"  {size}: first year, {w.count} commits\n")
    _year_two(state, w, rnd, units, ids)
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, env=env, check=True)
    subprocess.run(["git", "gc", "-q"], cwd=root, env=env, check=True)
    log.write(f"  {size}: {w.count} commits, {w.count / size:.2f} per item\n")


def _msg(action: str, role: str, ids: list[str], source: str | None, target: str | None,
         note: str = "", **extra: str | list[str]) -> str:  # fmt: skip
    return message(action, role, ids, source=source, target=target, note=note,
                   extra={k.replace("_", "-"): v for k, v in extra.items()})  # fmt: skip


def _fill(d: dict[str, Any], year: int, n: int) -> None:
    d["ringkasan"] = f"Ringkasan {d['judul'].lower()} untuk masyarakat, edisi {year}."
    d["penanggung_jawab"] = f"Kepala {d['unit'].replace('-', ' ').title()}"
    d["waktu"] = str(year)
    d["bentuk"] = ["softcopy", "hardcopy"] if n % 3 else ["softcopy"]
    d["retensi"] = "5 tahun"


def _per_item(state: State, w: Writer, rnd: random.Random, ids: list[str], year: int) -> None:
    """Submit (a tenth returned and resubmitted), review and classify, one commit each."""
    for n, i in enumerate(ids):
        d, unit = state.items[i], state.items[i]["unit"]
        k = kasubbag(unit)
        source = d["status"]
        _fill(d, year, n)
        w.commit(k, _msg("submit", "kasubbag", [i], source, "diajukan"), state.move([i], "diajukan"))
        if rnd.random() < 0.1:
            note = "Ringkasan kurang jelas"
            files = state.move([i], "dikembalikan", catatan=note)
            w.commit(SEKRETARIS, _msg("review", "sekretaris", [i], "diajukan", "dikembalikan",
                                      note), files)  # fmt: skip
            d["ringkasan"] = d["ringkasan"].replace("untuk masyarakat", "bagi masyarakat umum")
            w.commit(k, _msg("submit", "kasubbag", [i], "dikembalikan", "diajukan",
                             "Ringkasan diperjelas"), state.move([i], "diajukan"))  # fmt: skip
        w.commit(SEKRETARIS, _msg("review", "sekretaris", [i], "diajukan", "diteruskan"),
                 state.move([i], "diteruskan"))  # fmt: skip
        category = d.get("kategori") or CATEGORIES[n % len(CATEGORIES)]
        if rnd.random() < 0.03:
            wrong = "setiap-saat" if category != "setiap-saat" else "berkala"
            before, kept = item_text(d), dict(d)
            mark = w.commit(PPID, _msg("classify", "ppid_pembantu", [i], "diteruskan",
                                       "diklasifikasi"), _classify(state, i, wrong))  # fmt: skip
            sha = w.sha(mark)
            d.clear()
            d.update(kept)
            w.commit(PPID, _msg("undo", "ppid_pembantu", [i], "diklasifikasi", "diteruskan",
                                "Salah kategori", DIP_Undoes=sha), [(state.path(i), before)])  # fmt: skip
            assert item_text(d) == before
        w.commit(PPID, _msg("classify", "ppid_pembantu", [i], "diteruskan", "diklasifikasi"),
                 _classify(state, i, category))  # fmt: skip


def _classify(state: State, i: str, category: str) -> list[tuple[str, str]]:
    d = state.items[i]
    d["kategori"] = category
    d["pengecualian"] = category == "dikecualikan"
    return state.move([i], "diklasifikasi")


def _year_one(state: State, w: Writer, rnd: random.Random, units: list[str], size: int) -> list[str]:
    ids: list[str] = []
    for n in range(size):
        unit = units[n % len(units)]
        title = f"{TOPICS[n % len(TOPICS)]} {unit.replace('-', ' ').title()} {n + 1:05d}"
        i = title.lower().replace(" ", "-")
        state.items[i] = {"id": i, "judul": title, "ringkasan": "", "unit": unit,
                          "penanggung_jawab": "", "waktu": "", "bentuk": [], "retensi": "",
                          "status": "draf"}  # fmt: skip
        ids.append(i)
        k = kasubbag(unit)
        w.commit(k, _msg("new", "kasubbag", [i], None, "draf"), [state.file(i)])
        if rnd.random() < 0.2:
            state.items[i]["ringkasan"] = f"'Ringkasan {title.lower()}.'"
            edit = message("edit", "kasubbag", [i], subject=f"{i}: ringkasan")
            w.commit(k, edit, [state.file(i)])
    _per_item(state, w, rnd, ids, YEAR1)
    _decide(state, w, units, ids, YEAR1, first=True)
    return ids


def _year_two(state: State, w: Writer, rnd: random.Random, units: list[str], ids: list[str]) -> None:
    w.at(_stamp(YEAR2, 1, 12))
    public = [i for i in ids if state.items[i]["kategori"] != "dikecualikan"]
    revised = sorted(i for i in public if rnd.random() < 0.57)
    for i in revised:
        d = state.items[i]
        note = f"Pemutakhiran {YEAR2}"
        d.update(catatan=note, rapat=None, keputusan=None, revisi=int(d.get("revisi") or 0) + 1)
        w.commit(kasubbag(d["unit"]), _msg("revise", "kasubbag", [i], d["status"], "draf", note),
                 state.move([i], "draf"))  # fmt: skip
    _per_item(state, w, rnd, revised, YEAR2)
    _decide(state, w, units, revised, YEAR2, first=False)


def _decide(
    state: State, w: Writer, units: list[str], ids: list[str], year: int, first: bool
) -> None:
    """Steps 4 to 6 for ``ids``: a joint meeting per unit, the draft decrees presented, the
    DIP established (and the DIK approved and issued), the site published."""
    chosen = set(ids)
    for u, unit in enumerate(units):
        group = sorted(i for i in ids if state.items[i]["unit"] == unit)
        if not group:
            continue
        date = f"{year}-10-{u + 1:02d}"
        w.at(_stamp(year, 10, u + 1, 10))
        meeting_id = f"{date}-penentuan-dip"
        doc = {
            "id": meeting_id,
            "tanggal": date,
            "waktu": "09:00",
            "tempat": "Ruang Rapat PPID",
            "pimpinan": PPID,
            "peserta": [PPID, SEKRETARIS, kasubbag(unit)],
            "hasil": [{"informasi": i, "keputusan": "ditentukan"} for i in group],
            "penyimpanan": {"softcopy": "Folder PPID", "hardcopy": "Lemari Arsip PPID"},
        }
        from dipctl.publish.minutes_paper import render_minutes

        base = f"register/rapat/{meeting_id}"
        minutes = render_minutes(
            state.settings,
            Meeting.from_mapping(doc, state.root / f"{base}.yaml"),
            [state.record(i) for i in group],
        )
        record = roundtrip.render_new(doc, MODELINE.format(schema="../rapat.schema.json"))
        files = [*state.move(group, "ditentukan", rapat=meeting_id)]
        files += [(f"{base}.yaml", record), (f"{base}.html", minutes)]
        text = _msg("meeting", "ppid_pembantu", group, "diklasifikasi", "ditentukan",
                    DIP_Meeting=meeting_id)  # fmt: skip
        w.commit(PPID, text, files)
    every = sorted(state.items)
    public = [i for i in every if state.items[i]["kategori"] != "dikecualikan"]
    exempt = sorted(i for i in chosen if state.items[i]["kategori"] == "dikecualikan")
    adding = sorted(i for i in chosen if i not in exempt)
    w.at(_stamp(year, 11, 25, 8))
    suffix = "" if first else "-2"
    _present(state, w, "penetapan", adding, public, suffix)
    number = f"188.44/1/{year}"
    decree_id = f"sk-188-44-1-{year}"
    doc: dict[str, Any] = {
        "id": decree_id,
        "jenis": "penetapan",
        "nomor": number,
        "tanggal": f"{year}-11-25",
        "tentang": f"Daftar Informasi Publik {AGENCY} Tahun {year}",
        "penandatangan": KEPALA,
    }
    if not first:
        doc["mencabut"] = f"sk-188-44-1-{YEAR1}"
    doc["menetapkan"] = adding
    doc["lampiran"] = public
    files = state.move(adding, "ditetapkan", keputusan=decree_id)
    files.append(_decree_file(decree_id, doc))
    w.commit(KEPALA, _msg("establish", "kepala", adding, "ditentukan", "ditetapkan",
                          DIP_Decree=decree_id), files, step=1800)  # fmt: skip
    if exempt:
        _present(state, w, "penetapan-dik", exempt, exempt, suffix)
        w.commit(KEPALA, _msg("approve", "kepala", exempt, "ditentukan", "disetujui"),
                 state.move(exempt, "disetujui"))  # fmt: skip
        number = f"188.44/dik-1/{year}"
        dik_id = f"sk-188-44-dik-1-{year}"
        dik: dict[str, Any] = {
            "id": dik_id,
            "jenis": "penetapan-dik",
            "nomor": number,
            "tanggal": f"{year}-11-25",
            "tentang": f"Penetapan Informasi yang Dikecualikan di Lingkungan {AGENCY} "
            f"Tahun {year}",
            "penandatangan": PPID,
            "tempat": PLACE,
            "badan_publik": AGENCY,
            "pejabat": {"nama": "PPID Pembantu", "email": PPID, "jabatan": "PPID Pembantu",
                        "unit": AGENCY},  # fmt: skip
            "menetapkan": exempt,
            "lampiran": exempt,
            "rincian": [
                {"informasi": i, **{k: EXEMPTION[k] for k in ("pasal", "dasar_hukum")},
                 **{k: EXEMPTION[k] for k in ("jangka_waktu", "berakhir", "alasan")}}
                for i in exempt
            ],  # fmt: skip
        }
        files = state.move(exempt, "ditetapkan", keputusan=dik_id)
        files.append(_decree_file(dik_id, dik))
        w.commit(PPID, _msg("exempt", "ppid_pembantu", exempt, "disetujui", "ditetapkan",
                            DIP_Decree=dik_id), files)  # fmt: skip
    ready = sorted(i for i in chosen)
    w.commit(PPID, _msg("publish", "ppid_pembantu", ready, "ditetapkan", "diunggah", DIP_URL=URL),
             state.move(ready, "diunggah"), step=600)  # fmt: skip


def _decree_file(decree_id: str, doc: dict[str, Any]) -> tuple[str, str]:
    header = MODELINE.format(schema="../keputusan.schema.json")
    return f"register/keputusan/{decree_id}.yaml", roundtrip.render_new(doc, header)


def _present(
    state: State, w: Writer, kind: str, ids: list[str], lampiran: list[str], suffix: str
) -> None:
    record_id = f"penyampaian-{kind}{suffix}"
    digest = lampiran_digest(lampiran)
    doc = {
        "id": record_id,
        "jenis": kind,
        "disampaikan_oleh": PPID,
        "informasi": ids,
        "lampiran": lampiran,
        "lampiran_sha256": digest.removeprefix("sha256:"),
    }
    who = ids[0] if len(ids) == 1 else f"{len(ids)} informasi"
    text = message("present", "ppid_pembantu", ids, subject=f"{who} {kind}",
                   extra={"DIP-Presentation": record_id, "DIP-Lampiran": digest})  # fmt: skip
    path = f"register/penyampaian/{record_id}.yaml"
    w.commit(PPID, text, [(path, roundtrip.render_new(doc, ""))], step=300)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(ensure(int(arg)))
