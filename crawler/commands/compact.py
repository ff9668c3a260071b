"""``scrapy compact``: merge the small files of each dataset partition, with snapshot semantics.

Takes the ``OUTPUT_DIR`` lock, so it never runs beside a crawl (exit 75 if one is running). First
finishes or rolls back a compaction that was killed, and moves unreadable files to
``OUTPUT_DIR/quarantine/``; both are logged and the compaction goes on (exit 0). An
``OUTPUT_DIR`` whose own folders are symbolic links is refused (exit 2): nothing is moved.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Merge the small Parquet files of each partition of OUTPUT_DIR (atomic)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # imported here: Scrapy imports every command module whatever the command (pyarrow)
        from crawler.dataset import LayoutError
        from crawler.state import LockedError, RunLock, StateStore
        from pipelines.compact import CompactError, compact_dataset

        assert self.settings is not None
        if not logging.getLogger().handlers:  # warnings (quarantine, recovery) reach stderr
            logging.basicConfig(level=logging.WARNING, format="newsclean: %(message)s")
        output_dir = Path(self.settings.get("OUTPUT_DIR"))
        lock = RunLock(output_dir)
        try:
            lock.acquire()
        except LockedError as exc:
            return self._stop(EXIT_LOCKED, str(exc))
        try:
            report = compact_dataset(output_dir)
            store = StateStore.open(output_dir)
            store.forget_missing()
            store.reconcile()
            report.quarantined += store.quarantined
            store.close()
        except LayoutError as exc:
            return self._stop(EXIT_USAGE, str(exc))
        except CompactError as exc:
            return self._stop(EXIT_FAILED, f"compaction stopped: {exc}")
        finally:
            lock.release()
        for item in report.compacted:
            print(f"{item.partition}: {item.files_before} files -> 1 ({item.rows} rows)")
        print(f"newsclean: compacted {len(report.compacted)} partition(s) in {output_dir}"
              f"; {len(report.quarantined)} unreadable file(s) quarantined")

    def _stop(self, status: int, message: str) -> None:
        print(f"newsclean: {message}", file=sys.stderr)
        self.exitcode = status
