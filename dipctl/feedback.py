"""Progress of long work as the library reports it (issue 21.6): a callback, no terminal code.

A long operation (``build``, ``sync``, ``verify``, ``monev``) takes a :data:`Progress` and
calls it with a phase (a message key, ``progress.*`` in the locale files), how many of the
phase's units are done and how many there are (``None`` when not known beforehand). The CLI
decides whether and how to show it (:mod:`dipctl.cli.progress`); the library default,
:func:`silent`, shows nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, phase: str, done: int = 0, total: int | None = None) -> None: ...


def silent(phase: str, done: int = 0, total: int | None = None) -> None:
    """No one is watching (a test, a library caller)."""
