"""Article extraction: ``extract_article`` (pure, no Scrapy) and the crawl's worker job.

``extract_article(html, url)`` is the single entry point that the one-page command
(``python -m pipelines.extract PAGE.html --url URL``), the benchmarks and any re-extraction use;
the crawl's workers run its two steps themselves (``parse_html``, then ``article_of``) so that a
UTF-8 page is parsed from the bytes they received. It parses the page once, lets the boilerplate
layer prune promo markup, runs trafilatura with one ``Extractor`` built at import time, cleans
the paragraphs and reads the metadata.

``pipelines.pool.ExtractPipeline`` runs ``_extract_job`` in a process pool, off the reactor.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import re
import sys
from copy import copy
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura import utils as trafilatura_utils
from trafilatura.settings import JUSTEXT_LANGUAGES, Extractor
from trafilatura.xml import xmltotxt

from crawler import memory
from crawler.responses import decode_body
from pipelines import boilerplate, cascade, metadata, pagekind, selectors

MIN_WORDS = 40  # below this, a page is a stub, a teaser or a front, not an article
MAX_LINK_SHARE = 0.5  # above this share of words in links, a page is a list of headlines

# One options object per cascade, built once; trafilatura's package-wide config is never touched.
# ``extract_article`` runs the full cascade (``FULL``), the fast one (``OPTIONS``) only where the
# full one finds nothing (``main_text``). Metadata is read separately, only for pages that pass.
OPTIONS = Extractor(output_format="txt", fast=True, comments=False, tables=True)
CASCADE_SHORTCUT = cascade.install()  # readability skipped where it cannot change the text
SELECTORS = selectors.install()  # trafilatura's regex XPaths without a Python call per element
FULL = Extractor(output_format="txt", fast=False, comments=False, tables=True)
DATE_PARAMS = {
    "extensive_search": True,
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}

_WORD = re.compile(r"\w+")
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass
class Article:
    """What ``extract_article`` finds in one page."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    sitename: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    canonical_url: str | None = None
    paywalled: bool | None = None
    truncated: bool | None = None
    boilerplate: list[str] = field(default_factory=list)
    guard_held: bool = False  # the layer's page budget held: its markup and line rules together
    # chose too much of the story and removed nothing (but copies, headline, paywall tail)

    @property
    def word_count(self) -> int:
        """Words of the text; in Chinese, Japanese, Thai... estimated (``boilerplate.words``)."""
        return boilerplate.words(self.text)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text with whitespace and case folded: equal articles, equal hashes."""
        folded = " ".join(_WORD.findall(self.text.casefold()))
        return hashlib.sha256(folded.encode()).hexdigest()


# trafilatura's parser, with lxml's C-level element class lookup instead of lxml.html's, which
# is a Python call for each element object lxml makes: trafilatura and the layer make hundreds
# of thousands a page (about 4 % of the worker's CPU). Elements are ``HtmlElement`` all the same;
# only lxml.html's form classes (``InputElement``...), which nothing here uses, are not made.
HTML_PARSER = trafilatura_utils.HTML_PARSER.copy()
HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity,
))


def parse_html(html: str | bytes, *, utf8: bytes | None = None) -> lxml_html.HtmlElement | None:
    """Parse a page as ``trafilatura.load_html`` does, on ``HTML_PARSER``: decoding, repair of
    faulty starts, a retry from bytes, and no tree for a fragment or a page that is not HTML.

    ``utf8``: the page's bytes, when ``html`` is exactly their UTF-8 reading. lxml then parses
    them as they are, unless a repair changed the text, instead of converting the text back
    (about 1 ms of a page); the tree is the same.
    """
    text = trafilatura_utils.decode_file(html)
    beginning = text[:50].lower()
    if needs_no_repair(text, beginning):
        repaired = text
    else:
        repaired = trafilatura_utils.repair_faulty_html(text, beginning)
    source = utf8 if utf8 is not None and repaired == text else repaired
    text = repaired
    retried = False
    try:
        tree = lxml_html.fromstring(source, parser=HTML_PARSER)
    except ValueError:  # a string that declares its encoding: lxml wants bytes
        tree, retried = _parse_bytes(text), True
    except Exception:  # as trafilatura: any other parser failure, then bytes
        tree = None
    if (tree is None or not len(tree)) and not retried:
        tree = _parse_bytes(text)
    if tree is None or tree.tag != "html" or not len(tree):  # a fragment is not a page
        return None
    if trafilatura_utils.is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


# ``trafilatura.utils.repair_faulty_html`` first deletes the characters XML forbids with a regex
# over the whole page (about 1.2 ms of a 220 KB page); a search for each of them is 3-4 times
# faster. Only for the character class this mirrors; another one (an upgrade): no shortcut.
_INVALID_XML_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_INVALID_XML: tuple[str, ...] = ()
if getattr(trafilatura_utils, "INVALID_XML_CHARS", None) is not None and (
    trafilatura_utils.INVALID_XML_CHARS.pattern == _INVALID_XML_PATTERN
):
    _INVALID_XML = tuple(map(chr, (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def needs_no_repair(text: str, beginning: str) -> bool:
    """Whether ``trafilatura.utils.repair_faulty_html(text, beginning)`` returns ``text`` as it
    is: no character it deletes, no DOCTYPE it rewrites (nor a one-line page, which it would
    end with a newline), no self-closing ``<html .../>`` in the first lines. ``False`` when
    unsure: then trafilatura's repair runs."""
    if not _INVALID_XML or any(char in text for char in _INVALID_XML):
        return False
    if "doctype" in beginning:
        firstline, newline, _rest = text.partition("\n")
        if not newline or trafilatura_utils.DOCTYPE_TAG.search(firstline):
            return False
    return not any(
        "<html" in line and line.endswith("/>") for line in text[:4096].splitlines()[:4]
    )


def _parse_bytes(text: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(text.encode("utf8", "surrogatepass"), parser=HTML_PARSER)
    except Exception:
        return None


def extract_article(
    html: str | bytes,
    url: str,
    *,
    rules: boilerplate.SiteRules | None = None,
    min_words: int = MIN_WORDS,
    timezone: str | None = None,
) -> Article | None:
    """Extract the article of one page, or ``None`` when the page holds no article.

    ``timezone``: the site's IANA time zone, for times the page declares without an offset
    (``None``: read as UTC).
    """
    return article_of(parse_html(html), url, rules=rules, min_words=min_words, timezone=timezone)


def article_of(
    tree: lxml_html.HtmlElement | None,
    url: str,
    *,
    rules: boilerplate.SiteRules | None = None,
    min_words: int = MIN_WORDS,
    timezone: str | None = None,
) -> Article | None:
    """``extract_article`` of a page parsed by ``parse_html`` (the tree is changed in place)."""
    if tree is None:
        return None
    objects = metadata.json_ld(tree)  # read once: the dates and the paywall markup use it
    zone = ZoneInfo(timezone) if timezone else None
    dates = metadata.page_dates(tree, objects, zone)
    gate = boilerplate.paywall_markup(tree, objects)
    story = boilerplate.article_body(objects)
    pruned = boilerplate.prune_tree(tree, rules, protect=gate.gated, story=story, walk=gate.walk)
    links = link_texts(tree)
    body = main_text(tree, url)
    if body is None:
        return None
    paragraphs, headings = body
    if not has_words(paragraphs, min_words):  # the layer only removes: no article either way
        return None
    # trafilatura's metadata, read on the same pruned tree (``bare_extraction`` left it intact);
    # htmldate searches the page only when it declares no publication time of its own
    doc = metadata.trafilatura_metadata(
        tree, url, None if dates.published else DATE_PARAMS, byline=False
    )
    sites = metadata.site_names(tree, objects, url, doc.sitename)
    authors = metadata.page_authors(
        tree, objects, sites, doc.author or (lambda: metadata.byline_of(tree))
    )
    cleaned = boilerplate.filter_paragraphs(
        paragraphs, title=doc.title, rules=rules, description=doc.description, headings=headings,
        markup_words=pruned.words, hold=pruned.held, links=links, authors=authors,
    )
    if cleaned.held and pruned.removed:  # one page budget: the markup rules' removals go back
        pruned.restore()
        links = link_texts(tree)
        body = main_text(tree, url)
        if body is None:
            return None
        paragraphs, headings = body
        cleaned = boilerplate.filter_paragraphs(
            paragraphs, title=doc.title, rules=rules, description=doc.description,
            headings=headings, hold=True, links=links, authors=authors,
        )
    text = "\n".join(cleaned.kept)
    n_words = word_count(cleaned.kept)
    if n_words < min_words or link_share(links, cleaned.kept, n_words) > MAX_LINK_SHARE:
        return None
    return Article(
        text=text,
        title=metadata.headline(tree, objects, sites, doc.title),
        authors=authors,
        published_at=dates.published or metadata.parse_datetime(doc.date, zone),
        modified_at=dates.modified,
        language=metadata.clean_str(doc.language) or metadata.html_lang(tree),
        sitename=metadata.clean_str(doc.sitename),
        description=metadata.clean_str(doc.description),
        tags=metadata.unique([*(doc.categories or []), *(doc.tags or [])]),
        image_url=metadata.clean_str(doc.image),
        canonical_url=metadata.canonical(doc.url, url),
        paywalled=bool(gate.paywalled) or pruned.paywall_text or cleaned.paywall_text,
        truncated=gate.truncated or pruned.truncated or cleaned.truncated,
        boilerplate=[*pruned.removed, *cleaned.removed],
        guard_held=cleaned.held,
    )


def main_text(tree: lxml_html.HtmlElement, url: str) -> tuple[list[str], list[str]] | None:
    """trafilatura's main text of the page as paragraphs, and the text of its headings.

    trafilatura's default (full) cascade, which compares its own result with readability's and
    jusText's; its fast cascade only where the full one finds nothing (it drops a page whose
    ``content-language`` contradicts the language it is told). Measured (bench/NOTES.md): the
    fast cascade first, the full one for a fast result that read as a missed story, sent about
    half the pages to both and cost more than the full cascade alone, for no better text; the
    full cascade's recall is higher than the fast one's on all three sets.
    """
    found = _body(tree, url, full_options(metadata.html_lang(tree)))
    return found if found is not None else _body(tree, url, OPTIONS)


def full_options(language: str | None) -> Extractor:
    """``FULL``, told the page's declared language when jusText knows it.

    jusText then reads that language's stop words instead of the stop words of all its languages,
    which trafilatura otherwise loads into the worker for good (about 30 MB a worker). trafilatura
    uses the language for nothing else here (no language detector is installed), except to
    drop a page whose ``content-language`` meta contradicts it: the fast result then stands.
    """
    if language not in JUSTEXT_LANGUAGES:
        return FULL
    options = copy(FULL)
    options.lang = language
    return options


def _body(
    tree: lxml_html.HtmlElement, url: str, options: Extractor
) -> tuple[list[str], list[str]] | None:
    try:  # trafilatura works on a copy: ``tree`` stays as it is
        with cascade.shortcut():
            doc = trafilatura.bare_extraction(tree, url=url, options=options)
    except (ValueError, AssertionError):  # "no usable content"; lxml on a rootless fragment
        return None
    if doc is None or doc.body is None:
        return None
    lines = (line.strip() for line in xmltotxt(doc.body, False).splitlines())
    headings = ["".join(head.itertext()) for head in doc.body.iter("head")]
    return [line for line in lines if line], headings


def word_count(lines: list[str]) -> int:
    return sum(boilerplate.words(line) for line in lines)


def has_words(lines: list[str], count: int) -> bool:
    """``word_count(lines) >= count``, reading only as many lines as it takes."""
    for line in lines:
        count -= boilerplate.words(line)
        if count <= 0:
            return True
    return count <= 0


def link_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """The texts of the page's links, whitespace folded."""
    texts = set()
    for a in tree.iter("a"):  # most links hold only text: no XPath ``string()`` for those
        text = a.text if not len(a) else "".join(a.itertext())
        if text:
            texts.add(" ".join(text.split()))
    texts.discard("")
    return texts


def link_share(links: set[str], lines: list[str], total: int | None = None) -> float:
    """Share of the text's words that are the text of links: a list of headlines, not a story.

    A line counts whole when it is the text of a link (menus: short items, one per line); a
    longer link text counts wherever it stands in the text (teasers run into a paragraph).
    """
    total = word_count(lines) if total is None else total  # the caller may know it
    if not total:
        return 0.0
    folded = " ".join(" ".join(lines).split())
    words = boilerplate.words
    linked = sum(words(a) for a in links if len(a) > 15 and a in folded)
    linked += sum(words(line) for line in lines if len(line) <= 15 and line in links)
    return min(linked / total, 1.0)


def _worker_init() -> None:
    """In each new worker: page-sized buffers go back to the system when freed, and what the
    worker inherited from the fork server is frozen, so the collector never writes to those
    pages and they stay shared instead of being copied into every worker."""
    memory.pin_mmap_threshold()
    gc.freeze()


def _extract_job(
    html: str | bytes, url: str, rules: Any, min_words: int, ctype: str = "",
    timezone: str | None = None, probe: bool = False,
) -> dict | None:
    """Worker-side wrapper: decodes fetched bytes, returns a plain dict (cheap to pickle) or None.

    The page crosses to the worker as the bytes Scrapy received (pickled as one copy, no text
    round trip) and is decoded here, in parallel, instead of on the reactor. A page that holds
    no article comes back as ``{"kind": reason, "detail": ...}`` when ``pagekind`` names it;
    ``probe`` (a URL unlike an article's) reads its words first and skips trafilatura on a page
    too thin to hold an article."""
    utf8 = None
    if isinstance(html, bytes):
        body = html
        html, exact = decode_body(body, ctype)
        utf8 = body if exact else None
    tree = parse_html(html, utf8=utf8)
    page = pagekind.measure(tree) if probe and tree is not None else None
    if page is not None and pagekind.is_thin(page, min_words):
        return _kind(page)
    article = article_of(tree, url, rules=rules, min_words=min_words, timezone=timezone)
    if article is None:
        if page is None and tree is not None:  # ``article_of`` pruned the tree: read it afresh
            page = pagekind.measure(parse_html(html, utf8=utf8))
        return _kind(page)
    out = asdict(article)
    out["word_count"] = article.word_count
    out["content_hash"] = article.content_hash
    return out


def _kind(page: pagekind.PageText | None) -> dict | None:
    found = pagekind.kind_of(page)
    if found is None or page is None:
        return None
    return {"kind": found[0], "detail": found[1], "links": page.links}


# --------------------------------------------------------------------------- command


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def main(argv: list[str] | None = None) -> int:
    """``python -m pipelines.extract PAGE.html --url URL``: print the article as JSON."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.extract", description=main.__doc__)
    parser.add_argument("page", help="a saved HTML page ('-' for standard input)")
    parser.add_argument("--url", required=True, help="the URL the page was fetched from")
    parser.add_argument("--timezone", help="the site's IANA time zone (Europe/Berlin) for times "
                        "the page gives without an offset (default: UTC)")
    args = parser.parse_args(argv)
    try:
        if args.timezone:
            ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error(f"--timezone: unknown time zone {args.timezone!r} (e.g. Europe/Berlin)")
    try:
        html = sys.stdin.buffer.read() if args.page == "-" else Path(args.page).read_bytes()
    except OSError as exc:
        parser.exit(2, f"error: cannot read {args.page}: {exc.strerror}\n")
    article = extract_article(html, args.url, timezone=args.timezone)
    if article is None:
        print(json.dumps({"url": args.url, "article": None, "reason": "not_article"}))
        return 1
    out = {key: _to_json(value) for key, value in asdict(article).items()}
    out.update(word_count=article.word_count, content_hash=article.content_hash)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
