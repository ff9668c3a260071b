"""trafilatura's regular-expression XPaths, answered without a call into Python per element.

trafilatura prunes each page with XPaths that test ``id``, ``class`` and ``style`` attributes,
most with EXSLT regular expressions (``re:test``), which lxml answers with a call into Python per
element and test; with libxml2's own walk of ``.//*[self::div or ...]``, nine of them cost 8-10 ms
of a page's 30. Each is answered here the same way: lxml's iterator walks the elements of the
expression's tags in document order, and a Python function applies the expression's test to
each, with trafilatura's own patterns as lxml's ``re:test`` does (``search``; ``i`` ignores case;
a node-set's value is its first node's: for ``@id|@class``, the first of the two in the element's
attribute order). Each pattern's answer is remembered per attribute value: a page repeats its
classes, and a site's pages share them. Measured: 3-4 times faster, the same elements in the same
order on every page of the three benchmark sets (``tests/test_selectors.py``).

The patterns are read from trafilatura's expressions; each expression's text, patterns aside,
must be the one mirrored here (``_TEMPLATES``, trafilatura ``RULES_OF``), or it is left as it is.
Like ``pipelines.cascade``, the selectors act only inside ``cascade.shortcut()`` (a plain
``trafilatura.extract`` in the same process runs unchanged), and ``NEWSCLEAN_PLAIN_CASCADE=1``
turns them off: slower, never different.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from types import ModuleType
from typing import Any

from lxml import etree

from pipelines import cascade

_RE_TEST = re.compile(r"re:test\((@[\w|@-]+), '([^']*)'(, '[a-z]*')?\)")

Matchers = list[Callable[[str], bool]]
Test = Callable[[Any, Matchers], bool]
MEMO = 1 << 12  # attribute values remembered per pattern (18 patterns: at most a few MB a worker)


def matcher(pattern: str, flags: str = "") -> Callable[[str], bool]:
    """``re:test(value, pattern, flags)``, remembered per value (the same classes recur on a
    page); lxml's flags: ``i`` ignores case."""
    search = re.compile(pattern, re.IGNORECASE if "i" in flags else 0).search

    @lru_cache(maxsize=MEMO)
    def test(value: str) -> bool:
        return search(value) is not None

    return test


def _first(element: Any, keys: list[str], names: tuple[str, ...]) -> str:
    """XPath's string value of ``@a|@b``: the first of them in the element's attribute order."""
    for key in keys:
        if key in names:
            return element.get(key)
    return ""


_ID_CLASS = ("id", "class")


def _comments_and_lists(element: Any, rx: Matchers) -> bool:
    id_, class_ = element.get("id", ""), element.get("class", "")
    if not (rx[0](id_) or rx[1](class_)):
        return False
    return element.tag not in ("ol", "ul") or bool(rx[2](id_) or rx[3](class_))


def _raw_tree_prune(element: Any, rx: Matchers) -> bool:
    id_, class_ = element.get("id", ""), element.get("class", "")
    if not (rx[0](id_) or rx[1](class_)):
        return False
    return (
        next(element.iterdescendants("h1"), None) is None
        or bool(rx[2](id_) or rx[3](class_))
    )


def _overall_discard(element: Any, rx: Matchers) -> bool:
    keys, get = element.keys(), element.get
    if not keys:
        return rx[0]("") or rx[1]("") or rx[2]("")
    return bool(
        get("data-lp-replacement-content") is not None
        or "nav" in get("role", "").replace("N", "n")
        or "MostPopularStories" in get("data-component", "")
        or rx[0](_first(element, keys, _ID_CLASS))
        or rx[1](get("id", ""))
        or rx[2](get("class", ""))
    )


def _overall_discard_hidden(element: Any, rx: Matchers) -> bool:
    keys, get = element.keys(), element.get
    if not keys:
        return rx[0]("") or rx[1]("") or rx[2]("")
    style = get("style", "")
    return bool(
        get("class") == "comments-title"
        or _first(element, keys, _ID_CLASS).startswith("reply-")
        or rx[0](_first(element, keys, ("id", "style")))
        or "display:none" in style
        or "display: none" in style
        or rx[1](get("id", ""))
        or rx[2](get("class", ""))
        or get("aria-hidden") == "true"
    )


def _share_buttons(element: Any, rx: Matchers) -> bool:
    return "elementor-share-buttons" in element.get("class", "")


def _teaser(element: Any, rx: Matchers) -> bool:
    return (
        "teaser" in element.get("id", "").replace("T", "t")
        or "teaser" in element.get("class", "").replace("T", "t")
    )


def _caption(element: Any, rx: Matchers) -> bool:
    return "caption" in element.get("id", "") or "caption" in element.get("class", "")


def _article_body(element: Any, rx: Matchers) -> bool:
    get = element.get
    class_, id_ = get("class", ""), get("id", "")
    return bool(
        class_ in ("post", "entry")
        or get("itemprop") == "articleBody"
        or get("id") == "articleContent"
        or rx[0](id_)
        or rx[1](class_)
    )


_CLEANED_TAGS = frozenset(("aside", "fencedframe", "footer", "script", "style", "svg", "template"))


def _basic_clean(element: Any, rx: Matchers) -> bool:
    tag = element.tag
    if tag in _CLEANED_TAGS:
        return True
    keys = element.keys()
    if not keys:
        return rx[0]("") or rx[1]("")
    if tag == "div" and "footer" in _first(element, keys, ("class", "id")):
        return True
    return rx[0](element.get("class", "")) or rx[1](element.get("id", ""))


@dataclass(frozen=True)
class Spec:
    """One of trafilatura's expressions, mirrored: its text with its patterns as ``{}``, the
    tags it looks at (none: every element) and the exact ``test`` of one element."""

    template: str
    tags: tuple[str, ...]
    test: Test
    first_child: bool = False  # a trailing [1]: only the first such child of each parent


_SPECS: dict[tuple[str, int | None], Spec] = {  # index None: a single expression, not a list
    ("REMOVE_COMMENTS_AND_LISTS_XPATH", 0): Spec(
        ".//*[self::div or self::list or self::section or self::details or self::ol or self::ul]["
        " re:test(@id, {}) or re:test(@class, {})]["
        " not(self::ol or self::ul) or re:test(@id, {}) or re:test(@class, {})]",
        ("div", "list", "section", "details", "ol", "ul"),
        _comments_and_lists,
    ),
    ("RAW_TREE_PRUNE_XPATH", 0): Spec(
        ".//*[self::div or self::section or self::aside]["
        " re:test(@id, {}) or re:test(@class, {})]["
        " not(.//h1) or re:test(@id, {}) or re:test(@class, {})]",
        ("div", "section", "aside"),
        _raw_tree_prune,
    ),
    ("OVERALL_DISCARD_XPATH", 0): Spec(
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
        " @data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or"
        " contains(@data-component, 'MostPopularStories') or re:test(@id|@class, {}) or"
        " re:test(@id, {}) or re:test(@class, {})]",
        ("div", "item", "list", "p", "section", "span"),
        _overall_discard,
    ),
    ("OVERALL_DISCARD_XPATH", 1): Spec(
        ".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or"
        " re:test(@id|@style, {}) or contains(@style, 'display:none') or"
        " contains(@style, 'display: none') or re:test(@id, {}) or re:test(@class, {}) or"
        " @aria-hidden='true']",
        (),
        _overall_discard_hidden,
    ),
    ("RAW_TREE_PRUNE_XPATH", 1): Spec(
        ".//*[self::div or self::section or self::aside]"
        "[contains(@class, 'elementor-share-buttons')]",
        ("div", "section", "aside"),
        _share_buttons,
    ),
    ("TEASER_DISCARD_XPATH", 0): Spec(
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
        " contains(translate(@id, 'T', 't'), 'teaser') or"
        " contains(translate(@class, 'T', 't'), 'teaser')]",
        ("div", "item", "list", "p", "section", "span"),
        _teaser,
    ),
    ("DISCARD_IMAGE_ELEMENTS", 0): Spec(
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]["
        " contains(@id, 'caption') or contains(@class, 'caption')]",
        ("div", "item", "list", "p", "section", "span"),
        _caption,
    ),
    ("BODY_XPATH", 0): Spec(
        ".//*[self::article or self::div or self::main or self::section]["
        " @class='post' or @class='entry' or @itemprop='articleBody' or @id='articleContent' or"
        " re:test(@id, {}) or re:test(@class, {}) ][1]",
        ("article", "div", "main", "section"),
        _article_body,
        first_child=True,
    ),
    ("BASIC_CLEAN_XPATH", None): Spec(
        ".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script|"
        ".//style|.//svg|.//template|.//*[re:test(@class, {}, 'i') or re:test(@id, {}, 'i')]",
        (),
        _basic_clean,
    ),
}


# where trafilatura 2.3.1 reads each list: the modules that imported it
_READERS = {
    "REMOVE_COMMENTS_AND_LISTS_XPATH": ("trafilatura.core",),
    "RAW_TREE_PRUNE_XPATH": ("trafilatura.core",),
    "OVERALL_DISCARD_XPATH": ("trafilatura.main_extractor", "trafilatura.external"),
    "TEASER_DISCARD_XPATH": ("trafilatura.main_extractor",),
    "DISCARD_IMAGE_ELEMENTS": ("trafilatura.main_extractor",),
    "BODY_XPATH": ("trafilatura.main_extractor",),
    "BASIC_CLEAN_XPATH": ("trafilatura.baseline",),
}


def _folded(text: str) -> str:
    return " ".join(text.split()).replace("[ ", "[")


def patterns_of(path: str, template: str) -> list[tuple[str, str]] | None:
    """The ``re:test`` patterns (and flags) of XPath ``path``, if its text, patterns aside, is
    ``template``."""
    found = _RE_TEST.findall(path)
    shape = _RE_TEST.sub(lambda m: f"re:test({m.group(1)}, {{}}{m.group(3) or ''})", path)
    if _folded(shape) != _folded(template):
        return None
    return [(pattern, flags.strip(", '")) for _, pattern, flags in found]


class Selector:
    """Called as trafilatura calls its XPath: the same elements, in the same order."""

    def __init__(self, xpath: etree.XPath, spec: Spec, patterns: list[tuple[str, str]]):
        self.xpath = xpath
        self.path = xpath.path
        self._tags = spec.tags or (etree.Element,)
        self._test = spec.test
        self._first_child = spec.first_child
        self._rx = [matcher(pattern, flags) for pattern, flags in patterns]

    def __call__(self, tree: Any, **variables: Any) -> Any:
        if variables or not cascade.active():
            return self.xpath(tree, **variables)
        rx, test = self._rx, self._test
        found = [element for element in tree.iterdescendants(*self._tags) if test(element, rx)]
        if self._first_child:  # in document order, a parent's first such child comes first
            parents: set[Any] = set()
            found = [
                element for element in found
                if (parent := element.getparent()) not in parents and not parents.add(parent)
            ]
        return found

    def plain(self, tree: Any) -> Any:
        """trafilatura's own XPath's answer (for tests)."""
        return self.xpath(tree)


def install(
    readers: dict[str, ModuleType] | None = None, *, trafilatura_version: str | None = None
) -> list[str]:
    """Put a ``Selector`` in place of each mirrored expression, in the lists the modules of
    trafilatura that use them read (``_READERS``; ``readers``: those modules by name).

    Returns the expressions in place (none for another trafilatura version or with
    ``NEWSCLEAN_PLAIN_CASCADE=1``); an expression whose text differs keeps its XPath.
    """
    if os.environ.get("NEWSCLEAN_PLAIN_CASCADE") == "1":
        return []
    if (trafilatura_version or version("trafilatura")) != cascade.RULES_OF:
        return []
    if readers is None:
        readers = {
            module: importlib.import_module(module)
            for modules in _READERS.values() for module in modules
        }
    made: dict[int, Any] = {}  # one Selector per expression, whichever module reads it

    def mirrored(name: str, index: int | None, expression: Any) -> Any:
        spec = _SPECS.get((name, index))
        if spec is None or not isinstance(expression, etree.XPath):
            return expression
        if id(expression) not in made:
            patterns = patterns_of(expression.path, spec.template)
            made[id(expression)] = (
                expression if patterns is None else Selector(expression, spec, patterns)
            )
        return made[id(expression)]

    installed = set()
    for name, modules in _READERS.items():
        for module in modules:
            found = getattr(readers.get(module), name, None)
            if isinstance(found, etree.XPath):
                new_one = mirrored(name, None, found)
                if new_one is not found:
                    setattr(readers[module], name, new_one)
                    installed.add(name)
                continue
            if isinstance(found, Selector):
                installed.add(name)
                continue
            if not isinstance(found, list):
                continue
            new = [mirrored(name, index, expression) for index, expression in enumerate(found)]
            if any(a is not b for a, b in zip(new, found, strict=True)):
                setattr(readers[module], name, new)
            installed.update(
                f"{name}[{index}]" for index, e in enumerate(new) if isinstance(e, Selector)
            )
    return sorted(installed)
