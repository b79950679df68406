"""The content rules' faster searches (src/noopept_brief/core/markdown/searches.py,
used by content_rules.py) find exactly what the rules' own patterns find: a
word rule's body searched by its first letters, then checked for the
character before it; the number, frequency and "times" words grouped by
first letter. Compared match by match on texts made of the rules' own
words, broken, joined and cased every way. The global-negative rule
(core/markdown/negatives.py) searches lowercased text the same way, and is
compared the same way.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re

import pytest

from noopept_brief.core.markdown import content_rules as rules
from noopept_brief.core.markdown import negatives, searches
from noopept_brief.core.markdown.reader_text import fold

WORDS = (  # noqa: SIM905 (one string reads as the list of words it is)
    "how much many often long to take taking use dose dosing "
    "recommended typical daily doses dosage for in humans people you "
    "buy buying bought purchase add cart stock discount code coupon "
    "order it them online where can i get find source obtain reputable "
    "trusted vendor sellers stack stacks stacked cycle cycles cycling "
    "on off cell sleep one two un une deux ein eins eine zwei uno una "
    "due один два mg g kg ml caps мг and und y и a day per week weekly "
    "once twice einmal x times fois раза b.i.d q.d. 10 1.5 2,5 rebuy "
    "xstack re-cycle pur-chase ﬁve"
).split()
JOINS = (" ", "  ", "-", "", "\n", ", ", ". ", "/", "_", "\u2010")


def texts(count: int = 2000) -> list[str]:
    pick = random.Random(20261206)
    made = []
    for _ in range(count):
        words = pick.choices(WORDS, k=pick.randint(1, 12))
        text = "".join(word + pick.choice(JOINS) for word in words)
        made.append(text.upper() if pick.random() < 0.2 else text)
    return made


def spans(matches) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in matches]


@pytest.mark.parametrize(
    "rule", [rule for rule in rules.CONTENT_PATTERNS if rule.body], ids=lambda r: r.name
)
def test_a_word_rule_finds_what_its_pattern_finds(rule: rules.ContentRule) -> None:
    body, before = rules._WORD_START[rule.name]
    for text in texts():
        lower = text.lower()
        fast = spans(searches.word_starts(body, before, lower))
        assert fast == spans(rules._LOWER[rule.name].finditer(lower)), (
            f"rule {rule.name!r} on {text!r}: word_starts found other matches "
            "than the rule's pattern. The two must agree: fix word_starts "
            "(src/noopept_brief/core/markdown/searches.py), or make the rule with "
            "_word_rule (src/noopept_brief/core/markdown/content_rules.py)."
        )


def ungrouped(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with its word lists as written, not grouped by first letter."""
    source = pattern.pattern
    for words in (rules._NUMBER_WORDS, rules._FREQUENCY, rules._TIMES):
        source = source.replace(searches.by_first_letter(words), words)
    return re.compile(source, pattern.flags)


@pytest.mark.parametrize("name", ["amount", "frequency"])
def test_words_grouped_by_first_letter_find_the_same_matches(name: str) -> None:
    grouped = rules._LOWER[name]
    plain = ungrouped(grouped)
    assert plain.pattern != grouped.pattern, "the pattern holds grouped words"
    for text in texts():
        lower = text.lower()
        assert spans(grouped.finditer(lower)) == spans(plain.finditer(lower)), (
            f"rule {name!r} on {text!r}: grouping its words by first letter "
            "changed a match. by_first_letter must keep each group's words in "
            "their order (src/noopept_brief/core/markdown/searches.py)."
        )


def test_only_words_of_letters_are_grouped() -> None:
    with pytest.raises(ValueError, match="not a word of letters"):
        searches.by_first_letter("one|(?:two)")


def test_a_text_longer_than_one_piece_is_read_to_its_end(monkeypatch) -> None:
    # claims.json of a 400-page brief joins to 2.6 million characters: the
    # rules used to read the first 2 million and drop the rest unread.
    monkeypatch.setattr(rules, "MAX_TEXT", 1_000)
    monkeypatch.setattr(rules, "OVERLAP", 100)
    line = "Rats were studied for 28 days in the water maze, twice over.\n"
    filler = line * 60  # 3,660 characters: four pieces
    for at in (0, 900, 960, 995, 1_890, len(filler)):  # near every piece's end
        text = filler[:at] + "\nWhere to buy it: 10 mg.\n" + filler[at:]
        found = [(r.name, w) for _, r, w in rules.find(text)]
        assert found == [("where to get", "Where to buy"), ("buy", "buy"),
                         ("amount", "10 mg")], (
            f"with the phrase at {at}: {found}. find() (content_rules.py) must "
            "read a long text whole, piece by piece, each match once."
        )  # fmt: skip


#: The global-negative rule's phrases, and words around them.
NEGATIVE_PHRASES = (
    "no human data", "no clinical trials", "no human studies meeting",
    "human trial data on noopept are nearly nonexistent", "the brief knows of none",
    "has no regulatory approval", "received no marketing approval",
    "approved nowhere", "not been approved anywhere", "in any major jurisdiction",
    "is classified as an ruo", "are categorised as research use only",
)  # fmt: skip
NEGATIVE_WORDS = ["x", "no", "human", "data", "in", "the", "of", "approved", "a", "is"]
#: A case-blind match reads U+017F (long s) as "s" and U+0131 (dotless i) as
#: "i"; U+0130 (capital I with a dot) lowers to two characters; U+212A
#: (Kelvin) lowers to "k".
LOOK_ALIKES = {"s": "\u017f", "i": "\u0131", "I": "\u0130", "k": "\u212a"}


def negative_texts(count: int = 3000) -> list[str]:
    pick = random.Random(20261207)
    made = []
    for _ in range(count):
        parts = [
            pick.choice(NEGATIVE_PHRASES if pick.random() < 0.6 else NEGATIVE_WORDS)
            for _ in range(pick.randint(1, 5))
        ]
        text = "".join(part + pick.choice(JOINS) for part in parts)
        text = text.upper() if pick.random() < 0.2 else text
        if pick.random() < 0.3:  # one letter swapped for its look-alike
            at = pick.randrange(len(text))
            text = text[:at] + LOOK_ALIKES.get(text[at], text[at]) + text[at + 1 :]
        made.append(text)
    return made


def test_the_global_negatives_find_what_their_patterns_find() -> None:
    texts = negative_texts()
    assert sum(bool(negatives.check_global_negatives(t)) for t in texts) > 1000
    for text in texts:
        fast = [(a, b, form.body) for a, b, form in negatives._found(text)]
        plain = [
            (m.start(), m.end(), form.body)
            for form in negatives.GLOBAL_NEGATIVES
            for m in form.pattern.finditer(text)
        ]
        assert fast == plain, (
            f"on {text!r}: negatives._found found {fast}, the rule's patterns "
            f"{plain}. The two must agree: fix _found or the form's body "
            "(core/markdown/negatives.py)."
        )


def test_a_negative_is_written_in_lower_case() -> None:
    with pytest.raises(ValueError, match="lower case"):
        negatives.Negative("Approved nowhere", "")


def read_whole(text: str) -> list[tuple[int, str, str]]:
    """content_rules._find as it was: the text read twice, whole, the second
    time with its inner hyphens taken out."""
    text = fold(text)
    found = rules._matches(text)
    parts = rules._INNER_HYPHEN.split(text)
    cuts = list(itertools.accumulate(len(part) for part in parts[:-1]))
    seen = {(at, rule.name) for at, rule, _ in found}
    for start, rule, words in rules._matches("".join(parts)) if cuts else ():
        end = start + len(words)
        before = bisect.bisect_right(cuts, start)
        first = start + before
        if before < len(cuts) and cuts[before] < end and (first, rule.name) not in seen:
            found.append(
                (first, rule, text[first : end + bisect.bisect_left(cuts, end)])
            )
    return [
        (at, rule.name, words) for at, rule, words in sorted(found, key=lambda f: f[0])
    ]


#: Words broken by hyphens, and the marks a match never runs across.
BROKEN = ["pur-chase", "cy-cling", "1-0", "m-g", "twi-ce", "dai-ly", "sta-cked",
          "b.i.-d", "q.d.", "1.5", "ta-ke", "ven-dor", "on-off", "?", "!", "."]  # fmt: skip
BREAK_JOINS = (*JOINS, "? ", "! ", ". ", ".\n", "?", ".")


def test_the_second_reading_finds_what_a_reading_of_the_whole_text_finds() -> None:
    # _find reads a text a second time with its inner hyphens taken out, but
    # only the stretches between sentence marks that lost one.
    pick = random.Random(20261207)
    broken = 0
    for _ in range(4000):
        words = pick.choices(WORDS + BROKEN, k=pick.randint(1, 16))
        text = "".join(word + pick.choice(BREAK_JOINS) for word in words)
        text = text.upper() if pick.random() < 0.2 else text
        fast = [(at, rule.name, w) for at, rule, w in rules._find.__wrapped__(text)]
        whole = read_whole(text)
        broken += fast != [m for m in whole if "-" not in m[2]]
        assert fast == whole, (
            f"on {text!r}: _find found {fast}, a reading of the whole text "
            f"{whole}. A rule's pattern may now match across a mark in "
            "content_rules._BREAK: keep every pattern from doing so, or "
            "change _BREAK."
        )
    assert broken > 200, "the texts must hold matches that hyphens broke"
