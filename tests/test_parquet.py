"""The dataset writer: explicit schema, atomic files, unique names, readable by every tool."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipelines.parquet import DatasetWriter, remove_partial_files, write_atomic
from pipelines.schema import ARTICLES, REJECTS, SCHEMA_VERSION

REPO = Path(__file__).resolve().parents[1]


def article_row(n: int, **overrides) -> dict:
    row = {
        "url": f"http://127.0.0.1/a/{n}",
        "canonical_url": f"http://127.0.0.1/a/{n}",
        "site": "harbor",
        "domain": "127.0.0.1",
        "title": f"Story {n}",
        "authors": ["Ana Ruiz", "Bo Li"],
        "published_at": datetime(2026, 11, 24, 8, 30, tzinfo=UTC),
        "modified_at": None,
        "language": "en",
        "sitename": "Harbor Times",
        "description": None,
        "tags": [],
        "image_url": None,
        "text": f"First paragraph {n}.\nSecond paragraph — with ünïcödé.",
        "word_count": 6,
        "paywalled": False,
        "truncated": None,
        "boilerplate": ["Subscribe now"],
        "fetched_at": datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        "http_status": 200,
        "content_hash": f"{n:064x}",
        "crawl_id": "run1",
        "extractor_version": "test",
        "schema_version": SCHEMA_VERSION,
    }
    row.update(overrides)
    return row


def test_schema_is_explicit_and_versioned():
    assert ARTICLES.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert ARTICLES.field("authors").type == pa.list_(pa.string())
    assert ARTICLES.metadata[b"newsclean.schema_version"] == str(SCHEMA_VERSION).encode()
    assert {"url", "reason", "crawl_id"} <= set(REJECTS.names)


def test_writer_files_read_back_in_every_tool(tmp_path: Path):
    writer = DatasetWriter(tmp_path, "articles", "crawl_date=2026-11-25", "run1")
    for batch in (range(3), range(3, 5)):
        writer.write([article_row(n) for n in batch], writer.next_path())
    files = sorted((tmp_path / "articles" / "crawl_date=2026-11-25").iterdir())
    assert [f.name for f in files] == ["run1-00000.parquet", "run1-00001.parquet"]

    table = ds.dataset(tmp_path / "articles", partitioning="hive").to_table()
    assert table.num_rows == 5
    assert table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert table.column("crawl_date").to_pylist()[0] == "2026-11-25"
    assert pq.read_schema(files[0]).remove_metadata() == ARTICLES.remove_metadata()

    frame = pd.read_parquet(tmp_path / "articles")
    assert sorted(frame["url"]) == sorted(article_row(n)["url"] for n in range(5))
    assert str(frame["published_at"].dt.tz) == "UTC"
    glob = str(tmp_path / "articles" / "**" / "*.parquet")
    assert pl.scan_parquet(glob).select(pl.len()).collect().item() == 5
    rows = duckdb.sql(f"select title, authors from '{glob}' order by title").fetchall()
    assert rows[0] == ("Story 0", ["Ana Ruiz", "Bo Li"])
    assert "ünïcödé" in frame["text"].iloc[0]


def test_rows_stream_into_row_groups_of_a_file_put_in_place_at_commit(tmp_path: Path):
    writer = DatasetWriter(tmp_path, "articles", "crawl_date=2026-11-25", "run1")
    partition = tmp_path / "articles" / "crawl_date=2026-11-25"
    writer.append([article_row(n) for n in range(3)])
    writer.append([article_row(n) for n in range(3, 5)])
    assert [p.name for p in partition.iterdir()] == [".run1-00000.parquet.tmp"]  # not visible
    done = writer.commit()
    assert done is not None and (done.path.name, done.rows) == ("run1-00000.parquet", 5)
    meta = pq.ParquetFile(done.path).metadata
    assert (meta.num_row_groups, meta.num_rows) == (2, 5)
    assert pq.read_table(done.path).column("url").to_pylist() == [
        article_row(n)["url"] for n in range(5)
    ]
    writer.append([article_row(9)])  # a write that fails later: the open file is dropped
    assert writer.abort() == 1
    assert [p.name for p in partition.iterdir()] == ["run1-00000.parquet"]
    assert writer.commit() is None and writer.written == 5


def test_schema_rejects_bad_rows_before_any_file_exists(tmp_path: Path):
    writer = DatasetWriter(tmp_path, "articles", "crawl_date=2026-11-25", "run1")
    path = writer.next_path()
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        writer.write([article_row(1, word_count="many")], path)
    assert not path.exists()
    assert not path.parent.exists() or list(path.parent.iterdir()) == []  # no temporary file


def test_write_atomic_replaces_only_when_complete(tmp_path: Path):
    path = tmp_path / "p" / "x.parquet"
    table = pa.Table.from_pylist([article_row(1)], schema=ARTICLES)
    write_atomic(table, path)
    before = path.read_bytes()

    with pytest.raises((ValueError, OSError, pa.ArrowException)):
        write_atomic(table, path, compression="no-such-codec")  # fails inside the write
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["x.parquet"]


def test_two_runs_never_share_a_file_name(tmp_path: Path):
    a = DatasetWriter(tmp_path, "rejects", "crawl_date=2026-11-25", "run-a")
    b = DatasetWriter(tmp_path, "rejects", "crawl_date=2026-11-25", "run-b")
    assert a.next_path() != b.next_path()


def test_partial_files_of_a_killed_run_are_removed(tmp_path: Path):
    partition = tmp_path / "articles" / "crawl_date=2026-11-25"
    partition.mkdir(parents=True)
    (partition / ".run1-00000.parquet.tmp").write_bytes(b"PAR1 half written")
    (partition / "run0-00000.parquet").write_bytes(b"a finished file stays")
    assert remove_partial_files(tmp_path) == 1
    assert [p.name for p in partition.iterdir()] == ["run0-00000.parquet"]


def test_the_writer_leaves_pandas_out_of_the_crawl_process(tmp_path: Path):
    """pyarrow would import pandas (45 MB) into the reactor at the first file; it does not, and
    pandas still works in that process for whoever wants it."""
    rows = tmp_path / "rows.pickle"
    rows.write_bytes(pickle.dumps([article_row(n) for n in range(3)]))
    script = f"""
import pickle, sys
from pathlib import Path
import pipelines.parquet as parquet
assert "pandas" not in sys.modules
assert parquet.keep_pandas_out()
writer = parquet.DatasetWriter(Path({str(tmp_path)!r}), "articles", "crawl_date=2026-11-25", "r")
writer.append(pickle.loads(Path({str(rows)!r}).read_bytes()))
done = writer.commit()
assert "pandas" not in sys.modules, "pyarrow imported pandas"
import pyarrow.parquet as pq
assert pq.read_table(done.path).to_pandas().shape[0] == 3
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_indexing_a_file_left_by_a_killed_run_keeps_pyarrow_dataset_out(tmp_path: Path):
    """The store reads back a file a killed run put in place but never recorded; it does so
    without pyarrow.dataset (48 MB the crawl process would carry to its end)."""
    writer = DatasetWriter(tmp_path, "articles", "crawl_date=2026-11-25", "killed")
    writer.append([article_row(n) for n in range(3)])
    writer.commit()
    script = f"""
import sys
from pathlib import Path
from crawler.state import StateStore
store = StateStore.open(Path({str(tmp_path)!r}))
assert store.count() == 3, store.count()
assert store.lookup("http://127.0.0.1/a/2") is not None
assert "pyarrow.dataset" not in sys.modules, "pyarrow.dataset imported"
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
