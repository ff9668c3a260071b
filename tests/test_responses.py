"""``crawler.responses``: is it HTML, and what does it say, whatever the server claims."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Response

from crawler.responses import _utf8_reading, decode_body, is_html, page_text

URL = "https://example.com/news/2026/11/story.html"
PAGE = "<!DOCTYPE html><html><body><p>Café déjà vu — naïve façade</p></body></html>"


def response(body: bytes, ctype: str | None, cls: type[Response] = HtmlResponse) -> Response:
    headers = {"Content-Type": ctype} if ctype else {}
    return cls(URL, body=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "ctype", "expected"),
    [
        (PAGE.encode(), "text/html; charset=utf-8", True),
        (PAGE.encode(), "application/xhtml+xml", True),
        (PAGE.encode(), "application/octet-stream", True),  # untyped: the bytes decide
        (b"  <!-- x --><html><p>hi</p></html>", None, True),
        (b"%PDF-1.7 binary", "text/html", False),  # magic bytes beat the label
        (b"\x89PNG\r\n\x1a\n", "text/html", False),
        (b"PK\x03\x04zip", "text/html", False),
        (b'{"json": true}', "text/html", False),
        (PAGE.encode(), "application/pdf", False),
        (b"plain words, no markup", "application/octet-stream", False),
    ],
)
def test_is_html(body: bytes, ctype: str | None, expected: bool):
    assert is_html(response(body, ctype)) is expected


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (PAGE.encode("utf-8"), "text/html; charset=utf-8"),
        (PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # UTF-8 labelled Latin-1
        (PAGE.encode("cp1252"), "text/html; charset=utf-8"),  # Windows-1252 labelled UTF-8
        (PAGE.encode("cp1252"), "text/html"),  # undeclared Windows-1252
        (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # BOM wins
    ],
)
def test_page_text_is_the_right_unicode(body: bytes, ctype: str):
    assert "Café déjà vu — naïve façade" in page_text(response(body, ctype))


def test_page_text_of_an_untyped_response():
    raw = Response(URL, body=PAGE.encode(), headers={"Content-Type": "application/octet-stream"})
    assert "façade" in page_text(raw)


@pytest.mark.parametrize(
    ("body", "ctype", "exact"),
    [
        (PAGE.encode("utf-8"), "text/html; charset=iso-8859-1", True),  # UTF-8 whatever the label
        (PAGE.encode("utf-8") + b"\xff stray", "text/html", False),  # a bad sequence replaced
        (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "text/html", False),  # a BOM
        (PAGE.encode("cp1252"), "text/html", False),
    ],
)
def test_decode_body_says_when_the_text_is_the_bytes_as_utf8(body, ctype, exact):
    text, flag = decode_body(body, ctype)
    assert flag is exact
    if exact:
        assert text == body.decode("utf-8")


def _utf8_reading_by_scan(body: bytes) -> tuple[str, int, bool]:
    """What ``_utf8_reading`` answers, computed the long way for every body."""
    utf8 = body.decode("utf-8", errors="replace")
    broken = utf8.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    wide = len(utf8) - len(utf8.encode("ascii", "ignore")) - broken
    return utf8, broken, wide > broken


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=64),
    st.text(max_size=64).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(st.text(max_size=32), st.binary(max_size=4), st.text(max_size=32)).map(
        lambda parts: parts[0].encode("utf-8", "surrogatepass") + parts[1]
        + parts[2].encode("utf-8", "surrogatepass")),
))
def test_utf8_reading_skips_the_scans_with_the_same_answer(body):
    assert _utf8_reading(body) == _utf8_reading_by_scan(body)
