"""How the word rules search fast, with exactly their patterns' matches.

The content rules (content_rules.py) and the global-negative rule
(negatives.py) run over every page's source and every written page. Python's
regex engine finds a pattern that opens with letters by its first letters,
but tries one that opens with a lookbehind or ``\\b`` at every position, and a
case-blind one about five times slower. So the rules search lowercased text
for each pattern's letters (:func:`without_case`, :func:`word_starts`), with
long word lists grouped by first letter (:func:`by_first_letter`), and read a
text a second time only where it lost a hyphen (:func:`stretches`).
tests/test_content_rule_searches.py compares each with the plain pattern.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator


def by_first_letter(words: str) -> str:
    """An alternation of words (``words``, split on "|"), grouped by first
    letter: the same matches, found faster. The engine tries alternatives in
    order, and one whose first letter differs fails at once; grouped, it
    still tries the same ones in the same order, but passes over each group
    by its letter instead of each word.

    >>> by_first_letter("one|two|un|une|ten")
    'o(?:ne)|t(?:wo|en)|u(?:n|ne)'
    """
    groups: dict[str, list[str]] = {}
    for word in words.split("|"):
        if not word[:1].isalpha() or "(" in word or "[" in word:
            raise ValueError(f"not a word of letters: {word!r}")
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


def without_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without re.I, for text lowercased first. The patterns spell
    their letters in lower case; one that does not is refused here."""
    letters = re.sub(r"\\.", "", pattern.pattern)
    if any(c.isupper() for c in letters):
        raise ValueError(f"write the pattern in lower case: {pattern.pattern!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


def word_starts(
    body: re.Pattern[str],
    before: re.Pattern[str],
    text: str,
    start: int = 0,
    end: int | None = None,
) -> Iterator[re.Match[str]]:
    """What ``(?<!before)(?:body)`` finds in ``text`` (from ``start`` to
    ``end``, as ``Pattern.finditer`` reads them): each match of the body
    that does not follow a character of ``before``, the earliest first."""
    at, end = start, len(text) if end is None else end
    while match := body.search(text, at, end):
        first = match.start()
        if first and before.match(text, first - 1):
            at = first + 1  # inside a word: the rule cannot match here
            continue
        yield match
        at = max(match.end(), first + 1)


def stretches(
    text: str, cuts: list[int], breaks: re.Pattern[str]
) -> list[tuple[int, int]]:
    """The stretches of ``text`` that hold a cut (a place between two letters
    or digits where a hyphen was taken out), each from just after a match of
    ``breaks`` to just after the next: where no rule's match runs across a
    break, a match that a hyphen broke lies within one stretch.

    >>> stretches("Buy it? Pur chase it. Now.", [11], re.compile(r"[?!]|\\.(?=\\s)"))
    [(7, 21)]
    """
    ends = [match.end() for match in breaks.finditer(text)]
    spans: dict[tuple[int, int], None] = {}
    for cut in cuts:
        # A cut's two sides are letters or digits: no break falls between them.
        at = bisect.bisect_right(ends, cut)
        spans[
            (ends[at - 1] if at else 0, ends[at] if at < len(ends) else len(text))
        ] = None
    return list(spans)
