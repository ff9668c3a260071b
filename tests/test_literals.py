"""``pipelines.literals``: a hint never refuses a line its pattern matches, and most others;
the markup rules' fast paths read what their plain readings read."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from pipelines import boilerplate, vocabulary
from pipelines.literals import (
    MIN_LITERAL,
    _best,
    _needs,
    first_chars,
    hint,
    holds_any,
    prefixes,
)
from pipelines.literals import _parser as parser

FLOATING = {
    concept: phrases.floating
    for concept, phrases in boilerplate.PHRASE.items()
    if phrases.floating is not None
}
HINTED = {
    concept: pattern
    for concept, pattern in FLOATING.items()
    if boilerplate.PHRASE[concept].hint is not None
}


def best(pattern: str, flags: int = 0) -> set[str] | None:
    need = _best(_needs(parser.parse(pattern, flags)))
    return None if need is None else set(need)


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bsubscribe (?:now|today)\b", {"subscribe "}),
    (r"(?:we|\w+) (?:may|might) earn (?:a )?(?:share|commission)\b", {" earn "}),
    (r"(?:we|\w+) (?:may|might) (?:a )?(?:share|commission)\b", {"share", "commission"}),
    (r"ab+cde", {"cde"}),  # "ab" is in every match too; "cde" is longer
    (r"xx(?:abc)?yyy", {"yyy"}),  # the optional group ends the run: not "xxyyy"
    (r"(?i:inbox) newsletter", {" newsletter"}),  # a group that changes flags is not read
    (r"\d+ (?:inbox|[ab])", {" "}),  # a branch without a literal in each arm is not a need
    (r"(?:alpha|beta)", {"alpha", "beta"}),
])
def test_needs_come_only_from_parts_every_match_passes(pattern, expected):
    assert best(pattern) == expected


def test_no_hint_without_a_literal_worth_testing():
    assert hint(re.compile(r"\b\w+ \d+\b")) is None
    assert hint(re.compile(r"(?:inbox|ab)")) is None  # "ab" is too short to pay
    assert hint(re.compile(rb"inbox")) is None  # bytes patterns are not ours


def test_the_filter_hints_its_costly_patterns():
    assert {"newsletter", "affiliate", "subscribe", "credit"} <= set(HINTED)


def test_a_hint_refuses_most_ordinary_lines():
    """... its long literals, at least (a news agency's "ap" is in "approve")."""
    lines = ["The council voted on Tuesday to approve the new budget for the harbour.",
             "Officials said the plan would cost 4 million euros over five years."]
    for concept in HINTED:
        found = boilerplate.PHRASE[concept].hint
        if min(map(len, found.literals)) >= MIN_LITERAL:
            assert not any(found.allows(line) for line in lines), concept
    assert boilerplate.PHRASE["agency"].hint.allows(lines[0])


_ODD = st.sampled_from("\u0130\u0131\u017f\u212a\u03a3\u03c2\u00df\u1e9e")
_NOISE = st.text(st.one_of(st.characters(), _ODD), max_size=20)


@pytest.mark.parametrize("concept", sorted(FLOATING))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hint_allows_every_line_its_pattern_matches(concept, data):
    """A line that a concept's whole pattern matches is matched, whichever of its literals it
    holds; a line that the pattern does not match is not."""
    pattern = FLOATING[concept]
    phrases = boilerplate.PHRASE[concept]
    match = data.draw(st.from_regex(pattern, fullmatch=True))
    # the odd characters inside the match too: dotless i, dotted I, long s
    match = data.draw(st.sampled_from([
        match, match.replace("i", "\u0131"), match.replace("i", "\u0130").replace("s", "\u017f")
    ]))
    line = data.draw(_NOISE) + match + data.draw(_NOISE)
    if pattern.search(line) and (phrases.unhinted is None or not phrases.unhinted.search(line)):
        assert phrases.hint.allows(line), (concept, line)
    anchored = phrases.anchored is not None and phrases.anchored.match(line)
    expected = bool(pattern.search(line) or anchored)
    assert phrases.search(line) == expected, (concept, line)
    # the filter lowers a line once for every concept, unless it holds an odd character
    assert phrases.search(line, boilerplate._lowered(line)) == expected, (concept, line)


_PLAIN_REPORTING = re.compile(
    boilerplate._alternation(boilerplate._by_language(vocabulary.REPORTING)), re.IGNORECASE
)


@pytest.mark.parametrize("fragment", boilerplate._by_language(vocabulary.REPORTING))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_reporting_guard_reads_what_its_whole_pattern_reads(fragment, data):
    """The reporting guard, each language's pattern under its literals (a figure's "%" too),
    says what the plain alternation of all of them says, on lines one of them matches or not."""
    match = data.draw(st.from_regex(re.compile(fragment, re.IGNORECASE), fullmatch=True))
    match = data.draw(st.sampled_from([match, match.upper(), match.replace("i", "\u0131")]))
    line = data.draw(_NOISE) + data.draw(st.sampled_from([match, ""])) + data.draw(_NOISE)
    assert boilerplate.REPORTING.search(line) == bool(_PLAIN_REPORTING.search(line)), line


def test_case_folding_beyond_str_lower_is_written_out():
    """Every character that IGNORECASE matches to a hinted literal's character either lowers to
    it or is one of the hint's odd characters, which the hint writes as that character before
    it lowers the line (the whole of Unicode, checked); so does the filter's one lowering."""
    for concept in HINTED:
        found = boilerplate.PHRASE[concept].hint
        chars = sorted({char for literal in found.literals for char in literal})
        any_of = re.compile(f"[{re.escape(''.join(chars))}]", re.IGNORECASE)
        for code in range(0x110000):
            other = chr(code)
            if 0xD800 <= code <= 0xDFFF or not any_of.fullmatch(other):
                continue
            for char in chars:
                if re.fullmatch(re.escape(char), other, re.IGNORECASE):
                    assert other.lower() == char or other in found.odd, (concept, other)
                    assert found.text(other) in (None, char), (concept, other)
                    assert boilerplate._lowered(other) in (None, char), (concept, other)
    newsletter = boilerplate.PHRASE["newsletter"]
    assert newsletter.search("Delivered straight to your \u0130NBOX every day")
    assert boilerplate.PHRASE["subscribe"].search("Please \u017fubscribe now")
    assert boilerplate._lowered("\u0130NBOX \u017fubscr\u0131be") == "inbox subscribe"


ANCHORED = {
    concept: phrases.anchored
    for concept, phrases in boilerplate.PHRASE.items()
    if phrases.anchored is not None
}


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"subscribe\b", {"s"}),
    (r"(?:jetzt )?abonnieren", {"j", "a"}),
    (r"\W*\d+ min read", None),  # a category: any character
    (r"[a-c]x|d", {"a", "b", "c", "d"}),
    (r"(?:ab)?", None),  # may match nothing
    (r"\bsign up", {"s"}),
])
def test_first_characters_of_a_pattern(pattern, expected):
    found = first_chars(pattern)
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"subscribe\b", {"su"}),
    (r"(?:jetzt )?abonnieren", {"je", "ab"}),
    (r"\W*\d+ min read", None),  # a category: any character
    (r"[a-c]x|dy", {"ax", "bx", "cx", "dy"}),
    (r"[a-c]x|d", None),  # "d": a match of one character
    (r"a{0,3}bc", {"aa", "ab", "bc"}),
    (r"(?:ab)+c", {"ab"}),
    (r"(?:a|)b", None),  # a repeat or branch that may take nothing before a shorter match
    (r"\bsign up", {"si"}),
    (r"x\w", None),
])
def test_first_two_characters_of_a_pattern(pattern, expected):
    found = prefixes(pattern)
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"a{0,3}b[bc]", 0), (r"(?:ab|c)+d", 0), (r"(?:a?b){2}c", 0), (r"\ba(?:bc|d)+", 0),
    (r"(?:k|s)i", re.IGNORECASE), (r"[a-c]{2,}|cab", re.IGNORECASE),
])
def test_every_match_starts_with_one_of_its_first_two_characters(pattern, flags):
    """Every string of a small alphabet, in every case and with the characters IGNORECASE folds
    beyond ``str.lower``: a match of two characters or more starts with what ``prefixes`` and
    the table's keys (``_first_keys``) say."""
    import itertools

    found = prefixes(pattern, flags)
    assert found is not None
    keys = {
        first + second
        for text in found
        for first in boilerplate._first_keys(text[0], bool(flags))
        for second in boilerplate._first_keys(text[1], bool(flags))
    }
    compiled = re.compile(pattern, flags)
    alphabet = "abcdkisABCDKIS\u017f\u212a\u0131"
    for size in range(2, 6):
        for text in map("".join, itertools.product(alphabet, repeat=size)):
            match = compiled.match(text)
            if match and len(match.group()) >= 2:
                key = text[:2].lower() if flags else text[:2]
                assert key in keys, (pattern, text)


@pytest.mark.parametrize("concept", sorted(ANCHORED))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_anchored_patterns_are_tried_on_every_line_they_match(concept, data):
    """A line tries only the anchored patterns its first character may start: never fewer
    than match it, in any case, with odd characters that IGNORECASE matches to ASCII."""
    pattern = ANCHORED[concept]
    line = data.draw(st.from_regex(pattern, fullmatch=True)) + data.draw(_NOISE)
    line = data.draw(st.sampled_from([line, line.upper(), line.title(), line.swapcase()]))
    if pattern.match(line):
        assert boilerplate.PHRASE[concept].search(line), (concept, line)
    for odd in "\u017f\u212a\u0130":  # long s, Kelvin, dotted I
        if pattern.match(odd + line[1:]):
            assert boilerplate.PHRASE[concept].search(odd + line[1:]), (concept, odd, line)
        if pattern.match(line[:1] + odd + line[2:]):  # the second character, of the two read
            assert boilerplate.PHRASE[concept].search(line[:1] + odd + line[2:]), (concept, odd)


def _starts(concepts) -> list[str]:
    return [
        fragment[1:]
        for concept in concepts
        for fragment in boilerplate._by_language(vocabulary.PHRASES[concept])
        if fragment.startswith("^")
    ]


_ALL_STARTS = [  # every Phrases with anchored patterns: its patterns and flags
    (phrases, _starts([concept]), phrases.anchored.flags & re.IGNORECASE)
    for concept, phrases in boilerplate.PHRASE.items()
    if phrases.anchored is not None
] + [
    (boilerplate._ANY_CALL, _starts(boilerplate.CALLS), re.IGNORECASE),
    (boilerplate._SCREEN, _starts(boilerplate.SCREENED), re.IGNORECASE),
    (boilerplate._CALL_SCREEN, _starts(boilerplate.CALL_SCREENED), re.IGNORECASE),
    (boilerplate._LONG_SCREEN, _starts(boilerplate.LONG_SCREENED), re.IGNORECASE),
]


def _first_class(starts: list[str], flags: int) -> re.Pattern | None:
    chars = set().union(*(first_chars(start, flags) or () for start in starts))
    return re.compile(f"[{re.escape(''.join(sorted(chars)))}]", flags) if chars else None


def test_the_first_character_table_tries_every_pattern_a_line_may_start_with():
    """Whatever a line's first character (the whole of Unicode), the anchored patterns it tries
    are those whose first characters ``re`` matches it to and those whose first character is
    not known, in their order."""
    unions = [_first_class([s for _, starts, f in _ALL_STARTS if f == flags for s in starts],
                           flags) for flags in (0, re.IGNORECASE)]
    ascii_ = {chr(code) for code in range(128)}
    matched = {  # the characters that some pattern's first character matches
        chr(code) for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF and any(u.fullmatch(chr(code)) for u in unions if u)
    }
    keys = ascii_ | matched
    tried = keys | {  # and those looked up as one of them
        chr(code) for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF and chr(code).lower() in keys
    } | {"", "\u0130"}
    for phrases, starts, flags in _ALL_STARTS:
        starts = [start for start in starts if start not in phrases.gated]  # under a literal
        assert set(phrases.by_first) - {"", "\u0130".lower()} <= keys  # others: ``unknown``
        classes = [
            None if (chars := first_chars(start, flags)) is None
            else re.compile(f"[{re.escape(''.join(sorted(chars)))}]", flags)
            for start in starts
        ]
        for char in tried:
            key = char.lower() if phrases.fold else char
            found = phrases.by_first.get(key, phrases.unknown)
            expected = [
                start for start, found in zip(starts, classes, strict=True)
                if found is None or char == "" or found.fullmatch(char)
            ]
            assert (found.pattern if found else "") == boilerplate._alternation(expected), char


@pytest.mark.parametrize("index", range(len(_ALL_STARTS)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_two_character_table_reads_what_the_whole_alternation_reads(index, data):
    """A line tried by its first two characters (``by_two``, ``by_rest``) is taken exactly
    when the whole anchored alternation or the floating one takes it: lines drawn from each
    anchored pattern, in every case, with odd characters in their first two places."""
    phrases, starts, flags = _ALL_STARTS[index]
    start = data.draw(st.sampled_from(starts))
    line = data.draw(st.from_regex(re.compile(start, flags), fullmatch=True)) + data.draw(_NOISE)
    line = data.draw(st.sampled_from([line, line.upper(), line.title(), line.swapcase()]))
    odd = data.draw(st.sampled_from(["", "\u017f", "\u212a", "\u0130", "\u0131", "K", "s"]))
    place = data.draw(st.integers(0, 1))
    if odd:
        line = line[:place] + odd + line[place + 1:]
    plain = phrases.anchored.match(line) or (phrases.floating and phrases.floating.search(line))
    assert phrases.search(line) == bool(plain), (start, line)


def test_the_two_character_table_tries_every_pattern_a_key_may_start():
    """For every two ASCII characters, the anchored patterns tried are those that can start
    with them (each of a pattern's first two characters as ``re`` matches it, read character by
    character) and those whose first two are not read, in their order."""
    ascii_ = [chr(code) for code in range(128)]

    def matching(char: str, flags: int) -> set[str]:  # the ASCII characters ``re`` matches to it
        return {x for x in ascii_ if re.fullmatch(re.escape(char), x, flags)}

    for phrases, starts, flags in _ALL_STARTS:
        starts = [start for start in starts if start not in phrases.gated]  # under a literal
        fold = str.lower if phrases.fold else str
        keys = []  # per pattern: the (lowered) two characters it may start with, or None
        for start in starts:
            two = prefixes(start, flags)
            keys.append(None if two is None else {
                fold(x + y)
                for text in two for x in matching(text[0], flags) for y in matching(text[1], flags)
            })
        unread = {}
        for first in ascii_:
            unread[first] = [
                start for start, two in zip(starts, keys, strict=True)
                if two is None and (
                    (chars := first_chars(start, flags)) is None
                    or any(re.fullmatch(re.escape(c), first, flags) for c in chars)
                )
            ]
            found = phrases.by_rest.get(first)
            assert (found.pattern if found else "") == boilerplate._alternation(unread[first])
        assert set(phrases.by_two) == set().union(*(two for two in keys if two is not None))
        for key, found in phrases.by_two.items():
            expected = [
                start for start, two in zip(starts, keys, strict=True)
                if (two is None and start in unread[key[0]]) or (two is not None and key in two)
            ]
            assert found.pattern == boilerplate._alternation(expected), key


def test_an_anchored_pattern_tried_under_its_literal_stays_anchored():
    """An anchored pattern whose first two characters are not known and that has a literal is
    tried under that literal (or one it holds), anchored, and only there; the others by the
    line's first characters."""
    gated = 0
    for phrases, starts, flags in _ALL_STARTS:
        tables = [*phrases.by_first.values(), *phrases.by_two.values(),
                  *phrases.by_rest.values(), phrases.unknown]
        for start in starts:
            routed = any(f"(?:{start})" in table.pattern for table in tables if table)
            under = [
                literal for literal, pattern in phrases.by_literal.items()
                if f"(?:^{start})" in pattern.pattern
            ]
            found = hint(re.compile(start, flags))
            if start in phrases.gated:
                gated += 1
                assert prefixes(start, flags) is None and not routed, start
                assert under and all(any(x in own for x in under) for own in found.literals)
            else:
                assert routed and not under, start
    assert gated  # ": sign up for", " is a" ...


def test_the_patterns_tried_start_at_the_first_literal_found():
    """A line's literals are looked for in the order of ``by_literal``, so those before the first
    one found are not in it: the patterns tried (``from_``) are that literal's and the later
    ones'."""
    every = [*boilerplate.PHRASE.values(), boilerplate._ANY_CALL, boilerplate._SCREEN,
             boilerplate._CALL_SCREEN, boilerplate._LONG_SCREEN, boilerplate.REPORTING]
    for phrases in every:
        if phrases.hint is None:
            continue
        assert phrases.hint.literals == tuple(phrases.by_literal)
        pairs = list(phrases.by_literal.items())
        for index, literal in enumerate(phrases.hint.literals):
            assert phrases.from_[literal] == tuple(pairs[index:])


def test_literals_sharing_a_run_go_under_it():
    assert boilerplate._shared(["affiliate link", "d'affiliation", "newsletter"]) == "affiliat"
    assert boilerplate._shared(["tell your friends", "to your inbox"]) is None  # " your "
    assert boilerplate._shared(["inbox", "share"]) is None


def _floating(concepts) -> list[str]:
    return [
        fragment
        for concept in concepts
        for fragment in boilerplate._by_language(vocabulary.PHRASES[concept])
        if not fragment.startswith("^")
    ]


@pytest.mark.parametrize(("phrases", "fragments", "flags"), [
    (boilerplate._ANY_CALL, _floating(boilerplate.CALLS), re.IGNORECASE),
    (boilerplate._SCREEN, _floating(boilerplate.SCREENED), re.IGNORECASE),
    (boilerplate._CALL_SCREEN, _floating(boilerplate.CALL_SCREENED), re.IGNORECASE),
    (boilerplate._LONG_SCREEN, _floating(boilerplate.LONG_SCREENED), re.IGNORECASE),
    *(
        (phrases, _floating([concept]), phrases.floating.flags & re.IGNORECASE)
        for concept, phrases in boilerplate.PHRASE.items()
        if phrases.floating is not None
    ),
])
def test_every_floating_pattern_is_under_a_literal_all_its_literals_hold(
    phrases, fragments, flags
):
    """Each hinted pattern is tried under a literal that each of its own literals (one of them
    in every line it matches) holds: the literal itself, one it holds, or a run it shares."""
    for fragment in fragments:
        found = hint(re.compile(fragment, flags)) or hint(re.compile(fragment, flags), 1)
        if found is None:
            continue
        under = [
            literal for literal, pattern in phrases.by_literal.items()
            if f"(?:{fragment})" in pattern.pattern
        ]
        assert all(any(literal in own for literal in under) for own in found.literals), fragment


def _patterns(concepts) -> list[tuple[str, object]]:
    return [
        (concept, pattern)
        for concept in concepts
        for pattern in (boilerplate.PHRASE[concept].anchored, boilerplate.PHRASE[concept].floating)
        if pattern is not None
    ]


def _line_it_takes(concept: str, pattern, data) -> tuple[str, str] | None:
    """A line drawn from ``pattern`` with noise around it, and its lowered form, when
    ``concept`` takes it."""
    line = data.draw(st.from_regex(pattern, fullmatch=True)) + data.draw(_NOISE)
    if pattern is boilerplate.PHRASE[concept].floating:
        line = data.draw(_NOISE) + line
    line = data.draw(st.sampled_from([line, line.upper(), line.title()]))
    lowered = boilerplate._lowered(line)
    return (line, lowered) if boilerplate.PHRASE[concept].search(line, lowered) else None


@pytest.mark.parametrize(("concept", "pattern"), _patterns(boilerplate.CALLS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_calls_tried_at_once_miss_no_line_one_of_them_takes(concept, pattern, data):
    """``_ANY_CALL`` says a line may be a call to action wherever one of ``CALLS`` matches it."""
    if found := _line_it_takes(concept, pattern, data):
        assert boilerplate._ANY_CALL.search(*found), (concept, found[0])


@pytest.mark.parametrize(("concept", "pattern"), _patterns(boilerplate.SCREENED))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_screen_misses_no_line_a_screened_concept_takes(concept, pattern, data):
    """``_SCREEN`` lets a short line through wherever one of ``SCREENED`` matches it."""
    if found := _line_it_takes(concept, pattern, data):
        assert boilerplate._SCREEN.search(*found), (concept, found[0])


@pytest.mark.parametrize(("concept", "pattern"), _patterns(boilerplate.CALL_SCREENED))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_call_screen_misses_no_line_a_call_screened_concept_takes(concept, pattern, data):
    """``_CALL_SCREEN`` lets a line of ``SHORT`` to ``PROMO_MAX_WORDS`` words through wherever
    one of ``CALL_SCREENED`` (the paywall, the concepts ``_call_rule`` tries) matches it."""
    if found := _line_it_takes(concept, pattern, data):
        assert boilerplate._CALL_SCREEN.search(*found), (concept, found[0])


@pytest.mark.parametrize(
    ("concept", "pattern"), _patterns(("ad", "share", "cta", "nav", "agency", "paywall"))
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_short_line_reads_the_same_with_the_line_lowered_once(concept, pattern, data):
    """``_line_rule`` tries a short line's concepts on the line lowered once by the filter: the
    same rule as each concept lowering it itself (lines drawn from the short concepts, list
    marks and odd characters among them)."""
    line = data.draw(st.from_regex(pattern, fullmatch=True)) + data.draw(_NOISE)
    line = data.draw(st.sampled_from(["", "- ", "1. ", "\u2022 "])) + line
    line = boilerplate._norm(data.draw(st.sampled_from([line, line.upper(), line.title()])))
    _, n_words = boilerplate._line_key(line)
    if n_words > boilerplate.SHORT:
        return
    lowered = boilerplate._lowered(line)
    for phrases in (True, False):
        plain = boilerplate._line_rule(line, n_words, 1, 3, None, phrases)
        assert boilerplate._line_rule(line, n_words, 1, 3, lowered, phrases) == plain, line


@pytest.mark.parametrize(("concept", "pattern"), _patterns(("dateline", "share", "credit")))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_top_and_call_rules_read_the_same_with_the_line_lowered_once(concept, pattern, data):
    """``_top_rule`` (the date line) and ``_call_rule`` (share links, credits) read a line
    lowered once by the filter as they read it lowering it themselves."""
    line = data.draw(st.from_regex(pattern, fullmatch=True)) + data.draw(_NOISE)
    line = boilerplate._norm(data.draw(st.sampled_from([line, line.upper(), line.title()])))
    key, n_words = boilerplate._line_key(line)
    lowered = boilerplate._lowered(line)
    context = boilerplate._Context([line])
    for index in (1, 2):
        plain = boilerplate._top_rule(line, key, n_words, context, index)
        assert boilerplate._top_rule(line, key, n_words, context, index, lowered) == plain
    plain = boilerplate._call_rule(line, n_words, 1, 3, None)
    assert boilerplate._call_rule(line, n_words, 1, 3, lowered) == plain, line


_STORY = "the council voted on tuesday to approve the new budget for the harbour"
_SCREENS = {  # the screen of a line of more than ``SHORT`` words, by its length
    "call": (boilerplate._CALL_SCREEN, boilerplate.SHORT, boilerplate.PROMO_MAX_WORDS, 1),
    "long": (boilerplate._LONG_SCREEN, boilerplate.PROMO_MAX_WORDS,
             boilerplate.PROMO_MAX_WORDS * 2, 4),
}


@pytest.mark.parametrize("screen", sorted(_SCREENS))
@pytest.mark.parametrize(("concept", "pattern"), _patterns(boilerplate.PHRASE))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_line_its_screen_refuses_no_rule_it_skips_takes(screen, concept, pattern, data):
    """A line of more than ``SHORT`` words that its screen (``_CALL_SCREEN`` up to
    ``PROMO_MAX_WORDS``, ``_LONG_SCREEN`` above) refuses gets nothing from what it skips (the
    paywall concept, ``_call_rule``) but as the page's last line: lines drawn from every
    concept's patterns, story words after (or, floating, before) them."""
    phrases, low, high, repeat = _SCREENS[screen]
    drawn = data.draw(st.from_regex(pattern, fullmatch=True))
    story = " ".join([_STORY] * repeat)
    line = data.draw(st.sampled_from([f"{drawn} {story}", f"{story} {drawn}"]))
    line = boilerplate._norm(data.draw(st.sampled_from([line, line.upper(), line.title()])))
    _, n_words = boilerplate._line_key(line)
    if not low < n_words <= high or line[:1] in "-–—•*·>|":
        return  # a list mark: not screened (``_bare``)
    lowered = boilerplate._lowered(line)
    if phrases.search(line, lowered):
        return
    assert not boilerplate.PHRASE["paywall"].search(line, lowered), (concept, line)
    assert boilerplate._call_rule(line, n_words, 1, 3, lowered) is None, (concept, line)


# --------------------------------------------------------------------------- markup fast paths

_MARKUP_VOCABULARY = sorted(
    {word for words in vocabulary.MARKUP_WORD.values() for word in words}
    | {part for parts in vocabulary.MARKUP_PART.values() for part in parts}
    | {"more", "read", "social", "x", "main", "content"}
)
_XML_CHAR = st.characters(exclude_categories=("Cc", "Cs", "Cn"))  # what an attribute may hold
_ATTR_WORD = st.one_of(
    st.sampled_from(_MARKUP_VOCABULARY).map(lambda word: word.upper() if len(word) % 2 else word),
    st.text(st.one_of(st.sampled_from("ab-_ \tIı\u0130\u212a\xa0"), _XML_CHAR), max_size=6),
)
_ATTR = st.lists(_ATTR_WORD, max_size=8).map(lambda words: " -_"[len(words) % 3].join(words))


def _plain_attr_concept(attrs: str) -> str | None:
    """The markup vocabulary read the plain way: parts in order, then every word sequence,
    longest first, leftmost first."""
    attrs = attrs.lower()
    for concept, parts in vocabulary.MARKUP_PART.items():
        for part in parts:
            if part in attrs:
                return concept
    tokens = attrs.replace("_", " ").replace("-", " ").split()
    keys = {
        tuple(word.split("-")): concept
        for concept, words in vocabulary.MARKUP_WORD.items()
        for word in words
    }
    for size in range(max(map(len, keys)), 0, -1):
        for start in range(len(tokens) - size + 1):
            if tuple(tokens[start : start + size]) in keys:
                return keys[tuple(tokens[start : start + size])]
    return None


@settings(max_examples=400, deadline=None)
@given(attrs=st.lists(_ATTR, min_size=4, max_size=4), other=_ATTR)
def test_markup_concept_reads_what_the_plain_walk_reads(attrs, other):
    """``markup_concept`` (one ``items()`` call, word sequences tried where a key can start)
    names the concept that the plain reading of the four attributes names."""
    names = ("class", "id", "role", "aria-label")
    node = lxml_html.Element("div", {"data-x": other})
    for name, value in zip(names, attrs, strict=True):
        if value:
            node.set(name, value)
    joined = " ".join(node.get(name, "") for name in names)
    assert boilerplate.markup_concept(node) == _plain_attr_concept(joined), joined


@settings(max_examples=300, deadline=None)
@given(value=_ATTR, name=st.sampled_from(["class", "id", "role", "aria-label", "data-x"]))
def test_one_attribute_reads_what_the_plain_walk_reads(value, name):
    """An element with one attribute (most: a class alone, read without a dict)."""
    node = lxml_html.Element("div", {name: value})
    joined = " ".join(node.get(key, "") for key in ("class", "id", "role", "aria-label"))
    assert boilerplate.markup_concept(node) == _plain_attr_concept(joined), joined


def test_every_part_holds_a_screen_literal():
    """An attribute string holding no literal of ``_PART_SCREEN`` is not read for the parts:
    each part (alone, and inside other words) still names its concept."""
    for part, _ in boilerplate._MARKUP_PARTS:
        assert any(literal in part for literal in boilerplate._PART_SCREEN), part
        for attrs in (part, f"x-{part.upper()}-y", f"menu {part}"):
            boilerplate._attr_concept.cache_clear()
            assert boilerplate._attr_concept(attrs + "   ") == _plain_attr_concept(attrs)
    assert len(boilerplate._PART_SCREEN) < len(boilerplate._MARKUP_PARTS)


_WALK_TAG = st.sampled_from(["div", "p", "form", "ul", "span", "a", "h1", "section", "meta"])
_WALK_ATTRS = st.dictionaries(
    st.sampled_from(["class", "id", "role", "aria-label", "data-x", "href", "itemprop"]),
    st.one_of(_ATTR, st.just("isAccessibleForFree")),
    max_size=3,
)
_WALK_HREF = st.sampled_from(["", "/", "/Subscribe/now", "/abo", "/news/x", "/\u017fignup", "x"])


@st.composite
def _walk_page(draw) -> str:
    """A page of nested elements: a class alone (empty too), several attributes, none; links
    with and without promo hrefs; forms with an e-mail field."""
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(_WALK_TAG)
        attrs = draw(_WALK_ATTRS)
        if tag == "a" and draw(st.booleans()):
            attrs["href"] = draw(_WALK_HREF)
        inner = "<input type='email'>" if tag == "form" and draw(st.booleans()) else "x"
        attributes = "".join(f' {name}="{value}"' for name, value in attrs.items())
        nest = draw(st.integers(0, len(parts)))  # wrap the last ones: nesting
        body = "".join(parts[nest:]) + inner
        parts[nest:] = [f"<{tag}{attributes}>{body}</{tag}>"]
    return f"<html><body>{''.join(parts)}<p>end</p></body></html>"


@settings(max_examples=200, deadline=None)
@given(page=_walk_page())
def test_the_candidate_walk_reads_what_the_plain_walk_reads(page):
    """``_candidates`` reads a class alone and an ASCII href inline: the same headlines,
    candidates (with their concept), promo links and paywall microdata, in document order, as
    ``markup_concept``, the e-mail form test, ``promo_link`` and the itemprop on every element."""
    tree = lxml_html.document_fromstring(page)
    headlines, marked, anchors, microdata = [], [], [], []
    for node in tree.iter():
        if node.tag in ("meta", "link"):
            if node.get("itemprop") == "isAccessibleForFree":
                microdata.append(node)
        elif node.tag == "h1":
            headlines.append(node)
        elif node.tag == "a":
            if boilerplate.promo_link(node.get("href", "")):
                anchors.append(node)
        elif node.tag in boilerplate.PRUNE_TAGS:
            concept = boilerplate.markup_concept(node)
            if concept is None and node.tag == "form" and node.xpath(".//input[@type='email']"):
                concept = "newsletter"
            if concept:
                marked.append((node, concept))
    assert boilerplate._candidates(tree) == (headlines, marked, anchors, microdata), page


def test_text_read_by_one_xpath_is_text_content():
    """The prune reads an element's text with ``_STRING``, the XPath ``text_content()`` runs:
    the same string (comments and processing instructions left out, tails of descendants in)."""
    page = lxml_html.document_fromstring(
        "<html><body><div class='promo'>Get <b>our</b> app<!-- note -->now<?pi x?>"
        "<p>Sign <a href='/subscribe'>up</a> today</p>tail<script>var a = '<b>';</script>"
        "<ul><li>one</li><li></li><li> \u4e2d\u6587 </li></ul></div>after</body></html>"
    )
    for node in page.iter(etree.Element):
        assert boilerplate._STRING(node) == node.text_content(), node.tag
        assert type(boilerplate._STRING(node)) is str
    # ``_string``: an element without children (an empty one too) by its text, the same string
    for node in page.iter(etree.Element):
        assert boilerplate._string(node) == boilerplate._STRING(node), node.tag
        assert type(boilerplate._string(node)) is str
    assert sum(not len(node) for node in page.iter(etree.Element)) > 5


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_promo_link_agrees_with_its_case_insensitive_pattern(data):
    """ASCII hrefs go to the case-sensitive pattern, lowered: the same answer as ``PROMO_HREF``
    (mixed case, odd case-folding characters, hrefs that do not match)."""
    match = data.draw(st.from_regex(boilerplate.PROMO_HREF, fullmatch=True))
    noise = st.text(st.one_of(st.sampled_from("/aAsS-\u017f\u0130\u212a"), st.characters()))
    href = data.draw(noise) + data.draw(st.sampled_from([match, match.upper(), ""])) + data.draw(
        noise
    )
    assert boilerplate.promo_link(href) == bool(boilerplate.PROMO_HREF.search(href)), href


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(st.characters(max_codepoint=127)), st.text()))
def test_ascii_words_read_without_re_are_the_re_words(text):
    """``words``, ``tokens`` and the filter's line key read ASCII text with ``str.translate`` and
    ``str.split``: the same ``\\w+`` tokens as ``re`` reads."""
    if text.isascii():
        assert boilerplate.words(text) == len(re.findall(r"\w+", text)), text
    assert boilerplate._key(text) == tuple(re.findall(r"\w+", text.casefold())), text
    if text.casefold().isascii():
        assert boilerplate.tokens(text) == re.findall(r"\w+", text.casefold()), text


@settings(max_examples=300, deadline=None)
@given(mark=st.text(st.sampled_from("-\u2013\u2022*>|1\u0663\uff13.) ")), text=st.text())
def test_a_line_bared_of_its_list_mark_only_where_one_can_start(mark, text):
    """``_bare`` gives ``re`` only a line whose first character may start a list mark (digits of
    every script among them): the same line as the plain substitution."""
    line = mark + text
    assert boilerplate._bare(line) == boilerplate._LIST_MARK.sub("", line), line


_SPACE = st.sampled_from(" \t\n\xa0\u2009\u3000\u2028\x85")


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.one_of(st.characters(), _SPACE, _SPACE)))
def test_whitespace_folded_without_split_is_folded_by_split(text):
    """``_norm`` returns a printable text without double or outer spaces as it is: the same as
    ``" ".join(text.split())``."""
    assert boilerplate._norm(text) == " ".join(text.split()), text


def test_no_whitespace_but_the_space_is_printable():
    assert [
        hex(code) for code in range(0x110000)
        if chr(code).isspace() and chr(code).isprintable() and code != 0x20
    ] == []


_LATIN = st.characters(max_codepoint=0xFF)
_TYPOGRAPHIC = st.sampled_from(boilerplate._PUNCTUATION + "\xb5\xdf\xa0\x85\u0345")


@settings(max_examples=500, deadline=None)
@given(text=st.text(st.one_of(_LATIN, _LATIN, _TYPOGRAPHIC, st.characters())))
def test_latin_words_read_as_bytes_are_the_re_words(text):
    """Text of Latin-1 characters and typographic punctuation is read as bytes: the same
    ``\\w+`` tokens as ``re`` reads, in ``words``, ``tokens`` and the filter's line key."""
    found = boilerplate._latin_words(text)
    assert found is None or found == re.findall(r"\w+", text), text
    if not boilerplate._UNSPACED_CHAR.search(text):
        assert boilerplate.words(text) == len(re.findall(r"\w+", text)), text
    folded = text.casefold()
    key = tuple(re.findall(r"\w+", folded))
    assert boilerplate._key(text) == key, text
    spaced = not boilerplate._UNSPACED_CHAR.search(text)
    assert boilerplate._line_key(text) == (key, len(key) if spaced else boilerplate.words(text))
    if not boilerplate._UNSPACED_CHAR.search(folded):
        assert boilerplate.tokens(text) == re.findall(r"\w+", folded), text


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(st.sampled_from(".!?…:a b\u2019\xa0\n\t"), max_size=40),
    endpos=st.integers(0, 45),
)
def test_a_sentence_gap_found_by_its_mark_is_the_gap_after_a_mark(text, endpos):
    """``_lead_rule`` finds where a line's first sentence ends by the mark (``_SENTENCE_GAP``):
    the same gap as the look-behind reads (``_SENTENCES``), whitespace of any kind, the line cut
    at any length."""
    plain = boilerplate._SENTENCES.search(text, 0, endpos)
    found = boilerplate._SENTENCE_GAP.search(text, 0, endpos)
    assert (plain and plain.span()) == (found and found.span(1)), (text, endpos)
    if found:
        assert found.start() == found.start(1) - 1


@settings(max_examples=300, deadline=None)
@given(a=st.text(st.one_of(_LATIN, _TYPOGRAPHIC, st.characters()), max_size=30),
       b=st.text(st.one_of(_LATIN, _TYPOGRAPHIC, st.characters()), max_size=30))
def test_keys_joined_by_a_space_are_equal_when_the_keys_are(a, b):
    """The filter keeps the lines' keys as one string each (``seen``): no word of a key is
    empty or holds whitespace, so two keys are equal exactly when their joined strings are."""
    key_a, key_b = boilerplate._key(a), boilerplate._key(b)
    assert all(word and not any(char.isspace() for char in word) for word in key_a + key_b)
    assert (key_a == key_b) == (" ".join(key_a) == " ".join(key_b)), (a, b)
    assert boilerplate._key(a + " " + a) == key_a + key_a


def test_a_repeat_is_a_line_with_the_same_key_not_the_same_letters():
    """The repeat rule reads the key's words: a later line with the same words (other case and
    punctuation) is a repeat, one with the same letters split into other words is not."""
    story = "The minister said the harbour plan would cost four million euros over five years"
    same = story.upper().replace(" ", ", ")
    other = story.replace("four million", "fourmillion").replace("five years", "fi ve years")
    lines = [story, "Another line of the story, long enough to count as prose for the filter.",
             other, same]
    found = boilerplate.filter_paragraphs(lines)
    assert [entry.split(": ")[0] for entry in found.removed] == ["repeat"]
    assert found.kept == lines[:3]


def test_the_description_and_headings_are_not_read():
    """``description`` and ``headings`` are kept for callers: the filter's answer is the same
    with or without them (their keys are not read)."""
    lines = ["Breaking: The council approved the harbour budget", "Share this article",
             "The minister said the plan would cost four million euros over five years."]
    plain = boilerplate.filter_paragraphs(lines, title="The council approved the harbour budget")
    given_ = boilerplate.filter_paragraphs(
        lines, title="The council approved the harbour budget",
        description="The council approved the harbour budget", headings=lines[:2],
    )
    assert given_ == plain


_HINT_LITERALS = sorted({literal for found in boilerplate._FOLDED for literal in found.literals})


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.one_of(
            st.text(st.one_of(_LATIN, _LATIN, _TYPOGRAPHIC), max_size=12),
            st.sampled_from(_HINT_LITERALS).map(str.upper),
            st.sampled_from(_HINT_LITERALS).map(str.title),
        ),
        max_size=6,
    )
)
def test_a_line_lowered_from_its_key_bytes_holds_every_literal_the_lowered_line_holds(parts):
    """The filter's lowered line (``_read_line``: of a Latin-1 line, from the bytes read for
    its key, typographic punctuation a space) holds each hint literal that ``_lowered`` holds:
    Latin-1 text, typographic punctuation, the hints' literals in capitals inside it."""
    line = "".join(parts)
    key, n_words, lowered = boilerplate._read_line(line)
    assert (key, n_words) == boilerplate._line_key(line)
    if n_words > boilerplate.PROMO_MAX_WORDS * 2:
        assert lowered is None
        return
    plain = boilerplate._lowered(line)
    if plain is None:
        assert lowered is None, line
        return
    for literal in _HINT_LITERALS:
        if literal in plain:
            assert literal in lowered, (literal, line)


def test_line_key_of_every_latin_1_character_is_its_casefold_key():
    """The key read from ASCII or Latin-1 bytes (each character casefolded and spaced in one
    translation) is the casefolded ``\\w+`` tokens, for every Latin-1 character alone, inside
    a word and next to typographic punctuation, and for characters outside Latin-1 that
    casefold into it (Ÿ, the Kelvin and Angstrom signs, long s); so are the evidence's
    ``tokens``, read the same way."""
    outside = ["\u0178", "\u212a", "\u212b", "\u017f"]
    for char in [chr(code) for code in range(0x100)] + outside:
        lines = (char, f"Ab{char}cd {char}X", f"Ab{char}cd \u2019{char}\u2014x", f"{char}\xe9t\xe9")
        for line in lines:
            key = tuple(re.findall(r"\w+", line.casefold()))
            assert boilerplate._line_key(line) == (key, len(key)), hex(ord(char))
            assert boilerplate.tokens(line) == list(key), hex(ord(char))


def test_unspaced_scripts_casefold_outside_latin_1():
    """A line whose casefolded key reads as Latin-1 holds no character of the scripts written
    without spaces (``_line_key`` does not search it for them)."""
    unspaced = boilerplate._UNSPACED_CHAR
    assert all(
        boilerplate._latin_words(chr(code).casefold()) is None
        for code in range(0x110000)
        if unspaced.match(chr(code))
    )


@given(text=st.text(max_size=30), found=st.lists(st.text(max_size=3), max_size=5))
def test_holds_any_is_any(text, found):
    assert holds_any(text, found) == any(literal in text for literal in found)


def test_removed_text_read_in_c_is_itertext():
    """``_drop`` reads a removed element's text with one XPath: the strings ``itertext()`` reads
    (the element's text, its descendants' texts and tails, no comment, not its own tail)."""
    page = lxml_html.document_fromstring(
        "<html><body><div class='promo'>Get <b>our</b> app<!-- note -->now<?pi x?>"
        "<p>Sign <a href='/subscribe'>up</a> today</p>tail<script>var a = '<b>';</script>"
        "<ul><li>one</li><li></li><li> two </li></ul></div>after<aside>Ad</aside></body></html>"
    )
    for node in page.iter(etree.Element):  # elements: what the prune removes
        assert boilerplate._TEXT(node) == list(node.itertext()), node.tag


_UNSPACED_TEXT = st.text(
    st.one_of(st.sampled_from(" \n.,-_abcAB12\u0e01\u0e32\u0e49\u4e2d\u6587\u3042\u30a2\xe9"),
              st.characters())
)


@settings(max_examples=300, deadline=None)
@given(text=_UNSPACED_TEXT)
def test_words_count_no_more_than_characters(text):
    """The prune's bounds: ``words`` counts at most one word a character (Thai and Han runs
    too), so under ``BODY_LINE`` characters of paragraph text no <p> is a line of prose."""
    assert boilerplate.words(text) <= len(text), text


def test_paragraph_text_read_to_the_nearest_p_is_every_p_text():
    """``_P_TEXT`` stops each text's ancestor walk at the nearest <p> (``ancestor::p[1]``): the
    same strings as the plain ``[ancestor::p]`` test, from every element (nested <p>, text in
    an element inside a <p>, an element inside a <p>, tails, no paragraph at all)."""
    page = lxml_html.document_fromstring(
        "<html><body><div class='promo'>Get <b>our</b> app<p>Sign <a>up <i>now</i></a> today"
        "<span>in<p>nested</p>side</span></p>tail<section><ul><li>one</li></ul>"
        "<p></p><p>last</p></section></div><aside>Ad</aside><p>end</p></body></html>"
    )
    plain = etree.XPath("descendant::text()[ancestor::p]", smart_strings=False)
    for node in page.iter(etree.Element):
        assert boilerplate._P_TEXT(node) == plain(node), node.tag


def test_guard_paragraph_text_read_without_xpath_where_there_is_none():
    """``_Guard.p_chars`` reads no XPath for an element with no <p> around or below it (none of
    its text is paragraph text), and the element's whole text for a <p> or an element inside
    one (all of it is): the strings ``_P_TEXT`` reads, on every element of a page of nested
    <p>, elements in a <p>, empty <p>, and of the fixture sites' pages. ``text_nodes`` is
    ``_TEXT``, read once."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    pages = [
        "<html><body><div class='promo'>Get <b>our</b> app<p>Sign <a>up <i>now</i></a> today"
        "<span>in<p>nested</p>side</span></p>tail<section><ul><li>one</li></ul>"
        "<p></p><p>last</p></section></div><aside>Ad <b>x</b></aside><p>end</p></body></html>",
        *(path.read_text(encoding="utf-8") for path in sorted((root / "tests" / "sites").rglob(
            "*.html"))),
    ]
    inside = 0
    for html in pages:
        page = lxml_html.document_fromstring(html)
        guard = boilerplate._Guard(page, [], (), ())
        for node in page.iter(etree.Element):
            found = boilerplate._P_TEXT(node)
            assert guard.p_chars(node) == sum(map(len, found)), node.tag
            assert guard.texts[node] == found, node.tag
            assert guard.text_nodes(node) is guard.text_nodes(node) == boilerplate._TEXT(node)
            inside += node.tag != "p" and next(node.iterancestors("p"), None) is not None
    assert inside  # elements inside a <p> were read


def test_page_paragraph_characters_read_by_outer_paragraphs():
    """The guard's page total (``page_chars``: the length of the outermost <p>, in one EXSLT
    call, or one by one without EXSLT) is the plain ``p_chars`` of the page: nested <p>, a <p>
    in a <span>, characters outside the BMP, Han; and for a page that sits inside a <p>, all
    its text."""
    assert boilerplate.EXSLT_CONCAT  # this lxml's: the one-call reading is the one tested
    page = lxml_html.document_fromstring(
        "<html><body><div>Get <b>our</b> app<p>Sign <a>up \U0001f600 <i>now</i></a> today"
        "<span>in<p>中文 nested</p>side</span></p>tail<section><p></p><p>last</p>"
        "</section></div><aside>Ad</aside><p>end é</p></body></html>"
    )
    for node in (page, page.find("body"), page.find(".//span"), page.find(".//section")):
        guard = boilerplate._Guard(page, [], (), ())
        guard.page = node
        assert guard.page_chars == guard.p_chars(node) > 0, node.tag
        if node.tag != "span":  # inside a <p>: read by ``p_chars``
            assert guard.outer_p_chars() == guard.p_chars(node), node.tag
    many = "<p>a <b>b</b></p>" * (boilerplate.PAGE_P_CALLS + 1)  # one by one: the text walk
    page = lxml_html.document_fromstring(f"<html><body>{many}<div>x</div></body></html>")
    guard = boilerplate._Guard(page, [], (), ())
    assert guard.page_chars == guard.outer_p_chars() == 3 * (boilerplate.PAGE_P_CALLS + 1)


def _plain_story_like(node: lxml_html.HtmlElement, story: str) -> bool:
    """``_Evidence.story_like`` read the plain way: every <p>, then the ``articleBody``."""
    for p in [node] if node.tag == "p" else list(node.iter("p")):
        text = p.text_content()
        n_words = boilerplate.words(text)
        if n_words < boilerplate.BODY_LINE:
            continue
        linked = sum(boilerplate.words(a.text_content()) for a in p.iter("a"))
        if linked <= boilerplate.PROSE_MAX_LINKS * n_words and not boilerplate._promo_wording(
            text
        ):
            return True
    found = boilerplate.tokens(node.text_content())
    body = frozenset(boilerplate.tokens(story))
    if body and len(found) >= boilerplate.STORY_MIN_WORDS:
        inside = sum(token in body for token in found)
        return inside >= boilerplate.STORY_SHARE * len(found) and not (
            boilerplate._promo_wording(node.text_content())
        )
    return False


_STORY_WORD = st.sampled_from(
    ["the", "council", "voted", "budget", "subscribe", "now", "\u4e2d\u6587", "\u0e01\u0e32",
     "\u3042\u308b", "x", "...", "Sign up for our newsletter"]
)
_STORY_LINE = st.lists(_STORY_WORD, max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(st.tuples(_STORY_LINE, _STORY_LINE, st.booleans()), max_size=4),
    story=st.one_of(st.just(""), _STORY_LINE),
    tag=st.sampled_from(["div", "p"]),
)
def test_story_evidence_reads_what_the_plain_reading_reads(lines, story, tag):
    """``story_like`` skips the <p> loop under ``BODY_LINE`` characters of paragraph text and
    reads the ``articleBody`` only for an element of ``STORY_MIN_WORDS`` tokens: the same
    answers as reading every <p> and the body first."""
    inner = "".join(
        f"<p>{text}<a href='/x'>{link}</a></p>" if as_p else f"<span>{text} {link}</span>"
        for text, link, as_p in lines
    )
    html = f"<{tag} class='paywall'>{inner or 'x'}</{tag}>" if tag == "div" else (
        f"<p class='paywall'>{' '.join(text for text, _, _ in lines) or 'x'}</p>"
    )
    page = lxml_html.document_fromstring(f"<html><body>{html}<h1>t</h1></body></html>")
    node = page.find("body")[0]
    guard = boilerplate._Guard(page, [], (), ())
    evidence = boilerplate._Evidence(story, guard)
    assert evidence.story_like(node) == _plain_story_like(node, story), html


def test_css_selectors_compiled_once_answer_per_tree():
    """``_select`` compiles a selector once (``_css``): each tree still gets its own matches,
    and a selector that does not compile matches nothing, every time."""
    one = lxml_html.document_fromstring("<html><body><p class='a'>1</p></body></html>")
    two = lxml_html.document_fromstring("<html><body><p class='a'>2</p><p>3</p></body></html>")
    assert [node.text for node in boilerplate._select(one, "p.a")] == ["1"]
    assert [node.text for node in boilerplate._select(two, "p.a")] == ["2"]
    assert boilerplate._select(two, "p:nth-child(") == []
    assert boilerplate._select(two, "p:nth-child(") == []
    assert boilerplate._css("p.a") is boilerplate._css("p.a")
    long = ", ".join(["p.a"] * 100)  # a page's long selector: compiled, answered, not kept
    cached = boilerplate._css.cache_info().currsize
    assert [node.text for node in boilerplate._select(two, long)] == ["2"]
    assert boilerplate._css.cache_info().currsize == cached


_CLASS_NAME = st.text(st.sampled_from("ab-_Z9"), min_size=1, max_size=4)
_CLASS_VALUE = st.lists(
    st.one_of(_CLASS_NAME, st.sampled_from(["paywall", "pay", "-a", "_b", "1a"])), max_size=4
).flatmap(
    lambda names: st.lists(
        st.sampled_from([" ", "  ", "\t", "\n", "\r", "\xa0", "\u3000", "\u2003"]),
        min_size=len(names) + 1, max_size=len(names) + 1,
    ).map(lambda gaps: "".join(g + n for g, n in zip(gaps, [*names, ""], strict=True)))
)


@settings(max_examples=300, deadline=None)
@given(
    classes=st.lists(st.one_of(st.none(), _CLASS_VALUE), min_size=1, max_size=6),
    name=st.one_of(_CLASS_NAME, st.sampled_from(["paywall", "-a", "_b", "a-", "Z"])),
)
def test_one_class_selected_as_cssselect_selects(classes, name):
    """``_select`` reads a one-class selector (".paywall") by the class attributes: the
    elements cssselect's XPath selects, in document order, whitespace as XML reads it."""
    tree = lxml_html.document_fromstring("<html><body><div>x</div></body></html>")
    parent = tree.find("body")
    for value in classes:
        node = etree.SubElement(parent, "div", {} if value is None else {"class": value})
        parent = node if len(parent) % 2 else parent
    selector = f".{name}"
    if boilerplate._CLASS_SELECTOR.fullmatch(selector) is None:
        return
    assert boilerplate._select(tree, selector) == CSSSelector(selector)(tree), selector


def test_a_class_selector_with_more_is_read_by_cssselect():
    """Anything but one class name is cssselect's: a tag, a second class, an escape."""
    for selector in ("p.a", ".a.b", ".a b", "#a", r".a\:b", ".1a", "..a", ". a"):
        assert boilerplate._CLASS_SELECTOR.fullmatch(selector) is None, selector


@settings(max_examples=300, deadline=None)
@given(text=_UNSPACED_TEXT, size=st.integers(0, 40), limit=st.integers(0, 12))
def test_a_prefix_holds_no_more_words_than_the_text(text, size, limit):
    """``_at_most`` stops at a prefix of more than ``limit`` words: never more words than the
    whole text has, whatever the script; its answer is ``words``'s."""
    assert boilerplate.words(text[:size]) <= boilerplate.words(text), (text, size)
    assert boilerplate._at_most(text * 20, limit) == (boilerplate.words(text * 20) <= limit)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.sampled_from(["", "a", " b "]), min_size=8, max_size=8),
    drop=st.lists(st.integers(0, 5), max_size=4),
)
def test_removals_put_back_give_the_tree_back(texts, drop):
    """``_Removal.drop`` joins a removed element's tail to the text before it (the parent's
    text, a sibling's tail, each empty or not); ``restore``, in reverse order, puts back the
    same tree."""
    parent = lxml_html.fromstring("<div></div>")
    parent.text = texts[0] or None
    for index in range(6):
        child = etree.SubElement(parent, "span")
        child.text, child.tail = "x", texts[index + 1] or None
    before = lxml_html.tostring(parent)
    removals = []
    for index in dict.fromkeys(drop):
        node = parent.find(f"span[{min(index, len(parent) - 1) + 1}]") if len(parent) else None
        if node is not None:
            tail = node.tail or ""
            removals.append(boilerplate._Removal.drop(node))
            assert node.getparent() is None and tail in lxml_html.tostring(parent).decode()
    for removal in reversed(removals):
        removal.restore()
    assert lxml_html.tostring(parent) == before


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_UNSPACED_TEXT, max_size=3), times=st.integers(1, 30))
def test_gated_parts_read_as_one_text_count_their_words(texts, times):
    """``_gate_missing`` counts the gated parts' words on their texts joined by a space, and
    stops at ``BODY_LINE``: the same answer as the sum of each part's ``words``."""
    root = lxml_html.fromstring("<div></div>")
    nodes = []
    for text in texts:
        node = etree.SubElement(root, "div")
        node.text = "".join(c for c in text * times if c.isprintable()) or None
        nodes.append(node)
    counted = sum(boilerplate.words(boilerplate._STRING(node)) for node in nodes)
    assert boilerplate._gate_missing(nodes) == (counted < boilerplate.BODY_LINE), texts


# --------------------------------------------------------------------------- without re's parser

_PLAIN_CHILD = """
import json, re, sys
for name in ("_parser", "_casefix", "_constants"):  # a Python whose re is laid out otherwise
    sys.modules["re." + name] = None  # (re keeps its own references: only new imports fail)
from pipelines import boilerplate, extract, literals
assert not literals.PARSER and literals.hint(re.compile("newsletter")) is None
print(json.dumps(read(json.load(sys.stdin))))
"""


def _read(job: dict) -> dict:
    """What the layer reads: each concept's phrases on each line, the filter on the lines, and
    ``extract_article`` on each page (every field)."""
    from dataclasses import asdict

    from pipelines import boilerplate, extract

    phrases = {
        concept: [found.search(line) for line in job["lines"]]
        for concept, found in boilerplate.PHRASE.items()
    }
    cleaned = boilerplate.filter_paragraphs(job["lines"])
    pages = {}
    for name, html in job["pages"].items():
        article = extract.extract_article(html, "https://example.com/a", min_words=0)
        pages[name] = article and {key: str(value) for key, value in asdict(article).items()}
    return {"phrases": phrases, "kept": cleaned.kept, "removed": cleaned.removed, "pages": pages}


def test_without_re_parser_the_layer_reads_the_same():
    """``re._parser`` and ``re._casefix`` are private: on a Python where they are missing (or
    read otherwise: ``literals.PARSER`` is off), no pattern gets a hint or a first character and
    every pattern runs in full. The layer is slower then, never broken: the same answers."""
    import inspect
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    lines = [
        "CLICK HERE TO GET THE FOX NEWS APP",
        "Der BR24 Newsletter informiert Sie immer montags bis freitags über die wichtigsten News.",
        "Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.",
        "有料会員になると会員限定の有料記事もお読みいただけます。",
        "Aktuelle Nachrichten aufs Handy? Hier geht es zur neuen WAZ-News-App",
        "Bültenimize abone olun, günün öne çıkan haberleri her sabah ıncı gibi e-postanızda.",
        "ΕΓΓΡΑΦΕΙΤΕ ΣΤΟ NEWSLETTER ΜΑΣ για να λαμβάνετε τα νέα μας.",
        "The council voted on Tuesday to extend the library's opening hours through the winter, "
        "after the paper reported that its 2 million subscribers had asked for it.",
        "Share this article",
        "Already a subscriber? Log in",
    ]
    pages = {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for path in sorted((root / "tests" / "sites").rglob("*.html"))
    }
    job = {"lines": lines, "pages": pages}
    script = inspect.getsource(_read).replace("def _read(", "def read(") + _PLAIN_CHILD
    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(job), cwd=root,
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    plain = json.loads(done.stdout)
    assert plain == json.loads(json.dumps(_read(job)))
    assert any(any(found) for found in plain["phrases"].values())  # the lines do hold phrases
    assert plain["removed"] and any(plain["pages"].values())
