"""Article metadata: trafilatura's readers, plus full timestamps, authors and canonical URL.

``trafilatura_metadata`` runs trafilatura's own metadata readers, less what newsclean does not
store. trafilatura gives one date; analysts need when an article was published *and* last
modified, with a time zone. The pure helpers below read the page's own declarations (JSON-LD,
Open Graph / article meta tags, ``<time>``), and normalise what trafilatura returns.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura import metadata as tm
from trafilatura import xpaths
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.settings import Document
from trafilatura.utils import line_processing, trim

from crawler.urls import canonicalize

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date",
    "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date", "pubdate",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dcterms.modified", "last-modified", "lastmod",
)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\|| and | und | et | y |&)\s*")


def trafilatura_metadata(
    tree: HtmlElement, url: str, date_config: dict[str, Any] | None = None
) -> Document:
    """``trafilatura.extract_metadata`` without the parts whose answer newsclean does not use.

    The same readers in the same order: meta tags and Open Graph, JSON-LD, then the fallbacks
    that search the page (title, author, canonical link, site name, categories, tags). Left out:
    the licence search (no column holds it) and, unless ``date_config`` is given, htmldate's
    date search (``page_dates`` reads the page's declared times first; the caller passes
    ``date_config`` only for a page that declares none). The byline, category and tag searches
    are trafilatura's, made cheaper with the same answers (``extract_author``, ``catstags``).
    """
    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:  # a single word is a handle, not a name
        doc.author = None
    with contextlib.suppress(Exception):  # as extract_metadata: its JSON-LD reader has bugs
        doc = tm.extract_meta_json(tree, doc)
    doc.title = doc.title or tm.extract_title(tree)
    doc.author = doc.author or extract_author(tree)
    doc.url = doc.url or tm.extract_url(tree, url)
    if date_config is not None:
        doc.date = tm.find_date(tree, **{**date_config, "url": doc.url})
    doc.sitename = doc.sitename or tm.extract_sitename(tree)
    if doc.sitename:
        doc.sitename = doc.sitename.lstrip("@")
        if doc.sitename and "." not in doc.sitename and not doc.sitename[0].isupper():
            doc.sitename = doc.sitename.title()
    elif doc.url and (match := tm.META_URL.match(doc.url)):
        doc.sitename = match[1]
    if not (doc.categories and doc.tags):
        hrefs = _CATSTAG_HREFS(tree)
        doc.categories = doc.categories or catstags("category", tree, hrefs)
        doc.tags = doc.tags or catstags("tag", tree, hrefs)
    doc.clean_and_trim()
    return doc


# trafilatura's byline expressions (``trafilatura.xpaths.AUTHOR_XPATHS`` and
# ``AUTHOR_DISCARD_XPATHS``, which tests/test_extract.py pins), rewritten to select the same
# elements in the same order for less: each EXSLT ``re:test`` is spelled as the contains() or
# starts-with() it equals (its patterns are plain alternatives), which libxml2 evaluates itself
# instead of calling back into Python for every element; and the attribute tests are asked of
# the page's attributes of that name (``//@class[...]/..``) instead of every element.
_AUTHOR_CLASS = ("contains(., 'Author') or contains(., 'author') or contains(., 'screenname') or "
                 "contains(., 'writer') or contains(., 'Byline') or contains(., 'byline')")
AUTHOR_XPATHS = [
    XPath("""(//@rel[. = 'author']/.. | //@id[. = 'author']/.. | //@itemprop[. = 'author name']/..
        | //@class[. = 'author' or contains(., 'authorname') or contains(., 'author-name') or
                   contains(., 'AuthorName') or contains(., 'authorName')]/..
        | //@data-testid[. = 'AuthorCard' or . = 'AuthorURL']/.. | //rel[. = 'me']/..)[
        self::a or self::address or self::div or self::link or self::p or self::span or
        self::strong] | //author"""),
    XPath("""(//@class[. = 'byline' or . = 'username' or . = 'byl' or . = 'BBL' or
                   contains(., 'author') or contains(., 'channel-name') or
                   contains(., 'zuozhe') or contains(., 'bianji') or contains(., 'xiaobian') or
                   contains(., 'submitted-by') or contains(., 'posted-by') or
                   contains(., 'journalist-name')]/..
        | //@itemprop[contains(., 'author')]/..
        | //@id[contains(., 'author') or contains(., 'zuozhe') or contains(., 'bianji') or
                contains(., 'xiaobian')]/..)[
        self::a or self::div or self::h3 or self::h4 or self::p or self::span]"""),
    XPath(f"""//@data-component[contains(., 'Byline')]/.. | //@itemprop[contains(., 'author')]/..
        | //@id[contains(., 'Author') or contains(., 'author')]/..
        | //@class[{_AUTHOR_CLASS}]/.."""),
]
_DISCARD = """[self::a or self::div or self::section or self::span][
    @id='comments' or @class='comments' or @class='title' or @class='date' or
    starts-with(@id, 'comments') or contains(@id, 'commentlist') or
    contains(@id, 'comment-list') or contains(@id, 'ProductReviews') or
    starts-with(@class, 'Comments') or starts-with(@class, 'comments') or
    contains(@class, 'commentlist') or contains(@class, 'comments-list') or
    contains(@class, 'sidebar') or contains(@class, 'is-hidden') or contains(@class, 'quote') or
    contains(@class, 'embedly-instagram') or contains(@class, 'article-share') or
    contains(@class, 'article-support') or contains(@class, 'print') or
    contains(@class, 'category') or contains(@class, 'meta-date') or
    contains(@class, 'meta-reviewer') or
    contains(@data-component, 'Figure')]"""
_DISCARDED = XPath(  # the element lies in what trafilatura prunes before its byline search
    f"boolean(ancestor-or-self::*{_DISCARD}|ancestor-or-self::time|ancestor-or-self::figure)"
)
_HOLDS_DISCARDED = XPath(f"boolean(.//*{_DISCARD}|.//time|.//figure)")
# links that trafilatura's category and tag searches could keep: theirs end in ``//a[@href]``
# and keep a link only when its href matches ``/categor(y|ies|s)?/`` or ``/tag(y|ies|s)?/``
_CATSTAG_HREFS = XPath("//a/@href[contains(., '/categor') or contains(., '/tag')]")


def extract_author(tree: HtmlElement) -> str | None:
    """``trafilatura.metadata.extract_author``, without copying and pruning the whole page.

    trafilatura copies the page, deletes comments, sidebars, dates and figures from the copy,
    then takes the first byline candidate with a plausible text. Here the candidates are found
    on the page itself, those inside a deleted part are skipped, and only a candidate that holds
    such a part is copied and pruned (trafilatura's own pruning), so its text is the same.
    """
    for expression in AUTHOR_XPATHS:
        for elem in expression(tree):
            if _DISCARDED(elem):
                continue
            if _HOLDS_DISCARDED(elem):
                elem = prune_unwanted_nodes(deepcopy(elem), xpaths.AUTHOR_DISCARD_XPATHS)
            content = trim(" ".join(elem.itertext()))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


def catstags(kind: str, tree: HtmlElement, hrefs: list[str]) -> list[str]:
    """``trafilatura.metadata.extract_catstags(kind, tree)``, skipping its link searches when no
    link of the page (``hrefs``, from ``_CATSTAG_HREFS``) could be kept by them."""
    needle = "/categor" if kind == "category" else "/tag"
    if any(needle in href for href in hrefs):
        return tm.extract_catstags(kind, tree)
    if kind != "category":
        return []
    found = tree.xpath('.//head//meta[@property="article:section" or contains(@name, "subject")]'
                       "[@content]")  # trafilatura's fallback for categories
    contents = (e.attrib["content"] for e in found)
    return [r for r in dict.fromkeys(line_processing(c) for c in contents if c) if r]


@dataclass(frozen=True)
class Dates:
    published: datetime | None = None
    modified: datetime | None = None


def parse_datetime(value: Any) -> datetime | None:
    """An ISO-8601-ish string to an aware UTC datetime (naive times are taken as UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0100 -> +01:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed if 1990 <= parsed.year <= 2100 else None


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except (ValueError, RecursionError):
            continue
        yield from _walk_json(data)


def _walk_json(data: Any, depth: int = 0) -> Iterator[dict]:
    if depth > 6:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _walk_json(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _walk_json(data.get("@graph"), depth + 1)


def json_ld(tree: HtmlElement) -> list[dict]:
    """All JSON-LD objects of a page (``@graph`` flattened); broken blocks are skipped."""
    return list(_json_ld_objects(tree))


def _first(values: Iterable[Any]) -> datetime | None:
    for value in values:
        parsed = parse_datetime(value)
        if parsed:
            return parsed
    return None


def _meta_values(tree: HtmlElement, names: tuple[str, ...]) -> list[str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in names and key not in found and meta.get("content"):
            found[key] = meta.get("content")
    return [found[name] for name in names if name in found]


def page_dates(tree: HtmlElement, objects: list[dict] | None = None) -> Dates:
    """Published and modified times as the page declares them (JSON-LD first, then meta).

    ``objects``: the page's ``json_ld``, when the caller has read it already.
    """
    objects = json_ld(tree) if objects is None else objects
    published = _first(o.get("datePublished") for o in objects) or _first(
        _meta_values(tree, _PUBLISHED_META)
    )
    modified = _first(o.get("dateModified") for o in objects) or _first(
        _meta_values(tree, _MODIFIED_META)
    )
    if published is None:
        published = _first(t.get("datetime") for t in tree.iter("time"))
    return Dates(published=published, modified=modified)


def clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = clean_str(value)
        if value and value.casefold() not in {k.casefold() for k in seen}:
            seen[value] = None
    return list(seen)


def split_authors(value: str | None) -> list[str]:
    """``"A; B and C"`` to ``["A", "B", "C"]``."""
    if not value:
        return []
    return unique(_AUTHOR_SPLIT.split(value))


def html_lang(tree: HtmlElement) -> str | None:
    """The page's declared language (``<html lang="de-AT">`` → ``de``), else the language of a
    ``content-language`` or ``og:locale`` meta tag (``pt_BR`` → ``pt``)."""
    declared = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale"):
            declared.append(meta.get("content"))
    for value in declared:
        lang = (value or "").strip().lower().replace("_", "-").split("-")[0]
        if re.fullmatch(r"[a-z]{2,3}", lang):
            return lang
    return None


def canonical(declared: str | None, fetched: str) -> str:
    """The article's canonical URL: the page's own claim when it is sane, else the fetched URL.

    A claim is ignored when it is not http(s), or points at a site's front page while the fetched
    URL does not (a common template bug that would merge every article into one).
    """
    fetched_c = canonicalize(fetched)
    if not declared:
        return fetched_c
    parts = urlsplit(declared.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return fetched_c
    if parts.path in ("", "/") and urlsplit(fetched).path not in ("", "/"):
        return fetched_c
    return canonicalize(declared.strip())
