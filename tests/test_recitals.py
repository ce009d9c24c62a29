"""Each kind of decree says why it is made (Menimbang) and on what law (Mengingat), and every
paper's signature block prints the signer's pangkat/golongan and NIP (issue 19.3, 19.6)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest

from dipctl.proof.renewal import Period, RenewalReport
from dipctl.publish import consequence, dik_paper, minutes_paper, paper, recitals, renewal_paper
from dipctl.publish.signatory import rank_line
from dipctl.register import model
from dipctl.register.records import Decree, Meeting, Settings
from tests.test_paper import (
    EXEMPT_ITEM,
    KEPALA,
    PPID,
    PUBLIC_ITEMS,
    SEKRETARIS,
    make_item,
    text_of,
)

AGENCY = "Dinas Contoh Provinsi Kalimantan Tengah"
PEOPLE: list[dict[str, Any]] = [
    {
        "nama": "Budi Santoso",
        "email": KEPALA,
        "nip": "197001011990031001",
        "pangkat": "Pembina Utama Muda",
        "golongan": "IV/c",
        "jabatan": "Kepala Dinas Contoh",
        "peran": ["kepala"],
    },
    {
        "nama": "Siti Aminah",
        "email": PPID,
        "nip": "198005052005012005",
        "pangkat": "Penata Tingkat I",
        "golongan": "III/d",
        "jabatan": "PPID Pembantu",
        "peran": ["ppid_pembantu"],
    },
    {
        "nama": "Rahmat Hidayat",
        "email": SEKRETARIS,
        "nip": "197202022000031002",
        "pangkat": "Pembina",
        "golongan": "IV/a",
        "jabatan": "Sekretaris",
        "peran": ["sekretaris"],
    },
]


def settings(**extra: Any) -> Settings:
    return Settings.from_mapping(
        {
            "badan_publik": {"nama": AGENCY, "tempat": "Sampit"},
            "unit": {"program": {"nama": "Subbagian Program"}},
            "orang": PEOPLE,
            **extra,
        }
    )


SETTINGS = settings()
HEAD = "Budi Santoso Pembina Utama Muda (IV/c) NIP. 19700101 199003 1 001"
OFFICER = "Siti Aminah Penata Tingkat I (III/d) NIP. 19800505 200501 2 005"


def decree(**data: Any) -> Decree:
    fields = {"id": "sk-x", "jenis": "penetapan", "penandatangan": KEPALA, "nomor": "188.4/9/2026"}
    return Decree.from_mapping({**fields, "tanggal": "2026-11-26", **data}, Path("sk-x.yaml"))


PREVIOUS = decree(id="sk-lama", nomor="188.4/1/2026", tanggal="2026-01-21", tentang="DIP 2026")
DIK_PREVIOUS = decree(
    id="dik-lama",
    jenis=model.DIK_KIND,
    nomor="188.4/2/2026",
    tentang="Informasi yang Dikecualikan 2026",
    penandatangan=PPID,
)


def menimbang(page: str) -> list[str]:
    part = page.split("<div>Menimbang</div>", 1)[1].split("<div>Mengingat</div>", 1)[0]
    return [" ".join(html.unescape(li).split()) for li in re.findall(r"<li>(.*?)</li>", part, re.S)]


def mengingat(page: str) -> list[str]:
    part = page.split("<div>Mengingat</div>", 1)[1].split("</ol>", 1)[0]
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", part, re.S)]


def sk(made: Decree, previous: Decree | None = None, **kwargs: Any) -> str:
    return paper.render_decree_draft(SETTINGS, made, PUBLIC_ITEMS, previous=previous, **kwargs)


def dik(made: Decree, previous: Decree | None = None, using: Settings = SETTINGS) -> str:
    document = {"pejabat": {"nama": "Siti Aminah", "email": PPID, "jabatan": "PPID Pembantu"}}
    return dik_paper.render(using, made, document, [EXEMPT_ITEM], previous=previous)


# --- the kinds ------------------------------------------------------------------------------


def test_each_decree_record_has_its_kind() -> None:
    assert recitals.kind(decree()) == recitals.ESTABLISHMENT
    assert recitals.kind(decree(mengubah="sk-lama")) == recitals.AMENDMENT
    assert recitals.kind(decree(mencabut="sk-lama")) == recitals.REPLACEMENT
    assert recitals.kind(decree(jenis="pencabutan", mencabut="sk-lama")) == recitals.WITHDRAWAL
    assert recitals.kind(decree(jenis="pencabutan", mengubah="sk-lama")) == recitals.WITHDRAWAL
    dik_kind = {"jenis": model.DIK_KIND, "lampiran": ["a-1"], "menetapkan": ["a-1"]}
    assert recitals.kind(decree(**dik_kind)) == recitals.DIK
    assert recitals.kind(decree(**dik_kind, mengubah="dik-lama")) == recitals.DIK_AMENDMENT
    assert recitals.kind(decree(**dik_kind, mencabut="dik-lama")) == recitals.DIK_REPLACEMENT
    lift = {"jenis": model.DIK_KIND, "lampiran": [], "mengeluarkan": ["a-1"], "mengubah": "x"}
    assert recitals.kind(decree(**lift)) == recitals.LIFT


def test_the_first_sk_dip_rests_on_the_meeting() -> None:
    clauses = menimbang(sk(decree()))
    assert len(clauses) == 3
    assert "Pasal 11 ayat (1) huruf a" in clauses[0]
    assert "ditentukan dalam rapat bersama" in clauses[1]
    assert clauses[2].startswith("bahwa berdasarkan pertimbangan sebagaimana dimaksud")
    assert "huruf a dan huruf b, perlu menetapkan Keputusan Kepala Dinas Contoh" in clauses[2]


def test_a_replacement_is_a_pemutakhiran_of_the_decree_in_force() -> None:
    clauses = menimbang(sk(decree(mencabut="sk-lama"), PREVIOUS))
    assert len(clauses) == 4
    assert "dimutakhirkan paling sedikit 1 (satu) kali dalam 1 (satu) tahun" in clauses[1]
    assert "perlu diganti" in clauses[2]
    assert "huruf a, huruf b dan huruf c" in clauses[3]


def test_an_amendment_names_the_decree_it_amends() -> None:
    made = decree(mengubah="sk-lama", tentang="Perubahan atas Keputusan Nomor 188.4/1/2026")
    clauses = menimbang(sk(made, PREVIOUS))
    assert (
        "telah ditetapkan dengan Keputusan Kepala Dinas Contoh Nomor 188.4/1/2026 tanggal"
        " 21 Januari 2026 tentang DIP 2026" in clauses[1]
    )
    assert "perlu diubah" in clauses[2]
    assert "tentang Perubahan atas Keputusan Nomor 188.4/1/2026;" in clauses[3]


def test_a_withdrawal_states_its_reason_and_no_meeting() -> None:
    gone = make_item("renja-2025", "Rencana Kerja 2025", "berkala", status="dicabut")
    made = decree(
        jenis="pencabutan",
        mencabut="sk-lama",
        tentang="Pencabutan Informasi dari Daftar Informasi Publik",
        lampiran=[i.id for i in PUBLIC_ITEMS],
        mengeluarkan=["renja-2025"],
        alasan="Dokumen telah diganti Renja Perubahan.",
    )
    page = sk(made, PREVIOUS, removed=[gone])
    text = text_of(page)
    assert "rapat" not in text.casefold()  # no meeting took place: none is claimed
    clauses = menimbang(page)
    assert "dengan alasan Dokumen telah diganti Renja Perubahan;" in clauses[1]
    assert "huruf a dan huruf b" in clauses[2]
    assert (
        "Mencabut informasi berikut dari Daftar Informasi Publik sebagaimana dimaksud dalam Diktum"
        " KESATU, dengan alasan Dokumen telah diganti Renja Perubahan: 1. Rencana Kerja 2025."
        in text
    )


def test_the_penetapan_dik_kinds() -> None:
    first = decree(jenis=model.DIK_KIND, penandatangan=PPID, lampiran=["data-pegawai"])
    clauses = menimbang(dik(first))
    assert len(clauses) == 3 and "Pasal 17" in clauses[0]
    assert "disetujui oleh Pimpinan" in clauses[1] and "Pasal 4 ayat (3)" in clauses[1]
    replacing = decree(
        jenis=model.DIK_KIND, penandatangan=PPID, lampiran=["data-pegawai"], mencabut="dik-lama"
    )
    clauses = menimbang(dik(replacing, DIK_PREVIOUS))
    assert len(clauses) == 4 and "perlu diganti" in clauses[2]
    amending = decree(
        jenis=model.DIK_KIND, penandatangan=PPID, lampiran=["data-pegawai"], mengubah="dik-lama"
    )
    clauses = menimbang(dik(amending, DIK_PREVIOUS))
    assert "Nomor 188.4/2/2026" in clauses[1] and "perlu diubah" in clauses[2]
    lift = decree(
        jenis=model.DIK_KIND,
        penandatangan=PPID,
        lampiran=[],
        mengeluarkan=["data-pegawai"],
        mengubah="dik-lama",
        alasan="Jangka waktu pengecualian berakhir",
    )
    page = dik(lift, DIK_PREVIOUS)
    clauses = menimbang(page)
    assert "Pasal 20 ayat (1)" in clauses[0] and "huruf a sampai dengan huruf f" in clauses[0]
    assert "dengan alasan Jangka waktu pengecualian berakhir" in clauses[2]
    assert "rapat" not in text_of(page).casefold()


# --- Mengingat ------------------------------------------------------------------------------


def test_mengingat_defaults_cite_the_law_and_both_perki() -> None:
    for page in (sk(decree()), dik(decree(jenis=model.DIK_KIND, lampiran=["data-pegawai"]))):
        bases = mengingat(page)
        assert bases == [f"{b};" for b in model.DEFAULT_RECITALS[:-1]] + [
            f"{model.DEFAULT_RECITALS[-1]}."
        ]
        assert "Peraturan Komisi Informasi Nomor 1 Tahun 2017" in bases[2]
        assert "Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik" in bases[3]


def test_mengingat_comes_from_register_yaml() -> None:
    own = ["Undang-Undang Nomor 14 Tahun 2008", "Peraturan Gubernur Nomor 1 Tahun 2020"]
    legacy = settings(dasar_hukum=["Undang-Undang Nomor 25 Tahun 2009"])
    page = paper.render_decree_draft(legacy, decree(), PUBLIC_ITEMS)
    assert mengingat(page) == ["Undang-Undang Nomor 25 Tahun 2009."]  # the DIP's fallback
    dik_page = dik(decree(jenis=model.DIK_KIND, lampiran=["data-pegawai"]), using=legacy)
    assert len(mengingat(dik_page)) == 4  # dasar_hukum is the SK DIP's, not the DIK's
    given = settings(
        dasar_hukum=["Undang-Undang Nomor 25 Tahun 2009"],
        naskah={"mengingat": {"dip": own, "dik": own[:1]}},
    )
    page = paper.render_decree_draft(given, decree(), PUBLIC_ITEMS)
    assert mengingat(page) == [f"{own[0]};", f"{own[1]}."]
    dik_page = dik(decree(jenis=model.DIK_KIND, lampiran=["data-pegawai"]), using=given)
    assert mengingat(dik_page) == [f"{own[0]}."]


# --- signature blocks -----------------------------------------------------------------------


def test_rank_lines() -> None:
    assert rank_line("Pembina", "IV/a") == "Pembina (IV/a)"
    assert rank_line("Pembina", "") == "Pembina"
    assert rank_line("", "IX") == "Golongan IX"
    assert rank_line(" ", " ") == ""


def test_every_signature_block_prints_pangkat_and_nip() -> None:
    sk_text = text_of(sk(decree()))
    assert sk_text.count(HEAD) == 2  # the decree and its lampiran
    dik_text = text_of(dik(decree(jenis=model.DIK_KIND, lampiran=["data-pegawai"])))
    assert dik_text.count(OFFICER) == 2  # from orang, as the record names no pangkat
    meeting = Meeting.from_mapping(
        {
            "id": "r",
            "tanggal": "2026-01-20",
            "waktu": "09:30",
            "tempat": "Ruang Rapat",
            "pimpinan": SEKRETARIS,
            "peserta": [PPID, SEKRETARIS],
            "hasil": [{"informasi": "renstra-2025", "keputusan": "ditentukan"}],
            "penyimpanan": {"softcopy": "F", "hardcopy": "L"},
        },
        Path("r.yaml"),
    )
    minutes = text_of(minutes_paper.render_minutes(SETTINGS, meeting, PUBLIC_ITEMS))
    signed = minutes.split("Demikian berita acara", 1)[1]
    assert OFFICER in signed
    assert "Rahmat Hidayat Pembina (IV/a) NIP. 19720202 200003 1 002" in signed
    assert f"Mengetahui, Kepala Dinas Contoh, {HEAD}" in signed
    assert "pukul 09.30 sampai dengan selesai" in minutes
    assert "dipimpin oleh Rahmat Hidayat, Sekretaris untuk" in minutes
    test = {
        **{k: "Isi uji yang cukup panjang" for k in model.EXEMPTION_KEYS},
        "pasal": "17 huruf h",
        "berakhir": "2031-12-31",
        "tanggal_uji": "2026-01-10",
        "penguji": [PPID, "Ahmad — Komisi Informasi"],
    }
    item = make_item("data-pegawai", "Data Pribadi Pegawai", "dikecualikan", pengecualian=test)
    sheet = text_of(consequence.render_sheet(SETTINGS, item))
    assert OFFICER in sheet and f"Menyetujui, Kepala Dinas Contoh, {HEAD}" in sheet
    report = RenewalReport(Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    renewal = text_of(renewal_paper.render_report(SETTINGS, report, dt.date(2026, 12, 31)))
    assert OFFICER in renewal


@pytest.mark.parametrize("blank", [{}, {"nip": "", "pangkat": "", "golongan": ""}])
def test_an_officer_without_rank_or_nip_prints_only_the_name(blank: dict[str, str]) -> None:
    people = [{**PEOPLE[0], "nip": None, "pangkat": None, "golongan": None, **blank}]
    bare = Settings.from_mapping({"badan_publik": {"nama": AGENCY}, "orang": people})
    page = paper.render_decree_draft(bare, decree(), PUBLIC_ITEMS)
    block = page.split('class="ttd"', 1)[1].split("</div>", 1)[0]
    assert "Budi Santoso" in block and "NIP" not in block and 'class="pangkat"' not in block
