"""Stray and broken files in OUTPUT_DIR: out of the readers' way, counted; nothing outside touched.

A zero-byte or truncated ``.parquet`` in a partition goes to ``OUTPUT_DIR/quarantine/`` with its
reason, the run goes on (exit 0) and counts it in ``runs``; a symlinked own folder stops the run
before anything is moved; an older compaction's hidden folder is moved out of the table.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from mockserver import SiteServer
from test_compact_readers import READERS, compact, every_reader
from test_incremental import Site, crawl
from test_parquet import article_row

from pipelines.compact import compact_dataset, purge_trash
from pipelines.parquet import DatasetWriter
from pipelines.schema import RUNS

PARTITION = "crawl_date=2026-11-25"


def good_files(out: Path, files: int = 3, rows: int = 4) -> int:
    for f in range(files):
        writer = DatasetWriter(out, "articles", PARTITION, f"good{f}")
        writer.write([article_row(f * rows + n) for n in range(rows)], writer.next_path())
    return files * rows


def bad_files(out: Path) -> list[str]:
    """A zero-byte file and a truncated one in ``articles``, a truncated one in ``rejects``."""
    articles = out / "articles" / PARTITION
    (articles / "empty.parquet").write_bytes(b"")
    whole = (articles / "good0-00000.parquet").read_bytes()
    (articles / "cut.parquet").write_bytes(whole[: len(whole) // 2])
    (out / "rejects" / PARTITION).mkdir(parents=True)
    (out / "rejects" / PARTITION / "cut.parquet").write_bytes(whole[:100])
    return ["articles/" + PARTITION + "/cut.parquet", "articles/" + PARTITION + "/empty.parquet",
            "rejects/" + PARTITION + "/cut.parquet"]


def quarantined(out: Path) -> list[str]:
    root = out / "quarantine"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))


def test_crawl_quarantines_unreadable_files_and_goes_on(tmp_path: Path):
    out = tmp_path / "out"
    rows = good_files(out)
    names = bad_files(out)
    site = Site(tmp_path / "site", count=2)
    with SiteServer(site.root) as server:
        proc = crawl(tmp_path, server)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "quarantined" in proc.stderr
    assert quarantined(out) == names
    reason = (out / "quarantine" / names[1]).with_name("empty.parquet.reason.txt").read_text()
    assert "empty.parquet" in reason and "0 bytes" in reason
    assert every_reader(out) == dict.fromkeys(READERS, rows + 2)
    runs = ds.dataset(out / "runs", partitioning="hive").to_table().to_pylist()
    assert [r["quarantined"] for r in runs] == [3]


def test_compact_quarantines_unreadable_files_and_goes_on(tmp_path: Path):
    out = tmp_path / "out"
    rows = good_files(out)
    names = bad_files(out)
    proc = compact(out)
    assert proc.returncode == 0, proc.stderr
    assert "3 unreadable file(s) quarantined" in proc.stdout
    assert quarantined(out) == names
    assert every_reader(out) == dict.fromkeys(READERS, rows)
    assert len(list((out / "articles" / PARTITION).iterdir())) == 1


def test_trash_symlink_is_refused_and_left_untouched(tmp_path: Path):
    outside = tmp_path / "precious"
    (outside / "old-folder").mkdir(parents=True)
    (outside / "old-folder" / "keep.txt").write_text("mine")
    day_old = time.time() - 3 * 24 * 3600
    os.utime(outside / "old-folder", (day_old, day_old))
    out = tmp_path / "out"
    rows = good_files(out)
    (out / ".trash").symlink_to(outside)
    proc = compact(out)
    assert proc.returncode == 2, proc.stderr
    assert ".trash is a symbolic link" in proc.stderr
    assert (outside / "old-folder" / "keep.txt").read_text() == "mine"
    assert [p.name for p in outside.iterdir()] == ["old-folder"]
    assert len(list((out / "articles" / PARTITION).iterdir())) == 3  # nothing was moved
    assert every_reader(out) == dict.fromkeys(READERS, rows)
    site = Site(tmp_path / "site", count=1)
    with SiteServer(site.root) as server:
        refused = crawl(tmp_path, server)
    assert refused.returncode == 2 and ".trash is a symbolic link" in refused.stderr
    assert server.requests == []


def test_purge_never_follows_a_link_in_the_trash(tmp_path: Path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    trash = tmp_path / "out" / ".trash"
    (trash / "old").mkdir(parents=True)
    (trash / "old" / "link").symlink_to(outside)
    (trash / "link").symlink_to(outside)
    day_old = time.time() - 3 * 24 * 3600
    for path in (trash / "old", trash / "link"):
        os.utime(path, (day_old, day_old), follow_symlinks=False)
    assert purge_trash(tmp_path / "out") == 2
    assert list(trash.iterdir()) == []
    assert (outside / "keep.txt").read_text() == "mine"


def test_old_compaction_folder_inside_a_table_is_moved_out(tmp_path: Path):
    out = tmp_path / "out"
    rows = good_files(out)
    old = out / "articles" / f".{PARTITION}.compact-20261120T000000Z-1a2b3c4d"
    old.mkdir()
    (old / "compact-20261120T000000Z-1a2b3c4d.parquet").write_bytes(b"PAR1 cut short")
    proc = compact(out)
    assert proc.returncode == 0, proc.stderr
    assert not old.exists()
    assert [p.name for p in (out / "articles").iterdir()] == [PARTITION]
    assert every_reader(out) == dict.fromkeys(READERS, rows)


def test_runs_files_without_the_quarantined_column_still_read(tmp_path: Path):
    out = tmp_path / "out"
    row = {
        "crawl_id": "old", "started_at": article_row(0)["fetched_at"],
        "finished_at": article_row(0)["fetched_at"], "sites": ["harbor"], "requests": 1,
        "responses_by_status": {"200": 1}, "articles_written": 1, "skipped_known": 0,
        "duplicates": 0, "rejects_by_reason": {}, "errors": 0, "finish_reason": "finished",
        "exit_status": 0, "schema_version": 1,
    }
    old_schema = RUNS.remove(RUNS.get_field_index("quarantined"))
    folder = out / "runs" / PARTITION
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row], schema=old_schema), folder / "old.parquet")
    pq.write_table(pa.Table.from_pylist([{**row, "crawl_id": "new", "quarantined": 2}],
                                        schema=RUNS), folder / "new.parquet")
    table = ds.dataset(out / "runs", schema=RUNS).to_table()
    assert sorted(zip(table["crawl_id"].to_pylist(), table["quarantined"].to_pylist(),
                      strict=True)) == [("new", 2), ("old", None)]
    glob = f"{out}/runs/**/*.parquet"
    assert duckdb.sql(f"select count(quarantined) from read_parquet('{glob}', "
                      "union_by_name = true)").fetchall() == [(1,)]
    assert compact(out).returncode == 0
    merged = pq.read_table(next(folder.iterdir()))
    assert sorted(merged["quarantined"].to_pylist(), key=str) == [2, None]


def test_file_broken_past_its_footer_is_quarantined_by_compaction(tmp_path: Path):
    out = tmp_path / "out"
    rows = good_files(out, files=3, rows=400)
    broken = out / "articles" / PARTITION / "good1-00000.parquet"
    data = bytearray(broken.read_bytes())
    data[100:2000] = bytes(1900)  # the footer still reads; the column chunks do not
    broken.write_bytes(bytes(data))
    report = compact_dataset(out)
    assert [p.relative_to(out / "quarantine").as_posix() for p in report.quarantined] == [
        f"articles/{PARTITION}/good1-00000.parquet"
    ]
    assert [(c.files_before, c.rows) for c in report.compacted] == [(2, rows - 400)]
    assert every_reader(out) == dict.fromkeys(READERS, rows - 400)
