"""Compaction seen by readers: the README's recipes count every row exactly once, always.

Readers (DuckDB, polars, pandas, with the README's one-line recipes) loop in threads while
``scrapy compact`` merges hundreds of small files, and after ``kill -9`` of compaction at several
moments. A query may fail with "no such file" (it listed a file the switch then moved away) and
be rerun; it may never return a wrong count.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from conftest import REPO, crawl_env
from mockserver import SiteServer
from test_incremental import Site, crawl
from test_parquet import article_row

from pipelines.compact import KILL_AT
from pipelines.parquet import DatasetWriter

DAYS = ("2026-11-23", "2026-11-24", "2026-11-25")


def write_dataset(root: Path, files: int, rows: int) -> int:
    """``files`` small files of ``rows`` rows in each of three partitions; the rows written."""
    n = 0
    for day in DAYS:
        for f in range(files):
            writer = DatasetWriter(root, "articles", f"crawl_date={day}", f"run{f:04d}")
            writer.write([article_row(n + i) for i in range(rows)], writer.next_path())
            n += rows
    return n


def duckdb_count(out: Path) -> int:
    con = duckdb.connect()
    try:
        return con.sql(f"select count(*) from '{out}/articles/**/*.parquet'").fetchall()[0][0]
    finally:
        con.close()


def polars_count(out: Path) -> int:
    lf = pl.scan_parquet(f"{out}/articles/**/*.parquet", hive_partitioning=True)
    return lf.select(pl.len()).collect().item()


def polars_flat_count(out: Path) -> int:
    return pl.scan_parquet(f"{out}/articles/*/*.parquet").select(pl.len()).collect().item()


def pandas_count(out: Path) -> int:
    return len(pd.read_parquet(f"{out}/articles", columns=["url"]))


READERS: dict[str, Callable[[Path], int]] = {
    "duckdb": duckdb_count, "polars": polars_count, "polars */*": polars_flat_count,
    "pandas": pandas_count,
}


def stale_listing(exc: BaseException) -> bool:
    """A query that listed files the switch then moved away: it may be rerun."""
    return isinstance(exc, FileNotFoundError) or "no such file" in str(exc).lower()


def every_reader(out: Path) -> dict[str, int]:
    return {name: read(out) for name, read in READERS.items()}


def test_readers_count_exactly_during_compaction(tmp_path: Path):
    out = tmp_path / "out"
    expected = write_dataset(out, files=150, rows=4)
    assert set(every_reader(out).values()) == {expected}
    counts: dict[str, list[int]] = {name: [] for name in READERS}
    errors: list[str] = []
    done = threading.Event()

    def loop(name: str) -> None:
        while not done.is_set():
            try:
                counts[name].append(READERS[name](out))
            except Exception as exc:
                if not stale_listing(exc):
                    errors.append(f"{name}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=loop, args=(name,)) for name in READERS]
    for thread in threads:
        thread.start()
    try:
        proc = compact(out)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert proc.returncode == 0, proc.stderr
    assert "compacted 3 partition(s)" in proc.stdout
    assert errors == []
    for name, seen in counts.items():
        assert seen and set(seen) == {expected}, (name, sorted(set(seen)))
    assert every_reader(out) == dict.fromkeys(READERS, expected)
    assert sorted(p.parent.name for p in (out / "articles").rglob("*.parquet")) == [
        f"crawl_date={day}" for day in DAYS
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("template") / "out"
    return root, write_dataset(root, files=12, rows=5)


def compact(out: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    """``scrapy compact``; with ``kill_at``, it SIGKILLs itself at that step."""
    env = {**crawl_env(), **({KILL_AT: kill_at} if kill_at else {})}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "compact", "-s", f"OUTPUT_DIR={out}"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("step", ["merge", "after_journal", "after_switch"])
def test_kill_during_compaction_then_compact_and_crawl(
    tmp_path: Path, template: tuple[Path, int], step: str
):
    source, expected = template
    out = tmp_path / "out"
    shutil.copytree(source, out)
    killed = compact(out, kill_at=step)
    assert killed.returncode == -9, killed.stderr
    assert every_reader(out) == dict.fromkeys(READERS, expected)  # even before any recovery

    again = compact(out)
    assert again.returncode == 0, again.stderr
    assert every_reader(out) == dict.fromkeys(READERS, expected)
    assert not (out / ".staging").exists()
    assert not (out / ".compact-journal.json").exists()
    assert all(len(list(p.iterdir())) == 1 for p in (out / "articles").iterdir())

    site = Site(tmp_path / "site", count=2)
    with SiteServer(site.root) as server:
        proc = crawl(tmp_path, server)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert every_reader(out) == dict.fromkeys(READERS, expected + 2)
