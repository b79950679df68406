"""The PDF is a handout read on paper: dated, citable, and with no dead ends.

Four checks read the PDF's text, page by page: the front page's edition block
(version, date, licence, how to cite) and key points; each claim's label with
its id, found again on its row of the evidence map; each cross-reference's
section and page; and no near-empty page but the last. Each check runs on the
built PDF and on fixture texts (tests/fixtures/pdf-handout/, pages separated by
form feeds, as pdftotext writes them) that break its rule, so that each one is
seen to fail, with a message naming the file, the page and the fix.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import DOCS, FIXTURES, ROOT

from noopept_brief import core

HANDOUT_FIXTURES = FIXTURES / "pdf-handout"
#: The running header's first words; the footer ends "page N of M".
HEADER = "Noopept: a research-context brief"
FOOTER = re.compile(r"page \d+ of \d+\s*$")
#: A page holds at least this many lines of body text, except the last.
MIN_BODY_LINES = 6
#: A cross-reference as the handout prints it: "(§3.2, p. 8)", or "(p. 1)".
REFERENCE = re.compile(r"\((?:§(?P<section>[\d.]+), )?p\.\s?(?P<page>\d+)\)")
#: A contents line: "3.2 Cortical tissue response . . . 7".
TOC_LINE = re.compile(r"^(?P<number>\d+(?:\.\d+)*) (?P<title>.+?)[ .]*(?P<page>\d+)$")
#: A claim's label: "id | Evidence basis | Status".
LABEL = re.compile(
    r"(?P<id>\S*) ?\| (?:"
    + "|".join(re.escape(e.label) for e in core.Evidence)
    + r") \| (?:"
    + "|".join(re.escape(s.label) for s in core.Status)
    + ")"
)


# -- The checks ----------------------------------------------------------------


def check_front_page(pages: list[str], path: str, version: str, date: str) -> list[str]:
    """The front page says which edition it is, and carries the key points."""
    front = " ".join(pages[0].split()) if pages else ""
    wanted = {
        f"Version {version}": "the version (conf.py reads pyproject.toml)",
        f"Date {date}": "the date of the last commit (SOURCE_DATE_EPOCH)",
        "CC BY 4.0": "the licence line, 'Text licensed CC BY 4.0'",
        "Cite as": "one line on how to cite this edition",
        "Key points": "the landing page's key points (HandoutFrontMatter moves them)",
    }
    return [
        f"{path}: page 1: the front page lacks {what}: {text!r} is missing. "
        "The edition block is conf.py's 'maketitle'; fill it from core.edition()."
        for text, what in wanted.items()
        if text not in front
    ]


def _body_lines(page: str) -> list[str]:
    return [
        line
        for line in page.splitlines()
        if line.strip() and not line.startswith(HEADER) and not FOOTER.search(line)
    ]


def check_page_fill(pages: list[str], path: str) -> list[str]:
    """No page but the last holds fewer than MIN_BODY_LINES lines of body text."""
    return [
        f"{path}: page {number}: only {len(lines)} lines of body text (header and "
        f"footer not counted), fewer than {MIN_BODY_LINES}. Let the text run on: "
        "remove the forced page break before it (a \\clearpage, a chapter "
        "opener), or let the table or box that follows break across pages."
        for number, page in enumerate(pages[:-1], start=1)
        if len(lines := _body_lines(page)) < MIN_BODY_LINES
    ]


def _contents(pages: list[str]) -> list[tuple[str, int]]:
    """The contents' sections and their first pages, in order."""
    for page in pages:
        if "Contents" in page:
            return [
                (m["number"], int(m["page"]))
                for line in page.splitlines()
                if (m := TOC_LINE.match(line.strip()))
            ]
    return []


def check_references(pages: list[str], path: str) -> list[str]:
    """Each cross-reference names a section in the contents, and a page on which
    that section runs."""
    sections = _contents(pages)
    if not sections:
        return [f"{path}: no page holds the contents, so no reference can be checked."]
    span = {}
    for index, (number, first) in enumerate(sections):
        later = [p for n, p in sections[index + 1 :] if not n.startswith(number + ".")]
        span[number] = (first, later[0] if later else len(pages))
    problems, found = [], 0
    for page_number, page in enumerate(pages, start=1):
        for match in REFERENCE.finditer(" ".join(page.split())):
            found += 1
            section, target = match["section"], int(match["page"])
            if section is None:
                continue
            if section not in span:
                problems.append(
                    f"{path}: page {page_number}: {match[0]} names section {section}, "
                    "which the contents do not list. A reference from inside a "
                    "table or a numbered list takes that counter: give its "
                    "labels the section's number (see \\briefsectionlabels)."
                )
            elif not span[section][0] <= target <= span[section][1]:
                first, last = span[section]
                problems.append(
                    f"{path}: page {page_number}: {match[0]} points to page {target}, "
                    f"but section {section} runs on pages {first}-{last}. The label "
                    "takes the wrong counter: give it the section's number."
                )
    if not found:
        problems.append(
            f"{path}: no cross-reference prints a section and a page. Set "
            "latex_show_pagerefs = True and keep conf.py's \\autopageref."
        )
    return problems


def check_claim_labels(pages: list[str], path: str, claims: int) -> list[str]:
    """Each claim's label prints its id, and the evidence map lists that id."""
    problems, ids = [], []
    for page_number, page in enumerate(pages, start=1):
        for match in LABEL.finditer(page):
            if not match["id"]:
                problems.append(
                    f"{path}: page {page_number}: the label {match[0]!r} prints no "
                    "id. Its badge needs the claim-id inline (sphinxext/transforms.py)."
                )
            else:
                ids.append((page_number, match["id"]))
    if len(ids) + len(problems) != claims:
        problems.append(
            f"{path}: {len(ids) + len(problems)} claim labels, but the pages mark "
            f"{claims} claims: every claim's label must print, as 'id | evidence "
            "| status'."
        )
    # The map's cells break ids at their hyphens: join those lines again.
    # Found twice: on the label, and in the map's claim cell ("id | short").
    whole = " ".join(re.sub(r"-\n", "-", "\n".join(pages)).split())
    problems += [
        f"{path}: page {page_number}: the label's id {claim_id!r} is on no row of "
        "the evidence map: the map's claim cell must print the same id."
        for page_number, claim_id in ids
        if whole.count(f"{claim_id} | ") < 2
    ]
    return problems


# -- On the built PDF ----------------------------------------------------------


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


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


@pytest.fixture(scope="module")
def pdf_pages(pdf_path: Path) -> list[str]:
    return _pages(pdf_path)


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
def test_tex_log_has_no_warnings_the_project_can_fix(pdf_path: Path) -> None:
    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    for warning in ("headheight is too small", "Overfull \\hbox", "cmap Warning"):
        assert warning not in log, f"{pdf_path.with_suffix('.log')}: {warning}"
    assert "Bibliography" not in "\n".join(_pages(pdf_path)), "a running header"


# -- On fixtures: each check can fail -----------------------------------------


def _fixture(name: str) -> list[str]:
    return (HANDOUT_FIXTURES / name).read_text(encoding="utf-8").split("\f")


def test_good_fixture_passes_every_check() -> None:
    pages = _fixture("good.txt")
    assert check_front_page(pages, "good.txt", "1.2.3", "2026-01-02") == []
    assert check_page_fill(pages, "good.txt") == []
    assert check_references(pages, "good.txt") == []
    assert check_claim_labels(pages, "good.txt", claims=2) == []


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
    assert "\\briefsectionlabels" in problems[1]
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
