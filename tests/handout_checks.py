"""What tests/test_pdf_handout.py checks in the handout's text, page by page.

Each check takes the PDF's pages as text (as pdftotext or pypdf gives them)
and returns what is wrong, each problem with the file, the page and the fix;
an empty list means the handout passes. The fixtures under
tests/fixtures/pdf-handout/ prove that each check can fail.
"""

from __future__ import annotations

import re

from conftest import FIXTURES

from noopept_brief import core
from noopept_brief.core.markdown.disclaimer import Disclaimer
from noopept_brief.core.output import pdf_text

HANDOUT_FIXTURES = FIXTURES / "pdf-handout"
#: The running header's first words; the footer ends "page N of M".
HEADER = "Noopept: a research-context brief"
FOOTER = re.compile(r"page \d+ of \d+\s*$")
#: A page holds at least this many lines of body text, except the last.
MIN_BODY_LINES = 6
#: A cross-reference as the handout prints it: "(§3.2, p. 8)", "(p. 1)", or
#: inside brackets "(2008; §2.1, p. 5)" and "(§2.1, p. 5; Confirmed)".
REFERENCE = re.compile(r"(?:\(|; )(?:§(?P<section>[\d.]+), )?p\.\s?(?P<page>\d+)[);]")
#: A reference nested in a bracket: "(2008 (§2.1, p. 5))".
NESTED = re.compile(r"\([^()]{0,200}\((?:§[\d.]+, )?p\.\s?\d+\)\)")
#: A map row's claim cell, then its "Where": "id | short text §3.2, p. 8".
MAP_ROW_WHERE = (
    r" \| (?!(?:"
    + "|".join(re.escape(e.label) for e in core.Evidence)
    + r") \|)[^§|]{1,400}?§[\d.]+, p\.\s?(?P<page>\d+)"
)
#: The evidence map's header row, repeated on every page the map runs on.
MAP_HEADER = "Claim Where Evidence Sources Status"
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
        "The edition block is typst_builder.py's preamble; fill it from core.edition()."
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
        "remove the forced page break before it (a #pagebreak in handout.typ "
        "or typst_builder.py), or let the table or box that follows break "
        "across pages."
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
                    "which the contents do not list. A reference must print the "
                    "heading counter at its target (handout.typ's where())."
                )
            elif not span[section][0] <= target <= span[section][1]:
                first, last = span[section]
                problems.append(
                    f"{path}: page {page_number}: {match[0]} points to page {target}, "
                    f"but section {section} runs on pages {first}-{last}. The label "
                    "stands in the wrong place: handout.typ's where() reads its page."
                )
    if not found:
        problems.append(
            f"{path}: no cross-reference prints a section and a page. Internal "
            "links go through handout.typ's xref() (typst_translator.py)."
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
    # The row's "Where" gives the page the label is on.
    for page_number, claim_id in ids:
        row = re.search(re.escape(claim_id) + MAP_ROW_WHERE, whole)
        if row and int(row["page"]) != page_number:
            problems.append(
                f"{path}: page {page_number}: the map's row for {claim_id!r} says "
                f"p. {row['page']}, but its label is on page {page_number}. "
                "Where must locate the label (typst_translator.py, BADGE)."
            )
    return problems


def check_brackets(pages: list[str], path: str) -> list[str]:
    """No reference inside a bracket opens a second one: "(2008 (§2.1, p. 5))"."""
    return [
        f"{path}: page {number}: {match[0]!r} nests brackets. Inside a bracket "
        "a reference prints '; §2.1, p. 5' (handout.typ's xref, bracketed)."
        for number, page in enumerate(pages, start=1)
        for match in NESTED.finditer(" ".join(page.split()))
    ]


def _map_pages(pages: list[str]) -> list[int]:
    return [
        n for n, page in enumerate(pages, 1) if MAP_HEADER in " ".join(page.split())
    ]


def check_evidence_map(pages: list[str], path: str) -> list[str]:
    """The map takes at most a third of the pages, and its claim cells print no
    place: the "Where" cell is the claim's section and page."""
    on = _map_pages(pages)
    if not on:
        return [f"{path}: no page holds the evidence map's header row {MAP_HEADER!r}."]
    problems = []
    if len(on) * 3 > len(pages):
        problems.append(
            f"{path}: the evidence map runs on {len(on)} of {len(pages)} pages, more "
            "than a third. Keep it compact: small type, no notes in its cells "
            "(typst_translator.py, MAP_WIDTHS)."
        )
    for number in on:
        table = " ".join(pages[number - 1].split()).partition(MAP_HEADER)[2]
        # The rows end with their status; text after the last one is not the map's.
        ends = [
            table.rfind(status) + len(status)
            for status in (s.label for s in core.Status)
        ]
        table = table[: max(ends)]
        problems += [
            f"{path}: page {number}: the map's row repeats its place {match[0]!r}: "
            "the 'Where' cell gives it; the claim cell links without it."
            for match in REFERENCE.finditer(table)
            if match[0].startswith("(")
        ]
    return problems


def check_pdf_text(pages: list[str], path: str, disclaimer: Disclaimer) -> list[str]:
    """The build's own check of the PDF's text (core.output.pdf_text), one
    line per problem: the content rules over every page's text, the
    disclaimer in full once, and its short form in every footer."""
    return [
        f"{path}: page {v.line}: {v.message}"
        for v in pdf_text.check_pdf_text(pages, path, disclaimer)
    ]
