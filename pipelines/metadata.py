"""Article metadata: trafilatura's readers, plus the headline, the authors, full timestamps and
the canonical URL as the page declares them.

``trafilatura_metadata`` runs trafilatura's own metadata readers, less what newsclean does not
store. The pure helpers below read the page's own declarations (JSON-LD, Open Graph / article
meta tags, ``<h1>``, ``<time>``) and decide by evidence:

- ``headline``: the article's own headline without the site's name. Its candidates (JSON-LD
  ``headline``, ``og:title``, ``twitter:title``, ``<h1>``, ``<title>``) are cut where one of them
  ends and another goes on past a separator (`` | ``, `` - ``, a full-width bar...): the part
  they do not share is the site's; a first or last part that names the site (``og:site_name``,
  the JSON-LD publisher, the host) goes too. JSON-LD ``headline`` comes first, then the title
  most of the others agree with.
- ``page_authors``: people. The JSON-LD authors, else the author meta tags, else trafilatura's
  byline search; labels ("By", "Von", "Autor") and "Family, Given" order undone; the publisher
  (a name of the site, or a company name) kept only when no person is named.
- ``page_dates``: published and modified times; a time without an offset is read in the site's
  time zone (``timezone`` in the sites file), else as UTC.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from itertools import islice
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


def trafilatura_metadata(
    tree: HtmlElement, url: str, date_config: dict[str, Any] | None = None, *,
    byline: bool = True,
) -> Document:
    """``trafilatura.extract_metadata`` without the parts whose answer newsclean does not use.

    The same readers in the same order: meta tags and Open Graph, JSON-LD, then the fallbacks
    that search the page (title, author, canonical link, site name, categories, tags). Left out:
    the licence search (no column holds it) and, unless ``date_config`` is given, htmldate's
    date search (``page_dates`` reads the page's declared times first; the caller passes
    ``date_config`` only for a page that declares none), and with ``byline=False`` the byline
    search (``byline_of``: ``page_authors`` asks for it only when it needs it). The byline,
    category and tag searches are trafilatura's, made cheaper with the same answers
    (``extract_author``, ``catstags``).
    """
    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:  # a single word is a handle, not a name
        doc.author = None
    with contextlib.suppress(Exception):  # as extract_metadata: its JSON-LD reader has bugs
        doc = tm.extract_meta_json(tree, doc)
    doc.title = doc.title or tm.extract_title(tree)
    if byline:
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


def parse_datetime(value: Any, zone: tzinfo | None = None) -> datetime | None:
    """An ISO-8601-ish string to an aware UTC datetime.

    A time without an offset (``2023-04-28 18:11:01``, or a date alone) is read in ``zone``, the
    site's time zone, else as UTC; a time with an offset keeps its own.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0100 -> +01:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by the offset
        return None
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


def _first(values: Iterable[Any], zone: tzinfo | None = None) -> datetime | None:
    for value in values:
        parsed = parse_datetime(value, zone)
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


def page_dates(
    tree: HtmlElement, objects: list[dict] | None = None, zone: tzinfo | None = None
) -> Dates:
    """Published and modified times as the page declares them (JSON-LD first, then meta).

    ``objects``: the page's ``json_ld``, when the caller has read it already; ``zone``: the
    site's time zone, for times declared without an offset (see ``parse_datetime``).
    """
    objects = json_ld(tree) if objects is None else objects
    published = _first((o.get("datePublished") for o in objects), zone) or _first(
        _meta_values(tree, _PUBLISHED_META), zone
    )
    modified = _first((o.get("dateModified") for o in objects), zone) or _first(
        _meta_values(tree, _MODIFIED_META), zone
    )
    if published is None:
        published = _first((t.get("datetime") for t in tree.iter("time")), zone)
    return Dates(published=published, modified=modified)


def clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def unique(values: Iterable[str]) -> list[str]:
    """``values`` whitespace-folded, without empties and case-insensitive repeats, in order."""
    seen: dict[str, str] = {}  # casefolded -> first spelling
    for value in values:
        value = clean_str(value)
        if value and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())


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

    A claim is ignored when it is not http(s), is malformed (``http://[::1``), or points at a
    site's front page while the fetched URL does not (a common template bug that would merge
    every article into one).
    """
    fetched_c = canonicalize(fetched)
    if not declared:
        return fetched_c
    try:
        parts = urlsplit(declared.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return fetched_c
    except ValueError:  # a bracketed host that is no IPv6 address, a port out of range
        return fetched_c
    if parts.path in ("", "/") and urlsplit(fetched).path not in ("", "/"):
        return fetched_c
    return canonicalize(declared.strip())


# --------------------------------------------------------------------------- site names


_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_QUOTE_MARKS = re.compile(
    "[\"'`\u00b4\u2018-\u201f\u00ab\u00bb\u2039\u203a\u300c-\u300f\uff02\uff07]"
)
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_SITE_META = ("og:site_name", "application-name", "publisher", "twitter:site")
_ORG_TYPES = ("organization", "newsmediaorganization", "corporation")  # JSON-LD @type, folded
_ARTICLE_TYPE = re.compile(r"article|posting|report", re.IGNORECASE)


@lru_cache(maxsize=1024)  # a page compares its few titles and site names many times over
def _key(text: str) -> str:
    """``text`` as compared: Unicode compatibility forms, no soft hyphens or quote marks, dashes
    made ``-``, case folded, whitespace collapsed."""
    text = _QUOTE_MARKS.sub("", _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)))
    return " ".join(_DASHES.sub("-", text).casefold().split())


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"\W+", _key(text)) if w)


@lru_cache(maxsize=1024)
def _squash(text: str) -> str:
    """Letters and digits of ``_key(text)`` only: ``derStandard.at`` → ``derstandardat``."""
    return "".join(ch for ch in _key(text) if ch.isalnum())


def _types(obj: dict) -> list[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower() for k in kinds if isinstance(k, str)]


def _is_article(obj: dict) -> bool:
    return any(_ARTICLE_TYPE.search(kind) for kind in _types(obj))


def _unescape(text: str) -> str:
    """Entities decoded, twice over for JSON-LD written from HTML-escaped text (``&amp;#8217;``)."""
    return html.unescape(html.unescape(text)) if "&" in text else text


def _name_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else None
    return clean_str(_unescape(value)) if isinstance(value, str) else None


def site_names(
    tree: HtmlElement, objects: list[dict], url: str, declared: str | None = None
) -> list[str]:
    """What the page calls its site or publisher: ``og:site_name`` and like meta tags, the
    JSON-LD publisher and organisations, ``declared`` (trafilatura's site name), the host."""
    names = [declared, *_meta_values(tree, _SITE_META)]
    for obj in objects:
        names.append(_name_of(obj.get("publisher")))
        if any(kind in (*_ORG_TYPES, "website") for kind in _types(obj)):
            names.append(_name_of(obj))
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # a malformed URL ("http://[::1"): no host to go by
        host = ""
    if host:
        names += [host, host.split(".")[0]]
    names = (re.sub(r"^https?://(www\.)?|^@", "", n) for n in names if n and len(n) <= 200)
    return unique(names)


def names_site(text: str, sites: list[str], *, holding: bool = True) -> bool:
    """``text`` is one of ``sites``, or part of one (``SRF`` of ``Schweizer Radio und Fernsehen
    (SRF)``, ``読売新聞`` of ``読売新聞オンライン``), or (``holding``) ends in one of six letters or
    more, in a few words (``Die Neue Südtiroler Tageszeitung`` of ``tageszeitung.it``)."""
    squashed, words = _squash(text), _key(text).split()
    if not squashed or len(words) > 6:
        return False
    for site in sites:
        whole = _squash(site)
        if not whole:
            continue
        if squashed == whole or (holding and len(whole) >= 6 and squashed.endswith(whole)):
            return True
        if len(squashed) >= 4 and (whole.startswith(squashed) or whole.endswith(squashed)):
            return True
        site_words, text_words = _words(site), _words(text)
        n = len(text_words)
        if n and any(site_words[i:i + n] == text_words for i in range(len(site_words) - n + 1)):
            return True
    return False


# --------------------------------------------------------------------------- headline


# where a title's parts meet: a spaced bar, dash, colon, bullet or guillemet; a full-width bar
# or colon, the Hangul bar ``ㅣ`` (U+3163) or an ASCII bar, spaced or not
_TITLE_SEPARATOR = re.compile(
    "\\s+(?:[|•·»›~/:\\-\u2013\u2014]{1,2})\\s+|\\s*[|\uff5c\uff1a\u3163]\\s*"
)
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)$")


MAX_TITLE = 500  # characters: a longer "title" is a paragraph or a page's junk, not a headline


def _title_meta(tree: HtmlElement) -> list[str]:
    return [t for t in _meta_values(tree, ("og:title", "twitter:title")) if len(t) <= MAX_TITLE]


def _h1s(tree: HtmlElement, most: int = 10) -> list[str]:
    """The texts of the page's first ``most`` ``<h1>`` (teaser lists repeat the tag)."""
    texts = (" ".join(_text(h).split()) for h in tree.iter("h1"))
    return unique(islice((t for t in texts if 0 < len(t) <= MAX_TITLE), most))


def _text(elem: HtmlElement) -> str:
    """The text of ``elem``, a line break (``<br>``) read as a space."""
    if elem.find(".//br") is None:
        return elem.text_content()
    elem = deepcopy(elem)  # a headline: small
    for br in elem.iter("br"):
        br.tail = " " + (br.tail or "")
    return elem.text_content()


def _page_title(tree: HtmlElement) -> list[str]:
    found = tree.find(".//head/title")
    if found is None:
        found = tree.find(".//title")
    text = found.text_content() if found is not None else ""
    return [text] if 0 < len(text) <= MAX_TITLE else []


def ld_headlines(objects: list[dict]) -> list[str]:
    """The ``headline`` of each JSON-LD article object (entities decoded), in page order."""
    found = (_name_of(o.get("headline")) for o in objects if _is_article(o))
    return unique(h for h in found if h and len(h) <= MAX_TITLE)


def strip_site(title: str, others: list[str], sites: list[str]) -> str:
    """``title`` without the parts that name the site, by evidence.

    From the end: where ``title`` goes on past a separator after the whole of another candidate
    (``X | Site`` beside ``X``), or its last part names the site, the rest goes. At the start, a
    first part that names the site goes. What is left is never empty.
    """
    title = clean_str(title) or ""
    other_keys = {_key(o) for o in others} - {_key(title), ""}
    changed = True
    while changed:
        changed = False
        cuts = list(_TITLE_SEPARATOR.finditer(title))
        for cut in reversed(cuts):
            head, tail = title[: cut.start()].strip(), title[cut.end():].strip()
            if head and (_key(head) in other_keys or names_site(tail, sites)):
                title, changed = head, True
                break
        if cuts and not changed:
            first = cuts[0]
            head, tail = title[: first.start()].strip(), title[first.end():].strip()
            if tail and names_site(head, sites, holding=False):
                title, changed = tail, True
    return title


def headline(
    tree: HtmlElement, objects: list[dict], sites: list[str], fallback: str | None = None
) -> str | None:
    """The article's headline, without the site's name (see the module docstring).

    JSON-LD ``headline`` first (the one another candidate agrees with, when there are several;
    a longer candidate it is the cut-off start of, when it ends in an ellipsis); else the
    candidate most others agree with, ``og:title`` before ``<h1>``, ``twitter:title`` and
    ``<title>`` on a tie; else ``fallback``.
    """
    ld = ld_headlines(objects)
    meta, h1s, title = _title_meta(tree), _h1s(tree), _page_title(tree)
    raw = [*ld, *meta, *h1s, *title]
    ld = [h for h in (strip_site(h, raw, sites) for h in ld) if not is_site_name(h, sites)]
    rest = [strip_site(c, raw, sites) for c in (*meta[:1], *h1s, *meta[1:], *title)]
    rest = [c for c in rest if not is_site_name(c, sites)]
    if ld:
        agreed = [h for h in ld if any(_key(c) == _key(h) for c in rest)]
        return _completed((agreed or ld)[0], rest)
    if rest:
        support = [sum(_key(other) == _key(c) for other in rest) for c in rest]
        return rest[support.index(max(support))]
    return clean_str(fallback)


def is_site_name(text: str, sites: list[str]) -> bool:
    """``text`` is empty or exactly a name of the site (a title that names only the site)."""
    squashed = _squash(text)
    return not squashed or any(squashed == _squash(site) for site in sites)


def _completed(chosen: str, others: list[str]) -> str:
    """``chosen``, or the longer candidate it is the start of when it ends in an ellipsis."""
    if not _ELLIPSIS.search(chosen):
        return chosen
    start = _key(_ELLIPSIS.sub("", chosen)).strip()
    longer = [o for o in others if _key(o).startswith(start) and len(o) > len(chosen)]
    return longer[0] if start and longer else chosen


# --------------------------------------------------------------------------- authors


# meta tags that name an author (trafilatura's ``METANAME_AUTHOR``, in a stable order); those
# of ``_FAMILY_FIRST`` write one person each, often as "Family, Given"
_AUTHOR_META = (
    "author", "article:author", "og:article:author", "parsely-author", "sailthru.author", "byl",
    "dc.creator", "dc:creator", "dcterms.creator", "dc.creator.aut", "dcterms.creator.aut",
    "citation_author", "creator", "authors", "rbauthors", "atc-metaauthor", "dcsext.author",
    "shareaholic:article_author_name",
)
MAX_NAMES = 50  # names read from one author string: a longer list is a page's junk
_FAMILY_FIRST = {"dc.creator", "dc:creator", "dcterms.creator", "dc.creator.aut",
                 "dcterms.creator.aut", "citation_author"}
_NAME_SPLIT = re.compile(r"\s*(?:[;|/&,、，]|\s(?:and|und|et|y|e|en|og|och|i|a|ve)\s)\s*")
# a byline's label before the name, in the languages of the news ("By", "Autor:", "Par", "Por",
# "Door", "Av", "Yazan", "Oleh", "Автор"...); "von", "di", "de", "da" also open names, so they
# count as a label only before a capitalised name of two words or more ("di Viviana Mazza", not
# "von der Leyen")
_LABEL = re.compile(
    r"^(?:(?:written|reported|words|text|story)\s+by|by|autor(?:in|a|e)?|author|auteur|autore|"
    r"autorka|tekst|text|texto|testo|par|por|door|av|af|yazan|oleh|текст|автор)"
    r"(?:\s*[:：]\s*|\s+)(?=\S)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"https?:|www\.|\S+\.\w+/")
_PARTICLE = re.compile(r"^(?:Von|von|di|de|da)(?:\s*:\s*|\s+)(?=\S)")
_TRAILING_LABEL = re.compile(r"\s*(?:기자|특파원|記者|记者|編集委員)$")
_LEGAL_FORM = re.compile(
    r"\b(?:GmbH|gGmbH|AG|SE|KG|Ltd|Limited|Inc|LLC|plc|PLC|Corp|S\.?A|S\.?L|S\.?p\.?A|"
    r"B\.?V|N\.?V|Oy|AB|ASA|A/S)\.?$"
)


@dataclass(frozen=True)
class Name:
    """One author as the page names it: a person, or (``organisation``) a newsroom or company."""

    name: str
    organisation: bool = False


def clean_name(value: str) -> str | None:
    """A byline's name, as people write it: label, e-mail and "기자" (reporter) cut, initials'
    periods kept, ``None`` when nothing like a name is left (a URL, a number, a sentence)."""
    name = clean_str(_EMAIL.sub("", _unescape(value)))
    if not name or _URL.match(name) or name.startswith("@"):  # a profile page, a handle
        return None
    name = _LABEL.sub("", name.strip(" \t,;:|·•-–—\"'“”„«»[]"), count=1)
    rest = _PARTICLE.sub("", name, count=1)
    if rest != name and len(rest.split()) >= 2 and rest[0].isupper():
        name = rest
    name = _TRAILING_LABEL.sub("", name).strip()
    if not any(ch.isalpha() for ch in name) or len(name) > 80 or len(name.split()) > 6:
        return None
    if re.fullmatch(r"(?:\w+\s+)?(?:by|von|par|por)", name, re.IGNORECASE):  # a label alone
        return None
    return name


def _family_first(value: str) -> str:
    """``You, Xiaoying`` → ``Xiaoying You`` (one comma, a word or two either side)."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 2 and all(0 < len(p.split()) <= 2 for p in parts):
        return f"{parts[1]} {parts[0]}"
    return value


def _names(value: str) -> list[Name]:
    """The names ``value`` lists (``"A; B and C"``); none when it is a URL (a profile page)."""
    if _URL.match(value.strip()):
        return []
    found = (clean_name(part) for part in islice(_NAME_SPLIT.split(value), MAX_NAMES))
    return [Name(n) for n in found if n]


def _ld_entry(entry: Any, ids: dict[str, dict]) -> list[Name]:
    """The names of one JSON-LD ``author`` entry: a string (names, split), or an object (one
    name, not split: ``{"@type": "Person", "name": "Le Figaro et AFP"}``), or a reference."""
    if isinstance(entry, str):
        return _names(entry)
    if not isinstance(entry, dict):
        return []
    if "name" not in entry and isinstance(entry.get("@id"), str):
        entry = ids.get(entry["@id"], entry)
    name = _name_of(entry)
    if not name:
        parts = (entry.get("givenName"), entry.get("familyName"))
        name = " ".join(p for p in parts if isinstance(p, str))
    name = clean_name(name) if name else None
    organisation = any(kind in _ORG_TYPES for kind in _types(entry))
    return [Name(name, organisation)] if name else []


def ld_authors(objects: list[dict]) -> list[Name]:
    """The authors of the page's first JSON-LD article object that names any."""
    ids = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    for obj in objects:
        if not _is_article(obj):
            continue
        entries = obj.get("author") or obj.get("creator")
        entries = entries[:MAX_NAMES] if isinstance(entries, list) else [entries]
        found = [name for entry in entries for name in _ld_entry(entry, ids)]
        if found:
            return found
    return []


def meta_authors(tree: HtmlElement) -> list[Name]:
    """The names of the page's author meta tags, in the order of ``_AUTHOR_META``."""
    by_kind: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        kind = (meta.get("name") or meta.get("property") or "").lower()
        if kind in _AUTHOR_META and meta.get("content"):
            by_kind.setdefault(kind, []).append(meta.get("content"))
    found = []
    for kind in _AUTHOR_META:
        for value in by_kind.get(kind, ()):
            found += _names(_family_first(value) if kind in _FAMILY_FIRST else value)
    return found[:MAX_NAMES]


def people(names: list[Name], sites: list[str], *, persons_only: bool = False) -> list[str]:
    """The names to store: every person, and the organisations that are not the publisher (a
    news agency beside a reporter); the publisher (a name of the site, a company name) only
    when no person is named. ``persons_only``: the persons alone."""
    def publisher(n: Name) -> bool:
        return names_site(n.name, sites, holding=False) or bool(_LEGAL_FORM.search(n.name))

    persons = [n for n in names if not n.organisation and not publisher(n)]
    if persons_only:
        return unique(n.name for n in persons)
    if persons:
        names = [n for n in names if not publisher(n)]
    return unique(n.name for n in names)


def byline_of(tree: HtmlElement) -> str | None:
    """trafilatura's byline search (``extract_author``), its answer trimmed as
    ``trafilatura_metadata`` trims what it returns."""
    doc = Document()
    doc.author = extract_author(tree)
    doc.clean_and_trim()
    return doc.author


def page_authors(
    tree: HtmlElement, objects: list[dict], sites: list[str],
    byline: str | Callable[[], str | None] | None = None,
) -> list[str]:
    """The article's authors (see the module docstring): the first of JSON-LD, the author meta
    tags and ``byline`` (trafilatura's author: meta, JSON-LD, else its byline search; ``"A; B"``;
    a function is called only when the others name no person) that names a person, else the
    first that names anyone (the newsroom).

    trafilatura's byline search is not asked again when the others name only the newsroom: on
    such pages it finds a "Follow" button or an agency's credit as often as a reporter.
    """
    first: list[Name] = []
    for names in _author_sources(tree, objects, byline):  # read one by one, as needed
        if people(names, sites, persons_only=True):
            return people(names, sites)
        first = first or names
    return people(first, sites)


def _author_sources(
    tree: HtmlElement, objects: list[dict], byline: str | Callable[[], str | None] | None
) -> Iterator[list[Name]]:
    yield ld_authors(objects)
    yield meta_authors(tree)
    yield _names((byline() if callable(byline) else byline) or "")
