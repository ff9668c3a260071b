"""The dataset writer: atomic, hive-partitioned Parquet files with an explicit schema.

Layout: ``OUTPUT_DIR/<table>/crawl_date=YYYY-MM-DD/<crawl_id>-<seq>.parquet`` for the tables
``articles`` and ``rejects``. Rows are buffered and written as one file (one row group) every
``PARQUET_ROWS_PER_FILE`` rows or ``PARQUET_FLUSH_SECONDS``, and at the end of the run (also after
Ctrl-C or SIGTERM, which Scrapy turns into a graceful close). Each file is written under a hidden
temporary name, fsynced and renamed into place, so a reader never sees a partial file, and the
crawl id in every name means no run overwrites another's files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.exceptions import NotConfigured

from crawler import memory
from crawler.items import ArticleRow, Reject
from crawler.state import Key, state_of, store_failed
from pipelines.schema import SCHEMA_VERSION, TABLES

logger = logging.getLogger(__name__)


def write_atomic(table: pa.Table, path: Path, compression: str = "zstd") -> None:
    """Write ``table`` to ``path`` so that ``path`` is either absent or complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        pq.write_table(table, tmp, compression=compression, row_group_size=max(len(table), 1))
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def state_key(item: ArticleRow) -> Key:
    """What the cross-run store records of an article row once its file is committed."""
    row = item.row
    return Key(
        canonical_url=row["canonical_url"],
        content_hash=row["content_hash"],
        fetched_at=row["fetched_at"],
        lastmod=item.lastmod,
        crawl_id=row["crawl_id"],
        aliases=(row["url"], *item.aliases),
    )


def remove_partial_files(output_dir: Path) -> int:
    """Delete temporary files a killed run left mid-write (call with the run lock held)."""
    partial = list(output_dir.glob("*/*/.*.parquet.tmp"))
    for path in partial:
        path.unlink(missing_ok=True)
    return len(partial)


class OutputError(OSError):
    """``OUTPUT_DIR`` cannot be written."""


def check_writable(directory: Path) -> None:
    """Fail before the first request when the dataset could never be written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"OUTPUT_DIR {str(directory)!r} is not writable: {exc}") from None


class DatasetWriter:
    """Buffer rows of one table and write them as atomic files of one partition."""

    def __init__(self, root: Path, table: str, partition: str, prefix: str,
                 compression: str = "zstd") -> None:
        self.schema = TABLES[table]
        self.directory = root / table / partition
        self.prefix = prefix
        self.compression = compression
        self.rows: list[dict[str, Any]] = []
        self.keys: list[Key] = []  # state keys of the buffered rows (articles only)
        self.files: list[Path] = []
        self.written = 0

    def add(self, row: dict[str, Any], key: Key | None = None) -> None:
        self.rows.append(row)
        if key is not None:
            self.keys.append(key)

    def take(self) -> tuple[list[dict[str, Any]], list[Key]]:
        """Hand over the buffered rows and their keys (for writing off the reactor thread)."""
        rows, self.rows = self.rows, []
        keys, self.keys = self.keys, []
        return rows, keys

    def next_path(self) -> Path:
        path = self.directory / f"{self.prefix}-{len(self.files):05d}.parquet"
        self.files.append(path)
        return path

    def write(self, rows: list[dict[str, Any]], path: Path) -> None:
        table = pa.Table.from_pylist(rows, schema=self.schema)
        write_atomic(table, path, self.compression)
        self.written += len(rows)


@dataclass(frozen=True)
class ParquetConfig:
    """``OUTPUT_DIR`` and ``PARQUET_*`` settings, read once."""

    output_dir: Path
    compression: str
    rows_per_file: int
    flush_seconds: float

    @classmethod
    def from_settings(cls, settings: Any) -> ParquetConfig:
        rows = settings.getint("PARQUET_ROWS_PER_FILE")
        if rows < 1:
            raise ValueError(f"PARQUET_ROWS_PER_FILE must be >= 1, got {rows}")
        return cls(
            output_dir=Path(settings.get("OUTPUT_DIR")),
            compression=settings.get("PARQUET_COMPRESSION"),
            rows_per_file=rows,
            flush_seconds=settings.getfloat("PARQUET_FLUSH_SECONDS"),
        )


class ParquetPipeline:
    """Write ``ArticleRow`` items to ``articles/`` and ``Reject`` items to ``rejects/``."""

    def __init__(self, crawler: Any, config: ParquetConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.stats = crawler.stats
        self.writers: dict[str, DatasetWriter] = {}
        self.last_flush = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParquetPipeline:
        if not crawler.settings.getbool("PARQUET_ENABLED"):
            raise NotConfigured("PARQUET_ENABLED is off")
        return cls(crawler, ParquetConfig.from_settings(crawler.settings))

    def open_spider(self) -> None:
        check_writable(self.config.output_dir)
        spider = self.crawler.spider
        partition = f"crawl_date={spider.started_at:%Y-%m-%d}"
        for table in ("articles", "rejects"):
            self.writers[table] = DatasetWriter(
                self.config.output_dir, table, partition, spider.crawl_id,
                self.config.compression,
            )

    async def process_item(self, item: Any) -> Any:
        key = None
        if isinstance(item, ArticleRow):
            table, row, key = "articles", item.row, state_key(item)
        elif isinstance(item, Reject):
            table, row = "rejects", self.reject_row(item)
            self.stats.inc_value(f"newsclean/rejects/by_reason/{item.reason}")
        else:
            return item
        writer = self.writers[table]
        writer.add(row, key)
        self.stats.inc_value(f"newsclean/{table}/buffered")
        if len(writer.rows) >= self.config.rows_per_file:
            await self.flush(writer)
        elif time.monotonic() - self.last_flush > self.config.flush_seconds:
            await asyncio.gather(*(self.flush(w) for w in self.writers.values()))
        return item

    def reject_row(self, item: Reject) -> dict[str, Any]:
        row = asdict(item)
        row["fetched_at"] = row["fetched_at"] or datetime.now(UTC)
        row.update(crawl_id=self.crawler.spider.crawl_id, schema_version=SCHEMA_VERSION)
        return row

    async def flush(self, writer: DatasetWriter) -> None:
        """Write the writer's buffered rows as one file, in a thread (pyarrow frees the GIL)."""
        self.last_flush = time.monotonic()
        rows, keys = writer.take()
        if not rows:
            return
        path = writer.next_path()
        try:
            await asyncio.to_thread(writer.write, rows, path)
        except OSError as exc:
            self.output_failed(writer, rows, keys, path, exc)
            return
        if keys:  # only now, with the file in place, may the store say they are stored
            try:
                state_of(self.crawler).commit(path, keys)
            except sqlite3.Error as exc:  # the file is in place; the next run indexes it
                store_failed(self.crawler, exc)
        table = writer.schema.metadata[b"newsclean.table"].decode()
        self.stats.inc_value(f"newsclean/{table}/written", len(rows))
        self.stats.inc_value("newsclean/parquet/files")
        logger.debug("wrote %d rows to %s", len(rows), path)
        del rows, keys  # the buffer's rows and the flush's temporaries go back to the system:
        await asyncio.to_thread(memory.trim)  # RSS stays flat from one file to the next

    def output_failed(
        self, writer: DatasetWriter, rows: list, keys: list[Key], path: Path, exc: OSError
    ) -> None:
        """The dataset cannot be written (read-only, disk full): keep the rows, stop the crawl.

        The rows go back into the buffer for one more try at close; the run ends with
        ``finish_reason`` ``output_error`` and a non-zero exit status either way.
        """
        writer.rows[:0] = rows
        writer.keys[:0] = keys
        store_failed(self.crawler, OSError(f"cannot write {path}: {exc}"))

    async def close_spider(self) -> None:
        for writer in self.writers.values():
            await self.flush(writer)
