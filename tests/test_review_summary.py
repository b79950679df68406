"""The files whose change needs a maintainer's review: one list,
.github/review-required.txt, which CONTRIBUTING.md points to and CI's job
summary applies to a pull request's changed files (.ci/review_summary.py)."""

from __future__ import annotations

import doctest
import importlib.util
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

SCRIPT = ROOT / ".ci" / "review_summary.py"
LIST = ROOT / ".github" / "review-required.txt"


def _summary(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def _rows(markdown: str) -> list[str]:
    """The changed files the summary's table names, in order."""
    return [
        line.split("|")[1].strip().strip("`")
        for line in markdown.splitlines()
        if line.startswith("| `")
    ]


def test_summary_names_the_changed_files_that_need_review() -> None:
    changed = [
        "docs/refs.bib",
        "docs/01-overview.md",  # a page: anyone may change it
        "docs/_static/brief.css",
        "docs/_snippets/disclaimer.md",
        "docs/_snippets/other.md",  # not the disclaimer, and no kind of content
        "docs/locales/en/LC_MESSAGES/index.po",  # a translation catalog (issue 20)
        "docs/_records/boiko2000.yaml",
        "README.md",
        "src/noopept_brief/core/markdown/policy.py",
        "tests/conftest.py",
        ".github/workflows/docs.yml",
        "constraints.txt",
    ]
    result = _summary("\n".join(changed) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Files that need a maintainer's review\n")
    assert "This pull request changes 10 files that `.github/review-required.txt`" in (
        result.stdout
    )
    assert _rows(result.stdout) == [
        "docs/refs.bib",
        "docs/_static/brief.css",
        "docs/_snippets/disclaimer.md",
        "docs/_snippets/other.md",
        "docs/locales/en/LC_MESSAGES/index.po",
        "docs/_records/boiko2000.yaml",
        "src/noopept_brief/core/markdown/policy.py",
        "tests/conftest.py",
        ".github/workflows/docs.yml",
        "constraints.txt",
    ]
    # Each row says which line matched and why.
    assert "| `docs/_static/brief.css` | `docs/_static/` | styles" in result.stdout
    assert "docs/01-overview.md" not in result.stdout
    assert "README.md" not in result.stdout
    # A file under docs/ of no content kind is named, with the manifest.
    assert (
        "| `docs/locales/en/LC_MESSAGES/index.po` | `docs/content-manifest.txt` |"
        in result.stdout
    )


def test_summary_reads_git_diff_z_output() -> None:
    # `git diff --name-only -z`: NUL-separated, any character in a name.
    result = _summary("docs/01-overview.md\0docs/_templates/page a|b.html\0")
    assert result.returncode == 0, result.stderr
    assert "| `docs/_templates/page a\\|b.html` | `docs/_templates/` |" in result.stdout
    assert "changes 1 file that" in result.stdout


def test_summary_says_so_when_nothing_needs_review() -> None:
    result = _summary("docs/01-overview.md\ndocs/02-research-landscape.md\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "## Files that need a maintainer's review\n\nNone: this pull request "
        "changes no file that `.github/review-required.txt` lists.\n"
    )


def test_a_malformed_list_is_refused_line_by_line() -> None:
    bad = FIXTURES / "hosting" / "bad-review-required.txt"
    result = _summary("docs/refs.bib\n", "--list", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}:2: '/docs/refs.bib' is not a path from the repository root. "
        "Write it as 'docs/refs.bib': relative, with / between folders.",
        f"{bad}:3: 'docs\\\\conf.py' is not a path from the repository root. "
        "Write it as 'docs/conf.py': relative, with / between folders.",
        f"{bad}:4: 'noxfile.py' has no reason. Add '# why it needs review' after "
        "it: the job summary shows it.",
        f"{bad}:5: 'tests/ .ci/' holds more than one pattern. Write one pattern "
        "a line, and the reason after '#'.",
        f"{bad}:7: 'constraints.txt' is listed twice (first at line 6). Keep one line.",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "docs/refs.bib",
        "docs/_snippets/disclaimer.md",
        "docs/_static/brief.css",
        "docs/_templates/page.html",
        "docs/conf.py",
        "src/noopept_brief/__init__.py",
        "tests/test_hosting.py",
        ".ci/run",
        ".github/workflows/docs.yml",
        "noxfile.py",
        "pyproject.toml",
        "constraints.txt",
        ".readthedocs.yaml",
    ],
)
def test_the_list_covers_what_the_issue_names(path: str) -> None:
    result = _summary(path)
    assert _rows(result.stdout) == [path], (
        f"{LIST}: add a line that covers {path}, with the reason after '#'"
    )


def test_contributing_points_to_the_one_list() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Changes that need a maintainer's review", 1)
    assert len(section) == 2, "CONTRIBUTING.md needs the review section"
    assert (
        "[`.github/review-required.txt`](.github/review-required.txt)"
        in (section[1].split("\n## ", 1)[0])
    ), "CONTRIBUTING.md must point to the list, not copy it"


def test_the_script_examples_hold() -> None:
    spec = importlib.util.spec_from_file_location("review_summary", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    try:
        spec.loader.exec_module(module)
        failed, attempted = doctest.testmod(module)
    finally:
        del sys.modules[spec.name]
    assert attempted and not failed
