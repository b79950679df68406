"""The PDF handout as the reader gets it: its own text, read back (issue 20).

The Typst source is checked too (``sphinxext/gate.py``), but the reader gets
the PDF: the layout's own text (the front page, every footer) and whatever
Typst makes of the source. :func:`check_pdf` reads each page's text with
PDFium (pypdfium2) and holds it to the content and reader-text rules; the full
disclaimer must be printed once and its short form in every page's footer.

PDFium, in C, reads the handout in about 0.07 s; pypdf, in Python, took 1.2 s,
a third of the PDF build (issue 21). The tests read the PDF with pypdf, so
two readers agree on it.

A word the layout hyphenates at a line's end ("pur-" then "chasing") is read
as one word, "pur-chasing", which the content rules read whole (as they read
a hyphen inside a word anywhere).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..markdown.content_rules import check_text
from ..markdown.disclaimer import Disclaimer
from ..markdown.reader_text import check_reader_text
from ..rules import Rule
from ..violations import Violation

#: Far beyond any page: text placed off the page is read too.
EVERYWHERE = (-1e9, -1e9, 1e9, 1e9)


def pdf_pages(pdf: Path | bytes) -> list[str]:
    """Each page's text (of a file, or of a PDF's bytes), as PDFium extracts
    it, lines ending in ``\\n``. A hyphen that ends a line reads ``-\\n``,
    as pypdf reads it (PDFium marks it ``\\x02`` and joins the lines)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return [
            page.get_textpage()
            .get_text_bounded(*EVERYWHERE)
            .replace("\r\n", "\n")
            .replace("\x02", "-\n")
            for page in document
        ]
    finally:
        document.close()


#: A hyphen that ends a line: the word goes on on the next line.
LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n\s*")


def check_pdf_text(
    pages: list[str], path: str, disclaimer: Disclaimer
) -> list[Violation]:
    """The content and reader-text rules over every page's text; the full
    disclaimer once, and its short form in every page's footer. A
    violation's line is the page's number."""
    problems = []
    for number, page in enumerate(pages, start=1):
        # Lines joined as the reader reads them: a word hyphenated at a line's
        # end is one word with a hyphen, which the content rules read whole.
        text = " ".join(LINE_END_HYPHEN.sub("-", page).split())
        where = f"page {number} of the PDF"
        problems += check_text(text, path, number)
        problems += check_reader_text(text, path, number, f"the text of {where}")
        if disclaimer.title not in text:
            problems.append(Violation(path, number, Rule.BUILT_DISCLAIMER,
                            "the footer lacks the short disclaimer "
                            f"{disclaimer.title!r} (handout.typ's footer prints "
                            "it on every page)."))  # fmt: skip
    whole = " ".join(" ".join(pages).split())
    if (count := whole.count(disclaimer.body)) != 1:
        problems.append(Violation(path, 1, Rule.BUILT_DISCLAIMER,
                        f"the full disclaimer is printed {count} times in the PDF; "
                        "the front page prints it once, from "
                        "docs/_snippets/disclaimer.md."))  # fmt: skip
    return problems


def check_pdf(pdf: Path, disclaimer: Disclaimer) -> list[Violation]:
    """:func:`check_pdf_text` over a built PDF."""
    return check_pdf_text(pdf_pages(pdf), str(pdf), disclaimer)
