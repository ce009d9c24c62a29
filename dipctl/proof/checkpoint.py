"""The checkpoint of ``dipctl verify``: where the last whole walk stopped, so that the next
``verify`` judges only the commits made since (issue 21, item 2).

After a walk of the history up to a tip C, :func:`save` keeps in ``.git/dipctl/verify.pickle``
the report so far (findings with their commits, the count) and the walk's state (the item ids
seen, each item's latest commit and path, the deleted ids, the trust root, the versions every
path has had when the history has merges; without merges, the first merge after C builds that
graph from the diffs up to C). What git answers for any commit (a file's blob at a commit, a
commit's time or author) is not kept: the walk asks git for the few commits before C that the
new ones name as parents. The next ``verify`` at tip T uses it only when
every key matches: the file's format, a digest of the source that judges (:func:`code`: every
module of :mod:`dipctl.proof`, :mod:`dipctl.sop` and :mod:`dipctl.register` and the top-level
ones, so an edited rule, a new rule or another dipctl version never reads a checkpoint written
by other code; a digest rather than the version number, which a source checkout does not
change and which would cost more to read than the digest), the Python version, the register's
folder, and the policy at T that decides which commits are skipped or judged as merged history
(``verifikasi.sejak``, ``riwayat.linear_sejak``). T == C: the answer is the checkpoint's,
without a walk. C on T's first-parent line: the walk resumes at C and judges C..T (the
first-parent root is then C's). Anything else (a rewritten or amended history, another branch,
another policy, a file that is unreadable, truncated, foreign or of another version): the
whole walk, silently. ``verify --full`` never reads it.

The order of a walk is :func:`~dipctl.proof.replay.canonical`: the walk of T is the walk of C
followed by that of C..T, so resuming finds exactly what a whole walk finds.

The file is written atomically (a temp file renamed over it) after a walk finished: a reader
never sees it half written, two writers leave one whole file. Each of its two parts carries
its length and SHA-256, so a damaged file is never unpickled. Pickle is acceptable here as it
is for the item cache: git never transfers ``.git/`` (clone, fetch and push carry objects and
refs, not ``.git/dipctl/``), so only dipctl on this machine writes it, and whoever can write
``.git/`` can as well write ``.git/hooks``; besides, it is read by
:func:`dipctl.proof.framed.unpickle`, which loads no class but a report's four, so a
planted file cannot run code. It is a local cache, never evidence: CI runs ``verify
--full`` on its own clone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dipctl.files import source_digest, write_atomic
from dipctl.proof import framed
from dipctl.proof.history import GIT, preflight
from dipctl.proof.report import Report
from dipctl.register import model, store
from dipctl.register.records import Settings

if TYPE_CHECKING:
    from dipctl.register.config import Register

FORMAT = 1
FILE = "verify.pickle"
_MAGIC = b"dipctl verify checkpoint\n"
_JUDGING = ("proof", "sop", "register")  # with the top-level modules: the code that judges
#: The only classes a checkpoint may hold (besides builtins): a report's.
_CLASSES = frozenset(
    {
        ("dipctl.proof.report", "Report"),
        ("dipctl.proof.step", "Finding"),
        ("dipctl.proof.replay", "Commit"),
        ("dipctl.proof.replay", "Change"),
    }
)


@functools.cache
def code() -> str:
    """The SHA-256 of the source that judges a history: the top-level modules of dipctl and
    every module of its ``proof``, ``sop`` and ``register`` packages, with their names."""
    return source_digest(_JUDGING, (".py",), top=True)


@dataclass(frozen=True)
class Here:
    """What this run's checkpoint is keyed by."""

    file: Path
    work_tree: Path
    prefix: str
    tip: str  # the full commit id
    policy: tuple[str, str]  # verifikasi.sejak and riwayat.linear_sejak at the tip

    @property
    def key(self) -> tuple[Any, ...]:
        return (FORMAT, code(), sys.version_info[:2], self.prefix)

    @property
    def config_path(self) -> str:
        return f"{self.prefix}{model.REGISTER_FILE}"


@dataclass
class Saved:
    """A checkpoint whose keys match: its tip, the report up to it, and the bytes of its
    state, read with them from the same file (a writer replacing the file meanwhile cannot
    pair this tip with another checkpoint's state)."""

    tip: str
    report: Report
    rest: bytes

    def state(self) -> dict[str, Any] | None:
        """The walk's state (unpickled only when resuming), or None when it cannot be read."""
        try:
            found = framed.unpickle(framed.part(io.BytesIO(self.rest)), _CLASSES)
        except ValueError:
            return None
        return found if isinstance(found, dict) else None


def here(reg: Register, prefix: str, tip: str = "HEAD") -> Here | None:
    """The keys of a checkpoint for ``tip`` (None: no commit there)."""
    if reg.git_dir is None:
        return None
    done = _git(reg.work_tree, "rev-parse", "-q", "--verify", f"{tip}^{{commit}}")
    if done.returncode != 0:
        return None
    sha = done.stdout.decode().strip()
    config = _git(reg.work_tree, "cat-file", "blob", f"{sha}:{prefix}{model.REGISTER_FILE}")
    policy = ("", "")
    if config.returncode == 0:
        policy = _policy(reg.git_dir, config.stdout)
    return Here(reg.git_dir / "dipctl" / FILE, reg.work_tree, prefix, sha, policy)


def _policy(git_dir: Path, raw: bytes) -> tuple[str, str]:
    """The trust root and ``linear_since`` of register.yaml's bytes ``raw``: parsed once
    per content (kept in ``.git/dipctl/policy.pickle`` keyed by the bytes themselves and
    the stamps of the register code that parses them), so that a warm ``verify`` parses
    no YAML."""
    from dipctl.register import cachefile

    table = cachefile.Table(
        git_dir / "dipctl" / "policy.pickle", f"policy:{cachefile.code_stamp()}"
    )
    kept = table.load().get(raw)
    if isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(p, str) for p in kept):
        return kept
    policy = ("", "")
    with contextlib.suppress(Exception):  # as verify reads it: unreadable, no policy
        data = store.parse(raw.decode("utf-8"), Path(model.REGISTER_FILE))
        if isinstance(data, dict):
            settings = Settings.from_mapping(data)
            policy = (settings.trust_root, settings.linear_since)
    table.replace({raw: policy})
    return policy


def load(at: Here) -> Saved | None:
    """The checkpoint when every key but the tip matches ``at`` (None: none to use)."""
    try:
        fh = io.BytesIO(at.file.read_bytes())  # one read: the report and state of one file
        if fh.read(len(_MAGIC)) != _MAGIC:
            return None
        head = framed.unpickle(framed.part(fh), _CLASSES)
    except (OSError, ValueError):
        return None
    if not (isinstance(head, tuple) and len(head) == 4):
        return None
    key, tip, policy, report = head
    if key != at.key or policy != at.policy or not isinstance(report, Report):
        return None
    if not isinstance(tip, str) or not isinstance(report.findings, list):
        return None
    return Saved(tip, report, fh.read())


def answer(reg: Register) -> Report | None:
    """The report of HEAD when the checkpoint is HEAD's own (None: a walk is needed, or
    :func:`~dipctl.proof.verify.verify` has an error to report); a history git would show
    incomplete is refused here as there (:func:`~dipctl.proof.history.preflight`)."""
    rel = reg.relative(reg.root)  # step.register_prefix, without loading the SOP's table
    prefix = "" if rel in (".", "") else rel.rstrip("/") + "/"
    if reg.git_dir is None or prefix.startswith("../"):
        return None
    preflight(reg.work_tree)
    at = here(reg, prefix)
    saved = load(at) if at is not None else None
    return saved.report if saved is not None and at is not None and saved.tip == at.tip else None


def follows(at: Here, older: str) -> bool:
    """Whether ``older`` is on the first-parent line of ``at``'s tip (and not the tip)."""
    done = _git(at.work_tree, "rev-list", "--first-parent", "--parents", f"{older}..{at.tip}")
    lines = done.stdout.decode().split("\n") if done.returncode == 0 else []
    last = [line for line in lines if line.strip()][-1:]
    return bool(last) and last[0].split()[1:2] == [older]


def save(at: Here, report: Report, state: dict[str, Any]) -> None:
    """Keep ``report`` and the walk's ``state`` for ``at`` (atomically; a folder that cannot
    be written, no checkpoint). The commits keep their metadata, not their diffs (printing
    needs no more)."""
    commits = {sha: dataclasses.replace(c, changes=()) for sha, c in report.commits.items()}
    findings = [dataclasses.replace(f, params=_plain(f.params)) for f in report.findings]
    slim = Report(findings, commits, report.checked)
    head = pickle.dumps(_canonical((at.key, at.tip, at.policy, slim)), protocol=5)
    body = pickle.dumps(_canonical(state), protocol=5)
    with contextlib.suppress(OSError):
        at.file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(at.file, _MAGIC + framed.framed(head) + framed.framed(body))


def _canonical(value: Any) -> Any:
    """``value`` with each string interned (as are the attribute names pickle writes beside
    them): pickle's bytes then follow from the values alone, not from which objects the
    walk happened to share (a walk judged in two processes shares fewer:
    :mod:`~dipctl.proof.halves`)."""
    if type(value) is str:
        return sys.intern(value)
    if isinstance(value, dict):
        return {_canonical(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_canonical(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return dataclasses.replace(
            value, **{f.name: _canonical(getattr(value, f.name)) for f in fields if f.init}
        )
    return value


def accepted_digest(skip: set[str], nonlinear: set[str]) -> str:
    """One value for the commits the policy skips and the merges it accepts."""
    text = " ".join(sorted(skip)) + "|" + " ".join(sorted(nonlinear))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(params: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    """A message's parameters as builtins (what the unpickler loads); the messages format
    them without a spec, so ``str`` prints the same."""
    return tuple((k, v if type(v) in _PLAIN else str(v)) for k, v in params)


_PLAIN = (str, int, float, bool, type(None))


def _git(work_tree: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*GIT, *args], cwd=work_tree, capture_output=True, check=False)


#: A walk's state, by attribute of :class:`~dipctl.proof.verify.Replay`, with its type; and
#: the digest of what the policy accepted (:func:`accepted_digest`).
STATE = {"known": set, "latest": dict, "paths": dict, "deleted": dict, "root": str,
         "graph": bool, "versions": dict, "gone": set}  # fmt: skip


def state_of(walk: object, accepted: str) -> dict[str, Any]:
    """What a walk needs to go on from where ``walk`` stopped (builtins only)."""
    return {**{name: getattr(walk, name) for name in STATE}, "accepted": accepted}


def restore(walk: object, state: dict[str, Any]) -> bool:
    """Let ``walk`` go on from a saved :func:`state_of` (False: not one)."""
    if not isinstance(state.get("accepted"), str):
        return False
    if any(not isinstance(state.get(name), kind) for name, kind in STATE.items()):
        return False
    for name in STATE:
        setattr(walk, name, state[name])
    return True
