"""Scrapy's log messages, minus the two per-page DEBUG lines when the log level drops them.

Scrapy builds a log record for every page crawled ("Crawled (200) ...") and every item scraped
("Scraped from ...", with the item) at DEBUG, and leaves it to the handler to drop them at a
higher ``LOG_LEVEL``: a record, a caller lookup and a dict per page, on the reactor, for nothing.
A ``LogFormatter`` that returns ``None`` makes Scrapy skip the message; this one does so for those
two when ``LOG_LEVEL`` is above DEBUG. Every other message is Scrapy's own.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    """``LogFormatter`` that skips per-page DEBUG messages nobody will see."""

    def __init__(self, debug: bool = True) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietLogFormatter:
        return cls(debug=log_level(crawler.settings.get("LOG_LEVEL")) <= logging.DEBUG)

    def crawled(self, request: Any, response: Any, spider: Any) -> Any:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return super().scraped(item, response, spider) if self.debug else None


def log_level(value: Any) -> int:
    """``LOG_LEVEL`` as a number (``"INFO"`` → 20); an unknown name counts as DEBUG."""
    if isinstance(value, int):
        return value
    level = logging.getLevelName(str(value).upper())
    return level if isinstance(level, int) else logging.DEBUG
