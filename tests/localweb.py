"""A local HTTP server for the tests of ``check-links`` and ``publish --url`` (no network):
``http.server`` on 127.0.0.1 in a thread, with routes that misbehave the ways real servers
do, and a folder served as a static site under ``/situs/``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SLOW = 5.0  # how long the slow routes sleep: far past the tests' --timeout


@dataclass
class Web:
    port: int
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    sites: dict[str, Path] = field(default_factory=dict)  # /situs/<name>/ -> folder

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> set[str]:
        return {p for _, p in self.requests}


def closed_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _handler(web: Web) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self._route("HEAD")

        def do_GET(self) -> None:
            self._route("GET")

        def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

        def _route(self, method: str) -> None:
            web.requests.append((method, self.path))
            path = self.path.split("?", 1)[0]
            if path.startswith("/situs/"):
                return self._site(path)
            if path.startswith("/ok"):
                return self._send(200, b"%PDF-1.4\n")
            if path.startswith("/nohead"):
                return self._send(405) if method == "HEAD" else self._send(200, b"ok")
            if path.startswith("/loop"):
                return self._send(302, Location=self.path)  # to itself, for ever
            if path.startswith("/hop"):
                hops = int(path.removeprefix("/hop") or 0)
                if hops:
                    return self._send(302, Location=f"/hop{hops - 1}")
                return self._send(200, b"ok")
            if path.startswith("/to-file"):
                return self._send(302, Location="file:///etc/passwd")
            if path.startswith("/slow"):
                time.sleep(SLOW)
                return self._send(200, b"late")
            if path.startswith("/drip"):  # headers a byte at a time, never finishing
                self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                for _ in range(int(SLOW * 10)):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
                return None
            if path.startswith("/html"):
                return self._send(
                    200, b"<!doctype html><title>Beranda</title>", Content_Type="text/html"
                )
            return self._send(404, b"not found")

        def _site(self, path: str) -> None:
            name, _, rest = path.removeprefix("/situs/").partition("/")
            folder = web.sites.get(name)
            target = (folder / (rest or "index.html")) if folder else None
            if target is None or not target.is_file():
                return self._send(404, b"not found")
            return self._send(200, target.read_bytes(), Content_Type="application/json")

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """Silent: the slow routes outlive the clients that timed out on them by design, and
        their broken pipe, printed to sys.stderr, would land in whatever test captures it
        then (a later test of the same worker)."""


@contextmanager
def serving() -> Iterator[Web]:
    server = _Server(("127.0.0.1", 0), _handler(Web(0)))
    web = Web(server.server_address[1])
    server.RequestHandlerClass = _handler(web)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()
