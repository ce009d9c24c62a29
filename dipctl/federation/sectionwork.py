"""The members' sections of the province portal, made on both cores.

A member's section is its own site (:func:`dipctl.publish.site.produce`): a few hundred
pages, below the size at which a register's own build renders on two cores, so the
portal spreads the members instead. One forked worker takes them from the last one down
while this process makes the province's own files, then takes them from the first one up,
each member whole in one process, until the next one is the worker's. Nothing is pickled
to the worker (it forks with the plans); it hands back each member's files. Each file's
bytes are those one process makes: where a file is made never changes what it is. The
members to collect (:func:`dipctl.federation.portal.sections`) are shared the same way.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from typing import TYPE_CHECKING, Any, TypeVar

from dipctl.publish import site
from dipctl.workers import forked_pool

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future, ProcessPoolExecutor

    from dipctl.publish.publicdata import PublicRegister
    from dipctl.register.config import Register

T = TypeVar("T")
R = TypeVar("R")
#: A member's share of the work: its section's prefix, its register, what it publishes,
#: its plan, and the paths (under its section) to make.
Work = tuple[str, "Register", "PublicRegister", site.Plan, set[str]]

#: The members' files to make from which a second process pays for its start.
PARALLEL_FROM = 200
#: What the worker does to the n-th member, set before it forks so that nothing is pickled
#: to it.
_JOB: list[Callable[[int], Any]] = []


def _run(n: int) -> Any:
    return _JOB[0](n)


def _forks() -> bool:
    return min(2, os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


def produce(work: list[Work], own: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
    """The files of ``own`` (the province's) and of every member's ``work``."""

    def member(n: int) -> dict[str, bytes]:
        prefix, reg, pub, made, inner = work[n]
        files = site.produce(reg, pub, made, inner, forks=False)
        return {prefix + path: data for path, data in files.items()}

    parallel = sum(len(w[4]) for w in work) >= PARALLEL_FROM
    files, made = spread(len(work), member, own, parallel)
    for one in made:
        files |= one
    return files


def spread(
    count: int, job: Callable[[int], T], first: Callable[[], R], parallel: bool = True
) -> tuple[R, list[T]]:
    """``first()`` and ``job(n)`` for each of ``count`` members, on both cores when
    ``parallel`` and the machine has two: whatever each returns must pickle."""
    if not parallel or count == 0 or not _forks():
        return first(), [job(n) for n in range(count)]
    _JOB[:] = [job]
    try:
        with forked_pool(1) as pool:
            try:
                return _shared(pool, count, job, first)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)  # after a failure: no more
    finally:
        _JOB.clear()


def _shared(
    pool: ProcessPoolExecutor, count: int, job: Callable[[int], T], first: Callable[[], R]
) -> tuple[R, list[T]]:
    # submitted last first: the worker works down while this process works up
    taken: dict[int, Future[T]] = {n: pool.submit(_run, n) for n in reversed(range(count))}
    done: dict[int, T] = {}
    own = first()
    for n in range(count):
        if not taken[n].cancel():  # the worker's already, and so is every one after it
            break
        del taken[n]
        done[n] = job(n)
    for n, future in taken.items():
        done[n] = future.result()
    return own, [done[n] for n in range(count)]
