"""Under GitHub Actions, page-policy and bibliography problems are also printed
as `::error` annotations, so they show on the pull request's diff line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import FIXTURES, ROOT

from noopept_brief import core
from noopept_brief.tools import cli


def test_annotation_escapes_newlines_and_separators() -> None:
    violation = core.Violation("docs/a,b:c.md", 7, "rule", "100% wrong.\nPaste:\nX")
    assert violation.annotation() == (
        "::error file=docs/a%2Cb%3Ac.md,line=7,title=rule::100%25 wrong.%0APaste:%0AX"
    )


def test_annotation_names_the_file_from_the_checkout(monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    violation = core.Violation(str(ROOT / "docs" / "index.md"), 3, "r", "m")
    assert violation.annotation().startswith("::error file=docs/index.md,line=3,")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run `noopept-brief check` in this process, from the repository's root."""
    monkeypatch.chdir(ROOT)

    def run(*args: str, github: bool) -> Result:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        if github:
            monkeypatch.setenv("GITHUB_ACTIONS", "true")
        capsys.readouterr()
        code = cli.main(["check", *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def test_cli_passes_the_real_docs(run_cli) -> None:
    result = run_cli(github=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


def test_cli_runs_the_claim_rules(run_cli) -> None:
    # The build refuses this claim's evidence basis; the command line must too.
    page = "tests/fixtures/claims/bad/unknown-evidence.md"
    result = run_cli(page, github=False)
    assert result.returncode == 1
    assert f"{page}:8: [claim-evidence] this claim's evidence 'rodents'" in (
        result.stderr
    )


@pytest.mark.parametrize("github", [True, False], ids=["github-actions", "elsewhere"])
def test_cli_reports_a_bad_page_and_a_bad_bib(run_cli, github: bool) -> None:
    page = "tests/fixtures/pages/bad/wrong-label.md"
    bib = "tests/fixtures/bib/malformed-doi.bib"
    result = run_cli(page, bib, github=github)
    assert result.returncode == 1
    assert f"{page}:9: [limitations-ref]" in result.stderr
    assert f"{bib}:1: [bib-doi]" in result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    if github:
        assert annotations == [
            f"::error file={page},line=9,title=limitations-ref::this {{ref}} points "
            "at 'limitation', not at 'limitations'. Change it to:%0A{ref}`limitations`",
            f"::error file={bib},line=1,title=bib-doi::"
            + core.check_bib((ROOT / bib).read_text(encoding="utf-8"))[0].message,
        ]
    else:
        assert annotations == []


@pytest.mark.build
def test_sphinx_build_annotates_policy_and_bib_problems(
    broken_site: tuple[Path, CompletedProcess[str]],
) -> None:
    # Built with GITHUB_ACTIONS=true; page 02 lacks its Limitations link and
    # refs.bib has a DOI written as a URL (conftest.broken_site).
    _, result = broken_site
    assert result.returncode != 0
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert any(
        line.startswith("::error file=docs/02-research-landscape.md,line=")
        and "title=limitations-ref::" in line
        for line in errors
    ), result.stdout
    assert any(
        line.startswith("::error file=docs/refs.bib,line=")
        and "title=bib-doi::" in line
        for line in errors
    ), result.stdout


def test_fixture_bib_used_above_still_breaks_the_doi_rule() -> None:
    text = (FIXTURES / "bib" / "malformed-doi.bib").read_text(encoding="utf-8")
    assert [v.rule for v in core.check_bib(text)] == ["bib-doi"]
