"""Drop what is already stored: the same article under another URL, or the same text twice.

Keys are the canonical URL first (``<link rel=canonical>``, tracking parameters stripped), then the
content hash of the cleaned text (syndicated copies, print and AMP versions). A duplicate is not
lost: it becomes a ``Reject`` row (``duplicate_url`` / ``duplicate_content``) naming what it
duplicates. Keys are kept as 8-byte digests, so memory stays small on long crawls.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.items import ArticleRow, Reject


def _key(value: str) -> bytes:
    return hashlib.blake2b(value.encode(), digest_size=8).digest()


class DedupPipeline:
    """Let the first copy of an article through; turn later copies into rejects."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.urls: dict[bytes, str] = {}
        self.hashes: dict[bytes, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        if not crawler.settings.getbool("DEDUP_ENABLED"):
            raise NotConfigured("DEDUP_ENABLED is off")
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRow):
            return item
        url_key, text_key = _key(item.canonical_url), _key(item.content_hash)
        if url_key in self.urls:
            return self._duplicate(item, "duplicate_url", self.urls[url_key])
        if text_key in self.hashes:
            return self._duplicate(item, "duplicate_content", self.hashes[text_key])
        self.urls[url_key] = item.canonical_url
        self.hashes[text_key] = item.canonical_url
        return item

    def _duplicate(self, item: ArticleRow, reason: str, original: str) -> Reject:
        self.stats.inc_value(f"newsclean/dedup/{reason}")
        row = item.row
        return Reject(
            url=row["url"],
            reason=reason,
            site=row["site"],
            detail=f"same as {original}",
            http_status=row["http_status"],
            fetched_at=row["fetched_at"],
        )
