"""The new-page scaffold (`nox -s new-page -- <slug> "<Title>"`): it writes a page
from the project's one template, adds it to the toctree, and the checks refuse
its two placeholders until they are filled; filled, the page builds cleanly."""

from __future__ import annotations

import re
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import SCAFFOLD_SLUG, copy_docs, sphinx_build, warnings_at

from noopept_brief import core
from noopept_brief.tools import scaffold

SLUG, TITLE = "receptor-binding", "Receptor binding studies"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return copy_docs(tmp_path / "docs")


def _toctree_entries(index: str) -> list[str]:
    block = index.split(f":caption: {scaffold.TOCTREE_CAPTION}", 1)[1].split("```", 1)[
        0
    ]
    return [line for line in block.splitlines()[1:] if re.match(r"^\w", line)]


def _fill(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    text = text.replace(
        core.DESCRIPTION_PLACEHOLDER, "What rodent studies report on receptor binding."
    )
    text = text.replace(core.CITATION_PLACEHOLDER, "ostrovskaya2010")
    text = text.replace(scaffold.SHORT_PLACEHOLDER, "Higher BDNF mRNA in hippocampus")
    text = text.replace(scaffold.BODY_PLACEHOLDER, "Treatment raised BDNF expression")
    # A confirmed claim quotes its record (docs/_records/ostrovskaya2010.yaml).
    text = text.replace(
        ":status: confirmed\n",
        ":status: confirmed\n:quote: increases the level of mRNA of the BDNF gene\n",
    )
    page.write_text(text, encoding="utf-8")


def test_scaffold_writes_the_next_page_and_lists_it_last(docs: Path) -> None:
    before = _toctree_entries((docs / "index.md").read_text(encoding="utf-8"))
    page = scaffold.new_page(SLUG, TITLE, docs)
    highest = max(int(p.name[:2]) for p in docs.glob("[0-9][0-9]-*.md") if p != page)
    assert page.name == f"{highest + 1:02d}-{SLUG}.md"
    after = _toctree_entries((docs / "index.md").read_text(encoding="utf-8"))
    assert after == [*before, page.stem], "the page goes at the end of the toctree"
    text = page.read_text(encoding="utf-8")
    assert f"# {TITLE}\n" in text
    assert core.DISCLAIMER_DIRECTIVE in text and core.LIMITATIONS_REF in text


def test_scaffolded_page_is_refused_until_its_placeholders_are_filled(
    docs: Path,
) -> None:
    page = scaffold.new_page(SLUG, TITLE, docs)
    text = page.read_text(encoding="utf-8")
    problems = core.check_page(text, str(page))
    assert sorted(p.rule for p in problems) == [
        "citation-placeholder", "description", "scaffold-text", "scaffold-text"
    ]  # fmt: skip
    lines = text.splitlines()
    for problem in problems:
        assert str(problem).startswith(f"{page}:{problem.line}: [{problem.rule}] ")
        placeholders = {
            "description": [core.DESCRIPTION_PLACEHOLDER],
            "citation-placeholder": [core.CITATION_PLACEHOLDER],
            "scaffold-text": [scaffold.SHORT_PLACEHOLDER, scaffold.BODY_PLACEHOLDER],
        }[problem.rule]
        assert any(p in lines[problem.line - 1] for p in placeholders), (
            "the message names its line"
        )
    _fill(page)
    assert core.check_page(page.read_text(encoding="utf-8"), str(page)) == []


@pytest.mark.parametrize(
    ("slug", "title", "complaint"),
    [
        ("Receptor Binding", TITLE, "lower-case words joined by hyphens"),
        ("overview", TITLE, "already exists"),
        (SLUG, "   ", "give the page a title"),
    ],
    ids=["bad-slug", "taken-slug", "no-title"],
)
def test_scaffold_refuses_bad_names(
    docs: Path, slug: str, title: str, complaint: str
) -> None:
    index = (docs / "index.md").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=complaint):
        scaffold.new_page(slug, title, docs)
    assert (docs / "index.md").read_text(encoding="utf-8") == index, "left untouched"


@pytest.mark.build
def test_unfilled_scaffold_fails_the_build(
    broken_site: tuple[Path, CompletedProcess[str]],
) -> None:
    docs, result = broken_site  # holds a new page, not filled in
    [page] = docs.glob(f"*-{SCAFFOLD_SLUG}.md")
    assert result.returncode != 0
    for rule in ("citation-placeholder", "description", "scaffold-text"):
        assert any(f"[brief.{rule}]" in w for w in warnings_at(result.stderr, page)), (
            result.stderr
        )


@pytest.mark.build
def test_filled_scaffold_builds_warning_free_on_read_the_docs(
    docs: Path, tmp_path: Path, monkeypatch
) -> None:
    # As Read the Docs would build it: its canonical URL and repository.
    monkeypatch.setenv(
        "READTHEDOCS_CANONICAL_URL", "https://brief.example.org/en/latest/"
    )
    monkeypatch.setenv("READTHEDOCS_GIT_CLONE_URL", "git@github.com:owner/brief.git")
    monkeypatch.setenv("READTHEDOCS_GIT_IDENTIFIER", "main")
    monkeypatch.setenv("READTHEDOCS_VERSION_TYPE", "branch")
    page = scaffold.new_page(SLUG, TITLE, docs)
    _fill(page)
    out = tmp_path / "html"
    result = sphinx_build("-b", "html", docs, out)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    html = (out / f"{page.stem}.html").read_text(encoding="utf-8")
    assert f"{TITLE}" in html
    # A copy outside git has no page dates, and shows no build date instead.
    assert "Last updated" not in html
    assert f"https://github.com/owner/brief/edit/main/docs/{page.name}" in html
    assert f"https://github.com/owner/brief/blob/main/docs/{page.name}" in html
    assert f'href="https://brief.example.org/en/latest/{page.stem}.html"' in html
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://brief.example.org/en/latest/{page.stem}.html" in sitemap
    notfound = (out / "404.html").read_text(encoding="utf-8")
    assert 'href="/en/latest/_static/' in notfound
