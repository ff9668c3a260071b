"""The ``reextract`` spider: pages read back from WARC files, through the crawl's own pipelines.

Its ``start()`` yields ``Page`` items (Scrapy 2.13+ takes items from ``start``), one per archived
HTML response with a 2xx status (with the sitemap or feed hints the crawl archived beside it, as
``Page.hints``), so the same extract pool, dedup and Parquet writer as a crawl turn them into
rows: there is no second code path. Records are read in a thread, a few pages
ahead of the extraction workers (``ahead``), so the reactor never waits on a file and memory stays
flat however large the archive. What it skips (other statuses, non-HTML records such as robots.txt
and sitemaps, revisits and records without an HTTP response, unreadable records, pages already
stored in the destination) is counted in ``newsclean/reextract/skipped_*``.

Run it with ``scrapy reextract SOURCE... -s OUTPUT_DIR=DEST`` (``crawler/commands/reextract.py``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from scrapy.utils.asyncio import create_looping_call

from crawler.archive import Capture, read_captures
from crawler.discovery import looks_like_article
from crawler.items import Page, Reject
from crawler.responses import is_html
from crawler.sites import Site, load_sites
from crawler.state import state_of
from crawler.urls import canonicalize, host_of

logger = logging.getLogger("newsclean.progress")


def parse_shard(value: str | None) -> tuple[int, int]:
    """``"I/N"`` (1 <= I <= N) as ``(I, N)``; ``None`` is the whole archive, ``(1, 1)``."""
    if value is None:
        return 1, 1
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        index = count = 0
    if not 1 <= index <= count:
        raise ValueError(f"shard must be I/N with 1 <= I <= N, e.g. 1/4 (got {value!r})")
    return index, count


def in_shard(path: Path, shard: tuple[int, int]) -> bool:
    """A stable split of WARC files by the hash of their name: the same on every machine."""
    index, count = shard
    digest = hashlib.sha256(path.name.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


class ReextractSpider(scrapy.Spider):
    """Feed the responses of WARC files to the pipelines as ``Page`` items."""

    name = "reextract"

    def __init__(self, files: list[Path], sites: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files = files
        self.sites_arg = sites
        self.started_at = datetime.now(UTC)
        self.crawl_id = f"{self.started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        self.sites: dict[str, Site] = {}  # site names met (a host without a site: the host)
        self._by_host: dict[str, Site] = {}
        self.ahead = 8
        self.max_body = 0
        self.pending = 0  # items sent to the pipelines and not out yet
        self._room = asyncio.Event()
        self.total_bytes = sum(p.stat().st_size for p in files)
        self.read_bytes = 0  # of the files read to their end...
        self.read_bytes_in_file = 0  # ...and of the file being read
        self.interval = 0.0  # PROGRESS_INTERVAL
        self.pages = 0
        self.finished_files: list[Path] = []  # read to their end
        self._progress: Any = None
        self._last = (time.monotonic(), 0)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ReextractSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.sites_arg:
            for site in load_sites(spider.sites_arg):  # SitesError stops the run here
                for host in site.hosts:
                    spider._by_host.setdefault(host, site)
        settings = crawler.settings
        workers = settings.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        spider.ahead = 4 * workers  # enough to keep every worker busy, no more in memory
        spider.max_body = settings.getint("DOWNLOAD_MAXSIZE") or 10 * 1024 * 1024
        spider.interval = settings.getfloat("PROGRESS_INTERVAL")
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def rules_for(self, site: str) -> Any:
        """The per-site boilerplate rules, for the extract pipeline."""
        return self.sites[site].rules if site in self.sites else None

    def timezone_for(self, site: str) -> str | None:
        """The site's time zone for page times without an offset, as in a crawl."""
        return self.sites[site].timezone if site in self.sites else None

    async def start(self) -> AsyncIterator[Page | Reject]:
        if self.interval > 0:
            self._progress = create_looping_call(self.log_progress)
            self._progress.start(self.interval, now=False)
        for path in self.files:
            async for item in self._items(path):
                while self.pending >= self.ahead:
                    await self._wait_for_room()
                self.pending += 1
                yield item
            self.read_bytes += path.stat().st_size
            self.read_bytes_in_file = 0
        while self.pending:  # the engine then sees it idle at once, not at its next heartbeat
            await self._wait_for_room()

    async def _items(self, path: Path) -> AsyncIterator[Page | Reject]:
        """The items of one WARC file, read in a thread; a file that breaks off is logged and
        left unfinished (what was read before the break still counts)."""
        captures = read_captures(path, self.max_body)
        while True:
            try:
                capture = await asyncio.to_thread(next, captures, None)
            except Exception as exc:  # not a WARC, broken gzip members, a truncated record
                logger.error("%s: not read whole: %s", path, exc)
                self._stat("reextract/bad_files")
                return
            if capture is None:
                break
            self.read_bytes_in_file = max(self.read_bytes_in_file, capture.offset)
            item = self.item_of(capture)
            if item is not None:
                yield item
        self.finished_files.append(path)
        self._stat("reextract/files")

    async def _wait_for_room(self) -> None:
        self._room.clear()
        await self._room.wait()

    def item_of(self, capture: Capture) -> Page | Reject | None:
        """The ``Page`` (or ``Reject``) of one archived response; ``None`` to skip it."""
        if capture.skip is not None:  # a revisit, a record without a page, an unreadable one
            if capture.skip == "bad_record":
                logger.error("%s: unreadable record at %s; reading on", capture.file,
                             capture.error)
            return self._skip(capture.skip)
        if not capture.url.startswith(("http://", "https://")):
            return self._skip("not_http")
        url = canonicalize(capture.url)
        site = self._site_of(url)
        if capture.error is not None:
            return self._reject(capture, site, "bad_record", capture.error)
        if not 200 <= capture.status < 300:
            return self._skip("status")
        response = Response(capture.url, status=capture.status, headers=capture.headers,
                            body=capture.body[:512])
        if not is_html(response):
            return self._skip("non_html")
        if len(capture.body) > self.max_body:
            return self._reject(capture, site, "too_large", f"over {self.max_body} bytes")
        stored = state_of(self.crawler).lookup(url)
        if stored is not None and stored.fetched_at >= capture.date:
            return self._skip("known")
        if capture.bad_hints is not None:  # the page is still read, without them
            logger.warning("%s: the hints of %s are unreadable: %s", capture.file, capture.url,
                           capture.bad_hints)
            self._stat("reextract/bad_hints")
        self.pages += 1
        return Page(
            url=url, site=site, body=capture.body, http_status=capture.status,
            fetched_at=capture.date, content_type=capture.header("Content-Type"),
            warc_file=str(capture.file), warc_offset=capture.offset, hints=capture.hints,
            probe=not capture.hints and not looks_like_article(url),  # as the crawl decides
        )

    def _site_of(self, url: str) -> str:
        host = host_of(url)
        site = self._by_host.get(host)
        name = site.name if site is not None else host
        if name not in self.sites:
            self.sites[name] = site if site is not None else Site(name=name)
        return name

    def _reject(self, capture: Capture, site: str, reason: str, detail: str) -> Reject:
        return Reject(url=capture.url, site=site, reason=reason, detail=detail,
                      http_status=capture.status or None, fetched_at=capture.date)

    def _skip(self, why: str) -> None:
        self._stat(f"reextract/skipped_{why}")

    def _item_done(self, *_: Any, **__: Any) -> None:
        self.pending -= 1
        self._room.set()

    def _closed(self) -> None:
        if self._progress is not None and self._progress.running:
            self._progress.stop()

    def _stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newsclean/{key}")

    # ------------------------------------------------------------------ progress

    def progress_line(self) -> str:
        """``reextract: 1200 pages, 41.3 pages/s, 35 % of 812 MB read, ETA 4m10s``."""
        now = time.monotonic()
        rate = (self.pages - self._last[1]) / max(now - self._last[0], 1e-9)
        self._last = (now, self.pages)
        done = self.read_bytes + self.read_bytes_in_file
        share = done / self.total_bytes if self.total_bytes else 1.0
        elapsed = (datetime.now(UTC) - self.started_at).total_seconds()
        eta = elapsed * (1 - share) / share if share > 0 else float("inf")
        return (f"reextract: {self.pages} pages, {rate:.1f} pages/s, {100 * share:.0f} % of "
                f"{self.total_bytes / 1e6:.0f} MB read, ETA {_duration(eta)}")

    def log_progress(self) -> None:
        logger.info(self.progress_line())


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "unknown"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
