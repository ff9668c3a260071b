"""The extraction pipeline: ``Page`` items to ``ArticleRow`` or ``Reject`` items, off the reactor.

``ExtractPipeline`` runs ``pipelines.extract``'s worker job in a pebble process pool (one worker per
core by default) so that the reactor never parses HTML, with a per-page time limit: a worker stuck
on a page is killed and replaced, the page is recorded as a reject, the crawl goes on.

This module is what the reactor's process loads; the extraction itself (trafilatura, lxml, the
boilerplate layer) is imported only in the workers, which fork from a server that preloaded it
(``crawler.startup``): the reactor neither pays that import at start-up nor keeps it in memory.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any
from urllib.parse import urlsplit

from crawler.items import ArticleRow, Page, Reject
from crawler.startup import FORK_SERVER_PRELOAD
from pipelines import pagekind

EXTRACTOR_VERSION = f"newsclean-0.1+trafilatura-{version('trafilatura')}"


def _job(*args: Any) -> dict | None:
    """In a worker: ``pipelines.extract``'s job (the fork server has imported it already)."""
    from pipelines.extract import _extract_job

    return _extract_job(*args)


def _worker_init() -> None:
    from pipelines.extract import _worker_init

    _worker_init()


@dataclass(frozen=True)
class ExtractConfig:
    """``EXTRACT_*`` settings, read once."""

    workers: int
    timeout: float
    min_words: int
    max_tasks_per_worker: int
    start_method: str = "forkserver"  # how workers start: "forkserver", "spawn" or "fork"

    @classmethod
    def from_settings(cls, settings: Any) -> ExtractConfig:
        workers = settings.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        timeout = settings.getfloat("EXTRACT_TIMEOUT")
        method = settings.get("EXTRACT_START_METHOD")
        if workers < 1 or timeout <= 0:
            raise ValueError(
                f"EXTRACT_WORKERS must be >= 1 and EXTRACT_TIMEOUT > 0 "
                f"(got {workers!r}, {timeout!r})"
            )
        if method not in multiprocessing.get_all_start_methods():
            raise ValueError(f"EXTRACT_START_METHOD must be one of "
                             f"{multiprocessing.get_all_start_methods()} (got {method!r})")
        return cls(
            workers=workers,
            timeout=timeout,
            min_words=settings.getint("EXTRACT_MIN_WORDS"),
            max_tasks_per_worker=settings.getint("EXTRACT_MAX_TASKS_PER_WORKER"),
            start_method=method,
        )


class ExtractPipeline:
    """Turn ``Page`` items into ``ArticleRow`` or ``Reject`` items, off the reactor."""

    def __init__(self, crawler: Any, config: ExtractConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.stats = crawler.stats
        self.pool: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("EXTRACT_ENABLED"):
            raise NotConfigured("EXTRACT_ENABLED is off")
        return cls(crawler, ExtractConfig.from_settings(crawler.settings))

    def open_spider(self) -> None:
        from pebble import ProcessPool

        context = multiprocessing.get_context(self.config.start_method)
        if self.config.start_method == "forkserver":  # workers fork from a small process
            context.set_forkserver_preload(FORK_SERVER_PRELOAD)
        self.pool = ProcessPool(
            max_workers=self.config.workers,
            max_tasks=self.config.max_tasks_per_worker,
            initializer=_worker_init,
            context=context,
        )

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool.join()
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        spider = self.crawler.spider
        rules = getattr(spider, "rules_for", lambda _site: None)(item.site)
        zone = getattr(spider, "timezone_for", lambda _site: None)(item.site)
        future = self.pool.schedule(
            _job,
            args=(item.body, item.url, rules, self.config.min_words, item.content_type, zone,
                  item.probe),
            timeout=self.config.timeout,
        )
        try:
            found = await asyncio.wrap_future(future)
        except TimeoutError:
            return self._reject(item, "extract_timeout", f"over {self.config.timeout:g}s")
        except Exception as exc:  # a worker crash or a bug on one page must not stop the crawl
            name = type(exc).__name__
            return self._reject(item, "extract_error", f"{name}: {exc}"[:500])
        if found is None or "kind" in found:
            return self._reject(item, *pagekind.reject_of(found, item.links))
        self.stats.inc_value("newsclean/extract/articles")
        if found.get("guard_held"):
            self.stats.inc_value("newsclean/boilerplate/guard_held")
        return ArticleRow(
            row=build_row(item, found, getattr(spider, "crawl_id", None)),
            aliases=item.aliases,
            lastmod=item.hints.get("lastmod"),
        )

    def _reject(self, item: Any, reason: str, detail: str) -> Any:
        self.stats.inc_value(f"newsclean/extract/{reason}")
        return Reject(
            url=item.url,
            reason=reason,
            site=item.site,
            detail=detail,
            http_status=item.http_status,
            fetched_at=item.fetched_at,
        )


def build_row(page: Any, found: dict, crawl_id: str | None) -> dict[str, Any]:
    """Join what was fetched with what was extracted into one ``articles`` row."""
    from pipelines.schema import SCHEMA_VERSION

    hints = page.hints or {}
    row = {
        key: found[key]
        for key in (
            "title", "authors", "published_at", "modified_at", "language", "sitename",
            "description", "tags", "image_url", "text", "word_count", "paywalled",
            "truncated", "boilerplate", "content_hash",
        )
    }
    row["title"] = row["title"] or hints.get("title")
    row["published_at"] = row["published_at"] or hints.get("published_at")
    row["modified_at"] = row["modified_at"] or hints.get("modified_at")
    row.update(
        url=page.url,
        canonical_url=found["canonical_url"] or page.url,
        site=page.site,
        domain=urlsplit(page.url).hostname or "",
        fetched_at=page.fetched_at,
        http_status=page.http_status,
        crawl_id=crawl_id or "",
        extractor_version=EXTRACTOR_VERSION,
        schema_version=SCHEMA_VERSION,
        warc_file=getattr(page, "warc_file", None),
        warc_offset=getattr(page, "warc_offset", None),
    )
    return row
