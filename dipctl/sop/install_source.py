"""Where the CI that ``dipctl init`` writes installs dipctl from (``DIPCTL_SOURCE``).

Never a bare name from a package index: dipctl is published on none, and anyone could
register the name there (name-squatting). Two kinds of source are taken:

- a pinned git URL of the dipctl repository, ``git+https://host/org/dipctl.git@<rev>``
  (or ``git+ssh://``; ``<rev>`` a commit or a tag, without ``/``);
- a wheel kept in the register's repository, ``ci/dipctl-0.1.0-py3-none-any.whl`` (a path
  relative to the repository's top, without ``..``).

The default (:func:`default_source`) needs no hand edit: the repository the running dipctl came
from, pinned, when CI can fetch it (pip's record of a git install, PEP 610
``direct_url.json``; or the clean checkout it runs from, at its ``origin`` remote and a HEAD
commit that a remote branch holds); else a wheel of the running dipctl, which ``init`` keeps
in the new repository (:mod:`.self_wheel`). ``init`` says in one line which it took.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import DipctlError, UsageError
from dipctl.gitrepo import Repository
from dipctl.sop import self_wheel

if TYPE_CHECKING:
    from pathlib import Path

_GIT_URL = re.compile(r"git\+(?:https|ssh|file)://[^\s@]+(?:@[^\s@/]+)?(?:/[^\s@]*)?@[^\s@/#]+")
_WHEEL = re.compile(r"(?:[A-Za-z0-9_.-]+/)*dipctl-[A-Za-z0-9_.+!-]+\.whl")
_UNSAFE = re.compile(r"[\s\"'`$\\;|&<>(){}*?!#^~\x00-\x1f\x7f]")


def check(value: str) -> str:
    """``value`` when it is a pinned git URL or a wheel in the repository; else the
    :class:`UsageError` that names ``--dipctl-source`` and says what it takes."""
    if _UNSAFE.search(value):
        raise UsageError("source.bad", value=value[:80], hint="hint.source")
    if _GIT_URL.fullmatch(value):
        return value
    if _WHEEL.fullmatch(value) and ".." not in value.split("/"):
        return value
    if value.startswith("git+") and "@" not in value.rsplit("/", 1)[-1]:
        raise UsageError("source.unpinned", value=value[:80], hint="hint.source")
    raise UsageError("source.bad", value=value[:80], hint="hint.source")


@dataclass(frozen=True)
class Source:
    """``DIPCTL_SOURCE`` and where it came from: ``option`` (``--dipctl-source``),
    ``installed`` (a git install), ``checkout`` (the checkout dipctl runs from), ``wheel``
    (a wheel of the running dipctl, ``wheel`` its bytes to keep at ``value``), or
    ``unknown`` ("": nothing could be taken, the CI's install step stops)."""

    value: str
    origin: str
    wheel: bytes | None = None


def chosen(option: str | None) -> Source:
    """The source of ``--dipctl-source``, checked, else :func:`default_source`."""
    if option is not None:
        return Source(check(option), "option")
    return default_source()


def default_source() -> Source:
    pinned = running_source()
    if pinned:
        return Source(pinned, "checkout" if self_wheel.checkout() else "installed")
    try:
        wheel = self_wheel.build()
    except (OSError, ValueError, KeyError, importlib.metadata.PackageNotFoundError):
        return Source("", "unknown")
    return Source(check(wheel.path), "wheel", wheel.data)


def running_source() -> str:
    """The pinned git URL of the running dipctl, or "" when CI could not fetch it: the
    clean checkout it is imported from, else pip's record of a git install."""
    top = self_wheel.checkout()
    if top is not None:
        return from_checkout(top)
    try:
        raw = importlib.metadata.distribution("dipctl").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return ""
    try:
        record = json.loads(raw or "{}")
    except ValueError:
        return ""
    url = str(record.get("url", ""))
    vcs = record.get("vcs_info") if isinstance(record.get("vcs_info"), dict) else None
    if vcs and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return _reachable(f"git+{url}@{vcs['commit_id']}")
    return ""


def from_checkout(path: Path) -> str:
    try:
        repo = Repository(path)
        origin, head = repo.config("remote.origin.url"), repo.head()
    except DipctlError:
        return ""
    remote_branches = subprocess.run(  # only a commit others can fetch: on a branch of origin
        ["git", "-C", str(path), "branch", "-r", "--contains", str(head)],
        capture_output=True,
        text=True,
        check=False,
    )
    if not origin or head is None or not remote_branches.stdout.strip():
        return ""
    changed = subprocess.run(  # the commit is what runs only when nothing of dipctl differs
        ["git", "-C", str(path), "status", "--porcelain", "--", "dipctl", "templates",
         "pyproject.toml"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if changed.returncode != 0 or changed.stdout.strip():
        return ""
    scp = re.fullmatch(r"([^@/\s]+@[^:/\s]+):(.+)", origin)  # git@host:org/dipctl.git
    url = f"ssh://{scp.group(1)}/{scp.group(2)}" if scp else origin
    return _reachable(f"git+{url}@{head}")


def _reachable(source: str) -> str:
    """Only a URL that CI can fetch (not a file on this machine), and a valid one."""
    if source.startswith("git+file:"):
        return ""
    try:
        return check(source)
    except UsageError:
        return ""
