"""The ``news`` spider: discover the pages of each configured site and fetch each of them once.

It wires discovery (sitemaps and news sitemaps, the ``Sitemap:`` lines of robots.txt, RSS/Atom
feeds, links on pages), site boundaries and per-site limits to Scrapy. It has no parsing logic of
its own (discovery is in ``crawler.discovery``, extraction in the pipelines) and no flow control
of its own (``crawler.frontier``: what to fetch next, every URL once, ``max_pages``).

Every HTML page it fetches (start pages, section pages, sitemap and feed entries, followed links)
leaves as a ``Page`` item and is judged by what it holds: an article, a ``listing``, a
``blocked`` wall, ``not_article``. Links are followed from any page, articles too, while its
depth is below the site's ``follow_depth`` (start pages are depth 0; sitemap and feed entries
are the site's own list of articles: their links are not followed). Every failure leaves as a
``Reject``.

    scrapy crawl news [-a sites=sites.toml] [-a site=NAME] [-s OUTPUT_DIR=output]
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import discovery
from crawler.frontier import Claimed, Frontier, Offered
from crawler.guard import BlockedRequest, RedirectLoop
from crawler.items import Page, Reject
from crawler.redirects import AlreadyFetched, DeniedRedirect
from crawler.responses import content_type, is_html
from crawler.sites import Site, load_sites
from crawler.state import StateStore, state_of
from crawler.urls import canonicalize, host_of

PAGE_PRIORITY = 10  # drain page requests before more sitemaps: the queue stays short
# Page requests of a site scheduled or downloading at a time. The rest of what discovery found
# waits in the frontier as small tasks and is handed out as requests end: the scheduler stays
# short however large the sitemaps, and every site keeps requests queued, so a crawl of many
# sites keeps all of them busy at their own polite rate.
PAGES_AHEAD = 16
# Pages larger than this are not parsed on the reactor for their links (a front or section page
# is a few hundred KB; a 10 MB page would hold every download in flight for a second or more).
LINKS_MAX_BYTES = 2 * 1024 * 1024
# Sitemaps and feeds may be as large as the sitemap protocol allows (50 MB uncompressed); the
# page size cap (DOWNLOAD_MAXSIZE) stays for pages. They are parsed incrementally.
SOURCE_META = {
    "download_maxsize": discovery.SITEMAP_MAX_BYTES,
    "download_warnsize": discovery.SITEMAP_MAX_BYTES,
}
_NO_HINTS = (None, None, None)  # (title, published, lastmod) of a page found by a link


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
        self.frontier = Frontier(ahead=PAGES_AHEAD)
        self._sources: dict[str, list[Request]] = {}  # sitemaps robots.txt named, per site

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sites_arg or crawler.settings.get("SITES_FILE")
        for site in load_sites(path, only=spider.site_arg):  # SitesError stops the run here
            spider.sites[site.name] = site
            spider.frontier.add_site(site.name, site.max_pages, site.revisit)
            for host in site.hosts:
                spider._by_host.setdefault(host, site)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
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
            for url in site.sitemaps:
                if request := self._source(site, url, self.parse_sitemap):
                    yield request
            for url in site.feeds:
                if request := self._source(site, url, self.parse_feed):
                    yield request
            for url in site.start_urls:  # fetched every run: new links come from them
                self._offer(site, canonicalize(url), 0, first=True, always=True)
        for site in self.sites.values():
            for request in self._next(site.name):
                yield request

    # ------------------------------------------------------------------ sitemaps and feeds

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        """robots.txt was read (once per host, by Scrapy's middleware): fetch its sitemaps."""
        site = self._owner(request.url)
        lines = getattr(robotparser, "sitemap_lines", ())
        if site is None or not lines:
            return
        parts = urlsplit(request.url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        for url in discovery.absolute_sitemaps(list(lines), robots_url):
            self._stat("discovery/robots_sitemaps")
            if source := self._source(site, url, self.parse_sitemap):  # yielded by ``_next``
                self._sources.setdefault(site.name, []).append(source)

    async def parse_sitemap(
        self, response: Response, site: str
    ) -> AsyncIterator[Request | Reject]:
        # A sitemap may hold 50,000 URLs: read and canonicalised in a thread (about 2.5 s of
        # CPU for a full one), so that the reactor keeps every download in flight going.
        found, urls = await asyncio.to_thread(_read_sitemap, response.body, response.url)
        config = self.sites[site]
        if found.kind == "invalid":
            yield self._reject(response.url, site, "bad_sitemap", found.error, response.status)
            return
        now = datetime.now(UTC)
        for entry, url in zip(found.entries, urls, strict=True):
            if found.kind == "index":
                fresh = discovery.is_fresh(entry, config.max_age_days, now)
                if fresh and (request := self._source(config, entry.url, self.parse_sitemap)):
                    yield request
                continue
            self._stat("discovery/sitemap_urls")
            self._entry(config, entry, now, url)
        for request in self._next(site):
            yield request

    async def parse_feed(self, response: Response, site: str) -> AsyncIterator[Request | Reject]:
        entries, urls = await asyncio.to_thread(_read_feed, response.body, response.url)
        if entries is None:
            yield self._reject(response.url, site, "bad_feed", "not an RSS/Atom feed",
                               response.status)
            return
        now = datetime.now(UTC)
        for entry, url in zip(entries, urls, strict=True):
            self._stat("discovery/feed_urls")
            self._entry(self.sites[site], entry, now, url)
        for request in self._next(site):
            yield request

    def _entry(self, site: Site, entry: discovery.Entry, now: datetime, url: str) -> None:
        """Offer a sitemap or feed entry (``url``: its canonical URL), unless the site's rules
        or its date say no."""
        if self._owner(url) is not site:
            self._stat("discovery/offsite")
        elif not site.allows(url):
            self._stat("discovery/denied")
        elif not discovery.is_fresh(entry, site.max_age_days, now):
            self._stat("discovery/too_old")
        else:  # the site's own list of articles: their links are not followed
            hints = (entry.title, entry.published, entry.lastmod)
            self._offer(site, url, site.follow_depth, hints, first=True)

    # ------------------------------------------------------------------ pages

    def parse_page(
        self, response: Response, site: str, depth: int, hints: dict
    ) -> Iterator[Request | Page | Reject]:
        """Any HTML page: follow its links within depth, then hand it to extraction."""
        self.frontier.done(site)
        config = self.sites[site]
        if not is_html(response):
            kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no type"
            yield self._reject(response.url, site, "non_html", kind, response.status)
            yield from self._next(site)
            return
        links = None  # read only where they are followed: parsing a page on the reactor and
        # reading its links takes about 5-10 ms; a page past LINKS_MAX_BYTES would hold the
        # reactor for a second or more (every download in flight waiting): not read for links
        if depth < config.follow_depth and len(response.body) > LINKS_MAX_BYTES:
            self._stat("discovery/too_large_for_links")
        elif depth < config.follow_depth:
            yield from self._feeds(response, config)
            links = self._links(response, config)
            for url in links:  # a page its site does not allow is fetched only to be read
                if config.allows(url) or depth + 1 < config.follow_depth:
                    self._stat("discovery/links")
                    self._offer(config, url, depth + 1,
                                first=discovery.looks_like_article(url))
        yield from self._next(site)  # requests before the item: extraction takes a while
        url = canonicalize(response.url)
        if not config.allows(url):
            detail = f"{len(links or ())} links; not an article URL by the site's allow patterns"
            yield self._reject(url, site, "listing", detail, response.status)
            return
        self._stat("fetch/articles")  # pages handed to extraction (the benchmark reads this)
        sources = (*response.request.meta.get("redirect_urls", ()), response.request.url)
        yield Page(
            url=url,
            aliases=tuple(dict.fromkeys(canonicalize(u) for u in sources if u != url)),
            site=site,
            body=response.body,  # bytes: decoded in the extraction worker, off the reactor
            content_type=content_type(response),
            http_status=response.status,
            fetched_at=datetime.now(UTC),
            hints=hints,
            links=-1 if links is None else len(links),
            probe=not hints and not discovery.looks_like_article(url),
        )

    def _feeds(self, response: Response, site: Site) -> Iterator[Request]:
        """Requests for the feeds the page announces (``<link rel=alternate>``), once each."""
        if isinstance(response, HtmlResponse):
            for feed in discovery.feed_links(response):
                if request := self._source(site, feed, self.parse_feed):
                    yield request

    def _links(self, response: Response, site: Site) -> list[str]:
        """The page's links to pages of its own site: canonical, once each, not denied."""
        if not isinstance(response, HtmlResponse):
            return []
        found: dict[str, None] = {}
        for link in discovery.page_links(response):
            if self._owner(link) is not site or not discovery.is_page_url(link):
                continue  # the cheap tests first: most links of a page are its menus'
            url = canonicalize(link)
            if self._owner(url) is site and not site.denies(url):
                found.setdefault(url, None)
        return list(found)

    # ------------------------------------------------------------------ flow control

    def _offer(self, site: Site, url: str, depth: int, hints: tuple = _NO_HINTS, *,
               first: bool = False, always: bool = False) -> None:
        """Offer a page to the frontier, unless an earlier run stored it unchanged (a start
        page is offered ``always``; a stored page whose links are followed is re-read within
        the site's ``revisit`` budget)."""
        if not always and not self.frontier.known(url):
            stored = self.state.lookup(url)
            if stored is not None and not stored.changed_since(hints[2]):
                if depth >= site.follow_depth or not self.frontier.revisit(site.name):
                    self._stat("state/skipped_known")
                    return
                self._stat("state/revisit_known")
                first = False  # new pages before re-read ones
            elif stored is not None:
                self._stat("state/refetch_changed")
        offered = self.frontier.offer(site.name, url, depth, hints, first=first)
        if offered is Offered.FOUND_AGAIN:  # a sitemap, a feed and a page: fetched once
            self._stat("discovery/found_again")
        elif offered is Offered.MAX_PAGES:
            self._stat(f"site/{site.name}/max_pages_reached")

    def _next(self, site: str) -> Iterator[Request]:
        """Requests for the sitemaps robots.txt named and the pages of ``site`` the frontier
        hands out now."""
        yield from self._sources.pop(site, ())
        for task in self.frontier.take(site):
            title, published, lastmod = task.hints or _NO_HINTS
            hints = {"title": title, "published_at": published, "lastmod": lastmod}
            yield Request(
                task.url,
                callback=self.parse_page,
                errback=self.on_error,
                cb_kwargs={"site": site, "depth": task.depth,
                           "hints": {k: v for k, v in hints.items() if v is not None}},
                priority=PAGE_PRIORITY,
                dont_filter=True,  # the frontier has seen to it: no fingerprint kept per page
            )

    def _source(self, site: Site, url: str, callback: Any) -> Request | None:
        """A request for a sitemap or feed, unless this run fetched that URL already."""
        url = canonicalize(url)
        if self.frontier.claim(url) is Claimed.FETCHED:
            self._stat("discovery/found_again")
            return None
        return Request(url, callback=callback, errback=self.on_error,
                       cb_kwargs={"site": site.name}, meta=dict(SOURCE_META), dont_filter=True)

    def _dropped(self, request: Request) -> None:
        """A page request the scheduler dropped (only another scheduler would): its place in
        the site's pages ahead is free again (``release`` hands out the next one)."""
        if request.callback == self.parse_page:
            self.frontier.done(request.cb_kwargs["site"])

    def release(self) -> Iterator[Request]:
        """Requests no callback is left to yield: the sitemaps robots.txt named after the site's
        last callback, the pages of a dropped request's place. ``crawler.scheduler`` asks for
        them whenever its queue is empty, so the crawl ends only when the frontier is done."""
        for site in self.frontier.sites():
            yield from self._next(site)

    # ------------------------------------------------------------------ failures

    def on_error(self, failure: Failure) -> Iterator[Request | Reject]:
        """Every failed request of a page, sitemap or feed becomes a reject."""
        request = failure.request  # type: ignore[attr-defined]
        site = request.cb_kwargs.get("site")
        page = request.callback == self.parse_page
        if page:
            self.frontier.done(site)
        if isinstance(failure.value, AlreadyFetched):  # the redirect's source leads there too
            chain = (*request.meta.get("redirect_urls", ()), request.url)
            self.state.add_aliases({canonicalize(u) for u in chain}, failure.value.target)
        reason, detail, status = _failure_reason(failure)
        yield self._reject(request.url, site, reason, detail, status)
        if page:
            yield from self._next(site)

    # ------------------------------------------------------------------ helpers

    def _owner(self, url: str) -> Site | None:
        return self._by_host.get(host_of(url))

    def _reject(self, url: str, site: str | None, reason: str, detail: str | None,
                status: int | None) -> Reject:
        return Reject(url=url, site=site, reason=reason, detail=detail, http_status=status,
                      fetched_at=datetime.now(UTC))

    def _stat(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newsclean/{key}")


def _read_sitemap(body: bytes, url: str) -> tuple[discovery.Sitemap, list[str]]:
    """A sitemap's entries and their canonical URLs (index entries: as they are)."""
    found = discovery.parse_sitemap(body, url)
    if found.kind == "index":
        return found, [entry.url for entry in found.entries]
    return found, [canonicalize(entry.url) for entry in found.entries]


def _read_feed(body: bytes, url: str) -> tuple[list[discovery.Entry] | None, list[str]]:
    """A feed's entries (None: not a feed) and their canonical URLs."""
    entries = discovery.parse_feed(body, url)
    return entries, [canonicalize(entry.url) for entry in entries or ()]


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
        from pipelines.pagekind import error_page_wall  # a regex module; here only on errors

        wall = error_page_wall(status, exc.response.body)
        if wall is not None:  # a challenge served as 403 or 503: the site blocks the crawler
            return "blocked", f"HTTP {status}, {wall}", status
        return f"http_{status}", f"HTTP {status}", status
    if isinstance(exc, BlockedRequest):
        return "blocked_address", str(exc)[:300], None
    if isinstance(exc, RedirectLoop):
        return "redirect_loop", str(exc)[:300], None
    if isinstance(exc, AlreadyFetched):
        return "duplicate_url", str(exc)[:300], None
    if isinstance(exc, DeniedRedirect):
        return "denied", str(exc)[:300], None
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        reason = next((r for k, r in _IGNORED if k in text), "ignored")
        return reason, text[:300], None
    # a body past DOWNLOAD_MAXSIZE: declared ("max size" message) or found mid-body (Scrapy's
    # HTTP/1.1 handler then cancels the download and the message is empty)
    if isinstance(exc, DownloadCancelledError) and ("max size" in str(exc).lower() or not str(exc)):
        return "too_large", str(exc)[:300], None
    return "download_error", f"{type(exc).__name__}: {exc}"[:300], None
