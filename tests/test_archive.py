"""The WARC archive: what a crawl keeps of every page, read back by independent readers.

The files are written with warcio; FastWARC (another implementation) and warcio's own
``warcio check`` read them back and verify every digest. A kill -9 mid-crawl leaves files every
reader accepts, and the next run completes the killed run's file and archives what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastwarc import ArchiveIterator, WarcRecordType
from scrapy.http import HtmlResponse, Request
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import (
    ARCHIVE_DIR,
    META_KEY,
    ArchivePointers,
    BrokenWarc,
    Capture,
    Exchange,
    WarcFileWriter,
    complete_length,
    exchange_of,
    gzip_member,
    gzip_members,
    read_captures,
    recover_open_files,
    warc_files,
)
from crawler.items import Page
from crawler.urls import canonicalize

ROOT = Path(__file__).resolve().parents[1]
PAGE = b"<!doctype html><html><body><article><p>" + b"Harbor news. " * 200 + b"</p></article>"


def _exchange(n: int, body: bytes = PAGE) -> Exchange:
    return Exchange(
        url=f"http://127.0.0.1:8000/news/{n}.html", date=datetime.now(UTC), ip="127.0.0.1",
        method="GET", request_headers=[("Host", "127.0.0.1:8000"), ("User-Agent", "t")],
        protocol="HTTP/1.1", status=200,
        response_headers=[("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
        body=body,
    )


def fastwarc_records(path: Path) -> list[tuple[str, str | None, int, bytes]]:
    """``(type, target URI, offset, HTTP payload)`` of every record, digests verified."""
    out = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, parse_http=False):
            assert record.verify_block_digest(), (path, record.record_id)
            kind = str(record.headers.get("WARC-Type"))
            if record.record_type in (WarcRecordType.response, WarcRecordType.request):
                record.parse_http()
                assert record.verify_payload_digest(), (path, record.record_id)
            uri = record.headers.get("WARC-Target-URI")
            out.append((kind, uri, record.stream_pos, record.reader.read()))
    return out


def warcio_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=False)


# --------------------------------------------------------------------------- the writer


def test_writer_rotates_and_every_file_validates(tmp_path: Path):
    writer = WarcFileWriter(tmp_path, "crawl_date=2026-12-06", "run", max_bytes=4_000)
    places = [writer.write(_exchange(n)) for n in range(6)]
    writer.close()
    files = sorted((tmp_path / ARCHIVE_DIR / "crawl_date=2026-12-06").iterdir())
    assert [p.name for p in files] == [p.name for p in writer.files]  # nothing hidden is left
    assert len(files) > 1
    check = warcio_check(*files)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout and "fail" not in check.stdout
    for path in files:
        records = fastwarc_records(path)
        assert records[0][0] == "warcinfo"
        assert [r[0] for r in records[1:]] == ["response", "request"] * ((len(records) - 1) // 2)
    for n, (name, offset) in enumerate(places):
        records = {r[2]: r for r in fastwarc_records(tmp_path / name)}
        kind, uri, _, payload = records[offset]
        assert (kind, uri, payload) == ("response", _exchange(n).url, PAGE)


def test_hints_go_in_a_metadata_record_and_come_back(tmp_path: Path):
    """What a sitemap or feed said of a page: a ``metadata`` record concurrent to its response,
    valid for warcio and FastWARC, read back as the same hints; a record that is not ours, or
    is broken, is not taken for them."""
    hints = {"title": "Gales «approach»", "lastmod": datetime(2026, 11, 21, 5, 15, tzinfo=UTC),
             "published_at": datetime(2026, 11, 20, 6, 30, 0, 1234, tzinfo=UTC)}
    writer = WarcFileWriter(tmp_path, "crawl_date=2026-12-06", "run", max_bytes=1 << 30)
    writer.write(Exchange(**{**vars(_exchange(1)), "hints": hints}))
    writer.write(_exchange(2))
    writer.close()
    [path] = writer.files
    check = warcio_check(path)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout + check.stderr
    assert [r[0] for r in fastwarc_records(path)] == [  # every digest verified
        "warcinfo", "response", "request", "metadata", "response", "request"]
    with open(path, "rb") as handle:
        headers = [dict(r.headers) for r in ArchiveIterator(handle, parse_http=False)]
    response, metadata = headers[1], headers[3]
    assert metadata["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    assert metadata["Content-Type"] == "application/json"
    assert metadata["WARC-Target-URI"] == _exchange(1).url
    captures = list(read_captures(path, 1 << 20))
    assert [c.hints for c in captures] == [hints, {}]
    assert [c.body for c in captures] == [PAGE, PAGE]

    other = tmp_path / "other.warc.gz"  # another writer's metadata, and a broken hints record
    with open(other, "wb") as handle:
        out = WARCWriter(handle, gzip=True)
        for n, payload in enumerate((b'{"hints": {"title": "not ours"}}', b'{"hints": [1]}')):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = out.create_warc_record(f"http://a.example/{n}", "response",
                                            payload=io.BytesIO(PAGE), length=len(PAGE),
                                            http_headers=http)
            out.write_record(record)
            concurrent = record.rec_headers.get_header("WARC-Record-ID")
            out.write_record(out.create_warc_record(
                f"http://a.example/{n}", "metadata", payload=io.BytesIO(payload),
                length=len(payload),
                warc_content_type="text/plain" if n == 0 else "application/json",
                warc_headers_dict={"WARC-Concurrent-To": concurrent}))
    first, second = read_captures(other, 1 << 20)
    assert (first.hints, first.bad_hints) == ({}, None)
    assert second.hints == {} and "not an object" in (second.bad_hints or "")


def test_an_uncompressed_warc_is_read_over_a_broken_record(tmp_path: Path):
    """A ``.warc`` (no gzip, so no CRC) with a record whose Content-Length lies: its digest
    fails, it is named and counted, and the records after it are read, from the next
    ``WARC/`` line."""
    def record(url: str, lie: int = 0) -> bytes:
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(PAGE),
                                                      length=len(PAGE), http_headers=http))
        data = out.getvalue()
        if lie:
            length = data.split(b"Content-Length: ")[1].split(b"\r\n")[0]
            data = data.replace(b"Content-Length: " + length,
                                b"Content-Length: %d" % (int(length) - lie))
        return data

    path = tmp_path / "plain.warc"
    path.write_bytes(record("http://a.example/1") + record("http://a.example/2", lie=300)
                     + record("http://a.example/3"))
    read: list[Capture] = []
    with pytest.raises(BrokenWarc, match="1 unreadable part"):
        read.extend(read_captures(path, 1 << 20))
    good = [c.url for c in read if c.skip is None and c.error is None]
    assert good == ["http://a.example/1", "http://a.example/3"]
    assert [c.skip for c in read if c.skip] == ["bad_record"]
    assert [c.offset for c in read if c.url.endswith("/3")] == [
        path.read_bytes().index(b"WARC/1.0", len(record("http://a.example/1")) + 10)]


def test_a_gzip_bomb_is_not_inflated_to_its_end(tmp_path: Path):
    """A member that inflates past the limit is a broken one; the next member is read."""
    good = gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(gzip.compress(b"\0" * 5_000_000) + good)
    with open(path, "rb") as handle:
        bomb, after = gzip_members(handle, cap=1000, limit=2_000_000)
    assert "over 2000000 bytes" in (bomb.error or "") and len(bomb.data) == 1000
    assert after.error is None and after.offset == len(path.read_bytes()) - len(good)


def test_a_response_is_stored_as_the_extractor_saw_it():
    """Scrapy decompressed and de-chunked the body: the record says so in its headers."""
    body = b"<html><body>decoded</body></html>"
    response = HtmlResponse(
        "http://127.0.0.1:8000/a.html", body=body, request=Request("http://127.0.0.1:8000/a.html"),
        headers={"Content-Type": "text/html", "Content-Length": "20",
                 "Transfer-Encoding": "chunked"},
    )
    exchange = exchange_of(response.request, response)
    headers = dict(exchange.response_headers)
    assert headers["Content-Length"] == str(len(body))
    assert "Transfer-Encoding" not in headers and "Content-Encoding" not in headers
    assert headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"
    assert headers["X-Archive-Orig-Content-Length"] == "20"
    assert ("Host", "127.0.0.1:8000") in exchange.request_headers


def _written_page(written: Future, date: datetime) -> tuple[HtmlResponse, Page]:
    """A response whose record is being written (as the middleware leaves it) and its Page."""
    request = Request("http://127.0.0.1:8000/a.html", meta={META_KEY: (written, date)})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    return response, Page(url=request.url, site="s", body=response.body, http_status=200,
                          fetched_at=datetime(2000, 1, 1, tzinfo=UTC))


def test_a_page_waits_for_its_record_and_a_failed_write_leaves_no_pointer():
    """The middleware does not wait for a write; ArchivePointers holds the Page until its
    record is in the file. A failed write (the run stops) leaves the page without a place."""
    date = datetime.now(UTC)

    async def points(written: Future, finish: Any) -> tuple[Page, list[Any]]:
        response, page = _written_page(written, date)

        async def output() -> AsyncIterator[Any]:
            yield "not a page"
            yield page

        async def collect() -> list[Any]:
            mw = ArchivePointers()
            return [item async for item in mw.process_spider_output_async(response, output())]

        task = asyncio.ensure_future(collect())
        for _ in range(5):  # let it run up to the wait for the write
            await asyncio.sleep(0)
        assert not task.done() and page.warc_file is None
        threading.Thread(target=finish, args=(written,)).start()  # as the writer's thread
        return page, await task

    page, items = asyncio.run(points(Future(), lambda f: f.set_result(("warc/x.warc.gz", 77))))
    assert items == ["not a page", page]
    assert (page.warc_file, page.warc_offset, page.fetched_at) == ("warc/x.warc.gz", 77, date)
    page, items = asyncio.run(points(Future(), lambda f: f.set_exception(OSError("disk full"))))
    assert items[1] is page and page.fetched_at == date
    assert page.warc_file is None and page.warc_offset is None

    done: Future = Future()  # the plain-generator path: the write already done
    done.set_result(("warc/y.warc.gz", 5))
    response, page = _written_page(done, date)
    assert list(ArchivePointers().process_spider_output(response, [page])) == [page]
    assert (page.warc_file, page.warc_offset) == ("warc/y.warc.gz", 5)


def test_a_file_left_open_is_cut_to_its_last_whole_record(tmp_path: Path):
    writer = WarcFileWriter(tmp_path, "crawl_date=2026-12-06", "killed", max_bytes=1 << 30)
    writer.write(_exchange(1))
    writer.write(_exchange(2))
    open_path = writer.open_path
    assert open_path is not None and open_path.name.startswith(".")
    whole = open_path.stat().st_size
    member = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + PAGE)
    half = member[: len(member) // 2]
    with open(open_path, "ab") as handle:  # what a kill -9 in the middle of a write leaves
        handle.write(half)
    assert warc_files([tmp_path]) == []  # readers never see a file still open
    assert complete_length(open_path) == whole
    [final] = recover_open_files(tmp_path)
    assert final == writer.files[0] and final.stat().st_size == whole
    assert warcio_check(final).returncode == 0
    assert [c.body for c in read_captures(final, 1 << 20)] == [PAGE, PAGE]


def test_an_empty_open_file_is_dropped(tmp_path: Path):
    partition = tmp_path / ARCHIVE_DIR / "crawl_date=2026-12-06"
    partition.mkdir(parents=True)
    (partition / ".run-00000.warc.gz.open").write_bytes(b"\x1f\x8b\x08")
    assert recover_open_files(tmp_path) == []
    assert list(partition.iterdir()) == []


# --------------------------------------------------------------------------- a real crawl


@pytest.fixture(scope="module")
def crawled(run_crawl, serve_sites, tmp_path_factory):
    """A crawl of the fixture sites, small WARC files, and the bytes each server sent."""
    workdir = tmp_path_factory.mktemp("archive")
    with serve_sites("harbor", "valley", "rive") as servers:
        result = run_crawl(servers, workdir, ARCHIVE_MAX_BYTES="20000")
        sent = {}
        for server in servers.values():
            for path in server.requests:
                found = server.load(urlsplit(path).path)
                if found is not None:
                    sent[canonicalize(server.url + path)] = found[0]
    assert result.returncode == 0, result.log
    return result, sent


def test_crawl_writes_complete_rotated_files(crawled):
    result, _ = crawled
    root = result.output / ARCHIVE_DIR
    everything = [p for p in root.rglob("*") if p.is_file()]
    files = warc_files([result.output])
    assert len(files) > 1 and sorted(everything) == files  # no hidden file left
    assert all(p.parent.name == f"crawl_date={result.started:%Y-%m-%d}" for p in files)
    check = warcio_check(*files)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout + check.stderr


def test_every_record_has_its_headers(crawled):
    result, _ = crawled
    for path in warc_files([result.output]):
        with open(path, "rb") as handle:
            records = list(ArchiveIterator(handle, parse_http=False))
        assert records[0].record_type == WarcRecordType.warcinfo
        for record in records[1:]:
            headers = record.headers
            for name in ("WARC-Target-URI", "WARC-Date", "WARC-Record-ID"):
                assert headers.get(name), (path, name)
            if record.record_type == WarcRecordType.response:
                assert headers.get("WARC-Payload-Digest", "").startswith("sha1:")
                assert headers.get("WARC-IP-Address") == "127.0.0.1"


def test_every_article_points_at_the_bytes_the_server_sent(crawled):
    result, sent = crawled
    rows = pq.read_table(result.output / "articles").to_pylist()
    assert rows
    for row in rows:
        records = {r[2]: r for r in fastwarc_records(result.output / row["warc_file"])}
        kind, uri, _, payload = records[row["warc_offset"]]
        assert kind == "response" and canonicalize(uri) == row["url"]
        assert payload == sent[row["url"]]


def test_archive_off_writes_no_warc(run_crawl, serve_sites, tmp_path):
    with serve_sites("rive") as servers:
        result = run_crawl(servers, tmp_path, ARCHIVE_ENABLED="False")
    assert result.returncode == 0, result.log
    assert not (result.output / ARCHIVE_DIR).exists()
    rows = pq.read_table(result.output / "articles").to_pylist()
    assert rows and all(r["warc_file"] is None and r["warc_offset"] is None for r in rows)


# --------------------------------------------------------------------------- kill -9


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _story(n: int) -> bytes:
    words = "The harbor council met on Tuesday to weigh the cost of the new sea wall."
    body = "".join(f"<p>{words} Paragraph {i} of story {n}.</p>" for i in range(6))
    return f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>" \
           f"{body}</article></body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/":
            links = "".join(f'<a href="/news/2026/11/story-number-{n}.html">s</a>'
                            for n in (1, 2, 3, 4))
            body = f"<html><body>{links}</body></html>".encode()
        elif self.path.startswith("/news/2026/11/story-number-"):
            n = int(self.path.rsplit("-", 1)[1].split(".")[0])
            if n == 4:
                self.server.release.wait(timeout=60)
            body = _story(n)
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@pytest.fixture
def slow_site() -> Iterator[_Site]:
    server = _Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _crawl_command(sites: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}",
            "-s", f"OUTPUT_DIR={out}", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "DOWNLOAD_DELAY=0", "-s", "ROBOTSTXT_OBEY=False", "-s", "EXTRACT_WORKERS=1",
            "-s", "LOG_LEVEL=DEBUG"]


def test_kill_9_leaves_readable_files_and_the_rerun_archives_the_rest(slow_site, tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[[sites]]\nname = "harbor"\nstart_urls = ["{slow_site.base}/"]\n')
    out = tmp_path / "out"
    crawled: set[str] = set()
    with subprocess.Popen(_crawl_command(sites, out), cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as proc:
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # "Archived": the record is in the file
                if "Archived" in line and "story-number-" in line:
                    crawled.add(line.split("story-number-")[1][:1])
                if crawled == {"1", "2", "3"}:
                    break
        finally:
            proc.kill()  # SIGKILL: no close, no flush, no rename
    assert crawled == {"1", "2", "3"}
    [left] = list((out / ARCHIVE_DIR).rglob(".*.open"))
    assert warc_files([out]) == []  # readers skip the open file...
    killed = [uri for kind, uri, _, _ in fastwarc_records(left) if kind == "response"]
    assert {f"{slow_site.base}/news/2026/11/story-number-{n}.html" for n in (1, 2, 3)} <= set(
        killed)  # ...which holds every record written before the kill

    slow_site.release.set()
    rerun = subprocess.run(_crawl_command(sites, out), cwd=ROOT, capture_output=True, text=True,
                           timeout=240, check=False)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    files = warc_files([out])
    recovered = left.with_name(left.name[1:].removesuffix(".open"))
    [rerun_file] = set(files) - {recovered}  # the killed run's file completed, and the rerun's
    assert recovered in files and not list((out / ARCHIVE_DIR).rglob(".*"))
    check = warcio_check(*files)
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout
    rows = pq.read_table(out / "articles").to_pylist()
    assert sorted(r["title"] for r in rows) == [f"Story {n}" for n in (1, 2, 3, 4)]
    for row in rows:  # the killed run stored nothing, so the rerun fetched and archived all
        assert row["warc_file"] == str(rerun_file.relative_to(out))
        records = {r[2]: r for r in fastwarc_records(out / row["warc_file"])}
        assert records[row["warc_offset"]][1] == row["url"]


# --------------------------------------------------------------------------- schema versions


def test_schema_1_files_read_with_schema_2_files(crawled, tmp_path):
    """Files written before the archive (schema 1, no warc_* columns) read together with new ones:
    pyarrow and pandas given the schema, DuckDB by name, polars given the schema; and
    ``scrapy compact`` merges a partition that holds both."""
    import duckdb
    import pandas as pd
    import polars as pl

    from pipelines.compact import compact_dataset
    from pipelines.schema import ARTICLES

    result, _ = crawled
    new = pq.read_table(next((result.output / "articles").rglob("*.parquet")))
    v1 = pa.schema([f for f in ARTICLES if not f.name.startswith("warc_")],
                   metadata={"newsclean.table": "articles", "newsclean.schema_version": "1"})
    old = new.drop_columns(["warc_file", "warc_offset"]).cast(v1)
    old = old.set_column(old.schema.get_field_index("schema_version"), "schema_version",
                         pa.array([1] * len(old), pa.int16()))
    root = tmp_path / "articles"
    for name, table in (("crawl_date=2026-01-01/old.parquet", old),
                        ("crawl_date=2026-12-06/new.parquet", new),
                        ("crawl_date=2026-12-06/old.parquet", old)):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, root / name)
    expected = sorted([(r["url"], None) for r in old.to_pylist()] * 2
                      + [(r["url"], r["warc_file"]) for r in new.to_pylist()], key=str)

    import pyarrow.dataset as ds

    got = ds.dataset(root, schema=ARTICLES).to_table(columns=["url", "warc_file"]).to_pylist()
    assert sorted(((r["url"], r["warc_file"]) for r in got), key=str) == expected
    frame = pd.read_parquet(root, schema=ARTICLES)
    assert sorted(((u, w if isinstance(w, str) else None)
                   for u, w in zip(frame.url, frame.warc_file, strict=True)), key=str) == expected
    got = duckdb.sql(f"select url, warc_file from read_parquet('{root}/**/*.parquet', "
                     f"union_by_name = true)").fetchall()
    assert sorted(got, key=str) == expected
    schema = pl.from_arrow(ARTICLES.empty_table()).schema
    got = pl.scan_parquet(f"{root}/**/*.parquet", schema=schema, missing_columns="insert",
                          hive_partitioning=True).select("url", "warc_file").collect().rows()
    assert sorted(got, key=str) == expected

    [merged] = [c for c in compact_dataset(tmp_path).compacted
                if c.partition.name.endswith("12-06")]
    table = pq.read_table(merged.merged)
    assert table.schema.equals(ARTICLES, check_metadata=False)
    assert sorted(table.column("schema_version").to_pylist()) == [1] * len(old) + [2] * len(new)


def test_an_archive_that_cannot_be_written_stops_the_run(run_crawl, serve_sites, tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / ARCHIVE_DIR).write_text("a file where the archive's folder goes")
    with serve_sites("rive") as servers:
        result = run_crawl(servers, tmp_path)
    assert result.returncode == 1, result.log
    assert "cannot write the WARC archive" in result.log
    assert "could not write the dataset" in result.stderr


def test_discovery_is_archived_when_asked(run_crawl, serve_sites, tmp_path):
    """robots.txt, sitemaps (a gzipped one as it was served) and feeds go in too."""
    with serve_sites("harbor") as servers:
        result = run_crawl(servers, tmp_path, ARCHIVE_DISCOVERY="True")
        base = servers["harbor"].url
        sitemap = servers["harbor"].load("/sitemap-archive.xml")
    assert result.returncode == 0, result.log
    records = {uri: payload for path in warc_files([result.output])
               for kind, uri, _, payload in fastwarc_records(path) if kind == "response"}
    assert records[f"{base}/robots.txt"].startswith(b"User-agent")
    assert f"{base}/sitemap_index.xml" in records
    assert sitemap is not None and records[f"{base}/sitemap-archive.xml.gz"] == gzip.compress(
        sitemap[0], mtime=0)


@pytest.mark.parametrize("level", range(1, 10))
def test_a_gzip_member_at_every_level_is_plain_gzip(level):
    """Levels 1-3 are ISA-L's, 4-9 zlib's: each is one member any gzip reader reads back."""
    data = b"<p>Ein Klick f\xc3\xbcr den Datenschutz.</p>\n" * 2000
    member = gzip_member(data, level)
    assert gzip.decompress(member) == data
    assert len(member) < len(data) // 10
