"""Issue 20, one test per principle: the gate allows only the brief's markup,
and judges the text the reader gets, on every channel.

The hostile edits (tests/test_hostile_edits.py, second round) show each principle
refused in a build; these show each rule on its own, with its variations.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLAIMS_MODEL_BUILD, DOCS

from noopept_brief.core.claim.model import claim_options
from noopept_brief.core.markdown.allowed_markup import (
    check_markup,
    markup,
    refused_class,
)
from noopept_brief.core.markdown.content_rules import find
from noopept_brief.core.markdown.reader_text import check_visible_text, fold
from noopept_brief.core.output.files import check_docs_files
from noopept_brief.core.output.pdf_text import pdf_pages
from noopept_brief.core.output.site import Expected, check_html
from noopept_brief.sphinxext.gate import NODES, READ_REFUSED, check_claims_json

PAGE = "# T\n\n```{{disclaimer}}\n```\n\n{body}\n"


def _rules(body: str, docname: str = "page") -> list[str]:
    return [str(v.rule) for v in check_markup(PAGE.format(body=body), "p.md", docname)]


# -- 1. Markup by allowlist ------------------------------------------------------


def test_every_entry_of_the_markup_list_has_a_reason() -> None:
    listed = markup()
    assert all(entry.why for entry in listed.directives.values())
    assert all(listed.roles.values()) and all(why for why, _ in listed.classes.values())
    # The claim's options are the claim model's fields, not a copy of them.
    assert set(listed.directives["claim"].options) == set(claim_options())


@pytest.mark.parametrize(
    "body",
    [
        "```{only} html\nText.\n```",  # backtick fence
        ":::{only} html\nText.\n:::",  # colon fence
        "````{claim} Short\n:id: x\n\n```{only} latex\nText.\n```\n````",  # in a claim
        "````{admonition} Box\n:class: record-note\n\n```{math}\nx\n```\n````",  # in an admonition
        "```{eval-rst}\nText.\n```",
        "```{container}\nText.\n```",
        "```{tabularcolumns} |l|\n```",
        "See {math}`x`.",
        "```{admonition} Box\n:class: hidden\n\nText.\n```",  # a free class
        "```{figure} x.png\n:alt: x\n:class: sr-only\n```",  # an option not listed
        "```{toctree}\n01-overview\n```",  # on a page other than the landing page
    ],
)
def test_markup_not_on_the_list_is_refused(body: str) -> None:
    assert "markup" in _rules(body), body


def test_the_brief_own_markup_passes() -> None:
    assert (
        _rules("```{admonition} Box\n:class: key-points\n\nText {cite:p}`x`.\n```")
        == []
    )
    assert _rules("```{web-only}\nOnly on the website.\n```", "index") == []


def test_the_doctree_allows_no_only_raw_or_math_node_and_no_free_class() -> None:
    assert not ({"only", "raw", "math", "math_block", "note", "warning"} & NODES)
    assert {"only", "raw", "math"} <= READ_REFUSED
    assert refused_class("record-note", "admonition") is None
    assert "not one the brief uses" in (refused_class("hidden", "container") or "")
    assert "belongs on inline" in (refused_class("brief-sr-only", "admonition") or "")


def test_web_only_content_is_in_the_site_and_not_in_the_pdf(
    html_dir: Path, pdf_path: Path
) -> None:
    assert "download the PDF" in (html_dir / "index.html").read_text("utf-8")
    # Read across line breaks and line-end hyphens, as the reader reads it.
    printed = " ".join(" ".join(pdf_pages(pdf_path)).replace("-\n", "").split())
    assert "download the PDF" not in printed


# -- 2. Text as the reader gets it ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("You can bu\u200by it.", "invisible-text"),  # zero-width space
        ("See {ref}`\u3164 <limitations>`.", "invisible-text"),  # Hangul filler
        ("![\u2800](x.png)", "invisible-text"),  # Braille blank in alt text
        (
            "```{admonition} A\u00adB\n:class: record-note\n```",
            "invisible-text",
        ),  # title
        ("Where to bu\u0443 it.", "mixed-script"),  # Cyrillic y
        ("The p\u0430ge.", "mixed-script"),  # Cyrillic a
    ],
)
def test_invisible_and_mixed_script_text_is_refused(text: str, rule: str) -> None:
    found = [str(v.rule) for v in check_visible_text(PAGE.format(body=text), "p.md")]
    assert rule in found, found


def test_the_brief_own_scientific_names_pass() -> None:
    assert (
        check_visible_text(PAGE.format(body="NF-\u03baB and \u03b2-amyloid."), "p.md")
        == []
    )


@pytest.mark.parametrize(
    "text",
    [
        "two hundred milligrams",
        "zehn Milligramm",
        "200 \u043c\u0433",  # мг
        "10 \uff4d\uff47",  # full-width
        "10 \u338e",  # one character
        "thrice daily",
        "deux fois par jour",
        "dos veces al d\u00eda",
        "\u0434\u0432\u0430 \u0440\u0430\u0437\u0430 \u0432 \u0434\u0435\u043d\u044c",
        "3x daily",
    ],
)
def test_amounts_and_frequencies_are_caught_by_what_they_are(text: str) -> None:
    assert {r.name for _, r, _ in find(text)} & {"amount", "frequency"}, text


def test_science_prose_passes_the_amount_rules() -> None:
    for text in (
        "Rats were treated for 28 days.",
        "Doses about 1000 times lower than piracetam's.",
        "Tested once in the light colour scheme and once in the dark.",
        "A bid to replicate the study; two groups of ten rats.",
    ):
        assert find(text) == [], text
    assert fold("\uff4d\uff47") == "mg"


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u2011", "\u2013", "\u00ad"])
def test_a_word_broken_by_a_hyphen_is_read_whole(hyphen: str) -> None:
    """ "Pur-chase" reads as "purchase", in a page's source and in its HTML,
    whichever hyphen, dash or soft hyphen breaks it; a hyphenated word that
    no rule names passes."""
    from noopept_brief.core.registry import check_page

    text = f"Where you can pur{hyphen}chase it."
    source = [v for v in check_page(PAGE.format(body=text), "p.md")
              if str(v.rule) == "content"]  # fmt: skip
    assert [(v.path, v.line) for v in source] == [("p.md", 6)], source
    assert source[0].message.startswith("'pur") and "chase'" in source[0].message
    assert "Rewrite the sentence" in source[0].message
    html = check_html(
        _html(f"<p>{text}</p>"), "p.html", "p.html", expected=Expected(DOCS)
    )
    # (A soft hyphen is refused as invisible-text too.)
    assert "content" in [str(v.rule) for v in html], html
    assert find("A dose-response curve over 28-day tests.") == []


def _html(body: str, head: str = "") -> str:
    disclaimer = Expected(DOCS)
    return (
        f"<html><head>{head}</head><body><article role='main'><section><h1>T</h1>"
        "<div class='admonition warning disclaimer'><p>"
        f"{disclaimer.disclaimer}</p></div>{body}"
        "<p><a href='06-limitations.html#limitations'>limitations</a></p>"
        "</section></article></body></html>"
    )


@pytest.mark.parametrize(
    ("body", "head"),
    [
        ("<img src='x.png' alt='take 10 mg daily'>", ""),
        ("<span title='buy it here'>x</span>", ""),
        ("<a aria-label='two hundred milligrams' href='#'>x</a>", ""),
        ("<p><input placeholder='how much to take'></p>", ""),
        ("", "<meta name='description' content='Where to buy Noopept'>"),
        ("", "<meta property='og:description' content='thrice daily'>"),
    ],
)
def test_every_html_channel_is_read(body: str, head: str) -> None:
    found = check_html(_html(body, head), "p.html", "p.html", expected=Expected(DOCS))
    assert "content" in [str(v.rule) for v in found], found


def test_a_repeated_finding_is_reported_at_every_place(monkeypatch) -> None:
    # The gate reads a clean short text once a process (a page repeats its
    # tooltips); one with a finding is read, and reported, every time.
    from noopept_brief.core.markdown import content_rules

    monkeypatch.setattr(content_rules, "_CLEAN", set())
    reads = []
    real = content_rules.check_text
    monkeypatch.setattr(
        content_rules, "check_text", lambda *a: reads.append(a[0]) or real(*a)
    )
    title = "<span title='{}'>x</span>"
    body = title.format("A tooltip") * 3 + title.format("take 10 mg daily") * 2
    found = check_html(_html(body), "p.html", "p.html", expected=Expected(DOCS))
    assert [str(v.rule) for v in found].count("content") == 2, (
        f"{found}: a text with a finding must be reported at each place it "
        "stands (content_rules.check_read_text keeps only clean texts)"
    )
    assert reads.count("take 10 mg daily") == 2 and reads.count("A tooltip") == 1, reads
    for _ in range(content_rules._CLEAN_SIZE + 1):  # bounded
        content_rules.check_read_text(f"clean text {_}", "p", 1, "x")
    assert len(content_rules._CLEAN) <= content_rules._CLEAN_SIZE, "unbounded"


@pytest.mark.parametrize(
    "body",
    [
        "<div class='admonition warning disclaimer'><p>x</p></div>",  # a second one
        "<div class='admonition warning'><p>Another box.</p></div>",  # its classes
        "<div class='admonition'><p>Research context only: not medical advice</p></div>",
        # The title with its spaces doubled and broken: read as readers see it.
        "<p>Research  context only:\n  not medical advice</p>",
    ],
)
def test_nothing_else_is_dressed_as_the_disclaimer(body: str) -> None:
    found = check_html(_html(body), "p.html", "p.html", expected=Expected(DOCS))
    assert "built-disclaimer" in [str(v.rule) for v in found], found


def test_the_disclaimer_is_the_first_thing_below_the_title() -> None:
    html = _html("").replace("<h1>T</h1>", "<h1>T</h1><p>Intro first.</p>")
    found = check_html(html, "p.html", "p.html", expected=Expected(DOCS))
    assert "built-disclaimer" in [str(v.rule) for v in found], found


def test_claims_json_is_read(tmp_path: Path) -> None:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": [{"note": "take 10 mg daily"}]}), "utf-8")
    assert [str(v.rule) for v in check_claims_json(path)] == ["content"]
    # Every distinct string, the last one read too, however often others
    # repeat (the gate reads the JSON from its end: the first claim is last).
    claims = [{"note": "buy it"}] + [
        {"status": "confirmed", "note": f"Rats, study {n % 50}."} for n in range(500)
    ]
    path.write_text(json.dumps({"claims": claims}), "utf-8")
    assert [str(v.rule) for v in check_claims_json(path)] == ["content"]


# -- 4. Files by allowlist -------------------------------------------------------


def test_claims_json_is_judged_by_its_own_bytes(tmp_path: Path) -> None:
    # A parallel build reads claims.json's text before it writes the file
    # (claims_json.make_beside_writing); the file read back at the end gets
    # those findings only if it holds that very text.
    path = tmp_path / "claims.json"
    clean = json.dumps({"claims": [{"note": "Rats were tested."}]})
    assert check_claims_json(path, clean) == []
    path.write_text(json.dumps({"claims": [{"note": "Buy it here."}]}), "utf-8")
    assert [str(v.rule) for v in check_claims_json(path)] == ["content"], (
        "a claims.json whose text changed after it was read got the old text's "
        "findings: gate.check_claims_json must key them by the text's digest"
    )
    path.write_text(clean, "utf-8")
    assert check_claims_json(path) == []


def test_only_the_kinds_of_file_the_manifest_lists_are_allowed(tmp_path: Path) -> None:
    assert check_docs_files(DOCS) == []
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "content-manifest.txt").write_text(
        (DOCS / "content-manifest.txt").read_text("utf-8"), "utf-8"
    )
    for name in ("page.md", "locales/en/LC_MESSAGES/a.po", "docutils.conf", ".x.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x", "utf-8")
    named = sorted(Path(v.path).name for v in check_docs_files(docs))
    assert named == [".x.md", "a.po", "docutils.conf"]
    assert "content-manifest.txt" in check_docs_files(docs)[0].message


@CLAIMS_MODEL_BUILD
def test_the_doctree_gate_refuses_a_node_no_source_shows(app) -> None:
    # An extension that adds a node the brief does not use: no source rule can
    # see it, so the doctree gate must (sphinxext/gate.py, check_doctree).
    from docutils import nodes

    def add_sidebar(app, doctree) -> None:
        doctree += nodes.sidebar("", nodes.paragraph(text="aside"))
        # And blocks nested past the gate's MAX_DEPTH, which no page can write
        # (the source rule stops at 12 directives).
        deepest = doctree
        for _ in range(60):
            deepest += nodes.container()
            deepest = deepest[-1]

    app.connect("doctree-read", add_sidebar)
    app.build()
    warnings = app.warning.getvalue()
    assert "index.md:1: WARNING: the built page holds a sidebar node" in warnings, (
        warnings
    )
    assert "[brief.built-node]" in warnings, warnings
    assert "the page nests blocks 60 deep (at most 50)" in warnings, (
        "check_doctree (sphinxext/gate.py) no longer measures how deep a "
        f"resolved page nests: {warnings}"
    )
