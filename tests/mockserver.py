"""A local HTTP server for the fixture news sites in ``tests/sites/``.

Each site is a folder served by its own ``ThreadingHTTPServer`` on ``127.0.0.1`` and a free port.
Text files have ``{{BASE}}`` replaced with the server's base URL (and ``{{SITE:<name>}}`` with the
base URL of another running site), so absolute links, canonical tags and sitemaps point back at
the server. A site's ``_routes.json`` gives a path special behaviour::

    {"/gone.html": {"status": 404},
     "/old.html": {"redirect": "/new.html", "status": 301},
     "/report.html": {"content_type": "application/pdf", "file": "report.pdf"},
     "/sitemap.xml.gz": {"gzip_file": true, "file": "sitemap.xml"}}

Every request (path with query) is recorded in ``server.requests``, so tests can assert what was
fetched. Each site folder also holds ``site.toml`` (its ``[[sites]]`` entry) and ``expected.json``
(its manifest: the articles a crawl must store, the rejects it must record); neither is served.
For a manual look: ``python -m tests.mockserver tests/sites/harbor``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}
BINARY_TYPES = {".pdf": "application/pdf", ".gz": "application/x-gzip"}
SITES_DIR = Path(__file__).resolve().parent / "sites"
SITE_NAMES = ("harbor", "valley", "rive")  # the fixture news sites under SITES_DIR
PRIVATE = {"expected.json", "site.toml"}  # fixture metadata, never served (nor "_*" files)
_SITE_TOKEN = re.compile(r"\{\{SITE:([A-Za-z0-9_.-]+)\}\}")

_running: dict[str, str] = {}  # site name -> base URL, for {{SITE:<name>}} links
_running_lock = threading.Lock()


class SiteServer:
    """One fixture site served on ``127.0.0.1:<free port>``; a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.name = self.root.name
        routes = self.root / "_routes.json"
        self.routes: dict[str, dict[str, Any]] = (
            json.loads(routes.read_text(encoding="utf-8")) if routes.exists() else {}
        )
        self._requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"mockserver-{self.name}", daemon=True
        )
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        """Every path requested so far (with its query string), in order; a copy."""
        with self._lock:
            return list(self._requests)

    def record(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def start(self) -> SiteServer:
        with _running_lock:
            _running[self.name] = self.url
        self._thread.start()
        return self

    def stop(self) -> None:
        with _running_lock:
            if _running.get(self.name) == self.url:
                del _running[self.name]
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def render(self, text: str) -> str:
        """Fill in ``{{BASE}}`` and ``{{SITE:<name>}}`` tokens."""
        text = text.replace("{{BASE}}", self.url)
        return _SITE_TOKEN.sub(lambda m: _running.get(m.group(1), m.group(0)), text)

    def load(self, relative: str, routed: bool = False) -> tuple[bytes, str] | None:
        """The body and content type of a file of the site, or None if there is none.

        Fixture metadata (``expected.json``, ``site.toml``, anything under a ``_`` name) is only
        reachable through a route (``routed``), never by its own path.
        """
        path = (self.root / relative.lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        hidden = path.name in PRIVATE or any(
            part.startswith("_") for part in path.relative_to(self.root).parts
        )
        if hidden and not routed:
            return None
        suffix = path.suffix.lower()
        if suffix in TEXT_TYPES:
            return self.render(path.read_text(encoding="utf-8")).encode(), TEXT_TYPES[suffix]
        return path.read_bytes(), BINARY_TYPES.get(suffix, "application/octet-stream")


@contextmanager
def serve_site(root: Path) -> Iterator[str]:
    """Serve the site folder ``root``; yield its base URL ``http://127.0.0.1:PORT``."""
    with SiteServer(root) as server:
        yield server.url


def load_manifest(name: str) -> dict[str, Any]:
    """``sites/<name>/expected.json``: what a crawl of that fixture site must produce."""
    return json.loads((SITES_DIR / name / "expected.json").read_text(encoding="utf-8"))


def _handler_for(site: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        server_site = site

    return Handler


class _Handler(BaseHTTPRequestHandler):
    server_site: SiteServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read .requests
        return

    def _serve(self, head: bool) -> None:
        site = self.server_site
        site.record(self.path)
        path = unquote(urlsplit(self.path).path) or "/"
        route = site.routes.get(path, {})
        if "redirect" in route:
            target = route["redirect"]
            location = target if "://" in target else site.url + target
            self._send(route.get("status", 301), b"", "text/html", head, Location=location)
        elif route.get("status", 200) >= 400:
            status = route["status"]
            self._send(status, _error_page(status), "text/html; charset=utf-8", head)
        else:
            found = site.load(route.get("file", path), routed="file" in route)
            if found is None:
                self._send(404, _error_page(404), "text/html; charset=utf-8", head)
                return
            body, content_type = found
            if route.get("gzip_file") and not body.startswith(b"\x1f\x8b"):
                body = gzip.compress(body, mtime=0)
            if route.get("gzip_file"):
                content_type = "application/x-gzip"
            self._send(200, body, route.get("content_type", content_type), head)

    def _send(self, status: int, body: bytes, content_type: str, head: bool, **headers: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _error_page(status: int) -> bytes:
    phrase = HTTPStatus(status).phrase
    return f"<!doctype html><title>{status} {phrase}</title><h1>{phrase}</h1>".encode()


def main(argv: list[str]) -> int:
    """``python -m tests.mockserver SITE_DIR [SITE_DIR ...]``: serve until Ctrl-C."""
    if not argv:
        print("usage: python -m tests.mockserver SITE_DIR [SITE_DIR ...]", file=sys.stderr)
        return 2
    servers = [SiteServer(Path(arg)).start() for arg in argv]
    for server in servers:
        print(f"{server.name}: {server.url}/", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
