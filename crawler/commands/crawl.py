"""``scrapy crawl``, with checks first, one run per output folder, and an exit status to trust.

Before any request, the sites file of the ``news`` spider is validated, ``OUTPUT_DIR`` is checked
and locked: a bad sites file prints one line naming the file, the site and the field; an output
folder that cannot be written says so; both exit 2. A second run on a locked ``OUTPUT_DIR`` (cron
overlap) exits 75 (``EX_TEMPFAIL``) without touching anything.

After the crawl, one row is appended to ``OUTPUT_DIR/runs/`` and a summary line is printed, which
names the site health alarms the run raised (``pipelines.health``; they leave the exit status be).
The exit status is 0 when the run finished and fetched pages; 1 when it was interrupted (SIGTERM,
Ctrl-C), could not write its output, or no site answered.
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler import memory
from crawler.startup import import_download_handlers, start_fork_server

# Heavy modules (pyarrow, trafilatura through the sites file's rules) are imported where they
# are used: Scrapy imports every command module before it runs one, and the workers' fork
# server is started before them (``process_options``), so that its imports overlap ours.

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
FORCED_WRITE_SECONDS = 10.0  # after a second Ctrl-C / SIGTERM: time to wait for a running write
logger = logging.getLogger("newsclean")


def run_outcome(stats: dict[str, Any]) -> tuple[int, str]:
    """``(exit status, one-line summary)`` from a finished crawl's stats."""
    reason = stats.get("finish_reason", "unknown")
    summary = (
        f"{stats.get('newsclean/articles/written', 0)} articles written, "
        f"{stats.get('newsclean/rejects/written', 0)} rejects recorded, "
        f"{stats.get('newsclean/state/skipped_known', 0)} skipped as already stored, "
        f"finish reason {reason!r}"
    )
    if stats.get("newsclean/output_error"):
        return EXIT_FAILED, f"FAILED: could not write the dataset ({summary})"
    if reason != "finished":
        return EXIT_FAILED, f"FAILED: the run did not finish ({summary})"
    if not _counts(stats, "downloader/response_status_count/2"):
        return EXIT_FAILED, f"FAILED: no site answered with a page ({summary})"
    return EXIT_OK, f"OK: {summary}"


def _counts(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): int(v) for k, v in stats.items() if k.startswith(prefix)}


def run_row(
    stats: dict[str, Any], spider: Any, exit_status: int, quarantined: int = 0
) -> dict[str, Any]:
    """One row of the ``runs`` table."""
    from pipelines.schema import SCHEMA_VERSION

    return {
        "crawl_id": spider.crawl_id,
        "started_at": spider.started_at,
        "finished_at": stats.get("finish_time") or datetime.now(UTC),
        "sites": sorted(spider.sites),
        "requests": int(stats.get("downloader/request_count", 0)),
        "responses_by_status": _counts(stats, "downloader/response_status_count/"),
        "articles_written": int(stats.get("newsclean/articles/written", 0)),
        "skipped_known": int(stats.get("newsclean/state/skipped_known", 0)),
        "duplicates": sum(_counts(stats, "newsclean/dedup/duplicate_").values()),
        "rejects_by_reason": _counts(stats, "newsclean/rejects/by_reason/"),
        "errors": int(stats.get("log_count/ERROR", 0)),
        "finish_reason": str(stats.get("finish_reason", "unknown")),
        "exit_status": exit_status,
        "quarantined": quarantined,
        "schema_version": SCHEMA_VERSION,
    }


def write_run(output_dir: Path, row: dict[str, Any]) -> Path:
    import pyarrow as pa

    from pipelines.parquet import write_atomic
    from pipelines.schema import RUNS

    path = output_dir / "runs" / f"crawl_date={row['started_at']:%Y-%m-%d}" / (
        f"{row['crawl_id']}.parquet"
    )
    write_atomic(pa.Table.from_pylist([row], schema=RUNS), path)
    return path


def check_output(output_dir: Path) -> None:
    """``OUTPUT_DIR`` can be written and its own folders are not symbolic links."""
    from crawler.dataset import check_own_folders
    from pipelines.parquet import check_writable

    check_writable(output_dir)
    check_own_folders(output_dir)


def prepare_output(output_dir: Path) -> int:
    """With the lock held: leave the dataset readable; the number of files quarantined.

    Finishes or rolls back a killed compaction, moves unreadable files to ``quarantine/``,
    indexes files a killed run left and drops what it left half-written."""
    from crawler.state import StateStore
    from pipelines.compact import recover
    from pipelines.parquet import quarantine_unreadable, remove_partial_files

    recover(output_dir)
    quarantined = len(quarantine_unreadable(output_dir))
    store = StateStore.open(output_dir)
    quarantined += len(store.quarantined)
    store.close()
    remove_partial_files(output_dir)
    return quarantined


def salvage(crawler: Any) -> int:
    """After a forced shutdown (a second Ctrl-C / SIGTERM stops the event loop at once, and the
    pipelines are never closed): write the rows the Parquet pipeline still holds. A write
    running in a thread is waited for ``FORCED_WRITE_SECONDS`` at most; a third signal ends the
    process at once. What was fetched but not yet extracted is lost; the next run fetches it."""
    from pipelines.parquet import ParquetPipeline

    try:
        pipeline = crawler.get_item_pipeline(ParquetPipeline)
    except RuntimeError:  # no engine was made: nothing was extracted
        return 0
    if pipeline is None:
        return 0
    previous = {sig: signal.signal(sig, signal.SIG_DFL) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return pipeline.salvage(time.monotonic() + FORCED_WRITE_SECONDS)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
def alarm_note(output_dir: Path, crawl_id: str, settings: Any) -> str:
    """``"; 2 site alarm(s) …"`` for the site health alarms this run raised, else ``""``."""
    import duckdb

    from pipelines.health import Thresholds
    from pipelines.report import run_alarms

    try:
        found = run_alarms(output_dir, crawl_id, Thresholds.from_settings(settings))
    except (OSError, ValueError, duckdb.Error) as exc:  # advice only: it never fails the run
        return f"; site health not checked: {exc}"
    if not found:
        return ""
    alarms = "; ".join(f"{a.site}: {a.message}" for a in found)
    return f"; {len(found)} site alarm(s), see `scrapy report`: {alarms}"


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # The settings are final here, before Scrapy loads the spiders (and with them pyarrow
        # and trafilatura): the workers' imports overlap all of that. A run refused below exits
        # with its fork server, which has forked nothing.
        assert self.settings is not None
        start_fork_server(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. `scrapy crawl news`")
        assert self.crawler_process is not None and self.settings is not None
        from crawler.dataset import LayoutError
        from crawler.sites import SitesError, load_sites
        from crawler.state import LockedError, RunLock

        output_dir = Path(self.settings.get("OUTPUT_DIR"))
        lock = RunLock(output_dir)
        quarantined = 0
        if args[0] == "news":
            path = opts.spargs.get("sites") or self.settings.get("SITES_FILE")
            try:
                load_sites(path, only=opts.spargs.get("site"))
                check_output(output_dir)
                lock.acquire()
                quarantined = prepare_output(output_dir)
            except sqlite3.Error as exc:
                lock.release()
                return self._stop(EXIT_USAGE, f"the state store in {output_dir} is unusable: {exc}")
            except SitesError as exc:
                return self._stop(EXIT_USAGE, f"bad sites file: {exc}")
            except LayoutError as exc:
                lock.release()
                return self._stop(EXIT_USAGE, str(exc))
            except OSError as exc:  # not writable (OutputError), or a move in it failed
                lock.release()
                return self._stop(EXIT_USAGE, str(exc))
            except LockedError as exc:
                return self._stop(EXIT_LOCKED, str(exc))
        try:
            self._crawl(args[0], opts, output_dir, quarantined)
        finally:
            lock.release()
        # What the crawl made is all garbage now, and the interpreter's last collection would
        # walk every object of it on the way out (0.23 s after 1,000 pages): exit without it;
        # not after the site health check, though: DuckDB's bindings (nanobind) would report
        # the objects the freeze keeps alive as leaks, dozens of lines on stderr.
        if "duckdb" not in sys.modules:
            gc.freeze()

    def _crawl(
        self, name: str, opts: argparse.Namespace, output_dir: Path, quarantined: int
    ) -> None:
        assert self.crawler_process is not None
        memory.pin_mmap_threshold()  # page buffers go back to the system: RSS stays flat
        import_download_handlers(self.settings)  # cheaper here than inside the engine
        crawler = self._create_crawler(name)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = EXIT_FAILED
            return
        if crawler.stats.get_value("finish_reason") is None:  # forced: the spider never closed
            crawler.stats.set_value("finish_reason", "forced_shutdown")
            rows = salvage(crawler)
            logger.warning("forced shutdown: wrote the %d rows the pipeline held", rows)
        stats = crawler.stats.get_stats()
        self.exitcode, summary = run_outcome(stats)
        if quarantined:
            summary += f"; {quarantined} unreadable file(s) moved to {output_dir / 'quarantine'}"
        if name == "news" and crawler.spider is not None:
            try:
                row = run_row(stats, crawler.spider, self.exitcode, quarantined)
                write_run(output_dir, row)
            except OSError as exc:
                summary += f"; the runs/ row could not be written: {exc}"
                self.exitcode = EXIT_FAILED
            else:
                summary += alarm_note(output_dir, crawler.spider.crawl_id, self.settings)
        print(f"newsclean: {summary}", file=sys.stderr)

    def _stop(self, status: int, message: str) -> None:
        print(f"newsclean: {message}", file=sys.stderr)
        self.exitcode = status
