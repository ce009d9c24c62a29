"""Feedback on long work (issue 21.6): what ``build``, ``sync``, ``verify`` and ``monev``
report through :data:`dipctl.feedback.Progress`, drawn on stderr.

Nothing shows for work done within :data:`AFTER` seconds. After that, on a terminal, one line
updated in place (the phase and its count, "Membangun situs: 4.200/10.000 halaman"), cut to
the terminal's width; when stderr is piped, under ``CI`` or ``TERM=dumb``, a plain line as
each phase starts and nothing per item (CI logs keep every line). At the end, the figures of
the run on one line (its time and what it did). ``--json`` and the machine formats show no
progress: stdout stays the document, stderr stays quiet.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING

from dipctl import layout
from dipctl.cli import screen

if TYPE_CHECKING:
    from dipctl.i18n import Translator

AFTER = 1.0  # seconds of work before anything shows (DIPCTL_PROGRESS_AFTER: another figure)
EVERY = 0.1  # seconds between two redraws of the line


def number(value: float, lang: str, digits: int = 0) -> str:
    """10.000 and 12,3 in Indonesian; 10,000 and 12.3 in English."""
    text = f"{value:,.{digits}f}"
    return text if lang == "en" else text.translate(str.maketrans(",.", ".,"))


def mode(quiet: bool = False) -> str:
    """``line`` (a terminal), ``plain`` (a pipe, CI, a dumb terminal) or ``off``."""
    if quiet:
        return "off"
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
    dumb = os.environ.get("TERM", "dumb") == "dumb"
    return "plain" if ci or dumb or not sys.stderr.isatty() else "line"


class Drawer:
    """A :data:`~dipctl.feedback.Progress` for the terminal; ``finish`` prints the figures."""

    def __init__(self, tr: Translator, quiet: bool = False) -> None:
        self.tr, self.mode = tr, mode(quiet)
        self.start = time.monotonic()
        self.after = _after()
        self.phase: str | None = None
        self.done = 0
        self.total: int | None = None
        self.counts: dict[str, tuple[int, int | None]] = {}
        self.shown = False  # anything drawn yet (after AFTER seconds)
        self.printed: set[str] = set()  # phases whose plain line is out
        self.drawn_at = 0.0
        self.line = ""  # what the in-place line shows now
        self.lock = threading.Lock()
        self.drawn_phase: str | None = None
        self.timer: threading.Timer | None = None
        if self.mode != "off":  # long work that reports nothing for a while still shows
            self.timer = threading.Timer(self.after, self._wake)
            self.timer.daemon = True
            self.timer.start()

    def __call__(self, phase: str, done: int = 0, total: int | None = None) -> None:
        with self.lock:
            self.phase, self.done, self.total = phase, done, total
            self.counts[phase] = (done, total)
            if self.mode == "off" or time.monotonic() - self.start < self.after:
                return
            self._draw(force=False)

    def _wake(self) -> None:
        with self.lock:
            if self.phase is not None and self.timer is not None:
                self._draw(force=True)

    def _draw(self, force: bool) -> None:
        assert self.phase is not None
        self.shown = True
        if self.mode == "plain":
            if self.phase not in self.printed:
                self.printed.add(self.phase)
                sys.stderr.write(self._text(counted=False) + "\n")
                sys.stderr.flush()
            return
        now = time.monotonic()
        if not force and now - self.drawn_at < EVERY and self.phase == self.drawn_phase:
            return  # a new phase is always drawn: each shows at least once
        self.drawn_at, self.drawn_phase = now, self.phase
        self.line = layout.clip(self._text(counted=True), _columns() - 1)
        sys.stderr.write("\r" + self.line + "\x1b[K")
        sys.stderr.flush()

    def _text(self, counted: bool) -> str:
        assert self.phase is not None
        if not counted or self.total is None:
            return self.tr(self.phase)
        lang = self.tr.lang
        done, total = number(self.done, lang), number(self.total, lang)
        return self.tr(self.phase + ".count", done=done, total=total)

    def seconds(self) -> str:
        return number(time.monotonic() - self.start, self.tr.lang, 1)

    def count(self, phase: str) -> str:
        """The last count a phase reported, as a number of the language."""
        done, total = self.counts.get(phase, (0, None))
        return number(total if total is not None else done, self.tr.lang)

    def stop(self) -> None:
        """Clear the in-place line (before an error or the results are printed)."""
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            if self.mode == "line" and self.line:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
                self.line = ""

    def finish(self, key: str, **params: str) -> None:
        """The figures of the run (``key`` with ``seconds`` and ``params``) when the work
        took long enough to show progress; nothing for a quick one."""
        self.stop()
        if self.mode != "off" and (self.shown or time.monotonic() - self.start >= self.after):
            screen.print_lines([self.tr(key, seconds=self.seconds(), **params)], "err")


def _after() -> float:
    """:data:`AFTER`, or ``DIPCTL_PROGRESS_AFTER`` seconds (0: at once, as the tests show it)."""
    try:
        return max(0.0, float(os.environ.get("DIPCTL_PROGRESS_AFTER", AFTER)))
    except ValueError:
        return AFTER


def _columns() -> int:
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return max(screen.NARROWEST, int(value))
    try:
        return max(screen.NARROWEST, os.get_terminal_size(sys.stderr.fileno()).columns)
    except OSError:
        return screen.DEFAULT
