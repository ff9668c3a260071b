"""robots.txt, read once per host: Scrapy's parser, keeping the file's ``Sitemap:`` lines.

Scrapy's ``RobotsTxtMiddleware`` fetches each host's robots.txt once, before the host's first
request, and sends the ``robots_parsed`` signal. With this parser (``ROBOTSTXT_PARSER``) the
spider reads the sitemaps the file names from that signal, instead of fetching robots.txt a
second time itself.
"""

from __future__ import annotations

from typing import Any

from scrapy.robotstxt import ProtegoRobotParser

from crawler.discovery import robots_sitemap_lines


class SitemapRobotParser(ProtegoRobotParser):
    """Protego, as Scrapy uses it, plus ``sitemap_lines``: the ``Sitemap:`` values as written."""

    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        super().__init__(robotstxt_body, spider)
        self.sitemap_lines: tuple[str, ...] = tuple(robots_sitemap_lines(robotstxt_body))
