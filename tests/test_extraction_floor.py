"""Floors: on each annotated set, ``extract_article`` keeps the story as well as bare trafilatura.

Both run side by side here, on the same pages, with each set's own metric
(``bench/extraction.py``); there is no hard-coded figure to go stale. Per set: our recall is not
below trafilatura's default cascade (comments off) by more than ``RECALL_SLACK``, and our F1 is
not below its F1. The pages: all of ``news-dev`` and ``aeb-dev``, and every ``WCXB_STEP``-th page
of ``wcxb-dev`` (a fixed subset, so that the test stays near a minute on two cores), in a process
pool.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import load_bench_script

REPO = Path(__file__).resolve().parents[1]
BENCH_ROOT = REPO.parent / "shared" / "bench"
SETS = ("news-dev", "wcxb-dev", "aeb-dev")
WCXB_STEP = 3
RECALL_SLACK = 0.005

pytestmark = pytest.mark.skipif(
    not all((BENCH_ROOT / name).is_dir() for name in SETS),
    reason=f"no benchmark sets at {BENCH_ROOT}",
)


def load_bench():
    return load_bench_script("extraction")


def test_metric_matches_the_benchmark_definition() -> None:
    bench = load_bench()
    assert bench.page_scores("", "") == (1.0, 1.0)
    assert bench.page_scores("", "a b c d") == (0.0, 0.0)
    assert bench.page_scores("a b c d e", "a b c d") == (0.5, 1.0)
    figures = bench.score({"x": "a b c d"}, {"x": "a b c d", "y": "e f g h"})
    assert (figures.precision, figures.recall) == (0.5, 0.5)
    # the recent sets: lower-cased words, CJK per character, as a multiset
    assert bench.page_scores("The the cat", "the Cat", "bag") == (2 / 3, 1.0)
    assert bench.page_scores("東京", "東京都", "bag") == (1.0, 2 / 3)


@pytest.fixture(scope="module")
def side_by_side() -> dict[str, tuple]:
    bench = load_bench()
    sets = bench.load_sets(SETS, BENCH_ROOT)
    sets["wcxb-dev"] = sets["wcxb-dev"][::WCXB_STEP]
    cases = [case for group in sets.values() for case in group]
    workers = min(2, os.cpu_count() or 1)
    results = {r["key"]: r for r in bench.run(cases, ("newsclean", "trafilatura"), workers)}
    figures = {}
    for name, group in sets.items():
        truth = {case.key: case.body for case in group}
        metric = group[0].metric
        ours = bench.score({k: results[k]["text"]["newsclean"] for k in truth}, truth, metric)
        bare = bench.score({k: results[k]["text"]["trafilatura"] for k in truth}, truth, metric)
        figures[name] = (ours, bare)
    return figures


@pytest.mark.parametrize("name", SETS)
def test_recall_and_f1_not_below_bare_trafilatura(side_by_side, name: str) -> None:
    ours, bare = side_by_side[name]
    assert ours.pages == bare.pages > 0
    assert ours.recall >= bare.recall - RECALL_SLACK, (
        f"{name}: newsclean recall {ours.recall:.4f} < trafilatura {bare.recall:.4f} - "
        f"{RECALL_SLACK}"
    )
    assert ours.f1 >= bare.f1, f"{name}: newsclean F1 {ours.f1:.4f} < trafilatura {bare.f1:.4f}"
