"""Content rules: no dosing and no human-use language, as code.

The brief gives no dosing or human-use guidance and no sourcing (README,
"Content rules"). Each rule below is a pattern over the text readers see,
with the reason, and its exceptions where science uses the same word ("cell
cycle", "Substack"). They run over every page's source text (rule
*content*), over every written HTML page and the PDF's text (the output
gate), and over every field of ``refs.bib``.

Every text is first folded as a reader reads it (:func:`.reader_text.fold`:
NFKC, invisible characters removed), so full-width letters, ligatures and a
zero-width space inside a word change nothing. Amounts and frequencies are
one rule each, about what they are (a number, in digits or in words of
several languages, next to a unit of amount, or next to a frequency), not a
list of phrasings.

Every pattern is bounded (no nested or unbounded repetition), so no input
can make it backtrack for long.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from ..rules import Rule
from ..violations import Violation
from .reader_text import check_reader_text, fold
from .searches import by_first_letter, stretches, without_case, word_starts

# -- Amounts and frequencies, by what they are ----------------------------------
# A number: digits, or a number word in English, French, German, Spanish,
# Italian or Russian (text is NFKC-folded first, so full-width digits count).
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred|thousand|half|"
    r"un|une|deux|trois|quatre|cinq|sept|huit|neuf|dix|vingt|cent|mille|"
    r"eins?|eine|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwanzig|hundert|tausend|"
    r"uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cien|ciento|mil|"
    r"due|tre|quattro|sei|sette|otto|nove|dieci|cento|"
    r"один|одна|два|две|три|четыре|пять|шесть|десять|сто|двести|триста|тысяча"
)


_NUMBERS = by_first_letter(_NUMBER_WORDS)
_ANY_NUMBER = rf"(?:\d{{1,9}}(?:[.,]\d{{1,9}})?|(?:{_NUMBERS}))"
# A unit of amount: mass, volume, or a count of doses, in those languages.
_AMOUNT_UNITS = (
    r"mg|mcg|µg|μg|ug|ng|g|kg|ml|iu|cc|"
    r"(?:milli|micro|nano|kilo)?gram(?:me)?s?|(?:milli|micro)?gramm|(?:mili|micro)?gramos?|"
    r"(?:milli|micro)?grammi|millilit(?:er|re)s?|"
    r"drops?|capsules?|caps|tablets?|tabs|pills?|scoops?|sachets?|"
    r"kapseln?|tabletten?|tropfen|comprimés?|gélules?|gouttes?|cápsulas?|pastillas?|gotas?|"
    r"compresse|capsule|мг|мкг|г|мл|таблет\w{0,3}|капсул\w{0,3}|миллиграмм\w{0,2}|грамм\w{0,2}"  # noqa: RUF001
)
# A frequency: per day or week, in those languages.
_FREQUENCY = (
    r"daily|a\s+day|per\s+day|each\s+day|every\s+day|a\s+week|per\s+week|weekly|"
    r"each\s+morning|every\s+morning|in\s+the\s+morning|at\s+night|before\s+bed|"
    r"täglich|pro\s+tag|am\s+tag|par\s+jour|chaque\s+jour|al\s+día|por\s+día|cada\s+día|"
    r"al\s+giorno|в\s+день|в\s+сутки|ежедневно"
)
_TIMES = r"once|twice|thrice|einmal|zweimal|dreimal"
_FREQUENCIES, _TIMES_WORDS = by_first_letter(_FREQUENCY), by_first_letter(_TIMES)
# Each of these starts at a word's start: "(?<!\w)(?=\w)". The lookahead
# changes no match, but lets a run of punctuation or spaces (where the
# lookbehind holds) skip the long alternations: three times faster there.
_START = r"(?<!\w)(?=\w)"
_AMOUNT = re.compile(
    rf"{_START}{_ANY_NUMBER}(?:[\s-]{{1,3}}(?:{_NUMBERS}|and|und|et|y|и)){{0,3}}"
    rf"[\s-]{{0,3}}(?:{_AMOUNT_UNITS})(?!\w)",
    re.I,
)
# One _START before the three forms: tried once a position, not three times.
_FREQUENCY_RULE = re.compile(
    rf"{_START}(?:"
    rf"(?:(?:{_TIMES_WORDS})|{_ANY_NUMBER}[\s-]{{0,3}}(?:x|times|fois|veces|volte|mal|раза?))"
    rf"[\s-]{{1,3}}(?:{_FREQUENCIES})(?!\w)"
    rf"|(?:{_FREQUENCIES})[\s,-]{{1,3}}(?:{_TIMES_WORDS})(?!\w)"
    rf"|(?:b\.i\.d|t\.i\.d|q\.i\.d|q\.d)\.?(?!\w))",
    re.I,
)

# Words before "cycle" that make it science, not a dosing schedule.
_SCIENCE_CYCLES = re.compile(
    r"(?:cell|life|estrous|oestrous|menstrual|sleep|sleep-wake|circadian|krebs|"
    r"acid|catalytic|redox|vesicle|vesicular|cardiac|reproductive|freeze-thaw|"
    r"thermal|duty|replication|hype|news|publication|business)[\s-]{1,3}$",
    re.I,
)


@dataclass(frozen=True)
class ContentRule:
    """One rule: its name, its pattern, and what the message says. A rule
    made by :func:`_word_rule` also keeps its pattern's ``body`` and the
    characters it may not follow (``before``), which :func:`_matches` uses
    to find it faster."""

    name: str
    pattern: re.Pattern[str]
    why: str
    body: str = ""
    before: str = ""


def _word_rule(name: str, body: str, why: str, before: str = r"\w") -> ContentRule:
    """A rule whose every match starts a word: ``body`` where the character
    before is not one of ``before``. :func:`_matches` searches for the body
    alone and checks the character before each match: Python's regex engine
    finds a pattern that opens with letters by its first letters, but tries
    one that opens with a lookbehind or ``\\b`` at every position, four
    times slower. (Keep each alternative of ``body`` opening with a letter.)"""
    return ContentRule(name, re.compile(rf"(?<!{before})(?:{body})", re.I), why,
                       body, before)  # fmt: skip


#: The rules, in the order their messages are listed.
CONTENT_PATTERNS: tuple[ContentRule, ...] = (
    ContentRule(
        "amount",
        _AMOUNT,
        "an amount of a substance (a number, in digits or words, with a unit "
        "of mass, volume or doses) reads as dosing",
    ),
    ContentRule(
        "frequency",
        _FREQUENCY_RULE,
        "how often (a number of times per day or week) reads as a dosing schedule",
    ),
    _word_rule(
        "how much to take",
        r"how\s+(?:much|many|often|long)\b[^.?!\n]{0,40}?\b(?:take|taking|use|dose|dosing)\b"
        r"|how\s+to\s+(?:take|dose|use|cycle|stack)\b",
        "telling readers how much or how to take a substance is dosing guidance",
    ),
    _word_rule(
        "human dose",
        r"(?:recommended|typical|starting|usual|daily|optimal|standard)\s+(?:dose|doses|dosage|dosing)\b"
        r"|dos(?:e|es|age|ing)\s+(?:for|in)\s+(?:humans|people|adults|you|yourself)\b",
        "a dose for people is human-use guidance",
    ),
    _word_rule(
        "buy",
        r"(?:buy|buying|bought|purchase|purchasing|add\s+to\s+cart|in\s+stock|"
        r"discount\s+code|coupon|order\s+(?:it\s+|them\s+)?online)\b",
        "the brief gives no sourcing: buying is not research context",
    ),
    _word_rule(
        "where to get",
        r"where\s+(?:to|can\s+(?:i|you|one|we))\s+(?:get|buy|find|order|source|obtain)\b"
        r"|(?:reputable|trusted|reliable)\s+(?:vendor|vendors|seller|sellers|source|sources|supplier|suppliers)\b",
        "the brief gives no sourcing: where to get it is not research context",
    ),
    _word_rule(
        "stack",
        r"stack(?:s|ed|ing)?\b",
        'a "stack" is a combination of substances people take together',
        before=r"[\w-]",
    ),
    _word_rule(
        "cycle",
        r"cycl(?:e|es|ed|ing)\b|on[\s/-]off\b",
        'a "cycle" of a substance is a schedule for taking it (the science '
        'senses, "cell cycle", "sleep cycle" and the like, pass)',
    ),
)

#: The longest text the rules read in one piece; a longer one (claims.json,
#: the handout's Typst source of a large brief) is read in pieces that
#: overlap by :data:`OVERLAP`, each starting at a line's start.
MAX_TEXT = 2_000_000
#: Longer than any phrase a rule matches: a match that starts in one piece's
#: last OVERLAP characters is taken from the next piece, whole.
OVERLAP = 10_000


_LOWER = {rule.name: without_case(rule.pattern) for rule in CONTENT_PATTERNS}
#: A word rule's body and the characters it may not follow, for lowered text.
_WORD_START = {
    rule.name: (re.compile(rule.body), re.compile(rule.before))
    for rule in CONTENT_PATTERNS
    if rule.body
}
_SCIENCE_CYCLES_LOWER = without_case(_SCIENCE_CYCLES)


def find(text: str) -> list[tuple[int, ContentRule, str]]:
    """Every match in ``text``: (offset, rule, the words matched).

    >>> [r.name for _, r, _ in find("Rats got 10 mg/kg; the cell cycle slowed.")]
    ['amount']
    >>> [r.name for _, r, _ in find("Where to buy it, and how much to take.")]
    ['where to get', 'buy', 'how much to take']
    >>> find("Newsletters on Substack; cycloprolylglycine; a sleep-wake cycle.")
    []
    >>> find("TAKE 10 MG TWICE DAILY")[0][2]
    '10 MG'
    >>> [(at, r.name, w) for at, r, w in find("A pur-chasing cy-cling plan.")]
    [(2, 'buy', 'pur-chasing'), (14, 'cycle', 'cy-cling')]
    >>> [r.name for _, r, _ in find("cy\u2013cling, pur\u2010chasing")]
    ['cycle', 'buy']
    >>> find("A dose-response curve, 28-day on-off schedules aside.")[0][2]
    'on-off'
    """
    if len(text) <= MAX_TEXT:
        return list(_find(text))
    text = fold(text)  # once, so that offsets are the pieces' (folding is idempotent)
    found: dict[tuple[int, str], tuple[int, ContentRule, str]] = {}
    start = 0
    while True:
        end = start + MAX_TEXT
        if end >= len(text):  # the last piece
            for at, rule, words in _find(text[start:]):
                found.setdefault((start + at, rule.name), (start + at, rule, words))
            return sorted(found.values(), key=lambda f: f[0])
        # The next piece starts after a line break near this one's end.
        following = text.rfind("\n", end - OVERLAP, end) + 1 or end - OVERLAP
        for at, rule, words in _find(text[start:end]):
            if start + at < following:
                found.setdefault((start + at, rule.name), (start + at, rule, words))
        start = following


#: A hyphen or dash between two letters or digits: "pur-chasing" is read as
#: "purchasing" (a layout's line-end hyphen is one too, once the lines join).
# (The dash first, then the letter before it: the engine finds a pattern that
# opens with a character class by that class, four times faster.)
_INNER_HYPHEN = re.compile(r"[-\u2010-\u2015](?<=\w.)(?=\w)")


#: Where no rule's match runs across: "?" and "!", and a "." before a space
#: or a line break, which can only end a match ("b.i.d. "). Every pattern
#: above must keep it so: a text's second reading (below) reads only the
#: stretches between these that lost a hyphen (tests/test_content_rule_searches.py
#: compares it with a reading of the whole text).
_BREAK = re.compile(r"[?!]|\.(?=\s)")


@lru_cache(maxsize=4096)
def _find(text: str) -> tuple[tuple[int, ContentRule, str], ...]:
    # Cached: every page repeats the same attribute texts and labels.
    text = fold(text)
    found = _matches(text)
    # The text again with such hyphens taken out; only the matches that a
    # hyphen broke count, at their place and in their words as written.
    parts = _INNER_HYPHEN.split(text)
    if len(parts) == 1:
        return tuple(sorted(found, key=lambda f: f[0]))
    cuts = list(itertools.accumulate(len(part) for part in parts[:-1]))
    joined = "".join(parts)
    seen = {(at, rule.name) for at, rule, _ in found}  # "10-mg" is found as is
    for start, rule, words in _matches(joined, stretches(joined, cuts, _BREAK)):
        end = start + len(words)
        before = bisect.bisect_right(cuts, start)  # hyphens before the match
        first = start + before
        inside = before < len(cuts) and cuts[before] < end  # a hyphen broke it
        if inside and (first, rule.name) not in seen:
            found.append(
                (first, rule, text[first : end + bisect.bisect_left(cuts, end)])
            )
    return tuple(sorted(found, key=lambda f: f[0]))


def _matches(
    text: str, spans: list[tuple[int, int]] | None = None
) -> list[tuple[int, ContentRule, str]]:
    """Every rule's matches in ``text``, or in each of ``spans`` (start, end)
    of it, read as the whole text would be: the characters before a span
    count for what may come before a match."""
    lower = text.lower()
    # A very few characters lower to two (U+0130): then match case-blind.
    fast = len(lower) == len(text)
    science = _SCIENCE_CYCLES_LOWER if fast else _SCIENCE_CYCLES
    found = []
    for rule in CONTENT_PATTERNS:
        for start, end in spans or ((0, len(text)),):
            if fast and rule.name in _WORD_START:
                matches = word_starts(*_WORD_START[rule.name], lower, start, end)
            else:
                pattern = _LOWER[rule.name] if fast else rule.pattern
                matches = pattern.finditer(lower if fast else text, start, end)
            for match in matches:
                at = match.start()
                if rule.name == "cycle" and science.search(
                    (lower if fast else text)[max(0, at - 30) : at]
                ):
                    continue
                found.append((at, rule, text[at : match.end()]))
    return found


def violation(path: str, line: int, rule: ContentRule, words: str) -> Violation:
    """What a match of ``rule`` (the ``words`` it matched) reports, and how to fix it."""
    return Violation(path, line, Rule.CONTENT, _message(rule, words), subject=words)


def _message(rule: ContentRule, words: str) -> str:
    return (
        f"{' '.join(words.split())!r}: {rule.why}, and the brief gives no "
        "dosing, human-use or sourcing guidance. Rewrite the sentence as what "
        "the cited research reports, or remove it (rule "
        f"{rule.name!r} in src/noopept_brief/core/markdown/content_rules.py)."
    )


def check_text(text: str, path: str = "", line: int = 1) -> list[Violation]:
    """The content rules over plain text, all reported at ``line``."""
    return [violation(path, line, rule, words) for _, rule, words in find(text)]


#: Short texts these rules found nothing in, read once a process: a written
#: page repeats the same tooltips and labels on every citation and badge (60
#: attributes a page, a few distinct). Bounded; a text with a finding is read
#: every time, so each place it stands is reported.
_CLEAN: set[str] = set()
_CLEAN_SIZE = 4096
_CLEAN_LONGEST = 1000


def check_read_text(text: str, path: str, line: int, what: str) -> list[Violation]:
    """The content rules and the reader-text rules (*invisible-text*,
    *mixed-script*: :func:`.reader_text.check_reader_text`) over a text that
    reaches readers as it is: a written page's text or attribute, claims.json."""
    if text in _CLEAN:
        return []
    found = check_text(text, path, line) + check_reader_text(text, path, line, what)
    if not found and len(text) <= _CLEAN_LONGEST:
        if len(_CLEAN) >= _CLEAN_SIZE:
            _CLEAN.clear()
        _CLEAN.add(text)
    return found


def check_content(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *content*: no dosing, human-use or sourcing language in a page.

    >>> check_content("# Title\\n\\nRats were given the compound for 28 days.\\n")
    []
    >>> print(check_content("# Title\\n\\nPeople take 10 mg\\nper day.\\n")[0])
    docs/example.md:3: [content] '10 mg': an amount of a substance (a \
number, in digits or words, with a unit of mass, volume or doses) reads as \
dosing, and the brief gives no dosing, human-use or sourcing guidance. \
Rewrite the sentence as what the cited research reports, or remove it (rule \
'amount' in src/noopept_brief/core/markdown/content_rules.py).
    """
    from .reader_text import _visible_pieces

    pieces, lines, size = [], [], 0
    for line, _, words in _visible_pieces(text):
        words = fold(words)
        if words:
            pieces.append(words)
            lines.append((size, line))
            size += len(words) + 1
    joined = " ".join(pieces)
    problems = []
    for offset, rule, words in find(joined):
        line = max((ln for start, ln in lines if start <= offset), default=1)
        problems.append(violation(path, line, rule, words))
    return problems
