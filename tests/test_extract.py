"""``extract_article``, its metadata, its command, and the pipeline that runs it in a pool."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import trafilatura
from lxml import html as lxml_html
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler import settings as project_settings
from crawler.items import ArticleRow, Page, Reject
from pipelines import extract, metadata
from pipelines.extract import (
    DATE_PARAMS,
    MIN_WORDS,
    OPTIONS,
    _body,
    extract_article,
    has_words,
    link_share,
    link_texts,
    needs_no_repair,
    parse_html,
    word_count,
)
from pipelines.pool import ExtractPipeline

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_57e285136f2357c0.page.html"

PARAGRAPH = (
    "Die Gemeinde hat am Dienstag beschlossen, die alte Fähre bis zum Frühjahr weiter fahren zu "
    "lassen, obwohl die Reparaturkosten deutlich gestiegen sind und der Hafen neue Pläne prüft."
)


def page(body: str, head: str = "", lang: str = "de") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f"<body><nav><a href='/'>Start</a></nav><article>{body}</article>"
        f"<footer>Impressum</footer></body></html>"
    )


ARTICLE = page(
    "<h1>Die Fähre fährt weiter</h1>" + "".join(f"<p>{PARAGRAPH} ({i})</p>" for i in range(4)),
    head=(
        "<title>Die Fähre fährt weiter</title>"
        '<link rel="canonical" href="https://example.com/2026/11/faehre?utm_source=x">'
        '<meta name="author" content="Jana Roth; Eva Meier">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        '"datePublished": "2026-11-24T08:30:00+01:00", "dateModified": "2026-11-24T12:00:00Z"}'
        "</script>"
    ),
)


def test_article_fields_and_metadata():
    art = extract_article(ARTICLE, "https://example.com/2026/11/faehre?ref=tw")
    assert art is not None
    assert art.title == "Die Fähre fährt weiter"
    assert art.authors == ["Jana Roth", "Eva Meier"]
    assert art.published_at == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    assert art.modified_at == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert art.language == "de"
    assert art.canonical_url == "https://example.com/2026/11/faehre"
    lines = art.text.split("\n")
    assert len(lines) == 4 and lines[0].startswith("Die Gemeinde")
    assert "Impressum" not in art.text and "Start" not in art.text


def test_bytes_with_declared_charset_decode_right():
    raw = ARTICLE.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("iso-8859-1")
    art = extract_article(raw, "https://example.com/a")
    assert art is not None and "Fähre" in art.text


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<html></html>", "<html><body><script>var a=1;</script></body></html>",
     page("<p>Too short to be an article.</p>")],
)
def test_non_articles_are_none(html: str):
    assert extract_article(html, "https://example.com/x") is None


def test_teaser_front_is_not_an_article():
    teasers = "".join(
        f'<li><a href="/2026/11/story-{i}">Headline number {i} of the day</a></li>'
        for i in range(30)
    )
    assert extract_article(page(f"<ul>{teasers}</ul>", lang="en"), "https://example.com/") is None


def test_menu_lines_count_as_links():
    menu = [f"Item {i}" for i in range(40)]
    links = {*menu, "A long headline that runs into a paragraph"}
    assert link_share(links, menu) == 1.0
    prose = [PARAGRAPH, "Item 3"]  # a short line that is a link, beside real prose
    assert 0 < link_share(links, prose) < 0.1
    assert link_share(set(), []) == 0.0
    assert link_share(links, prose, word_count(prose)) == link_share(links, prose)


def test_link_texts_fold_whitespace_and_read_nested_markup():
    tree = parse_html(page('<p><a href="/a">Read  <b>more</b>\n here</a> <a href="/b">Plain</a>'
                           '<a href="/c"><!-- x -->Commented</a><a href="/d"> </a>'
                           '<a href="/e"><img src="x.png"></a></p>'))
    texts = link_texts(tree)
    assert {"Read more here", "Plain", "Commented"} <= texts and "" not in texts
    assert texts == {" ".join(a.text_content().split()) for a in tree.iter("a")} - {""}


@pytest.mark.parametrize("count", [0, 1, 5, 6, 7, 40])
def test_has_words_is_a_word_count_floor(count):
    lines = ["one two", "", "three, four-five", "six"]
    assert has_words(lines, count) == (word_count(lines) >= count)


MENU_PAGE = (  # a municipal news page under a menu of ~300 one-line links (benchmark set)
    ROOT.parent / "shared" / "bench" / "aeb-dev" / "html"
    / "f6ac15a4d98511396da23e4428deb5605422b1c8bbc8284e771f6896bdccf57f.html.gz"
)


@pytest.mark.skipif(not MENU_PAGE.is_file(), reason=f"no benchmark page at {MENU_PAGE}")
def test_story_under_a_long_menu_is_found_not_the_menu():
    """trafilatura's fast cascade takes this page's menu for the text; the result reads as a
    list of links, so the full cascade runs and finds the story."""
    html = gzip.decompress(MENU_PAGE.read_bytes())
    url = "https://news.example.com/servico-de-atendimento-domiciliar"
    tree = parse_html(html)
    fast = _body(tree, url, OPTIONS)
    assert fast is not None and link_share(link_texts(tree), fast[0]) > 0.5  # the trap is real
    article = extract_article(html, url)
    assert article is not None
    assert "arrombamento de dois dos cinco autom" in article.text
    assert "Ouvidoria" not in article.text and "Galeria dos Prefeitos" not in article.text


@pytest.mark.skipif(not MENU_PAGE.is_file(), reason="no benchmark set")
def test_full_cascade_reads_the_stop_words_of_the_page_language_only():
    """The menu page (declared ``pt_BR`` in a ``content-language`` meta) goes through the full
    cascade; jusText reads Portuguese stop words, not those of all its languages (about 30 MB
    a worker, kept for good). A fresh process: other tests may have loaded them already."""
    script = f"""
import gzip
from pathlib import Path
import trafilatura.external
from pipelines.extract import extract_article
article = extract_article(gzip.decompress(Path({str(MENU_PAGE)!r}).read_bytes()),
                          "https://news.example.com/servico")
assert article is not None and "arrombamento" in article.text
assert trafilatura.external.JT_STOPLIST is None, "all-language stop words loaded"
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<html lang="de-AT"><head><meta property="og:locale" content="en_US">', "de"),
        ('<html><head><meta http-equiv="Content-Language" content="pt_BR">', "pt"),
        ('<html><head><meta property="og:locale" content="fr_FR">', "fr"),
        ('<html lang="x"><head>', None),
    ],
)
def test_declared_language(head, expected):
    tree = lxml_html.fromstring(head + "</head><body><p>Text.</p></body></html>")
    assert metadata.html_lang(tree) == expected


_ODD_PAGES = [
    "", "   ", "<p>a fragment</p>", "plain text, no markup", "<html/>\n<body><p>x</p></body>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    "<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>y</p></body></html>",
    "<html><head></head></html>", "<div><p>one</p></div><div><p>two</p></div>",
    b"\xef\xbb\xbf<html><body><p>BOM</p></body></html>", b"<html><body>\xe9t\xe9</body></html>",
    b"\x00\x01\x02 binary", "<html><body>\x0b\x0c control</body></html>",
    b'<html><head><meta charset="iso-8859-1"></head><body><p>caf\xc3\xa9 \x0b</p></body></html>',
    b'<html><head><meta charset="iso-8859-1"></head><body><p>caf\xc3\xa9</p></body></html>',
]


def test_parse_html_is_trafilaturas_load_html():
    """Our parser differs from trafilatura's only in lxml's class lookup: the same trees."""
    pages: list[str | bytes] = [*_ODD_PAGES, SEED.read_bytes()]
    pages += [gzip.decompress(p.read_bytes()) for p in sorted(MENU_PAGE.parent.glob("*.gz"))]
    for page in pages:
        ours, theirs = parse_html(page), trafilatura.load_html(page)
        if theirs is not None and (theirs.tag != "html" or not len(theirs)):
            theirs = None  # a fragment: not a page, here
        assert (ours is None) == (theirs is None), page[:80]
        if ours is not None:
            assert lxml_html.tostring(ours) == lxml_html.tostring(theirs)
            assert isinstance(ours, lxml_html.HtmlElement)
        if isinstance(page, bytes) and page.isascii() is False:
            try:
                text = page.decode("utf-8")
            except UnicodeDecodeError:
                continue
            from_bytes = parse_html(text, utf8=page)  # lxml reads the bytes as they are
            assert (from_bytes is None) == (ours is None), page[:80]
            if ours is not None:
                assert lxml_html.tostring(from_bytes) == lxml_html.tostring(ours)


_REPAIRED = [  # pages trafilatura's repair changes, and pages it leaves as they are
    "<html><body>\x0b\x0c control</body></html>", "<html><body>\x00 \ufffe</body></html>",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' />\n<html><body><p>x</p></body></html>",
    "<!DOCTYPE html><html><body><p>the whole page on one line</p></body></html>",
    "<html/>\n<body><p>x</p></body>", '<!doctype html>\n<html lang="en" />\n<body><p>x</p>',
    "<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "<html><body><br/><p>x</p></html>",
    "<html>\n<head>\n<title>t</title>\n</head>\n<body><p>x</p><img src=a.png /></body></html>",
]


def test_the_repair_is_skipped_exactly_where_it_changes_nothing(monkeypatch):
    """``needs_no_repair``: trafilatura's ``repair_faulty_html`` returns the page as it is there
    and only there; with another character class (an upgrade) the repair always runs, and
    ``parse_html`` gives the same trees either way."""
    pages = [*_REPAIRED, *(p for p in _ODD_PAGES if isinstance(p, str)), SEED.read_text()]
    pages += [gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
              for p in sorted(MENU_PAGE.parent.glob("*.gz"))[:20]]
    skipped = 0
    for text in pages:
        beginning = text[:50].lower()
        unchanged = trafilatura.utils.repair_faulty_html(text, beginning) == text
        assert needs_no_repair(text, beginning) == unchanged, text[:80]
        skipped += unchanged
    assert 0 < skipped < len(pages)
    trees = [parse_html(page) for page in pages]
    monkeypatch.setattr(extract, "_INVALID_XML", ())
    assert not any(needs_no_repair(text, text[:50].lower()) for text in pages)
    for page, tree in zip(pages, trees, strict=True):
        plain = parse_html(page)
        assert (plain is None) == (tree is None)
        assert plain is None or lxml_html.tostring(plain) == lxml_html.tostring(tree)


_META_FIELDS = ("title", "author", "url", "sitename", "description", "categories", "tags",
                "image", "date")


@pytest.mark.skipif(not MENU_PAGE.parent.is_dir(), reason="no benchmark set")
def test_trafilatura_metadata_matches_extract_metadata():
    """Our reading of trafilatura's metadata is trafilatura's own, field by field, on every
    annotated page (bylines, categories and tags found by its fallbacks among them)."""
    compared = authors = 0
    for path in sorted(MENU_PAGE.parent.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        url = f"https://news.example.com/{path.name[:12]}"
        tree = parse_html(html)
        if tree is None:
            continue
        theirs = trafilatura.extract_metadata(tree, default_url=url, date_config=DATE_PARAMS)
        ours = metadata.trafilatura_metadata(tree, url, DATE_PARAMS)
        for name in _META_FIELDS:
            assert getattr(ours, name) == getattr(theirs, name), (path.name, name)
        assert metadata.trafilatura_metadata(tree, url).date is None  # no date search asked
        compared += 1
        authors += bool(ours.author)
    assert compared >= 80 and authors >= 40, (compared, authors)


_BYLINES = {  # bodies where different byline expressions and pruning rules decide
    "kept": '<p class="byline">By <span class="author-name">Erika Mustermann</span></p>',
    "holds a date": '<p class="byline">By Erika Mustermann <time>12 May</time> and Max Muster</p>',
    "in comments": '<div id="comments-7"><a rel="author">Commenter Name</a></div>'
                   '<div class="writer">Ann Writer</div>',
    "in a sidebar": '<div class="main-sidebar"><span class="author">Side Person</span></div>',
    "in a figure": '<figure><span class="writer">Fig Writer</span></figure>',
    "rel me": "<div><rel>me</rel>Hanna Handle</div>",
    "author element": "<author>Anna Author</author>",
    "id": '<div id="main-author">Ida Id</div><div class="comments-list">'
          '<span class="screenname">troll</span></div>',
    "data component": '<span data-component="BylineBlock">Dana Comp</span>',
    "itemprop": '<h4 itemprop="author">Ernst Prop</h4>',
    "long then short": f'<div class="author-bio">{PARAGRAPH}</div><a class="byl">Kurz Name</a>',
    "none": "<p>Nobody signed this.</p>",
}


def _page(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.fromstring(f"<html><head><title>T</title>{head}</head><body>{body}"
                                f"<p>{PARAGRAPH}</p></body></html>")


def test_byline_expressions_are_trafilaturas():
    """Ours are trafilatura 2.3's byline expressions rewritten for speed: a new trafilatura with
    other expressions fails here, and the rewrite must be redone from its ``xpaths.py``."""
    import hashlib

    from trafilatura import xpaths

    paths = [e.path for e in (*xpaths.AUTHOR_XPATHS, *xpaths.AUTHOR_DISCARD_XPATHS)]
    assert hashlib.sha256("\n".join(paths).encode()).hexdigest()[:16] == "bd5f280624916a83"
    for expression in (*xpaths.CATEGORIES_XPATHS, *xpaths.TAGS_XPATHS):  # ``catstags`` relies
        assert expression.path.strip().endswith("//a[@href]")


def _byline_trees() -> list[lxml_html.HtmlElement]:
    trees = [_page(body) for body in _BYLINES.values()]
    trees.append(_page("".join(_BYLINES.values())))
    for path in sorted(MENU_PAGE.parent.glob("*.html.gz"))[::3]:
        tree = parse_html(gzip.decompress(path.read_bytes()))
        if tree is not None:
            trees.append(tree)
    return trees


def test_byline_expressions_select_what_trafilaturas_select():
    from trafilatura import xpaths

    for tree in _byline_trees():
        for ours, theirs in zip(metadata.AUTHOR_XPATHS, xpaths.AUTHOR_XPATHS, strict=True):
            assert ours(tree) == theirs(tree)
        pruned = {e for expression in xpaths.AUTHOR_DISCARD_XPATHS for e in expression(tree)}
        for elem in tree.iter():
            inside = elem in pruned or any(a in pruned for a in elem.iterancestors())
            assert metadata._DISCARDED(elem) is inside, lxml_html.tostring(elem)[:80]


@pytest.mark.parametrize("case", sorted(_BYLINES))
def test_extract_author_is_trafilaturas(case):
    from trafilatura.metadata import extract_author

    tree = _page(_BYLINES[case])
    assert metadata.extract_author(tree) == extract_author(tree)
    everything = _page("".join(_BYLINES[k] for k in sorted(_BYLINES) if k >= case))
    assert metadata.extract_author(everything) == extract_author(everything)


@pytest.mark.parametrize(
    ("body", "head"),
    [
        ('<div class="post-meta"><a href="/category/politik/">Politik</a></div>', ""),
        ('<div class="tags"><a href="/tags/ferry/">Ferry</a><a href="/x/">X</a></div>', ""),
        ('<div class="tags"><a href="/topics/ferry/">Ferry</a></div>', ""),
        ("<p>No links.</p>", '<meta property="article:section" content=" Politik ">'),
        ('<a href="/tag/x/">X</a>', '<meta name="subject" content="">'),
    ],
)
def test_catstags_is_trafilaturas(body, head):
    from trafilatura.metadata import extract_catstags

    tree = _page(body, head)
    hrefs = metadata._CATSTAG_HREFS(tree)
    for kind in ("category", "tag"):
        assert metadata.catstags(kind, tree, hrefs) == extract_catstags(kind, tree)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-24", datetime(2026, 11, 24, tzinfo=UTC)),
        ("2026-11-24T08:30:00+0100", datetime(2026, 11, 24, 7, 30, tzinfo=UTC)),
        ("2026-11-24T08:30:00Z", datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("0001-01-01", None),
        (None, None),
    ],
)
def test_parse_datetime(value, expected):
    assert metadata.parse_datetime(value) == expected


def test_canonical_ignores_front_page_claims():
    fetched = "https://example.com/2026/11/story?utm_medium=x"
    assert metadata.canonical("https://example.com/", fetched) == "https://example.com/2026/11/story"
    assert metadata.canonical("javascript:void(0)", fetched) == "https://example.com/2026/11/story"
    assert metadata.canonical(None, "https://example.com/") == "https://example.com/"


def test_page_dates_fall_back_to_meta_and_time():
    tree = lxml_html.fromstring(
        '<html><head><meta property="article:published_time" content="2026-01-02T03:04:05Z">'
        "</head><body><time datetime='2020-01-01'>x</time></body></html>"
    )
    assert metadata.page_dates(tree).published == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    tree = lxml_html.fromstring("<html><body><time datetime='2025-05-06'>x</time></body></html>")
    assert metadata.page_dates(tree).published == datetime(2025, 5, 6, tzinfo=UTC)


def test_command_prints_json(tmp_path: Path):
    saved = tmp_path / "page.html"
    saved.write_text(ARTICLE, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "pipelines.extract", str(saved), "--url", "https://example.com/a"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    data = json.loads(out.stdout)
    assert data["title"] == "Die Fähre fährt weiter"
    assert data["published_at"] == "2026-11-24T07:30:00+00:00"
    assert data["word_count"] > 40


def test_command_on_seed_page_and_bad_paths(tmp_path: Path):
    run = [sys.executable, "-m", "pipelines.extract"]
    out = subprocess.run([*run, str(SEED), "--url", "https://theweek.example/x"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["sitename"] == "The Week"
    missing = subprocess.run([*run, str(tmp_path / "nope.html"), "--url", "https://example.com/"],
                             cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def run_pipeline(items: list[Page], **overrides) -> list:
    settings = Settings()
    settings.setmodule(project_settings)
    settings.update(overrides)
    crawler = SimpleNamespace(settings=settings, spider=None)  # what a pipeline reads of it
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = ExtractPipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        async def go():
            return await asyncio.gather(*(pipeline.process_item(i) for i in items))

        return asyncio.run(go())
    finally:
        pipeline.close_spider()


def make_page(html: str, n: int = 0) -> Page:
    return Page(url=f"https://example.com/2026/11/s{n}", site="s", body=html, http_status=200,
                fetched_at=datetime.now(UTC))


def test_pipeline_turns_pages_into_rows_and_rejects():
    out = run_pipeline([make_page(ARTICLE, 1), make_page("<p>hi</p>", 2)], EXTRACT_WORKERS=2)
    assert isinstance(out[0], ArticleRow)
    assert out[0].row["canonical_url"] == "https://example.com/2026/11/faehre"
    assert out[0].row["word_count"] > 100
    assert isinstance(out[1], Reject) and out[1].reason == "not_article"


def test_pipeline_time_limit_kills_the_worker_and_goes_on():
    big = page("".join(f"<p>{PARAGRAPH} {i}</p>" for i in range(20000)))
    out = run_pipeline([make_page(big, 1)], EXTRACT_WORKERS=1, EXTRACT_TIMEOUT=0.05)
    assert isinstance(out[0], Reject) and out[0].reason == "extract_timeout"
    out = run_pipeline([make_page(ARTICLE, 2)], EXTRACT_WORKERS=1)
    assert isinstance(out[0], ArticleRow)


_FORK_SERVER_PROBE = """
import sys, psutil
from scrapy.settings import Settings
from crawler import settings as project_settings
from crawler.startup import start_fork_server
settings = Settings()
settings.setmodule(project_settings)
settings.update(dict(arg.split("=", 1) for arg in sys.argv[1:]))
started = start_fork_server(settings)
servers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
print(started, len(servers))
"""


@pytest.mark.parametrize(("overrides", "expected"), [
    ([], "True 1"),
    (["EXTRACT_START_METHOD=spawn"], "False 0"),
    (["EXTRACT_ENABLED=False"], "False 0"),
])
def test_fork_server_starts_before_the_crawl_when_used(overrides, expected):
    """The crawl command starts the workers' fork server first, so its imports overlap
    Scrapy's start-up; only when the pool will fork from one."""
    out = subprocess.run([sys.executable, "-c", _FORK_SERVER_PROBE, *overrides], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == expected.split()


JAPANESE = (
    "市議会は火曜日、バス路線網を三つの新しい地区に拡大することを賛成多数で決めた。一年にわたる公聴会と"
    "通勤の調査を経ての決定で、最初の路線は秋に開業し、残りは来年の春に運転士を採用して訓練した後に開く。"
    "反対派は費用が見込みを上回るとして、次の採決の前に予算の全体を公表するよう求めている。"
)


def test_a_japanese_story_is_counted_by_characters_and_kept():
    """``\\w+`` reads each Japanese sentence as one word: the story would fall under the floor
    once its paywall line is cut. Counted from its characters, it stays an article."""
    body = f"<h1>バス路線を拡大</h1><p>{JAPANESE}</p><p>続きを読むには有料会員登録が必要です。</p>"
    article = extract_article(page(body, lang="ja"), "https://news.example.jp/a/1")
    assert article is not None and "続きを読むには" not in article.text
    assert MIN_WORDS < len(JAPANESE) // 3 <= article.word_count <= len(JAPANESE) // 2
    assert word_count([JAPANESE]) == article.word_count


def test_pipeline_counts_pages_where_the_layer_budget_held():
    lines = [f"Punkt {n}: der Rat hat die Anwohner aus dem Bezirk {n} zum Busplan angehört"
             for n in range(8)]
    body = "".join(f'<div class="share-{n}"><p>{line}</p></div>' for n, line in enumerate(lines))
    held = page(body + f"<p>{PARAGRAPH}</p>")
    settings = Settings()
    settings.setmodule(project_settings)
    settings.update({"EXTRACT_WORKERS": 1})
    crawler = SimpleNamespace(settings=settings, spider=None)
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = ExtractPipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        async def go():
            return [await pipeline.process_item(make_page(html, n))
                    for n, html in enumerate([held, ARTICLE])]

        out = asyncio.run(go())
    finally:
        pipeline.close_spider()
    assert all(isinstance(item, ArticleRow) for item in out)
    assert all(line in out[0].row["text"] for line in lines)
    assert crawler.stats.get_value("newsclean/boilerplate/guard_held") == 1
