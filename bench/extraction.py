"""Extraction benchmark: newsclean's ``extract_article`` against bare trafilatura, side by side.

Runs on the annotated development set in ``../shared/bench/aeb-dev/`` (``html/<id>.html.gz`` and
``ground-truth.json``) with that benchmark's own metric (see its README): ``\\w+`` tokens, multisets
of 4-token shingles, per-page precision and recall averaged over pages, F1 of the two means.

For each system it prints P / R / F1, the number of pages whose output still holds a promo or
paywall line (detector: ``pipelines.boilerplate.promo_kind``, the layer's vocabulary applied to each
output line of at most ``PROMO_MAX_WORDS`` words, without the layer's context guards), and the
boilerplate layer's own time as a share of trafilatura's time in the same calls.

    .venv/bin/python bench/extraction.py [--workers N] [--show-promos] [--diff]

``score`` and ``run`` are importable (``tests/test_extraction_floor.py`` reuses them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from pipelines import boilerplate, extract  # noqa: E402

BENCH_DIR = ROOT.parent / "shared" / "bench" / "aeb-dev"
SYSTEMS = ("newsclean", "trafilatura", "trafilatura-precision")
PROMO_MAX_WORDS = 40  # longer lines are prose, whatever words they hold

_TOKEN = re.compile(r"\w+")


# --------------------------------------------------------------------------- metric


@dataclass(frozen=True)
class Scores:
    """Mean per-page precision and recall, and the F1 of the two means."""

    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text`` (``\\w+`` tokens, case kept)."""
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_scores(predicted: str, truth: str) -> tuple[float, float]:
    """Precision and recall of one page (both sides empty: 1, 1)."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    if not pred and not gold:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def score(predicted: dict[str, str], truth: dict[str, str]) -> Scores:
    """The benchmark's figures for a set of predictions (missing pages count as empty)."""
    pairs = [page_scores(predicted.get(key) or "", body) for key, body in truth.items()]
    if not pairs:
        return Scores(0.0, 0.0, 0)
    return Scores(
        precision=sum(p for p, _ in pairs) / len(pairs),
        recall=sum(r for _, r in pairs) / len(pairs),
        pages=len(pairs),
    )


# --------------------------------------------------------------------------- the set


@dataclass(frozen=True)
class Case:
    """One annotated page."""

    key: str
    url: str
    body: str
    path: Path


def load_cases(bench_dir: Path = BENCH_DIR) -> list[Case]:
    """The annotated pages of ``bench_dir``, in a stable order."""
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Case(key, entry["url"], entry["articleBody"], bench_dir / "html" / f"{key}.html.gz")
        for key, entry in sorted(truth.items())
    ]


# --------------------------------------------------------------------------- the systems


def _timed(fn: Callable, clock: list[float]) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            clock[0] += time.perf_counter() - start

    return wrapper


_LAYER_CLOCK = [0.0]
_LAYER_FUNCTIONS = ("paywall_markup", "prune_tree", "filter_paragraphs")


def _install_layer_clock() -> None:
    """Time the layer's calls inside ``extract_article`` (worker-side, once)."""
    if getattr(boilerplate, "_bench_clock", False):
        return
    for name in _LAYER_FUNCTIONS:
        setattr(boilerplate, name, _timed(getattr(boilerplate, name), _LAYER_CLOCK))
    boilerplate._bench_clock = True  # type: ignore[attr-defined]


def run_page(case: Case, systems: tuple[str, ...] = SYSTEMS) -> dict:
    """Every system's text for one page, with times in seconds."""
    _install_layer_clock()
    html = gzip.decompress(case.path.read_bytes())
    out: dict = {"key": case.key, "text": {}, "time": {}}
    for system in systems:
        start, layer_before = time.perf_counter(), _LAYER_CLOCK[0]
        if system == "newsclean":
            article = extract.extract_article(html, case.url, min_words=0)
            text = article.text if article else ""
            out["time"]["layer"] = _LAYER_CLOCK[0] - layer_before
        else:
            precision = system == "trafilatura-precision"
            text = trafilatura.extract(html, url=case.url, favor_precision=precision) or ""
        out["text"][system] = text
        out["time"][system] = time.perf_counter() - start
    return out


def run(
    cases: Iterable[Case], systems: tuple[str, ...] = SYSTEMS, workers: int | None = None
) -> list[dict]:
    """``run_page`` over ``cases``, in a process pool when ``workers`` > 1."""
    cases = list(cases)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return [run_page(case, systems) for case in cases]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_page, cases, [systems] * len(cases), chunksize=4))


# --------------------------------------------------------------------------- report


def promo_lines(text: str) -> list[tuple[str, str]]:
    """``(kind, line)`` for each short output line the vocabulary detector calls a promo."""
    found = []
    for line in text.splitlines():
        if len(_TOKEN.findall(line)) <= PROMO_MAX_WORDS:
            kind = boilerplate.promo_kind(line)
            if kind:
                found.append((kind, line))
    return found


def report(cases: list[Case], results: list[dict], systems: tuple[str, ...], show: bool) -> None:
    truth = {case.key: case.body for case in cases}
    print(f"{len(cases)} pages from {BENCH_DIR}")
    print(f"promo detector: boilerplate.promo_kind on output lines of <= {PROMO_MAX_WORDS} words")
    print(f"{'system':<24}{'P':>8}{'R':>8}{'F1':>8}{'promo pages':>14}{'seconds':>10}")
    for system in systems:
        predicted = {r["key"]: r["text"][system] for r in results}
        figures = score(predicted, truth)
        promo = {key: promo_lines(text) for key, text in predicted.items()}
        promo = {key: lines for key, lines in promo.items() if lines}
        seconds = sum(r["time"][system] for r in results)
        print(
            f"{system:<24}{figures.precision:>8.4f}{figures.recall:>8.4f}{figures.f1:>8.4f}"
            f"{len(promo):>8} / {len(cases):<4}{seconds:>9.1f}"
        )
        if show:
            for key, lines in sorted(promo.items()):
                for kind, line in lines:
                    print(f"    {key[:10]} [{kind}] {line[:110]}")
    if "newsclean" in systems:
        layer = sum(r["time"]["layer"] for r in results)
        total = sum(r["time"]["newsclean"] for r in results)
        print(
            f"boilerplate layer: {layer:.2f}s = {100 * layer / max(total - layer, 1e-9):.1f}% "
            f"on top of the rest of extract_article ({total - layer:.2f}s: trafilatura + "
            f"metadata)"
        )
        if "trafilatura" in systems:
            bare = sum(r["time"]["trafilatura"] for r in results)
            print(f"                   = {100 * layer / bare:.1f}% of bare trafilatura.extract "
                  f"({bare:.2f}s)")


def diff(cases: list[Case], results: list[dict], a: str, b: str) -> None:
    """Pages where system ``a`` and ``b`` differ most in F1, with the lines only one kept."""
    by_key = {r["key"]: r for r in results}
    rows = []
    for case in cases:
        ta, tb = by_key[case.key]["text"][a], by_key[case.key]["text"][b]
        pa, ra = page_scores(ta, case.body)
        pb, rb = page_scores(tb, case.body)
        fa = 2 * pa * ra / (pa + ra) if pa + ra else 0
        fb = 2 * pb * rb / (pb + rb) if pb + rb else 0
        rows.append((fa - fb, case, ta, tb, (pa, ra), (pb, rb)))
    for delta, case, ta, tb, sa, sb in sorted(rows, key=lambda row: row[0])[:15]:
        if abs(delta) < 0.005:
            continue
        print(f"\n== {case.key[:10]} {case.url}\n   {a} P/R {sa}  {b} P/R {sb}  dF1 {delta:+.3f}")
        la = {line.strip() for line in ta.splitlines()}
        lb = {line.strip() for line in tb.splitlines()}
        for line in lb - la:
            if line:
                mark = "T" if line[:60] in case.body else "-"
                print(f"   only {b} {mark}: {line[:140]}")
        for line in la - lb:
            if line:
                print(f"   only {a}: {line[:140]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    parser.add_argument("--show-promos", action="store_true", help="print the promo lines left")
    parser.add_argument("--diff", action="store_true", help="pages where newsclean loses most")
    args = parser.parse_args(argv)
    cases = load_cases()
    results = run(cases, SYSTEMS, args.workers)
    report(cases, results, SYSTEMS, args.show_promos)
    if args.diff:
        diff(cases, results, "newsclean", "trafilatura")
    return 0


if __name__ == "__main__":
    sys.exit(main())
