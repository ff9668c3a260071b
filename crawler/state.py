"""The cross-run store: which articles are stored, under which URLs, and when.

An SQLite database in WAL mode at ``OUTPUT_DIR/state.sqlite``. The Parquet dataset is the truth and
this store is its index: a row's keys enter the store only after the file that holds the row has
been renamed into place, and at start-up every dataset file the store has not seen yet (a run
killed between the rename and the commit) is read back into it. So a crash never makes the store
claim an article the dataset lacks, and never makes a later run store one twice.

Tables:
- ``articles``: canonical URL → content hash, when it was fetched, the sitemap/feed ``lastmod``.
- ``aliases``: every URL that led to a stored article (redirect sources, fetched URLs, canonicals).
- ``files``: dataset files already indexed.
- ``claims``: articles that runs writing into one ``OUTPUT_DIR`` at once (``reextract`` shards,
  ``STATE_SHARED``) are storing and have not committed yet, by run (``owner``). A run checks and
  claims in one transaction, so two of them never store the same article. A run is alive while
  it holds the ``flock`` of its file ``OUTPUT_DIR/.claims/<owner>``; the claims of a dead one
  (killed, even by kill -9) are dropped by the next run that meets them.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy import signals

from crawler.dataset import data_files, partitions, quarantine

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    lastmod       TEXT,
    crawl_id      TEXT
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS aliases (
    url           TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS claims (
    canonical_url TEXT PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    owner         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_hash ON claims (content_hash);
"""
CLAIMS_DIR = ".claims"  # under OUTPUT_DIR: one locked file per run that claims


@dataclass(frozen=True)
class Stored:
    """What the store knows of one article."""

    canonical_url: str
    content_hash: str
    fetched_at: datetime
    lastmod: datetime | None

    def changed_since(self, lastmod: datetime | None) -> bool:
        """Does a sitemap/feed ``lastmod`` say the article changed after we stored it?"""
        if lastmod is None:
            return False
        return lastmod > (self.lastmod or self.fetched_at)


@dataclass(frozen=True)
class Key:
    """The keys of one stored row, recorded when its file is committed."""

    canonical_url: str
    content_hash: str
    fetched_at: datetime
    lastmod: datetime | None
    crawl_id: str
    aliases: tuple[str, ...] = ()


def _ts(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateStore:
    """The store of one ``OUTPUT_DIR``; open it with ``StateStore.open(output_dir)``."""

    def __init__(self, db: sqlite3.Connection, root: Path) -> None:
        self.db = db
        self.root = root
        self.owner: ClaimOwner | None = None  # set when other runs write beside this one
        # Articles of this run not yet in a committed file: bounded by the writer's buffer.
        self.pending_urls: dict[str, str] = {}
        self.pending_hashes: dict[str, str] = {}
        self.quarantined: list[Path] = []  # files ``reconcile`` could not read

    @classmethod
    def open(cls, output_dir: Path, in_memory: bool = False, shared: bool = False) -> StateStore:
        """Open (or create) the store of ``output_dir``; ``in_memory`` keeps it for one run;
        ``shared``: other runs write into ``output_dir`` at the same time (articles are claimed
        before they are stored)."""
        output_dir.mkdir(parents=True, exist_ok=True)
        where = ":memory:" if in_memory else output_dir / "state.sqlite"
        db = sqlite3.connect(where, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=10000")
        db.executescript(SCHEMA)
        store = cls(db, output_dir)
        if not in_memory:
            store.reconcile()
            store.drop_dead_claims()
            if shared:
                store.owner = ClaimOwner.acquire(output_dir)
        return store

    def close(self) -> None:
        """Close; a run's claims not committed (rows it could not write) are dropped."""
        try:
            if self.owner is not None:
                self.db.execute("DELETE FROM claims WHERE owner = ?", (self.owner.name,))
        finally:
            if self.owner is not None:
                self.owner.release()
                self.owner = None
            self.db.close()

    # ---------------------------------------------------------------- reads

    def lookup(self, url: str) -> Stored | None:
        """The stored article that ``url`` (canonical or alias) leads to, if any."""
        row = self.db.execute(
            "SELECT a.canonical_url, a.content_hash, a.fetched_at, a.lastmod FROM articles a "
            "WHERE a.canonical_url = ?1 OR a.canonical_url = "
            "(SELECT canonical_url FROM aliases WHERE url = ?1) LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return Stored(row[0], row[1], _dt(row[2]), _dt(row[3]))  # type: ignore[arg-type]

    def by_hash(self, content_hash: str) -> str | None:
        """The canonical URL of a stored article with exactly this text."""
        row = self.db.execute(
            "SELECT canonical_url FROM articles WHERE content_hash = ? LIMIT 1", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def claimed_url(self, url: str) -> bool:
        """Does another live run store the article of canonical URL ``url`` now?"""
        return self._claimed("canonical_url", url) is not None

    def claimed_hash(self, content_hash: str) -> str | None:
        """The canonical URL of an article with this text another live run stores now."""
        return self._claimed("content_hash", content_hash)

    def _claimed(self, column: str, value: str) -> str | None:
        if self.owner is None:  # no other run writes beside this one
            return None
        rows = self.db.execute(
            f"SELECT canonical_url, owner FROM claims WHERE {column} = ? AND owner <> ?",
            (value, self.owner.name),
        ).fetchall()
        for url, owner in rows:
            if owner_alive(self.root, owner):
                return url
            self.db.execute("DELETE FROM claims WHERE owner = ?", (owner,))  # a run that died
        return None

    # ---------------------------------------------------------------- writes

    def commit(self, path: Path | None, keys: list[Key]) -> None:
        """Record the keys of a committed file (and the file itself) in one transaction."""
        with self._transaction():
            for key in keys:
                self.db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?) ON CONFLICT (canonical_url) DO "
                    "UPDATE SET content_hash = excluded.content_hash, "
                    "fetched_at = excluded.fetched_at, lastmod = excluded.lastmod, "
                    "crawl_id = excluded.crawl_id WHERE excluded.fetched_at >= fetched_at",
                    (key.canonical_url, key.content_hash, _ts(key.fetched_at),
                     _ts(key.lastmod), key.crawl_id),
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO aliases VALUES (?, ?)",
                    [(alias, key.canonical_url) for alias in {*key.aliases, key.canonical_url}],
                )
                if self.owner is not None:  # stored now: the claim has done its job
                    self.db.execute("DELETE FROM claims WHERE canonical_url = ? AND owner = ?",
                                    (key.canonical_url, self.owner.name))
            if path is not None:
                self.db.execute("INSERT OR IGNORE INTO files VALUES (?)", (self._rel(path),))
        for key in keys:
            self.pending_urls.pop(key.canonical_url, None)
            self.pending_hashes.pop(key.content_hash, None)

    def reserve(self, canonical_url: str, content_hash: str) -> None:
        """Mark an article as on its way to the dataset (buffered, not yet committed); with
        other runs beside this one, claim it (inside ``claiming``)."""
        self.pending_urls[canonical_url] = content_hash
        self.pending_hashes[content_hash] = canonical_url
        if self.owner is not None:
            self.db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?)",
                            (canonical_url, content_hash, self.owner.name))

    @contextlib.contextmanager
    def claiming(self) -> Iterator[None]:
        """With other runs beside this one, one transaction (holding the database's write lock)
        around the checks of an article and its ``reserve``: no other run claims or commits it
        in between. Else nothing."""
        if self.owner is None:
            yield
            return
        with self._transaction():
            yield

    def drop_dead_claims(self) -> int:
        """Drop the claims of runs that died before they committed them; their files too."""
        owners = [owner for (owner,) in self.db.execute("SELECT DISTINCT owner FROM claims")]
        dead = [(owner,) for owner in owners if not owner_alive(self.root, owner)]
        if dead:
            with self._transaction():
                self.db.executemany("DELETE FROM claims WHERE owner = ?", dead)
        ClaimOwner.remove_dead(self.root)
        return len(dead)

    def add_aliases(self, aliases: Iterable[str], canonical_url: str) -> None:
        with self._transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO aliases VALUES (?, ?)",
                [(alias, canonical_url) for alias in aliases],
            )

    def reconcile(self) -> int:
        """Index dataset files the store has not seen (a run killed after a rename)."""
        known = {row[0] for row in self.db.execute("SELECT path FROM files")}
        added = 0
        for partition in partitions(self.root, "articles"):
            for path in data_files(partition):
                if self._rel(path) in known:
                    continue
                try:
                    keys = list(_keys_of_file(path))
                except (OSError, pa.ArrowException) as exc:  # out of every reader's way
                    reason = f"{type(exc).__name__}: {exc}"
                    self.quarantined.append(quarantine(self.root, path, reason))
                    continue
                self.commit(path, keys)
                added += 1
        return added

    def forget_missing(self) -> int:
        """Forget indexed files that are gone (merged away by compaction)."""
        gone = [(p,) for (p,) in self.db.execute("SELECT path FROM files")
                if not (self.root / p).exists()]
        with self._transaction():
            self.db.executemany("DELETE FROM files WHERE path = ?", gone)
        return len(gone)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))


def _keys_of_file(path: Path) -> Iterator[Key]:
    columns = ["canonical_url", "url", "content_hash", "fetched_at", "crawl_id"]
    # ParquetFile, not read_table: read_table imports pyarrow.dataset, 48 MB that the crawl
    # process would then carry to its end
    table = pq.ParquetFile(path).read(columns=columns)
    for row in table.to_pylist():
        yield Key(row["canonical_url"], row["content_hash"], row["fetched_at"], None,
                  row["crawl_id"], aliases=(row["url"],))


class LockedError(RuntimeError):
    """Another run holds ``OUTPUT_DIR``."""


class RunLock:
    """A lock on ``OUTPUT_DIR`` (``flock``), held for the life of a run: exclusive, or
    ``shared`` (the shards of one ``reextract`` run together, never beside a crawl).

    The kernel drops it when the process dies, even by ``kill -9``: no stale lock files.
    """

    def __init__(self, output_dir: Path, shared: bool = False) -> None:
        self.path = output_dir / ".lock"
        self.shared = shared
        self.handle: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 — held open for the whole run
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LockedError(
                f"{self.path.parent} is in use by {holder}; not starting a second run "
                f"on the same OUTPUT_DIR"
            ) from None
        if not self.shared:  # who holds it, for the message above (shards do not say)
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}\n")
            handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class ClaimOwner:
    """A run that claims articles: alive while it holds the ``flock`` of its file
    ``OUTPUT_DIR/.claims/<name>``. The kernel drops the lock when the process dies, even by
    kill -9; the file is made under a hidden name and locked before it gets its own, so a file
    under its own name that is not locked belongs to a dead run."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self.name = path.name
        self.handle = handle

    @classmethod
    def acquire(cls, output_dir: Path) -> ClaimOwner:
        directory = output_dir / CLAIMS_DIR
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(8)}"
        hidden = directory / f".{name}"
        handle = open(hidden, "w")  # noqa: SIM115 — held open for the whole run
        fcntl.flock(handle, fcntl.LOCK_EX)  # a new file: nobody else holds it
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}\n")
        handle.flush()
        os.replace(hidden, directory / name)
        return cls(directory / name, handle)

    def release(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.handle.close()

    @staticmethod
    def remove_dead(output_dir: Path) -> None:
        """Remove the files of dead runs (no lock held on them)."""
        directory = output_dir / CLAIMS_DIR
        if not directory.is_dir():
            return
        for path in directory.iterdir():
            if path.name.startswith("."):  # being made, or left by a kill before its rename
                continue
            with contextlib.suppress(FileNotFoundError), open(path) as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                path.unlink()


def owner_alive(output_dir: Path, owner: str) -> bool:
    """Does the run ``owner`` still hold its claims file's lock?"""
    try:
        handle = open(output_dir / CLAIMS_DIR / owner)  # noqa: SIM115 — closed below
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


class StateExtension:
    """Holds the run's ``StateStore`` for the spider and the pipelines.

    ``STATE_ENABLED = False`` keeps the store in memory: dedup still works within the run, but
    every run starts afresh. ``STATE_SHARED`` (set by ``reextract -a shard=I/N``): other runs
    write into ``OUTPUT_DIR`` at once, so articles are claimed in the store before they are
    stored.
    """

    crawler: Any = None

    def __init__(self, output_dir: Path, persistent: bool, shared: bool = False) -> None:
        self.output_dir = output_dir
        self.persistent = persistent
        self.shared = shared
        self._store: StateStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StateExtension:
        settings = crawler.settings
        ext = cls(Path(settings.get("OUTPUT_DIR")), settings.getbool("STATE_ENABLED"),
                  settings.getbool("STATE_SHARED"))
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.on_error, signal=signals.spider_error)
        crawler.signals.connect(ext.on_error, signal=signals.item_error)
        return ext

    def on_error(self, failure: Any, **_: Any) -> None:
        """The store failed (disk full, read-only, corrupt): stop the run as an output error."""
        if isinstance(failure.value, sqlite3.Error):
            store_failed(self.crawler, failure.value)

    @property
    def store(self) -> StateStore:
        """The store, opened on first use (after the crawl started, not in ``from_crawler``)."""
        if self._store is None:
            self._store = StateStore.open(self.output_dir, in_memory=not self.persistent,
                                          shared=self.shared)
        return self._store

    def spider_closed(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state_of(crawler: Any) -> StateStore:
    """The run's store (the ``StateExtension`` must be enabled, as it is by default)."""
    ext = crawler.get_extension(StateExtension)
    if ext is None:
        raise RuntimeError("crawler.state.StateExtension is not enabled in EXTENSIONS")
    return ext.store


def store_failed(crawler: Any, exc: BaseException) -> None:
    """Record that the dataset or its store cannot be written, and end the run."""
    if crawler.stats.get_value("newsclean/output_error"):
        return
    logger.error("the dataset cannot be written: %s", exc)
    crawler.stats.set_value("newsclean/output_error", str(exc))
    if crawler.engine is not None and crawler.engine.running:
        _closing.add(asyncio.ensure_future(crawler.engine.close_spider_async(reason="output_error")))


_closing: set[asyncio.Future] = set()  # keep a reference until the close is done
