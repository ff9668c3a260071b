"""SIGTERM and Ctrl-C: what was fetched before the signal is extracted, written and readable.

A local site serves three articles at once and holds a fourth request open until the test lets it
go. Once the three are served and the fourth is waiting, the test signals the crawl: the run must
end by itself, write the three, leave no partial file, and exit non-zero (it did not finish).
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

ROOT = Path(__file__).resolve().parents[1]
WORDS = "The harbor council met on Tuesday to weigh the cost of the new sea wall and its upkeep."


def article(n: int) -> bytes:
    body = "".join(f"<p>{WORDS} Paragraph {i} of story {n}: {i * n}.</p>" for i in range(6))
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"{body}</article></body></html>"
    ).encode()


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.fast_served = threading.Semaphore(0)
        self.slow_waiting = threading.Event()
        self.release = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path
        if path == "/":
            links = "".join(
                f'<a href="/news/2026/11/story-number-{n}-of-the-day.html">s{n}</a>'
                for n in (1, 2, 3, 4)
            )
            self.reply(f"<html><body>{links}</body></html>".encode())
        elif path.startswith("/news/2026/11/story-number-4"):
            self.server.slow_waiting.set()
            self.server.release.wait(timeout=60)
            self.reply(article(4))
        elif path.startswith("/news/2026/11/story-number-"):
            self.reply(article(int(path.split("-")[2])))
            self.server.fast_served.release()
        else:
            self.send_error(404)

    def reply(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the crawler may hang up on shutdown
            self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_flushes_what_was_fetched(site: Site, tmp_path: Path, sig: signal.Signals):
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[sites]]\nname = "harbor"\nstart_urls = ["{site.base}/"]\n')
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}",
         "-s", f"OUTPUT_DIR={out}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
         "-s", "ROBOTSTXT_OBEY=False", "-s", "EXTRACT_WORKERS=1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for _ in range(3):
            assert site.fast_served.acquire(timeout=60), "the three articles were not fetched"
        assert site.slow_waiting.wait(timeout=60)
        proc.send_signal(sig)
        site.release.set()  # the in-flight download may finish; nothing new may start
        log, _ = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 1, log[-3000:]
    assert "did not finish" in log
    table = ds.dataset(out / "articles", partitioning="hive").to_table()
    titles = sorted(table.column("title").to_pylist())
    assert titles[:3] == ["Story 1", "Story 2", "Story 3"], log[-3000:]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_second_signal_writes_what_was_extracted(site: Site, tmp_path: Path, sig: signal.Signals):
    """A second signal stops at once, without waiting for the held download: the three
    articles already extracted are written (and recorded as stored) all the same."""
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[sites]]\nname = "harbor"\nstart_urls = ["{site.base}/"]\n')
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}",
         "-s", f"OUTPUT_DIR={out}", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
         "-s", "ROBOTSTXT_OBEY=False", "-s", "EXTRACT_WORKERS=1", "-s", "LOG_LEVEL=DEBUG"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    log: list[str] = []
    try:
        assert proc.stdout is not None
        # the front page (a ``listing`` reject) and the three articles are in the writer
        wait_for(proc.stdout, log, "Scraped from", times=4)
        assert site.slow_waiting.is_set()
        proc.send_signal(sig)
        wait_for(proc.stdout, log, "shutting down gracefully")
        proc.send_signal(sig)
        rest, _ = proc.communicate(timeout=60)
        log.append(rest)
    finally:
        proc.kill()
    text = "".join(log)
    assert proc.returncode == 1, text[-3000:]
    assert "forced shutdown: wrote the 4 rows" in text, text[-3000:]
    table = ds.dataset(out / "articles", partitioning="hive").to_table()
    assert sorted(table.column("title").to_pylist()) == ["Story 1", "Story 2", "Story 3"]
    rejects = ds.dataset(out / "rejects", partitioning="hive").to_table()
    assert rejects.column("reason").to_pylist() == ["listing"]
    with contextlib.closing(sqlite3.connect(out / "state.sqlite")) as db:
        assert db.execute("select count(*) from articles").fetchone() == (3,)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def wait_for(stream: Any, log: list[str], text: str, times: int = 1) -> None:
    """Read the crawl's output until ``text`` was seen ``times`` times (the process's own pace)."""
    seen = 0
    for line in stream:
        log.append(line)
        seen += text in line
        if seen >= times:
            return
    raise AssertionError(f"{text!r} not seen {times} times:\n{''.join(log)[-3000:]}")
