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
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


# Directives whose body is code or data, not Markdown: a role or an include
# written inside them is shown as text, so it must not count.
LITERAL_DIRECTIVES = frozenset(
    {"code", "code-block", "sourcecode", "code-cell", "literalinclude", "raw",
     "math", "eval-rst", "csv-table", "bibliography"}
)  # fmt: skip


@cache
def parser() -> MarkdownIt:
    """The MyST parser every rule reads pages with."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # Colon fences (:::{note}) are read as directives even where conf.py leaves
    # them off: a check that sees a directive Sphinx would not is only stricter.
    return create_md_parser(
        MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML
    )


def split_options(content: str) -> tuple[str, str, int]:
    """A directive's content as (options block, body, lines of options).

    >>> split_options(":status: differs\\n\\nBody.\\n")
    (':status: differs\\n', '\\nBody.\\n', 1)
    >>> split_options("---\\nstatus: differs\\n---\\nBody.\\n")
    ('---\\nstatus: differs\\n---\\n', 'Body.\\n', 3)
    """
    lines = content.splitlines(keepends=True)
    cut = 0
    if lines and lines[0].strip() == "---":  # a YAML options block
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        cut = end + 1
    else:
        while cut < len(lines) and lines[cut].startswith(":"):
            cut += 1
    return "".join(lines[:cut]), "".join(lines[cut:]), cut


def parse_options(block: str) -> dict[str, str]:
    """A directive's options, as ``:key: value`` lines or a ``---`` YAML block.

    The one way options are read, for every directive.

    >>> parse_options(":status: differs\\n:note: Dated 2007: not 2009.\\n")
    {'status': 'differs', 'note': 'Dated 2007: not 2009.'}
    >>> parse_options("---\\nstatus: differs\\n---\\n")
    {'status': 'differs'}
    """
    found = {}
    for line in block.splitlines():
        if match := re.match(r"^:?([\w-]+):\s*(.*)$", line):
            found[match[1]] = match[2].strip()
    return found


#: How deep directives may nest in a page; deeper is refused (rule *limits*).
MAX_NESTING = 12


@dataclass(frozen=True)
class Item:
    """A piece of live markup, with its 1-based line. By ``kind``:

    * ``role``: ``name`` is the role, ``content`` its text;
    * ``directive``: ``name`` is the directive, ``content`` its argument,
      ``body`` its options and body as written, ``options`` the options read,
      ``text`` the body without them, ``end`` the line of its closing fence;
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


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[Item, ...]:
    """Every piece of live markup of a page, nested ones too, in page order."""
    return tuple(_walk(text, 0, 0))


def _directive(token: Token) -> tuple[str, str] | None:
    """Return (name, argument) if a fence token is a MyST directive."""
    match = re.match(r"^\{([^}\s]+)\}\s*(.*)$", token.info.strip())
    return (match[1], match[2].strip()) if match else None


def _walk(text: str, offset: int, depth: int) -> Iterator[Item]:
    tokens = parser().parse(text)
    for index, token in enumerate(tokens):
        start = offset + (token.map[0] if token.map else 0)
        if token.type in ("fence", "colon_fence") and (found := _directive(token)):
            name, argument = found
            block, body, cut = split_options(token.content)
            yield Item(
                "directive", name, argument, start + 1, token.content, depth,
                end=offset + (token.map[1] if token.map else 0),
                options_block=block, options=parse_options(block), text=body,
            )  # fmt: skip
            if depth + 1 >= MAX_NESTING:
                # Deeper nesting is refused (rule *limits*), and not walked:
                # each level costs the parser a stack of calls.
                yield Item("limit", "nesting", name, start + 1, depth=depth + 1)
            elif name not in LITERAL_DIRECTIVES:
                yield from _walk(body, start + 1 + cut, depth + 1)
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
TEXT_SUFFIXES = frozenset(
    {".md", ".bib", ".py", ".css", ".txt", ".html", ".js", ".yaml"}
)


def text_files(docs_dir: Path) -> list[Path]:
    """Every text file the site is built from, snippets and templates included."""
    return sorted(
        p
        for p in docs_dir.rglob("*")
        if p.is_file()
        and p.suffix in TEXT_SUFFIXES
        and "__pycache__" not in p.relative_to(docs_dir).parts
    )
