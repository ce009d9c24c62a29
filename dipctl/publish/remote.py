"""Step 6 against the published website (``dipctl publish --url URL``): the site's
``dip.json`` and ``dik.json`` fetched from URL, as a :class:`dipctl.sop.onsite.Source`.

What the network does wrong is exit 4 (could not run) in one sentence naming the address:
unreachable, refused, timed out, an HTTP error, too large. A download the site does not
have (HTTP 404, or 410) is exit 3, like a folder without the file: the site has not been
uploaded (or rebuilt) yet.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from dipctl.errors import DipctlError, Incomplete
from dipctl.publish import web
from dipctl.sop import onsite

#: dip.json of 10,000 items is about 12 MB.
MAX_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0


def base(url: str) -> str:
    """The folder of the site at ``url``: itself, or the folder of a page it names
    (``…/dip/index.html`` -> ``…/dip/``)."""
    path = urlsplit(url).path
    if url.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
        return url if url.endswith("/") else url + "/"
    return urljoin(url, ".")


def site(url: str, timeout: float = DEFAULT_TIMEOUT) -> onsite.Source:
    folder = base(url)

    def read(name: str) -> bytes:
        target = urljoin(folder, name)
        answer = web.request(target, "GET", timeout, max_bytes=MAX_BYTES)
        if answer.error:
            raise error(answer, timeout, "hint.onsite_unreachable")
        if answer.status in (404, 410):
            raise Incomplete(
                "onsite.not_uploaded", url=target, status=answer.status, hint="hint.onsite_wait"
            )
        if answer.status != 200:
            raise error(answer, timeout, "hint.onsite_unreachable")
        return answer.body

    return onsite.Source(folder, read, "hint.onsite_wait")


def error(answer: web.Answer, timeout: float, hint: str) -> DipctlError:
    """The failure of ``answer`` as an error whose message is one sentence."""
    return DipctlError(
        f"web.{answer.error or 'status'}", hint=hint, **web.words(answer, timeout, MAX_BYTES)
    )
