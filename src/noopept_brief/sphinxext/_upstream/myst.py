"""MyST-Parser's internals (pinned ``myst-parser>=5,<6``; the core's own
uses of MyST are in ``core/_upstream.py``).

* MyST's renderer makes a new docutils document, with a new option parser of
  over fifty options, every time it sets up to render a page, even when it
  is handed the page's own document (``options.get("document",
  make_document())`` makes the default first): :func:`make_documents_once`
  has ``make_document`` make each parser class's option parser once a
  process. The settings come out as they did: a new ``Values`` each time,
  from defaults that hold nothing mutable (``tests/test_upstream.py``).
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

from docutils import nodes
from docutils.frontend import OptionParser
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document


@cache
def _option_parser(parser_cls: type[Any]) -> OptionParser:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return OptionParser((parser_cls,))


def make_document(
    source_path: str = "notset", parser_cls: type[Any] = RSTParser
) -> nodes.document:
    """MyST's ``make_document``, with docutils' ``get_default_settings``
    reading a parser made once (it makes a new one on every call)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        settings = _option_parser(parser_cls).get_default_values()
    return new_document(source_path, settings=settings)


def make_documents_once() -> None:
    """Put :func:`make_document` in MyST's renderer module, where its
    ``setup_render`` and nested parses look it up."""
    from myst_parser.mdit_to_docutils import base

    base.make_document = make_document
