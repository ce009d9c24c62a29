"""HTML pages to PDF with Chromium, run headless as a subprocess (no Playwright at run time).

The browser is ``DIPCTL_CHROMIUM`` when set (a path, or a name on ``PATH``), else
``chromium`` (or ``chromium-browser``, ``google-chrome``) on ``PATH`` (Debian's package puts
``/usr/bin/chromium`` there). Each page is printed by its own short-lived browser with a
throw-away profile, from a ``file://`` URL, without the browser's header and footer, within
:data:`TIMEOUT` seconds (``DIPCTL_CHROMIUM_TIMEOUT``); ``--no-sandbox`` only when running
as root (where Chromium's sandbox refuses to start). The PDF's creation and modification dates
are replaced by a given stamp of the same length, so that the same pages give the same bytes.
A missing, failing or hanging browser is a :class:`PdfFailed` (exit 4) naming what to do,
never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from dipctl.errors import DipctlError

#: The environment variable that names the browser to run.
BROWSER_ENV = "DIPCTL_CHROMIUM"
TIMEOUT_ENV = "DIPCTL_CHROMIUM_TIMEOUT"
NAMES = ("chromium", "chromium-browser", "google-chrome")
#: Seconds one page may take to print (a cold start on a loaded two-core machine is ~2 s).
TIMEOUT = 60
_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
    # Untagged: a tagged PDF's structure tree (an object per table cell, uncompressed) was
    # four fifths of a lampiran's bytes, 35 MB at 10,000 rows against e-Monev's 2 MB.
    "--disable-pdf-tagging",
)
#: Skia writes ``/CreationDate (D:20261202183930+00'00')`` and the same for ``/ModDate``.
_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[^)]{0,8}\)")


class PdfFailed(DipctlError):
    """Chromium is missing, failed or did not finish: no PDF could be printed."""

    default_hint = "hint.chromium"


def browser() -> str:
    """The Chromium to run, or :class:`PdfFailed` saying how to install one."""
    named = os.environ.get(BROWSER_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise PdfFailed("pdf.browser_env_missing", env=BROWSER_ENV, path=named)
        return found
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfFailed("pdf.no_browser", env=BROWSER_ENV)


def _command(program: str, page: Path, out: Path, profile: Path) -> list[str]:
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        program,
        *_FLAGS,
        *sandbox,
        f"--user-data-dir={profile}",
        f"--print-to-pdf={out}",
        page.resolve().as_uri(),
    ]


def _detail(output: str) -> str:
    """The browser's last meaningful line, as a hint of what went wrong."""
    lines = [line.strip() for line in output.splitlines()]
    useful = [line for line in lines if line and "dbus" not in line.lower()]
    return (useful[-1] if useful else "")[:300]


def timeout() -> float:
    """Seconds one page may take: ``DIPCTL_CHROMIUM_TIMEOUT`` when set, else :data:`TIMEOUT`."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        chosen = float(text) if text else TIMEOUT
    except ValueError:
        chosen = TIMEOUT
    return chosen if chosen > 0 else TIMEOUT


def _run(command: list[str], home: str, page: Path, limit: float) -> tuple[int, str]:
    """Run the browser in its own process group, its output in a file (a pipe held by one of
    its helper processes would outlive a kill); on timeout the whole group is killed."""
    log = Path(home) / "chromium.log"
    env = {**os.environ, "HOME": home, "TZ": "UTC"}
    with log.open("wb") as sink:
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=sink,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise PdfFailed("pdf.not_run", program=command[0], detail=exc.strerror or exc) from exc
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise PdfFailed("pdf.timeout", path=page.name, seconds=f"{limit:g}") from exc
        finally:
            with contextlib.suppress(OSError):  # helpers left behind by a finished browser
                os.killpg(proc.pid, signal.SIGKILL)
    return code, log.read_text("utf-8", "replace")


def print_pdf(program: str, page: Path, out: Path, stamp: str) -> bytes:
    """Print the HTML file ``page`` to ``out`` and return the PDF, dated ``stamp``
    (``YYYYMMDDHHMMSS``, UTC)."""
    with tempfile.TemporaryDirectory(prefix="dipctl-chromium-") as home:
        profile = Path(home) / "profile"
        code, output = _run(_command(program, page, out, profile), home, page, timeout())
    data = out.read_bytes() if out.is_file() else b""
    if code != 0 or not data.startswith(b"%PDF-"):
        raise PdfFailed("pdf.failed", path=page.name, code=code, detail=_detail(output) or "-")
    return stamped(data, stamp)


def stamped(data: bytes, stamp: str) -> bytes:
    """``data`` with its creation and modification dates set to ``stamp``, where the new
    date has the old one's length (so that the PDF's byte offsets stay right)."""

    def replace(match: re.Match[bytes]) -> bytes:
        new = b"/%s (D:%s+00'00')" % (match.group(1), stamp.encode("ascii"))
        return new if len(new) == len(match.group(0)) else match.group(0)

    return _DATES.sub(replace, data)
