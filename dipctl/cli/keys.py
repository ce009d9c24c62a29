"""``dipctl key``: an officer's SSH signing key and this clone set to sign with it, and
``dipctl key add``, the kepala's commit that lists a key in ``register/penanda-tangan``;
plus ``init``'s signing and CI-source options and what it says about them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dipctl.cli import ui
from dipctl.cli.app import AsOpt, LangOpt, RegisterOpt, _register, app, reports_errors
from dipctl.errors import UsageError
from dipctl.i18n import Translator

if TYPE_CHECKING:
    from dipctl.sop.bootstrap import Initialised

UnsignedOpt = Annotated[
    bool,
    typer.Option(
        "--unsigned",
        help="Tanpa tanda tangan wajib (lebih lemah: identitas hanya berdasarkan email).",
    ),
]
KeyOpt = Annotated[
    Path | None,
    typer.Option("--key", help="Kunci SSH (bawaan: ~/.ssh/dipctl_ed25519, dibuat bila belum ada)."),
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--dipctl-source",
        help="Sumber dipctl untuk CI: git+https://…/dipctl.git@REV, atau wheel di repositori.",
    ),
]
PassphraseOpt = Annotated[
    bool,
    typer.Option("--passphrase", help="Kunci baru dengan frasa sandi (ditanyakan di terminal)."),
]

key_app = typer.Typer(invoke_without_command=True)
app.add_typer(key_app, name="key")


@key_app.callback()
@reports_errors
def key(
    ctx: typer.Context,
    path: KeyOpt = None,
    passphrase: PassphraseOpt = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Membuat (atau memakai ulang) kunci SSH pejabat, menyiapkan klon ini untuk
    menandatangani setiap langkah, dan mencetak baris yang ditambahkan kepala.

    Contoh: dipctl key --as kasubbag@x.go.id
    """
    if ctx.invoked_subcommand is not None:
        return
    from dipctl.sop import keyring

    if passphrase and not sys.stdin.isatty():
        raise UsageError("key.passphrase_tty")
    tr = Translator(lang)
    done = keyring.set_up(_register(register), as_, path, passphrase)
    ui.print_copy(done.line)  # whole, to send
    state = "key.created" if done.key.created else "key.reused"
    ui.print_message(tr(state, path=done.key.private))
    ui.print_message(tr("key.configured", path=done.key.public_file))
    ui.print_message(tr("identity.recorded", email=done.email))
    if done.listed:
        ui.print_message(tr("key.listed", email=done.email))
    else:
        command = f"dipctl key add {done.email} '{done.key.key.text}'"
        ui.print_message_with(tr("key.ask_kepala", command="\x00"), command)


@key_app.command("add")
@reports_errors
def key_add(
    email: Annotated[str, typer.Argument(help="Email pejabat pemilik kunci.")],
    public_key: Annotated[
        str, typer.Argument(metavar="KEY", help="Kunci publik: 'ssh-ed25519 AAAA…'.")
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Ganti kunci lama pejabat ini (laptop baru).")
    ] = False,
    register: RegisterOpt = None,
    as_: AsOpt = None,
    lang: LangOpt = None,
) -> None:
    """Kepala mencantumkan kunci publik pejabat di register/penanda-tangan (satu langkah).

    Contoh: dipctl key add kasubbag@x.go.id 'ssh-ed25519 AAAA…' --as kepala@x.go.id
    """
    from dipctl.sop import keyring

    tr = Translator(lang)
    done = keyring.add_key(_register(register), email, public_key, as_, replace)
    ui.print_copy(done.line)
    if done.commit is None:
        ui.print_message(tr("key.listed", email=email.lower()))
    else:
        ui.print_message(tr("key.added", email=email.lower(), commit=done.commit[:10]))


def report_init(tr: Translator, made: Initialised) -> None:
    """What ``init`` says about signing and about the CI's install source."""
    if made.key is not None:
        state = "key.created" if made.key.created else "key.reused"
        ui.print_message(tr(state, path=made.key.private))
        ui.print_message(tr("init.signed"))
    else:
        ui.print_message(f"{tr('label.warning')}: {tr('verify.unsigned_register')}")
    source = made.source
    if not source.value:
        ui.print_message(f"{tr('label.warning')}: {tr('init.no_source')}")
        return
    ui.print_message(tr(f"init.source.{source.origin}", source=source.value))
    if not made.source_present:
        ui.print_message(f"{tr('label.warning')}: {tr('init.source_absent', source=source.value)}")
