"""What a fetched response is: an HTML page or not, and its text as the right Unicode.

Pure functions on Scrapy responses, and on bytes (``decode_page`` runs in the extraction workers).
Servers lie about both: a PDF served as ``text/html`` under an article-like URL, HTML served as
``application/octet-stream``, Windows-1252 labelled UTF-8, UTF-8 labelled Latin-1. Scrapy's own
decoding trusts the label; these functions check the bytes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
)

if TYPE_CHECKING:  # no Scrapy at run time: the extraction workers decode pages too
    from scrapy.http import Response

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNTYPED = ("", "application/octet-stream", "binary/octet-stream", "text/plain")
_NOT_HTML_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def is_html(response: Response) -> bool:
    """Is this response an HTML page? The Content-Type says so, or, untyped, the bytes do.

    Scrapy guesses a response class from the URL too (``.html``), so a PDF served under an
    article-like URL arrives as an ``HtmlResponse``: the header and the first bytes decide here.
    """
    head = response.body[:512].lstrip()
    if head.startswith(_NOT_HTML_MAGIC) or head[:1] in (b"{", b"["):  # binary, or JSON
        return False
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0]
    ctype = ctype.strip().lower()
    if ctype in _HTML_TYPES:
        return True
    if ctype in _UNTYPED:
        return bool(re.match(rb"(?i)(<!--.*?-->\s*)*<(!doctype html|html|head|body)", head, re.S))
    return False


def content_type(response: Response) -> str:
    """The response's ``Content-Type`` header, as text ("" when there is none)."""
    return response.headers.get(b"Content-Type", b"").decode("latin-1")


def page_text(response: Response) -> str:
    """The page of ``response`` as text (see ``decode_page``)."""
    return decode_page(response.body, content_type(response))


def decode_page(body: bytes, ctype: str = "") -> str:
    """The page as text. A BOM decides; then bytes that are UTF-8 (a stray bad sequence aside)
    are UTF-8 whatever the label says; then the declared charset (header ``ctype``, meta); a page
    that is neither UTF-8 nor declared otherwise is guessed (``_legacy_text``).

    Pure (bytes in, text out), so it runs in the extraction workers, off the reactor."""
    return decode_body(body, ctype)[0]


def decode_body(body: bytes, ctype: str = "") -> tuple[str, bool]:
    """``decode_page``, and whether the text is exactly ``body`` read as UTF-8 (no BOM, no bad
    sequence): a parser can then take the bytes as they are."""
    utf8, broken, reads_utf8 = _utf8_reading(body)
    if not read_bom(body)[0] and reads_utf8:
        return utf8, not broken
    declared = http_content_type_encoding(ctype) or html_body_declared_encoding(body)
    if read_bom(body)[0] or not broken or (declared and declared != "utf-8"):
        try:
            return html_to_unicode(ctype or None, body)[1], False  # BOM, header, meta, as Scrapy
        except (UnicodeDecodeError, LookupError):
            return utf8, False
    return _legacy_text(body), False


def _utf8_reading(body: bytes) -> tuple[str, int, bool]:
    """``body`` read as UTF-8, its bad sequences (each read as U+FFFD), and whether it reads as
    UTF-8: more non-ASCII characters than bad sequences. Valid UTF-8 (most pages) is decoded
    once and not scanned again."""
    try:
        utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = body.decode("utf-8", errors="replace")
        broken = utf8.count("\ufffd") - body.count(b"\xef\xbf\xbd")
        wide = len(utf8) - len(utf8.encode("ascii", "ignore")) - broken  # non-ASCII characters
        return utf8, broken, wide > broken
    return utf8, 0, not utf8.isascii()


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u00ff]*[\u00c0-\u00ff][A-Za-z\u00c0-\u00ff]*")


def _legacy_text(body: bytes) -> str:
    """Undeclared non-UTF-8 bytes: windows-1252 when that reads as a Latin-script language (in
    words with accents, most letters are plain), as browsers default; else charset detection."""
    try:
        latin = body.decode("cp1252")
    except UnicodeDecodeError:
        latin = ""
    words = _LATIN_WORD.findall(latin[:200_000])
    plain = sum(len(w.encode("ascii", "ignore")) for w in words)
    if latin and plain >= sum(map(len, words)) / 2:
        return latin
    guess = from_bytes(body[:200_000]).best()
    return body.decode(guess.encoding if guess else "cp1252", errors="replace")
