"""A Scrapy extension for the crawl benchmark: the run's stats and costs, as JSON, at the end.

Enabled by ``-s BENCH_STATS_FILE=PATH`` and an ``EXTENSIONS`` entry
``"bench.crawlstats.BenchStats"`` (``bench/crawl.py`` adds it to the project's own); it only
listens (``item_scraped``, ``spider_closed``) and changes nothing in the crawl. It writes the
stats collector's values plus:

- ``bench/first_item``, ``bench/last_item``, ``bench/items``: wall times (``time.time()``) of the
  first and last item that left the pipelines, and how many did;
- ``bench/scheduler_max``: the most requests the scheduler held (sampled every 100 items);
- ``bench/cpu_self``, ``bench/cpu_children``: CPU seconds of the reactor process (all its threads)
  and of its finished children (the extraction workers, joined before ``spider_closed``);
- ``bench/threads``: CPU seconds of each thread of the reactor process by thread name (the
  reactor, pebble's task, message and pool threads, the writer's), last seen while items flowed;
- ``bench/modules``: where ``pipelines`` and ``crawler`` were imported from.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


def thread_cpu() -> dict[str, float]:
    """CPU seconds of each live thread of this process, by thread name (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for thread in threading.enumerate():
        try:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[thread.name] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return found


class BenchStats:
    """Record what the benchmark needs from inside the crawl process."""

    def __init__(self, crawler: Any, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.first: float | None = None
        self.last: float | None = None
        self.items = 0
        self.scheduler_max = 0
        self.threads: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> BenchStats:
        path = crawler.settings.get("BENCH_STATS_FILE")
        if not path:
            raise NotConfigured("BENCH_STATS_FILE is not set")
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any) -> None:
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.items += 1
        if self.items % 100 == 0:
            self.scheduler_max = max(self.scheduler_max, self._scheduled())
            self.threads.update(thread_cpu())

    def _scheduled(self) -> int:
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) or getattr(
            getattr(engine, "_slot", None), "scheduler", None
        )
        try:
            return len(scheduler) if scheduler is not None else 0
        except TypeError:
            return 0

    def spider_closed(self) -> None:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        stats = dict(self.crawler.stats.get_stats())
        stats.update({
            "bench/first_item": self.first,
            "bench/last_item": self.last,
            "bench/items": self.items,
            "bench/scheduler_max": self.scheduler_max,
            "bench/cpu_self": own.ru_utime + own.ru_stime,
            "bench/cpu_children": children.ru_utime + children.ru_stime,
            "bench/threads": {**self.threads, **thread_cpu()},
            "bench/modules": {
                name: getattr(sys.modules.get(name), "__path__", [None])[0]
                for name in ("pipelines", "crawler")
            },
        })
        self.path.write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
