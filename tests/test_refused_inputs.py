"""Every input the checks refuse, in one table each, read at a glance.

Each row is one case: the bad fixture, and where and why it must be refused.
The page and bib rules live in src/noopept_brief/core/; the first table runs them
as pytest does. The second table breaks a copy of docs/ once, with every
case at the same time, and checks that a `-W` Sphinx build names each one at
its file and line (Sphinx's own checks, and the brief extension's, side by side).
"""

from __future__ import annotations

import re
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import (
    DOCS,
    FIXTURES,
    REFUSED,
    ROOT,
    add_to_docs,
    assert_no_crash,
    copy_docs,
    sphinx_build,
    warnings_at,
)

from noopept_brief import core

# case: (fixture, rule, line, words the message must contain)
PAGE_CASES = {
    # -- raw HTML: none at all, except comments ---------------------------------
    "raw HTML block": ("raw-html-block.md", "raw-html", 11, "MyST Markdown"),
    "inline raw HTML": ("raw-html-inline.md", "raw-html", 11, "MyST Markdown"),
    "{raw} directive": ("raw-directive.md", "raw-html", 11, "{raw} directive"),
    # -- what runs code or loads another site: refused wherever it is ----------
    "<script>": ("script.md", "unsafe-html", 11, "<script>"),
    "<script> in {raw} in a note": ("script-in-nested-raw.md", "unsafe-html", 14, "<script>"),
    "<script> in a comment": ("script-in-comment.md", "unsafe-html", 11, "<script>"),
    "<script> in :::{raw}": ("script-in-colon-fence.md", "unsafe-html", 11, "<script>"),
    "<iframe>": ("iframe.md", "unsafe-html", 11, "<iframe>"),
    "<object>": ("object.md", "unsafe-html", 11, "<object>"),
    "<embed>": ("embed.md", "unsafe-html", 11, "<embed>"),
    "<style>": ("style.md", "unsafe-html", 11, "<style>"),
    "on...= handler": ("event-handler.md", "unsafe-html", 11, "event-handler"),
    "javascript: link": ("javascript-link.md", "unsafe-html", 11, "javascript:"),
    "data: URL image": ("data-url-image.md", "unsafe-html", 11, "data:"),
    # -- external links: https, and no shops -----------------------------------
    "http link": ("http-link.md", "external-link", 11, "https://pubmed"),
    "vendor domain": ("vendor-link.md", "external-link", 11, "not on the allowlist"),
    "shop domain": ("shop-domain-link.md", "external-link", 11, "not on the allowlist"),
    # -- images and headings -----------------------------------------------------
    "image without alt": ("image-without-alt.md", "image-alt", 11, "![what the image"),
    "figure without alt": ("figure-without-alt.md", "image-alt", 11, ":alt:"),
    "heading skips a level": ("heading-skips-a-level.md", "headings", 13, "Make it ###"),
    "text before the H1": ("text-before-title.md", "headings", 4, "# Page title"),
    "two H1s": ("two-titles.md", "headings", 11, "Make this ##"),
    # -- encodings -----------------------------------------------------------------
    "byte-order mark": ("byte-order-mark.md", "encoding", 1, "without a BOM"),
    "not UTF-8": ("not-utf-8.md", "encoding", 8, "not UTF-8"),
    # -- the foundation's page policy (fixtures in pages/bad) ----------------------
    "no disclaimer": ("../pages/bad/disclaimer-missing.md", "disclaimer", 4, "{disclaimer}"),
    "no Limitations link": ("../pages/bad/limitations-ref-missing.md", "limitations-ref", 4, "{ref}`limitations`"),
}  # fmt: skip

# case: (fixture in fixtures/bib, rule, line, words the message must contain)
BIB_CASES = {
    "unbalanced brace": ("unbalanced-brace.bib", "bib-syntax", 3, "never closed"),
    "missing comma": ("missing-comma.bib", "bib-syntax", 4, "comma"),
    "duplicate key": ("duplicate-key.bib", "bib-duplicate", 8, "defined again"),
    "missing field": ("missing-field.bib", "bib-fields", 1, "has no journal"),
    "malformed DOI": ("malformed-doi.bib", "bib-doi", 1, "malformed DOI"),
}


def _rel(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def _check_file(path: Path) -> list[core.Violation]:
    """Judge a file as pytest and Sphinx do: its bytes first, then its text."""
    data, name = path.read_bytes(), _rel(path)
    if problems := core.check_encoding(data, name):
        return problems
    text = data.decode("utf-8")
    return (
        core.check_bib(text, name)
        if path.suffix == ".bib"
        else core.check_page(text, name)
    )


def test_every_refused_fixture_is_in_the_table() -> None:
    listed = {fixture for fixture, *_ in PAGE_CASES.values()}
    assert {p.name for p in REFUSED.iterdir()} <= listed


@pytest.mark.parametrize(
    ("fixture", "rule", "line", "words"),
    [
        *PAGE_CASES.values(),
        *((f"../bib/{f}", *rest) for f, *rest in BIB_CASES.values()),
    ],
    ids=[*PAGE_CASES, *BIB_CASES],
)
def test_bad_input_is_refused(fixture: str, rule: str, line: int, words: str) -> None:
    path = REFUSED / fixture
    # A directive the brief does not use ({note}) is refused on its own too
    # (rule markup); here, the rule the input is about.
    problems = [p for p in _check_file(path) if p.rule != "markup"]
    assert [(p.rule, p.line) for p in problems] == [(rule, line)], problems
    message = str(problems[0])
    assert message.startswith(f"{_rel(path)}:{line}: [{rule}] "), message
    assert words in message, f"the message should say {words!r}:\n{message}"


def test_unknown_citation_key_is_refused() -> None:
    bib = (FIXTURES / "bib" / "good.bib").read_text(encoding="utf-8")
    problems = core.check_citations(
        bib, [("docs/page.md", "smith2001", 3), ("docs/page.md", "nokey1999", 7)]
    )
    assert [str(p).split(". ")[0] for p in problems] == [
        "docs/page.md:7: [cite-unknown] cites 'nokey1999', which is not in docs/refs.bib"
    ]


def test_the_real_pages_link_only_to_allowed_sites() -> None:
    # The allowlist must not refuse the brief's own sources (doi.org and the like).
    urls = [
        url
        for page in core.pages(DOCS)
        for url, _ in core.url_items(page.read_text(encoding="utf-8"))
    ]
    # The reference list links every DOI through doi.org.
    bib = (DOCS / "refs.bib").read_text(encoding="utf-8")
    urls += [
        f"https://doi.org/{doi}" for doi in re.findall(r"doi\s*=\s*\{([^}]+)\}", bib)
    ]
    assert urls, "no links found: the check below would check nothing"
    assert not [why for u in urls if (why := core.refused_url(u))]


def test_included_snippets_show_nothing_refused() -> None:
    snippets = sorted((DOCS / "_snippets").glob("*.md"))
    assert snippets, "no snippets found: the check below would check nothing"
    problems = [
        v for p in snippets for rule in core.CONTENT_RULES
        for v in rule(p.read_text(encoding="utf-8"), _rel(p))
    ]  # fmt: skip
    assert not problems, "\n".join(map(str, problems))


def test_every_source_file_is_utf8_without_bom() -> None:
    files = core.text_files(DOCS)
    assert DOCS / "refs.bib" in files and DOCS / "conf.py" in files
    problems = [v for p in files for v in core.check_encoding(p.read_bytes(), _rel(p))]
    assert not problems, "\n".join(map(str, problems))


# -- The same cases in a -W Sphinx build ------------------------------------------

# case: (file under the broken docs/, line (or the text on it) or None, what
# Sphinx must say)
SPHINX_CASES = {
    # Sphinx's own checks
    "page in no toctree": ("orphan.md", None, "document isn't included in any toctree"),
    # (Sphinx names the line of the toctree that lists the entry.)
    "toctree entry naming no page": ("index.md", "no-such-page", "nonexisting document 'no-such-page'"),
    "broken internal reference": ("broken.md", 6, "undefined label: 'no-such-label'"),
    "label defined twice": ("broken.md", 9, "duplicate label trk-receptors"),
    "unknown citation key": ("broken.md", 6, 'could not find bibtex key "nokey1999"'),
    "an {include} of any file": ("broken.md", 11, "[brief.file-insertion]"),
    # the brief extension's checks, as located warnings
    "<script> in {raw} in a note": ("script-in-nested-raw.md", 14, "[brief.unsafe-html]"),
    "on...= handler": ("event-handler.md", 11, "[brief.unsafe-html]"),
    "vendor domain": ("vendor-link.md", 11, "[brief.external-link]"),
    "image without alt": ("image-without-alt.md", 11, "[brief.image-alt]"),
    "heading skips a level": ("heading-skips-a-level.md", 13, "[brief.headings]"),
    "byte-order mark": ("byte-order-mark.md", 1, "[brief.encoding]"),
    "duplicate bib key": ("duplicate-key.bib", 8, "[brief.bib-duplicate]"),
    "missing bib field": ("missing-field.bib", 1, "[brief.bib-fields]"),
    "malformed DOI": ("malformed-doi.bib", 1, "[brief.bib-doi]"),
}  # fmt: skip


@pytest.mark.build
@pytest.mark.parametrize(
    ("name", "line", "says"), SPHINX_CASES.values(), ids=list(SPHINX_CASES)
)
def test_sphinx_build_refuses(
    broken_site: tuple[Path, CompletedProcess[str]],
    name: str,
    line: int | str | None,
    says: str,
) -> None:
    docs, result = broken_site
    stderr = result.stderr
    if isinstance(line, str):  # the toctree that lists this entry
        lines = (docs / name).read_text(encoding="utf-8").splitlines()
        entry = lines.index(line)
        line = max(n for n in range(entry) if lines[n].startswith("```{toctree}")) + 1
    where = f"{docs / name}:{line}:" if line else f"{docs / name}:"
    found = [
        row for row in stderr.splitlines() if row.startswith(where) and says in row
    ]
    assert found, f"expected {where} ... {says}\nin:\n{stderr}"


@pytest.mark.build
def test_sphinx_stops_on_unreadable_sources(tmp_path: Path) -> None:
    """A bib file that does not parse, or a page that is not UTF-8, stops the
    build at once, with every such file at its line (not a bare traceback)."""
    docs = copy_docs(tmp_path / "docs")
    add_to_docs(docs, ["not-utf-8.md"], ["unbalanced-brace.bib", "missing-comma.bib"])
    result = sphinx_build("-b", "html", docs, tmp_path / "html")
    assert result.returncode != 0
    assert_no_crash(result)
    for name, line, rule in (
        ("not-utf-8.md", 8, "encoding"),
        ("unbalanced-brace.bib", 3, "bib-syntax"),
        ("missing-comma.bib", 4, "bib-syntax"),
    ):
        here = warnings_at(result.stderr, docs / name, line)
        assert any(f"[brief.{rule}]" in w for w in here), result.stderr
    assert "The build stops here" in result.stderr


@pytest.mark.build
def test_a_missing_disclaimer_snippet_stops_the_build_without_a_crash(
    tmp_path: Path,
) -> None:
    # The one-page project of tests/test_claims_model.py, without its snippet.
    import shutil

    project = tmp_path / "docs"
    shutil.copytree(ROOT / "tests" / "roots" / "test-claims-model", project)
    (project / core.DISCLAIMER_SNIPPET).unlink()
    result = sphinx_build("-b", "html", project, tmp_path / "html")
    assert result.returncode != 0
    assert_no_crash(result)
    here = warnings_at(result.stderr, project / core.DISCLAIMER_SNIPPET, 1)
    assert any("snippet is missing" in w for w in here), result.stderr
