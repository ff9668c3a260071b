"""``scrapy crawl``, with a checked sites file and an exit status cron and systemd can trust.

Before any request, the sites file of the ``news`` spider is validated and ``OUTPUT_DIR`` is
checked: a bad file prints one line naming the file, the site and the field, and exits 2; so does an
output folder that cannot be written. After the crawl, the exit status is 0 only
when the run finished normally and something was fetched; 1 when the run was interrupted
(SIGTERM, Ctrl-C), could not write its output, or every site failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError

from crawler.sites import SitesError, load_sites
from pipelines.parquet import OutputError, check_writable


def run_outcome(crawler: Crawler) -> tuple[int, str]:
    """``(exit status, one-line summary)`` from a finished crawler's stats."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason", "unknown")
    written = stats.get("newsclean/articles/written", 0)
    rejects = stats.get("newsclean/rejects/written", 0)
    summary = f"{written} articles written, {rejects} rejects recorded, finish reason {reason!r}"
    if stats.get("newsclean/output_error"):
        return 1, f"FAILED: could not write the dataset ({summary})"
    if reason != "finished":
        return 1, f"FAILED: the run did not finish ({summary})"
    fetched = sum(v for k, v in stats.items() if k.startswith("downloader/response_status_count/2"))
    if not fetched:
        return 1, f"FAILED: no site answered with a page ({summary})"
    return 0, f"OK: {summary}"


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl news`")
        assert self.crawler_process is not None and self.settings is not None
        if args[0] == "news":
            path = opts.spargs.get("sites") or self.settings.get("SITES_FILE")
            try:
                load_sites(path, only=opts.spargs.get("site"))
                check_writable(Path(self.settings.get("OUTPUT_DIR")))
            except SitesError as exc:
                print(f"newsclean: bad sites file: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
            except OutputError as exc:
                print(f"newsclean: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        self.exitcode, summary = run_outcome(crawler)
        print(f"newsclean: {summary}", file=sys.stderr)
