"""The typed records of the register (SPEC.md section 3): an item, a person, the settings of
register.yaml, a meeting and a decree, each built from a loaded mapping. With
:mod:`dipctl.register.model`, whose vocabulary it uses, the only module that spells YAML keys.
Frozen dataclasses; building one never fails: a value of the wrong type reads as empty, and
:mod:`dipctl.register.validate` reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dipctl.register.lenient import mapping as _mapping
from dipctl.register.lenient import sequence as _list
from dipctl.register.lenient import strings as _strings
from dipctl.register.lenient import text as _text
from dipctl.register.model import (
    DEFAULT_CYCLE,
    DEFAULT_EDITION_PERIOD,
    DEFAULT_RECITALS,
    DIK_KIND,
    ESTABLISHED,
    EXEMPTION_KEYS,
    duration_months,
    is_federation,
)


@dataclass(frozen=True)
class Exemption:
    """The consequence test (``pengecualian``); a key an old file lacks reads as empty."""

    article: str  # pasal: "17 huruf h"
    legal_basis: str
    withheld: str  # bagian: "seluruhnya" or the parts
    if_opened: str
    if_closed: str
    public_interest: str
    reason: str  # alasan: the short public reason
    period: str
    ends: str  # a date or "permanen"
    tested: str  # tanggal_uji
    testers: tuple[str, ...] = ()  # penguji: emails, or "Nama — Jabatan"

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Exemption:
        return cls(
            article=_text(data.get("pasal")),
            legal_basis=_text(data.get("dasar_hukum")),
            withheld=_text(data.get("bagian")),
            if_opened=_text(data.get("konsekuensi_dibuka")),
            if_closed=_text(data.get("konsekuensi_ditutup")),
            public_interest=_text(data.get("kepentingan_publik")),
            reason=_text(data.get("alasan")),
            period=_text(data.get("jangka_waktu")),
            ends=_text(data.get("berakhir")),
            tested=_text(data.get("tanggal_uji")),
            testers=_strings(data.get("penguji")),
        )

    def as_mapping(self) -> dict[str, Any]:
        """Under the register's keys (``penguji`` as a list)."""
        values = [*vars(self).values()]
        return dict(zip(EXEMPTION_KEYS, [*values[:-1], list(self.testers)], strict=True))


@dataclass(frozen=True)
class Item:
    """One information item (one row of the DIP, or of the DIK when exempt)."""

    id: str
    title: str
    unit: str
    status: str
    summary: str = ""
    responsible: str = ""
    made: str = ""
    place: str = ""
    forms: tuple[str, ...] = ()
    retention: str = ""
    category: str = ""
    subcategory: str = ""  # subkategori: a sub-heading of berkala information
    document_link: str = ""
    document_archive: str = ""
    update_period: str = ""  # pembaruan.periode: how often a new edition comes out
    edition: str = ""  # pembaruan.edisi: the date of the edition the item points to
    exemption: Exemption | None = None
    note: str = ""
    meeting: str = ""
    decree: str = ""
    revision: int = 0
    file: str = field(default="", compare=False)  # a str: cached items unpickle fast

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def established(self) -> bool:
        return self.status in ESTABLISHED

    @classmethod
    def from_mapping(cls, data: dict[str, Any], path: Path) -> Item:
        """Build an item from a loaded mapping, leniently: validate reports what is wrong."""
        doc = _mapping(data.get("dokumen"))
        fresh = _mapping(data.get("pembaruan"))
        exemption = data.get("pengecualian")
        revision = data.get("revisi")
        return cls(
            id=_text(data.get("id")) or path.stem,
            title=_text(data.get("judul")),
            unit=_text(data.get("unit")) or path.parent.name,
            status=_text(data.get("status")),
            summary=_text(data.get("ringkasan")),
            responsible=_text(data.get("penanggung_jawab")),
            made=_text(data.get("waktu_pembuatan")),
            place=_text(data.get("tempat_pembuatan")),
            forms=_strings(data.get("bentuk")),
            retention=_text(data.get("retensi")),
            category=_text(data.get("kategori")),
            subcategory=_text(data.get("subkategori")),
            document_link=_text(doc.get("tautan")),
            document_archive=_text(doc.get("arsip")),
            update_period=_text(fresh.get("periode")),
            edition=_text(fresh.get("edisi")),
            exemption=Exemption.from_mapping(exemption) if isinstance(exemption, dict) else None,
            note=_text(data.get("catatan")),
            meeting=_text(data.get("rapat")),
            decree=_text(data.get("keputusan")),
            revision=revision if isinstance(revision, int) and 0 <= revision <= 10**9 else 0,
            file=str(path),
        )

    def to_public_dict(self) -> dict[str, Any]:
        """The item under its register keys, for ``--json`` output."""
        data: dict[str, Any] = {
            "id": self.id,
            "judul": self.title,
            "ringkasan": self.summary,
            "unit": self.unit,
            "penanggung_jawab": self.responsible,
            "waktu_pembuatan": self.made,
            "tempat_pembuatan": self.place,
            "bentuk": list(self.forms),
            "retensi": self.retention,
            "kategori": self.category or None,
            **({"subkategori": self.subcategory} if self.subcategory else {}),
            "status": self.status,
            "revisi": self.revision,
        }
        if self.document_link or self.document_archive:
            data["dokumen"] = {"tautan": self.document_link, "arsip": self.document_archive}
        if self.update_period or self.edition:
            data["pembaruan"] = {"periode": self.update_period, "edisi": self.edition}
        if self.exemption:
            data["pengecualian"] = self.exemption.as_mapping()
        for key, value in (("catatan", self.note), ("rapat", self.meeting)):
            if value:
                data[key] = value
        if self.decree:
            data["keputusan"] = self.decree
        return data


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    roles: tuple[str, ...]
    units: tuple[str, ...] = ()
    position: str = ""
    nip: str = ""
    rank: str = ""  # pangkat: "Pembina"
    grade: str = ""  # golongan: "IV/a"

    def may_act_for(self, role: str, unit: str | None = None) -> bool:
        """Holds ``role`` (and, a kasubbag or a sekretaris with listed units, covers ``unit``)."""
        if role not in self.roles:
            return False
        if unit is None or role in ("ppid_pembantu", "kepala"):
            return True
        return unit in self.units if (role == "kasubbag" or self.units) else True


@dataclass(frozen=True)
class Settings:
    """register.yaml, parsed."""

    agency_name: str
    agency_short: str
    agency_place: str
    agency_site: str
    units: dict[str, str]
    people: tuple[Person, ...]
    quality: dict[str, str]
    cycle_months: int  # pemutakhiran.siklus in months (12 when absent or unusable)
    periodic_months: int  # pemutakhiran.berkala: an item's default edition period
    site_title: str
    base_url: str
    languages: tuple[str, ...]
    legal_bases: tuple[str, ...]
    signing_required: bool
    trust_root: str
    linear_since: str  # riwayat.linear_sejak: merges up to this commit are accepted as made
    government: str = ""  # the kop's government line: "Pemerintah Provinsi Kalimantan Tengah"
    agency_address: str = ""
    agency_phone: str = ""
    agency_email: str = ""
    agency_hours: str = ""  # badan_publik.jam_layanan: the PPID's service hours
    copies: tuple[str, ...] = ()  # naskah.tembusan: the decree's copies ("Tembusan Yth.")
    recitals: dict[str, tuple[str, ...]] = field(default_factory=dict)  # naskah.mengingat
    cycle_text: str = DEFAULT_CYCLE  # pemutakhiran.siklus as written
    periodic_text: str = DEFAULT_EDITION_PERIOD  # pemutakhiran.berkala as written
    federation: bool = False  # a federation's (model.is_federation)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Settings:
        agency = _mapping(data.get("badan_publik"))
        cycle = _mapping(data.get("pemutakhiran"))
        site = _mapping(data.get("situs"))
        paper = _mapping(data.get("naskah"))
        units = {
            str(key): _text(_mapping(value).get("nama")) or str(key)
            for key, value in _mapping(data.get("unit")).items()
        }
        people = tuple(
            Person(
                name=_text(p.get("nama")),
                email=_text(p.get("email")).lower(),
                roles=_strings(p.get("peran")),
                units=_strings(p.get("unit")),
                position=_text(p.get("jabatan")),
                nip=_text(p.get("nip")),
                rank=_text(p.get("pangkat")),
                grade=_text(p.get("golongan")),
            )
            for p in _list(data.get("orang"))
            if isinstance(p, dict)
        )
        return cls(
            agency_name=_text(agency.get("nama")),
            agency_short=_text(agency.get("singkatan")) or _text(agency.get("nama")),
            agency_place=_text(agency.get("tempat")),
            agency_site=_text(agency.get("situs")),
            units=units,
            people=people,
            quality={k: _text(v) for k, v in _mapping(data.get("mutu_baku")).items()},
            cycle_months=duration_months(cycle.get("siklus", DEFAULT_CYCLE)) or 12,
            periodic_months=duration_months(cycle.get("berkala", DEFAULT_EDITION_PERIOD)) or 6,
            site_title=_text(site.get("judul")) or "Daftar Informasi Publik",
            base_url=_text(site.get("base_url")),
            languages=_strings(site.get("bahasa")) or ("id",),
            legal_bases=_strings(data.get("dasar_hukum")),
            signing_required=bool(_mapping(data.get("tanda_tangan")).get("wajib", False)),
            trust_root=_text(_mapping(data.get("verifikasi")).get("sejak")),
            linear_since=_text(_mapping(data.get("riwayat")).get("linear_sejak")),
            government=_text(agency.get("pemerintah")),
            agency_address=_text(agency.get("alamat")),
            agency_phone=_text(agency.get("telepon")),
            agency_email=_text(agency.get("email")),
            agency_hours=_text(agency.get("jam_layanan")),
            copies=_strings(paper.get("tembusan")),
            recitals={str(k): _strings(v) for k, v in _mapping(paper.get("mengingat")).items()},
            cycle_text=_text(cycle.get("siklus", DEFAULT_CYCLE)),
            periodic_text=_text(cycle.get("berkala", DEFAULT_EDITION_PERIOD)),
            federation=is_federation(data),
        )

    def decree_recitals(self, dik: bool) -> tuple[str, ...]:
        """The Mengingat of a decree of the DIK (``dik``) or of the DIP: ``naskah.mengingat``
        of that list, else (the DIP) ``dasar_hukum``, else :data:`DEFAULT_RECITALS`."""
        given = self.recitals.get("dik" if dik else "dip", ())
        return given or (() if dik else self.legal_bases) or DEFAULT_RECITALS

    def person(self, email: str) -> Person | None:
        wanted = email.strip().lower()
        return next((p for p in self.people if p.email == wanted), None)

    def people_with(self, role: str, unit: str | None = None) -> list[Person]:
        return [p for p in self.people if p.may_act_for(role, unit)]


@dataclass(frozen=True)
class Decree:
    """A decree: a DIP decree (``penetapan``, ``pencabutan``) or the Penetapan DIK.

    ``items`` is its lampiran, the complete list in force after it; an old decree without
    ``lampiran`` is read from ``informasi`` (for an old withdrawal: the items it removed)."""

    id: str
    kind: str
    number: str
    date: str
    subject: str
    signer: str
    items: tuple[str, ...]
    reason: str = ""
    establishes: tuple[str, ...] = ()
    removes: tuple[str, ...] = ()
    revokes: tuple[str, ...] = ()  # mencabut: the chain in force, base first (old: one id)
    amends: tuple[str, ...] = ()  # mengubah: the same, when it amends
    place: str = ""
    complete: bool = False  # has a lampiran of the complete list (not the old form)

    @property
    def dik(self) -> bool:
        return self.kind == DIK_KIND

    @property
    def replaces(self) -> tuple[str, ...]:
        return self.revokes or self.amends

    @property
    def follows(self) -> str:
        """The decree in force before it (the last it revokes or amends), or ""."""
        return self.replaces[-1] if self.replaces else ""

    @classmethod
    def from_mapping(cls, data: dict[str, Any], path: Path) -> Decree:
        kind = _text(data.get("jenis"))
        old = _strings(data.get("informasi"))
        complete = "lampiran" in data
        if complete:
            items = _strings(data.get("lampiran"))
            establishes = _strings(data.get("menetapkan"))
            removes = _strings(data.get("mengeluarkan"))
        elif kind == "pencabutan":
            items, establishes, removes = (), (), old
        else:
            items, establishes, removes = old, old, ()
        return cls(
            id=_text(data.get("id")) or path.stem,
            kind=kind,
            number=_text(data.get("nomor")),
            date=_text(data.get("tanggal")),
            subject=_text(data.get("tentang")),
            signer=_text(data.get("penandatangan")),
            items=items,
            reason=_text(data.get("alasan")),
            establishes=establishes,
            removes=removes,
            revokes=_strings(data.get("mencabut")),
            amends=_strings(data.get("mengubah")),
            place=_text(data.get("tempat")),
            complete=complete,
        )


@dataclass(frozen=True)
class Guest:
    """An attendee who is not an officer of the register: a name and a position only."""

    name: str
    position: str = ""


@dataclass(frozen=True)
class Meeting:
    id: str
    date: str
    place: str
    attendees: tuple[str, ...]
    decisions: dict[str, str]
    softcopy: str
    hardcopy: str
    notes: dict[str, str] = field(default_factory=dict)  # item id -> catatan of a decision
    minutes: str = ""  # notulen: free text of the berita acara
    number: str = ""  # nomor of the berita acara; blank to be filled in by hand
    guests: tuple[Guest, ...] = ()
    time: str = ""  # waktu: "09:00"; an old record has none (a blank on the paper)
    chair: str = ""  # pimpinan: an attendee's e-mail, or a guest's name

    @classmethod
    def from_mapping(cls, data: dict[str, Any], path: Path) -> Meeting:
        storage = _mapping(data.get("penyimpanan"))
        results = [r for r in _list(data.get("hasil")) if isinstance(r, dict)]
        decisions = {_text(r.get("informasi")): _text(r.get("keputusan")) for r in results}
        notes = {
            _text(r.get("informasi")): _text(r.get("catatan")) for r in results if r.get("catatan")
        }
        return cls(
            id=_text(data.get("id")) or path.stem,
            date=_text(data.get("tanggal")),
            place=_text(data.get("tempat")),
            attendees=_strings(data.get("peserta")),
            decisions=decisions,
            softcopy=_text(storage.get("softcopy")),
            hardcopy=_text(storage.get("hardcopy")),
            notes=notes,
            minutes=_text(data.get("notulen")),
            number=_text(data.get("nomor")),
            guests=tuple(
                Guest(_text(g.get("nama")), _text(g.get("jabatan")))
                for g in _list(data.get("tamu"))
                if isinstance(g, dict) and _text(g.get("nama"))
            ),
            time=_text(data.get("waktu")),
            chair=_text(data.get("pimpinan")),
        )
