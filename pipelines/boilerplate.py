"""The boilerplate layer around trafilatura: promo markup pruning, paragraph filter, paywall flags.

Pure functions on lxml trees and lists of paragraphs; no Scrapy. The vocabulary they use lives in
``pipelines.vocabulary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement


@dataclass(frozen=True)
class SiteRules:
    """Per-site rules from the sites file: extra things to remove, things to keep."""

    remove_selectors: tuple[str, ...] = ()
    remove_phrases: tuple[str, ...] = ()
    keep_selectors: tuple[str, ...] = ()


@dataclass
class Filtered:
    """The result of the paragraph filter."""

    kept: list[str]
    removed: list[str] = field(default_factory=list)
    truncated: bool = False
    paywall_text: bool = False


def paywall_markup(tree: HtmlElement) -> bool | None:
    """What schema.org markup says: True (not free), False (free) or None (silent)."""
    return None


def prune_tree(tree: HtmlElement, rules: SiteRules | None = None) -> list[str]:
    """Remove promo elements from ``tree`` in place; return the text of what was removed."""
    return []


def filter_paragraphs(
    paragraphs: list[str], *, title: str | None = None, rules: SiteRules | None = None
) -> Filtered:
    """Drop promo / paywall paragraphs from extracted text; flag a paywall tail."""
    return Filtered(kept=list(paragraphs))
