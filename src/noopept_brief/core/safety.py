"""Safe pages: the rules on raw HTML, links and images (page rules 5 to 7).

What a pull request must not put into the hosted site: script, frames,
plugins, styles, raw HTML, plain-http links, links to shops and vendors
(:data:`DENIED_DOMAINS`, the deny list), and images without alt text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .markdown import LITERAL_DIRECTIVES, parse
from .rules import Rule
from .violations import Violation

# -- Safe pages: raw HTML, links, images ---------------------------------------
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
        where = item.content + "\n" + item.body
        if item.kind == "html":
            if why := _unsafe(item.content):
                problems.append(_unsafe_violation(path, item.line, why))
            elif not HTML_COMMENT.fullmatch(item.content):
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
        elif item.kind == "directive" and item.name in ("raw", "eval-rst"):
            if why := _unsafe(where):
                problems.append(_unsafe_violation(path, item.line, why))
            elif item.name == "raw" or RST_RAW.search(item.body):
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
        elif item.kind == "directive" and item.name not in LITERAL_DIRECTIVES:
            if why := _unsafe(item.content + "\n" + item.options_block):
                problems.append(_unsafe_violation(path, item.line, why))
        elif item.kind == "text" and REFUSED_LINK.search(item.content):
            problems.append(_unsafe_violation(path, item.line, _unsafe(where) or ""))
    # One message per line: <b>…</b> is two HTML tokens, and the danger says most.
    unsafe_lines = {v.line for v in problems if v.rule == Rule.UNSAFE_HTML}
    kept = [
        v for v in problems if v.rule == Rule.UNSAFE_HTML or v.line not in unsafe_lines
    ]
    return list(dict.fromkeys(kept))


def url_items(text: str) -> Iterator[tuple[str, int]]:
    """Every URL a page links to or shows: links, images, image directives."""
    for item in parse(text):
        if item.kind in ("link", "image"):
            yield item.content, item.line
        elif item.kind == "directive" and item.name in ("image", "figure"):
            yield item.content, item.line
            if target := item.options.get("target", "").split():
                yield target[0], item.line


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


def check_links(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
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
src/noopept_brief/core/safety.py (a marketplace). The brief gives no sourcing or vendor \
links: remove the link, and cite the research record instead.
    """
    from urllib.parse import urlsplit

    problems = []
    for url, line in url_items(text):
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
            problems.append(Violation(path, line, Rule.EXTERNAL_LINK, message))
        elif denied := denied_domain(parts.hostname or ""):
            problems.append(
                Violation(
                    path,
                    line,
                    Rule.EXTERNAL_LINK,
                    f"the link {url} points at {parts.hostname}, which matches "
                    f"{denied[0]!r} on the deny list in src/noopept_brief/core/safety.py "
                    f"({denied[1]}). The brief gives no sourcing or vendor links: "
                    "remove the link, and cite the research record instead.",
                )
            )
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
        if item.kind == "image" and not item.body.strip():
            fix = f"Say what it shows between the brackets: ![what the image shows]({item.content})"
        elif item.kind == "directive" and item.name in ("image", "figure"):
            if item.options.get("alt", "").strip():
                continue
            fix = "Add an option line just below the directive's first line: :alt: what the image shows"
        else:
            continue
        problems.append(
            Violation(
                path,
                item.line,
                Rule.IMAGE_ALT,
                f"the image {item.content} has no alt text, so readers who cannot "
                f"see it get nothing. {fix}",
            )
        )
    return problems
