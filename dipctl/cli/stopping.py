"""The way out after Ctrl-C: once a command is stopping, a second Ctrl-C (an impatient
officer presses twice) must not cut short what it does on the way out (nothing written, the
message, exit 130). :func:`hold` ignores further interrupts from the first one on;
:func:`release` gives them back when the command is done (for the tests, which run commands
in one process). Only the main thread may touch signal handlers."""

from __future__ import annotations

import signal
import threading
from typing import Any

_held: list[Any] = []  # the handler that was in place, while interrupts are held


def hold() -> None:
    """Ignore Ctrl-C from now until :func:`release`."""
    if not _held and threading.current_thread() is threading.main_thread():
        _held.append(signal.signal(signal.SIGINT, signal.SIG_IGN))


def release() -> None:
    """Ctrl-C as before :func:`hold`."""
    if _held:
        signal.signal(signal.SIGINT, _held.pop())
