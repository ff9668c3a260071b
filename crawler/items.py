"""What flows through the pipelines: a fetched page, a finished article, a rejection.

The spider yields a ``Page`` for every HTML page it fetches (raw HTML and what discovery knew
about it) or a ``Reject``. The extract pipeline turns a ``Page`` into an ``ArticleRow`` or a
``Reject`` (``listing``, ``blocked``, ``not_article``...). The Parquet pipeline writes rows to
``articles/`` and rejects to ``rejects/``; nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Page:
    """A fetched HTML page: an article, a listing or neither, as its content says."""

    url: str
    site: str
    body: bytes | str  # as fetched; decoded in the extraction worker (crawler.responses)
    http_status: int
    fetched_at: datetime
    hints: dict[str, Any] = field(default_factory=dict)  # from sitemaps/feeds: title, dates
    aliases: tuple[str, ...] = ()  # other URLs that led here (redirect sources, request URL)
    content_type: str = ""  # the Content-Type header: how a bytes ``body`` declares its charset
    warc_file: str | None = None  # where the response is archived (``crawler.archive``)...
    warc_offset: int | None = None  # ...and the offset of its record in that file
    links: int = -1  # links to pages of its site it gave (-1: not read, its depth is too deep)
    probe: bool = False  # its URL is unlike an article's: check the page is not thin first


@dataclass
class ArticleRow:
    """One row of the ``articles`` table (see ``pipelines.schema.ARTICLES``)."""

    row: dict[str, Any]
    aliases: tuple[str, ...] = ()
    lastmod: datetime | None = None  # what the sitemap/feed said, for the next run's decision

    @property
    def canonical_url(self) -> str:
        return self.row["canonical_url"]

    @property
    def content_hash(self) -> str:
        return self.row["content_hash"]


@dataclass
class Reject:
    """A URL that did not become an article, and why (one row of ``rejects``)."""

    url: str
    reason: str
    site: str | None = None
    detail: str | None = None
    http_status: int | None = None
    fetched_at: datetime | None = None
