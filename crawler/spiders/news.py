"""The ``news`` spider: discover article URLs on each configured site and fetch them.

It wires discovery (robots.txt ``Sitemap:`` lines, sitemaps and news sitemaps, RSS/Atom feeds,
links on start pages), site boundaries and per-site limits. It has no parsing logic of its own:
discovery is in ``crawler.discovery``, extraction in the pipelines. Every fetched article page
leaves as a ``Page`` item; every failure as a ``Reject``.

    scrapy crawl news [-a sites=sites.toml] [-a site=NAME] [-s OUTPUT_DIR=output]
"""

from __future__ import annotations

import secrets
from collections import Counter, deque
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import discovery
from crawler.guard import BlockedRequest, RedirectLoop
from crawler.items import Page, Reject
from crawler.responses import content_type, is_html
from crawler.sites import Site, load_sites
from crawler.state import StateStore, state_of
from crawler.urls import canonicalize, host_of

ARTICLE_PRIORITY = 10  # drain article requests first: the queue stays short on big sitemaps
# Article requests of a site scheduled or downloading at a time. The rest of what discovery found
# waits in the spider's backlog as (url, hints), a fifth of a Request's memory, and is released as
# requests end: the scheduler stays short however large the sitemaps, and every site keeps
# requests queued, so a crawl of many sites keeps all of them busy at their own polite rate.
ARTICLES_AHEAD = 16


class NewsSpider(scrapy.Spider):
    """Crawl the sites of a sites file into articles."""

    name = "news"

    def __init__(self, sites: str | None = None, site: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites_arg = sites
        self.site_arg = site
        self.started_at = datetime.now(UTC)
        self.crawl_id = f"{self.started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        self.sites: dict[str, Site] = {}
        self._by_host: dict[str, Site] = {}
        self._queued: dict[str, set[str]] = {}  # article URLs queued per site (<= max_pages)
        self._backlog: dict[str, deque[tuple[str, tuple[Any, ...]]]] = {}
        self._ahead: Counter[str] = Counter()  # article requests out, per site
        self._releasing: set[str] = set()  # sites whose backlog is being released right now

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sites_arg or crawler.settings.get("SITES_FILE")
        for site in load_sites(path, only=spider.site_arg):  # SitesError stops the run here
            spider.sites[site.name] = site
            for host in site.hosts:
                spider._by_host.setdefault(host, site)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    @property
    def state(self) -> StateStore:
        """The cross-run store: what earlier runs stored, so it is not fetched again."""
        return state_of(self.crawler)

    def rules_for(self, site: str) -> Any:
        """The per-site boilerplate rules, for the extract pipeline."""
        return self.sites[site].rules if site in self.sites else None

    def timezone_for(self, site: str) -> str | None:
        """The site's time zone (IANA name) for page times without an offset, for the extract
        pipeline; None: such times are read as UTC."""
        return self.sites[site].timezone if site in self.sites else None

    # ------------------------------------------------------------------ start

    async def start(self) -> AsyncIterator[Request]:
        for site in self.sites.values():
            for origin in sorted({_origin(u) for u in (*site.start_urls, *site.sitemaps)}):
                yield self._request(site, urljoin(origin, "/robots.txt"), self.parse_robots)
            for url in site.sitemaps:
                yield self._request(site, url, self.parse_sitemap)
            for url in site.feeds:
                yield self._request(site, url, self.parse_feed)
            for url in site.start_urls:
                yield self._request(site, url, self.parse_listing, depth=0)

    # ------------------------------------------------------------------ discovery

    def parse_robots(self, response: Response, site: str) -> Iterator[Request]:
        for url in discovery.sitemaps_from_robots(response.body, response.url):
            self._stat("discovery/robots_sitemaps")
            yield self._request(self.sites[site], url, self.parse_sitemap)

    def parse_sitemap(self, response: Response, site: str) -> Iterator[Request | Reject]:
        found = discovery.parse_sitemap(response.body, response.url)
        config = self.sites[site]
        if found.kind == "invalid":
            yield self._reject(response.url, site, "bad_sitemap", found.error, response.status)
            return
        now = datetime.now(UTC)
        for entry in found.entries:
            if found.kind == "index":
                if discovery.is_fresh(entry, config.max_age_days, now):
                    yield self._request(config, entry.url, self.parse_sitemap)
                continue
            self._stat("discovery/sitemap_urls")
            self._article(config, entry, now)

    def parse_feed(self, response: Response, site: str) -> Iterator[Request | Reject]:
        entries = discovery.parse_feed(response.body, response.url)
        if entries is None:
            yield self._reject(response.url, site, "bad_feed", "not an RSS/Atom feed",
                               response.status)
            return
        now = datetime.now(UTC)
        for entry in entries:
            self._stat("discovery/feed_urls")
            self._article(self.sites[site], entry, now)

    def parse_listing(self, response: Response, site: str, depth: int) -> Iterator[Request]:
        if not isinstance(response, HtmlResponse) or not is_html(response):
            return
        config = self.sites[site]
        for url in discovery.feed_links(response):
            yield self._request(config, url, self.parse_feed)
        now = datetime.now(UTC)
        for url in discovery.page_links(response):
            if self._owner(url) is not config or config.denies(url):
                continue
            if discovery.looks_like_article(url):
                self._stat("discovery/links")
                self._article(config, discovery.Entry(url=url), now)
            elif depth < config.follow_depth and discovery.looks_like_listing(url):
                yield self._request(config, url, self.parse_listing, depth=depth + 1)

    def _article(self, site: Site, entry: discovery.Entry, now: datetime) -> None:
        """Queue an article request for ``entry``, unless the site's rules or limits say no."""
        url = canonicalize(entry.url)
        if self._owner(url) is not site:
            self._stat("discovery/offsite")
            return
        if not site.allows(url):
            self._stat("discovery/denied")
            return
        if not discovery.is_fresh(entry, site.max_age_days, now):
            self._stat("discovery/too_old")
            return
        queued = self._queued.setdefault(site.name, set())
        if url in queued:  # found again (a sitemap and a listing page): counts once
            self._stat("discovery/found_again")
            return
        stored = self.state.lookup(url)
        if stored is not None and not stored.changed_since(entry.lastmod):
            self._stat("state/skipped_known")
            return
        if stored is not None:
            self._stat("state/refetch_changed")
        if len(queued) >= site.max_pages:
            self._stat(f"site/{site.name}/max_pages_reached")
            return
        queued.add(url)
        hints = (entry.title, entry.published, entry.lastmod)
        self._backlog.setdefault(site.name, deque()).append((url, hints))
        self._release(site.name)

    def _release(self, site: str) -> int:
        """Schedule article requests of ``site`` from its backlog up to ``ARTICLES_AHEAD`` out.

        Not re-entrant: a request the scheduler drops at once ends inside ``engine.crawl``; the
        loop below then simply goes on, instead of a nested release per dropped URL, which a long
        run of them would take past Python's recursion limit. (Article requests skip Scrapy's
        dupefilter, ``_queued`` having kept repeats out, so only another scheduler or dupefilter
        set in the settings would drop one.)"""
        backlog, released = self._backlog.get(site), 0
        if site in self._releasing:
            return 0
        self._releasing.add(site)
        try:
            while backlog and self._ahead[site] < ARTICLES_AHEAD:
                url, (title, published, lastmod) = backlog.popleft()
                hints = {"title": title, "published_at": published, "lastmod": lastmod}
                self._ahead[site] += 1
                released += 1
                self.crawler.engine.crawl(Request(
                    url,
                    callback=self.parse_article,
                    errback=self.on_error,
                    cb_kwargs={"site": site, "hints": hints},
                    priority=ARTICLE_PRIORITY,
                    dont_filter=True,  # ``_queued`` has seen to it: no fingerprint kept per article
                ))
        finally:
            self._releasing.discard(site)
        return released

    def _ended(self, site: str) -> None:
        """An article request of ``site`` ended (page, failure, dropped): release the next."""
        self._ahead[site] -= 1
        self._release(site)

    def _dropped(self, request: Request) -> None:
        if request.callback == self.parse_article:  # a scheduler that drops one: see _release
            self._ended(request.cb_kwargs["site"])

    def _idle(self) -> None:
        """A safety net: the crawl does not end while a backlog holds requests."""
        if sum(self._release(site) for site in list(self._backlog)):
            raise DontCloseSpider

    # ------------------------------------------------------------------ articles

    def parse_article(self, response: Response, site: str, hints: dict) -> Iterator[Page | Reject]:
        self._ended(site)
        if not is_html(response):
            kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no type"
            yield self._reject(response.url, site, "non_html", kind, response.status)
            return
        self._stat("fetch/articles")
        url = canonicalize(response.url)
        sources = (*response.request.meta.get("redirect_urls", ()), response.request.url)
        yield Page(
            url=url,
            aliases=tuple(dict.fromkeys(canonicalize(u) for u in sources if u != url)),
            site=site,
            body=response.body,  # bytes: decoded in the extraction worker, off the reactor
            content_type=content_type(response),
            http_status=response.status,
            fetched_at=datetime.now(UTC),
            hints={k: v for k, v in hints.items() if v is not None},
        )

    def on_error(self, failure: Failure) -> Iterator[Reject]:
        """Every failed request of an article, sitemap, feed or start page becomes a reject."""
        request = failure.request  # type: ignore[attr-defined]
        site = request.cb_kwargs.get("site")
        if request.callback == self.parse_robots:
            return  # a missing robots.txt is normal
        if request.callback == self.parse_article:
            self._ended(site)
        reason, detail, status = _failure_reason(failure)
        yield self._reject(request.url, site, reason, detail, status)

    # ------------------------------------------------------------------ helpers

    def _request(self, site: Site, url: str, callback: Any, depth: int | None = None) -> Request:
        kwargs: dict[str, Any] = {"site": site.name}
        if depth is not None:
            kwargs["depth"] = depth
        return Request(canonicalize(url), callback=callback, errback=self.on_error,
                       cb_kwargs=kwargs)

    def _owner(self, url: str) -> Site | None:
        return self._by_host.get(host_of(url))

    def _reject(self, url: str, site: str | None, reason: str, detail: str | None,
                status: int | None) -> Reject:
        return Reject(url=url, site=site, reason=reason, detail=detail, http_status=status,
                      fetched_at=datetime.now(UTC))

    def _stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newsclean/{key}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


_IGNORED = (  # Scrapy's IgnoreRequest messages -> reasons
    ("robots.txt", "robots_disallowed"),
    ("max redirections", "too_many_redirects"),
    ("DOWNLOAD_MAXSIZE", "too_large"),  # a compressed body past the limit once unpacked
)


def _failure_reason(failure: Failure) -> tuple[str, str, int | None]:
    """``(reason, detail, http_status)`` for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status}", status
    if isinstance(exc, BlockedRequest):
        return "blocked_address", str(exc)[:300], None
    if isinstance(exc, RedirectLoop):
        return "redirect_loop", str(exc)[:300], None
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        reason = next((r for k, r in _IGNORED if k in text), "ignored")
        return reason, text[:300], None
    # a body past DOWNLOAD_MAXSIZE: declared ("max size" message) or found mid-body (Scrapy's
    # HTTP/1.1 handler then cancels the download and the message is empty)
    if isinstance(exc, DownloadCancelledError) and ("max size" in str(exc).lower() or not str(exc)):
        return "too_large", str(exc)[:300], None
    return "download_error", f"{type(exc).__name__}: {exc}"[:300], None
