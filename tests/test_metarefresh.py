"""``crawler.metarefresh``: Scrapy's meta-refresh redirects, read from the head of the page only."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.metarefresh import HeadMetaRefreshMiddleware

URL = "https://example.com/news/old.html"
FILLER = "<p>" + "words of the article " * 2000 + "</p>"


def middleware() -> HeadMetaRefreshMiddleware:
    return HeadMetaRefreshMiddleware.from_crawler(get_crawler())


def page(head: str, body: str = FILLER) -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return HtmlResponse(URL, body=html.encode(), headers={"Content-Type": "text/html"})


def test_a_refresh_in_the_head_of_a_large_page_redirects():
    response = page('<meta http-equiv="refresh" content="0; url=/news/new.html">')
    result = middleware().process_response(Request(URL), response)
    assert isinstance(result, Request)
    assert result.url == "https://example.com/news/new.html"


def test_a_large_page_without_refresh_comes_back_unchanged():
    response = page("<title>Story</title>")
    assert middleware().process_response(Request(URL), response) is response


def test_a_refresh_past_the_first_4_kb_is_ignored_as_scrapy_does():
    late = FILLER + '<meta http-equiv="refresh" content="0; url=/x">'
    response = page("<title>Story</title>", late)
    assert middleware().process_response(Request(URL), response) is response


def test_a_refresh_in_any_case_is_found():
    response = page('<META HTTP-EQUIV="Refresh" CONTENT="0; URL=/news/new.html">')
    result = middleware().process_response(Request(URL), response)
    assert isinstance(result, Request)
    assert result.url == "https://example.com/news/new.html"
