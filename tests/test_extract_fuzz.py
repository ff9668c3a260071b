"""Property tests: ``extract_article`` takes any input and returns an ``Article`` or ``None``.

Random text, random bytes, random element trees and mutations of real fixture articles go to
``extract_article``; it must never raise and never hang. Each example runs in a one-worker pebble
pool with a wall-clock limit (``PER_EXAMPLE_SECONDS``), so a hang fails that example instead of the
whole session; inputs are kept small (a few KB) so the limit is generous.

CI runs the ``ci`` profile: a fixed seed and modest counts. For a longer hunt:
``HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_extract_fuzz.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pebble import ProcessPool

from pipelines.extract import Article, extract_article

PER_EXAMPLE_SECONDS = 20  # a few-KB page takes well under a second
URL = "https://news.example/news/2026/11/fuzzed-story.html"
SEEDS = sorted((Path(__file__).parent / "sites").glob("*/news/**/*.html"))

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPool]:
    with ProcessPool(max_workers=1) as workers:
        yield workers


def check(pool: ProcessPool, html: str | bytes) -> None:
    """``extract_article(html)`` in the pool: an Article or None, in time, without raising."""
    future = pool.schedule(extract_article, args=(html, URL), timeout=PER_EXAMPLE_SECONDS)
    try:
        found = future.result()
    except FutureTimeout:
        pytest.fail(f"extract_article hung (> {PER_EXAMPLE_SECONDS}s) on {html[:300]!r}")
    assert found is None or isinstance(found, Article)
    if found is not None:
        assert found.text.strip() and "\0" not in found.text
        assert found.word_count >= 1


# --------------------------------------------------------------------------- strategies

TAGS = ("html", "head", "body", "title", "meta", "article", "main", "div", "p", "span", "a", "b",
        "h1", "h2", "ul", "li", "table", "tr", "td", "script", "style", "noscript", "iframe",
        "frameset", "frame", "svg", "math", "template", "form", "input", "br", "img", "time",
        "figure", "blockquote", "pre", "code", "nav", "footer", "aside", "section", "!--")
ATTRS = ("class", "id", "href", "src", "content", "property", "name", "itemprop", "lang",
         "datetime", "rel", "charset", "http-equiv", "style", "hidden")
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def elements(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    if tag == "!--":
        return f"<!--{draw(WORDS)}-->"
    attrs = "".join(
        f' {name}="{draw(WORDS)}"'
        for name in draw(st.lists(st.sampled_from(ATTRS), max_size=3, unique=True))
    )
    children = [] if depth > 4 else draw(st.lists(st.one_of(WORDS, elements(depth + 1)),
                                                  max_size=4))
    close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</div>"]))
    return f"<{tag}{attrs}>{''.join(children)}{close}"


@st.composite
def mutated_seed(draw) -> bytes:
    """A real fixture article with a handful of byte-level cuts, insertions and copies."""
    data = bytearray(SEEDS[draw(st.integers(0, len(SEEDS) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        span = draw(st.integers(0, 400))
        op = draw(st.sampled_from(("cut", "insert", "copy", "truncate", "junk")))
        if op == "cut":
            del data[at:at + span]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(
                (b"<", b">", b"</", b"<!--", b"]]>", b"&#0;", b"&#xD800;", b"\0", b"\xff\xfe",
                 b"<script>", b"<div>" * 50, b"<![CDATA[", b"<?xml version='1.0'?>",
                 b'<meta charset="shift_jis">', b"&nbsp;" * 30, b"\xef\xbb\xbf")))
        elif op == "copy":
            data[at:at] = data[at:at + span]
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(max_size=64))
    return bytes(data)


# --------------------------------------------------------------------------- properties


@given(st.text(max_size=3000))
def test_any_text(pool, text):
    check(pool, text)


@given(st.binary(max_size=3000))
def test_any_bytes(pool, data):
    check(pool, data)


@given(st.lists(elements(), min_size=1, max_size=6).map("".join))
def test_random_element_trees(pool, html):
    check(pool, html)


@pytest.mark.skipif(not SEEDS, reason="no fixture articles to mutate")
@given(mutated_seed())
def test_mutated_real_articles(pool, data):
    check(pool, data)
    check(pool, data.decode("utf-8", errors="replace"))


# Inputs the properties above found: a parse whose root is not ``<html>`` (``<svg>``,
# ``<frame>``) made htmldate's ``clean_html`` call ``drop_tree()`` on the root, and lxml asserted.
@pytest.mark.parametrize("html", [
    "<svg><HTML</svg>",
    '<svg style="x"><frame></frame<frame></frame</svg><frame></frame',
])
def test_found_by_fuzzing(html):
    found = extract_article(html, URL)
    assert found is None or isinstance(found, Article)
