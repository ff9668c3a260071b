"""The founding page (``../shared/seed/``), both forms, gives exactly its clean paragraphs."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from pipelines.extract import extract_article

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed"
STEM = "000_57e285136f2357c0"
URL = "https://theweek.com/russia/1008927/us-and-russia-unwilling-to-budge-as-talks-begin-in-geneva"

pytestmark = pytest.mark.skipif(not SEED.is_dir(), reason=f"no seed pages at {SEED}")


def clean_lines() -> list[str]:
    return (SEED / f"{STEM}.clean.txt").read_text(encoding="utf-8").splitlines()


def wrap_text(text: str) -> str:
    """The text form as a page: one ``<p>`` per non-empty line."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{paragraphs}</body></html>"


def test_html_form_gives_the_clean_paragraphs_flagged() -> None:
    article = extract_article((SEED / f"{STEM}.page.html").read_bytes(), URL)
    assert article is not None
    assert article.text.splitlines() == clean_lines()
    assert article.truncated is True
    assert article.paywalled is True


def test_text_form_gives_the_clean_paragraphs_truncated() -> None:
    page = wrap_text((SEED / f"{STEM}.txt").read_text(encoding="utf-8"))
    article = extract_article(page, URL)
    assert article is not None
    assert article.text.splitlines() == clean_lines()
    assert article.truncated is True


def test_what_was_removed_is_kept_for_audit() -> None:
    page = wrap_text((SEED / f"{STEM}.txt").read_text(encoding="utf-8"))
    article = extract_article(page, URL)
    assert article is not None
    audit = "\n".join(article.boilerplate)
    assert "Subscribe to The Week" in audit
    assert "Sign up for The Week's Free Newsletters" in audit
    assert "paywall: To continue reading this article..." in audit
