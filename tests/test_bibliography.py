"""docs/refs.bib: it parses, its entries are complete, and it matches the citations."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import DOCS, FIXTURES, ROOT

from noopept_brief import core
from noopept_brief.core.refs.records import check_records, unattributed

BIB = DOCS / "refs.bib"
# The bad fixtures (fixtures/bib/*.bib) are refused in test_refused_inputs.py.


def _all_citations() -> list[tuple[str, str, int]]:
    return [
        (page.relative_to(ROOT).as_posix(), key, line)
        for page in core.pages(DOCS)
        for key, line in core.citations(page.read_text(encoding="utf-8"))
    ]


def test_refs_bib_is_well_formed() -> None:
    authorless = unattributed(check_records(DOCS)[0])
    problems = core.check_bib(
        BIB.read_text(encoding="utf-8"), "docs/refs.bib", authorless
    )
    assert not problems, "\n".join(map(str, problems))


def test_an_entry_without_author_needs_a_record_that_shows_none() -> None:
    # nnp2022's record shows no authors: the entry names none, rather than guess.
    bib = (FIXTURES / "bib" / "good.bib").read_text(encoding="utf-8")
    authorless = re.sub(r"^\s*author\s*=.*\n", "", bib, count=1, flags=re.M)
    key = re.search(r"@\w+\{([^,]+),", authorless)[1]
    [problem] = core.check_bib(authorless, "docs/refs.bib")
    assert problem.rule == "bib-fields"
    assert problem.line == 1
    assert f"docs/_records/{key}.yaml whose shows leaves author out" in problem.message
    assert core.check_bib(authorless, "docs/refs.bib", {key.lower()}) == []


def test_citations_match_refs_bib() -> None:
    cited = _all_citations()
    assert cited, "no page cites anything: the citation scan is broken"
    problems = core.check_citations(BIB.read_text(encoding="utf-8"), cited)
    assert not problems, "\n".join(map(str, problems))


def test_good_fixture_bib_is_accepted() -> None:
    assert (
        core.check_bib((FIXTURES / "bib" / "good.bib").read_text(encoding="utf-8"))
        == []
    )


def test_unknown_and_uncited_keys_are_refused() -> None:
    bib = (FIXTURES / "bib" / "good.bib").read_text(encoding="utf-8")
    problems = core.check_citations(bib, [("docs/page.md", "smith2002", 7)])
    assert [str(p).split(" [")[0] for p in problems] == [
        "docs/page.md:7:",  # the unknown key, at the citing line
        "docs/refs.bib:1:",  # the entry nobody cites
    ]
    assert [p.rule for p in problems] == ["cite-unknown", "bib-uncited"]


def test_citations_ignore_code(tmp_path: Path) -> None:
    text = "Cited {cite:p}`real2001`, shown `` {cite:p}`fake2002` ``.\n"
    assert core.citations(text) == [("real2001", 1)]
