"""Under GitHub Actions, page-policy and bibliography problems are also printed
as `::error` annotations, so they show on the pull request's diff line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import brief
import pytest
from conftest import FIXTURES, ROOT, copy_docs, sphinx_build

CLI = ROOT / "docs" / "_ext" / "brief"


def test_annotation_escapes_newlines_and_separators() -> None:
    violation = brief.Violation("docs/a,b:c.md", 7, "rule", "100% wrong.\nPaste:\nX")
    assert violation.annotation() == (
        "::error file=docs/a%2Cb%3Ac.md,line=7,title=rule::100%25 wrong.%0APaste:%0AX"
    )


def test_annotation_names_the_file_from_the_checkout(monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    violation = brief.Violation(str(ROOT / "docs" / "index.md"), 3, "r", "m")
    assert violation.annotation().startswith("::error file=docs/index.md,line=3,")


def _cli(*args: str, github: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [sys.executable, str(CLI), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_cli_passes_the_real_docs() -> None:
    result = _cli(github=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


@pytest.mark.parametrize("github", [True, False], ids=["github-actions", "elsewhere"])
def test_cli_reports_a_bad_page_and_a_bad_bib(github: bool) -> None:
    page = "tests/fixtures/pages/bad/wrong-label.md"
    bib = "tests/fixtures/bib/malformed-doi.bib"
    result = _cli(page, bib, github=github)
    assert result.returncode == 1
    assert f"{page}:9: [limitations-ref]" in result.stderr
    assert f"{bib}:1: [bib-doi]" in result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    if github:
        assert annotations == [
            f"::error file={page},line=9,title=limitations-ref::this {{ref}} points "
            "at 'limitation', not at 'limitations'. Change it to:%0A{ref}`limitations`",
            f"::error file={bib},line=1,title=bib-doi::"
            + brief.check_bib((ROOT / bib).read_text())[0].message,
        ]
    else:
        assert annotations == []


@pytest.mark.build
def test_sphinx_build_annotates_policy_and_bib_problems(
    tmp_path: Path, monkeypatch
) -> None:
    docs = copy_docs(tmp_path / "docs")
    page = docs / "02-research-landscape.md"
    page.write_text(
        page.read_text("utf-8").replace(brief.LIMITATIONS_REF, ""), encoding="utf-8"
    )
    bib = docs / "refs.bib"
    text = bib.read_text("utf-8")
    assert "= {10." in text, "refs.bib has no DOI left to break"
    bib.write_text(text.replace("= {10.", "= {https://doi.org/10.", 1), "utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = sphinx_build("-b", "html", docs, tmp_path / "html")
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
    text = (FIXTURES / "bib" / "malformed-doi.bib").read_text()
    assert [v.rule for v in brief.check_bib(text)] == ["bib-doi"]
