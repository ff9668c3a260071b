"""End to end: one real ``scrapy crawl news`` over the three fixture sites, then its dataset.

The crawl runs once per module (``crawled``); every test reads its output, the fixture servers'
request logs, and the manifests in ``tests/sites/<name>/expected.json``.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from lxml import html as lxml_html
from mockserver import SITE_NAMES, SITES_DIR, SiteServer, load_manifest

from pipelines.extract import extract_article
from pipelines.schema import ARTICLES, REJECTS, SCHEMA_VERSION

MANIFESTS = {name: load_manifest(name) for name in SITE_NAMES}
PARTITION = re.compile(r"^crawl_date=(\d{4}-\d{2}-\d{2})$")


def _cases(key: str) -> list:
    """``(site, entry)`` for every entry under ``key`` in the manifests, with readable ids."""
    return [
        pytest.param(site, entry, id=f"{site}:{entry.get('path', entry.get('from', ''))}")
        for site, manifest in MANIFESTS.items()
        for entry in manifest[key]
    ]


@pytest.fixture(scope="module")
def crawled(serve_sites, run_crawl, tmp_path_factory):
    """One crawl over all fixture sites; the servers stay up for the module."""
    with serve_sites(*SITE_NAMES) as servers:
        yield run_crawl(servers, tmp_path_factory.mktemp("crawl"))


@pytest.fixture(scope="module")
def articles(crawled) -> pa.Table:
    return ds.dataset(crawled.output / "articles", format="parquet", partitioning="hive").to_table()


@pytest.fixture(scope="module")
def rejects(crawled) -> pa.Table:
    return ds.dataset(crawled.output / "rejects", format="parquet", partitioning="hive").to_table()


def _rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def _site_rows(table: pa.Table, site: str) -> list[dict]:
    return [row for row in _rows(table) if row["site"] == site]


def _paths_requested(crawled, site: str, path: str) -> list[str]:
    """Requests the site's server saw for ``path``, with any query string."""
    return [p for p in crawled.requests[site] if p.split("?", 1)[0] == path]


def _first_paragraph(site: str, path: str) -> str:
    """The first body paragraph of a fixture article, as a reader sees it."""
    tree = lxml_html.fromstring((SITES_DIR / site / path.lstrip("/")).read_bytes())
    first = tree.xpath("//article//div[@class='article-body']/p[1]")[0]
    return " ".join(first.text_content().split())


# --------------------------------------------------------------------------- the run


def test_crawl_exits_zero(crawled):
    assert crawled.returncode == 0, crawled.log


def test_the_crawl_ends_with_its_summary_and_nothing_after_it(crawled):
    """The summary line is the last thing a crawl prints: no warning on the way out (DuckDB's
    bindings report "leaked instances" when the exit freezes the heap after the health check)."""
    lines = crawled.stderr.rstrip("\n").splitlines()
    assert lines[-1].startswith("newsclean: OK"), lines[-5:]
    assert "leaked" not in crawled.stderr


def test_no_console_into_the_crawl(crawled):
    """Neither Scrapy's telnet console nor its remote control (runs code sent over HTTP)."""
    assert "Enabled extensions" in crawled.stderr
    extensions = crawled.stderr.split("Enabled extensions", 1)[1].split("]", 1)[0]
    assert "RemoteControl" not in extensions and "TelnetConsole" not in extensions


_EXTENSIONS_PROBE = """
import sys
from scrapy.utils.conf import build_component_list
from scrapy.utils.project import get_project_settings
settings = get_project_settings()
enabled = build_component_list(settings.get_component_priority_dict_with_base("EXTENSIONS"))
print(len(enabled), "scrapy.extensions.remote_control" in sys.modules, "aiohttp" in sys.modules)
"""


def test_remote_control_is_not_even_imported():
    """Building the crawl's extension list (as Scrapy does) leaves the remote control's module,
    and aiohttp with it, unimported: no listening code, less start-up time and memory."""
    out = subprocess.run([sys.executable, "-c", _EXTENSIONS_PROBE], cwd=Path(__file__).parents[1],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    count, remote_control, aiohttp = out.stdout.split()
    assert int(count) > 5  # Scrapy's own extensions are all still there
    assert (remote_control, aiohttp) == ("False", "False")


def test_every_site_was_crawled(crawled):
    for site in SITE_NAMES:
        assert "/" in crawled.requests[site], f"{site}: start page not fetched: {crawled.requests}"


# --------------------------------------------------------------------------- what was stored


@pytest.mark.parametrize("site", SITE_NAMES)
def test_stored_exactly_the_expected_articles(crawled, articles, site):
    stored = {row["canonical_url"] for row in _site_rows(articles, site)}
    expected = {crawled.url(site, a["path"]) for a in MANIFESTS[site]["articles"]}
    assert stored == expected, (
        f"{site}: missing {sorted(expected - stored)}, unexpected {sorted(stored - expected)}; "
        f"requested: {crawled.requests[site]}"
    )


@pytest.mark.parametrize(("site", "expected"), _cases("articles"))
def test_article_metadata(crawled, articles, site, expected):
    url = crawled.url(site, expected["path"])
    rows = [row for row in _rows(articles) if row["canonical_url"] == url]
    assert len(rows) == 1, f"{url}: {len(rows)} rows"
    row = rows[0]
    assert row["site"] == site
    assert row["title"] == expected["title"]
    assert row["authors"] == expected["authors"]
    assert row["published_at"] == datetime.fromisoformat(expected["published_at"])
    assert row["language"] == expected["language"]


@pytest.mark.parametrize(("site", "expected"), _cases("articles"))
def test_article_text_is_the_body_without_chrome(crawled, articles, site, expected):
    url = crawled.url(site, expected["path"])
    rows = [row for row in _rows(articles) if row["canonical_url"] == url]
    assert rows, f"{url} not stored"
    text = rows[0]["text"]
    assert _first_paragraph(site, expected["path"]) in text
    for chrome in MANIFESTS[site]["chrome"]:
        assert chrome not in text, f"nav/footer text {chrome!r} in the article text"
    assert rows[0]["word_count"] >= 140


@pytest.mark.parametrize("site", SITE_NAMES)
def test_non_articles_are_not_stored(crawled, articles, site):
    rows = _rows(articles)
    stored = {row["url"] for row in rows} | {row["canonical_url"] for row in rows}
    for path in MANIFESTS[site]["not_stored"]:
        assert crawled.url(site, path) not in stored


def test_each_article_stored_once(articles):
    canonical = [row["canonical_url"] for row in _rows(articles)]
    hashes = [row["content_hash"] for row in _rows(articles)]
    assert len(canonical) == len(set(canonical)), sorted(canonical)
    assert len(hashes) == len(set(hashes))


def test_row_bookkeeping(crawled, articles):
    rows = _rows(articles)
    assert rows, crawled.log
    assert len({row["crawl_id"] for row in rows}) == 1
    assert rows[0]["crawl_id"]
    for row in rows:
        assert row["domain"] == "127.0.0.1"
        assert row["http_status"] == 200
        assert row["schema_version"] == SCHEMA_VERSION
        assert re.fullmatch(r"[0-9a-f]{64}", row["content_hash"])
        assert row["extractor_version"]
        assert row["fetched_at"].tzinfo is not None
        assert row["word_count"] == len(re.findall(r"\w+", row["text"]))


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize(
    ("site", "resource", "only_via"),
    [
        pytest.param("harbor", "/sitemap_index.xml", None, id="harbor:robots.txt-sitemap-line"),
        pytest.param("harbor", "/sitemap-news.xml", "/news/2026/11/storm-warning-issued.html",
                     id="harbor:google-news-sitemap"),
        pytest.param("harbor", "/sitemap-archive.xml.gz",
                     "/news/2026/11/lighthouse-restoration-complete.html",
                     id="harbor:gzip-sitemap"),
        pytest.param("harbor", "/section/city/", "/news/2026/11/library-extends-hours.html",
                     id="harbor:section-page-depth-2"),
        pytest.param("valley", "/feed.rss", "/news/2026/11/school-board-adopts-budget.html",
                     id="valley:rss-feed"),
        pytest.param("valley", "/sitemap.xml", None, id="valley:configured-sitemap"),
        pytest.param("rive", "/flux.atom", "/actualites/2026/11/pont-suspendu-repeint.html",
                     id="rive:atom-autodiscovered"),
    ],
)
def test_discovery_source_read(crawled, articles, site, resource, only_via):
    assert _paths_requested(crawled, site, resource), f"{site}{resource} never fetched"
    if only_via:
        stored = {row["canonical_url"] for row in _rows(articles)}
        assert crawled.url(site, only_via) in stored, f"{only_via} (only in {resource}) not stored"


def test_news_sitemap_entry_stored_with_its_date(crawled, articles):
    url = crawled.url("harbor", "/news/2026/11/storm-warning-issued.html")
    rows = [row for row in _rows(articles) if row["canonical_url"] == url]
    assert rows and rows[0]["published_at"] == datetime(2026, 11, 21, 5, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("site", "path"),
    [(site, path) for site in SITE_NAMES for path in MANIFESTS[site]["never_requested"]],
)
def test_never_requested(crawled, site, path):
    assert not _paths_requested(crawled, site, path), crawled.requests[site]


def test_robots_disallowed_is_recorded(crawled, rejects):
    url = crawled.url("harbor", "/private/2026/11/council-insider-memo.html")
    reasons = {row["reason"] for row in _rows(rejects) if row["url"] == url}
    assert reasons == {"robots_disallowed"}


# --------------------------------------------------------------------------- rejects


@pytest.mark.parametrize(("site", "expected"), _cases("rejects"))
def test_expected_reject_recorded(crawled, rejects, site, expected):
    url = crawled.url(site, expected["path"])
    found = [row for row in _rows(rejects) if row["url"] == url]
    seen = [(r["url"], r["reason"]) for r in _rows(rejects)]
    assert found, f"no reject for {url}; rejects: {seen}"
    assert {row["reason"] for row in found} == {expected["reason"]}
    for row in found:
        assert row["site"] == site
        assert row["crawl_id"]
        assert row["schema_version"] == SCHEMA_VERSION
        if expected["reason"].startswith("http_"):
            assert row["http_status"] == int(expected["reason"].removeprefix("http_"))


def test_pdf_fetched_once_and_not_stored(crawled, articles):
    path = "/news/2026/11/budget-in-brief.html"
    assert len(_paths_requested(crawled, "valley", path)) == 1
    assert crawled.url("valley", path) not in {row["url"] for row in _rows(articles)}


# --------------------------------------------------------------------------- one article, many URLs


@pytest.mark.parametrize(("site", "redirect"), _cases("redirects"))
def test_redirect_stored_under_final_url(crawled, articles, site, redirect):
    assert _paths_requested(crawled, site, redirect["from"]), "old URL never requested"
    final = crawled.url(site, redirect["to"])
    rows = [row for row in _rows(articles) if row["canonical_url"] == final]
    assert len(rows) == 1, f"{final}: {len(rows)} rows"
    assert rows[0]["url"] == final
    assert crawled.url(site, redirect["from"]) not in {row["url"] for row in _rows(articles)}


@pytest.mark.parametrize(("site", "dup"), _cases("tracking_duplicates"))
def test_tracking_parameters_never_fetched(crawled, site, dup):
    fetched = _paths_requested(crawled, site, dup["path"])
    assert fetched == [dup["path"]], f"{dup['path']} fetched as {fetched}"
    tracked = [p for p in crawled.requests[site] if re.search(r"utm_|fbclid", p)]
    assert not tracked


@pytest.mark.parametrize(("site", "dup"), _cases("canonical_duplicates"))
def test_canonical_duplicate_stored_once(crawled, articles, rejects, site, dup):
    canonical = crawled.url(site, dup["canonical"])
    copy = crawled.url(site, dup["path"])
    assert _paths_requested(crawled, site, dup["path"]), f"{dup['path']} never fetched"
    rows = [row for row in _rows(articles) if row["canonical_url"] == canonical]
    assert len(rows) == 1, f"{canonical}: {len(rows)} rows"
    assert rows[0]["url"] in (canonical, copy)  # whichever copy was fetched first
    assert copy not in {row["canonical_url"] for row in _rows(articles)}
    duplicates = {
        row["url"]: row["reason"] for row in _rows(rejects)
        if row["url"] in (canonical, copy) and row["reason"].startswith("duplicate_")
    }
    assert duplicates, "the second copy was not recorded as a duplicate_* reject"


# --------------------------------------------------------------------------- the dataset


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("table", "schema"), [("articles", ARTICLES), ("rejects", REJECTS)])
def test_partitioned_files_with_the_declared_schema(crawled, table, schema):
    files = _files(crawled.output / table)
    assert files, f"no files under {table}/"
    allowed = {crawled.started.isoformat(), (crawled.started + timedelta(days=1)).isoformat()}
    for path in files:
        assert path.suffix == ".parquet", path
        match = PARTITION.match(path.parent.name)
        assert match and match.group(1) in allowed, path
        assert path.parent.parent == crawled.output / table
        assert pq.read_schema(path).equals(schema), f"{path}: {pq.read_schema(path)}"
        assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    dataset = ds.dataset(crawled.output / table, format="parquet", partitioning="hive")
    partition = dataset.schema.get_field_index("crawl_date")
    assert partition >= 0
    assert dataset.schema.remove(partition).equals(schema)


def test_no_temporary_files_left(crawled):
    expected_hidden = {".lock"}  # the run lock, kept between runs
    leftovers = [
        p for p in crawled.output.rglob("*")
        if (p.name.startswith(".") and p.name not in expected_hidden) or ".tmp" in p.name
    ]
    assert not leftovers


def test_dataset_reads_back_identically(crawled, articles):
    root = crawled.output / "articles"
    glob = str(root / "**" / "*.parquet")
    urls = sorted(articles.column("url").to_pylist())
    frame = pd.read_parquet(root)
    lazy = pl.scan_parquet(glob).collect()
    duck = duckdb.sql(f"from '{glob}'").fetchall()
    duck_urls = duckdb.sql(f"select url from '{glob}'").fetchall()
    assert len(frame) == lazy.height == len(duck) == articles.num_rows > 0
    assert sorted(frame["url"]) == sorted(lazy["url"].to_list()) == urls
    assert sorted(u for (u,) in duck_urls) == urls
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert lazy.schema["authors"] == pl.List(pl.String)


def test_dataset_rows_match_across_readers(crawled, articles):
    root = crawled.output / "articles"
    by_url = {row["url"]: row for row in _rows(articles)}
    for record in pd.read_parquet(root).to_dict("records"):
        row = by_url[record["url"]]
        assert record["title"] == row["title"]
        assert list(record["authors"]) == row["authors"]
        assert record["text"] == row["text"]
    glob = str(root / "**" / "*.parquet")
    for url, title, text in duckdb.sql(f"select url, title, text from '{glob}'").fetchall():
        assert (title, text) == (by_url[url]["title"], by_url[url]["text"])


# --------------------------------------------------------------------------- -a site=NAME


def test_one_site_only(serve_sites, run_crawl, tmp_path):
    with serve_sites(*SITE_NAMES) as servers:
        result = run_crawl(servers, tmp_path, "-a", "site=rive")
    assert result.returncode == 0, result.log
    assert not result.requests["harbor"] and not result.requests["valley"], result.requests
    table = ds.dataset(result.output / "articles", format="parquet", partitioning="hive").to_table()
    assert set(table.column("site").to_pylist()) == {"rive"}
    expected = {result.url("rive", a["path"]) for a in MANIFESTS["rive"]["articles"]}
    assert set(table.column("canonical_url").to_pylist()) == expected


def test_urls_found_twice_are_fetched_once_without_errors(run_crawl, tmp_path):
    """A sitemap and a front page that list the same 300 articles: every article is fetched
    once, and nothing in the crawl fails (a nested release per copy the dupefilter dropped once
    went past Python's recursion limit; copies are now kept out before they are requested)."""
    root = tmp_path / "twice"
    paths = _story_site(root, 300, 'start_urls = ["{{BASE}}/"]\n')
    (root / "index.html").write_text("<html><body>" + "".join(
        f'<a href="{p}">Story {n}</a>' for n, p in enumerate(paths)) + "</body></html>",
        encoding="utf-8")
    with SiteServer(root) as server:
        result = run_crawl({"twice": server}, tmp_path)
    assert result.returncode == 0, result.log
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert not errors, errors[:3]
    assert sorted(p for p in result.requests["twice"] if p.startswith("/news/")) == sorted(paths)
    rejects = ds.dataset(result.output / "rejects", format="parquet", partitioning="hive")
    rows = {row["url"]: row for row in rejects.to_table().to_pylist()}
    assert sorted(rows) == sorted([server.url + "/", *(server.url + p for p in paths)])  # all
    front = rows.pop(server.url + "/")  # read for its links: a listing, and how many it gave
    assert front["reason"] == "listing" and front["detail"].startswith("300 links"), front
    assert {row["reason"] for row in rows.values()} == {"not_article"}


def test_max_pages_counts_distinct_articles(run_crawl, tmp_path):
    """A URL found twice counts once against the site's ``max_pages``: a sitemap that lists its
    first 100 articles twice (once with a tracking parameter, the same canonical URL) still
    yields ``max_pages`` distinct article requests."""
    root, limit = tmp_path / "again", 150
    paths = _story_site(root, 300, f"start_urls = []\nmax_pages = {limit}\n",
                        again=lambda p: f"{p}?utm_source=feed", repeat=100)
    with SiteServer(root) as server:
        result = run_crawl({"again": server}, tmp_path)
    assert result.returncode == 0, result.log
    fetched = [p for p in result.requests["again"] if p.startswith("/news/")]
    assert sorted(fetched) == sorted(paths[:limit])


def _story_site(root: Path, count: int, extra: str, again=None, repeat: int = 0) -> list[str]:
    """A site of ``count`` short story pages and a sitemap of them (its first ``repeat`` listed
    once more, as ``again(path)``), under ``root``; returns the story paths."""
    paths = [f"/news/2026/11/28/story-number-{n}.html" for n in range(count)]
    (root / "news" / "2026" / "11" / "28").mkdir(parents=True)
    (root / "site.toml").write_text(
        f'[[sites]]\nname = "{root.name}"\nsitemaps = ["{{{{BASE}}}}/sitemap.xml"]\n{extra}',
        encoding="utf-8")
    listed = [*paths[:repeat], *(again(p) for p in paths[:repeat]), *paths[repeat:]]
    (root / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(
            f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in listed) + "</urlset>",
        encoding="utf-8")
    for n, path in enumerate(paths):
        (root / path.lstrip("/")).write_text(
            f"<html><head><title>Story {n}</title></head><body><p>Short item {n}.</p></body>"
            "</html>", encoding="utf-8")
    return paths


# --------------------------------------------------------------------------- the fixtures


@pytest.mark.parametrize(("site", "expected"), _cases("articles"))
def test_fixture_article_extracts(site, expected):
    """The fixture pages are what the manifest says (independent of the crawler)."""
    html = (SITES_DIR / site / expected["path"].lstrip("/")).read_text(encoding="utf-8")
    base = "http://127.0.0.1:8000"
    article = extract_article(html.replace("{{BASE}}", base), base + expected["path"])
    assert article is not None
    assert article.title == expected["title"]
    assert article.authors == expected["authors"]
    assert article.published_at == datetime.fromisoformat(expected["published_at"])
    assert 150 <= article.word_count <= 400


@pytest.mark.parametrize(
    ("site", "path"),
    [
        ("valley", "/company/about-our-company-history.html"),
        ("rive", "/actualites/2026/11/tag-quais-et-ponts.html"),
        ("harbor", "/section/city/"),
    ],
)
def test_fixture_non_article_is_not_an_article(site, path):
    file = SITES_DIR / site / path.lstrip("/")
    file = file / "index.html" if file.is_dir() else file
    html = file.read_text(encoding="utf-8").replace("{{BASE}}", "http://127.0.0.1:8000")
    assert extract_article(html, "http://127.0.0.1:8000" + path) is None



def _get(url: str) -> tuple[int, str, bytes]:
    """GET without following redirects or using any proxy: (status, content type, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read()


def test_mockserver_serves_the_fixture_site():
    with SiteServer(SITES_DIR / "harbor") as server:
        base = server.url
        status, kind, body = _get(base + "/robots.txt")
        assert (status, kind) == (200, "text/plain; charset=utf-8")
        assert f"Sitemap: {base}/sitemap_index.xml" in body.decode()
        ferry = "/news/2026/11/ferry-fares-rise.html"
        status, _, body = _get(base + ferry + "?utm_source=x")
        assert status == 200 and f'href="{base}{ferry}"' in body.decode()
        assert _get(base + "/old/harbor-dredging.html")[0] == 301
        assert _get(base + "/news/2026/11/broken-story.html")[0] == 500
        status, kind, body = _get(base + "/sitemap-archive.xml.gz")
        assert kind == "application/x-gzip" and base.encode() in gzip.decompress(body)
        for hidden in ("/expected.json", "/site.toml", "/_routes.json", "/nope.html"):
            assert _get(base + hidden)[0] == 404, hidden
        assert server.requests[:2] == ["/robots.txt", ferry + "?utm_source=x"]
    with SiteServer(SITES_DIR / "valley") as server:
        status, kind, body = _get(server.url + "/news/2026/11/budget-in-brief.html")
        assert (status, kind) == (200, "application/pdf") and body.startswith(b"%PDF-")
