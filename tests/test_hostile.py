"""The hostile web: bad input never crashes, hangs, corrupts or loses anything.

One crawl (a ``scrapy crawl news`` subprocess) over three hostile sites served on 127.0.0.1 by
``tests/hostile/server.py``, with the corpus of ``tests/hostile/corpus.py``, and a stranger
server on 127.0.0.2 that the sites file does not name. Then, for every input of the corpus: its
outcome is exactly the expected one (an article, a reject with its reason, or never requested),
the good articles of the same crawl are all stored, the crawl exits 0 within the time and memory
it is allowed, and every file it wrote reads back.

The guard's address decision is tested on its own with an injected resolver: no test sends a
packet anywhere but loopback. The extraction pool's health is tested in process with workers that
crash and hang. Nothing here sleeps: stalled routes wait on an event that shutdown sets, and the
crawl's ``DOWNLOAD_TIMEOUT`` is 2 s.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import FAST, REPO, crawl_env
from hostile import corpus
from hostile.server import HostileServer
from scrapy.http import Request, Response

from crawler.guard import (
    AddressGuardMiddleware,
    BlockedRequest,
    RedirectGuardMiddleware,
    RedirectLoop,
    decide,
    parse_networks,
    refusal,
)
from crawler.items import Page, Reject
from pipelines import extract, pool

# Bounds this test holds the crawl to (2 cores; most of the time is the timeouts the corpus
# provokes: 2 s downloads retried twice, 10 s extraction limit).
CRAWL_SECONDS = 150
CRAWL_RSS_MB = 600  # peak RSS of the crawl process (or of any of its extraction workers)
SETTINGS = {
    **FAST,
    "DOWNLOAD_TIMEOUT": "2",
    "EXTRACT_TIMEOUT": "10",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


# --------------------------------------------------------------------------- the crawl


class Crawl(SimpleNamespace):
    """What one crawl left: exit status, log, time, peak memory, rows, the servers' logs."""


def _run(sites_file: Path, output: Path) -> tuple[int, str, float, int]:
    """``scrapy crawl news`` as a child; ``(status, log, seconds, peak RSS in bytes)``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites_file}",
               "-s", f"OUTPUT_DIR={output}"]
    for key, value in SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    log = output.parent / "crawl.log"
    rss_file = output.parent / "crawl.maxrss"
    started = time.monotonic()
    with open(log, "wb") as sink:
        # Linux keeps a child's pre-exec high-water RSS, which is this (large) pytest process's:
        # a small launcher starts the crawl and reports the crawl tree's own peak.
        proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_file), *command],
                                cwd=REPO, env=crawl_env(), stdout=sink, stderr=sink,
                                start_new_session=True)
        killer = threading.Timer(CRAWL_SECONDS * 2, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()  # a hung crawl still ends the test
        try:
            proc.wait()
        finally:
            killer.cancel()
    seconds = time.monotonic() - started
    rss = int(rss_file.read_text()) * 1024 if rss_file.exists() else 0
    return proc.returncode, log.read_text(errors="replace"), seconds, rss


LAUNCHER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)  # rusage of the crawl and its workers\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _rows(output: Path, table: str) -> list[dict]:
    folder = output / table
    if not folder.exists():
        return []
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Crawl:
    work = tmp_path_factory.mktemp("hostile")
    with (HostileServer({}, host="127.0.0.2") as stranger, HostileServer({}) as hostile,
          HostileServer({}, generated=corpus.trap_route) as trap,
          HostileServer({}, generated=corpus.flood_route) as flood):
        sites = {
            "hostile": corpus.hostile_site(hostile.url, stranger.url),
            "trap": corpus.trap_site(trap.url),
            "flood": corpus.flood_site(flood.url),
        }
        for server, site in ((hostile, sites["hostile"]), (trap, sites["trap"]),
                             (flood, sites["flood"])):
            server.routes = site.routes
        sites_file = work / "sites.toml"
        sites_file.write_text("\n".join(s.toml for s in sites.values()), encoding="utf-8")
        output = work / "output"
        status, log, seconds, rss = _run(sites_file, output)
        servers = {"hostile": hostile, "trap": trap, "flood": flood, "stranger": stranger}
        requests = {name: server.requests for name, server in servers.items()}
    return Crawl(
        status=status, log=log, seconds=seconds, rss=rss, output=output, sites=sites,
        urls={name: server.url for name, server in servers.items()}, requests=requests,
        articles=_rows(output, "articles"), rejects=_rows(output, "rejects"),
    )


def _tail(crawl: Crawl) -> str:
    return crawl.log[-5000:]


# --------------------------------------------------------------------------- the run as a whole


def test_the_crawl_finishes_with_success_within_its_bounds(crawl):
    print(f"hostile crawl: {crawl.seconds:.1f} s, peak RSS {crawl.rss / 2**20:.0f} MB")
    assert crawl.status == 0, _tail(crawl)  # README: 0 = finished and fetched pages
    assert "newsclean: OK:" in crawl.log, _tail(crawl)
    assert crawl.seconds < CRAWL_SECONDS, f"took {crawl.seconds:.0f}s"
    assert crawl.rss < CRAWL_RSS_MB * 2**20, f"peak RSS {crawl.rss / 2**20:.0f} MB"
    assert "Traceback" not in crawl.log, _tail(crawl)


def test_every_file_in_the_output_reads_back(crawl):
    files = [p for p in crawl.output.rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert not path.name.endswith(".tmp"), path
        if path.suffix == ".parquet":
            assert pq.read_table(path).num_rows > 0, path
        elif path.suffix in (".sqlite", ".db"):
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                assert db.execute("pragma integrity_check").fetchone() == ("ok",), path
        else:
            path.read_bytes()


def test_the_stranger_on_another_loopback_address_never_sees_a_request(crawl):
    assert crawl.requests["stranger"] == []


def _case_names() -> list[str]:
    site = corpus.hostile_site("http://127.0.0.1:1", "http://127.0.0.2:2")
    return [c.name for c in site.cases if c.expect != "aux"]


def _row_url(crawl: Crawl, case: corpus.Case) -> str:
    return case.row_url or crawl.urls["hostile"] + case.where


@pytest.mark.parametrize("name", _case_names())
def test_each_input_has_exactly_its_expected_outcome(crawl, name):
    case = next(c for c in crawl.sites["hostile"].cases if c.name == name)
    url = _row_url(crawl, case)
    articles = [r for r in crawl.articles if r["url"] == url]
    rejects = [(r["reason"], r["detail"]) for r in crawl.rejects if r["url"] == url]
    if case.expect == "never":
        assert not articles and not rejects
        host = urlsplit(url).netloc
        server = next(n for n, u in crawl.urls.items() if urlsplit(u).netloc == host)
        assert urlsplit(url).path not in crawl.requests[server]
    elif case.expect == "article":
        assert not rejects, rejects
        assert len(articles) == 1, _tail(crawl)
        text = articles[0]["text"]
        for wanted in case.contains:
            assert wanted in text, text[:500]
        for unwanted in case.absent:
            assert unwanted not in text, text[:500]
    else:
        assert not articles
        assert [reason for reason, _ in rejects] == [case.expect], (rejects, _tail(crawl))


def test_no_row_of_the_hostile_site_is_unaccounted_for(crawl):
    front = crawl.urls["hostile"] + "/"  # the front page, read for its links
    assert [r["reason"] for r in crawl.rejects if r["url"] == front] == ["listing"]
    known = {_row_url(crawl, c) for c in crawl.sites["hostile"].cases if c.expect != "aux"}
    known.add(front)
    rows = [r["url"] for r in crawl.articles + crawl.rejects if r["site"] == "hostile"]
    extra = [(r["url"], r.get("reason")) for r in crawl.articles + crawl.rejects
             if r["site"] == "hostile" and r["url"] not in known]
    assert not extra, extra
    assert len(rows) == len(set(rows)), "one row per URL"


def test_the_pages_after_a_lying_length_and_killed_workers_are_intact(crawl):
    texts = {r["url"]: r["text"] for r in crawl.articles}
    base = crawl.urls["hostile"]
    for name in ("after-short-length", "after-slow-extraction", "plain-good-one"):
        text = texts[f"{base}{corpus.NEWS}{name}.html"]
        assert text.count(f"the {name} story") == 6, text


# --------------------------------------------------------------------------- traps and floods


def _paths(crawl: Crawl, site: str, prefix: str) -> list[str]:
    return [p for p in crawl.requests[site] if p.startswith(prefix)]


def test_endless_calendars_and_pagination_stop_at_depth_and_max_pages(crawl):
    listings = _paths(crawl, "trap", "/calendar/") + _paths(crawl, "trap", "/section/")
    # depth 1: two listings linked from the front page; depth 2: their three neighbours
    assert len(listings) == len(set(listings)) <= 2 + 3, listings
    stories = _paths(crawl, "trap", corpus.NEWS)
    assert len(stories) <= corpus.TRAP_MAX_PAGES, stories
    stored = {urlsplit(r["url"]).path for r in crawl.articles if r["site"] == "trap"}
    assert stored == set(stories), "every trap article fetched is stored"


def test_session_ids_are_dropped_and_the_story_fetched_once(crawl):
    fetched = _paths(crawl, "trap", f"{corpus.NEWS}session-story")
    assert fetched == [f"{corpus.NEWS}session-story-of-the-day.html"]


def test_a_million_url_sitemap_is_read_in_bounded_memory_and_capped(crawl):
    assert crawl.requests["flood"].count("/sitemap-million.xml.gz") == 1
    stories = _paths(crawl, "flood", "/story/")
    assert len(stories) == corpus.FLOOD_MAX_PAGES, stories
    stored = [r for r in crawl.articles if r["site"] == "flood"]
    assert len(stored) == corpus.FLOOD_MAX_PAGES
    # memory: covered by CRAWL_RSS_MB for the whole crawl (the sitemap is ~80 MB unpacked)


# --------------------------------------------------------------------------- the guard's decision

PUBLIC = "93.184.216.34"


def _resolver(table: dict[str, list[str]]):
    calls: list[str] = []

    def resolve(host: str) -> list[str]:
        calls.append(host)
        return table.get(host, [])

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize("address, why", [
    ("169.254.169.254", "cloud metadata"),
    ("fd00:ec2::254", "cloud metadata"),
    ("127.0.0.1", "loopback"),
    ("127.0.0.2", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("100.64.0.1", "non-global"),
])
def test_refusal_names_the_kind_of_address(address, why):
    found = refusal(ipaddress.ip_address(address))
    assert found is not None and why in found


@pytest.mark.parametrize("address", [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"])
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address)) is None


def test_ip_literals_are_decided_without_a_lookup():
    resolve = _resolver({})
    assert "cloud metadata" in decide("http://169.254.169.254/latest/meta-data/",
                                      resolve=resolve)
    assert "loopback" in decide("http://[::1]:8080/", resolve=resolve)
    assert decide(f"https://{PUBLIC}/news/a.html", resolve=resolve) is None
    assert resolve.calls == []


def test_host_names_are_resolved_and_refused_if_any_address_is_private():
    resolve = _resolver({
        "news.example": [PUBLIC],
        "metadata.internal": ["169.254.169.254"],
        "split.example": [PUBLIC, "10.1.2.3"],
        "localhost": ["127.0.0.1", "::1"],
        "2130706433": ["127.0.0.1"],  # what inet_aton makes of a decimal "IP"
    })
    assert decide("http://news.example/a", resolve=resolve) is None
    assert "cloud metadata" in decide("http://metadata.internal/", resolve=resolve)
    assert "10.1.2.3" in decide("http://split.example/", resolve=resolve)
    assert "loopback" in decide("http://localhost:6379/", resolve=resolve)
    assert "loopback" in decide("http://2130706433/", resolve=resolve)
    assert decide("http://does-not-resolve.example/", resolve=resolve) is None  # fails later


@pytest.mark.parametrize("url", [
    "ftp://127.0.0.1/pub/x", "file:///etc/passwd", "gopher://news.example/", "data:text/html,x",
    "javascript:alert(1)", "//news.example/a",
])
def test_schemes_other_than_http_are_refused(url):
    assert "scheme" in decide(url, resolve=_resolver({"news.example": [PUBLIC]}))


def test_configured_sites_are_trusted_by_host_and_port_only():
    trusted = {"127.0.0.1:8080"}
    assert decide("http://127.0.0.1:8080/news/a.html", trusted=trusted) is None
    assert "loopback" in decide("http://127.0.0.1:6379/", trusted=trusted)
    assert "loopback" in decide("http://127.0.0.2:8080/", trusted=trusted)


def test_allowed_networks_let_an_intranet_through():
    allowed = parse_networks(["10.20.0.0/16", "fd12::/16"])
    assert decide("http://10.20.3.4/news", allowed=allowed) is None
    assert decide("http://[fd12::5]/news", allowed=allowed) is None
    assert "private" in decide("http://10.21.0.1/news", allowed=allowed)
    with pytest.raises(ValueError, match="GUARD_ALLOWED_NETWORKS"):
        parse_networks(["10.0.0.0/33"])


def _guard(cls, resolve=None):
    stats = SimpleNamespace(inc_value=lambda *a, **k: None)
    guard = cls(SimpleNamespace(stats=stats), (), resolve or _resolver({}))
    guard.trusted = frozenset({"127.0.0.1:8080"})
    return guard


def test_the_middleware_refuses_before_any_connection():
    resolve = _resolver({"metadata.internal": ["169.254.169.254"], "news.example": [PUBLIC]})
    guard = _guard(AddressGuardMiddleware, resolve)

    async def check(url: str) -> None:
        await guard.process_request(Request(url))

    asyncio.run(check("http://127.0.0.1:8080/a"))
    asyncio.run(check("http://news.example/a"))
    for url in ("http://metadata.internal/latest", "http://127.0.0.2:8080/",
                "http://[fd00:ec2::254]/"):
        with pytest.raises(BlockedRequest):
            asyncio.run(check(url))
    assert resolve.calls == ["news.example", "metadata.internal"]


def test_redirects_are_checked_before_they_are_followed():
    guard = _guard(RedirectGuardMiddleware)
    request = Request("http://127.0.0.1:8080/b", meta={
        "redirect_urls": ["http://127.0.0.1:8080/a"]})

    def answer(location: str) -> Response:
        response = Response(request.url, status=302, headers={"Location": location})
        return asyncio.run(guard.process_response(request, response))

    assert answer("/c").status == 302  # left to Scrapy's RedirectMiddleware
    with pytest.raises(RedirectLoop, match=r"/a -> http://127\.0\.0\.1:8080/b -> .*/a"):
        answer("/a")
    for location in ("ftp://127.0.0.1/x", "file:///etc/passwd", "http://169.254.169.254/"):
        with pytest.raises(BlockedRequest):
            answer(location)


# --------------------------------------------------------------------------- the pool stays healthy


def _misbehaving_job(html, url, rules, min_words, *rest):
    """Stands in for ``pipelines.extract._extract_job`` in the workers."""
    if url.endswith("/crash"):
        os._exit(3)  # the worker dies as if segfaulted
    if url.endswith("/hang"):
        threading.Event().wait()  # stuck for good: only the timeout ends it
    return extract._ORIGINAL_JOB(html, url, rules, min_words, *rest)


def test_a_worker_that_dies_or_hangs_is_replaced_and_nothing_else_is_lost(monkeypatch):
    monkeypatch.setattr(extract, "_ORIGINAL_JOB", extract._extract_job, raising=False)
    monkeypatch.setattr(extract, "_extract_job", _misbehaving_job)
    stats = SimpleNamespace(inc_value=lambda *a, **k: None)
    crawler = SimpleNamespace(stats=stats, spider=SimpleNamespace(crawl_id="t", rules_for=None))
    crawler.spider.rules_for = lambda _site: None
    config = pool.ExtractConfig(workers=2, timeout=2.0, min_words=40, max_tasks_per_worker=50,
                                start_method="fork")  # forked workers see the monkeypatch
    pipeline = pool.ExtractPipeline(crawler, config)

    def item(name: str) -> Page:
        return Page(url=f"http://127.0.0.1/{name}", site="s", body=corpus.page(name),
                    http_status=200, fetched_at=datetime.now(UTC))

    async def run() -> list:
        names = ["good-a", "crash", "hang", "good-b", "crash", "good-c", "hang", "good-d"]
        return await asyncio.gather(*(pipeline.process_item(item(n)) for n in names))

    pipeline.open_spider()
    try:
        results = asyncio.run(run())
    finally:
        pipeline.close_spider()
    kinds = [r.reason if isinstance(r, Reject) else r.row["title"] for r in results]
    assert kinds == ["Story good-a", "extract_error", "extract_timeout", "Story good-b",
                     "extract_error", "Story good-c", "extract_timeout", "Story good-d"]
