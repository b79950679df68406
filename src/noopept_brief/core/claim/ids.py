"""Claim ids: each claim's stable name, and the lists that keep old links alive.

A claim's ``:id:`` is short, readable on paper and never changes: the claim's
anchor (``claim-<id>``), its row in the evidence map, its label in the PDF and
its key in ``claims.json`` all use it, so editing a claim's short text breaks
no link. Two lists, in ``docs/_claims/``, are kept in the repository:

* :data:`RETIRED_IDS`: the ids of removed claims. An id is never reused: a
  link to a removed claim must not land on a different one.
* :data:`LEGACY_ANCHORS`: the anchors published before claims had ids (a slug
  of the short text, or a ``(claim-...)=`` label), each with the claim that
  now carries it as a second id, so links made then still arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..rules import Rule
from ..violations import Violation
from .model import Claim

#: What an id looks like: lower-case words and numbers joined by hyphens.
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The longest id: it is printed beside each claim in the PDF.
ID_MAX = 24
#: The ids of removed claims, one a line (relative to ``docs/``).
RETIRED_IDS = "_claims/retired-ids.txt"
#: The anchors published before ids: ``<id> <old-anchor>``, one a line.
LEGACY_ANCHORS = "_claims/legacy-anchors.txt"


def anchor(claim_id: str) -> str:
    """The HTML anchor (and ``{ref}`` label) of a claim.

    >>> anchor("erk")
    'claim-erk'
    """
    return f"claim-{claim_id}"


def suggest_id(short: str) -> str:
    """An id to propose for a claim, from its short text (at most ID_MAX).

    >>> suggest_id("Article: ERK activity rises; the record shows a fall")
    'erk-activity-rises-the'
    >>> suggest_id("")
    'a-short-stable-id'
    """
    short = re.sub(r"^(Article|Reports|Brief):\s*", "", short)
    words = re.findall(r"[a-z0-9]+", short.lower())
    found = ""
    for word in words:
        longer = f"{found}-{word}" if found else word
        if len(longer) > ID_MAX:
            break
        found = longer
    return found or "a-short-stable-id"


def check_id(
    claim: Claim, path: str = "docs/example.md", retired: Iterable[str] = ()
) -> list[Violation]:
    """Rule *claim-id*: a claim has an id, well formed and never used before.

    >>> check_id(Claim(short="Short", line=3, id="short"))
    []
    >>> print(check_id(Claim(short="ERK rises", line=3))[0])
    docs/example.md:3: [claim-id] this claim has no id. Add one under its \
opening line: a few lower-case words joined by hyphens, at most 24 \
characters, that you will not change again (links and the PDF use it):
    :id: erk-rises
    >>> print(check_id(Claim(short="S", line=3, id="ERK_rise"))[0])
    docs/example.md:3: [claim-id] the id 'ERK_rise' is not lower-case words \
and numbers joined by hyphens, at most 24 characters. Write it like this:
    :id: erk-rise
    >>> print(check_id(Claim(short="S", line=3, id="old"), retired=["old"])[0])
    docs/example.md:3: [claim-id] the id 'old' belonged to a claim that was \
removed (docs/_claims/retired-ids.txt). Ids are never reused, so that a link \
to the old claim does not land on this one: choose another id.
    """

    def problem(message: str) -> list[Violation]:
        return [Violation(path, claim.line, Rule.CLAIM_ID, message)]

    if not claim.id:
        return problem(
            "this claim has no id. Add one under its opening line: a few "
            f"lower-case words joined by hyphens, at most {ID_MAX} characters, "
            "that you will not change again (links and the PDF use it):\n"
            f":id: {suggest_id(claim.short)}"
        )
    if not ID.match(claim.id) or len(claim.id) > ID_MAX:
        return problem(
            f"the id {claim.id!r} is not lower-case words and numbers joined by "
            f"hyphens, at most {ID_MAX} characters. Write it like this:\n"
            f":id: {suggest_id(claim.id.replace('_', ' '))}"
        )
    if claim.id in set(retired):
        return problem(
            f"the id {claim.id!r} belonged to a claim that was removed "
            f"(docs/{RETIRED_IDS}). Ids are never reused, so that a link to the "
            "old claim does not land on this one: choose another id."
        )
    return []


def check_unique(found: Iterable[tuple[str, int, str]]) -> list[Violation]:
    """Rule *claim-id* across the brief: no two claims share an id.

    ``found`` lists (path, line, id) in reading order; the second and later
    uses of an id are reported.

    >>> print(check_unique([("docs/a.md", 3, "erk"), ("docs/b.md", 9, "erk")])[0])
    docs/b.md:9: [claim-id] the id 'erk' is already the id of the claim at \
docs/a.md:3. Each claim needs its own id: choose another one for this claim.
    """
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for path, line, claim_id in found:
        if not claim_id:
            continue
        if claim_id in first:
            where = "{}:{}".format(*first[claim_id])
            problems.append(
                Violation(
                    path,
                    line,
                    Rule.CLAIM_ID,
                    f"the id {claim_id!r} is already the id of the claim at "
                    f"{where}. Each claim needs its own id: choose another one "
                    "for this claim.",
                )
            )
        else:
            first[claim_id] = (path, line)
    return problems


def _lines(text: str) -> Iterable[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if words:
            yield number, words


def read_retired(text: str) -> dict[str, int]:
    """The retired ids, each with its line (``#`` starts a comment).

    >>> read_retired("# Removed claims\\nold-one  # removed in 0.2\\n")
    {'old-one': 2}
    """
    return {words[0]: number for number, words in _lines(text)}


def read_legacy(text: str) -> dict[str, list[str]]:
    """The anchors each claim carries besides its own: {id: [anchor, ...]}.

    >>> read_legacy("erk claim-article-erk-activity-rises\\nerk claim-erk-2\\n")
    {'erk': ['claim-article-erk-activity-rises', 'claim-erk-2']}
    """
    found: dict[str, list[str]] = {}
    for _, words in _lines(text):
        if len(words) >= 2:
            found.setdefault(words[0], []).append(words[1])
    return found


def read_docs_file(docs_dir: Path, name: str) -> str:
    """One of the lists in ``docs/_claims/``; empty if the file is missing."""
    try:
        return (docs_dir / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
