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
3. **description**: the page's front matter gives a one-sentence summary, used
   as its meta description and OpenGraph description.
4. **citation-placeholder**: the page no longer cites the new-page scaffold's
   placeholder key, :data:`CITATION_PLACEHOLDER`.
5. **raw-html** and **unsafe-html**: no raw HTML but comments, no ``{raw}``;
   nothing that runs code or embeds another site, anywhere.
6. **external-link**: https only, and no domain on :data:`DENIED_DOMAINS`.
7. **image-alt**: every image has alt text.
8. **headings**: one H1 first, and no skipped level.
9. **encoding** (every text file under docs/): UTF-8, without a BOM.
10. **claim-unmarked**: every citation stands inside a claim or a record note.

The bibliography rules (for ``docs/refs.bib``)
----------------------------------------------
The file parses; no key is defined twice; every entry has an author, a title,
a year and a venue; every DOI is a bare, well-formed DOI; every cited key
exists; every entry is cited somewhere.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
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

    def annotation(self) -> str:
        """The violation as a GitHub Actions error annotation, shown on the diff line.

        >>> print(Violation("docs/a.md", 3, "disclaimer", "Fix: this,\\nthat.").annotation())
        ::error file=docs/a.md,line=3,title=disclaimer::Fix: this,%0Athat.
        """
        return (
            f"::error file={_annotation_value(_repo_relative(self.path))},"
            f"line={self.line},title={_annotation_value(self.rule)}::"
            f"{_annotation_data(self.message)}"
        )


# -- Reading a page with the MyST parser ---------------------------------------


@cache
def _parser():  # -> MarkdownIt
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # Colon fences (:::{note}) are read as directives even where conf.py leaves
    # them off: a check that sees a directive Sphinx would not is only stricter.
    return create_md_parser(
        MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML
    )


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
    """A piece of live markup, with its 1-based line. By ``kind``:

    * ``role``: ``name`` is the role, ``content`` its text;
    * ``directive``: ``name`` is the directive, ``content`` its argument,
      ``body`` its options and body;
    * ``html``: ``name`` is "block" or "inline", ``content`` the raw HTML;
    * ``link``: ``content`` is the URL;
    * ``image``: ``content`` is the image's URL, ``body`` its alt text;
    * ``heading``: ``name`` is "h1" to "h6", ``content`` the heading's text;
    * ``text``: ``content`` is plain text, as readers see it.

    ``depth`` is 0 at the page's top level and grows inside directive bodies.
    """

    kind: str
    name: str
    content: str
    line: int
    body: str = ""
    depth: int = 0


def _items(text: str, offset: int = 0, depth: int = 0) -> Iterator[Item]:
    """Yield every piece of live markup of a MyST text, nested ones too."""
    tokens = _parser().parse(text)
    for index, token in enumerate(tokens):
        start = offset + (token.map[0] if token.map else 0)
        if token.type in ("fence", "colon_fence") and (found := _directive(token)):
            name, argument = found
            yield Item("directive", name, argument, start + 1, token.content, depth)
            if name not in LITERAL_DIRECTIVES:
                body, cut = _directive_body(token.content)
                yield from _items(body, start + 1 + cut, depth + 1)
        elif token.type == "html_block":
            yield Item("html", "block", token.content, start + 1, depth=depth)
        elif token.type == "heading_open":
            title = tokens[index + 1].content if index + 1 < len(tokens) else ""
            yield Item("heading", token.tag, title, start + 1, depth=depth)
        elif token.type == "inline":
            yield from _inline_items(token, start + 1, depth)


def _inline_items(token: Token, line: int, depth: int) -> Iterator[Item]:
    """The roles, links, images, inline HTML and text of one inline token."""
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "myst_role":
            yield Item("role", child.meta["name"], child.content, line, depth=depth)
        elif child.type == "html_inline":
            yield Item("html", "inline", child.content, line, depth=depth)
        elif child.type == "link_open":
            yield Item("link", "", str(child.attrs.get("href", "")), line, depth=depth)
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            yield Item("image", "", src, line, child.content, depth)
        elif child.type == "text":
            yield Item("text", "", child.content, line, depth=depth)
        if child.type == "html_inline":  # a tag may span lines
            line += child.content.count("\n")


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


# -- Safe pages: raw HTML, links, images, headings -----------------------------
#
# A page goes into the hosted site as it is written, so a pull request must not
# be able to put script, another site or a vendor link into it. The rule for
# raw HTML is simple: none at all, except comments; every {raw} directive is
# refused. The specific messages below only say *why* a piece is dangerous.

#: What no page may contain, live or inside a comment or a {raw} directive:
#: each pattern, and what it would do to readers.
UNSAFE_MARKUP: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<\s*script\b", re.I), "a <script> element runs code in every reader's browser"),
    (re.compile(r"<\s*iframe\b", re.I), "an <iframe> element puts another site inside the page"),
    (re.compile(r"<\s*object\b", re.I), "an <object> element embeds a plugin or another document"),
    (re.compile(r"<\s*embed\b", re.I), "an <embed> element embeds a plugin or another document"),
    (re.compile(r"<\s*style\b", re.I), "a <style> element restyles the whole site (styles belong in docs/_static/brief.css)"),
    (re.compile(r"<[^>]*[\s/\"']on[a-z]+\s*=", re.I), "an event-handler attribute (on...=) runs code in every reader's browser"),
    (re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.I), "a javascript:, vbscript: or data: URL runs code or hides content"),
)  # fmt: skip
#: URL schemes that run code or smuggle content: refused in any link or image.
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# A Markdown link the parser refused to make (it shows as text): [x](javascript:…)
REFUSED_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.I)
# Directives whose body is passed through unchecked, in reStructuredText.
RST_RAW = re.compile(r"^\s*\.\.\s+(?:raw|role)\s*::|:raw-\w+:", re.I | re.M)
# A harmless HTML comment: no "--" inside, so no browser can end it early.
HTML_COMMENT = re.compile(r"\s*(?:<!--(?!>|->)(?:(?!--|<!-).)*-->\s*)+", re.S)

#: Domains an external link must not point at: the brief gives no sourcing or
#: vendor links. Each pattern (shell-style, matched against the link's host
#: and every parent domain of it) says why it is here.
DENIED_DOMAINS: dict[str, str] = {
    "*noopept*": "a site named for the compound sells it; cite the research instead",
    "*nootropic*": "nootropics shops and their affiliate sites",
    "*supplement*": "supplement shops",
    "*pharmacy*": "online pharmacies",
    "*peptide*": "research-peptide vendors",
    "*.shop": "the shop top-level domain",
    "*.store": "the store top-level domain",
    "amazon.*": "a marketplace",
    "ebay.*": "a marketplace",
    "aliexpress.*": "a marketplace",
    "alibaba.*": "a marketplace",
    "iherb.com": "a supplement retailer",
    "myshopify.com": "online shops hosted by Shopify",
}


def _unsafe(text: str) -> str | None:
    """Why ``text`` is dangerous in a page, or None."""
    return next((why for pattern, why in UNSAFE_MARKUP if pattern.search(text)), None)


def _unsafe_violation(path: str, line: int, why: str) -> Violation:
    return Violation(
        path,
        line,
        "unsafe-html",
        f"{why}, so no page may contain it: not in the text, not in a "
        "comment, not inside a {raw} or any other directive. Remove it; write "
        "the content in MyST Markdown, and link only to https pages.",
    )


def check_raw_html(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rules *raw-html* and *unsafe-html*: no raw HTML, and nothing that runs code.

    A page may hold HTML comments, and nothing else written in raw HTML:

    >>> check_raw_html("# Title\\n\\n<!-- a note for editors -->\\n")
    []
    >>> print(check_raw_html("# Title\\n\\n<div class='box'>Text</div>\\n")[0])
    docs/example.md:3: [raw-html] raw HTML is not allowed in pages: it would \
go into the hosted site unchecked. Write it in MyST Markdown instead (an \
admonition or a role; styling goes in docs/_static/brief.css); for a note to \
editors, start the line with %.

    Every ``{raw}`` directive is refused:

    >>> print(check_raw_html("# Title\\n\\n```{raw} html\\n<b>x</b>\\n```\\n")[0])
    docs/example.md:3: [raw-html] the {raw} directive is not allowed: its \
content goes into the site or the PDF unchecked. Write the content in MyST \
Markdown instead.

    Script, frames, plugins, styles, event handlers and javascript: or data:
    URLs get a message that says why, wherever they are, even in a comment
    or a ``{raw}`` directive nested in another directive:

    >>> page = "# T\\n\\n````{note}\\n```{raw} html\\n<script>alert(1)</script>\\n```\\n````\\n"
    >>> print(check_raw_html(page)[0])
    docs/example.md:4: [unsafe-html] a <script> element runs code in every \
reader's browser, so no page may contain it: not in the text, not in a \
comment, not inside a {raw} or any other directive. Remove it; write the \
content in MyST Markdown, and link only to https pages.
    >>> [v.line for v in check_raw_html("# T\\n\\nSee [x](javascript:alert(1)).\\n")]
    [3]
    """
    problems = []
    for item in _items(text):
        where = item.content + "\n" + item.body
        if item.kind == "html":
            if why := _unsafe(item.content):
                problems.append(_unsafe_violation(path, item.line, why))
            elif not HTML_COMMENT.fullmatch(item.content):
                problems.append(
                    Violation(
                        path,
                        item.line,
                        "raw-html",
                        "raw HTML is not allowed in pages: it would go into the "
                        "hosted site unchecked. Write it in MyST Markdown instead "
                        "(an admonition or a role; styling goes in "
                        "docs/_static/brief.css); for a note to editors, start "
                        "the line with %.",
                    )
                )
        elif item.kind == "directive" and item.name in ("raw", "eval-rst"):
            if why := _unsafe(where):
                problems.append(_unsafe_violation(path, item.line, why))
            elif item.name == "raw" or RST_RAW.search(item.body):
                problems.append(
                    Violation(
                        path,
                        item.line,
                        "raw-html",
                        f"the {{{item.name}}} directive is not allowed"
                        + (" to hold raw markup" if item.name == "eval-rst" else "")
                        + ": its content goes into the site or the PDF unchecked. "
                        "Write the content in MyST Markdown instead.",
                    )
                )
        elif item.kind == "directive" and item.name not in LITERAL_DIRECTIVES:
            options, _ = _directive_options(item.body)
            if why := _unsafe(item.content + "\n" + options):
                problems.append(_unsafe_violation(path, item.line, why))
        elif item.kind == "text" and REFUSED_LINK.search(item.content):
            problems.append(_unsafe_violation(path, item.line, _unsafe(where) or ""))
    # One message per line: <b>…</b> is two HTML tokens, and the danger says most.
    unsafe_lines = {v.line for v in problems if v.rule == "unsafe-html"}
    kept = [
        v for v in problems if v.rule == "unsafe-html" or v.line not in unsafe_lines
    ]
    return list(dict.fromkeys(kept))


def _directive_options(content: str) -> tuple[str, int]:
    """A directive's options block (the part :func:`_directive_body` cuts)."""
    body, cut = _directive_body(content)
    return content[: len(content) - len(body)], cut


def _url_items(text: str) -> Iterator[tuple[str, int]]:
    """Every URL a page links to or shows: links, images, image directives."""
    for item in _items(text):
        if item.kind in ("link", "image"):
            yield item.content, item.line
        elif item.kind == "directive" and item.name in ("image", "figure"):
            yield item.content, item.line
            options, _ = _directive_options(item.body)
            if found := re.search(r"^:target:\s*(\S+)", options, re.M):
                yield found[1], item.line


def denied_domain(host: str) -> tuple[str, str] | None:
    """The deny-list entry ``(pattern, reason)`` a host matches, or None.

    >>> denied_domain("www.amazon.co.uk")
    ('amazon.*', 'a marketplace')
    >>> denied_domain("pubmed.ncbi.nlm.nih.gov") is None
    True
    """
    from fnmatch import fnmatchcase

    parts = host.lower().rstrip(".").split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts))]
    for pattern, reason in DENIED_DOMAINS.items():
        if any(fnmatchcase(name, pattern) for name in candidates):
            return pattern, reason
    return None


def check_links(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *external-link*: links leave the site over https, and never to a shop.

    Links inside the site, and https links, pass:

    >>> check_links("See [the record](https://pubmed.ncbi.nlm.nih.gov/19240853/).\\n")
    []

    A plain-http link fails, and so does a link to a shop or vendor:

    >>> print(check_links("See [it](http://example.org/).\\n")[0])
    docs/example.md:1: [external-link] the link http://example.org/ is not \
https. Write it as https://example.org/ (check that it loads), or remove it.
    >>> print(check_links("Buy [here](https://www.amazon.com/x).\\n")[0])
    docs/example.md:1: [external-link] the link https://www.amazon.com/x \
points at www.amazon.com, which matches 'amazon.*' on the deny list in \
docs/_ext/brief.py (a marketplace). The brief gives no sourcing or vendor \
links: remove the link, and cite the research record instead.
    """
    from urllib.parse import urlsplit

    problems = []
    for url, line in _url_items(text):
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if not scheme and not url.strip().startswith("//"):
            continue  # a page or file of this site
        if scheme in UNSAFE_SCHEMES:
            problems.append(_unsafe_violation(path, line, _unsafe(url + ":") or ""))
            continue
        if scheme != "https":
            fix = (
                f"Write it as https://{url.split('://', 1)[-1]} (check that it "
                "loads), or remove it."
                if scheme in ("http", "")
                else "Only https links are allowed: link to an https page instead."
            )
            message = f"the link {url} is not https. {fix}"
            problems.append(Violation(path, line, "external-link", message))
        elif denied := denied_domain(parts.hostname or ""):
            problems.append(
                Violation(
                    path,
                    line,
                    "external-link",
                    f"the link {url} points at {parts.hostname}, which matches "
                    f"{denied[0]!r} on the deny list in docs/_ext/brief.py "
                    f"({denied[1]}). The brief gives no sourcing or vendor links: "
                    "remove the link, and cite the research record instead.",
                )
            )
    return problems


def check_images(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *image-alt*: every image says in words what it shows.

    >>> check_images("![A bar chart of the two studies](chart.png)\\n")
    []
    >>> print(check_images("![](chart.png)\\n")[0])
    docs/example.md:1: [image-alt] the image chart.png has no alt text, so \
readers who cannot see it get nothing. Say what it shows between the brackets: \
![what the image shows](chart.png)
    >>> print(check_images("```{figure} chart.png\\nA caption.\\n```\\n")[0])
    docs/example.md:1: [image-alt] the image chart.png has no alt text, so \
readers who cannot see it get nothing. Add an option line just below the \
directive's first line: :alt: what the image shows
    """
    problems = []
    for item in _items(text):
        if item.kind == "image" and not item.body.strip():
            fix = f"Say what it shows between the brackets: ![what the image shows]({item.content})"
        elif item.kind == "directive" and item.name in ("image", "figure"):
            options, _ = _directive_options(item.body)
            if re.search(r"^:alt:\s*\S", options, re.M):
                continue
            fix = "Add an option line just below the directive's first line: :alt: what the image shows"
        else:
            continue
        problems.append(
            Violation(
                path,
                item.line,
                "image-alt",
                f"the image {item.content} has no alt text, so readers who cannot "
                f"see it get nothing. {fix}",
            )
        )
    return problems


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


#: Files under docs/ read as text, and so checked for their encoding.
TEXT_SUFFIXES = frozenset({".md", ".bib", ".py", ".css", ".txt", ".html", ".js"})


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


def text_files(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Every text file the site is built from, snippets and extension included."""
    return sorted(
        p
        for p in docs_dir.rglob("*")
        if p.is_file()
        and p.suffix in TEXT_SUFFIXES
        and "__pycache__" not in p.relative_to(docs_dir).parts
    )


#: The rules that judge what a page *shows*; they also apply to included files.
CONTENT_RULES = (check_raw_html, check_links, check_images)


PAGE_RULES = (check_disclaimer, check_limitations_ref, *CONTENT_RULES, check_headings)


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


# -- Claims --------------------------------------------------------------------
#
# Every substantive statement in the section pages is wrapped in a ``{claim}``
# directive. Its body is ordinary MyST prose, citations included; its argument
# is the short text the evidence map shows; its options say what the statement
# rests on and whether the record bears it out:
#
#     ```{claim} Genotype changes memory outcomes in mice
#     :evidence: rodent-in-vivo
#     :status: differs
#     :note: The record is from 2007, not 2009, and tested a single dose.
#
#     Memory outcomes varied with genotype {cite:p}`belnik2007`.
#     ```
#
# The claim's sources are the keys its prose cites, plus any listed in
# ``:sources:`` (records the note relies on that the prose does not cite).

#: The evidence bases a claim may rest on: option value -> what readers see.
EVIDENCE = {
    "rodent-in-vivo": "Rodent in vivo",
    "ex-vivo-tissue": "Ex vivo tissue",
    "in-vitro-cells": "In vitro cells",
    "invertebrate-neurons": "Invertebrate neurons",
    "human": "Human studies",
    "community-reports": "Community reports (non-research)",
    "background": "Background",
}
#: What each evidence basis covers (the map's key, and the README's).
EVIDENCE_MEANING = {
    "rodent-in-vivo": "behavior or pharmacokinetics in living rats or mice",
    "ex-vivo-tissue": "brain tissue taken from treated animals and analyzed",
    "in-vitro-cells": "cultured cells, including cell models of disease",
    "invertebrate-neurons": "neurons of invertebrates, such as the common snail",
    "human": "studies in people (the brief knows of none)",
    "community-reports": "online discussion and commentary: context, not research",
    "background": "general biology or chemistry, the state of the literature, "
    "or regulation: not a Noopept finding",
}
#: How a claim stands against the bibliographic record: value -> label.
STATUS = {
    "confirmed": "Confirmed",
    "differs": "Differs from the record",
    "unconfirmed": "Unconfirmed",
    "contradicted": "Contradicted by the records",
}
#: How the map's summary counts each status ("3 differ from the record").
STATUS_COUNTED = {
    "confirmed": "confirmed",
    "differs": "differ from the record",
    "unconfirmed": "unconfirmed",
    "contradicted": "contradicted by the records",
}
#: The claim options (besides the short text, the directive's argument).
CLAIM_OPTIONS = ("evidence", "status", "note", "sources")


@dataclass(frozen=True)
class Claim:
    """One marked statement, as a page's source gives it."""

    short: str
    evidence: str
    status: str
    note: str
    sources: tuple[str, ...]  # the keys the body cites, then :sources:
    line: int  # the line of the claim's opening fence


def _split_keys(value: str) -> list[str]:
    return [key.strip() for key in re.split(r"[,\s]+", value) if key.strip()]


def make_claim(short: str, options: dict[str, str], body: str, line: int = 1) -> Claim:
    """Build a claim from its argument, options and body text.

    >>> claim = make_claim(
    ...     "Short", {"status": "confirmed", "sources": "b2002"},
    ...     "As {cite:p}`a2001,b2002` showed.",
    ... )
    >>> claim.sources
    ('a2001', 'b2002')
    """
    keys = [key for key, _ in citations(body)]
    keys += _split_keys(options.get("sources", ""))
    return Claim(
        short=" ".join(short.split()),
        evidence=options.get("evidence", "").strip(),
        status=options.get("status", "").strip(),
        note=" ".join(options.get("note", "").split()),
        sources=tuple(dict.fromkeys(keys)),
        line=line,
    )


def _options(text: str) -> dict[str, str]:
    """A directive's options, as ``:key: value`` lines or a ``---`` YAML block.

    >>> _options(":status: differs\\n:note: Dated 2007: not 2009.\\n")
    {'status': 'differs', 'note': 'Dated 2007: not 2009.'}
    >>> _options("---\\nstatus: differs\\n---\\n")
    {'status': 'differs'}
    """
    found = {}
    for line in text.splitlines():
        if match := re.match(r"^:?([\w-]+):\s*(.*)$", line):
            found[match[1]] = match[2].strip()
    return found


def claims(text: str, offset: int = 0) -> list[Claim]:
    """Every ``{claim}`` on a page, nested ones too, with its line.

    >>> page = "Intro.\\n\\n```{claim} A short text\\n:evidence: human\\n\\nBody.\\n```\\n"
    >>> [(c.short, c.evidence, c.line) for c in claims(page)]
    [('A short text', 'human', 3)]
    """
    found = []
    for token in _parser().parse(text):
        if token.type != "fence" or not (directive := _directive(token)):
            continue
        name, argument = directive
        start = offset + (token.map[0] if token.map else 0)
        body, cut = _directive_body(token.content)
        if name == "claim":
            options = _options(token.content[: len(token.content) - len(body)])
            found.append(make_claim(argument, options, body, start + 1))
        if name not in LITERAL_DIRECTIVES:
            found += claims(body, start + 1 + cut)
    return found


def check_claim(
    claim: Claim, known_keys: Iterable[str], path: str = "docs/example.md"
) -> list[Violation]:
    """Check one claim: its short text, evidence, status, note and sources.

    ``known_keys`` are the keys of ``docs/refs.bib`` (compared ignoring case,
    as BibTeX does).

    >>> good = Claim("Short", "rodent-in-vivo", "confirmed", "", ("a2001",), 3)
    >>> check_claim(good, ["a2001"])
    []

    A status other than confirmed needs a note saying what the record shows:

    >>> for v in check_claim(Claim("Short", "background", "differs", "", ("a2001",), 3), ["a2001"]):
    ...     print(v)
    docs/example.md:3: [claim-note] this claim's status is 'differs' but it \
has no note. Add one line under the claim's options saying what the record \
shows, for example:
    :note: The record is from 2007, not 2009.

    A claim with no source cannot be confirmed:

    >>> for v in check_claim(Claim("Short", "background", "confirmed", "", (), 3), []):
    ...     print(v)
    docs/example.md:3: [claim-unsourced] this claim cites no source, so it \
cannot be confirmed. Cite the record in the claim's text, or set \
':status: unconfirmed' with a ':note:' that says why no record backs it.
    """
    problems = []

    def problem(rule: str, message: str) -> None:
        problems.append(Violation(path, claim.line, rule, message))

    if not claim.short:
        problem(
            "claim-short",
            "this claim has no short text for the evidence map. Write a few "
            "words after the directive's name, for example:\n"
            "```{claim} Genotype changes memory outcomes in mice",
        )
    if claim.evidence not in EVIDENCE:
        problem(
            "claim-evidence",
            f"this claim's evidence {claim.evidence or '(none)'!r} is not one "
            "of the known evidence bases. Set ':evidence:' to one of: "
            f"{', '.join(EVIDENCE)}.",
        )
    if claim.status not in STATUS:
        problem(
            "claim-status",
            f"this claim's status {claim.status or '(none)'!r} is not one of "
            f"the known statuses. Set ':status:' to one of: {', '.join(STATUS)}.",
        )
    elif claim.status != "confirmed" and not claim.note:
        problem(
            "claim-note",
            f"this claim's status is {claim.status!r} but it has no note. Add "
            "one line under the claim's options saying what the record shows, "
            "for example:\n:note: The record is from 2007, not 2009.",
        )
    known = {key.lower() for key in known_keys}
    for key in claim.sources:
        if key.lower() not in known:
            problem(
                "claim-source",
                f"this claim's source {key!r} is not in docs/refs.bib. Fix the "
                "key, or add the entry to docs/refs.bib with fields from a "
                "verified record.",
            )
    if not claim.sources and claim.status == "confirmed":
        problem(
            "claim-unsourced",
            "this claim cites no source, so it cannot be confirmed. Cite the "
            "record in the claim's text, or set ':status: unconfirmed' with a "
            "':note:' that says why no record backs it.",
        )
    return problems


def bib_keys(bib_text: str) -> frozenset[str]:
    """The keys a BibTeX file defines, lower-cased.

    >>> sorted(bib_keys("@article{Smith2001,\\n title={T}}\\n@comment{x,}\\n"))
    ['smith2001']
    """
    return frozenset(_entry_lines(bib_text))


def check_claims(
    text: str, known_keys: Iterable[str], path: str = "docs/example.md"
) -> list[Violation]:
    """Check every claim on a page (see :func:`check_claim`)."""
    known = list(known_keys)
    return [v for claim in claims(text) for v in check_claim(claim, known, path)]


#: Directives in which a citation needs no claim around it: the record notes
#: say what a record shows, and a claim already carries its own citations.
CLAIM_FREE_DIRECTIVES = frozenset({"claim", "admonition"})


def _covered_lines(text: str, offset: int = 0) -> set[int]:
    """Lines inside a claim or a record note, nested ones too."""
    lines: set[int] = set()
    for token in _parser().parse(text):
        if token.type != "fence" or not (directive := _directive(token)):
            continue
        start = offset + (token.map[0] if token.map else 0)
        end = offset + (token.map[1] if token.map else 0)
        if directive[0] in CLAIM_FREE_DIRECTIVES:
            lines.update(range(start + 1, end + 1))
        elif directive[0] not in LITERAL_DIRECTIVES:
            body, cut = _directive_body(token.content)
            lines |= _covered_lines(body, start + 1 + cut)
    return lines


def check_claim_coverage(text: str, path: str = "docs/example.md") -> list[Violation]:
    """Rule *claim-unmarked*: every citation stands inside a claim.

    A cited statement is a finding, so the reader must see its evidence and
    status. Citations inside a record note (an ``admonition``) are exempt.

    >>> check_claim_coverage("```{claim} S\\n:evidence: human\\n\\nX {cite:p}`a2001`.\\n```\\n")
    []
    >>> print(check_claim_coverage("Intro.\\n\\nX {cite:p}`a2001`.\\n")[0])
    docs/example.md:3: [claim-unmarked] 'a2001' is cited outside any claim. \
Wrap the statement in a claim (see "How claims are marked" in the README):
    ```{claim} A few words for the evidence map
    :evidence: rodent-in-vivo
    :status: confirmed
    <BLANKLINE>
    The statement, with its citation.
    ```
    """
    covered = _covered_lines(text)
    first_key = {line: key for key, line in reversed(citations(text))}
    return [
        Violation(
            path,
            line,
            "claim-unmarked",
            f"{key!r} is cited outside any claim. Wrap the statement in a claim "
            '(see "How claims are marked" in the README):\n' + CLAIM_EXAMPLE,
        )
        for line, key in sorted(first_key.items())
        if line not in covered
    ]


# Every page is held to the claim coverage rule, in the tests and in Sphinx.
PAGE_RULES = (*PAGE_RULES, check_claim_coverage)

#: The markup to paste around a statement.
CLAIM_EXAMPLE = (
    "```{claim} A few words for the evidence map\n:evidence: rodent-in-vivo\n"
    ":status: confirmed\n\nThe statement, with its citation.\n```"
)


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


# -- Reproducible builds -------------------------------------------------------


def source_date_epoch(docs_dir: Path = DOCS_DIR) -> str:
    """The build's date, for ``SOURCE_DATE_EPOCH``: the last commit's time.

    Without git (a source archive, or git refusing the folder), the newest
    source file's time instead: an archive keeps its files' times, so two
    builds of one archive still agree.

    >>> source_date_epoch().isdigit()
    True
    """
    import subprocess

    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=docs_dir, capture_output=True, text=True, check=True, timeout=60,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        out = ""
    if out.isdigit():
        return out
    return str(max((int(p.stat().st_mtime) for p in text_files(docs_dir)), default=0))


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


# -- Claims and the evidence map, in Sphinx ------------------------------------
#
# The {claim} directive checks each claim as it is read (warnings at the
# claim's line) and leaves a container carrying the claim's fields. When the
# pages are read, every claim is recorded in the build environment (merged
# across parallel readers, purged with its page). At write time a
# post-transform adds each claim's badge and fills the {evidence-map}
# directive's placeholder from the records, so the map is always current even
# when only another page was re-read: env-get-updated sends it to be written
# again whenever the claims change.

#: The classes readers' stylesheets and the PDF macros key on.
CLAIM_CLASS = "claim"
MAP_CLASS = "evidence-map"
SR_ONLY = "brief-sr-only"  # text for screen readers, hidden on screen and paper
#: The map's column widths, in percent: claim, where, evidence, sources, status.
MAP_WIDTHS = (27, 19, 15, 15, 24)

#: LaTeX before the map's table: small type, and every cell's paragraphs
#: ragged-right (justified text leaves holes in columns this narrow).
MAP_LATEX_START = (
    r"\begingroup\small"
    r"\def\sphinxAtStartPar{\raggedright\leavevmode\nobreak\hskip0pt\relax}"
)
#: LaTeX for the badge and the note: a small boxed label, no colour needed.
CLAIM_LATEX = r"""
% -- Claims (brief.py): the badge beside each claim, and the evidence map.
\expandafter\def\csname DUroleclaim-badge\endcsname#1{\,{\sffamily\scriptsize\fbox{#1}}}
\expandafter\def\csname DUroleclaim-evidence\endcsname#1{#1\enspace\textbar\enspace}
\expandafter\def\csname DUroleclaim-status\endcsname#1{\textbf{#1}}
\expandafter\def\csname DUroleclaim-note\endcsname#1{{\small\itshape #1}}
\expandafter\def\csname DUrolebrief-sr-only\endcsname#1{}
"""


def _claims_data(env) -> dict[str, list[dict]]:
    """The claims recorded so far, by page: {docname: [record, ...]}."""
    if not hasattr(env, "brief_claims"):
        env.brief_claims = {}
    return env.brief_claims


def _map_docs(env) -> set[str]:
    """The pages that hold an evidence map."""
    if not hasattr(env, "brief_map_docs"):
        env.brief_map_docs = set()
    return env.brief_map_docs


@cache
def _bib_keys_of(path: Path, mtime: float) -> frozenset[str]:
    return bib_keys(path.read_text(encoding="utf-8"))


def _bib_keys(env) -> frozenset[str]:
    keys: frozenset[str] = frozenset()
    for name in env.config.bibtex_bibfiles:
        path = Path(env.srcdir, name)
        keys |= _bib_keys_of(path, path.stat().st_mtime)
    return keys


def _make_directives():
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.util.docutils import SphinxDirective

    class ClaimDirective(SphinxDirective):
        """```{claim} short text``` with :evidence:, :status:, :note:, :sources:."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = dict.fromkeys(CLAIM_OPTIONS, directives.unchanged)

        def run(self) -> list[nodes.Node]:
            body = "\n".join(self.content)
            short = self.arguments[0] if self.arguments else ""
            claim = make_claim(short, self.options, body, self.lineno)
            docname = self.env.docname
            path = str(self.env.doc2path(docname))
            for violation in check_claim(claim, _bib_keys(self.env), path):
                _warn(violation, (docname, violation.line))
            if not claim.short:  # still list it, under its first words
                claim = dataclasses.replace(
                    claim, short=" ".join(" ".join(self.content).split()[:8]) + "…"
                )
            document = self.state.document
            anchor = base = f"claim-{nodes.make_id(claim.short)[:48].rstrip('-')}"
            number = 1
            while anchor in document.ids:
                number += 1
                anchor = f"{base}-{number}"
            target = nodes.target("", "", ids=[anchor])
            document.ids[anchor] = target
            container = nodes.container(classes=[CLAIM_CLASS])
            self.set_source_info(container)
            container["claim"] = {
                "docname": docname,  # the PDF resolves all pages as one
                "anchor": anchor,
                "short": claim.short,
                "evidence": claim.evidence,
                "status": claim.status,
                "note": claim.note,
                "sources": list(claim.sources),
                "line": claim.line,
            }
            container += self.parse_content_to_nodes()
            return [target, container]

    class EvidenceMapDirective(SphinxDirective):
        """```{evidence-map}```: the table of every claim, filled at write time."""

        def run(self) -> list[nodes.Node]:
            _map_docs(self.env).add(self.env.docname)
            placeholder = nodes.container(classes=[MAP_CLASS])
            placeholder["evidence_map"] = True
            self.set_source_info(placeholder)
            return [placeholder]

    return ClaimDirective, EvidenceMapDirective


def _collect_claims(app: Sphinx, doctree) -> None:
    """doctree-read: record this page's claims, with where each one stands."""
    from docutils import nodes

    docname = app.env.docname
    title = next(iter(doctree.findall(nodes.title)), None)
    page = title.astext() if title else docname
    records = []
    for node in doctree.findall(nodes.container):
        if "claim" not in node:
            continue
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        top = section is None or not isinstance(section.parent, nodes.section)
        records.append(
            {
                **node["claim"],
                "page": page,
                "section": "" if top else section[0].astext(),
                "section_id": "" if top else section["ids"][0],
            }
        )
    if records:
        _claims_data(app.env)[docname] = records
    else:
        _claims_data(app.env).pop(docname, None)


def _purge_claims(app: Sphinx, env, docname: str) -> None:
    _claims_data(env).pop(docname, None)
    _map_docs(env).discard(docname)


def _merge_claims(app: Sphinx, env, docnames: set[str], other) -> None:
    for docname in docnames:
        if docname in _claims_data(other):
            _claims_data(env)[docname] = _claims_data(other)[docname]
        if docname in _map_docs(other):
            _map_docs(env).add(docname)


def _maps_to_rewrite(app: Sphinx, env) -> list[str]:
    """env-get-updated: write the map pages again when any claim changed."""
    digest = repr(sorted(_claims_data(env).items()))
    if getattr(env, "brief_claims_digest", None) == digest:
        return []
    env.brief_claims_digest = digest
    return sorted(_map_docs(env))


def _doc_order(env) -> list[str]:
    """Pages in reading order (the toctrees from the root), then the rest."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order + sorted(set(env.found_docs) - set(order))


def ordered_claims(env) -> list[dict]:
    """Every recorded claim, in reading order."""
    data = _claims_data(env)
    return [
        record
        for docname in _doc_order(env)
        for record in sorted(data.get(docname, []), key=lambda r: r["line"])
    ]


def count_phrase(counts: dict[str, int], labels: dict[str, str]) -> str:
    """Counts as the map's summary reads them, zeros included.

    >>> count_phrase({"human": 0, "background": 2}, EVIDENCE)
    '0 human studies, 2 background'
    >>> count_phrase({"differs": 3}, STATUS_COUNTED)
    '3 differ from the record'
    """
    return ", ".join(
        f"{counts[key]} {labels[key][0].lower()}{labels[key][1:]}" for key in counts
    )


def _make_post_transform():
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util.nodes import make_refnode

    def text_inline(text: str, *classes: str) -> nodes.inline:
        return nodes.inline(text, text, classes=list(classes))

    def badge(record: dict) -> nodes.inline:
        """The claim's label: evidence and status, as words (not colour)."""
        node = nodes.inline(classes=["claim-badge", f"claim-{record['status']}"])
        node += text_inline("Evidence: ", SR_ONLY)
        node += text_inline(EVIDENCE.get(record["evidence"], "?"), "claim-evidence")
        node += text_inline(". Status: ", SR_ONLY)
        node += text_inline(STATUS.get(record["status"], "?"), "claim-status")
        return node

    def row_id(record: dict) -> str:
        return nodes.make_id(f"map-{record['docname']}-{record['anchor']}")

    class FillClaims(SphinxPostTransform):
        """Give each claim its badge, and fill the evidence map."""

        default_priority = 5  # before the cross-references (and citations) resolve

        def run(self, **kwargs) -> None:
            builder = self.env._app.builder
            docname = self.env.docname
            maps = sorted(_map_docs(self.env))
            for node in list(self.document.findall(nodes.container)):
                if "claim" in node:
                    self.badge(node, builder, docname, maps)
                elif node.get("evidence_map"):
                    node["classes"] = []  # replace_self hands them on otherwise
                    node.replace_self(self.evidence_map(builder, docname))

        def badge(self, node, builder, docname: str, maps: list[str]) -> None:
            record = node.attributes.pop("claim")
            node["classes"].append(f"claim-{record['status']}")
            label: nodes.Node = badge(record)
            if maps:
                label = make_refnode(
                    builder, docname, maps[0], row_id(record), label,
                    title="This claim in the evidence map",
                )  # fmt: skip
            paragraphs = list(node.findall(nodes.paragraph))
            if not paragraphs:
                paragraphs = [nodes.paragraph()]
                node += paragraphs[0]
            paragraphs[-1] += [nodes.Text(" "), label]
            if record["note"]:
                note = nodes.inline(classes=["claim-note"])
                note += text_inline("Note: ", SR_ONLY)
                note += nodes.Text(record["note"])
                paragraphs[-1] += [nodes.Text(" "), note]

        def evidence_map(self, builder, docname: str) -> list[nodes.Node]:
            records = ordered_claims(self.env)
            by_evidence = {key: 0 for key in EVIDENCE}
            by_status = {key: 0 for key in STATUS}
            for record in records:
                by_evidence[record["evidence"]] = (
                    by_evidence.get(record["evidence"], 0) + 1
                )
                by_status[record["status"]] = by_status.get(record["status"], 0) + 1
            pages = len({r["docname"] for r in records})
            summary = nodes.bullet_list(classes=["evidence-map-counts"])
            for title, text in (
                ("Claims", f"{len(records)} on {pages} pages"),
                ("By evidence basis", count_phrase(by_evidence, EVIDENCE)),
                ("By status", count_phrase(by_status, STATUS_COUNTED)),
            ):
                para = nodes.paragraph()
                para += nodes.strong(f"{title}:", f"{title}:")
                para += nodes.Text(f" {text}.")
                summary += nodes.list_item("", para)
            key = nodes.definition_list(classes=["evidence-map-key"])
            for name, label in EVIDENCE.items():
                key += nodes.definition_list_item(
                    "",
                    nodes.term(label, label),
                    nodes.definition("", nodes.paragraph(text=EVIDENCE_MEANING[name])),
                )
            return [
                summary,
                nodes.rubric("Evidence bases", "Evidence bases"),
                key,
                nodes.raw("", MAP_LATEX_START, format="latex"),
                addnodes.tabular_col_spec(
                    spec="".join(rf"\Y{{{width / 100:.2f}}}" for width in MAP_WIDTHS)
                ),
                self.table(records, builder, docname),
                nodes.raw("", r"\endgroup", format="latex"),  # MAP_LATEX_START's
            ]

        def table(self, records: list[dict], builder, docname: str) -> nodes.table:
            widths = MAP_WIDTHS
            table = nodes.table(classes=[MAP_CLASS, "longtable", "colwidths-given"])
            group = nodes.tgroup(cols=len(widths))
            table += group
            group += [nodes.colspec(colwidth=width) for width in widths]
            head = nodes.row()
            for title in ("Claim", "Where", "Evidence", "Sources", "Status"):
                head += nodes.entry("", nodes.paragraph(text=title))
            group += nodes.thead("", head)
            body = nodes.tbody()
            group += body
            for record in records:
                claim = nodes.paragraph()
                claim += nodes.target("", "", ids=[row_id(record)])
                claim += make_refnode(
                    builder, docname, record["docname"], record["anchor"],
                    nodes.Text(record["short"]),
                )  # fmt: skip
                where = nodes.paragraph()
                place = record["page"] + (
                    f" \u203a {record['section']}" if record["section"] else ""
                )
                where += make_refnode(
                    builder, docname, record["docname"], record["section_id"] or None,
                    nodes.Text(place),
                )  # fmt: skip
                sources = nodes.paragraph()
                if record["sources"]:
                    target = ",".join(record["sources"])
                    sources += addnodes.pending_xref(
                        target, nodes.inline(target, target), refdomain="cite",
                        reftype="p", reftarget=target, refdoc=docname,
                        refwarn=True,
                    )  # fmt: skip
                else:
                    sources += nodes.Text("None cited")
                status = nodes.paragraph()
                status += text_inline(
                    STATUS.get(record["status"], "?"),
                    "claim-status", f"claim-{record['status']}",
                )  # fmt: skip
                cells = [
                    claim,
                    where,
                    nodes.paragraph(text=EVIDENCE.get(record["evidence"], "?")),
                    sources,
                    status,
                ]
                if record["note"]:
                    cells.append(
                        nodes.paragraph(text=record["note"], classes=["claim-note"])
                    )
                row = nodes.row(classes=[f"claim-{record['status']}"])
                for cell in cells[:4]:
                    row += nodes.entry("", cell)
                row += nodes.entry("", *cells[4:])
                body += row
            return table

    return FillClaims


def _add_claim_latex(app: Sphinx, config) -> None:
    """config-inited: append the badge macros to the PDF's preamble."""
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + CLAIM_LATEX
    config.latex_elements = elements


def _setup_claims(app: Sphinx) -> None:
    claim, evidence_map = _make_directives()
    app.add_directive("claim", claim)
    app.add_directive("evidence-map", evidence_map)
    app.add_post_transform(_make_post_transform())
    app.connect("config-inited", _add_claim_latex)
    app.connect("doctree-read", _collect_claims)
    app.connect("env-purge-doc", _purge_claims)
    app.connect("env-merge-info", _merge_claims)
    app.connect("env-get-updated", _maps_to_rewrite)


# -- Correct incremental builds ------------------------------------------------
#
# Sphinx rewrites a page when its source changes, not when a refs.bib entry it
# cites changes: the References page (which depends on refs.bib) was updated,
# and every citing page kept the old year or title. And Sphinx saves its
# environment before it writes the pages, so a build stopped while writing
# left the unwritten pages stale for good. Two small hooks fix both.

#: Left in the output folder while a build runs; found there, it means the
#: last build was stopped, so this one reads and writes every page again.
BUILD_MARKER = ".brief-build-incomplete"


def _bib_fingerprints(env) -> dict[str, str]:
    """What each cited entry looks like to a citing page: label and fields.

    The label is included because it can change when *another* entry changes
    (two entries with one first author and year read "1996a" and "1996b").
    """
    import hashlib

    prints = {}
    for citation in env.get_domain("cite").citations:
        entry = citation.entry
        persons = sorted((r, [str(p) for p in ps]) for r, ps in entry.persons.items())
        shown = (citation.formatted_entry.label, sorted(entry.fields.items()), persons)
        prints[citation.key] = hashlib.sha256(repr(shown).encode()).hexdigest()
    return prints


def _rewrite_pages_citing_changed_entries(app: Sphinx, env) -> list[str]:
    """Return (to be written again) the pages citing an entry that changed."""
    now = _bib_fingerprints(env)
    before: dict[str, str] | None = getattr(env, "brief_bib_fingerprints", None)
    env.brief_bib_fingerprints = now
    if before is None:  # a fresh environment: every page is written anyway
        return []
    changed = {
        key for key in now.keys() | before.keys() if now.get(key) != before.get(key)
    }
    if not changed:
        return []
    citing = {
        ref.docname
        for ref in env.get_domain("cite").citation_refs
        if any(target.key in changed for target in ref.targets)
    }
    # The evidence map shows every claim's sources as citations, made after
    # reading, so Sphinx does not know the map cites them.
    return sorted(citing | _map_docs(env))


def _complete_the_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Give sphinx-sitemap every page, not only those this build wrote.

    sphinx-sitemap collects links as pages are written, so an incremental build
    left a sitemap listing only the rewritten pages. This runs just before it
    writes the file, adds the pages it missed, and sorts the list so that the
    sitemap is the same however the pages were written.
    """
    import queue

    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None:
        return
    from sphinx_sitemap import add_html_link

    found = []
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            break
    suffix = app.config.html_file_suffix or ".html"
    listed = {link for link, _ in found}
    for docname in sorted(app.env.found_docs - {d[: -len(suffix)] for d in listed}):
        add_html_link(app, docname, None, None, None)
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            break
    for link in sorted(found, key=lambda item: item[0]):
        links.put(link)


def _mark_build_started(app: Sphinx) -> None:
    marker = Path(app.outdir, BUILD_MARKER)
    app.env.brief_read_all = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _reread_after_interruption(app: Sphinx, env, added, changed, removed) -> list[str]:
    if getattr(env, "brief_read_all", False):
        env.brief_read_all = False
        return sorted(env.found_docs)
    return []


def _mark_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        Path(app.outdir, BUILD_MARKER).unlink(missing_ok=True)


# -- The browser tests' system prerequisite -----------------------------------

#: The Debian package of the browser the browser tests drive.
BROWSER_PACKAGES = "chromium"
#: Every system package (the README's one apt-get line): the PDF's, then the browser.
SYSTEM_PACKAGES = f"{TEX_PACKAGES} {BROWSER_PACKAGES}"
#: Debian's Chromium; Playwright's own browser download is not used. Elsewhere
#: (GitHub's Ubuntu runners ship Google Chrome) BRIEF_CHROMIUM names the browser.
CHROMIUM = os.environ.get("BRIEF_CHROMIUM", "/usr/bin/chromium")
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
    if in_github_actions():
        print(violation.annotation(), flush=True)


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


def setup(app: Sphinx) -> dict[str, object]:
    _register_author_year_style()
    app.connect("source-read", _on_source_read)
    # Before sphinxext-opengraph (priority 500) reads the page's metadata.
    app.connect("html-page-context", _on_html_page_context, priority=400)
    _setup_claims(app)
    app.add_role("pdf-download", _pdf_download_role)
    app.connect("include-read", _on_include_read)
    app.connect("config-inited", _on_config_inited)
    # Correct incremental builds after a refs.bib edit or a Ctrl-C.
    app.connect("builder-inited", _mark_build_started)
    app.connect("env-get-outdated", _reread_after_interruption)
    # After sphinxcontrib-bibtex has formatted the citations (priority 500).
    app.connect("env-updated", _rewrite_pages_citing_changed_entries, priority=900)
    app.connect("build-finished", _mark_build_finished)
    # Before sphinx-sitemap (priority 500) writes sitemap.xml.
    app.connect("build-finished", _complete_the_sitemap, priority=400)

    # HTML (reader experience and build speed), see the sections above.
    app.add_config_value("brief_navigation_cache", True, "html", bool)
    app.connect("builder-inited", _use_accessible_translator)
    app.connect("html-page-context", _hide_toctree_from_furo, priority=400)
    app.connect("html-page-context", _cached_navigation, priority=600)
    app.connect("env-updated", _reset_navigation)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# -- GitHub Actions annotations ------------------------------------------------
# Under GitHub Actions (GITHUB_ACTIONS=true) every violation is also printed as
# an `::error` workflow command, so the contributor sees it on the diff line.


def _annotation_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's own rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_value(text: str) -> str:
    """Escape a workflow command's property, where ``:`` and ``,`` are separators."""
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


def _repo_relative(path: str) -> str:
    """A path relative to the checkout, which is what annotations must name."""
    import os

    root = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def in_github_actions() -> bool:
    import os

    return os.environ.get("GITHUB_ACTIONS") == "true"


def report(violations: Iterable[Violation]) -> int:
    """Print violations (and, under GitHub Actions, annotations); count them."""
    count = 0
    for violation in violations:
        count += 1
        print(violation, file=sys.stderr)
        if in_github_actions():
            print(violation.annotation(), flush=True)
    return count


# -- Page summaries: the meta description --------------------------------------
# Each page opens with YAML front matter holding a one-sentence summary:
#
#     ---
#     description: What this page covers, in one sentence.
#     ---
#
# It is the page's one source for <meta name="description"> and og:description
# (see _on_html_page_context), so search results and link previews show it
# instead of the disclaimer, which is every page's first paragraph.

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


# The page rules above the Sphinx section, plus these two.
PAGE_RULES = (*PAGE_RULES, check_description, check_citation_placeholder)


# -- The new-page scaffold -----------------------------------------------------
# `nox -s new-page -- <slug> "<Title>"` calls new_page(). The template is the
# project's one page template: it already passes every rule except the two
# placeholders, which the checks refuse until they are filled.

NEW_PAGE_TEMPLATE = """\
---
description: {description}
---

# {title}

{disclaimer}

% Set :evidence: and :status: to what the cited work shows: README.md,
% "How claims are marked", lists the values.
```{{claim}} What the cited work shows, in a few words
:evidence: rodent-in-vivo
:status: confirmed

Say what the cited preclinical work shows, in your own words
{{cite:p}}`{citation}`.
```

Read it with {limitations} in mind.
"""
#: The landing page's toctree that new pages join (at its end).
TOCTREE_CAPTION = "The brief"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def page_template(
    title: str,
    description: str = DESCRIPTION_PLACEHOLDER,
    citation: str = CITATION_PLACEHOLDER,
) -> str:
    """The text of a new page; by default with both placeholders still to fill."""
    return NEW_PAGE_TEMPLATE.format(
        title=title,
        description=description,
        disclaimer=DISCLAIMER_INCLUDE,
        citation=citation,
        limitations=LIMITATIONS_REF,
    )


def add_to_toctree(index: str, docname: str, caption: str = TOCTREE_CAPTION) -> str:
    """Append ``docname`` to the toctree captioned ``caption`` in ``index``.

    >>> index = "# T\\n\\n```{toctree}\\n:caption: The brief\\n\\n01-a\\n```\\n"
    >>> print(add_to_toctree(index, "02-b"), end="")
    # T
    <BLANKLINE>
    ```{toctree}
    :caption: The brief
    <BLANKLINE>
    01-a
    02-b
    ```
    """
    lines = index.splitlines(keepends=True)
    start = None
    for number, line in enumerate(lines):
        if start is None:
            if re.match(r"^(`{3,}|:{3,})\{toctree\}", line):
                start, fence = number, re.match(r"^(`+|:+)", line)[1]
        elif line.strip() == fence:
            body = "".join(lines[start + 1 : number])
            if re.search(rf"^:caption:\s*{re.escape(caption)}\s*$", body, re.M):
                return "".join([*lines[:number], f"{docname}\n", *lines[number:]])
            start = None
    raise ValueError(f"no toctree with ':caption: {caption}' in docs/index.md")


def new_page(slug: str, title: str, docs_dir: Path = DOCS_DIR) -> Path:
    """Write ``docs/NN-<slug>.md`` from the template and add it to the toctree.

    NN is one more than the highest page number, and the page goes at the end
    of "The brief" toctree: after Limitations, so move it if it belongs earlier.
    """
    if not SLUG.match(slug):
        raise ValueError(
            f"the slug {slug!r} must be lower-case words joined by hyphens, "
            "like 'receptor-binding'."
        )
    title = " ".join(title.split())
    if not title:
        raise ValueError('give the page a title, like "Receptor binding studies".')
    numbered = [re.match(r"^(\d+)-(.*)$", p.stem) for p in docs_dir.glob("*.md")]
    taken = [m for m in numbered if m]
    if any(m[2] == slug for m in taken):
        raise ValueError(f"a page named *-{slug}.md already exists in {docs_dir}.")
    number = max((int(m[1]) for m in taken), default=0) + 1
    page = docs_dir / f"{number:02d}-{slug}.md"
    index = docs_dir / "index.md"
    updated = add_to_toctree(index.read_text(encoding="utf-8"), page.stem)
    page.write_text(page_template(title), encoding="utf-8")
    index.write_text(updated, encoding="utf-8")
    return page


# -- Site links: canonical URL and the repository ------------------------------
# Read the Docs says where the site lives and which repository it came from;
# elsewhere, git does. Nothing here is invented: an unknown repository means
# furo shows no "edit" or "view source" links.

#: The base URL outside Read the Docs: where `nox -s live` serves the site.
LOCAL_BASE_URL = "http://127.0.0.1:8000/"
#: Hosts whose edit and view URLs furo's links can follow, and their layouts.
SOURCE_LINKS = {
    "github.com": ("{repo}/edit/{branch}/{path}", "{repo}/blob/{ref}/{path}"),
    "gitlab.com": ("{repo}/-/edit/{branch}/{path}", "{repo}/-/blob/{ref}/{path}"),
    "bitbucket.org": (
        "{repo}/src/{branch}/{path}?mode=edit&at={branch}",
        "{repo}/src/{ref}/{path}",
    ),
}


def base_url(environ: Mapping[str, str]) -> str:
    """The site's canonical base URL: Read the Docs' own, else the local preview.

    >>> base_url({"READTHEDOCS_CANONICAL_URL": "https://x.readthedocs.io/en/latest/"})
    'https://x.readthedocs.io/en/latest/'
    >>> base_url({})
    'http://127.0.0.1:8000/'
    """
    url = environ.get("READTHEDOCS_CANONICAL_URL") or LOCAL_BASE_URL
    return url if url.endswith("/") else url + "/"


def repository_url(clone_url: str | None) -> str | None:
    """A repository's web address from its clone URL, if furo can link to it.

    >>> repository_url("git@github.com:owner/repo.git")
    'https://github.com/owner/repo'
    >>> repository_url("https://token@gitlab.com/group/repo.git")
    'https://gitlab.com/group/repo'
    >>> repository_url("/srv/git/repo.git") is None
    True
    """
    if not clone_url:
        return None
    match = re.match(
        r"^(?:https://(?:[^@/]+@)?|ssh://git@|git@)([^/:]+)[/:](.+?)(?:\.git)?/?$",
        clone_url.strip(),
    )
    if not match or match[1] not in SOURCE_LINKS:
        return None
    return f"https://{match[1]}/{match[2]}"


def _git(root: Path, *args: str) -> str | None:
    import subprocess

    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def git_dates_known(path: Path) -> bool:
    """Whether git knows when each page under ``path`` last changed.

    Only inside a git work tree with its whole history: a shallow clone (as
    Read the Docs and CI make unless told otherwise) cuts the history short,
    and sphinx-last-updated-by-git would then warn, failing a -W build.
    """
    return (
        _git(path, "rev-parse", "--is-inside-work-tree") == "true"
        and _git(path, "rev-parse", "--is-shallow-repository") == "false"
    )


def source_links(
    environ: Mapping[str, str], root: Path = DOCS_DIR.parent
) -> dict[str, str]:
    """furo's edit and view links for the pages, or {} if the repository is unknown.

    >>> env = {"READTHEDOCS_GIT_CLONE_URL": "https://github.com/o/r.git",
    ...        "READTHEDOCS_GIT_IDENTIFIER": "main", "READTHEDOCS_VERSION_TYPE": "branch"}
    >>> links = source_links(env)
    >>> links["source_edit_link"]
    'https://github.com/o/r/edit/main/docs/{filename}'
    >>> links["source_view_link"]
    'https://github.com/o/r/blob/main/docs/{filename}'

    A pull-request build knows its commit but not its branch: a view link only.

    >>> env.update(READTHEDOCS_VERSION_TYPE="external", READTHEDOCS_GIT_IDENTIFIER="42",
    ...            READTHEDOCS_GIT_COMMIT_HASH="abc123")
    >>> source_links(env)
    {'source_view_link': 'https://github.com/o/r/blob/abc123/docs/{filename}'}
    """
    on_rtd = "READTHEDOCS_GIT_CLONE_URL" in environ
    if on_rtd:
        repo = repository_url(environ["READTHEDOCS_GIT_CLONE_URL"])
        external = environ.get("READTHEDOCS_VERSION_TYPE") == "external"
        branch = None if external else environ.get("READTHEDOCS_GIT_IDENTIFIER")
        commit = environ.get("READTHEDOCS_GIT_COMMIT_HASH")
    else:
        repo = repository_url(_git(root, "remote", "get-url", "origin"))
        branch = _git(root, "symbolic-ref", "--short", "-q", "HEAD") if repo else None
        commit = _git(root, "rev-parse", "HEAD") if repo else None
    if repo is None:
        return {}
    host = repo.split("/")[2]
    edit, view = SOURCE_LINKS[host]
    where = {"repo": repo, "path": f"{DOCS_DIR.name}/{{filename}}"}
    links = {}
    if branch:
        links["source_edit_link"] = edit.format(branch=branch, **where)
    if ref := branch or commit:
        links["source_view_link"] = view.format(ref=ref, **where)
    return links


# -- The PDF beside the site ---------------------------------------------------

#: The handout's file name: LaTeX writes it, and the site links to it from the
#: landing page, so the PDF build copies it into the root of the HTML output.
PDF_NAME = "noopept-brief.pdf"


def _pdf_download_role(
    name, rawtext, text, lineno, inliner, options=None, content=None
):
    """``{pdf-download}`text```: a link to the handout beside the site.

    A role rather than a Markdown link: the PDF is not a source file, so MyST
    could not resolve a link to it, and raw HTML is refused in pages.
    """
    from docutils import nodes

    link = nodes.reference(rawtext, text, refuri=PDF_NAME, classes=["pdf-download"])
    link["type"] = "application/pdf"
    return [link], []


def _on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Put the page's front-matter summary into its description meta tags."""
    from html import escape

    description = (context.get("meta") or {}).get("description")
    if not description:
        return
    # A copy: context["meta"] is the build environment's own record.
    context["meta"] = {**context["meta"], "og:description": description}
    context["metatags"] = context.get("metatags", "") + (
        f'\n<meta name="description" content="{escape(description)}" />'
    )


# -- Command line --------------------------------------------------------------
# `python docs/_ext/brief.py [FILE ...]` runs the page policy and the
# bibliography rules without Sphinx (pre-commit and CI use it). With no files
# it checks every page, docs/refs.bib, and the citations between them.


def check_all(docs_dir: Path = DOCS_DIR, files: Iterable[str] = ()) -> list[Violation]:
    """Every violation in the pages and the bibliography, or in ``files`` only
    (``.md`` files are checked as pages, ``.bib`` files as bibliographies)."""
    root = docs_dir.parent

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    all_pages = pages(docs_dir)
    bib = docs_dir / "refs.bib"
    chosen = [Path(f) for f in files]
    if chosen:
        page_list = [p for p in chosen if p.suffix == ".md"]
        bibs = [p for p in chosen if p.suffix == ".bib"]
    else:
        page_list, bibs = all_pages, [bib]
    problems = [
        v for p in page_list for v in check_page(p.read_text("utf-8"), shown(p))
    ]
    for path in bibs:
        problems += check_bib(path.read_text("utf-8"), shown(path))
    if not chosen and bib.exists():
        cited = [
            (shown(p), key, line)
            for p in all_pages
            for key, line in citations(p.read_text("utf-8"))
            if key != CITATION_PLACEHOLDER  # reported by its own rule
        ]
        problems += check_citations(bib.read_text("utf-8"), cited, shown(bib))
    return problems


def main(argv: list[str] | None = None) -> int:
    files = sys.argv[1:] if argv is None else argv
    count = report(check_all(files=files))
    if count:
        print(f"{count} problem(s) found; each line above says how to fix it.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
