"""The run report, the site health alarms, ``scrapy report [--check]`` and the data dictionary.

Datasets: multi-day histories written with the project's writer (``tests/reportdata.py``: one
site stops yielding, one turns to challenge pages) and a real crawl of a fixture site on top of
a seeded history. The page is opened in the system's headless Chromium (driven by playwright):
no console error, no request leaving the file, the numbers equal independent DuckDB queries.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from reportdata import DAYS, SITES, run_starts, write_history

from pipelines import health
from pipelines.report import Dataset, Scope, build_report, check, parse_since, site_runs
from pipelines.schema import DESCRIPTIONS, PARTITION, TABLES, dictionary_block

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("broken") / "output"
    write_history(output, broken=True)
    return output


@pytest.fixture(scope="module")
def crawled(serve_sites, run_crawl, tmp_path_factory) -> Path:
    """The broken history, then a real crawl of the ``harbor`` fixture site on top of it."""
    workdir = tmp_path_factory.mktemp("crawled")
    write_history(workdir / "output", broken=True)
    with serve_sites("harbor") as servers:
        result = run_crawl(servers, workdir)
    assert result.returncode == 0, result.log
    # valley's and rive's alarms stand, but this run (harbor only) did not raise them
    assert "site alarm" not in result.stderr, result.log
    return result.output


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("healthy") / "output"
    write_history(output, broken=False)
    return output


def sql(output: Path, query: str) -> list[tuple]:
    """An independent DuckDB query; ``{articles}`` etc. stand for the table's files."""
    tables = {t: f"read_parquet('{output}/{t}/*/*.parquet', hive_partitioning = true)"
              for t in TABLES}
    return duckdb.sql(query.format(**tables)).fetchall()


# --- site health: pure functions ---------------------------------------------------------------

def _runs(site: str, per_run: list[tuple[int, dict[str, int]]], **fields) -> list[health.SiteRun]:
    start = datetime(2026, 11, 1, 6, tzinfo=UTC)
    return [health.SiteRun(site=site, crawl_id=f"run{i}", started_at=start + timedelta(days=i),
                           articles=articles, rejects=rejects, words_median=500, **fields)
            for i, (articles, rejects) in enumerate(per_run)]


GOOD = (8, {"not_article": 1, "listing": 3})


def test_a_site_that_stops_yielding_raises_an_alarm_since_its_first_bad_run():
    runs = _runs("x", [GOOD] * 5 + [(0, {"not_article": 6})] * 3)
    found = {a.kind: a for a in health.site_alarms(runs)}
    assert set(found) == {"yield", "not_article"}
    assert found["yield"].since == runs[5].started_at and found["yield"].runs == 3
    assert "no article stored in the last 3 runs" in found["yield"].message
    assert "89%" in found["yield"].message  # the baseline: 40 of 45 candidates


def test_quiet_nights_and_runs_with_nothing_new_are_healthy():
    nothing_new = (0, {"listing": 3})  # every article already stored: no candidate fetched
    assert health.site_alarms(_runs("x", [GOOD] * 5 + [nothing_new] * 4)) == []
    assert health.site_alarms(_runs("x", [GOOD] * 5 + [(0, {})] * 4)) == []


def test_one_bad_run_is_not_yet_an_alarm():
    assert health.site_alarms(_runs("x", [GOOD] * 5 + [(0, {"blocked": 6})])) == []


def test_no_alarm_without_history():
    assert health.site_alarms(_runs("x", [GOOD, (0, {"blocked": 6}), (0, {"blocked": 6})])) == []


def test_any_new_reject_reason_counts_against_the_yield():
    runs = _runs("x", [GOOD] * 4 + [(1, {"paywall_wall": 9})] * 2)
    assert [a.kind for a in health.site_alarms(runs)] == ["yield"]


def test_word_count_drop_and_near_empty_text():
    runs = _runs("x", [GOOD] * 4)
    start = runs[-1].started_at
    runs += [health.SiteRun("x", f"late{i}", start + timedelta(days=i + 1), articles=8,
                            words_median=90, near_empty=6, rejects={}) for i in range(2)]
    found = {a.kind: a.message for a in health.site_alarms(runs)}
    assert set(found) == {"words", "near_empty"}
    assert found["words"] == "median word count fell to 90 from 500"


# --- the dataset's report ------------------------------------------------------------------------

def test_alarms_name_the_two_broken_sites(broken):
    found = check(broken)
    assert {a.site for a in found} == {"valley", "rive"}
    kinds = {(a.site, a.kind) for a in found}
    assert {("valley", "yield"), ("valley", "not_article"), ("rive", "yield"),
            ("rive", "blocked")} <= kinds
    assert {a.since for a in found} == {run_starts()[-2]}


def test_healthy_history_has_no_alarm(healthy):
    assert check(healthy) == []


def test_site_runs_match_the_dataset(broken):
    data = Dataset(broken)
    runs = site_runs(data)
    data.close()
    got = {(r.site, r.crawl_id): r.articles for r in runs if r.articles}
    want = dict(((s, c), n) for s, c, n in
                sql(broken, "select site, crawl_id, count(*) from {articles} group by all"))
    assert got == want


def test_scope_narrows_to_a_site_and_a_window(broken):
    since = datetime.now(UTC) - parse_since("3d")
    data = Dataset(broken, Scope(since=since, site="harbor"))
    got = data.rows("select site, count(*) from articles group by all")
    runs = data.rows("select count(*) from runs")[0][0]
    data.close()
    want = sql(broken, f"select site, count(*) from {{articles}} where site = 'harbor' "
                       f"and fetched_at >= '{since.isoformat()}' group by all")
    assert got == want
    assert runs == sum(start >= since for start in run_starts())


@pytest.mark.parametrize("bad", ["7", "7 days", "d", "-1d"])
def test_bad_since_is_refused(bad):
    with pytest.raises(ValueError, match="since="):
        parse_since(bad)


def test_an_empty_output_dir_reports_nothing_wrong(tmp_path):
    path, found = build_report(tmp_path)
    assert found == [] and path.read_text(encoding="utf-8").startswith("<!doctype html>")


# --- the command ---------------------------------------------------------------------------------

def test_check_exits_non_zero_with_one_line_per_alarm(broken, scrapy_cmd):
    proc = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(broken)})
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(check(broken)) and all(line.startswith("ALARM ") for line in lines)
    assert {line.split()[1].rstrip(":") for line in lines} == {"valley", "rive"}
    assert not (broken / "report.html").exists()  # --check writes no page


def test_check_exits_zero_on_a_healthy_dataset(healthy, scrapy_cmd):
    proc = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(healthy)})
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout, proc.stderr) == ("", "")  # nothing for cron to mail


def test_check_follows_the_health_settings(broken, scrapy_cmd):
    """Two bad runs in a row: no alarm yet when three are asked for; nonsense is refused."""
    three = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(broken),
                                                      "HEALTH_MIN_RUNS": "3"})
    zero = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(broken),
                                                     "HEALTH_MIN_PAGES": "0"})
    assert (three.returncode, three.stdout) == (0, "")
    assert zero.returncode == 2 and "min_candidates=0" in zero.stderr


def test_report_command_refuses_bad_arguments(healthy, tmp_path, scrapy_cmd):
    bad = scrapy_cmd("report", "-a", "since=soon", settings={"OUTPUT_DIR": str(healthy)})
    missing = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(tmp_path / "none")})
    unknown = scrapy_cmd("report", "-a", "site=harbour", settings={"OUTPUT_DIR": str(healthy)})
    assert (bad.returncode, missing.returncode, unknown.returncode) == (2, 2, 2)
    assert "since='soon'" in bad.stderr and "no dataset" in missing.stderr
    assert "site='harbour' is not in the dataset; its sites: harbor, rive, valley" in (
        unknown.stderr)


def test_report_command_narrows_to_a_site_and_a_window(broken, scrapy_cmd, tmp_path):
    from lxml import html as lxml_html

    output = tmp_path / "output"
    shutil.copytree(broken, output)
    proc = scrapy_cmd("report", "-a", "site=rive", "-a", "since=3d",
                      settings={"OUTPUT_DIR": str(output)})
    assert proc.returncode == 0, proc.stderr
    page = lxml_html.parse(str(output / "report.html")).getroot()
    rows = [[td.text_content() for td in tr] for tr in page.xpath("//table[@id='site-day-table']"
                                                                   "/tbody/tr")]
    since = datetime.now(UTC) - timedelta(days=3)
    assert {row[0] for row in rows} == {"rive"}
    assert [row[1] for row in rows] == [f"{s:%Y-%m-%d}" for s in run_starts() if s >= since]
    alarms = page.xpath("//li[@class='alarm']/@data-site")
    assert alarms == []  # two bad runs in 3 days, but no earlier runs left to compare with


def test_report_command_names_an_unreadable_file(healthy, scrapy_cmd, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(healthy, output)
    bad = output / "rejects" / f"{PARTITION}=2026-01-01" / "x-00000.parquet"
    bad.parent.mkdir()
    bad.write_bytes(b"not parquet at all")
    proc = scrapy_cmd("report", "--check", settings={"OUTPUT_DIR": str(output)})
    assert proc.returncode == 2
    assert "cannot read the dataset" in proc.stderr and "x-00000.parquet" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- the page in a browser -----------------------------------------------------------------------

def _require_chromium() -> None:
    if not CHROMIUM.exists():  # a failure, not a skip: CI must run this test
        pytest.fail("the report test needs Chromium: apt-get install -y chromium (Debian), "
                    "or run `make test` as root, which installs it")


def _open_in_chromium(page_path: Path, screenshot: Path) -> dict:
    """Load the page; return its console errors, requests, tables, chart data and alarms."""
    from playwright.sync_api import sync_playwright

    _require_chromium()
    seen: dict = {"errors": [], "requests": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.goto(page_path.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 4")
        seen["tables"] = page.evaluate("""() => Object.fromEntries(
            [...document.querySelectorAll('table')].map(t => [t.id,
                [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))]))""")
        seen["site_day"] = page.evaluate("""() => document.getElementById('site-day-chart')
            .data.map(t => ({name: t.name, yaxis: t.yaxis, x: t.x, y: t.y}))""")
        seen["alarms"] = page.evaluate("""() => [...document.querySelectorAll('li.alarm')]
            .map(li => [li.dataset.site, li.dataset.kind, li.textContent])""")
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return seen


def test_report_page_in_headless_chromium(crawled, scrapy_cmd, tmp_path):
    proc = scrapy_cmd("report", settings={"OUTPUT_DIR": str(crawled)})
    assert proc.returncode == 0, proc.stderr
    page_path = Path(proc.stdout.splitlines()[0])
    assert page_path == crawled / "report.html"
    seen = _open_in_chromium(page_path, tmp_path / "report.png")

    assert seen["errors"] == []
    assert {url.split(":")[0] for url in seen["requests"]} <= {"file", "data"}
    assert all(url == page_path.as_uri() for url in seen["requests"] if url.startswith("file"))
    assert (tmp_path / "report.png").stat().st_size > 50_000

    # the alarms: the two broken sites, and only them (harbor, crawled for real, is healthy)
    assert {site for site, _, _ in seen["alarms"]} == {"valley", "rive"}
    assert all("since" in text for _, _, text in seen["alarms"])

    # runs table: articles and rejects per run, as DuckDB counts them
    runs = {row[0]: (int(row[3]), int(row[4])) for row in seen["tables"]["runs-table"]}
    articles = dict(sql(crawled, "select crawl_id, count(*) from {articles} group by all"))
    rejects = dict(sql(crawled, "select crawl_id, count(*) from {rejects} group by all"))
    assert runs == {c: (articles.get(c, 0), rejects.get(c, 0)) for c in runs}
    assert len(runs) == DAYS + 1 and set(articles) <= set(runs)

    # per site and day: articles and median words, in the table and in the chart
    want = {(s, str(d)): (n, round(m)) for s, d, n, m in sql(
        crawled, "select site, crawl_date, count(*), median(word_count) from {articles} "
                 "group by all")}
    table = {(r[0], r[1]): (int(r[2]), int(r[3]))
             for r in seen["tables"]["site-day-table"] if r[3]}
    assert table == want
    stored = {(t["name"], x): y for t in seen["site_day"] if t["yaxis"] == "y"
              for x, y in zip(t["x"], t["y"], strict=True) if y}
    assert stored == {key: n for key, (n, _) in want.items()}
    assert {t["name"] for t in seen["site_day"]} == set(SITES)

    # the boilerplate layer: lines removed by site and rule
    removed = {(r[0], r[1]): int(r[2]) for r in seen["tables"]["boilerplate-table"]}
    want = dict(((site, rule), n) for site, rule, n in sql(
        crawled, "select site, split_part(line, ': ', 1), count(*) from "
                 "(select site, unnest(boilerplate) as line from {articles}) group by all"))
    assert removed == want


def test_report_png_in_the_repository_is_a_report_screenshot():
    png = REPO / "docs" / "report.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/report.png" in (REPO / "README.md").read_text(encoding="utf-8")


# --- the crawl's end line --------------------------------------------------------------------

def test_crawl_end_line_names_the_alarms_it_raised(serve_sites, run_crawl, tmp_path):
    """A real crawl of a fixture site after a history of much longer articles, the last run's
    short already: the crawl is the second short run in a row, so it raises the alarm."""
    output = tmp_path / "output"
    write_history(output, broken=False, words=(4000, 6000), late_words=(300, 400))
    with serve_sites("harbor") as servers:
        result = run_crawl(servers, tmp_path)
    assert result.returncode == 0, result.log
    end = [line for line in result.stderr.splitlines() if line.startswith("newsclean: OK")]
    assert len(end) == 1, result.log
    found = re.search(r"\d site alarm\(s\).* harbor: median word count fell to \d+ from (\d+)",
                      end[0])
    assert found and 4000 <= int(found[1]) <= 6000, end[0]
    assert "valley" not in end[0] and "rive" not in end[0]


def test_data_dictionary_in_readme_is_generated_from_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for table, schema in TABLES.items():
        assert set(DESCRIPTIONS[table]) == {*schema.names, PARTITION}, table
        assert all(meaning for meaning, _ in DESCRIPTIONS[table].values()), table
        assert dictionary_block(table) in readme, (
            f"the README's {table} dictionary differs from pipelines/schema.py: run "
            "`.venv/bin/python -m pipelines.schema README.md`")


def test_report_command_module_imports_nothing_heavy():
    """Scrapy imports every command module whatever the command: not duckdb nor plotly."""
    probe = ("import sys, crawler.commands.report; "
             "print([m for m in ('duckdb', 'plotly', 'pyarrow') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
