"""``crawler.logformatter``: per-page DEBUG messages only when the log level shows them."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.logformatter import QuietLogFormatter, log_level
from crawler.spiders.news import NewsSpider

URL = "https://example.com/news/story.html"


def formatter(level: str | int) -> QuietLogFormatter:
    return QuietLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))


@pytest.mark.parametrize(("level", "shown"), [("DEBUG", True), ("INFO", False), (10, True),
                                               ("warning", False), ("NOSUCH", True)])
def test_per_page_messages_follow_the_log_level(level, shown):
    quiet = formatter(level)
    response = HtmlResponse(URL, body=b"<html></html>", request=Request(URL))
    crawled = quiet.crawled(response.request, response, None)
    scraped = quiet.scraped({"url": URL}, response, None)
    assert (crawled is not None, scraped is not None) == (shown, shown)
    if shown:
        assert crawled["level"] == scraped["level"] == logging.DEBUG


def test_other_messages_are_scrapys():
    quiet = formatter("INFO")
    failed = quiet.download_error(Failure(ValueError("bad")), Request(URL), None, "refused")
    assert failed is not None and failed["level"] == logging.ERROR


def test_log_level_names():
    assert [log_level(v) for v in ("INFO", "error", 30, "x")] == [20, 40, 30, 10]


def test_callbacks_return_no_value_from_generators():
    """Scrapy's per-response check of this is switched off (WARN_ON_GENERATOR_RETURN_VALUE)."""
    for name in ("parse_sitemap", "parse_feed", "parse_page", "on_error"):
        assert not is_generator_with_return_value(getattr(NewsSpider, name)), name
