"""The content rules' faster searches (src/noopept_brief/core/markdown/content_rules.py)
find exactly what the rules' own patterns find: a word rule's body searched
by its first letters, then checked for the character before it; the number,
frequency and "times" words grouped by first letter. Compared match by match
on texts made of the rules' own words, broken, joined and cased every way.
"""

from __future__ import annotations

import random
import re

import pytest

from noopept_brief.core.markdown import content_rules as rules

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
        fast = spans(rules._word_starts(body, before, lower))
        assert fast == spans(rules._LOWER[rule.name].finditer(lower)), (
            f"rule {rule.name!r} on {text!r}: _word_starts found other matches "
            "than the rule's pattern. The two must agree: fix _word_starts, or "
            "make the rule with _word_rule (content_rules.py)."
        )


def ungrouped(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with its word lists as written, not grouped by first letter."""
    source = pattern.pattern
    for words in (rules._NUMBER_WORDS, rules._FREQUENCY, rules._TIMES):
        source = source.replace(rules._by_first_letter(words), words)
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
            "changed a match. _by_first_letter must keep each group's words in "
            "their order (content_rules.py)."
        )


def test_only_words_of_letters_are_grouped() -> None:
    with pytest.raises(ValueError, match="not a word of letters"):
        rules._by_first_letter("one|(?:two)")


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
