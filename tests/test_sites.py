"""The sites file: ``crawler.sites.load_sites`` and what ``scrapy crawl news`` does with a bad one.

Every error names the file, the site and the field, so an operator can fix it without reading code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mockserver import SITE_NAMES, SITES_DIR, SiteServer

from crawler.sites import Site, SitesError, load_sites

GOOD = """
[[sites]]
name = "harbor"
start_urls = ["https://harbor.example/"]
sitemaps = ["https://harbor.example/sitemap_index.xml"]
feeds = ["https://harbor.example/feed.atom"]
allow = ['/news/']
deny = ['/news/live/', '\\?page=']
max_age_days = 3
max_pages = 200
follow_depth = 1
revisit = 5
remove_selectors = ["div.newsletter", "aside#promo"]

[[sites]]
name = "valley.courier"
feeds = "https://www.valley.example/feed.rss"
"""

OTHER = """
[[sites]]
name = "other"
start_urls = ["https://other.example/"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def assert_names(exc: pytest.ExceptionInfo, path: Path, site: str | None, field: str | None):
    message = str(exc.value)
    assert str(path) in message, message
    if site is not None:
        assert repr(site) in message, message
    if field is not None:
        assert repr(field) in message, message


# --------------------------------------------------------------------------- a good file


def test_good_file(tmp_path):
    harbor, valley = load_sites(write(tmp_path, GOOD))
    assert isinstance(harbor, Site)
    assert harbor.name == "harbor"
    assert harbor.start_urls == ("https://harbor.example/",)
    assert harbor.sitemaps == ("https://harbor.example/sitemap_index.xml",)
    assert harbor.feeds == ("https://harbor.example/feed.atom",)
    assert harbor.max_age_days == 3.0
    assert harbor.max_pages == 200
    assert harbor.follow_depth == 1 and harbor.revisit == 5
    assert harbor.rules.remove_selectors == ("div.newsletter", "aside#promo")
    assert harbor.allows("https://harbor.example/news/2026/a.html")
    assert not harbor.allows("https://harbor.example/news/live/now.html")
    assert not harbor.allows("https://harbor.example/about.html")
    assert valley.name == "valley.courier"
    assert valley.feeds == ("https://www.valley.example/feed.rss",)
    assert valley.hosts == frozenset({"valley.example"})
    assert valley.max_age_days is None and valley.follow_depth == 2 and valley.revisit == 0


def test_only_keeps_one_site(tmp_path):
    (site,) = load_sites(write(tmp_path, GOOD), only="valley.courier")
    assert site.name == "valley.courier"


def test_fixture_site_entries_load(tmp_path):
    text = "\n".join(  # each site on its own port, as served: a host belongs to one site
        (SITES_DIR / name / "site.toml").read_text(encoding="utf-8").replace(
            "{{BASE}}", f"http://127.0.0.1:{8000 + i}")
        for i, name in enumerate(SITE_NAMES)
    )
    sites = load_sites(write(tmp_path, text))
    assert [s.name for s in sites] == list(SITE_NAMES)


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("text", "site", "field"),
    [
        pytest.param('[[sites]]\nstart_urls = ["https://a.example/"]\n', None, "name",
                     id="missing-name"),
        pytest.param(OTHER + OTHER, "other", "name", id="duplicate-name"),
        pytest.param(OTHER + "start_url = 'https://a.example/'\n", "other", None,
                     id="unknown-key"),
        pytest.param('[[sites]]\nname = "other"\nstart_urls = ["harbor.example/news"]\n',
                     "other", "start_urls", id="bad-url-no-scheme"),
        pytest.param('[[sites]]\nname = "other"\nfeeds = ["ftp://harbor.example/feed"]\n',
                     "other", "feeds", id="bad-url-scheme"),
        pytest.param(OTHER + "allow = ['/news/(']\n", "other", "allow", id="bad-regex-allow"),
        pytest.param(OTHER + "deny = ['*live']\n", "other", "deny", id="bad-regex-deny"),
        pytest.param(OTHER + "remove_selectors = ['div[[class']\n", "other", "remove_selectors",
                     id="bad-css-selector"),
        pytest.param(OTHER + "max_pages = -1\n", "other", "max_pages", id="negative-number"),
        pytest.param(OTHER + "follow_depth = 1.5\n", "other", "follow_depth", id="not-whole"),
        pytest.param(OTHER + "revisit = -2\n", "other", "revisit", id="negative-revisit"),
        pytest.param('[[sites]]\nname = "other"\n', "other", "start_urls", id="nothing-to-crawl"),
    ],
)
def test_bad_file_names_file_site_and_field(tmp_path, text, site, field):
    path = write(tmp_path, text)
    with pytest.raises(SitesError) as exc:
        load_sites(path)
    assert_names(exc, path, site, field)


def test_unknown_key_is_named(tmp_path):
    path = write(tmp_path, OTHER + "start_url = 'https://a.example/'\n")
    with pytest.raises(SitesError, match=r"start_url\b") as exc:
        load_sites(path)
    assert_names(exc, path, "other", None)


def test_bad_regex_shows_the_pattern(tmp_path):
    path = write(tmp_path, OTHER + "allow = ['/news/(']\n")
    with pytest.raises(SitesError, match=re.escape("'/news/('")):
        load_sites(path)


def test_unknown_site_name(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(SitesError) as exc:
        load_sites(path, only="nope")
    assert_names(exc, path, "nope", None)
    assert "harbor" in str(exc.value)  # and says which names there are


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[[sites]\nname = 'x'\n", id="not-toml"),
        pytest.param("[other]\nname = 'x'\n", id="no-sites"),
        pytest.param("sites = []\n", id="empty"),
    ],
)
def test_unusable_file_names_the_file(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(SitesError) as exc:
        load_sites(path)
    assert_names(exc, path, None, None)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(SitesError) as exc:
        load_sites(path)
    assert_names(exc, path, None, None)


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("extra", "args", "site", "field"),
    [
        pytest.param("allow = ['/news/(']\n", (), "harbor", "allow", id="bad-regex"),
        pytest.param("", ("-a", "site=nope"), "nope", None, id="unknown-site"),
    ],
)
def test_bad_sites_file_stops_crawl_before_any_request(
    serve_sites, scrapy_cmd, tmp_path, extra, args, site, field
):
    with serve_sites("harbor") as servers:
        base = servers["harbor"].url
        path = write(tmp_path, f'[[sites]]\nname = "harbor"\nstart_urls = ["{base}/"]\n{extra}')
        proc = scrapy_cmd(
            "crawl", "news", "-a", f"sites={path}", *args,
            settings={"OUTPUT_DIR": str(tmp_path / "output")},
        )
        requests = servers["harbor"].requests
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert str(path) in output and repr(site) in output, output
    if field:
        assert repr(field) in output, output
    assert requests == [], f"requests sent despite a bad sites file: {requests}"
    assert not (tmp_path / "output" / "articles").exists()
    assert "Traceback" not in output, output


# --------------------------------------------------------------------------- issue 16


def test_name_is_matched_whole(tmp_path):
    path = write(tmp_path, '[[sites]]\nname = "harbor\\n"\nstart_urls = ["https://a.example/"]\n')
    with pytest.raises(SitesError) as exc:
        load_sites(path)
    assert_names(exc, path, None, "name")


def test_two_sites_on_one_host_is_an_error_naming_both(tmp_path):
    path = write(tmp_path, GOOD + '[[sites]]\nname = "harbor2"\n'
                 'feeds = ["https://harbor.example/other.rss"]\n')
    with pytest.raises(SitesError, match=re.escape("harbor.example")) as exc:
        load_sites(path)
    assert_names(exc, path, "harbor", "start_urls")
    assert repr("harbor2") in str(exc.value)


@pytest.mark.parametrize("pattern", [r"(a)\1", r"/news/(?=\d)"])
def test_pattern_re2_cannot_run_is_refused(tmp_path, pattern):
    path = write(tmp_path, OTHER + f"deny = ['{pattern}']\n")
    with pytest.raises(SitesError, match="RE2") as exc:
        load_sites(path)
    assert_names(exc, path, "other", "deny")


@pytest.mark.timeout(20)
def test_catastrophic_patterns_run_in_linear_time(tmp_path):
    path = write(tmp_path, OTHER + "allow = ['(a+)+$', '/news/([a-z0-9]+-?)+\\.html$']\n")
    (site,) = load_sites(path)
    for n in (40, 4000):  # Python's re takes hours on 40 (and 0.75 s on the second at 24)
        url = "https://other.example/news/" + "a" * n + "-" + "b1" * n + "!"
        assert not site.allows(url)


def test_catastrophic_allow_pattern_crawl_ends_by_itself(scrapy_cmd, tmp_path):
    root = tmp_path / "site"
    (root / "news" / "2026" / "11").mkdir(parents=True)
    slug = "a" * 40 + "-storm"
    (root / "index.html").write_text(
        f'<html><body><a href="/news/2026/11/{slug}.html">Storm</a></body></html>'
    )
    (root / "news" / "2026" / "11" / f"{slug}.html").write_text("<html><p>Storm</p></html>")
    with SiteServer(root) as server:
        path = write(tmp_path, f'[[sites]]\nname = "harbor"\nstart_urls = ["{server.url}/"]\n'
                     "allow = ['(a+)+$']\n")
        proc = scrapy_cmd("crawl", "news", "-a", f"sites={path}",
                          settings={"OUTPUT_DIR": str(tmp_path / "out")})
        requests = server.requests
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "/" in requests
    # not allowed as an article: at most read for its links, never stored
    assert not list((tmp_path / "out").glob("articles/**/*.parquet"))
