"""F1 floor: on the annotated dev set, ``extract_article`` does not score below bare trafilatura.

Both run side by side here, on the same pages, with the benchmark's own metric
(``bench/extraction.py``); there is no hard-coded figure to go stale.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO.parent / "shared" / "bench" / "aeb-dev"

pytestmark = pytest.mark.skipif(
    not (BENCH_DIR / "ground-truth.json").is_file(), reason=f"no benchmark set at {BENCH_DIR}"
)


def load_bench():
    """``bench/extraction.py`` as a module (``bench`` is a folder of scripts, not a package)."""
    name = "newsclean_bench_extraction"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "extraction.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_metric_matches_the_benchmark_definition() -> None:
    bench = load_bench()
    assert bench.page_scores("", "") == (1.0, 1.0)
    assert bench.page_scores("", "a b c d") == (0.0, 0.0)
    assert bench.page_scores("a b c d e", "a b c d") == (0.5, 1.0)
    figures = bench.score({"x": "a b c d"}, {"x": "a b c d", "y": "e f g h"})
    assert (figures.precision, figures.recall) == (0.5, 0.5)


def test_f1_not_below_bare_trafilatura() -> None:
    bench = load_bench()
    cases = bench.load_cases(BENCH_DIR)
    results = bench.run(cases, ("newsclean", "trafilatura"), workers=1)
    truth = {case.key: case.body for case in cases}
    ours = bench.score({r["key"]: r["text"]["newsclean"] for r in results}, truth)
    bare = bench.score({r["key"]: r["text"]["trafilatura"] for r in results}, truth)
    assert ours.pages == bare.pages == len(cases) > 0
    assert ours.f1 >= bare.f1, f"newsclean F1 {ours.f1:.4f} < trafilatura {bare.f1:.4f}"
