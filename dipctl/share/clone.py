"""Starting to share: ``dipctl init --remote URL`` pushes a new register to the agency's
empty repository; ``dipctl clone URL DIR`` gives an officer a clone that ``dipctl sync``
can use (upstream tracking, and optionally the officer's git identity)."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed, NotAuthorized, RegisterError, UsageError
from dipctl.register.characters import CONTROL_RE
from dipctl.register.config import find_register
from dipctl.register.model import REGISTER_FILE
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


def clone(url: str, directory: Path, as_email: str | None, branch: str | None = None) -> Cloned:
    """Clone the register at ``url`` into ``directory`` (new or empty), on the branch that
    holds it (:func:`choose`), whatever the server's default branch names."""
    refuse_url(url, "URL")
    if branch is not None:
        refuse_branch(branch)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RegisterError("clone.exists", path=directory, hint="hint.clone")
    existed = directory.exists()
    parent = directory.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    done = remote.run(parent, "clone", "--quiet", "--no-checkout", "--", url,
                      str(directory.absolute()), check=False)  # fmt: skip
    if done.returncode != 0:
        raise GitFailed("clone.failed", url=url, detail=remote.detail(done.stderr))
    try:
        taken = choose(directory, url, branch)
        _check_out(directory, taken)
        reg = find_register(directory / "register")
        person = _act_as(directory, reg, as_email)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        if existed:
            directory.mkdir()
        raise
    return Cloned(reg, person, taken)


@dataclass(frozen=True)
class Branch:
    """The branch a clone took: its name, the branch the server's HEAD names (None when it
    names none) and whether that exists, and the other branches that also hold a register."""

    name: str
    server_default: str | None
    default_exists: bool = True
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cloned:
    register: Register
    person: Person | None
    branch: Branch


def refuse_branch(name: str) -> None:
    if not _BRANCH.fullmatch(name) or ".." in name or name.endswith((".lock", "/", ".")):
        raise UsageError("usage.bad_branch", value=CONTROL_RE.sub("?", name)[:80])


def choose(work_tree: Path, url: str, wanted: str | None) -> Branch:
    """The server's branch that holds ``register/register.yaml``: ``wanted`` (``--branch``),
    else the one the server's HEAD names, else ``main``, else ``master``, else the first by
    name; a repository with no branch, or none holding a register, is refused naming why."""
    heads = [b for b in _remote_branches(work_tree) if _BRANCH.fullmatch(b)]
    if not heads:
        raise RegisterError("clone.empty", url=url, hint="hint.clone_empty")
    default = _server_default(work_tree)
    holding = [b for b in heads if _holds_register(work_tree, b)]
    listed = ", ".join(heads[:8]) + (", …" if len(heads) > 8 else "")
    if wanted is not None:
        if wanted not in heads:
            raise RegisterError("clone.no_branch", url=url, branch=wanted, branches=listed,
                                hint="hint.clone_branch")  # fmt: skip
        if wanted not in holding:
            raise RegisterError("clone.branch_no_register", url=url, branch=wanted,
                                hint="hint.clone_branch")  # fmt: skip
        return Branch(wanted, default, default in heads, tuple(b for b in holding if b != wanted))
    if not holding:
        if default is not None and default not in heads:
            raise RegisterError("clone.default_missing", url=url, branch=default,
                                branches=listed, hint="hint.clone_url")  # fmt: skip
        raise RegisterError("clone.no_register", url=url, branches=listed, hint="hint.clone_url")
    order = [b for b in (default, "main", "master") if b in holding] + holding
    name = order[0]
    return Branch(name, default, default in heads, tuple(b for b in holding if b != name))


_BRANCH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/+-]{0,199}")


def _remote_branches(work_tree: Path) -> list[str]:
    out = remote.run(work_tree, "for-each-ref", "--format=%(refname)", "refs/remotes/origin/")
    names = [line.removeprefix("refs/remotes/origin/") for line in out.stdout.splitlines()]
    return sorted(n for n in names if n and n != "HEAD")


def _server_default(work_tree: Path) -> str | None:
    """The branch the server's HEAD names (git advertises it even when it does not exist,
    and then names it this clone's unborn HEAD)."""
    for ref, prefix in (("refs/remotes/origin/HEAD", "refs/remotes/origin/"),
                        ("HEAD", "refs/heads/")):  # fmt: skip
        done = remote.run(work_tree, "symbolic-ref", "-q", ref, check=False)
        name = done.stdout.strip()
        if done.returncode == 0 and name.startswith(prefix):
            return name.removeprefix(prefix)
    return None


def _holds_register(work_tree: Path, branch: str) -> bool:
    spec = f"refs/remotes/origin/{branch}:register/{REGISTER_FILE}"
    return remote.run(work_tree, "cat-file", "-e", spec, check=False).returncode == 0


def _check_out(work_tree: Path, branch: Branch) -> None:
    """``branch`` as this clone's branch, tracking the server's, its files checked out;
    the branch git made for the server's default (when another was taken) removed."""
    local = f"refs/heads/{branch.name}"
    remote.run(work_tree, "update-ref", local, f"refs/remotes/origin/{branch.name}")
    remote.run(work_tree, "symbolic-ref", "HEAD", local)
    remote.track(work_tree, remote.Upstream("origin", branch.name, branch.name))
    if branch.server_default and branch.server_default != branch.name:
        remote.run(work_tree, "update-ref", "-d", f"refs/heads/{branch.server_default}",
                   check=False)  # fmt: skip
    remote.run(work_tree, "reset", "--quiet", "--hard", "HEAD")


def _act_as(work_tree: Path, reg: Register, as_email: str | None) -> Person | None:
    if not as_email:
        return None
    person = reg.settings.person(as_email)
    if person is None:
        raise NotAuthorized("actor.not_in_register", email=as_email, hint="hint.add_person")
    remote.run(work_tree, "config", "user.email", person.email)
    remote.run(work_tree, "config", "user.name", person.name)
    return person
