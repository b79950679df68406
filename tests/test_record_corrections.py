"""The corrections to the record stay made (issue 9).

A review against the records found a false disclaimer, a false "no human
data", ERK tagged as cell culture, and a hand-kept list of unverified claims
that had drifted. These tests pin each correction, and each check is shown to
fail on a fixture that repeats the old mistake.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import DOCS, FIXTURES, ROOT, copy_docs, sphinx_build

from noopept_brief import core

RECORD = FIXTURES / "record"
SNIPPET = DOCS / core.DISCLAIMER_SNIPPET


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _claims(pages: list[Path]) -> list[core.Claim]:
    return [c for page in pages for c in core.claims(page.read_text(encoding="utf-8"))]


# -- Global negatives: the disclaimer, and "no human data" ----------------------


def test_disclaimer_makes_no_global_negative() -> None:
    problems = core.check_global_negatives(SNIPPET.read_text("utf-8"), _rel(SNIPPET))
    assert problems == [], "\n".join(map(str, problems))
    # It still says what it must.
    body = core.read_disclaimer(DOCS).body
    for words in ("not medical advice", "recommends or endorses any substance",
                  "found no approval", "United States", "European Union"):  # fmt: skip
        assert words in body, f"the disclaimer must say {words!r}: {body}"


def test_old_disclaimer_is_refused() -> None:
    page = RECORD / "old-disclaimer.md"
    problems = core.check_global_negatives(page.read_text("utf-8"), _rel(page))
    assert [(p.rule, p.line) for p in problems] == [
        ("global-negative", 6),
        ("global-negative", 7),
    ]
    message = str(problems[1])
    assert message.startswith(f"{_rel(page)}:7: [global-negative] "), message
    assert "found no approval for it in the United States" in message


@pytest.mark.parametrize("page", [*core.pages(DOCS), SNIPPET], ids=lambda p: p.name)
def test_no_page_says_there_are_no_human_data(page: Path) -> None:
    problems = core.check_global_negatives(page.read_text("utf-8"), _rel(page))
    assert problems == [], "\n".join(map(str, problems))


def test_no_human_data_is_refused() -> None:
    page = RECORD / "no-human-data.md"
    problems = core.check_page(page.read_text("utf-8"), _rel(page))
    assert [(p.rule, p.line) for p in problems] == [
        ("global-negative", 12),
        ("global-negative", 14),
    ]
    assert "boyko2004, neznamov2009" in str(problems[0])


@pytest.mark.build
def test_build_refuses_a_false_disclaimer(tmp_path: Path) -> None:
    """Read the Docs runs no tests: the -W build itself must refuse it."""
    docs = copy_docs(tmp_path / "docs")
    (docs / core.DISCLAIMER_SNIPPET).write_bytes(
        (RECORD / "old-disclaimer.md").read_bytes()
    )
    result = sphinx_build("-b", "html", docs, tmp_path / "html")
    assert result.returncode != 0
    where = f"{docs / core.DISCLAIMER_SNIPPET}:7: WARNING"
    assert where in result.stderr, result.stderr
    assert "[brief.global-negative]" in result.stderr


# -- Human studies, and ERK ----------------------------------------------------


def human_claims_problem(pages: list[Path]) -> str:
    """Why these pages fall short of two claims resting on studies in people."""
    found = [c for c in _claims(pages) if c.evidence == "human"]
    if len(found) >= 2:
        return ""
    return (
        f"only {len(found)} claim(s) carry ':evidence: human', but two human "
        "studies are on record (boyko2004, neznamov2009). Mark each claim that "
        "rests on them with ':evidence: human'."
    )


def test_at_least_two_claims_rest_on_human_studies() -> None:
    assert human_claims_problem(core.pages(DOCS)) == ""


def test_missing_human_claims_are_noticed() -> None:
    assert "only 0 claim(s)" in human_claims_problem([RECORD / "no-human-claims.md"])


def erk_problems(pages: list[Path]) -> list[str]:
    """ERK claims must rest on tissue from treated rats (ostrovskaya2010)."""
    return [
        f"{_rel(page)}:{c.line}: the ERK claim {c.short!r} is tagged "
        f"{c.evidence!r}; the only primary record is hippocampal tissue from "
        "treated rats. Set ':evidence: ex-vivo-tissue'."
        for page in pages
        for c in core.claims(page.read_text(encoding="utf-8"))
        if "ERK" in c.short and c.evidence != "ex-vivo-tissue"
    ]


def test_erk_is_tagged_as_ex_vivo_tissue() -> None:
    erk = [c for c in _claims(core.pages(DOCS)) if "ERK" in c.short]
    assert len(erk) >= 2, "the ERK claims on 03 and 06 are gone"
    assert erk_problems(core.pages(DOCS)) == []
    assert all(c.status == "differs" for c in erk), (
        "one study: differs, not contradicted"
    )


def test_erk_in_cells_is_noticed() -> None:
    page = RECORD / "erk-in-vitro.md"
    (problem,) = erk_problems([page])
    assert problem.startswith(f"{_rel(page)}:8: ") and "ex-vivo-tissue" in problem


# -- The generated list of claims the records do not confirm -------------------


def unlisted(page_html: str, pages: list[Path]) -> list[str]:
    """Short texts of unconfirmed claims missing from the generated list."""
    match = re.search(r'<ul class="unverified-claims[^"]*">(.*?)</ul>', page_html, re.S)
    items = re.findall(r"<li>(.*?)</li>", match[1] if match else "", re.S)
    texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in items]
    return [
        c.short
        for c in _claims(pages)
        if c.status != "confirmed" and not any(t.startswith(c.short) for t in texts)
    ]


@pytest.mark.build
def test_generated_list_holds_every_unconfirmed_claim(html_dir: Path) -> None:
    page = (html_dir / "06-limitations.html").read_text(encoding="utf-8")
    assert unlisted(page, core.pages(DOCS)) == []
    listed = re.search(r'<ul class="unverified-claims[^"]*">(.*?)</ul>', page, re.S)
    assert listed and listed[1].count("<li>") == sum(
        c.status != "confirmed" for c in _claims(core.pages(DOCS))
    ), "the list holds confirmed claims too"


def test_a_hand_kept_list_is_noticed() -> None:
    page = (RECORD / "hand-kept-list.html").read_text(encoding="utf-8")
    missing = unlisted(page, core.pages(DOCS))
    assert "Article: ERK activity rises; the record shows a fall" in missing
    assert "Brief: no US or EU approval found" not in missing
