"""What makes a member's fetched history trusted: proven by the member's own history.

A tip is **verified** when, in this order:

1. its history starts at the root commit enrolled (``akar``): another history is *refused*,
   whatever it contains;
2. it descends from the member's last verified commit: a rewritten history is *refused*
   (the federation never forgets what it proved);
3. the member's register requires signed steps (``tanda_tangan.wajib``): without
   signatures, a history proves nothing about who took a step; and ``penanda-tangan``
   lists a key of its head;
4. the member's own ``verify`` of it finds nothing (a finding *fails* it, named by its rule
   and commit). ``verify``'s rules ``people`` and ``signature`` are what prove that a head's
   key was replaced only by a step of a head with a listed key.

The proof reads the mirror's objects only (:mod:`dipctl.federation.mirror`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from dipctl.errors import DipctlError
from dipctl.federation.members import fingerprint
from dipctl.proof import history as git_history
from dipctl.register import model, records, signers, store

if TYPE_CHECKING:
    from dipctl.federation.mirror import Mirror

VERIFIED = "verified"
FAILED = "failed"
REFUSED = "refused"


@dataclass(frozen=True)
class Proof:
    status: str  # VERIFIED, FAILED or REFUSED
    tip: str
    key: str = ""  # the message naming why, when not verified
    params: dict[str, str] = field(default_factory=dict)
    agency: str = ""  # badan_publik.nama at the tip (verified only)
    head_keys: tuple[str, ...] = ()  # fingerprints of the tip's head(s) (verified only)

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED


def prove(
    mirror: Mirror, folder: str, tip: str, root: str = "", last: str = "", full: bool = False
) -> Proof:
    """The proof of ``tip`` in ``mirror`` for a member whose register is ``folder``; ``root``
    and ``last`` as enrolled and last verified ("" at enrolment); ``full``: the member's
    verify walks its whole history (else it resumes from its checkpoint in the mirror)."""
    first = mirror.git("rev-list", "--first-parent", "--max-parents=0", tip).stdout.split()
    if root and first != [root]:
        return Proof(REFUSED, tip, "federation.other_root", {"root": root[:12],
                     "found": (first[0] if first else "-")[:12]})  # fmt: skip
    if last and not mirror.descends(last, tip):
        return Proof(REFUSED, tip, "federation.rewritten", {"last": last[:12]})
    config = _settings(mirror, tip, folder)
    if config is None:
        return Proof(REFUSED, tip, "federation.no_register", {"folder": folder})
    settings = config
    if not settings.signing_required:
        return Proof(REFUSED, tip, "federation.unsigned", {"folder": folder})
    keys = head_keys(mirror, tip, folder, settings)
    if not keys:
        return Proof(REFUSED, tip, "federation.no_head_key", {"folder": folder})
    found = _findings(mirror, folder, tip, full)
    if found is not None:
        return Proof(FAILED, tip, *found)
    return Proof(VERIFIED, tip, agency=settings.agency_name, head_keys=keys)


def _findings(
    mirror: Mirror, folder: str, tip: str, full: bool
) -> tuple[str, dict[str, str]] | None:
    """The first error of the member's own verify at ``tip``, None when there is none."""
    from dipctl.proof.verify import verify

    try:
        report = verify(mirror.register(folder), tip=tip, resume=not full, save=True)
    except DipctlError as exc:  # a history verify cannot read whole is not proven
        return "federation.unreadable", {"reason": exc.key}
    errors = [f for f in report.findings if f.level == "error"]
    if not errors:
        return None
    first = errors[0]
    return "federation.finding", {
        "rule": first.rule, "commit": first.commit[:12], "count": str(len(errors)),
        "path": first.path or "-",
    }  # fmt: skip


def _settings(mirror: Mirror, tip: str, folder: str) -> records.Settings | None:
    path = f"{folder}/{model.REGISTER_FILE}"
    blob = mirror.read(tip, path)
    if blob is None:
        return None
    try:
        data = store.parse(blob.decode("utf-8"), PurePosixPath(path))  # type: ignore[arg-type]
    except (DipctlError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    return records.Settings.from_mapping(data)


def head_keys(mirror: Mirror, tip: str, folder: str, settings: records.Settings) -> tuple[str, ...]:
    """The fingerprints of the keys ``penanda-tangan`` lists at ``tip`` for the member's
    head(s), sorted."""
    blob = mirror.read(tip, f"{folder}/{signers.FILE}")
    text = blob.decode("utf-8", "replace") if blob else ""
    keys = {
        fingerprint(key)
        for person in settings.people_with("kepala")
        for key in signers.listed(text, person.email)
    }
    return tuple(sorted(keys))


def tip_root(mirror: Mirror, tip: str) -> str:
    """The root of ``tip``'s first-parent line."""
    _, first = git_history.roots(mirror.path, tip, tip)
    return first
