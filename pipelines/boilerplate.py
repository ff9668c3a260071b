"""The boilerplate layer around trafilatura: promo markup pruning, paragraph filter, paywall flags.

Pure functions on lxml trees and lists of paragraphs; no Scrapy. The vocabulary they use lives in
``pipelines.vocabulary``; this module holds the rules, i.e. *where* and *in what shape* a word
makes a promo:

* ``paywall_markup`` reads schema.org ``isAccessibleForFree`` (JSON-LD, microdata) and the
  ``hasPart.cssSelector`` that names the gated article content.
* ``prune_tree`` removes promo elements before extraction (attribute vocabulary, e-mail forms,
  small boxes around a subscribe link, per-site selectors). Guards: an element holding more than
  ``PRUNE_MAX_SHARE`` of the page's paragraph text, or holding the ``<h1>``, the gated content or
  a ``keep_selectors`` match, is never removed; what it removes can be put back
  (``Pruned.restore``).
* ``filter_paragraphs`` works on extracted paragraphs: headline repeated at the top, exact
  repeats, short calls to action and page chrome, promo blocks, related-article lists, lists of
  teasers (their headlines the texts of the page's links), bios, offers on the site's own
  subscription, the publisher's boilerplate that closes the page, lines led by a call or a credit,
  and the paywall tail (cut from its first line to the end, which flags the article truncated).
  Guard: a sentence that reports (said, per cent, million ...) is news, not a promo.
* One budget per page for both: what the markup rules removed (its paragraph words, counted
  before extraction) and what the line rules choose, together, may be at most ``BUDGET`` of the
  story's words (``filter_paragraphs(markup_words=...)``); above, nothing goes but what the
  structural rules remove (copies, headline, date line, site phrases, paywall tail), the caller
  puts the pruned elements back and the page is counted (``held``).

Everything removed is returned as ``"rule: text"`` lines for the ``boilerplate`` audit column.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from typing import NamedTuple

from lxml.cssselect import CSSSelector
from lxml.etree import XML, Element, XPath, XPathError
from lxml.html import HtmlElement

from crawler.sites import SiteRules  # the sites file's per-site rules (re-exported here)
from pipelines import literals, metadata, vocabulary

# --------------------------------------------------------------------------- compiled vocabulary


def _alternation(fragments: Iterable[str]) -> str:
    return "|".join(f"(?:{fragment})" for fragment in fragments)


def _by_language(table: dict[str, tuple[str, ...]]) -> list[str]:
    return [fragment for fragments in table.values() for fragment in fragments]


class Phrases:
    """One concept's patterns, all languages: those anchored at ``^`` are tried at the start of
    the line only (``match``), the others anywhere (``search``).

    Cheap tests first. Anchored: only the patterns that can start with the line's first
    character (``by_first``, by the character as ``re`` compares it; a character no pattern
    starts with tries only those whose first character is not known, ``unknown``). Floating:
    each pattern under the literal that every match of it holds (``pipelines.literals``); a
    line tries only the patterns of the literals it holds (``by_literal``: most lines hold none,
    a line holding "share" is not tried for "inbox"), and the patterns without such a literal
    (``unhinted``). A pattern without a literal of ``literals.MIN_LITERAL`` characters goes
    under a shorter one where it has one. An anchored pattern whose first two characters are
    not known (``\\W*``, ``\\d+``, ``[\\w' ]{0,40}``, a capital: tried on most lines, where
    it runs the longest) and that has such a literal is tried like the floating ones, under its
    literal, still anchored (``gated``).
    """

    __slots__ = (
        "anchored", "by_first", "by_literal", "by_rest", "by_two", "floating", "fold", "from_",
        "gated", "hint", "routed", "unhinted", "unknown",
    )

    def __init__(self, fragments: list[str], flags: int) -> None:
        starts = [f[1:] for f in fragments if f.startswith("^")]
        self.gated = tuple(
            start
            for start in starts
            if literals.prefixes(start, flags) is None
            and (found := literals.hint(re.compile(start, flags))) is not None
            and len(found.literals) <= GATE_LITERALS
        )
        routed = [start for start in starts if start not in self.gated]
        rest = [f for f in fragments if not f.startswith("^")]
        self.fold = bool(flags & re.IGNORECASE)
        self.anchored = re.compile(_alternation(starts), flags) if starts else None
        self.routed = bool(routed)  # anchored patterns tried by the line's first characters
        self.by_first, self.unknown = _by_first(routed, flags, self.fold)
        self.by_two, self.by_rest = _by_two(routed, flags, self.fold)
        self.floating = re.compile(_alternation(rest), flags) if rest else None
        rest += [f"^{start}" for start in self.gated]  # anchored, tried under their literal
        needing: dict[str, list[str]] = {}  # literal: the patterns whose every match holds it
        hints: list[literals.Hint] = []
        unhinted: list[str] = []
        for fragment in rest:
            # a short literal still pays against a pattern tried at every position ("ap",
            # "afp": the news agencies' names; "%" of a figure)
            pattern = re.compile(fragment, flags)
            found = literals.hint(pattern) or literals.hint(pattern, min_literal=1)
            if found is None:
                unhinted.append(fragment)
                continue
            hints.append(found)
            for literal in found.literals:
                needing.setdefault(literal, []).append(fragment)
        # a literal that holds another is in no line without it: its patterns go under the other
        # (fewer literals to test on each line)
        for literal in sorted(needing, key=len, reverse=True):
            inner = next((held for held in needing if held != literal and held in literal), None)
            if inner is not None:
                needing[inner].extend(needing.pop(literal))
        # literals that share a run of ``SHARED_LITERAL`` characters or more go under it
        while (shared := _shared(list(needing))) is not None:
            under = needing.setdefault(shared, [])
            for literal in [held for held in needing if held != shared and shared in held]:
                under.extend(needing.pop(literal))
        self.by_literal = {
            literal: re.compile(_alternation(dict.fromkeys(patterns)), flags)
            for literal, patterns in sorted(needing.items())
        }
        # a line's first literal found: the literals before it (in this order) are not in it
        pairs = list(self.by_literal.items())
        self.from_ = {literal: tuple(pairs[index:]) for index, (literal, _) in enumerate(pairs)}
        # all literals in one test first (most lines hold none); every pattern's odd characters
        self.hint = None
        if hints:
            found = tuple(self.by_literal)
            self.hint = literals.joined(found, hints) if self.fold else literals.Hint(found, False)
        self.unhinted = re.compile(_alternation(unhinted), flags) if unhinted else None

    def search(self, line: str, lowered: str | None = None) -> bool:
        """``lowered``: ``_lowered(line)``, read once by a caller that tries many concepts."""
        if self.routed:
            head = line[:2]
            if len(head) == 2 and head.isascii():  # most lines: by their first two characters
                key = head.lower() if self.fold else head
                anchored = self.by_two.get(key)
                if anchored is None:
                    anchored = self.by_rest.get(key[0])
            else:
                first = line[:1]
                anchored = self.by_first.get(first.lower() if self.fold else first, self.unknown)
            if anchored is not None and anchored.match(line):
                return True
        hint = self.hint
        if hint is not None:
            text = lowered if lowered is not None and hint.fold else hint.text(line)
            if text is None:  # an odd character that may match two literal characters
                return any(p.search(line) for p in self.by_literal.values()) or (
                    self.unhinted is not None and self.unhinted.search(line) is not None
                )
            for found in hint.literals:  # ``literals.holds_any``, inline: one call less a line
                if found in text:
                    for literal, patterns in self.from_[found]:
                        if literal in text and patterns.search(line):
                            return True
                    break
        return self.unhinted is not None and self.unhinted.search(line) is not None


GATE_LITERALS = 2  # an anchored pattern is tried under its literals when it has so few
SHARED_LITERAL = 5  # characters: a run shared by two literals or more replaces them


def _shared(found: list[str], size: int = SHARED_LITERAL) -> str | None:
    """The longest run of ``size`` characters or more that two of ``found`` hold, the one held
    by most first, neither starting nor ending with a space (" for ", " your " are in too many
    lines); ``None`` when they share none."""
    counts: dict[str, int] = {}
    for literal in found:
        runs = {
            literal[start:end]
            for start in range(len(literal))
            for end in range(start + size, len(literal) + 1)
        }
        for run in runs:
            counts[run] = counts.get(run, 0) + 1
    shared = [run for run, count in counts.items() if count > 1 and run.strip() == run]
    return max(shared, key=lambda run: (counts[run], len(run), run), default=None)


def _by_first(
    starts: list[str], flags: int, fold: bool
) -> tuple[dict[str, re.Pattern], re.Pattern | None]:
    """The anchored patterns (in their order) a line may match, by its first character: those
    that can start with it and those whose first character is not known (the latter alone for a
    character not in the table). Case-insensitive, ``re`` compares a character by its lowercase
    (U+0130 as "i"; ``_first_keys``), so the table is by ``str.lower``."""
    firsts = [literals.first_chars(fragment, flags) for fragment in starts]
    classes = [
        None if chars is None else re.compile(f"[{re.escape(''.join(sorted(chars)))}]", flags)
        for chars in firsts
    ]
    keys = {chr(code) for code in range(128)}
    for chars in firsts:
        keys.update(_first_keys(chars or (), fold))
    table: dict[str, re.Pattern] = {}
    compiled: dict[tuple[str, ...], re.Pattern] = {}  # most characters share one choice
    for key in sorted(keys):
        chosen = tuple(
            f for f, found in zip(starts, classes, strict=True) if not found or found.match(key)
        )
        if chosen:
            if chosen not in compiled:
                compiled[chosen] = re.compile(_alternation(chosen), flags)
            table[key] = compiled[chosen]
    if fold and "i" in table:
        table["\u0130".lower()] = table["i"]
    table[""] = re.compile(_alternation(starts), flags)  # an empty line
    unknown = tuple(f for f, found in zip(starts, classes, strict=True) if found is None)
    return table, re.compile(_alternation(unknown), flags) if unknown else None


def _by_two(
    starts: list[str], flags: int, fold: bool
) -> tuple[dict[str, re.Pattern], dict[str, re.Pattern]]:
    """The anchored patterns (in their order) a line starting with two ASCII characters may
    match: by those two (lowered when case-insensitive), the patterns that can start with them
    (``literals.prefixes``, each character as ``re`` compares it: ``_first_keys``) and those whose
    first two are not known but whose first character may be the line's; for two characters
    not in the table, the latter alone, by the first character (``by_rest``)."""
    twos: list[set[str] | None] = []
    for fragment in starts:
        found = literals.prefixes(fragment, flags)
        twos.append(None if found is None else {
            first + second
            for text in found
            for first in _first_keys(text[0], fold)
            for second in _first_keys(text[1], fold)
            if (first + second).isascii()
        })
    firsts = [literals.first_chars(fragment, flags) for fragment in starts]
    classes = [
        None if chars is None else re.compile(f"[{re.escape(''.join(sorted(chars)))}]", flags)
        for chars in firsts
    ]
    compiled: dict[tuple[str, ...], re.Pattern] = {}

    def alternation(chosen: tuple[str, ...]) -> re.Pattern:
        if chosen not in compiled:
            compiled[chosen] = re.compile(_alternation(chosen), flags)
        return compiled[chosen]

    def unread(first: str) -> list[str]:  # the patterns whose first two are not known
        return [
            fragment
            for fragment, two, found in zip(starts, twos, classes, strict=True)
            if two is None and (found is None or found.match(first))
        ]

    by_two: dict[str, re.Pattern] = {}
    for key in sorted(set().union(*(two for two in twos if two is not None))):
        chosen = [f for f, two in zip(starts, twos, strict=True) if two is not None and key in two]
        rest = set(unread(key[0]))
        by_two[key] = alternation(tuple(f for f in starts if f in rest or f in chosen))
    by_rest = {
        chr(code): alternation(tuple(chosen))
        for code in range(128)
        if (chosen := unread(chr(code)))
    }
    return by_two, by_rest


def _first_keys(chars: Iterable[str], fold: bool) -> set[str]:
    """The characters a line's first character is looked up by that may match one of ``chars``:
    case-insensitive, the lowercase of each, and the characters ``re`` folds with it."""
    if not fold:
        return set(chars)
    keys = set()
    for char in chars:
        lowered = char.lower()[0]  # U+0130 lowers to i + a combining dot; ``re`` reads i
        keys.add(lowered)
        keys.update(map(chr, literals.extra_cases(lowered)))
    return keys


PHRASE = {
    concept: Phrases(
        _by_language(table), 0 if concept in vocabulary.CASE_SENSITIVE else re.IGNORECASE
    )
    for concept, table in vocabulary.PHRASES.items()
}
# the calls to action a line of up to ``PROMO_MAX_WORDS`` is tried for, in this order, and all of
# them in one (a line that none of them can match, most lines, is read once, not six times)
CALLS = ("subscribe", "newsletter", "app", "consent", "affiliate", "follow")
_ANY_CALL = Phrases(
    [fragment for concept in CALLS for fragment in _by_language(vocabulary.PHRASES[concept])],
    re.IGNORECASE,
)
# the concepts a short line (up to ``SHORT`` words, half the lines, tried for most concepts) is
# tried for, all in one first: a line that none of them can match is not tried for each (not
# here: agency, no literal to test cheaply; bio, case-sensitive; dateline, the top lines only;
# about and offer, read by ``_pitch_rule`` whatever the screen says, never on a short line)
SCREENED = tuple(
    concept
    for concept in PHRASE
    if concept not in ("agency", "dateline", "about", "offer")
    and concept not in vocabulary.CASE_SENSITIVE
)
_SCREEN = Phrases(
    [fragment for concept in SCREENED for fragment in _by_language(vocabulary.PHRASES[concept])],
    re.IGNORECASE,
)
# the concepts a line of ``SHORT`` to ``PROMO_MAX_WORDS`` words is tried for (the paywall, then
# ``_call_rule``'s), all in one first: most such lines (97 %) hold none of them
CALL_SCREENED = ("paywall", *CALLS, "share", "readmore", "credit")
_CALL_SCREEN = Phrases(
    [
        fragment
        for concept in CALL_SCREENED
        for fragment in _by_language(vocabulary.PHRASES[concept])
    ],
    re.IGNORECASE,
)
# ... and up to ``PROMO_MAX_WORDS * 2``: the paywall and the affiliate disclosure (but the page's
# last line, a closing pitch: ``_call_rule``)
LONG_SCREENED = ("paywall", "affiliate")
_LONG_SCREEN = Phrases(
    [
        fragment
        for concept in LONG_SCREENED
        for fragment in _by_language(vocabulary.PHRASES[concept])
    ],
    re.IGNORECASE,
)
# one lowered line for all of them (``_lowered``)
_FOLDED = tuple(
    p.hint
    for p in (*PHRASE.values(), _ANY_CALL, _SCREEN, _CALL_SCREEN, _LONG_SCREEN)
    if p.hint is not None and p.fold
)
_FOLD = literals.joined((), _FOLDED)
_ODD_ASCII = any(map(str.isascii, _FOLD.odd))  # False: an ASCII line has none of them
# promo sentences inside a story line (``_span_rule``): the spans anchored at the line's start,
# by concept, and those that close the line, tried where its end holds one of ``SPAN_GATE``'s words
_SPAN_START = tuple(
    (concept, re.compile(_alternation(starts), re.IGNORECASE))
    for concept, table in vocabulary.SPAN_PHRASES.items()
    if (starts := [f for f in _by_language(table) if f.startswith("^")])
)
_SPAN_FLOAT = tuple(
    (concept, re.compile(_alternation(rest), re.IGNORECASE))
    for concept, table in vocabulary.SPAN_PHRASES.items()
    if (rest := [f for f in _by_language(table) if not f.startswith("^")])
)
_SPAN_HINTS = [
    literals.hint(re.compile(fragment, re.IGNORECASE))
    for table in vocabulary.SPAN_PHRASES.values()
    for fragment in _by_language(table)
    if not fragment.startswith("^")
]
# the gate is sound: each floating fragment's literals (one of them in every match) hold one of
# its words (``vocabulary.SPAN_GATE``), so a line's end holding none of them matches no fragment
if literals.PARSER and not all(
    found is not None
    and all(any(word in literal for word in vocabulary.SPAN_GATE) for literal in found.literals)
    for found in _SPAN_HINTS
):
    raise ValueError("a floating SPAN_PHRASES fragment holds none of SPAN_GATE's words")
# tried on the lowered line's end (a line that matches only through the cases ``re.IGNORECASE``
# folds beyond ``str.lower``, a dotless i, keeps its span); without ``re``'s parser the gate is
# not proved: "" lets every line through
_SPAN_GATE = vocabulary.SPAN_GATE if literals.PARSER else ("",)
CLOSING_CALL = re.compile(_alternation(_by_language(vocabulary.CLOSING_CALLS)), re.IGNORECASE)
SITE_VOICE = re.compile(_alternation(_by_language(vocabulary.SITE_VOICE)))
BYLINE_LABELS = frozenset(vocabulary.BYLINE_LABELS)
REPORTING = Phrases(_by_language(vocabulary.REPORTING), re.IGNORECASE)  # each language's
# pattern tried only on a line holding one of its words ("said": not "selon", "laut" ...)
READER = re.compile(_alternation(_by_language(vocabulary.READER)))
PROMO_HREF = re.compile(vocabulary.PROMO_HREF, re.IGNORECASE)
_PROMO_HREF_LOWER = re.compile(vocabulary.PROMO_HREF)  # on a lowered ASCII href: the same answer
# attribute vocabulary: word sequences (as tuples) and substrings, each to its concept
_MARKUP_WORDS = {
    tuple(word.split("-")): concept
    for concept, tokens in vocabulary.MARKUP_WORD.items()
    for word in tokens
}
_MARKUP_SPAN = max(len(key) for key in _MARKUP_WORDS)
_MARKUP_FIRST = frozenset(key[0] for key in _MARKUP_WORDS)  # cheap test before the word walk
_MARKUP_PARTS = tuple(
    (part, concept) for concept, parts in vocabulary.MARKUP_PART.items() for part in parts
)


def _screen(parts: Iterable[str], size: int) -> tuple[str, ...]:
    """Literals of which every one of ``parts`` holds one: the parts, those sharing a run of
    ``size`` characters or more replaced by it ("subscribe", "suscrib": "scri")."""
    found = list(dict.fromkeys(parts))
    while (shared := _shared(found, size)) is not None:
        found = [shared, *(part for part in found if shared not in part)]
    return tuple(found)


# an attribute string holding none of these holds no part: 12 tests instead of 17 (most strings)
_PART_SCREEN = _screen((part for part, _ in _MARKUP_PARTS), 4)
_WORD = re.compile(r"\w+")
# the same tokens in ASCII text, read twice as fast without ``re``: every character that ``\w``
# does not match to a space, then ``str.split``
_ASCII_SPACE = str.maketrans({chr(c): " " for c in range(128) if not _WORD.match(chr(c))})
# ... and in Latin-1 text (most European languages, once their typographic punctuation, which
# ``\w`` does not match, is a space): as bytes, translated in C (``_latin_words``)
_LATIN_SPACE = bytes(c if _WORD.match(chr(c)) else 0x20 for c in range(256))
_PUNCTUATION = "\u2019\u2018\u201c\u201d\u201e\u201a\u2013\u2014\u2026"  # quotes, dashes, ...
# a line's key from its Latin-1 bytes in one translation: each character casefolded, then to a
# space where ``\w`` does not match it; but for the two that casefold out of one Latin-1
# character (sharp s to "ss", micro sign to Greek mu), left as they are: their lines take the
# casefold (``_line_key``)
_UNFOLDED = (b"\xdf", b"\xb5")
_LATIN_KEY = bytes(
    _LATIN_SPACE[ord(folded)] if len(folded := chr(code).casefold()) == 1 and ord(folded) < 256
    else code
    for code in range(256)
)
# a Latin-1 line lowered for the hints from the same bytes (``_read_line``): sound when no hint
# literal holds typographic punctuation (a space there) and no Latin-1 character is one that
# IGNORECASE folds beyond ``str.lower`` (each lowers to one Latin-1 character: checked)
_LATIN_LOWER = bytes(ord(chr(code).lower()) for code in range(256))
_LATIN_HINTS = not any(
    char in literal for hint in _FOLDED for literal in hint.literals for char in _PUNCTUATION
) and all(ord(char) > 255 for char in _FOLD.odd)
# scripts written without spaces between words: Thai, Lao, Burmese, Khmer; kana, Han, half-width
_SEA = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_UNSPACED_RUN = re.compile(f"[{_SEA}]+|[{_CJK}]+")
_UNSPACED_CHAR = re.compile(f"[{_SEA}{_CJK}]")
_SOUTHEAST_ASIAN = re.compile(f"[{_SEA}]")
_LIST_MARK = re.compile(r"^(?:[-–—•*·>|]+|\d{1,2}[.)])\s+")
_LIST_FIRST = frozenset("-–—•*·>|0123456789")  # what a list mark starts with
_END_PUNCT = re.compile(r"[.!?…:;\"”»)]$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]?$")  # a teaser title does not end like prose
_KICKER = re.compile(r"^([^:?]{1,60})[:?]\s+(.+)$")
_DIGITS = re.compile(r"\d+")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")  # where a sentence ends inside a line
_SENTENCE_GAP = re.compile(r"[.!?](\s+)")  # the same gap (group 1), found by its mark: ``re``
# skips to a mark in C, where the look-behind is tried at every position
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%")  # an offer's percentage, left out of its guard

# --------------------------------------------------------------------------- tunables

PRUNE_TAGS = ("div", "section", "aside", "form", "ul", "ol", "p", "figure")
PRUNE_MAX_SHARE = 0.2  # never prune an element holding more of the page's <p> text than this
PRUNE_MIN_GUARD = 400  # characters: ... unless that is less than this (short pages)
BUDGET = 0.35  # all rules together never take more than this share of the story's words
STORY_SHARE = 0.6  # an element whose words are mostly in the page's articleBody is the story
STORY_MIN_WORDS = 8  # ... when it holds at least this many words
PROSE_MAX_LINKS = 0.5  # a paragraph with more of its words in links is a teaser, not prose
# rules that the page budget leaves alone: they remove copies, the headline above the text,
# the date line, the site's own phrases and the paywall tail, not text that reads like a promo
STRUCTURAL = frozenset({"headline", "dateline", "byline", "repeat", "site", "paywall"})
PROMO_BOX_MAX_WORDS = 60  # a box around a subscribe link is a promo when it is this small
SHORT = 12  # words: a line of page chrome (share, ad label, button, list heading)
PROMO_MAX_WORDS = 40  # words: a call to action is never longer
BLOCK_MAX_WORDS = 30  # words: a line next to a promo that addresses the reader joins it
BODY_LINE = 25  # words: a line this long is article prose (ends a teaser list, blocks a tail)
HEADLINE_MAX_WORDS = 40
HEADLINE_SIMILAR = 0.8  # share of words a top line shares with the title (or standfirst)
DATELINE_MAX_WORDS = 15
BYLINE_MAX_WORDS = 12  # a line naming the article's authors, and nothing else but a label
TOP_LINES = 4  # headline, standfirst and dateline sit in the first lines, before any prose
TEASER_KICKER_WORDS = 4  # "Kicker: <headline>": a teaser's kicker is a few words
TEASER_MIN_WORDS = 5  # ... and its headline, the whole text of a link, at least this many
REPEAT_MIN_WORDS = 10  # shorter repeats are section heads, separators, interview questions
BIO_TAIL = 3  # a bio is one of the last lines
CLOSING_LINES = 8  # the publisher's closing boilerplate is one of the last lines
LEAD_MAX_WORDS = 80  # words: a line led by a call or a credit sentence (``_lead_rule``)
LIST_LINE_ITEMS = 6  # items between slashes: a line of this many short ones is a link list
LIST_ITEM_WORDS = 5  # words: ... each of them this short at most
SPAN_TAIL_CHARS = 400  # characters: a span that closes a line starts in its last ones
ABOUT_MAX_WORDS = 160  # words: the publisher's closing boilerplate (``about``) is never longer
LEAD_MAX_CHARS = 160  # characters: where its first sentence ends at the latest (a quick test)
CJK_CHARS_PER_WORD = 2  # Chinese and Japanese words average 1.5-2 characters
SEA_CHARS_PER_WORD = 4  # Thai, Lao, Khmer, Burmese: about 4 characters a word


@dataclass(frozen=True)
class Gate:
    """What schema.org paywall markup says about a page."""

    paywalled: bool | None = None  # True: not free, False: free, None: silent
    selectors: tuple[str, ...] = ()  # ``hasPart.cssSelector``: the gated article content
    truncated: bool = False  # the gated content is declared but absent or empty
    # the elements the selectors matched, read once (``prune_tree(protect=...)`` takes them)
    gated: tuple[HtmlElement, ...] = field(default=(), repr=False, compare=False)
    # the prune's walk, made with the microdata's (``prune_tree(walk=...)``, the tree unchanged)
    walk: Walk | None = field(default=None, repr=False, compare=False)


@dataclass
class Pruned:
    """What ``prune_tree`` removed."""

    removed: list[str] = field(default_factory=list)
    paywall_text: bool = False  # a removed element held a paywall notice
    truncated: bool = False  # ... and no article prose follows it
    held: bool = False  # the page budget held: what the rules chose was too much of the story
    words: int = 0  # words of paragraph text removed: what the markup rules spent of the budget
    undo: list[_Removal] = field(default_factory=list, repr=False)

    def restore(self) -> None:
        """Put every removed element back where it was (the page budget held after all)."""
        for removal in reversed(self.undo):
            removal.restore()
        self.undo.clear()
        self.removed.clear()
        self.words = 0


class _Removal(NamedTuple):
    """One element taken out of the tree as ``drop_tree`` does (its tail text joined to the text
    before it), with what it takes to put it back (a tuple: built in C, a frozen dataclass sets
    each field through ``object.__setattr__``)."""

    node: HtmlElement
    parent: HtmlElement
    index: int
    previous: HtmlElement | None  # whose tail took the node's tail (None: the parent's text)
    before: str | None  # that text before the node's tail was joined to it

    @classmethod
    def drop(cls, node: HtmlElement) -> _Removal:
        parent = node.getparent()
        previous = node.getprevious()
        before = None  # read only for a tail to join (``restore`` reads it only then)
        if tail := node.tail:
            before = parent.text if previous is None else previous.tail
            if previous is None:
                parent.text = (before or "") + tail
            else:
                previous.tail = (before or "") + tail
        removal = cls(node, parent, parent.index(node), previous, before)
        parent.remove(node)  # the node keeps its tail
        return removal

    def restore(self) -> None:
        if self.node.tail:
            if self.previous is None:
                self.parent.text = self.before
            else:
                self.previous.tail = self.before
        self.parent.insert(self.index, self.node)


@dataclass
class Filtered:
    """The result of the paragraph filter."""

    kept: list[str]
    removed: list[str] = field(default_factory=list)
    truncated: bool = False
    paywall_text: bool = False
    held: bool = False  # the page budget held: markup and line rules chose too much of the story


def words(text: str) -> int:
    """Words of ``text``: ``\\w+`` tokens, and in scripts written without spaces between words
    (Chinese, Japanese, Thai, Lao, Khmer, Burmese), an estimate from the characters: one word
    per ``CJK_CHARS_PER_WORD`` Han / kana and per ``SEA_CHARS_PER_WORD`` Thai-like characters,
    where ``\\w+`` would read a whole sentence as one word."""
    if text.isascii():
        return len(text.translate(_ASCII_SPACE).split())
    if (latin := _latin_words(text)) is not None:
        return len(latin)
    if _spaced(text):
        return len(_WORD.findall(text))
    count = len(_WORD.findall(_UNSPACED_RUN.sub(" ", text)))
    for run in _UNSPACED_RUN.findall(text):
        per = SEA_CHARS_PER_WORD if _SOUTHEAST_ASIAN.match(run) else CJK_CHARS_PER_WORD
        count += -(-len(run) // per)
    return count


def _spaced(text: str) -> bool:
    """``text`` holds no character of a script written without spaces (cheap test first)."""
    return text.isascii() or not _UNSPACED_CHAR.search(text)


def _unpunctuated(text: str) -> str:
    """``text`` with its typographic punctuation (``_PUNCTUATION``, not ``\\w``, left as it is
    by casefold) as spaces: what keeps most European text from reading as Latin-1."""
    for char in _PUNCTUATION:
        if char in text:
            text = text.replace(char, " ")
    return text


def _latin_words(text: str) -> list[str] | None:
    """The ``\\w+`` tokens of a text of Latin-1 characters but for some typographic punctuation
    (``_PUNCTUATION``), or ``None`` for another text: read as bytes, twice as fast as ``re``."""
    text = _unpunctuated(text)
    raw = text.encode("latin-1", "ignore")
    if len(raw) != len(text):  # a character of another script (no exception raised: cheaper)
        return None
    return raw.translate(_LATIN_SPACE).decode("latin-1").split()


def tokens(text: str) -> list[str]:
    """Casefolded ``\\w+`` tokens, unspaced scripts split per character (for overlap tests).
    A text of Latin-1 characters but for some typographic punctuation (``_PUNCTUATION``), most
    ``articleBody`` texts, is casefolded and split in one translation of its bytes, as a line's
    key (``_LATIN_KEY``; not sharp s and the micro sign, which casefold out of Latin-1): no
    ``casefold`` (a lookup a character)."""
    if text.isascii():
        return text.encode().translate(_LATIN_KEY).decode().split()
    bare = _unpunctuated(text)
    raw = bare.encode("latin-1", "ignore")  # as many bytes as characters: all of them Latin-1
    if len(raw) == len(bare) and _UNFOLDED[0] not in raw and _UNFOLDED[1] not in raw:
        return raw.translate(_LATIN_KEY).decode("latin-1").split()
    text = text.casefold()  # maybe Latin-1 now (Ÿ, the Kelvin sign, sharp s ...)
    if (latin := _latin_words(text)) is not None:
        return latin
    if _UNSPACED_CHAR.search(text):  # one character class: faster than the runs' alternation
        text = _UNSPACED_CHAR.sub(" \\g<0> ", text)
    return _WORD.findall(text)


def _norm(text: str) -> str:
    """Whitespace folded: runs of it to one space, none at the ends. Most paragraphs have it
    so already: a printable text holds no whitespace but the space (``isprintable`` is one C
    scan, the split and join make a string per word)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


# --------------------------------------------------------------------------- paywall markup


def _free_value(value: object) -> bool | None:
    """schema.org ``isAccessibleForFree`` value to a bool (``"False"``, ``false``, URLs ...)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().rsplit("/", 1)[-1].casefold()
        return {"true": True, "false": False, "yes": True, "no": False}.get(word)
    return None


def _parts(obj: dict) -> list[dict]:
    parts = obj.get("hasPart")
    parts = parts if isinstance(parts, list) else [parts]
    return [part for part in parts if isinstance(part, dict)]


def _select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    if (name := _CLASS_SELECTOR.fullmatch(selector)) is not None:
        return _with_class(tree, name[1])
    compiled = _css(selector) if len(selector) <= CSS_CACHED_CHARS else _compile(selector)
    if compiled is None:
        return []
    try:
        return compiled(tree)
    except Exception:  # evaluation errors, as compilation's: no match
        return []


def _compile(selector: str) -> CSSSelector | None:
    """A CSS selector compiled, ``None`` when it does not compile."""
    try:
        return CSSSelector(selector)
    except Exception:  # a page's own selector may be anything: cssselect raises its own errors
        return None


# one class name (most ``hasPart.cssSelector`` values: ".paywall"): its attribute nodes searched,
# not each element's normalized class (cssselect's XPath: 1.5-2x slower), the token then
# checked as that XPath does (XML whitespace only: a no-break space joins two names)
_CLASS_SELECTOR = re.compile(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)")
_CLASS_HOLDS = XPath("descendant-or-self::*/@class[contains(., $name)]/..", regexp=False)
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def _with_class(tree: HtmlElement, name: str) -> list[HtmlElement]:
    """``CSSSelector("." + name)(tree)``: the elements whose class holds the token ``name``."""
    token = f" {name} "
    return [
        node
        for node in _CLASS_HOLDS(tree, name=name)
        if token in f" {node.get('class').translate(_XML_SPACE)} "
    ]


# compiled once (cssselect's translation and the XPath compile: up to a millisecond; a site's
# selectors apply to each of its pages); a page's own long selectors are not kept
CSS_CACHED_CHARS = 200
_css = lru_cache(maxsize=256)(_compile)


def paywall_markup(tree: HtmlElement, objects: list[dict] | None = None) -> Gate:
    """What schema.org markup says: not free / free / silent, and which part is gated.

    ``objects``: the page's JSON-LD (``metadata.json_ld``), when the caller has read it already.
    """
    free: list[bool] = []
    selectors: list[str] = []
    for obj in _paywall_json_ld(tree) if objects is None else objects:
        value = _free_value(obj.get("isAccessibleForFree"))
        if value is not None:
            free.append(value)
        for part in _parts(obj):
            if _free_value(part.get("isAccessibleForFree")) is False:
                free.append(False)
                if isinstance(part.get("cssSelector"), str):
                    selectors.append(part["cssSelector"])
    walk = _candidates(tree)  # the prune's walk reads the microdata too: one walk, not two
    for node in walk.microdata:
        value = _free_value(node.get("content") or node.get("href"))
        if value is not None:
            free.append(value)
    paywalled = (False in free) if free else None
    gated = tuple(node for selector in selectors for node in _select(tree, selector))
    truncated = bool(selectors) and _gate_missing(gated)
    return Gate(paywalled, tuple(selectors), truncated, gated, walk)


def _paywall_json_ld(tree: HtmlElement) -> list[dict]:
    """JSON-LD objects of the page, parsed only when a block names ``isAccessibleForFree``."""
    if not any(
        "isAccessibleForFree" in (script.text or "")
        for script in tree.iter("script")
        if script.get("type") == "application/ld+json"
    ):
        return []
    return metadata.json_ld(tree)


def _gate_missing(found: Iterable[HtmlElement]) -> bool:
    """True when the declared gated content (what its selectors ``found``) is not on the page
    (the page stops at the gate)."""
    # one text: a space between two adds no word and splits no run (``words`` of the joined
    # texts is the sum of theirs); most gated parts are the whole story, read for its beginning
    return _at_most(" ".join(_STRING(node) for node in found), BODY_LINE - 1)


# --------------------------------------------------------------------------- markup pruning


def markup_concept(node: HtmlElement) -> str | None:
    """The promo concept an element's class / id / role / aria-label attributes name, if any."""
    return _items_concept(node.items())  # one call for all attributes: cheaper than four ``get``


def _items_concept(items: list[tuple[str, str]]) -> str | None:
    if not items:
        return None
    if len(items) == 1:  # most elements: a class alone (the concept of the key below, no dict)
        name, value = items[0]
        if name == "class":
            return _class_concept(value) if value else None
    get = dict(items).get
    attrs = f"{get('class', '')} {get('id', '')} {get('role', '')} {get('aria-label', '')}"
    if len(attrs) == 3:
        return None
    return _attr_concept(attrs)


def promo_link(href: str) -> bool:
    """``PROMO_HREF`` finds a subscribe / newsletter page in ``href`` (ASCII: the case-sensitive
    pattern on the lowered href, which ``re`` runs several times faster)."""
    if href.isascii():
        return _PROMO_HREF_LOWER.search(href.lower()) is not None
    return PROMO_HREF.search(href) is not None


@lru_cache(maxsize=1 << 16)
def _attr_concept(attrs: str) -> str | None:
    """Concept of an attribute string (cached: pages repeat their class names, not their ids)."""
    attrs = attrs.lower()
    for screen in _PART_SCREEN:
        if screen in attrs:  # some part may be in it: the first in order names the concept
            for part, concept in _MARKUP_PARTS:
                if part in attrs:
                    return concept
            break
    tokens = attrs.replace("_", " ").replace("-", " ").split()  # ``str.split``: ``re``'s \s
    if _MARKUP_FIRST.isdisjoint(tokens):
        return None
    # the longest word sequence, the first of that length: tried only where a key can start
    found, size = None, 0
    for start, token in enumerate(tokens):
        if token in _MARKUP_FIRST:
            for end in range(min(start + _MARKUP_SPAN, len(tokens)), start + size, -1):
                concept = _MARKUP_WORDS.get(tuple(tokens[start:end]))
                if concept:
                    found, size = concept, end - start
                    break
    return found


# a class alone: the same concept as ``_attr_concept(value + "   ")`` (the empty id, role and
# label add nothing), cached by the value as it is (no new string an element)
_class_concept = lru_cache(maxsize=1 << 16)(_attr_concept.__wrapped__)


# The prune's XPaths, read on each candidate: without ``regexp`` (lxml registers the EXSLT
# regular expression functions on each call otherwise, which none of these uses: ~0.4 µs of a
# small element's 3 µs read)
_xpath = partial(XPath, regexp=False)
# Text inside paragraphs. Not ``.//p//text()``: libxml2 sorts and merges that union, which is
# quadratic in the number of paragraphs (29 s on a page of 60,000 <p>; this takes 0.1 s). The
# ``[1]``: the same test (some <p> above the text), but libxml2 stops its ancestor walk at the
# nearest <p> instead of collecting all of them (1.7x faster on candidates, 1.2x on pages)
_P_TEXT = _xpath("descendant::text()[ancestor::p[1]]", smart_strings=False)
_TEXT = _xpath("descendant::text()", smart_strings=False)  # ``itertext()``, read in C
# ``text_content()`` without its Python method frame (lxml.html's own XPath, the same string)
_STRING = _xpath("string()", smart_strings=False)
_OUTER_P = _xpath("descendant-or-self::p[not(ancestor::p[1])]")  # each paragraph text once
PAGE_P_CALLS = 400  # outermost <p> read one by one at most (``_Guard.page_chars``)
_LENGTH = _xpath("string-length()")  # characters of an element's text (code points, as ``len``)
_EMAIL_FORM = _xpath('.//input[@type="email" or contains(@name, "mail")]')
# the page total in one call: the outermost <p> joined by EXSLT's ``str:concat`` (libexslt, which
# lxml registers for its XPath) and counted in libxml2, no Python string or call a paragraph
_PAGE_P_LENGTH = _xpath(
    "string-length(str:concat(descendant-or-self::p[not(ancestor::p[1])]))",
    namespaces={"str": "http://exslt.org/strings"},
)


def _exslt_concat() -> bool:
    """Whether this lxml's XPath has ``str:concat`` and counts as ``len`` (probed once)."""
    try:
        probe = XML("<div><p>a<b>b</b><p>c</p></p>x<p>d&#x1F600;</p></div>")
        return _PAGE_P_LENGTH(probe) == 5
    except XPathError:
        return False


EXSLT_CONCAT = _exslt_concat()


def _string(node: HtmlElement) -> str:
    """``_STRING(node)``; of an element without children (most links), its text, read without
    an XPath call (lxml joins an element's text nodes, as ``string()`` joins them)."""
    if len(node):  # an element, comment or processing instruction below: the XPath
        return _STRING(node)
    return node.text or ""


class _Guard:
    """Which elements the markup rules may remove: never the article, its title or kept parts."""

    def __init__(
        self,
        tree: HtmlElement,
        headlines: Iterable[HtmlElement],
        protect: Iterable[str | HtmlElement],
        keep: Iterable[str],
    ) -> None:
        self.ancestors: set = set()  # protected elements and everything around them
        self.kept: set = set()  # whole subtrees of ``keep_selectors`` matches
        for node in headlines:  # the page's <h1>: the headline sits with the article
            self.ancestors.add(node)
            self.ancestors.update(node.iterancestors())
        for item in protect:
            for node in _select(tree, item) if isinstance(item, str) else [item]:
                self.ancestors.add(node)
                self.ancestors.update(node.iterancestors())
        for selector in keep:
            for node in _select(tree, selector):
                self.ancestors.update(node.iterancestors())
                self.kept.update(node.iter())
        body = tree.find("body")
        self.page = body if body is not None else tree
        self.chars: dict[HtmlElement, int] = {}
        self.texts: dict[HtmlElement, list[str]] = {}  # paragraph text nodes (``p_chars``)
        self.nodes: dict[HtmlElement, list[str]] = {}  # all text nodes (``text_nodes``)

    @cached_property
    def limit(self) -> float:
        """Most paragraph text an element may hold; read only for elements above the floor."""
        return max(PRUNE_MAX_SHARE * self.page_chars, PRUNE_MIN_GUARD)

    @cached_property
    def page_chars(self) -> int:
        """``p_chars(self.page)``, read as the length of the outermost <p>: one ancestor walk
        a paragraph instead of one a text node (2-4x faster on the bench's pages), in one call
        (``_PAGE_P_LENGTH``: 0.27 -> 0.23 ms a news-dev page, 102 -> 22 ms on 60,000 <p> in a
        flat page)."""
        if next(self.page.iterancestors("p"), None) is not None:  # all its text is in a <p>
            return self.p_chars(self.page)
        if EXSLT_CONCAT:
            return int(_PAGE_P_LENGTH(self.page))
        return self.outer_p_chars()

    def outer_p_chars(self) -> int:
        """``page_chars`` without EXSLT: the outermost <p> one by one, but on a page of very many
        (an XPath call each: 10x slower than the text walk on 60,000 in a flat page)."""
        outer = _OUTER_P(self.page)
        if len(outer) > PAGE_P_CALLS:
            return self.p_chars(self.page)
        return sum(int(_LENGTH(p)) for p in outer)

    def allows(self, node: HtmlElement, *, explicit: bool = False) -> bool:
        if node in self.ancestors or node in self.kept:
            return False
        if explicit:
            return True
        chars = self.p_chars(node)
        return chars <= PRUNE_MIN_GUARD or chars <= self.limit

    def p_chars(self, node: HtmlElement) -> int:
        """``_p_chars(node)``, read once per element (the budget reads it again). Most
        candidates have no <p> around or below them: no paragraph text, no XPath call (two
        tag walks in libxml2 cost less than half of one); a <p> or an element inside one: all
        its text is paragraph text (``text_nodes``, which the evidence and the removal read)."""
        chars = self.chars.get(node)
        if chars is None:
            if node.tag == "p" or next(node.iterancestors("p"), None) is not None:
                found = self.text_nodes(node)
            elif not len(node) or next(node.iter("p"), None) is None:  # no child: no <p>
                found = []
            else:
                found = _P_TEXT(node)
            self.texts[node] = found
            chars = self.chars[node] = sum(map(len, found))
        return chars

    def text_nodes(self, node: HtmlElement) -> list[str]:
        """The text nodes under ``node`` (``_TEXT``), read once per element: joined, its text
        (``_STRING``) for the evidence, or the removed text."""
        found = self.nodes.get(node)
        if found is None:
            found = self.nodes[node] = _TEXT(node)
        return found

    def p_words(self, node: HtmlElement) -> int:
        """Words of the paragraph text under ``node`` (read by ``p_chars``)."""
        if not self.p_chars(node):  # most removed elements: no paragraph text
            return 0
        return words(" ".join(self.texts[node]))


def _p_chars(node: HtmlElement) -> int:
    return len("".join(_P_TEXT(node)))


def paragraph_chars(node: HtmlElement) -> int:
    """Characters of text inside ``<p>`` elements under ``node``."""
    return _p_chars(node)


def article_body(objects: Iterable[dict]) -> str:
    """The page's longest JSON-LD ``articleBody`` (the publisher's own story text), or ``""``."""
    best = ""
    for obj in objects:
        body = obj.get("articleBody")
        if isinstance(body, str) and len(body) > len(best):
            best = body
    return _norm(best)


def _inside(node: HtmlElement, chosen: dict, guard: _Guard) -> bool:
    """``node`` or an ancestor is chosen. The guard's ancestors hold each one's ancestors and
    none is chosen: the walk up stops at the first (a story's paragraphs: one level, not ten)."""
    if not chosen:  # most candidates: nothing chosen yet, no ancestor to read
        return False
    if node in chosen:
        return True
    held = guard.ancestors
    for parent in node.iterancestors():
        if parent in chosen:
            return True
        if parent in held:
            return False
    return False


def _promo_box(anchor: HtmlElement, guard: _Guard, small: dict) -> HtmlElement | None:
    """The largest small box around a subscribe / newsletter link, up to three levels up.
    ``small``: each element's answer, read once (links share their boxes: two links of one
    bench page read one 74,000-character container once, not twice)."""
    box = None
    node = anchor.getparent()
    for _ in range(3):
        if node is None or node.tag not in ("div", "section", "aside", "figure"):
            break
        fits = small.get(node)
        if fits is None:  # the text as one string: most levels that fail are large
            fits = small[node] = _at_most(_STRING(node), PROMO_BOX_MAX_WORDS)
        if not fits or not guard.allows(node):
            break
        box = node
        node = node.getparent()
    return box


def _at_most(text: str, limit: int) -> bool:
    """``words(text) <= limit``, a long text read from its beginning, in prefixes four times
    longer each: a prefix holds no more words than the whole text (a word cut at the end is
    still one, an unspaced run cut counts no more characters)."""
    size = (limit + 1) * PREFIX_CHARS_PER_WORD
    while size < len(text):
        if words(text[:size]) > limit:
            return False
        size *= 4
    return words(text) <= limit


PREFIX_CHARS_PER_WORD = 16  # characters of a text's first prefix, per word allowed


class Walk(NamedTuple):
    """What one walk over the page finds, in document order."""

    headlines: list[HtmlElement]  # <h1>: the guard's
    marked: list[tuple[HtmlElement, str]]  # marked-up promo candidates with their concept
    anchors: list[HtmlElement]  # promo links
    microdata: list[HtmlElement]  # <meta> / <link> with ``itemprop="isAccessibleForFree"``


def _candidates(tree: HtmlElement) -> Walk:
    """The page's headlines, its marked-up promo candidates with their concept, its promo
    links and its paywall microdata: one walk over the page, not four (a walk costs ~0.15 ms a
    page in libxml2 whatever it finds: ``tree.iter("h1")`` as much). The walk reads each element
    once, most of them by the cheapest test that answers (``markup_concept``'s class-alone case
    and ``promo_link``'s ASCII case inline: a Python call per element is a tenth of the walk)."""
    headlines: list[HtmlElement] = []
    marked: list[tuple[HtmlElement, str]] = []
    anchors: list[HtmlElement] = []
    microdata: list[HtmlElement] = []
    for node in tree.iter(*PRUNE_TAGS, "a", "h1", "meta", "link"):
        tag = node.tag
        if tag == "a":
            href = node.get("href")
            if not href:  # an empty href names no page
                continue
            if href.isascii():
                if _PROMO_HREF_LOWER.search(href.lower()) is not None:
                    anchors.append(node)
            elif PROMO_HREF.search(href) is not None:
                anchors.append(node)
        elif tag == "h1":
            headlines.append(node)
        elif tag == "meta" or tag == "link":  # microdata carries the property on these
            if node.get("itemprop") == "isAccessibleForFree":
                microdata.append(node)
        else:
            items = node.items()
            if len(items) == 1 and items[0][0] == "class":
                value = items[0][1]
                concept = _class_concept(value) if value else None
            else:
                concept = _items_concept(items) if items else None
            if concept is None and tag == "form" and _EMAIL_FORM(node):
                concept = "newsletter"
            if concept:
                marked.append((node, concept))
    return Walk(headlines, marked, anchors, microdata)


def prune_tree(
    tree: HtmlElement,
    rules: SiteRules | None = None,
    *,
    protect: Iterable[str | HtmlElement] = (),
    story: str = "",
    walk: Walk | None = None,
) -> Pruned:
    """Remove promo elements from ``tree`` in place; return the text of what was removed.

    ``protect`` names elements that must survive, by selector or as elements (the gated content:
    ``Gate.selectors``, or ``Gate.gated``, the elements they matched, not selected again).
    ``walk``: ``Gate.walk``, when ``paywall_markup`` read the same tree, unchanged since.
    """
    rules = rules or SiteRules()
    # one walk over the page (``paywall_markup``'s when given): headlines, marked-up promo
    # candidates and promo links; the guard (which needs the headlines) decides on the candidates
    headlines, marked, anchors, _ = walk or _candidates(tree)
    guard = _Guard(tree, headlines, protect, rules.keep_selectors)
    evidence = _Evidence(story, guard)
    chosen: dict[HtmlElement, str] = {}
    for selector in rules.remove_selectors:
        for node in _select(tree, selector):
            if guard.allows(node, explicit=True):
                chosen.setdefault(node, "site")
    # the marked candidates come in document order, each skipped inside one chosen before it:
    # none of them holds another; a site's selectors and the promo boxes may nest
    nested = bool(chosen)
    for node, concept in marked:
        if _inside(node, chosen, guard) or not guard.allows(node):
            continue
        if not evidence.story_like(node):
            chosen[node] = concept
    small: dict[HtmlElement, bool] = {}
    for anchor in anchors:
        if words(_string(anchor)) <= 6:
            box = _promo_box(anchor, guard, small)
            if box is not None and not evidence.story_like(box):
                chosen.setdefault(box, "promo-box")
                nested = True
    if nested:
        top = [n for n in chosen if not any(map(chosen.__contains__, n.iterancestors()))]
        chosen = {node: chosen[node] for node in top}
    chosen_chars = sum(map(guard.p_chars, chosen))
    if chosen_chars > PRUNE_MIN_GUARD and chosen_chars > BUDGET * guard.page_chars:
        # the page budget, read before extraction on the page's paragraph text: spent already
        return Pruned(held=True)
    return _drop(chosen, guard)


class _Evidence:
    """Whether an element's text reads as the story rather than as what its markup names.

    Prose (a paragraph of ``BODY_LINE`` words or more, mostly not link text, without promo or
    paywall wording) or text that the page's JSON-LD ``articleBody`` holds is the story, whatever
    the element's class says (Condé Nast marks each body paragraph ``paywall``).
    """

    def __init__(self, text: str, guard: _Guard) -> None:
        self.text = text
        self.guard = guard

    @cached_property
    def story(self) -> frozenset[str]:
        """The ``articleBody``'s tokens, read only when an element has enough words to judge."""
        return frozenset(tokens(self.text))

    def story_like(self, node: HtmlElement) -> bool:
        # ``words`` counts no more words than characters (a token takes one, an unspaced run of
        # n characters counts n / 2 or n / 4 words): under ``BODY_LINE`` characters of paragraph
        # text (the guard's, read already), no <p> holds a line of prose
        if self.guard.p_chars(node) >= BODY_LINE:
            for p in [node] if node.tag == "p" else node.iter("p"):
                text = "".join(self.guard.text_nodes(node)) if p is node else _string(p)
                n_words = words(text)
                if n_words < BODY_LINE:
                    continue
                linked = sum(words(_string(a)) for a in p.iter("a"))
                if linked <= PROSE_MAX_LINKS * n_words and not _promo_wording(text):
                    return True
        if self.text:
            text = "".join(self.guard.text_nodes(node))
            found = tokens(text)
            if len(found) >= STORY_MIN_WORDS:
                story = self.story
                inside = sum(map(story.__contains__, found))  # in C: no frame a token
                if inside >= STORY_SHARE * len(found) and not _promo_wording(text):
                    return True
        return False


def _promo_wording(text: str) -> bool:
    """Some line of ``text`` holds promo or paywall wording (any concept's phrases)."""
    lines = text.splitlines()
    if len(lines) == 1 and lines[0] == text:  # one line (most paragraphs): read once, not twice
        return promo_kind(text) is not None
    return any(
        promo_kind(line) is not None for line in lines if words(line) <= PROMO_MAX_WORDS
    ) or promo_kind(text) is not None


def _drop(chosen: dict[HtmlElement, str], guard: _Guard) -> Pruned:
    """Remove the chosen elements (none inside another), reversibly."""
    pruned = Pruned()
    for node, rule in chosen.items():
        text = _norm(" ".join(guard.text_nodes(node)))
        if text:
            pruned.removed.append(f"markup:{rule}: {text}")
            pruned.words += guard.p_words(node)
            if PHRASE["paywall"].search(text):
                pruned.paywall_text = True
                pruned.truncated = pruned.truncated or _ends_article(node)
        pruned.undo.append(_Removal.drop(node))
    return pruned


def _ends_article(node: HtmlElement) -> bool:
    """No paragraph of prose comes after ``node`` in the page (elements: a comment is none, and
    no XPath context either; the crawl's parser drops comments, a caller's tree may hold some)."""
    return not any(words(_string(p)) >= BODY_LINE for p in node.itersiblings(Element))


# --------------------------------------------------------------------------- paragraph filter


def promo_kind(line: str) -> str | None:
    """The promo / paywall concept a line's wording belongs to, with no context guard.

    The benchmark's detector of promo lines left in output; the filter adds position and shape.
    """
    line = _norm(line)
    lowered = _lowered(line)  # read once for the six concepts' literal hints
    for concept in ("paywall", "subscribe", "newsletter", "app", "ad", "consent"):
        if PHRASE[concept].search(line, lowered):
            return concept
    return None


def _key(text: str) -> tuple[str, ...]:
    return _line_key(text)[0]


def _line_key(line: str) -> tuple[tuple[str, ...], int]:
    """A line's key (its casefolded ``\\w+`` tokens) and its ``words``: the key's length but in
    the scripts written without spaces. Their characters casefold to none of Latin-1: a line
    whose key reads as Latin-1 is spaced, not searched for them."""
    key, n_words, _ = _read_line(line, lower=False)
    return key, n_words


def _read_line(
    line: str, lower: bool = True
) -> tuple[tuple[str, ...], int, str | None]:
    """``_line_key`` and, when ``lower`` and the line is of up to ``PROMO_MAX_WORDS * 2`` words,
    its ``_lowered`` form for the hints; of a Latin-1 line (but for typographic punctuation),
    lowered from the bytes read for the key (the punctuation a space: ``_LATIN_HINTS``)."""
    if line.isascii():  # casefold is lower there: as bytes, in one translation
        key = tuple(line.encode().translate(_LATIN_KEY).decode().split())
        lowered = _lowered(line) if lower and len(key) <= PROMO_MAX_WORDS * 2 else None
        return key, len(key), lowered
    text = _unpunctuated(line)
    # as many bytes as characters: all of them Latin-1 (no exception raised for the others)
    raw = text.encode("latin-1", "ignore")
    if len(raw) == len(text) and _UNFOLDED[0] not in raw and _UNFOLDED[1] not in raw:
        key = tuple(raw.translate(_LATIN_KEY).decode("latin-1").split())
        if not lower or len(key) > PROMO_MAX_WORDS * 2:
            return key, len(key), None
        if _LATIN_HINTS:
            return key, len(key), raw.translate(_LATIN_LOWER).decode("latin-1")
        return key, len(key), _lowered(line)
    key, n_words = _other_key(line, text)
    lowered = _lowered(line) if lower and n_words <= PROMO_MAX_WORDS * 2 else None
    return key, n_words, lowered


def _other_key(line: str, text: str) -> tuple[tuple[str, ...], int]:
    """``_line_key`` of a line not read as Latin-1 bytes: another script, a sharp s, a micro
    sign (``text``: the line without its typographic punctuation)."""
    folded = text.casefold()  # maybe Latin-1 now (Ÿ, the Kelvin sign, sharp s ...)
    raw = folded.encode("latin-1", "ignore")
    if len(raw) == len(folded):
        key = tuple(raw.translate(_LATIN_SPACE).decode("latin-1").split())
        return key, len(key)
    key = tuple(_WORD.findall(folded))
    return key, len(key) if _spaced(line) else words(line)


def _similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two short texts say the same: most words shared, or one starts / ends the other."""
    if not a or not b:
        return False
    if len(a) >= 4 and (b[: len(a)] == a or b[-len(a) :] == a):
        return True
    shared = len(set(a) & set(b))
    return shared / max(len(set(a)), len(set(b))) >= HEADLINE_SIMILAR


def _top_rule(
    line: str,
    key: tuple[str, ...],
    n_words: int,
    context: _Context,
    index: int,
    lowered: str | None = None,
) -> str | None:
    """Headline or dateline repeated above the article text (a standfirst is the story's: it
    stays, as the publishers' own parsers and both recent annotated sets keep it).
    ``lowered``: ``_lowered(line)``, read once by the filter."""
    if n_words <= HEADLINE_MAX_WORDS:
        if context.title and _similar(key, context.title):
            return "headline"
        if not context.title and index == 0 and _heading_shaped(line, context.lines):
            return "headline"
    if n_words > DATELINE_MAX_WORDS and not _spaced(line):  # 2025年1月14日 01時28分: the
        n_words = words(_DIGITS.sub(" ", line))  # estimate reads each number as a word
    if n_words <= DATELINE_MAX_WORDS and PHRASE["dateline"].search(line, lowered):
        return "dateline"
    return None


def _byline(key: tuple[str, ...], n_words: int, authors: tuple[tuple[str, ...], ...]) -> bool:
    """A line that names the article's authors (each name whole) and holds nothing else but the
    words of a byline's label ("By", "Von", "Autor" ...): a copy of the metadata's authors."""
    if not authors or n_words > BYLINE_MAX_WORDS:
        return False
    named = [name for name in authors if _holds(key, name)]
    if not named:
        return False
    allowed = BYLINE_LABELS.union(*named)
    return all(word in allowed for word in key)


def _holds(key: tuple[str, ...], name: tuple[str, ...]) -> bool:
    size = len(name)
    return any(key[start : start + size] == name for start in range(len(key) - size + 1))


def _heading_shaped(line: str, lines: list[str]) -> bool:
    """With no title known: a first line without end punctuation, followed by prose."""
    return not _END_PUNCT.search(line) and len(lines) > 1 and words(lines[1]) >= BODY_LINE


def _bare(line: str) -> str:
    """``line`` without its list mark. ``\\d`` is ``str.isdecimal``: a line whose first
    character starts no mark (most lines) is not given to ``re``."""
    first = line[:1]
    return _LIST_MARK.sub("", line) if first in _LIST_FIRST or first.isdecimal() else line


def _lowered(line: str) -> str | None:
    """``line`` lowered for the concepts' literal hints (``literals.Hint.text``), or ``None``
    when it holds a character that ``re.IGNORECASE`` may match to two (each hint checks then)."""
    if line.isascii() and not _ODD_ASCII:
        return line.lower()
    return _FOLD.text(line)


def _line_rule(
    line: str,
    n_words: int,
    index: int,
    count: int,
    lowered: str | None = None,
    phrases: bool = True,
) -> str | None:
    """The rule that calls one line boilerplate by wording, shape and position, or None.

    ``phrases``: False when the line holds no phrase of the concepts screened at its length
    (``SCREENED`` up to ``SHORT`` words, ``CALL_SCREENED`` up to ``PROMO_MAX_WORDS``,
    ``LONG_SCREENED`` above, but on the last line); only the others are tried then.
    """
    if n_words <= SHORT:
        bare = _bare(line)
        held = lowered if bare is line else None  # most lines: no list mark, lowered already
        for concept in ("ad", "share", "cta", "nav", "agency") if phrases else ("agency",):
            if PHRASE[concept].search(bare, held):
                return concept
    if phrases and (rule := _call_rule(line, n_words, index, count, lowered)):
        return rule
    if index >= count - BIO_TAIL and n_words <= 80 and index > 0 and PHRASE["bio"].search(line):
        return "bio"
    return None


def _call_rule(
    line: str, n_words: int, index: int, count: int, lowered: str | None
) -> str | None:
    """Calls to action, disclosures, share and read-more links, credit lines."""
    if n_words <= PROMO_MAX_WORDS and _ANY_CALL.search(line, lowered):
        for concept in CALLS:
            if PHRASE[concept].search(line, lowered) and not REPORTING.search(line):
                return concept
    disclosure = PROMO_MAX_WORDS < n_words <= 2 * PROMO_MAX_WORDS  # runs longer than a call
    if disclosure and PHRASE["affiliate"].search(line, lowered) and not REPORTING.search(line):
        return "affiliate"
    if disclosure and index == count - 1 and READER.search(line) and not REPORTING.search(line):
        # the closing pitch: the last line, addressed to the reader, may run longer
        for concept in ("subscribe", "newsletter"):
            if PHRASE[concept].search(line, lowered):
                return concept
    if n_words <= BLOCK_MAX_WORDS and PHRASE["share"].search(line, lowered):
        return "share"
    if n_words <= BLOCK_MAX_WORDS and PHRASE["readmore"].search(_bare(line)):
        return "readmore"
    if n_words <= PROMO_MAX_WORDS and PHRASE["credit"].search(line, lowered):
        return "credit"
    return None


def _pitch_rule(
    line: str, n_words: int, index: int, closing: bool, lowered: str | None
) -> str | None:
    """Reader pitches and closing boilerplate, by wording and position (round 9):

    * ``offer``: a discount on the site's own subscription, addressed to the reader (its
      percentage is the offer: the reporting guard reads the line without it);
    * ``about``: the publisher's boilerplate after the story (a company fact sheet, "<Name> is a
      nonprofit ... our clinicians", an adviser's disclosure; a sentence or more, over ``SHORT``
      words) in the lines that close the page (``closing``: ``_closing_start``);
    * ``pitch``: a line of up to ``LEAD_MAX_WORDS`` led by a short sentence that is a call to
      action or a credit, when it closes the page or that sentence asks or exclaims and another
      of its sentences calls too (``_lead_rule``).
    """
    if n_words <= PROMO_MAX_WORDS and "%" in line and PHRASE["offer"].search(line, lowered):
        offer = READER.search(line) and not REPORTING.search(_PERCENT.sub(" ", line))
        return "offer" if offer else None
    if index == 0:
        return None
    if closing and SHORT < n_words <= ABOUT_MAX_WORDS and PHRASE["about"].search(line, lowered):
        return None if REPORTING.search(line) else "about"
    if n_words > LEAD_MAX_WORDS:
        return None
    if n_words > PROMO_MAX_WORDS and _lead_rule(line, closing):
        return None if REPORTING.search(line) else "pitch"  # the guard last: it is slow
    return None


def _closing_pitch(line: str, n_words: int) -> bool:
    """The page's last line, a paragraph of up to ``ABOUT_MAX_WORDS`` addressed to the reader
    and speaking for the site, that ends on a call of a few words ("Talk to us for further
    discussion.", "Take the first step towards becoming a nutrition expert today!"): the site's
    closing pitch (round 11)."""
    if not PROMO_MAX_WORDS < n_words <= ABOUT_MAX_WORDS:
        return False
    last = _SENTENCES.split(line.rstrip())[-1]
    return (
        words(last) <= SHORT
        and CLOSING_CALL.match(_bare(last)) is not None
        and READER.search(line) is not None
        and SITE_VOICE.search(line) is not None
        and not REPORTING.search(line)
    )


def _closing_start(lines: list[str]) -> int:
    """The index from which lines close the page: the last ``BIO_TAIL`` lines, and of the last
    ``CLOSING_LINES``, the last prose line and those after it."""
    floor = max(1, len(lines) - CLOSING_LINES)
    index = len(lines) - 1
    while index > floor and (len(lines[index]) < BODY_LINE or words(lines[index]) < BODY_LINE):
        index -= 1  # a word takes a character at least: most closing lines are counted by len
    return max(1, min(index, len(lines) - BIO_TAIL))


def _lead_rule(line: str, closing: bool) -> bool:
    """A line led by a short sentence (``SHORT`` words at most) that is a call or a credit is a
    pitch as a whole when it closes the page, or when that sentence asks or exclaims ("Did you
    make one of my recipes?") and another of its sentences calls too."""
    found = _SENTENCE_GAP.search(line, 0, LEAD_MAX_CHARS)
    if found is None or not (closing or line[found.start()] in "?!"):
        return False
    first = line[: found.start(1)]
    if words(first) > SHORT or not _sentence_call(first):
        return False
    rest = _SENTENCES.split(line[found.end(1) :])
    return closing or any(_sentence_call(s) for s in rest if words(s) <= PROMO_MAX_WORDS)


def _sentence_call(sentence: str) -> bool:
    """One sentence is a call to action (``CALLS``) or a credit by its wording alone."""
    if _ANY_CALL.search(sentence):
        for concept in CALLS:
            if PHRASE[concept].search(sentence):
                return True
    return PHRASE["credit"].search(sentence)


def _span_rule(line: str) -> tuple[str, list[str]] | None:
    """Promo sentences inside a story line, which the extraction merged into a paragraph (round
    11): the line without them and the audit entries, or None. Only spans whose wording is never
    story text (``vocabulary.SPAN_PHRASES``): a "Jump to the list ⤵" link leading the line
    (``jump``); closing it, the Amazon Associates disclosure appended to a blurb
    (``affiliate``), a blog's "Posted by <Name> at <date>" footer (``footer``), a topic list
    after "All content about" (``tags``)."""
    spans: list[tuple[int, int, str]] = []
    for concept, pattern in _SPAN_START:
        if found := pattern.match(line):
            spans.append((found.start(), found.end(), concept))
    offset = max(0, len(line) - SPAN_TAIL_CHARS)
    tail = line[offset:]
    if any(map(tail.lower().__contains__, _SPAN_GATE)):
        for concept, pattern in _SPAN_FLOAT:
            if found := pattern.search(tail):
                spans.append((offset + found.start(), offset + found.end(), concept))
    if not spans:
        return None
    spans.sort()
    pieces, removed, at = [], [], 0
    for start, end, concept in spans:
        if start < at:  # overlapping spans: the first one cut holds it
            continue
        pieces.append(line[at:start].strip())
        removed.append(f"{concept}: {line[start:end].strip()}")
        at = end
    pieces.append(line[at:].strip())
    return " ".join(piece for piece in pieces if piece), removed


def _link_above(line: str, links: Collection[str]) -> bool:
    """A line kept above the headline that is the whole text of one of the page's links, a list
    item's too, and reads as no sentence: the blog's or section's name, a breadcrumb, "Back to
    selection" (round 11; every line kept above the headline is short: ``_top_rule``)."""
    bare = _bare(line)
    return bare in links and not _SENTENCE_END.search(bare) and words(bare) <= SHORT


def _link_list_line(line: str) -> bool:
    """A line that is a run of short items between slashes, none a sentence: the site's links
    (its keyword pages, its services) run into one line (round 11)."""
    items = line.split(" / ")
    return len(items) >= LIST_LINE_ITEMS and all(
        words(item) <= LIST_ITEM_WORDS and not _SENTENCE_END.search(item) for item in items
    )


def _is_tail(lines: list[str], start: int) -> bool:
    """A paywall notice ends the visible article: at most one prose line follows it."""
    return sum(words(line) >= BODY_LINE for line in lines[start + 1 :]) <= 1


def _joins_block(line: str, n_words: int) -> bool:
    """A line next to a promo that belongs to it: it talks to the reader, or is a button."""
    if n_words > BLOCK_MAX_WORDS or REPORTING.search(line):
        return False
    return bool(READER.search(line)) or (n_words <= 4 and not _END_PUNCT.search(line))


def _site_phrases(rules: SiteRules | None) -> re.Pattern | None:
    if rules is None or not rules.remove_phrases:
        return None
    return re.compile(_alternation(rules.remove_phrases), re.IGNORECASE)


@dataclass(frozen=True)
class _Context:
    """What the filter knows about the article besides its lines."""

    lines: list[str]
    title: tuple[str, ...] = ()
    authors: tuple[tuple[str, ...], ...] = ()  # each author's name as ``_key`` words


def filter_paragraphs(
    paragraphs: list[str],
    *,
    title: str | None = None,
    rules: SiteRules | None = None,
    description: str | None = None,
    headings: Iterable[str] = (),
    markup_words: int = 0,
    hold: bool = False,
    links: Collection[str] = (),
    authors: Iterable[str] = (),
) -> Filtered:
    """Drop promo / paywall paragraphs from extracted text; flag a paywall tail.

    ``description`` (the page's meta description) and ``headings`` (the lines that were headings
    in the extracted body) are kept for callers, not read (a standfirst is part of the story and
    stays).
    ``markup_words``: what the markup rules removed before extraction (``Pruned.words``), which
    the page budget counts with what the line rules choose; ``hold``: the budget held already,
    only the structural rules remove. ``links``: the texts of the page's links (whitespace
    folded), the evidence of a list of teasers (``_teasers``); ``authors``: the article's authors
    as the metadata reads them, whose byline above or below the text is a copy of them.
    """
    lines = [_norm(p) for p in paragraphs if p and p.strip()]
    teasers = _teasers(lines, links) if links else frozenset()
    context = _Context(lines, _key(title or ""), tuple(name for name in map(_key, authors) if name))
    site = _site_phrases(rules)
    out = Filtered(kept=[])
    seen: set[str] = set()  # the lines' keys, each as one string: one hash, not one a word
    in_list = in_block = False
    top = True
    closing = _closing_start(lines)
    for index, line in enumerate(lines):
        key, n_words, lowered = _read_line(line)
        joined = " ".join(key)  # no word holds a space: the same key
        rule: str | None = None
        # a line holding no phrase of the screened concepts is not tried for each (a line with
        # a list mark is: the mark is cut before some concepts are tried)
        if n_words <= SHORT:
            phrases = line[:1] in _LIST_FIRST or _SCREEN.search(line, lowered)
        elif n_words <= PROMO_MAX_WORDS:
            first = line[:1]
            phrases = (
                first in _LIST_FIRST or first.isdecimal() or _CALL_SCREEN.search(line, lowered)
            )
        else:
            phrases = n_words <= PROMO_MAX_WORDS * 2 and (
                index == len(lines) - 1 or _LONG_SCREEN.search(line, lowered)
            )
        if (
            top
            and index < TOP_LINES
            and (rule := _top_rule(line, key, n_words, context, index, lowered))
        ):
            pass
        elif site is not None and site.search(line):
            rule = "site"
        elif joined in seen and n_words >= REPEAT_MIN_WORDS and not line.endswith("?"):
            rule = "repeat"
        elif phrases and PHRASE["paywall"].search(line, lowered):
            out.paywall_text = True
            if index > 0 and _is_tail(lines, index):
                out.truncated = True
                out.removed.extend(f"paywall: {rest}" for rest in lines[index:])
                break
            rule = "paywall"
        elif phrases and n_words <= SHORT and PHRASE["related"].search(_bare(line)):
            rule, in_list = "related", True
        elif (
            phrases
            and n_words <= SHORT
            and index >= len(lines) - BIO_TAIL
            and PHRASE["tags"].search(line)
        ):
            rule, in_list = "tags", True
        elif in_list and n_words < BODY_LINE and not _SENTENCE_END.search(line):
            rule = "related"
        elif index in teasers:
            rule = "teaser"
        elif (index < TOP_LINES or index >= len(lines) - BIO_TAIL) and _byline(
            key, n_words, context.authors
        ):
            rule = "byline"  # above or below the text, after a standfirst too
        else:
            rule = _line_rule(line, n_words, index, len(lines), lowered, phrases)
            if rule is None and (n_words > PROMO_MAX_WORDS or index >= closing or "%" in line):
                rule = _pitch_rule(line, n_words, index, index >= closing, lowered)
                if rule is None and index == len(lines) - 1 and _closing_pitch(line, n_words):
                    rule = "pitch"
            if rule is None and " / " in line and _link_list_line(line):
                rule = "nav"
            if rule is None and in_block and _joins_block(line, n_words):
                rule = "promo-block"
        top = top and (rule is not None or n_words < BODY_LINE)
        seen.add(joined)
        if rule is None:
            in_list = in_block = False
            if n_words > PROMO_MAX_WORDS * 2 and (cut := _span_rule(line)):  # no line rule ran
                line = cut[0]
                out.removed.extend(cut[1])
            out.kept.append(line)
            continue
        if rule == "headline" and links:  # the site's links above it: a kicker, a breadcrumb
            while out.kept and _link_above(out.kept[-1], links):
                out.removed.append(f"nav: {out.kept.pop()}")
        in_list = in_list and rule in ("related", "tags")
        in_block = rule in ("subscribe", "newsletter", "app", "cta", "promo-block", "paywall")
        if in_block and out.kept and _joins_block(out.kept[-1], words(out.kept[-1])):
            out.removed.append(f"promo-block: {out.kept.pop()}")
        out.removed.append(f"{rule}: {line}")
    return _budget(lines, out, markup_words, hold)


def _teasers(lines: list[str], links: Collection[str]) -> frozenset[int]:
    """Indexes of the lines that form lists of teasers for other articles: two or more list
    items in a row, each "Kicker: <headline>" where the headline is the whole text of one of the
    page's links, at least ``TEASER_MIN_WORDS`` words that read as a sentence (a word in lower
    case: not a product's or a place's name), after a kicker of a few words."""
    found = [_teaser(line, links) for line in lines]
    return frozenset(
        index
        for index, hit in enumerate(found)
        if hit and ((index and found[index - 1]) or (index + 1 < len(found) and found[index + 1]))
    )


def _teaser(line: str, links: Collection[str]) -> bool:
    if line[:1] not in _LIST_FIRST:  # most lines: no list mark
        return False
    mark = _LIST_MARK.match(line)
    if mark is None or (":" not in line and "?" not in line):
        return False
    item = _KICKER.match(line[mark.end() :])
    if item is None or len(item.group(1).split()) > TEASER_KICKER_WORDS:
        return False
    headline = item.group(2)
    if headline not in links:
        return False
    found = headline.split()
    return (
        TEASER_MIN_WORDS <= len(found) < BODY_LINE
        and any(word[:1].islower() for word in found[1:])
    )


def _budget(lines: list[str], out: Filtered, markup_words: int, hold: bool) -> Filtered:
    """The page budget: when what the markup rules removed and the line rules chose is together
    a large share of the story's words (those kept, those chosen), the line rules remove nothing
    (only the structural rules' choices go) and the page is counted (``held``)."""
    entries = [entry.partition(": ") for entry in out.removed]
    if not hold:
        chosen = markup_words
        chosen += sum(words(text) for rule, _, text in entries if rule not in STRUCTURAL)
        if chosen < BODY_LINE:  # most pages: the kept text need not be counted
            return out
        kept = 0  # counted only as far as it takes: the test can only turn true as it grows
        for line in out.kept:
            kept += words(line)
            if chosen <= BUDGET * (chosen + kept):
                return out
    skip: dict[str, int] = {}  # lines the structural rules removed; a repeat is a later copy
    for rule, _, text in entries:
        if rule in STRUCTURAL:
            skip[text] = skip.get(text, 0) + 1
    kept = []
    for line in reversed(lines):
        if skip.get(line):
            skip[line] -= 1
        else:
            kept.append(line)
    kept.reverse()
    removed = [f"{rule}: {text}" for rule, _, text in entries if rule in STRUCTURAL]
    return Filtered(kept, removed, out.truncated, out.paywall_text, held=True)
