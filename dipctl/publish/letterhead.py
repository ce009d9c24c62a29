"""The kop (letterhead) of every printed paper, from ``register.yaml``'s ``badan_publik``
and the logo of the register's theme (SPEC.md section 1, tata naskah dinas).

The kop is the government line (``pemerintah``), the agency (``nama``), its address,
telephone, e-mail and website (``alamat``, ``telepon``, ``email``, ``situs``) and the logo
``tema/static/logo.svg`` (or ``logo.png``), read as a regular file and never through a link
(:func:`dipctl.publish.themefiles.theme_static_file`) and embedded as a ``data:`` URI, so that the
printed page stays one self-contained file.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from dipctl.publish.themefiles import THEME, ThemeRefused, theme_static_file

if TYPE_CHECKING:
    from dipctl.register.config import Register
    from dipctl.register.records import Settings

#: The logo files looked for in ``tema/static/``, first found wins, with their media types.
LOGOS = (("logo.svg", "image/svg+xml"), ("logo.png", "image/png"))
#: A letterhead logo is a few KiB; a bigger file is a mistake, not a logo to embed.
MAX_LOGO_BYTES = 1024 * 1024


def logo_uri(reg: Register) -> str:
    """The theme's logo as a ``data:`` URI, or ``""`` when the theme has none."""
    for name, media in LOGOS:
        data = theme_static_file(reg, name)
        if data is None:
            continue
        if len(data) > MAX_LOGO_BYTES:
            raise ThemeRefused(
                "theme.logo_size",
                path=reg.relative(reg.root / THEME / "static" / name),
                size=len(data),
                limit=MAX_LOGO_BYTES,
                hint="hint.logo_size",
            )
        return f"data:{media};base64,{base64.b64encode(data).decode('ascii')}"
    return ""


def kop(settings: Settings, logo: str = "") -> dict[str, Any]:
    """What the kop prints: each line present only when register.yaml gives it."""
    phone = f"Telepon {settings.agency_phone}" if settings.agency_phone else ""
    contact = (
        f"Pos-el {settings.agency_email}" if settings.agency_email else "",
        f"Laman {settings.agency_site}" if settings.agency_site else "",
    )
    return {
        "government": settings.government.upper(),
        "agency": settings.agency_name.upper(),
        "address": ", ".join(v for v in (settings.agency_address, phone) if v),
        "contact": ", ".join(v for v in contact if v),
        "logo": logo,
    }
