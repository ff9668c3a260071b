"""Metadata as clean as the text: headline, authors and times of ``pipelines.metadata``.

Each rule on inline HTML (the site's name cut from a title by evidence, a headline that holds
" - " or "|" kept, the publisher dropped only beside a person, labels cut, initials kept, a
site's time zone applied to times without an offset and only to those), the sites file's
``timezone`` field, one real crawl that carries it to the dataset, and a floor on
``../shared/bench/news-dev/`` measured beside bare trafilatura (``bench/metadata.py``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.dataset as ds
import pytest
from conftest import load_bench_script, run_scrapy
from lxml import html as lxml_html
from mockserver import SiteServer

from crawler.sites import SitesError, load_sites
from pipelines import metadata
from pipelines.extract import extract_article

REPO = Path(__file__).resolve().parents[1]
NEWS_DEV = REPO.parent / "shared" / "bench" / "news-dev"
URL = "https://news.example/2026/11/story.html"
PARAGRAPH = (
    "The harbour board met on Tuesday evening and agreed to keep the old ferry running until "
    "spring, although the cost of repairs has risen sharply and the port is weighing new plans."
)


def page(head: str = "", body: str = "") -> str:
    paragraphs = "".join(f"<p>{PARAGRAPH} ({i})</p>" for i in range(4))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head>'
        f"<body><article>{body}{paragraphs}</article></body></html>"
    )


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def meta(name: str, content: str, attr: str = "name") -> str:
    return f'<meta {attr}="{name}" content="{content}">'


def og(name: str, content: str) -> str:
    return meta(name, content, "property")


def read(head: str, body: str = "", url: str = URL) -> tuple[str | None, list[str]]:
    """``headline`` and ``page_authors`` of a page, as ``extract_article`` calls them."""
    tree = lxml_html.fromstring(page(head, body))
    objects = metadata.json_ld(tree)
    sites = metadata.site_names(tree, objects, url)
    byline = metadata.extract_author(tree)
    return metadata.headline(tree, objects, sites), metadata.page_authors(
        tree, objects, sites, byline
    )


# --------------------------------------------------------------------------- headline


@pytest.mark.parametrize(
    ("title", "site"),
    [
        ("Die Zinswende lässt auf sich warten | Börsen-Zeitung", "Börsen-Zeitung"),
        ("円安が止まらない、輸出企業は最高益｜日刊ゲンダイDIGITAL", "日刊ゲンダイDIGITAL"),
        ("한은, 기준금리 동결 - 매일경제", "매일경제"),
        # the host names the site
        ("Rathaus Ost: Neubau beginnt im Mai - Hafenstadt.example", None),
        ("Hafenstadt | Rathaus Ost: Neubau beginnt im Mai", "Hafenstadt"),  # site first
    ],
)
def test_site_name_cut_when_the_site_is_named(title, site):
    head = f"<title>{title}</title>" + (og("og:site_name", site) if site else "")
    found, _ = read(head, url="https://www.hafenstadt.example/rathaus.html")
    assert found is not None
    assert found == title.replace(f" | {site}", "").replace(f"｜{site}", "").replace(
        f" - {site}", ""
    ).replace(" - Hafenstadt.example", "").replace("Hafenstadt | ", "")


def test_site_part_cut_where_the_candidates_stop_agreeing():
    """A title ending "- DW - 28.04.2023": nothing names the site there, but the <h1> stops
    where that part begins."""
    head = "<title>Streit um Lieferketten – DW – 28.04.2023</title>"
    found, _ = read(head, body="<h1>Streit um Lieferketten</h1>")
    assert found == "Streit um Lieferketten"
    head = og("og:title", "Streit um Lieferketten – DW – 28.04.2023")  # og agrees with <title>
    found, _ = read(head + "<title>Streit um Lieferketten – DW – 28.04.2023</title>",
                    body="<h1>Streit um Lieferketten</h1>")
    assert found == "Streit um Lieferketten"


@pytest.mark.parametrize(
    "headline",
    [
        "Superbike-Hammer erklärt: Kawasaki steigt Ende 2024 aus! - und doch wieder nicht",
        "BUDGET 3.0 | Sars gets R4bn to hire army of debt collectors",
        "Guerre en Ukraine : la Russie affirme avoir fait échouer la campagne",
    ],
)
def test_headline_with_separators_of_its_own_kept(headline):
    head = (f"<title>{headline} | Harbor Times</title>" + og("og:title", headline)
            + og("og:site_name", "Harbor Times") + ld({"@type": "Organization", "name": "Harbor"}))
    found, _ = read(head, body=f"<h1>{headline}</h1>")
    assert found == headline


def test_json_ld_headline_first_with_entities_decoded():
    head = (og("og:title", "A teaser title for social media")
            + ld({"@type": "NewsArticle", "headline": "Storm&#8217;s toll rises on the coast"}))
    found, _ = read(head, body="<h1>A teaser title for social media</h1>")
    assert found == "Storm’s toll rises on the coast"


def test_json_ld_headline_cut_short_is_completed():
    full = "Ferry keeps running until spring as the harbour board weighs repair costs"
    head = ld({"@type": "NewsArticle", "headline": "Ferry keeps running until spring as the…"})
    found, _ = read(head, body=f"<h1>{full}</h1>")
    assert found == full


def test_headline_most_candidates_agree_on_without_json_ld():
    head = (og("og:title", "Ferry keeps running") + og("twitter:title", "Ferry keeps running")
            + "<title>Ferry keeps running</title>")
    found, _ = read(head, body="<h1>Latest news</h1><h1>Ferry keeps running</h1>")
    assert found == "Ferry keeps running"


# --------------------------------------------------------------------------- authors


def test_publisher_dropped_only_when_a_person_is_named():
    publisher = {"@type": "Organization", "name": "Harbor Times"}
    head = og("og:site_name", "Harbor Times")
    _, authors = read(head + ld({"@type": "NewsArticle", "publisher": publisher, "author": [
        publisher, {"@type": "Person", "name": "Ralf Euler"}]}))
    assert authors == ["Ralf Euler"]
    _, authors = read(head + meta("author", "Frankfurter Allgemeine Zeitung GmbH; Jana Roth"))
    assert authors == ["Jana Roth"]  # a company name is not a person
    _, authors = read(head + ld({"@type": "NewsArticle", "author": publisher}))
    assert authors == ["Harbor Times"]  # no person named: the newsroom stands
    _, authors = read(head + meta("author", "Frankfurter Allgemeine Zeitung GmbH"))
    assert authors == ["Frankfurter Allgemeine Zeitung GmbH"]


def test_news_agency_beside_a_reporter_kept():
    _, authors = read(og("og:site_name", "Harbor Times") + ld({"@type": "NewsArticle", "author": [
        {"@type": "Person", "name": "Paula Steiger"}, {"@type": "Organization", "name": "SDA"}]}))
    assert authors == ["Paula Steiger", "SDA"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Autor Monika Bolliger", "Monika Bolliger"),
        ("By Jane Doe", "Jane Doe"),
        ("Von Max Muster", "Max Muster"),
        ("Von: Max Muster", "Max Muster"),
        ("Por: Marta Cañete", "Marta Cañete"),
        ("di Viviana Mazza", "Viviana Mazza"),
        ("신현주 기자", "신현주"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),  # a particle inside a name stays
        ("von Hayek", "von Hayek"),  # ... and one that opens a one-word name
        ("María R. Sahuquillo", "María R. Sahuquillo"),  # initials keep their period
    ],
)
def test_label_cut_name_kept(byline, expected):
    assert metadata.clean_name(byline) == expected
    _, authors = read(meta("author", byline))
    assert authors == [expected]


def test_names_that_are_not_names_dropped():
    for value in ("https://social.example/harbortimes", "105092", "@harbortimes"):
        assert metadata.clean_name(value) is None
        assert read(meta("author", value))[1] == []


def test_family_first_creator_tags_turned_round_and_ld_names_not_split():
    head = meta("dc.creator", "You, Xiaoying") + meta("dc.creator", "Lenharo, Mariana")
    assert read(head)[1] == ["Xiaoying You", "Mariana Lenharo"]
    head = ld({"@type": "Article", "author": {"@type": "Person", "name": "Le Figaro et AFP"}})
    assert read(head)[1] == ["Le Figaro et AFP"]  # one person object is one name
    head = ld({"@type": "Article", "author": "Samya Kullab and Vasilisa Stepanenko"})
    assert read(head)[1] == ["Samya Kullab", "Vasilisa Stepanenko"]


def test_json_ld_authors_before_meta_and_references_resolved():
    person = {"@type": "Person", "@id": "#p1", "givenName": "Anna Giulia", "familyName": "Fink"}
    head = (meta("author", "Some Editor") + ld({"@graph": [
        {"@type": "NewsArticle", "author": [{"@id": "#p1"}]}, person]}))
    assert read(head)[1] == ["Anna Giulia Fink"]


@pytest.mark.parametrize(
    "head",
    [
        ld({"@type": ["NewsArticle", 3], "headline": [{"a": 1}, 2], "publisher": [1],
            "author": [1, None, {"name": ["Jana Roth"]}, {"@id": 5}, {"@id": "#gone"},
                       {"givenName": 3}]}),
        ld([{"@type": "NewsArticle", "headline": {"name": "x"}, "author": {"name": {"x": 1}}}, 5]),
        "<title>" + "a | " * 5000 + "</title>" + og("og:site_name", "y " * 5000),
        meta("author", "Jane Doe, " * 5000),
        '<link rel="canonical" href="http://[::1/story">',  # a claim urlsplit cannot read
    ],
)
def test_broken_metadata_never_costs_the_article(head):
    article = extract_article(page(head), URL)
    assert article is not None
    assert article.title is None or isinstance(article.title, str)
    assert all(isinstance(name, str) and name for name in article.authors)
    assert len(article.authors) <= metadata.MAX_NAMES
    assert article.canonical_url == URL


# --------------------------------------------------------------------------- times


BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2023-04-28 18:11:01", BERLIN, datetime(2023, 4, 28, 16, 11, 1, tzinfo=UTC)),  # summer
        ("2023-01-28T18:11:01", BERLIN, datetime(2023, 1, 28, 17, 11, 1, tzinfo=UTC)),  # winter
        ("2023-04-28T18:11:01+00:00", BERLIN, datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC)),
        ("2023-04-28T18:11:01Z", BERLIN, datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC)),
        ("2023-04-28T18:11:01-0400", BERLIN, datetime(2023, 4, 28, 22, 11, 1, tzinfo=UTC)),
        ("2023-04-28 18:11:01", None, datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC)),  # no zone
    ],
)
def test_zone_applies_to_times_without_an_offset_only(value, zone, expected):
    assert metadata.parse_datetime(value, zone) == expected


def test_extract_article_reads_naive_times_in_the_site_zone():
    html = page(ld({"@type": "NewsArticle", "datePublished": "2023-04-28 18:11:01",
                    "dateModified": "2023-04-28T20:00:00+02:00"}))
    local = extract_article(html, URL, timezone="Europe/Berlin")
    plain = extract_article(html, URL)
    assert local is not None and plain is not None
    assert local.published_at == datetime(2023, 4, 28, 16, 11, 1, tzinfo=UTC)
    assert plain.published_at == datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC)
    assert local.modified_at == plain.modified_at == datetime(2023, 4, 28, 18, tzinfo=UTC)


SITE = """
[[sites]]
name = "hafen"
start_urls = ["https://hafen.example/"]
"""


def test_sites_file_timezone_validated(tmp_path: Path):
    path = tmp_path / "sites.toml"
    path.write_text(SITE + 'timezone = "Europe/Berlin"\n', encoding="utf-8")
    assert load_sites(path)[0].timezone == "Europe/Berlin"
    path.write_text(SITE, encoding="utf-8")
    assert load_sites(path)[0].timezone is None
    for bad in ('"Europe/Berln"', '"+02:00"', '"../../etc/passwd"', '""', "2"):
        path.write_text(SITE + f"timezone = {bad}\n", encoding="utf-8")
        with pytest.raises(SitesError) as exc:
            load_sites(path)
        message = str(exc.value)
        assert "site 'hafen': field 'timezone'" in message and "Europe/Berlin" in message


def test_crawl_stores_naive_times_in_the_site_zone(tmp_path: Path):
    """sites file → spider → extraction worker → Parquet: the zone reaches the stored row."""
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    story = page(
        ld({"@type": "NewsArticle", "headline": "Die Fähre fährt weiter",
            "datePublished": "2026-07-01T09:30:00", "dateModified": "2026-07-01T12:00:00Z"})
        + "<title>Die Fähre fährt weiter | Hafenblatt</title>",
        "<h1>Die Fähre fährt weiter</h1>",
    )
    (root / "news" / "die-faehre-faehrt-weiter-bis-zum-fruehjahr.html").write_text(story)
    (root / "index.html").write_text(
        '<html><body><a href="/news/die-faehre-faehrt-weiter-bis-zum-fruehjahr.html">'
        "Die Fähre fährt weiter</a></body></html>"
    )
    with SiteServer(root) as server:
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[sites]]\nname = "hafen"\nstart_urls = ["{server.url}/"]\n'
                         'timezone = "Europe/Berlin"\n', encoding="utf-8")
        proc = run_scrapy("crawl", "news", "-a", f"sites={sites}",
                          settings={"OUTPUT_DIR": str(tmp_path / "out")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = ds.dataset(tmp_path / "out" / "articles", partitioning="hive").to_table().to_pylist()
    assert len(rows) == 1, proc.stderr[-3000:]
    assert rows[0]["published_at"] == datetime(2026, 7, 1, 7, 30, tzinfo=UTC)
    assert rows[0]["modified_at"] == datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert rows[0]["title"] == "Die Fähre fährt weiter"


# --------------------------------------------------------------------------- the floor


def load_bench():
    return load_bench_script("metadata")


def test_agreement_metric_as_documented():
    bench = load_bench()
    assert bench.title_agrees("«Die Fähre»\u00a0fährt wei\u00adter ", '"Die Fähre" fährt weiter')
    assert not bench.title_agrees("Die Fähre fährt weiter | Hafenblatt", "Die Fähre fährt weiter")
    assert bench.authors_agree(["Jana Roth", "eva meier"], ["Eva Meier", "Jana Roth"])
    assert not bench.authors_agree(["María R Sahuquillo"], ["María R. Sahuquillo"])
    assert bench.authors_agree(["María R Sahuquillo"], ["María R. Sahuquillo"], lenient=True)
    truth = bench.parse_time("2023-04-28 18:11:01+02:00")
    assert bench.time_agrees(datetime(2023, 4, 28, 16, 12, tzinfo=UTC), truth)
    assert not bench.time_agrees(datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC), truth)
    naive = bench.parse_time("2023-04-28 18:11:01")
    assert bench.time_agrees(datetime(2023, 4, 28, 18, 11, 1, tzinfo=UTC), naive)
    assert bench.time_agrees(datetime(2023, 4, 28, 16, 11, 1, tzinfo=UTC), naive, "Europe/Berlin")


@pytest.mark.skipif(not NEWS_DEV.is_dir(), reason=f"no benchmark set at {NEWS_DEV}")
def test_metadata_floor_on_news_dev_beside_trafilatura():
    """Title on >= 85 % of pages, authors on >= 80 %, each and the publication time at least
    as often as bare trafilatura, measured side by side."""
    bench = load_bench()
    cases = bench.load_meta_cases(NEWS_DEV)
    found = bench.run(cases, ("newsclean", "trafilatura"), workers=1)
    ours = bench.metadata_agreement(cases, found["newsclean"])
    bare = bench.metadata_agreement(cases, found["trafilatura"])
    assert ours.pages == len(cases) > 0
    assert ours.title >= 0.85 * ours.pages, ours
    assert ours.authors >= 0.80 * ours.author_pages, ours
    assert ours.title >= bare.title and ours.authors >= bare.authors, (ours, bare)
    assert ours.time >= bare.time and ours.date >= bare.date, (ours, bare)
