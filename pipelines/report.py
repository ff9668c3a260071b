"""The run report: DuckDB queries over the dataset, site health, one self-contained HTML page.

``Dataset`` opens ``OUTPUT_DIR``'s ``articles/``, ``rejects/`` and ``runs/`` Parquet files as DuckDB
views (narrowed to a site and a time window) and answers the report's questions with aggregate
queries: only the columns a question needs are read, never the texts, so a report over a million
rows takes seconds. ``build_report`` turns the answers into ``report.html``: plotly charts with
plotly.js inlined, tables, the health alarms; the page asks nothing of any host when opened.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines import health
from pipelines.schema import PARTITION, TABLES

REPORT_NAME = "report.html"
_SINCE = re.compile(r"(\d+)\s*([hdw])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


class ReportError(ValueError):
    """Bad arguments, or no dataset to report on."""


def parse_since(text: str) -> timedelta:
    """``7d``, ``12h``, ``2w`` -> a timedelta; anything else is a ``ReportError``."""
    match = _SINCE.fullmatch(text.strip())
    if not match:
        raise ReportError(f"since={text!r}: give a number and h, d or w, e.g. since=7d")
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


@dataclass(frozen=True)
class Scope:
    """What the report covers: runs since a time, one site or all."""

    since: datetime | None = None
    site: str | None = None

    def describe(self) -> str:
        when = f"since {self.since:%Y-%m-%d %H:%M} UTC" if self.since else "all runs"
        return f"{when}, {'site ' + self.site if self.site else 'all sites'}"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Dataset:
    """The dataset under ``output_dir`` as DuckDB views ``articles``, ``rejects``, ``runs``."""

    def __init__(self, output_dir: Path, scope: Scope | None = None) -> None:
        self.output_dir = Path(output_dir)
        if not self.output_dir.is_dir():
            raise ReportError(f"no dataset at {str(output_dir)!r} (OUTPUT_DIR)")
        self.scope = scope or Scope()
        self.con = duckdb.connect()
        self.con.execute("set TimeZone = 'UTC'")
        for table in TABLES:
            self._open(table)
        if self.scope.site is not None:
            self._check_site(self.scope.site)

    def _open(self, table: str) -> None:
        directory = self.output_dir / table
        if any(directory.glob("*/*.parquet")):
            glob = _literal(str(directory / "*" / "*.parquet"))
            source = f"read_parquet({glob}, hive_partitioning = true, union_by_name = true)"
        else:  # no file yet: an empty table of the same columns
            schema = TABLES[table].append(pa.field(PARTITION, pa.date32()))
            self.con.register(f"{table}_empty", schema.empty_table())
            source = f"{table}_empty"
        self.con.execute(f"create view {table}_all as select * from {source}")
        where = self._where(table)
        self.con.execute(f"create view {table} as select * from {table}_all where {where}")

    def _check_site(self, site: str) -> None:
        known = [row[0] for row in self.rows(
            "select site from articles_all union select site from rejects_all "
            "where site is not null order by 1")]
        if site not in known:
            raise ReportError(f"site={site!r} is not in the dataset; its sites: "
                              f"{', '.join(known) or 'none yet'}")

    def _where(self, table: str) -> str:
        since, site = self.scope.since, self.scope.site
        time = "started_at" if table == "runs" else "fetched_at"
        where = ["true"]
        if since is not None:
            where += [f"{PARTITION} >= date {_literal(since.date().isoformat())}",
                      f"{time} >= timestamptz {_literal(since.isoformat())}"]
        if site is not None:
            where.append(f"list_contains(sites, {_literal(site)})" if table == "runs"
                         else f"site = {_literal(site)}")
        return " and ".join(where)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()

    def close(self) -> None:
        self.con.close()


# --- the questions -------------------------------------------------------------------------

RUNS = """
with a as (select crawl_id, count(*) as n from articles group by all),
     j as (select crawl_id, count(*) as n from rejects group by all)
select r.crawl_id, epoch(r.started_at), epoch(r.finished_at) - epoch(r.started_at),
       r.exit_status, r.finish_reason, coalesce(a.n, 0), coalesce(j.n, 0)
from runs r left join a using (crawl_id) left join j using (crawl_id)
order by r.started_at
"""
RUN_REJECTS = "select crawl_id, reason, count(*) from rejects group by all order by all"
SITE_DAY = """
select site, cast(crawl_date as varchar), count(*), median(word_count),
       avg(paywalled::int), avg(truncated::int)
from articles group by all order by all
"""
SITE_DAY_REJECTS = """
select coalesce(site, '?'), cast(crawl_date as varchar), reason, count(*)
from rejects group by all order by all
"""
SITE_RUN = """
select site, crawl_id, min(epoch(fetched_at)), count(*), median(word_count),
       count_if(word_count < ?)
from articles group by all
"""
SITE_RUN_REJECTS = """
select site, crawl_id, min(epoch(fetched_at)), reason, count(*)
from rejects where site is not null group by all
"""
RUN_STARTS = "select crawl_id, epoch(started_at) from runs"
BOILERPLATE = """
select site, split_part(line, ': ', 1) as rule, count(*) as n, approx_top_k(line, 3)
from (select site, unnest(boilerplate) as line from articles)
group by all order by n desc, site, rule
"""


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def site_runs(data: Dataset, thresholds: health.Thresholds | None = None) -> list[health.SiteRun]:
    """What each run did on each site, for the health checks."""
    t = thresholds or health.Thresholds()
    starts = dict(data.rows(RUN_STARTS))
    runs: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(site: str, crawl_id: str, first: float) -> dict[str, Any]:
        return runs.setdefault((site, crawl_id), {
            "site": site, "crawl_id": crawl_id,
            "started_at": _time(starts.get(crawl_id, first)), "rejects": {},
        })

    for site, crawl_id, first, n, median, near in data.rows(SITE_RUN, t.near_empty_words):
        entry(site, crawl_id, first).update(articles=n, words_median=median, near_empty=near)
    for site, crawl_id, first, reason, n in data.rows(SITE_RUN_REJECTS):
        entry(site, crawl_id, first)["rejects"][reason] = n
    return [health.SiteRun(**fields) for fields in runs.values()]


def check(output_dir: Path, scope: Scope | None = None,
          thresholds: health.Thresholds | None = None) -> list[health.Alarm]:
    """The site health alarms of the dataset under ``output_dir``."""
    data = Dataset(output_dir, scope)
    try:
        return health.alarms(site_runs(data, thresholds), thresholds)
    finally:
        data.close()


def run_alarms(output_dir: Path, crawl_id: str,
               thresholds: health.Thresholds | None = None) -> list[health.Alarm]:
    """The alarms that the run ``crawl_id`` raised or kept up (it is their latest run)."""
    return [a for a in check(output_dir, None, thresholds) if a.latest_run == crawl_id]


# --- the page --------------------------------------------------------------------------------

def _figure_html(fig: Any, div_id: str) -> str:
    fig.update_layout(template="plotly_white", margin={"l": 50, "r": 20, "t": 40, "b": 40},
                      legend={"orientation": "h"})
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def _runs_section(data: Dataset) -> str:
    from plotly import graph_objects as go
    from plotly.subplots import make_subplots

    runs = data.rows(RUNS)
    labels = [f"{_time(r[1]):%Y-%m-%d %H:%M:%S}" for r in runs]
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        row_heights=[0.6, 0.25, 0.15],
                        subplot_titles=("articles stored and rejects by reason",
                                        "duration (s)", "exit status"))
    fig.add_bar(x=labels, y=[r[5] for r in runs], name="articles stored", row=1, col=1,
                marker={"color": "#264653"})
    by_reason: dict[str, dict[str, int]] = defaultdict(dict)
    for crawl_id, reason, n in data.rows(RUN_REJECTS):
        by_reason[reason][crawl_id] = n
    for reason, color in _colors(set(by_reason)).items():
        fig.add_bar(x=labels, y=[by_reason[reason].get(r[0], 0) for r in runs],
                    name=f"reject: {reason}", marker={"color": color, "opacity": 0.6},
                    row=1, col=1)
    fig.add_scatter(x=labels, y=[round(r[2], 1) for r in runs], mode="lines+markers",
                    name="duration (s)", row=2, col=1)
    fig.add_trace(go.Scatter(x=labels, y=[r[3] for r in runs], mode="markers", name="exit status",
                             marker={"size": 10, "color": ["#2a9d8f" if r[3] == 0 else "#e63946"
                                                           for r in runs]}), row=3, col=1)
    fig.update_layout(barmode="stack", height=620, xaxis3={"type": "category"})
    table = _table(["run", "started (UTC)", "duration (s)", "articles", "rejects", "exit status",
                    "finish reason"],
                   [[r[0], label, f"{r[2]:.1f}", r[5], r[6], r[3], r[4]]
                    for r, label in zip(runs, labels, strict=True)], "runs-table")
    return _section("runs", "Runs over time", _figure_html(fig, "runs-chart") + table)


@dataclass
class _SiteDay:
    articles: int = 0
    words: float | None = None
    paywalled: float | None = None
    truncated: float | None = None
    failed: int = 0  # rejects of article candidates

    @property
    def yield_(self) -> float | None:
        candidates = self.articles + self.failed
        return self.articles / candidates if candidates else None


def _site_days(data: Dataset) -> tuple[dict[tuple[str, str], _SiteDay], list[tuple[Any, ...]]]:
    """Every (site, day) with articles or rejects; and the rejects by site, day and reason."""
    days: dict[tuple[str, str], _SiteDay] = defaultdict(_SiteDay)
    for site, day, n, words, paywalled, truncated in data.rows(SITE_DAY):
        days[site, day] = _SiteDay(n, words, paywalled, truncated)
    rejects = data.rows(SITE_DAY_REJECTS)
    for site, day, reason, n in rejects:
        days[site, day].failed += 0 if reason in health.NOT_CANDIDATES else n
    return dict(sorted(days.items())), rejects


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _site_day_section(data: Dataset) -> str:
    from plotly.subplots import make_subplots

    days, rejects = _site_days(data)
    titles = ("articles stored", "median words", "share paywalled", "share truncated",
              "share of fetched article pages that became articles")
    fig = make_subplots(rows=5, cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        subplot_titles=titles)
    colors = _colors({site for site, _ in days})
    for site, color in colors.items():
        mine = [(day, d) for (s, day), d in days.items() if s == site]
        series = [[d.articles for _, d in mine], [d.words for _, d in mine],
                  [d.paywalled for _, d in mine], [d.truncated for _, d in mine],
                  [d.yield_ for _, d in mine]]
        for row, y in enumerate(series, start=1):
            fig.add_scatter(x=[day for day, _ in mine], y=y, mode="lines+markers", name=site,
                            legendgroup=site, showlegend=row == 1, line={"color": color},
                            row=row, col=1)
    fig.update_layout(height=1000)
    fig.update_xaxes(type="category", categoryorder="category ascending")
    table = _table(
        ["site", "day", "articles", "median words", "paywalled", "truncated", "yield"],
        [[site, day, d.articles, "" if d.words is None else f"{d.words:.0f}",
          _percent(d.paywalled), _percent(d.truncated), _percent(d.yield_)]
         for (site, day), d in days.items()], "site-day-table")
    return _section("sites", "Per site and day",
                    _figure_html(fig, "site-day-chart") + _rejects_chart(rejects) + table)


_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")


def _colors(names: set[str]) -> dict[str, str]:
    """One colour per site (in name order), the same in every chart of the page."""
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(sorted(names))}


def _rejects_chart(rejects: list[tuple[Any, ...]]) -> str:
    from plotly.subplots import make_subplots

    sites = sorted({r[0] for r in rejects})
    if not sites:
        return "<p>No reject in this window.</p>"
    fig = make_subplots(rows=len(sites), cols=1, shared_xaxes=True, subplot_titles=sites,
                        vertical_spacing=min(0.08, 0.3 / len(sites)))
    reasons = _colors({r[2] for r in rejects})
    for row, site in enumerate(sites, start=1):
        for reason, color in reasons.items():
            mine = [r for r in rejects if r[0] == site and r[2] == reason]
            fig.add_bar(x=[r[1] for r in mine], y=[r[3] for r in mine], name=reason,
                        legendgroup=reason, showlegend=row == 1, marker={"color": color},
                        row=row, col=1)
    fig.update_layout(barmode="stack", height=140 + 160 * len(sites),
                      title="rejects by reason, per site and day")
    fig.update_xaxes(type="category", categoryorder="category ascending")
    return _figure_html(fig, "site-rejects-chart")


def _boilerplate_section(data: Dataset) -> str:
    from plotly import graph_objects as go

    rows = data.rows(BOILERPLATE)
    fig = go.Figure()
    for site, color in _colors({r[0] for r in rows}).items():
        mine = [r for r in rows if r[0] == site]
        fig.add_bar(y=[r[1] for r in mine], x=[r[2] for r in mine], name=site, orientation="h",
                    marker={"color": color})
    fig.update_layout(barmode="stack", height=200 + 22 * len({r[1] for r in rows}),
                      title="lines removed by rule and site", yaxis={"autorange": "reversed"})
    table = _table(["site", "rule", "lines removed", "most frequent examples"],
                   [[r[0], r[1], r[2], " · ".join(r[3])] for r in rows[:60]], "boilerplate-table")
    body = _figure_html(fig, "boilerplate-chart") + table if rows else (
        "<p>No line removed in this window.</p>")
    return _section("boilerplate", "What the boilerplate layer removed", body)


def _health_section(found: list[health.Alarm]) -> str:
    if not found:
        return _section("health", "Site health", '<p class="ok">No alarm.</p>')
    items = "".join(
        f'<li class="alarm" data-site="{html.escape(a.site)}" data-kind="{a.kind}">'
        f"{html.escape(a.line())}</li>" for a in found)
    return _section("health", f"Site health: {len(found)} alarm(s)", f"<ul>{items}</ul>")


def _table(head: list[str], rows: list[list[Any]], table_id: str) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                    for row in rows)
    heads = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f'<table id="{table_id}"><thead><tr>{heads}</tr></thead><tbody>{cells}</tbody></table>'


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{html.escape(title)}</h2>{body}</section>'


STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;padding:0 1.5em;max-width:1200px}
table{border-collapse:collapse;margin:1em 0;font-size:13px}
td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} .alarm{color:#b00020;margin:.3em 0} .ok{color:#2a7}
section{margin-bottom:2.5em}
"""


def render(data: Dataset, found: list[health.Alarm]) -> str:
    """The report page."""
    from plotly.offline import get_plotlyjs

    sections = [_health_section(found), _runs_section(data), _site_day_section(data),
                _boilerplate_section(data)]
    meta = {"output_dir": str(data.output_dir), "scope": data.scope.describe(),
            "generated_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC"}
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,"><title>newsclean report</title>'
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
        f"<h1>newsclean report</h1><p>{html.escape(meta['output_dir'])}: "
        f"{html.escape(meta['scope'])}; generated {meta['generated_at']}.</p>"
        + "".join(sections)
        + f'<script type="application/json" id="report-meta">{json.dumps(meta)}</script>'
        "</body></html>"
    )


def build_report(output_dir: Path, scope: Scope | None = None,
                 thresholds: health.Thresholds | None = None) -> tuple[Path, list[health.Alarm]]:
    """Write ``output_dir/report.html`` (atomically); return its path and the alarms."""
    data = Dataset(output_dir, scope)
    try:
        found = health.alarms(site_runs(data, thresholds), thresholds)
        page = render(data, found)
    finally:
        data.close()
    path = data.output_dir / REPORT_NAME
    tmp = path.with_name(f".{REPORT_NAME}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path, found
