"""Compaction: merge the small files of a partition into one, atomically.

Many short cron runs leave many small files; readers are faster on a few large ones. For each
partition with more than one file, the rows are streamed (batch by batch, never the whole
partition in memory) into a new file in a hidden sibling folder; the two folders are then swapped
in one atomic ``renameat2(RENAME_EXCHANGE)`` call, so a reader sees either all the old files or the
merged one — never a missing or doubled row. The old files are moved to ``OUTPUT_DIR/.trash/``
(readers that already opened them keep working) and purged by a later compaction after a day.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.schema import TABLES

RENAME_EXCHANGE = 2
AT_FDCWD = -100
TRASH_TTL = 24 * 3600  # seconds the old files stay in .trash/


@dataclass(frozen=True)
class Compacted:
    partition: Path
    files_before: int
    rows: int
    merged: Path


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot swap {a} and {b}: {os.strerror(errno)}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` in ``schema``: columns an older schema version lacks are added as nulls."""
    for field in schema:
        if field.name not in table.column_names:
            table = table.append_column(field, pa.nulls(len(table), field.type))
    return table.select(schema.names).cast(schema)


def merge_files(files: list[Path], target: Path, table: str, compression: str = "zstd") -> int:
    """Stream the rows of ``files`` (in order) into one file ``target``; return the row count."""
    schema = TABLES[table]
    rows = 0
    with pq.ParquetWriter(target, schema, compression=compression) as writer:
        for path in files:
            source = pq.ParquetFile(path)
            for batch in source.iter_batches(batch_size=20_000):
                writer.write_table(conform(pa.Table.from_batches([batch]), schema))
                rows += batch.num_rows
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    return rows


def compact_partition(partition: Path, table: str, trash: Path) -> Compacted | None:
    """Merge the files of one partition; ``None`` when there is nothing to merge."""
    files = sorted(partition.glob("*.parquet"))
    if len(files) < 2:
        return None
    token = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{secrets.token_hex(4)}"
    staging = partition.with_name(f".{partition.name}.compact-{token}")
    staging.mkdir()
    merged = staging / f"compact-{token}.parquet"
    try:
        rows = merge_files(files, merged, table)
        expected = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
        if rows != expected or pq.ParquetFile(merged).metadata.num_rows != expected:
            raise RuntimeError(f"row count mismatch merging {partition}: {rows} != {expected}")
        _fsync_dir(staging)
        exchange(staging, partition)  # the one atomic step
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    trash.mkdir(parents=True, exist_ok=True)
    os.replace(staging, trash / f"{table}-{partition.name}-{token}")
    _fsync_dir(partition.parent)
    return Compacted(partition, len(files), rows, partition / merged.name)


def purge_trash(trash: Path, ttl: float = TRASH_TTL) -> int:
    """Delete what compaction moved aside more than ``ttl`` seconds ago."""
    if not trash.is_dir():
        return 0
    now, purged = time.time(), 0
    for entry in trash.iterdir():
        if now - entry.stat().st_mtime > ttl:
            shutil.rmtree(entry, ignore_errors=True)
            purged += 1
    return purged


def compact_dataset(output_dir: Path) -> list[Compacted]:
    """Compact every partition of every table under ``output_dir``."""
    trash = output_dir / ".trash"
    purge_trash(trash)
    done = []
    for table in TABLES:
        for partition in sorted((output_dir / table).glob("*=*")):
            if partition.is_dir() and (result := compact_partition(partition, table, trash)):
                done.append(result)
    return done
