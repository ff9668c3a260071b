"""The readability shortcut (``pipelines.cascade``) and the mirrored XPaths
(``pipelines.selectors``): the same text as trafilatura's plain default cascade, on real pages,
and the plain path when the shortcut cannot be installed."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import types
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import load_bench_script
from lxml.html import tostring
from trafilatura import core
from trafilatura.external import try_readability

from pipelines import cascade
from pipelines.extract import CASCADE_SHORTCUT, SELECTORS, extract_article, parse_html

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"


def _pages() -> list[tuple[Path, str]]:
    """Every 4th page of aeb-dev and news-dev (bench/extraction.py's loader): 52 real pages."""
    sets = load_bench_script("extraction").load_sets(("aeb-dev", "news-dev"), BENCH)
    return [(case.path, case.url) for cases in sets.values() for case in cases[::4]]


PAGES = _pages() if BENCH.is_dir() else []
_PLAIN = """
import gzip, json, sys
from dataclasses import asdict
from pipelines.extract import CASCADE_SHORTCUT, SELECTORS, extract_article
assert not CASCADE_SHORTCUT and not SELECTORS
out = []
for path, url in json.load(sys.stdin):
    article = extract_article(gzip.decompress(open(path, "rb").read()), url, min_words=0)
    out.append(article and {k: str(v) for k, v in asdict(article).items()})
print(json.dumps(out))
"""


def _as_json(article) -> dict | None:
    return article and {key: str(value) for key, value in asdict(article).items()}


@pytest.mark.skipif(not PAGES, reason=f"no benchmark sets at {BENCH}")
def test_the_shortcut_gives_the_plain_cascades_text_on_real_pages():
    """Every field equal to the plain cascade's (run in a process where the shortcut is off by
    ``NEWSCLEAN_PLAIN_CASCADE=1``, the fallback path), and readability skipped on some pages."""
    assert CASCADE_SHORTCUT and SELECTORS, "installed for the pinned trafilatura"
    before = cascade.SKIPPED["readability"]
    ours = [
        _as_json(extract_article(gzip.decompress(path.read_bytes()), url, min_words=0))
        for path, url in PAGES
    ]
    skipped = cascade.SKIPPED["readability"] - before
    assert cascade.SKIPPED["page_text"] > 0
    assert skipped >= len(PAGES) // 4, f"readability skipped on only {skipped} pages"
    plain = subprocess.run(
        [sys.executable, "-c", _PLAIN], input=json.dumps([[str(p), u] for p, u in PAGES]),
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={**os.environ, "NEWSCLEAN_PLAIN_CASCADE": "1"},
    )
    theirs = json.loads(plain.stdout)
    differ = [str(path.name) for (path, _), a, b in zip(PAGES, ours, theirs, strict=True)
              if a != b]
    assert not differ, f"the shortcut changed the article of {differ}"


@pytest.mark.skipif(not PAGES, reason=f"no benchmark sets at {BENCH}")
def test_the_bound_is_never_below_readabilitys_or_the_page_texts_length():
    """The invariant the shortcut rests on, checked against readability and ``html2txt``."""
    assert core.ESCALATION_PAGE_SHARE == cascade.PAGE_SHARE
    for path, _url in PAGES:
        tree = parse_html(gzip.decompress(path.read_bytes()))
        bound = cascade.text_bound(tree)
        found = try_readability(tree.__copy__())
        text = " ".join(tostring(found, method="text", encoding="utf-8").decode().split())
        assert len(text) <= bound, path.name
        assert len(core.html2txt.__wrapped__(tree)) <= bound, path.name
        # readability's own bound: less what it drops before reading (``unlikely``)
        assert len(text) <= cascade.text_bound(tree, cascade.unlikely(tree)) <= bound, path.name


def test_the_readability_bound_takes_away_each_dropped_text_once():
    """Scripts inside a dropped sidebar, a comment box inside a dropped footer, a frame, a video:
    the bound stays above readability's text and no text is taken away twice."""
    story = "<p>" + "The council voted on the harbour plan, and the crews objected. " * 8 + "</p>"
    page = parse_html(
        "<html><body><div class='sidebar'><script>" + "var x = 1; " * 400 + "</script>"
        "<p>Most read: more stories from the coast, every day.</p></div>"
        "<div class='footer'><div class='comments'><p>" + "A reader wrote. " * 30 + "</p></div>"
        "</div><fencedframe><p>an ad</p></fencedframe>"
        f"<div class='article-content'>{story}{story}"
        "<iframe src='https://www.youtube.com/embed/x'></iframe></div></body></html>"
    )
    dropped = cascade.unlikely(page)
    assert [e.get("class") or e.tag for e in dropped] == ["fencedframe", "sidebar", "footer"]
    found = try_readability(page.__copy__())
    text = " ".join(tostring(found, method="text", encoding="utf-8").decode().split())
    tight = cascade.text_bound(page, dropped)
    assert len(text) <= tight < cascade.text_bound(page)
    article = page.find("body/div[@class='article-content']")
    assert tight >= len(" ".join("".join(article.itertext()).split()))

def test_short_or_unclean_or_table_texts_go_to_the_plain_comparison():
    options = types.SimpleNamespace(focus="balanced", min_extracted_size=250)
    long_text = "word " * 200
    page = parse_html(f"<html><body><p>{long_text}</p></body></html>")
    body = page.find("body")
    assert cascade.readability_cannot_win(page, body, long_text.strip(), options)
    assert not cascade.readability_cannot_win(page, body, "short", options)
    recall = types.SimpleNamespace(focus="recall", min_extracted_size=250)
    assert not cascade.readability_cannot_win(page, body, long_text.strip(), recall)
    longer = parse_html(f"<html><body><p>{long_text}</p><div>{long_text * 2}</div></body></html>")
    assert not cascade.readability_cannot_win(longer, body, long_text.strip(), options)
    for extra in ("<figure>x</figure>", "<table><tr><td>a</td></tr></table>" * 2):
        other = parse_html(f"<html><body><div><p>{long_text}</p>{extra}</div></body></html>")
        assert not cascade.readability_cannot_win(page, other.find("body/div"),
                                                  long_text.strip(), options), extra


def test_not_installed_for_another_version_or_shape_or_when_switched_off(monkeypatch):
    def _extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options):
        return tree, ""

    def compare_extraction(cleaned_tree, raw_tree, body, text, options):
        return body, text

    def extract_content(cleaned_tree, options):
        return cleaned_tree, ""

    def other_shape(tree, body, text, options):
        return body, text

    def html2txt(content, clean=True):
        return ""

    def fake_core(**changed):
        functions = dict(_extract_and_compare=_extract_and_compare, html2txt=html2txt,
                         compare_extraction=compare_extraction, extract_content=extract_content)
        return types.SimpleNamespace(**{**functions, **changed})

    fake = fake_core()
    assert not cascade.install(fake, trafilatura_version="9.9")
    assert fake._extract_and_compare is _extract_and_compare
    assert not cascade.install(types.SimpleNamespace(), trafilatura_version=cascade.RULES_OF)
    for name in cascade._SIGNATURES:  # one missing, or of another shape: nothing is wrapped
        for changed in (None, other_shape):
            odd = fake_core(**{name: changed})
            before = dict(vars(odd))
            assert not cascade.install(odd, trafilatura_version=cascade.RULES_OF), name
            assert vars(odd) == before, name
    monkeypatch.setenv("NEWSCLEAN_PLAIN_CASCADE", "1")
    assert not cascade.install(fake, trafilatura_version=cascade.RULES_OF)
    monkeypatch.delenv("NEWSCLEAN_PLAIN_CASCADE")
    assert cascade.install(fake, trafilatura_version=cascade.RULES_OF)
    assert fake._extract_and_compare.__wrapped__ is _extract_and_compare
    assert fake.html2txt.__wrapped__ is html2txt
    assert fake.compare_extraction is compare_extraction  # called, not wrapped
    assert cascade.install(fake, trafilatura_version=cascade.RULES_OF)  # once, not twice
    assert fake._extract_and_compare.__wrapped__ is _extract_and_compare
