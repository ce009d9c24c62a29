"""``dipctl key add EMAIL KEY``: a kepala lists an officer's SSH public key in
``register/penanda-tangan``, as one commit of theirs (verify's rule ``people`` rejects the
change from anyone else, and ``signature`` checks every later commit against the list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dipctl.errors import NotAuthorized, Refused, UsageError
from dipctl.gitrepo import Actor
from dipctl.register import signers
from dipctl.sop import commits, identity, signing
from dipctl.sop.transaction import Session, acting_person, open_repository

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from dipctl.gitrepo import Repository
    from dipctl.register.config import Register
    from dipctl.register.records import Person

ACTION = "key"


@dataclass(frozen=True)
class KeyAdded:
    line: str
    commit: str | None  # None: the key was already listed, nothing was committed


def add_key(
    reg: Register,
    email: str,
    key_text: str,
    as_email: str | None,
    replace: bool = False,
    when: dt.datetime | None = None,
) -> KeyAdded:
    """List ``key_text`` (an SSH public key line) for the register's person ``email``."""
    key = signers.parse_key(key_text)
    if key is None:
        raise UsageError("key.bad_key", value=key_text[:60], types=", ".join(signers.KEY_TYPES))
    person = reg.settings.person(email)
    if person is None or not signers.valid_email(person.email):
        raise NotAuthorized("actor.not_in_register", email=email, hint="hint.add_person")
    session = Session(reg, as_email)
    if "kepala" not in session.person.roles:
        raise NotAuthorized("key.not_kepala", email=session.person.email, hint="hint.key_kepala")
    path = reg.root / signers.FILE
    with session.locked():
        current = path.read_bytes().decode("utf-8", "replace") if path.is_file() else ""
        others = [h for h in signers.holders(current, key) if h != person.email]
        if others:  # one key, one officer: a shared key would sign as the other one
            raise Refused("key.shared", email=person.email, other=others[0], hint="hint.key_own")
        text = signers.add(current, person.email, key, replace)
        line = signers.line(person.email, key)
        if text is None:
            return KeyAdded(line, None)
        message = commits.message(
            ACTION, "kepala", [], subject=f"{signers.FILE}: {person.email}", note=line
        )
        actor = Actor(session.person.name, session.person.email)
        sha = session.repo.commit_files(
            actor, {path: text.encode("utf-8")}, message, when, session._sign()
        )
    return KeyAdded(line, sha)


@dataclass(frozen=True)
class KeySetup:
    key: signing.OfficerKey
    email: str
    line: str  # the line the kepala adds to register/penanda-tangan
    listed: bool  # HEAD's penanda-tangan already lists it for the officer


def set_up(
    reg: Register, as_email: str | None, option: Path | None = None, passphrase: bool = False
) -> KeySetup:
    """``dipctl key``: the acting officer's key made or reused, and this clone's git set to
    sign every commit with it."""
    repo = open_repository(reg)
    person = _officer(reg, repo, as_email, option)
    if not signers.valid_email(person.email):
        raise UsageError("usage.bad_email", option="--as", value=person.email)
    mine = signing.listed_at_head(reg, repo, person.email)
    key = signing.officer_key(repo, person.email, option, passphrase, mine)
    others = [h for h in signing.holders_at_head(reg, repo, key.key) if h != person.email]
    if others:  # the key of another officer (a shared laptop account): not theirs to use
        raise Refused(
            "key.of_other", path=key.private, email=person.email, other=others[0],
            hint="hint.key_own",
        )  # fmt: skip
    signing.configure(repo, key, reg.root / signers.FILE)
    identity.record(repo, person.name, person.email)  # `--as` is needed no more in this clone
    return KeySetup(key, person.email, signers.line(person.email, key.key), key.key in mine)


def _officer(reg: Register, repo: Repository, as_email: str | None, option: Path | None) -> Person:
    """Who sets up their key: the acting officer, else (a second clone on the same laptop)
    the one officer whom HEAD's ``penanda-tangan`` lists for the key file about to be used."""
    try:
        return acting_person(reg, repo, as_email)
    except NotAuthorized as exc:
        if exc.key != "actor.unknown":
            raise
        path = signing.chosen_path(repo, option, "", [])
        key = signers.parse_key(_read(path.with_name(path.name + ".pub")))
        holders = signing.holders_at_head(reg, repo, key) if key is not None else []
        person = reg.settings.person(holders[0]) if len(holders) == 1 else None
        if person is None:
            raise
        return person


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
