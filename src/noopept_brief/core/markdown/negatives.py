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

from ..rules import Rule
from ..violations import Violation

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


def _phrase(pattern: str) -> re.Pattern[str]:
    """A pattern whose spaces also match a line break (prose is wrapped)."""
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE)


#: Each known form of a false global negative, and how to put it right.
GLOBAL_NEGATIVES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _phrase(
            r"\bno (?:human|clinical) (?:data|studies|evidence|trials?)\b"
            r"(?! (?:meets?|meeting|of (?:sufficient|good|high)))"
        ),
        _HUMAN,
    ),
    (
        _phrase(
            r"\bhuman (?:clinical )?(?:trial )?data (?:on [\w-]+ )?(?:are|is) "
            r"(?:close to |near(?:ly)? |all but )?(?:non-?existent|absent|lacking)"
        ),
        _HUMAN,
    ),
    (
        _phrase(r"\bthe brief knows of none\b"),
        _HUMAN,
    ),
    (
        _phrase(
            r"\b(?:has|have|with|holds?|received|receives) no "
            r"(?:regulatory |marketing )?approval\b"
        ),
        _APPROVAL,
    ),
    (
        _phrase(
            r"\bapproved nowhere\b|\bnot (?:been )?approved (?:anywhere|in any)\b"
            r"|\bin any (?:major )?jurisdiction\b"
        ),
        _APPROVAL,
    ),
    (
        _phrase(
            r"\b(?:is|are) (?:classed|classified|designated|categori[sz]ed) as "
            r"(?:an? )?(?:RUO|Research[ -]Use[ -]Only)\b"
        ),
        _APPROVAL,
    ),
)


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
        (text.count("\n", 0, match.start()) + 1, " ".join(match[0].split()), fix)
        for pattern, fix in GLOBAL_NEGATIVES
        for match in pattern.finditer(text)
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
