"""The rule of ``dipctl verify`` for the signed evidence: the scans beside decrees, meeting
records and approved consequence tests, and the other e-Monev documents (SPEC.md sections 4
and 5; the paths are :mod:`dipctl.register.scans`'s, the owners :mod:`dipctl.proof.owners`')."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dipctl.proof import owners
from dipctl.proof.registry import rule
from dipctl.proof.step import Finding, Step
from dipctl.register import model, scans

if TYPE_CHECKING:
    from collections.abc import Iterator


@rule("evidence")
def signed_evidence_is_what_it_claims(step: Step) -> Iterator[Finding]:
    """A signed scan is a PDF (it starts with `%PDF-`) of at most 2 MB, committed by the
    PPID Pembantu's `attach` step beside the record it belongs to, which must exist in that
    commit: `keputusan/<id>.pdf` beside its decree (`dipctl decree attach`), `rapat/<id>.pdf`
    beside its meeting record (`dipctl meeting attach`), `uji-konsekuensi/<id>.revisi-<n>.pdf`
    for an exempt item at revision n whose consequence test the head has approved
    (`disetujui`, `ditetapkan` or `diunggah`; `dipctl consequence-test ID --attach`). The
    other e-Monev documents, `dokumen/<id>.yaml` with its scan `dokumen/<id>.pdf`, are
    written together by the PPID Pembantu's `document` step (`dipctl document add`). A scan
    is never deleted, and changed only by its own step again (`--replace -m ALASAN`); a
    record never. Any other file in `uji-konsekuensi/` or `dokumen/` is reported too."""
    yield from owners.record_findings(step, "evidence")
    for change in step.commit.changes:
        path = owners.relative(step, change.path)
        if path is None or change.new is None or not path.endswith((".pdf", ".yaml")):
            continue
        row = owners.owner(path)
        if row is None or row.rule == "path" or owners.carried(step, change.path, change.new):
            continue
        if path.startswith(f"{model.DOCUMENTS_DIR}/") and path.endswith(".yaml"):
            scan = change.path.removesuffix(".yaml") + ".pdf"
            if step.objects.blob_at(step.commit.sha, scan) is None:
                yield _found(step, change.path, "verify.document_no_scan", scan=scan)
            continue
        if not path.endswith(".pdf"):
            continue
        data = step.objects.raw(change.new) or b""
        problem = scans.pdf_problem(data)
        if problem:
            size = scans.size_text(len(data))
            key = "verify." + problem.replace(".", "_")
            yield _found(step, change.path, key, size=size, limit=scans.LIMIT_TEXT)
        yield from _beside(step, change.path, path)


def _beside(step: Step, full: str, path: str) -> Iterator[Finding]:
    """The record a scan belongs to, as the commit has it."""
    folder, name = path.split("/", 1)
    stem = name.removesuffix(".pdf")
    if folder != model.TESTS_DIR:
        record = full.removesuffix(".pdf") + ".yaml"
        if step.objects.blob_at(step.commit.sha, record) is None:
            yield _found(step, full, "verify.scan_no_record", record=record)
        return
    item_id, revision = scans.parse_test_name(stem) or (stem, -1)
    data = _item_at(step, item_id)
    if data is None:
        yield _found(step, full, "verify.scan_no_item", id=item_id)
        return
    found = {
        "revision": data.get("revisi") or 0,
        "category": data.get("kategori") or "-",
        "status": data.get("status") or "-",
    }
    if (
        found["revision"] != revision
        or found["category"] != model.EXEMPT
        or not isinstance(data.get("pengecualian"), dict)
        or found["status"] not in scans.TEST_SIGNED_ON
    ):
        params = {"id": item_id, "wanted": revision, **found}
        yield Finding(
            step.commit.sha, full, item_id, "evidence", "verify.scan_test", tuple(params.items())
        )


def _item_at(step: Step, item_id: str) -> dict[str, Any] | None:
    """The item's file as this commit leaves it."""
    for change in step.items:
        if change.id == item_id:
            return change.after
    path = step.item_paths.get(item_id)
    return step.objects.data_at(step.commit.sha, path) if path else None


def _found(step: Step, path: str, key: str, **params: Any) -> Finding:
    found = (("email", step.commit.author_email), *params.items())
    return Finding(step.commit.sha, path, "", "evidence", key, found)
