"""Discovery: where page URLs come from — sitemaps, feeds, robots.txt and page links.

Pure functions on bytes or an ``HtmlResponse``: no network, no Scrapy engine, and none of them
raises on bad input. The spider wires them to requests; everything here is testable on inline data.

Sitemaps and feeds come from strangers, so XML is read with one safe, streaming recipe:
- lxml with entities unresolved, no DTD loading and no network (an external entity never reads a
  local file; libxml2's amplification guard stops an entity bomb), ``huge_tree`` off;
- gzip bodies decompressed in chunks against a byte budget (a gzip bomb stops at the budget);
- elements handled as they close and then dropped, so a million-URL sitemap stays small in memory.

A parse that stops early (malformed XML, budget or ``max_entries`` reached) keeps what it read.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from courlan import is_not_crawlable
from courlan.filters import extension_filter
from lxml import etree
from scrapy.exceptions import NotSupported
from scrapy.http import HtmlResponse
from w3lib.html import strip_html5_whitespace

__all__ = [
    "Entry",
    "Sitemap",
    "absolute_sitemaps",
    "feed_links",
    "is_fresh",
    "is_page_url",
    "looks_like_article",
    "looks_like_listing",
    "page_links",
    "parse_feed",
    "parse_sitemap",
    "robots_sitemap_lines",
    "sitemaps_from_robots",
]


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL found in a sitemap or a feed, with what the source says about it."""

    url: str
    lastmod: datetime | None = None  # aware UTC: sitemap <lastmod>, feed <updated>
    published: datetime | None = None  # aware UTC: news:publication_date, pubDate, <published>
    title: str | None = None  # news:title, feed item title


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap.

    ``kind`` is ``"index"`` (entries are child sitemaps), ``"urlset"`` or ``"invalid"``. ``error``
    says why a sitemap is invalid; on an index or urlset it says why reading stopped early (the
    entries read until then are kept).
    """

    kind: str
    entries: list[Entry]
    error: str | None = None


# --- Safe, bounded XML reading ----------------------------------------------------------------

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024
# The sitemap protocol allows 50 MB (52,428,800 bytes) uncompressed and 50,000 URLs a file.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
_FEED_MAX_BYTES = SITEMAP_MAX_BYTES


class _Stop(Exception):
    """Reading ends here; the message says why."""


def _safe_parser(url: str) -> etree.XMLPullParser:
    """A streaming lxml parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLPullParser(
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        base_url=url or None,
    )


def _chunks(body: bytes, max_bytes: int) -> Iterator[bytes]:
    """``body`` in chunks, gunzipped when it starts with the gzip magic; ``_Stop`` past budget."""
    source = _gunzip(body) if body[:2] == _GZIP_MAGIC else _slices(body)
    total = 0
    for chunk in source:
        total += len(chunk)
        if total > max_bytes:
            raise _Stop(f"body larger than max_bytes={max_bytes}")
        yield chunk


def _slices(body: bytes) -> Iterator[bytes]:
    body = body.lstrip(b" \t\r\n")  # an XML declaration after blank lines is a syntax error
    for start in range(0, len(body), _CHUNK):
        yield body[start:start + _CHUNK]


def _gunzip(body: bytes) -> Iterator[bytes]:
    """Decompress chunk by chunk: never more than ``_CHUNK`` bytes of output at a time."""
    decomp = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    pending, first = body, True
    try:
        while not decomp.eof:
            out = decomp.decompress(pending, _CHUNK)
            if not out and len(decomp.unconsumed_tail) == len(pending):
                return  # no progress: the stream is truncated
            pending = decomp.unconsumed_tail
            if first:  # blank lines before the XML declaration are a syntax error
                out = out.lstrip(b" \t\r\n")
                first = not out
            if out:
                yield out
    except zlib.error as exc:
        raise _Stop(f"bad gzip data: {exc}") from None


def _closed(body: bytes, url: str, max_bytes: int) -> Iterator[etree._Element]:
    """Elements of ``body`` as they close, chunk by chunk; ``_Stop`` on bad XML or past budget."""
    parser = _safe_parser(url)
    try:
        for chunk in _chunks(body, max_bytes):
            parser.feed(chunk)
            yield from _drain(parser)
        parser.close()
    except etree.LxmlError as exc:
        error = f"malformed XML: {exc}"
    else:
        error = ""
    yield from _drain(parser)  # elements that closed before an error are still good
    if error:
        raise _Stop(error)


def _drain(parser: etree.XMLPullParser) -> Iterator[etree._Element]:
    for _, el in parser.read_events():
        yield el


def _local(el: etree._Element) -> str:
    """Tag name without namespace; empty for comments, entities and processing instructions."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(el: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    for child in el:
        name = _local(child)
        if name:
            yield name, child


def _text(el: etree._Element) -> str:
    """The element's text with whitespace folded; unresolved entity references are left out."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _plain(el: etree._Element) -> str | None:
    """Text of an element that must be plain (a URL, a date); None if it holds anything else."""
    return None if len(el) else (el.text or "").strip() or None


def _drop(el: etree._Element) -> None:
    """Free a handled element and its already-handled earlier siblings (bounded memory)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


_ABSOLUTE_HTTP = re.compile(r"https?://[^\s/?#@:]+(?::\d*)?(?:[/?#]|$)", re.IGNORECASE)


def _http_url(value: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL from ``value`` (joined to ``base`` when given), else None."""
    if not value:
        return None
    try:
        url = urljoin(base, value.strip()) if base else value.strip()
    except ValueError:
        return None
    return url if _ABSOLUTE_HTTP.match(url) else None


# --- Dates -------------------------------------------------------------------------------------

_W3C_DATE = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$",
    re.IGNORECASE,
)


def _parse_w3c(text: str) -> datetime | None:
    """W3C datetime (ISO 8601 profile: year to fractional seconds, Z or offset) as aware UTC.

    A time without a zone is taken as UTC.
    """
    match = _W3C_DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, frac, zone = match.groups()
    tz = _zone(zone)
    if tz is None:
        return None
    micro = int((frac or "0")[:6].ljust(6, "0"))
    stamp = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                     int(second or 0), micro, tzinfo=tz)
    return stamp.astimezone(UTC)


def _zone(zone: str | None) -> timezone | None:
    if not zone or zone.upper() == "Z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_rfc822(text: str) -> datetime | None:
    """RFC 822/2822 date (RSS pubDate) as aware UTC; a missing zone is taken as UTC."""
    stamp = parsedate_to_datetime(text)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)


def _parse_date(text: str | None) -> datetime | None:
    """A date in W3C/ISO form or RFC 822 form; None when absent or unreadable, never raises."""
    if not text:
        return None
    text = " ".join(text.split())
    for parse in (_parse_w3c, _parse_rfc822):
        try:
            stamp = parse(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if stamp is not None:
            return stamp
    return None


# --- Sitemaps ----------------------------------------------------------------------------------

_SITEMAP_KINDS = {"urlset": "urlset", "sitemapindex": "index"}


def parse_sitemap(
    body: bytes, url: str, *, max_bytes: int = SITEMAP_MAX_BYTES, max_entries: int = 50_000
) -> Sitemap:
    """Read a sitemap index or urlset (plain or gzipped; Google News fields included).

    Entries without an absolute http(s) ``<loc>`` are skipped; duplicates are kept once.
    """
    entries: list[Entry] = []
    seen: set[str] = set()
    kind = ""
    try:
        for el in _closed(body, url, max_bytes):
            if not kind:
                root = _local(el.getroottree().getroot())
                kind = _SITEMAP_KINDS.get(root, "")
                if not kind:
                    return Sitemap("invalid", [], f"not a sitemap: root element <{root}>")
            parent = el.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # the root, or an element inside an entry
            entry = _sitemap_entry(el)
            _drop(el)
            if entry is None or entry.url in seen:
                continue
            if len(entries) >= max_entries:
                return Sitemap(kind, entries, f"stopped at max_entries={max_entries}")
            seen.add(entry.url)
            entries.append(entry)
    except _Stop as stop:
        return Sitemap(kind if kind and entries else "invalid", entries, str(stop))
    if not kind:
        return Sitemap("invalid", [], "empty document")
    return Sitemap(kind, entries)


def _sitemap_entry(el: etree._Element) -> Entry | None:
    """An ``<url>`` or ``<sitemap>`` element as an Entry; None without a usable ``<loc>``."""
    if _local(el) not in ("url", "sitemap"):
        return None
    loc = lastmod = published = title = None
    for name, child in _children(el):
        if name == "loc":
            loc = _http_url(_plain(child))
        elif name == "lastmod":
            lastmod = _parse_date(_plain(child))
        elif name == "news":
            published, title = _news_fields(child)
    if loc is None:
        return None
    return Entry(loc, lastmod=lastmod, published=published, title=title)


def _news_fields(news: etree._Element) -> tuple[datetime | None, str | None]:
    """``news:publication_date`` and ``news:title`` of a Google News ``<news:news>`` element."""
    published = title = None
    for name, child in _children(news):
        if name == "publication_date":
            published = _parse_date(_plain(child))
        elif name == "title":
            title = _text(child) or None
    return published, title


_ROBOTS_SITEMAP = re.compile(r"^[ \t]*sitemap[ \t]*:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


def sitemaps_from_robots(body: bytes | str, base_url: str) -> list[str]:
    """Absolute sitemap URLs from the ``Sitemap:`` lines of a robots.txt, in order, once each."""
    return absolute_sitemaps(robots_sitemap_lines(body), base_url)


def robots_sitemap_lines(body: bytes | str) -> list[str]:
    """The values of the ``Sitemap:`` lines of a robots.txt, as written, in order."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    return _ROBOTS_SITEMAP.findall(body)


def absolute_sitemaps(lines: list[str], base_url: str) -> list[str]:
    """``Sitemap:`` values as absolute http(s) URLs (relative ones joined to ``base_url``)."""
    found: list[str] = []
    for raw in lines:
        url = _http_url(urldefrag(raw)[0], base_url)
        if url and url not in found:
            found.append(url)
    return found


# --- Feeds -------------------------------------------------------------------------------------

_FEED_ROOTS = frozenset({"rss", "RDF", "feed"})
_FEED_ITEMS = frozenset({"item", "entry"})


def parse_feed(
    body: bytes, url: str, *, max_entries: int = 5_000, max_bytes: int = _FEED_MAX_BYTES
) -> list[Entry] | None:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed; None if ``body`` is not a readable feed.

    Links are made absolute against ``xml:base`` and the feed URL; bad dates become None.
    """
    entries: list[Entry] = []
    seen: set[str] = set()
    root = ""
    try:
        for el in _closed(body, url, max_bytes):
            if not root:
                root = _local(el.getroottree().getroot())
                if root not in _FEED_ROOTS:
                    return None
            if _local(el) not in _FEED_ITEMS:
                if _outside_items(el):
                    _drop(el)  # channel metadata: not needed, and must not pile up
                continue
            entry = _feed_entry(el)
            _drop(el)
            if entry is not None and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
                if len(entries) >= max_entries:
                    break
    except _Stop:
        return entries or None
    return entries if root else None


def _outside_items(el: etree._Element) -> bool:
    """A child of the feed's root or of an RSS ``<channel>`` (not the channel itself)."""
    parent = el.getparent()
    if parent is None or _local(el) == "channel":
        return False
    grandparent = parent.getparent()
    return grandparent is None or (_local(parent) == "channel" and grandparent.getparent() is None)


def _feed_entry(item: etree._Element) -> Entry | None:
    """An RSS ``<item>`` or Atom ``<entry>`` as an Entry; None without a usable link."""
    fields: dict[str, str | None] = {}
    links: list[str | None] = []
    for name, child in _children(item):
        if name == "link":
            links.append(_item_link(child))
        elif name in _FEED_DATE_FIELDS or name == "title":
            fields.setdefault(name, _text(child))
        elif name in ("origLink", "id") or (
            name == "guid" and child.get("isPermaLink") != "false"
        ):
            fields.setdefault(name, _http_url(_plain(child), child.base))
    about = _http_url(item.get(_RDF_ABOUT), item.base)
    candidates = [fields.get("origLink"), *links, fields.get("guid"), about, fields.get("id")]
    url = next((c for c in candidates if c), None)
    if url is None:
        return None
    return Entry(
        url,
        lastmod=_first_date(fields, ("updated", "modified")),
        published=_first_date(fields, ("pubDate", "published", "issued", "date")),
        title=fields.get("title") or None,
    )


_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_FEED_DATE_FIELDS = frozenset({"updated", "modified", "pubDate", "published", "issued", "date"})


def _item_link(link: etree._Element) -> str | None:
    """RSS ``<link>URL</link>`` or an Atom ``<link href>`` that points at the item's page."""
    href = link.get("href")
    if href is None:
        return _http_url(_plain(link), link.base)
    rel = (link.get("rel") or "alternate").strip().lower()
    kind = (link.get("type") or "text/html").lower()
    if rel != "alternate" or "html" not in kind:
        return None
    return _http_url(href, link.base)


def _first_date(fields: dict[str, str | None], names: tuple[str, ...]) -> datetime | None:
    for name in names:
        stamp = _parse_date(fields.get(name))
        if stamp is not None:
            return stamp
    return None


# --- Links in HTML pages -----------------------------------------------------------------------

_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/x-rss+xml", "application/x-atom+xml",
})
_COMMENT_FEED = re.compile(r"/comments?/(?:feed|rss)|[?&]feed=comments", re.IGNORECASE)


def feed_links(response: HtmlResponse) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="…rss/atom…">``, absolute.

    Comment feeds (WordPress ``/comments/feed``) are left out: they list comments, not articles.
    """
    def wanted(node: etree._Element) -> str | None:
        rel = (node.get("rel") or "").lower().split()
        kind = (node.get("type") or "").split(";")[0].strip().lower()
        href = node.get("href") or ""
        if "alternate" not in rel or kind not in _FEED_TYPES or _COMMENT_FEED.search(href):
            return None
        return href
    return _links(response, "//link[@href]", wanted)


def page_links(response: HtmlResponse) -> list[str]:
    """Every ``<a href>`` of a page as an absolute http(s) URL, without fragment, once each."""
    try:  # lxml's own strings, not a parsel Selector per link
        root = response.selector.root
        hrefs = root.xpath("//a/@href", smart_strings=False) if root is not None else []
    except (NotSupported, AttributeError, ValueError, TypeError, etree.XPathError):
        return []  # not a text response, or not a tree
    return _absolute(response, hrefs)


def _links(
    response: HtmlResponse, xpath: str, pick: Callable[[etree._Element], str | None]
) -> list[str]:
    """Absolute http(s) URLs (fragment dropped, in order, once each) of the nodes ``pick`` keeps."""
    try:  # lxml's elements, not a parsel Selector each
        root = response.selector.root
        nodes = root.xpath(xpath) if root is not None else []
    except (NotSupported, AttributeError, ValueError, TypeError, etree.XPathError):
        return []  # not a text response, or not a tree
    return _absolute(response, [pick(node) for node in nodes])


def _absolute(response: HtmlResponse, hrefs: list[str | None]) -> list[str]:
    """``hrefs`` made absolute against the page (its ``<base>``), http(s) only, fragment
    dropped, in order, once each."""
    try:
        base = response.urljoin("")  # the page's URL, or its <base href>, read once
        parts = urlsplit(base)
    except ValueError:
        return []
    origin = f"{parts.scheme}://{parts.netloc}"
    found: dict[str, None] = {}
    for href in dict.fromkeys(hrefs):  # a page names many links more than once
        if not href:
            continue
        href = strip_html5_whitespace(href)
        try:
            if href.startswith(("http://", "https://")):
                url = href  # most links: absolute already (checked below)
            elif href.startswith("/") and not href.startswith("//"):
                url = origin + href  # site-relative: no full join needed
            else:
                url = urljoin(base, href)
            url = _http_url(url.partition("#")[0])
        except ValueError:
            continue
        if url:
            found.setdefault(url, None)
    return list(found)


# --- URL heuristics ----------------------------------------------------------------------------
# A URL's shape is a hint, never a verdict: the spider uses these to bound the work (which links
# are pages at all) and to order it (article-like URLs first); what a fetched page is, its content
# decides (``pipelines/pagekind.py``, ``pipelines/extract.py``).
# Path vocabulary by concept (English, with common German, French, Spanish, Italian spellings).

# Pages for readers' accounts, the business and the legal side: neither articles nor listings.
_UTILITY_SEGMENTS = frozenset({
    "login", "logout", "signin", "sign-in", "signup", "sign-up", "register", "registration",
    "account", "my-account", "profile", "user", "users", "password", "anmelden", "connexion",
    "subscribe", "subscription", "subscriptions", "subscriber", "newsletter", "newsletters",
    "abo", "abonnement", "abonnieren", "suscripcion", "donate", "membership", "shop", "store",
    "cart", "checkout", "search", "suche", "recherche", "buscar", "cerca", "contact",
    "contact-us", "kontakt", "about", "about-us", "impressum", "imprint", "privacy",
    "privacy-policy", "datenschutz", "terms", "terms-of-service", "terms-of-use", "cookies",
    "cookie-policy", "legal", "advertise", "advertising", "careers", "jobs", "help", "faq",
    "feed", "feeds", "rss", "atom", "sitemap", "wp-admin", "wp-login", "wp-json", "wp-content",
    "cdn-cgi", "print", "share", "redirect",
})
# Segments that introduce a listing: taxonomy, people, archives, pagination.
_LISTING_SEGMENTS = frozenset({
    "tag", "tags", "topic", "topics", "category", "categories", "categorie", "kategorie",
    "rubrique", "rubrik", "thema", "themen", "tema", "section", "sections", "series",
    "label", "labels", "schlagwort", "author", "authors", "autor", "auteur", "autore",
    "archive", "archives", "archiv", "page", "seite", "pagina", "pages",
})
# Query parameters: a search, pagination, an article id.
_SEARCH_PARAMS = frozenset({"q", "s", "query", "search", "keyword", "keywords", "term"})
_PAGE_PARAMS = frozenset({"page", "pg", "paged", "seite", "pagina", "offset", "start"})
_ID_PARAMS = frozenset({"id", "p", "story", "storyid", "article", "articleid", "aid", "post"})
# Last segments that name the front page of a folder.
_INDEX_NAMES = frozenset({"index", "default", "home", "main", "start", "front"})
# Extensions courlan lets through that are still not article pages.
_NOT_PAGE_EXTENSIONS = (".xml", ".txt", ".rss", ".atom", ".json")
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.IGNORECASE)

_DATE_PATH = re.compile(
    r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])(?:/(?:0?[1-9]|[12]\d|3[01]))?/"
    r"|(?:19|20)\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])"
)
_LONG_NUMBER = re.compile(r"\d{5,}")
_WORD_SPLIT = re.compile(r"[-_+]+")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


@dataclass(frozen=True)
class _Path:
    """The parts of a URL the heuristics look at (lower-case, extension stripped)."""

    segments: tuple[str, ...]
    last: str
    extension: bool
    params: frozenset[str]
    id_param: bool


@lru_cache(maxsize=16_384)  # pure; a site's menus name the same URLs on every page
def _split(url: str) -> _Path | None:
    """The path parts of an http(s) page URL; None for non-web URLs, files and utility pages."""
    try:
        parts = urlsplit(url.strip())
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return None
    path = parts.path.lower()
    if (parts.scheme not in ("http", "https") or not parts.hostname
            or not extension_filter(path) or path.endswith(_NOT_PAGE_EXTENSIONS)
            or is_not_crawlable(url)):
        return None
    segments = tuple(s for s in path.split("/") if s)
    last = _PAGE_EXTENSION.sub("", segments[-1]) if segments else ""
    params = frozenset(k.lower() for k, _ in query)
    if (params & _SEARCH_PARAMS or _UTILITY_SEGMENTS.intersection(segments)
            or last in _UTILITY_SEGMENTS):
        return None
    id_param = any(k.lower() in _ID_PARAMS and v.isdigit() for k, v in query)
    has_ext = bool(segments) and last != segments[-1]
    return _Path(segments, last, has_ext, params, id_param)


def _is_slug(last: str) -> bool:
    """A headline-like slug: several words, long enough to be a title."""
    words = [w for w in _WORD_SPLIT.split(last) if w and not w.isdigit()]
    return len(words) >= 5 or (len(words) >= 3 and len(last) >= 20)


def _has_id(last: str) -> bool:
    """A numeric article id: a run of 5+ digits, or a bare 4-digit number that is not a year."""
    return bool(_LONG_NUMBER.search(last)) or (
        last.isdigit() and len(last) == 4 and not _YEAR.match(last)
    )


def _is_taxonomy(path: _Path) -> bool:
    """A tag/author/category/archive/page segment among the last two segments."""
    return bool(_LISTING_SEGMENTS.intersection(path.segments[-2:]))


@lru_cache(maxsize=16_384)  # a site's menus name the same URLs on every page
def is_page_url(url: str) -> bool:
    """Whether a link may lead to a web page worth reading: http(s), not a file, a feed, a
    search or a utility page (login, subscribe, contact...). Says nothing of what the page is."""
    return _split(url) is not None


def looks_like_article(url: str) -> bool:
    """Whether the URL looks like a single article rather than a listing, utility page or file.

    Signs of an article: a date in the path followed by a slug, a headline-like slug, a numeric
    id, a page extension on a named page, or an id query parameter.
    """
    path = _split(url)
    if path is None or _is_taxonomy(path) or path.params & _PAGE_PARAMS:
        return False
    last = path.last
    if path.id_param:
        return True
    if not last or last in _INDEX_NAMES:
        return False
    if _is_slug(last) or _has_id(last):
        return True
    if not any(c.isalpha() for c in last):
        return False
    if _DATE_PATH.search("/" + "/".join(path.segments) + "/"):
        return True  # a dated path ending in a name: /2026/11/25/flood, /news/20261125-flood
    return path.extension and (len(last) >= 12 or "-" in last or "_" in last)


_SECTION_SEGMENT = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


def looks_like_listing(url: str) -> bool:
    """Whether the URL looks like a page that lists articles: a front or section page, a
    category, tag, author or date archive, or a numbered page of one of those.

    Search results and utility pages are not listings (their link space has no end or no news).
    """
    path = _split(url)
    if path is None or looks_like_article(url):
        return False
    segments = path.segments
    if not segments or path.last in _INDEX_NAMES or path.params & _PAGE_PARAMS:
        return True
    if _is_taxonomy(path) or _LISTING_SEGMENTS.intersection(segments):
        return True
    if path.last.isdigit() and _DATE_PATH.search("/" + "/".join(segments) + "/"):
        return True  # a date archive: /2026/11/, /news/2026/11/25/
    if _YEAR.match(path.last):
        return True  # a year archive: /2026/, /news/2026
    return len(segments) <= 3 and all(_SECTION_SEGMENT.match(s) for s in segments)


# --- Freshness ---------------------------------------------------------------------------------

def is_fresh(entry: Entry, max_age_days: float | None, now: datetime) -> bool:
    """Whether ``entry`` is inside the ``max_age_days`` window before ``now``.

    Uses ``published``, else ``lastmod``; an entry of unknown date, or no window, counts as fresh.
    Naive datetimes are taken as UTC.
    """
    stamp = entry.published or entry.lastmod
    if max_age_days is None or stamp is None:
        return True
    try:
        window = timedelta(days=max_age_days)
        return _aware(stamp) >= _aware(now) - window
    except (OverflowError, ValueError, TypeError):
        return True


def _aware(stamp: datetime) -> datetime:
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp
