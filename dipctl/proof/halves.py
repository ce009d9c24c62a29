"""``dipctl verify`` on two cores: the older half of the walk judged here, the newer half in
a forked process at the same time (issue 21: PyYAML and the rules hold the interpreter, so
one process uses one core of two).

The walk itself does not change: every commit is judged once, by the same rules, against
the policy its parent holds, and the findings come out in the walk's order (the older
half's, then the newer half's). What a commit's judgment depends on besides the commit and
git is the walk's state before it (:data:`~dipctl.proof.checkpoint.STATE`): the item ids
seen, each item's latest commit and path, the version graph of a history with merges, and
the deleted ids. All but the last follow from the diffs alone (``Replay.saw`` and
``Replay.record``, the same code the walk runs), so the forked process works them out
over the older half itself before it judges. The deleted ids depend on which item
blobs read as a mapping; the forked process assumes every one does (a file is deleted when
its diff deletes it and adds no file of the same id), and this process compares that
assumption with the state its own judging of the older half left. If they differ (a
hostile history with an item blob that is no mapping), or the forked process failed for
any reason, the newer half is judged here after the older one, as a single process would.
Reading the blobs (:meth:`~dipctl.proof.objects.Objects.preload`) fails the same way as
well: any failure of either half's reading reads the whole history here, which raises what
a single process raises. The report, the exit code, the messages and the checkpoint are
those of a single process (``tests/test_verify_halves.py`` compares them on a hostile
history).

``DIPCTL_VERIFY_SPLIT=0`` keeps verify in one process, ``1`` splits any history of two
commits or more; by default a history of :data:`SPLIT_FROM` commits or more is split where
two processors are free to this process and the platform forks.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from typing import TYPE_CHECKING, Any, Protocol

from dipctl.feedback import silent
from dipctl.proof.objects import Objects
from dipctl.proof.report import Report
from dipctl.register import model

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dipctl.feedback import Progress
    from dipctl.proof.replay import Commit

ENV = "DIPCTL_VERIFY_SPLIT"
#: Below this many commits a second process costs more than it saves.
SPLIT_FROM = 4000
#: The older half's share of the changed paths: a newer version of an item is longer (more
#: fields filled) and its step has more to check, and this process has the forked one's
#: results to take after its own half; measured on the bench's 10,000-item register (CPU
#: seconds of both processes about equal at 0.58).
OLDER_SHARE = 0.58


class Walk(Protocol):
    """What the halves ask of verify's walk (:class:`dipctl.proof.verify.Replay`)."""

    objects: Objects
    prefix: str
    deleted: dict[str, str]

    def saw(self, commit: Commit) -> None: ...

    def record(self, commit: Commit) -> None: ...


class Judge(Protocol):
    def __call__(
        self, replay: Any, history: list[Commit], skip: set[str], report: Report, progress: Progress
    ) -> None: ...


def wanted(commits: int) -> bool:
    """Whether a walk of ``commits`` commits is judged in two processes."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen == "0" or commits < 2 or not hasattr(os, "fork"):
        return False
    if chosen == "1":
        return True
    free = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return commits >= SPLIT_FROM and (free or 1) >= 2


def middle(history: Sequence[Commit]) -> int:
    """Where to cut ``history``: the older half :data:`OLDER_SHARE` of the changed paths
    (what reading and judging a commit costs grows with them), neither half empty."""
    weights = [2 + len(c.changes) for c in history]
    half, total = sum(weights) * OLDER_SHARE, 0
    for i, weight in enumerate(weights):
        total += weight
        if total >= half:
            return min(max(i + 1, 1), len(history) - 1)
    return len(history) - 1


def judge(
    work_tree: Any,
    replay: Walk,
    history: list[Commit],
    skip: set[str],
    report: Report,
    progress: Progress,
    judge_part: Judge,
) -> None:
    """What ``judge_part`` does on all of ``history``, the newer half in a forked process."""
    cut = middle(history)
    older, newer = history[:cut], history[cut:]
    reading, results = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the forked process; its result is what the tests see)
        os.close(reading[0])
        os.close(results[0])
        _newer_half(work_tree, replay, older, newer, skip, judge_part, reading[1], results[1])
    os.close(reading[1])
    os.close(results[1])
    child: int | None = pid
    try:
        with os.fdopen(reading[0], "rb") as read_ok, os.fdopen(results[0], "rb") as answer:
            read = _read_older(replay.objects, work_tree, older)
            if not (read and read_ok.read(1) == b"1"):  # a half failed to read: read it all
                _stop(pid)
                child = None
                replay.objects.preload(work_tree, history, parse=True)
                judge_part(replay, history, skip, report, progress)
                return
            total = len(history)
            judge_part(replay, older, skip, report, _scaled(progress, total))
            found = _answer(answer)
        _stop(pid)
        child = None
        if found is None or list(found["assumed"].items()) != list(replay.deleted.items()):
            replay.objects.preload(work_tree, newer, parse=True)  # judged here, as one process
            judge_part(replay, newer, skip, report, _scaled(progress, total, len(older)))
            return
        report.findings += found["findings"]
        report.commits.update(found["commits"])
        report.checked += found["checked"]
        for commit in newer:  # the state after the walk, for the checkpoint
            replay.saw(commit)
            replay.record(commit)
        replay.deleted = found["deleted"]
        progress("progress.verify.judge", total, total)
    finally:
        if child is not None:
            _stop(child)


def _read_older(objects: Objects, work_tree: Any, older: list[Commit]) -> bool:
    try:
        objects.preload(work_tree, older, parse=True)
    except Exception:  # (the whole read again raises what one process raises)
        return False
    return True


def _answer(answer: Any) -> dict[str, Any] | None:
    try:
        found = pickle.loads(answer.read())  # (our own fork, through our own pipe)
    except Exception:  # (a half that failed: judged here instead)
        return None
    return found if isinstance(found, dict) else None


def _stop(pid: int) -> None:
    """End the forked process (if still running) and reap it."""
    with contextlib.suppress(ProcessLookupError, ChildProcessError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _scaled(progress: Progress, whole: int, before: int = 0) -> Progress:
    """``progress`` of a part, told as the progress of the whole walk."""

    def told(phase: str, done: int = 0, total: int | None = None) -> None:
        progress(phase, before + done, whole)

    return told


def _newer_half(
    work_tree: Any,
    replay: Walk,
    older: list[Commit],
    newer: list[Commit],
    skip: set[str],
    judge_part: Judge,
    reading: int,
    results: int,
) -> None:  # pragma: no cover (runs in the forked process)
    """The forked process: the state after ``older`` from its diffs, then ``newer`` judged;
    tells through ``reading`` whether its blobs read, through ``results`` what it found."""
    found: dict[str, Any] | None = None
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent answers Ctrl-C and ends it
        for commit in older:
            replay.saw(commit)
            replay.record(commit)
            if commit.sha not in skip:
                replay.deleted.update(dict.fromkeys(deletions(replay.prefix, commit), commit.sha))
        assumed = dict(replay.deleted)
        with Objects(work_tree) as objects:
            replay.objects = objects  # the parent's git process stays the parent's
            try:
                objects.preload(work_tree, newer, parse=True)
            except Exception:  # (the parent reads it all and raises)
                os.write(reading, b"0")
                raise
            os.write(reading, b"1")
            part = Report()
            judge_part(replay, newer, skip, part, silent)
        found = {
            "assumed": assumed,
            "findings": part.findings,
            "commits": part.commits,
            "checked": part.checked,
            "deleted": replay.deleted,
        }
        data = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(results, "wb") as out:
            out.write(data)
    except BaseException:  # (the parent judges the half itself)
        pass
    finally:
        os._exit(0)


def deletions(prefix: str, commit: Commit) -> list[str]:
    """The item ids that ``commit`` deletes, when every item blob reads as a mapping: those
    whose file its diff deletes without adding one of the same id (a move), in the order
    :func:`~dipctl.proof.step.item_changes` lists them."""
    items = f"{prefix}{model.ITEMS_DIR}/"
    added: set[str] = set()
    removed: list[str] = []
    for change in commit.changes:
        if not change.path.startswith(items) or not change.path.endswith(".yaml"):
            continue
        item_id = change.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if change.old is None:
            added.add(item_id)
        elif change.new is None:
            removed.append(item_id)
    return [i for i in dict.fromkeys(removed) if i not in added]
