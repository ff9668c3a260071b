"""trafilatura's regex XPaths answered in Python (``pipelines.selectors``): the same elements in
the same order as lxml's answer, on real pages and on the traps of XPath's semantics, and the
plain XPaths wherever the mirror does not apply."""

from __future__ import annotations

import gzip
import importlib
import types
from copy import deepcopy
from pathlib import Path

import pytest
from conftest import load_bench_script
from lxml import etree
from trafilatura import core, main_extractor
from trafilatura.htmlprocessing import convert_tags, tree_cleaning
from trafilatura.xpaths import REGEXP_NS

from pipelines import cascade, selectors
from pipelines.extract import FULL, SELECTORS, parse_html

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
MIRRORED = [
    "BASIC_CLEAN_XPATH", "BODY_XPATH[0]", "DISCARD_IMAGE_ELEMENTS[0]", "OVERALL_DISCARD_XPATH[0]",
    "OVERALL_DISCARD_XPATH[1]", "RAW_TREE_PRUNE_XPATH[0]", "RAW_TREE_PRUNE_XPATH[1]",
    "REMOVE_COMMENTS_AND_LISTS_XPATH[0]", "TEASER_DISCARD_XPATH[0]",
]


def _installed() -> list[selectors.Selector]:
    lists = (
        core.REMOVE_COMMENTS_AND_LISTS_XPATH + core.RAW_TREE_PRUNE_XPATH
        + main_extractor.OVERALL_DISCARD_XPATH + main_extractor.BODY_XPATH
        + main_extractor.TEASER_DISCARD_XPATH + main_extractor.DISCARD_IMAGE_ELEMENTS
        + [importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH]
    )
    return [expression for expression in lists if isinstance(expression, selectors.Selector)]


def _both(selector: selectors.Selector, tree) -> tuple[list, list]:
    with cascade.shortcut():
        ours = selector(tree)
    return selector.plain(tree), ours


def _pages() -> list[Path]:
    """Every 6th page of the three sets (bench/extraction.py's loader): about 150 real pages."""
    sets = load_bench_script("extraction").load_sets(("aeb-dev", "news-dev", "wcxb-dev"), BENCH)
    return [case.path for cases in sets.values() for case in cases[::6]]


PAGES = _pages() if BENCH.is_dir() else []


def test_every_mirrored_expression_is_in_place_for_the_pinned_trafilatura():
    assert SELECTORS == MIRRORED
    assert len(_installed()) == len(MIRRORED)


@pytest.mark.skipif(not PAGES, reason=f"no benchmark sets at {BENCH}")
def test_the_same_elements_in_the_same_order_on_real_pages():
    """On each page's raw tree and on the tree trafilatura cleans and converts (``list``,
    ``item``... as its extractor sees them)."""
    checked = found = 0
    for path in PAGES:
        tree = parse_html(gzip.decompress(path.read_bytes()))
        if tree is None:
            continue
        cleaned = convert_tags(tree_cleaning(deepcopy(tree), FULL), FULL)
        for selector in _installed():
            for each in (tree, cleaned):
                plain, ours = _both(selector, each)
                assert ours == plain, (path.name, selector.path)
                checked += 1
                found += len(plain)
    assert checked > 1000 and found > 1000  # the expressions do select on these pages


def _page(body: str) -> etree._Element:
    return parse_html(f"<html><head><title>t</title></head><body>{body}</body></html>")


TRAPS = [
    # @id|@class is the first of the two in the element's attribute order
    '<div class="cookie" id="main"><p>a</p></div><div id="main" class="cookie"><p>b</p></div>',
    '<div id="reply-x" class="y">a</div><div class="y" id="reply-x">b</div>',
    '<span style="hidden" id="x">a</span><span id="x" style="hidden">b</span>',
    # lists are comment lists only by their own markers; an infinite-scroll box holding the h1
    '<ol class="comment-list"><li>a</li></ol><ul id="comments"><li>b</li></ul>'
    '<div id="comments"><p>c</p></div><div class="commentary">d</div>',
    '<div class="infinite-scroll"><h1>Headline</h1><p>x</p></div>'
    '<div class="infinite-scroll"><p>y</p></div><aside id="mvp-post-add-box"><h1>z</h1></aside>',
    # [1]: the first matching child of each parent, not the first in the page
    '<div><div class="post-body">a</div><div class="post-body">b</div></div>'
    '<section><article class="entry">c</article><div class="article-body">d</div></section>',
    '<div class="Teaser">a</div><p id="xteaserx">b</p><span class="caption">c</span>',
    # trafilatura's basic cleaning: tags, a footer div by its first of class / id, case ignored
    '<div class="x" id="footer">a</div><div id="footer" class="x">b</div><svg><g>c</g></svg>'
    '<aside>d</aside><div class="Cookie-Banner">e</div><p id="ONETRUST-x">f</p>'
    "<template>g</template>",
    '<div role="Navigation">a</div><div data-lp-replacement-content="">b</div>'
    '<div aria-hidden="true" style="display: none">c</div><p class="">d</p><p>e</p>',
]


@pytest.mark.parametrize("body", TRAPS)
def test_xpath_semantics_traps(body):
    tree = _page(body)
    for selector in _installed():
        plain, ours = _both(selector, tree)
        assert ours == plain, (selector.path, [e.text for e in plain], [e.text for e in ours])


def test_outside_the_shortcut_trafilaturas_own_xpath_answers():
    """A plain ``trafilatura.extract`` in the same process runs lxml's XPath, not the mirror: a
    selector whose test refuses everything still answers as the XPath outside the shortcut."""
    xpath = core.RAW_TREE_PRUNE_XPATH[0].xpath
    spec = selectors._SPECS[("RAW_TREE_PRUNE_XPATH", 0)]
    refusing = selectors.Selector(
        xpath, selectors.Spec(spec.template, spec.tags, lambda element, rx: False),
        [("x", "")] * 4,
    )
    tree = _page(TRAPS[4])
    assert len(refusing(tree)) == 2 == len(xpath(tree))
    with cascade.shortcut():
        assert refusing(tree) == []


def test_a_changed_expression_keeps_its_xpath():
    template = selectors._SPECS[("RAW_TREE_PRUNE_XPATH", 0)].template
    path = core.RAW_TREE_PRUNE_XPATH[0].path
    assert selectors.patterns_of(path, template) == [
        ("mvp-post-add-(?:box|wrap)|infinite-?scroll", ""),
        ("mvp-post-add-(?:box|wrap)|infinite-?scroll", ""),
        ("mvp-post-add-(?:box|wrap)", ""), ("mvp-post-add-(?:box|wrap)", ""),
    ]
    clean = importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH
    clean_template = selectors._SPECS[("BASIC_CLEAN_XPATH", None)].template
    flagged = selectors.patterns_of(clean.path, clean_template)
    assert flagged and all(flags == "i" for _, flags in flagged)
    assert selectors.patterns_of(clean.path.replace(", 'i')", ")"), clean_template) is None
    # a vocabulary change is followed (the patterns are read), a change of logic is not
    assert selectors.patterns_of(path.replace("infinite-?scroll", "endless"), template)
    assert selectors.patterns_of(path.replace("not(.//h1)", "not(.//h2)"), template) is None
    ns = {"re": REGEXP_NS}
    changed = etree.XPath(path.replace("self::aside", "self::nav"), namespaces=ns)
    original = etree.XPath(path, namespaces=ns)
    other = etree.XPath(".//div")
    fake = types.SimpleNamespace(RAW_TREE_PRUNE_XPATH=[changed, other])
    assert selectors.install({"trafilatura.core": fake}, trafilatura_version=cascade.RULES_OF) == []
    assert fake.RAW_TREE_PRUNE_XPATH[0] is changed
    same = types.SimpleNamespace(RAW_TREE_PRUNE_XPATH=[original, other])
    assert selectors.install({"trafilatura.core": same}, trafilatura_version=cascade.RULES_OF) == [
        "RAW_TREE_PRUNE_XPATH[0]"
    ]
    assert isinstance(same.RAW_TREE_PRUNE_XPATH[0], selectors.Selector)
    assert same.RAW_TREE_PRUNE_XPATH[1] is other


def test_not_installed_for_another_version_or_when_switched_off(monkeypatch):
    ns = {"re": REGEXP_NS}
    original = etree.XPath(core.RAW_TREE_PRUNE_XPATH[0].path, namespaces=ns)
    fake = types.SimpleNamespace(RAW_TREE_PRUNE_XPATH=[original])
    assert selectors.install({"trafilatura.core": fake}, trafilatura_version="9.9") == []
    monkeypatch.setenv("NEWSCLEAN_PLAIN_CASCADE", "1")
    assert selectors.install({"trafilatura.core": fake}, trafilatura_version=cascade.RULES_OF) == []
    assert fake.RAW_TREE_PRUNE_XPATH[0] is original
