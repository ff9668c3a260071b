"""Site health: alarms raised when a site's recent runs break from its own history.

Pure functions over per-(site, run) figures that ``pipelines.report`` reads from the dataset. For
each site, its runs are put in time order and the runs that fetched too few article candidates to
say anything (a quiet night, a run where everything was already stored) are set aside. An alarm
is raised when the site's latest ``min_streak`` (or more) such runs all differ sharply from the
runs before them (the baseline, at most ``baseline_runs``, at least ``min_baseline``):

- ``yield``: the share of fetched article candidates that became articles collapses (down to
  nothing stored while new URLs keep being fetched);
- ``words``: the median word count of the stored articles drops by half or more;
- ``not_article`` / ``blocked``: that reject reason's share of the candidates jumps;
- ``near_empty``: the share of stored articles under ``near_empty_words`` words jumps
  (extraction falling back to a teaser or a caption).

Each alarm says what changed, from what to what, and since which run. Reject reasons are any
string: only those in ``NOT_CANDIDATES`` (URLs that were never article pages to be read, or were
read fine) stay out of the candidates.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Reasons that say nothing about whether the site's article pages still extract: pages read for
# their links, duplicates of stored articles, sitemaps and feeds, URLs never requested.
NOT_CANDIDATES = frozenset({
    "listing", "duplicate_url", "duplicate_content", "bad_sitemap", "bad_feed",
    "robots_disallowed", "blocked_address",
})
SHARE_REASONS = ("not_article", "blocked")  # reject reasons whose share is watched


@dataclass(frozen=True)
class SiteRun:
    """What one run did on one site."""

    site: str
    crawl_id: str
    started_at: datetime
    articles: int = 0
    words_median: float | None = None
    near_empty: int = 0  # articles under ``Thresholds.near_empty_words`` words
    rejects: Mapping[str, int] = field(default_factory=dict)

    @property
    def candidates(self) -> int:
        """Fetched article candidates: stored articles plus rejects that were article pages."""
        failed = sum(n for reason, n in self.rejects.items() if reason not in NOT_CANDIDATES)
        return self.articles + failed


@dataclass(frozen=True)
class Thresholds:
    """When a run counts, and how far from its baseline it must fall to be called bad."""

    min_candidates: int = 3  # fewer fetched article candidates: a quiet run, not evidence
    min_baseline: int = 2  # earlier counted runs needed before judging a site
    baseline_runs: int = 10  # at most this many earlier runs make the baseline
    min_streak: int = 2  # consecutive bad runs, the latest included, before an alarm
    yield_ratio: float = 0.5  # yield at most this fraction of the baseline's...
    yield_drop: float = 0.2  # ...and at least this many points below it
    words_ratio: float = 0.5  # median words at most this fraction of the baseline's
    share_jump: float = 0.25  # a reject reason's share this many points above the baseline...
    share_ratio: float = 2.0  # ...and at least this many times it
    near_empty_words: int = 80
    near_empty_jump: float = 0.3

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """From Scrapy settings: ``HEALTH_MIN_RUNS``, ``HEALTH_MIN_PAGES``,
        ``HEALTH_BASELINE_RUNS`` (each at least 1)."""
        values = {"min_streak": settings.getint("HEALTH_MIN_RUNS", 2),
                  "min_candidates": settings.getint("HEALTH_MIN_PAGES", 3),
                  "baseline_runs": settings.getint("HEALTH_BASELINE_RUNS", 10)}
        bad = [f"{name}={value}" for name, value in values.items() if value < 1]
        if bad:
            raise ValueError(f"HEALTH_* settings must be at least 1: {', '.join(bad)}")
        return cls(**values)


@dataclass(frozen=True)
class Alarm:
    """One site's break from its own history: what changed, and since which run."""

    site: str
    kind: str  # yield, words, not_article, blocked, near_empty
    message: str
    since: datetime  # start of the first bad run
    since_run: str
    runs: int  # bad runs in a row, the latest included
    latest_run: str

    def line(self) -> str:
        return (f"{self.site}: {self.message}, since {self.since:%Y-%m-%d %H:%M} UTC "
                f"(run {self.since_run}; {self.runs} runs in a row)")


@dataclass(frozen=True)
class _Check:
    kind: str
    baseline: Callable[[Sequence[SiteRun]], float | None]
    value: Callable[[SiteRun], float | None]
    bad: Callable[[float, float, Thresholds], bool]
    describe: Callable[[float, float, Sequence[SiteRun]], str]


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _yield(runs: Iterable[SiteRun]) -> float | None:
    runs = list(runs)
    return _ratio(sum(r.articles for r in runs), sum(r.candidates for r in runs))


def _words(runs: Sequence[SiteRun]) -> float | None:
    medians = [r.words_median for r in runs if r.words_median is not None and r.articles]
    return statistics.median(medians) if medians else None


def _share(reason: str) -> Callable[[Iterable[SiteRun]], float | None]:
    def share(runs: Iterable[SiteRun]) -> float | None:
        runs = list(runs)
        return _ratio(sum(r.rejects.get(reason, 0) for r in runs), sum(r.candidates for r in runs))
    return share


def _near_empty(runs: Iterable[SiteRun]) -> float | None:
    runs = list(runs)
    return _ratio(sum(r.near_empty for r in runs), sum(r.articles for r in runs))


def _describe_yield(now: float, base: float, recent: Sequence[SiteRun]) -> str:
    fetched = sum(r.candidates for r in recent)
    if not any(r.articles for r in recent):
        return (f"yield collapsed: no article stored in the last {len(recent)} runs although "
                f"{fetched} article pages were fetched (was {base:.0%} of fetched pages)")
    return f"yield fell to {now:.0%} of fetched article pages from {base:.0%}"


def _describe_share(reason: str) -> Callable[[float, float, Sequence[SiteRun]], str]:
    def describe(now: float, base: float, recent: Sequence[SiteRun]) -> str:
        return f"`{reason}` rejects rose to {now:.0%} of fetched article pages from {base:.0%}"
    return describe


def _checks() -> list[_Check]:
    checks = [
        _Check("yield", _yield, lambda r: _yield([r]),
               lambda v, b, t: v <= b * t.yield_ratio and b - v >= t.yield_drop, _describe_yield),
        _Check("words", _words, lambda r: r.words_median if r.articles else None,
               lambda v, b, t: v <= b * t.words_ratio,
               lambda v, b, _: f"median word count fell to {v:.0f} from {b:.0f}"),
        _Check("near_empty", _near_empty, lambda r: _near_empty([r]),
               lambda v, b, t: v >= b + t.near_empty_jump,
               lambda v, b, _: f"near-empty articles rose to {v:.0%} of stored from {b:.0%}"),
    ]
    for reason in SHARE_REASONS:
        share = _share(reason)
        checks.append(_Check(
            reason, share, lambda r, share=share: share([r]),
            lambda v, b, t: v >= b + t.share_jump and v >= b * t.share_ratio,
            _describe_share(reason),
        ))
    return checks


CHECKS = _checks()


def _streak(runs: Sequence[SiteRun], check: _Check, t: Thresholds) -> tuple[int, float]:
    """How many of the latest runs are bad against the runs before them, and that baseline."""
    best, best_base = 0, 0.0
    for k in range(1, len(runs) - t.min_baseline + 1):
        base = check.baseline(runs[:-k][-t.baseline_runs:])
        values = [check.value(r) for r in runs[-k:]]
        if base is None or any(v is None or not check.bad(v, base, t) for v in values):
            break
        best, best_base = k, base
    return best, best_base


def site_alarms(runs: Iterable[SiteRun], t: Thresholds | None = None) -> list[Alarm]:
    """The alarms of one site's runs (any order)."""
    t = t or Thresholds()
    counted = sorted((r for r in runs if r.candidates >= t.min_candidates),
                     key=lambda r: r.started_at)
    alarms = []
    for check in CHECKS:
        k, base = _streak(counted, check, t)
        if k < t.min_streak:
            continue
        recent = counted[-k:]
        now = check.baseline(recent)
        assert now is not None  # every recent run had a value
        alarms.append(Alarm(
            site=recent[0].site, kind=check.kind, message=check.describe(now, base, recent),
            since=recent[0].started_at, since_run=recent[0].crawl_id, runs=k,
            latest_run=recent[-1].crawl_id,
        ))
    return alarms


def alarms(runs: Iterable[SiteRun], t: Thresholds | None = None) -> list[Alarm]:
    """The alarms of every site, by site name."""
    by_site: dict[str, list[SiteRun]] = defaultdict(list)
    for run in runs:
        by_site[run.site].append(run)
    return [a for site in sorted(by_site) for a in site_alarms(by_site[site], t)]
