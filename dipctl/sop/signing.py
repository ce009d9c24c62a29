"""An officer's SSH signing key and this clone's git set up to sign with it (``dipctl key``,
and ``dipctl init`` for the head).

The key is ``~/.ssh/dipctl_ed25519`` (``--key PATH`` for another; an SSH key git is already
set to sign with is reused). It is made once with ``ssh-keygen -t ed25519``, never
overwritten: a second run reuses it. Without ``--passphrase`` it has none, so that steps
and CI-like runs never wait for a prompt (it is then as safe as the officer's account on
the laptop); with one, ssh-keygen asks for it on the terminal, and git asks at each step
unless the key is loaded in ssh-agent. :func:`check_step_key` refuses, before anything is
written, a signed step whose key the register does not list for the acting officer.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dipctl.errors import GitFailed, NotAuthorized, RegisterError
from dipctl.files import write_atomic
from dipctl.register import signers

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dipctl.gitrepo import Repository
    from dipctl.register.config import Register

DEFAULT_KEY = Path(".ssh") / "dipctl_ed25519"
"""The key's path under the officer's home folder."""


@dataclass(frozen=True)
class OfficerKey:
    private: Path
    public_file: Path
    key: signers.PublicKey
    created: bool


def chosen_path(
    repo: Repository, option: Path | None, email: str, listed: list[signers.PublicKey]
) -> Path:
    """``--key``, else the SSH key git already signs with when it is this officer's (listed
    for them, or made for them: its comment is their e-mail; in a shared clone it may be
    a colleague's), else ``~/.ssh/dipctl_ed25519``."""
    if option is not None:
        return _private(Path(option).expanduser().absolute())
    configured = repo.config("user.signingkey")
    if repo.config("gpg.format") == "ssh" and configured and not configured.startswith("key::"):
        path = _private(Path(configured).expanduser())
        try:
            text = _public(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        key, comment = signers.parse_key(text), text.split()[2:3]
        if key is not None and (key in listed or comment == [email.lower()]):
            return path.absolute()
    return Path.home() / DEFAULT_KEY


def officer_key(
    repo: Repository,
    email: str,
    option: Path | None = None,
    passphrase: bool = False,
    listed: list[signers.PublicKey] | None = None,
) -> OfficerKey:
    """The officer's key pair: reused when it exists, made when it does not."""
    private = chosen_path(repo, option, email, listed or [])
    public_file = _public(private)
    created = False
    if not private.exists() and not public_file.exists():
        _keygen(private, email, passphrase)
        created = True
    elif not public_file.exists():
        _derive_public(private, public_file)
    try:
        text = public_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError("key.unreadable", path=public_file, hint="hint.key_other") from exc
    key = signers.parse_key(text)
    if key is None:
        raise RegisterError("key.unreadable", path=public_file, hint="hint.key_other")
    return OfficerKey(private, public_file, key, created)


def configure(repo: Repository, key: OfficerKey, signers_file: Path) -> None:
    """This clone signs every commit with ``key``, dipctl's and plain git's alike, and
    ``git log --show-signature`` checks against the register's ``penanda-tangan``
    (``verify`` never reads this setting: it uses each commit's parent's file)."""
    set_local(
        repo,
        (
            ("gpg.format", "ssh"),
            ("user.signingkey", str(key.public_file)),
            ("commit.gpgsign", "true"),
            ("gpg.ssh.allowedSignersFile", str(signers_file)),
        ),
    )


def set_local(repo: Repository, settings: Iterable[tuple[str, str]]) -> None:
    """git settings in this clone's own configuration (``git config --local``)."""
    for name, value in settings:
        done = subprocess.run(
            ["git", "-C", str(repo.work_tree), "config", "--local", name, value],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise GitFailed("git.failed", command="git config", detail=done.stderr.strip())


def signers_at_head(reg: Register, repo: Repository) -> str:
    """``register/penanda-tangan`` as HEAD has it ("" when absent)."""
    rel = reg.relative(reg.root / signers.FILE)
    raw = repo.read_at("HEAD", [rel]).get(rel)  # None on an unborn branch too
    return raw.decode("utf-8", "replace") if raw else ""


def listed_at_head(reg: Register, repo: Repository, email: str) -> list[signers.PublicKey]:
    """The keys that ``register/penanda-tangan`` at HEAD lists for ``email``."""
    return signers.listed(signers_at_head(reg, repo), email)


def holders_at_head(reg: Register, repo: Repository, key: signers.PublicKey) -> list[str]:
    """Whom ``register/penanda-tangan`` at HEAD lists ``key`` for."""
    return signers.holders(signers_at_head(reg, repo), key)


def check_step_key(reg: Register, repo: Repository, email: str) -> None:
    """Refuse a step that would be signed with a key the register does not list for
    ``email`` (another officer's key in a shared clone, a new laptop's key not yet added):
    ``verify`` would reject the commit."""
    key = configured_key(repo)
    listed = listed_at_head(reg, repo, email)
    if key is None or key not in listed:
        hint = "hint.key_add" if key is not None else "hint.key_other"
        raise NotAuthorized(
            "key.not_listed",
            email=email,
            path=reg.relative(reg.root / signers.FILE),
            key=repo.config("user.signingkey"),
            hint=hint,
            command=f"dipctl key add {email} '{key.text}'" if key is not None else "",
        )


def configured_key(repo: Repository) -> signers.PublicKey | None:
    """The public key of git's ``user.signingkey`` (a ``key::`` literal or a key file)."""
    value = repo.config("user.signingkey")
    if value.startswith("key::"):
        return signers.parse_key(value.removeprefix("key::"))
    if not value:
        return None
    path = _public(_private(Path(value).expanduser()))
    try:
        return signers.parse_key(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _private(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".pub")) if path.name.endswith(".pub") else path


def _public(private: Path) -> Path:
    return private.with_name(private.name + ".pub")


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise GitFailed("key.no_ssh_keygen", hint="hint.install_openssh")
    return found


def _keygen(private: Path, email: str, passphrase: bool) -> None:
    """``ssh-keygen -t ed25519``; it never overwrites a key (asked, it gets no answer)."""
    program = _ssh_keygen()
    try:
        private.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise RegisterError("key.keygen_failed", path=private, detail=str(exc)) from exc
    args = [program, "-q", "-t", "ed25519", "-C", email, "-f", str(private)]
    done = subprocess.run(
        args if passphrase else [*args, "-N", ""],
        stdin=None if passphrase else subprocess.DEVNULL,
        capture_output=not passphrase,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not _public(private).exists():
        detail = (done.stderr or "").strip() or f"exit {done.returncode}"
        raise RegisterError("key.keygen_failed", path=private, detail=detail)


def _derive_public(private: Path, public_file: Path) -> None:
    """A key whose ``.pub`` went missing: ``ssh-keygen -y`` (no prompt: an encrypted key
    is refused with the command that writes the file)."""
    done = subprocess.run(
        [_ssh_keygen(), "-y", "-f", str(private)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or signers.parse_key(done.stdout) is None:
        raise RegisterError("key.no_public", path=public_file, private=private)
    write_atomic(public_file, done.stdout.encode("utf-8"))
