"""Scheduled crawls: incremental, deduplicated, resumable, crash-safe, locked, observable.

A small site is generated into a temporary folder and served from it, so a test can change the
site between two runs the way a real site changes between two cron runs.
"""

from __future__ import annotations

import fcntl
import resource
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import FAST, REPO, crawl_env, run_scrapy
from mockserver import SiteServer

LEDE = "The county board voted on {topic} after a long evening of public comment at the hall."
BODY = (
    "Residents from both sides of the river spoke for and against the plan, and several asked "
    "the board to publish the full cost estimate before any contract is signed."
)


def story(n: int, version: int = 1) -> str:
    topic = f"proposal number {n}"
    lines = [LEDE.format(topic=topic), *(f"{BODY} Point {i} of item {n}." for i in range(4))]
    if version > 1:
        lines.append(f"Update {version}: the board has since approved item {n} by seven to two.")
    paragraphs = "".join(f"<p>{line}</p>" for line in lines)
    return (
        f'<html lang="en"><head><title>Item {n}</title>'
        f'<link rel="canonical" href="{{{{BASE}}}}/news/item-{n}-of-the-county-board.html">'
        f"</head><body><article><h1>Item {n}</h1>{paragraphs}</article></body></html>"
    )


class Site:
    """A generated news site: articles, a home page linking them, a sitemap with lastmod."""

    def __init__(self, root: Path, count: int) -> None:
        self.root = root
        self.lastmod: dict[int, datetime] = {}
        self.versions: dict[int, int] = {}
        (root / "news").mkdir(parents=True)
        (root / "robots.txt").write_text("User-agent: *\nSitemap: {{BASE}}/sitemap.xml\n")
        for n in range(count):
            self.put(n, datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=n))
        self.publish()

    def path(self, n: int) -> str:
        return f"/news/item-{n}-of-the-county-board.html"

    def put(self, n: int, lastmod: datetime, version: int = 1) -> None:
        self.lastmod[n], self.versions[n] = lastmod, version
        (self.root / self.path(n).lstrip("/")).write_text(story(n, version))

    def remove(self, n: int) -> None:
        del self.lastmod[n], self.versions[n]
        (self.root / self.path(n).lstrip("/")).unlink()

    def publish(self) -> None:
        urls = "".join(
            f"<url><loc>{{{{BASE}}}}{self.path(n)}</loc><lastmod>{m.isoformat()}</lastmod></url>"
            for n, m in sorted(self.lastmod.items())
        )
        (self.root / "sitemap.xml").write_text(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>"
        )
        links = "".join(f'<a href="{self.path(n)}">Item {n}</a>' for n in sorted(self.lastmod))
        (self.root / "index.html").write_text(f"<html><body>{links}</body></html>")


def sites_file(tmp: Path, server: SiteServer) -> Path:
    path = tmp / "sites.toml"
    path.write_text(f'[[sites]]\nname = "county"\nstart_urls = ["{server.url}/"]\n')
    return path


def crawl(tmp: Path, server: SiteServer, **settings: str) -> subprocess.CompletedProcess:
    return run_scrapy(
        "crawl", "news", "-a", f"sites={sites_file(tmp, server)}",
        settings={"OUTPUT_DIR": str(tmp / "out"), **settings},
    )


def article_paths(server: SiteServer) -> list[str]:
    return [p for p in server.requests if p.startswith("/news/")]


def articles(out: Path) -> list[dict]:
    table = ds.dataset(out / "articles", partitioning="hive").to_table()
    return table.to_pylist()


def every_file_readable(out: Path, *, after_kill: bool = False) -> None:
    for path in out.rglob("*.parquet"):
        pq.read_table(path)  # raises on a partial or corrupt file
    if not after_kill:  # a kill mid-write leaves a hidden .tmp; the next run removes it
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_second_run_fetches_only_new_and_updated(tmp_path: Path):
    site = Site(tmp_path / "site", count=6)
    with SiteServer(site.root) as server:
        first = crawl(tmp_path, server)
        assert first.returncode == 0, first.stderr[-3000:]
        assert sorted(article_paths(server)) == sorted(site.path(n) for n in range(6))

        site.put(6, datetime(2026, 11, 20, tzinfo=UTC))  # new
        site.put(2, datetime.now(UTC), version=2)  # updated since the first run: newer lastmod
        site.remove(4)  # gone from the site
        site.publish()
        server.clear()
        second = crawl(tmp_path, server)
        assert second.returncode == 0, second.stderr[-3000:]
        assert sorted(article_paths(server)) == sorted([site.path(6), site.path(2)])
        assert "2 articles written" in second.stderr

    rows = articles(tmp_path / "out")
    canon = sorted(r["canonical_url"].rsplit("/", 1)[1] for r in rows)
    assert len(canon) == 8  # 6 + the new one + the update of item 2
    assert canon.count("item-2-of-the-county-board.html") == 2
    glob = f"{tmp_path}/out/articles/**/*.parquet"
    latest = duckdb.sql(  # "latest version of each article", as sql/views.sql's latest_articles
        f"select canonical_url, text from '{glob}' "
        "qualify row_number() over (partition by canonical_url order by fetched_at desc) = 1"
    ).fetchall()
    assert len(latest) == 7
    item2 = next(text for url, text in latest if url.endswith("/item-2-of-the-county-board.html"))
    assert "approved item 2" in item2
    runs = ds.dataset(tmp_path / "out" / "runs", partitioning="hive").to_table().to_pylist()
    assert sorted(r["articles_written"] for r in runs) == [2, 6]
    assert sorted(r["skipped_known"] > 0 for r in runs) == [False, True]
    assert all(r["exit_status"] == 0 and r["finish_reason"] == "finished" for r in runs)


def test_same_text_under_a_new_url_is_a_duplicate(tmp_path: Path):
    site = Site(tmp_path / "site", count=3)
    with SiteServer(site.root) as server:
        assert crawl(tmp_path, server).returncode == 0
        copy = (site.root / "news" / "item-1-of-the-county-board.html").read_text()
        (site.root / "news" / "syndicated-copy-of-item-one-today.html").write_text(
            copy.replace('<link rel="canonical"', '<link rel="x"')
        )
        (site.root / "index.html").write_text(
            '<html><body><a href="/news/syndicated-copy-of-item-one-today.html">x</a></body></html>'
        )
        server.clear()
        assert crawl(tmp_path, server).returncode == 0
        server.clear()
        third = crawl(tmp_path, server)  # the alias is remembered: not fetched again
        assert article_paths(server) == []
    rejects = ds.dataset(tmp_path / "out" / "rejects", partitioning="hive").to_table().to_pylist()
    dup = [r for r in rejects if r["reason"] == "duplicate_content"]
    assert len(dup) == 1 and dup[0]["url"].endswith("syndicated-copy-of-item-one-today.html")
    assert "item-1-of-the-county-board.html" in dup[0]["detail"]
    assert len(articles(tmp_path / "out")) == 3
    assert third.returncode == 0


class CountingServer(SiteServer):
    """Sets an event once it has served ``threshold`` article pages."""

    def __init__(self, root: Path, threshold: int) -> None:
        super().__init__(root)
        self.threshold = threshold
        self.reached = threading.Event()

    def record(self, path: str) -> None:
        super().record(path)
        if path.startswith("/news/") and len(article_paths(self)) >= self.threshold:
            self.reached.set()


@pytest.mark.parametrize("kill_after", [1, 9, 20])
def test_kill_9_then_rerun_stores_every_article_once(tmp_path: Path, kill_after: int):
    site = Site(tmp_path / "site", count=24)
    out = tmp_path / "out"
    with CountingServer(site.root, kill_after) as server:
        command = [sys.executable, "-m", "scrapy", "crawl", "news",
                   "-a", f"sites={sites_file(tmp_path, server)}"]
        for key, value in {**FAST, "OUTPUT_DIR": str(out), "PARQUET_ROWS_PER_FILE": "3",
                           "PARQUET_ROWS_PER_GROUP": "1",  # killed mid-file as well
                           "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}.items():
            command += ["-s", f"{key}={value}"]
        proc = subprocess.Popen(command, cwd=REPO, env=crawl_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert server.reached.wait(timeout=120), "the crawl never got that far"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait(timeout=60)
        every_file_readable(out, after_kill=True)  # whatever the moment of the kill
        rerun = crawl(tmp_path, server, PARQUET_ROWS_PER_FILE="2")
        assert rerun.returncode == 0, rerun.stderr[-3000:]
    every_file_readable(out)
    urls = [r["canonical_url"] for r in articles(out)]
    assert len(urls) == len(set(urls)) == 24


def test_overlapping_run_exits_with_a_clear_message(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as held:  # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        site = Site(tmp_path / "site", count=1)
        with SiteServer(site.root) as server:
            proc = crawl(tmp_path, server)
            assert server.requests == []
    assert proc.returncode == 75
    assert "in use" in proc.stderr and "not starting a second run" in proc.stderr
    assert not (out / "articles").exists()


def test_output_that_is_not_a_folder_stops_before_any_request(tmp_path: Path):
    site = Site(tmp_path / "site", count=1)
    (tmp_path / "out").write_text("a file where the dataset should be")
    with SiteServer(site.root) as server:
        proc = crawl(tmp_path, server)
        assert server.requests == []
    assert proc.returncode == 2
    assert "not writable" in proc.stderr


def test_full_disk_fails_clearly_and_corrupts_nothing(tmp_path: Path):
    """A file size limit (RLIMIT_FSIZE) makes every write past 20 kB fail, like a full disk."""
    site = Site(tmp_path / "site", count=12)
    out = tmp_path / "out"

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    with SiteServer(site.root) as server:
        command = [sys.executable, "-m", "scrapy", "crawl", "news",
                   "-a", f"sites={sites_file(tmp_path, server)}"]
        for key, value in {**FAST, "OUTPUT_DIR": str(out)}.items():
            command += ["-s", f"{key}={value}"]
        proc = subprocess.run(command, cwd=REPO, env=crawl_env(), capture_output=True,
                              text=True, timeout=240, preexec_fn=small_files, check=False)
    assert proc.returncode != 0, proc.stderr[-3000:]
    assert "unusable: disk I/O error" in proc.stderr or "could not write" in proc.stderr
    every_file_readable(out)


def test_write_failure_mid_run_stops_the_run_and_keeps_what_was_written(tmp_path: Path):
    """The articles folder cannot be created (a file is in the way): a failing filesystem call."""
    site = Site(tmp_path / "site", count=4)
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles").write_text("in the way")
    with SiteServer(site.root) as server:
        proc = crawl(tmp_path, server, PARQUET_ROWS_PER_FILE="1")  # the first row fails
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "FAILED: could not write the dataset" in proc.stderr
    assert "cannot write" in proc.stderr
    every_file_readable(out)
    runs = ds.dataset(out / "runs", partitioning="hive").to_table().to_pylist()
    assert [(r["finish_reason"], r["exit_status"]) for r in runs] == [("output_error", 1)]
