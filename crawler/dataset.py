"""Where things live under ``OUTPUT_DIR``, and the moves that keep the dataset readable.

The one place that knows the layout::

    OUTPUT_DIR/
      articles/ rejects/ runs/        the tables: ``<table>/crawl_date=YYYY-MM-DD/*.parquet``
      .staging/<table>/<partition>/   compaction's work, outside every table: no reader's
                                      ``articles/**/*.parquet`` glob or hive discovery reaches it
      .compact-journal.json           compaction's intent for the partition it is switching
      .trash/<token>/...              files compaction moved aside, purged after a day
      quarantine/<table>/<partition>/ files that cannot be read, each beside a ``.reason.txt``

Nothing here follows a symbolic link: a run refuses an ``OUTPUT_DIR`` whose own folders (the
tables, their partitions, ``.staging``, ``.trash``, ``quarantine``) are links, so that a move or a
delete can never land outside ``OUTPUT_DIR``. Only ``os`` calls: no pyarrow.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

logger = logging.getLogger(__name__)

TABLE_NAMES = ("articles", "rejects", "runs")
STAGING, TRASH, QUARANTINE = ".staging", ".trash", "quarantine"
JOURNAL = ".compact-journal.json"
_PARTITION = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=[^./][^/]*")
# what an older compaction left inside a table: ``.crawl_date=...compact-<token>``
_OLD_STAGING = re.compile(r"\.[A-Za-z_][A-Za-z0-9_]*=.*\.compact-.+")


class LayoutError(OSError):
    """``OUTPUT_DIR`` holds something newsclean will not work with (a symlinked folder)."""


def partitions(output_dir: Path, table: str) -> list[Path]:
    """The partition folders of ``table`` that readers see (``name=value``, not hidden)."""
    root = output_dir / table
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if _PARTITION.fullmatch(p.name) and p.is_dir() and not p.is_symlink())


def data_files(partition: Path) -> list[Path]:
    """The ``.parquet`` files of one partition a reader's glob sees (hidden ones included)."""
    return sorted(p for p in partition.iterdir() if p.name.endswith(".parquet"))


def check_own_folders(output_dir: Path) -> None:
    """Refuse an ``OUTPUT_DIR`` whose own folders are symbolic links (moves could leave it)."""
    own = [output_dir / name for name in (*TABLE_NAMES, STAGING, TRASH, QUARANTINE)]
    for table in TABLE_NAMES:
        if (output_dir / table).is_dir() and not (output_dir / table).is_symlink():
            own += [p for p in (output_dir / table).iterdir() if _PARTITION.fullmatch(p.name)]
    for path in own:
        if path.is_symlink():
            raise LayoutError(
                f"{path} is a symbolic link (to {os.readlink(path)}); newsclean moves and deletes "
                f"files there and never follows a link out of OUTPUT_DIR: make it a real folder"
            )


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def move(path: Path, target: Path) -> Path:
    """Rename ``path`` (a file or folder, never followed if a link) to ``target``'s place.

    ``target``'s folder is created; a name already taken gets a ``.1``, ``.2``… suffix.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    free, n = target, 0
    while free.exists() or free.is_symlink():
        n += 1
        free = target.with_name(f"{target.name}.{n}")
    os.rename(path, free)
    fsync_dir(free.parent)
    return free


def quarantine(output_dir: Path, path: Path, reason: str) -> Path:
    """Move a file readers cannot read to ``OUTPUT_DIR/quarantine/``, with ``reason`` beside it."""
    where = path.relative_to(output_dir)
    moved = move(path, output_dir / QUARANTINE / where)
    moved.with_name(f"{moved.name}.reason.txt").write_text(
        f"{where}: {reason}\n", encoding="utf-8"
    )
    logger.warning("quarantined %s (%s): moved to %s", where, reason, moved)
    return moved


def old_staging_folders(output_dir: Path) -> list[Path]:
    """Hidden staging folders an older compaction left inside a table (readers' ``**`` see them)."""
    found = []
    for table in TABLE_NAMES:
        root = output_dir / table
        if root.is_dir():
            found += [p for p in root.iterdir() if _OLD_STAGING.fullmatch(p.name)]
    return sorted(found)
