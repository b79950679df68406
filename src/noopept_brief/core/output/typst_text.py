"""Text into Typst source: the one escaping function, and safe names.

The handout's Typst file (written by :mod:`noopept_brief.sphinxext.typst_builder`)
holds the brief's text as Typst *markup*, where ``#`` starts code, ``$``
math, ``*`` and ``_`` emphasis, ``<x>`` a label, ``@x`` a reference, ``//`` a
comment, ``=``, ``-``, ``+`` and ``/`` at a line's start a heading or a list,
and ``https://`` a link. :func:`escape` is the only way text gets there: every
character that could mean something is escaped with a backslash (Typst reads
``\\`` before any character as that character), and whitespace, newlines
included, becomes one space, so no text can start a line. So no page, refs.bib
field or claim can run Typst code, read a file or add a link.

Two other things reach the file, never from text: :func:`string` (a URL that
passed the allowlist, as a Typst string literal) and :func:`label` (a Sphinx
id, as a Typst label name). No Sphinx import here.
"""

from __future__ import annotations

import re

#: Characters with a meaning somewhere in Typst markup (``.`` for "1." and
#: "...", ``:`` for "https:"; ``;``, ``(`` and ``.`` right after a code call,
#: ``#link(...)[...]``, would end it or continue it): each is written with a
#: backslash before it.
SPECIAL = "\\#$*_`<>@=-+/[]\"'~.:;()"
_SPECIAL = re.compile("([" + re.escape(SPECIAL) + "])")
#: Whitespace that ends or separates words; the no-break space (U+00A0) and the
#: thin spaces are kept, as they keep "p. 8" or "§ 3" together.
_BREAKING_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029]+")
#: C0 and C1 controls, and other characters a PDF cannot show.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: What a Typst label may hold; anything else becomes "-".
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def escape(text: str) -> str:
    """``text`` as Typst markup that prints exactly ``text``.

    >>> escape("#set page(x) $1 *b* _i_ <l> @r")
    '\\\\#set page\\\\(x\\\\) \\\\$1 \\\\*b\\\\* \\\\_i\\\\_ \\\\<l\\\\> \\\\@r'
    >>> escape("= Heading\\n- item\\n\\n1. enum")
    '\\\\= Heading \\\\- item 1\\\\. enum'
    >>> escape("p.\\u00a08")
    'p\\\\.\\xa08'
    """
    text = _CONTROL.sub("", text)
    text = _BREAKING_SPACE.sub(" ", text)
    return _SPECIAL.sub(r"\\\1", text)


def string(text: str) -> str:
    """``text`` as a Typst string literal, quotes included (for URLs).

    >>> print(string('https://doi.org/10.1/a"b\\\\c'))
    "https://doi.org/10.1/a\\"b\\\\c"
    """
    text = _CONTROL.sub("", text)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def label(name: str) -> str:
    """A Sphinx id (``docname:id``) as a Typst label name.

    >>> label("01-overview:claim-erk")
    '01-overview:claim-erk'
    >>> label("a b/<c>")
    'a-b--c-'
    """
    return _LABEL_UNSAFE.sub("-", name) or "-"
