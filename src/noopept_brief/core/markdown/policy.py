"""The page policy: the rules every page is held to, and :func:`check_page`.

The rules themselves are here (disclaimer, limitations-ref, headings, encoding,
description, citation-placeholder) or in a neighbouring module (raw HTML, links
and images in :mod:`.safety`; claim-unmarked in :mod:`..claim.markup`);
:data:`PAGE_RULES` lists them all. Every page rule takes the page's text, the
path its messages show and, where known, its docname (its path in the docs
folder, without the suffix). :func:`read_disclaimer` gives ``conf.py`` the
disclaimer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from ..claim.markup import check_claim_coverage
from ..refs.bib import citations
from ..rules import Rule
from ..violations import Violation
from .content_rules import check_content
from .fences import check_fences
from .frontmatter import FRONT_MATTER_KEYS, front_matter
from .negatives import check_global_negatives
from .parse import (
    Code,
    Directive,
    Heading,
    Html,
    Role,
    Target,
    near_misses,
    parse,
    ref_target,
    title_line,
)
from .safety import (
    HTML_COMMENT,
    check_file_insertion,
    check_images,
    check_links,
    check_raw_html,
)
from .structure import check_directives, check_limits, check_structure

#: The disclaimer snippet, relative to ``docs/``. It is the one source of the
#: disclaimer: the ``{disclaimer}`` directive inserts it into every page (the
#: project's one file insertion: docutils' own is switched off in conf.py),
#: and ``conf.py`` reads it for the PDF.
DISCLAIMER_SNIPPET = "_snippets/disclaimer.md"
#: The directive that inserts the disclaimer snippet.
DISCLAIMER_DIRECTIVE_NAME = "disclaimer"
#: What a page writes to show the disclaimer.
DISCLAIMER_DIRECTIVE = f"```{{{DISCLAIMER_DIRECTIVE_NAME}}}\n```"
#: The label of the Limitations page, which every page links to.
LIMITATIONS_LABEL = "limitations"
#: What a page writes to link to the Limitations page.
LIMITATIONS_REF = f"{{ref}}`{LIMITATIONS_LABEL}`"


# -- The page rules ------------------------------------------------------------


def check_disclaimer(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *disclaimer*: the page shows the disclaimer, at its top level.

    A page with the ``{disclaimer}`` directive passes:

    >>> check_disclaimer("# Title\\n\\n```{disclaimer}\\n```\\n")
    []

    A page without it fails, and the message gives the lines to paste:

    >>> for problem in check_disclaimer("# Title\\n\\nText.\\n"):
    ...     print(problem)
    docs/example.md:1: [disclaimer] the page does not show the disclaimer. \
Paste these two lines just below the page title:
    ```{disclaimer}
    ```

    A directive that readers never see (commented out, shown as code, or
    tucked inside another directive such as a dropdown) does not count, and
    the message points at it:

    >>> hidden = "# Title\\n\\n% ```{disclaimer}\\n% ```\\n"
    >>> print(check_disclaimer(hidden)[0])
    docs/example.md:3: [disclaimer] the disclaimer on this line is inside a \
comment, a code block or another directive, so readers may not see it. Paste \
these two lines just below the page title, outside any comment, code block or \
directive:
    ```{disclaimer}
    ```
    """
    if any(
        isinstance(item, Directive)
        and item.name == DISCLAIMER_DIRECTIVE_NAME
        and item.depth == 0
        for item in parse(text)
    ):
        return []
    misses = near_misses(
        text, r"\{disclaimer\}|" + re.escape(DISCLAIMER_SNIPPET.split("/")[-1])
    )
    if misses:
        return [
            Violation(
                path,
                misses[0],
                Rule.DISCLAIMER,
                "the disclaimer on this line is inside a comment, a code block "
                "or another directive, so readers may not see it. Paste these "
                "two lines just below the page title, outside any comment, "
                "code block or directive:\n" + DISCLAIMER_DIRECTIVE,
            )
        ]
    return [
        Violation(
            path,
            title_line(text),
            Rule.DISCLAIMER,
            "the page does not show the disclaimer. Paste these two lines "
            "just below the page title:\n" + DISCLAIMER_DIRECTIVE,
        )
    ]


def check_limitations_ref(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
    items = parse(text)
    refs = [i for i in items if isinstance(i, Role) and i.name == "ref"]
    if any(ref_target(i.text) == LIMITATIONS_LABEL for i in refs):
        return []
    # The page that defines the label is the Limitations page itself: a link to
    # itself would only send its readers back to where they are.
    if any(isinstance(i, Target) and i.label == LIMITATIONS_LABEL for i in items):
        return []
    fix = "\n" + LIMITATIONS_REF
    wrong = [i for i in refs if "limitation" in ref_target(i.text).lower()]
    if wrong:
        target = ref_target(wrong[0].text)
        return [
            Violation(
                path,
                wrong[0].line,
                Rule.LIMITATIONS_REF,
                f"this {{ref}} points at {target!r}, not at "
                f"{LIMITATIONS_LABEL!r}. Change it to:{fix}",
            )
        ]
    misses = near_misses(text, r"\{ref\}`[^`]*\blimitations\b")
    if misses:
        return [
            Violation(
                path,
                misses[0],
                Rule.LIMITATIONS_REF,
                f"the {LIMITATIONS_REF} on this line is inside inline code, a "
                "code block or a comment, so it is not a link. Write it in the "
                f"page's text, outside any code or comment:{fix}",
            )
        ]
    return [
        Violation(
            path,
            title_line(text),
            Rule.LIMITATIONS_REF,
            "the page has no link to the Limitations section. Add a sentence "
            "to the page's text with this role, for example "
            f'"Read this with {LIMITATIONS_REF} in mind.":{fix}',
        )
    ]


def check_headings(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
        i for i in parse(text)
        if i.depth == 0 and not isinstance(i, (Target, Code))
        and not (isinstance(i, Html) and HTML_COMMENT.fullmatch(i.html))
    ]  # fmt: skip
    if not items or not (isinstance(items[0], Heading) and items[0].level == 1):
        line = items[0].line if items else 1
        return [
            Violation(
                path,
                line,
                Rule.HEADINGS,
                'the page must start with its title, one line such as "# Page '
                'title", before any other text. Move the title up here, or add one.',
            )
        ]
    problems = []
    headings = [i for i in items if isinstance(i, Heading)]
    for before, item in pairwise(headings):
        level, previous = item.level, before.level
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
        problems.append(Violation(path, item.line, Rule.HEADINGS, message))
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
                Rule.ENCODING,
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
                Rule.ENCODING,
                f"the file is not UTF-8 (byte 0x{data[error.start]:02x} on this "
                "line). Save it as UTF-8, without a BOM, and check the characters "
                "on this line.",
                fatal=True,
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
# (see noopept_brief.sphinxext.html.add_meta_description), so search results and link
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


def check_description(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
                Rule.DESCRIPTION,
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
                Rule.DESCRIPTION,
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
                Rule.DESCRIPTION,
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
                Rule.DESCRIPTION,
                f"the description is {len(description)} characters long, or "
                f"spans lines; search engines cut it after {DESCRIPTION_MAX}. "
                "Shorten it to one sentence on one line.",
            )
        ]
    return []


def check_front_matter_keys(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *front-matter*: front matter holds only the keys the project defines.

    MyST reads other keys as per-page configuration (``myst:`` with
    ``html_meta``, substitutions, extensions, URL schemes), and Sphinx reads
    some as page options (``orphan``): none of that is a page's to set.

    >>> check_front_matter_keys("---\\ndescription: Short.\\n---\\n# T\\n")
    []
    >>> print(check_front_matter_keys("---\\ndescription: S.\\nmyst:\\n  html_meta: {}\\n---\\n")[0])
    docs/example.md:3: [front-matter] the front matter key 'myst' is not one \
the project defines (only: description). Front matter would configure the \
page's build; remove the key. A new key needs a reviewed change to \
FRONT_MATTER_KEYS in src/noopept_brief/core/markdown/frontmatter.py.
    """
    try:
        found = front_matter(text)
    except ValueError:
        return []  # check_description reports it, with the fix
    if found is None:
        return []
    data, where = found
    return [
        Violation(
            path,
            where.get(str(key), 1),
            Rule.FRONT_MATTER,
            f"the front matter key {str(key)!r} is not one the project defines "
            f"(only: {', '.join(FRONT_MATTER_KEYS)}). Front matter would "
            "configure the page's build; remove the key. A new key needs a "
            "reviewed change to FRONT_MATTER_KEYS in "
            "src/noopept_brief/core/markdown/frontmatter.py.",
        )
        for key in data
        if key not in FRONT_MATTER_KEYS
    ]


# -- The citation placeholder --------------------------------------------------

#: The key the new-page scaffold cites until the author picks a real one.
CITATION_PLACEHOLDER = "TODO-citation-key"


def check_citation_placeholder(
    text: str, path: str = "docs/example.md", docname: str | None = None
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
            Rule.CITATION_PLACEHOLDER,
            f"this citation is the new-page placeholder {key!r}, not a "
            "reference. Replace it with the key of an entry in docs/refs.bib; "
            "to add an entry, take every field from a verified record "
            '(CONTRIBUTING.md, "Add a reference").',
        )
        for key, line in citations(text)
        if key == CITATION_PLACEHOLDER
    ]


# -- The scaffold's sentences ----------------------------------------------------

#: Every sentence of the new-page template (and of the messages' examples) that
#: a contributor must replace -> what it stands for.
SCAFFOLD_SENTENCES = {
    "What the cited work shows, in a few words": "the claim's short text",
    "Say what the cited preclinical work shows, in your own words": "the claim's text",
    "A few words for the evidence map": "the claim's short text",
    "The statement, with its citation.": "the claim's text",
}


def check_scaffold_text(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *scaffold-text*: no sentence of the template is left in a page.

    >>> check_scaffold_text("# T\\n\\nWhat rodent studies show.\\n")
    []
    >>> print(check_scaffold_text("# T\\n\\n```{claim} A few words for the evidence map\\n```\\n")[0])
    docs/example.md:3: [scaffold-text] "A few words for the evidence map" is \
the new-page placeholder for the claim's short text, not the brief's words. \
Replace it with the claim's short text, in your own words.
    """
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for sentence, meaning in SCAFFOLD_SENTENCES.items():
            if sentence in line:
                problems.append(
                    Violation(
                        path,
                        number,
                        Rule.SCAFFOLD_TEXT,
                        f'"{sentence}" is the new-page placeholder for {meaning}, '
                        f"not the brief's words. Replace it with {meaning}, in "
                        "your own words.",
                    )
                )
    return problems


# -- Every page rule -----------------------------------------------------------

#: A page rule: (text, path shown in messages, docname or None) -> violations.
PageRule = Callable[[str, str, str | None], list[Violation]]

#: The rules that judge what a page *shows*; they also apply to included files.
CONTENT_RULES: tuple[PageRule, ...] = (
    check_raw_html,
    check_file_insertion,
    check_links,
    check_images,
    check_global_negatives,
    check_content,
)

#: Every rule a page is held to, in the tests and in Sphinx, in the order its
#: problems are listed.
PAGE_RULES: tuple[PageRule, ...] = (
    check_limits,
    check_structure,
    check_directives,
    check_disclaimer,
    check_limitations_ref,
    *CONTENT_RULES,
    check_headings,
    check_claim_coverage,
    check_description,
    check_front_matter_keys,
    check_citation_placeholder,
    check_scaffold_text,
    check_fences,
)


def check_page(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Check one page against every page rule; ``path`` is shown in messages.

    >>> page = (
    ...     "# Title\\n\\n```{disclaimer}\\n```\\n\\n"
    ...     "Read with {ref}`limitations` in mind.\\n"
    ... )
    >>> check_page("---\\ndescription: A short summary.\\n---\\n" + page)
    []
    >>> [str(v.rule) for v in check_page("# Title\\n")]
    ['disclaimer', 'limitations-ref', 'description']
    """
    return [v for rule in PAGE_RULES for v in rule(text, path, docname)]


# -- The disclaimer, for conf.py -----------------------------------------------


@dataclass(frozen=True)
class Disclaimer:
    """The disclaimer snippet's admonition: its title (the short form) and body."""

    title: str
    body: str


def read_disclaimer(docs_dir: Path) -> Disclaimer:
    """Read the disclaimer snippet, for the PDF's title page and footer."""
    path = docs_dir / DISCLAIMER_SNIPPET
    for item in parse(path.read_text(encoding="utf-8")):
        if isinstance(item, Directive) and item.depth == 0:
            return Disclaimer(title=item.argument, body=" ".join(item.body.split()))
    raise ValueError(f"{path}: no admonition found; the snippet must hold one.")
