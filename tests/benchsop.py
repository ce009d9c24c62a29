"""The SOP of a generated register (:mod:`tests.benchgen`), step by step: the first year
of every item and the next year's pemutakhiran."""

from __future__ import annotations

import random
from typing import Any

from dipctl.publish.minutes_paper import render_minutes
from dipctl.register import roundtrip
from dipctl.register.digest import lampiran_digest
from dipctl.register.model import MODELINE
from dipctl.register.records import Meeting
from dipctl.sop.commits import message
from tests.benchrepo import (
    AGENCY,
    CATEGORIES,
    EXEMPTION,
    KEPALA,
    PLACE,
    PPID,
    SEKRETARIS,
    TOPICS,
    URL,
    YEAR1,
    YEAR2,
    State,
    Writer,
    item_text,
    kasubbag,
    msg,
    stamp,
)


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
        w.commit(k, msg("submit", "kasubbag", [i], source, "diajukan"), state.move([i], "diajukan"))
        if rnd.random() < 0.1:
            note = "Ringkasan kurang jelas"
            files = state.move([i], "dikembalikan", catatan=note)
            w.commit(
                SEKRETARIS,
                msg("review", "sekretaris", [i], "diajukan", "dikembalikan", note),
                files,
            )
            d["ringkasan"] = d["ringkasan"].replace("untuk masyarakat", "bagi masyarakat umum")
            w.commit(
                k,
                msg("submit", "kasubbag", [i], "dikembalikan", "diajukan", "Ringkasan diperjelas"),
                state.move([i], "diajukan"),
            )
        w.commit(
            SEKRETARIS,
            msg("review", "sekretaris", [i], "diajukan", "diteruskan"),
            state.move([i], "diteruskan"),
        )
        category = d.get("kategori") or CATEGORIES[n % len(CATEGORIES)]
        if rnd.random() < 0.03:
            wrong = "setiap-saat" if category != "setiap-saat" else "berkala"
            before, kept = item_text(d), dict(d)
            mark = w.commit(
                PPID,
                msg("classify", "ppid_pembantu", [i], "diteruskan", "diklasifikasi"),
                _classify(state, i, wrong),
            )
            sha = w.sha(mark)
            d.clear()
            d.update(kept)
            w.commit(
                PPID,
                msg(
                    "undo",
                    "ppid_pembantu",
                    [i],
                    "diklasifikasi",
                    "diteruskan",
                    "Salah kategori",
                    DIP_Undoes=sha,
                ),
                [(state.path(i), before)],
            )
            assert item_text(d) == before
        w.commit(
            PPID,
            msg("classify", "ppid_pembantu", [i], "diteruskan", "diklasifikasi"),
            _classify(state, i, category),
        )


def _classify(state: State, i: str, category: str) -> list[tuple[str, str]]:
    d = state.items[i]
    d["kategori"] = category
    d["pengecualian"] = category == "dikecualikan"
    return state.move([i], "diklasifikasi")


def year_one(state: State, w: Writer, rnd: random.Random, units: list[str], size: int) -> list[str]:
    ids: list[str] = []
    for n in range(size):
        unit = units[n % len(units)]
        title = f"{TOPICS[n % len(TOPICS)]} {unit.replace('-', ' ').title()} {n + 1:05d}"
        i = title.lower().replace(" ", "-")
        state.items[i] = {
            "id": i,
            "judul": title,
            "ringkasan": "",
            "unit": unit,
            "penanggung_jawab": "",
            "waktu": "",
            "bentuk": [],
            "retensi": "",
            "status": "draf",
        }
        ids.append(i)
        k = kasubbag(unit)
        w.commit(k, msg("new", "kasubbag", [i], None, "draf"), [state.file(i)])
        if rnd.random() < 0.2:
            state.items[i]["ringkasan"] = f"'Ringkasan {title.lower()}.'"
            edit = message("edit", "kasubbag", [i], subject=f"{i}: ringkasan")
            w.commit(k, edit, [state.file(i)])
    _per_item(state, w, rnd, ids, YEAR1)
    _decide(state, w, units, ids, YEAR1, first=True)
    return ids


def year_two(state: State, w: Writer, rnd: random.Random, units: list[str], ids: list[str]) -> None:
    w.at(stamp(YEAR2, 1, 12))
    public = [i for i in ids if state.items[i]["kategori"] != "dikecualikan"]
    revised = sorted(i for i in public if rnd.random() < 0.57)
    for i in revised:
        d = state.items[i]
        note = f"Pemutakhiran {YEAR2}"
        d.update(catatan=note, rapat=None, keputusan=None, revisi=int(d.get("revisi") or 0) + 1)
        w.commit(
            kasubbag(d["unit"]),
            msg("revise", "kasubbag", [i], d["status"], "draf", note),
            state.move([i], "draf"),
        )
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
        w.at(stamp(year, 10, u + 1, 10))
        meeting_id = f"{date}-penentuan-dip"
        meeting: dict[str, Any] = {
            "id": meeting_id,
            "tanggal": date,
            "waktu": "09:00",
            "tempat": "Ruang Rapat PPID",
            "pimpinan": PPID,
            "peserta": [PPID, SEKRETARIS, kasubbag(unit)],
            "hasil": [{"informasi": i, "keputusan": "ditentukan"} for i in group],
            "penyimpanan": {"softcopy": "Folder PPID", "hardcopy": "Lemari Arsip PPID"},
        }
        base = f"register/rapat/{meeting_id}"
        minutes = render_minutes(
            state.settings,
            Meeting.from_mapping(meeting, state.root / f"{base}.yaml"),
            [state.record(i) for i in group],
        )
        record = roundtrip.render_new(meeting, MODELINE.format(schema="../rapat.schema.json"))
        files = [*state.move(group, "ditentukan", rapat=meeting_id)]
        files += [(f"{base}.yaml", record), (f"{base}.html", minutes)]
        text = msg(
            "meeting", "ppid_pembantu", group, "diklasifikasi", "ditentukan", DIP_Meeting=meeting_id
        )
        w.commit(PPID, text, files)
    every = sorted(state.items)
    public = [i for i in every if state.items[i]["kategori"] != "dikecualikan"]
    exempt = sorted(i for i in chosen if state.items[i]["kategori"] == "dikecualikan")
    adding = sorted(i for i in chosen if i not in exempt)
    w.at(stamp(year, 11, 25, 8))
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
    w.commit(
        KEPALA,
        msg("establish", "kepala", adding, "ditentukan", "ditetapkan", DIP_Decree=decree_id),
        files,
        step=1800,
    )
    if exempt:
        _present(state, w, "penetapan-dik", exempt, exempt, suffix)
        w.commit(
            KEPALA,
            msg("approve", "kepala", exempt, "ditentukan", "disetujui"),
            state.move(exempt, "disetujui"),
        )
        number = f"188.44/dik-1/{year}"
        dik_id = f"sk-188-44-dik-1-{year}"
        dik: dict[str, Any] = {
            "id": dik_id,
            "jenis": "penetapan-dik",
            "nomor": number,
            "tanggal": f"{year}-11-25",
            "tentang": f"Penetapan Informasi yang Dikecualikan di Lingkungan {AGENCY} Tahun {year}",
            "penandatangan": PPID,
            "tempat": PLACE,
            "badan_publik": AGENCY,
            "pejabat": {
                "nama": "PPID Pembantu",
                "email": PPID,
                "jabatan": "PPID Pembantu",
                "unit": AGENCY,
            },
            "menetapkan": exempt,
            "lampiran": exempt,
            "rincian": [
                {
                    "informasi": i,
                    **{k: EXEMPTION[k] for k in ("pasal", "dasar_hukum")},
                    **{k: EXEMPTION[k] for k in ("jangka_waktu", "berakhir", "alasan")},
                }
                for i in exempt
            ],
        }
        files = state.move(exempt, "ditetapkan", keputusan=dik_id)
        files.append(_decree_file(dik_id, dik))
        w.commit(
            PPID,
            msg("exempt", "ppid_pembantu", exempt, "disetujui", "ditetapkan", DIP_Decree=dik_id),
            files,
        )
    ready = sorted(i for i in chosen)
    w.commit(
        PPID,
        msg("publish", "ppid_pembantu", ready, "ditetapkan", "diunggah", DIP_URL=URL),
        state.move(ready, "diunggah"),
        step=600,
    )


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
    text = message(
        "present",
        "ppid_pembantu",
        ids,
        subject=f"{who} {kind}",
        extra={"DIP-Presentation": record_id, "DIP-Lampiran": digest},
    )
    path = f"register/penyampaian/{record_id}.yaml"
    w.commit(PPID, text, [(path, roundtrip.render_new(doc, ""))], step=300)
