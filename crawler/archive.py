"""The WARC archive: every page the crawl fetched, kept as it was fetched (ISO 28500, WARC/1.1).

Layout: ``OUTPUT_DIR/warc/crawl_date=YYYY-MM-DD/<crawl_id>-NNNNN.warc.gz``, one gzip member per
record, a ``warcinfo`` record first in every file, then a ``response`` and a ``request`` record
for every HTML response the crawl received (articles, listings, error pages with a body; robots.txt,
sitemaps and feeds too with ``ARCHIVE_DISCOVERY``), and a ``metadata`` record (``application/json``,
``WARC-Concurrent-To`` the response) with what a sitemap or feed said of the page (``Page.hints``:
title, dates) when it said anything, so that a re-extraction gives the page the same hints.
A file is written under a hidden temporary name (``.<name>.open``) and renamed when complete: at
``ARCHIVE_MAX_BYTES``, at the end of the run, after SIGTERM. A file a killed run left open is cut
back to its last complete record and renamed by the next run (``recover_open_files``), so the
articles that point into it stay readable.

The payload is the body as the extractor saw it: a body Scrapy decompressed is stored decompressed,
``Transfer-Encoding`` and the original ``Content-Length`` are kept as ``X-Archive-Orig-*`` headers
and ``Content-Length`` gives the stored length. warcio builds the records and their digests.

``ArchiveMiddleware`` (downloader) hands each exchange to the writer's thread without waiting;
``ArchivePointers`` (spider) copies each record's place, ``(warc_file, warc_offset)``, into the
``Page`` items of its response once the record is written. ``read_captures`` reads the
responses of any WARC file back, other tools' included (chunked and compressed payloads decoded),
with the hints of their ``metadata`` records.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
import socket
import threading
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

from crawler.dataset import fsync_dir
from crawler.items import Page
from crawler.responses import is_html
from crawler.state import store_failed

try:  # ISA-L's deflate and inflate (gzip_member, unpacker)
    from isal import isal_zlib
except ImportError:  # pragma: no cover - a platform without an isal wheel: zlib
    isal_zlib = None

logger = logging.getLogger(__name__)

ARCHIVE_DIR = "warc"  # under OUTPUT_DIR
SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"  # a file still being written: ``.<name>.open``, hidden from readers
META_KEY = "newsclean_warc"  # request.meta: (the write's Future, WARC-Date) of the response
_DROPPED = {"content-length", "transfer-encoding", "content-encoding"}
HINTS_TYPE = "application/json"  # Content-Type of the metadata record of a page's hints
HINTS_MAX_BYTES = 64 * 1024  # a metadata record larger than this is not one of ours
_HINT_DATES = ("published_at", "modified_at", "lastmod")  # the hints that are datetimes


@dataclass(frozen=True)
class ArchiveConfig:
    """``ARCHIVE_*`` settings, read once."""

    output_dir: Path
    max_bytes: int
    discovery: bool
    gzip_level: int

    @classmethod
    def from_settings(cls, settings: Any) -> ArchiveConfig:
        max_bytes = settings.getint("ARCHIVE_MAX_BYTES")
        level = settings.getint("ARCHIVE_GZIP_LEVEL")
        if max_bytes < 1 or not 1 <= level <= 9:
            raise ValueError(f"ARCHIVE_MAX_BYTES must be >= 1 and ARCHIVE_GZIP_LEVEL 1-9 "
                             f"(got {max_bytes!r}, {level!r})")
        return cls(Path(settings.get("OUTPUT_DIR")), max_bytes,
                   settings.getbool("ARCHIVE_DISCOVERY"), level)


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as plain data (built on the reactor, written in a thread)."""

    url: str
    date: datetime
    ip: str | None
    method: str
    request_headers: list[tuple[str, str]]
    protocol: str
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    hints: dict[str, Any] = field(default_factory=dict)  # what a sitemap or feed said of it


def exchange_of(request: Request, response: Response) -> Exchange:
    """What the archive keeps of ``response``: headers fixed to say the body is stored as is."""
    headers = _pairs(response.headers)
    kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
    for name, value in headers:
        if name.lower() in ("content-length", "transfer-encoding"):
            kept.append((f"X-Archive-Orig-{name}", value))
    kept.append(("Content-Length", str(len(response.body))))
    request_headers = _pairs(request.headers)
    if not any(k.lower() == "host" for k, _ in request_headers):
        request_headers.insert(0, ("Host", urlsplit(response.url).netloc))
    return Exchange(
        url=response.url,
        date=datetime.now(UTC),
        ip=str(response.ip_address) if response.ip_address is not None else None,
        method=request.method,
        request_headers=request_headers,
        protocol=response.protocol or "HTTP/1.1",
        status=response.status,
        response_headers=kept,
        body=response.body,
        hints=dict(request.cb_kwargs.get("hints") or {}),  # the news spider's parse_page argument
    )


def _pairs(headers: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1"))
            for k, values in headers.items() for v in values]


def gzip_member(data: bytes, level: int) -> bytes:
    """``data`` as one gzip member (what ``.warc.gz`` readers seek to record by record).

    Levels 1-3 are ISA-L's (python-isal): its level 1 takes a quarter of zlib level 1's time for
    files as small (measured on the aeb-dev pages: 0.56 vs 2.46 ms a page); 4-9, or where isal
    has no wheel, zlib's.
    """
    if isal_zlib is not None and level <= isal_zlib.ISAL_BEST_COMPRESSION:
        packer = isal_zlib.compressobj(level, isal_zlib.DEFLATED, isal_zlib.MAX_WBITS | 16)
    else:
        packer = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return packer.compress(data) + packer.flush()


def unpacker() -> Any:
    """A decompressor of one gzip member (zlib's API; its CRC and length checked at its end):
    ISA-L's inflate, about half of zlib's time (0.24 against 0.46 ms a page of aeb-dev), or
    zlib's where isal has no wheel."""
    if isal_zlib is not None:
        return isal_zlib.decompressobj(isal_zlib.MAX_WBITS | 16)
    return zlib.decompressobj(zlib.MAX_WBITS | 16)  # pragma: no cover


INFLATE_ERRORS: tuple[type[Exception], ...] = (
    (zlib.error,) if isal_zlib is None else (zlib.error, isal_zlib.error))


class WarcFileWriter:
    """The WARC files of one run: records appended to an open file, rotated at ``max_bytes``.

    ``write`` is thread-safe (one lock) and puts each record into the file with one ``write``
    call, so a record is in the file, complete, before its offset is handed out.
    """

    def __init__(self, root: Path, partition: str, prefix: str, max_bytes: int,
                 level: int = 1) -> None:
        self.root = root
        self.directory = root / ARCHIVE_DIR / partition
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.level = level
        self.builder = WARCWriter(None, gzip=False, warc_version="1.1")
        self.lock = threading.Lock()
        self.files: list[Path] = []  # every file of the run, in place or open
        self.records = 0
        self.bytes = 0
        self._fd: int | None = None
        self._size = 0

    @property
    def open_path(self) -> Path | None:
        return _open_name(self.files[-1]) if self._fd is not None else None

    def write(self, exchange: Exchange) -> tuple[str, int]:
        """Append the response, request and (with hints) metadata records; ``(warc_file,
        offset)`` of the response."""
        records = self._records(exchange)
        with self.lock:
            if self._fd is None:
                self._open()
            offset = self._size
            self._append(b"".join(records), len(records))  # the exchange in one write call
            where = str(self.files[-1].relative_to(self.root))
            if self._size >= self.max_bytes:
                self._close()
        return where, offset

    def close(self) -> None:
        with self.lock:
            if self._fd is not None:
                self._close()

    def _records(self, exchange: Exchange) -> list[bytes]:
        date = datetime_to_iso_date(exchange.date.replace(tzinfo=None), use_micros=True)
        warc_headers = {"WARC-Date": date}
        if exchange.ip:
            warc_headers["WARC-IP-Address"] = exchange.ip
        status = f"{exchange.status} {_reason(exchange.status)}"
        response = self.builder.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            length=len(exchange.body), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(status, exchange.response_headers,
                                          protocol=exchange.protocol),
        )
        concurrent = {**warc_headers,
                      "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}
        target = urlsplit(exchange.url)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
        request = self.builder.create_warc_record(
            exchange.url, "request", warc_headers_dict=concurrent,
            http_headers=StatusAndHeaders(f"{exchange.method} {path} HTTP/1.1",
                                          exchange.request_headers, is_http_request=True),
        )
        records = [self._serialise(response), self._serialise(request)]
        if exchange.hints:
            data = hints_payload(exchange.hints)
            metadata = self.builder.create_warc_record(
                exchange.url, "metadata", payload=io.BytesIO(data), length=len(data),
                warc_content_type=HINTS_TYPE, warc_headers_dict=concurrent,
            )
            records.append(self._serialise(metadata))
        return records

    def _serialise(self, record: Any) -> bytes:
        out = io.BytesIO()
        WARCWriter(out, gzip=False, warc_version="1.1").write_record(record)
        return gzip_member(out.getvalue(), self.level)

    def _open(self) -> None:
        path = self.directory / f"{self.prefix}-{len(self.files):05d}{SUFFIX}"
        self.directory.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(_open_name(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.files.append(path)
        self._size = 0
        info = self.builder.create_warcinfo_record(path.name, {
            "software": f"newsclean/0.1 (warcio {version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            "isPartOf": self.prefix,
        })
        self._append(self._serialise(info))

    def _append(self, data: bytes, records: int = 1) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:  # os.write may write less than asked (a signal, a full pipe)
            view = view[os.write(self._fd, view):]
        self._size += len(data)
        self.bytes += len(data)
        self.records += records

    def _close(self) -> None:
        assert self._fd is not None
        fd, self._fd = self._fd, None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        path = self.files[-1]
        os.replace(_open_name(path), path)
        fsync_dir(path.parent)


def hints_payload(hints: dict[str, Any]) -> bytes:
    """The JSON of a page's hints: ``{"hints": {"title": ..., "published_at": ISO 8601...}}``."""
    values = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in hints.items()}
    return json.dumps({"hints": values}, ensure_ascii=False, sort_keys=True, default=str).encode()


def hints_of_payload(data: bytes) -> dict[str, Any]:
    """The hints ``hints_payload`` wrote (unknown keys dropped); ``ValueError`` if malformed."""
    try:
        values = json.loads(data)["hints"]
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"not a hints record: {exc}") from None
    if not isinstance(values, dict):
        raise ValueError("not a hints record: 'hints' is not an object")
    hints: dict[str, Any] = {}
    if isinstance(title := values.get("title"), str):
        hints["title"] = title
    for key in _HINT_DATES:
        if isinstance(value := values.get(key), str):
            moment = datetime.fromisoformat(value)  # ValueError on a bad date
            hints[key] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return hints


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _open_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{OPEN_SUFFIX}")


# --------------------------------------------------------------------------- recovery


def complete_length(path: Path, chunk: int = 1 << 20) -> int:
    """Bytes of ``path`` that hold complete gzip members (records); what follows is cut off."""
    good = consumed = 0
    inflate = unpacker()
    with open(path, "rb") as handle:
        while data := handle.read(chunk):
            while data:
                try:
                    inflate.decompress(data, 0)
                except INFLATE_ERRORS:
                    return good
                if not inflate.eof:
                    consumed += len(data)
                    break
                rest = inflate.unused_data
                consumed += len(data) - len(rest)
                good = consumed
                inflate = unpacker()
                data = rest
    return good


def recover_open_files(output_dir: Path) -> list[Path]:
    """Complete the files a killed run left open: cut to the last whole record, rename.

    Call with the ``OUTPUT_DIR`` lock held (no other run writes then). The articles a killed run
    committed point into these files, so they are kept, not deleted."""
    done = []
    for tmp in sorted((output_dir / ARCHIVE_DIR).glob(f"*/.*{SUFFIX}{OPEN_SUFFIX}")):
        length = complete_length(tmp)
        final = tmp.with_name(tmp.name[1:].removesuffix(OPEN_SUFFIX))
        if length == 0:
            tmp.unlink()
            continue
        with open(tmp, "r+b") as handle:
            handle.truncate(length)
            os.fsync(handle.fileno())
        os.replace(tmp, final)
        fsync_dir(final.parent)
        done.append(final)
    return done


# --------------------------------------------------------------------------- crawl components


class ArchiveMiddleware:
    """Downloader middleware: every HTML response (and its request) into the run's WARC files.

    It sits after ``HttpCompressionMiddleware`` (590) so that it sees the body decompressed, as
    the extractor does, and before the meta-refresh middleware (580). Records are built and
    compressed in a thread: the reactor only copies headers and hands the exchange over; it does
    not wait for the write (``ArchivePointers`` waits, for the pages that need its place)."""

    def __init__(self, crawler: Any, config: ArchiveConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.stats = crawler.stats
        self.writer: WarcFileWriter | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        # One thread builds, compresses and writes the records: the writer appends under a lock
        # anyway, and one thread keeps one malloc arena (a pool of threads each grew its own).
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc")

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveMiddleware:
        if not crawler.settings.getbool("ARCHIVE_ENABLED"):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        mw = cls(crawler, ArchiveConfig.from_settings(crawler.settings))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def spider_opened(self) -> None:
        recovered = await asyncio.to_thread(recover_open_files, self.config.output_dir)
        for path in recovered:
            logger.info("completed %s, which a killed run left open", path)
        self.stats.set_value("newsclean/archive/recovered_files", len(recovered))
        spider = self.crawler.spider
        self.loop = asyncio.get_running_loop()
        self.writer = WarcFileWriter(
            self.config.output_dir, f"crawl_date={spider.started_at:%Y-%m-%d}",
            spider.crawl_id, self.config.max_bytes, self.config.gzip_level,
        )

    async def spider_closed(self) -> None:
        if self.writer is not None:
            await self._in_thread(self.writer.close)  # after the writes handed over before
            self.stats.set_value("newsclean/archive/files", len(self.writer.files))
            self.stats.set_value("newsclean/archive/bytes", self.writer.bytes)
        self.executor.shutdown(wait=False)

    async def _in_thread(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def _written(self, url: str, written: Future) -> None:
        """(in the writer's thread) Log the record's place; a write that failed (disk full,
        read-only...) stops the run, on the reactor: what follows would not be archived."""
        if (exc := written.exception()) is None:
            logger.debug("Archived %s (%s at %d)", url, *written.result())
        elif self.loop is not None:
            self.loop.call_soon_threadsafe(
                store_failed, self.crawler, OSError(f"cannot write the WARC archive: {exc}"))

    def wanted(self, response: Response) -> bool:
        return self.config.discovery or is_html(response)

    def process_response(self, request: Request, response: Response) -> Response:
        """Hand the exchange to the writer's thread and pass the response on at once (awaiting
        each write here cost the reactor a wake-up a page)."""
        if self.writer is None or not response.body or not self.wanted(response):
            request.meta.pop(META_KEY, None)  # a retry's copy of the meta must not point back
            return response
        exchange = exchange_of(request, response)
        written = self.executor.submit(self.writer.write, exchange)
        written.add_done_callback(partial(self._written, exchange.url))
        request.meta[META_KEY] = (written, exchange.date)
        self.stats.inc_value("newsclean/archive/responses")
        self.stats.set_value("newsclean/archive/bytes", self.writer.bytes)  # those written
        return response


class ArchivePointers:
    """Spider middleware: a ``Page`` learns where its response record is."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePointers:
        if not crawler.settings.getbool("ARCHIVE_ENABLED"):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        return cls()

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        for item in result:
            if (pending := _pending(item, response)) is not None:
                _point(item, pending)  # waits for the write (the async path below does not)
            yield item

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            if (pending := _pending(item, response)) is not None:
                if not pending[0].done():
                    with contextlib.suppress(Exception):  # a failed write: _point says it
                        await asyncio.wrap_future(pending[0])
                _point(item, pending)
            yield item


def _pending(item: Any, response: Response) -> tuple[Future, datetime] | None:
    """The write of the response of a ``Page``, and the response's ``WARC-Date``."""
    return response.meta.get(META_KEY) if isinstance(item, Page) else None


def _point(page: Page, pending: tuple[Future, datetime]) -> None:
    """The record's place once it is written (none if the write failed: the run stops), and
    its ``WARC-Date`` as the page's ``fetched_at`` (a re-extraction reads that date back: the
    same row either way)."""
    written, page.fetched_at = pending
    if written.exception() is None:
        page.warc_file, page.warc_offset = written.result()


# --------------------------------------------------------------------------- reading


@dataclass
class Capture:
    """One HTTP response read back from a WARC file (with ``skip``: a record that is not one)."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime
    file: Path
    offset: int
    record_id: str = ""
    error: str | None = None  # the record is broken (its payload, its status line...): a reject
    hints: dict[str, Any] = field(default_factory=dict)  # from its metadata record
    bad_hints: str | None = None  # its metadata record could not be read
    skip: str | None = None  # not a response to read: why (``revisit``, ``bad_record``...)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


@dataclass(frozen=True)
class _Hints:
    """A metadata record of hints, for the response it is concurrent to."""

    concurrent_to: str
    hints: dict[str, Any]
    error: str | None


GZIP_MAGIC = b"\x1f\x8b\x08"  # a gzip member's first bytes (deflate)
MEMBER_SLACK = 1 << 20  # a record's WARC and HTTP headers, kept beside a body cut at max_body
MEMBER_MAX_BYTES = 1 << 30  # a member that inflates past this is not read to its end
_CHUNK = 1 << 20  # decompressed bytes per inflate call
_READ = 1 << 16  # compressed bytes per read: what is past a member's end is copied once more
_SKIPPED = {"revisit": "revisit", "resource": "not_http", "conversion": "not_http",
            "continuation": "not_http"}  # record types that hold no page to read, and why


def read_captures(path: Path, max_body: int) -> Iterator[Capture]:
    """The HTTP responses of a WARC file (any writer's), payloads decoded, with their hints.

    ``Transfer-Encoding: chunked`` and ``Content-Encoding`` (gzip, deflate, brotli) are undone,
    as an HTTP client would; a body past ``max_body`` is cut there (the caller rejects it). A
    response is handed out once the records after it are read, up to the next response: its
    ``metadata`` record of hints (``WARC-Concurrent-To`` it) may be among them. Records that hold
    no page (revisits, resources, responses without an HTTP message) come out with ``skip`` set.
    A record that cannot be parsed (a broken gzip member, one the file ends inside, bytes that
    are no WARC record) comes out as ``skip="bad_record"`` and reading goes on at the next gzip
    member (or ``WARC/`` line); at the end, ``BrokenWarc`` says the file was not whole."""
    pending: Capture | None = None
    records = _records(path, max_body)
    try:
        for item in records:
            if isinstance(item, _Hints):
                if pending is not None and item.concurrent_to == pending.record_id:
                    pending.hints, pending.bad_hints = item.hints, item.error
            elif item.skip is not None:
                yield item
            else:
                if pending is not None:
                    yield pending
                pending = item
    except Exception:
        if pending is not None:  # what was read before the break still counts
            yield pending
        raise
    if pending is not None:
        yield pending


def _records(path: Path, max_body: int) -> Iterator[Capture | _Hints]:
    """Responses, skipped records and hints of ``path`` in file order, over broken records."""
    broken: list[str] = []

    def bad(offset: int, why: str) -> Capture:
        broken.append(f"offset {offset}: {why}"[:300])
        return Capture(url="", status=0, headers=[], body=b"", date=datetime.now(UTC), file=path,
                       offset=offset, error=broken[-1], skip="bad_record")

    with open(path, "rb") as handle:
        read = _gzip_records if handle.read(2) == GZIP_MAGIC[:2] else _plain_records
        yield from read(handle, path, max_body, bad)
    if broken:
        raise BrokenWarc(f"{len(broken)} unreadable part(s), the first at {broken[0]}")


@dataclass(frozen=True)
class GzipMember:
    """One gzip member of a ``.warc.gz`` file (one record, as the format wants it)."""

    offset: int
    data: bytes  # decompressed, its first ``cap`` bytes
    capped: bool  # it held more
    error: str | None  # it cannot be decompressed (or the file ends inside it)


def gzip_members(handle: Any, cap: int, limit: int = MEMBER_MAX_BYTES) -> Iterator[GzipMember]:
    """The gzip members of ``handle``, decompressed here rather than by warcio, whose reader
    passes over a broken member's bytes (it writes the zlib error to stderr and goes on). After
    a broken member, or one that inflates past ``limit`` (a gzip bomb), reading goes on at the
    next gzip header. Memory: ``cap`` bytes a member."""
    offset, rest = 0, b""
    handle.seek(0)
    while data := rest or handle.read(_READ):
        inflate = unpacker()
        kept, capped, error, used, inflated = bytearray(), False, None, 0, 0
        while True:
            try:
                out = inflate.decompress(data, _CHUNK)
            except INFLATE_ERRORS as exc:
                error = f"a broken gzip member: {exc}"
                break
            used += len(data) - len(inflate.unconsumed_tail)
            capped = capped or len(kept) + len(out) > cap
            kept += out[: max(cap - len(kept), 0)]
            if (inflated := inflated + len(out)) > limit:
                error = f"a gzip member of over {limit} bytes"
                break
            if inflate.eof:
                rest = inflate.unused_data
                used -= len(rest)
                break
            data = inflate.unconsumed_tail or handle.read(_READ)
            if not data and not out:  # (with output, inflate may hold more: asked again)
                error = "the file ends inside a gzip member"
                break
        yield GzipMember(offset, bytes(kept), capped, error)
        if error is None:
            offset += used
            continue
        following = _next_start(handle, offset + 1, GZIP_MAGIC)
        if following is None:
            return
        offset, rest = following, b""
        handle.seek(offset)


def _gzip_records(handle: Any, path: Path, max_body: int,
                  bad: Any) -> Iterator[Capture | _Hints]:
    """The records of a ``.warc.gz``, a gzip member at a time."""
    for member in gzip_members(handle, max_body + MEMBER_SLACK):
        if member.error is not None:
            yield bad(member.offset, member.error)
            continue
        try:
            yield from _member_items(member, path, max_body)
        except Exception as exc:  # warcio's parse of another writer's bytes, or ours
            yield bad(member.offset, f"{type(exc).__name__}: {exc}")


def _member_items(member: GzipMember, path: Path, max_body: int) -> Iterator[Capture | _Hints]:
    records = ArchiveIterator(io.BytesIO(member.data))
    for record in records:
        item = _item(record, path, max_body)
        if isinstance(item, Capture):
            item.offset = member.offset
        if item is not None:
            yield item
    if not member.capped and records.offset < len(member.data):  # warcio stops quietly
        raise TruncatedRecord(f"{len(member.data) - records.offset} bytes that are not a record")


def _plain_records(handle: Any, path: Path, max_body: int,
                   bad: Any) -> Iterator[Capture | _Hints]:
    """The records of an uncompressed ``.warc``, digests checked (a gzip member has its CRC);
    after a broken one, reading goes on at the next ``WARC/`` line."""
    size = os.fstat(handle.fileno()).st_size
    start: int | None = 0
    while start is not None:
        handle.seek(start)
        records = ArchiveIterator(handle, check_digests="raise")  # no gzip CRC here
        try:
            for record in records:
                if (item := _item(record, path, max_body)) is not None:
                    if isinstance(item, Capture):
                        item.offset = records.get_record_offset()  # after the body is read
                    yield item
            if records.offset >= size:
                return
            why = "the file ends inside a record"  # warcio stops quietly
        except Exception as exc:  # warcio's parse of another writer's bytes, or ours
            why = f"{type(exc).__name__}: {exc}"
        yield bad(records.offset, why)
        start = _next_start(handle, records.offset + 1, b"WARC/1.")


def _item(record: Any, path: Path, max_body: int) -> Capture | _Hints | None:
    """What one record is to a re-extraction; ``None`` for the companions of a response
    (request, warcinfo, metadata of another kind)."""
    kind = record.rec_type
    if kind == "metadata":
        return _hints(record)
    if kind in _SKIPPED or (kind == "response" and record.http_headers is None):
        return Capture(url=record.rec_headers.get_header("WARC-Target-URI") or "", status=0,
                       headers=[], body=b"", date=datetime.now(UTC), file=path, offset=-1,
                       skip=_SKIPPED.get(kind, "not_http"))
    if kind != "response":
        return None
    return _capture(record, path, max_body)


def _capture(record: Any, path: Path, max_body: int) -> Capture:
    headers = record.http_headers
    capture = Capture(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=0,
        headers=list(headers.headers),
        body=b"",
        date=_warc_date(record.rec_headers.get_header("WARC-Date")),
        file=path,
        offset=-1,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
    )
    status = headers.get_statuscode() or ""
    if not (len(status) == 3 and status.isdigit()):
        capture.error = f"not an HTTP status line: {headers.statusline!r}"[:300]
    elif record.rec_headers.get_header("Content-Length") is None:
        capture.error = "the record has no Content-Length"
    else:
        capture.status = int(status)
    try:
        capture.body = record.content_stream().read(max_body + 1)
    except ArchiveLoadFailed:  # a digest that fails (a .warc): where the record ends is unsure
        raise
    except Exception as exc:  # a broken gzip or chunked body: recorded, not fatal
        capture.error = capture.error or f"{type(exc).__name__}: {exc}"[:300]
    raw = record.raw_stream  # what is left of the record's declared length
    if len(capture.body) <= max_body and getattr(raw, "limit", 0) > 0 and not raw.read(1):
        raise TruncatedRecord(f"the record of {capture.url} ends {raw.limit + 1} bytes early")
    return capture


def _hints(record: Any) -> _Hints | None:
    """The hints of a metadata record, if it is a hints record (``HINTS_TYPE``)."""
    headers = record.rec_headers
    concurrent = headers.get_header("WARC-Concurrent-To") or ""
    if not concurrent or (headers.get_header("Content-Type") or "").split(";")[0].strip() \
            != HINTS_TYPE:
        return None
    data = record.content_stream().read(HINTS_MAX_BYTES + 1)
    try:
        if len(data) > HINTS_MAX_BYTES:
            raise ValueError(f"over {HINTS_MAX_BYTES} bytes")
        return _Hints(concurrent, hints_of_payload(data), None)
    except ValueError as exc:
        return _Hints(concurrent, {}, str(exc)[:300])


def _next_start(handle: Any, offset: int, magic: bytes) -> int | None:
    """The offset of the next ``magic`` (a gzip header, a ``WARC/`` line) at or after
    ``offset``; ``None`` if there is none before the end of the file."""
    handle.seek(offset)
    carry = b""
    while chunk := handle.read(_CHUNK):
        data = carry + chunk
        if (found := data.find(magic)) >= 0:
            return offset - len(carry) + found
        carry = data[-(len(magic) - 1):]
        offset += len(chunk)
    return None


class TruncatedRecord(ValueError):
    """A WARC file ends inside a record (a copy or a download cut short)."""


class BrokenWarc(ValueError):
    """A WARC file holds records that cannot be parsed (the others were read)."""


def _warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    with contextlib.suppress(ValueError):
        return iso_date_to_datetime(value).replace(tzinfo=UTC)
    return datetime.now(UTC)


def warc_files(sources: Iterable[Path]) -> list[Path]:
    """The complete WARC files under ``sources`` (files, folders, an OUTPUT_DIR), sorted.

    Hidden files (``.<name>.open``: still being written, or left by a killed run) are skipped."""
    found: set[Path] = set()
    for source in sources:
        if source.is_dir():
            for path in source.rglob("*"):
                if path.is_file() and _is_warc(path.name):
                    found.add(path.resolve())
        elif source.is_file():
            found.add(source.resolve())
        else:
            raise FileNotFoundError(f"no such file or folder: {source}")
    return sorted(found)


def _is_warc(name: str) -> bool:
    return not name.startswith(".") and name.endswith((".warc", ".warc.gz"))
