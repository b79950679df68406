"""Safe pages: the rules on raw HTML, file insertion, links and images.

What a pull request must not put into the hosted site: script, frames,
plugins, styles, raw HTML, plain-http links, links to any domain not on the
allowlist (:mod:`.allowlist`), and images without alt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..rules import Rule
from ..violations import Violation
from .allowlist import refused_url
from .parse import (
    LITERAL_DIRECTIVES,
    Directive,
    Html,
    Image,
    Link,
    Role,
    Text,
    parse,
)

# -- Safe pages: raw HTML, links, images ---------------------------------------
#
# A page goes into the hosted site as it is written, so a pull request must not
# be able to put script, another site or a vendor link into it. The rule for
# raw HTML is simple: none at all, except comments; every {raw} directive is
# refused. The specific messages below only say *why* a piece is dangerous.

#: What no page may contain, live or inside a comment or a {raw} directive:
#: each pattern, and what it would do to readers. Each is linear: the event
#: handler's tag stops at the next "<", so a run of "<" is not read once per
#: "<" to its end (issue 20; raw HTML is refused whatever its attributes).
UNSAFE_MARKUP: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<\s*script\b", re.I), "a <script> element runs code in every reader's browser"),
    (re.compile(r"<\s*iframe\b", re.I), "an <iframe> element puts another site inside the page"),
    (re.compile(r"<\s*object\b", re.I), "an <object> element embeds a plugin or another document"),
    (re.compile(r"<\s*embed\b", re.I), "an <embed> element embeds a plugin or another document"),
    (re.compile(r"<\s*style\b", re.I), "a <style> element restyles the whole site (styles belong in docs/_static/brief.css)"),
    (re.compile(r"<[^<>]*[\s/\"']on[a-z]+\s*=", re.I), "an event-handler attribute (on...=) runs code in every reader's browser"),
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


def _unsafe(text: str) -> str | None:
    """Why ``text`` is dangerous in a page, or None."""
    return next((why for pattern, why in UNSAFE_MARKUP if pattern.search(text)), None)


def _unsafe_violation(path: str, line: int, why: str) -> Violation:
    return Violation(
        path,
        line,
        Rule.UNSAFE_HTML,
        f"{why}, so no page may contain it: not in the text, not in a "
        "comment, not inside a {raw} or any other directive. Remove it; write "
        "the content in MyST Markdown, and link only to https pages.",
    )


def check_raw_html(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
    for item in parse(text):
        if isinstance(item, Html):
            if why := _unsafe(item.html):
                problems.append(_unsafe_violation(path, item.line, why))
            elif not HTML_COMMENT.fullmatch(item.html):
                problems.append(
                    Violation(
                        path,
                        item.line,
                        Rule.RAW_HTML,
                        "raw HTML is not allowed in pages: it would go into the "
                        "hosted site unchecked. Write it in MyST Markdown instead "
                        "(an admonition or a role; styling goes in "
                        "docs/_static/brief.css); for a note to editors, start "
                        "the line with %.",
                    )
                )
        elif isinstance(item, Directive) and item.name in ("raw", "eval-rst"):
            if why := _unsafe(item.argument + "\n" + item.raw):
                problems.append(_unsafe_violation(path, item.line, why))
            elif item.name == "raw" or RST_RAW.search(item.raw):
                problems.append(
                    Violation(
                        path,
                        item.line,
                        Rule.RAW_HTML,
                        f"the {{{item.name}}} directive is not allowed"
                        + (" to hold raw markup" if item.name == "eval-rst" else "")
                        + ": its content goes into the site or the PDF unchecked. "
                        "Write the content in MyST Markdown instead.",
                    )
                )
        elif isinstance(item, Directive) and item.name not in LITERAL_DIRECTIVES:
            if why := _unsafe(item.argument + "\n" + item.options_raw):
                problems.append(_unsafe_violation(path, item.line, why))
        elif isinstance(item, Text) and REFUSED_LINK.search(item.text):
            problems.append(
                _unsafe_violation(path, item.line, _unsafe(item.text) or "")
            )
    # One message per line: <b>…</b> is two HTML tokens, and the danger says most.
    unsafe_lines = {v.line for v in problems if v.rule == Rule.UNSAFE_HTML}
    kept = [
        v for v in problems if v.rule == Rule.UNSAFE_HTML or v.line not in unsafe_lines
    ]
    return list(dict.fromkeys(kept))


# In reStructuredText ({eval-rst}), a link target between < > may be split
# across lines (docutils joins it), and a bare URL is a link too.
RST_TARGET = re.compile(r"<([^<>`]{1,4096})>")
RST_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,30}:(?://|\\\\)[^\s<>`]{1,4096}")
RST_URL_OPTION = re.compile(
    r"^\s*(?:\.\.\s+(?:image|figure)\s*::|:target:)[ \t]*(\S{1,4096})", re.M
)


def url_items(text: str) -> Iterator[tuple[str, int]]:
    """Every URL a page links to or shows: links, images, image directives,
    toctree entries, and the links written in reStructuredText ({eval-rst})."""
    for item in parse(text):
        if isinstance(item, (Link, Image)):
            yield item.url, item.line
        elif isinstance(item, Directive) and item.name in ("image", "figure"):
            yield item.argument, item.line
            if target := str(item.options.get("target", "")).split():
                yield target[0], item.line
        elif isinstance(item, Directive) and item.name == "toctree":
            for number, entry in enumerate(item.body.splitlines()):
                target = RST_TARGET.search(entry)
                entry = (target[1] if target else entry).strip()
                if ":" in entry:
                    yield entry, item.line + number
        elif isinstance(item, Directive) and item.name == "eval-rst":
            body, seen = item.raw, set()
            for pattern in (RST_TARGET, RST_URL, RST_URL_OPTION):
                for match in pattern.finditer(body):
                    if any(a <= match.start() < b for a, b in seen):
                        continue  # the URL of a <target> already read
                    seen.add(match.span())
                    url = "".join((match[1] if match.groups() else match[0]).split())
                    if ":" in url:
                        yield url, item.line + 1 + body.count("\n", 0, match.start())


def check_links(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *external-link*: links leave the site over https, to allowed domains.

    Links inside the site, and https links to a domain on the allowlist
    (:mod:`.allowlist`), pass:

    >>> check_links("See [the record](https://pubmed.ncbi.nlm.nih.gov/19240853/).\\n")
    []

    A plain-http link fails, and so does a link to any other domain, however
    its host is spelled:

    >>> print(check_links("See [it](http://doi.org/10.1/x).\\n")[0])
    docs/example.md:1: [external-link] the link http://doi.org/10.1/x is not \
https. Write it as https://doi.org/10.1/x (check that it loads), or remove it.
    >>> print(check_links("Buy [here](https://www.%61mazon.com/x).\\n")[0].message[:62])
    the link https://www.%61mazon.com/x goes to www.amazon.com, wh

    So does a link written in reStructuredText, split across lines:

    >>> page = "```{eval-rst}\\n`x <https://bit\\n.ly/y>`_\\n```\\n"
    >>> [(v.line, v.message[:32]) for v in check_links(page)]
    [(2, 'the link https://bit.ly/y goes t')]
    """
    problems = []
    for url, line in url_items(text):
        why = refused_url(url)
        if why is None:
            continue
        scheme = _SCHEME_OF.match("".join(url.split()))
        if scheme and scheme[1].lower() in UNSAFE_SCHEMES:
            problems.append(_unsafe_violation(path, line, _unsafe(scheme[0]) or why))
        else:
            problems.append(Violation(path, line, Rule.EXTERNAL_LINK, why))
    return list(dict.fromkeys(problems))


_SCHEME_OF = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


# -- File insertion: a page shows only what the project means it to ------------

#: Directives that read another file into the page (docutils' own file
#: insertion, switched off in conf.py; the disclaimer has its own directive).
FILE_DIRECTIVES = frozenset({"include", "literalinclude"})
#: Options that make a directive read a file or a URL.
FILE_OPTIONS = ("file", "url", "source")
# The same, written in reStructuredText inside {eval-rst}.
RST_FILE_INSERTION = re.compile(
    r"^[ \t]*\.\.[ \t]+(?:include|literalinclude)[ \t]*::|^[ \t]*:(?:file|url|source):"
    r"|:download:",
    re.M,
)
# A link inside the site: a page (.md, .html or no suffix) and an #anchor.
LOCAL_PAGE = re.compile(r"^[\w/.\-]*?(?:\.md|\.html)?$|^$")


def check_file_insertion(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *file-insertion*: a page reads no other file into the site.

    ``{include}``, ``{literalinclude}``, a ``:file:`` or ``:url:`` option,
    the ``{download}`` role and a link to a local file that is not a page
    would publish that file (``/etc/passwd``, ``.git/config``, CI's
    environment). The disclaimer has its own directive, ``{disclaimer}``.

    >>> check_file_insertion("See [the overview](01-overview.md#origin).\\n")
    []
    >>> print(check_file_insertion("```{literalinclude} /etc/passwd\\n```\\n")[0])
    docs/example.md:1: [file-insertion] the {literalinclude} directive reads \
another file into the published site. Remove it: a page shows only its own \
text (the disclaimer comes from ```{disclaimer}```).
    >>> [v.line for v in check_file_insertion("# T\\n\\n[x](../../.git/config)\\n")]
    [3]
    """
    problems = []

    def refuse(line: int, what: str) -> None:
        problems.append(
            Violation(
                path,
                line,
                Rule.FILE_INSERTION,
                f"{what} reads another file into the published site. Remove "
                "it: a page shows only its own text (the disclaimer comes "
                "from ```{disclaimer}```).",
            )
        )

    for item in parse(text):
        if isinstance(item, Directive) and item.name in FILE_DIRECTIVES:
            refuse(item.line, f"the {{{item.name}}} directive")
        elif isinstance(item, Directive) and any(
            o in item.options for o in FILE_OPTIONS
        ):
            refuse(item.line, f"the {{{item.name}}} directive's file or URL option")
        elif isinstance(item, Directive) and item.name == "eval-rst":
            if match := RST_FILE_INSERTION.search(item.raw):
                refuse(item.line + 1 + item.raw.count("\n", 0, match.start()),
                       "reStructuredText inside {eval-rst} that")  # fmt: skip
        elif isinstance(item, Role) and item.name == "download":
            refuse(item.line, "the {download} role")
        elif isinstance(item, Link) and not _SCHEME_OF.match(item.url.strip()):
            target = re.split(r"[?#]", item.url.strip(), maxsplit=1)[0]
            if ".." in target.split("/") or not LOCAL_PAGE.match(target):
                refuse(item.line, f"the link to the local file {target!r}")
    return problems


def check_images(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
    for item in parse(text):
        if isinstance(item, Image) and not item.alt.strip():
            url = item.url
            fix = f"Say what it shows between the brackets: ![what the image shows]({url})"
        elif isinstance(item, Directive) and item.name in ("image", "figure"):
            if str(item.options.get("alt", "")).strip():
                continue
            url = item.argument
            fix = "Add an option line just below the directive's first line: :alt: what the image shows"
        else:
            continue
        problems.append(
            Violation(
                path,
                item.line,
                Rule.IMAGE_ALT,
                f"the image {url} has no alt text, so readers who cannot "
                f"see it get nothing. {fix}",
            )
        )
    return problems
