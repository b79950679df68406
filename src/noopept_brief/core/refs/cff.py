"""How to cite the brief, from ``CITATION.cff`` (its one source).

:func:`read_citation` reads the fields the "How to cite" page shows (title,
authors, version, date, licence), with a message naming the file, the line
and the fix where one is missing; :func:`plain_text` and :func:`bibtex` give
the two forms readers copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..rules import Rule
from ..violations import Violation

#: The file, beside docs/ (the repository's root).
CITATION_FILE = "CITATION.cff"
#: The fields the page needs -> an example line for the fix.
REQUIRED = {
    "title": 'title: "Noopept: a research-context brief"',
    "authors": 'authors:\n  - name: "The noopept-brief contributors"',
    "version": 'version: "0.1.0"',
    "date-released": "date-released: 2026-11-28",
    "license": "license:\n  - CC-BY-4.0",
}


@dataclass(frozen=True)
class Citation:
    """What a reader needs to cite the brief."""

    title: str
    authors: tuple[str, ...]
    version: str
    date: str  # YYYY-MM-DD
    licences: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.date[:4]


def _author(entry: object) -> str:
    if not isinstance(entry, dict):
        return str(entry)
    if entry.get("name"):
        return str(entry["name"])
    return " ".join(
        str(entry[part]) for part in ("given-names", "family-names") if entry.get(part)
    )


def read_citation(
    text: str, path: str = CITATION_FILE
) -> tuple[Citation | None, list[Violation]]:
    """The citation, or None and the problems (rule *citation*).

    >>> good = ('title: "T"\\nauthors:\\n  - name: "A"\\nversion: "1.0"\\n'
    ...         'date-released: 2026-11-28\\nlicense: MIT\\n')
    >>> read_citation(good)[0]
    Citation(title='T', authors=('A',), version='1.0', date='2026-11-28', licences=('MIT',))
    >>> print(read_citation('title: "T"\\nauthors:\\n  - name: "A"\\n')[1][0])
    CITATION.cff:1: [citation] CITATION.cff has no 'version', which the "How \
to cite" page shows. Add it, for example:
    version: "0.1.0"
    """
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [
            Violation(
                path,
                line,
                Rule.CITATION,
                f"CITATION.cff does not parse as YAML ({getattr(error, 'problem', error)}). "
                "Fix this line; each field is `name: value`.",
            )
        ]
    if not isinstance(data, dict):
        data = {}
    problems = [
        Violation(
            path,
            1,
            Rule.CITATION,
            f'CITATION.cff has no {name!r}, which the "How to cite" page shows. '
            f"Add it, for example:\n{example}",
        )
        for name, example in REQUIRED.items()
        if not data.get(name)
    ]
    date = str(data.get("date-released", ""))
    if data.get("date-released") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        line = next(
            (
                n
                for n, row in enumerate(text.splitlines(), 1)
                if row.startswith("date-released")
            ),
            1,
        )
        problems.append(
            Violation(
                path,
                line,
                Rule.CITATION,
                f"the release date {date!r} is not a date written YYYY-MM-DD. "
                "Write it like this:\ndate-released: 2026-11-28",
            )
        )
    if problems:
        return None, problems
    licences = data["license"]
    return (
        Citation(
            title=str(data["title"]),
            authors=tuple(_author(a) for a in data["authors"]),
            version=str(data["version"]),
            date=date,
            licences=tuple(licences if isinstance(licences, list) else [licences]),
        ),
        [],
    )


def plain_text(citation: Citation) -> str:
    """The citation as a sentence.

    >>> print(plain_text(Citation("T", ("A", "B"), "1.0", "2026-11-28", ("MIT",))))
    A and B (2026). T. Version 1.0, released 2026-11-28.
    """
    authors = " and ".join(citation.authors)
    return (
        f"{authors} ({citation.year}). {citation.title}. Version "
        f"{citation.version}, released {citation.date}."
    )


def bibtex(citation: Citation, key: str = "noopeptbrief") -> str:
    """The citation as a BibTeX entry (authors that are organisations braced).

    >>> print(bibtex(Citation("T: a", ("The X",), "1.0", "2026-11-28", ("MIT",))))
    @misc{noopeptbrief2026,
      author  = {{The X}},
      title   = {T: a},
      year    = {2026},
      version = {1.0},
      note    = {Version 1.0, released 2026-11-28}
    }
    """
    authors = " and ".join(f"{{{name}}}" for name in citation.authors)
    return (
        f"@misc{{{key}{citation.year},\n"
        f"  author  = {{{authors}}},\n"
        f"  title   = {{{citation.title}}},\n"
        f"  year    = {{{citation.year}}},\n"
        f"  version = {{{citation.version}}},\n"
        f"  note    = {{Version {citation.version}, released {citation.date}}}\n"
        "}"
    )
