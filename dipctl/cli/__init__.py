"""The command line: typer adapters only (SPEC.md section 5).

Each command parses its options, calls one function of the library, renders the result with
:mod:`dipctl.cli.ui` (fitted to the screen by :mod:`dipctl.cli.screen`) and exits with the
code of :mod:`dipctl.errors`.
Nothing here decides anything of the SOP. May import every other dipctl package; nothing
imports it. typer is imported only here.
"""

from __future__ import annotations

from dipctl.cli import (  # each registers its commands
    admin,
    bootstrap,
    content,
    decree,
    evidence,
    exchange,
    keys,
    lifting,
    links,
    meeting,
    monev,
    proof,
    publish,
    read,
    renewal,
    share,
    sop,
)
from dipctl.cli.app import app

__all__ = [
    "admin",
    "app",
    "bootstrap",
    "content",
    "decree",
    "evidence",
    "exchange",
    "keys",
    "lifting",
    "links",
    "main",
    "meeting",
    "monev",
    "proof",
    "publish",
    "read",
    "renewal",
    "share",
    "sop",
]


def main() -> None:
    app()
