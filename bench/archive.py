"""Archive benchmarks: what the WARC archive costs a crawl, and how fast ``reextract`` reads one.

``crawl``: the real ``scrapy crawl news`` on ``bench.newssite`` (N copies of the 93 saved pages of
``../shared/bench/aeb-dev/``), with ``ARCHIVE_ENABLED`` on and off in turn (``--rounds`` pairs,
alternated, so the machine's drift falls on both), through ``bench/crawl.py``'s own runner:
pages/s end to end, peak RSS of the process tree, CPU of the reactor process, and the archive's
size per 1,000 pages.

``reextract``: an archive of N pages (the same rendered copies, written by the crawl's own
``WarcFileWriter``), read back by ``scrapy reextract`` on all cores, beside bare
``trafilatura.extract`` (its defaults) on the same pages on all cores, measured before and after.

    .venv/bin/python bench/archive.py crawl --pages 2000 --rounds 2      # about 6 minutes
    .venv/bin/python bench/archive.py reextract --pages 2000             # about 3 minutes
    .venv/bin/python bench/archive.py crawl --pages 300 --rounds 1       # a smoke run

``records``: CPU per page (``time.thread_time``, best of ``--repeats``) of the archive's own
steps on the 93 saved pages, no crawl: the records of one exchange built by warcio (as
``WarcFileWriter`` does) and by FastWARC's writer, each with and without a hints record, then
gzipped; the reading of an archive of them (``read_captures``: inflate and warcio's parse), and
FastWARC's parse of the same gzip members. About 30 seconds.

    .venv/bin/python bench/archive.py records
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from bench import crawl as crawlbench  # noqa: E402
from bench import newssite as site  # noqa: E402
from crawler.archive import (  # noqa: E402
    HINTS_TYPE,
    Exchange,
    WarcFileWriter,
    _member_items,
    _reason,
    gzip_member,
    gzip_members,
    hints_payload,
    read_captures,
    warc_files,
)

MB = 1024 * 1024


# --------------------------------------------------------------------------- crawl: on / off


def crawl_once(templates: list[site.Template], pages: int, archive: bool) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix=f"newsclean-archive-{archive}-"))
    try:
        run = crawlbench.run_crawl(templates, pages, workdir, ROOT,
                                   [f"ARCHIVE_ENABLED={archive}"])
        if run.returncode != 0:
            raise SystemExit(f"crawl failed ({run.returncode}): {run.log_tail}")
        processed = run.processed or pages
        warcs = warc_files([workdir / "output"]) if archive else []
        size = sum(p.stat().st_size for p in warcs)
        return {
            "pages_s": processed / run.wall,
            "peak_rss_mb": run.tree.peak_rss / MB,
            "reactor_cpu_ms": 1000 * run.stats.get("bench/cpu_self", 0.0) / processed,
            "archive_mb_per_1000": size / MB / processed * 1000,
            "responses": float(run.stats.get("newsclean/archive/responses", 0)),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def bench_crawl(pages: int, rounds: int) -> None:
    templates, _ = site.build_templates(check=site.article_text)
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for n in range(rounds):
        for archive in ((True, False) if n % 2 == 0 else (False, True)):
            figures = crawl_once(templates, pages, archive)
            runs[archive].append(figures)
            print(f"archive {'on ' if archive else 'off'}: "
                  + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)
    on, off = ({k: median(r[k] for r in runs[a]) for k in runs[a][0]} for a in (True, False))
    print(f"\nN = {pages}, {rounds} pair(s), medians: archive on {on['pages_s']:.1f} pages/s, "
          f"off {off['pages_s']:.1f} pages/s ({100 * (on['pages_s'] / off['pages_s'] - 1):+.1f} "
          f"%); peak RSS {on['peak_rss_mb']:.0f} vs {off['peak_rss_mb']:.0f} MB; reactor CPU "
          f"{on['reactor_cpu_ms']:.1f} vs {off['reactor_cpu_ms']:.1f} ms/page; archive "
          f"{on['archive_mb_per_1000']:.1f} MB per 1,000 pages")


# --------------------------------------------------------------------------- reextract


def write_archive(templates: list[site.Template], pages: int, root: Path) -> int:
    """N rendered copies as the crawl would archive them; the archive's size in bytes."""
    writer = WarcFileWriter(root, "crawl_date=2026-01-01", "bench", 1024**3)
    base = "http://127.0.0.1:1"
    for copy in range(pages):
        url = base + site.article_path(copy)
        body = templates[copy % len(templates)].render(copy, url)
        writer.write(Exchange(
            url=url, date=datetime.now(UTC), ip="127.0.0.1", method="GET",
            request_headers=[("Host", "127.0.0.1:1")], protocol="HTTP/1.1", status=200,
            response_headers=[("Content-Type", "text/html; charset=utf-8"),
                              ("Content-Length", str(len(body)))],
            body=body,
        ))
    writer.close()
    return writer.bytes


def _reextract(source: Path, out: Path) -> tuple[subprocess.CompletedProcess, float]:
    """``scrapy reextract SOURCE`` into ``out``, and its wall time."""
    command = [sys.executable, "-m", "scrapy", "reextract", str(source),
               "-s", f"OUTPUT_DIR={out}", "-s", "LOG_LEVEL=WARNING"]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=crawlbench.crawl_env(ROOT),
                          capture_output=True, text=True, check=False)
    return proc, time.perf_counter() - start


def bench_reextract(pages: int) -> None:
    templates, _ = site.build_templates(check=site.article_text)
    workdir = Path(tempfile.mkdtemp(prefix="newsclean-reextract-"))
    try:
        size = write_archive(templates, pages, workdir / "source")
        print(f"archive: {pages} pages, {size / MB:.1f} MB ({size / MB / pages * 1000:.1f} MB "
              f"per 1,000 pages)", flush=True)
        sample = crawlbench.make_sample(templates, len(templates))
        before, _ = crawlbench.all_cores(sample, crawlbench._bare_default)
        (workdir / "empty").mkdir()
        startup = min(_reextract(workdir / "empty", workdir / f"idle{n}")[1] for n in range(3))
        proc, wall = _reextract(workdir / "source", workdir / "out")
        after, _ = crawlbench.all_cores(sample, crawlbench._bare_default)
        if proc.returncode != 0:
            raise SystemExit(f"reextract failed: {proc.stderr[-2000:]}")
        bare = (before + after) / 2
        rate = pages / wall
        print(proc.stderr.strip().splitlines()[-1])
        print(f"reextract: {rate:.1f} pages/s end to end (start-up included); bare "
              f"trafilatura.extract on all cores {bare:.1f} pages/s (before {before:.1f}, after "
              f"{after:.1f}): ratio {rate / bare:.2f}")
        steady = pages / (wall - startup)
        print(f"   start-up (the same command on an empty folder, best of 3) {startup:.1f} s; "
              f"without it {steady:.1f} pages/s: ratio {steady / bare:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------- records: CPU a page


def saved_exchanges(hints: bool) -> list[Exchange]:
    """The saved pages as a crawl hands them to the archive (headers as the bench site sends)."""
    out = []
    for n, path in enumerate(sorted((site.BENCH_DIR / "html").glob("*.html.gz"))):
        body = gzip.decompress(path.read_bytes())
        url = "http://127.0.0.1:8080" + site.article_path(n)
        out.append(Exchange(
            url=url, date=datetime.now(UTC), ip="127.0.0.1", method="GET",
            request_headers=[("Host", "127.0.0.1:8080"), ("Accept", "text/html"),
                             ("Accept-Language", "en"), ("User-Agent", "newsclean/0.1"),
                             ("Accept-Encoding", "gzip, deflate, br, zstd")],
            protocol="HTTP/1.1", status=200,
            response_headers=[("Server", "SimpleHTTP/0.6 Python/3.11"),
                              ("Content-Type", site.HTML_TYPE),
                              ("X-Archive-Orig-Content-Length", str(len(body))),
                              ("Content-Length", str(len(body)))],
            body=body,
            hints={"title": "A title", "published_at": datetime(2026, 11, 1, tzinfo=UTC)}
            if hints else {},
        ))
    return out


def fastwarc_records(exchange: Exchange) -> list[bytes]:
    """The records ``WarcFileWriter`` writes, built by FastWARC's writer and gzipped as ours."""
    from fastwarc.warc import WarcRecord, WarcRecordType
    from warcio.timeutils import datetime_to_iso_date

    def record(kind: Any, block: bytes, fields: dict[str, str], http: bool) -> WarcRecord:
        built = WarcRecord()
        built.init_headers(kind)
        for name, value in fields.items():
            built.headers[name] = value
        built.set_bytes_content(block)
        built.is_http = http
        return built

    def http_block(first: str, headers: list[tuple[str, str]]) -> bytes:
        return (first + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
                + "\r\n").encode("latin-1")

    def serialised(built: WarcRecord, payload: bytes | None) -> bytes:
        out = io.BytesIO()
        digest = hashlib.sha1(payload).digest() if payload is not None else None
        built.write(out, checksum_data=True, payload_digest=digest)
        return gzip_member(out.getvalue(), 1)

    fields = {"WARC-Date": datetime_to_iso_date(exchange.date.replace(tzinfo=None),
                                                use_micros=True),
              "WARC-IP-Address": exchange.ip or "", "WARC-Target-URI": exchange.url}
    status = f"{exchange.protocol} {exchange.status} {_reason(exchange.status)}"
    response = record(WarcRecordType.response,
                      http_block(status, exchange.response_headers) + exchange.body, fields,
                      True)
    records = [serialised(response, exchange.body)]
    concurrent = {**fields, "WARC-Concurrent-To": response.record_id or ""}
    target = urlsplit(exchange.url)
    request = record(WarcRecordType.request,
                     http_block(f"{exchange.method} {target.path or '/'} HTTP/1.1",
                                exchange.request_headers), concurrent, True)
    records.append(serialised(request, b""))
    if exchange.hints:
        metadata = record(WarcRecordType.metadata, hints_payload(exchange.hints),
                          {**concurrent, "Content-Type": HINTS_TYPE}, False)
        records.append(serialised(metadata, None))
    return records


def cpu_ms(work: Callable[[], int], repeats: int) -> float:
    """CPU ms of this thread per unit ``work`` returns, best of ``repeats``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        units = work()
        best = min(best, (time.thread_time() - start) / units)
    return 1000 * best


def bench_records(repeats: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="newsclean-records-"))
    try:
        writer = WarcFileWriter(workdir, "crawl_date=2026-01-01", "bench", 1024**4)
        for hints in (False, True):
            pages = saved_exchanges(hints)
            figures = {
                "warcio": cpu_ms(lambda p=pages: sum(1 for e in p if writer._records(e)),
                                 repeats),
                "FastWARC": cpu_ms(lambda p=pages: sum(1 for e in p if fastwarc_records(e)),
                                   repeats),
            }
            print(f"records of one exchange{' + hints' if hints else ''}, gzipped (python-isal"
                  f" level 1): " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
                  + " CPU ms a page", flush=True)
        pages = saved_exchanges(True)
        for exchange in pages:
            writer.write(exchange)
        writer.close()
        [path] = writer.files
        max_body = 10 * MB

        def read() -> int:
            return sum(1 for c in read_captures(path, max_body) if c.skip is None)

        with open(path, "rb") as handle:
            members = list(gzip_members(handle, max_body))

        def inflate() -> int:
            with open(path, "rb") as handle:
                return sum(1 for _ in gzip_members(handle, max_body)) // 3

        def warcio_parse() -> int:
            return sum(1 for m in members for _ in _member_items(m, path, max_body)) // 2

        def fastwarc_parse() -> int:
            from fastwarc.warc import WarcRecord, WarcRecordType

            for member in members:
                record = WarcRecord.from_bytes(member.data)
                if record.record_type == WarcRecordType.response:
                    record.parse_http(auto_decode="all")
                record.reader.read()
            return len(pages)

        print(f"reading: read_captures {cpu_ms(read, repeats):.3f} ms a page = inflate "
              f"{cpu_ms(inflate, repeats):.3f} + warcio's parse {cpu_ms(warcio_parse, repeats):.3f}"
              f"; FastWARC's parse of the same members {cpu_ms(fastwarc_parse, repeats):.3f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("crawl", "reextract", "records"))
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="crawl: on/off pairs (default 2)")
    parser.add_argument("--repeats", type=int, default=5, help="records: best of (default 5)")
    args = parser.parse_args(argv)
    if args.what == "crawl":
        bench_crawl(args.pages, args.rounds)
    elif args.what == "records":
        bench_records(args.repeats)
    else:
        bench_reextract(args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
