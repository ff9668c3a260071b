"""The scheduler: Scrapy's own, topped up from the spider's frontier when its queue runs dry.

The news spider keeps what it found in its frontier (``crawler.frontier``) and hands pages out
from its callbacks as earlier ones end. A few requests have no callback left to hand them out:
the sitemaps that robots.txt named after the site's last callback ran (its one configured
sitemap failed, say), the pages a dropped request made room for. Scrapy's documented extension
point for a queue of its own is the scheduler (``SCHEDULER``; ``BaseScheduler``'s
``has_pending_requests`` / ``next_request``): when the queue is empty, ``FrontierScheduler`` asks
the spider for those requests (``spider.release()``). So the crawl ends only when the frontier
has nothing left to hand out, without a ``spider_idle`` handler that pushes requests into the
engine (``crawler.engine``: "this API is not yet stable", say Scrapy's docs). With any other
spider it is Scrapy's scheduler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scrapy.core.scheduler import Scheduler
from scrapy.http import Request


class FrontierScheduler(Scheduler):
    """Scrapy's ``Scheduler``; when empty, it takes what the spider's ``release()`` gives."""

    def open(self, spider: Any) -> Any:
        self._release: Callable[[], Iterable[Request]] | None = getattr(spider, "release", None)
        return super().open(spider)

    def has_pending_requests(self) -> bool:
        return super().has_pending_requests() or self._top_up()

    def next_request(self) -> Request | None:
        request = super().next_request()
        if request is None and self._top_up():
            request = super().next_request()
        return request

    def _top_up(self) -> bool:
        """Queue what the spider releases now; whether anything was queued."""
        queued = False
        for request in self._release() if self._release is not None else ():
            queued = self.enqueue_request(request) or queued
        return queued
