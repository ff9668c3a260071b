"""Politeness benchmark: many sites at once, each at its own polite rate, the cores kept busy.

It serves K sites (``--sites``, default 24) of P article pages each (``--pages``, default 60) from
``bench.newssite``, each on its own loopback address ``127.0.0.(10+i)`` port 0 (Scrapy's download
slots are keyed by hostname, so each address is its own domain), all from one separate server
process that records the time of every request it receives, per site. It then runs the real
``python -m scrapy crawl news`` over a sites file of the K sites with the project's own politeness
settings, unchanged (AutoThrottle, ``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``,
``CONCURRENT_REQUESTS``), and prints:

- per site, as the server saw it: requests (all of them: robots.txt, sitemaps, listings,
  articles), the most in any sliding 1 s and 10 s window, the mean and the smallest interval
  between consecutive requests, and the most requests in flight at once, against the polite rate
  ``1 / DOWNLOAD_DELAY`` (Scrapy draws each delay from 0.5x-1.5x of it). The server holds every
  response ``--latency`` seconds (default 0.05, sleeping: no CPU), as a real server takes time to
  answer, so that overlapping requests to a site would show in flight;
- overall pages/s, and how busy the cores were: CPU seconds of the reactor and the extraction
  workers over wall time x cores, for the whole crawl and while articles were being fetched.

It exits 1 when a site saw more than twice its polite rate in some 1 s window, more than
1.5 times it over some 10 s window, or more than ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests in
flight, or when the crawl failed or left articles unfetched. Traffic goes to 127.0.0.0/8 only.

    .venv/bin/python bench/politeness.py [--sites K] [--pages P] [--latency S]   # 1-2 minutes
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench import newssite as site  # noqa: E402
from bench.crawl import (  # noqa: E402
    LoadMeter,
    Tree,
    _cpu,
    _remove,
    crawl_env,
    project_extensions,
    watch,
    workers_cpu,
)

Request = tuple[float, float, bool]  # (arrived, answered) monotonic seconds, is an article


# --------------------------------------------------------------------------- the sites


class _Site(site.NewsSite):
    """A ``NewsSite`` whose copies' unique sentences start at ``offset``: no two sites share one."""

    def __init__(self, templates: list[site.Template], pages: int, base: str, offset: int) -> None:
        super().__init__(templates, pages, base)
        self.offset = offset

    def article(self, copy: int) -> bytes:
        self.served += 1
        template = self.templates[copy % len(self.templates)]
        return template.render(self.offset + copy, self.article_url(copy))


class _Recording(site._Handler):
    """The benchmark site's handler, which answers after ``latency`` and logs each request."""

    log: list[Request]
    latency: float

    def do_GET(self) -> None:
        arrived = time.monotonic()
        time.sleep(self.latency)
        super().do_GET()
        self.log.append((arrived, time.monotonic(), self.path.startswith("/news/")))


def serve_sites(
    templates: list[site.Template], pages: int, hosts: list[str], latency: float, conn: Any
) -> None:
    """Process target: serve one site per host on port 0, send the base URLs; on ``"stop"``,
    send every site's request log."""
    servers, handlers = [], []
    for index, host in enumerate(hosts):
        handler = type(f"Site{index}", (_Recording,), {"log": [], "latency": latency})
        httpd = ThreadingHTTPServer((host, 0), handler)
        httpd.daemon_threads = True
        handler.site = _Site(templates, pages, f"http://{host}:{httpd.server_address[1]}",
                             index * pages)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        handlers.append(handler)
    conn.send([h.site.base for h in handlers])
    try:
        conn.recv()
    except EOFError:
        return
    for httpd in servers:
        httpd.shutdown()
    conn.send([(sorted(h.log), h.site.served) for h in handlers])


class SitesProcess:
    """The K sites in one child process; ``.bases``, ``.pid``, and ``.logs`` after exit."""

    def __init__(self, templates: list[site.Template], pages: int, hosts: list[str],
                 latency: float) -> None:
        context = multiprocessing.get_context("fork")  # templates are inherited, not pickled
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=serve_sites, args=(templates, pages, hosts, latency, child), daemon=True
        )
        self.bases: list[str] = []
        self.logs: list[tuple[list[Request], int]] = []

    @property
    def pid(self) -> int:
        return self._process.pid or 0

    def __enter__(self) -> SitesProcess:
        self._process.start()
        self.bases = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._conn.send("stop")
            self.logs = self._conn.recv()
        except (EOFError, OSError):
            pass
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()


def write_sites_file(path: Path, bases: list[str], pages: int) -> Path:
    path.write_text("".join(
        f'[[sites]]\nname = "site{i:02d}"\nstart_urls = ["{base}/"]\n'
        f'sitemaps = ["{base}/sitemap_index.xml"]\nmax_pages = {pages * 4}\n\n'
        for i, base in enumerate(bases)
    ), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the crawl


@dataclass
class Timeline(Tree):
    """``Tree`` sampling, plus the tree's CPU seconds (reactor and workers) over time."""

    points: list[tuple[float, float]] = field(default_factory=list)  # (monotonic, CPU s)

    def sample(self, root: psutil.Process) -> None:
        super().sample(root)
        with contextlib.suppress(psutil.Error):
            self.points.append((time.monotonic(), _cpu(root) + self.children_cpu))

    def busy(self, start: float, end: float) -> float:
        """Cores the tree kept busy on average between two monotonic times."""
        inside = [p for p in self.points if start <= p[0] <= end]
        if len(inside) < 2:
            return 0.0
        (t0, c0), (t1, c1) = inside[0], inside[-1]
        return (c1 - c0) / (t1 - t0)


@dataclass
class Run:
    wall: float
    returncode: int
    stats: dict[str, Any]
    tree: Timeline
    server_cpu: float
    other_load: float
    logs: list[tuple[list[Request], int]]
    log_tail: str


def run_crawl(templates: list[site.Template], args: argparse.Namespace, workdir: Path) -> Run:
    hosts = [f"127.0.0.{10 + i}" for i in range(args.sites)]
    extensions = {**project_extensions(ROOT), "bench.crawlstats.BenchStats": 0}
    with SitesProcess(templates, args.pages, hosts, args.latency) as server:
        sites = write_sites_file(workdir / "sites.toml", server.bases, args.pages)
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}"]
        for key, value in {
            "OUTPUT_DIR": workdir / "output", "LOG_FILE": workdir / "crawl.log",
            "BENCH_STATS_FILE": workdir / "stats.json", "EXTENSIONS": json.dumps(extensions),
        }.items():
            command += ["-s", f"{key}={value}"]  # politeness: the project's, untouched
        server_proc = psutil.Process(server.pid)
        server_before = _cpu(server_proc)
        tree = Timeline()
        with LoadMeter(children=False) as meter:
            start = time.perf_counter()
            with open(workdir / "stderr.txt", "w") as errors:
                proc = subprocess.Popen(command, cwd=ROOT, env=crawl_env(ROOT),
                                        stdout=subprocess.DEVNULL, stderr=errors)
                try:
                    watch(proc, tree, start)
                finally:
                    if proc.poll() is None:
                        proc.kill()
                        proc.wait()
            wall = time.perf_counter() - start
            server_cpu = _cpu(server_proc) - server_before
    (workdir / "requests.json").write_text(json.dumps(server.logs))  # for --keep
    stats_path = workdir / "stats.json"
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    crawl_cpu = stats.get("bench/cpu_self", 0.0) + workers_cpu(stats, tree)
    log_file = next(p for p in (workdir / "crawl.log", workdir / "stderr.txt") if p.exists())
    log = log_file.read_text(errors="replace")
    return Run(wall, proc.returncode, stats, tree, server_cpu,
               meter.other_share(server_cpu + crawl_cpu), server.logs, log[-2000:])


# --------------------------------------------------------------------------- the figures


def most_in_window(times: list[float], window: float) -> int:
    """The most of ``times`` (sorted) in any half-open interval ``[t, t + window)``."""
    best, first = 0, 0
    for last, t in enumerate(times):
        while t - times[first] >= window:
            first += 1
        best = max(best, last - first + 1)
    return best


def most_in_flight(log: list[Request]) -> int:
    events = sorted([(a, 1) for a, _, _ in log] + [(b, -1) for _, b, _ in log])
    now = best = 0
    for _, step in events:  # at equal times an answer (-1) sorts before an arrival
        now += step
        best = max(best, now)
    return best


@dataclass
class SiteFigures:
    requests: int
    articles: int
    per_1s: int
    per_10s: int
    mean_gap: float
    min_gap: float
    in_flight: int


def figures(log: list[Request]) -> SiteFigures:
    times = [a for a, _, _ in log]
    gaps = [b - a for a, b in itertools.pairwise(times)] or [0.0]
    return SiteFigures(len(log), sum(art for *_, art in log), most_in_window(times, 1.0),
                       most_in_window(times, 10.0), sum(gaps) / len(gaps), min(gaps),
                       most_in_flight(log))


def report(run: Run, args: argparse.Namespace, settings: dict[str, Any]) -> list[str]:
    """Print the figures; return what failed (empty: every site was polite)."""
    delay = float(settings["DOWNLOAD_DELAY"])
    per_domain = int(settings["CONCURRENT_REQUESTS_PER_DOMAIN"])
    rate, cores = 1 / delay, os.cpu_count() or 1
    limit_1s, limit_10s = 2 * rate, 1.5 * 10 * rate
    failures: list[str] = []
    print(f"{'site':<7}{'requests':>9}{'articles':>9}{'max/1s':>8}{'max/10s':>9}"
          f"{'mean gap':>10}{'min gap':>9}{'in flight':>10}")
    every = []
    for index, (log, served) in enumerate(run.logs):
        f = figures(log)
        every.append(f)
        print(f"site{index:02d}{f.requests:>9}{f.articles:>9}{f.per_1s:>8}{f.per_10s:>9}"
              f"{f.mean_gap:>9.3f}s{f.min_gap:>8.3f}s{f.in_flight:>10}")
        name = f"site{index:02d}"
        if f.per_1s > limit_1s:
            failures.append(f"{name}: {f.per_1s} requests in 1 s > {limit_1s:g}")
        if f.per_10s > limit_10s:
            failures.append(f"{name}: {f.per_10s} requests in 10 s > {limit_10s:g}")
        if f.in_flight > per_domain:
            failures.append(f"{name}: {f.in_flight} in flight > {per_domain}")
        if served < args.pages:
            failures.append(f"{name}: {served} of {args.pages} articles fetched")
    if run.returncode != 0:
        failures.append(f"the crawl exited {run.returncode}")
    if not every:
        return [*failures, "no request log from the sites"]

    logs = [entry for log, _ in run.logs for entry in log]
    arts = sorted(a for a, _, art in logs if art)
    stats = run.stats
    processed = int(stats.get("newsclean/fetch/articles", 0))
    first, last = stats.get("bench/first_item"), stats.get("bench/last_item")
    steady = (stats.get("bench/items", 0) - 1) / (last - first) if first and last > first else 0
    reactor, workers = stats.get("bench/cpu_self", 0.0), workers_cpu(stats, run.tree)
    cpu_page = max((reactor + workers) / max(processed, 1), 1e-9)
    window = (arts[0], arts[-1]) if arts else (0.0, 0.0)
    ours = (reactor + workers) / (run.wall * cores)
    server = run.server_cpu / (run.wall * cores)
    fetching = run.tree.busy(*window) / cores
    machine = fetching + server + run.other_load  # while articles were fetched
    best_gap = max(min(f.mean_gap for f in every), 1e-9)
    share = 1 / best_gap / rate  # of the polite rate, for the fastest site
    lines = [
        f"polite rate per site: 1/DOWNLOAD_DELAY = {rate:g} req/s (each delay drawn from "
        f"{0.5 * delay:g}-{1.5 * delay:g} s); fail above {limit_1s:g} in 1 s, {limit_10s:g} in "
        f"10 s or {per_domain} in flight",
        f"worst site: max/1s {max(f.per_1s for f in every)}, max/10s "
        f"{max(f.per_10s for f in every)}, mean gap {best_gap:.3f} s (= {1 / best_gap:.2f} "
        f"req/s), min gap {min(f.min_gap for f in every):.3f} s, in flight "
        f"{max(f.in_flight for f in every)}",
        f"all sites: {len(logs)} requests, at most "
        f"{most_in_window(sorted(a for a, *_ in logs), 1.0)} in 1 s and {most_in_flight(logs)} "
        f"in flight at once (CONCURRENT_REQUESTS {settings['CONCURRENT_REQUESTS']}); polite "
        f"ceiling {len(every)} sites x {rate:g} = {len(every) * rate:g} req/s",
        f"crawl: exit {run.returncode}, wall {run.wall:.1f} s, {processed} article pages in "
        f"{window[1] - window[0]:.1f} s of article requests: {processed / run.wall:.1f} pages/s "
        f"end to end, {steady:.1f} pages/s steady (first to last item)",
        f"cores busy ({cores}): reactor {reactor:.1f} + workers {workers:.1f} CPU s = "
        f"{ours:.0%} of the cores over the crawl, {fetching:.0%} while "
        f"articles were fetched; {1000 * cpu_page:.1f} CPU ms per page: the cores are full at "
        f"{cores / cpu_page:.0f} pages/s = {cores / cpu_page / rate:.0f} sites at the polite rate",
        f"machine while articles were fetched: crawl {fetching:.0%} + site server {server:.1%} + "
        f"other processes {run.other_load:.0%} = {machine:.0%} busy; the fastest site got "
        f"{share:.0%} of its polite rate: the limit was " + (
            "politeness" if share >= 0.8 else "the cores" if machine > 0.85
            else "neither politeness nor the cores"),
    ]
    print("\n" + "\n".join(lines), flush=True)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=24, help="sites crawled at once (default 24)")
    parser.add_argument("--pages", type=int, default=60, help="article pages per site (default 60)")
    parser.add_argument("--latency", type=float, default=0.05,
                        help="seconds the server holds each response (default 0.05)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the crawl folder (crawl.log, stats.json, requests.json)")
    args = parser.parse_args(argv)
    if not 1 <= args.sites <= 245:
        parser.error("--sites: 1 to 245 (127.0.0.10 to 127.0.0.254)")
    settings = runpy.run_path(str(ROOT / "crawler" / "settings.py"))
    print("crawl settings: the project's, unchanged: " + ", ".join(
        f"{k}={settings.get(k)}" for k in ("AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY",
                                           "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_DELAY",
                                           "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_REQUESTS")
    ) + f"; {args.sites} sites x {args.pages} pages on 127.0.0.10-127.0.0.{9 + args.sites}, "
        f"server latency {args.latency:g} s", flush=True)
    templates, _ = site.build_templates(check=site.article_text)
    workdir = Path(tempfile.mkdtemp(prefix="newsclean-politeness-"))
    run = run_crawl(templates, args, workdir)
    failures = report(run, args, settings)
    if run.returncode != 0:
        print(f"crawl log tail:\n{run.log_tail}")
    if args.keep:
        print(f"kept {workdir}")
    else:
        _remove(workdir)
    print("FAIL: " + "; ".join(failures) if failures else
          "OK: every site stayed within its polite rate and concurrency")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
