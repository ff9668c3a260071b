"""Redirects and the one-fetch-per-URL rule: a redirect to a page already fetched is not followed.

``RedirectFrontierMiddleware`` sits between the address guard (610) and Scrapy's
``RedirectMiddleware`` (600) and looks at every 3xx answer to one of the spider's requests;
``check_target`` does the same for the target of a meta refresh (``crawler.metarefresh``):

- a target that a ``deny`` pattern of the request's site matches fails as ``DeniedRedirect``
  (reject ``denied``): deny patterns apply to where a redirect leads, not only to links;
- a target fetched already in this run (or being fetched) fails as ``AlreadyFetched``: the spider
  records the redirect's source as an alias of the target and a ``duplicate_url`` reject that
  names the target, instead of fetching the target a second time;
- any other target is claimed in the spider's frontier, so that a later link to it is not
  fetched again, and Scrapy follows the redirect as usual.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

from crawler.frontier import Claimed
from crawler.urls import canonicalize


class AlreadyFetched(IgnoreRequest):
    """A redirect to a URL fetched earlier in this run; ``target`` is that URL."""

    def __init__(self, message: str, target: str) -> None:
        super().__init__(message)
        self.target = target


class DeniedRedirect(IgnoreRequest):
    """A redirect to a URL that a ``deny`` pattern of the site matches."""


class RedirectFrontierMiddleware:
    """Apply the site's deny patterns and the frontier's one-fetch rule to redirect targets."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectFrontierMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location or request.meta.get("dont_redirect"):
            return response
        check_target(self.crawler, request, urljoin(
            request.url, safe_url_string(location.decode("latin-1").strip())))
        return response


def check_target(crawler: Any, request: Request, url: str) -> None:
    """Claim the target ``url`` of a redirect of ``request`` in the spider's frontier, or raise
    ``DeniedRedirect`` / ``AlreadyFetched``. Requests that are not the news spider's (no
    ``site``) pass."""
    site = request.cb_kwargs.get("site") if isinstance(request.cb_kwargs, dict) else None
    spider = crawler.spider
    frontier = getattr(spider, "frontier", None)
    if site is None or frontier is None:
        return
    target = canonicalize(url)
    config = spider.sites.get(site)
    if config is not None and config.denies(target):
        crawler.stats.inc_value("newsclean/redirect/denied")
        raise DeniedRedirect(f"redirect to {target}: matches a deny pattern of {site}")
    if frontier.claim(target) is Claimed.FETCHED:
        crawler.stats.inc_value("newsclean/redirect/already_fetched")
        raise AlreadyFetched(f"redirects to {target}, fetched already in this run", target)
