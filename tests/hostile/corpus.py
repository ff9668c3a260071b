"""The hostile corpus: bad inputs, how each is served, and the outcome each must have.

Three sites and one stranger, all on loopback:

- ``hostile`` (127.0.0.1): broken and lying pages, bad encodings, wrong content types, transport
  tricks, bombs, redirect games, bad sitemaps and feeds, pages that stall extraction; good articles
  in between. Its sitemap index lists every article case.
- ``trap`` (127.0.0.1): an endless calendar and an endless pagination, session ids in links.
- ``flood`` (127.0.0.1): a gzipped sitemap of a million URLs.
- the stranger (127.0.0.2, in no sites file): links, sitemap entries, feeds and redirects point
  at it; it must never see a request.

Each ``Case`` says what must become of its URL: ``"article"`` (with strings the text must and must
not hold), a reject reason (``"too_large"``, ``"blocked_address"``, ...), or ``"never"`` (never
requested, nothing recorded).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from functools import cache

from hostile.server import (
    Route,
    body,
    brotli_bomb,
    cut_chunked,
    drip,
    gzip_bomb,
    lying_length,
    redirect,
    silent,
    stream,
)

NEWS = "/news/2026/11/"
MB = 1_000_000
BOMB_UNPACKED = 200 * MB  # a bomb unpacks to 20x DOWNLOAD_MAXSIZE
SENTENCE = (
    "The harbor council met on Tuesday to weigh the cost of the new sea wall, the dredging of the "
    "channel and the upkeep of the old lighthouse over the coming decade."
)
FRENCH = (
    "Le café de la rue Saint-Honoré a rouvert ses portes après l'été ; « déjà complet », "
    "disent les habitués, qui saluent le travail de l'équipe et la qualité du pâté maison."
)
JAPANESE = (
    "東京湾 の 新しい 防波堤 の 工事 が 始まり ました 。"
    " 市議会 は 火曜日 に 費用 を 検討 しました 。"
)
FRENCH_MARKS = ("café", "Saint-Honoré", "« déjà complet »", "pâté")
MOJIBAKE = ("\ufffd", "Ã", "Â")


@dataclass(frozen=True)
class Case:
    """One bad (or good) input and the one outcome its URL must have."""

    name: str
    route: Route | None  # None: served elsewhere (the stranger), or nowhere
    expect: str  # "article", "never", a reject reason, or "aux" (a helper with no outcome)
    contains: tuple[str, ...] = ()  # the article text holds these
    absent: tuple[str, ...] = ()  # ...and none of these
    path: str = ""  # where it is served; default NEWS + name + ".html"
    row_url: str = ""  # the URL its row carries when it is not the served one (redirects)
    listed: bool = True  # in the site's article sitemap

    @property
    def where(self) -> str:
        return self.path or f"{NEWS}{self.name}.html"


@dataclass
class Site:
    """A served site: its routes, its ``[[sites]]`` entry and its cases."""

    name: str
    routes: dict[str, Route] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    toml: str = ""


# --------------------------------------------------------------------------- page builders


def paragraphs(name: str, sentence: str = SENTENCE, count: int = 6) -> str:
    return "".join(f"<p>{sentence} Part {i} of the {name} story.</p>\n" for i in range(count))


def page(name: str, inner: str = "", head: str = "", lang: str = "en") -> str:
    """A plain article page; ``name`` makes its text unique (dedup compares texts)."""
    inner = inner or paragraphs(name)
    return (
        f'<!doctype html><html lang="{lang}"><head>{head}<title>Story {name}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Story {name}</h1>\n{inner}"
        "</article><footer>Harbor Times</footer></body></html>"
    )


def good(name: str) -> Case:
    return Case(name, body(page(name).encode()), "article", contains=(f"the {name} story",))


def _french(name: str, meta: str = "") -> str:
    return page(name, paragraphs(name, FRENCH), head=meta, lang="fr")


def _encoded(name: str, data: bytes, content_type: str, marks=FRENCH_MARKS) -> Case:
    return Case(name, body(data, content_type), "article", contains=marks, absent=MOJIBAKE)


@cache
def _bombs() -> tuple[bytes, bytes]:
    return gzip_bomb(BOMB_UNPACKED), brotli_bomb(BOMB_UNPACKED)


def _big_page(total: int) -> list[bytes]:
    """A ``total``-byte page in 1 MB chunks (the same chunk again and again: cheap to hold)."""
    head = page("big-page").encode()
    filler = b"<p>" + b"x" * (MB - 8) + b"</p>\n"
    return [head, *[filler] * (total // MB)]


# --------------------------------------------------------------------------- the hostile site


def hostile_site(base: str, stranger: str) -> Site:
    """The ``hostile`` site on ``base``; ``stranger`` is the base URL of the 127.0.0.2 server."""
    site = Site("hostile")
    gz_bomb, br_bomb = _bombs()
    whole = page("cut-short").encode()
    short = page("length-short").encode()
    deep = "<div>" * 100_000
    # trafilatura's own ``//p//text()`` is quadratic in the text runs of one paragraph: 3 s for
    # 10,000 pairs here, minutes for 40,000 (a small page: 0.6 MB, little memory): killed.
    slow = "<p>" + "<b>a</b><i>b</i>" * 40_000 + "</p>"
    hops = [f"/hop/{i}" for i in range(1, 31)]
    site.cases = [
        # ---- markup
        good("plain-good-one"),
        good("plain-good-two"),
        Case("unclosed-title", body(  # the title swallows the page, as in a browser
            b"<html><head><title>Story unclosed</head><body><article>"
            + paragraphs("unclosed").encode()), "not_article"),
        Case("malformed", body(
            b"<html><head><title>Story malformed</title></head><body><article><h1>Story malformed"
            b"<div><p>" + paragraphs("malformed").replace("</p>", "<b><i></p></b>").encode()
            + b"</span></div></table></article></htm"), "article",
            contains=("the malformed story",)),
        Case("truncated", body(page("truncated").encode()[:-60] + b'<p class="x'),
             "article", contains=("the truncated story",)),
        Case("empty", body(b""), "not_article"),
        Case("whitespace", body(b" \n\t\r\n " * 1000), "not_article"),
        Case("scripts-only", body(
            b"<html><head><script>var a = 1;</script></head><body>"
            + b"<script>document.write('x');</script>" * 200 + b"</body></html>"), "not_article"),
        Case("frameset", body(
            b"<html><frameset cols='50%,50%'><frame src='/a.html'><frame src='/b.html'>"
            b"<noframes>No frames.</noframes></frameset></html>"), "not_article"),
        Case("deep-nesting", body(f"<html><body>{deep}{paragraphs('deep')}</body></html>"
                                  .encode()), "not_article"),
        Case("deep-after-article", body(page("deep-after", paragraphs("deep-after") + deep)
                                        .encode()), "article",
             contains=("the deep-after story",)),
        Case("nul-bytes", body(page("nul-bytes").replace("council", "coun\0cil").encode()),
             "article", contains=("the nul-bytes story",), absent=("\0",)),
        Case("one-line-10mb", body(page("one-line", paragraphs("one-line").replace("\n", "")
                                        + "<script>" + "var a=1;" * 1_240_000 + "</script>")
                                   .replace("\n", "").encode()),
             "article", contains=("the one-line story",), absent=("var a=1",)),
        Case("fifty-mb-declared", stream(lambda: _big_page(50 * MB),
                                         length=sum(map(len, _big_page(50 * MB)))), "too_large"),
        Case("fifty-mb-undeclared", stream(lambda: _big_page(50 * MB)), "too_large"),
        # ---- encodings: the text must come out as the right Unicode
        _encoded("cp1252-declared-utf8", _french("cp1252-declared-utf8").encode("cp1252"),
                 "text/html; charset=utf-8"),
        _encoded("cp1252-undeclared", _french("cp1252-undeclared").encode("cp1252"),
                 "text/html"),
        _encoded("utf8-declared-latin1", _french("utf8-declared-latin1").encode(),
                 "text/html; charset=iso-8859-1"),
        _encoded("utf8-meta-latin1", _french(
            "utf8-meta-latin1", '<meta charset="iso-8859-1">').encode(), "text/html"),
        _encoded("sjis-undeclared", page("sjis-undeclared", paragraphs(
            "sjis-undeclared", JAPANESE)).encode("shift_jis"), "text/html",
            marks=("東京湾", "防波堤", "市議会")),
        _encoded("bom-utf8-header-latin1", b"\xef\xbb\xbf" + _french("bom-utf8").encode(),
                 "text/html; charset=iso-8859-1"),
        _encoded("bom-utf16-header-utf8", _french("bom-utf16").encode("utf-16"),
                 "text/html; charset=utf-8"),
        Case("invalid-utf8", body(_french("invalid-utf8").encode().replace(
            b"Part 2", b"Part \xff\xfe2")), "article", contains=(*FRENCH_MARKS, "Part \ufffd")),
        # ---- content types
        Case("pdf-as-html", body(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
             "non_html"),
        Case("png-as-html", body(b"\x89PNG\r\n\x1a\n" + b"\0" * 400), "non_html"),
        Case("zip-as-html", body(b"PK\x03\x04" + b"\0" * 400), "non_html"),
        Case("json-as-html", body(json.dumps(
            {"id": 7, "title": "Story json", "body": paragraphs("json")}).encode()), "non_html"),
        Case("html-as-octet-stream", body(page("octet").encode(), "application/octet-stream"),
             "article", contains=("the octet story",)),
        # ---- transport
        Case("gzip-bomb", body(gz_bomb, Content_Encoding="gzip"), "too_large"),
        Case("brotli-bomb", body(br_bomb, Content_Encoding="br"), "too_large"),
        Case("length-too-long", lying_length(whole, len(whole) + 5000), "download_error"),
        Case("length-too-short", lying_length(short, len(short) // 2), "article",
             contains=("Part 1 of the length-short story",), absent=("Part 5",)),
        good("after-short-length"),
        Case("cut-mid-body", cut_chunked(whole, len(whole) // 2), "download_error"),
        Case("one-byte-a-second", drip(page("drip").encode()), "download_error"),
        Case("never-answers", silent, "download_error"),
        # ---- redirects
        Case("redirect-loop", redirect(f"{NEWS}redirect-loop-b.html"), "redirect_loop",
             row_url=f"{base}{NEWS}redirect-loop-b.html"),
        Case("redirect-loop-b", redirect(f"{NEWS}redirect-loop.html"), "aux", listed=False),
        Case("redirect-chain-30", redirect(hops[0]), "too_many_redirects",
             row_url=f"{base}{hops[9]}"),  # REDIRECT_MAX_TIMES = 10: the 10th hop fails
        Case("redirect-ftp", redirect("ftp://127.0.0.1/pub/story.html"), "blocked_address"),
        Case("redirect-file", redirect("file:///etc/passwd", 301), "blocked_address"),
        Case("redirect-stranger", redirect(f"{stranger}{NEWS}secret.html"), "blocked_address"),
        Case("redirect-good", redirect(f"{NEWS}redirect-target.html", 301), "article",
             contains=("the redirect-target story",),
             row_url=f"{base}{NEWS}redirect-target.html"),
        # ---- extraction that never ends: killed at EXTRACT_TIMEOUT, the pool carries on
        Case("slow-extraction-1", body(page("slow-1", slow).encode()), "extract_timeout"),
        Case("slow-extraction-2", body(page("slow-2", slow).encode()), "extract_timeout"),
        good("after-slow-extraction"),
    ]
    site.cases += [Case(f"hop-{i}", redirect(hops[i] if i < 30 else f"{NEWS}hop-end.html"),
                        "aux", path=hops[i - 1], listed=False) for i in range(1, 31)]
    site.cases.append(Case("redirect-target", body(page("redirect-target").encode()), "aux",
                           listed=False))
    site.cases += _discovery_cases(base, stranger)
    site.routes.update((c.where, c.route) for c in site.cases if c.route is not None)
    site.routes.update(_discovery_routes(site, base, stranger))
    site.toml = (
        f'[[sites]]\nname = "hostile"\nstart_urls = ["{base}/"]\n'
        f'sitemaps = ["{base}/sitemap.xml"]\nfeeds = ["{base}/feed.rss"]\n'
        "max_age_days = 3650\nmax_pages = 200\nfollow_depth = 1\n"
    )
    return site


def _discovery_cases(base: str, stranger: str) -> list[Case]:
    """Sitemaps, feeds and links: where URLs come from, and which must never be requested."""
    return [
        Case("sitemap-malformed", body(b"<urlset><url><loc><<>>&&</url>", "application/xml"),
             "bad_sitemap", path="/sitemap-malformed.xml", listed=False),
        Case("sitemap-entity-bomb", body(_ENTITY_BOMB, "application/xml"), "bad_sitemap",
             path="/sitemap-bomb.xml", listed=False),
        Case("from-partial-sitemap", body(page("from-partial").encode()), "article",
             contains=("the from-partial story",), listed=False),
        Case("from-xxe-sitemap", body(page("from-xxe").encode()), "article",
             contains=("the from-xxe story",), absent=("root:",), listed=False),
        Case("stranger-sitemap", None, "blocked_address",
             row_url=f"{stranger}/sitemap.xml", listed=False),
        Case("stranger-robots-sitemap", None, "blocked_address",
             row_url=f"{stranger}/robots-sitemap.xml", listed=False),
        Case("stranger-feed", None, "blocked_address", row_url=f"{stranger}/feed.rss",
             listed=False),
        Case("feed-bad-date-1", body(page("bad-date-1").encode()), "article",
             contains=("the bad-date-1 story",), listed=False),
        Case("feed-bad-date-2", body(page("bad-date-2").encode()), "article",
             contains=("the bad-date-2 story",), listed=False),
        Case("feed-bad-date-3", body(page("bad-date-3").encode()), "article",
             contains=("the bad-date-3 story",), listed=False),
        Case("feed-too-old", body(page("too-old").encode()), "never", listed=False),
        Case("linked-stranger", None, "never",
             row_url=f"{stranger}{NEWS}linked-from-the-front-page.html", listed=False),
    ]


_ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>http://x/&lol9;</loc></url></urlset>"
)


def _urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>').encode()


def _discovery_routes(site: Site, base: str, stranger: str) -> dict[str, Route]:
    listed = [f"{base}{c.where}" for c in site.cases if c.listed and c.route is not None]
    children = ["/sitemap-articles.xml", "/sitemap.xml", "/sitemap-malformed.xml",
                "/sitemap-bomb.xml", "/sitemap-xxe.xml", "/sitemap-partial.xml"]
    index = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    index += f"<sitemap><loc>{stranger}/sitemap.xml</loc></sitemap>"
    xxe = (b'<?xml version="1.0"?>\n<!DOCTYPE u [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>" + base.encode() + b"/&xxe;</loc></url>"
           b"<url><loc>&xxe;</loc></url>"
           b"<url><loc>" + f"{base}{NEWS}from-xxe-sitemap.html".encode() + b"</loc></url>"
           b"</urlset>")
    partial = _urlset([f"{base}{NEWS}from-partial-sitemap.html", f"{base}{NEWS}never.html"])
    partial = partial[:partial.rindex(b"never")]  # cut inside the second entry
    bad_dates = ["yesterday", "2026-02-30T25:61:00Z", "Mon, 32 Foo 2026 99:99:99 +9999"]
    items = "".join(
        f"<item><title>Bad date {i}</title><link>{base}{NEWS}feed-bad-date-{i}.html</link>"
        f"<pubDate>{d}</pubDate></item>" for i, d in enumerate(bad_dates, 1)
    )
    items += (f"<item><title>Old</title><link>{base}{NEWS}feed-too-old.html</link>"
              "<pubDate>Fri, 01 Jan 1999 00:00:00 GMT</pubDate></item>")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel>'
    feed += "</rss>"
    front = (
        f'<html><head><title>Hostile front</title><link rel="alternate" '
        f'type="application/rss+xml" href="{stranger}/feed.rss"></head><body>'
        f'<a href="{stranger}{NEWS}linked-from-the-front-page.html">A private story</a>'
        f'<a href="{NEWS}plain-good-one.html">One</a></body></html>'
    )
    robots = (f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"
              f"Sitemap: {stranger}/robots-sitemap.xml\n")
    return {
        "/": body(front.encode()),
        "/robots.txt": body(robots.encode(), "text/plain"),
        "/sitemap.xml": body(
            (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9">{index}</sitemapindex>').encode(), "application/xml"),
        "/sitemap-articles.xml": body(_urlset(listed), "application/xml"),
        "/sitemap-xxe.xml": body(xxe, "application/xml"),
        "/sitemap-partial.xml": body(partial, "application/xml"),
        "/feed.rss": body(feed.encode(), "application/rss+xml"),
    }


# --------------------------------------------------------------------------- the trap site

TRAP_MAX_PAGES = 12
TRAP_DEPTH = 2
_SESSION_LINKS = (
    f"{NEWS}session-story-of-the-day.html;jsessionid=0A1B2C3D4E",
    f"{NEWS}session-story-of-the-day.html?PHPSESSID=deadbeef",
    f"{NEWS}session-story-of-the-day.html?sid=42",
    f"{NEWS}session-story-of-the-day.html",
)
_CALENDAR = re.compile(r"^/calendar/(\d+)/(\d+)/$")
_PAGINATION = re.compile(r"^/section/world/page/(\d+)/$")


def trap_site(base: str) -> Site:
    """Endless link spaces: every calendar month and every page links to the next and to ten
    new articles. Bounded by ``follow_depth`` (listings) and ``max_pages`` (articles)."""
    site = Site("trap")
    site.toml = (f'[[sites]]\nname = "trap"\nstart_urls = ["{base}/"]\n'
                 f"max_pages = {TRAP_MAX_PAGES}\nfollow_depth = {TRAP_DEPTH}\n")
    links = "".join(f'<a href="{u}">session story</a>' for u in _SESSION_LINKS)
    front = (f'<html><body><a href="/calendar/2026/11/">Calendar</a>'
             f'<a href="/section/world/page/1/">World</a>{links}</body></html>')
    site.routes["/"] = body(front.encode())
    site.routes["/robots.txt"] = body(b"User-agent: *\nAllow: /\n", "text/plain")
    return site


def trap_route(path: str) -> Route | None:
    """Generated pages of the trap site: calendar months, numbered pages, their articles."""
    if match := _CALENDAR.match(path):
        year, month = int(match[1]), int(match[2])
        around = [f"/calendar/{year + (month + d - 1) // 12}/{(month + d - 1) % 12 + 1}/"
                  for d in (-1, 1)]
        return body(_listing(around, f"event-{year}-{month}").encode())
    if match := _PAGINATION.match(path):
        n = int(match[1])
        return body(_listing([f"/section/world/page/{n + 1}/"], f"world-page-{n}").encode())
    if path.startswith(NEWS) and path.endswith(".html"):
        name = path[len(NEWS):-5]
        return body(page(name).encode())
    return None


def _listing(listings: list[str], prefix: str) -> str:
    more = "".join(f'<a href="{u}">more</a>' for u in listings)
    stories = "".join(
        f'<a href="{NEWS}{prefix}-story-number-{i}-of-many.html">Story {i}</a>' for i in range(10)
    )
    return f"<html><body>{more}{stories}</body></html>"


# --------------------------------------------------------------------------- the flood site

FLOOD_URLS = 1_000_000
FLOOD_MAX_PAGES = 5


@cache
def million_sitemap(base: str) -> bytes:
    """A gzipped sitemap of a million URLs (about 80 MB unpacked, a few MB on the wire)."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # block by block
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            '"http://www.sitemaps.org/schemas/sitemap/0.9">')
    blocks = [head.encode()]
    step = 100_000
    for start in range(0, FLOOD_URLS, step):
        blocks.append("".join(
            f"<url><loc>{base}/story/{n}-flood-of-urls-in-one-sitemap.html</loc></url>"
            for n in range(start, start + step)).encode())
    blocks.append(b"</urlset>")
    return b"".join(packer.compress(b) for b in blocks) + packer.flush()


def flood_site(base: str) -> Site:
    site = Site("flood")
    site.toml = (f'[[sites]]\nname = "flood"\nsitemaps = ["{base}/sitemap-million.xml.gz"]\n'
                 f"max_pages = {FLOOD_MAX_PAGES}\n")
    site.routes["/sitemap-million.xml.gz"] = body(million_sitemap(base), "application/x-gzip")
    site.routes["/robots.txt"] = body(b"User-agent: *\nAllow: /\n", "text/plain")
    return site


def flood_route(path: str) -> Route | None:
    if path.startswith("/story/") and path.endswith(".html"):
        return body(page("flood-" + path[7:-5].split("-")[0]).encode())
    return None
