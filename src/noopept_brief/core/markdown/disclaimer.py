"""The disclaimer: one fact, in one place.

Its words live in one file, ``docs/_snippets/disclaimer.md``
(:data:`DISCLAIMER_SNIPPET`): an admonition whose title is the short form
(the PDF's footer) and whose body is the full text. This module owns
everything else about it: the directive a page writes to show it
(:data:`DISCLAIMER_DIRECTIVE`; its name, :data:`DISCLAIMER_DIRECTIVE_NAME`,
is defined in :mod:`.shapes`, below the page reading), the class that marks it in the built HTML and
the doctree (:data:`DISCLAIMER_CLASS`), reading the snippet
(:func:`read_disclaimer`: title, body, classes), and the page rule
*disclaimer* (:func:`check_disclaimer`). Every other module imports these
names from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..rules import Rule
from ..violations import Violation
from .parse import Directive, near_misses, parse, title_line
from .shapes import DISCLAIMER_DIRECTIVE_NAME

#: The disclaimer snippet, relative to ``docs/``. It is the one source of the
#: disclaimer: the ``{disclaimer}`` directive inserts it into every page (the
#: project's one file insertion: docutils' own is switched off in conf.py),
#: and the PDF's front page and footers read it.
DISCLAIMER_SNIPPET = "_snippets/disclaimer.md"
#: What a page writes to show the disclaimer.
DISCLAIMER_DIRECTIVE = f"```{{{DISCLAIMER_DIRECTIVE_NAME}}}\n```"
#: The class the snippet's admonition carries (its ``:class:``), by which the
#: output gate finds it in the built HTML and the PDF's transform in the doctree.
DISCLAIMER_CLASS = "disclaimer"


@dataclass(frozen=True)
class Disclaimer:
    """The disclaimer snippet's admonition: its title (the short form), body,
    and the classes its block has once built (docutils adds ``admonition``)."""

    title: str
    body: str
    classes: frozenset[str] = frozenset()


def read_disclaimer(docs_dir: Path) -> Disclaimer:
    """Read the disclaimer snippet: for the PDF, the output gate and the tests."""
    path = docs_dir / DISCLAIMER_SNIPPET
    for item in parse(path.read_text(encoding="utf-8")):
        if isinstance(item, Directive) and item.depth == 0:
            classes = str(item.options.get("class", "")).split()
            return Disclaimer(
                title=item.argument,
                body=" ".join(item.body.split()),
                classes=frozenset({"admonition", *classes}),
            )
    raise ValueError(f"{path}: no admonition found; the snippet must hold one.")


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
    items = parse(text)
    shown = [
        i for i in items
        if isinstance(i, Directive) and i.name == DISCLAIMER_DIRECTIVE_NAME
    ]  # fmt: skip
    if shown and all(i.depth == 0 for i in shown):
        return _placed(items, shown, path)
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


def _placed(items, shown, path: str) -> list[Violation]:
    """Exactly one disclaimer, first after the page's title (issue 20): a
    disclaimer at the end of a page, or after an introduction, is not seen."""
    from .parse import Code, Heading, Html, Target
    from .safety import HTML_COMMENT

    if len(shown) > 1:
        return [Violation(path, shown[1].line, Rule.DISCLAIMER,
                f"the page shows the disclaimer twice (first on line "
                f"{shown[0].line}). Keep the one just below the title.")]  # fmt: skip
    top = [
        i for i in items
        if i.depth == 0 and not isinstance(i, (Target, Code))
        and not (isinstance(i, Html) and HTML_COMMENT.fullmatch(i.html))
    ]  # fmt: skip
    title = next((i for i in top if isinstance(i, Heading) and i.level == 1), None)
    following = next(
        (i for i in top if title is not None and i.line > title.line), None
    )
    if following is not None and following is not shown[0]:
        return [Violation(path, shown[0].line, Rule.DISCLAIMER,
                "the disclaimer must come first, just below the page title, "
                "so readers see it before anything else (here line "
                f"{following.line} comes first). Move these two lines up, "
                "just below the title:\n" + DISCLAIMER_DIRECTIVE)]  # fmt: skip
    return []
