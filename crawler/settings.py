"""Scrapy settings for newsclean: only what differs from Scrapy's defaults, each with its reason."""

import os

from scrapy.settings import default_settings

BOT_NAME = "newsclean"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Identity and politeness: a daily crawler must be a good citizen of every site it visits.
# Operators: put a real contact address here (or pass -s USER_AGENT=...).
USER_AGENT = "newsclean/0.1 (+https://example.org/newsclean; contact: ops@example.org)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "crawler.robots.SitemapRobotParser"  # Protego, keeping the Sitemap: lines
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
# Across all sites, 16 per core: requests waiting out their site's delay count too, so a crawl of
# many sites needs this many in flight to keep every extraction worker busy (64 sites on 2 cores:
# 32 in flight, cores 94 % busy, bench/politeness.py). Each site's own limits below still hold.
CONCURRENT_REQUESTS = 16 * (os.cpu_count() or 2)
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # ...while each site sees only its own polite rate
# Items per response processed in parallel. Our callbacks yield at most one item each, and
# Scrapy starts this many asyncio tasks for every response (default 100): 1 saves the churn.
CONCURRENT_ITEMS = 1
COOKIES_ENABLED = False  # news pages do not need a session; cookies only invite consent walls
# No consoles into a scheduled crawl: Scrapy's telnet console, and its remote control (an HTTP
# server that runs Python code sent to it, with a token written to the user's profile directory).
# The remote control is left out of Scrapy's base list of extensions too: Scrapy imports every
# listed extension, even one set to None, and that import (aiohttp) costs start-up 0.3 s and the
# crawl process 10 MB.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}

# --- Limits: a hostile or broken server must not exhaust memory or time.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # 10 MiB; larger pages are recorded as too_large
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2  # 5xx and timeouts are retried twice, then recorded
REDIRECT_MAX_TIMES = 10
HTTPERROR_ALLOWED_CODES: list[int] = []  # errors reach the spider's errback and become rejects
DNS_TIMEOUT = 15

# --- Flow: Scrapy's scheduler, topped up from the spider's frontier when its queue runs dry (the
# requests no callback is left to yield; crawler/scheduler.py), not engine.crawl from spider_idle.
SCHEDULER = "crawler.scheduler.FrontierScheduler"

# --- Safety: links, sitemaps and redirects never reach private, loopback, link-local or cloud
# metadata addresses, nor non-http(s) schemes (crawler/guard.py); the configured sites are trusted.
DOWNLOADER_MIDDLEWARES = {
    "crawler.guard.AddressGuardMiddleware": 75,  # requests: before robots.txt (100) is fetched
    "crawler.guard.RedirectGuardMiddleware": 610,  # responses: before RedirectMiddleware (600)
    # a redirect to a page fetched already, or to a denied URL, is not followed (a reject)
    "crawler.redirects.RedirectFrontierMiddleware": 605,
    # meta-refresh redirects read from the page's first 4 KB, not from a decode of all of it
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.metarefresh.HeadMetaRefreshMiddleware": 580,
    # the WARC archive: after HttpCompressionMiddleware (590), so bodies are stored decompressed
    "crawler.archive.ArchiveMiddleware": 585,
}
GUARD_ENABLED = True
# ...and the address it checked is the one connected to: no second DNS lookup (crawler/guard.py)
DNS_RESOLVER = "crawler.guard.PinnedResolver"
GUARD_ALLOWED_NETWORKS: list[str] = []  # e.g. ["10.20.0.0/16"] for an intranet news site

# --- Output: the dataset, its rejects, and where they live.
OUTPUT_DIR = "output"
SITES_FILE = "sites.toml"
ITEM_PIPELINES = {
    "pipelines.pool.ExtractPipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.parquet.ParquetPipeline": 900,
}

# Extraction: a process pool, one worker per core (0 = os.cpu_count()).
EXTRACT_ENABLED = True
EXTRACT_WORKERS = 0
EXTRACT_TIMEOUT = 30.0  # seconds per page; a stuck worker is killed and replaced
EXTRACT_MIN_WORDS = 40
EXTRACT_MAX_TASKS_PER_WORKER = 2000  # recycle workers now and then: bounded memory
# Workers fork from a fork server that has imported only the extraction code, not from the
# reactor: a worker started late in a crawl does not inherit the reactor's heap ("fork" does).
EXTRACT_START_METHOD = "forkserver"

DEDUP_ENABLED = True
STATE_ENABLED = True  # OUTPUT_DIR/state.sqlite: later runs skip what earlier runs stored
# Other runs write into OUTPUT_DIR at the same time (`reextract -a shard=I/N` sets it): dedup
# claims each article in state.sqlite, in one transaction with its checks, before storing it.
STATE_SHARED = False
EXTENSIONS = {
    "crawler.state.StateExtension": 0,
    "crawler.progress.ProgressLog": 500,
    "crawler.gctuning.GcTuning": 0,
    "scrapy.extensions.logstats.LogStats": None,  # replaced by the progress line
}
PROGRESS_INTERVAL = 30.0  # seconds between progress lines
GC_THRESHOLD = 10_000  # the collector's first threshold during a crawl (0 = Python's own)

# The WARC archive of every HTML response (crawler/archive.py): pages can be re-extracted later.
SPIDER_MIDDLEWARES = {"crawler.archive.ArchivePointers": 950}  # Page items learn their record
ARCHIVE_ENABLED = True
ARCHIVE_MAX_BYTES = 1024**3  # a new file after 1 GiB (compressed)
ARCHIVE_DISCOVERY = False  # robots.txt, sitemaps and feeds too
ARCHIVE_GZIP_LEVEL = 1  # per record: 1-3 ISA-L's levels (fast), 4-9 zlib's (6: 16 % smaller files)

PARQUET_ENABLED = True
PARQUET_COMPRESSION = "zstd"
PARQUET_ROWS_PER_FILE = 2000  # a new file after this many rows...
PARQUET_ROWS_PER_GROUP = 250  # ...written as they come, a row group of this many at a time
PARQUET_FLUSH_SECONDS = 300  # ...or after this long, so a slow crawl still lands data often

# Site health alarms (`scrapy report`, the crawl's last line): see pipelines/health.py.
HEALTH_MIN_RUNS = 2  # a site's bad runs in a row before an alarm
HEALTH_MIN_PAGES = 3  # a run that fetched fewer of a site's article pages says nothing of it
HEALTH_BASELINE_RUNS = 10  # how many earlier runs a site's latest are compared with

# --- Logging: INFO shows the progress line and the end-of-run summary.
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"  # no per-page DEBUG records above DEBUG
STATS_CLASS = "crawler.stats.CrawlStats"  # Scrapy's, without a shim on every stats call
# Scrapy re-reads a callback's source for every response to warn about generators that return
# a value (its cache misses bound methods); ours are checked by the tests, not per page.
WARN_ON_GENERATOR_RETURN_VALUE = False

# --- Engine: Scrapy 2.19's defaults (asyncio reactor) are what we want; nothing to change.

# --- Commands: our `scrapy crawl` checks the sites file first and sets a meaningful exit status.
COMMANDS_MODULE = "crawler.commands"
