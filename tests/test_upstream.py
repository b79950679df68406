"""The fence: every internal of another library that the package relies on
(src/noopept_brief/sphinxext/_upstream/, one module a library) still has the
shape relied on, and each library is within the range pyproject.toml pins. If
a test here fails after an upgrade, read that library's module's note before
widening the range."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import queue
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from typing import ClassVar

import pytest
from conftest import ROOT, texts_when_told
from packaging.requirements import Requirement

from noopept_brief.sphinxext import _upstream

FENCED = (
    "sphinx",
    "sphinx-sitemap",
    "sphinx-last-updated-by-git",
    "furo",
    "sphinxcontrib-bibtex",
    "sphinxext-opengraph",
    "myst-parser",
)


@pytest.mark.parametrize("name", FENCED)
def test_installed_version_is_in_the_pinned_range(name: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pins = {Requirement(r).name: Requirement(r) for r in project["dependencies"]}
    specifier = pins[name].specifier
    assert re.search(r"<", str(specifier)), f"{name}: pin an upper bound too"
    assert specifier.contains(version(name)), (
        f"{name} {version(name)} is outside {specifier}: check sphinxext/_upstream/"
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


@pytest.mark.sphinx("html", testroot="upstream")
def test_the_html_builder_writes_each_page_as_its_templates_render_it(app) -> None:
    """The output gate checks each page from the string the builder's templates
    render (watch_rendered_pages): that string must be the file written."""
    seen: dict[str, str] = {}
    _upstream.watch_rendered_pages(
        app.builder, lambda context, html: seen.setdefault(context["pagename"], html)
    )
    app.build(force_all=True)
    assert {"index", "search", "genindex"} <= seen.keys(), sorted(seen)
    for name, html in seen.items():
        assert (app.outdir / f"{name}.html").read_text("utf-8") == html, name


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


@pytest.mark.sphinx("html", testroot="upstream-bibtex")
def test_the_cite_domain_keeps_citations_and_where_they_are_cited(app) -> None:
    app.build()
    [(key, label, entry)] = _upstream.bib_citations(app.env)
    assert (key, entry.fields["year"]) == ("example2001", "2001")
    assert label == "Exa01", "the label of sphinxcontrib-bibtex's default style"
    assert list(_upstream.citing_pages(app.env)) == [("index", ["example2001"])]


@pytest.mark.sphinx("html", testroot="upstream-bibtex")
def test_a_citation_made_in_code_is_the_one_the_cite_role_makes(app) -> None:
    from docutils import nodes
    from sphinx import addnodes

    app.build()
    [role_made] = app.env.get_doctree("index").findall(addnodes.pending_xref)
    ours = _upstream.cite_reference(["example2001"], "index")
    for name in ("refdomain", "reftype", "reftarget", "refdoc"):
        assert ours[name] == role_made[name], name
    # And the cite domain resolves it, as it resolves the role's.
    resolved = app.env.get_domain("cite").resolve_xref(
        app.env, "index", app.builder, ours["reftype"], ours["reftarget"], ours,
        ours[0],
    )  # fmt: skip
    assert isinstance(resolved, nodes.Element) and resolved.astext() == "[Exa01]"


#: sphinxcontrib-bibtex 2.7.0's BibtexDomain.resolve_xref, which
#: _upstream.BibtexDomain copies with two changes (one plugin lookup, a cache).
RESOLVE_XREF_SHA256 = "53e1f8c0f8f6a1376e5305aff58d753aa1062bf04e33af331b850554608918be"


def test_the_copied_resolve_xref_is_still_upstreams() -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    source = inspect.getsource(BibtexDomain.resolve_xref)
    assert hashlib.sha256(source.encode()).hexdigest() == RESOLVE_XREF_SHA256, (
        "sphinxcontrib-bibtex changed BibtexDomain.resolve_xref: copy it again "
        "into _upstream.BibtexDomain (keeping plaintext_backend()), or drop the "
        "copy if upstream now looks pybtex's plaintext backend up once; then "
        "update RESOLVE_XREF_SHA256"
    )


@pytest.mark.sphinx("html", testroot="upstream-bibtex")
def test_the_domain_resolves_citations_as_upstreams_does(app) -> None:
    from sphinxcontrib.bibtex.domain import BibtexDomain

    app.build()
    domain = app.env.get_domain("cite")
    node = _upstream.cite_reference(["example2001"], "index")
    resolved = [
        resolve(domain, app.env, "index", app.builder, "p", "example2001", node,
                node[0]).pformat()
        for resolve in (BibtexDomain.resolve_xref, _upstream.BibtexDomain.resolve_xref)
    ]  # fmt: skip
    assert resolved[0] == resolved[1]
    # The tooltip is the entry in plain text, from the plaintext backend.
    assert 'reftitle="Ann Example. A made-up entry for a test. 2001."' in resolved[1]
    # Formatted once a build: the same citation again is an equal copy, and
    # one from a page whose links read otherwise is formatted for that page.
    ours = _upstream.BibtexDomain.resolve_xref
    again = ours(
        domain, app.env, "index", app.builder, "p", "example2001", node, node[0]
    )
    assert again.pformat() == resolved[1]
    again.clear()  # a copy: the next one is whole again
    assert ours(domain, app.env, "index", app.builder, "p", "example2001", node,
                node[0]).pformat() == resolved[1]  # fmt: skip
    deeper = [
        resolve(domain, app.env, "sub/page", app.builder, "p", "example2001", node,
                node[0]).pformat()
        for resolve in (BibtexDomain.resolve_xref, ours)
    ]  # fmt: skip
    assert deeper[0] == deeper[1] and "../index.html" in deeper[1]


def _printed_by(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True,
        encoding="utf-8", check=True,
    )  # fmt: skip
    return result.stdout + result.stderr


def test_opengraph_prints_its_matplotlib_line_only_when_imported_plainly() -> None:
    if importlib.util.find_spec("matplotlib") is not None:
        pytest.skip("matplotlib is installed: sphinxext-opengraph prints nothing")
    assert _printed_by("import sphinxext.opengraph") == (
        _upstream.OPENGRAPH_MATPLOTLIB_LINE + "\n"
    ), "sphinxext-opengraph's line changed: update _upstream.OPENGRAPH_MATPLOTLIB_LINE"
    quiet = (
        "from noopept_brief.sphinxext._upstream import quiet_opengraph_import\n"
        "quiet_opengraph_import()\n"
        "import sphinxext.opengraph"
    )
    assert _printed_by(quiet) == ""


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
    from noopept_brief.core.markdown.shapes import ClaimShape, DisclaimerShape

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


def test_typographic_returns_only_what_smartquotes_would() -> None:
    # typographic() skips docutils for text smartquotes would not change;
    # on text made of everything smartquotes reads, both must agree.
    import random

    from docutils.utils.smartquotes import smartyPants

    from noopept_brief.core import _upstream

    pieces = [*"ab .,;-\"'\\&<>`?\n", "--", "---", "...", ". . .", "&#34;", "<b>",
              "x-y", "1-2", " - ", "\u2013"]  # fmt: skip
    pick = random.Random(20261207)
    for _ in range(20_000):
        text = "".join(pick.choices(pieces, k=pick.randint(0, 10)))
        assert _upstream.typographic(text) == smartyPants(text, "qDe", "en"), (
            f"{text!r}: typographic() skipped smartquotes on text it changes; "
            "add what it acts on to SMARTY_WORK (core/_upstream.py)"
        )


@pytest.mark.parametrize(
    "block",
    [
        ":status: confirmed\n:sources: smith2001 jones2002\n",
        ":a: 'quoted: with a colon'\n:b:\n",
        ":c: a value # and a comment\n",
        ':d: "never closed\n',  # MyST refuses it: the same message either way
    ],
)
def test_option_blocks_are_read_once_as_myst_reads_them(block: str) -> None:
    # share_option_parses() (core/_upstream.py) keeps MyST's tokens of each
    # option block, where parse_directive_text asks for them.
    from myst_parser.parsers import directives, options

    from noopept_brief.core import _upstream

    _upstream.share_option_parses()
    shared = directives.options_to_tokens
    assert getattr(shared, "upstream", None) is options.options_to_tokens, (
        "myst_parser.parsers.directives no longer reads option blocks with "
        "options.options_to_tokens: update share_option_parses (core/_upstream.py)"
    )

    def read() -> tuple:
        found = directives.parse_directive_text(
            _upstream.AnyShape, "Title", block + "\nBody.\n", line=3
        )
        return found.options, found.body, [(w.msg, w.lineno) for w in found.warnings]

    once, again = read(), read()
    directives.options_to_tokens = shared.upstream
    try:
        upstream = read()
    finally:
        directives.options_to_tokens = shared
    assert once == again == upstream, "the shared tokens read otherwise than MyST's"
    if not upstream[2]:  # a block MyST reads (a refused one is read each time)
        assert shared.read.cache_info().hits, "the second read tokenized again"


def test_smartquotes_passes_over_only_what_it_would_not_change() -> None:
    # _upstream.SmartQuotes hands Sphinx's smartquotes the texts without work
    # as literal ones; on blocks of texts made of everything it reads (null
    # escapes included), both must write the same texts.
    import random

    from docutils import nodes
    from docutils.utils import new_document
    from docutils.utils.smartquotes import educate_tokens
    from sphinx.transforms import SphinxSmartQuotes

    document = new_document("test")
    pieces = [*"ab .,;-\"'\\&<`?\n", "--", "...", "&#34;", "x-y", "\x00-", "\x00'"]
    pick = random.Random(20261207)
    for _ in range(5_000):
        texts = [
            "".join(pick.choices(pieces, k=pick.randint(0, 6)))
            for _ in range(pick.randint(1, 4))
        ]
        block = nodes.paragraph()
        for text in texts:  # some in code, which smartquotes leaves as it is
            block += (
                nodes.literal("", text) if pick.random() < 0.3 else nodes.Text(text)
            )
        found = list(block.findall(nodes.Text))
        written = [
            list(educate_tokens(kind(document, None).get_tokens(found), "qDe", "en"))
            for kind in (SphinxSmartQuotes, _upstream.SmartQuotes)
        ]  # fmt: skip
        assert written[0] == written[1], (
            f"{texts!r}: _upstream.SmartQuotes (sphinxext/_upstream/sphinx_.py) passed "
            "over a text Sphinx's smartquotes changes; widen SMARTY_WORK"
        )


@pytest.mark.sphinx("html", testroot="claims-model")
def test_the_smartquotes_transform_is_ours(app) -> None:
    from sphinx.transforms import SphinxSmartQuotes

    transforms = app.registry.get_transforms()
    assert _upstream.SmartQuotes in transforms, transforms
    assert SphinxSmartQuotes not in transforms, "Sphinx's smartquotes would run too"


def test_sphinx_writes_chunks_through_parallel_tasks_started_by_join_one() -> None:
    """collector.release_written frees a chunk's trees in the main process once
    its process has started: a task Sphinx's ParallelTasks has started is in
    ``_precvs``, forked, its chunk in ``_args``; a task still waiting is not."""
    import sphinx.builders
    from docutils.core import publish_doctree
    from sphinx.util.parallel import ParallelTasks

    assert sphinx.builders.ParallelTasks is ParallelTasks
    source = inspect.getsource(sphinx.builders.Builder._write_parallel)
    assert "tasks = ParallelTasks(nproc)" in source
    assert "arg.append((docname, doctree))" in source
    assert "tasks.add_task(write_process, arg, on_chunk_done)" in source

    read, write = os.pipe()
    tasks, done = ParallelTasks(1), []
    first = [(str(read), publish_doctree("first"))]
    second = [(str(read), publish_doctree("second"))]
    try:
        tasks.add_task(texts_when_told, first, lambda arg, result: done.append(result))
        tasks.add_task(texts_when_told, second, lambda arg, result: done.append(result))
        assert list(tasks._precvs) == [0] and tasks._args[0] is first
        assert tasks._procs[0].pid, "a task in _precvs has its process started"
        assert list(tasks._precvs_waiting) == [1] and tasks._procs[1].pid is None
        os.write(write, b"xx")
        tasks.join()
    finally:
        tasks.terminate()  # a process still waiting on the pipe, if a check failed
        os.close(read)
        os.close(write)
    assert done == [["first"], ["second"]]


def test_sphinx_reads_chunks_through_parallel_tasks_merged_by_result_funcs() -> None:
    """collector.merge_when_all_read defers the reader's merges to ``join``
    (_upstream.MergeLaterTasks): Sphinx's parallel reader makes its
    ParallelTasks by that name in sphinx.builders, merges each chunk in the
    task's result function, and joins once every chunk is added."""
    import sphinx.builders
    from sphinx.util.parallel import ParallelTasks

    assert sphinx.builders.ParallelTasks is ParallelTasks
    source = inspect.getsource(sphinx.builders.Builder._read_parallel)
    assert "tasks = ParallelTasks(nproc)" in source
    assert "tasks.add_task(read_process, chunk, merge)" in source
    assert "self.env.merge_info_from(" in source
    assert source.index("tasks.add_task(") < source.index("tasks.join()")
    for name in ("_taskid", "add_task", "join"):
        assert hasattr(ParallelTasks(1), name), name


def test_settings_made_once_a_build_are_the_ones_sphinx_makes() -> None:
    """_upstream.settings_of gives each page what a new option parser gives it
    (Sphinx's _get_settings), its own list of the files it depends on too."""
    import warnings

    from docutils.frontend import OptionParser
    from docutils.readers import standalone
    from myst_parser.parsers.sphinx_ import MystParser
    from sphinx.util.docutils import _parse_str_to_doctree

    from noopept_brief.sphinxext._upstream import sphinx_

    source = inspect.getsource(_parse_str_to_doctree)
    assert "settings = _get_settings(" in source, "Sphinx reads settings otherwise"
    defaults = {"traceback": True, "smartquotes_locales": [], "env": object()}

    def settings(make):
        made = make(standalone.Reader, MystParser(), defaults=defaults,
                    read_config_files=True)  # fmt: skip
        values = dict(vars(made))
        return made, values, values.pop("record_dependencies")

    sphinx_._parsers.clear()
    (one, ours, ours_deps), (two, *_), (_, theirs, their_deps) = (
        settings(sphinx_.settings_of),
        settings(sphinx_.settings_of),
        settings(sphinx_._SPHINX_GET_SETTINGS),
    )
    assert ours == theirs, "settings_of gives other settings than Sphinx's"
    assert (ours_deps.file, ours_deps.list) == (their_deps.file, their_deps.list)
    assert one is not two and one.record_dependencies is not two.record_dependencies, (
        "two pages share settings: settings_of must give each its own, and its "
        "own record_dependencies (sphinxext/_upstream/sphinx_.py)"
    )
    # Sharing one parser's defaults is safe only while the rest are immutable.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        parser = OptionParser(
            components=(standalone.Reader, MystParser()), defaults=defaults,
            read_config_files=True,
        )  # fmt: skip
    immutable = (type(None), str, int, float, bool, tuple, frozenset)
    mutable = {k for k, v in parser.defaults.items()
               if not isinstance(v, immutable) and k not in defaults}  # fmt: skip
    assert mutable == {"record_dependencies"}, (
        f"docutils' defaults now hold {mutable}: give each page its own copy in "
        "settings_of, as record_dependencies"
    )
    other = sphinx_.settings_of(
        standalone.Reader, MystParser(), defaults={**defaults, "halt_level": 2},
        read_config_files=True,
    )  # fmt: skip
    assert other.halt_level == 2, "settings_of kept a parser made for other defaults"


@pytest.mark.sphinx("html", testroot="claims-model")
def test_a_build_reads_with_settings_made_once_and_puts_sphinxs_back(app) -> None:
    import sphinx.util.docutils

    from noopept_brief.sphinxext._upstream import sphinx_

    assert sphinx_.settings_once_a_build in [
        listener.handler for listener in app.events.listeners["builder-inited"]
    ], "connect settings_once_a_build at builder-inited (sphinxext/__init__.py)"
    try:
        sphinx_.settings_once_a_build(app)
        assert sphinx.util.docutils._get_settings is sphinx_.settings_of
    finally:
        sphinx_.settings_as_sphinx_makes_them(app, None)
    assert sphinx.util.docutils._get_settings is sphinx_._SPHINX_GET_SETTINGS, (
        "settings_as_sphinx_makes_them must put Sphinx's _get_settings back"
    )
    assert sphinx_.settings_as_sphinx_makes_them in [
        listener.handler for listener in app.events.listeners["build-finished"]
    ], "connect settings_as_sphinx_makes_them at build-finished"


def test_myst_makes_each_document_with_settings_of_its_own() -> None:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser as RSTParser
    from myst_parser.mdit_to_docutils import base

    from noopept_brief.sphinxext._upstream import myst

    assert "make_document()" in inspect.getsource(base), (
        "MyST makes documents otherwise"
    )
    _upstream.make_documents_once()
    assert base.make_document is myst.make_document
    one, two = myst.make_document(), myst.make_document()
    theirs = dict(vars(get_default_settings(RSTParser)))
    their_deps = theirs.pop("record_dependencies")
    for document in (one, two):
        ours = dict(vars(document.settings))
        ours_deps = ours.pop("record_dependencies")
        assert ours == theirs, "myst.make_document gives other settings than MyST's"
        assert (ours_deps.file, ours_deps.list) == (their_deps.file, their_deps.list)
    assert one.settings is not two.settings, "two documents share their settings"
    assert one.settings.record_dependencies is not two.settings.record_dependencies
    assert not {
        k: v for k, v in myst._option_parser(RSTParser).defaults.items()
        if not isinstance(v, (type(None), str, int, float, bool, tuple, frozenset))
    }, "docutils' RST defaults now hold something mutable: copy it per document"  # fmt: skip


def _code_page(kind: str, env):
    """A page with code blocks, as a reader or an include leaves it."""
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.util.docutils import new_document

    document = new_document("page.md")
    document.settings.env = env
    section = nodes.section()
    document += section
    section += nodes.paragraph(text="Prose.")
    if kind == "none":
        return document
    if kind == "highlight":
        section += addnodes.highlightlang(lang="python", force=True, linenothreshold=2)
    inlined = kind in ("included", "inlined")
    inner = addnodes.start_of_file(docname="other") if inlined else section
    if inlined:
        if kind == "included":
            inner += addnodes.highlightlang(lang="rust", force=False, linenothreshold=1)
        section += inner
    inner += nodes.literal_block("x = 1\n", "x = 1\n")
    section += nodes.container("", nodes.literal_block("a\nb\nc\n", "a\nb\nc\n"))
    section += nodes.literal_block("y\n", "y\n", language="json", linenos=True)
    return document


@pytest.mark.sphinx("html", testroot="claims-model")
@pytest.mark.parametrize("kind", ["plain", "highlight", "included", "inlined", "none"])
def test_code_blocks_get_the_language_sphinxs_transform_gives(app, kind) -> None:
    from sphinx.transforms.post_transforms.code import HighlightLanguageTransform

    transforms = app.registry.get_post_transforms()
    assert _upstream.HighlightLanguage in transforms, transforms
    assert HighlightLanguageTransform not in transforms, "Sphinx's would run too"
    written = []
    for transform in (HighlightLanguageTransform, _upstream.HighlightLanguage):
        document = _code_page(kind, app.env)
        transform(document).apply()
        written.append(document.pformat())
    assert written[0] == written[1], (
        f"on a page with {kind} code, _upstream.HighlightLanguage "
        "(sphinxext/_upstream/sphinx_.py) wrote otherwise than Sphinx's "
        f"transform:\n{written[1]}\nSphinx's:\n{written[0]}"
    )


# -- What only HTML pages use: sphinx-sitemap, sphinx-last-updated-by-git -------


class _Manager:
    """Stands in for the multiprocessing manager sphinx-sitemap starts."""

    started: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.started.append("manager")

    def Queue(self) -> queue.Queue:  # multiprocessing's name
        return queue.Queue()


@pytest.fixture
def html_only_app(make_app, tmp_path, monkeypatch):
    """The claims-model brief with sphinx-sitemap and sphinx-last-updated-by-git
    added, made (not built) with a builder, and what the sitemap's manager
    would have been started for."""
    import sphinx_sitemap

    _Manager.started = []
    monkeypatch.setattr(sphinx_sitemap, "Manager", _Manager)
    src = tmp_path / "src"
    shutil.copytree(ROOT / "tests" / "roots" / "test-claims-model", src)
    extensions = ["myst_parser", "sphinxcontrib.bibtex", "noopept_brief",
                  "sphinx_sitemap", "sphinx_last_updated_by_git"]  # fmt: skip

    def make(builder: str):
        return make_app(builder, srcdir=src, builddir=tmp_path / builder,
                        confoverrides={"extensions": extensions})  # fmt: skip

    return make


def _git_handlers(app) -> list[object]:
    return [
        listener.handler for listener in app.events.listeners.get("env-updated", ())
        if getattr(listener.handler, "__module__", "") == "sphinx_last_updated_by_git"
    ]  # fmt: skip


@pytest.mark.parametrize("builder", ["html", "typst"])
def test_a_pdf_build_starts_no_sitemap_manager_and_looks_up_no_git_dates(
    html_only_app, builder: str
) -> None:
    """A PDF build writes no HTML page: sphinx-sitemap's manager is never
    started (typst_builder's init, before builder-inited) and the git lookups
    of "Last updated" are taken out (git_dates_for_html_only); an HTML build
    keeps both."""
    app = html_only_app(builder)
    html = builder == "html"
    assert bool(_Manager.started) is html, (
        f"a {builder} build started sphinx-sitemap's manager {_Manager.started}: "
        "a PDF build must not (TypstBuilder.init calls _upstream.sitemap_left_out)"
        if not html
        else "an HTML build no longer starts sphinx-sitemap's manager"
    )
    assert bool(_git_handlers(app)) is html, (
        f"a {builder} build kept sphinx-last-updated-by-git's git lookups: "
        "_upstream.git_dates_for_html_only takes them out of non-HTML builds"
        if not html
        else "an HTML build lost the git lookups of Last updated"
    )


def test_the_git_lookups_are_the_env_updated_handler_taken_out(
    html_only_app, monkeypatch
) -> None:
    """What git_dates_for_html_only disconnects is what runs git: the
    extension's env-updated handler, for each page whose date is not known."""
    import sphinx_last_updated_by_git

    looked_up: list[object] = []
    monkeypatch.setattr(sphinx_last_updated_by_git, "update_file_dates",
                        lambda folder, *_: looked_up.append(folder))  # fmt: skip
    app = html_only_app("html")
    [handler] = _git_handlers(app)
    app.env.git_last_updated = {"index": None}
    handler(app, app.env)
    assert looked_up == [app.srcdir], looked_up
