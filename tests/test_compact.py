"""Compaction: many small files become one, and readers never see a missing or doubled row."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import run_scrapy
from mockserver import SiteServer
from test_incremental import Site, crawl
from test_parquet import article_row

from pipelines.compact import compact_dataset, exchange, merge_files, recover
from pipelines.parquet import DatasetWriter


def write_files(root: Path, files: int, rows: int) -> None:
    for f in range(files):
        writer = DatasetWriter(root, "articles", "crawl_date=2026-11-25", f"run{f}")
        batch = [article_row(f * rows + n) for n in range(rows)]
        writer.write(batch, writer.next_path())


def count_rows(root: Path) -> int | None:
    """Rows a reader sees now; None when the listing went stale under it (it would retry)."""
    try:
        return ds.dataset(root / "articles", partitioning="hive").count_rows()
    except (FileNotFoundError, OSError):
        return None


def test_exchange_swaps_two_folders(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "from-a").touch()
    exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert list((tmp_path / "a").iterdir()) == []


def test_compaction_merges_and_readers_never_see_a_wrong_count(tmp_path: Path):
    write_files(tmp_path, files=12, rows=50)
    before = sorted(ds.dataset(tmp_path / "articles").to_table().column("url").to_pylist())
    seen: list[int | None] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set() and len(seen) < 5000:
            seen.append(count_rows(tmp_path))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        results = compact_dataset(tmp_path).compacted
    finally:
        done.set()
        thread.join()
    assert [(r.files_before, r.rows) for r in results] == [(12, 600)]
    partition = tmp_path / "articles" / "crawl_date=2026-11-25"
    assert [p.name for p in partition.iterdir()] == [results[0].merged.name]
    after = sorted(ds.dataset(tmp_path / "articles").to_table().column("url").to_pylist())
    assert after == before
    assert {n for n in seen if n is not None} <= {600}
    assert pq.ParquetFile(results[0].merged).schema_arrow.field("published_at").type.tz == "UTC"
    assert compact_dataset(tmp_path).compacted == []  # nothing left to merge
    assert not (tmp_path / ".staging").exists()
    assert not (tmp_path / ".compact-journal.json").exists()


def test_compact_command_after_several_runs(tmp_path: Path):
    site = Site(tmp_path / "site", count=2)
    with SiteServer(site.root) as server:
        for n in range(2, 4):
            assert crawl(tmp_path, server).returncode == 0
            site.put(n, site.lastmod[0])
            site.publish()
        out = tmp_path / "out"
        files = list((out / "articles").rglob("*.parquet"))
        assert len(files) == 2
        proc = run_scrapy("compact", settings={"OUTPUT_DIR": str(out)})
        assert proc.returncode == 0, proc.stderr
        assert "compacted" in proc.stdout
        assert len(list((out / "articles").rglob("*.parquet"))) == 1
        server.clear()
        again = crawl(tmp_path, server)  # the store still knows everything
        assert again.returncode == 0
        assert [p for p in server.requests if p.startswith("/news/")] == [
            site.path(3)
        ]
    urls = ds.dataset(out / "articles").to_table().column("canonical_url").to_pylist()
    assert len(urls) == len(set(urls)) == 4


def staged_compaction(root: Path, switched: bool) -> tuple[Path, Path]:
    """What a compaction killed right after journaling (or after its swap) leaves."""
    write_files(root, files=3, rows=5)
    partition = root / "articles" / "crawl_date=2026-11-25"
    staged = root / ".staging" / "articles" / partition.name
    staged.mkdir(parents=True)
    files = sorted(partition.iterdir())
    merge_files(files, staged / "compact-x.parquet", "articles")
    (root / ".compact-journal.json").write_text(json.dumps({
        "table": "articles", "partition": partition.name, "merged": "compact-x.parquet",
        "sources": [p.name for p in files]}))
    if switched:
        exchange(staged, partition)
    return partition, staged


@pytest.mark.parametrize("switched", [False, True])
def test_recover_finishes_or_rolls_back(tmp_path: Path, switched: bool):
    partition, _ = staged_compaction(tmp_path, switched)
    note = recover(tmp_path)
    assert note is not None and note.startswith("finished" if switched else "rolled back")
    names = [p.name for p in partition.iterdir()]
    assert len(names) == (1 if switched else 3)
    assert ("compact-x.parquet" in names) is switched
    assert ds.dataset(tmp_path / "articles").count_rows() == 15
    assert not (tmp_path / ".staging").exists()
    assert not (tmp_path / ".compact-journal.json").exists()
    trashed = list((tmp_path / ".trash").rglob("*.parquet")) if switched else []
    assert len(trashed) == (3 if switched else 0)
    assert recover(tmp_path) is None  # nothing left to do


def test_recover_with_an_unreadable_journal_drops_what_is_staged(tmp_path: Path):
    partition, _ = staged_compaction(tmp_path, switched=False)
    (tmp_path / ".compact-journal.json").write_text("{not json")
    recover(tmp_path)
    assert len(list(partition.iterdir())) == 3
    assert not (tmp_path / ".staging").exists()
    assert not (tmp_path / ".compact-journal.json").exists()
