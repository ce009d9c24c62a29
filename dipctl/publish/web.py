"""Bounded HTTP requests with the standard library, for ``check-links`` and step 6's
``publish --url``: only http and https (another scheme is never opened, not even by a
redirect), redirects followed at most :data:`MAX_REDIRECTS` times, and every request,
redirects included, cut off after ``timeout`` seconds in all (a timer shuts the socket
down, so a server that drips a byte at a time cannot hold it longer).

:func:`request` never raises for what the network does: it returns an :class:`Answer`
whose ``error`` names the failure in a word (``timeout``, ``refused``, ``dns``, ``tls``,
``redirects``, ``scheme``, ``invalid``, ``network``, ``too_large``) or whose ``status`` is
the HTTP status of the last response.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
USER_AGENT = "dipctl (Daftar Informasi Publik; link check)"


@dataclass(frozen=True)
class Answer:
    url: str
    status: int | None = None  # the last response's HTTP status
    error: str = ""  # a failure word (module docstring); "" when a response came
    detail: str = ""  # the library's own words, for --json
    body: bytes = b""
    seconds: float = 0.0


class _Watch:
    """The sockets of one request, shut down by a timer when its time is up."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTP(http.client.HTTPConnection):
    watch: _Watch | None = None

    def connect(self) -> None:
        super().connect()
        if self.watch is not None and self.sock is not None:
            self.watch.add(self.sock)


class _WatchedHTTPS(http.client.HTTPSConnection):
    watch: _Watch | None = None

    def connect(self) -> None:
        super().connect()
        if self.watch is not None and self.sock is not None:
            self.watch.add(self.sock)


def _factory(kind: type[_WatchedHTTP | _WatchedHTTPS], watch: _Watch) -> Any:
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = kind(host, **kwargs)
        connection.watch = watch
        return connection

    return make


class _Redirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS hops, only to http(s), keeping the method (HEAD stays HEAD)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in SCHEMES:
            raise _SchemeRedirect(newurl)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


class _SchemeRedirect(Exception):
    pass


_LOOP = urllib.request.HTTPRedirectHandler.inf_msg[:30]


def _opener(watch: _Watch) -> urllib.request.OpenerDirector:
    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(_factory(_WatchedHTTP, watch), req)

    context = ssl.create_default_context()

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(_factory(_WatchedHTTPS, watch), req, context=context)

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # the agency's proxy, from the environment
        urllib.request.UnknownHandler(),
        Http(),
        Https(context=context),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def check_scheme(url: str) -> str:
    """The failure word for a URL that is not http(s) with a host; "" for one that is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid"
    if parts.scheme.lower() not in SCHEMES:
        return "scheme"
    return "" if parts.hostname else "invalid"


def request(url: str, method: str, timeout: float, max_bytes: int = 0) -> Answer:
    """One request (``HEAD`` or ``GET``) and its redirects, within ``timeout`` seconds in
    all; with ``max_bytes`` the body is read (a GET), more than that is ``too_large``."""
    start = time.monotonic()
    bad = check_scheme(url)
    if bad:
        return Answer(url, error=bad)
    watch = _Watch()
    timer = threading.Timer(timeout, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        answer = _request(url, method, timeout, max_bytes, watch)
    finally:
        timer.cancel()
    seconds = round(time.monotonic() - start, 3)
    if watch.expired:  # whatever the cut-off socket made of it, the time was up
        answer = Answer(url, error="timeout", detail=answer.detail)
    return Answer(**{**answer.__dict__, "seconds": seconds})


def _request(url: str, method: str, timeout: float, max_bytes: int, watch: _Watch) -> Answer:
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _opener(watch).open(req, timeout=timeout) as response:
            body = response.read(max_bytes + 1) if max_bytes else b""
            if max_bytes and len(body) > max_bytes:
                return Answer(url, response.status, "too_large")
            return Answer(url, response.status, body=body)
    except urllib.error.HTTPError as exc:
        reason = str(exc.reason)
        if reason.startswith(_LOOP):  # the bound on redirects was reached
            return Answer(url, exc.code, "redirects", reason[:200])
        if 300 <= exc.code < 400 and "not allowed" in reason:  # to file:, mailto: ...
            return Answer(url, exc.code, "scheme", reason[:200])
        return Answer(url, exc.code)
    except _SchemeRedirect as exc:
        return Answer(url, error="scheme", detail=str(exc)[:200])
    except urllib.error.URLError as exc:
        return Answer(url, error=_word(exc.reason), detail=str(exc.reason)[:200])
    except TimeoutError as exc:
        return Answer(url, error="timeout", detail=str(exc)[:200])
    except http.client.InvalidURL as exc:
        return Answer(url, error="invalid", detail=str(exc)[:200])
    except ValueError as exc:  # a URL urllib will not send (control characters)
        return Answer(url, error="invalid", detail=str(exc)[:200])
    except (OSError, http.client.HTTPException) as exc:
        return Answer(url, error="network", detail=f"{type(exc).__name__}: {exc}"[:200])


def _word(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, socket.gaierror):
        return "dns"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return "tls"
    if isinstance(reason, str) and "timed out" in reason:
        return "timeout"
    return "network"


def words(answer: Answer, timeout: float, max_bytes: int = 0) -> dict[str, object]:
    """The parameters of the ``web.<error>`` and ``web.status`` messages (the catalogs)."""
    from http import HTTPStatus

    phrase = ""
    if answer.status is not None:
        try:
            phrase = HTTPStatus(answer.status).phrase
        except ValueError:
            phrase = ""
    return {
        "url": printable(answer.url[:300]),
        "status": answer.status if answer.status is not None else "",
        "phrase": phrase,
        "seconds": f"{timeout:g}",
        "max": MAX_REDIRECTS if answer.error == "redirects" else max_bytes // 2**20,
        "detail": printable(answer.detail or answer.error),
    }


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: a link or a server's words never
    move the officer's terminal cursor or colour it."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
