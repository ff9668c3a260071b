"""Literal hints: text that every match of a regular expression contains, read from the pattern.

The paragraph filter's floating patterns (alternations searched anywhere in a line, most of them
case-insensitive) cost 4 to 20 µs a line in Python's ``re``, which tries each alternative at each
position. Most lines hold none of the words those patterns need ("inbox", "commission" ...):
``Hint.allows`` says so with a few substring tests on the lowered line, and the pattern runs only
when it allows a match.

A hint never refuses a line that its pattern matches. Its literals come from the parsed pattern
(``re._parser``), only from parts that every match passes through: for an alternation, one
literal of each branch. Case-insensitive, the line is lowered with ``str.lower``; the few
characters that ``re.IGNORECASE`` matches beyond that (dotless i U+0131, long s U+017F, the
other extra cases of ``re._casefix``, and U+0130, which lowers to two characters) are
first written as the one literal character each matches (``Hint.text``: a Turkish line holding
a dotless i is tested like any other) or, where one may match two (a final sigma), send the line to
the pattern.

``re._parser`` and ``re._casefix`` are private: at import a probe checks that they read as this
module expects (``PARSER``). When they are missing or read otherwise (a Python upgrade), no
pattern gets a hint or a first character and every pattern runs in full: slower, the same answers
(tests/test_literals.py runs the layer so and compares).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

try:  # the parser and case table of the ``re`` module itself: private, so checked (``PARSER``)
    import re._casefix as _casefix
    import re._constants as sre
    import re._parser as _parser
except ImportError:  # a Python whose ``re`` is laid out otherwise
    _casefix = _parser = sre = None  # type: ignore[assignment]

MIN_LITERAL = 4  # shorter literals are in too many lines to be worth a test

Need = frozenset[str]  # one of these literals is in every match


@dataclass(frozen=True)
class Hint:
    """A cheap test that a pattern may match a line."""

    literals: tuple[str, ...]
    fold: bool  # the pattern ignores case: literals are lowered, so is the line
    odd: str = ""  # characters IGNORECASE matches beyond ``str.lower`` (``in`` tests: C scans)
    unodd: dict[int, str] | None = None  # ``str.translate``: each odd character to the literal
    # character it matches (``None``: one of them may match two)

    def text(self, line: str) -> str | None:
        """``line`` as the literals are looked for in it: lowered when the pattern ignores case,
        its odd characters first written as the literal characters they match; ``None`` when
        it holds an odd character that may match two (only the pattern can tell)."""
        if not self.fold:
            return line
        if self.odd and holds_any(line, self.odd):
            if self.unodd is None:
                return None
            line = line.translate(self.unodd)
        return line.lower()

    def allows(self, line: str, lowered: str | None = None) -> bool:
        """``lowered``: ``text(line)`` of a hint that holds this one's literal and odd
        characters, from a caller that tries many hints on one line (``joined``)."""
        text = lowered if self.fold and lowered is not None else self.text(line)
        return text is None or holds_any(text, self.literals)


def holds_any(text: str, literals: Iterable[str]) -> bool:
    """One of ``literals`` is in ``text``. A plain loop: ``in`` runs ``str.__contains__``
    directly, where ``any(map(text.__contains__, ...))`` calls it through a wrapper and a
    generator adds a frame (each ~30 % slower on the filter's lines)."""
    for literal in literals:  # noqa: SIM110 — the loop is the point
        if literal in text:
            return True
    return False


def hint(pattern: re.Pattern, min_literal: int = MIN_LITERAL) -> Hint | None:
    """The hint of a compiled ``str`` pattern, or ``None`` when it has no literal worth a test
    (none of ``min_literal`` characters at least), or when ``re``'s parser is not readable."""
    if not PARSER:
        return None
    return _hint(pattern, min_literal)


def _hint(pattern: re.Pattern, min_literal: int) -> Hint | None:
    if not isinstance(pattern.pattern, str) or pattern.flags & re.LOCALE:
        return None
    need = _best(_needs(_parser.parse(pattern.pattern, pattern.flags)))
    if need is None or min(map(len, need)) < min_literal:
        return None
    if not pattern.flags & re.IGNORECASE:
        return Hint(tuple(sorted(need)), fold=False)
    if any(len(char.lower()) != 1 for literal in need for char in literal):
        return None  # İ in the pattern itself
    lowered = {literal.lower() for literal in need}
    odd = _odd_characters("".join(lowered))
    return Hint(
        tuple(sorted(lowered)),
        fold=True,
        odd=odd,
        unodd=_unodd(odd, "".join(lowered)),
    )


def joined(literals: tuple[str, ...], hints: Iterable[Hint]) -> Hint:
    """One case-insensitive hint for several: ``literals`` (theirs, or some that hold theirs)
    and the odd characters of all of them, written as characters of all of their literals. Its
    ``text`` of a line serves each of them (``Hint.allows(line, lowered)``)."""
    hints = list(hints)
    odd = "".join(sorted({char for hint in hints for char in hint.odd}))
    chars = "".join({char for hint in hints for literal in hint.literals for char in literal})
    return Hint(literals, fold=True, odd=odd, unodd=_unodd(odd, chars))


def _unodd(odd: str, chars: str) -> dict[int, str] | None:
    """A ``str.translate`` table writing each of the ``odd`` characters as the one of ``chars``
    (lowered literal characters) that IGNORECASE matches it to, or ``None`` when one matches
    two. An odd character that matches none is left as it is: no match of a literal holds it."""
    table: dict[int, str] = {}
    for char in odd:
        found = {c for c in set(chars) if re.fullmatch(re.escape(c), char, re.IGNORECASE)}
        if len(found) > 1:
            return None
        if found:
            table[ord(char)] = found.pop()
    return table


def extra_cases(char: str) -> tuple[int, ...]:
    """Characters (codes) other than its lowercase that IGNORECASE matches to a lowercase
    character (``re._casefix``: dotless i to i, long s to s ...); none when ``re``'s parser
    is not readable (no hint nor first character is read then)."""
    return _casefix._EXTRA_CASES.get(ord(char), ()) if PARSER else ()


def _odd_characters(chars: str) -> str:
    """Characters that IGNORECASE matches to one of ``chars`` whose ``str.lower`` is not it."""
    odd = {"\u0130"}  # İ: lowers to i + combining dot
    for char in set(chars):
        odd.update(map(chr, _casefix._EXTRA_CASES.get(ord(char), ())))
        if char in "σς":  # ``str.lower`` writes a final sigma by context
            odd.update("Σσς")
    return "".join(sorted(odd))


def _needs(items: Iterable) -> list[Need]:
    """What a parsed pattern needs: sets of literals, one of each set in every match."""
    needs: list[Need] = []
    run: list[str] = []

    def close() -> None:
        if run:
            needs.append(frozenset(["".join(run)]))
            run.clear()

    def walk(items: Iterable) -> None:
        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av))
            elif op is sre.AT:  # \b, ^, $ take no characters: the run goes on
                continue
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group, no flag changes
                walk(av[3])
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
                walk(av[2])  # its first pass is in every match
                close()
            elif op is sre.BRANCH:
                close()
                best = [_best(_needs(branch)) for branch in av[1]]
                if all(best):
                    needs.append(frozenset().union(*best))
            else:  # anything else may take any characters: the run ends
                close()

    walk(items)
    close()
    return needs


def _best(needs: list[Need]) -> Need | None:
    """The need that makes the best test: long literals, few of them."""
    return max(needs, key=lambda need: (min(map(len, need)), -len(need)), default=None)


# --------------------------------------------------------------------------- first characters

MAX_RANGE = 64  # a character class spanning more is "any character" here


def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (a ``str`` pattern) can start with, or ``None``
    when it can start with any, or with nothing (an empty match), or when ``re``'s parser is
    not readable."""
    return _first_chars(pattern, flags) if PARSER else None


def _first_chars(pattern: str, flags: int) -> frozenset[str] | None:
    chars, nullable = _first(_parser.parse(pattern, flags))
    return None if chars is None or nullable else frozenset(chars)


def _first(items: Iterable) -> tuple[set[str] | None, bool]:
    """First characters of a parsed sequence (``None``: any) and whether it can match empty."""
    found: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of(op, av)
        if chars is None:
            return None, False
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _first_of(op: object, av: object) -> tuple[set[str] | None, bool]:
    if op is sre.LITERAL:
        return {chr(av)}, False
    if op is sre.AT:  # ^, $, \b take no characters
        return set(), True
    if op is sre.IN:
        return _class_chars(av), False
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _first(av[3])
    if op is sre.BRANCH:
        found: set[str] = set()
        empty = False
        for branch in av[1]:
            chars, nullable = _first(branch)
            if chars is None:
                return None, False
            found |= chars
            empty = empty or nullable
        return found, empty
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        chars, nullable = _first(av[2])
        return chars, nullable or av[0] == 0
    return None, False  # any character, a category, a group reference, a look-around


def _class_chars(items: Iterable) -> set[str] | None:
    found: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            found.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] <= MAX_RANGE:
            found.update(chr(code) for code in range(av[0], av[1] + 1))
        else:  # a negation, a category, a wide range
            return None
    return found


MAX_PREFIXES = 4096  # more first strings than this: not known


def prefixes(pattern: str, flags: int = 0, size: int = 2) -> frozenset[str] | None:
    """The strings of ``size`` characters a match of ``pattern`` (a ``str`` pattern) can start
    with, as written in the pattern (no case folding), or ``None`` when not known: a match may
    be shorter, a part may take any character (a category, a wide class, a look-around), there
    are too many, or ``re``'s parser is not readable."""
    if not PARSER:
        return None
    found = _prefixes(_parser.parse(pattern, flags), size)
    if found is None or any(len(text) < size for text in found):
        return None
    return frozenset(found)


def _prefixes(items: Iterable, size: int) -> set[str] | None:
    """The strings a match of a parsed sequence starts with, cut at ``size`` characters: each
    either ``size`` long or a whole (shorter) match; ``None``: not known."""
    found = {""}
    for op, av in items:
        part = _part_prefixes(op, av, size)
        if part is None:
            return None
        found = {text for text in found if len(text) == size} | {
            (text + more)[:size] for text in found if len(text) < size for more in part
        }
        if len(found) > MAX_PREFIXES:
            return None
        if all(len(text) == size for text in found):
            break
    return found


def _part_prefixes(op: object, av: object, size: int) -> set[str] | None:
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.AT:  # ^, $, \b take no characters (what they refuse is left to the pattern)
        return {""}
    if op is sre.IN:
        return _class_chars(av)
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _prefixes(av[3], size)
    if op is sre.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            part = _prefixes(branch, size)
            if part is None:
                return None
            found |= part
        return found
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, item = av
        once = _prefixes(item, size)
        if once is None or "" in once:  # an item that may take nothing: not read
            return None
        # each pass takes a character at least: passes beyond ``size`` add none to a prefix
        found = set()
        for passes in range(min(low, size), min(high, size) + 1):
            part = _prefixes([pair for _ in range(passes) for pair in item], size)
            if part is None:
                return None
            found |= part
        return found
    return None


def _reads_patterns() -> bool:
    """``re``'s private parser and case table read as this module expects them: a Python
    upgrade may change them. When not, ``PARSER`` is off: no pattern gets a hint or a first
    character, every pattern runs in full (slower, the same answers)."""
    if _parser is None:
        return False
    try:
        literal = _hint(re.compile("ab(?:cdef|cdxy)gh|xyzw"), 1)
        folded = _hint(re.compile("class", re.IGNORECASE), 1)
        firsts = _first_chars("(?:ab|[cd])e", 0)
    except Exception:  # any change of the private API turns the hints off
        return False
    return (
        literal is not None  # one of its literals in each match, none in a line without one
        and all(holds_any(match, literal.literals) for match in ("abcdefgh", "abcdxygh", "xyzw"))
        and not holds_any("abc dxyz", literal.literals)
        and folded is not None
        and "\u017f" in folded.odd  # long s, which IGNORECASE matches to s
        and firsts == frozenset("acd")
    )


PARSER = _reads_patterns()
