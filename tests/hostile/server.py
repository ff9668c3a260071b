"""A hostile HTTP server for tests: every path misbehaves in its own way.

``HostileServer(routes, host="127.0.0.1")`` serves a mapping of path -> ``Route`` on a free port of
a loopback address. A route writes the whole response itself, so it can lie about
``Content-Length``, close the connection mid-body, send one byte a second or never answer.

Nothing here sleeps: a paced or stalled route waits on ``server.stopping`` (an ``Event``), which
``stop()`` sets, so shutdown interrupts every pause at once. Every request (path with query) is
recorded in ``server.requests``.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Route = Callable[["Handler"], None]
_QUIET = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class HostileServer:
    """Serve ``routes`` (and pages ``generated(path)`` makes) on ``host`` (any 127.0.0.0/8
    address) and a free port; a context manager."""

    def __init__(self, routes: Mapping[str, Route], host: str = "127.0.0.1",
                 generated: Callable[[str], Route | None] | None = None) -> None:
        self.routes = dict(routes)
        self.generated = generated or (lambda _path: None)
        self.stopping = threading.Event()
        self._requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.hostile = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self.host, self.port = self._httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[str]:
        with self._lock:
            return list(self._requests)

    def record(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # wakes every paced or stalled handler
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    @property
    def hostile(self) -> HostileServer:
        return self.server.hostile

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self.hostile.record(self.path)
        path = urlsplit(self.path).path
        route = self.hostile.routes.get(path) or self.hostile.generated(path) or not_found
        try:
            route(self)
        except _QUIET:
            self.close_connection = True  # the client gave up: that is what it should do

    def head(self, status: int, headers: Mapping[str, str | int]) -> None:
        """Status line and headers, exactly as given (no Content-Length added)."""
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()


# --------------------------------------------------------------------------- routes


def body(data: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
         **headers: str) -> Route:
    """An honest response."""
    def route(h: Handler) -> None:
        h.head(status, {"Content-Type": content_type, "Content-Length": len(data),
                        **{k.replace("_", "-"): v for k, v in headers.items()}})
        h.wfile.write(data)
    return route


def not_found(h: Handler) -> None:
    body(b"<!doctype html><title>404</title><h1>Not found</h1>", status=404)(h)


def redirect(location: str, status: int = 302) -> Route:
    """A redirect; ``location`` is sent as given (relative, absolute, any scheme)."""
    def route(h: Handler) -> None:
        h.head(status, {"Location": location, "Content-Length": 0})
    return route


def lying_length(data: bytes, declared: int, content_type: str = "text/html; charset=utf-8"
                 ) -> Route:
    """Declare ``declared`` bytes, send ``data`` (shorter or longer), then close."""
    def route(h: Handler) -> None:
        h.head(200, {"Content-Type": content_type, "Content-Length": declared})
        h.wfile.write(data)
        h.wfile.flush()
        h.close_connection = True
    return route


def cut_chunked(data: bytes, sent: int) -> Route:
    """A chunked body whose connection is closed after ``sent`` bytes, without the last chunk."""
    def route(h: Handler) -> None:
        h.head(200, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"})
        h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data[:sent]))
        h.wfile.flush()
        h.close_connection = True
    return route


def stream(chunks: Callable[[], Iterable[bytes]], content_type: str = "text/html",
           length: int | None = None, **headers: str) -> Route:
    """Send the chunks (generated lazily, never held whole) with a declared or no length."""
    def route(h: Handler) -> None:
        fields: dict[str, str | int] = {"Content-Type": content_type, **headers}
        if length is None:
            fields["Connection"] = "close"  # the body ends when the connection does
        else:
            fields["Content-Length"] = length
        h.head(200, fields)
        for chunk in chunks():
            h.wfile.write(chunk)
        h.close_connection = True
    return route


def drip(data: bytes, every: float = 1.0) -> Route:
    """One byte every ``every`` seconds, paced on the server's stop event."""
    def route(h: Handler) -> None:
        h.head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": len(data)})
        for i in range(len(data)):
            h.wfile.write(data[i:i + 1])
            h.wfile.flush()
            if h.hostile.stopping.wait(every):
                break
        h.close_connection = True
    return route


def silent(h: Handler) -> None:
    """Read the request, never answer; released when the server stops."""
    h.hostile.stopping.wait()
    h.close_connection = True


# --------------------------------------------------------------------------- bombs


def zeros(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    block = b"\0" * chunk
    for _ in range(total // chunk):
        yield block


def gzip_bomb(unpacked: int) -> bytes:
    """``unpacked`` bytes of zeros, gzip-compressed chunk by chunk (about 1/1000 the size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(packer.compress(c) for c in zeros(unpacked)) + packer.flush()


def brotli_bomb(unpacked: int) -> bytes:
    import brotli

    packer = brotli.Compressor(quality=5)
    return b"".join(packer.process(c) for c in zeros(unpacked)) + packer.finish()
