"""Who acts in a clone (SPEC.md section 4): ``--as``, else ``DIPCTL_AS``, else the officer
this clone records (git's ``user.email`` in the clone's own configuration, which ``init``,
``clone --as`` and ``key`` write), else the one officer whom ``register/penanda-tangan``
lists for the key this clone signs with, else git's ``user.email`` from the officer's
global configuration."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from dipctl.errors import NotAuthorized

if TYPE_CHECKING:
    from dipctl.gitrepo import Repository
    from dipctl.register.config import Register
    from dipctl.register.records import Person


def acting_person(reg: Register, repo: Repository | None, as_email: str | None) -> Person:
    """The person of register.yaml who acts, or a refusal that says how to name them."""
    email = as_email or os.environ.get("DIPCTL_AS") or ""
    if not email and repo is not None:
        email = _local(repo, "user.email") or by_key(reg, repo) or repo.config("user.email")
    if not email:
        raise NotAuthorized("actor.unknown", hint="hint.as")
    person = reg.settings.person(email)
    if person is None:
        raise NotAuthorized("actor.not_in_register", email=email, hint="hint.add_person")
    return person


def by_key(reg: Register, repo: Repository) -> str:
    """The officer whom HEAD's ``penanda-tangan`` lists, alone, for the key git signs with
    here ("" when there is no such key, or it is listed for nobody or several)."""
    from dipctl.sop import signing  # (its key parsing loads only without --as)

    key = signing.configured_key(repo)
    if key is None:
        return ""
    holders = signing.holders_at_head(reg, repo, key)
    return holders[0] if len(holders) == 1 else ""


def record(repo: Repository, name: str, email: str) -> None:
    """This clone acts as the officer ``email`` from now on: git's ``user.email`` and
    ``user.name`` in the clone's own configuration (plain git then knows the author too)."""
    from dipctl.sop import signing

    signing.set_local(repo, (("user.email", email.lower()), ("user.name", name)))


def _local(repo: Repository, key: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo.work_tree), "config", "--local", "--get", key],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else ""
