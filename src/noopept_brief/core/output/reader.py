"""What the reader gets besides a page's text, and the disclaimer as seen (issue 20).

:func:`reader_channels`: the content and reader-text rules over the alt,
title and aria-label attributes and the meta and OpenGraph descriptions.
:func:`disclaimer_seen`: exactly one disclaimer, the first thing below the
page's title, and no other element dressed as it. :mod:`.site` runs both on
every written page.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..markdown.content_rules import check_read_text
from ..rules import Rule
from ..violations import Violation
from .pages import classes, normal

#: Attributes whose words reach readers (tooltips, screen readers, previews).
READER_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
#: <meta> tags whose content search results and link previews show.
READER_META = re.compile(r"^(?:description|og:|twitter:|article:tag)", re.I)

# The elements the loops below would skip are left out in C, by XPath: a page
# has some 1,500 elements, and few carry these attributes. Document order, as
# ``root.iter()`` gives them, so messages come in the same order.
_READER_ELEMENTS = etree.XPath(
    "descendant-or-self::*[self::meta or "
    + " or ".join(f"@{name}" for name in READER_ATTRIBUTES)
    + "]"
)


def reader_channels(root: Any, shown: str) -> list[Violation]:
    """The content and reader-text rules over every channel a reader gets
    besides the page's text: alt, title and aria-label attributes, and the
    meta and OpenGraph descriptions (issue 20)."""
    problems = []
    for element in _READER_ELEMENTS(root):
        values = [(f"<{element.tag} {a}>", element.get(a)) for a in READER_ATTRIBUTES]
        name = element.get("name") or element.get("property") or ""
        if element.tag == "meta" and READER_META.match(name):
            values.append((f"<meta {name}>", element.get("content")))
        for what, value in values:
            if not value or not value.strip():
                continue
            problems += check_read_text(value, shown, 1, f"the {what} text")
    return problems


def disclaimer_seen(
    blocks: list[Any], article: Any, section: Any, shown: str, expected: Any
) -> list[Violation]:
    """Exactly one disclaimer, first below the page's title, and nothing else
    dressed as it: no other element with its classes or its title (issue 20).
    ``blocks`` are the page's elements with the disclaimer's class, as
    :mod:`.site` found them; ``expected`` is :class:`.site.Expected` (its
    ``title`` and ``disclaimer_classes``)."""
    title, disclaimer_classes = expected.title, expected.disclaimer_classes
    problems = []

    def refuse(message: str) -> None:
        problems.append(Violation(shown, 1, Rule.BUILT_DISCLAIMER, message))

    if len(blocks) > 1:
        refuse(f"the page shows {len(blocks)} blocks with the disclaimer's class; "
               "it shows one, from ```{disclaimer}``` below the title.")  # fmt: skip
    # Everything inside a disclaimer block, found once (lxml gives the same
    # element object again while this set holds it).
    inside = {e for block in blocks for e in block.iter(etree.Element)}
    dressed = disclaimer_classes - {"admonition"}

    def dressed_as_it(e: Any) -> bool:
        if e in inside:
            return False
        if dressed & set(classes(e)):
            return True
        # normal() never lengthens a text: a shorter one cannot be the title.
        text = e.text
        return bool(text) and len(text) >= len(title) and normal(text) == title

    if any(dressed_as_it(e) for e in article.iter(etree.Element)):
        refuse("an element other than the disclaimer carries its title or its "
               "classes, so readers may take it for the disclaimer. Give it "
               "another title, and a class from core/markdown/markup.toml.")  # fmt: skip
    if section is not None and blocks:
        children = [c for c in section if isinstance(c.tag, str)]
        # A (label)= target before the title is an empty <span id=...>.
        heads = [n for n, c in enumerate(children) if c.tag == "h1"]
        after = (
            children[heads[0] + 1] if heads and heads[0] + 1 < len(children) else None
        )
        if after is not blocks[0]:
            refuse("the disclaimer is not the first thing below the page's "
                   "title, so readers may never reach it. Put ```{disclaimer}``` "
                   "just below the title.")  # fmt: skip
    return problems
