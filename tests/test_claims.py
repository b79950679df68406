"""Claims: every statement in the section pages carries its evidence basis,
sources and status, and the evidence map lists them all.

The rules live in src/noopept_brief/core/claim/markup.py (with doctest examples); these tests run
them over the real pages, prove on fixture pages that each rule can fail, and
build the docs to check the map (its parallel and incremental builds are in
test_evidence_map_builds.py).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import DOCS, FIXTURES, ROOT, warnings_at

from noopept_brief import core
from noopept_brief.core.refs.records import check_records

BIB_KEYS = core.bib_keys((DOCS / "refs.bib").read_text(encoding="utf-8"))
RECORDS = check_records(DOCS)[0]
SECTION_PAGES = sorted(DOCS.glob("0[1-6]-*.md"))
GOOD = sorted((FIXTURES / "claims" / "good").glob("*.md"))
# Each bad fixture page: the rule it breaks, and the line the message names.
BAD = {
    "unknown-evidence.md": ("claim-evidence", 8),
    "unknown-status.md": ("claim-status", 8),
    "unknown-key.md": ("claim-source", 8),
    "unknown-key-in-sources.md": ("claim-source", 8),
    "note-missing.md": ("claim-note", 8),
    "no-source-no-reason.md": ("claim-unsourced", 8),
    "short-missing.md": ("claim-short", 8),
    "short-reads-as-fact.md": ("claim-short-marker", 8),
    "citation-outside-claim.md": ("claim-unmarked", 10),
    "quote-missing.md": ("claim-quote", 8),
    "quote-unfound.md": ("claim-quote-unfound", 8),
    "quote-secondary.md": ("claim-quote-secondary", 8),
    "overstates-number.md": ("claim-overstates", 8),
    "overstates-species.md": ("claim-overstates", 8),
    "overstates-compound.md": ("claim-overstates", 8),
}
# What each message must tell the contributor to write.
FIXES = {
    "claim-evidence": ", ".join(core.Evidence),
    "claim-status": ", ".join(core.Status),
    "claim-source": "docs/refs.bib",
    "claim-note": ":note:",
    "claim-unsourced": ":status: unconfirmed",
    "claim-short": "```{claim} ",
    "claim-short-marker": "```{claim} Article: ",
    "claim-unmarked": core.CLAIM_EXAMPLE,
    "claim-quote": ":quote: ",
    "claim-quote-unfound": "docs/_records/<key>.yaml",
    "claim-quote-secondary": "secondary listing",
    "claim-overstates": "Narrow the short text to what the quote says",
}
# The differences between the source article and the records
# (shared/references/README.md): the page, words of the claim's short text,
# the status the claim must carry, and words its note must contain.
DIFFERENCES = [
    ("01-overview", "Article: a Research Use Only compound", "contradicted",
     ("introduced into medical practice",)),
    ("01-overview", "Article: Noopept crosses the blood-brain barrier", "unconfirmed",
     ("neither Noopept nor a species",)),
    ("02-research-landscape", "Article: Boiko and colleagues described", "unconfirmed",
     ("neither Noopept nor a species",)),
    ("02-research-landscape", "Article: over 28 days the response grows",
     "unconfirmed", ("end of 28 days", "does not say the response grew")),
    ("03-systems-context", "Article: after 28 days the pattern persists",
     "unconfirmed", ("end of 28 days", "does not say the response grew")),
    ("02-research-landscape", "Article: a 2009 dose-response study", "differs",
     ("2007", "single dose")),
    ("06-limitations", "Article: genotype effects limit", "unconfirmed",
     ("2007", "one dose")),
    ("02-research-landscape", "Article: a plasma half-life of about 6.5 minutes",
     "unconfirmed", ("6.5-minute half-life",)),
    ("04-adjacent-research", "Article: a 6.5-minute half-life, at odds", "unconfirmed",
     ("6.5-minute half-life",)),
    ("06-limitations", "Article: a 6.5-minute half-life against", "unconfirmed",
     ("6.5-minute half-life",)),
    ("02-research-landscape", "Article: no human trials meet", "unconfirmed",
     ("human studies exist", "not assessed")),
    ("06-limitations", "Article: human data near-absent", "unconfirmed",
     ("human studies exist", "not assessed")),
    ("03-systems-context", "Article: ERK activity rises", "differs",
     ("stress-induced", "pERK1/2", "no record found reports an increase")),
    ("06-limitations", "Article: an ERK change", "differs", ("decrease",)),
    ("03-systems-context", "Article: a single treatment lowers cortical", "unconfirmed",
     ("cortical decrease",)),
    ("06-limitations", "Article: the hippocampal-cortical difference", "unconfirmed",
     ("acute decrease",)),
]  # fmt: skip
# Statuses the second review corrected (issue 17): a record that says less than
# the article leaves a claim unconfirmed ("differs" is for a record that shows
# something different), and boiko2000's title names neither Noopept nor a species.
CORRECTED_STATUSES = {
    "potency-vs-piracetam": "confirmed",
    "bbb": "unconfirmed",
    "pk-rats-oral": "unconfirmed",
    "no-tolerance": "unconfirmed",
    "pattern-after-28-days": "unconfirmed",
    "no-trials": "unconfirmed",
    "human-evidence": "unconfirmed",
}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _problems(page: Path) -> list[core.Violation]:
    text = page.read_text(encoding="utf-8")
    return core.check_claims(
        text, BIB_KEYS, _rel(page), records=RECORDS
    ) + core.check_claim_coverage(text, _rel(page))


def _all_claims() -> list[tuple[str, core.Claim]]:
    return [
        (page.stem, claim)
        for page in core.pages(DOCS)
        for claim in core.claims(page.read_text(encoding="utf-8"))
    ]


# -- The rules, on the real pages and on fixtures ------------------------------


def test_section_pages_are_found() -> None:
    # Guards the parametrized tests below against silently checking nothing.
    assert len(SECTION_PAGES) == 6, SECTION_PAGES


@pytest.mark.parametrize("page", core.pages(DOCS), ids=lambda p: p.name)
def test_page_claims_follow_the_rules(page: Path) -> None:
    problems = _problems(page)
    assert not problems, "\n\n".join(map(str, problems))


@pytest.mark.parametrize("page", SECTION_PAGES, ids=lambda p: p.name)
def test_section_page_marks_its_claims(page: Path) -> None:
    assert core.claims(page.read_text(encoding="utf-8")), f"{page.name} marks no claim"


@pytest.mark.parametrize(
    ("claim_id", "status"), CORRECTED_STATUSES.items(), ids=list(CORRECTED_STATUSES)
)
def test_corrected_status_stands(claim_id: str, status: str) -> None:
    found = {c.id: c.status for _, c in _all_claims()}
    assert found.get(claim_id) == status, (
        f"claim {claim_id!r} is {found.get(claim_id)!r}; the records make it "
        f"{status!r} (shared/references/README.md, issue 17)"
    )


def test_community_reports_are_not_findings() -> None:
    page = DOCS / "05-observed-patterns.md"
    found = core.claims(page.read_text(encoding="utf-8"))
    assert found
    assert {c.evidence for c in found} == {"community-reports"}
    assert {c.status for c in found} == {"unconfirmed"}, "no record backs a forum post"


@pytest.mark.parametrize(
    "short",
    [
        "Article: NGF signals through TrkA",
        "Article: cholinergic supply of the hippocampus",
        "Trk receptors act through Ras and MAP kinases",
        "Neurotrophins control synaptic function",
    ],
)
def test_general_biology_is_background_not_a_finding(short: str) -> None:
    found = [c for _, c in _all_claims() if c.short.startswith(short)]
    assert len(found) == 1, f"no single claim starts {short!r}"
    assert found[0].evidence == "background"


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.name)
def test_good_claims_are_accepted(page: Path) -> None:
    assert _problems(page) == []
    assert len(core.claims(page.read_text(encoding="utf-8"))) == 3


def test_every_bad_fixture_is_listed() -> None:
    on_disk = {p.name for p in (FIXTURES / "claims" / "bad").glob("*.md")}
    assert on_disk == set(BAD)


@pytest.mark.parametrize(("name", "expected"), BAD.items(), ids=list(BAD))
def test_bad_claim_is_refused(name: str, expected: tuple[str, int]) -> None:
    rule, line = expected
    page = FIXTURES / "claims" / "bad" / name
    problems = _problems(page)
    assert [(p.rule, p.line) for p in problems] == [(rule, line)]
    message = str(problems[0])
    assert message.startswith(f"{_rel(page)}:{line}: [{rule}] "), message
    assert FIXES[rule] in message, f"the message must say what to write:\n{message}"


# -- What readers get: the pages and the map -----------------------------------


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _map_rows(html_dir: Path) -> list[tuple[str, str]]:
    """(status, row text) for each row of the evidence map."""
    page = (html_dir / "evidence-map.html").read_text(encoding="utf-8")
    table = page.split('<table class="evidence-map', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        (status, _text(row))
        for status, row in re.findall(
            r'<tr class="claim-(\w+)[^"]*">(.*?)</tr>', body, re.S
        )
    ]


def _page_claims(html_dir: Path, docname: str) -> list[tuple[str, str]]:
    """(status, text) for each claim on a page, badge and note included: the
    claim's own note, or the record note that follows it (one note per fact)."""
    page = (html_dir / f"{docname}.html").read_text(encoding="utf-8")
    return [
        (status, _text(body + " " + note))
        for status, body, note in re.findall(
            r'<div class="claim claim-(\w+)[^"]*"[^>]*>(.*?)</div>\s*'
            r'(?:<div class="[^"]*record-note[^"]*"[^>]*>(.*?)</div>)?',
            page,
            re.S,
        )
    ]


@pytest.mark.build
def test_map_lists_every_claim_with_its_status(html_dir: Path) -> None:
    claims = _all_claims()
    rows = _map_rows(html_dir)
    assert len(rows) == len(claims), "the map must have one row per claim"
    for (_, claim), (status, text) in zip(claims, rows, strict=True):
        assert text.startswith(claim.short), (claim.short, text)
        assert status == claim.status
        assert core.Status(claim.status).label in text
        assert claim.note in text


@pytest.mark.build
def test_map_rows_link_to_their_claims(html_dir: Path) -> None:
    page = (html_dir / "evidence-map.html").read_text(encoding="utf-8")
    body = page.split('<table class="evidence-map', 1)[1].split("<tbody>", 1)[1]
    links = re.findall(
        r'<tr class="claim-[^>]*>\s*<td><p><span class="target" id="[^"]+"></span><a [^>]*href="([^"]+)"',
        body,
    )
    assert len(links) == len(_all_claims()), "every row's claim links to the text"
    for href in links:
        target, _, anchor = href.partition("#")
        ids = re.findall(
            r'id="([^"]+)"', (html_dir / target).read_text(encoding="utf-8")
        )
        assert anchor in ids, f"the map's link {href} is broken"


@pytest.mark.build
def test_map_counts_add_up(html_dir: Path) -> None:
    claims = [claim for _, claim in _all_claims()]
    page = _text((html_dir / "evidence-map.html").read_text(encoding="utf-8"))
    pages = len({name for name, _ in _all_claims()})
    assert f"Claims: {len(claims)} on {pages} pages." in page
    for title, counted, kinds in (
        ("By evidence basis", [c.evidence for c in claims], core.Evidence),
        ("By status", [c.status for c in claims], core.Status),
    ):
        labels = {kind.value: kind.counted for kind in kinds}
        summary = page.split(f"{title}: ", 1)[1].split(".", 1)[0]
        numbers = {
            key: int(
                re.search(
                    rf"(\d+) (?:on )?{re.escape(label.lower())}", summary.lower()
                )[1]
            )  # type: ignore[index]
            for key, label in labels.items()
        }
        assert numbers == {key: counted.count(key) for key in labels}, summary
        assert sum(numbers.values()) == len(claims)
    # The map counts claims by evidence basis, not studies: the brief names the
    # human studies it has read and counts none of them.
    humans = sum(c.evidence == "human" for c in claims)
    assert humans >= 2, "claims rest on boyko2004 and neznamov2009, studies in people"
    assert f"{humans} on human studies" in page
    assert not re.search(r"\d+ human studies", page), "the map counts human studies"


@pytest.mark.build
@pytest.mark.parametrize(
    ("docname", "short", "status", "words"),
    DIFFERENCES,
    ids=[d[1] for d in DIFFERENCES],
)
def test_record_difference_is_on_its_page_and_in_the_map(
    html_dir: Path, docname: str, short: str, status: str, words: tuple[str, ...]
) -> None:
    label = core.Status(status).label
    on_page = [(s, t) for s, t in _page_claims(html_dir, docname) if label in t]
    # One note per fact: the note is inline, unless a record note follows the
    # claim and says it in full (the map row always carries the note).
    matching = [
        t
        for s, t in on_page
        if s == status
        and (all(w in t for w in words) or "Checked against the record" in t)
    ]
    assert matching, f"{docname}: no claim marked {label!r} with a note naming {words}"
    rows = [(s, t) for s, t in _map_rows(html_dir) if t.startswith(short)]
    assert len(rows) == 1, f"the map should list {short!r} once: {rows}"
    row_status, text = rows[0]
    assert row_status == status and label in text
    assert all(word in text for word in words), text


@pytest.mark.build
def test_badge_is_text_and_links_to_the_map(html_dir: Path) -> None:
    page = (html_dir / "03-systems-context.html").read_text(encoding="utf-8")
    badge = re.search(
        r'<a [^>]*href="evidence-map.html#([^"]+)"[^>]*>(.*?)</a>', page, re.S
    )
    assert badge, "each claim's badge links to its row in the map"
    # A screen reader hears the evidence and the status as words.
    assert _text(badge[2]).startswith("Evidence: ")
    assert "Status: " in _text(badge[2])
    target = (html_dir / "evidence-map.html").read_text(encoding="utf-8")
    assert f'id="{badge[1]}"' in target, "the badge's link is broken"


@pytest.mark.build
def test_pdf_has_the_evidence_map(pdf_pages: list[str]) -> None:
    whole = " ".join(" ".join(page.split()) for page in pdf_pages)
    claims = _all_claims()
    assert f"Claims: {len(claims)} on" in whole
    assert "Differs from the record" in whole and "Contradicted by the records" in whole


# -- Sphinx: warnings at the right line, parallel and incremental builds -------


@pytest.mark.build
@pytest.mark.parametrize(("name", "expected"), BAD.items(), ids=list(BAD))
def test_sphinx_warns_at_the_bad_claim(
    broken_site: tuple[Path, CompletedProcess[str]],
    name: str,
    expected: tuple[str, int],
) -> None:
    docs, result = broken_site  # every bad claim page is in it, as bad-NAME.md
    rule, line = expected
    here = warnings_at(result.stderr, docs / f"bad-{name}", line)
    assert any(f"[brief.{rule}]" in w for w in here), result.stderr


def test_readme_documents_every_evidence_basis_and_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How claims are marked", 1)[1].split("\n## ", 1)[0]
    missing = [f"`{key}`" for key in (*core.Evidence, *core.Status)]
    missing = [key for key in missing if key not in section]
    assert not missing, f"README's 'How claims are marked' does not name {missing}"
