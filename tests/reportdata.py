"""Multi-day datasets for the report and health tests, written with the project's own writer.

``write_history`` writes ``runs/``, ``articles/`` and ``rejects/`` of daily runs (06:00 UTC, the
last one yesterday) over three sites, through ``pipelines.parquet.write_atomic`` and the schemas
of ``pipelines.schema``, as a crawl would. With ``broken=True``: ``valley`` stops yielding
articles in the last two runs (its pages all become ``not_article``) and ``rive``'s pages become
bot challenge pages (``blocked``); ``harbor`` stays healthy. One run in the middle is a quiet night
(nothing new anywhere), and ``harbor`` finds nothing new in the last run.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.parquet import write_atomic
from pipelines.schema import ARTICLES, REJECTS, RUNS, SCHEMA_VERSION

SITES = ("harbor", "valley", "rive")
DAYS = 8
QUIET = 4  # index of the quiet night
BOILERPLATE = ("newsletter: Sign up for our morning newsletter",
               "markup:promo: Subscribe now and save 50%",
               "paywall: Subscribers can read the rest of this article",
               "read-more: Read more: Ferry fares to rise")


def run_starts(days: int = DAYS) -> list[datetime]:
    today = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    return [today - timedelta(days=days - i) for i in range(days)]


def _article(site: str, crawl_id: str, at: datetime, n: int, words: int,
             rng: random.Random) -> dict[str, Any]:
    url = f"https://{site}.example/news/{crawl_id}/{n}.html"
    text = "\n".join(" ".join(f"w{rng.randrange(999)}" for _ in range(words // 4))
                     for _ in range(4))
    return {
        "url": url, "canonical_url": url, "site": site, "domain": f"{site}.example",
        "title": f"Story {n}", "authors": ["A. Writer"], "published_at": at, "modified_at": None,
        "language": "en", "sitename": site.title(), "description": None, "tags": [],
        "image_url": None, "text": text, "word_count": len(text.split()),
        "paywalled": n % 3 == 0, "truncated": n % 6 == 0,
        "boilerplate": list(BOILERPLATE[: 1 + n % len(BOILERPLATE)]),
        "fetched_at": at + timedelta(seconds=n), "http_status": 200,
        "content_hash": hashlib.sha256(text.encode()).hexdigest(), "crawl_id": crawl_id,
        "extractor_version": "test", "schema_version": SCHEMA_VERSION,
    }


def _reject(site: str, crawl_id: str, at: datetime, n: int, reason: str) -> dict[str, Any]:
    return {"url": f"https://{site}.example/{reason}/{crawl_id}/{n}", "site": site,
            "reason": reason, "detail": None, "http_status": 200,
            "fetched_at": at + timedelta(seconds=100 + n), "crawl_id": crawl_id,
            "schema_version": SCHEMA_VERSION}


def _site_run(site: str, day: int, broken: bool, late: bool) -> tuple[int, dict[str, int]]:
    """``(articles, rejects by reason)`` of one site in the run of ``day``."""
    if day == QUIET or (site == "harbor" and day == DAYS - 1 and not late):
        return 0, {"listing": 2}  # nothing new: start pages read, every article known
    failing = broken and day >= DAYS - 2
    if failing and site == "valley":
        return 0, {"not_article": 7, "listing": 2}
    if failing and site == "rive":
        return 0, {"blocked": 6, "listing": 2}
    return 5 + (day + len(site)) % 4, {"not_article": 1, "listing": 2, "duplicate_url": day % 2}


def write_history(output: Path, broken: bool = True, words: tuple[int, int] = (250, 700),
                  late_words: tuple[int, int] | None = None) -> list[str]:
    """Write the dataset; return its crawl ids. ``words``: the range of articles' word counts;
    ``late_words``: another range for the last run (where ``harbor`` then has new articles)."""
    rng = random.Random(18)
    crawl_ids = []
    for day, at in enumerate(run_starts()):
        crawl_id = f"{at:%Y%m%dT%H%M%SZ}-{day:08x}"
        crawl_ids.append(crawl_id)
        articles, rejects = [], []
        for site in SITES:
            n_articles, reasons = _site_run(site, day, broken, late_words is not None)
            low, high = late_words if late_words and day == DAYS - 1 else words
            articles += [_article(site, crawl_id, at, n, rng.randrange(low, high), rng)
                         for n in range(n_articles)]
            rejects += [_reject(site, crawl_id, at, n, reason)
                        for reason, count in reasons.items() for n in range(count)]
        _write(output, "articles", crawl_id, at, articles, ARTICLES)
        _write(output, "rejects", crawl_id, at, rejects, REJECTS)
        _write(output, "runs", crawl_id, at, [_run_row(crawl_id, at, articles, rejects)], RUNS)
    return crawl_ids


def _write(output: Path, table: str, crawl_id: str, at: datetime, rows: list[dict[str, Any]],
           schema: pa.Schema) -> None:
    if rows:
        name = f"{crawl_id}.parquet" if table == "runs" else f"{crawl_id}-00000.parquet"
        path = output / table / f"crawl_date={at:%Y-%m-%d}" / name
        write_atomic(pa.Table.from_pylist(rows, schema=schema), path)


def _run_row(crawl_id: str, at: datetime, articles: list[dict[str, Any]],
             rejects: list[dict[str, Any]]) -> dict[str, Any]:
    by_reason: dict[str, int] = {}
    for row in rejects:
        by_reason[row["reason"]] = by_reason.get(row["reason"], 0) + 1
    return {
        "crawl_id": crawl_id, "started_at": at,
        "finished_at": at + timedelta(seconds=60 + len(articles) * 3), "sites": list(SITES),
        "requests": len(articles) + len(rejects) + 3, "responses_by_status": {"200": 1},
        "articles_written": len(articles), "skipped_known": 40, "duplicates": 0,
        "rejects_by_reason": by_reason, "errors": 0, "finish_reason": "finished",
        "exit_status": 0, "schema_version": SCHEMA_VERSION,
    }
