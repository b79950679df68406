"""Reading built pages: lxml's tree of a page, its text as readers get it,
which files of a built site are pages, and where a violation stands in the
page's source. The output gate (:mod:`.site`) reads every page through these.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from lxml import etree

from ..violations import Violation

# -- Parsing: lxml (libxml2, in C) --------------------------------------------
# html.parser through BeautifulSoup cost 128 ms a page at 400 pages, a third
# of the build (issue 21); libxml2 reads the same page in about a millisecond.


def parse(html: str) -> Any:
    """The element tree of a page or a piece of one (libxml2's HTML parser)."""
    return etree.fromstring(html, etree.HTMLParser()) if html.strip() else None


def classes(element: Any) -> list[str]:
    return (element.get("class") or "").split()


def has_class(element: Any, name: str) -> bool:
    return name in classes(element)


_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def normal(text: str) -> str:
    """Text as the gate compares it: curly quotes straightened, whitespace
    collapsed."""
    return " ".join(text.translate(_QUOTES).split())


#: Elements whose content is not text for readers (BeautifulSoup's
#: ``get_text``, which the gate used before, leaves them out too).
_NOT_TEXT = frozenset({"script", "style", "template"})


def text_of(element: Any, separator: str = "") -> str:
    """The text in ``element``, joined by ``separator``: no comments, scripts
    or styles."""
    parts: list[str] = []
    stack = [element]
    # Iterative (a page may nest deep): text, then children, then the tail.
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        if isinstance(node.tag, str):
            if node.text and node.tag not in _NOT_TEXT:
                parts.append(node.text)
            children = list(node)
            for child in reversed(children):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)
    return separator.join(parts)


def site_pages(html_dir: Path) -> list[Path]:
    """The HTML pages of a built site: not its static files, sources or doctrees."""
    return [
        path
        for path in sorted(html_dir.rglob("*.htm*"))
        if not path.relative_to(html_dir)
        .as_posix()
        .startswith(("_static/", "_sources/", ".doctrees/"))
    ]


def located(found: list[Violation], source: Path) -> list[Violation]:
    """Put each violation at the first source line that shows its subject."""
    if not found:
        return found
    try:
        lines = source.read_text(encoding="utf-8").lower().splitlines()
    except (OSError, UnicodeDecodeError):
        return found
    moved = []
    for violation in found:
        words = violation.subject.lower().split()[:2]
        line = next(
            (n for n, text in enumerate(lines, 1) if words and " ".join(words) in text),
            violation.line,
        )
        moved.append(dataclasses.replace(violation, line=line))
    return moved
