"""trafilatura's default cascade, without the work whose answer cannot change its text.

Two steps of the default (full) cascade read the whole page only to compare a length:

- after its own extraction, trafilatura runs readability on the page
  (``trafilatura.external.compare_extraction``: 4-8 ms of a page's 25-30) and takes readability's
  text only when it is more than twice as long as its own, or when its own is empty, has no
  paragraph text or more tables than paragraphs (``_prefer_readability``);
- for a text under 3,000 characters it reads the page's whole text (``html2txt``: 1-5 ms) to see
  whether the text covers less than a fifth of it, and if so retries in recall mode.

Both readers keep parts of the page's text nodes and add none (but readability's ``VIDEO``), so
one cheap figure bounds the length of what either can return (``text_bound``); for readability,
a tighter one takes away what it drops before reading anything (``unlikely``: frames, and the
elements whose class and id its ``remove_unlikely_candidates`` drops; readability is then skipped
on 67 of aeb-dev's 97 comparisons instead of 40). When trafilatura's text has paragraph text, no
more tables than paragraphs, is long and clean enough that the cascade would not try jusText, and
is at least half that bound, readability's answer cannot be chosen: the shortcut returns
trafilatura's text as ``compare_extraction`` would, without running readability or copying the
raw tree for it. When the text
is at least a fifth of the bound, the page-share test cannot pass: the page's text is not read.
The text is the same either way; only the time differs (rules of trafilatura 2.3.1).

The shortcut reaches into trafilatura's internals (it wraps ``_extract_and_compare`` and
``html2txt`` of ``trafilatura.core``, and calls ``extract_content`` and ``compare_extraction`` as
the first does), so it is installed only for the trafilatura version whose rules it mirrors
(``RULES_OF``) and when those functions have the expected signatures; otherwise, or with
``NEWSCLEAN_PLAIN_CASCADE=1`` in the environment, the plain cascade runs: slower, never
different. It acts only inside ``shortcut()`` (``pipelines.extract`` wraps its own call to
trafilatura in it): a plain ``trafilatura.extract`` in the same process, as the benchmarks'
baselines, runs unchanged.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from functools import cache
from importlib.metadata import version
from types import ModuleType
from typing import Any

from lxml import etree

RULES_OF = "2.3.1"  # the trafilatura version whose cascade rules this mirrors
_SIGNATURES = {  # the functions of ``trafilatura.core`` wrapped (the first two) or called
    "_extract_and_compare": ["cleaned_tree", "cleaned_tree_backup", "tree", "options"],
    "html2txt": ["content", "clean"],
    "compare_extraction": ["cleaned_tree", "raw_tree", "body", "text", "options"],
    "extract_content": ["cleaned_tree", "options"],
}
_WRAPPED = ("_extract_and_compare", "html2txt")
PAGE_SHARE = 0.2  # trafilatura.core.ESCALATION_PAGE_SHARE in RULES_OF
_ACTIVE: ContextVar[bool] = ContextVar("newsclean_cascade_shortcut", default=False)
_TEXT_LENGTH: ContextVar[int | None] = ContextVar("newsclean_cascade_text", default=None)
_FOLDED_LENGTH = etree.XPath("string-length(normalize-space(/))")
_FOLDED_LENGTH_HERE = etree.XPath("string-length(normalize-space(.))")
_TEXT_NODES = etree.XPath("count(//text())")
_IFRAMES = etree.XPath("count(//iframe)")
_P_TEXT = etree.XPath(".//p//text()")
SKIPPED = {"readability": 0, "compared": 0, "page_text": 0}  # in this process


def text_bound(raw_tree: Any, removed: Any = None, measure: Measure | None = None) -> int:
    """An upper bound of the length of readability's text, or ``html2txt``'s, on ``raw_tree``.

    Both move or drop whole text nodes of the page, never split one, and leave out scripts and
    styles; both fold white space. Their text is at most the page's text nodes (but scripts and
    styles) joined with one space between each two: the page's folded text, less its scripts'
    and styles' text, plus one space for each text node (a space may stand between two nodes
    that touched). readability adds one text of its own, ``VIDEO`` in a video's ``iframe``: six
    characters more for each ``iframe``.
    XPath folds only ASCII white space, Python all of it: XPath's lengths are the longer, so the
    page's is read with XPath (the bound can only grow) and each script's with it as well (what
    is taken away, at most two spaces less than the script's folded text, can only shrink).
    ``removed``: more elements, none inside another, that the reader drops with all their text
    before it reads any (``unlikely``): their text is taken away the same way (with the scripts
    inside them). ``measure``: the page's ``page_measure``, when read already.
    """
    length, scripts = measure or page_measure(raw_tree)
    dropped = set(removed or ())
    for element in dropped:
        length -= max(_FOLDED_LENGTH_HERE(element) - 2, 0)
    for element, folded in scripts:
        if not (dropped and dropped.intersection(element.iterancestors())):
            length -= max(folded - 2, 0)
    return int(length)


Measure = tuple[float, list[tuple[Any, float]]]


def page_measure(raw_tree: Any) -> Measure:
    """What ``text_bound`` reads of the page: its folded text's length with the slack for text
    nodes and ``iframe``s, and each script's and style's folded length."""
    length = _FOLDED_LENGTH(raw_tree) + _TEXT_NODES(raw_tree) + 6 * _IFRAMES(raw_tree)
    scripts = [
        (element, _FOLDED_LENGTH_HERE(element))
        for element in raw_tree.iter("script", "style") if element.text
    ]
    return length, scripts


def unlikely(raw_tree: Any) -> list[Any]:
    """The elements readability drops before it reads the page (``Document.summary``: frames,
    then ``remove_unlikely_candidates``), outermost only, none of them a script or style (the
    bound takes those away already). Rules of trafilatura ``RULES_OF``'s readability."""
    rules = _readability_rules()
    if rules is None:
        return []
    unlikely_re, maybe_re, frame_tags = rules
    found: list[Any] = list(raw_tree.iter("fencedframe"))
    dropped: set[Any] = set(found)
    verdicts = _VERDICTS
    for element in _CLASS_OR_ID(raw_tree):
        class_, id_ = element.get("class"), element.get("id")
        attrs = f"{class_} {id_}" if class_ and id_ else class_ or id_ or ""
        verdict = verdicts.get(attrs)
        if verdict is None:  # readability's own test, once per value
            if len(verdicts) >= _VERDICTS_KEPT:
                verdicts.clear()
            low = attrs.lower()
            verdict = verdicts[attrs] = (
                len(attrs) >= 2 and bool(unlikely_re.search(low)) and not maybe_re.search(low)
            )
        if not verdict or element.tag in frame_tags or element.tag in ("script", "style"):
            continue
        if dropped and any(parent in dropped for parent in element.iterancestors()):
            continue
        dropped.add(element)
        found.append(element)
    return found


_CLASS_OR_ID = etree.XPath("descendant::*[@class or @id]")
_VERDICTS: dict[str, bool] = {}  # class and id values read, in this process
_VERDICTS_KEPT = 1 << 12


@cache
def _readability_rules() -> tuple[Any, Any, Any] | None:
    try:
        from trafilatura.readability_lxml import FRAME_TAGS, REGEXES

        return REGEXES["unlikelyCandidatesRe"], REGEXES["okMaybeItsACandidateRe"], FRAME_TAGS
    except (ImportError, KeyError):  # another shape: only scripts and styles are taken away
        return None


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
    measure = page_measure(raw_tree)
    if 2 * len(text) >= text_bound(raw_tree, measure=measure):
        return True
    return 2 * len(text) >= text_bound(raw_tree, unlikely(raw_tree), measure)


@cache
def _sanitized() -> etree.XPath:
    from trafilatura.external import SANITIZED_XPATH

    return etree.XPath(SANITIZED_XPATH)


def _extract_and_compare(original: Any, core: ModuleType) -> Any:
    """``core._extract_and_compare`` (trafilatura's own extraction, then ``compare_extraction``
    on a copy of the raw tree), with readability skipped where it cannot win: then the raw tree
    is not copied either (0.5-1 ms a page), since nothing reads the copy."""

    def extract_and_compare(cleaned_tree: Any, cleaned_tree_backup: Any, tree: Any,
                            options: Any) -> Any:
        if not _ACTIVE.get() or options.fast:
            return original(cleaned_tree, cleaned_tree_backup, tree, options)
        body, text = core.extract_content(cleaned_tree, options)
        if readability_cannot_win(tree, body, text, options):
            SKIPPED["readability"] += 1
            found = body, text
        else:
            SKIPPED["compared"] += 1
            found = core.compare_extraction(cleaned_tree_backup, copy(tree), body, text, options)
        # the cascade's text from here on: the rescue that may follow only makes it longer
        _TEXT_LENGTH.set(len(found[1]))
        return found

    return extract_and_compare


def _html2txt(html2txt: Any, core: ModuleType) -> Any:
    def page_text(content: Any, clean: bool = True) -> str:
        known = _TEXT_LENGTH.get() if _ACTIVE.get() else None
        _TEXT_LENGTH.set(None)
        if known is not None and known >= PAGE_SHARE * text_bound(content):
            SKIPPED["page_text"] += 1
            return ""  # the share test fails with the page's text as with this
        return html2txt(content, clean)

    return page_text


_WRAPPERS = {"_extract_and_compare": _extract_and_compare, "html2txt": _html2txt}


def install(core: ModuleType | None = None, *, trafilatura_version: str | None = None) -> bool:
    """Wrap ``core._extract_and_compare`` and ``core.html2txt`` (``trafilatura.core``'s by
    default).

    Returns whether it is installed: not for another trafilatura version, functions of another
    shape, or with ``NEWSCLEAN_PLAIN_CASCADE=1``; then the cascade runs as trafilatura ships it.
    """
    if os.environ.get("NEWSCLEAN_PLAIN_CASCADE") == "1":
        return False
    if (trafilatura_version or version("trafilatura")) != RULES_OF:
        return False
    if core is None:
        from trafilatura import core
    found = {name: getattr(core, name, None) for name in _SIGNATURES}
    if all(getattr(found[name], "newsclean_shortcut", False) for name in _WRAPPED):
        return True
    for name, function in found.items():
        try:
            names = list(inspect.signature(function).parameters)
        except (TypeError, ValueError):  # None, or not a function
            return False
        if names != _SIGNATURES[name]:
            return False
    for name in _WRAPPED:
        wrapper = _WRAPPERS[name](found[name], core)
        wrapper.__wrapped__ = found[name]
        wrapper.newsclean_shortcut = True
        setattr(core, name, wrapper)
    return True


def active() -> bool:
    """Whether the calls made now are inside ``shortcut()``."""
    return _ACTIVE.get()


@contextmanager
def shortcut() -> Iterator[None]:
    """Let the installed shortcut act for the trafilatura calls made inside the block."""
    token, length = _ACTIVE.set(True), _TEXT_LENGTH.set(None)
    try:
        yield
    finally:
        _TEXT_LENGTH.reset(length)
        _ACTIVE.reset(token)
