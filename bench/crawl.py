"""Crawl benchmark: the real ``scrapy crawl news`` on a local site, beside bare trafilatura.

For each N (``--pages``, default 2,000 and 20,000) it serves ``bench.newssite`` (N copies of the 93
real pages of ``../shared/bench/aeb-dev/``, each with its own URL and one unique sentence, a sitemap
index, a front page and section pages) on 127.0.0.1 port 0 from a separate process, runs
``python -m scrapy crawl news`` with the project's settings into a temporary dataset, and prints:

- pages/s end to end (article pages / wall time of the crawl process, start-up included), and in
  the steady state (first to last item);
- the ratio to bare trafilatura (``trafilatura.extract`` with its defaults, and with the project's
  ``Extractor`` options) on the same pages on all cores (a process pool), measured right before
  and right after each crawl (their mean: this machine's speed drifts), and CPU-time ratios
  that hold when other processes share the cores (against bare trafilatura on one core, and on
  all cores busy, as the crawl's own pages are);
- time per stage, in CPU milliseconds per page: fetch (the reactor process: Scrapy, the spider,
  the pipelines' reactor-side work, minus write), extract (the pool workers), boilerplate layer
  (its share of ``extract_article``, timed in-process on the same pages, and its net cost: the
  same pages extracted with and without it, since what it prunes trafilatura does not walk),
  write (the Parquet writer on the crawl's own rows), and the site server's CPU (it shares the
  cores);
- peak RSS of the crawl's process tree (reactor, fork server and workers, sampled with psutil;
  summed RSS counts the pages they share once per process, so PSS is printed too), and the
  scheduler's peak queue;
- the dataset size per 1,000 articles, as written and for distinct articles.

Politeness is lifted for the loopback site only (``AUTOTHROTTLE_ENABLED=False``,
``DOWNLOAD_DELAY=0``, ``CONCURRENT_REQUESTS_PER_DOMAIN=16``); robots.txt is still obeyed; all else
is the project's settings. On a 2-core machine the site server takes some CPU from the crawl: its
share is printed, and so is the share other processes took.

    .venv/bin/python bench/crawl.py                    # N = 2,000 and 20,000 (about 8 minutes)
    .venv/bin/python bench/crawl.py --quick            # N = 500, smaller baseline sample
    .venv/bin/python bench/crawl.py --pages 2000 --cpu-only -s CONCURRENT_ITEMS=100   # A/B
    .venv/bin/python bench/crawl.py --repo /tmp/other-tree     # the crawl of another work tree
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import runpy
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import copy as shallow_copy
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import trafilatura  # noqa: E402

from bench import newssite as site  # noqa: E402
from pipelines import boilerplate, extract, metadata  # noqa: E402

LOOPBACK_SETTINGS = {  # politeness lifted for the local site only; say so in the output
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}
SAMPLE_INTERVAL = 0.2  # seconds between RSS samples of the crawl's process tree
PSS_EVERY = 5  # ...and PSS (slower to read) every this many samples
CRAWL_TIMEOUT = 3600
_PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
_LAYER = ("paywall_markup", "prune_tree", "filter_paragraphs")


# --------------------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Sample:
    """Rendered copies of the site's pages (decoded, as the spider hands them to extraction)."""

    pages: list[tuple[str, str]]  # (html, url)


def make_sample(templates: list[site.Template], copies: int) -> Sample:
    base = "http://127.0.0.1:1"
    pages = []
    for copy in range(copies):
        url = base + site.article_path(copy)
        pages.append((templates[copy % len(templates)].render(copy, url).decode(), url))
    return Sample(pages)


# --------------------------------------------------------------------------- machine load


def _busy() -> float:
    """CPU seconds the whole machine has spent busy since boot."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)


def _own(children: bool) -> float:
    """CPU seconds of this process (and of its finished children, if ``children``)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    own = me.ru_utime + me.ru_stime
    if children:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        own += kids.ru_utime + kids.ru_stime
    return own


class LoadMeter:
    """How much of the machine's CPU others used while we measured (the cores are shared).

    ``children=False``: our children's CPU is not taken from rusage (a crawl's extraction
    workers may hang below a fork server that outlives it) but passed as ``known``.
    """

    def __init__(self, children: bool = True) -> None:
        self.children = children
        self.wall = self.busy = self.own = 0.0

    def __enter__(self) -> LoadMeter:
        self._start = (time.perf_counter(), _busy(), _own(self.children))
        return self

    def __exit__(self, *exc: object) -> None:
        wall, busy, own = self._start
        self.wall = time.perf_counter() - wall
        self.busy = _busy() - busy
        self.own = _own(self.children) - own

    def other_share(self, known: float = 0.0) -> float:
        """Share of all cores busy with work that is neither ours nor ``known`` CPU seconds."""
        cores = os.cpu_count() or 1
        return max(self.busy - self.own - known, 0.0) / max(self.wall * cores, 1e-9)


# --------------------------------------------------------------------------- bare trafilatura

_POOL_PAGES: list[tuple[str, str]] = []  # set before the fork, read by the pool workers


def _bare_default(index: int) -> None:
    html, url = _POOL_PAGES[index]
    trafilatura.extract(html, url=url)


def _project_options() -> Any:
    """The project's trafilatura options with its metadata reading: fast cascade, metadata and
    dates (``extract_article`` reads the metadata in a separate call; one call here)."""
    options = shallow_copy(extract.OPTIONS)
    options.with_metadata = True
    options.date_params = dict(extract.DATE_PARAMS)
    return options


PROJECT_OPTIONS = _project_options()


def _bare_options(index: int) -> None:
    html, url = _POOL_PAGES[index]
    trafilatura.extract(html, url=url, options=PROJECT_OPTIONS)


def _warm(_: int) -> None:
    _bare_default(0)


def one_core(sample: Sample, job: Callable[[int], None]) -> tuple[float, float]:
    """Pages/s of ``job`` over the sample in this process, and its CPU ms per page."""
    _POOL_PAGES[:] = sample.pages
    job(0)
    start, cpu = time.perf_counter(), time.process_time()
    for index in range(len(sample.pages)):
        job(index)
    count = len(sample.pages)
    return count / (time.perf_counter() - start), 1000 * (time.process_time() - cpu) / count


def _cpu_of(job: Callable[[int], None], index: int) -> float:
    """CPU seconds ``job`` took on one page, in the pool worker that ran it."""
    start = time.process_time()
    job(index)
    return time.process_time() - start


def all_cores(
    sample: Sample, job: Callable[[int], None], rounds: int = 2
) -> tuple[float, float]:
    """Pages/s of ``job`` over the sample (``rounds`` times) in a pool of one process per core,
    and its CPU ms per page there (all cores busy: caches and memory bandwidth are shared, so
    a page costs more CPU than on one core alone)."""
    _POOL_PAGES[:] = sample.pages
    cores = os.cpu_count() or 1
    indices = list(range(len(sample.pages))) * rounds
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        pool.map(_warm, range(cores * 2), chunksize=1)
        start = time.perf_counter()
        cpu = sum(pool.imap_unordered(partial(_cpu_of, job), indices, chunksize=4))
        elapsed = time.perf_counter() - start
    return len(indices) / elapsed, 1000 * cpu / len(indices)


@dataclass
class Baseline:
    """Bare trafilatura and ``extract_article``'s parts on the same pages."""

    pages: int
    default_one: float = 0.0  # pages/s, trafilatura.extract with its defaults
    default_cpu_ms: float = 0.0  # ... CPU ms per page (robust to other load on the machine)
    options_cpu_ms: float = 0.0
    default_all: float = 0.0
    default_all_cpu_ms: float = 0.0  # CPU ms per page with all cores busy
    options_one: float = 0.0  # ... with the project's Extractor options
    options_all: float = 0.0
    article_ms: float = 0.0  # extract_article, per page, one core
    layer_ms: float = 0.0  # of which the boilerplate layer
    layer_net_ms: float = 0.0  # extract_article with the layer minus without it (same pages)
    bare_extraction_ms: float = 0.0  # of which trafilatura.bare_extraction
    job_ms: float = 0.0  # the pool's whole job (extract_article, dict, hash)
    other_load: float = 0.0  # share of the cores others used while the pool figures ran


@contextmanager
def clocks(targets: dict[str, tuple[Any, tuple[str, ...]]]) -> Iterator[dict[str, float]]:
    """Time calls of module functions, by group: ``{group: (module, names)}``."""
    spent = dict.fromkeys(targets, 0.0)
    saved = []
    for group, (module, names) in targets.items():
        for name in names:
            original = getattr(module, name)
            saved.append((module, name, original))
            setattr(module, name, _timed(original, spent, group))
    try:
        yield spent
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def _timed(fn: Callable, spent: dict[str, float], group: str) -> Callable:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[group] += time.perf_counter() - start

    return wrapper


def stage_times(sample: Sample, baseline: Baseline) -> None:
    """``extract_article`` per page, and the shares of the layer and of trafilatura in it."""
    targets = {
        "layer": (boilerplate, _LAYER),
        "trafilatura": (trafilatura, ("bare_extraction",)),
        "metadata": (metadata, ("trafilatura_metadata",)),  # trafilatura's readers
    }
    with clocks(targets) as spent:
        start = time.perf_counter()
        for html, url in sample.pages:
            extract.extract_article(html, url)
        total = time.perf_counter() - start
    count = len(sample.pages)
    baseline.article_ms = 1000 * total / count
    baseline.layer_ms = 1000 * spent["layer"] / count
    baseline.bare_extraction_ms = 1000 * (spent["trafilatura"] + spent["metadata"]) / count
    start = time.perf_counter()
    for html, url in sample.pages:
        extract._extract_job(html, url, None, extract.MIN_WORDS)
    baseline.job_ms = 1000 * (time.perf_counter() - start) / count
    baseline.layer_net_ms = 1000 * layer_net_cost(sample) / count


def layer_net_cost(sample: Sample) -> float:
    """Seconds ``extract_article`` spends with the layer beyond what it spends without it.

    The layer's own functions are not all it does: the markup it prunes is markup trafilatura
    then does not walk. Each page is extracted with the layer and with it switched off (the
    tree left whole, every paragraph kept), in turn, so drift in the machine's speed cancels.
    """
    neutral = {
        "paywall_markup": lambda tree, objects=None, **_: boilerplate.Gate(),
        "prune_tree": lambda tree, rules=None, protect=(), **_: boilerplate.Pruned(),
        "filter_paragraphs": lambda paragraphs, **_: boilerplate.Filtered(
            kept=[boilerplate._norm(p) for p in paragraphs if p and p.strip()]),
    }
    real = {name: getattr(boilerplate, name) for name in neutral}
    spent = {"on": 0.0, "off": 0.0}
    try:
        for index, (html, url) in enumerate(sample.pages):
            for state in ("on", "off") if index % 2 else ("off", "on"):
                for name, fn in (real if state == "on" else neutral).items():
                    setattr(boilerplate, name, fn)
                start = time.perf_counter()
                extract.extract_article(html, url)
                spent[state] += time.perf_counter() - start
    finally:  # the layer is back whatever happened: the crawl figures after this use it
        for name, fn in real.items():
            setattr(boilerplate, name, fn)
    return spent["on"] - spent["off"]


def measure_baseline(sample: Sample) -> Baseline:
    """The one-core figures and the stage times (once per run)."""
    baseline = Baseline(pages=len(sample.pages))
    baseline.default_one, baseline.default_cpu_ms = one_core(sample, _bare_default)
    baseline.options_one, baseline.options_cpu_ms = one_core(sample, _bare_options)
    stage_times(sample, baseline)
    return baseline


def measure_all_cores(sample: Sample, baseline: Baseline) -> Baseline:
    """The all-cores figures, measured right before a crawl (the machine's load changes)."""
    with LoadMeter() as meter:
        default_all, default_all_cpu_ms = all_cores(sample, _bare_default)
        options_all, _ = all_cores(sample, _bare_options)
    return replace(baseline, default_all=default_all, options_all=options_all,
                   default_all_cpu_ms=default_all_cpu_ms, other_load=meter.other_share())


def averaged(before: Baseline, after: Baseline) -> Baseline:
    """The all-cores figures of two measurements (before and after a crawl), averaged."""
    return replace(
        before,
        default_all=(before.default_all + after.default_all) / 2,
        options_all=(before.options_all + after.options_all) / 2,
        default_all_cpu_ms=(before.default_all_cpu_ms + after.default_all_cpu_ms) / 2,
        other_load=max(before.other_load, after.other_load),
    )


# --------------------------------------------------------------------------- the crawl


@dataclass
class Tree:
    """What sampling the crawl's process tree saw."""

    peak_rss: int = 0
    peak_reactor_rss: int = 0
    peak_pss: int = 0
    peak_child_rss: int = 0  # the largest single worker (or fork server)
    workers_seen: set[int] = field(default_factory=set)
    samples: int = 0
    child_cpu: dict[int, float] = field(default_factory=dict)  # pid -> CPU s, last seen

    @property
    def children_cpu(self) -> float:
        """CPU seconds of the reactor's descendants (workers, a fork server), as last sampled."""
        return sum(self.child_cpu.values())

    def sample(self, root: psutil.Process) -> None:
        try:
            children = root.children(recursive=True)
            procs = [root, *children]
            rss = sum(_safe(lambda p: p.memory_info().rss, p) for p in procs)
            reactor = root.memory_info().rss
        except psutil.Error:
            return
        self.samples += 1
        self.workers_seen.update(p.pid for p in children)
        for child in children:
            cpu = _safe(lambda p: _cpu(p), child)
            self.child_cpu[child.pid] = max(self.child_cpu.get(child.pid, 0.0), cpu)
            self.peak_child_rss = max(self.peak_child_rss, _safe(lambda p: p.memory_info().rss,
                                                                  child))
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_reactor_rss = max(self.peak_reactor_rss, reactor)
        if self.samples % PSS_EVERY == 0:
            pss = sum(_safe(lambda p: p.memory_full_info().pss, p) for p in procs)
            self.peak_pss = max(self.peak_pss, pss)


def _safe(read: Callable[[psutil.Process], float], proc: psutil.Process) -> Any:
    try:
        return read(proc)
    except psutil.Error:
        return 0


@dataclass
class CrawlRun:
    """One crawl of the local site and what it cost."""

    pages: int
    wall: float
    returncode: int
    stats: dict[str, Any]
    tree: Tree
    server_cpu: float
    served: int
    articles: int
    articles_bytes: int
    rejects: Counter[str]
    write_seconds: float
    distinct_bytes: float  # per article, one copy of each saved page in one file
    log_tail: str
    started: float  # time.time() when the crawl process was started
    other_load: float  # share of the cores used by other processes during the crawl

    @property
    def processed(self) -> int:
        """Article pages that went through extraction (articles and extraction rejects)."""
        return int(self.stats.get("newsclean/fetch/articles", 0))


def sites_file(path: Path, base: str, pages: int) -> Path:
    path.write_text(
        "[[sites]]\n"
        'name = "bench"\n'
        f'start_urls = ["{base}/"]\n'
        f'sitemaps = ["{base}/sitemap_index.xml"]\n'
        f"max_pages = {pages * 4}  # every copy; listing links to the same pages count too\n"
        # The copies keep their publishers' own links, which lead nowhere on this site (404s):
        # links are followed from the front page (sections, articles), not from what it links.
        "follow_depth = 1\n",
        encoding="utf-8",
    )
    return path


def project_extensions(repo: Path) -> dict[str, Any]:
    """The ``EXTENSIONS`` of the project's settings (``-s EXTENSIONS=`` replaces, not merges)."""
    settings = runpy.run_path(str(repo / "crawler" / "settings.py"))
    return dict(settings.get("EXTENSIONS", {}))


def crawl_command(repo: Path, sites: Path, workdir: Path, extra: list[str]) -> list[str]:
    extensions = {**project_extensions(repo), "bench.crawlstats.BenchStats": 0}
    settings = {
        **LOOPBACK_SETTINGS,
        "OUTPUT_DIR": str(workdir / "output"),
        "LOG_FILE": str(workdir / "crawl.log"),
        "BENCH_STATS_FILE": str(workdir / "stats.json"),
        "EXTENSIONS": json.dumps(extensions),
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    for item in extra:
        command += ["-s", item]
    return command


def crawl_env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in _PROXY_VARS}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
    return env


def run_crawl(
    templates: list[site.Template], pages: int, workdir: Path, repo: Path, extra: list[str]
) -> CrawlRun:
    with site.SiteProcess(templates, pages) as server:
        server_proc = psutil.Process(server.pid)
        server_before = _cpu(server_proc)
        sites = sites_file(workdir / "sites.toml", server.base, pages)
        command = crawl_command(repo, sites, workdir, extra)
        tree = Tree()
        with LoadMeter(children=False) as meter:
            started, start = time.time(), time.perf_counter()
            with open(workdir / "stderr.txt", "w") as errors:
                proc = subprocess.Popen(command, cwd=repo, env=crawl_env(repo),
                                        stdout=subprocess.DEVNULL, stderr=errors)
                try:
                    watch(proc, tree, start)
                finally:  # Ctrl-C or an error here: the crawl does not outlive the bench
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
            wall = time.perf_counter() - start
            stderr = (workdir / "stderr.txt").read_text(errors="replace")
            server_cpu = _cpu(server_proc) - server_before
    stats_path = workdir / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    crawl_cpu = stats.get("bench/cpu_self", 0.0) + workers_cpu(stats, tree)
    articles, size = _table_size(workdir / "output" / "articles")
    return CrawlRun(
        pages=pages, wall=wall, returncode=proc.returncode, stats=stats, tree=tree,
        server_cpu=server_cpu, served=server.result.get("articles_served", 0),
        articles=articles, articles_bytes=size, rejects=_reasons(workdir / "output" / "rejects"),
        write_seconds=time_writer(workdir / "output" / "articles", workdir / "rewrite"),
        distinct_bytes=distinct_bytes_per_article(
            workdir / "output" / "articles", workdir / "distinct", len(templates)
        ),
        log_tail=stderr[-2000:], started=started,
        other_load=meter.other_share(server_cpu + crawl_cpu),
    )


def watch(proc: subprocess.Popen, tree: Tree, start: float) -> None:
    """Sample the crawl's process tree until it exits (killed after ``CRAWL_TIMEOUT``)."""
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        tree.sample(root)
        time.sleep(SAMPLE_INTERVAL)
        if time.perf_counter() - start > CRAWL_TIMEOUT:
            proc.kill()


def workers_cpu(stats: dict[str, Any], tree: Tree) -> float:
    """CPU seconds of the extraction workers: exact from rusage when they were the reactor's
    own children (fork), else as sampled (forkserver/spawn workers, a few tenths of a second
    short for workers that were recycled between samples)."""
    return max(stats.get("bench/cpu_children", 0.0), tree.children_cpu)


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def _files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.parquet")) if directory.exists() else []


def _table_size(directory: Path) -> tuple[int, int]:
    files = _files(directory)
    rows = sum(pq.ParquetFile(path).metadata.num_rows for path in files)
    return rows, sum(path.stat().st_size for path in files)


def _reasons(directory: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for path in _files(directory):
        found.update(pq.read_table(path, columns=["reason"]).column("reason").to_pylist())
    return found


def time_writer(articles: Path, scratch: Path) -> float:
    """Seconds the project's writer takes for the crawl's article rows, file by file."""
    from pipelines.parquet import DatasetWriter

    writer = DatasetWriter(scratch, "articles", "crawl_date=2026-11-25", "bench")
    spent = 0.0
    for path in _files(articles):
        table = pq.read_table(path, schema=writer.schema)
        rows = table.to_pylist()
        start = time.perf_counter()
        writer.write(rows, writer.next_path())
        spent += time.perf_counter() - start
    return spent


def distinct_bytes_per_article(articles: Path, scratch: Path, templates: int) -> float:
    """Bytes per article of a file of one copy of each saved page, written by the project's writer.

    The crawl's own files hold ~N/93 near-identical copies of each page, which zstd compresses
    across rows as no real crawl would: this is the size to expect of distinct articles.
    """
    from pipelines.parquet import DatasetWriter

    seen: dict[int, dict[str, Any]] = {}
    for path in _files(articles):
        for row in pq.read_table(path).to_pylist():
            copy = re.search(r"-(\d{6})\.html$", row["url"])
            if copy:
                seen.setdefault(int(copy.group(1)) % templates, row)
        if len(seen) == templates:
            break
    if not seen:
        return 0.0
    writer = DatasetWriter(scratch, "articles", "crawl_date=2026-11-25", "distinct")
    path = writer.next_path()
    writer.write([{k: v for k, v in row.items() if k in writer.schema.names}
                  for row in seen.values()], path)
    return path.stat().st_size / len(seen)


# --------------------------------------------------------------------------- report

MB = 1024 * 1024


def report(run: CrawlRun, base: Baseline) -> dict[str, Any]:
    """Print the figures of one crawl; return them for the summary."""
    stats, cores = run.stats, os.cpu_count() or 1
    processed = run.processed or run.pages
    rate = processed / run.wall
    first, last = stats.get("bench/first_item"), stats.get("bench/last_item")
    steady = (stats.get("bench/items", 0) - 1) / (last - first) if first and last > first else 0
    reactor = stats.get("bench/cpu_self", 0.0)
    workers = workers_cpu(stats, run.tree)
    write = run.write_seconds
    per_page = {
        "fetch": 1000 * (reactor - write) / processed,
        "extract": 1000 * workers / processed,
        "write": 1000 * write / processed,
        "server": 1000 * run.server_cpu / processed,
    }
    crawl_cpu = per_page["fetch"] + per_page["extract"] + per_page["write"]
    layer_share = base.layer_ms / max(base.article_ms - base.layer_ms, 1e-9)
    layer_net = base.layer_net_ms / max(base.article_ms - base.layer_net_ms, 1e-9)
    lines = [
        f"== N = {run.pages:,}: {processed:,} article pages extracted (server sent {run.served:,}),"
        f" {run.articles:,} articles written; rejects {dict(run.rejects)}",
        f"   crawl exit {run.returncode}; wall {run.wall:.1f} s; "
        f"first item after {(first or run.started) - run.started:.1f} s",
        f"   end to end: {rate:.1f} pages/s   steady state: {steady:.1f} pages/s",
        f"   bare trafilatura.extract, all {cores} cores: defaults {base.default_all:.1f} pages/s"
        f" -> ratio {_ratio(rate, base.default_all)} (steady {_ratio(steady, base.default_all)});"
        f" project options {base.options_all:.1f} pages/s -> ratio "
        f"{_ratio(rate, base.options_all)} (steady {_ratio(steady, base.options_all)})",
        "   CPU ms per page: " + ", ".join(f"{k} {v:.2f}" for k, v in per_page.items())
        + f"; total {sum(per_page.values()):.2f} = {cores} cores at "
        f"{1000 * cores / sum(per_page.values()):.0f} pages/s",
        f"   CPU-time ratio (holds under other load): bare trafilatura CPU per page / crawl CPU "
        f"per page (fetch+extract+write) = defaults {base.default_cpu_ms / crawl_cpu:.2f}, "
        f"project options {base.options_cpu_ms / crawl_cpu:.2f}; counting the server too: "
        f"{base.default_cpu_ms / (crawl_cpu + per_page['server']):.2f} / "
        f"{base.options_cpu_ms / (crawl_cpu + per_page['server']):.2f}; with every core busy "
        f"in both (bare defaults {base.default_all_cpu_ms:.2f} CPU ms/page in the pool): "
        f"{_ratio(base.default_all_cpu_ms, crawl_cpu)}",
        "   reactor process threads, CPU ms per page: " + ", ".join(
            f"{name} {1000 * cpu / processed:.2f}"
            for name, cpu in sorted(stats.get("bench/threads", {}).items(), key=lambda t: -t[1])
            if cpu * 1000 / processed >= 0.01
        ),
        f"   extract in-process (same pages, one core): extract_article {base.article_ms:.2f} ms,"
        f" of which trafilatura (extraction and metadata) {base.bare_extraction_ms:.2f} ms,"
        f" boilerplate layer {base.layer_ms:.2f} ms = {100 * layer_share:.1f}% of the rest of "
        f"extraction; the layer's net cost (with it minus without it, page by page) "
        f"{base.layer_net_ms:+.2f} ms = {100 * layer_net:+.1f}% of extraction without it; "
        f"pool job {base.job_ms:.2f} ms",
        f"   server CPU: {run.server_cpu:.1f} s = {100 * run.server_cpu / (run.wall * cores):.1f}%"
        f" of the {cores} cores during the crawl; other processes on the machine: "
        f"{100 * run.other_load:.1f}% (during the baseline pool: {100 * base.other_load:.1f}%)",
        f"   peak RSS, crawl process tree: {run.tree.peak_rss / MB:.0f} MB (reactor "
        f"{run.tree.peak_reactor_rss / MB:.0f} MB, largest worker "
        f"{run.tree.peak_child_rss / MB:.0f} MB; PSS of the tree {run.tree.peak_pss / MB:.0f}"
        f" MB); worker processes seen {len(run.tree.workers_seen)}; scheduler peak "
        f"{stats.get('bench/scheduler_max', 0):,} requests",
        f"   dataset: articles {run.articles_bytes / MB:.1f} MB = "
        f"{run.articles_bytes / MB / max(run.articles, 1) * 1000:.2f} MB per 1,000 articles "
        f"(copies compress across rows; distinct articles: "
        f"{run.distinct_bytes * 1000 / MB:.2f} MB per 1,000); writer "
        f"{1000 * write / max(run.articles, 1):.2f} ms per article",
    ]
    print("\n".join(lines), flush=True)
    if run.returncode != 0:
        print(f"   crawl log tail:\n{run.log_tail}")
    return {
        "N": f"{run.pages:,}",
        "pages/s end to end": f"{rate:.1f}",
        "ratio, trafilatura defaults": _ratio(rate, base.default_all),
        "ratio, project's options": _ratio(rate, base.options_all),
        "CPU-time ratio, defaults": f"{base.default_cpu_ms / crawl_cpu:.2f}",
        "CPU-time ratio, options": f"{base.options_cpu_ms / crawl_cpu:.2f}",
        "CPU-time ratio, all cores busy": _ratio(base.default_all_cpu_ms, crawl_cpu),
        "reactor CPU ms/page": f"{per_page['fetch'] + per_page['write']:.2f}",
        "layer, % of extraction": f"{100 * layer_share:.1f}",
        "layer net, % of extraction": f"{100 * layer_net:+.1f}",
        "peak RSS tree, MB": f"{run.tree.peak_rss / MB:.0f}",
        "peak PSS tree, MB": f"{run.tree.peak_pss / MB:.0f}",
        "peak RSS reactor, MB": f"{run.tree.peak_reactor_rss / MB:.0f}",
        "scheduler peak": f"{stats.get('bench/scheduler_max', 0):,}",
        "MB / 1,000 articles": f"{run.distinct_bytes * 1000 / MB:.2f}",
        "rss": run.tree.peak_rss,
        "pss": run.tree.peak_pss,
    }


def _ratio(rate: float, limit: float) -> str:
    return f"{rate / limit:.2f}" if limit and rate else "n/a"


def print_baseline(base: Baseline) -> None:
    cores = os.cpu_count() or 1
    print(
        f"bare trafilatura on {base.pages} pages of the site (decoded text, as the crawl hands "
        f"it over):\n"
        f"   trafilatura.extract defaults: one core {base.default_one:.1f} pages/s "
        f"({base.default_cpu_ms:.2f} CPU ms/page), all {cores} cores {base.default_all:.1f} "
        f"pages/s ({base.default_all_cpu_ms:.2f} CPU ms/page)\n"
        f"   with the project's Extractor options: one core {base.options_one:.1f} pages/s "
        f"({base.options_cpu_ms:.2f} CPU ms/page), all {cores} cores {base.options_all:.1f} "
        f"pages/s\n"
        f"   extract_article {base.article_ms:.2f} ms/page (one core) = "
        f"{1000 / base.article_ms:.1f} pages/s; other processes used "
        f"{100 * base.other_load:.1f}% of the cores during the all-cores figures",
        flush=True,
    )


def summary(results: list[dict[str, Any]]) -> None:
    """One table of the figures of every N, and how the peak memory moved between them."""
    print("== summary")
    for key in (k for k in results[0] if isinstance(results[0][k], str)):
        print(f"   {key:<28}" + "".join(f"{r[key]:>12}" for r in results))
    if len(results) > 1:
        small, big = results[0], results[-1]
        for name in ("rss", "pss"):
            change = 100 * (big[name] - small[name]) / max(small[name], 1)
            print(f"   peak {name.upper()} N={small['N']} -> N={big['N']}: {change:+.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[2000, 20000],
                        help="site sizes to crawl (default: 2000 20000)")
    parser.add_argument("--quick", action="store_true",
                        help="N = 500 and a 93-page baseline sample (a smoke run, ~1 minute)")
    parser.add_argument("--sample", type=int, default=3,
                        help="baseline sample: copies of each saved page (default 3)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an extra Scrapy setting for the crawl (repeatable)")
    parser.add_argument("--repo", type=Path, default=ROOT,
                        help="the tree whose crawler is benchmarked (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the crawl folders")
    parser.add_argument("--cpu-only", action="store_true",
                        help="skip the all-cores pool figures (for quick A/B runs of a change: "
                        "compare the CPU-time figures)")
    args = parser.parse_args(argv)
    pages, rounds = ([500], 1) if args.quick else (args.pages, args.sample)
    templates, unconfirmed = site.build_templates(check=site.article_text)
    print(f"site: {len(templates)} saved pages as templates ({unconfirmed} without a confirmed "
          f"unique sentence: their copies end as duplicate_content)")
    print("crawl settings: the project's, with politeness lifted for the loopback site: "
          + ", ".join(f"{k}={v}" for k, v in LOOPBACK_SETTINGS.items())
          + "; ROBOTSTXT_OBEY as set" + (f"; extra: {' '.join(args.set)}" if args.set else ""),
          flush=True)
    sample = make_sample(templates, rounds * len(templates))
    baseline = measure_baseline(sample)
    results = []
    for count in pages:
        before = baseline if args.cpu_only else measure_all_cores(sample, baseline)
        print_baseline(before)
        workdir = Path(tempfile.mkdtemp(prefix=f"newsclean-bench-{count}-"))
        run = run_crawl(templates, count, workdir, args.repo.resolve(), args.set)
        side_by_side = before
        if not args.cpu_only:  # the machine's speed drifts: the mean of before and after
            after = measure_all_cores(sample, baseline)
            side_by_side = averaged(before, after)
            print(f"   bare trafilatura.extract on all cores after the crawl: defaults "
                  f"{after.default_all:.1f} pages/s (before: {before.default_all:.1f}); the "
                  f"ratios below use the mean of the two ({side_by_side.default_all:.1f})")
        results.append(report(run, side_by_side))
        if args.keep:
            print(f"   kept {workdir}")
        else:
            _remove(workdir)
    summary(results)
    return 0


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
