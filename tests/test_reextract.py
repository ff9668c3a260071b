"""``scrapy reextract``: a dataset rebuilt from WARC files equals the crawl that wrote them.

One crawl of the fixture sites (small WARC files, so there are several), then re-extractions of
its ``warc/``: unsharded, again into the same folder (adds nothing), and as two shards. A WARC
written here by another writer (warcio, as other crawlers use it) holds real saved news pages,
some gzip-compressed and chunked as servers send them, and re-extracts like the pages themselves.
"""

from __future__ import annotations

import fcntl
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import FAST, REPO, crawl_env
from mockserver import SiteServer
from test_archive import warcio_check
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import warc_files
from crawler.replay import in_shard, parse_shard
from crawler.state import RunLock, StateStore
from crawler.urls import canonicalize
from pipelines.extract import extract_article

NEWS_DEV = Path(__file__).resolve().parents[2] / "shared" / "bench" / "news-dev"
IGNORED = {"crawl_id", "warc_file"}  # what a re-extraction changes: the run, the file's path
COPY = {"url", "fetched_at", "warc_offset"}  # which copy of an article a row was made from


def _rows(output: Path, table: str = "articles") -> dict[str, dict]:
    if not (output / table).exists():
        return {}
    return {r["url"]: r for r in pq.read_table(output / table).to_pylist()}


def _comparable(rows: dict[str, dict]) -> dict[str, dict]:
    """Rows by canonical URL without what a re-extraction changes (``IGNORED``) nor which copy of
    an article the row came from: of two copies fetched in one run (the fixtures have one: an
    old URL whose rel=canonical names the current one), dedup keeps the one extracted first, in
    the crawl as in a re-extraction. ``_same_copies`` compares those columns where the copy is
    the same."""
    return {row["canonical_url"]: {k: v for k, v in row.items() if k not in IGNORED | COPY}
            for row in rows.values()}


def _same_copies(before: dict[str, dict], after: dict[str, dict]) -> int:
    """Rows of the same URL on both sides agree on ``COPY`` too; how many there are."""
    same = set(before) & set(after)
    for url in same:
        assert {k: before[url][k] for k in COPY} == {k: after[url][k] for k in COPY}
    return len(same)


def _files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*.parquet") if "runs" not in p.parts)


def _reextract(scrapy_cmd, dest: Path, *args: str, **settings: str):
    return scrapy_cmd("reextract", *args, settings={"OUTPUT_DIR": str(dest), **settings})


# --------------------------------------------------------------------------- pure functions


def test_shards_split_the_files_once_each():
    files = [Path(f"run-{n:05d}.warc.gz") for n in range(40)]
    for count in (1, 2, 3, 7):
        owners = [[i for i in range(1, count + 1) if in_shard(p, (i, count))] for p in files]
        assert all(len(o) == 1 for o in owners)
    assert parse_shard(None) == (1, 1) and parse_shard("2/3") == (2, 3)
    for bad in ("0/2", "3/2", "1", "a/b", "1/0"):
        with pytest.raises(ValueError, match="shard must be I/N"):
            parse_shard(bad)


# --------------------------------------------------------------------------- a crawl, rebuilt


@pytest.fixture(scope="module")
def rebuilt(run_crawl, serve_sites, scrapy_cmd, tmp_path_factory):
    """A crawl of the fixture sites and an unsharded re-extraction of its archive."""
    workdir = tmp_path_factory.mktemp("reextract")
    with serve_sites("harbor", "valley", "rive") as servers:
        crawl = run_crawl(servers, workdir, ARCHIVE_MAX_BYTES="20000")
    assert crawl.returncode == 0, crawl.log
    dest = workdir / "rebuilt"
    proc = _reextract(scrapy_cmd, dest, str(crawl.output), "-a", f"sites={crawl.sites_file}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return crawl, dest, proc


def test_reextract_gives_the_crawls_articles(rebuilt):
    crawl, dest, proc = rebuilt
    before, after = _rows(crawl.output), _rows(dest)
    assert before and _comparable(after) == _comparable(before)
    assert _same_copies(before, after) >= len(before) - 1
    for url, row in after.items():  # the rows point at the same records, in the source archive
        if url in before:
            assert Path(row["warc_file"]) == crawl.output / before[url]["warc_file"]
            assert row["warc_offset"] == before[url]["warc_offset"]
    assert f"{len(after)} articles written" in proc.stderr


def test_reextract_writes_a_run_row_and_a_progress_line(rebuilt, scrapy_cmd, tmp_path):
    crawl, dest, _ = rebuilt
    runs = pq.read_table(dest / "runs").to_pylist()
    assert runs[0]["articles_written"] == len(_rows(dest)) and runs[0]["exit_status"] == 0
    proc = _reextract(scrapy_cmd, tmp_path / "again", str(crawl.output), PROGRESS_INTERVAL="0.01")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pages/s" in proc.stderr and "ETA" in proc.stderr


def test_reextract_again_into_the_same_folder_adds_nothing(rebuilt, scrapy_cmd):
    crawl, dest, _ = rebuilt
    files = _files(dest)
    proc = _reextract(scrapy_cmd, dest, str(crawl.output), "-a", f"sites={crawl.sites_file}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _files(dest) == files


def _named_for(shard: tuple[int, int], n: int) -> str:
    """A file name that falls in ``shard``: so that both shards get files, whatever the count."""
    return next(name for k in range(1000)
                if in_shard(Path(name := f"part-{n}-{k}.warc.gz"), shard))


def test_two_shards_give_the_rows_of_one_run(rebuilt, scrapy_cmd, tmp_path):
    crawl, dest, _ = rebuilt
    sources = warc_files([crawl.output])
    assert len(sources) > 1
    archive = tmp_path / "archive"  # the crawl's files, under names split between the shards
    archive.mkdir()
    for n, path in enumerate(sources):
        shutil.copyfile(path, archive / _named_for((n % 2 + 1, 2), n))
    shards = tmp_path / "shards"
    for shard in ("1/2", "2/2"):
        proc = _reextract(scrapy_cmd, shards, str(archive), "-a", f"sites={crawl.sites_file}",
                          "-a", f"shard={shard}")
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert " 0 WARC files" not in proc.stderr
    assert _comparable(_rows(shards)) == _comparable(_rows(dest))
    assert _same_copies(_rows(dest), _rows(shards)) >= len(_rows(dest)) - 1
    def rejects(output: Path) -> list[tuple[str, str]]:  # a duplicate's URL: the copy not kept
        return sorted(("" if r["reason"].startswith("duplicate_") else r["url"], r["reason"])
                      for r in _rows(output, "rejects").values())

    assert rejects(shards) == rejects(dest)


# --------------------------------------------------------------------------- sitemap and feed hints

_STORY = (
    "Forty-two growers from across the valley have signed up for this year's orchard festival, "
    "the largest field since the event began in a church parking lot thirty years ago.",
    "The festival will fill the fairgrounds on Saturday and Sunday with stalls selling heritage "
    "apples, pressed cider, pies and preserves, and a tent for growers of new orchards.",
    "Organizer Beth Sandoval said the late frost in April had worried many farmers, but the "
    "harvest turned out better than expected on the higher slopes above the river.",
    "Parking at the fairgrounds is limited, and the county will run a free shuttle bus from the "
    "library every twenty minutes on both days of the {topic}.",
)


def _bare_site(root: Path) -> Path:
    """A site whose pages say no title and no date: its news sitemap and its feed do."""
    site = root / "bare"
    (site / "story").mkdir(parents=True)
    for slug in ("orchard-festival", "cider-press"):
        paragraphs = "".join(f"<p>{p.format(topic=slug)}</p>" for p in _STORY)
        (site / "story" / f"{slug}.html").write_text(
            f"<!doctype html><html lang=en><head><meta charset=utf-8></head><body><main>"
            f"<article>{paragraphs}</article></main></body></html>", encoding="utf-8")
    (site / "index.html").write_text("<html><body><p>Bare news</p></body></html>")
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        "<loc>{{BASE}}/story/orchard-festival.html</loc><lastmod>2026-11-22T10:00:00Z</lastmod>"
        "<news:news><news:publication><news:name>Bare</news:name><news:language>en"
        "</news:language></news:publication>"
        "<news:publication_date>2026-11-21T05:15:00+01:00</news:publication_date>"
        "<news:title>Orchard festival returns with a record number of growers</news:title>"
        "</news:news></url></urlset>", encoding="utf-8")
    (site / "feed.rss").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bare</title>'
        "<link>{{BASE}}/</link><description>d</description><item>"
        "<title>Cider press opens to the public</title>"
        "<link>{{BASE}}/story/cider-press.html</link>"
        "<pubDate>Sat, 21 Nov 2026 22:10:00 -0500</pubDate></item></channel></rss>",
        encoding="utf-8")
    (site / "site.toml").write_text(
        '[[sites]]\nname = "bare"\nstart_urls = ["{{BASE}}/"]\n'
        'sitemaps = ["{{BASE}}/sitemap.xml"]\nfeeds = ["{{BASE}}/feed.rss"]\n', encoding="utf-8")
    return site


def test_sitemap_and_feed_hints_are_archived_and_reextracted(run_crawl, scrapy_cmd, tmp_path):
    """A crawled row takes its title and date from the sitemap or feed; the re-extracted row,
    from the archive's metadata record, the same: every column but the run's own."""
    with SiteServer(_bare_site(tmp_path)) as server:
        crawl = run_crawl({"bare": server}, tmp_path, ARCHIVE_MAX_BYTES="1000")
    assert crawl.returncode == 0, crawl.log
    before = _rows(crawl.output)
    titles = {url.rsplit("/", 1)[1]: row["title"] for url, row in before.items()}
    assert titles == {"orchard-festival.html": "Orchard festival returns with a record number "
                      "of growers", "cider-press.html": "Cider press opens to the public"}
    assert all(row["published_at"] is not None for row in before.values())
    check = warcio_check(*warc_files([crawl.output]))
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout + check.stderr

    dest = tmp_path / "rebuilt"
    proc = _reextract(scrapy_cmd, dest, str(crawl.output), "-a", f"sites={crawl.sites_file}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = _rows(dest)
    assert {u: {k: v for k, v in r.items() if k not in IGNORED} for u, r in after.items()} == {
        u: {k: v for k, v in r.items() if k not in IGNORED} for u, r in before.items()}


def _running(dest: Path, *args: str, short_leash: bool = False) -> subprocess.Popen:
    """``scrapy reextract`` started, not waited for (``scrapy_cmd`` waits).

    ``short_leash``: its log goes through a pipe of one page (4 KiB, the least Linux allows), so
    that it runs at most a few records ahead of the reader of its log."""
    command = [sys.executable, "-m", "scrapy", "reextract"]
    for key, value in {**FAST, "OUTPUT_DIR": str(dest)}.items():
        command += ["-s", f"{key}={value}"]
    command += args  # after FAST: a setting given here wins
    if not short_leash:
        return subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    try:
        proc = subprocess.Popen(command, cwd=REPO, env=crawl_env(), stdout=subprocess.DEVNULL,
                                stderr=write)
    finally:
        os.close(write)
    proc.stderr = open(read, encoding="utf-8", errors="replace")  # noqa: SIM115 - Popen closes it
    return proc


def _stored_elsewhere(stderr: str) -> int:
    """Pages a run skipped because the destination had them (the summary line)."""
    return int(re.search(r"(\d+) pages already stored", stderr)[1])  # type: ignore[index]


def test_a_claim_holds_while_its_run_lives_even_after_kill_9(tmp_path: Path):
    """Two stores of one folder (as two shards): what one claims, the other sees as stored
    elsewhere; once the claiming process is killed (-9), its claims no longer hold."""
    claim = ("import sys; from pathlib import Path; from crawler.state import StateStore; "
             "s = StateStore.open(Path(sys.argv[1]), shared=True); "
             "s.reserve('http://a.example/1', 'h1'); print('claimed', flush=True); "
             "sys.stdin.read()")
    with subprocess.Popen([sys.executable, "-c", claim, str(tmp_path)], cwd=REPO,
                          env=crawl_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "claimed\n"
            store = StateStore.open(tmp_path, shared=True)
            try:
                assert store.claimed_url("http://a.example/1")
                assert store.claimed_hash("h1") == "http://a.example/1"
                assert store.claimed_hash("h2") is None
                store.reserve("http://a.example/2", "h2")
                holder.kill()
                holder.wait(timeout=30)
                assert not store.claimed_url("http://a.example/1")  # its run is dead: dropped
                assert store.db.execute("SELECT canonical_url FROM claims").fetchall() == [
                    ("http://a.example/2",)]
            finally:
                store.close()
        finally:
            holder.kill()
    again = StateStore.open(tmp_path)
    try:  # a closed run leaves no claim, no claims file
        assert again.db.execute("SELECT count(*) FROM claims").fetchone() == (0,)
        assert list((tmp_path / ".claims").iterdir()) == []
    finally:
        again.close()


def test_concurrent_shards_store_each_article_once(rebuilt, scrapy_cmd, tmp_path):
    """Every WARC file twice, once in each shard: two shards running at once, racing for every
    article, store exactly the articles of one unsharded run of the same archive; every other
    copy is a duplicate reject or a page skipped as stored."""
    crawl, _, _ = rebuilt
    archive = tmp_path / "archive"
    archive.mkdir()
    for n, path in enumerate(warc_files([crawl.output]) * 6):  # runs long enough to overlap
        for shard in ((1, 2), (2, 2)):
            shutil.copyfile(path, archive / _named_for(shard, 2 * n + shard[0]))
    sites = f"sites={crawl.sites_file}"
    whole = _reextract(scrapy_cmd, tmp_path / "whole", str(archive), "-a", sites)
    assert whole.returncode == 0, whole.stderr[-3000:]
    shards = tmp_path / "shards"
    running = [_running(shards, str(archive), "-a", sites, "-a", f"shard={shard}")
               for shard in ("1/2", "2/2")]
    stderr = [proc.communicate(timeout=240)[1] for proc in running]
    assert [proc.returncode for proc in running] == [0, 0], stderr[0][-2000:] + stderr[1][-2000:]

    expected, got = _rows(tmp_path / "whole"), _rows(shards)
    assert _comparable(got) == _comparable(expected)
    assert _same_copies(expected, got) >= len(expected) - 1
    table = pq.read_table(shards / "articles").to_pylist()  # every row, not one per URL
    for column in ("url", "canonical_url", "content_hash"):
        assert len({r[column] for r in table}) == len(table) == len(expected), column
    rejects = {"whole": [], "shards": []}
    for name, output in (("whole", tmp_path / "whole"), ("shards", shards)):
        table = pq.read_table(output / "rejects").to_pylist()
        rejects[name] = sorted((r["url"], r["reason"]) for r in table
                               if not r["reason"].startswith("duplicate_"))
        copies = [r for r in table if r["reason"].startswith("duplicate_")]
        assert all(r["detail"].rsplit(": ", 1)[1] in _comparable(got) for r in copies)
        rejects[name].append(("copies not stored", len(copies)))
    rejects["whole"][-1] = ("copies not stored",
                            rejects["whole"][-1][1] + _stored_elsewhere(whole.stderr))
    rejects["shards"][-1] = ("copies not stored",
                             rejects["shards"][-1][1] + sum(map(_stored_elsewhere, stderr)))
    assert rejects["shards"] == rejects["whole"]


def test_a_shard_killed_and_run_again_gives_the_rows_of_one_run(rebuilt, scrapy_cmd, tmp_path):
    """kill -9 of a shard once it stored an article (one row a file): its claims lapse, the
    rerun stores the rest, nothing twice; with the other shard, the rows of one unsharded run.
    One page extracted at a time and a one-page log pipe: the shard is still at work when the
    test reads that it stored its first row."""
    crawl, dest, _ = rebuilt
    archive = tmp_path / "archive"
    archive.mkdir()
    for n, path in enumerate(warc_files([crawl.output]) * 4):  # work left after the first row
        shutil.copyfile(path, archive / _named_for((n % 2 + 1, 2), n))
    shards, sites = tmp_path / "shards", f"sites={crawl.sites_file}"
    first = ("-a", sites, "-a", "shard=1/2", "-s", "LOG_LEVEL=DEBUG", "-s", "CONCURRENT_ITEMS=1",
             "-s", "PARQUET_ROWS_PER_GROUP=1", "-s", "PARQUET_ROWS_PER_FILE=1")
    with _running(shards, str(archive), *first, short_leash=True) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            if re.search(r"wrote \d+ rows to \S*/articles/", line):  # the writer may batch
                proc.kill()
                break
        proc.communicate(timeout=240)
    assert proc.returncode == -9
    assert _files(shards)  # the killed run stored something
    for shard in ("1/2", "2/2"):
        again = _reextract(scrapy_cmd, shards, str(archive), "-a", sites, "-a", f"shard={shard}")
        assert again.returncode == 0, again.stderr[-3000:]
    table = pq.read_table(shards / "articles").to_pylist()
    assert len({r["canonical_url"] for r in table}) == len(table)
    assert _comparable(_rows(shards)) == _comparable(_rows(dest))
    assert list((shards / ".claims").iterdir()) == []


def test_bad_sources_are_named(scrapy_cmd, tmp_path):
    missing = _reextract(scrapy_cmd, tmp_path / "out", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "nowhere" in missing.stderr
    bad_shard = _reextract(scrapy_cmd, tmp_path / "out", str(tmp_path), "-a", "shard=3/2")
    assert bad_shard.returncode == 2 and "shard must be I/N" in bad_shard.stderr


def test_shards_share_the_lock_a_whole_run_does_not(scrapy_cmd, tmp_path):
    dest, empty = tmp_path / "out", tmp_path / "empty"
    empty.mkdir()
    running = RunLock(dest, shared=True)  # as a shard running elsewhere holds it
    running.acquire()
    try:
        shard = _reextract(scrapy_cmd, dest, str(empty), "-a", "shard=2/2")
        assert shard.returncode == 0, shard.stderr[-3000:]
        whole = _reextract(scrapy_cmd, dest, str(empty))
        assert whole.returncode == 75 and "in use" in whole.stderr
    finally:
        running.release()


# --------------------------------------------------------------------------- another writer's WARC


def _chunked(data: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
             for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def _response(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]],
              status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http))


@pytest.fixture(scope="module")
def news_pages() -> list[tuple[str, bytes]]:
    """Six real saved news pages that the extractor reads as articles: (URL, HTML bytes)."""
    pages = []
    for meta in sorted(NEWS_DEV.glob("*.meta.json")):
        url = json.loads(meta.read_text(encoding="utf-8"))["url"]
        html = gzip.decompress(meta.with_name(meta.name.replace(".meta.json", ".html.gz"))
                               .read_bytes())
        if extract_article(html, url) is not None:
            pages.append((url, html))
        if len(pages) == 6:
            return pages
    raise AssertionError(f"too few readable pages in {NEWS_DEV}")


def test_another_writers_warc_reextracts(news_pages, scrapy_cmd, tmp_path):
    source = tmp_path / "cc-news-like.warc.gz"
    html_type = ("Content-Type", "text/html; charset=utf-8")
    with open(source, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(source.name, {"software": "test"}))
        for n, (url, html) in enumerate(news_pages):
            if n % 3 == 0:  # as sent with Content-Encoding: gzip
                _response(writer, url, gzip.compress(html), [html_type,
                                                             ("Content-Encoding", "gzip")])
            elif n % 3 == 1:  # chunked
                _response(writer, url, _chunked(html), [html_type,
                                                        ("Transfer-Encoding", "chunked")])
            else:  # both
                _response(writer, url, _chunked(gzip.compress(html)), [
                    html_type, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])
        _response(writer, "https://example.com/robots.txt", b"User-agent: *\n",
                  [("Content-Type", "text/plain")])
        _response(writer, "https://example.com/gone", b"<html>gone</html>", [html_type],
                  status="404 Not Found")
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(source.read_bytes()[:-200])  # a download cut short
    dest = tmp_path / "out"

    proc = _reextract(scrapy_cmd, dest, str(source))
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = _rows(dest)
    for url, html in news_pages:
        row = rows[canonicalize(url)]
        assert row["text"] == extract_article(html, url).text
        assert row["site"] == row["domain"].removeprefix("www.")  # no sites file: the host
    assert not _rows(dest, "rejects")  # robots.txt and the 404 are skipped, not articles

    again = _reextract(scrapy_cmd, tmp_path / "out2", str(broken))
    assert again.returncode == 1 and "broken.warc.gz" in again.stderr
    assert "could not be read to the end" in again.stderr
    assert set(_rows(tmp_path / "out2")) <= set(rows)


# --------------------------------------------------------------------------- hostile WARC files


def _by_hand(block: bytes, **headers: str) -> bytes:
    """One record as a gzip member, as no library would write it (``headers``: WARC fields)."""
    fields = {"WARC-Type": "response", "WARC-Date": "2026-11-25T09:00:00Z",
              "WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>",
              "Content-Type": "application/http; msgtype=response", **headers}
    head = "WARC/1.0\r\n" + "".join(f"{k.replace('_', '-')}: {v}\r\n"
                                    for k, v in fields.items() if v) + "\r\n"
    return gzip.compress(head.encode() + block + b"\r\n\r\n")


def test_a_hostile_warc_gives_rejects_and_counted_skips(news_pages, scrapy_cmd, tmp_path):
    """Between two good pages: a revisit, a DNS record, a resource, a response without
    Content-Length, one with a broken status line, one without a target URI, a gzip member cut
    in half, a 50 MB page. Each is a reject row or a counted skip; the file is read through."""
    (first_url, first), (last_url, last) = news_pages[0], news_pages[1]
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + first
    source = tmp_path / "hostile.warc.gz"
    with open(source, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        html_type = [("Content-Type", "text/html; charset=utf-8")]
        _response(writer, first_url, first, html_type)
        writer.write_record(writer.create_revisit_record(
            first_url, digest="sha1:AAAA", refers_to_uri=first_url,
            refers_to_date="2026-11-25T09:00:00Z",
            http_headers=StatusAndHeaders("200 OK", html_type, protocol="HTTP/1.1")))
        handle.write(_by_hand(b"example.org. 300 IN A 192.0.2.1", WARC_Target_URI="dns:a.org",
                              Content_Type="text/dns", Content_Length="31"))
        writer.write_record(writer.create_warc_record(
            "https://a.example/resource", "resource", payload=io.BytesIO(first),
            length=len(first), warc_content_type="text/html"))
        handle.write(_by_hand(http, WARC_Target_URI="https://a.example/no-length"))
        broken = b"HTTP/1.1 2x0 OK\r\nContent-Type: text/html\r\n\r\n" + first
        handle.write(_by_hand(broken, WARC_Target_URI="https://a.example/bad-status",
                              Content_Length=str(len(broken))))
        handle.write(_by_hand(http, Content_Length=str(len(http))))  # no WARC-Target-URI
        cut = _by_hand(http, WARC_Target_URI="https://a.example/cut", Content_Length=str(len(http)))
        handle.write(cut[: len(cut) // 2])
        huge = b"<html><body>" + b"<p>Fifty megabytes of one page.</p>" * 1_500_000
        _response(writer, "https://a.example/huge", huge, html_type)
        _response(writer, last_url, last, html_type)
    dest = tmp_path / "out"

    proc = _reextract(scrapy_cmd, dest, str(source))
    assert proc.returncode == 1, proc.stderr[-3000:]  # not whole: named, the rest read
    assert "hostile.warc.gz: not read whole: 2 unreadable part(s)" in proc.stderr
    assert set(_rows(dest)) == {canonicalize(first_url), canonicalize(last_url)}
    rejects = {(r["url"], r["reason"]) for r in _rows(dest, "rejects").values()}
    assert rejects == {("https://a.example/no-length", "bad_record"),
                       ("https://a.example/bad-status", "bad_record"),
                       ("https://a.example/huge", "too_large")}
    stats = {k: int(v) for k, v in re.findall(r"'newsclean/reextract/(\w+)': (\d+)", proc.stderr)}
    assert {k: v for k, v in stats.items() if k.startswith(("skipped", "bad"))} == {
        "skipped_revisit": 1, "skipped_not_http": 2, "skipped_bad_record": 2, "bad_files": 1}
