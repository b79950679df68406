"""The record files (docs/_records/, core/refs/records.py) and `noopept-brief records`.

Each record rule fails on its bad fixture (tests/fixtures/records/) with the
file, the line and the fix. The records tool runs against saved responses
(tests/fixtures/records/responses/, constructed, not downloaded): a match, a
mismatch and a fetch error, never the network.
"""

from __future__ import annotations

import datetime
import shutil
import urllib.error
from pathlib import Path

import pytest
import yaml
from conftest import DOCS, FIXTURES, ROOT
from test_ci_workflow import node20_actions, unpinned_actions
from test_hosting import _check_jsonschema

from noopept_brief.core.check import check_all
from noopept_brief.core.claim.quotes import quote_in_record
from noopept_brief.core.refs import records as core_records
from noopept_brief.core.refs.records import (
    Kind,
    check_records,
    normalize,
    read_record,
)
from noopept_brief.core.rules import Rule
from noopept_brief.tools import cli
from noopept_brief.tools import record_lookup as tool

RECORDS = FIXTURES / "records"
RESPONSES = RECORDS / "responses"
TODAY = datetime.date(2026, 12, 6)
#: The refs.bib fields the bad fixtures are checked against.
BIB = {"title": "A title of the record", "journal": "A journal", "year": "2001"}


# -- The brief's own record files -------------------------------------------------


def test_every_refs_bib_entry_has_a_valid_record_file() -> None:
    records, problems = check_records(DOCS)
    assert not problems, "\n".join(map(str, problems))
    assert set(records) == set(core_records.bib_entries(
        (DOCS / "refs.bib").read_text(encoding="utf-8")))  # fmt: skip


def test_secondary_listings_have_no_address_to_check_and_confirm_nothing() -> None:
    records = check_records(DOCS)[0]
    for record in records.values():
        assert (record.url is None) <= (record.kind is Kind.SECONDARY), record.key
        for passage in record.passages:
            found = quote_in_record(record.key, passage.text, records)
            assert (found is not None) == record.primary, record.key


def test_quotes_the_references_file_gives_are_found_in_their_records() -> None:
    records = check_records(DOCS)[0]
    boyko = quote_in_record("boyko2004", "probably because of a relatively "
                            "small  dose\nand low concentration", records)  # fmt: skip
    assert boyko is not None and boyko.line == 11
    assert quote_in_record("boyko2018", "introduced into medical practice", records)
    # The words are there, but on a secondary listing: they confirm nothing.
    assert records["gudasheva1996ejmc"].kind is Kind.SECONDARY
    assert (
        quote_in_record("gudasheva1996ejmc", "designed as analogues", records) is None
    )
    # Words the record does not have, or a paraphrase of it.
    assert quote_in_record("boyko2004", "no metabolites in people", records) is None
    assert quote_in_record("nosuchkey", "anything", records) is None


@pytest.mark.parametrize(
    ("quote", "passage"),
    [
        ("\u201cwas supposed\u201d", '"was supposed"'),
        ("C\u2013\u03b31", "C-\u03b31"),
        ("\ufb01ve  words\u00ad here", "five words here"),
        ("it\u2019s", "it's"),
    ],
)
def test_quotes_compare_after_unicode_and_whitespace_normalization(
    quote: str, passage: str
) -> None:
    assert normalize(quote) == normalize(passage)
    assert normalize("Rats") != normalize("rats"), "case is the record's own"


# -- Each rule fails on its bad fixture ----------------------------------------------


def _problems(name: str, bib: dict[str, str] | None = BIB) -> list[str]:
    path = RECORDS / name
    text = path.read_text(encoding="utf-8")
    return [str(v) for v in read_record(text, str(path), "k", bib, TODAY)[1]]


def test_the_good_fixture_passes() -> None:
    assert _problems("good.yaml") == []


@pytest.mark.parametrize(
    ("name", "line", "rule", "fix"),
    [
        ("bad-syntax.yaml", 5, Rule.RECORD_SYNTAX, "Compare it with the example in "
         'CONTRIBUTING.md, "Adding a record and a quote".'),
        ("bad-unknown-key.yaml", 5, Rule.RECORD_SYNTAX, "unknown key 'passage'. A "
         "record file has only these keys: url, kind, read, shows, passages, where."),
        ("bad-kind.yaml", 2, Rule.RECORD_KIND, "kind 'preprint' is not one of: "
         "abstract, title-only, full-text, publisher-page, agency-page, "
         "secondary-listing. Say what was read."),
        ("bad-url.yaml", 2, Rule.RECORD_URL, "goes to records.example.com, which "
         "is not on the allowlist."),
        ("bad-no-url.yaml", 2, Rule.RECORD_URL, "a publisher-page record needs "
         "`url:`, the https address where it was read"),
        ("bad-secondary.yaml", 1, Rule.RECORD_URL, "a secondary listing without "
         "`url:` needs `where:`"),
        ("bad-read.yaml", 3, Rule.RECORD_READ, "read: '2026-13' is not a past month "
         "written YYYY-MM. Give the month the project's reviewers read the record"),
        ("bad-shows.yaml", 4, Rule.RECORD_SHOWS, "refs.bib's entry 'k' has no field "
         "'issue'. List only fields the entry has (title, journal, year)"),
        ("bad-passage.yaml", 7, Rule.RECORD_PASSAGE, "this passage has 51 words; "
         "at most 50. Keep only the words a claim relies on."),
        ("bad-title-only.yaml", 8, Rule.RECORD_PASSAGE, "a title-only record's "
         "passages are words of its title"),
    ],
)  # fmt: skip
def test_each_rule_fails_on_its_bad_fixture(
    name: str, line: int, rule: Rule, fix: str
) -> None:
    problems = _problems(name)
    assert problems, f"{name} passed"
    assert problems[0].startswith(f"{RECORDS / name}:{line}: [{rule}] "), problems
    assert fix in problems[0], problems


def test_a_month_still_to_come_is_refused() -> None:
    text = (RECORDS / "good.yaml").read_text(encoding="utf-8")
    future = text.replace('"2026-11"', '"2027-01"')
    (problem,) = read_record(future, "k.yaml", "k", BIB, TODAY)[1]
    assert str(problem).startswith("k.yaml:3: [record-read] read: '2027-01'")


def test_an_alias_is_refused_before_it_is_expanded() -> None:
    text = "kind: &k abstract\nurl: *k\nread: '2026-11'\nshows: []\npassages: []\n"
    (problem,) = read_record(text, "k.yaml", "k", BIB, TODAY)[1]
    assert "uses an alias" in str(problem)


def test_entries_and_record_files_must_match(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(RECORDS / "unmatched", docs)
    records, problems = check_records(
        docs, lambda p: p.relative_to(tmp_path).as_posix()
    )
    assert set(records) == {"good2002"}
    assert [str(p) for p in problems] == [
        "docs/_records/notes.yml:1: [record-orphan] only record files belong in "
        "docs/_records/, each named <key>.yaml. Rename this one notes.yaml if it "
        "is a record, or move it out.",
        "docs/_records/stray2002.yaml:1: [record-orphan] refs.bib has no entry "
        "'stray2002' for this record file. Name the file after the entry's key, "
        "or remove it with the entry.",
        "docs/refs.bib:9: [record-missing] the entry 'lonely2001' has no record "
        "file. Add docs/_records/lonely2001.yaml, saying where its fields were "
        'read (CONTRIBUTING.md, "Adding a record and a quote").',
    ]


def test_check_runs_the_record_rules(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build"))
    assert not [v for v in check_all(docs) if v.rule.startswith("record-")]
    (docs / "_records" / "boyko2004.yaml").unlink()
    bad = docs / "_records" / "belnik2007.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("abstract", "preprint"),
                   encoding="utf-8")  # fmt: skip
    found = {(v.path, v.rule) for v in check_all(docs)}
    assert ("docs/refs.bib", Rule.RECORD_MISSING) in found
    assert ("docs/_records/belnik2007.yaml", Rule.RECORD_KIND) in found
    # A record file alone (as pre-commit passes it) is checked too.
    assert any(v.rule == Rule.RECORD_KIND for v in check_all(docs, [bad]))


def test_record_files_are_text_files_the_encoding_rule_reads() -> None:
    from noopept_brief.core import text_files

    assert DOCS / "_records" / "boyko2004.yaml" in text_files(DOCS)


# -- noopept-brief records, against saved responses ----------------------------------


def _saved(pubmed: bytes | None = None, crossref: bytes | None = None):
    """A fetch that answers from the saved responses, and the URLs it was asked."""
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        if url.startswith(tool.EUTILS):
            return pubmed or (RESPONSES / "pubmed-efetch.xml").read_bytes()
        if url.startswith(tool.CROSSREF):
            return crossref or (RESPONSES / "crossref-belnik2007b.json").read_bytes()
        raise AssertionError(f"unexpected request: {url}")

    return fetch, asked


def test_records_match_their_saved_responses(monkeypatch, capsys) -> None:
    fetch, asked = _saved()
    monkeypatch.setattr(tool, "fetch", fetch)
    monkeypatch.delenv(tool.CONTACT_VARIABLE, raising=False)
    assert cli.main(["--docs", str(RECORDS / "docs"), "records"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Records compared with PubMed and Crossref\n")
    assert ("2 record(s) compared with PubMed and Crossref; 1 with neither a PMID "
            "nor a DOI to look up; 0 problem(s).") in out  # fmt: skip
    # One efetch for the PMIDs, one Crossref request a DOI; a tool name, no email.
    assert asked == [
        f"{tool.EUTILS}?db=pubmed&id=15079908&retmode=xml&tool=noopept-brief",
        f"{tool.CROSSREF}10.1007%2Fs10517-007-0148-1",
    ]


def test_other_ways_the_services_give_a_date_still_match(monkeypatch, capsys) -> None:
    # PubMed gives some dates as MedlineDate ("2004 Jan-Feb"); Crossref leaves
    # published-print out for some works, and then "issued" is the year.
    pubmed = (RESPONSES / "pubmed-efetch.xml").read_bytes()
    pubmed = pubmed.replace(
        b"<Year>2004</Year>", b"<MedlineDate>2004 Jan-Feb</MedlineDate>"
    )
    crossref = (RESPONSES / "crossref-belnik2007b.json").read_bytes()
    crossref = crossref.replace(b'"published-print": {"date-parts": [[2007]]},', b"")
    fetch, _ = _saved(pubmed, crossref)
    monkeypatch.setattr(tool, "fetch", fetch)
    assert cli.main(["--docs", str(RECORDS / "docs"), "records"]) == 0, (
        capsys.readouterr().out
    )


def test_a_mismatch_is_reported_with_file_and_field(monkeypatch, capsys) -> None:
    saved = (RESPONSES / "pubmed-efetch.xml").read_bytes()
    changed = saved.replace(b"40-3", b"40-4").replace(b"relatively small", b"small")
    crossref = (RESPONSES / "crossref-belnik2007b.json").read_bytes()
    fetch, _ = _saved(changed, crossref.replace(b'"143"', b'"144"'))
    monkeypatch.setattr(tool, "fetch", fetch)
    assert cli.main(["--docs", str(RECORDS / "docs"), "records"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line[:2] == "- "]
    docs = RECORDS / "docs" / "_records"
    assert lines == [
        f"- `{docs / 'boyko2004.yaml'}`: pages: refs.bib has '40--43', PubMed "
        "15079908 shows '40-4'",
        f"- `{docs / 'boyko2004.yaml'}:11`: passage: not found in PubMed 15079908: "
        "'probably because of a relatively small dose and low concentration'",
        f"- `{docs / 'belnik2007b.yaml'}`: volume: refs.bib has '143', Crossref "
        "10.1007/s10517-007-0148-1 shows '144'",
    ]


def test_a_fetch_error_is_reported_not_raised(monkeypatch, capsys) -> None:
    def offline(url: str) -> bytes:
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(tool, "fetch", offline)
    assert cli.main(["--docs", str(RECORDS / "docs"), "records"]) == 1
    out = capsys.readouterr().out
    assert "boyko2004.yaml`: fetch: PubMed could not be read (<urlopen error no " \
        "network>); nothing compared" in out  # fmt: skip
    assert "belnik2007b.yaml`: fetch: Crossref could not be read for " \
        "10.1007/s10517-007-0148-1" in out  # fmt: skip
    assert "0 record(s) compared" in out


def test_a_broken_answer_is_reported_not_raised(monkeypatch, capsys) -> None:
    fetch, _ = _saved(b"<html>busy</html", b"{not json")
    monkeypatch.setattr(tool, "fetch", fetch)
    assert cli.main(["--docs", str(RECORDS / "docs"), "records"]) == 1
    out = capsys.readouterr().out
    assert "fetch: PubMed could not be read" in out
    assert "fetch: Crossref could not be read" in out


def test_a_contact_address_comes_only_from_the_environment(monkeypatch) -> None:
    fetch, asked = _saved()
    monkeypatch.setattr(tool, "fetch", fetch)
    monkeypatch.delenv(tool.CONTACT_VARIABLE, raising=False)
    assert "mailto" not in tool.user_agent()
    monkeypatch.setenv(tool.CONTACT_VARIABLE, "records@example.org")
    tool.records_report(RECORDS / "docs", ["boyko2004", "belnik2007b"])
    assert asked[0].endswith("&tool=noopept-brief&email=records%40example.org")
    assert asked[1].endswith("?mailto=records%40example.org")
    assert "mailto:records@example.org" in tool.user_agent()


# -- The weekly workflow -----------------------------------------------------------

WORKFLOW = ROOT / ".github" / "workflows" / "records.yml"


def test_the_records_workflow_validates_and_pins_its_actions() -> None:
    result = _check_jsonschema("vendor.github-workflows", WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert unpinned_actions(WORKFLOW) == []
    assert node20_actions(WORKFLOW) == []


def test_the_records_workflow_runs_weekly_and_writes_the_job_summary() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key "on" as True
    assert "pull_request" not in triggers and "push" not in triggers
    assert triggers["schedule"][0]["cron"].split()[4] != "*", "once a week"
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    step = next(r for r in runs if "nox -s records" in r)
    assert step.rstrip().endswith('python3 -m nox -s records >> "$GITHUB_STEP_SUMMARY"')


def test_records_without_a_bibliography_says_where_to_run(tmp_path, capsys) -> None:
    assert cli.main(["--docs", str(tmp_path), "records"]) == 2
    assert "No refs.bib in" in capsys.readouterr().err
