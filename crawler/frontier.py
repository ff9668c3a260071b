"""The crawl's flow control, without Scrapy: which page to fetch next, and every URL once.

A URL enters with ``offer`` (a page found by a sitemap, a feed or a link) or ``claim`` (fetched
at once: a sitemap, a feed, a redirect's target). Either way it is fetched at most once in a
run, whatever way it was found and however often. ``take`` hands out the offered pages of a site
while fewer than ``ahead`` of its pages are out (scheduled or downloading); ``done`` says one of
them ended. What waits stays here as a small ``Task``, not as a Scrapy ``Request``, so the
scheduler holds a few requests per site however large the sitemaps.

Per site, at most ``max_pages`` distinct pages are accepted in a run (a URL found again counts
once), of which at most ``revisit`` pages an earlier run stored (``revisit`` says whether one
more may be). Pages offered with ``first`` (article-like URLs, sitemap and feed entries) are
handed out before the others; a page found again at a lower depth before it was taken keeps the
lower one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Offered(StrEnum):
    """What ``Frontier.offer`` did with a URL."""

    QUEUED = "queued"  # new: it will be handed out by ``take``
    FOUND_AGAIN = "found_again"  # already waiting, taken or claimed: not fetched twice
    MAX_PAGES = "max_pages"  # new, but the site has accepted ``max_pages`` pages already


class Claimed(StrEnum):
    """What ``Frontier.claim`` found for a URL about to be fetched."""

    NEW = "new"  # never seen: fetch it
    WAITING = "waiting"  # offered and not yet taken: fetch it now, ``take`` will skip it
    FETCHED = "fetched"  # taken or claimed before: do not fetch it again


@dataclass(frozen=True, slots=True)
class Task:
    """A page to fetch: its URL, its site, how deep it was found and what its source said."""

    url: str
    site: str
    depth: int
    hints: tuple[Any, ...] = ()


@dataclass(slots=True)
class _Site:
    max_pages: int
    revisit: int = 0  # stored pages that may still be re-read this run
    first: deque[str] = field(default_factory=deque)
    later: deque[str] = field(default_factory=deque)
    accepted: int = 0  # distinct pages accepted this run (<= max_pages)
    waiting: int = 0  # accepted and not yet taken
    out: int = 0  # taken and not yet done


class Frontier:
    """Pages waiting to be fetched, per site, and every URL of the run fetched once."""

    def __init__(self, ahead: int = 16) -> None:
        if ahead < 1:
            raise ValueError(f"ahead must be >= 1, got {ahead!r}")
        self.ahead = ahead
        self._sites: dict[str, _Site] = {}
        self._waiting: dict[str, Task] = {}  # offered, not yet taken
        self._claimed: set[str] = set()  # taken or claimed: fetched (or being fetched) this run

    def add_site(self, site: str, max_pages: int, revisit: int = 0) -> None:
        """Register ``site`` with its ``max_pages`` limit and its ``revisit`` budget."""
        self._sites[site] = _Site(max_pages=max_pages, revisit=revisit)

    def offer(self, site: str, url: str, depth: int, hints: tuple[Any, ...] = (), *,
              first: bool = False) -> Offered:
        """Queue the page ``url`` of ``site`` found at ``depth``, unless it is known already."""
        if url in self._claimed:
            return Offered.FOUND_AGAIN
        waiting = self._waiting.get(url)
        if waiting is not None:
            if depth < waiting.depth:
                self._waiting[url] = replace(waiting, depth=depth)
            return Offered.FOUND_AGAIN
        state = self._sites[site]
        if state.accepted >= state.max_pages:
            return Offered.MAX_PAGES
        state.accepted += 1
        state.waiting += 1
        self._waiting[url] = Task(url, site, depth, hints)
        (state.first if first else state.later).append(url)
        return Offered.QUEUED

    def revisit(self, site: str) -> bool:
        """May a page of ``site`` that an earlier run stored be re-read? Spends the budget."""
        state = self._sites[site]
        if state.revisit <= 0:
            return False
        state.revisit -= 1
        return True

    def claim(self, url: str) -> Claimed:
        """Mark ``url`` as fetched now (a sitemap, a feed, a redirect's target)."""
        if url in self._claimed:
            return Claimed.FETCHED
        self._claimed.add(url)
        task = self._waiting.pop(url, None)
        if task is None:
            return Claimed.NEW
        self._sites[task.site].waiting -= 1  # its queue entry is skipped by ``take``
        return Claimed.WAITING

    def take(self, site: str) -> list[Task]:
        """Pages of ``site`` to fetch now: as many as keep ``ahead`` of them out."""
        state = self._sites[site]
        tasks: list[Task] = []
        while state.out < self.ahead and (state.first or state.later):
            url = (state.first or state.later).popleft()
            task = self._waiting.pop(url, None)
            if task is None:
                continue  # claimed meanwhile (a redirect went there)
            self._claimed.add(url)
            state.waiting -= 1
            state.out += 1
            tasks.append(task)
        return tasks

    def done(self, site: str) -> None:
        """A page of ``site`` handed out by ``take`` has ended (fetched, failed or dropped)."""
        state = self._sites[site]
        state.out = max(state.out - 1, 0)

    def pending(self, site: str | None = None) -> int:
        """Pages waiting to be taken, of ``site`` or of all sites."""
        if site is not None:
            return self._sites[site].waiting
        return sum(state.waiting for state in self._sites.values())

    def out(self, site: str) -> int:
        """Pages of ``site`` taken and not yet done."""
        return self._sites[site].out

    def sites(self) -> list[str]:
        """The registered sites, in the order they were added."""
        return list(self._sites)

    def known(self, url: str) -> bool:
        """Whether ``url`` was offered, taken or claimed in this run."""
        return url in self._claimed or url in self._waiting
