"""The page rules that need no room of their own: limitations-ref, headings,
encoding, citation-placeholder and scaffold-text.

The others are in neighbouring modules (disclaimer in :mod:`.disclaimer`;
description and front-matter in :mod:`.frontmatter`; raw
HTML, links and images in :mod:`.safety`; claim-unmarked in
:mod:`..claim.markup`); the registry (:mod:`noopept_brief.core.registry`)
lists them all and runs them (``check_page``). Every page rule takes the
page's text, the path its messages show and, where known, its docname (its
path in the docs folder, without the suffix).
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..refs.bib import citations
from ..rules import Rule
from ..violations import Violation
from .parse import (
    Code,
    Heading,
    Html,
    Role,
    Target,
    near_misses,
    parse,
    ref_target,
    title_line,
)
from .reader_text import fold
from .safety import (
    HTML_COMMENT,
)

#: The label of the Limitations page, which every page links to.
LIMITATIONS_LABEL = "limitations"
#: What a page writes to link to the Limitations page.
LIMITATIONS_REF = f"{{ref}}`{LIMITATIONS_LABEL}`"


# -- The page rules ------------------------------------------------------------


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
    aimed = [i for i in refs if ref_target(i.text) == LIMITATIONS_LABEL]
    if any(_readable_link(i.text) for i in aimed):
        return []
    if aimed:
        return [Violation(path, aimed[0].line, Rule.LIMITATIONS_REF,
                "the link to the Limitations section has no readable words "
                "(blank, invisible or punctuation only), so readers cannot "
                "see it. Give it words, or none at all:\n" + LIMITATIONS_REF)]  # fmt: skip
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


def _readable_link(content: str) -> bool:
    """Whether a {ref}'s text (or, without one, its section's title) reads as words."""
    match = re.search(r"<([^<>]+)>\s*$", content)
    if not match:
        return True  # the link shows the section's own title
    shown = fold(content[: match.start()])
    return sum(c.isalpha() for c in shown) >= 2


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
