"""Quotes: a confirmed claim carries its record's own words, and says no more.

A claim's ``:quote:`` is words of a record it cites, verbatim: each piece
(pieces are joined by "…" where a claim quotes two places) must be in a
passage of a primary record of one of its sources
(:func:`quote_in_record`); a secondary listing confirms
nothing. A confirmed claim must carry one (:class:`~.model.Status` says so).

The short text, which the evidence map shows without the claim's prose, may
name only the numbers, populations and compounds that its quote or its
records' titles name (:func:`overstated`). That rule alone would have caught
the claims that said "rats" of a record whose title names no species.

:func:`check_quote` runs in ``check`` and in the build alike, from
:func:`~.markup.check_claim`, with the same rule names and messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from ..refs.records import Passage, Record, normalize
from ..rules import Rule
from ..violations import Violation
from .model import Carries, Claim, Status

#: Every population a short text may name, by one form -> its other forms
#: (singular and plural are the same word). One list, in one place.
POPULATIONS: dict[str, tuple[str, ...]] = {
    "rat": ("rats",),  # the brief's main model; a record on mice does not show it
    "mouse": ("mice",),  # the genotype studies' strains are all mice
    "rabbit": ("rabbits",),  # boyko2004 compares rats, rabbits and humans
    "rodent": ("rodents",),  # a class: a record that names rats says "rats"
    "animal": ("animals",),  # says more than "cells", less than a species
    "snail": ("snails",),  # razumovskaya2019: neurons of the common snail
    "invertebrate": ("invertebrates",),  # the class the snail studies belong to
    "human": ("humans",),  # boyko2004's word for the people it studied
    "person": ("people", "persons"),  # not folded into "human": records say one
    "patient": ("patients",),  # clinical studies: people with a condition
    "volunteer": ("volunteers",),  # healthy people in a trial
    "adult": ("adults",),  # an age group, or "the adult nervous system"
    "child": ("children",),  # no record here studied children: never implied
    "man": ("men",),  # a sex: a record on males does not show "people"
    "woman": ("women",),  # likewise
    "cell": ("cells",),  # in vitro work: cultured cells, cell models
    "neuron": ("neurons",),  # cells of one kind, in culture or in an animal
}
#: Every compound a short text may name, by the brief's spelling -> the
#: spellings records use for the same compound. One list, in one place.
COMPOUNDS: dict[str, tuple[str, ...]] = {
    "Noopept": ("noopept",),  # the brand name; the records spell it so too
    # The lab code and the proposed international name are entries of their
    # own: that they name Noopept is a claim of its own (other-names).
    "GVS-111": ("GVS-111",),
    "omberacetam": ("omberacetam",),
    "piracetam": ("piracetam", "pyracetam"),  # ostrovskaya2002's abstract: "pyracetam"
    # The metabolite, as each record spells it.
    "cycloprolylglycine": (
        "cycloprolylglycine",
        "cyclo-prolylglycine",
        "cyclo-L-prolylglycine",
        "cycloprolyl glycine",
        "cyclo-prolyl-L-glycine",
        "cyclo-(Pro-Gly)",
        "CPG",
    ),
    "prolylglycine": ("prolylglycine",),  # the dipeptide core, not its cyclic form
    "phenylacetic acid": ("phenylacetic acid",),  # a metabolite (gudasheva1997)
    "scopolamine": ("scopolamine",),  # the muscarinic blocker of the memory studies
    "mecamylamine": ("mecamylamine",),  # the nicotinic blocker (radionova2008)
    "acetylcholine": ("acetylcholine",),  # the transmitter of the cholinergic findings
    "cinnarizine": ("cinnarizine",),  # a comparator in nnp2022
    "aminophenylbutyric acid": ("aminophenylbutyric acid",),  # the other comparator
}
#: What each kind of word is called in a message.
NUMBER, POPULATION, COMPOUND = "number", "species or population", "compound"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def quote_in_record(
    key: str, quote: str, records: Mapping[str, Record], primary: bool = True
) -> Passage | None:
    """The passage of ``key``'s record that holds ``quote`` as whole words, or
    None: also when the record is a secondary listing, which confirms nothing
    (``primary=False`` looks in those too, to say so).

    >>> from noopept_brief.core.refs.records import Kind
    >>> record = Record("k", "k.yaml", Kind.ABSTRACT, "2026-12", (),
    ...                 (Passage("They were supposed to be prodrugs.", 7),))
    >>> quote_in_record("k", "were  supposed", {"k": record})
    Passage(text='They were supposed to be prodrugs.', line=7)
    >>> quote_in_record("k", "ere supp", {"k": record}) is None
    True
    >>> from dataclasses import replace
    >>> quote_in_record("k", "were supposed", {"k": replace(record, kind=Kind.SECONDARY)})
    """
    record = records.get(key.lower())
    wanted = normalize(quote)
    if record is None or (primary and not record.primary) or not wanted:
        return None
    return next(
        (p for p in record.passages if _whole_words(wanted, normalize(p.text))), None
    )


def _whole_words(wanted: str, text: str) -> bool:
    """Whether ``wanted`` stands in ``text`` with no word character (``\\w``:
    a letter, a digit or "_") just before or after it. A string search: a
    regular expression compiled for each quote cost more than the search.

    >>> _whole_words("supposed", "they were supposed to"), _whole_words("pose", "supposed")
    (True, False)
    >>> _whole_words("10 mg", "a 10 mg dose, 10 mgs"), _whole_words("Ä", "ÄÄ Ä")
    (True, True)
    """

    def word(at: int) -> bool:
        return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")

    start = text.find(wanted)
    while start != -1:
        if not word(start - 1) and not word(start + len(wanted)):
            return True
        start = text.find(wanted, start + 1)
    return False


@cache
def _patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(kind, the word, the pattern of all its forms) for each listed word."""

    def pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
        # Not inside a longer word or a hyphenated name ("cyclo-prolylglycine"
        # is not "prolylglycine"); "piracetam's" is "piracetam".
        alternatives = "|".join(re.escape(normalize(f)) for f in forms)
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?!\w)", re.IGNORECASE)

    return tuple(
        [
            (POPULATION, word, pattern((word, *other)))
            for word, other in POPULATIONS.items()
        ]
        + [(COMPOUND, name, pattern(forms)) for name, forms in COMPOUNDS.items()]
    )


def named(text: str) -> dict[tuple[str, str], str]:
    """What a text names: (kind, the listed word or the number) -> as written.

    >>> sorted(named("In 150 patients, Noopept's effect; 1,000 mice").values())
    ['1000', '150', 'Noopept', 'mice', 'patients']
    """
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", normalize(text))  # 1,000 is 1000
    found = {(NUMBER, n): n for n in _NUMBER.findall(text)}
    for kind, word, pattern in _patterns():
        if match := pattern.search(text):
            found[(kind, word)] = match[0]
    return found


def overstated(short: str, evidence: str) -> list[tuple[str, str]]:
    """What a short text names that ``evidence`` (its quote and its records'
    titles) does not: (the word as written, its kind), in the text's order.

    >>> overstated("Effective doses 1000 times lower than piracetam's",
    ...            "the effective dose level (1000 times lower for noopept than for pyracetam)")
    []
    >>> overstated("Noopept crosses the blood-brain barrier in rats",
    ...            "Pharmacokinetics of new nootropic acylprolyldipeptide and its "
    ...            "penetration across the blood-brain barrier after oral administration")
    [('Noopept', 'compound'), ('rats', 'species or population')]
    >>> overstated("Memory in 100 mice", "1000 times ... in BALB/c mice")
    [('100', 'number')]
    """
    have = named(evidence)
    return [
        (written, kind)
        for (kind, word), written in sorted(
            named(short).items(), key=lambda item: short.find(item[1])
        )
        if (kind, word) not in have
    ]


# -- Where a quote is from ----------------------------------------------------------


def pieces(quote: str) -> tuple[str, ...]:
    """A quote's pieces, normalized: each is one passage's words ("…" joins
    two places, as in any quotation; quotation marks around it are dropped).

    >>> pieces("“from rats to rabbits … still  slower”")
    ('from rats to rabbits', 'still slower')
    """
    found = (p.strip(" \"'") for p in normalize(quote).split("..."))
    return tuple(p for p in found if p)


def quoted_in(claim: Claim, records: Mapping[str, Record]) -> list[Record]:
    """The primary records of the claim's sources whose passages hold its
    quote's pieces, in the order of the pieces."""
    found = {
        key.lower(): records[key.lower()]
        for piece in pieces(claim.quote)
        for key in claim.sources
        if quote_in_record(key, piece, records)
    }
    return list(found.values())


# -- The rules --------------------------------------------------------------------


def _titles(claim: Claim, records: Mapping[str, Record]) -> list[str]:
    """The titles the claim's primary records show (refs.bib's words)."""
    found = (records.get(key.lower()) for key in claim.sources)
    return [r.title for r in found if r is not None and r.primary and r.title]


def check_quote(
    claim: Claim, records: Mapping[str, Record] | None, path: str
) -> list[Violation]:
    """A claim's quote: there if its status needs one, each piece the words of
    a primary record it cites, and a short text that names nothing more.
    ``records`` are the record files by key (None: not checked against them).
    """
    if not claim.sources:
        return []  # claim-unsourced says what to do first
    problems: list[Violation] = []

    def problem(rule: Rule, message: str) -> None:
        problems.append(Violation(path, claim.line, rule, message))

    status = Status.of(claim.status)
    if status is not None and Carries.QUOTE in status.requires and not claim.quote:
        problem(Rule.CLAIM_QUOTE, FIX["missing"].format(status=claim.status))
    have = {key.lower(): records[key.lower()] for key in claim.sources
            if records and key.lower() in records}  # fmt: skip
    if not claim.quote or len(have) < len(claim.sources):
        return problems  # a missing or broken record file has its own rule
    keys = ", ".join(claim.sources)
    for piece in pieces(claim.quote):
        if any(quote_in_record(key, piece, have) for key in have):
            continue
        secondary = [k for k in have if quote_in_record(k, piece, have, primary=False)]
        if secondary:
            problem(Rule.CLAIM_QUOTE_SECONDARY,
                    FIX["secondary"].format(piece=piece, key=secondary[0]))  # fmt: skip
        else:
            problem(
                Rule.CLAIM_QUOTE_UNFOUND, FIX["unfound"].format(piece=piece, keys=keys)
            )
    if status is Status.CONFIRMED and not problems:
        evidence = " ".join([claim.quote, *_titles(claim, records or {})])
        for written, kind in overstated(claim.short, evidence):
            problem(Rule.CLAIM_OVERSTATES,
                    FIX["overstates"].format(word=written, kind=kind))  # fmt: skip
    return problems


#: What each problem says, with its fix.
FIX = {
    "missing": "this claim's status is {status!r}, but it has no quote. Add "
    "`:quote:` under its options: the words of a cited record that show what "
    "the claim says, copied from a passage of its record file "
    "(docs/_records/<key>.yaml), for example:\n"
    ":quote: was shown to be genotype-dependent\n"
    "If no primary record has such words, set ':status: unconfirmed' with a "
    "':note:' saying what the record shows.",
    "unfound": "this claim's quote {piece!r} is in no passage of its sources' "
    "records ({keys}). Copy the words exactly as a passage of "
    "docs/_records/<key>.yaml gives them (add the passage there first, in the "
    "record's own words, at most 50), or set ':status: unconfirmed' with a "
    "':note:' saying what the record shows.",
    "secondary": "this claim's quote {piece!r} is only in {key}'s record, a "
    "secondary listing (another work's reference list or a data file), which "
    "confirms nothing. Quote a primary record (a PubMed abstract, the "
    "publisher's page) that the claim cites, or set ':status: unconfirmed' "
    "with a ':note:' saying what the listing shows.",
    "overstates": "this claim's short text names {word!r} (a {kind}), which "
    "neither its quote nor its records' titles name, so it says more than "
    "the record. Narrow the short text to what the quote says, quote the "
    "record's words that name {word!r}, or set ':status: unconfirmed' with a "
    "':note:' saying what the record shows.",
}
