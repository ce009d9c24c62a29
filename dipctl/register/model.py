"""The register's vocabulary: the keys, values and patterns of its files (SPEC.md section 3).

Register files use the Indonesian legal vocabulary; Python uses English names. This module
and :mod:`dipctl.register.records` (the typed records built from loaded mappings) are the only
ones that spell YAML keys. Everything here is plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,79}$"
ID_RE = re.compile(ID_PATTERN)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NIP_RE = re.compile(r"^[0-9]{18}$")
#: A civil servant's golongan/ruang: "IV/a" (PNS, I/a to IV/e) or a PPPK golongan "IX".
GRADE_PATTERN = r"^(?:(?:I|II|III|IV)/[a-e]|[IVX]{1,5})$"
GRADE_RE = re.compile(GRADE_PATTERN)
#: A meeting's time (``waktu``): "09:00", on a 24-hour clock.
TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
TIME_RE = re.compile(TIME_PATTERN)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
)
_WHEN = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
PERIOD_PATTERN = rf"^{_WHEN}( s\.d\. {_WHEN})?$"

MODELINE = "# yaml-language-server: $schema={schema}\n"
ITEM_SCHEMA_FILE = "informasi.schema.json"

REGISTER_FILE = "register.yaml"
ITEMS_DIR = "informasi"
MEETINGS_DIR = "rapat"
DECREES_DIR = "keputusan"
PRESENTATIONS_DIR = "penyampaian"  # step 5: the draft decree presented to the signatory


class Status(StrEnum):
    DRAFT = "draf"
    SUBMITTED = "diajukan"
    RETURNED = "dikembalikan"
    FORWARDED = "diteruskan"
    CLASSIFIED = "diklasifikasi"
    DETERMINED = "ditentukan"
    APPROVED = "disetujui"  # an exempt item whose consequence test the head approved
    ESTABLISHED = "ditetapkan"
    PUBLISHED = "diunggah"
    WITHDRAWN = "dicabut"


STATUSES = tuple(s.value for s in Status)
#: Statuses in which the item belongs to the established DIP (or DIK).
ESTABLISHED = (Status.ESTABLISHED.value, Status.PUBLISHED.value)
#: Statuses in which the Perki fields may still be incomplete.
EDITABLE_DRAFT = (Status.DRAFT.value, Status.RETURNED.value)
#: Statuses from which `kategori` is required.
CLASSIFIED_ON = ("diklasifikasi", "ditentukan", "disetujui", "ditetapkan", "diunggah", "dicabut")

CATEGORIES = ("berkala", "serta-merta", "setiap-saat", "dikecualikan")
EXEMPT = "dikecualikan"
PERIODIC = "berkala"
#: Sub-headings of the berkala information (site, issue 13.5): the groups under which
#: Indonesian DIPs usually list Pasal 9 information; ``subkategori`` is optional.
SUBCATEGORIES = (
    "profil",
    "program-kegiatan",
    "kinerja",
    "keuangan",
    "akses-informasi",
    "peraturan",
    "pengadaan",
    "tanggap-darurat",
)
FORMS = ("softcopy", "hardcopy")
ROLES = ("kasubbag", "sekretaris", "ppid_pembantu", "kepala")
DIK_KIND = "penetapan-dik"  # the Penetapan DIK (Perki 1/2017 Pasal 4 ayat 4)
DIP_KINDS = ("penetapan", "pencabutan")  # the DIP decrees: establishing, or removing items
DECREE_KINDS = (*DIP_KINDS, DIK_KIND)
MEETING_DECISIONS = ("ditentukan", "dikembalikan")


class Need(StrEnum):
    """When a field must be present and non-empty."""

    ALWAYS = "always"
    SUBMIT = "submit"  # from `diajukan` on (the Perki fields, step 1's kelengkapan)
    CLASSIFIED = "classified"  # from `diklasifikasi` on
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # see validate.KIND_CHECKS and schema.KIND_SCHEMAS
    need: Need
    managed: bool = False  # changed only by dipctl's commands


#: The item file, in canonical key order. One row per key; validate and schema read it.
ITEM_FIELDS: tuple[Field, ...] = (
    Field("id", "id", Need.ALWAYS),
    Field("judul", "text", Need.ALWAYS),
    Field("ringkasan", "text", Need.SUBMIT),
    Field("unit", "unit", Need.ALWAYS),
    Field("penanggung_jawab", "text", Need.SUBMIT),
    Field("waktu_pembuatan", "period", Need.SUBMIT),
    Field("tempat_pembuatan", "text", Need.SUBMIT),
    Field("bentuk", "forms", Need.SUBMIT),
    Field("retensi", "text", Need.SUBMIT),
    Field("kategori", "category", Need.CLASSIFIED),
    Field("subkategori", "subcategory", Need.OPTIONAL),  # only with kategori berkala
    Field("dokumen", "document", Need.OPTIONAL),
    Field("pembaruan", "freshness", Need.OPTIONAL),  # the item's own edition and its period
    Field("pengecualian", "exemption", Need.OPTIONAL),
    Field("status", "status", Need.ALWAYS, managed=True),
    Field("catatan", "text", Need.OPTIONAL, managed=True),
    Field("rapat", "id", Need.OPTIONAL, managed=True),
    Field("keputusan", "id", Need.OPTIONAL, managed=True),
    Field("revisi", "revision", Need.OPTIONAL, managed=True),
)
ITEM_KEYS = tuple(f.key for f in ITEM_FIELDS)
PERKI_KEYS = tuple(f.key for f in ITEM_FIELDS if f.need is Need.SUBMIT)
DOCUMENT_KEYS = ("tautan", "arsip")
#: ``pembaruan``: how often the information itself gets a new edition (``periode``, months or
#: years; default ``pemutakhiran.berkala``) and the date of the edition it points to now.
FRESHNESS_KEYS = ("periode", "edisi")
#: The consequence test (uji konsekuensi), in canonical order; the rules of each key are in
#: :mod:`dipctl.register.exemption`.
EXEMPTION_KEYS = (
    "pasal",  # UU 14/2008 Pasal 17 letter: "17 huruf h"
    "dasar_hukum",
    "bagian",  # what is withheld: "seluruhnya" or the parts
    "konsekuensi_dibuka",
    "konsekuensi_ditutup",
    "kepentingan_publik",  # Pasal 2 ayat 4: closing protects a greater interest
    "alasan",  # the short public reason of the DIK
    "jangka_waktu",
    "berakhir",  # a date, or PERMANENT (letters g-j only)
    "tanggal_uji",
    "penguji",  # the participants: officers' emails, others as "Nama — Jabatan"
)
#: The keys of a consequence test before issue 12 (files with only these still load).
LEGACY_EXEMPTION_KEYS = (
    "dasar_hukum",
    "konsekuensi_dibuka",
    "konsekuensi_ditutup",
    "jangka_waktu",
    "berakhir",
)
#: The keys of the test that the DIK publishes (SPEC.md section 6); never the others.
EXEMPTION_PUBLIC_KEYS = ("pasal", "dasar_hukum", "bagian", "alasan", "jangka_waktu", "berakhir")
PERMANENT = "permanen"
WHOLE = "seluruhnya"
#: Pasal 17 letters; Pasal 20 ayat 1: an exemption under a-f is never permanent.
EXEMPTION_LETTERS = "abcdefghij"
PERMANENT_LETTERS = "ghij"

REGISTER_KEYS = (
    "badan_publik",
    "unit",
    "orang",
    "mutu_baku",
    "pemutakhiran",
    "situs",
    "dasar_hukum",
    "tanda_tangan",
    "verifikasi",
    "riwayat",
    "naskah",
    "anggota",  # a federation's members (dipctl.federation.members)
)
#: A federation's member under ``anggota`` (issue 22): where it is fetched from and what
#: its history was at enrolment (dipctl.federation.members).
MEMBER_KEYS = ("nama", "url", "cabang", "folder", "akar", "didaftarkan", "kunci_kepala")
MEMBER_REQUIRED = ("url", "cabang", "akar", "didaftarkan", "kunci_kepala")
MEMBER_NAME_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
COMMIT_PATTERN = r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$"
FINGERPRINT_PATTERN = r"^SHA256:[A-Za-z0-9+/]{43}$"
REGISTER_REQUIRED = ("badan_publik", "unit", "orang")
#: The agency; ``pemerintah``, ``alamat``, ``telepon``, ``email`` and ``situs`` make the kop.
AGENCY_KEYS = (
    "nama",
    "singkatan",
    "tempat",
    "pemerintah",
    "alamat",
    "telepon",
    "email",
    "situs",
    "jam_layanan",  # the PPID's service hours, shown with its contact on the site
)
#: The keys of the kop and the PPID's contact that ``validate`` warns about when missing.
AGENCY_FORM_KEYS = ("pemerintah", "alamat", "telepon", "email", "situs", "jam_layanan")
#: The kop's logo, the first found wins (the theme's ``static/`` folder).
LOGO_FILES = ("tema/static/logo.svg", "tema/static/logo.png")
UNIT_KEYS = ("nama", "singkatan")
#: ``pangkat`` and ``golongan`` print with the name and NIP in every signature block.
PERSON_KEYS = ("nama", "email", "nip", "pangkat", "golongan", "jabatan", "peran", "unit")
QUALITY_KEYS = ("rapat", "penetapan", "pengunggahan")
#: ``siklus``: the whole DIP is updated by decree at least this often (default 12 bulan);
#: ``berkala``: an item's edition period when its ``pembaruan`` names none (default 6 bulan).
CYCLE_KEYS = ("siklus", "berkala")
DEFAULT_CYCLE = "12 bulan"
DEFAULT_EDITION_PERIOD = "6 bulan"
SITE_KEYS = ("judul", "base_url", "bahasa")
SIGNING_KEYS = ("wajib",)
TRUST_KEYS = ("sejak",)
#: ``linear_sejak``: the last commit of a history made with merges, accepted as it was; after
#: it the history is one chain (SPEC.md section 4, "One chain").
HISTORY_KEYS = ("linear_sejak",)
#: The tata naskah dinas of the printed papers: ``tembusan``, the copies of a decree, and
#: ``mengingat``, the Mengingat of each list's decrees (``dip``: the SK DIP, its amendments and
#: withdrawals; ``dik``: the Penetapan DIK and its amendments).
PAPER_KEYS = ("tembusan", "mengingat")
RECITAL_KEYS = ("dip", "dik")
#: The Mengingat when register.yaml gives none (for the SK DIP: ``dasar_hukum`` first).
DEFAULT_RECITALS = (
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan Pemerintah Nomor 61 Tahun 2010 tentang Pelaksanaan Undang-Undang Nomor 14"
    " Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2017 tentang Pengklasifikasian Informasi Publik",
    "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
)
LANGUAGES = ("id", "en")
#: The keys of register.yaml's sections that hold public text (checked as text).
TEXT_KEYS = (
    "nama",
    "singkatan",
    "tempat",
    "pemerintah",
    "alamat",
    "telepon",
    "judul",
    "jam_layanan",
)

MEETING_KEYS = (
    "id",
    "nomor",  # the berita acara's own number, optional (blank on the paper)
    "tanggal",
    "waktu",  # the time it began, "09:00" (required of new meetings; old records lack it)
    "tempat",
    "pimpinan",  # who chaired it: an attendee's e-mail, or a guest's name
    "peserta",
    "tamu",  # attendees who are not officers of the register: name and position only
    "hasil",
    "penyimpanan",
    "notulen",
)
MEETING_REQUIRED = ("id", "tanggal", "tempat", "peserta", "hasil", "penyimpanan")
PRESENTATION_KEYS = (
    "id",
    "jenis",  # penetapan (the draft SK DIP) or penetapan-dik (the draft Penetapan DIK)
    "disampaikan_oleh",  # the PPID Pembantu who presented it
    "informasi",  # the items it would establish
    "lampiran",  # the complete list the decree would put in force
    "lampiran_sha256",  # hex digest of the lampiran (sorted ids, one per line)
)
PRESENTATION_KINDS = ("penetapan", DIK_KIND)
GUEST_KEYS = ("nama", "jabatan")
MEETING_RESULT_KEYS = ("informasi", "keputusan", "catatan")
STORAGE_KEYS = ("softcopy", "hardcopy")
DECREE_KEYS = (
    "id",
    "jenis",
    "nomor",
    "tanggal",
    "tentang",
    "penandatangan",
    "lampiran",  # the complete DIP (or DIK) in force after the decree
    "menetapkan",  # the items it newly establishes
    "mengeluarkan",  # the items it removes from the list (a withdrawal)
    "mencabut",  # the decree it revokes ("... dicabut dan dinyatakan tidak berlaku")
    "mengubah",  # or the decree it amends ("Perubahan atas Keputusan ...")
    "informasi",  # the old form (before the complete lampiran): read as the lampiran
    "alasan",
    "tempat",  # Penetapan DIK: the place (Pasal 4 ayat 4 f)
    "badan_publik",  # Penetapan DIK: the public body (c)
    "pejabat",  # Penetapan DIK: the PPID official who establishes it (b, c)
    "rincian",  # Penetapan DIK: per item the pasal, the period and the reason (a, d, e)
    "sumber",  # "impor": established outside dipctl and brought in by `dipctl import`
)
DECREE_REQUIRED = ("id", "jenis", "nomor", "tanggal", "penandatangan")
OFFICIAL_KEYS = ("nama", "email", "jabatan", "nip", "pangkat", "golongan", "unit")
DETAIL_KEYS = ("informasi", "pasal", "dasar_hukum", "jangka_waktu", "berakhir", "alasan")

_DURATION_RE = re.compile(r"^\s*([0-9]+)\s*(menit|jam|hari|minggu|bulan|tahun)\s*$")
_MINUTES = {"menit": 1, "jam": 60, "hari": 1440, "minggu": 10080, "bulan": 43200}


def duration_minutes(text: object) -> int | None:
    """``"60 menit"`` -> 60, ``"1 hari"`` -> 1440, ``"6 bulan"`` -> 259200 (30-day months)."""
    match = _DURATION_RE.match(str(text))
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    return count * (_MINUTES[unit] if unit != "tahun" else 525600)


#: The key under which a federation's register.yaml lists its members (the province portal).
MEMBERS = "anggota"


def is_federation(data: Mapping[str, Any]) -> bool:
    """Whether register.yaml (``data``) is a federation's: it has :data:`MEMBERS`."""
    return isinstance(data.get(MEMBERS), dict)


def duration_months(text: object) -> int | None:
    """``"12 bulan"`` -> 12, ``"1 tahun"`` -> 12; None for anything not in months or years."""
    match = _DURATION_RE.match(str(text))
    if not match or match.group(2) not in ("bulan", "tahun"):
        return None
    return int(match.group(1)) * (12 if match.group(2) == "tahun" else 1)


# -- signed scans and the other e-Monev documents (SPEC.md sections 3, 5 and 6) ------------
#: Every scan kept in the register is a PDF (it starts with SCAN_MAGIC) of at most
#: SCAN_MAX_BYTES, the e-Monev upload limit, so that it goes into the pack as it is.
SCAN_MAX_BYTES = 2 * 1024 * 1024
SCAN_MAGIC = b"%PDF-"
#: ``uji-konsekuensi/<item id>.revisi-<n>.pdf``: the signed lembar uji konsekuensi of the
#: test of an item's revision ``n`` (the head's approval is on it).
TESTS_DIR = "uji-konsekuensi"
TEST_REVISION = ".revisi-"
#: ``dokumen/<jenis>-<tanggal>.yaml`` and ``.pdf``: other evidence the e-Monev asks for.
DOCUMENTS_DIR = "dokumen"
DOCUMENT_RECORD_KEYS = ("id", "jenis", "judul", "tanggal")
DOCUMENT_KINDS = ("sk-ppid", "sop", "laporan-layanan", "register-permohonan", "maklumat")
