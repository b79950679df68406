"""Page structure, size limits and directives MyST refuses: what the other
page rules cannot see.

Rule *page-structure*: a title with readable text, no reference-style link
left as literal text, every image in ``{eval-rst}`` with alt text, and no
alt text made of zero-width characters only. Rule *limits*: a page is at
most :data:`MAX_PAGE_BYTES`, directives nest at most
``markdown.MAX_NESTING`` deep, and one citation cites at most
:data:`MAX_CITE_KEYS` keys; past a limit the build reads a short stand-in
instead of the page, so nothing downstream can crash on it. Rule
*directive*: every directive reads as MyST reads it in the build, with the
options its shape (:mod:`.shapes`) takes, so ``check`` refuses what the
build refuses (an unknown option, a body where none is allowed...).
"""

from __future__ import annotations

import re

from ..refs.bib import cited_keys, visible_text
from ..rules import Rule
from ..violations import Violation
from .parse import MAX_NESTING, Directive, Heading, Image, Text, TooDeep, parse
from .shapes import SHAPES

# Ten times the longest page: MyST's parser takes time that grows faster than
# the text for some runs of one character ("[[[["), so the size is bounded
# before any other rule (or Sphinx) reads a page.
MAX_PAGE_BYTES = 100_000
MAX_CITE_KEYS = 30
#: Citations on one page, and rows in one table: past these, the build would
#: spend its time on one page that no reader could use (issue 20).
MAX_CITATIONS = 400
MAX_TABLE_ROWS = 300
# [text][label] that MyST left as text: the label is defined nowhere.
_REFERENCE_LINK = re.compile(r"\[[^\[\]\n]{1,300}\]\[[^\[\]\n]{0,100}\]")
_RST_IMAGE = re.compile(r"^([ \t]*)\.\.[ \t]+(?:image|figure)[ \t]*::", re.M)


def check_limits(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *limits*: size, nesting and citation limits, with a clear message.

    >>> page = "# T\\n\\n" + "".join("`" * (40 - i) + "{note}\\n" for i in range(20))
    >>> [v.rule for v in check_limits(page)][:1]
    [<Rule.LIMITS: 'limits'>]
    >>> keys = ",".join(f"k{i}" for i in range(2000))
    >>> print(check_limits("# T\\n\\n{cite:p}`" + keys + "`\\n")[0].message[:61])
    this citation cites 2000 keys (at most 30). Cite the few that
    """
    if len(text.encode("utf-8", "replace")) > MAX_PAGE_BYTES:
        return [Violation(path, 1, Rule.LIMITS,
                          f"the page is larger than {MAX_PAGE_BYTES} bytes. Split it "
                          "into several pages.")]  # fmt: skip
    problems = []
    rows, first = 0, 0
    for number, line in enumerate(text.splitlines(), 1):
        rows, first = (
            (rows + 1, first or number) if line.lstrip().startswith("|") else (0, 0)
        )
        if rows > MAX_TABLE_ROWS:
            problems.append(Violation(path, first, Rule.LIMITS,
                            f"this table has more than {MAX_TABLE_ROWS} rows. "
                            "Split it, or say what it shows in fewer rows."))  # fmt: skip
            break
    cited = 0
    for item in parse(text):
        cited += bool(cited_keys(item))
        if cited > MAX_CITATIONS:
            problems.append(Violation(path, item.line, Rule.LIMITS,
                            f"the page has more than {MAX_CITATIONS} citations. "
                            "Split it into several pages."))  # fmt: skip
            break
        if isinstance(item, TooDeep):
            problems.append(Violation(path, item.line, Rule.LIMITS,
                            f"directives nest more than {MAX_NESTING} deep here. "
                            "Flatten the page: a directive inside a directive "
                            "inside a directive does not help readers."))  # fmt: skip
            break
        if len(keys := cited_keys(item)) > MAX_CITE_KEYS:
            problems.append(Violation(path, item.line, Rule.LIMITS,
                            f"this citation cites {len(keys)} keys (at most "
                            f"{MAX_CITE_KEYS}). Cite the few that support the "
                            "sentence."))  # fmt: skip
    return problems


def check_structure(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *page-structure*: titles, reference links and alt text readers can use.

    >>> check_structure("# Title\\n\\nSee [the record][pubmed].\\n\\n[pubmed]: https://doi.org/10.1/x\\n")
    []
    >>> [v.line for v in check_structure("# \\u200b\\n\\nSee [the record][nowhere].\\n")]
    [1, 3]
    """
    problems = []

    def refuse(line: int, message: str) -> None:
        problems.append(Violation(path, line, Rule.PAGE_STRUCTURE, message))

    for item in parse(text):
        if isinstance(item, Heading) and not visible_text(item.text):
            refuse(item.line, "this heading has no readable text. Write the title.")
        elif isinstance(item, Text) and (match := _REFERENCE_LINK.search(item.text)):
            refuse(item.line, f"{match[0]!r} shows as literal text: its link "
                   "label is defined nowhere. Write the link inline: [text](https://...).")  # fmt: skip
        elif isinstance(item, Image) and item.alt and not visible_text(item.alt):
            refuse(item.line, "the image's alt text is only invisible characters. "
                   "Say in words what the image shows.")  # fmt: skip
        elif isinstance(item, Directive) and item.name in ("image", "figure"):
            alt = str(item.options.get("alt", ""))
            if alt and not visible_text(alt):
                refuse(item.line, "the image's :alt: is only invisible characters. "
                       "Say in words what the image shows.")  # fmt: skip
        elif isinstance(item, Directive) and item.name == "eval-rst":
            problems += _rst_images(item.raw, item.line + 1, path)
    return problems


def _rst_images(body: str, first: int, path: str) -> list[Violation]:
    lines = body.splitlines()
    problems = []
    for match in _RST_IMAGE.finditer(body):
        start = body.count("\n", 0, match.start())
        indent = len(match[1])
        options = []
        for line in lines[start + 1 :]:
            if line.strip() and len(line) - len(line.lstrip()) <= indent:
                break
            options.append(line.strip())
        alt = next((o[5:] for o in options if o.startswith(":alt:")), "")
        if not visible_text(alt):
            problems.append(Violation(path, first + start, Rule.PAGE_STRUCTURE,
                            "this image has no alt text (readers would get its "
                            "file name). Add an option line below it: "
                            ":alt: what the image shows"))  # fmt: skip
    return problems


def check_directives(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *directive*: MyST reads every directive as written.

    >>> print(check_directives("# T\\n\\n```{disclaimer}\\n:start-line: 99\\n```\\n")[0])
    docs/example.md:3: [directive] MyST cannot read this {disclaimer} as \
written (Has content, but none permitted), so the build refuses it. It takes \
no argument, no option and no body.
    """
    problems = []
    for item in parse(text):
        if not isinstance(item, Directive):
            continue
        for line, why in item.problems:
            problems.append(Violation(path, line, Rule.DIRECTIVE,
                            f"MyST cannot read this {{{item.name}}} as written "
                            f"({why}), so the build refuses it. {_takes(item.name)}"))  # fmt: skip
    return problems


def _takes(name: str) -> str:
    """What a directive takes, for the message."""
    if (shape := SHAPES.get(name)) is None:
        return "Write its options as `:key: value` lines just below its first line."
    options = ", ".join(shape.option_spec or ())
    return (
        f"It takes {'an' if shape.optional_arguments else 'no'} argument, "
        f"{f'the options {options}' if options else 'no option'} "
        f"and {'a' if shape.has_content else 'no'} body."
    )
