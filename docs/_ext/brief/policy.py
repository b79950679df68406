"""The page policy: the rules every page is held to, and :func:`check_page`.

The rules themselves are here (disclaimer, limitations-ref, headings, encoding,
description, citation-placeholder) or in a neighbouring module (raw HTML, links
and images in :mod:`brief.safety`; claim-unmarked in :mod:`brief.claims`);
:data:`PAGE_RULES` lists them all. The hooks at the end hold Sphinx builds to
the same rules, and :func:`read_disclaimer` gives ``conf.py`` the disclaimer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from .bibliography import check_bib, citations
from .claims import check_claim_coverage
from .markdown import (
    DOCS_DIR,
    _directive,
    _directive_body,
    _docname,
    _include_target,
    _items,
    _near_misses,
    _parser,
    _ref_target,
    _title_line,
    text_files,
)
from .record import check_global_negatives
from .safety import HTML_COMMENT, check_images, check_links, check_raw_html
from .violations import Violation, _warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: The disclaimer snippet, relative to ``docs/``. It is the one source of the
#: disclaimer: pages include it, and ``conf.py`` reads it for the PDF.
DISCLAIMER_SNIPPET = "_snippets/disclaimer.md"
#: What a page writes to include the disclaimer.
DISCLAIMER_INCLUDE = f"```{{include}} /{DISCLAIMER_SNIPPET}\n```"
#: The label of the Limitations page, which every page links to.
LIMITATIONS_LABEL = "limitations"
#: What a page writes to link to the Limitations page.
LIMITATIONS_REF = f"{{ref}}`{LIMITATIONS_LABEL}`"


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


def check_headings(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *headings*: a page starts at one H1, and no heading skips a level.

    >>> check_headings("(label)=\\n# Title\\n\\n## Part\\n\\n### Detail\\n")
    []
    >>> print(check_headings("Intro.\\n\\n# Title\\n")[0])
    docs/example.md:1: [headings] the page must start with its title, one \
line such as "# Page title", before any other text. Move the title up here, \
or add one.
    >>> print(check_headings("# Title\\n\\n## Part\\n\\n#### Detail\\n")[0])
    docs/example.md:5: [headings] this heading is level 4 (####) but follows \
a level-2 heading on line 3, so it skips a level. Make it ### (level 3).
    >>> print(check_headings("# Title\\n\\n# Another\\n")[0])
    docs/example.md:3: [headings] a second level-1 heading (the first is on \
line 1): a page has one title. Make this ## (level 2), or split the page.
    """
    items = [
        i for i in _items(text)
        if i.depth == 0 and not (i.kind == "html" and HTML_COMMENT.fullmatch(i.content))
    ]  # fmt: skip
    if not items or (items[0].kind, items[0].name) != ("heading", "h1"):
        line = items[0].line if items else 1
        return [
            Violation(
                path,
                line,
                "headings",
                'the page must start with its title, one line such as "# Page '
                'title", before any other text. Move the title up here, or add one.',
            )
        ]
    problems = []
    headings = [i for i in items if i.kind == "heading"]
    for before, item in pairwise(headings):
        level, previous = int(item.name[1]), int(before.name[1])
        if level == 1:
            message = (
                f"a second level-1 heading (the first is on line {headings[0].line}): "
                "a page has one title. Make this ## (level 2), or split the page."
            )
        elif level > previous + 1:
            message = (
                f"this heading is level {level} ({'#' * level}) but follows a "
                f"level-{previous} heading on line {before.line}, so it skips a "
                f"level. Make it {'#' * (previous + 1)} (level {previous + 1})."
            )
        else:
            continue
        problems.append(Violation(path, item.line, "headings", message))
    return problems


def check_encoding(data: bytes, path: str = "docs/example.md") -> list[Violation]:
    """Rule *encoding*: every text file is UTF-8, without a byte-order mark.

    >>> check_encoding("# Café\\n".encode())
    []
    >>> print(check_encoding(b"\\xef\\xbb\\xbf# Title\\n")[0])
    docs/example.md:1: [encoding] the file starts with a byte-order mark (BOM). \
Save it as UTF-8 without a BOM (in most editors, "UTF-8" rather than "UTF-8 \
with BOM").
    >>> print(check_encoding("# Title\\n\\nCafé\\n".encode("latin-1"))[0])
    docs/example.md:3: [encoding] the file is not UTF-8 (byte 0xe9 on this \
line). Save it as UTF-8, without a BOM, and check the characters on this line.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return [
            Violation(
                path,
                1,
                "encoding",
                "the file starts with a byte-order mark (BOM). Save it as UTF-8 "
                'without a BOM (in most editors, "UTF-8" rather than "UTF-8 '
                'with BOM").',
            )
        ]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [
            Violation(
                path,
                data.count(b"\n", 0, error.start) + 1,
                "encoding",
                f"the file is not UTF-8 (byte 0x{data[error.start]:02x} on this "
                "line). Save it as UTF-8, without a BOM, and check the characters "
                "on this line.",
            )
        ]
    return []


# -- Page summaries: the meta description --------------------------------------
# Each page opens with YAML front matter holding a one-sentence summary:
#
#     ---
#     description: What this page covers, in one sentence.
#     ---
#
# It is the page's one source for <meta name="description"> and og:description
# (see brief.html_pages._on_html_page_context), so search results and link
# previews show it instead of the disclaimer, which is every page's first
# paragraph.

#: Search engines cut descriptions longer than this.
DESCRIPTION_MAX = 160
#: What the scaffold writes; the rule refuses it until it is replaced.
DESCRIPTION_PLACEHOLDER = (
    "TODO write one sentence, at most 160 characters, on what this page covers."
)
DESCRIPTION_FRONT_MATTER = (
    "---\ndescription: One sentence, at most 160 characters, on what this page "
    "covers.\n---"
)


def front_matter(text: str) -> tuple[dict[str, object], dict[str, int]] | None:
    """A page's YAML front matter and the line of each top-level key, or None.

    Raises ValueError, with the parser's reason, if the front matter is not a
    YAML mapping.

    >>> front_matter("---\\ndescription: Short.\\n---\\n# Title\\n")
    ({'description': 'Short.'}, {'description': 2})
    >>> front_matter("# Title\\n") is None
    True
    """
    import yaml

    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise ValueError("it is not a list of `key: value` lines")
    where = {}
    for number, line in enumerate(lines[1:end], start=2):
        if match := re.match(r"^([^\s:#][^:]*):", line):
            where.setdefault(match[1].strip(), number)
    return data, where


def check_description(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *description*: the page's front matter gives a one-sentence summary.

    >>> check_description("---\\ndescription: What the rodent studies report.\\n---\\n# T\\n")
    []
    >>> print(check_description("# Title\\n")[0])
    docs/example.md:1: [description] the page has no summary for search results \
and link previews. Paste this at the very top of the page, above the title, \
and write the sentence:
    ---
    description: One sentence, at most 160 characters, on what this page covers.
    ---
    >>> page = "---\\ndescription: " + DESCRIPTION_PLACEHOLDER + "\\n---\\n# T\\n"
    >>> print(check_description(page)[0])
    docs/example.md:2: [description] the description is still the new-page \
placeholder. Replace it with one sentence, at most 160 characters, on what \
this page covers.
    """
    try:
        found = front_matter(text)
    except ValueError as error:
        return [
            Violation(
                path,
                1,
                "description",
                f"the front matter at the top of the page does not parse ({error}). "
                "If the description holds a colon followed by a space, put the "
                'whole sentence in double quotes: description: "..."',
            )
        ]
    data, where = found if found is not None else ({}, {})
    description = data.get("description")
    line = where.get("description", 1)
    if not isinstance(description, str) or not description.strip():
        return [
            Violation(
                path,
                line,
                "description",
                "the page has no summary for search results and link previews. "
                "Paste this at the very top of the page, above the title, and "
                "write the sentence:\n" + DESCRIPTION_FRONT_MATTER,
            )
        ]
    if "TODO" in description:
        return [
            Violation(
                path,
                line,
                "description",
                "the description is still the new-page placeholder. Replace it "
                f"with one sentence, at most {DESCRIPTION_MAX} characters, on "
                "what this page covers.",
            )
        ]
    if len(description) > DESCRIPTION_MAX or "\n" in description.strip():
        return [
            Violation(
                path,
                line,
                "description",
                f"the description is {len(description)} characters long, or "
                f"spans lines; search engines cut it after {DESCRIPTION_MAX}. "
                "Shorten it to one sentence on one line.",
            )
        ]
    return []


# -- The citation placeholder --------------------------------------------------

#: The key the new-page scaffold cites until the author picks a real one.
CITATION_PLACEHOLDER = "TODO-citation-key"


def check_citation_placeholder(
    text: str, path: str = "docs/example.md"
) -> list[Violation]:
    """Rule *citation-placeholder*: no page still cites the scaffold's placeholder.

    >>> check_citation_placeholder("Shown {cite:p}`boiko2000`.\\n")
    []
    >>> print(check_citation_placeholder("# T\\n\\nShown {cite:p}`TODO-citation-key`.\\n")[0])
    docs/example.md:3: [citation-placeholder] this citation is the new-page \
placeholder 'TODO-citation-key', not a reference. Replace it with the key of \
an entry in docs/refs.bib; to add an entry, take every field from a verified \
record (CONTRIBUTING.md, "Add a reference").
    """
    return [
        Violation(
            path,
            line,
            "citation-placeholder",
            f"this citation is the new-page placeholder {key!r}, not a "
            "reference. Replace it with the key of an entry in docs/refs.bib; "
            "to add an entry, take every field from a verified record "
            '(CONTRIBUTING.md, "Add a reference").',
        )
        for key, line in citations(text)
        if key == CITATION_PLACEHOLDER
    ]


# -- Every page rule -----------------------------------------------------------

#: The rules that judge what a page *shows*; they also apply to included files.
CONTENT_RULES = (check_raw_html, check_links, check_images, check_global_negatives)

#: Every rule a page is held to, in the tests and in Sphinx, in the order its
#: problems are listed.
PAGE_RULES = (
    check_disclaimer,
    check_limitations_ref,
    *CONTENT_RULES,
    check_headings,
    check_claim_coverage,
    check_description,
    check_citation_placeholder,
)


def check_page(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Check one page against every page rule; ``path`` is shown in messages.

    >>> page = (
    ...     "# Title\\n\\n```{include} /_snippets/disclaimer.md\\n```\\n\\n"
    ...     "Read with {ref}`limitations` in mind.\\n"
    ... )
    >>> check_page("---\\ndescription: A short summary.\\n---\\n" + page)
    []
    >>> [v.rule for v in check_page("# Title\\n")]
    ['disclaimer', 'limitations-ref', 'description']
    """
    return [v for rule in PAGE_RULES for v in rule(text, path)]


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


# -- The rules, in Sphinx ------------------------------------------------------


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    path = app.env.doc2path(docname)
    if Path(path).suffix != ".md":
        return
    for violation in check_page(source[0], str(path)):
        _warn(violation, (docname, violation.line))


def _on_include_read(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    """An included file reaches readers too: judge what it shows.

    Whatever its name: MyST parses an included ``.html`` file as Markdown.
    """
    path = Path(app.srcdir, relative_path)
    for rule in CONTENT_RULES:
        for violation in rule(content[0], str(path)):
            _warn(violation, f"{path}:{violation.line}")


def _on_config_inited(app: Sphinx, config) -> None:
    """Check encodings and bib files before anything reads them.

    Sphinx stops on a file that is not UTF-8, and sphinxcontrib-bibtex on a
    bib file that does not parse, each with a traceback that names no file
    or no line: stop first, with the file, the line and the fix.
    """
    from sphinx.errors import SphinxError

    class SourceError(SphinxError):
        category = "A source file cannot be read"

    problems = [
        v
        for path in text_files(Path(app.srcdir))
        for v in check_encoding(path.read_bytes(), str(path))
    ]
    bibs = [Path(app.srcdir, name) for name in config.bibtex_bibfiles or ()]
    unreadable = {v.path for v in problems}
    for bib in bibs:
        if str(bib) not in unreadable:
            problems += check_bib(bib.read_text(encoding="utf-8-sig"), str(bib))
    fatal = [
        v
        for v in problems
        if v.rule == "bib-syntax" or (v.rule == "encoding" and "not UTF-8" in v.message)
    ]
    for violation in problems:
        if violation not in fatal:
            _warn(violation, f"{violation.path}:{violation.line}")
    if fatal:
        raise SourceError("\n".join(map(str, fatal)))
