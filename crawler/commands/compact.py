"""``scrapy compact``: merge the small files of each dataset partition, atomically.

Takes the ``OUTPUT_DIR`` lock, so it never runs beside a crawl (exit 75 if one is running).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Merge the small Parquet files of each partition of OUTPUT_DIR (atomic)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # imported here: Scrapy imports every command module whatever the command (pyarrow)
        from crawler.state import LockedError, RunLock, StateStore
        from pipelines.compact import compact_dataset

        assert self.settings is not None
        output_dir = Path(self.settings.get("OUTPUT_DIR"))
        lock = RunLock(output_dir)
        try:
            lock.acquire()
        except LockedError as exc:
            print(f"newsclean: {exc}", file=sys.stderr)
            self.exitcode = 75
            return
        try:
            done = compact_dataset(output_dir)
            store = StateStore.open(output_dir)
            store.forget_missing()
            store.reconcile()
            store.close()
        finally:
            lock.release()
        for item in done:
            print(f"{item.partition}: {item.files_before} files -> 1 ({item.rows} rows)")
        print(f"newsclean: compacted {len(done)} partition(s) in {output_dir}")
