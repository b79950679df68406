"""Rule *fence*: no fence left open, and no directive shown as its own source.

Deleting one line of a two-line directive (the disclaimer, say)
leaves a lone fence. It opens a code block that runs to the next bare fence,
so the next ``{claim}`` shows as code, its source on the page, and every
other check still passes. Two cases are refused:

* a fence that is never closed, so the rest of the page is code;
* a code block without a language (a bare fence, or indented code) holding a
  line that opens a directive (``{claim}``, ``{include}``...): the directive
  readers were meant to see is shown as its own source.

A code block that names its language (```` ```markdown ````) is an example
on purpose, and passes.
"""

from __future__ import annotations

import re

from ..rules import Rule
from ..violations import Violation
from .disclaimer import DISCLAIMER_DIRECTIVE
from .parse import Code, Directive, parse

#: A line that opens a MyST directive.
DIRECTIVE_LINE = re.compile(r"^\s*(`{3,}|:{3,})\{([\w-]+)\}")


def check_fences(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *fence*.

    >>> check_fences("# T\\n\\n```{note}\\nText.\\n```\\n")
    []
    >>> print(check_fences("# T\\n\\n```\\n\\nText.\\n")[0])
    docs/example.md:3: [fence] this fence (```) opens a block that is never \
closed, so everything after it shows as code. Delete the line if it is left \
over from an edit, or close the block with a line holding only ```.
    >>> page = "# T\\n\\n```\\n\\n```{claim} Short\\n:id: s\\n\\nText.\\n```\\n"
    >>> print(check_fences(page)[0])
    docs/example.md:5: [fence] this {claim} is inside a code block that \
starts at line 3, so readers see its source instead of the claim. The fence \
on line 3 is left over from an edit: delete it, or complete the directive it \
belonged to (the disclaimer is these two lines:
    ```{disclaimer}
    ```
    ).
    >>> check_fences("# T\\n\\n````markdown\\n```{claim} An example\\n```\\n````\\n")
    []
    """
    problems = []
    page_lines = text.splitlines()
    for item in parse(text):
        if not isinstance(item, (Code, Directive)):
            continue
        line, markup = item.line, item.markup
        if not item.closed:
            problems.append(
                Violation(
                    path,
                    line,
                    Rule.FENCE,
                    f"this fence ({markup}) opens a block that is never closed, "
                    "so everything after it shows as code. Delete the line if "
                    "it is left over from an edit, or close the block with a "
                    f"line holding only {markup}.",
                )
            )
            continue
        if isinstance(item, Directive) or item.info:
            continue  # a directive, or code in a named language: on purpose
        for number in item.body:
            found = (
                DIRECTIVE_LINE.match(page_lines[number - 1])
                if number <= len(page_lines)
                else None
            )
            if found:
                problems.append(
                    Violation(
                        path,
                        number,
                        Rule.FENCE,
                        f"this {{{found[2]}}} is inside a code block that starts "
                        f"at line {line}, so readers see its source instead of "
                        f"the {found[2]}. The fence on line {line} is left over "
                        "from an edit: delete it, or complete the directive it "
                        "belonged to (the disclaimer is these two "
                        f"lines:\n{DISCLAIMER_DIRECTIVE}\n).",
                    )
                )
                break
    return problems
