"""What the MyST parser makes of a page: one walk of its tokens, cached.

:func:`parse` turns a page into the live markup readers see (roles,
directives, links, images, headings, raw HTML, text), each :class:`Item` with
its line, nested directive bodies included. Every page rule, the claims and
the citations read pages through it, never through a text search: a reference
inside a code block, inline code or a comment is invisible to readers, so it
does not count. Each page is parsed once, however many rules read it.

The source files themselves (:func:`pages`, :func:`text_files`) are listed
here too, from the docs folder the caller names.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ._upstream import Directive, parser, read_directive
from .shapes import shape_of

if TYPE_CHECKING:
    from markdown_it.token import Token


# Directives whose body is code or data, not Markdown: a role or an include
# written inside them is shown as text, so it must not count.
LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "literalinclude", "raw",
     "math", "eval-rst", "csv-table", "bibliography"}
)  # fmt: skip


#: How deep directives may nest in a page; deeper is refused (rule *limits*).
MAX_NESTING = 12


@dataclass(frozen=True)
class Item:
    """A piece of live markup, with its 1-based line. By ``kind``:

    * ``role``: ``name`` is the role, ``content`` its text;
    * ``directive``: ``name`` is the directive, ``content`` its argument,
      ``body`` its options and body as written, ``options`` the options as
      MyST reads them, ``text`` the body without them, ``end`` the line of its
      closing fence, ``problems`` what MyST refuses in it (line, message);
    * ``html``: ``name`` is "block" or "inline", ``content`` the raw HTML;
    * ``link``: ``content`` is the URL;
    * ``image``: ``content`` is the image's URL, ``body`` its alt text;
    * ``heading``: ``name`` is "h1" to "h6", ``content`` the heading's text;
    * ``text``: ``content`` is plain text, as readers see it;
    * ``target``: ``content`` is a label a ``(label)=`` line defines.

    ``depth`` is 0 at the page's top level and grows inside directive bodies.
    """

    kind: str
    name: str
    content: str
    line: int
    body: str = ""
    depth: int = 0
    end: int = 0
    options_block: str = ""
    options: dict[str, str] = field(default_factory=dict, compare=False)
    text: str = ""
    problems: tuple[tuple[int, str], ...] = ()


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[Item, ...]:
    """Every piece of live markup of a page, nested ones too, in page order."""
    return tuple(_walk(text, 0, 0))


def directive(token: Token, line: int) -> tuple[str, Directive] | None:
    """A fence token (opening at ``line``) as MyST reads it, if it is a
    directive: (name, what MyST reads)."""
    match = re.match(r"^\{([^}\s]+)\}\s*(.*)$", token.info.strip())
    if not match:
        return None
    return match[1], read_directive(shape_of(match[1]), match[2], token.content, line)


def _walk(text: str, offset: int, depth: int) -> Iterator[Item]:
    tokens = parser().parse(text)
    for index, token in enumerate(tokens):
        start = offset + (token.map[0] if token.map else 0)
        fence = token.type in ("fence", "colon_fence")
        if fence and (found := directive(token, start + 1)):
            name, read = found
            cut = read.body_line - start - 2  # the lines of options
            yield Item(
                "directive", name, read.argument.strip(), start + 1, token.content,
                depth, end=offset + (token.map[1] if token.map else 0),
                options_block="".join(token.content.splitlines(True)[: max(cut, 0)]),
                options=read.options, text=read.body, problems=read.problems,
            )  # fmt: skip
            if depth + 1 >= MAX_NESTING:
                # Deeper nesting is refused (rule *limits*), and not walked:
                # each level costs the parser a stack of calls.
                yield Item("limit", "nesting", name, start + 1, depth=depth + 1)
            elif name not in LITERAL_DIRECTIVES:
                yield from _walk(read.body, read.body_line - 1, depth + 1)
        elif token.type == "html_block":
            yield Item("html", "block", token.content, start + 1, depth=depth)
        elif token.type == "myst_target":
            yield Item("target", "", token.content.strip(), start + 1, depth=depth)
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


def near_misses(text: str, pattern: str) -> list[int]:
    """Lines where the raw text mentions ``pattern`` (live or not)."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if re.search(pattern, line)
    ]


def title_line(text: str) -> int:
    """The line of the page's first heading (where the fixes go), else 1."""
    return next(
        (i.line for i in parse(text) if i.kind == "heading" and i.depth == 0), 1
    )


def ref_target(content: str) -> str:
    """The label a ``{ref}`` role points at: ``label`` or ``text <label>``."""
    match = re.search(r"<([^<>]+)>\s*$", content)
    return (match[1] if match else content).strip()


def include_target(argument: str, docname: str) -> str:
    """Resolve an include argument to a path relative to the docs folder.

    >>> include_target("../_snippets/d.md", "sub/page")
    '_snippets/d.md'
    >>> include_target("/_snippets/d.md", "sub/page")
    '_snippets/d.md'
    """
    if argument.startswith("/"):
        return posixpath.normpath(argument[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(docname), argument))


# -- The source files ----------------------------------------------------------


def pages(docs_dir: Path) -> list[Path]:
    """Every MyST page the site is built from (snippets and builds excluded)."""
    return sorted(
        p
        for p in docs_dir.rglob("*.md")
        if not any(
            part.startswith(("_", ".")) for part in p.relative_to(docs_dir).parts
        )
    )


#: Files under docs/ read as text, and so checked for their encoding.
TEXT_SUFFIXES = frozenset({".md", ".bib", ".py", ".css", ".txt", ".html", ".js"})


def text_files(docs_dir: Path) -> list[Path]:
    """Every text file the site is built from, snippets and templates included."""
    return sorted(
        p
        for p in docs_dir.rglob("*")
        if p.is_file()
        and p.suffix in TEXT_SUFFIXES
        and "__pycache__" not in p.relative_to(docs_dir).parts
    )
