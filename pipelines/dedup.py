"""Skip what is already stored: the same article under another URL, or the same text twice.

The canonical URL decides first (``<link rel=canonical>``, tracking parameters stripped), then the
content hash of the cleaned text (syndicated copies, print and AMP versions). Both are checked
against this run's articles still in the write buffer and against the cross-run store
(``crawler.state``), so memory stays bounded however long the crawl.

- same canonical URL, same text as stored → ``duplicate_url`` (unchanged);
- same canonical URL, new text (the sitemap said it changed) → a new row: the article's update;
- another canonical URL with the same text → ``duplicate_content``.

A duplicate is not lost: it becomes a ``Reject`` row naming what it duplicates, and its URLs are
remembered as aliases, so the next run does not fetch them. Where other runs store into the same
dataset at once (``reextract`` shards, ``STATE_SHARED``), the articles they are storing count as
stored: the checks and the article's claim are one transaction of the shared store.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.items import ArticleRow, Reject
from crawler.state import StateStore, state_of


class DedupPipeline:
    """Let the first copy of an article through; turn later copies into rejects."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        if not crawler.settings.getbool("DEDUP_ENABLED"):
            raise NotConfigured("DEDUP_ENABLED is off")
        return cls(crawler)

    @property
    def state(self) -> StateStore:
        return state_of(self.crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRow):
            return item
        state = self.state
        with state.claiming():  # where other runs store beside this one: check and claim at once
            verdict = self._verdict(state, item.canonical_url, item.content_hash)
            if verdict is None:
                state.reserve(item.canonical_url, item.content_hash)
        if verdict is not None:
            return self._duplicate(item, *verdict)
        return item

    def _verdict(self, state: StateStore, url: str, digest: str) -> tuple[str, str, str] | None:
        """``(reason, original URL, why)`` if the article is a copy; ``None`` to store it."""
        if url in state.pending_urls:
            return "duplicate_url", url, "fetched earlier in this run"
        stored = state.lookup(url)
        if stored is not None and stored.content_hash == digest:
            return "duplicate_url", url, "unchanged since stored"
        if state.claimed_url(url):
            return "duplicate_url", url, "stored by a run beside this one"
        original = (state.pending_hashes.get(digest) or state.claimed_hash(digest)
                    or state.by_hash(digest))
        if original is not None and original != url:
            return "duplicate_content", original, "same text"
        if stored is not None:
            self.stats.inc_value("newsclean/dedup/updated")
        return None

    def _duplicate(self, item: ArticleRow, reason: str, original: str, why: str) -> Reject:
        self.stats.inc_value(f"newsclean/dedup/{reason}")
        row = item.row
        self.state.add_aliases({row["url"], *item.aliases} - {original}, original)
        return Reject(
            url=row["url"],
            reason=reason,
            site=row["site"],
            detail=f"{why}: {original}",
            http_status=row["http_status"],
            fetched_at=row["fetched_at"],
        )
