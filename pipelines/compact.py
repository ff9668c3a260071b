"""Compaction: merge the small files of a partition into one, with snapshot semantics.

Many short cron runs leave many small files; readers are faster on a few large ones. For each
partition with more than one file:

1. its rows are streamed (batch by batch, never the whole partition in memory) into one file in
   ``OUTPUT_DIR/.staging/<table>/<partition>/``, outside every table: no reader's glob
   (``articles/**/*.parquet``) or hive discovery can reach it; the file is fsynced and its rows
   counted against the sources';
2. the intent is journaled (``OUTPUT_DIR/.compact-journal.json``, written atomically);
3. the staged folder and the partition are swapped in one ``renameat2(RENAME_EXCHANGE)`` call:
   a reader that lists the partition sees either all the old files or the merged one, never both,
   never neither (a query that listed the old files and opens one after the swap fails with "no
   such file" and succeeds when rerun);
4. the old files, now in the staged folder, go to ``OUTPUT_DIR/.trash/`` (purged after a day) and
   the journal is removed.

A compaction killed at any moment is finished or rolled back by the next compaction or crawl
(``recover``): if the journaled partition already holds the merged file, the swap happened and
only the move to the trash is left; otherwise whatever is staged is dropped and the partition,
never touched, stays as it was. Files that cannot be read are quarantined first.
"""

from __future__ import annotations

import ctypes
import errno
import json
import logging
import os
import secrets
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dataset import (
    JOURNAL,
    STAGING,
    TABLE_NAMES,
    TRASH,
    check_own_folders,
    fsync_dir,
    move,
    old_staging_folders,
    partitions,
    quarantine,
)
from pipelines.parquet import quarantine_unreadable
from pipelines.schema import TABLES

logger = logging.getLogger(__name__)

RENAME_EXCHANGE = 2
AT_FDCWD = -100
TRASH_TTL = 24 * 3600  # seconds the old files stay in .trash/
KILL_AT = "NEWSCLEAN_TEST_KILL_AT"  # tests: SIGKILL this process at a named step


class CompactError(OSError):
    """A partition cannot be compacted safely (the filesystem cannot swap folders atomically)."""


@dataclass(frozen=True)
class Compacted:
    partition: Path
    files_before: int
    rows: int
    merged: Path


@dataclass
class Report:
    """What one ``compact_dataset`` call did."""

    compacted: list[Compacted] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)
    recovered: str | None = None
    purged: int = 0


class Unreadable(Exception):
    """A source file failed while being merged."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        hint = (" (this filesystem cannot swap folders atomically; compaction needs ext4, xfs, "
                "btrfs or tmpfs)" if code in (errno.EINVAL, errno.ENOSYS) else "")
        raise CompactError(code, f"cannot swap {a} and {b}: {os.strerror(code)}{hint}")


def _kill_point(step: str) -> None:
    """Tests only: a real SIGKILL at a named step (``NEWSCLEAN_TEST_KILL_AT=step``)."""
    if os.environ.get(KILL_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.Table:
    """``batch`` in ``schema``: columns an older file lacks (nullable ones) come back as nulls."""
    table = pa.Table.from_batches([batch])
    for column in schema:
        if column.name not in table.column_names:
            table = table.append_column(column.name, pa.nulls(len(table), column.type))
    return table.select(schema.names).cast(schema)


def merge_files(files: list[Path], target: Path, table: str, compression: str = "zstd") -> int:
    """Stream the rows of ``files`` (in order) into one file ``target``; return the row count."""
    schema = TABLES[table]
    rows = 0
    with pq.ParquetWriter(target, schema, compression=compression) as writer:
        for path in files:
            for batch in _batches(path):
                writer.write_table(conform(batch, schema))
                rows += batch.num_rows
            _kill_point("merge")
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    return rows


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    """The batches of one source file, read as they are needed; a read error is ``Unreadable``."""
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=20_000)
        while (batch := next(batches, None)) is not None:
            yield batch
    except (OSError, pa.ArrowException) as exc:
        raise Unreadable(path, f"{type(exc).__name__}: {exc}") from None


def _write_journal(output_dir: Path, entry: dict[str, Any]) -> None:
    path = output_dir / JOURNAL
    tmp = path.with_name(f"{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(entry, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(output_dir)


def _clear_journal(output_dir: Path) -> None:
    (output_dir / JOURNAL).unlink(missing_ok=True)
    fsync_dir(output_dir)


def _read_journal(output_dir: Path) -> dict[str, Any] | None:
    try:
        entry = json.loads((output_dir / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("unreadable compaction journal (%s): what is staged is dropped", exc)
        return None
    ok = isinstance(entry, dict) and entry.get("table") in TABLE_NAMES and all(
        isinstance(entry.get(k), str) and "/" not in entry[k] for k in ("partition", "merged")
    )
    return entry if ok else None


def _trash_dir(output_dir: Path, token: str) -> Path:
    return output_dir / TRASH / token


def recover(output_dir: Path) -> str | None:
    """Finish or roll back what a killed compaction left (call with the run lock held)."""
    check_own_folders(output_dir)
    note = None
    entry = _read_journal(output_dir)
    if entry is not None:
        name = f"{entry['table']}/{entry['partition']}"
        staged = output_dir / STAGING / entry["table"] / entry["partition"]
        if (output_dir / entry["table"] / entry["partition"] / entry["merged"]).is_file():
            if staged.is_dir():  # the swap happened: the old files wait here
                move(staged, _trash_dir(output_dir, _token()) / entry["table"] / staged.name)
            note = f"finished the compaction of {name} that a killed run had switched"
        else:
            note = f"rolled back the compaction of {name} that a killed run had not switched"
    staging = output_dir / STAGING
    if staging.is_dir():  # merged copies never switched in: the partitions hold every row
        shutil.rmtree(staging)
    for folder in old_staging_folders(output_dir):  # an older compaction's hidden folder
        move(folder, _trash_dir(output_dir, _token()) / folder.parent.name / folder.name)
        note = note or f"moved {folder.name} out of {folder.parent.name}/"
    if entry is not None or (output_dir / JOURNAL).exists():
        _clear_journal(output_dir)
    if note:
        logger.warning("compaction: %s", note)
    return note


def _token() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{secrets.token_hex(4)}"


def compact_partition(output_dir: Path, table: str, partition: Path) -> Compacted | None:
    """Merge the files of one partition; ``None`` when there is nothing to merge."""
    entries = list(partition.iterdir())
    files = sorted(p for p in entries
                   if p.name.endswith(".parquet") and p.is_file() and not p.is_symlink())
    if len(files) < 2:
        return None
    if len(files) != len(entries):
        logger.warning("not compacting %s: it holds entries that are not Parquet files (%s)",
                       partition, ", ".join(sorted(p.name for p in set(entries) - set(files))))
        return None
    token = _token()
    staged = output_dir / STAGING / table / partition.name
    staged.mkdir(parents=True)
    merged = staged / f"compact-{token}.parquet"
    try:
        rows = merge_files(files, merged, table)
        expected = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
        if rows != expected or pq.ParquetFile(merged).metadata.num_rows != expected:
            raise RuntimeError(f"row count mismatch merging {partition}: {rows} != {expected}")
        fsync_dir(staged)
        _write_journal(output_dir, {"table": table, "partition": partition.name,
                                    "merged": merged.name, "sources": [p.name for p in files]})
        _kill_point("after_journal")
        exchange(staged, partition)  # the one atomic step
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        _clear_journal(output_dir)
        raise
    fsync_dir(partition.parent)
    _kill_point("after_switch")
    move(staged, _trash_dir(output_dir, token) / table / partition.name)
    _clear_journal(output_dir)
    return Compacted(partition, len(files), rows, partition / merged.name)


def purge_trash(output_dir: Path, ttl: float = TRASH_TTL) -> int:
    """Delete what compaction moved aside more than ``ttl`` seconds ago (links: the link only)."""
    trash = output_dir / TRASH
    if not trash.is_dir() or trash.is_symlink():
        return 0
    now, purged = time.time(), 0
    for entry in trash.iterdir():
        if now - entry.lstat().st_mtime <= ttl:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)  # never follows a link inside (fd-based on Linux)
        else:
            entry.unlink()
        purged += 1
    return purged


def compact_dataset(output_dir: Path) -> Report:
    """Recover, quarantine, purge, then compact every partition of every table."""
    report = Report(recovered=recover(output_dir))
    report.quarantined = quarantine_unreadable(output_dir)
    report.purged = purge_trash(output_dir)
    for table in TABLE_NAMES:
        for partition in partitions(output_dir, table):
            while True:
                try:
                    done = compact_partition(output_dir, table, partition)
                except Unreadable as exc:  # broken past its footer: out of the way, try again
                    report.quarantined.append(quarantine(output_dir, exc.path, exc.reason))
                    continue
                break
            if done is not None:
                report.compacted.append(done)
    if (output_dir / STAGING).is_dir():  # emptied: every staged folder was switched and moved
        shutil.rmtree(output_dir / STAGING)
    return report

