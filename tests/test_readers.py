"""Readers and contributors (issue 14): claim ids, claims.json, "What changed",
"How to cite", the accessibility statement, the pages that looked broken, and
the scaffold and fence traps. Each check is proved able to fail on a fixture
in tests/fixtures/readers/.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DOCS, FIXTURES, ROOT, copy_docs, sphinx_build

from noopept_brief import core
from noopept_brief.core.claim import export as claimsdata
from noopept_brief.core.claim import ids as claimids
from noopept_brief.core.refs.cff import read_citation
from noopept_brief.tools import cli

READERS = FIXTURES / "readers"
ALL_CLAIMS = [
    c for page in core.pages(DOCS) for c in core.claims(page.read_text("utf-8"))
]


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


# -- Claim ids -----------------------------------------------------------------------


def test_every_claim_has_a_short_unique_id() -> None:
    ids = [c.id for c in ALL_CLAIMS]
    assert len(ids) == len(set(ids)), "claim ids must be unique"
    for claim_id in ids:
        assert claimids.ID.match(claim_id) and len(claim_id) <= claimids.ID_MAX


@pytest.mark.parametrize(
    ("fixture", "line", "fix"),
    [
        ("claim-id-missing.md", 10, ":id: memory-outcomes-depend"),
        ("claim-id-malformed.md", 10, ":id: genotype-memory"),
        ("claim-id-duplicate.md", 10, "already the id of the claim at docs/03-systems-context.md"),
        ("claim-id-retired.md", 10, "choose another id"),
    ],
)  # fmt: skip
def test_bad_claim_id_is_refused(
    tmp_path: Path, fixture: str, line: int, fix: str
) -> None:
    docs = copy_docs(tmp_path / "docs")
    (docs / "_claims" / "retired-ids.txt").write_text(
        "a-removed-claim  # a test\n", "utf-8"
    )
    shutil.copy(READERS / fixture, docs / fixture)
    problems = [v for v in core.check_all(docs) if v.rule == "claim-id"]
    assert [(v.path, v.line) for v in problems] == [(f"docs/{fixture}", line)]
    assert fix in problems[0].message, problems[0].message


#: Claims added after ids (issue 14): no anchor of theirs was published before.
CLAIMS_SINCE_IDS = {"randomized-2022", "further-clinical"}


def test_legacy_anchors_name_real_claims() -> None:
    legacy = claimids.read_legacy((DOCS / claimids.LEGACY_ANCHORS).read_text("utf-8"))
    assert set(legacy) <= {c.id for c in ALL_CLAIMS}, "every listed id is a claim's"
    unlisted = {c.id for c in ALL_CLAIMS} - set(legacy)
    assert unlisted == CLAIMS_SINCE_IDS, (
        "every claim published before ids keeps its old anchor; a claim added "
        f"since goes in CLAIMS_SINCE_IDS: {sorted(unlisted ^ CLAIMS_SINCE_IDS)}"
    )


@pytest.mark.build
def test_old_anchors_still_arrive(html_dir: Path) -> None:
    legacy = claimids.read_legacy((DOCS / claimids.LEGACY_ANCHORS).read_text("utf-8"))
    pages = {
        c.id: page.stem
        for page in core.pages(DOCS)
        for c in core.claims(page.read_text("utf-8"))
    }
    for claim_id, anchors in legacy.items():
        page = (html_dir / f"{pages[claim_id]}.html").read_text("utf-8")
        assert f'id="{claimids.anchor(claim_id)}"' in page
        for old in anchors:
            assert f'id="{old}"' in page, f"{old} no longer arrives at {claim_id}"


def test_a_released_id_that_is_gone_must_be_retired(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path / "docs")
    release = docs / claimsdata.RELEASES_DIR / "0.1.0"
    release.mkdir(parents=True)
    data = claimsdata.claims_from_sources({}, "")
    data["claims"] = [{"id": "gone-claim", "short": "A removed claim"}]
    (release / claimsdata.CLAIMS_JSON).write_text(json.dumps(data), "utf-8")
    [problem] = [v for v in core.check_all(docs) if v.rule == "claim-id"]
    assert problem.path == "docs/_claims/retired-ids.txt"
    assert "gone-claim  # removed after 0.1.0" in problem.message
    (docs / claimids.RETIRED_IDS).write_text(
        "gone-claim  # removed after 0.1.0\n", "utf-8"
    )
    assert [v for v in core.check_all(docs) if v.rule == "claim-id"] == []


# -- claims.json ---------------------------------------------------------------------


def undocumented(data: dict, page: str) -> list[str]:
    """The fields of claims.json that the evidence map page does not list."""
    listed = set(re.findall(r"<dt><code[^>]*><span class=\"pre\">([\w]+)</span>", page))
    fields = set(data)
    for claim in data.get("claims", []):
        fields |= set(claim)
        for source in claim.get("sources", []):
            fields |= set(source)
    return sorted(fields - listed)


@pytest.mark.build
def test_claims_json_holds_every_claim_with_documented_fields(html_dir: Path) -> None:
    data = json.loads((html_dir / "claims.json").read_text("utf-8"))
    assert [c["id"] for c in data["claims"]] == [c.id for c in ALL_CLAIMS]
    page = (html_dir / "evidence-map.html").read_text("utf-8")
    assert 'href="claims.json"' in page, "the evidence map links claims.json"
    assert undocumented(data, page) == []
    # The check can fail: a field the page does not list.
    assert undocumented({**data, "secret": 1}, page) == ["secret"]
    sources = {s["key"]: s for c in data["claims"] for s in c["sources"]}
    assert sources["belnik2007"]["pmid"] == "18592707"  # confirmed (PubMed)
    assert sources["ostrovskaya2008"]["doi"] == "10.1007/s10517-008-0297-x"
    assert sources["neznamov2009"] == {
        "key": "neznamov2009", "doi": None, "pmid": None, "doi_primary": None,
        "pmid_primary": None, "record": {"url": None, "kind": "secondary-listing",
                                         "read": "2026-11"}}  # fmt: skip
    erk = next(c for c in data["claims"] if c["id"] == "erk")
    assert erk["url"] == "03-systems-context.html#claim-erk"
    assert erk["status"] == "differs" and erk["note"]


def test_claims_read_from_sources_match_the_pages() -> None:
    pages = {p.stem: p.read_text("utf-8") for p in core.pages(DOCS)}
    data = claimsdata.claims_from_sources(pages, (DOCS / "refs.bib").read_text("utf-8"))
    assert sorted(c["id"] for c in data["claims"]) == sorted(c.id for c in ALL_CLAIMS)
    assert claimsdata.compare(data, data).summary() == "no claim or reference changed"


# -- What changed --------------------------------------------------------------------


@pytest.mark.build
def test_what_changed_says_no_release_yet(html_dir: Path) -> None:
    page = _text((html_dir / "what-changed.html").read_text("utf-8"))
    assert "No release has been tagged yet" in page


@pytest.mark.build
def test_what_changed_lists_changes_since_a_release(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path / "docs")
    pages = {p.stem: p.read_text("utf-8") for p in core.pages(docs)}
    saved = claimsdata.claims_from_sources(
        pages, (docs / "refs.bib").read_text("utf-8")
    )
    erk = next(c for c in saved["claims"] if c["id"] == "erk")
    erk["status"] = "confirmed"  # the release had it confirmed
    saved["claims"] = [c for c in saved["claims"] if c["id"] != "origin"]
    saved["references"].append({"key": "gone2001"})
    for version, text in (("0.1.0", json.dumps(saved)),
                          ("0.0.9", (READERS / "not-a-release.json").read_text("utf-8"))):  # fmt: skip
        (docs / "_releases" / version).mkdir(parents=True)
        (docs / "_releases" / version / "claims.json").write_text(text, "utf-8")
    result = sphinx_build("-b", "html", docs, tmp_path / "html")
    # The unreadable copy is named, with the fix.
    assert "_releases/0.0.9/claims.json" in result.stderr
    assert "Copy build/html/claims.json" in result.stderr
    page = _text((tmp_path / "html" / "what-changed.html").read_text("utf-8"))
    assert "Since 0.1.0 (not yet released)" in page
    assert "1 claim added, 1 claim changed status, 1 reference removed" in page
    assert "Status changed: Article: ERK activity rises" in page
    assert "Reference removed: gone2001" in page


def test_changes_command_compares_with_a_commit(tmp_path: Path, capsys) -> None:
    docs = copy_docs(tmp_path / "docs")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True,
                       capture_output=True)  # fmt: skip

    git("init", "-q")
    git("add", "docs")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    page = docs / "03-systems-context.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace(":id: erk\n:evidence: ex-vivo-tissue\n:status: differs",
                                 ":id: erk\n:evidence: ex-vivo-tissue\n:status: unconfirmed"),
                    "utf-8")  # fmt: skip
    assert cli.main(["--docs", str(docs), "changes", "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "**1 claim changed status**" in out
    assert "Differs" not in out and "differs \u2192 unconfirmed" in out
    assert cli.main(["--docs", str(docs), "changes", "--base", "no-such-rev"]) == 2
    assert "fetch-depth: 0" in capsys.readouterr().err


# -- How to cite ---------------------------------------------------------------------


@pytest.mark.build
def test_how_to_cite_is_built_from_citation_cff(html_dir: Path) -> None:
    citation, problems = read_citation((ROOT / "CITATION.cff").read_text("utf-8"))
    assert problems == [] and citation is not None
    page = _text((html_dir / "how-to-cite.html").read_text("utf-8"))
    assert f"Version {citation.version}, released {citation.date}" in page
    assert "@misc" in page and f"noopeptbrief{citation.year}" in page
    assert "CC-BY-4.0 and MIT" in page
    assert 'href="how-to-cite.html"' in (html_dir / "index.html").read_text("utf-8")


def test_citation_without_a_version_is_refused() -> None:
    path = READERS / "missing-version-CITATION.cff"
    citation, [problem] = read_citation(path.read_text("utf-8"), str(path))
    assert citation is None
    assert str(problem).startswith(
        f"{path}:1: [citation] CITATION.cff has no 'version'"
    )
    assert 'version: "0.1.0"' in problem.message


# -- The accessibility statement -------------------------------------------------------


def form_problems(page: Path) -> list[str]:
    """Every issue form the page names (in bold) must exist."""
    forms = {
        re.search(r"^name:\s*(.+)$", f.read_text("utf-8"), re.M)[1].strip()
        for f in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("[0-9]*.yml")
    }
    named = re.findall(
        r"\*\*([^*]+)\*\*", page.read_text("utf-8").split("## Report", 1)[-1]
    )
    return [
        f"{page.name}: names the form {n!r}, which is not one of {sorted(forms)}. "
        "Name a form in .github/ISSUE_TEMPLATE/."
        for n in named
        if n not in forms
    ] + ([] if named else [f"{page.name}: names no issue form to report a problem"])


def test_accessibility_statement_says_how_to_report() -> None:
    page = DOCS / "accessibility.md"
    assert form_problems(page) == []
    text = page.read_text("utf-8")
    for tested in ("WCAG A and AA", "dark", "Tab key", "390 pixels", "Print"):
        assert tested in text
    [problem] = form_problems(READERS / "unknown-form-accessibility.md")
    assert "The site is hard to use" in problem and "ISSUE_TEMPLATE" in problem


# -- Pages that looked broken ----------------------------------------------------------


@pytest.mark.build
def test_reader_pages_are_whole(html_dir: Path) -> None:
    assert not (html_dir / "genindex.html").exists()
    index = (html_dir / "index.html").read_text("utf-8")
    assert 'rel="index"' not in index
    assert index.count('class="page-guide') == 1
    search = (html_dir / "search.html").read_text("utf-8")
    assert "<h1" in search and 'type="search"' in search and 'name="q"' in search
    notfound = (html_dir / "404.html").read_text("utf-8")
    assert re.search(r'<a href="[^"]*search.html">search the brief</a>', notfound)
    limitations = (html_dir / "06-limitations.html").read_text("utf-8")
    intro = limitations.split('id="human-evidence"')[0]
    assert 'internal" href="#limitations"' not in intro, "Limitations links to itself"
    # A section number stays on its title's line.
    assert "2.3.\u00a0" in (html_dir / "02-research-landscape.html").read_text("utf-8")


@pytest.mark.build
def test_one_note_per_fact(html_dir: Path) -> None:
    page = (html_dir / "02-research-landscape.html").read_text("utf-8")
    followed = re.search(r'id="claim-belnik-year-dose">(.*?)</div>', page, re.S)[1]
    assert "claim-note" not in followed, "a record note follows: no inline note"
    alone = re.search(r'id="claim-almost-all-preclinical">(.*?)</div>', page, re.S)[1]
    assert "claim-note" in alone, "no record note follows: the note is inline"


# -- Contributors: fences, the scaffold, check ------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("lone-fence.md", [("fence", 9)]),
        ("unclosed-fence.md", [("fence", 12)]),
        ("scaffold-half-filled.md", [("scaffold-text", 12), ("scaffold-text", 17)]),
    ],
)
def test_trap_is_refused(fixture: str, expected: list[tuple[str, int]]) -> None:
    path = READERS / fixture
    problems = [
        v for v in core.check_page(path.read_text("utf-8"), str(path))
        if v.rule in ("fence", "scaffold-text")
    ]  # fmt: skip
    assert [(v.rule, v.line) for v in problems] == expected
    for problem in problems:
        assert str(problem).startswith(f"{path}:{problem.line}: [{problem.rule}] ")
        assert any(
            w in problem.message for w in ("Delete the line", "delete it", "Replace it")
        )


def test_check_says_one_line_when_all_is_well(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    pages = len(core.pages(DOCS))
    refs = len(core.bib_keys((DOCS / "refs.bib").read_text(encoding="utf-8")))
    assert out == (
        f"{pages} pages, {refs} references, {len(ALL_CLAIMS)} claims: no problems\n"
    )


def test_a_failed_build_leaves_claims_json_as_it_was(
    tmp_path: Path, monkeypatch
) -> None:
    # A parallel build makes claims.json's text in a process of its own while
    # pages are written (claims_json.make_beside_writing); only a build that
    # succeeds writes it, and the process is ended either way.
    from types import SimpleNamespace

    from noopept_brief.sphinxext import claims_json

    class Builder:
        format = "html"
        parallel_ok = True  # Sphinx writes in parallel

    monkeypatch.setattr(claims_json, "current_data", lambda env, builder: {"x": 1})
    builder = Builder()
    app = SimpleNamespace(builder=builder, outdir=str(tmp_path), env=None)
    (tmp_path / "claims.json").write_text("before\n", "utf-8")
    claims_json.make_beside_writing(app, builder)
    process, _ = claims_json._making[builder]
    claims_json.write_claims_json(app, RuntimeError("a page failed"))
    assert (tmp_path / "claims.json").read_text("utf-8") == "before\n", (
        "a failed build wrote claims.json: claims_json.write_claims_json must "
        "write only when the build succeeded"
    )
    assert builder not in claims_json._making and not process.is_alive()
    claims_json.make_beside_writing(app, builder)
    claims_json.write_claims_json(app, None)
    assert (tmp_path / "claims.json").read_text("utf-8") == '{\n  "x": 1\n}\n'


def test_claims_json_data_is_made_once_a_build(tmp_path: Path, monkeypatch) -> None:
    # "What changed" and the file read the same data, made once; the next
    # build (an edited page, the same builder) makes it again.
    from types import SimpleNamespace

    from noopept_brief.sphinxext import claims_json

    monkeypatch.setattr(
        claims_json, "claims_domain", lambda env: SimpleNamespace(claims=[])
    )
    monkeypatch.setattr(
        claims_json, "brief_of", lambda env: SimpleNamespace(bib_text="", records=[{}])
    )
    monkeypatch.setattr(claims_json, "references", lambda text: [])
    monkeypatch.setattr(claims_json, "claims_data", lambda *args: {"made": object()})

    class Builder:
        format = "html"

    builder = Builder()
    env = SimpleNamespace(config=SimpleNamespace(project="p", release="1"))
    app = SimpleNamespace(builder=builder, outdir=str(tmp_path), env=env)
    first = claims_json.current_data(env, builder)
    assert claims_json.current_data(env, builder) is first, "made twice in a build"
    monkeypatch.setattr(claims_json, "dumps", lambda data: "{}\n")
    claims_json.write_claims_json(app, None)
    assert claims_json.current_data(env, builder) is not first, (
        "the next build read the last build's claims: write_claims_json must "
        "drop the data at build-finished (sphinxext/claims_json.py)"
    )


def test_what_the_gate_found_beside_the_writers_reaches_the_build(
    tmp_path: Path, monkeypatch
) -> None:
    # The process making claims.json reads its text through the gate; what it
    # found is the build's, for the file written from that very text.
    from types import SimpleNamespace

    from noopept_brief.sphinxext import claims_json, gate

    class Builder:
        format = "html"
        parallel_ok = True

    note = {"note": "Where to buy it."}
    monkeypatch.setattr(claims_json, "current_data", lambda env, builder: note)
    builder = Builder()
    app = SimpleNamespace(builder=builder, outdir=str(tmp_path), env=None)
    claims_json.make_beside_writing(app, builder)
    claims_json.write_claims_json(app, None)

    def read_again(*args):
        raise AssertionError(
            "the gate read claims.json again: claims_json._made must give it "
            "what the process found (gate.remember_claims_json)"
        )

    monkeypatch.setattr(gate, "check_read_text", read_again)
    found = gate.check_claims_json(tmp_path / "claims.json")
    assert [(str(v.rule), v.subject) for v in found] == [
        ("content", "Where to buy"),
        ("content", "buy"),
    ], found
