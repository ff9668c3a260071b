"""How long ``scrapy report`` takes on a large dataset: 100,000 article rows by default.

Writes a synthetic dataset with the project's writer and schemas (``--rows`` articles over
``--sites`` sites and ``--runs`` daily runs, texts of about 400 words, about one reject for every
four articles), then times ``build_report`` (queries, alarms, page) and ``check`` (alarms only),
each ``--repeat`` times in this process, and prints the figures as JSON. Target: under 10 s.

    .venv/bin/python bench/report.py [--rows 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from pipelines.parquet import write_atomic  # noqa: E402
from pipelines.report import build_report, check  # noqa: E402
from pipelines.schema import ARTICLES, REJECTS, RUNS, SCHEMA_VERSION  # noqa: E402

REASONS = ("not_article", "listing", "http_404", "duplicate_url", "blocked", "download_error")
RULES = ("newsletter", "markup:promo", "paywall", "read-more", "credit", "share")


def _paragraphs(rng: random.Random) -> list[str]:
    words = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta", "ve") for b in range(120)]
    return [" ".join(rng.choices(words, k=80)) for _ in range(400)]


def _article(site: str, crawl_id: str, at: datetime, n: int, rng: random.Random,
             paragraphs: list[str]) -> dict[str, Any]:
    url = f"https://{site}.example/news/{crawl_id}/{n}.html"
    text = "\n".join(rng.choices(paragraphs, k=5))
    return {
        "url": url, "canonical_url": url, "site": site, "domain": f"{site}.example",
        "title": f"Story {n}", "authors": ["A. Writer"], "published_at": at, "modified_at": None,
        "language": "en", "sitename": site, "description": "A summary.", "tags": ["News"],
        "image_url": None, "text": text, "word_count": len(text.split()) - rng.randrange(200),
        "paywalled": rng.random() < 0.2, "truncated": rng.random() < 0.1,
        "boilerplate": [f"{rng.choice(RULES)}: line {rng.randrange(30)}"
                        for _ in range(rng.randrange(4))],
        "fetched_at": at + timedelta(seconds=n), "http_status": 200,
        "content_hash": hashlib.sha256(text.encode()).hexdigest(), "crawl_id": crawl_id,
        "extractor_version": "bench", "schema_version": SCHEMA_VERSION,
    }


def _reject(site: str, crawl_id: str, at: datetime, n: int, rng: random.Random) -> dict[str, Any]:
    reason = rng.choice(REASONS)
    return {"url": f"https://{site}.example/x/{crawl_id}/{n}", "site": site, "reason": reason,
            "detail": None, "http_status": 200, "fetched_at": at + timedelta(seconds=n),
            "crawl_id": crawl_id, "schema_version": SCHEMA_VERSION}


def write_dataset(output: Path, rows: int, sites: int, runs: int) -> None:
    rng = random.Random(18)
    paragraphs = _paragraphs(rng)
    names = [f"site{i:03d}" for i in range(sites)]
    start = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    for day in range(runs):
        at = start - timedelta(days=runs - day)
        crawl_id = f"{at:%Y%m%dT%H%M%SZ}-{day:08x}"
        per_site = rows // (runs * sites) + (day < rows % (runs * sites) // sites)
        articles = [_article(s, crawl_id, at, n, rng, paragraphs)
                    for s in names for n in range(per_site)]
        rejects = [_reject(s, crawl_id, at, n, rng) for s in names for n in range(per_site // 4)]
        partition = f"crawl_date={at:%Y-%m-%d}"
        write_atomic(pa.Table.from_pylist(articles, schema=ARTICLES),
                     output / "articles" / partition / f"{crawl_id}-00000.parquet")
        write_atomic(pa.Table.from_pylist(rejects, schema=REJECTS),
                     output / "rejects" / partition / f"{crawl_id}-00000.parquet")
        write_atomic(pa.Table.from_pylist([_run(crawl_id, at, names, len(articles))], schema=RUNS),
                     output / "runs" / partition / f"{crawl_id}.parquet")


def _run(crawl_id: str, at: datetime, sites: list[str], articles: int) -> dict[str, Any]:
    return {"crawl_id": crawl_id, "started_at": at, "finished_at": at + timedelta(minutes=20),
            "sites": sites, "requests": articles * 2, "responses_by_status": {"200": articles},
            "articles_written": articles, "skipped_known": 0, "duplicates": 0,
            "rejects_by_reason": {}, "errors": 0, "finish_reason": "finished",
            "exit_status": 0, "schema_version": SCHEMA_VERSION}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the dataset here and keep it")
    args = parser.parse_args()
    output = args.keep or Path(tempfile.mkdtemp(prefix="newsclean-bench-")) / "output"
    try:
        began = time.perf_counter()
        if not (output / "articles").is_dir():
            write_dataset(output, args.rows, args.sites, args.runs)
        written = time.perf_counter() - began
        report, alarms = [], []
        for _ in range(args.repeat):
            began = time.perf_counter()
            path, _found = build_report(output)
            report.append(round(time.perf_counter() - began, 2))
            began = time.perf_counter()
            check(output)
            alarms.append(round(time.perf_counter() - began, 2))
        size = sum(p.stat().st_size for p in (output / "articles").rglob("*.parquet"))
        print(json.dumps({
            "rows": args.rows, "sites": args.sites, "runs": args.runs,
            "dataset_mb": round(size / 2**20, 1), "write_s": round(written, 1),
            "report_s": report, "check_s": alarms,
            "page_mb": round(path.stat().st_size / 2**20, 2),
        }))
    finally:
        if not args.keep:
            shutil.rmtree(output.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
