"""A local news site for the crawl benchmark: N article pages made from real saved pages.

The 93 annotated pages of ``../shared/bench/aeb-dev/html/`` are reused under many URLs. Each copy
gets its own ``<link rel=canonical>`` (the page's own canonical and ``og:url`` are removed) and one
unique sentence of its own placed before the first paragraph of the article, so neither URL nor
content dedup collapses the copies. Pages are kept in memory as templates split at those two slots;
serving a copy is a ``bytes.join``.

The site has ``/robots.txt`` (with a ``Sitemap:`` line), a sitemap index with sitemaps of
``SITEMAP_SIZE`` URLs, a front page and section pages that link to articles, and the articles under
``/news/2026/11/DD/<slug>-<copy>.html``. It is served by a ``ThreadingHTTPServer`` on
``127.0.0.1`` port 0, in its own process (``SiteProcess``) so it does not share the crawler's GIL.

    .venv/bin/python -m bench.newssite --pages 2000     # serve until Ctrl-C; prints the base URL
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import multiprocessing
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT.parent / "shared" / "bench" / "aeb-dev"
SITEMAP_SIZE = 5000  # URLs per sitemap file (the protocol allows 50,000)
LISTING_LINKS = 30  # article links per front or section page
SECTIONS = ("world", "business", "science", "sport", "culture", "politics", "health", "travel")
TEXT_SLOT = b"NEWSCLEANBENCHTEXTSLOT"
URL_SLOT = b"http://newsclean-bench.invalid/url-slot"
_SLOTS = re.compile(re.escape(TEXT_SLOT) + b"|" + re.escape(URL_SLOT))
_ARTICLE_PATH = re.compile(r"^/news/2026/11/\d{2}/[a-z-]+-(\d{6})\.html$")
_SLUG_WORDS = ("harbour", "council", "report", "river", "market", "storm", "vote", "school")
_MIN_PARAGRAPH_WORDS = 15
HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class Template:
    """One saved page, split at its slots: ``parts[0] slot parts[1] slot ...``."""

    key: str
    parts: tuple[bytes, ...]
    slots: tuple[bytes, ...]

    def render(self, copy: int, url: str) -> bytes:
        fill = {TEXT_SLOT: unique_sentence(copy).encode(), URL_SLOT: url.encode()}
        pieces = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            pieces += (fill[slot], part)
        return b"".join(pieces)


def unique_sentence(copy: int) -> str:
    """A sentence that exists in copy ``copy`` only: it makes the copy's text (and hash) unique."""
    return (
        f"The archive keeps this report as copy number {copy}, filed by the night desk after "
        f"the regional council met on Tuesday to discuss the harbour budget."
    )


def article_path(copy: int) -> str:
    word = _SLUG_WORDS[copy % len(_SLUG_WORDS)]
    return f"/news/2026/11/{copy % 28 + 1:02d}/{word}-story-{copy:06d}.html"


# --------------------------------------------------------------------------- templates


def load_pages(bench_dir: Path = BENCH_DIR) -> list[tuple[str, str]]:
    """``(key, html)`` of the saved pages, in a stable order (all are UTF-8)."""
    paths = sorted((bench_dir / "html").glob("*.html.gz"))
    if not paths:
        raise SystemExit(f"no saved pages in {bench_dir / 'html'}")
    return [
        (path.name.split(".")[0], gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        for path in paths
    ]


_CHROME = "ancestor::header or ancestor::footer or ancestor::nav or ancestor::aside"


def _slot_places(tree: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, bool]]:
    """Where a text slot may go, best first, as ``(element, before)``.

    ``<p>`` elements long enough to be article prose get a new ``<p>`` before them
    (``before``); then elements whose own text is that long (text in ``<div>``, ``<br>``-split
    prose) get the slot at the start of their text.
    """
    long_p = [
        (p, True) for p in tree.xpath(f"//body//p[not({_CHROME})]")
        if len(p.text_content().split()) >= _MIN_PARAGRAPH_WORDS
    ]
    long_text = [
        (el, False)
        for el in tree.xpath(f"//body//*[not(self::script or self::style)][not({_CHROME})]")
        if len((el.text or "").split()) >= _MIN_PARAGRAPH_WORDS
    ]
    return long_p + long_text


def make_template(key: str, html: str, choice: int | None = 0) -> Template | None:
    """The page with a canonical-URL slot in its head and a text slot at place ``choice``.

    ``None`` when the page has fewer places for the slot than ``choice + 1``; ``choice=None``
    puts no text slot in.
    """
    tree = lxml_html.document_fromstring(html)
    places = _slot_places(tree)
    if choice is not None and choice >= len(places):
        return None
    for node in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]"
        "|//meta[@property='og:url' or @name='twitter:url']"
    ):
        node.drop_tree()
    head = tree.find("head")
    if head is None:
        head = etree.Element("head")
        tree.insert(0, head)
    head.insert(0, lxml_html.Element("link", rel="canonical", href=URL_SLOT.decode()))
    if choice is not None:
        _put_text_slot(*places[choice])
    data = etree.tostring(tree.getroottree(), encoding="utf-8", method="html",
                          doctype="<!DOCTYPE html>")
    parts = _SLOTS.split(data)
    return Template(key, tuple(parts), tuple(_SLOTS.findall(data)))


def _put_text_slot(element: lxml_html.HtmlElement, before: bool) -> None:
    if before:
        slot = lxml_html.Element("p")
        slot.text = TEXT_SLOT.decode()
        element.addprevious(slot)
    else:
        element.text = f"{TEXT_SLOT.decode()} {element.text}"


# --------------------------------------------------------------------------- the site


class NewsSite:
    """Every path of the site and its body, for ``pages`` article copies at ``base``."""

    def __init__(self, templates: list[Template], pages: int, base: str) -> None:
        self.templates = templates
        self.pages = pages
        self.base = base
        self.static = self._static()
        self.served = 0  # article pages served

    def article_url(self, copy: int) -> str:
        return self.base + article_path(copy)

    def article(self, copy: int) -> bytes:
        self.served += 1
        template = self.templates[copy % len(self.templates)]
        return template.render(copy, self.article_url(copy))

    def get(self, path: str) -> tuple[bytes, str] | None:
        """``(body, content type)`` of ``path``, or ``None`` (404)."""
        found = _ARTICLE_PATH.match(path)
        if found and int(found.group(1)) < self.pages and path == article_path(
            int(found.group(1))
        ):
            return self.article(int(found.group(1))), HTML_TYPE
        return self.static.get(path)

    def _static(self) -> dict[str, tuple[bytes, str]]:
        files = {
            "/robots.txt": (
                f"User-agent: *\nAllow: /\nSitemap: {self.base}/sitemap_index.xml\n".encode(),
                "text/plain; charset=utf-8",
            ),
            "/sitemap_index.xml": (self._sitemap_index(), XML_TYPE),
            "/": (self._listing("Front page", range(min(LISTING_LINKS, self.pages)), True),
                  HTML_TYPE),
        }
        for number in range(self._sitemap_count()):
            files[f"/sitemap-{number}.xml"] = (self._sitemap(number), XML_TYPE)
        for index, section in enumerate(SECTIONS):
            start = (index + 1) * LISTING_LINKS
            copies = range(min(start, self.pages), min(start + LISTING_LINKS, self.pages))
            files[f"/section/{section}/"] = (self._listing(section.title(), copies), HTML_TYPE)
        return files

    def _sitemap_count(self) -> int:
        return max(1, -(-self.pages // SITEMAP_SIZE))

    def _sitemap_index(self) -> bytes:
        entries = "".join(
            f"<sitemap><loc>{self.base}/sitemap-{n}.xml</loc></sitemap>"
            for n in range(self._sitemap_count())
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
        ).encode()

    def _sitemap(self, number: int) -> bytes:
        copies = range(number * SITEMAP_SIZE, min((number + 1) * SITEMAP_SIZE, self.pages))
        entries = "".join(
            f"<url><loc>{self.article_url(c)}</loc>"
            f"<lastmod>2026-11-{c % 28 + 1:02d}</lastmod></url>\n"
            for c in copies
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        ).encode()

    def _listing(self, title: str, copies: range, front: bool = False) -> bytes:
        links = "".join(
            f'<li><a href="{article_path(c)}">Report {c} from the regional desk</a></li>'
            for c in copies
        )
        sections = SECTIONS if front else ()
        nav = "".join(f'<a href="/section/{s}/">{s.title()}</a> ' for s in sections)
        return (
            f"<!DOCTYPE html><html lang=en><head><title>{title}</title></head><body>"
            f"<nav>{nav}</nav><h1>{title}</h1><ul>{links}</ul></body></html>"
        ).encode()


# --------------------------------------------------------------------------- the server


class _Handler(BaseHTTPRequestHandler):
    site: NewsSite
    protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's HTTP/1.1 downloader expects
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        found = self.site.get(self.path.split("?", 1)[0])
        status, (body, ctype) = (200, found) if found else (404, (b"not found", "text/plain"))
        head = (
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.wfile.write(head + body)  # one write: no Nagle / delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:
        return


def serve(templates: list[Template], pages: int, conn: Any) -> None:
    """Process target: serve the site on 127.0.0.1:0, send the base URL, stop on ``"stop"``."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    site = NewsSite(templates, pages, f"http://{host}:{port}")
    _Handler.site = site
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    conn.send(site.base)
    try:
        conn.recv()  # blocks until the parent says stop
    except EOFError:  # the parent is gone
        return
    httpd.shutdown()
    conn.send({"articles_served": site.served})


class SiteProcess:
    """The site in a child process; a context manager with ``.base`` and ``.pid``."""

    def __init__(self, templates: list[Template], pages: int) -> None:
        context = multiprocessing.get_context("spawn")  # a small, clean process
        self._conn, child = context.Pipe()
        self._process = context.Process(target=serve, args=(templates, pages, child), daemon=True)
        self.base = ""
        self.result: dict[str, int] = {}

    @property
    def pid(self) -> int:
        return self._process.pid or 0

    def __enter__(self) -> SiteProcess:
        self._process.start()
        self.base = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._conn.send("stop")
            self.result = self._conn.recv()
        except (EOFError, OSError):
            pass
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.terminate()


def build_templates(
    pages: list[tuple[str, str]] | None = None,
    check: Callable[[str, str], str | None] | None = None,
    tries: int = 8,
) -> tuple[list[Template], int]:
    """A template per saved page, and how many of them ``check`` could not confirm.

    ``check(html, url)`` returns the text the crawl would store (``None``: no article). The
    first slot place whose copy text holds the unique sentence wins; a page with no article keeps
    the first place (every copy is a ``not_article`` reject either way); a page where no place
    works keeps the first too, and counts as unconfirmed (its copies end as duplicate_content).
    """
    found, unconfirmed = [], 0
    for key, html in pages or load_pages():
        first = make_template(key, html) or make_template(key, html, None)
        assert first is not None
        chosen = first if check is None else _confirmed(key, html, check, tries)
        unconfirmed += check is not None and chosen is None
        found.append(chosen or first)
    return found, unconfirmed


def _confirmed(
    key: str, html: str, check: Callable[[str, str], str | None], tries: int
) -> Template | None:
    url = "http://127.0.0.1:1" + article_path(7)
    for choice in range(tries):
        template = make_template(key, html, choice)
        if template is None:
            return None
        text = check(template.render(7, url).decode(), url)
        if text is None or unique_sentence(7) in text:
            return template
    return None


def article_text(html: str, url: str) -> str | None:
    """The text the crawl would store for a page (``None``: no article): the template check."""
    from pipelines.extract import extract_article

    found = extract_article(html, url)
    return None if found is None else found.text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the benchmark news site until Ctrl-C.")
    parser.add_argument("--pages", type=int, default=2000, help="article copies (default 2000)")
    args = parser.parse_args(argv)
    templates, _ = build_templates(check=article_text)
    with SiteProcess(templates, args.pages) as site:
        print(json.dumps({"base": site.base, "robots": f"{site.base}/robots.txt"}), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
