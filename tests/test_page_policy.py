"""The page policy: every page carries the disclaimer and links to Limitations.

The rules live in src/noopept_brief/core/markdown/policy.py (with doctest examples); these tests run
them over every real page, and prove on fixture pages that each rule can fail.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import DOCS, FIXTURES, ROOT, copy_docs, warnings_at

from noopept_brief import core

PAGES = core.pages(DOCS)
GOOD = sorted((FIXTURES / "pages" / "good").glob("*.md"))
# Each bad fixture page: the rule it breaks, and the line the message names.
# Every fixture opens with three lines of front matter (its description).
BAD = {
    "disclaimer-missing.md": ("disclaimer", 4),
    "include-commented-out.md": ("disclaimer", 6),
    "include-in-html-comment.md": ("disclaimer", 7),
    "disclaimer-in-a-dropdown.md": ("disclaimer", 7),
    "limitations-ref-missing.md": ("limitations-ref", 4),
    "ref-in-code-fence.md": ("limitations-ref", 12),
    "ref-in-html-comment.md": ("limitations-ref", 11),
    "ref-in-inline-code.md": ("limitations-ref", 9),
    "wrong-label.md": ("limitations-ref", 9),
}
FIXES = {
    "disclaimer": core.DISCLAIMER_DIRECTIVE,
    "limitations-ref": core.LIMITATIONS_REF,
}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_site_has_pages() -> None:
    # Guards the parametrized test below against silently checking nothing.
    assert len(PAGES) >= 8, f"expected the brief's pages under docs/, found {PAGES}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_follows_the_policy(page: Path) -> None:
    problems = core.check_page(page.read_text(encoding="utf-8"), _rel(page))
    assert not problems, "\n\n".join(map(str, problems))


@pytest.mark.parametrize("page", GOOD, ids=lambda p: p.name)
def test_good_fixture_is_accepted(page: Path) -> None:
    assert core.check_page(page.read_text(encoding="utf-8"), _rel(page)) == []


def test_every_bad_fixture_is_listed() -> None:
    on_disk = {p.name for p in (FIXTURES / "pages" / "bad").glob("*.md")}
    assert on_disk == set(BAD)


@pytest.mark.parametrize(("name", "expected"), BAD.items(), ids=list(BAD))
def test_bad_fixture_is_refused(name: str, expected: tuple[str, int]) -> None:
    rule, line = expected
    page = FIXTURES / "pages" / "bad" / name
    problems = core.check_page(page.read_text(encoding="utf-8"), _rel(page))
    # A directive the brief does not use (a dropdown) is refused on its own
    # too (rule markup); here, the rule the fixture is about.
    problems = [p for p in problems if p.rule != "markup"]
    assert [(p.rule, p.line) for p in problems] == [(rule, line)]
    message = str(problems[0])
    assert message.startswith(f"{_rel(page)}:{line}: "), message
    assert FIXES[rule] in message, f"the message must give the fix to paste:\n{message}"


def test_an_include_of_the_snippet_no_longer_counts() -> None:
    # docutils' file insertion is off (conf.py): only {disclaimer} shows it.
    page = (
        "---\ndescription: Short.\n---\n# T\n\n```{include} ../_snippets/disclaimer.md"
        "\n```\n\n{ref}`limitations`\n"
    )
    problems = core.check_page(page, "docs/sub/page.md", "sub/page")
    assert [(v.rule, v.line) for v in problems] == [
        ("disclaimer", 6),
        ("file-insertion", 6),
    ]


@pytest.mark.build
@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("03-systems-context.md", "disclaimer"),
        ("02-research-landscape.md", "limitations-ref"),
    ],
    ids=["without-disclaimer", "without-limitations-ref"],
)
def test_sphinx_build_fails_on_a_broken_page(
    broken_site: tuple[Path, CompletedProcess[str]], name: str, rule: str
) -> None:
    # conftest.CUT_FROM_PAGES cut the markup from these pages of the broken copy.
    docs, result = broken_site
    assert result.returncode != 0, "a -W build must fail on a policy violation"
    here = warnings_at(result.stderr, docs / name)
    assert any(f"[brief.{rule}]" in w for w in here), result.stderr


def test_the_disclaimer_snippet_is_pinned() -> None:
    """Changing the disclaimer takes a deliberate, reviewed change of this hash."""
    digest = hashlib.sha256((DOCS / core.DISCLAIMER_SNIPPET).read_bytes()).hexdigest()
    assert digest == SNIPPET_SHA256, (
        "docs/_snippets/disclaimer.md changed. If a maintainer has reviewed the "
        f"new text, put its hash here: {digest}"
    )


SNIPPET_SHA256 = "94fc22b02eb1664ea733939a683e3f138b948a389e3cec14d39d4126598dfb5d"


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_check_reads_a_page_with_other_line_endings_alike(
    tmp_path: Path, ending: str
) -> None:
    """A page saved with Windows (or old Mac) line endings gives the same
    problems, on the same lines, as the same page with "\\n"."""
    from noopept_brief.core.check import check_all

    docs = copy_docs(tmp_path / "docs")
    page = docs / "02-research-landscape.md"
    text = "\ufeff" + page.read_text("utf-8") + "\nPeople take 10 mg daily.\n"
    page.write_text(text, "utf-8", newline="")
    plain = [(v.path, v.line, v.rule, v.message) for v in check_all(docs)]
    page.write_text(text.replace("\n", ending), "utf-8", newline="")
    other = [(v.path, v.line, v.rule, v.message) for v in check_all(docs)]
    rules = [rule for _, _, rule, _ in plain]
    assert rules == [core.Rule.ENCODING, core.Rule.CONTENT], plain  # BOM, "10 mg"
    assert other == plain
