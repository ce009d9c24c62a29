"""The signatures of ``dipctl verify``: ``%G?`` and ``%GS`` of commits, each checked by
ssh-keygen against the allowed-signers file its *parent* held (SPEC.md section 4)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from dipctl.proof.history import GIT

if TYPE_CHECKING:
    from dipctl.proof.replay import Commit, Objects
    from dipctl.register.config import Register
    from dipctl.register.records import Settings


class Walk(Protocol):
    """What :func:`of_walk` asks of verify's walk (:class:`dipctl.proof.verify.Replay`)."""

    config_path: str
    signers_path: str
    objects: Objects

    def blob(self, commit: str | None, path: str) -> str | None: ...

    def settings(self, blob: str | None) -> Settings | None: ...


#: Only SSH signatures checked by ssh-keygen against the register's own allowed-signers
#: file count: an OpenPGP or X.509 signature can never verify, whatever the verifier's
#: keyring or git configuration trusts.
NO_GPG = (
    *("-c", f"gpg.program={shutil.which('false') or '/bin/false'}"),
    *("-c", f"gpg.x509.program={shutil.which('false') or '/bin/false'}"),
    *("-c", "gpg.ssh.program=ssh-keygen"),
)


def check(work_tree: Path, groups: list[tuple[bytes, list[str]]]) -> dict[str, tuple[str, str]]:
    """%G? and %GS of each commit of each group, against that group's allowed-signers file
    content (one git call per group)."""
    found: dict[str, tuple[str, str]] = {}
    for signers, shas in groups:
        with tempfile.TemporaryDirectory() as tmp:
            allowed = Path(tmp) / "allowed_signers"
            allowed.write_bytes(signers)
            done = subprocess.run(
                [
                    *GIT,
                    "-c",
                    f"gpg.ssh.allowedSignersFile={allowed}",
                    *NO_GPG,
                    "log",
                    "--no-walk=unsorted",
                    "--format=%H %G? %GS",
                    *shas,
                ],
                cwd=work_tree,
                capture_output=True,
                text=True,
                check=False,
            )
        for line in done.stdout.splitlines():
            sha, status, *signer = line.split(" ", 2)
            found[sha] = (status, signer[0] if signer else "")
    return found


def of_walk(reg: Register, replay: Walk, commits: list[Commit]) -> dict[str, tuple[str, str]]:
    """%G? and %GS of each commit that must be signed, checked against the allowed-signers
    file of its *parent* (one git call per version of that file)."""
    groups: dict[str | None, list[str]] = {}
    for commit in commits:
        parent = commit.parents[0] if commit.parents else None
        settings = replay.settings(replay.blob(parent, replay.config_path))
        if settings is not None and settings.signing_required:
            groups.setdefault(replay.blob(parent, replay.signers_path), []).append(commit.sha)
    contents = {blob: replay.objects.read(blob) if blob else None for blob in groups}
    return check(
        reg.work_tree, [(raw[1] if (raw := contents[b]) else b"", s) for b, s in groups.items()]
    )
