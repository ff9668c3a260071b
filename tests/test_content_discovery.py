"""Discovery by content: every article found, each URL fetched once, every fetched page a row.

One real crawl of the ``marina`` fixture site (``tests/sites/marina/``: articles under a short
slug, a numeric id, a query string and extension-less paths, linked only from a section page or
only from another article; a sitemap, a feed and the front page naming the same URLs; a redirect
to an already-fetched article; a redirect to a denied URL; a bot challenge served with status
200), judged from the server's own request log and the dataset read back with pyarrow and
sqlite3. Then two runs over one output directory (``tests/sites/tides``: what a later run
fetches again), a crawl of a plain 20 MB sitemap generated and served locally (and the peak
memory of reading it), meta refreshes, and a sitemap only robots.txt names. The page-kind rules
themselves are tested on inline HTML.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.dataset as ds
import pytest
from conftest import REPO, crawl_env
from lxml import etree
from lxml import html as lxml_html
from mockserver import SITES_DIR, SiteServer, load_manifest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.discovery import SITEMAP_MAX_BYTES, is_page_url, parse_sitemap
from crawler.spiders.news import _failure_reason
from pipelines import pagekind
from pipelines.extract import parse_html

MANIFEST = load_manifest("marina")


def _table(output: Path, name: str) -> list[dict]:
    folder = output / name
    if not folder.exists():
        return []
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(serve_sites, run_crawl, tmp_path_factory):
    with serve_sites("marina") as servers:
        result = run_crawl(servers, tmp_path_factory.mktemp("marina"))
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def articles(crawled) -> list[dict]:
    return _table(crawled.output, "articles")


@pytest.fixture(scope="module")
def rejects(crawled) -> list[dict]:
    return _table(crawled.output, "rejects")


def test_each_url_is_requested_at_most_once(crawled):
    seen = Counter(crawled.requests["marina"])
    assert seen and max(seen.values()) == 1, [p for p, n in seen.items() if n > 1]
    assert seen["/robots.txt"] == 1


def test_exactly_the_articles_are_stored(crawled, articles):
    stored = {_path(row["canonical_url"]): row for row in articles}
    assert sorted(stored) == sorted(a["path"] for a in MANIFEST["articles"])
    for expected in MANIFEST["articles"]:
        row = stored[expected["path"]]
        assert (row["title"], row["authors"]) == (expected["title"], expected["authors"])


def test_every_requested_page_is_an_article_or_a_reject_with_its_reason(crawled, articles,
                                                                       rejects):
    expected = {r["path"]: r["reason"] for r in MANIFEST["rejects"]}
    expected.update((a["path"], "article") for a in MANIFEST["articles"])
    outcome: dict[str, list[str]] = {}
    for row in articles:
        outcome.setdefault(_path(row["url"]), []).append("article")
    for row in rejects:
        outcome.setdefault(_path(row["url"]), []).append(row["reason"])
    for path in crawled.requests["marina"]:
        if path in MANIFEST["sources"]:
            continue
        assert outcome.get(path) == [expected[path]], (path, outcome.get(path))
    assert set(outcome) == set(expected), "a row for a URL that was not requested"


def test_rejects_say_why(crawled, rejects):
    by_path = {_path(row["url"]): row for row in rejects}
    for wanted in MANIFEST["rejects"]:
        row = by_path[wanted["path"]]
        if "detail_names" in wanted:
            assert crawled.url("marina", wanted["detail_names"]) in row["detail"], row
    links = {path: int(by_path[path]["detail"].split()[0]) for path in ("/", "/news/", "/sport")}
    assert links == {"/": 6, "/news/": 6, "/sport": 4}  # nav links count: they are links too
    assert by_path["/news/council-budget"]["detail"].startswith("bot challenge")


def test_never_requested(crawled):
    for path in MANIFEST["never_requested"]:
        assert path not in crawled.requests["marina"]


def test_the_redirect_source_is_an_alias_of_the_fetched_article(crawled):
    with sqlite3.connect(f"file:{crawled.output / 'state.sqlite'}?mode=ro", uri=True) as db:
        aliases = dict(db.execute("select url, canonical_url from aliases"))
    source = crawled.url("marina", "/go/fuel-dock")
    assert aliases.get(source) == crawled.url("marina", "/news/marina-fuel-dock")


def test_the_runs_table_counts_listings_and_walls(crawled):
    (run,) = _table(crawled.output, "runs")
    reasons = dict(run["rejects_by_reason"])
    assert reasons["listing"] == 3 and reasons["blocked"] == 1, reasons


# --------------------------------------------------------------------------- a second run

TIDES = load_manifest("tides")


def _by_run(rows, runs: list[dict]) -> list[list[str]]:
    """The paths of ``rows``, sorted, per run (``runs``: the runs table in start order)."""
    paths: dict[str, list[str]] = {run["crawl_id"]: [] for run in runs}
    for row in rows:
        paths[row["crawl_id"]].append(_path(row["url"]))
    return [sorted(paths[run["crawl_id"]]) for run in runs]


@pytest.mark.parametrize("revisit", [0, 1])
def test_a_second_run_finds_new_stories_and_skips_the_stored_ones(run_crawl, tmp_path, revisit):
    """Two runs into one output directory (``tests/sites/tides``): run 1 stores A; then the
    server adds an article C to the section page, a story B linked only from C, and a story D
    linked only from A. Run 2 fetches the start and section pages again and stores C and B. A
    stored article is not fetched again for its links (D is not found), unless the site's
    ``revisit`` budget allows: then A is re-read (unchanged: ``duplicate_url``) and D found."""
    root = tmp_path / "tides"
    shutil.copytree(SITES_DIR / "tides", root)
    with (root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write(f"revisit = {revisit}\n")
    with SiteServer(root) as server:
        first = run_crawl({"tides": server}, tmp_path)
        assert first.returncode == 0, first.log
        server.clear()
        server.routes.update(TIDES["run2_routes"])
        second = run_crawl({"tides": server}, tmp_path)
    assert second.returncode == 0, second.log
    run2 = {key: list(TIDES["run2"][key]) for key in ("articles", "listings", "not_fetched")}
    duplicates = TIDES["revisit"]["duplicates"] if revisit else []
    if revisit:
        run2["articles"] += TIDES["revisit"]["articles"]
        run2["not_fetched"] = []
    runs = sorted(_table(second.output, "runs"), key=lambda run: run["started_at"])
    rejects = _table(second.output, "rejects")
    assert _by_run(_table(second.output, "articles"), runs) == [
        sorted(TIDES["run1"]["articles"]), sorted(run2["articles"])]
    assert _by_run((r for r in rejects if r["reason"] == "listing"), runs) == [
        sorted(TIDES["run1"]["listings"]), sorted(run2["listings"])]
    assert _by_run((r for r in rejects if r["reason"] == "duplicate_url"), runs) == [
        [], sorted(duplicates)]
    seen = Counter(second.requests["tides"])
    assert max(seen.values()) == 1, seen
    assert set(seen) == {"/robots.txt", *run2["listings"], *run2["articles"], *duplicates}
    assert not set(run2["not_fetched"]) & set(seen)
    assert runs[1]["skipped_known"] >= 1 - revisit, runs  # A, from the section page and C


# --------------------------------------------------------------------------- a 20 MB sitemap

SITEMAP_ENTRIES = 50_000  # the protocol's most per file
FRESH = 3  # the last entries: fetched only if the whole sitemap was read


def _big_sitemap(root: Path) -> tuple[int, list[str]]:
    """A plain sitemap of 50,000 image-sitemap entries, about 20 MB; the last ``FRESH`` are
    recent, the rest from 2001 (dropped by ``max_age_days``). Returns its size and fresh paths."""
    caption = "Archive photograph from the harbour desk of the Marina Post, " * 4
    old = (
        "<url><loc>{{{{BASE}}}}/news/2001/01/01/archived-story-{n:06d}-from-the-harbour.html"
        "</loc><lastmod>2001-01-01T00:00:00+00:00</lastmod><image:image><image:loc>"
        "{{{{BASE}}}}/img/{n:06d}.jpg</image:loc><image:caption>{caption}</image:caption>"
        "</image:image></url>\n"
    )
    fresh = [f"/news/2026/11/28/fresh-story-{n}.html" for n in range(FRESH)]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
             'schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n']
    parts += [old.format(n=n, caption=caption) for n in range(SITEMAP_ENTRIES - FRESH)]
    parts += [f"<url><loc>{{{{BASE}}}}{p}</loc><lastmod>2026-11-28</lastmod></url>\n"
              for p in fresh]
    parts.append("</urlset>\n")
    data = "".join(parts).encode()
    (root / "sitemap.xml").write_bytes(data)
    for n, path in enumerate(fresh):
        page = root / path.lstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<html><body><p>Fresh item {n}.</p></body></html>", encoding="utf-8")
    (root / "site.toml").write_text(
        '[[sites]]\nname = "big"\nsitemaps = ["{{BASE}}/sitemap.xml"]\nmax_age_days = 3650\n',
        encoding="utf-8")
    return len(data), fresh


def test_a_plain_20_mb_sitemap_is_read_to_its_end(run_crawl, tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    size, fresh = _big_sitemap(root)
    assert 20_000_000 <= size <= SITEMAP_MAX_BYTES  # past the 10 MiB page cap
    with SiteServer(root) as server:
        result = run_crawl({"big": server}, tmp_path)
    assert result.returncode == 0, result.log
    requested = result.requests["big"]
    assert requested.count("/sitemap.xml") == 1
    assert sorted(p for p in requested if p.startswith("/news/")) == sorted(fresh)
    rejects = _table(result.output, "rejects")
    assert not [r for r in rejects if r["url"].endswith("/sitemap.xml")], rejects[:3]


# Peak RSS of reading a sitemap, in a fresh interpreter: the kernel's high-water mark (VmHWM) is
# reset once the body is in memory (imports leave a higher transient peak behind), then read after
# the reader ran; beside it, the size of what the reader returns (what it must keep anyway).
_READ_PEAK = """
import json, re, sys
from pathlib import Path
from lxml import etree
from crawler.spiders.news import _read_sitemap

def kib(field):
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\\s+(\\d+) kB", status, re.M).group(1))

body = Path(sys.argv[1]).read_bytes()
Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts from here
before = kib("VmHWM")
if sys.argv[2] == "spider":
    found, urls = _read_sitemap(body, "http://127.0.0.1:8080/sitemap.xml")
    kept = [found.entries, urls, *urls]
    kept += [x for e in found.entries for x in (e, e.url, e.lastmod)]
    kept_kib = sum(map(sys.getsizeof, kept)) // 1024
else:  # the whole document as a tree, as a reader that does not stream holds it
    tree = etree.fromstring(body, etree.XMLParser(huge_tree=True))
    kept_kib = 0
print(json.dumps({"grew_kib": kib("VmHWM") - before, "kept_kib": kept_kib}))
"""
PARSE_SLACK_KIB = 12 * 1024  # parser buffers and allocator slack; half the sitemap's size


def _read_peak(path: Path, reader: str) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", _READ_PEAK, str(path), reader], cwd=REPO,
                         env=crawl_env(), capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_a_plain_20_mb_sitemap_is_read_in_bounded_memory(tmp_path):
    """The spider's own reader, on the generated 24 MB sitemap: the peak grows by what it
    returns plus a few MB, not by the document held whole (the control: a whole-tree read
    of the same file passes the same bound by far, so the bound can fail)."""
    size, _ = _big_sitemap(tmp_path)
    path = tmp_path / "rendered.xml"
    path.write_bytes((tmp_path / "sitemap.xml").read_bytes().replace(
        b"{{BASE}}", b"http://127.0.0.1:8080"))
    spider = _read_peak(path, "spider")
    assert spider["kept_kib"] > 0
    assert spider["grew_kib"] <= spider["kept_kib"] + PARSE_SLACK_KIB, (spider, size)
    whole = _read_peak(path, "tree")
    assert whole["grew_kib"] > spider["kept_kib"] + PARSE_SLACK_KIB, (whole, spider)


def test_pages_outside_allow_are_read_for_links_only(run_crawl, tmp_path):
    """``allow`` names the article URLs: the front page (not allowed) is fetched for its links
    and recorded as a ``listing`` without extraction; a page outside ``allow`` whose links would
    not be followed is not fetched at all."""
    root = tmp_path / "allowed"
    (root / "news").mkdir(parents=True)
    words = " ".join(f"word{n}" for n in range(200))
    (root / "news" / "harbour-story").write_text(
        f"<html><head><title>Harbour story</title></head><body><article><h1>Harbour story</h1>"
        f"<p>{words}</p></article></body></html>", encoding="utf-8")
    (root / "index.html").write_text(
        '<html><body><a href="/news/harbour-story">Story</a><a href="/about-us-page">About</a>'
        "</body></html>", encoding="utf-8")
    (root / "site.toml").write_text(
        '[[sites]]\nname = "allowed"\nstart_urls = ["{{BASE}}/"]\nallow = [\'/news/\']\n'
        "follow_depth = 1\n", encoding="utf-8")
    with SiteServer(root) as server:
        server.routes["/news/harbour-story"] = {"file": "news/harbour-story",
                                                "content_type": "text/html; charset=utf-8"}
        result = run_crawl({"allowed": server}, tmp_path)
    assert result.returncode == 0, result.log
    assert sorted(result.requests["allowed"]) == ["/", "/news/harbour-story", "/robots.txt"]
    (front,) = _table(result.output, "rejects")
    assert (_path(front["url"]), front["reason"]) == ("/", "listing")
    assert front["detail"].startswith("2 links; not an article URL")
    (article,) = _table(result.output, "articles")
    assert _path(article["url"]) == "/news/harbour-story"


def _article_html(title: str, links: str = "") -> str:
    words = " ".join(f"{title.split()[0].lower()}{n}" for n in range(200))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{words}</p></article>{links}</body></html>")


def _refresh_html(target: str) -> str:
    return (f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head>'
            "<body><p>Moved.</p></body></html>")


def test_a_meta_refresh_target_is_claimed_like_a_redirect_target(run_crawl, tmp_path):
    """A meta refresh to a page fetched already in the run is not followed: a ``duplicate_url``
    reject names the target and the refresh page becomes its alias; one to a denied URL is
    ``denied``; one to a new page claims it, so that a link to that page later is not fetched."""
    root = tmp_path / "refresh"
    (root / "news").mkdir(parents=True)
    (root / "m").mkdir()
    pages = {
        "index.html": '<html><body><a href="/news/harbour.html">Harbour</a>'
                      '<a href="/m/ferry.html">Ferry</a></body></html>',
        "news/harbour.html": _article_html(
            "Harbour story", '<a href="/m/harbour.html">Again</a><a href="/m/live.html">Live</a>'
                             '<a href="/news/ferry.html">Ferry</a>'),
        "news/ferry.html": _article_html("Ferry story"),
        "m/harbour.html": _refresh_html("/news/harbour.html"),  # found only after its target
        "m/ferry.html": _refresh_html("/news/ferry.html"),
        "m/live.html": _refresh_html("/live/now.html"),
    }
    for name, html in pages.items():
        (root / name).write_text(html, encoding="utf-8")
    (root / "site.toml").write_text(
        '[[sites]]\nname = "refresh"\nstart_urls = ["{{BASE}}/"]\nfollow_depth = 2\n'
        "deny = ['/live/']\n", encoding="utf-8")
    with SiteServer(root) as server:
        result = run_crawl({"refresh": server}, tmp_path)
    assert result.returncode == 0, result.log
    seen = Counter(result.requests["refresh"])
    assert max(seen.values()) == 1, seen
    assert "/live/now.html" not in seen
    stored = sorted(_path(row["url"]) for row in _table(result.output, "articles"))
    assert stored == ["/news/ferry.html", "/news/harbour.html"]
    rejects = {_path(row["url"]): row for row in _table(result.output, "rejects")}
    again = rejects["/m/harbour.html"]
    assert again["reason"] == "duplicate_url", again
    assert result.url("refresh", "/news/harbour.html") in again["detail"]
    assert rejects["/m/live.html"]["reason"] == "denied"
    with sqlite3.connect(f"file:{result.output / 'state.sqlite'}?mode=ro", uri=True) as db:
        aliases = dict(db.execute("select url, canonical_url from aliases"))
    assert aliases[result.url("refresh", "/m/harbour.html")] == result.url(
        "refresh", "/news/harbour.html")


def test_a_sitemap_named_by_robots_is_read_when_no_callback_is_left(run_crawl, tmp_path):
    """The site's one configured sitemap is a 404, and robots.txt names another: no callback of
    the site is left to hand that one out, so the scheduler does (``crawler.scheduler``), and
    its article is fetched before the crawl ends."""
    root = tmp_path / "netted"
    (root / "news").mkdir(parents=True)
    (root / "news" / "harbour.html").write_text(_article_html("Harbour story"), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: {{BASE}}/real.xml\n",
                                     encoding="utf-8")
    (root / "real.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
        "{{BASE}}/news/harbour.html</loc></url></urlset>", encoding="utf-8")
    (root / "site.toml").write_text(
        '[[sites]]\nname = "netted"\nsitemaps = ["{{BASE}}/missing.xml"]\n', encoding="utf-8")
    with SiteServer(root) as server:
        result = run_crawl({"netted": server}, tmp_path)
    assert result.returncode == 0, result.log
    assert sorted(result.requests["netted"]) == [
        "/missing.xml", "/news/harbour.html", "/real.xml", "/robots.txt"]
    (article,) = _table(result.output, "articles")
    assert _path(article["url"]) == "/news/harbour.html"


# --------------------------------------------------------------------------- page kinds


def _page(html: str) -> pagekind.PageText:
    tree = parse_html(html)
    assert tree is not None
    return pagekind.measure(tree)


CHALLENGES = [
    "<html><head><title>Just a moment...</title></head><body><h2>Checking your browser"
    "</h2><noscript>Enable JavaScript and cookies to continue</noscript></body></html>",
    "<html><head><title>Security check</title></head><body><p>Please verify you are a "
    "human to continue.</p><div id=captcha></div></body></html>",
    "<html><head><title>Marina Post</title></head><body><h1>Before you continue to Marina "
    "Post</h1><p>We use cookies and data to deliver our services.</p><button>Accept all"
    "</button></body></html>",
    "<html><head><title>Members</title></head><body><p>Please log in to view this page."
    "</p><form><input name=user></form></body></html>",
]


@pytest.mark.parametrize("html", CHALLENGES)
def test_a_short_wall_page_is_blocked(html):
    reason, detail = pagekind.kind_of(_page(html))
    assert reason == "blocked" and detail.split(":")[0] in (
        "bot challenge", "consent wall", "login wall")


def test_a_long_page_that_mentions_the_phrases_is_no_wall():
    prose = "<p>" + "The harbour board met again to discuss the moorings. " * 40 + "</p>"
    html = ("<html><head><title>Just a moment...</title></head><body><p>Enable JavaScript "
            f"and cookies to continue, the form said.</p>{prose}</body></html>")
    page = _page(html)
    assert page.words > pagekind.WALL_MAX_WORDS
    assert pagekind.wall(page) is None and not pagekind.is_thin(page, 40)


def test_a_page_of_links_is_a_listing_and_prose_without_an_article_is_neither():
    links = "".join(f'<li><a href="/s/{n}">Headline number {n} of the day</a></li>'
                    for n in range(30))
    listing = _page(f"<html><body><h1>News</h1><ul>{links}</ul></body></html>")
    assert pagekind.is_thin(listing, 40)
    assert pagekind.kind_of(listing)[0] == "listing"
    assert pagekind.reject_of({"kind": "listing", "detail": "90%", "links": 31}, 30) == (
        "listing", "30 links (90%)")
    assert pagekind.reject_of({"kind": "listing", "detail": "90%", "links": 31}, -1) == (
        "listing", "31 links (90%)")  # the spider did not read them: the worker's count
    about = _page("<html><body><p>" + "We are a small family firm by the sea. " * 8 +
                  '</p><a href="/">Home</a></body></html>')
    assert pagekind.kind_of(about) is None
    assert pagekind.reject_of(None, 1) == ("not_article", "no article text found")


def test_scripts_styles_and_comments_are_not_words():
    page = _page("<html><head><title>T</title><style>p { color: red }</style></head><body>"
                 "<script>var a = 'one two three';</script><!-- four five --><p>six seven</p>"
                 "<a href='/'>eight</a> nine</body></html>")
    assert (page.words, page.link_words, page.links, page.title) == (4, 1, 1, "T")


def test_a_deeply_nested_page_is_measured_without_recursion():
    root = lxml_html.Element("html")
    inner = lxml_html.Element("body")
    root.append(inner)
    for _ in range(5_000):  # deeper than Python's recursion limit
        inner = etree.SubElement(inner, "div")
    etree.SubElement(inner, "p").text = "deep words here"
    assert pagekind.measure(root).words == 3


def test_a_challenge_served_as_an_error_is_blocked_and_a_plain_error_is_not():
    challenge = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
                 b"<noscript>Enable JavaScript and cookies to continue</noscript></body></html>")
    url = "https://x.example/news/a"

    def reason(status: int, body: bytes) -> tuple[str, str, int | None]:
        error = HttpError(Response(url, status=status, body=body), "Ignoring non-200 response")
        return _failure_reason(Failure(error))

    assert reason(403, challenge)[0] == "blocked" and "bot challenge" in reason(403, challenge)[1]
    assert reason(503, challenge)[0] == "blocked"
    assert reason(404, challenge)[0] == "http_404"  # not where challenges are served
    assert reason(403, b"<html><title>403 Forbidden</title></html>")[0] == "http_403"
    maintenance = b"<html><body><p>Down for upkeep, back in just a moment...</p></body></html>"
    assert reason(503, maintenance)[0] == "http_503"


@pytest.mark.parametrize("url, page", [
    ("https://x.example/news/marina-fuel-dock", True),
    ("https://x.example/a/x7k2", True),
    ("https://x.example/story?id=4471", True),
    ("https://x.example/88412", True),
    ("https://x.example/sport", True),
    ("https://x.example/login", False),
    ("https://x.example/search?q=harbour", False),
    ("https://x.example/img/photo.jpg", False),
    ("https://x.example/feed.rss", False),
    ("mailto:desk@x.example", False),
])
def test_which_links_are_pages_worth_reading(url, page):
    assert is_page_url(url) is page


def test_the_sitemap_budget_is_the_protocols_50_mb():
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert parse_sitemap(body, "https://x.example/s.xml").kind == "urlset"
    assert SITEMAP_MAX_BYTES == 50 * 1024 * 1024
