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
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from bench import crawl as crawlbench  # noqa: E402
from bench import newssite as site  # noqa: E402
from crawler.archive import Exchange, WarcFileWriter, warc_files  # noqa: E402

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("crawl", "reextract"))
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2, help="crawl: on/off pairs (default 2)")
    args = parser.parse_args(argv)
    if args.what == "crawl":
        bench_crawl(args.pages, args.rounds)
    else:
        bench_reextract(args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
