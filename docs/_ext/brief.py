"""The noopept-brief Sphinx extension: the page policy and the bibliography rules.

Every rule lives here once and is used from two places:

* the test suite (``tests/``) calls :func:`check_page` and :func:`check_bib`
  directly, so ``pytest`` names the file, the line and the fix;
* Sphinx loads this module from ``conf.py`` (:func:`setup`), and reports the
  same violations as warnings located at the page, so a ``-W`` build fails on
  them even where nobody ran the tests.

Pages are judged with the real MyST parser (markdown-it tokens), never with a
text search: a reference inside a code block, inline code or a comment is
invisible to readers, so it does not count.

The page rules
--------------
1. **disclaimer**: the page includes the one disclaimer snippet,
   :data:`DISCLAIMER_SNIPPET`.
2. **limitations-ref**: the page links to the Limitations section with a
   ``{ref}`` role aimed at the label :data:`LIMITATIONS_LABEL`.

The bibliography rules (for ``docs/refs.bib``)
----------------------------------------------
The file parses; no key is defined twice; every entry has an author, a title,
a year and a venue; every DOI is a bare, well-formed DOI; every cited key
exists; every entry is cited somewhere.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token
    from sphinx.application import Sphinx

DOCS_DIR = Path(__file__).resolve().parent.parent
#: The disclaimer snippet, relative to ``docs/``. It is the one source of the
#: disclaimer: pages include it, and ``conf.py`` reads it for the PDF.
DISCLAIMER_SNIPPET = "_snippets/disclaimer.md"
#: What a page writes to include the disclaimer.
DISCLAIMER_INCLUDE = f"```{{include}} /{DISCLAIMER_SNIPPET}\n```"
#: The label of the Limitations page, which every page links to.
LIMITATIONS_LABEL = "limitations"
#: How every build runs sphinx-build (nox and the tests alike): warnings are
#: errors, every reference must resolve, and all problems are listed at once.
SPHINX_FLAGS = ("-W", "--keep-going", "-n")
#: What a page writes to link to the Limitations page.
LIMITATIONS_REF = f"{{ref}}`{LIMITATIONS_LABEL}`"

# Directives whose body is code or data, not Markdown: a role or an include
# written inside them is shown as text, so it must not count.
LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "literalinclude", "raw",
     "math", "eval-rst", "csv-table", "bibliography"}
)  # fmt: skip
CITE_ROLE = re.compile(r"^(foot)?cite(:.*)?$")


# -- Violations ----------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One broken rule: where it is, which rule, and what to do about it."""

    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


# -- Reading a page with the MyST parser ---------------------------------------


@cache
def _parser():  # -> MarkdownIt
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(), RendererHTML)


def _directive(token: Token) -> tuple[str, str] | None:
    """Return (name, argument) if a fence token is a MyST directive."""
    match = re.match(r"^\{([^}\s]+)\}\s*(.*)$", token.info.strip())
    return (match[1], match[2].strip()) if match else None


def _directive_body(content: str) -> tuple[str, int]:
    """Strip a directive's options from its content; return (body, lines cut)."""
    lines = content.splitlines(keepends=True)
    cut = 0
    if lines and lines[0].strip() == "---":  # a YAML options block
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        cut = end + 1
    else:
        while cut < len(lines) and lines[cut].startswith(":"):
            cut += 1
    return "".join(lines[cut:]), cut


@dataclass(frozen=True)
class Item:
    """A piece of live markup: a role or a directive, with its 1-based line."""

    kind: str  # "role" or "directive"
    name: str
    content: str  # a role's text, or a directive's argument
    line: int


def _items(text: str, offset: int = 0) -> Iterator[Item]:
    """Yield every live role and directive of a MyST text, nested ones too."""
    for token in _parser().parse(text):
        start = offset + (token.map[0] if token.map else 0)
        if token.type == "fence" and (found := _directive(token)):
            name, argument = found
            yield Item("directive", name, argument, start + 1)
            if name not in LITERAL_DIRECTIVES:
                body, cut = _directive_body(token.content)
                yield from _items(body, start + 1 + cut)
        elif token.type == "inline":
            line = start + 1
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "myst_role":
                    yield Item("role", child.meta["name"], child.content, line)


def _near_misses(text: str, pattern: str) -> list[int]:
    """Lines where the raw text mentions ``pattern`` (live or not)."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.search(pattern, line)
    ]


def _title_line(text: str) -> int:
    """The line of the page's first heading (where the fixes go), else 1."""
    for token in _parser().parse(text):
        if token.type == "heading_open" and token.map:
            return token.map[0] + 1
    return 1


def _ref_target(content: str) -> str:
    """The label a ``{ref}`` role points at: ``label`` or ``text <label>``."""
    match = re.search(r"<([^<>]+)>\s*$", content)
    return (match[1] if match else content).strip()


def _include_target(argument: str, docname: str) -> str:
    """Resolve an include argument to a path relative to ``docs/``."""
    if argument.startswith("/"):
        return posixpath.normpath(argument[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), argument))


# -- The page rules ------------------------------------------------------------


def check_disclaimer(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *disclaimer*: the page includes the disclaimer snippet.

    A page that includes it passes:

    >>> good = "# Title\\n\\n```{include} /_snippets/disclaimer.md\\n```\\n"
    >>> check_disclaimer(good)
    []

    A page without it fails, and the message gives the snippet to paste:

    >>> for problem in check_disclaimer("# Title\\n\\nText.\\n"):
    ...     print(problem)
    docs/example.md:1: [disclaimer] the page does not include the disclaimer. \
Paste these two lines just below the page title:
    ```{include} /_snippets/disclaimer.md
    ```

    An include that readers never see (commented out, or shown as code)
    does not count, and the message points at it:

    >>> hidden = "# Title\\n\\n<!--\\n```{include} /_snippets/disclaimer.md\\n```\\n-->\\n"
    >>> print(check_disclaimer(hidden)[0])
    docs/example.md:4: [disclaimer] the disclaimer include on this line is \
inside a comment or a code block, so it is not shown. Paste these two lines \
just below the page title, outside any comment or code block:
    ```{include} /_snippets/disclaimer.md
    ```
    """
    docname = _docname(path)
    if any(
        item.kind == "directive"
        and item.name == "include"
        and _include_target(item.content, docname) == DISCLAIMER_SNIPPET
        for item in _items(text)
    ):
        return []
    misses = _near_misses(text, re.escape(DISCLAIMER_SNIPPET.split("/")[-1]))
    if misses:
        return [
            Violation(
                path,
                misses[0],
                "disclaimer",
                "the disclaimer include on this line is inside a comment or a "
                "code block, so it is not shown. Paste these two lines just "
                "below the page title, outside any comment or code block:\n"
                + DISCLAIMER_INCLUDE,
            )
        ]
    return [
        Violation(
            path,
            _title_line(text),
            "disclaimer",
            "the page does not include the disclaimer. Paste these two lines "
            "just below the page title:\n" + DISCLAIMER_INCLUDE,
        )
    ]


def check_limitations_ref(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *limitations-ref*: the page links to the Limitations section.

    A ``{ref}`` role aimed at the label ``limitations`` passes, with or
    without its own link text:

    >>> check_limitations_ref("See {ref}`the limits <limitations>`.\\n")
    []

    A page without one fails:

    >>> print(check_limitations_ref("# Title\\n\\nText.\\n")[0])
    docs/example.md:1: [limitations-ref] the page has no link to the \
Limitations section. Add a sentence to the page's text with this role, \
for example "Read this with {ref}`limitations` in mind.":
    {ref}`limitations`

    A reference aimed at another label does not count:

    >>> print(check_limitations_ref("See {ref}`limitation`.\\n")[0])
    docs/example.md:1: [limitations-ref] this {ref} points at 'limitation', \
not at 'limitations'. Change it to:
    {ref}`limitations`

    Nor does one in inline code, a code block or a comment:

    >>> print(check_limitations_ref("See ``{ref}`limitations` ``.\\n")[0])
    docs/example.md:1: [limitations-ref] the {ref}`limitations` on this line \
is inside inline code, a code block or a comment, so it is not a link. \
Write it in the page's text, outside any code or comment:
    {ref}`limitations`
    """
    refs = [i for i in _items(text) if i.kind == "role" and i.name == "ref"]
    if any(_ref_target(i.content) == LIMITATIONS_LABEL for i in refs):
        return []
    fix = "\n" + LIMITATIONS_REF
    wrong = [i for i in refs if "limitation" in _ref_target(i.content).lower()]
    if wrong:
        target = _ref_target(wrong[0].content)
        return [
            Violation(
                path,
                wrong[0].line,
                "limitations-ref",
                f"this {{ref}} points at {target!r}, not at "
                f"{LIMITATIONS_LABEL!r}. Change it to:{fix}",
            )
        ]
    misses = _near_misses(text, r"\{ref\}`[^`]*\blimitations\b")
    if misses:
        return [
            Violation(
                path,
                misses[0],
                "limitations-ref",
                f"the {LIMITATIONS_REF} on this line is inside inline code, a "
                "code block or a comment, so it is not a link. Write it in the "
                f"page's text, outside any code or comment:{fix}",
            )
        ]
    return [
        Violation(
            path,
            _title_line(text),
            "limitations-ref",
            "the page has no link to the Limitations section. Add a sentence "
            "to the page's text with this role, for example "
            f'"Read this with {LIMITATIONS_REF} in mind.":{fix}',
        )
    ]


PAGE_RULES = (check_disclaimer, check_limitations_ref)


def check_page(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Check one page against every page rule; ``path`` is shown in messages.

    >>> page = (
    ...     "# Title\\n\\n```{include} /_snippets/disclaimer.md\\n```\\n\\n"
    ...     "Read with {ref}`limitations` in mind.\\n"
    ... )
    >>> check_page(page)
    []
    >>> [v.rule for v in check_page("# Title\\n")]
    ['disclaimer', 'limitations-ref']
    """
    return [v for rule in PAGE_RULES for v in rule(text, path)]


def _docname(path: str) -> str:
    """A page's path relative to ``docs/``, for resolving relative includes."""
    parts = Path(path).as_posix().split("/")
    if "docs" not in parts:
        return path
    last = len(parts) - 1 - parts[::-1].index("docs")
    return "/".join(parts[last + 1 :])


def pages(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Every MyST page the site is built from (snippets and builds excluded)."""
    return sorted(
        p
        for p in docs_dir.rglob("*.md")
        if not any(
            part.startswith(("_", ".")) for part in p.relative_to(docs_dir).parts
        )
    )


# -- Citations and the bibliography --------------------------------------------


def citations(text: str) -> list[tuple[str, int]]:
    """Every citation key a page cites, with its line.

    >>> citations("As {cite:t}`boiko2000` and {cite:p}`a2001,b2002` showed.\\n")
    [('boiko2000', 1), ('a2001', 1), ('b2002', 1)]
    """
    found = []
    for item in _items(text):
        if item.kind == "role" and CITE_ROLE.match(item.name):
            content = re.sub(r"\{[^{}]*\}", "", item.content)  # {pre}key{post}
            found += [(k.strip(), item.line) for k in content.split(",") if k.strip()]
    return found


ENTRY_START = re.compile(r"^\s*@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)
VENUE_FIELDS = ("journal", "booktitle", "publisher", "howpublished", "school",
                "institution")  # fmt: skip
DOI = re.compile(r"^10\.\d{4,9}/[^\s]+$")


def _entry_lines(text: str) -> dict[str, list[int]]:
    """Where each entry starts, by key (lower-cased, as BibTeX compares keys)."""
    lines: dict[str, list[int]] = {}
    for match in ENTRY_START.finditer(text):
        if match[1].lower() in ("comment", "preamble", "string"):
            continue
        lines.setdefault(match[2].lower(), []).append(
            text.count("\n", 0, match.start(2)) + 1
        )
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
                    "bib-syntax",
                    "a brace opened on this line is never closed. Close the "
                    "field's value with } before the comma.",
                )
            ]
        if ENTRY_START.match(following):
            depth = 0
    return []


def check_bib(text: str, path: str = "docs/refs.bib") -> list[Violation]:
    """Check a BibTeX file: syntax, duplicate keys, required fields and DOIs.

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
            "bib-duplicate",
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
                "bib-syntax",
                f"{path} does not parse ({error}). Check the comma after each "
                "field and the braces around each value, on this line and the "
                "one above.",
            )
        ]
    except BibliographyDataError as error:
        return [Violation(path, 1, "bib-syntax", f"{path} does not parse: {error}")]
    for key, entry in data.entries.items():
        line = where.get(key.lower(), [1])[0]
        fields = {name.lower(): value for name, value in entry.fields.items()}
        missing = [name for name in ("title", "year") if not fields.get(name)]
        if not entry.persons.get("author"):
            missing.insert(0, "author")
        if not any(fields.get(name) for name in VENUE_FIELDS):
            missing.append("journal (or another venue field)")
        if missing:
            problems.append(
                Violation(
                    path,
                    line,
                    "bib-fields",
                    f"entry {key!r} has no {', '.join(missing)}. Add the field "
                    "from the verified record in shared/references/README.md; "
                    "if no record gives it, do not cite this entry.",
                )
            )
        doi = fields.get("doi")
        if doi is not None and not DOI.match(doi):
            problems.append(
                Violation(
                    path,
                    line,
                    "bib-doi",
                    f"entry {key!r} has a malformed DOI {doi!r}. Write the bare "
                    "DOI, like 10.1007/s10517-008-0297-x, with no https://doi.org/ "
                    "in front; leave the field out if the DOI is not verified.",
                )
            )
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
            "cite-unknown",
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
            "bib-uncited",
            f"entry {key!r} is cited by no page. Cite it where the brief relies "
            "on it, or remove it.",
        )
        for key, lines in where.items()
        if key not in used
    ]
    return problems


# -- The disclaimer, for conf.py -----------------------------------------------


@dataclass(frozen=True)
class Disclaimer:
    """The disclaimer snippet's admonition: its title (the short form) and body."""

    title: str
    body: str


def read_disclaimer(path: Path = DOCS_DIR / DISCLAIMER_SNIPPET) -> Disclaimer:
    """Read the disclaimer snippet, for the PDF's title page and footer."""
    for token in _parser().parse(path.read_text(encoding="utf-8")):
        if token.type == "fence" and (found := _directive(token)):
            body, _ = _directive_body(token.content)
            return Disclaimer(title=found[1], body=" ".join(body.split()))
    raise ValueError(f"{path}: no admonition found; the snippet must hold one.")


# -- Author-year labels for the reference list ---------------------------------


def _register_author_year_style() -> None:
    """Make the reference list read "Ostrovskaya et al., 2008" like the text.

    sphinxcontrib-bibtex's ``author_year`` setting changes in-text citations
    only; the list keeps numeric labels unless the pybtex style changes too.
    Two works with the same first author and year get "1996a" and "1996b", in
    the list and in the text alike.
    """
    from collections import Counter
    from dataclasses import field as dc_field

    import sphinxcontrib.bibtex.style.referencing.basic_author_year as author_year
    from pybtex.plugin import register_plugin
    from pybtex.richtext import Text
    from pybtex.style.formatting import toplevel
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.formatting.unsrt import date
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.sorting import BaseSortingStyle
    from pybtex.style.template import (
        field,
        first_of,
        optional,
        optional_field,
        sentence,
        tag,
    )
    from pybtex.style.template import join as pybtex_join
    from pybtex.style.template import node as pybtex_node
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import (
        AuthorYearReferenceStyle,
    )
    from sphinxcontrib.bibtex.style.template import join, names, node

    def base_label(entry) -> str:
        authors = entry.persons.get("author", [])
        names = [" ".join(p.last_names) for p in authors if str(p) != "others"]
        if len(authors) > 2 or (len(authors) == 2 and len(names) == 1):
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names)
        return f"{who}, {entry.fields.get('year', 'n.d.')}"

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            sorted_entries = list(sorted_entries)
            bases = [base_label(entry) for entry in sorted_entries]
            clashes, seen = Counter(bases), Counter()
            for base in bases:
                seen[base] += 1
                yield base + (chr(96 + seen[base]) if clashes[base] > 1 else "")

    @pybtex_node
    def list_names(children, context, role, **kwargs):
        """Names as BibTeX's "and others" should read: "A, B, et al."."""
        persons = list(context["entry"].persons[role])
        others = bool(persons) and str(persons[-1]) == "others"
        style = context["style"]
        shown = [style.format_name(p, style.abbreviate_names) for p in persons]
        if others:
            sep = ", " if len(shown) > 2 else " "
            return pybtex_join(sep=sep)[[*shown[:-1], "et al."]].format_data(context)
        return pybtex_join(**kwargs)[shown].format_data(context)

    class FirstAuthorYearTitle(BaseSortingStyle):
        """Sort as the labels read: first author, then year, then title."""

        def sorting_key(self, entry):
            authors = entry.persons.get("author", [])
            first = " ".join(authors[0].last_names) if authors else ""
            return (first.lower(), entry.fields.get("year", ""), entry.fields["title"])

    class AuthorYearStyle(UnsrtStyle):
        default_label_style = "brief"
        default_sorting_style = "brief"

        def format_names(self, role, as_sentence=True):
            formatted = list_names(role, sep=", ", sep2=" and ", last_sep=", and ")
            return sentence[formatted] if as_sentence else formatted

        def get_article_template(self, e):
            # unsrt drops a volume that has no pages; a verified volume stays.
            template = super().get_article_template(e)
            if "pages" not in e.fields:
                volume = pybtex_join[
                    field("volume"), optional["(", field("number"), ")"]
                ]
                template = toplevel[
                    self.format_names("author"),
                    self.format_title(e, "title"),
                    sentence[tag("em")[field("journal")], optional[volume], date],
                    sentence[optional_field("note")],
                    self.format_web_refs(e),
                ]
            return template

        def format_title(self, e, which_field, as_sentence=True):
            # Keep titles as written: sentence-casing would turn "Noopept"
            # into "noopept" and "GVS-111" into "gvs-111".
            return sentence[field(which_field)] if as_sentence else field(which_field)

    @node
    def label_year(children, data):
        """The year as the reference list shows it: "1996a" where needed."""
        return Text(data["formatted_entry"].label.rsplit(", ", 1)[-1])

    @node
    def names_et_al(children, data, role, **kwargs):
        """In-text names, reading BibTeX's "and others" as "et al."."""
        persons = data["entry"].persons[role]
        if len(persons) < 2 or str(persons[-1]) != "others":
            return names(role=role, **kwargs).format_data(data)
        person = data["style"].person
        first = person.style_plugin.format(persons[0], person.abbreviate)
        return join[first, person.other].format_data(data)

    @dataclass
    class Persons(PersonStyle):
        def author_or_editor_or_title(self, full):
            options = {"sep": self.sep, "sep2": self.sep2, "last_sep": self.last_sep,
                       "other": None if full else self.other}  # fmt: skip
            return first_of[
                optional[names_et_al("author", **options)],
                optional[names("editor", **options)],
                tag("em")[field("title")],
            ]

    def round_brackets() -> BracketStyle:
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class AuthorYearReferences(AuthorYearReferenceStyle):
        """(Author et al., 2008) in round brackets, as author-year readers expect."""

        bracket_parenthetical: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_textual: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_author: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_label: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_year: BracketStyle = dc_field(default_factory=round_brackets)
        person: PersonStyle = dc_field(default_factory=Persons)

    # The in-text styles look the year node up when they build a citation.
    author_year.year = label_year
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "brief", AuthorYearReferences
    )
    register_plugin("pybtex.style.labels", "brief", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "brief", FirstAuthorYearTitle)
    register_plugin("pybtex.style.formatting", "brief", AuthorYearStyle)


# -- The PDF's system prerequisites --------------------------------------------

#: The Debian packages the PDF needs (the README's prerequisite line).
TEX_PACKAGES = (
    "latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended fonts-freefont-otf tex-gyre"
)


def tex_missing() -> str | None:
    """Say what to install if the PDF cannot be built here, else None."""
    import shutil

    missing = [tool for tool in ("latexmk", "xelatex") if not shutil.which(tool)]
    if not missing:
        return None
    return (
        f"The PDF needs TeX, and {' and '.join(missing)} is not installed. Install:\n"
        f"  Debian/Ubuntu: sudo apt-get install {TEX_PACKAGES}\n"
        "  macOS: brew install --cask mactex-no-gui "
        "(then: brew install --cask font-tex-gyre-pagella font-freefont)\n"
        "  Windows: install MiKTeX (https://miktex.org) with latexmk, "
        "and the TeX Gyre and FreeFont fonts"
    )


# -- The browser tests' system prerequisite -----------------------------------

#: The Debian package of the browser the browser tests drive.
BROWSER_PACKAGES = "chromium"
#: Every system package (the README's one apt-get line): the PDF's, then the browser.
SYSTEM_PACKAGES = f"{TEX_PACKAGES} {BROWSER_PACKAGES}"
#: Debian's Chromium; Playwright's own browser download is not used.
CHROMIUM = "/usr/bin/chromium"
#: Headless flags for a root user on a machine with no display and no network.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")  # fmt: skip


def browser_missing() -> str | None:
    """Say what to install if Chromium is not here, else None."""
    if Path(CHROMIUM).exists():
        return None
    return (
        f"The browser tests need Chromium at {CHROMIUM}, which is not installed. "
        f"Install: sudo apt-get install {BROWSER_PACKAGES}"
    )


# -- HTML: accessible markup ---------------------------------------------------
# axe-core (in the browser tests) rejects two pieces of the markup that docutils
# and Sphinx write. The translator below writes them the accessible way; the
# look does not change.


def _accessible_translator(base: type) -> type:
    """Subclass the builder's HTML translator with the two fixes."""
    from docutils import nodes
    from sphinx import addnodes

    class AccessibleHTMLTranslator(base):
        def visit_title(self, node: nodes.title) -> None:
            # A toctree caption has role="heading", which needs an aria-level
            # (axe: aria-required-attr). Level 2: under the page's one <h1>.
            parent = node.parent
            if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
                self.body.append(
                    self.starttag(
                        node,
                        "p",
                        "",
                        CLASS="caption",
                        ROLE="heading",
                        **{"aria-level": "2"},
                    )
                )
                self.body.append('<span class="caption-text">')
                self.context.append("</span></p>\n")
            else:
                super().visit_title(node)

        def visit_citation(self, node: nodes.citation) -> None:
            # docutils gives each entry role="doc-biblioentry", deprecated and not
            # allowed on a <div>, inside a role="list" that then has no list items
            # (axe: aria-deprecated-role, aria-allowed-role,
            # aria-required-children). A list of list items says the same.
            if not isinstance(node.previous_sibling(), type(node)):
                self.body.append('<div role="list" class="citation-list">\n')
            self.body.append(
                self.starttag(node, "div", classes=[node.tagname], role="listitem")
            )

    return AccessibleHTMLTranslator


def _use_accessible_translator(app: Sphinx) -> None:
    if app.builder.format == "html":
        base = app.builder.get_translator_class()
        app.set_translator(
            app.builder.name, _accessible_translator(base), override=True
        )


# -- HTML: navigation rendered once per build ----------------------------------
# Stock furo renders the whole site's toctree into every page, then re-parses it
# with BeautifulSoup: the cost of a page grows with the site, so the build grows
# with the square of the page count. Here the tree is rendered and parsed once
# per build (per output folder, since links are relative), and each page only
# marks its own branch as current before the tree is written out. The markup is
# furo's own; tests/test_navigation.py compares it, page by page, with stock
# furo's.


_MARK = "data-brief-nav"


class _Tree:
    """One folder's tree, written out once, cut at every tag a page may mark."""

    def __init__(self, soup) -> None:
        tags = soup.find_all(["ul", "li", "a", "input"])
        for number, tag in enumerate(tags):
            tag[_MARK] = str(number)
        # Odd pieces are start tags: piece 2n+1 is tags[n]'s, as furo wrote it.
        self.pieces = re.split(rf'(<[^<>]*? {_MARK}="\d+"[^<>]*>)', str(soup))
        for number, tag in enumerate(tags):
            del tag[_MARK]
            piece = self.pieces[2 * number + 1]
            self.pieces[2 * number + 1] = piece.replace(f' {_MARK}="{number}"', "")
        self.soup = soup
        self.number = {id(tag): number for number, tag in enumerate(tags)}
        self.links: dict[str, list] = {}
        for link in soup.find_all("a", href=True):
            self.links.setdefault(link["href"], []).append(link)

    def start_tag(self, tag, **changes) -> tuple[int, str]:
        """The piece of ``tag``'s start tag, and that tag with ``changes``."""
        attrs = {**tag.attrs, **changes}
        html = str(self.soup.new_tag(tag.name, attrs=attrs))
        return 2 * self.number[id(tag)] + 1, html[: html.index(">") + 1]


class NavigationCache:
    """furo's sidebar tree for one build, marked per page."""

    def __init__(self) -> None:
        self._trees: dict[str, _Tree] = {}

    def _tree(self, app: Sphinx, folder: str) -> _Tree:
        if folder not in self._trees:
            from bs4 import BeautifulSoup
            from furo.navigation import get_navigation_tree
            from sphinx.environment.adapters.toctree import global_toctree_for_doc

            # A name no document has, in the page's folder: links come out
            # relative to that folder, and no entry is marked current.
            toctree = global_toctree_for_doc(
                app.env, _neutral(folder), app.builder, tags=app.builder.tags,
                collapse=False, includehidden=True, maxdepth=-1, titles_only=True,
            )  # fmt: skip
            html = app.builder.render_partial(toctree)["fragment"] if toctree else ""
            soup = BeautifulSoup(get_navigation_tree(html), "html.parser")
            self._trees[folder] = _Tree(soup)
        return self._trees[folder]

    def render(self, app: Sphinx, pagename: str) -> str:
        """The tree as furo writes it on ``pagename``: its branch marked current."""
        folder = posixpath.dirname(pagename)
        tree = self._tree(app, folder)
        href = app.builder.get_relative_uri(_neutral(folder), pagename)
        classes: dict[int, list[str]] = {}  # id(tag) -> its classes on this page
        changed: dict[int, tuple] = {}  # id(tag) -> (tag, attribute changes)
        branch = []
        for link in tree.links.get(href, []):
            # As Sphinx marks it: the link and all its ancestors get "current",
            # placed after "toctree-lN" on an <li> and before the writer's own
            # classes on an <a>; and the link points at the page itself.
            changed[id(link)] = (link, {"href": "#"})
            for tag in [link, *link.parents]:
                if tag.name not in ("a", "li", "ul"):
                    continue
                now = classes.setdefault(id(tag), list(tag.get("class", [])))
                at = {"a": 0, "li": 1}.get(tag.name, len(now))
                now.insert(at, "current")
                changed.setdefault(id(tag), (tag, {}))[1]["class"] = now
                if tag.name == "li":
                    branch.append(tag)
                    box = tag.find("input", class_="toctree-checkbox", recursive=False)
                    if box is not None:  # as furo does: the branch is expanded
                        changed[id(box)] = (box, {"checked": ""})
        if branch:  # as furo marks it: the deepest current entry is the page
            deepest = max(branch, key=lambda li: len(list(li.parents)))
            classes[id(deepest)].append("current-page")
        pieces = tree.pieces.copy()
        for tag, changes in changed.values():
            at, html = tree.start_tag(tag, **changes)
            pieces[at] = html
        return "".join(pieces)


def _neutral(folder: str) -> str:
    """A document name no page has, in ``folder``."""
    return posixpath.join(folder, "\0brief-navigation")


def _hide_toctree_from_furo(app: Sphinx, pagename, templatename, context, doctree):
    # Runs before furo's handler: without "toctree", furo skips its own
    # navigation tree (the costly part); the one below replaces it.
    if app.config.brief_navigation_cache and "toctree" in context:
        context["_brief_toctree"] = context.pop("toctree")


def _cached_navigation(app: Sphinx, pagename, templatename, context, doctree):
    if "_brief_toctree" not in context:
        return
    context["toctree"] = context.pop("_brief_toctree")
    cache = app.builder.__dict__.setdefault("_brief_navigation", NavigationCache())
    context["furo_navigation_tree"] = cache.render(app, pagename)


def _reset_navigation(app: Sphinx, env) -> None:
    # A new build (sphinx-autobuild keeps the process): titles may have changed.
    app.builder.__dict__.pop("_brief_navigation", None)


# -- Sphinx --------------------------------------------------------------------


def _warn(violation: Violation, location) -> None:
    from sphinx.util import logging

    logging.getLogger(__name__).warning(
        violation.message, location=location, type="brief", subtype=violation.rule
    )


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    path = app.env.doc2path(docname)
    if Path(path).suffix != ".md":
        return
    for violation in check_page(source[0], str(path)):
        _warn(violation, (docname, violation.line))


def _on_builder_inited(app: Sphinx) -> None:
    for name in app.config.bibtex_bibfiles:
        bib = Path(app.srcdir, name)
        for violation in check_bib(bib.read_text(encoding="utf-8"), str(bib)):
            _warn(violation, f"{bib}:{violation.line}")


def setup(app: Sphinx) -> dict[str, object]:
    _register_author_year_style()
    app.connect("source-read", _on_source_read)
    app.connect("builder-inited", _on_builder_inited)
    # HTML (reader experience and build speed), see the sections above.
    app.add_config_value("brief_navigation_cache", True, "html", bool)
    app.connect("builder-inited", _use_accessible_translator)
    app.connect("html-page-context", _hide_toctree_from_furo, priority=400)
    app.connect("html-page-context", _cached_navigation, priority=600)
    app.connect("env-updated", _reset_navigation)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
