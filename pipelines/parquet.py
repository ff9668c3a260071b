"""The dataset writer: atomic, hive-partitioned Parquet files with an explicit schema.

Layout: ``OUTPUT_DIR/<table>/crawl_date=YYYY-MM-DD/<crawl_id>-<seq>.parquet`` for the tables
``articles`` and ``rejects``. Rows are streamed: every ``PARQUET_ROWS_PER_GROUP`` rows are written
as one row group of the open file, so the crawl holds only that many rows however large the run;
the file is put in place after ``PARQUET_ROWS_PER_FILE`` rows or ``PARQUET_FLUSH_SECONDS``, and at
the end of the run (also after Ctrl-C or SIGTERM, which Scrapy turns into a graceful close). Each
file is written under a hidden temporary name, fsynced and renamed into place, so a reader never
sees a partial file, and the crawl id in every name means no run overwrites another's files.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.abc
import logging
import os
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.exceptions import NotConfigured

from crawler import memory
from crawler.dataset import TABLE_NAMES, data_files, fsync_dir, partitions, quarantine
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
    fsync_dir(path.parent)


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


def unreadable(path: Path) -> str | None:
    """Why a reader cannot open ``path`` (empty, truncated, not Parquet), or ``None``.

    Checks what a file cut short at any point has lost: the magic bytes at both ends and a
    footer that fits. Plain reads of 12 bytes (about 20 µs a file, against 0.6-0.8 ms for
    pyarrow's footer parse), since every run checks every file. Damage inside a file is caught
    where the file is read in full (the store's index, compaction)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < 12:
                return f"{size} bytes: too short to be Parquet"
            head = handle.read(4)
            handle.seek(-8, os.SEEK_END)
            tail = handle.read(8)
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"
    if head != b"PAR1" or tail[4:] != b"PAR1":
        return f"{size} bytes without Parquet's magic bytes at both ends: truncated or not Parquet"
    if int.from_bytes(tail[:4], "little") + 12 > size:
        return f"{size} bytes: its footer would start before the file"
    return None


def quarantine_unreadable(output_dir: Path) -> list[Path]:
    """Move every dataset file readers cannot open to ``OUTPUT_DIR/quarantine/`` (lock held)."""
    moved = []
    for table in TABLE_NAMES:
        for partition in partitions(output_dir, table):
            for path in data_files(partition):
                if (reason := unreadable(path)) is not None:
                    moved.append(quarantine(output_dir, path, reason))
    return moved


class _HidePandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ImportError(f"{name} is not for the crawl process")


def keep_pandas_out() -> bool:
    """Keep pyarrow from importing pandas into the crawl process: 45 MB it never uses there.

    pyarrow asks once per process, at its first conversion of Python objects, whether pandas can
    be imported, and imports it if it can: pandas, pytz and dateutil then sit in the reactor for
    the whole crawl. Here the question is asked with pandas hidden for that one call, so the
    answer is "no" and the writer's conversions (always with an explicit schema) leave pandas
    alone. Nothing else changes: any other code imports pandas as usual, and pyarrow still
    imports it when asked for pandas objects (``to_pandas``). ``False`` if pandas is already in.
    """
    if "pandas" in sys.modules:
        return False
    finder = _HidePandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([], type=pa.null())  # pyarrow's one-time check, answered without pandas
    finally:
        sys.meta_path.remove(finder)
    return True


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


class Committed(NamedTuple):
    """A file put in place: where, how many rows, the state keys of its articles."""

    path: Path
    rows: int
    keys: list[Key]


class DatasetWriter:
    """Stream rows of one table into atomic files of one partition.

    ``append`` writes a batch of rows as one row group of the open file, which lives under a
    hidden temporary name; ``commit`` closes it, fsyncs it and renames it into place; ``abort``
    drops it. ``write`` is the one-call form: a whole file from one batch. The methods block
    (pyarrow frees the GIL): the pipeline calls them in a thread, one at a time per writer.
    """

    def __init__(self, root: Path, table: str, partition: str, prefix: str,
                 compression: str = "zstd") -> None:
        self.schema = TABLES[table]
        self.directory = root / table / partition
        self.prefix = prefix
        self.compression = compression
        self.rows: list[dict[str, Any]] = []  # buffered, not yet in a row group
        self.keys: list[Key] = []  # state keys of the buffered rows (articles only)
        self.file_keys: list[Key] = []  # state keys of the rows in the open file
        self.files: list[Path] = []
        self.written = 0  # rows in committed files
        self.file_rows = 0  # rows in the open file
        self._open: tuple[pq.ParquetWriter, Path, Path] | None = None  # writer, tmp, path
        self.lock = asyncio.Lock()  # one append or commit at a time (in the pipeline)
        self.busy = threading.RLock()  # held by the thread writing: ``salvage`` waits for it

    def add(self, row: dict[str, Any], key: Key | None = None) -> None:
        self.rows.append(row)
        if key is not None:
            self.keys.append(key)

    def take(self) -> tuple[list[dict[str, Any]], list[Key]]:
        """Hand over the buffered rows and their keys (for writing off the reactor thread)."""
        rows, self.rows = self.rows, []
        keys, self.keys = self.keys, []
        return rows, keys

    def give_back(self, rows: list[dict[str, Any]], keys: list[Key]) -> None:
        """Put rows that could not be written back at the head of the buffer."""
        self.rows[:0] = rows
        self.keys[:0] = keys

    def next_path(self) -> Path:
        path = self.directory / f"{self.prefix}-{len(self.files):05d}.parquet"
        self.files.append(path)
        return path

    def append(self, rows: list[dict[str, Any]], keys: Iterable[Key] = ()) -> None:
        """Write ``rows`` as one row group of the open file (a new file if none is open)."""
        table = pa.Table.from_pylist(rows, schema=self.schema)  # bad rows fail before any file
        with self.busy:
            if self._open is None:
                path = self.next_path()
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.tmp")
                self._open = (pq.ParquetWriter(tmp, self.schema, compression=self.compression),
                              tmp, path)
            self._open[0].write_table(table, row_group_size=max(len(rows), 1))
            self.file_rows += len(rows)
            self.file_keys.extend(keys)

    @property
    def open_path(self) -> Path | None:
        """Where the open file goes once committed; ``None`` when no file is open."""
        return self._open[2] if self._open else None

    def commit(self) -> Committed | None:
        """Close the open file and rename it into place (on failure, ``abort`` drops it)."""
        with self.busy:
            if self._open is None:
                return None
            writer, tmp, path = self._open
            writer.close()
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            fsync_dir(path.parent)
            done = Committed(path, self.file_rows, self.file_keys)
            self.written += self.file_rows
            self._open, self.file_rows, self.file_keys = None, 0, []
            return done

    def abort(self) -> int:
        """Drop the open file (a failed write): the number of rows it held.

        Its articles were never recorded as stored, so the next run fetches them again."""
        if self._open is None:
            return 0
        writer, tmp, _path = self._open
        with contextlib.suppress(Exception):
            writer.close()
        tmp.unlink(missing_ok=True)
        lost, self.file_rows, self.file_keys, self._open = self.file_rows, 0, [], None
        return lost

    def write(self, rows: list[dict[str, Any]], path: Path) -> None:
        """Write ``rows`` as one whole file at ``path`` (one row group)."""
        table = pa.Table.from_pylist(rows, schema=self.schema)
        write_atomic(table, path, self.compression)
        self.written += len(rows)


@dataclass(frozen=True)
class ParquetConfig:
    """``OUTPUT_DIR`` and ``PARQUET_*`` settings, read once."""

    output_dir: Path
    compression: str
    rows_per_file: int
    rows_per_group: int
    flush_seconds: float

    @classmethod
    def from_settings(cls, settings: Any) -> ParquetConfig:
        rows = settings.getint("PARQUET_ROWS_PER_FILE")
        group = settings.getint("PARQUET_ROWS_PER_GROUP")
        if rows < 1 or group < 1:
            raise ValueError(f"PARQUET_ROWS_PER_FILE and PARQUET_ROWS_PER_GROUP must be >= 1, "
                             f"got {rows} and {group}")
        return cls(
            output_dir=Path(settings.get("OUTPUT_DIR")),
            compression=settings.get("PARQUET_COMPRESSION"),
            rows_per_file=rows,
            rows_per_group=min(group, rows),
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
        keep_pandas_out()
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
        if time.monotonic() - self.last_flush > self.config.flush_seconds:
            await asyncio.gather(*(self.flush(w) for w in self.writers.values()))
        elif len(writer.rows) >= self.config.rows_per_group:
            await self.append(writer)
            if writer.file_rows >= self.config.rows_per_file:
                await self.commit(writer)
        return item

    def reject_row(self, item: Reject) -> dict[str, Any]:
        row = asdict(item)
        row["fetched_at"] = row["fetched_at"] or datetime.now(UTC)
        row.update(crawl_id=self.crawler.spider.crawl_id, schema_version=SCHEMA_VERSION)
        return row

    async def append(self, writer: DatasetWriter) -> bool:
        """Write the buffered rows as one row group of the writer's open file, in a thread."""
        async with writer.lock:
            rows, keys = writer.take()
            if not rows:
                return True
            try:
                await asyncio.to_thread(writer.append, rows, keys)
            except OSError as exc:
                self.output_failed(writer, rows, keys, exc)
                return False
        await asyncio.to_thread(memory.trim)  # the row group's temporaries go back at once
        return True

    async def commit(self, writer: DatasetWriter) -> None:
        """Put the open file in place; only then may the store say its articles are stored."""
        async with writer.lock:
            try:
                done = await asyncio.to_thread(writer.commit)
            except OSError as exc:
                self.output_failed(writer, [], [], exc)
                return
            if done is None:
                return
            if done.keys:
                try:
                    state_of(self.crawler).commit(done.path, done.keys)
                except sqlite3.Error as exc:  # the file is in place; the next run indexes it
                    store_failed(self.crawler, exc)
            table = writer.schema.metadata[b"newsclean.table"].decode()
            self.stats.inc_value(f"newsclean/{table}/written", done.rows)
            self.stats.inc_value("newsclean/parquet/files")
            logger.debug("wrote %d rows to %s", done.rows, done.path)
            await asyncio.to_thread(memory.trim)  # freed buffers go back: RSS stays flat

    async def flush(self, writer: DatasetWriter) -> None:
        """Everything the writer holds lands in a committed file."""
        self.last_flush = time.monotonic()
        if await self.append(writer):
            await self.commit(writer)

    def output_failed(
        self, writer: DatasetWriter, rows: list, keys: list[Key], exc: OSError
    ) -> None:
        """The dataset cannot be written (read-only, disk full): stop the crawl.

        The rows of the failed write go back into the buffer for one more try at close; the
        file that was open is dropped (its articles were not recorded as stored: the next run
        fetches them again). The run ends with ``finish_reason`` ``output_error`` and a non-zero
        exit status either way.
        """
        path = writer.open_path or writer.directory
        writer.give_back(rows, keys)
        dropped = writer.abort()
        if dropped:
            self.stats.inc_value("newsclean/parquet/rows_dropped", dropped)
            logger.error("dropped %d rows of %s; the next run fetches them again", dropped, path)
        store_failed(self.crawler, OSError(f"cannot write {path}: {exc}"))

    async def close_spider(self) -> None:
        for writer in self.writers.values():
            await self.flush(writer)

    def salvage(self, deadline: float) -> int:
        """After a forced shutdown (the event loop stopped under the pipeline, ``close_spider``
        never ran): put what the writers hold in place by ``deadline`` (``time.monotonic``).

        Blocking, on the thread that ran the loop (the store's). A write still running in a
        thread is waited for until the deadline; a writer still busy then is left as it is (its
        file stays hidden and the next run fetches its articles again). Returns the rows put in
        place."""
        written = 0
        for writer in self.writers.values():
            if not writer.busy.acquire(timeout=max(0.0, deadline - time.monotonic())):
                logger.error("forced shutdown: %s still busy; its rows are not written",
                             writer.directory)
                continue
            try:
                rows, keys = writer.take()
                if rows:
                    writer.append(rows, keys)
                done = writer.commit()
            except OSError as exc:
                logger.error("forced shutdown: cannot write %s: %s", writer.directory, exc)
                continue
            finally:
                writer.busy.release()
            if done is not None:
                if done.keys:
                    try:
                        state_of(self.crawler).commit(done.path, done.keys)
                    except sqlite3.Error as exc:  # the file is in place; the next run indexes it
                        logger.error("forced shutdown: the store was not updated: %s", exc)
                table = writer.schema.metadata[b"newsclean.table"].decode()
                self.stats.inc_value(f"newsclean/{table}/written", done.rows)
                written += done.rows
        return written
