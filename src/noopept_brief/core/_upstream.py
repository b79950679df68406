"""Every use of another library's internals in the core, in one place (the fence).

The core reads pages as the build does, with MyST-Parser's own code, so that
``check`` and ``sphinx-build`` cannot disagree on what a page says:

* :func:`parser`: MyST's markdown-it parser (``create_md_parser``);
* :func:`read_directive`: MyST's reading of a directive's argument, options
  and body (``parse_directive_text``, not public API);
* :func:`typographic`: docutils' smartquotes, as Sphinx applies it to prose;
* :func:`share_option_parses`: MyST reads each directive's option block once
  per process (``options_to_tokens`` in ``myst_parser.parsers.directives``).

``pyproject.toml`` pins myst-parser below its next major version, and
``tests/test_upstream.py`` fails if these functions change shape. Nothing
else in the core imports myst_parser or docutils.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


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


def text(value: str | None) -> str:
    """An option's value as written (docutils' ``unchanged``)."""
    return value or ""


class DirectiveShape:
    """What MyST reads a directive by: a docutils ``Directive``'s attributes.

    The project's own directives take theirs from a subclass in the core
    (``ClaimDirective(ClaimShape, SphinxDirective)``), so that ``check`` reads
    their options with exactly the spec the build uses.
    """

    required_arguments: ClassVar[int] = 0
    optional_arguments: ClassVar[int] = 0
    final_argument_whitespace: ClassVar[bool] = False
    has_content: ClassVar[bool] = False
    option_spec: ClassVar[dict[str, Callable[[str | None], Any]] | None] = None


class _AnyOption(dict):
    """An option spec that takes every key as text: for directives the core
    does not define (docutils', Sphinx's), whose options it reads unjudged."""

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return text

    def __bool__(self) -> bool:
        return True


class AnyShape(DirectiveShape):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = _AnyOption()


@dataclass(frozen=True)
class MystDirective:
    """A directive as MyST reads it (lines are the page's, 1-based)."""

    argument: str  # the text after the name (its arguments, as one)
    options: dict[str, Any]
    body: str  # the content below the options
    body_line: int  # the line the body starts on
    problems: tuple[tuple[int, str], ...]  # MyST's parse warnings: (line, message)


def _once_per_block(upstream: Callable[..., Any]) -> Callable[..., Any]:
    """MyST's ``options_to_tokens``, remembering the blocks it has read."""

    @lru_cache(maxsize=512)
    def read(block: str) -> tuple[tuple[Any, ...], Any]:
        tokens, state = upstream(block)  # an error is raised, not kept
        return tuple(tokens), state

    def options_to_tokens(
        text: str, line_offset: int = 0, column_offset: int = 0
    ) -> tuple[list[Any], Any]:
        if line_offset or column_offset:  # offsets only move error positions
            return upstream(text, line_offset, column_offset)
        tokens, state = read(text)
        return list(tokens), state

    options_to_tokens.upstream = upstream  # type: ignore[attr-defined]
    options_to_tokens.read = read  # type: ignore[attr-defined]
    return options_to_tokens


def share_option_parses() -> None:
    """Tokenize each directive option block once per process.

    The page rules read every directive of a page (:func:`read_directive`),
    then MyST reads the same blocks again to build it: a seventh of a page's
    reading time went to tokenizing the same text twice. Only the tokens
    are shared, which MyST reads and never changes; each directive's own
    option spec still converts them.
    """
    from myst_parser.parsers import directives

    if not hasattr(directives.options_to_tokens, "upstream"):
        directives.options_to_tokens = _once_per_block(directives.options_to_tokens)


def read_directive(
    shape: type[DirectiveShape], first_line: str, content: str, line: int
) -> MystDirective:
    """Read a directive as MyST does: ``first_line`` follows its name on the
    opening line (at ``line``), ``content`` is everything below it."""
    from myst_parser.parsers.directives import parse_directive_text

    share_option_parses()

    try:
        found = parse_directive_text(shape, first_line, content, line=line)
    except Exception as error:  # MarkupError: the arguments do not fit
        return MystDirective(
            first_line.strip(), {}, "", line + 1, ((line, str(error)),)
        )
    return MystDirective(
        argument=" ".join(found.arguments),
        options=found.options,
        body="\n".join(found.body) + ("\n" if found.body else ""),
        body_line=line + 1 + found.body_offset,
        problems=tuple((w.lineno or line, w.msg) for w in found.warnings),
    )


#: What smartyPants acts on with "qDe": quotes, dashes ("--", not a lone
#: hyphen) and ellipses, and the backslash escapes, tags and entities it
#: reads and writes back. Text with none of these it returns unchanged (most
#: claims' texts; "non-clinical" too).
SMARTY_WORK = re.compile(r"""--|["'\\&<]|\.\.\.|\. \. \.""")


def typographic(plain: str) -> str:
    """Curly quotes, dashes and ellipses, as Sphinx's smartquotes gives the prose.

    A claim's short text and note reach readers as plain text (the map, the
    list, claims.json), which the smartquotes transform never sees.

    >>> typographic("the developers' 'idea'") == "the developers\u2019 \u2018idea\u2019"
    True
    >>> typographic('a "sellers" label') == "a \u201csellers\u201d label"
    True
    """
    if not SMARTY_WORK.search(plain):
        return plain
    from docutils.utils.smartquotes import smartyPants

    # "qDe": Sphinx's default smartquotes_action, in English.
    return smartyPants(plain, "qDe", "en")
