"""The fence: every internal of another library that the package relies on
(src/noopept_brief/sphinxext/_upstream.py) still has the shape relied on, and
each library is within the range pyproject.toml pins. If a test here fails
after an upgrade, read _upstream.py's note on that library before widening
the range."""

from __future__ import annotations

import inspect
import queue
import re
import tomllib
from importlib.metadata import version

import pytest
from conftest import ROOT
from packaging.requirements import Requirement

from noopept_brief.sphinxext import _upstream

FENCED = ("sphinx", "sphinx-sitemap", "furo", "sphinxcontrib-bibtex", "myst-parser")


@pytest.mark.parametrize("name", FENCED)
def test_installed_version_is_in_the_pinned_range(name: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = {Requirement(r).name: Requirement(r) for r in project["dependencies"]}
    specifier = pins[name].specifier
    assert re.search(r"<", str(specifier)), f"{name}: pin an upper bound too"
    assert specifier.contains(version(name)), (
        f"{name} {version(name)} is outside {specifier}: check _upstream.py"
    )


@pytest.mark.sphinx("html", testroot="upstream")
def test_post_transforms_reach_the_builder_through_env_app(app) -> None:
    assert _upstream.builder_of(app.env) is app.builder


@pytest.mark.sphinx("html", testroot="upstream")
def test_sphinx_sitemap_queues_links_on_the_app(app) -> None:
    from sphinx_sitemap import add_html_link

    app.build()
    # complete_sitemap reads, adds to and refills this queue.
    links = app.sitemap_links
    assert callable(links.get_nowait) and callable(links.put)
    assert list(inspect.signature(add_html_link).parameters) == [
        "app", "pagename", "templatename", "context", "doctree",
    ]  # fmt: skip
    add_html_link(app, "index", None, None, None)  # as complete_sitemap does
    found = _upstream._drain(links)
    # Links as complete_sitemap compares them: page names with the suffix.
    assert [link for link, _ in found] == ["index.html"]
    with pytest.raises(queue.Empty):
        links.get_nowait()


def test_furo_builds_its_tree_from_the_context_toctree_only() -> None:
    import furo
    from furo.navigation import get_navigation_tree

    called = []

    def toctree(**options: object) -> str:
        called.append(options)
        return ""

    furo._compute_navigation_tree({"toctree": toctree})
    assert called, "furo no longer renders context['toctree']"
    # Without it, furo renders nothing: the cached tree replaces it.
    assert furo._compute_navigation_tree({}) == get_navigation_tree("")
    assert "_compute_navigation_tree(context)" in inspect.getsource(
        furo._html_page_context
    )


# -- The core's fence (src/noopept_brief/core/_upstream.py) ----------------------


def test_myst_reads_a_directive_with_the_shape_the_core_gives() -> None:
    """parse_directive_text: the class's attributes in, arguments, options,
    body, body offset and warnings out (core/_upstream.py reads all five)."""
    import dataclasses

    from myst_parser.parsers.directives import (
        DirectiveParsingResult,
        parse_directive_text,
    )

    fields = {f.name for f in dataclasses.fields(DirectiveParsingResult)}
    assert {"arguments", "options", "body", "body_offset", "warnings"} <= fields
    from noopept_brief.core.shapes import ClaimShape, DisclaimerShape

    found = parse_directive_text(
        ClaimShape, "Short text", ':evidence: "human"\n\nBody.\n', line=3
    )
    assert (found.arguments, found.options, found.body, found.body_offset) == (
        ["Short text"], {"evidence": "human"}, ["Body."], 2,
    )  # fmt: skip
    refused = parse_directive_text(DisclaimerShape, "", ":start-line: 99\n", line=3)
    assert [w.msg for w in refused.warnings] == ["Has content, but none permitted"]


def test_the_core_reads_pages_with_myst_own_parser() -> None:
    from noopept_brief.core import _upstream

    tokens = _upstream.parser().parse("---\na: 1\n---\n```{note} X\nBody.\n```\n")
    assert [t.type for t in tokens] == ["front_matter", "fence"]
    assert tokens[1].info == "{note} X" and tokens[1].content == "Body.\n"


def test_smartquotes_is_docutils_own() -> None:
    from noopept_brief.core import _upstream

    assert _upstream.typographic('it\'s "x"') == "it\u2019s \u201cx\u201d"
