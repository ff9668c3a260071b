"""What a fetched page is when it is not an article: a listing, a wall, or just not an article.

Pure functions on a parsed page (``parse_html``'s tree), run in the extraction worker:

- ``measure(tree)`` reads the page's visible words once: how many, how many of them are the
  text of links, the ``<title>``, and the text of a short page (for the wall check);
- ``is_thin`` says a page cannot hold an article (too few words outside links), so the worker
  skips trafilatura on it: the cheap path for front and section pages;
- ``kind_of`` names a page that holds no article: ``blocked`` (a bot challenge, consent or login
  wall served with status 200: a short page that says so), ``listing`` (mostly links: a front,
  section or tag page), else ``None`` (the pipeline records ``not_article``);
- ``error_page_wall`` reads the same walls on a short 401/403/429/503 error page (the spider,
  which records those, imports this module only when it needs it).

A wall is recognised by evidence, not by a word: one of the phrases below, on a page of at most
``WALL_MAX_WORDS`` words, and only when the page holds no article. A long article that mentions
JavaScript, or "just a moment", is an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

LISTING_LINK_SHARE = 0.5  # at least this share of a page's words in links: a list of links
WALL_MAX_WORDS = 300  # a wall page is short; longer pages are never taken for one

# Phrases of walls served with status 200, by kind (English; lower case, spacing folded).
WALL_PHRASES: dict[str, tuple[str, ...]] = {
    "bot challenge": (
        "just a moment...",
        "enable javascript and cookies to continue",
        "checking your browser before accessing",
        "checking if the site connection is secure",
        "verify you are a human",
        "verify that you are a human",
        "verifying you are human",
        "please complete the security check",
        "attention required! | cloudflare",
        "are you a robot",
        "press & hold to confirm you are",
        "pardon our interruption",
        "access to this page has been denied",
        "ddos protection by",
    ),
    "consent wall": (
        "before you continue to",
        "we need your consent to continue",
        "accept cookies to continue",
        "to continue, please accept",
    ),
    "login wall": (
        "log in to continue",
        "sign in to continue",
        "please log in to view",
        "please sign in to view",
        "you must be logged in to",
    ),
}
_WALL = re.compile(
    "|".join(re.escape(p) for phrases in WALL_PHRASES.values() for p in phrases)
)
_KIND_OF_PHRASE = {p: kind for kind, phrases in WALL_PHRASES.items() for p in phrases}
_WORD = re.compile(r"\w+")
_HIDDEN = frozenset({"script", "style", "template", "svg", "head"})


@dataclass(frozen=True, slots=True)
class PageText:
    """What ``measure`` read of a page."""

    words: int  # words of the page as a reader sees it (scripts, styles and the head left out)
    link_words: int  # ... of them inside ``<a>``
    links: int  # ``<a href>`` elements
    title: str  # the ``<title>``, spacing folded
    short_text: str  # the visible text, lower case, when the page is short; else ""

    @property
    def link_share(self) -> float:
        return self.link_words / self.words if self.words else 0.0


def measure(tree: etree._Element) -> PageText:
    """Count the visible words of a page and those inside links, in one walk."""
    words = link_words = links = 0
    in_link = hidden = 0
    texts: list[str] = []
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _HIDDEN:
                hidden += 1
            elif tag == "a":
                in_link += 1
                links += el.get("href") is not None
            text = el.text if tag and not hidden else None
        else:
            if tag in _HIDDEN:
                hidden -= 1
            elif tag == "a":
                in_link -= 1
            text = el.tail if not hidden else None
        if text:
            count = len(_WORD.findall(text))
            words += count
            link_words += count if in_link else 0
            if words <= WALL_MAX_WORDS:
                texts.append(text)
    title = " ".join((tree.findtext(".//title") or "").split())
    short = " ".join(" ".join(texts).split()).lower() if words <= WALL_MAX_WORDS else ""
    return PageText(words, link_words, links, title, short)


def is_thin(page: PageText, min_words: int) -> bool:
    """Too few words outside links for any article: ``article_of`` would find none.

    An article needs ``min_words`` words of which at most half are link text; a quarter of
    ``min_words`` outside links leaves a wide margin for how trafilatura counts.
    """
    return page.words - page.link_words < min_words / 4


def wall(page: PageText) -> str | None:
    """``"bot challenge: <phrase>"`` (or consent / login wall) for a short wall page, else None."""
    if page.words > WALL_MAX_WORDS:
        return None
    return wall_phrase(page.title.lower() + "\n" + page.short_text)


def wall_phrase(text: str, skip: frozenset[str] = frozenset()) -> str | None:
    """``"<kind>: <phrase>"`` for the first wall phrase in lower-case ``text`` (but ``skip``),
    else None."""
    for found in _WALL.finditer(" ".join(text.split())):
        if found.group() not in skip:
            return f"{_KIND_OF_PHRASE[found.group()]}: {found.group()!r}"
    return None


WALL_STATUSES = frozenset({401, 403, 429, 503})  # where challenges are served as errors, too
_ERROR_PAGE_MAX = 256 * 1024
# A maintenance page may say it is back "in just a moment..."; a challenge says more than that.
_ERROR_PAGE_SKIP = frozenset({"just a moment..."})


def error_page_wall(status: int, body: bytes) -> str | None:
    """The wall an HTTP error page (401, 403, 429, 503) shows, read from its raw bytes (tags
    and all: a challenge page is short, and its phrases stand in its markup as written)."""
    if status not in WALL_STATUSES or len(body) > _ERROR_PAGE_MAX:
        return None
    return wall_phrase(body.decode("utf-8", errors="replace").lower(), _ERROR_PAGE_SKIP)


def kind_of(page: PageText | None) -> tuple[str, str] | None:
    """``(reason, detail)`` for a page that holds no article: ``blocked`` or ``listing``;
    ``None`` when it is neither (``not_article``)."""
    if page is None:
        return None
    why = wall(page)
    if why is not None:
        return "blocked", why
    if page.words and page.link_share >= LISTING_LINK_SHARE:
        return "listing", f"{page.link_share:.0%} of its words in links"
    return None


def reject_of(found: dict | None, links: int) -> tuple[str, str]:
    """``(reason, detail)`` of the reject for a page the worker found no article in; ``links``
    is how many links to its site's pages the spider read on it (-1: not read, the worker's
    count of the page's links stands in)."""
    if found is None:
        return "not_article", "no article text found"
    if found["kind"] == "listing":
        count = links if links >= 0 else found.get("links", 0)
        return "listing", f"{count} links ({found['detail']})"
    return found["kind"], found["detail"]
