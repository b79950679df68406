"""Rule *global-negative*: no page or snippet claims an absence the records disprove.

The records (shared/references/README.md) show that human studies of Noopept
exist and that its developers say it was introduced into medical practice
(boyko2018). Two kinds of sentence therefore keep coming back wrong, and this
rule refuses the known forms of each, wherever they stand (pages, included
snippets, the disclaimer):

* "no human data", "no human studies", "human data are nonexistent";
* "no regulatory approval", "approved nowhere", "in any jurisdiction", and
  "Research Use Only" presented as the compound's regulatory class.

Say instead what was found and where the brief looked ("the brief found no
approval in the United States or the European Union"), or attribute the
article's narrower claim to it ("no trial, the article says, meets
contemporary standards").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..rules import Rule
from ..violations import Violation
from .searches import without_case, word_starts

_HUMAN = (
    "human studies of Noopept exist (boyko2004, neznamov2009). Say what the "
    "records show, or give the source article's narrower claim as its own, "
    "for example: the source article finds no trial that meets contemporary "
    "methodological standards."
)
_APPROVAL = (
    "its developers say Noopept was introduced into medical practice "
    "(boyko2018), and 'Research Use Only', as sellers use it, gives a compound "
    "no drug approval. Say what was found and where: 'this brief found no "
    "approval for it in the United States or the European Union'."
)


@dataclass(frozen=True)
class Negative:
    """One known form: ``body``, each of its alternatives opening with a letter
    and spelt in lower case, found where it starts a word (a space also
    matches a line break: prose is wrapped); and how to put it right."""

    body: str
    fix: str
    #: The rule: the body, case-blind, where no word character comes before.
    pattern: re.Pattern[str] = field(init=False)
    #: The body alone, for lowercased text (:func:`_found`).
    lowered: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        spaced = self.body.replace(" ", r"\s+")
        object.__setattr__(self, "pattern", re.compile(rf"(?<!\w)(?:{spaced})", re.I))
        # Refuses a body with a capital letter.
        object.__setattr__(self, "lowered", without_case(re.compile(spaced, re.I)))


#: Each known form of a false global negative, and how to put it right.
GLOBAL_NEGATIVES: tuple[Negative, ...] = (
    Negative(
        r"no (?:human|clinical) (?:data|studies|evidence|trials?)\b"
        r"(?! (?:meets?|meeting|of (?:sufficient|good|high)))",
        _HUMAN,
    ),
    Negative(
        r"human (?:clinical )?(?:trial )?data (?:on [\w-]+ )?(?:are|is) "
        r"(?:close to |near(?:ly)? |all but )?(?:non-?existent|absent|lacking)",
        _HUMAN,
    ),
    Negative(r"the brief knows of none\b", _HUMAN),
    Negative(
        r"(?:has|have|with|holds?|received|receives) no "
        r"(?:regulatory |marketing )?approval\b",
        _APPROVAL,
    ),
    Negative(
        r"approved nowhere\b|not (?:been )?approved (?:anywhere|in any)\b"
        r"|in any (?:major )?jurisdiction\b",
        _APPROVAL,
    ),
    Negative(
        r"(?:is|are) (?:classed|classified|designated|categori[sz]ed) as "
        r"(?:an? )?(?:ruo|research[ -]use[ -]only)\b",
        _APPROVAL,
    ),
)

#: The characters a case-blind match treats as a letter that lowercasing
#: does not give: U+017F (long s) is "s", U+0131 (dotless i) is "i", and
#: U+0130 (capital I with a dot) lowers to two characters.
#: Text holding one is matched case-blind, as the patterns are written.
_CASE_APART = re.compile("[\u0130\u0131\u017f]")
_WORD = re.compile(r"\w")


def _found(text: str) -> Iterator[tuple[int, int, Negative]]:
    """Every match, as (start, end, form): in lowercased text, each body
    searched for alone and the character before it checked (searches.py says
    why; tests/test_content_rule_searches.py compares the two)."""
    lower = text.lower()
    fast = len(lower) == len(text) and not _CASE_APART.search(text)
    for form in GLOBAL_NEGATIVES:
        matches = (
            word_starts(form.lowered, _WORD, lower)
            if fast
            else form.pattern.finditer(text)
        )
        for match in matches:
            yield match.start(), match.end(), form


def check_global_negatives(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Refuse the known forms of a global negative that the records disprove.

    >>> check_global_negatives("This brief found no approval in the United States.")
    []
    >>> check_global_negatives("The article: no human trial meets its standards.")
    []
    >>> print(check_global_negatives("Line one.\\nIt has no regulatory approval.")[0])
    docs/example.md:2: [global-negative] 'has no regulatory approval' is a global \
negative that the records disprove: its developers say Noopept was \
introduced into medical practice (boyko2018), and 'Research Use Only', as \
sellers use it, gives a compound no drug approval. Say what was found and \
where: 'this brief found no approval for it in the United States or the \
European Union'.
    >>> [v.line for v in check_global_negatives("## Scope\\n\\nThere are no human\\ndata.")]
    [3]
    """
    found = [
        (text.count("\n", 0, start) + 1, " ".join(text[start:end].split()), form.fix)
        for start, end, form in _found(text)
    ]
    return [
        Violation(
            path,
            line,
            Rule.GLOBAL_NEGATIVE,
            f"{phrase!r} is a global negative that the records disprove: {fix}",
        )
        for line, phrase, fix in sorted(found)
    ]
