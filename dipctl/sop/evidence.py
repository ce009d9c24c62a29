"""The signed evidence: the PPID Pembantu keeps signed scans and the other documents the
e-Monev asks for in the register, each as one step commit that ``verify`` checks (SPEC.md
section 5; the paths are :mod:`dipctl.register.scans`'s).

- :func:`attach_decree` (``dipctl decree attach``), :func:`attach_minutes` (``dipctl meeting
  attach``) and :func:`attach_test` (``dipctl consequence-test ID --attach``): the signed
  scan beside its record, which must exist: the decree, the meeting, an exempt item whose
  consequence test the head has approved (``disetujui`` and later; the scan is of that
  revision's test).
- :func:`add_document` (``dipctl document add``): another document, its scan and a small
  record (kind, title, date).

A scan is a PDF of at most 2 MB, else refused (exit 3) naming the file and the limit. A
scan is never overwritten silently: attaching one where there is one is refused, unless the
officer says ``--replace`` with the reason (``-m``); the replacement is a new commit, so the
history keeps the scan it replaced and says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dipctl.errors import Incomplete, ItemNotFound, NotAuthorized, Refused, UsageError
from dipctl.register import checks, model, roundtrip, scans
from dipctl.sop.step import Result
from dipctl.sop.transaction import Session

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from dipctl.register.config import Register

ATTACH = "attach"
DOCUMENT = "document"
ROLE = "ppid_pembantu"
DECREE_TRAILER = "DIP-Decree"
MEETING_TRAILER = "DIP-Meeting"
TEST_TRAILER = "DIP-Test"
DOCUMENT_TRAILER = "DIP-Document"


def read_scan(scan: Path) -> bytes:
    """The bytes of a signed scan: a PDF of at most 2 MB, else refused naming the file."""
    try:
        size = scan.stat().st_size
        with scan.open("rb") as handle:
            start = handle.read(len(model.SCAN_MAGIC))
    except OSError as exc:
        raise UsageError("usage.no_file", option="FILE.pdf", value=scan) from exc
    problem = scans.pdf_problem(start, size)
    if problem:
        raise Incomplete(
            problem,
            path=scan,
            size=scans.size_text(size),
            limit=scans.LIMIT_TEXT,
            hint="hint.scan_size" if problem == "scan.too_big" else "hint.scan",
        )
    data = scan.read_bytes()
    if scans.pdf_problem(data):  # changed while it was read
        raise Incomplete("scan.too_big", path=scan, size=scans.size_text(len(data)),
                         limit=scans.LIMIT_TEXT, hint="hint.scan_size")  # fmt: skip
    return data


def attach_decree(
    reg: Register,
    decree_id: str,
    scan: Path,
    as_email: str | None,
    replace: str | None = None,
    when: dt.datetime | None = None,
) -> Result:
    """The signed scan of a decree, ``keputusan/<id>.pdf``. ``replace``: the reason to
    replace the scan already attached (None: refuse to)."""
    data = read_scan(scan)
    session = Session(reg, as_email)
    with session.locked():
        if not (reg.decrees_dir / f"{decree_id}.yaml").is_file():
            raise ItemNotFound("decree.not_found", id=decree_id)
        _authorize(session, decree_id, "decree attach")
        target = scans.decree_scan(reg, decree_id)
        return _commit(session, target, data, (DECREE_TRAILER, decree_id), replace, when)


def attach_minutes(
    reg: Register,
    meeting_id: str,
    scan: Path,
    as_email: str | None,
    replace: str | None = None,
    when: dt.datetime | None = None,
) -> Result:
    """The signed berita acara of a meeting, ``rapat/<id>.pdf``."""
    data = read_scan(scan)
    session = Session(reg, as_email)
    with session.locked():
        if not (reg.meetings_dir / f"{meeting_id}.yaml").is_file():
            raise ItemNotFound("meeting.not_found", id=meeting_id, hint="hint.meetings")
        _authorize(session, meeting_id, "meeting attach")
        target = scans.minutes_scan(reg, meeting_id)
        return _commit(session, target, data, (MEETING_TRAILER, meeting_id), replace, when)


def attach_test(
    reg: Register,
    item_id: str,
    scan: Path,
    as_email: str | None,
    replace: str | None = None,
    when: dt.datetime | None = None,
) -> Result:
    """The signed lembar uji konsekuensi of an exempt item whose test the head approved,
    ``uji-konsekuensi/<id>.revisi-<n>.pdf`` (``n``: the item's revision)."""
    data = read_scan(scan)
    session = Session(reg, as_email)
    with session.locked():
        item = session.items([item_id])[0]
        if item.category != model.EXEMPT or item.exemption is None:
            raise Refused(
                "scan.test_not_exempt", id=item.id, category=item.category or "-",
                hint="hint.scan_test_exempt",
            )  # fmt: skip
        if item.status not in scans.TEST_SIGNED_ON:
            raise Refused(
                "scan.test_not_approved", id=item.id, status=item.status,
                hint="hint.scan_test_approved",
            )  # fmt: skip
        _authorize(session, item.id, "consequence-test --attach")
        target = scans.test_scan(reg, item.id, item.revision)
        name = scans.test_name(item.id, item.revision)
        return _commit(session, target, data, (TEST_TRAILER, name), replace, when)


def add_document(
    reg: Register,
    kind: str,
    scan: Path,
    title: str,
    date: str,
    as_email: str | None,
    replace: str | None = None,
    when: dt.datetime | None = None,
) -> Result:
    """Another document of the e-Monev: ``dokumen/<kind>-<date>.pdf`` and its record. With
    ``replace``, only the scan of a document already kept is replaced; its record (and its
    title) stays."""
    if kind not in model.DOCUMENT_KINDS:
        raise UsageError("usage.document_kind", value=kind, kinds=", ".join(model.DOCUMENT_KINDS))
    if replace is None and checks.check_text(title) is not None:
        raise UsageError("usage.document_title", value=title)
    bad = checks.check_date(date)
    if bad is not None or len(date) != len("2026-01-31"):
        raise UsageError("usage.document_date", value=date)
    if date > checks.today().isoformat():
        raise UsageError("usage.document_future", value=date)
    data = read_scan(scan)
    session = Session(reg, as_email)
    with session.locked():
        _authorize(session, kind, "document add")
        doc_id = scans.document_id(kind, date)
        record = scans.documents_dir(reg) / f"{doc_id}.yaml"
        target = record.with_suffix(".pdf")
        extra: dict[Path, bytes] = {}
        if not record.exists():
            document = scans.Document(doc_id, kind, title.strip(), date, record)
            header = model.MODELINE.format(schema=f"../{model.DOCUMENTS_DIR}.schema.json")
            extra[record] = roundtrip.render_new(document.to_mapping(), header).encode("utf-8")
        elif replace is None:
            raise Refused("scan.exists", path=reg.relative(record), hint="hint.scan_replace")
        trailer = (DOCUMENT_TRAILER, doc_id)
        return _commit(session, target, data, trailer, replace, when, DOCUMENT, extra)


def _authorize(session: Session, subject: str, action: str) -> None:
    if session.person.may_act_for(ROLE):
        return
    who = ", ".join(f"{p.name} <{p.email}>" for p in session.reg.settings.people_with(ROLE))
    raise NotAuthorized(
        "refused.role", id=subject, email=session.person.email, role=ROLE,
        unit="phrase.whole_agency", action=action, who=who or "phrase.nobody",
        hint="hint.who_may",
    )  # fmt: skip


def _commit(
    session: Session,
    target: Path,
    data: bytes,
    trailer: tuple[str, str],
    replace: str | None,
    when: dt.datetime | None,
    action: str = ATTACH,
    extra: dict[Path, bytes] | None = None,
) -> Result:
    """One commit of ``target`` (and ``extra``): refused over a scan already there unless
    ``replace`` gives the reason, and refused when ``--replace`` has nothing to replace."""
    reg = session.reg
    rel = reg.relative(target)
    exists = target.exists() or target.is_symlink()
    if exists and replace is None:
        raise Refused("scan.exists", path=rel, hint="hint.scan_replace")
    if replace is not None and not exists:
        raise Refused("scan.nothing_to_replace", path=rel, hint="hint.scan_no_replace")
    if replace is not None and not replace.strip():
        raise UsageError("usage.replace_reason")
    if exists and scans.present(target) is not None and target.read_bytes() == data:
        raise Refused("scan.same", path=rel)
    files: dict[Path, bytes | None] = {**(extra or {}), target: data}
    subject = f"{trailer[1]} ({'ganti pindaian' if replace is not None else 'pindaian'})"
    commit = session.commit_contents(
        action,
        ROLE,
        [],
        files,
        note=replace or "",
        trailers={trailer[0]: trailer[1]},
        when=when,
        subject=subject,
    )
    return Result(commit, (), tuple(reg.relative(p) for p in files))
