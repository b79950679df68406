"""Citations in the pages, and the rules for the bibliography, ``docs/refs.bib``.

:func:`citations` finds the keys a page cites; :func:`check_bib` checks the
file itself (syntax, duplicate keys, required fields, DOIs), and
:func:`check_citations` the two against each other (unknown keys, uncited
entries). How the reference list *looks* is in
:mod:`noopept_brief.sphinxext.citation_style`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from ..markdown.allowlist import refused_url
from ..markdown.content_rules import check_text
from ..markdown.parse import Item, Role, parse
from ..rules import Rule
from ..violations import Violation

# -- Citations and the bibliography --------------------------------------------

#: The bibliography, in the docs folder (conf.py's ``bibtex_bibfiles``).
BIB_FILE = "refs.bib"
CITE_ROLE = re.compile(r"^(foot)?cite(:.*)?$")


def citations(text: str) -> list[tuple[str, int]]:
    """Every citation key a page cites, with its line.

    >>> citations("As {cite:t}`boiko2000` and {cite:p}`a2001,b2002` showed.\\n")
    [('boiko2000', 1), ('a2001', 1), ('b2002', 1)]
    """
    return [(key, item.line) for item in parse(text) for key in cited_keys(item)]


def cited_keys(item: Item) -> list[str]:
    """The keys one piece of markup cites: none unless it is a citation role."""
    if not isinstance(item, Role) or not CITE_ROLE.match(item.name):
        return []
    content = re.sub(r"\{[^{}]*\}", "", item.text)  # {pre}key{post}
    return [key.strip() for key in content.split(",") if key.strip()]


# [ \t]*, not \s*: with re.MULTILINE, \s* at every line start would run over
# all the blank lines below it, again for each line (quadratic time).
ENTRY_START = re.compile(r"^[ \t]*@(\w+)[ \t]*\{\s*([^,\s]+)\s*,", re.MULTILINE)
VENUE_FIELDS = ("journal", "booktitle", "publisher", "howpublished", "school",
                "institution")  # fmt: skip
DOI = re.compile(r"^10\.\d{4,9}/[^\s]+$")


def visible_text(text: str) -> str:
    """Text without zero-width or control characters, stripped."""
    import unicodedata

    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ").strip()


def _entry_lines(text: str) -> dict[str, list[int]]:
    """Where each entry starts, by key (lower-cased, as BibTeX compares keys)."""
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0  # count newlines once, not from the top for each entry
    for match in ENTRY_START.finditer(text):
        line += text.count("\n", counted, match.start(2))
        counted = match.start(2)
        if match[1].lower() in ("comment", "preamble", "string"):
            continue
        lines.setdefault(match[2].lower(), []).append(line)
    return lines


FIELD_START = re.compile(r"^\s*\w+\s*=")


def _unbalanced_braces(text: str, path: str) -> list[Violation]:
    """Find the field whose braces do not close (pybtex only notices later).

    >>> bib = "@article{a,\\n  title = {Open,\\n  year = {2001}\\n}\\n"
    >>> print(_unbalanced_braces(bib, "refs.bib")[0])
    refs.bib:2: [bib-syntax] a brace opened on this line is never closed. \
Close the field's value with } before the comma.
    """
    lines = text.splitlines()
    depth = 0
    for number, line in enumerate(lines, start=1):
        depth += line.count("{") - line.count("}") - 2 * line.count("\\{")
        following = lines[number] if number < len(lines) else ""
        if depth > 1 and FIELD_START.match(following) and FIELD_START.match(line):
            return [
                Violation(
                    path,
                    number,
                    Rule.BIB_SYNTAX,
                    "a brace opened on this line is never closed. Close the "
                    "field's value with } before the comma.",
                    fatal=True,
                )
            ]
        if ENTRY_START.match(following):
            depth = 0
    return []


def check_bib(
    text: str, path: str = "docs/refs.bib", unattributed: Collection[str] = ()
) -> list[Violation]:
    """Check a BibTeX file: syntax, duplicate keys, required fields and DOIs.

    ``unattributed`` names the keys whose record does not show the authors
    (``records.unattributed``): those may leave ``author`` out, and the lists
    name them by title, rather than by a name nobody could check.

    >>> good = (
    ...     "@article{smith2001,\\n  author = {Smith, J.},\\n  title = {A title},\\n"
    ...     "  journal = {A journal},\\n  year = {2001},\\n  doi = {10.1000/xyz1}\\n}\\n"
    ... )
    >>> check_bib(good)
    []
    >>> for v in check_bib(good.replace("10.1000/xyz1", "https://doi.org/10.1000/xyz1")):
    ...     print(v)
    docs/refs.bib:1: [bib-doi] entry 'smith2001' has a malformed DOI \
'https://doi.org/10.1000/xyz1'. Write the bare DOI, like 10.1007/s10517-008-0297-x, \
with no https://doi.org/ in front; leave the field out if the DOI is not verified.
    """
    from pybtex.database import BibliographyDataError
    from pybtex.database.input.bibtex import Parser
    from pybtex.scanner import PybtexSyntaxError

    where = _entry_lines(text)
    problems = [
        Violation(
            path,
            lines[1],
            Rule.BIB_DUPLICATE,
            f"the key {key!r} is defined again here (first on line {lines[0]}). "
            "Remove one of the two entries, or give one a new key.",
        )
        for key, lines in where.items()
        if len(lines) > 1
    ]
    if problems:
        return problems
    if problems := _unbalanced_braces(text, path):
        return problems
    try:
        data = Parser().parse_string(text)
    except PybtexSyntaxError as error:
        return [
            Violation(
                path,
                error.lineno,
                Rule.BIB_SYNTAX,
                f"{path} does not parse ({error}). Check the comma after each "
                "field and the braces around each value, on this line and the "
                "one above.",
                fatal=True,
            )
        ]
    except BibliographyDataError as error:
        message = f"{path} does not parse: {error}"
        return [Violation(path, 1, Rule.BIB_SYNTAX, message, fatal=True)]
    for key, entry in data.entries.items():
        line = where.get(key.lower(), [1])[0]
        fields = {name.lower(): value for name, value in entry.fields.items()}
        missing = [
            name for name in ("title", "year")
            if not visible_text(fields.get(name, "").replace("{", "").replace("}", ""))
        ]  # fmt: skip
        authors = entry.persons.get("author") or []
        if authors and all(str(a).strip().lower() == "others" for a in authors):
            missing.insert(0, "author (a real name: 'others' alone is not one)")
        elif not authors and key.lower() not in unattributed:
            missing.insert(
                0,
                "author (or, where the record shows none, a record file "
                f"docs/_records/{key}.yaml whose shows leaves author out)",
            )
        if not any(fields.get(name) for name in VENUE_FIELDS):
            missing.append("journal (or another venue field)")
        if missing:
            problems.append(
                Violation(
                    path,
                    line,
                    Rule.BIB_FIELDS,
                    f"entry {key!r} has no {', '.join(missing)}. Add the field "
                    "from the verified record in shared/references/README.md; "
                    "if no record gives it, do not cite this entry.",
                )
            )
        for name in URL_FIELDS:
            for url in re.findall(
                r"[^\s{}\\]+:[^\s{}]+|[^\s{}\\]+", fields.get(name, "")
            ):
                if why := refused_url(url):
                    problems.append(
                        Violation(
                            path,
                            line,
                            Rule.BIB_URL,
                            f"entry {key!r}, field {name}: {why}",
                        )
                    )
        for name, value in fields.items():
            problems += [
                Violation(
                    path, line, v.rule, f"entry {key!r}, field {name}: {v.message}"
                )
                for v in check_text(value)
            ]
        doi = fields.get("doi")
        if doi is not None and not DOI.match(doi):
            problems.append(
                Violation(
                    path,
                    line,
                    Rule.BIB_DOI,
                    f"entry {key!r} has a malformed DOI {doi!r}. Write the bare "
                    "DOI, like 10.1007/s10517-008-0297-x, with no https://doi.org/ "
                    "in front; leave the field out if the DOI is not verified.",
                )
            )
    return problems + _percent_signs(text, path)


#: Fields that hold a link; each goes through the allowlist.
URL_FIELDS = ("url", "link", "pdf", "howpublished", "eprint")
# An unescaped % in an entry (not on a comment line): pybtex cuts the field there.
_PERCENT = re.compile(r"(?<!\\)%")


def _percent_signs(text: str, path: str) -> list[Violation]:
    """Rule *bib-fields*: no bare % inside an entry, where it silently cuts the field.

    >>> print(_percent_signs("@article{a,\\n  title = {Up 50% in rats},\\n}\\n", "r.bib")[0])
    r.bib:2: [bib-fields] a bare % on this line starts a comment in BibTeX, \
so the rest of the field is silently cut. Write \\% (or "percent").
    """
    problems, inside = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if ENTRY_START.match(line):
            inside = True
        elif stripped.startswith("}") and not stripped[1:].strip():
            inside = False
        if inside and not stripped.startswith("%") and _PERCENT.search(line):
            problems.append(
                Violation(path, number, Rule.BIB_FIELDS,
                          "a bare % on this line starts a comment in BibTeX, so the "
                          "rest of the field is silently cut. Write \\% (or \"percent\").")
            )  # fmt: skip
    return problems


def check_citations(
    bib_text: str,
    cited: Iterable[tuple[str, str, int]],
    bib_path: str = "docs/refs.bib",
) -> list[Violation]:
    """Cross-check citations ``(page path, key, line)`` against the bib file.

    >>> bib = "@article{used,\\n title={T}}\\n@article{unused,\\n title={T}}\\n"
    >>> for v in check_citations(bib, [("docs/a.md", "used", 3), ("docs/a.md", "nope", 5)]):
    ...     print(v)
    docs/a.md:5: [cite-unknown] cites 'nope', which is not in docs/refs.bib. \
Fix the key, or add the entry to docs/refs.bib with fields from a verified record.
    docs/refs.bib:3: [bib-uncited] entry 'unused' is cited by no page. Cite it \
where the brief relies on it, or remove it.
    """
    where = _entry_lines(bib_text)
    cited = list(cited)
    problems = [
        Violation(
            path,
            line,
            Rule.CITE_UNKNOWN,
            f"cites {key!r}, which is not in {bib_path}. Fix the key, or add "
            f"the entry to {bib_path} with fields from a verified record.",
        )
        for path, key, line in cited
        if key.lower() not in where
    ]
    used = {key.lower() for _, key, _ in cited}
    problems += [
        Violation(
            bib_path,
            lines[0],
            Rule.BIB_UNCITED,
            f"entry {key!r} is cited by no page. Cite it where the brief relies "
            "on it, or remove it.",
        )
        for key, lines in where.items()
        if key not in used
    ]
    return problems


def bib_keys(bib_text: str) -> frozenset[str]:
    """The keys a BibTeX file defines, lower-cased.

    >>> sorted(bib_keys("@article{Smith2001,\\n title={T}}\\n@comment{x,}\\n"))
    ['smith2001']
    """
    return frozenset(_entry_lines(bib_text))


def bib_entries(bib_text: str) -> dict[str, tuple[int, dict[str, str]]]:
    """Each refs.bib entry (key lower-cased): its line, and its fields as text
    (``author`` is the first author's last name; braces dropped).

    >>> bib_entries("@article{K1,\\n author={Boyko, S. S. and others},\\n title={{A} b}}\\n")
    {'k1': (1, {'title': 'A b', 'author': 'Boyko'})}
    """
    from pybtex.database.input.bibtex import Parser

    lines = _entry_lines(bib_text)
    try:
        data = Parser().parse_string(bib_text)
    except Exception:  # refs.bib's own rules report why it does not parse
        return {key: (found[0], {}) for key, found in lines.items()}
    entries = {}
    for key, entry in data.entries.items():
        fields = {
            name.lower(): str(value).replace("{", "").replace("}", "")
            for name, value in entry.fields.items()
        }
        for role, people in entry.persons.items():
            fields[role.lower()] = " ".join(people[0].last_names).strip("{}")
        entries[key.lower()] = (lines.get(key.lower(), [1])[0], fields)
    return entries
