"""The PDF is a handout read on paper: dated, citable, accessible, with no dead ends.

The checks (tests/handout_checks.py) read the PDF's text, page by page: the
front page's edition block (version, date, licence, how to cite) and key
points; each claim's label with its id, found again on its row of the
evidence map; each cross-reference's section and page; no near-empty page but
the last; no nested brackets around a reference; a compact evidence map whose
claim cells do not repeat the "Where" cell's place; the content rules and the
disclaimer over the PDF's own text.
Each check runs on the built PDF (Typst: sphinxext/typst_builder.py) and on
fixture texts (tests/fixtures/pdf-handout/, pages separated by form feeds, as
pdftotext writes them) that break its rule, so that each one is seen to fail,
with a message naming the file, the page and the fix. ``pdfua`` checks the
tagged PDF/UA-1 structure.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DOCS, ROOT
from handout_checks import (
    FOOTER,
    HANDOUT_FIXTURES,
    check_brackets,
    check_claim_labels,
    check_evidence_map,
    check_front_page,
    check_page_fill,
    check_pdf_text,
    check_references,
)

from noopept_brief import core
from noopept_brief.core.markdown.disclaimer import Disclaimer

# -- On the built PDF ----------------------------------------------------------


def _version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "version"
    ]


def _date() -> str:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or core.source_date_epoch(DOCS))
    return datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()


def _claim_count() -> int:
    return sum(
        len(core.claims(p.read_text(encoding="utf-8"))) for p in core.pages(DOCS)
    )


@pytest.mark.build
def test_front_page_carries_the_edition_and_the_key_points(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    assert check_front_page(pdf_pages, pdf_path.name, _version(), _date()) == []
    front = " ".join(pdf_pages[0].split())
    assert core.read_disclaimer(DOCS).body in front, "the disclaimer, in full, up front"
    commit = core.short_commit(DOCS)
    if commit:
        assert f"Commit {commit}" in front


@pytest.mark.build
def test_disclaimer_is_printed_once_and_short_in_every_footer(
    pdf_pages: list[str],
) -> None:
    disclaimer = core.read_disclaimer(DOCS)
    whole = " ".join(" ".join(pdf_pages).split())
    assert whole.count(disclaimer.body) == 1, "the full disclaimer, once"
    for number, page in enumerate(pdf_pages, start=1):
        footer = [line for line in page.splitlines() if FOOTER.search(line)]
        assert footer, f"page {number} has no 'page N of M' footer"
        assert f"page {number} of {len(pdf_pages)}" in footer[0]
        assert disclaimer.title in page and _version() in footer[0]


@pytest.mark.build
def test_no_page_but_the_last_is_nearly_empty(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    assert check_page_fill(pdf_pages, pdf_path.name) == []


@pytest.mark.build
def test_cross_references_give_section_and_page(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    assert check_references(pdf_pages, pdf_path.name) == []


@pytest.mark.build
def test_claim_labels_print_their_ids_and_the_map_lists_them(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    assert check_claim_labels(pdf_pages, pdf_path.name, _claim_count()) == []


@pytest.mark.build
def test_the_reader_fixes_hold(pdf_path: Path, pdf_pages: list[str]) -> None:
    assert check_brackets(pdf_pages, pdf_path.name) == []
    assert check_evidence_map(pdf_pages, pdf_path.name) == []
    assert "Bibliography" not in "\n".join(pdf_pages), "a running header"
    # The site-only pages (conf.py: brief_handout_exclude) are left out.
    contents = " ".join(" ".join(pdf_pages[:3]).split())
    for title in ("Accessibility", "What changed"):
        assert f" {title} " not in contents.partition("About this brief")[0], title


@pytest.mark.build
def test_the_pdfs_own_text_passes_the_content_and_disclaimer_rules(
    pdf_path: Path, pdf_pages: list[str]
) -> None:
    disclaimer = core.read_disclaimer(DOCS)
    assert check_pdf_text(pdf_pages, pdf_path.name, disclaimer) == []


#: pdfua 0.1.3's empty-heading rule cannot read pikepdf 10's arrays (it asks
#: an Array for .is_integer and gets a ValueError): reported, not a finding.
PDFUA_BROKEN_RULES = {"UA-14-001"}


@pytest.mark.build
def test_pdfua_finds_nothing(pdf_path: Path) -> None:
    from pdfua import validate

    report = validate(str(pdf_path))
    found = [f"{f.rule_id} {f.severity.name}: {f.message} ({f.location.describe()})"
             for f in report.findings]  # fmt: skip
    assert found == [], f"{pdf_path}: pdfua check reports:\n" + "\n".join(found)
    skipped = {o.rule_id: o.skipped_reason for o in report.skipped}
    assert set(skipped) <= PDFUA_BROKEN_RULES, f"rules pdfua could not run: {skipped}"


@pytest.mark.build
def test_the_pdf_is_tagged_with_title_language_and_table_headers(
    pdf_path: Path,
) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    root = PdfReader(pdf_path).trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"], "viewers show no title"

    def kids(node: DictionaryObject) -> list:
        found = node.get("/K")
        found = found.get_object() if found is not None else None
        items = found if isinstance(found, ArrayObject) else [found]
        return [k.get_object() if hasattr(k, "get_object") else k for k in items]

    def marks_content(node: object) -> bool:  # an MCID, or a marked-content ref
        if isinstance(node, int):
            return True
        if not isinstance(node, DictionaryObject):
            return False
        return node.get("/Type") == "/MCR" or any(map(marks_content, kids(node)))

    roles, empty, stack = set(), [], [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            role = str(node.get("/S", ""))
            roles.add(role)
            # pdfua's own empty-heading rule cannot run (PDFUA_BROKEN_RULES).
            if re.fullmatch(r"/H\d?", role) and not marks_content(node):
                empty.append(role)
            stack.extend(k for k in kids(node) if isinstance(k, DictionaryObject))
    assert {"/TH", "/TD", "/Table", "/L", "/Link"} <= roles, sorted(roles)
    assert {"/H1", "/H2"} <= roles, sorted(roles)
    assert not empty, f"{pdf_path}: headings tagged with no text: {empty}"


@pytest.mark.build
def test_no_sitemap_in_the_pdf_output(pdf_path: Path) -> None:
    assert not (pdf_path.parent / "sitemap.xml").exists(), (
        "sphinx-sitemap wrote a sitemap of HTML pages into the PDF's folder"
    )


# -- On fixtures: each check can fail -----------------------------------------


def _fixture(name: str) -> list[str]:
    return (HANDOUT_FIXTURES / name).read_text(encoding="utf-8").split("\f")


def test_good_fixture_passes_every_check() -> None:
    pages = _fixture("good.txt")
    assert check_front_page(pages, "good.txt", "1.2.3", "2026-01-02") == []
    assert check_page_fill(pages, "good.txt") == []
    assert check_references(pages, "good.txt") == []
    assert check_claim_labels(pages, "good.txt", claims=2) == []
    assert check_brackets(pages, "good.txt") == []
    assert check_evidence_map(pages, "good.txt") == []
    disclaimer = Disclaimer("Research context only: not medical advice", "Key points")
    assert check_pdf_text(pages, "good.txt", disclaimer) == []


def test_front_page_without_date_or_licence_fails() -> None:
    problems = check_front_page(
        _fixture("no-edition.txt"), "no-edition.txt", "1.2.3", "2026-01-02"
    )
    assert len(problems) == 2, problems
    assert all(p.startswith("no-edition.txt: page 1: ") for p in problems)
    assert "'Date 2026-01-02' is missing" in problems[0]
    assert "CC BY 4.0" in problems[1] and "core.edition()" in problems[1]


def test_near_empty_page_fails() -> None:
    problems = check_page_fill(_fixture("short-page.txt"), "short-page.txt")
    assert len(problems) == 1, problems
    assert problems[0].startswith("short-page.txt: page 2: only 2 lines")
    assert "remove the forced page break" in problems[0]


def test_reference_to_the_wrong_section_or_page_fails() -> None:
    problems = check_references(_fixture("bad-references.txt"), "bad-references.txt")
    assert len(problems) == 2, problems
    assert problems[0].startswith("bad-references.txt: page 2: (§1, p. 3) points")
    assert "section 1 runs on pages 2-2" in problems[0]
    assert problems[1].startswith("bad-references.txt: page 3: (§9, p. 3) names")
    assert "handout.typ's where()" in problems[1]
    bare = check_references(_fixture("no-edition.txt"), "no-edition.txt")
    assert bare == ["no-edition.txt: no page holds the contents, so no reference "
                    "can be checked."]  # fmt: skip


def test_label_without_id_or_map_row_fails() -> None:
    problems = check_claim_labels(
        _fixture("bad-labels.txt"), "bad-labels.txt", claims=3
    )
    assert len(problems) == 3, problems
    assert problems[0].startswith("bad-labels.txt: page 2: the label '| Background")
    assert "prints no id" in problems[0] and "claim-id" in problems[0]
    assert "2 claim labels, but the pages mark 3 claims" in problems[1]
    assert problems[2].startswith("bad-labels.txt: page 2: the label's id 'orphan'")


def test_a_map_row_giving_another_page_than_its_label_fails() -> None:
    pages = _fixture("good.txt")
    pages[2] = pages[2].replace(
        "alpha | A statement in the text §1, p. 2",
        "alpha | A statement in the text §1, p. 3",
    )
    problems = check_claim_labels(pages, "moved.txt", claims=2)
    assert problems == [
        "moved.txt: page 2: the map's row for 'alpha' says p. 3, but its label is "
        "on page 2. Where must locate the label (typst_translator.py, BADGE)."
    ]


def test_nested_brackets_a_long_map_and_bad_text_fail() -> None:
    pages = _fixture("bad-reader.txt")
    problems = check_brackets(pages, "bad-reader.txt")
    assert problems == [
        "bad-reader.txt: page 1: '(2008 (§2, p. 3))' nests brackets. Inside a "
        "bracket a reference prints '; §2.1, p. 5' (handout.typ's xref, bracketed)."
    ]
    problems = check_evidence_map(pages, "bad-reader.txt")
    assert len(problems) == 1, problems
    assert problems[0].startswith("bad-reader.txt: page 3: the map's row repeats")
    long_map = check_evidence_map(pages[2:], "long.txt")
    assert "runs on 1 of 1 pages, more than a third" in long_map[0]
    disclaimer = Disclaimer("Research context only: not medical advice", "Key")
    problems = check_pdf_text(pages, "bad-reader.txt", disclaimer)
    assert (
        problems[0].startswith("bad-reader.txt: page 2: ") and "dosing" in problems[0]
    )
    assert any("buying" in p for p in problems)
    assert problems[-1] == (
        "bad-reader.txt: page 3: the footer lacks the short disclaimer "
        "'Research context only: not medical advice' (handout.typ's footer "
        "prints it on every page)."
    )
