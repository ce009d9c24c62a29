"""Worker processes that never outlive the dipctl that forked them.

A build renders on both cores and the history index parses on both through a forked
:class:`~concurrent.futures.ProcessPoolExecutor`. A forked worker holds both ends of the
pool's queue itself, so when its parent is killed (SIGKILL, the OOM killer) it would wait on
that queue forever, one sleeping process per killed build. Each worker here watches its
parent and ends as soon as the parent is gone.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

#: How often a worker looks whether its parent is still there (seconds).
WATCH_EVERY = 0.5


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes that end with this process."""
    return ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_watch, initargs=(os.getpid(),)
    )


def _watch(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_EVERY)
        os._exit(1)  # the parent died: nobody will read what this worker makes

    threading.Thread(target=watch, name="dipctl-parent-watch", daemon=True).start()
