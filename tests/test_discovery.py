"""Discovery: sitemaps, feeds, robots.txt, page links and URL heuristics, on inline inputs.

Every input is built here (bytes or an ``HtmlResponse``): no server, no network, no sleeping.
Hostile inputs (gzip bomb, XXE, entity bomb, malformed XML, huge sitemaps) must end as a clear
result within stated memory and time bounds.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from crawler.discovery import (
    Entry,
    Sitemap,
    feed_links,
    is_fresh,
    looks_like_article,
    looks_like_listing,
    page_links,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
)

REPO = Path(__file__).resolve().parents[1]
SM_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
SITEMAP_URL = "https://example.com/sitemap.xml"
FEED_URL = "https://example.com/feeds/main.xml"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def urlset(*urls: str, ns: str = SM_NS) -> bytes:
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {ns}>{body}</urlset>'.encode()


def html(body: str, url: str = "https://example.com/news/") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode(), encoding="utf-8")


# --- Sitemaps ----------------------------------------------------------------------------------

def test_sitemap_index_lists_child_sitemaps_with_lastmod():
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
    <sitemapindex {SM_NS}>
      <sitemap><loc>https://example.com/sitemap-news.xml</loc>
               <lastmod>2026-11-25T08:30:00+01:00</lastmod></sitemap>
      <sitemap><loc>https://example.com/sitemap-2026-11.xml.gz</loc></sitemap>
    </sitemapindex>""".encode()
    assert parse_sitemap(body, SITEMAP_URL) == Sitemap("index", [
        Entry("https://example.com/sitemap-news.xml", lastmod=utc(2026, 11, 25, 7, 30)),
        Entry("https://example.com/sitemap-2026-11.xml.gz"),
    ])


def test_urlset_reads_loc_and_lastmod_and_unescapes_entities():
    body = f"""<urlset {SM_NS}>
      <url><loc> https://example.com/a?x=1&amp;y=2 </loc><lastmod>2026-11-25</lastmod>
           <changefreq>daily</changefreq><priority>0.8</priority></url>
      <url><loc>https://example.com/b</loc></url>
    </urlset>""".encode()
    result = parse_sitemap(body, SITEMAP_URL)
    assert result.kind == "urlset" and result.error is None
    assert result.entries == [
        Entry("https://example.com/a?x=1&y=2", lastmod=utc(2026, 11, 25)),
        Entry("https://example.com/b"),
    ]


def test_sitemap_without_namespace_is_tolerated():
    result = parse_sitemap(urlset("https://example.com/a", ns=""), SITEMAP_URL)
    assert result == Sitemap("urlset", [Entry("https://example.com/a")])


def test_blank_lines_before_the_xml_declaration_are_tolerated():
    result = parse_sitemap(b"\n\n  " + urlset("https://example.com/a"), SITEMAP_URL)
    assert [e.url for e in result.entries] == ["https://example.com/a"]


def test_google_news_sitemap_keeps_publication_date_and_title():
    body = f"""<urlset {SM_NS} {NEWS_NS}>
      <url>
        <loc>https://example.com/2026/11/25/harbor-reopens</loc>
        <lastmod>2026-11-25T10:00Z</lastmod>
        <news:news>
          <news:publication><news:name>Harbor Times</news:name>
            <news:language>en</news:language></news:publication>
          <news:publication_date>2026-11-25T09:15:30.250-05:00</news:publication_date>
          <news:title>Harbor  reopens after
            storm &amp; flood</news:title>
        </news:news>
        <image:image xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
          <image:loc>https://example.com/img/harbor.jpg</image:loc></image:image>
      </url>
    </urlset>""".encode()
    assert parse_sitemap(body, SITEMAP_URL).entries == [Entry(
        "https://example.com/2026/11/25/harbor-reopens",
        lastmod=utc(2026, 11, 25, 10, 0),
        published=datetime(2026, 11, 25, 14, 15, 30, 250_000, tzinfo=UTC),
        title="Harbor reopens after storm & flood",
    )]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026", utc(2026, 1, 1)),
    ("2026-11", utc(2026, 11, 1)),
    ("2026-11-25", utc(2026, 11, 25)),
    ("2026-11-25T10:20+01:00", utc(2026, 11, 25, 9, 20)),
    ("2026-11-25T10:20:30Z", utc(2026, 11, 25, 10, 20, 30)),
    ("2026-11-25T10:20:30.5+0530", utc(2026, 11, 25, 4, 50, 30, 500_000)),
    ("2026-11-25T10:20:30", utc(2026, 11, 25, 10, 20, 30)),  # no zone: taken as UTC
    ("2026-11-25 10:20:30 -02:00", utc(2026, 11, 25, 12, 20, 30)),
    ("Wed, 25 Nov 2026 10:20:30 GMT", utc(2026, 11, 25, 10, 20, 30)),
    ("2026-13-45", None),
    ("2026-11-25T25:99Z", None),
    ("2026-11-25T10:20+99:00", None),
    ("yesterday", None),
    ("", None),
])
def test_lastmod_forms_become_aware_utc(text, expected):
    body = f"<urlset><url><loc>https://example.com/a</loc><lastmod>{text}</lastmod></url></urlset>"
    (entry,) = parse_sitemap(body.encode(), SITEMAP_URL).entries
    assert entry.lastmod == expected
    assert entry.lastmod is None or entry.lastmod.tzinfo is UTC


def test_relative_non_http_and_missing_locs_are_skipped_duplicates_kept_once():
    body = urlset("/relative/path", "ftp://example.com/file", "javascript:alert(1)",
                  "https://example.com/a", "", "https://example.com/a", "http://example.org/b")
    assert [e.url for e in parse_sitemap(body, SITEMAP_URL).entries] == [
        "https://example.com/a", "http://example.org/b",
    ]


def test_gzipped_sitemap_is_decompressed():
    body = gzip.compress(urlset("https://example.com/a", "https://example.com/b"))
    result = parse_sitemap(body, "https://example.com/sitemap.xml.gz")
    assert result.kind == "urlset"
    assert [e.url for e in result.entries] == ["https://example.com/a", "https://example.com/b"]


def test_corrupt_gzip_is_invalid():
    body = gzip.compress(urlset("https://example.com/a"))
    result = parse_sitemap(body[:10] + b"garbage" * 10, SITEMAP_URL)
    assert result.kind == "invalid" and result.error


def _gzip_of_repeats(prefix: bytes, filler: bytes, megabytes: int) -> bytes:
    """A gzip stream of ``prefix`` and ``megabytes`` MB of ``filler``, built chunk by chunk."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = filler * ((1 << 20) // len(filler))
    parts = [comp.compress(prefix)]
    parts.extend(comp.compress(block) for _ in range(megabytes))
    parts.append(comp.flush())
    return b"".join(parts)


@pytest.mark.parametrize("filler", [b" ", b"\0"], ids=["whitespace", "zeros"])
def test_gzip_bomb_stops_at_the_budget(filler):
    bomb = _gzip_of_repeats(f"<urlset {SM_NS}>".encode(), filler, megabytes=200)
    assert len(bomb) < 1_000_000  # small on the wire
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = parse_sitemap(bomb, SITEMAP_URL, max_bytes=5_000_000)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.kind == "invalid" and result.entries == [] and result.error
    assert peak < 10_000_000
    assert elapsed < 10  # well under 1 s; the bound catches a hang, not a slow machine


def test_gzip_over_budget_keeps_the_entries_read_so_far():
    prefix = urlset("https://example.com/a").removesuffix(b"</urlset>")
    body = _gzip_of_repeats(prefix, b"<!-- padding -->", megabytes=3)
    result = parse_sitemap(body, SITEMAP_URL, max_bytes=1_000_000)
    assert result.kind == "urlset"
    assert [e.url for e in result.entries] == ["https://example.com/a"]
    assert "max_bytes" in (result.error or "")


def test_plain_body_over_budget_is_cut():
    result = parse_sitemap(urlset(*(f"https://example.com/{i}" for i in range(1000))),
                           SITEMAP_URL, max_bytes=500)
    assert "max_bytes" in (result.error or "")
    assert len(result.entries) < 20


def test_xxe_never_reads_the_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a")
    for body in (
        f"""<?xml version="1.0"?>
        <!DOCTYPE urlset [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
        <urlset {SM_NS}><url><loc>https://example.com/&xxe;</loc></url>
        <url><loc>https://example.com/ok</loc></url></urlset>""",
        f"""<?xml version="1.0"?>
        <!DOCTYPE urlset [<!ENTITY % ext SYSTEM "{secret.as_uri()}"> %ext;]>
        <urlset {SM_NS}><url><loc>https://example.com/ok</loc></url></urlset>""",
        f"""<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "{secret.as_uri()}">
        <urlset {SM_NS}><url><loc>https://example.com/ok</loc></url></urlset>""",
    ):
        result = parse_sitemap(body.encode(), SITEMAP_URL)
        assert "TOP-SECRET" not in repr(result)
        assert all(e.url == "https://example.com/ok" for e in result.entries)


def test_xxe_in_a_feed_never_reads_the_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a")
    body = f"""<?xml version="1.0"?>
    <!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>
    <rss version="2.0"><channel><item><title>a &xxe; b</title>
    <link>https://example.com/story-one</link></item></channel></rss>""".encode()
    entries = parse_feed(body, "https://example.com/feed")
    assert "TOP-SECRET" not in repr(entries)
    assert entries == [Entry("https://example.com/story-one", title="a b")]


def _billion_laughs(root: str) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return (f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(entities)}]>'
            f"<{root}><url><loc>https://example.com/&lol9;</loc></url></{root}>").encode()


def test_billion_laughs_does_not_expand():
    tracemalloc.start()
    try:
        result = parse_sitemap(_billion_laughs("urlset"), SITEMAP_URL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.kind == "invalid" and result.error
    assert peak < 5_000_000
    assert parse_feed(_billion_laughs("rss"), "https://example.com/feed") is None


def test_malformed_sitemap_keeps_what_was_read_before_the_error():
    body = urlset("https://example.com/a", "https://example.com/b")[:-40] + b"<url><loc>oops</url>"
    result = parse_sitemap(body, SITEMAP_URL)
    assert result.kind == "urlset"
    assert [e.url for e in result.entries] == ["https://example.com/a"]
    assert result.error and "malformed" in result.error


@pytest.mark.parametrize("body", [
    b"",
    b"   ",
    b"not xml at all",
    b"<urlset><url><loc>https://example.com/a",
    b"<!DOCTYPE html><html><body><p>Hello</p></body></html>",
    b'<rss version="2.0"><channel></channel></rss>',
    b"\xff\xfe\x00garbage",
    b"<urlset>\x00</urlset>",
])
def test_unusable_sitemaps_are_invalid_with_a_reason(body):
    result = parse_sitemap(body, SITEMAP_URL)
    assert result.kind == "invalid" and result.entries == [] and result.error


def test_empty_urlset_is_valid_and_empty():
    assert parse_sitemap(f"<urlset {SM_NS}/>".encode(), SITEMAP_URL) == Sitemap("urlset", [])


def test_max_entries_stops_reading():
    result = parse_sitemap(urlset(*(f"https://example.com/{i}" for i in range(10))),
                           SITEMAP_URL, max_entries=3)
    assert [e.url for e in result.entries] == [f"https://example.com/{i}" for i in range(3)]
    assert "max_entries" in (result.error or "")
    exact = parse_sitemap(urlset("https://example.com/a"), SITEMAP_URL, max_entries=1)
    assert exact.error is None


def _big_urlset(count: int, distinct: int | None = None) -> bytes:
    distinct = distinct or count
    rows = b"".join(
        b"<url><loc>https://example.com/news/story-number-%d</loc>"
        b"<lastmod>2026-11-25T10:00:00Z</lastmod></url>" % (i % distinct)
        for i in range(count)
    )
    return f"<urlset {SM_NS}>".encode() + rows + b"</urlset>"


def test_200k_url_sitemap_is_streamed_in_bounded_python_memory():
    body = _big_urlset(200_000)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = parse_sitemap(body, SITEMAP_URL, max_entries=20_000)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.entries) == 20_000 and result.entries[-1].url.endswith("-19999")
    assert "max_entries" in (result.error or "")
    assert peak < 15_000_000, f"peak {peak / 1e6:.1f} MB"
    assert elapsed < 20  # about 1 s; the bound catches a hang, not a slow machine


def test_200k_url_sitemap_never_builds_the_whole_tree():
    """libxml2's own memory is invisible to tracemalloc: measure peak RSS in a fresh process.

    Building the tree of this document costs about 90 MB; streaming it costs next to nothing.
    """
    script = textwrap.dedent("""
        import resource
        import sys
        from crawler.discovery import parse_sitemap
        body = b"<urlset>" + b"".join(
            b"<url><loc>https://example.com/news/story-%d</loc>"
            b"<lastmod>2026-11-25</lastmod></url>" % (i % 10) for i in range(200_000)
        ) + b"</urlset>"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = parse_sitemap(body, "https://example.com/sitemap.xml")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
        print(len(result.entries), result.error, (after - before) * unit // 2**20)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    count, error, grown_mb = out.stdout.split()
    assert (count, error) == ("10", "None")
    assert int(grown_mb) < 30


_GOOD_XML = [
    urlset("https://example.com/a", "https://example.com/b"),
    b'<rss version="2.0"><channel><item><link>https://example.com/a</link>'
    b"<pubDate>Wed, 25 Nov 2026 10:20:30 GMT</pubDate></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="a"/>'
    b"<updated>2026-11-25</updated></entry></feed>",
]


@st.composite
def mutated_xml(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_GOOD_XML)))
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data)))
        data[pos:pos + draw(st.integers(0, 5))] = draw(st.binary(max_size=6))
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated_xml()))
def test_random_and_mutated_xml_never_raises(body):
    result = parse_sitemap(body, SITEMAP_URL)
    assert result.kind in ("index", "urlset", "invalid")
    assert result.kind != "invalid" or (result.entries == [] and result.error)
    entries = parse_feed(body, FEED_URL)
    assert entries is None or all(e.url.startswith("http") for e in entries)
    for entry in [*result.entries, *(entries or [])]:
        for stamp in (entry.lastmod, entry.published):
            assert stamp is None or stamp.utcoffset() == timedelta(0)


# --- robots.txt --------------------------------------------------------------------------------

def test_sitemaps_from_robots_case_insensitive_relative_and_deduplicated():
    robots = b"""User-agent: *
Disallow: /private/
SITEMAP: https://example.com/sitemap-index.xml
  sitemap:/news-sitemap.xml   # our news
Sitemap : sitemaps/archive.xml.gz
Sitemap: https://example.com/sitemap-index.xml
Sitemap: ftp://example.com/nope.xml
# Sitemap: https://example.com/commented.xml
Sitemap:
Disallow: /an-empty-sitemap-line-does-not-swallow-the-next-line
"""
    assert sitemaps_from_robots(robots, "https://example.com/robots.txt") == [
        "https://example.com/sitemap-index.xml",
        "https://example.com/news-sitemap.xml",
        "https://example.com/sitemaps/archive.xml.gz",
    ]


def test_sitemaps_from_robots_accepts_text_and_bad_bytes():
    assert sitemaps_from_robots("Sitemap: /s.xml", "https://example.org/robots.txt") == [
        "https://example.org/s.xml",
    ]
    assert sitemaps_from_robots(b"\xff\xfe\x00\x01", "https://example.org/robots.txt") == []


# --- Feeds -------------------------------------------------------------------------------------

def test_rss2_items_with_link_guid_dates_and_titles():
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
         xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
    <channel><title>Harbor Times</title><link>https://example.com/</link>
      <item><title>Storm hits harbor</title>
        <link>https://example.com/2026/11/25/storm-hits-harbor</link>
        <pubDate>Wed, 25 Nov 2026 10:20:30 +0100</pubDate></item>
      <item><title><![CDATA[Mayor <b>resigns</b>]]></title>
        <guid isPermaLink="true">https://example.com/politics/mayor-resigns-123456</guid>
        <pubDate>not a date</pubDate></item>
      <item><title>Relative link</title><link>/world/relative-story</link>
        <dc:date>2026-11-24T08:00:00Z</dc:date></item>
      <item><title>Guid not a link</title><guid isPermaLink="false">abc-123</guid></item>
      <item><title>Proxied</title><link>https://feeds.example.org/~r/harbor/123</link>
        <feedburner:origLink>https://example.com/science/real-url</feedburner:origLink>
        <pubDate>Tue, 24 Nov 2026 23:00:00 EST</pubDate></item>
      <item><title>Duplicate</title><link>https://example.com/2026/11/25/storm-hits-harbor</link></item>
    </channel></rss>"""
    assert parse_feed(body, FEED_URL) == [
        Entry("https://example.com/2026/11/25/storm-hits-harbor",
              published=utc(2026, 11, 25, 9, 20, 30), title="Storm hits harbor"),
        Entry("https://example.com/politics/mayor-resigns-123456", title="Mayor <b>resigns</b>"),
        Entry("https://example.com/world/relative-story", published=utc(2026, 11, 24, 8),
              title="Relative link"),
        Entry("https://example.com/science/real-url", published=utc(2026, 11, 25, 4),
              title="Proxied"),
    ]


def test_rss1_rdf_items():
    body = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://example.com/"><title>Harbor</title>
        <items><rdf:Seq><rdf:li rdf:resource="https://example.com/a-story"/></rdf:Seq></items>
      </channel>
      <item rdf:about="https://example.com/a-story"><title>A story</title>
        <link>https://example.com/a-story</link><dc:date>2026-11-25T06:00+02:00</dc:date></item>
      <item rdf:about="https://example.com/about-only"><title>About only</title>
        <dc:date>last tuesday</dc:date></item>
    </rdf:RDF>"""
    assert parse_feed(body, FEED_URL) == [
        Entry("https://example.com/a-story", published=utc(2026, 11, 25, 4), title="A story"),
        Entry("https://example.com/about-only", title="About only"),
    ]


def test_atom_entries_links_bases_and_dates():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/news/">
      <title>Harbor</title><link rel="self" href="https://example.com/atom.xml"/>
      <entry><title type="html">Tide &amp;amp; time</title>
        <link rel="self" href="https://example.com/api/1"/>
        <link rel="alternate" type="text/html" href="tide-and-time-story"/>
        <link rel="enclosure" href="https://example.com/audio.mp3"/>
        <id>tag:example.com,2026:1</id>
        <published>2026-11-25T10:00:00+01:00</published>
        <updated>2026-11-25T12:00:00Z</updated></entry>
      <entry xml:base="https://example.org/blog/"><title type="xhtml">
          <div xmlns="http://www.w3.org/1999/xhtml">Second <em>entry</em></div></title>
        <link href="second-entry"/>
        <published>2026-02-30T00:00:00Z</published><updated>garbage</updated></entry>
      <entry><title>Only an id</title><id>https://example.com/news/by-id</id></entry>
      <entry><title>No link at all</title><id>urn:uuid:1234</id></entry>
    </feed>"""
    assert parse_feed(body, "https://example.com/atom.xml") == [
        Entry("https://example.com/news/tide-and-time-story", lastmod=utc(2026, 11, 25, 12),
              published=utc(2026, 11, 25, 9), title="Tide &amp; time"),
        Entry("https://example.org/blog/second-entry", title="Second entry"),
        Entry("https://example.com/news/by-id", title="Only an id"),
    ]


def test_atom_relative_link_without_xml_base_uses_the_feed_url():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
      <link href="/2026/11/25/story"/></entry></feed>"""
    assert parse_feed(body, "https://example.com/feeds/atom.xml") == [
        Entry("https://example.com/2026/11/25/story"),
    ]


def test_empty_feed_is_an_empty_list_and_gzip_feed_is_read():
    assert parse_feed(b'<rss version="2.0"><channel/></rss>', FEED_URL) == []
    body = gzip.compress(b'<rss><channel><item><link>https://example.com/x</link></item>'
                         b"</channel></rss>")
    assert parse_feed(body, FEED_URL) == [Entry("https://example.com/x")]


def test_channel_metadata_before_items_is_read_past():
    junk = "".join(f"<category>c{i}</category>" for i in range(5000))
    body = (f"<rss><channel><title>T</title>{junk}<item><link>https://example.com/x</link>"
            f"</item>{junk}</channel></rss>").encode()
    assert parse_feed(body, FEED_URL) == [Entry("https://example.com/x")]


def test_feed_max_entries():
    items = "".join(f"<item><link>https://example.com/{i}</link></item>" for i in range(20))
    entries = parse_feed(f"<rss><channel>{items}</channel></rss>".encode(), FEED_URL,
                         max_entries=5)
    assert [e.url for e in entries or []] == [f"https://example.com/{i}" for i in range(5)]


def test_malformed_feed_keeps_items_read_before_the_error():
    body = (b'<rss version="2.0"><channel><item><link>https://example.com/one</link></item>'
            b"<item><link>https://example.com/two</link><title>broken</item>")
    assert parse_feed(body, FEED_URL) == [Entry("https://example.com/one")]


@pytest.mark.parametrize("body", [
    b"",
    b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi<br></body></html>",
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    b"<urlset><url><loc>https://example.com/a</loc></url></urlset>",
    b"<rss><channel><item><link>https://example.com/a",
    b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
    b"\x1f\x8b\x08\x00broken gzip",
])
def test_not_a_feed_is_none(body):
    assert parse_feed(body, FEED_URL) is None


# --- Links in pages ----------------------------------------------------------------------------

def test_feed_autodiscovery():
    page = html("""<html><head><base href="https://example.com/base/">
      <link rel="alternate" type="application/rss+xml" title="All" href="/feed/">
      <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
      <link rel="alternate" type="application/rss+xml" href="/comments/feed/">
      <link rel="alternate" hreflang="de" href="https://example.com/de/">
      <link rel="stylesheet" type="text/css" href="/style.css">
      <link rel="alternate" type="application/rss+xml" href="/feed/#top">
      <link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
    </head><body></body></html>""")
    assert feed_links(page) == ["https://example.com/feed/", "https://example.com/base/atom.xml"]


def test_page_links_absolute_http_without_fragments_once_each():
    page = html("""<html><body>
      <a href="/2026/11/25/storm-hits-harbor#comments">Storm</a>
      <a href="  world/europe/story-123456 ">Europe</a>
      <a href="https://example.org/other">Other</a>
      <a href="/2026/11/25/storm-hits-harbor">Storm again</a>
      <a href="mailto:desk@example.com">Mail</a>
      <a href="javascript:void(0)">JS</a>
      <a href="#top">Top</a>
      <a href="tel:+123">Call</a>
      <a>No href</a>
      <a href="">Empty</a>
    </body></html>""", url="https://example.com/news/")
    assert page_links(page) == [
        "https://example.com/2026/11/25/storm-hits-harbor",
        "https://example.com/news/world/europe/story-123456",
        "https://example.org/other",
        "https://example.com/news/",
    ]


def test_link_helpers_survive_empty_and_binary_pages():
    assert page_links(html("")) == []
    assert feed_links(html("")) == []
    binary = HtmlResponse(url="https://example.com/", body=b"\x00\xff\xfe" * 100,
                          encoding="utf-8")
    assert page_links(binary) == []


# --- URL heuristics ----------------------------------------------------------------------------

ARTICLES = [
    "https://example.com/2026/11/25/some-story-slug",
    "https://example.com/2026/11/25/flood/",
    "https://example.com/world/europe/long-slug-with-many-words-123456",
    "https://example.com/politics/mayor-resigns-after-long-inquiry",
    "https://example.com/news/123456",
    "https://example.com/news/article-2026112512.html",
    "https://example.com/sport/football/cup-final-report.html",
    "https://example.com/article.php?id=4567",
    "https://example.com/news/20261125-harbor",
    "https://example.org/tech/why-the-chip-shortage-is-not-over",
    "https://example.com/opinion/we-must-act-now_a1b2c3d4e5",
]
LISTINGS = [
    "https://example.com/",
    "https://example.com/politics/",
    "https://example.com/world/europe/",
    "https://example.com/news/climate-change",
    "https://example.com/tag/elections",
    "https://example.com/author/jane-doe",
    "https://example.com/category/world/page/3",
    "https://example.com/page/2",
    "https://example.com/news/?page=2",
    "https://example.com/2026/11/",
    "https://example.com/2026/11/25/",
    "https://example.com/2026/",
    "https://example.com/news/2026",
    "https://example.com/news/2026/11/25/",
    "https://example.com/topics/climate",
    "https://example.com/index.html",
]
NEITHER = [
    "https://example.com/search?q=harbor",
    "https://example.com/search/harbor-storm-latest-news",
    "https://example.com/subscribe",
    "https://example.com/newsletter/sign-up-for-the-daily-briefing",
    "https://example.com/login?next=/2026/11/25/some-story-slug",
    "https://example.com/account/profile",
    "https://example.com/about-us",
    "https://example.com/privacy-policy",
    "https://example.com/files/annual-report-2026-final.pdf",
    "https://example.com/img/harbor-storm-photo-123456.jpg",
    "https://example.com/downloads/archive-2026-11-25.zip",
    "https://example.com/feed/",
    "https://example.com/sitemap.xml",
    "https://example.com/wp-admin/post.php?post=123",
    "mailto:desk@example.com",
    "ftp://example.com/2026/11/25/some-story-slug",
    "not a url",
    "",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_urls(url):
    assert looks_like_article(url)
    assert not looks_like_listing(url)


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_urls(url):
    assert looks_like_listing(url)
    assert not looks_like_article(url)


@pytest.mark.parametrize("url", NEITHER)
def test_utility_pages_files_and_non_web_urls_are_neither(url):
    assert not looks_like_article(url)
    assert not looks_like_listing(url)


@pytest.mark.parametrize("url", ["http://[::1", "https://example.com/%zz/\x00", "http://"])
def test_url_heuristics_never_raise(url):
    assert looks_like_article(url) in (True, False)
    assert looks_like_listing(url) in (True, False)


# --- Freshness ---------------------------------------------------------------------------------

NOW = utc(2026, 11, 25, 12)


@pytest.mark.parametrize(("entry", "max_age_days", "fresh"), [
    (Entry("https://example.com/a"), 3, True),  # unknown date: fresh
    (Entry("https://example.com/a", published=NOW - timedelta(days=10)), None, True),
    (Entry("https://example.com/a", published=NOW - timedelta(days=2)), 3, True),
    (Entry("https://example.com/a", published=NOW - timedelta(days=4)), 3, False),
    (Entry("https://example.com/a", lastmod=NOW - timedelta(hours=7)), 0.25, False),
    (Entry("https://example.com/a", lastmod=NOW - timedelta(hours=5)), 0.5, True),
    # published wins over lastmod
    (Entry("https://example.com/a", lastmod=NOW, published=NOW - timedelta(days=9)), 3, False),
    (Entry("https://example.com/a", published=NOW + timedelta(days=1)), 3, True),  # future
    (Entry("https://example.com/a", published=datetime(2026, 11, 24, 12)), 3, True),  # naive
    (Entry("https://example.com/a", published=datetime(1, 1, 1, tzinfo=UTC)), 1e12, True),
])
def test_is_fresh(entry, max_age_days, fresh):
    assert is_fresh(entry, max_age_days, NOW) is fresh
