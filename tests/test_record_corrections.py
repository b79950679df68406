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
from subprocess import CompletedProcess

import pytest
from conftest import DOCS, FIXTURES, ROOT

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
def test_build_refuses_a_false_disclaimer(
    broken_site: tuple[Path, CompletedProcess[str]],
) -> None:
    """Read the Docs runs no tests: the -W build itself must refuse it."""
    docs, result = broken_site  # its disclaimer is the old text
    old = (RECORD / "old-disclaimer.md").read_bytes()
    assert (docs / core.DISCLAIMER_SNIPPET).read_bytes() == old
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
        f"only {len(found)} claim(s) carry ':evidence: human', but human "
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


@pytest.mark.build
def test_list_heading_names_what_it_lists(html_dir: Path) -> None:
    """It lists differing and contradicted claims too, not only unverified ones;
    links made to the old heading still arrive."""
    page = (html_dir / "06-limitations.html").read_text(encoding="utf-8")
    assert "Claims the records do not confirm" in page
    assert "What this brief could not verify" not in page
    for anchor in ("could-not-verify", "what-this-brief-could-not-verify"):
        assert f'id="{anchor}"' in page, f"the anchor #{anchor} is gone"


def test_a_hand_kept_list_is_noticed() -> None:
    page = (RECORD / "hand-kept-list.html").read_text(encoding="utf-8")
    missing = unlisted(page, core.pages(DOCS))
    assert "Article: ERK activity rises; the record shows a fall" in missing
    assert "Brief: no US or EU approval found" not in missing


# -- The second review's corrections (issue 17) ---------------------------------


def _phrase(pattern: str) -> re.Pattern[str]:
    """A pattern whose spaces also match a line break (prose is wrapped)."""
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE)


#: Wording that said more than its record, and what the record supports.
OVERSTATEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _phrase(r"\b(?:two|three|four|five|both|several|\d+) human studies\b"),
        "it counts the human studies, and more may exist. Name the ones the "
        "brief has read (boyko2004, neznamov2009, the 2022 randomized "
        "comparison) instead.",
    ),
    (
        _phrase(r"\bneither study addresses\b"),
        "boyko2004 found no metabolites in human plasma, which bears on the "
        "metabolite hypothesis. Say so, with the authors' caveat.",
    ),
    (
        _phrase(r"\bis a registered medicine\b"),
        "the registration is seen only in secondary copies. Say what the "
        "primary record says: its developers say it was introduced into "
        "medical practice (boyko2018).",
    ),
    (
        _phrase(r"\bnot a (?:regulatory )?class(?: that any regulator assigns)?\b"),
        "US rules define Research Use Only labelling for in vitro diagnostic "
        "products (21 CFR 809.10(c)(2)(i)). Say instead that, as sellers use "
        "it, the label gives a compound no drug approval.",
    ),
    (
        _phrase(r"\bdesigned (?:\w+ ){0,2}to yield\b|\bintended prodrugs?\b"),
        "the prodrug idea is the developers' hypothesis: gudasheva1996ejmc "
        "says such esters and amides were supposed to be prodrugs. Write it "
        "as their hypothesis.",
    ),
    (
        _phrase(r"\bgiven once\b"),
        "belnik2007 gives one dose level, shortly before learning. Write "
        "'given at one dose level'.",
    ),
    (
        _phrase(r"\bless stress-induced\b"),
        "'stress-induced' is ostrovskaya2010's name for the kinase class, and "
        "no stress procedure is described. Write 'the kinases its authors "
        "call stress-induced'.",
    ),
    (
        _phrase(r"\ba central reference\b"),
        "that is the source article's framing. Drop it, or give it as the article's.",
    ),
)


def overstatements(text: str, path: str) -> list[str]:
    """Each known overstatement in a page, at its line, with what to write."""
    found = [
        (text.count("\n", 0, match.start()) + 1, " ".join(match[0].split()), fix)
        for pattern, fix in OVERSTATEMENTS
        for match in pattern.finditer(text)
    ]
    return [
        f"{path}:{line}: {phrase!r} says more than the records: {fix}"
        for line, phrase, fix in sorted(found)
    ]


@pytest.mark.parametrize("page", [*core.pages(DOCS), SNIPPET], ids=lambda p: p.name)
def test_no_page_says_more_than_the_records(page: Path) -> None:
    problems = overstatements(page.read_text("utf-8"), _rel(page))
    assert problems == [], "\n".join(problems)


def test_old_overstatements_are_refused() -> None:
    page = RECORD / "second-review.md"
    problems = overstatements(page.read_text("utf-8"), _rel(page))
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == [8, 10, 12, 14, 17, 20, 22, 24], "\n".join(problems)
    assert problems[0].startswith(f"{_rel(page)}:8: 'Two human studies' ")
    assert "Name the ones the brief has read" in problems[0]


def missing_caveats(text: str, path: str) -> list[str]:
    """Paragraphs that report boyko2004's missing metabolites without its caveat."""
    problems, line = [], 1
    for paragraph in text.split("\n\n"):
        flat = " ".join(paragraph.split())
        if re.search(r"\bno metabolites\b", flat, re.I) and (
            "relatively small dose" not in flat
        ):
            problems.append(
                f"{path}:{line}: no metabolites in human plasma, without the "
                "authors' own explanation. Add it in the same paragraph: "
                '"probably because of a relatively small dose and low '
                'concentration" (boyko2004).'
            )
        line += paragraph.count("\n") + 2
    return problems


def test_boyko2004_caveat_stands_beside_its_finding() -> None:
    pages = core.pages(DOCS)
    texts = {_rel(p): p.read_text("utf-8") for p in pages}
    assert any("no metabolites" in " ".join(t.split()) for t in texts.values()), (
        "no page reports boyko2004's finding: the check below checks nothing"
    )
    problems = [m for path, text in texts.items() for m in missing_caveats(text, path)]
    assert problems == [], "\n".join(problems)


def test_a_missing_caveat_is_noticed() -> None:
    page = RECORD / "second-review.md"
    (problem,) = missing_caveats(page.read_text("utf-8"), _rel(page))
    assert problem.startswith(f"{_rel(page)}:40: ") and "boyko2004" in problem


def boiko2000_confirmations(pages: list[Path]) -> list[str]:
    """Claims confirmed by boiko2000 alone, whose title names neither Noopept
    nor a species (and is known only from a secondary listing)."""
    return [
        f"{_rel(page)}:{c.line}: the claim {c.short!r} is confirmed by boiko2000 "
        "alone, whose title names neither Noopept nor a species. Set "
        "':status: unconfirmed' with a note saying so, or cite a record that "
        "shows it."
        for page in pages
        for c in core.claims(page.read_text(encoding="utf-8"))
        if c.status == "confirmed" and set(c.sources) == {"boiko2000"}
    ]


def test_boiko2000_confirms_nothing_alone() -> None:
    assert boiko2000_confirmations(core.pages(DOCS)) == []


def test_a_claim_confirmed_by_boiko2000_is_noticed() -> None:
    page = RECORD / "second-review.md"
    (problem,) = boiko2000_confirmations([page])
    assert problem.startswith(f"{_rel(page)}:26: ") and "unconfirmed" in problem
