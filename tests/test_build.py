"""What readers get: every HTML page and the PDF carry the disclaimer and the
Limitations link. These tests build the real docs (slow, marked `build`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DOCS

from noopept_brief import core

pytestmark = pytest.mark.build

DISCLAIMER = core.read_disclaimer(DOCS)
HTML_PAGES = [p.relative_to(DOCS).with_suffix(".html") for p in core.pages(DOCS)]


class _Page(HTMLParser):
    """Collects a page's text, link targets and element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", HTML_PAGES, ids=str)
def test_html_page_has_disclaimer_and_limitations_link(
    html_dir: Path, name: Path
) -> None:
    page = _read(html_dir / name)
    text = _words(" ".join(page.text))
    assert DISCLAIMER.body in text, f"{name}: the disclaimer text is missing"
    links = [h for h in page.hrefs if h.endswith(f"#{core.LIMITATIONS_LABEL}")]
    assert links, f"{name}: no link to #{core.LIMITATIONS_LABEL}"
    for href in links:
        target = (html_dir / name).parent / (href.split("#")[0] or name.name)
        assert core.LIMITATIONS_LABEL in _read(target).ids, f"{name}: {href} is broken"


def test_pdf_carries_disclaimer_limitations_and_metadata(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    pages = [_words(text) for text in pdf_pages]
    whole = " ".join(pages)
    assert DISCLAIMER.body in whole, "the title page must carry the disclaimer"
    assert "Limitations and research boundaries" in whole
    footer = DISCLAIMER.title.lower()
    bare = [n for n, text in enumerate(pages, start=1) if footer not in text.lower()]
    assert not bare, f"pages {bare} lack the footer disclaimer {DISCLAIMER.title!r}"
    assert "not medical advice" in footer
    info = reader.metadata
    assert info is not None
    for field in ("title", "author", "subject"):
        assert getattr(info, field), f"the PDF has no {field} metadata"
    assert info.get("/Keywords"), "the PDF has no keywords metadata"
    assert reader.trailer["/Root"].get("/Lang") == "en", "the PDF declares no language"


def test_pdf_has_one_references_chapter_with_author_year_labels(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)

    def titles(outline) -> list[str]:
        return [t for item in outline for t in
                (titles(item) if isinstance(item, list) else [item.title])]  # fmt: skip

    # Bookmarks carry the section number: "8 References".
    chapters = [re.sub(r"^[\d.]+ ", "", t) for t in titles(reader.outline)]
    assert chapters.count("References") == 1, chapters
    assert "Bibliography" not in chapters, "a second bibliography heading is back"
    whole = _words(" ".join(pdf_pages))
    assert not re.search(r"\[\d+\]", whole), "numeric labels leaked into the PDF"
    for label in ("[Boiko et al., 2000]", "[Gudasheva et al., 1996a]"):
        assert whole.count(label) == 1, f"{label} should head one list entry"
    assert "(Boiko et al., 2000)" in whole, "in-text citations must read (Author, Year)"


def test_reference_labels_name_a_person_or_the_title(html_dir: Path) -> None:
    # An organisation's braces never show, and a work whose record names no
    # author (nnp2022) is labelled by its short title, never by an invented name.
    text = _words(" ".join(_read(html_dir / "references.html").text))
    labels = re.findall(r"\[\s*([^\[\]]+?, \d{4}[a-z]?)\s*\]", text)
    assert "U.S. Food and Drug Administration, 2019" in labels, labels
    assert "\u201cPossibilities nootropic drugs\u2026\u201d, 2022" in labels, labels
    assert not [label for label in labels if "{" in label or label.startswith(",")]
