"""Meta-refresh redirects without decoding every page twice.

Scrapy's ``MetaRefreshMiddleware`` looks for ``<meta http-equiv="refresh">`` in the first 4,096
characters of a page, but takes them from ``response.text``, which decodes the whole body first:
on the reactor, for every page, a full decode that the workers then do again. This subclass hands it
the first 4 KB of the body instead; what it finds, and the redirect it makes, are the same. A
page whose first 4 KB do not hold the word "refresh" in any case (most pages) has no refresh tag
and passes straight through (a tag spelled with character references aside).

A refresh target goes through the frontier's one-fetch-per-URL claim before it is requested, as
an HTTP redirect's does (``crawler.redirects.check_target``): a target fetched already in this
run fails as ``AlreadyFetched`` (the page becomes its alias, a ``duplicate_url`` reject names the
target), a denied one as ``DeniedRedirect``.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request, Response

from crawler.redirects import check_target

HEAD_BYTES = 4096  # Scrapy reads the refresh tag from this many characters of the page


class HeadMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` reading only the head of the page."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        result = self._refresh(request, response)
        if isinstance(result, Request):
            check_target(self.crawler, request, result.url)
        return result

    def _refresh(self, request: Request, response: Response) -> Request | Response:
        """Scrapy's answer, from the page's first 4 KB: the refresh's request, or the page."""
        if not isinstance(response, HtmlResponse) or len(response.body) <= HEAD_BYTES:
            return super().process_response(request, response)
        if b"refresh" not in response.body[:HEAD_BYTES].lower():
            return response
        head = response.replace(body=response.body[:HEAD_BYTES])
        result = super().process_response(request, head)
        return response if result is head else result
