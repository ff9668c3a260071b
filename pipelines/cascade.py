"""trafilatura's default cascade, without readability where readability's text cannot be chosen.

In its default (full) cascade trafilatura extracts the text its own way, then runs readability on
the whole page (``trafilatura.external.compare_extraction``): 4-8 ms of a page's 25-30, about a
fifth of the cascade. Readability's text replaces trafilatura's only when it is more than twice as
long, or when trafilatura's text is empty, has no paragraph text or more tables than paragraphs
(``_prefer_readability``, trafilatura 2.3.1). Readability keeps parts of the page's text and adds
none, so the page's own text (without scripts and styles) bounds the length of what it can return.
When trafilatura's text is at least half that bound, has paragraph text and no more tables than
paragraphs, and is long and clean enough that the cascade would not try jusText, readability's
answer cannot be chosen: ``compare_extraction`` returns trafilatura's text as it is, and so does
this shortcut, without running readability. The text is the same; only the time differs.

The shortcut reaches into trafilatura's internals (``trafilatura.core.compare_extraction``), so it
is installed only for the trafilatura version whose rules it mirrors (``RULES_OF``) and when the
function it wraps has the expected signature; otherwise, or with ``NEWSCLEAN_PLAIN_CASCADE=1`` in
the environment, the plain cascade runs: slower, never different. It is active only inside
``shortcut()`` (``pipelines.extract`` wraps its own call to trafilatura in it): a plain
``trafilatura.extract`` in the same process, as the benchmarks' baselines, runs unchanged.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.metadata import version
from types import ModuleType
from typing import Any

from lxml import etree

RULES_OF = "2.3.1"  # the trafilatura version whose ``compare_extraction`` rules this mirrors
_SIGNATURE = ["cleaned_tree", "raw_tree", "body", "text", "options"]
_ACTIVE: ContextVar[bool] = ContextVar("newsclean_cascade_shortcut", default=False)
_FOLDED_LENGTH = etree.XPath("string-length(normalize-space(/))")
_FOLDED_LENGTH_HERE = etree.XPath("string-length(normalize-space(.))")
_TEXT_NODES = etree.XPath("count(//text())")
_P_TEXT = etree.XPath(".//p//text()")
SKIPPED = {"readability": 0, "compared": 0}  # in this process: pages that skipped / ran it


def readability_bound(raw_tree: Any) -> int:
    """An upper bound of the length of readability's text (whitespace folded) on ``raw_tree``.

    Readability moves or drops whole text nodes of the page, never splits or adds one: its text
    is at most the page's text nodes (but scripts and styles, which it drops), joined with one
    space between each two. That is the page's folded text, less its scripts' and styles' text,
    plus one space for each text node (a space may stand between two nodes that touched).
    XPath folds only ASCII white space, Python all of it: XPath's lengths are the longer, so the
    page's is read with XPath (the bound can only grow) and each script's with it as well (what
    is taken away, at most two spaces less than the script's folded text, can only shrink).
    """
    length = _FOLDED_LENGTH(raw_tree) + _TEXT_NODES(raw_tree)
    for element in raw_tree.iter("script", "style"):
        if element.text:
            length -= max(_FOLDED_LENGTH_HERE(element) - 2, 0)
    return int(length)


def readability_cannot_win(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    """Whether ``compare_extraction`` returns ``body`` and ``text`` unchanged, whatever
    readability finds: its rules in the balanced focus, with readability's text at its longest.
    """
    if options.focus != "balanced" or len(text) < options.min_extracted_size:
        return False  # recall/precision rules differ; a short text goes to jusText
    if not _P_TEXT(body):
        return False
    if len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    if _sanitized()(body):
        return False  # "unclean": the cascade tries jusText
    return 2 * len(text) >= readability_bound(raw_tree)


@cache
def _sanitized() -> etree.XPath:
    from trafilatura.external import SANITIZED_XPATH

    return etree.XPath(SANITIZED_XPATH)


def _wrap(compare: Any) -> Any:
    def compare_extraction(cleaned_tree: Any, raw_tree: Any, body: Any, text: str,
                           options: Any) -> Any:
        if _ACTIVE.get():
            if readability_cannot_win(raw_tree, body, text, options):
                SKIPPED["readability"] += 1
                return body, text
            SKIPPED["compared"] += 1
        return compare(cleaned_tree, raw_tree, body, text, options)

    compare_extraction.__wrapped__ = compare  # type: ignore[attr-defined]
    compare_extraction.newsclean_shortcut = True  # type: ignore[attr-defined]
    return compare_extraction


def install(core: ModuleType | None = None, *, trafilatura_version: str | None = None) -> bool:
    """Wrap ``core.compare_extraction`` (``trafilatura.core``'s by default) with the shortcut.

    Returns whether it is installed: not for another trafilatura version, a function of another
    shape, or with ``NEWSCLEAN_PLAIN_CASCADE=1``; then the cascade runs as trafilatura ships it.
    """
    if os.environ.get("NEWSCLEAN_PLAIN_CASCADE") == "1":
        return False
    if (trafilatura_version or version("trafilatura")) != RULES_OF:
        return False
    if core is None:
        from trafilatura import core
    compare = getattr(core, "compare_extraction", None)
    if compare is None:
        return False
    if getattr(compare, "newsclean_shortcut", False):
        return True
    try:
        names = list(inspect.signature(compare).parameters)
    except (TypeError, ValueError):
        return False
    if names != _SIGNATURE:
        return False
    core.compare_extraction = _wrap(compare)
    return True


@contextmanager
def shortcut() -> Iterator[None]:
    """Let the installed shortcut act for the trafilatura calls made inside the block."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
