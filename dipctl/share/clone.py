"""Starting to share: ``dipctl init --remote URL`` pushes a new register to the agency's
empty repository; ``dipctl clone URL DIR`` gives an officer a clone that ``dipctl sync``
can use (upstream tracking, and optionally the officer's git identity)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed, NotAuthorized, RegisterError, UsageError
from dipctl.register.characters import CONTROL_RE
from dipctl.register.config import find_register
from dipctl.share import remote

if TYPE_CHECKING:
    from pathlib import Path

    from dipctl.register.config import Register
    from dipctl.register.records import Person


def connect(work_tree: Path, url: str) -> remote.Upstream:
    """Make ``url`` this repository's ``origin``, push the branch there, and track it."""
    refuse_url(url, "--remote")
    branch = remote.current_branch(work_tree) or "main"
    if remote.config(work_tree, "remote.origin.url"):
        remote.run(work_tree, "remote", "set-url", "--", "origin", url)
    else:
        remote.run(work_tree, "remote", "add", "--", "origin", url)
    up = remote.Upstream("origin", branch, branch)
    head = remote.rev(work_tree, "HEAD")
    if head is None or not remote.push(work_tree, up, head):
        raise GitFailed("sync.push_failed", remote=url, detail="the repository is not empty")
    remote.track(work_tree, up)
    return up


def refuse_url(url: str, option: str) -> None:
    """A URL git would read as an option, or with control characters, is a usage error."""
    if not url.strip() or url.startswith("-") or CONTROL_RE.search(url):
        raise UsageError("usage.bad_git_url", option=option, value=CONTROL_RE.sub("?", url)[:80])


def clone(url: str, directory: Path, as_email: str | None) -> tuple[Register, Person | None]:
    """Clone the register at ``url`` into ``directory`` (new or empty)."""
    refuse_url(url, "URL")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RegisterError("clone.exists", path=directory, hint="hint.clone")
    parent = directory.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    done = remote.run(parent, "clone", "--quiet", "--", url, str(directory.absolute()),
                      check=False)  # fmt: skip
    if done.returncode != 0:
        raise GitFailed("clone.failed", url=url, detail=remote.detail(done.stderr))
    if not (directory / "register" / "register.yaml").is_file():
        shutil.rmtree(directory, ignore_errors=True)
        raise RegisterError("clone.no_register", url=url, hint="hint.clone")
    reg = find_register(directory / "register")
    person = None
    if as_email:
        person = reg.settings.person(as_email)
        if person is None:
            raise NotAuthorized("actor.not_in_register", email=as_email, hint="hint.add_person")
        remote.run(directory, "config", "user.email", person.email)
        remote.run(directory, "config", "user.name", person.name)
    return reg, person
