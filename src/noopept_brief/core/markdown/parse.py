"""What the MyST parser makes of a page: one walk of its tokens, cached.

:func:`parse` turns a page into the live markup readers see, one typed
:class:`Item` each (:class:`Role`, :class:`Directive`, :class:`Link`,
:class:`Image`, :class:`Heading`, :class:`Html`, :class:`Text`,
:class:`Target`), with its line, nested directive bodies included.
Directives are read by MyST's own code (:mod:`._upstream`), with the shapes
the build's directives have (:mod:`.shapes`). Every page rule, the claims and
the citations read pages through it, never through a text search: a reference
inside a code block, inline code or a comment is invisible to readers, so it
does not count. Each page is parsed once, however many rules read it.

The source files themselves (:func:`pages`, :func:`text_files`) are listed
here too, from the docs folder the caller names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._upstream import MystDirective, parser, read_directive
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


@dataclass(frozen=True, kw_only=True)
class Item:
    """A piece of live markup: its 1-based line, and how deep it stands in
    directive bodies (0 at the page's top level). One class per kind below."""

    line: int
    depth: int = 0


@dataclass(frozen=True, kw_only=True)
class Role(Item):
    """```{name}`text```."""

    name: str
    text: str


@dataclass(frozen=True, kw_only=True)
class Directive(Item):
    """A fenced directive, as MyST reads it in the build."""

    name: str
    argument: str  # the text after the name
    options: dict[str, Any] = field(default_factory=dict, compare=False)
    body: str = ""  # below the options
    raw: str = ""  # its options and body as written
    options_raw: str = ""  # its options as written
    end: int = 0  # the line of its closing fence
    problems: tuple[tuple[int, str], ...] = ()  # what MyST refuses: (line, why)
    markup: str = "```"  # its fence
    closed: bool = True  # False: the fence runs to the end of the page


@dataclass(frozen=True, kw_only=True)
class Code(Item):
    """A code block: fenced (``markup``, ``info`` its language) or indented."""

    info: str
    markup: str
    closed: bool
    body: range  # the lines of its content


@dataclass(frozen=True, kw_only=True)
class Html(Item):
    """Raw HTML, a block or inline."""

    html: str
    inline: bool = False


@dataclass(frozen=True, kw_only=True)
class Link(Item):
    url: str


@dataclass(frozen=True, kw_only=True)
class Image(Item):
    url: str
    alt: str


@dataclass(frozen=True, kw_only=True)
class Heading(Item):
    level: int  # 1 to 6
    text: str


@dataclass(frozen=True, kw_only=True)
class Text(Item):
    """Plain text, as readers see it."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Target(Item):
    """A label a ``(label)=`` line defines."""

    label: str


@dataclass(frozen=True, kw_only=True)
class TooDeep(Item):
    """Where directives nest past :data:`MAX_NESTING` (not walked further)."""

    directive: str


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[Item, ...]:
    """Every piece of live markup of a page, nested ones too, in page order."""
    return tuple(_walk(text, 0, 0))


def directive(token: Token, line: int) -> tuple[str, MystDirective] | None:
    """A fence token (opening at ``line``) as MyST reads it, if it is a
    directive: (name, what MyST reads)."""
    match = re.match(r"^\{([^}\s]+)\}\s*(.*)$", token.info.strip())
    if not match:
        return None
    return match[1], read_directive(shape_of(match[1]), match[2], token.content, line)


def _closed(lines: list[str], end: int, markup: str) -> bool:
    """Whether the fence block ending before line ``end`` (0-based, exclusive)
    ends with a closing fence."""
    last = lines[end - 1].strip() if 0 < end <= len(lines) else ""
    return bool(last) and set(last) == {markup[0]} and len(last) >= len(markup)


@lru_cache(maxsize=64)
def page_tokens(text: str) -> tuple[Token, ...]:
    """MyST's tokens of a whole page, parsed once however many rules read it
    (the items, the front matter). Read them; never change them."""
    return tuple(parser().parse(text))


def _walk(text: str, offset: int, depth: int) -> Iterator[Item]:
    tokens = page_tokens(text) if depth == 0 else parser().parse(text)
    lines = text.splitlines()
    for index, token in enumerate(tokens):
        start = offset + (token.map[0] if token.map else 0)
        end = token.map[1] if token.map else 0
        fence = token.type in ("fence", "colon_fence")
        closed = _closed(lines, end, token.markup) if fence else True
        if fence and (found := directive(token, start + 1)):
            name, read = found
            cut = read.body_line - start - 2  # the lines of options
            yield Directive(
                line=start + 1, depth=depth, name=name,
                argument=read.argument.strip(), options=read.options,
                body=read.body, raw=token.content,
                options_raw="".join(token.content.splitlines(True)[: max(cut, 0)]),
                end=offset + end, problems=read.problems,
                markup=token.markup, closed=closed,
            )  # fmt: skip
            if depth + 1 >= MAX_NESTING:
                # Deeper nesting is refused (rule *limits*), and not walked:
                # each level costs the parser a stack of calls.
                yield TooDeep(line=start + 1, depth=depth + 1, directive=name)
            elif name not in LITERAL_DIRECTIVES:
                yield from _walk(read.body, read.body_line - 1, depth + 1)
        elif fence or token.type == "code_block":
            first = start + 1 if fence else start  # below its opening fence
            last = offset + end - (1 if fence and closed else 0)
            yield Code(
                line=start + 1, depth=depth, info=token.info.strip(),
                markup=token.markup, closed=closed, body=range(first + 1, last + 1),
            )  # fmt: skip
        elif token.type == "html_block":
            yield Html(line=start + 1, depth=depth, html=token.content)
        elif token.type == "myst_target":
            yield Target(line=start + 1, depth=depth, label=token.content.strip())
        elif token.type == "heading_open":
            title = tokens[index + 1].content if index + 1 < len(tokens) else ""
            level = int(token.tag[1])
            yield Heading(line=start + 1, depth=depth, level=level, text=title)
        elif token.type == "inline":
            yield from _inline_items(token, start + 1, depth)


def _inline_items(token: Token, line: int, depth: int) -> Iterator[Item]:
    """The roles, links, images, inline HTML and text of one inline token."""
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "myst_role":
            name = child.meta["name"]
            yield Role(line=line, depth=depth, name=name, text=child.content)
        elif child.type == "html_inline":
            yield Html(line=line, depth=depth, html=child.content, inline=True)
        elif child.type == "link_open":
            url = str(child.attrs.get("href", ""))
            yield Link(line=line, depth=depth, url=url)
        elif child.type == "image":
            url = str(child.attrs.get("src", ""))
            yield Image(line=line, depth=depth, url=url, alt=child.content)
        elif child.type == "text":
            yield Text(line=line, depth=depth, text=child.content)
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
        (i.line for i in parse(text) if isinstance(i, Heading) and i.depth == 0), 1
    )


def ref_target(content: str) -> str:
    """The label a ``{ref}`` role points at: ``label`` or ``text <label>``."""
    match = re.search(r"<([^<>]+)>\s*$", content)
    return (match[1] if match else content).strip()


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
