"""One error hierarchy, each error knowing its exit code (SPEC.md section 5).

Errors carry a message key and parameters, not a finished sentence: the CLI boundary
renders them in the officer's language through :mod:`dipctl.i18n`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2
    REFUSED = 3
    ERROR = 4
    INTERNAL = 5
    INTERRUPTED = 130


class DipctlError(Exception):
    """Base of every error a user can cause. ``key`` names a message in the catalogs."""

    exit_code: ExitCode = ExitCode.ERROR
    default_hint: str | None = None

    def __init__(self, key: str, /, *, hint: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.hint_key = hint if hint is not None else self.default_hint
        self.params = params

    def __str__(self) -> str:
        return f"{self.key} {self.params}"


class RegisterError(DipctlError):
    """No register found, or register.yaml unusable."""


class InvalidFile(DipctlError):
    """A register file that cannot be read as a register file (syntax, encoding, size)."""

    default_hint = "hint.run_validate"


class ItemNotFound(DipctlError):
    default_hint = "hint.run_list"


class NotARepository(DipctlError):
    default_hint = "hint.not_a_repository"


class GitFailed(DipctlError):
    default_hint = "hint.git_failed"


class LockHeld(DipctlError):
    default_hint = "hint.lock_held"


class WriteFailed(DipctlError):
    """A file of a step could not be written (disk full, read-only): before the branch moved
    nothing changed; after it, the next dipctl command finishes the step."""

    default_hint = "hint.write_before_ref"


class OutputFailed(DipctlError):
    """A result (site, export, draft) could not be written where the officer asked."""

    default_hint = "hint.output"


class Uncommitted(DipctlError):
    """The register folder's bytes are not HEAD's (build), or a checkout setting changed
    them (validate): what would be read is not what verify judged (SPEC.md section 4)."""

    default_hint = "hint.committed"


class UsageError(DipctlError):
    exit_code = ExitCode.USAGE


class Refused(DipctlError):
    """The workflow said no: wrong status, wrong role, missing kelengkapan."""

    exit_code = ExitCode.REFUSED


class NotAuthorized(Refused):
    pass


class Incomplete(Refused):
    pass


class HistoryUnreadable(DipctlError):
    """git cannot show the whole, real history (shallow, grafted, objects missing, a
    repository git refuses to read): nothing can be proven from it, so verify refuses."""


class Interrupted(DipctlError):
    """The officer stopped a question (Ctrl-C, or the end of input): nothing was written."""

    exit_code = ExitCode.INTERRUPTED
