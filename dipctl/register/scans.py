"""The signed scans and the other e-Monev documents kept in the register (SPEC.md 3 and 5).

Each is written by the PPID Pembantu in one step commit that ``verify`` checks:

- ``keputusan/<id>.pdf``: the signed decree (``dipctl decree attach``);
- ``rapat/<id>.pdf``: the signed berita acara (``dipctl meeting attach``);
- ``uji-konsekuensi/<item>.revisi-<n>.pdf``: the signed lembar uji konsekuensi of the test of
  the item's revision ``n``, which carries the head's approval
  (``dipctl consequence-test ID --attach``);
- ``dokumen/<jenis>-<tanggal>.pdf`` with its record ``.yaml`` (``id``, ``jenis``, ``judul``,
  ``tanggal``): the SK PPID, the signed SOP, the laporan layanan, the register permohonan,
  the maklumat (``dipctl document add``).

Every scan is a PDF (it starts with ``%PDF-``) of at most 2 MB, e-Monev's limit per file,
so that the pack takes it as it is. The steps (:mod:`dipctl.sop.evidence`), ``validate``
(:mod:`dipctl.register.scan_checks`), ``verify`` (:mod:`dipctl.proof.evidence_rules`) and
``monev`` take these names from here only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dipctl.register import model, store

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Item

LIMIT_TEXT = "2 MB"
#: The statuses in which an item's consequence test carries the head's approval, so that
#: its signed sheet can exist (`approve` and later, until the item is revised).
TEST_SIGNED_ON = (
    model.Status.APPROVED.value,
    model.Status.ESTABLISHED.value,
    model.Status.PUBLISHED.value,
)
_ID = model.ID_PATTERN.strip("^$")
_TEST_RE = re.compile(rf"({_ID}){re.escape(model.TEST_REVISION)}(0|[1-9][0-9]{{0,8}})")


def pdf_problem(data: bytes, size: int | None = None) -> str:
    """ "" for a PDF of at most 2 MB; else the message key of what is wrong with it
    (``scan.not_pdf``, ``scan.too_big``). ``size``: the whole file's, when ``data`` is only
    its start."""
    if not data.startswith(model.SCAN_MAGIC):
        return "scan.not_pdf"
    if (len(data) if size is None else size) > model.SCAN_MAX_BYTES:
        return "scan.too_big"
    return ""


def size_text(size: int) -> str:
    """A size as an officer reads it: ``2,4 MB``, ``180 KB``."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def test_name(item_id: str, revision: int) -> str:
    """The stem of the signed test of ``item_id``'s revision: ``<id>.revisi-<n>``."""
    return f"{item_id}{model.TEST_REVISION}{revision}"


def parse_test_name(stem: str) -> tuple[str, int] | None:
    """``<id>.revisi-<n>`` -> (id, n); None for any other name."""
    found = _TEST_RE.fullmatch(stem)
    return (found.group(1), int(found.group(2))) if found else None


def tested_revision(item: Item) -> int:
    """The revision whose consequence test is the item's approved one: its own from
    ``disetujui`` on, else the one before (an item under revision; its new test is not
    approved yet)."""
    if item.status in TEST_SIGNED_ON or item.revision == 0:
        return item.revision
    return item.revision - 1


def document_id(kind: str, date: str) -> str:
    return f"{kind}-{date}"


def decree_scan(reg: Register, decree_id: str) -> Path:
    return reg.decrees_dir / f"{decree_id}.pdf"


def minutes_scan(reg: Register, meeting_id: str) -> Path:
    return reg.meetings_dir / f"{meeting_id}.pdf"


def tests_dir(reg: Register) -> Path:
    return reg.root / model.TESTS_DIR


def test_scan(reg: Register, item_id: str, revision: int) -> Path:
    return tests_dir(reg) / f"{test_name(item_id, revision)}.pdf"


def documents_dir(reg: Register) -> Path:
    return reg.root / model.DOCUMENTS_DIR


def present(path: Path) -> Path | None:
    """``path`` when it is a regular file (never a symbolic link), else None."""
    return path if path.is_file() and not path.is_symlink() else None


@dataclass(frozen=True)
class Document:
    """A record ``dokumen/<id>.yaml``: the other evidence of the e-Monev, its scan beside it."""

    id: str
    kind: str
    title: str
    date: str
    path: Path  # the record

    @property
    def pdf(self) -> Path:
        return self.path.with_suffix(".pdf")

    @classmethod
    def from_mapping(cls, data: dict[str, Any], path: Path) -> Document:
        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        return cls(text("id") or path.stem, text("jenis"), text("judul"), text("tanggal"), path)

    def to_mapping(self) -> dict[str, str]:
        keys = model.DOCUMENT_RECORD_KEYS
        return dict(zip(keys, (self.id, self.kind, self.title, self.date), strict=True))


def load_documents(reg: Register) -> list[Document]:
    """Every document record, by kind, date and id; a record that cannot be read raises
    :class:`~dipctl.errors.InvalidFile` (it is never left out silently)."""
    found = []
    for path in store.iter_yaml(documents_dir(reg)):
        data = store.load(path)
        found.append(Document.from_mapping(data if isinstance(data, dict) else {}, path))
    return sorted(found, key=lambda d: (d.kind, d.date, d.id))
