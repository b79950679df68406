"""Quotes (issue 17, part 2): every confirmed claim carries the words of a
primary record it cites, its short text names nothing the quote and the
records' titles do not, and readers see the words with the claim.

The rules are src/noopept_brief/core/claim/quotes.py (with doctests); each
fails on its bad fixture page in tests/test_claims.py (BAD) and, through the
parity test, in the build too. Here: the real pages, the one case that started
it (boiko2000), the build refusing a broken record file, and what readers get
(the HTML, claims.json, the PDF).
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import BAD_KIND, DOCS, RECORD_OF_A_BAD_KIND

from noopept_brief import core
from noopept_brief.core.claim.quotes import (
    check_quote,
    overstated,
    pieces,
    quote_in_record,
)
from noopept_brief.core.refs.records import Kind, check_records

RECORDS = check_records(DOCS)[0]
CONFIRMED = [
    (page.name, claim)
    for page in core.pages(DOCS)
    for claim in core.claims(page.read_text("utf-8"))
    if claim.status == core.Status.CONFIRMED
]


def test_there_are_confirmed_claims_to_check() -> None:
    assert len(CONFIRMED) >= 15, "the test below would check next to nothing"


@pytest.mark.parametrize(("page", "claim"), CONFIRMED, ids=[c.id for _, c in CONFIRMED])
def test_confirmed_claim_quotes_a_primary_record_and_says_no_more(
    page: str, claim: core.Claim
) -> None:
    assert claim.quote, f"{page}:{claim.line}: {claim.id} has no quote"
    for piece in pieces(claim.quote):
        found = [k for k in claim.sources if quote_in_record(k, piece, RECORDS)]
        assert found, f"{page}:{claim.line}: {piece!r} is in no primary record"
    assert check_quote(claim, RECORDS, page) == []


def test_the_overstatement_rule_alone_catches_the_boiko2000_claims() -> None:
    # bbb and pk-rats-oral said "rats" (and Noopept) of a record whose title
    # names neither. Even if boiko2000's record were primary, and the quote
    # its title, the short text would be refused for what it names.
    records = {**RECORDS, "boiko2000": dataclasses.replace(
        RECORDS["boiko2000"], kind=Kind.ABSTRACT, url="https://doi.org/10.1007/BF02439270",
        title=RECORDS["boiko2000"].passages[0].text)}  # fmt: skip
    quote = "its penetration across the blood-brain barrier after oral administration"
    claim = core.Claim(id="bbb", short="Noopept crosses the blood-brain barrier in rats",
                       evidence="rodent-in-vivo", status="confirmed",
                       sources=("boiko2000",), quote=quote, line=4)  # fmt: skip
    problems = check_quote(claim, records, "docs/01-overview.md")
    assert [(v.rule, v.line) for v in problems] == [("claim-overstates", 4)] * 2
    assert "'Noopept' (a compound)" in problems[0].message
    assert "'rats' (a species or population)" in problems[1].message
    # As the record really is, the quote rests on a secondary listing.
    assert [v.rule for v in check_quote(claim, RECORDS, "p.md")] == [
        "claim-quote-secondary"
    ]


@pytest.mark.parametrize(
    ("short", "evidence", "named"),
    [
        ("Effective doses 100 times lower", "1000 times lower", [("100", "number")]),
        ("In mice and rats", "BALB/c mice", [("rats", "species or population")]),
        ("One rat", "rats were studied", []),  # singular and plural are one word
        ("Compared with piracetam", "than for pyracetam", []),  # the record's spelling
        ("With scopolamine", "muscarinic blockade", [("scopolamine", "compound")]),
        ("In humans", "in people", [("humans", "species or population")]),
    ],
)
def test_what_a_short_text_may_name(short: str, evidence: str, named: list) -> None:
    assert overstated(short, evidence) == named


# -- The build refuses a broken record file, as check does ---------------------------


@pytest.mark.build
def test_the_build_refuses_a_broken_record_file(
    broken_site: tuple[Path, CompletedProcess[str]],
) -> None:
    docs, result = broken_site  # its record has a kind not on the list
    record = docs / RECORD_OF_A_BAD_KIND
    assert BAD_KIND[1] in record.read_text("utf-8")
    assert [v.rule for v in core.check_all(docs) if v.path.endswith(record.name)]
    assert result.returncode != 0
    assert f"{record}:6: WARNING: kind 'preprint' is not one of" in result.stderr
    assert "[brief.record-kind]" in result.stderr


# -- What readers get ----------------------------------------------------------------


@pytest.mark.build
def test_the_page_shows_the_quote_with_where_it_was_read(html_dir: Path) -> None:
    page = (html_dir / "01-overview.html").read_text("utf-8")
    claim = re.search(r'id="claim-potency-vs-piracetam">(.*?)</div>', page, re.S)[1]
    line = re.search(r'<p class="claim-quote">(.*?)</p>', claim, re.S)[1]
    assert (
        "\u201cthe effective dose level (1000 times lower for noopept than for pyracetam)\u201d"
        in line
    )
    assert (
        '<a class="reference external" href="https://pubmed.ncbi.nlm.nih.gov/12596521/">abstract, read December 2026</a>'
        in line
    )


@pytest.mark.build
def test_claims_json_carries_the_quote_and_where_it_was_read(html_dir: Path) -> None:
    data = json.loads((html_dir / "claims.json").read_text("utf-8"))
    claims = {c["id"]: c for c in data["claims"]}
    potency = claims["potency-vs-piracetam"]
    assert potency["quote"].startswith("the effective dose level")
    assert potency["quoted_in"] == [{
        "key": "ostrovskaya2002", "url": "https://pubmed.ncbi.nlm.nih.gov/12596521/",
        "kind": "abstract", "read": "2026-12"}]  # fmt: skip
    assert all(c["quote"] and c["quoted_in"] for c in claims.values()
               if c["status"] == "confirmed")  # fmt: skip
    sources = {s["key"]: s for c in data["claims"] for s in c["sources"]}
    # A DOI seen on the publisher's page; a PMID seen only in a secondary listing.
    assert sources["gudasheva1997"]["doi_primary"] is True
    assert sources["gudasheva1997"]["pmid_primary"] is False
    assert sources["boiko2000"]["record"]["kind"] == "secondary-listing"
    assert sources["boiko2000"]["doi_primary"] is False
    refs = {r["key"]: r for r in data["references"]}
    assert (
        refs["boyko2004"]["pmid_primary"] is True and refs["boyko2004"]["doi"] is None
    )


@pytest.mark.build
def test_the_pdf_body_shows_the_quote(pdf_pages: list[str]) -> None:
    whole = " ".join(" ".join(page.split()) for page in pdf_pages)
    assert "From the record:" in whole
    assert "was developed and introduced into medical practice" in whole
