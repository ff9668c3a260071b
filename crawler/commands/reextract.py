"""``scrapy reextract SOURCE... -s OUTPUT_DIR=DEST``: rebuild a dataset from WARC files.

SOURCE is an ``OUTPUT_DIR`` (its ``warc/``), a folder of ``.warc.gz`` / ``.warc`` files, or single
files, our own or another tool's (Common Crawl's CC-NEWS...). Every archived HTML response with a
2xx status goes through the crawl's own pipelines (extract pool, dedup, Parquet writer) into
``DEST/articles`` and ``DEST/rejects``; one row goes to ``DEST/runs``.

    -a sites=FILE   hosts to the sites file's names and per-site rules (else the host is the site)
    -a shard=I/N    only the I-th of N stable parts of the WARC files (hash of the file name)

A WARC file read to its end is noted in ``DEST/state.sqlite`` (table ``reextracted``) once the
run finished, so running the command again on the same sources adds nothing; a file that breaks
off is logged, the run exits 1, and the next run reads it again. Without a
shard the run locks DEST like a crawl; shards share the lock (a crawl waits for them), so N
processes can fill one DEST at once, each with its own files: each claims an article in
``DEST/state.sqlite`` before storing it (``STATE_SHARED``), so copies of an article in the files
of two shards are stored once, as by one unsharded run.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from scrapy.commands import BaseRunSpiderCommand
from scrapy.exceptions import UsageError

from crawler import memory
from crawler.startup import import_download_handlers, start_fork_server

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
DONE_TABLE = """CREATE TABLE IF NOT EXISTS reextracted (
    name TEXT NOT NULL, size INTEGER NOT NULL, crawl_id TEXT NOT NULL, PRIMARY KEY (name, size)
)"""


def reextract_outcome(stats: dict[str, Any]) -> tuple[int, str]:
    """``(exit status, one-line summary)`` from a finished re-extraction's stats."""
    reason = stats.get("finish_reason", "unknown")
    summary = (
        f"{stats.get('newsclean/articles/written', 0)} articles written, "
        f"{stats.get('newsclean/rejects/written', 0)} rejects recorded from "
        f"{stats.get('newsclean/reextract/files', 0)} WARC files, "
        f"{stats.get('newsclean/reextract/skipped_known', 0)} pages already stored, "
        f"finish reason {reason!r}"
    )
    if stats.get("newsclean/output_error"):
        return EXIT_FAILED, f"FAILED: could not write the dataset ({summary})"
    if reason != "finished":
        return EXIT_FAILED, f"FAILED: the run did not finish ({summary})"
    if bad := stats.get("newsclean/reextract/bad_files"):
        return EXIT_FAILED, (f"FAILED: {bad} WARC file(s) could not be read to the end or whole "
                             f"({summary})")
    return EXIT_OK, f"OK: {summary}"


def done_files(output_dir: Path) -> set[tuple[str, int]]:
    """``(name, size)`` of the WARC files earlier runs into ``output_dir`` finished."""
    db = sqlite3.connect(output_dir / "state.sqlite")
    try:
        db.execute("PRAGMA busy_timeout=10000")
        db.execute(DONE_TABLE)
        return {(name, size) for name, size in db.execute("SELECT name, size FROM reextracted")}
    finally:
        db.close()


def mark_done(output_dir: Path, files: list[Path], crawl_id: str) -> None:
    db = sqlite3.connect(output_dir / "state.sqlite", isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout=10000")
        db.execute(DONE_TABLE)
        db.executemany("INSERT OR IGNORE INTO reextracted VALUES (?, ?, ?)",
                       [(p.name, p.stat().st_size, crawl_id) for p in files])
    finally:
        db.close()


class Command(BaseRunSpiderCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[options] SOURCE..."

    def short_desc(self) -> str:
        return "Re-extract the pages of WARC files into the dataset of OUTPUT_DIR"

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # nothing is fetched, so nothing is archived; the crawl's progress line counts responses
        self.settings.set("ARCHIVE_ENABLED", False, priority="cmdline")
        extensions = self.settings.getdict("EXTENSIONS")
        extensions["crawler.progress.ProgressLog"] = None
        self.settings.set("EXTENSIONS", extensions, priority="cmdline")
        from crawler.replay import parse_shard

        with contextlib.suppress(ValueError):  # a bad shard is named in run()
            if parse_shard(opts.spargs.get("shard"))[1] > 1:  # other shards may store beside us
                self.settings.set("STATE_SHARED", True, priority="cmdline")
        start_fork_server(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one WARC file or folder, e.g. "
                             "`scrapy reextract output/warc -s OUTPUT_DIR=rebuilt`")
        assert self.settings is not None
        from crawler.archive import warc_files
        from crawler.replay import in_shard, parse_shard
        from crawler.sites import SitesError, load_sites
        from crawler.state import LockedError, RunLock, StateStore
        from pipelines.parquet import OutputError, check_writable, remove_partial_files

        output_dir = Path(self.settings.get("OUTPUT_DIR"))
        try:
            shard = parse_shard(opts.spargs.get("shard"))
            files = [p for p in warc_files(Path(a) for a in args) if in_shard(p, shard)]
            if opts.spargs.get("sites"):
                load_sites(opts.spargs["sites"])
            check_writable(output_dir)
        except (ValueError, FileNotFoundError, SitesError, OutputError) as exc:
            return self._stop(EXIT_USAGE, str(exc))
        lock = RunLock(output_dir, shared=shard[1] > 1)
        try:
            lock.acquire()
        except LockedError as exc:
            return self._stop(EXIT_LOCKED, str(exc))
        try:
            persistent = self.settings.getbool("STATE_ENABLED")
            if persistent:
                StateStore.open(output_dir).close()  # indexes files a killed run left
                done = done_files(output_dir)
                files = [p for p in files if (p.name, p.stat().st_size) not in done]
            if shard[1] == 1:  # shards may be writing beside us: their files are theirs
                remove_partial_files(output_dir)
            self._reextract(files, opts, output_dir, persistent)
        finally:
            lock.release()

    def _reextract(self, files: list[Path], opts: argparse.Namespace, output_dir: Path,
                   persistent: bool) -> None:
        from crawler.commands.crawl import run_row, write_run
        from crawler.replay import ReextractSpider

        assert self.crawler_process is not None
        memory.pin_mmap_threshold()
        import_download_handlers(self.settings)
        crawler = self._create_crawler(ReextractSpider)
        self.crawler_process.crawl(crawler, files=files, sites=opts.spargs.get("sites"))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = EXIT_FAILED
            return
        stats = crawler.stats.get_stats()
        self.exitcode, summary = reextract_outcome(stats)
        spider = crawler.spider
        try:
            write_run(output_dir, run_row(stats, spider, self.exitcode))
            finished = stats.get("finish_reason") == "finished"
            if finished and persistent and not stats.get("newsclean/output_error"):
                mark_done(output_dir, spider.finished_files, spider.crawl_id)
        except (OSError, sqlite3.Error) as exc:
            summary += f"; the run could not be recorded: {exc}"
            self.exitcode = EXIT_FAILED
        print(f"newsclean: {summary}", file=sys.stderr)

    def _stop(self, status: int, message: str) -> None:
        print(f"newsclean: {message}", file=sys.stderr)
        self.exitcode = status
