"""Claims: the ``{claim}`` markup, and the rules a claim is held to.

How a claim is read from a page (:func:`make_claim`, :func:`claims`), its
rules (:func:`check_claim`) and the page rule *claim-unmarked*
(:func:`check_claim_coverage`). What a claim is, and the evidence bases and
statuses it may give, is :mod:`.model`'s; how Sphinx shows claims, with
their badges and the evidence map, is :mod:`noopept_brief.sphinxext`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..markdown.parse import Directive, parse
from ..refs.bib import citations, cited_keys
from ..rules import Rule
from ..violations import Violation
from .ids import check_id
from .model import SHORT_MARKERS, Carries, Claim, Evidence, Status, make_claim
from .quotes import check_quote

if TYPE_CHECKING:
    from ..refs.records import Record

# -- Claims --------------------------------------------------------------------
#
# Every substantive statement in the section pages is wrapped in a ``{claim}``
# directive. Its body is ordinary MyST prose, citations included; its argument
# is the short text the evidence map shows; its options say what the statement
# rests on and whether the record bears it out:
#
#     ```{claim} Genotype changes memory outcomes in mice
#     :id: genotype
#     :evidence: rodent-in-vivo
#     :status: differs
#     :note: The record is from 2007, not 2009, and tested a single dose.
#
#     Memory outcomes varied with genotype {cite:p}`belnik2007`.
#     ```
#
# The claim's sources are the keys its prose cites, plus any listed in
# ``:sources:`` (records the note relies on that the prose does not cite).
# Its ``:id:`` is its name for good: the anchor of its links, its row in the
# map, its label on paper and its key in claims.json (see .claimids).


def claims(text: str, docname: str = "") -> list[Claim]:
    """Every ``{claim}`` on a page, nested ones too, with its line.

    >>> page = "Intro.\\n\\n```{claim} A short text\\n:evidence: human\\n\\nBody.\\n```\\n"
    >>> [(c.short, c.evidence, c.line) for c in claims(page)]
    [('A short text', 'human', 3)]
    """
    items = parse(text)
    found = []
    for item in items:
        if isinstance(item, Directive) and item.name == "claim":
            cited = [
                key
                for inner in items
                if inner.depth > item.depth and item.line < inner.line <= item.end
                for key in cited_keys(inner)
            ]
            found.append(
                make_claim(item.argument, item.options, cited, item.line, docname)
            )
    return found


def check_claim(
    claim: Claim,
    known_keys: Iterable[str],
    path: str = "docs/example.md",
    retired: Iterable[str] = (),
    records: Mapping[str, Record] | None = None,
) -> list[Violation]:
    """Check one claim: its id, short text, evidence, status, note, sources
    and quote.

    ``known_keys`` are the keys of ``docs/refs.bib`` (compared ignoring case,
    as BibTeX does); ``retired`` the ids no claim may take again
    (:data:`~.ids.RETIRED_IDS`); ``records`` the record files, by key, that
    a quote must be found in (:func:`~.quotes.check_quote`; None: not
    looked up).

    >>> import dataclasses
    >>> good = Claim(short="Short", evidence="rodent-in-vivo", status="confirmed",
    ...              sources=("a2001",), line=3, id="short", quote="were supposed")
    >>> check_claim(good, ["a2001"])
    []

    A status other than confirmed needs a note saying what the record shows:

    >>> for v in check_claim(dataclasses.replace(good, short="Article: S",
    ...                                          status="differs"), ["a2001"]):
    ...     print(v)
    docs/example.md:3: [claim-note] this claim's status is 'differs' but it \
has no note. Add one line under the claim's options saying what the record \
shows, for example:
    :note: The record is from 2007, not 2009.

    The short text of a claim the records do not confirm says whose it is:

    >>> for v in check_claim(dataclasses.replace(good, short="ERK rises",
    ...                      status="differs", note="No.", sources=()), []):
    ...     print(v)
    docs/example.md:3: [claim-short-marker] this claim's status is 'differs', \
but its short text 'ERK rises' reads as a fact in the evidence map. Start the \
short text with whose assertion it is, one of: 'Article:' (the source article \
says so); 'Reports:' (online community reports say so); 'Brief:' (the brief's \
own statement or reading). For example:
    ```{claim} Article: ERK rises

    A claim with no source cannot be confirmed:

    >>> for v in check_claim(dataclasses.replace(good, sources=()), []):
    ...     print(v)
    docs/example.md:3: [claim-unsourced] this claim cites no source, so it \
cannot be confirmed. Cite the record in the claim's text, or set \
':status: unconfirmed' with a ':note:' that says why no record backs it.
    """
    problems = check_id(claim, path, retired)

    def problem(rule: str, message: str) -> None:
        problems.append(Violation(path, claim.line, rule, message))

    if not claim.short:
        problem(
            Rule.CLAIM_SHORT,
            "this claim has no short text for the evidence map. Write a few "
            "words after the directive's name, for example:\n"
            "```{claim} Genotype changes memory outcomes in mice",
        )
    status, evidence = Status.of(claim.status), Evidence.of(claim.evidence)
    requires = frozenset().union(*(k.requires for k in (status, evidence) if k))
    if (
        claim.short
        and Carries.MARKER in requires
        and not claim.short.startswith(tuple(SHORT_MARKERS))
    ):
        markers = "; ".join(f"'{m}' ({why})" for m, why in SHORT_MARKERS.items())
        problem(
            Rule.CLAIM_SHORT_MARKER,
            f"this claim's status is {claim.status!r}, but its short text "
            f"{claim.short!r} reads as a fact in the evidence map. Start the "
            f"short text with whose assertion it is, one of: {markers}. For "
            f"example:\n```{{claim}} Article: {claim.short}",
        )
    if evidence is None:
        problem(
            Rule.CLAIM_EVIDENCE,
            f"this claim's evidence {claim.evidence or '(none)'!r} is not one "
            "of the known evidence bases. Set ':evidence:' to one of: "
            f"{', '.join(Evidence)}.",
        )
    if status is None:
        problem(
            Rule.CLAIM_STATUS,
            f"this claim's status {claim.status or '(none)'!r} is not one of "
            f"the known statuses. Set ':status:' to one of: {', '.join(Status)}.",
        )
    elif Carries.NOTE in requires and not claim.note:
        problem(
            Rule.CLAIM_NOTE,
            f"this claim's status is {claim.status!r} but it has no note. Add "
            "one line under the claim's options saying what the record shows, "
            "for example:\n:note: The record is from 2007, not 2009.",
        )
    known = {key.lower() for key in known_keys}
    for key in claim.sources:
        if key.lower() not in known:
            problem(
                Rule.CLAIM_SOURCE,
                f"this claim's source {key!r} is not in docs/refs.bib. Fix the "
                "key, or add the entry to docs/refs.bib with fields from a "
                "verified record.",
            )
    if not claim.sources and Carries.SOURCE in requires:
        problem(
            Rule.CLAIM_UNSOURCED,
            f"this claim cites no source, so it cannot be {claim.status}. Cite "
            f"the record in the claim's text, or set ':status: {Status.UNCONFIRMED}' "
            "with a ':note:' that says why no record backs it.",
        )
    return problems + check_quote(claim, records, path)


def check_claims(
    text: str,
    known_keys: Iterable[str],
    path: str = "docs/example.md",
    retired: Iterable[str] = (),
    records: Mapping[str, Record] | None = None,
) -> list[Violation]:
    """Check every claim on a page (see :func:`check_claim`)."""
    known, gone = list(known_keys), list(retired)
    return [
        v
        for claim in claims(text)
        for v in check_claim(claim, known, path, gone, records)
    ]


#: Directives in which a citation needs no claim around it: the record notes
#: say what a record shows, and a claim already carries its own citations.
CLAIM_FREE_DIRECTIVES = frozenset({"claim", "admonition"})


def _covered_lines(text: str) -> set[int]:
    """Lines inside a claim or a record note, nested ones too."""
    return {
        line
        for item in parse(text)
        if isinstance(item, Directive) and item.name in CLAIM_FREE_DIRECTIVES
        for line in range(item.line, item.end + 1)
    }


def check_claim_coverage(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *claim-unmarked*: every citation stands inside a claim.

    A cited statement is a finding, so the reader must see its evidence and
    status. Citations inside a record note (an ``admonition``) are exempt.

    >>> check_claim_coverage("```{claim} S\\n:evidence: human\\n\\nX {cite:p}`a2001`.\\n```\\n")
    []
    >>> print(check_claim_coverage("Intro.\\n\\nX {cite:p}`a2001`.\\n")[0])
    docs/example.md:3: [claim-unmarked] 'a2001' is cited outside any claim. \
Wrap the statement in a claim (see "How claims are marked" in the README):
    ```{claim} A few words for the evidence map
    :id: a-short-stable-id
    :evidence: rodent-in-vivo
    :status: confirmed
    <BLANKLINE>
    The statement, with its citation.
    ```
    """
    covered = _covered_lines(text)
    first_key = {line: key for key, line in reversed(citations(text))}
    return [
        Violation(
            path,
            line,
            Rule.CLAIM_UNMARKED,
            f"{key!r} is cited outside any claim. Wrap the statement in a claim "
            '(see "How claims are marked" in the README):\n' + CLAIM_EXAMPLE,
        )
        for line, key in sorted(first_key.items())
        if line not in covered
    ]


#: The markup to paste around a statement.
CLAIM_EXAMPLE = (
    "```{claim} A few words for the evidence map\n:id: a-short-stable-id\n"
    f":evidence: {Evidence.RODENT_IN_VIVO}\n"
    f":status: {Status.CONFIRMED}\n\nThe statement, with its citation.\n```"
)
