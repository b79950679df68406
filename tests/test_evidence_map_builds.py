"""The evidence map of a build lists every claim: with two readers (the
domain's merge_domaindata), and after an incremental build that read only the
edited page. One cold build serves both: the incremental build goes on from it.
The same build shows that the main process frees each page's tree once the
writing process has it (sphinxext/collector.py, release_written).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import DOCS, built_once, copy_docs

from noopept_brief import core


def _all_claims() -> list[core.Claim]:
    return [
        claim
        for page in core.pages(DOCS)
        for claim in core.claims(page.read_text(encoding="utf-8"))
    ]


def _doctree_map_rows(app) -> list[tuple[str, str]]:
    """(status, short text) for each row of the evidence map, from its doctree."""
    from docutils import nodes

    doctree = app.env.get_and_resolve_doctree(
        "evidence-map", app.builder, tags=app.builder.tags
    )
    [table] = [
        t for t in doctree.findall(nodes.table) if "evidence-map" in t["classes"]
    ]
    return [
        (row["classes"][0].removeprefix("claim-"), row[0].astext())
        for row in table.findall(nodes.row)
        if row["classes"]  # the head row has none
    ]


def _build(make_app, docs: Path, out: Path, **options):
    """Build ``docs`` in this process with sphinx.testing; fail on any warning."""
    app = make_app("html", srcdir=docs, builddir=out, **options)
    app.build()
    assert not app.warning.getvalue(), app.warning.getvalue()
    return app


@pytest.fixture(scope="session")
def parallel_build(tmp_path_factory: pytest.TempPathFactory):
    """A copy built with two readers, once a run; its output (where the
    incremental test goes on: one cold build for both), and the map's rows."""
    tmp, result = built_once(tmp_path_factory, "claims-build", _parallel_build)
    found = json.loads(result.stdout)
    rows = [tuple(row) for row in found["rows"]]
    return tmp / "docs", tmp / "out", rows, found["rechecked"], found


def _parallel_build(tmp: Path) -> CompletedProcess[str]:
    import sphinx.builders
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.parallel import ParallelTasks

    from noopept_brief.sphinxext import _upstream, claims_json, collector, page_gate

    # The pages the main process checks at the end, after the writers.
    rechecked: list[str] = []
    # The sources of the trees the main process freed while writing.
    released: list[str] = []
    release_tree = collector.release_tree

    def release_counted(tree) -> None:
        released.append(tree["source"])
        release_tree(tree)

    finish, check_html = page_gate.PageGate.finish, page_gate.check_html

    def counted(html: str, page: str, *args, **kwargs):
        rechecked.append(page)
        return check_html(html, page, *args, **kwargs)

    def finish_counted(gate):
        page_gate.check_html = counted
        try:
            return finish(gate)
        finally:
            page_gate.check_html = check_html

    # What the process making claims.json beside the writers sent back.
    claims_made: list[bool] = []
    remember = claims_json.remember_claims_json

    def remember_counted(path, text, found):
        claims_made.append(not path.exists())  # before the file was written
        return remember(path, text, found)

    # The reader's merges that waited until every chunk was read.
    merged_at_end: list[int] = []
    merge_later = _upstream.MergeLaterTasks.merge_ended

    def merge_counted(tasks) -> None:
        merged_at_end.append(len(tasks._ended))
        merge_later(tasks)

    syspath = sys.path.copy()
    _upstream.MergeLaterTasks.merge_ended = merge_counted
    page_gate.PageGate.finish = finish_counted
    collector.release_tree = release_counted
    claims_json.remember_claims_json = remember_counted
    try:
        app = _build(SphinxTestApp, copy_docs(tmp / "docs"), tmp / "out", parallel=2)
    finally:
        _upstream.MergeLaterTasks.merge_ended = merge_later
        page_gate.PageGate.finish = finish
        collector.release_tree = release_tree
        claims_json.remember_claims_json = remember
    restored = sphinx.builders.ParallelTasks is ParallelTasks
    # Sphinx writes the first page itself, then the rest in chunks.
    freed = {"freed": [app.env.path2doc(source) for source in released],
             "written": sorted(app.env.found_docs)[1:], "restored": restored,
             "merged_at_end": merged_at_end}  # fmt: skip
    rows = _doctree_map_rows(app)
    app.cleanup()  # as make_app does, before the next app
    sys.path[:] = syspath
    # As built (the incremental test edits the copy and builds it again).
    written = Path(app.outdir, "claims.json").read_bytes()
    found = {"rows": rows, "rechecked": rechecked, "claims_made": claims_made,
             "claims_json": hashlib.sha256(written).hexdigest(), **freed}  # fmt: skip
    return CompletedProcess([], 0, json.dumps(found), "")


@pytest.mark.build
def test_parallel_build_lists_every_claim(parallel_build) -> None:
    # Two readers: the domain's merge_domaindata must bring every claim together.
    _, _, rows, *_ = parallel_build
    assert [short for _, short in rows] == [c.short for c in _all_claims()]


@pytest.mark.build
def test_parallel_build_checks_each_page_once(parallel_build) -> None:
    # The writing processes report what they checked (sphinxext/page_gate.py,
    # WRITERS); a cold build then has nothing left to check at the end.
    _, out, _, rechecked, _ = parallel_build
    assert rechecked == [], f"checked again at the end of a -j 2 build: {rechecked}"
    assert not (out / "doctrees" / page_gate_writers()).exists()


@pytest.mark.build
def test_parallel_build_merges_what_it_read_once_all_is_read(parallel_build) -> None:
    # Each reading process then sends back only the pages it read
    # (collector.merge_when_all_read).
    *_, found = parallel_build
    assert found["merged_at_end"] and found["merged_at_end"][0] > 1, (
        "a -j 2 build merged each chunk of pages it read as the chunk ended, so "
        "later reading processes sent back what was merged before them: connect "
        "collector.merge_when_all_read to env-before-read-docs "
        "(src/noopept_brief/sphinxext/__init__.py)"
    )


@pytest.mark.build
def test_parallel_build_frees_each_tree_once_its_writer_has_it(parallel_build) -> None:
    # The main process resolves every page, and held each tree until its
    # chunk was written; the writing process has its own copy from the fork.
    *_, found = parallel_build
    assert len(found["written"]) > 10
    assert found["freed"] == found["written"], (
        "a -j 2 build did not free the trees of the pages it wrote in chunks: "
        "connect collector.release_written to write-started "
        "(src/noopept_brief/sphinxext/__init__.py)"
    )
    assert found["restored"], (
        "the build left the tree-releasing ParallelTasks in sphinx.builders: "
        "collector.restore must call _upstream.sphinx_own_tasks"
    )


@pytest.mark.build
def test_parallel_build_makes_claims_json_beside_its_writers(
    parallel_build, html_dir
) -> None:
    # A process of its own makes claims.json's text, and has the gate read
    # it, while the main process resolves pages; the file is written at the
    # end, the same bytes a serial build writes.
    *_, found = parallel_build
    assert found["claims_made"] == [True], (
        f"claims.json's text came back {found['claims_made']} (True: before the "
        "file was written): connect claims_json.make_beside_writing to "
        "write-started (sphinxext/claims_json.py, setup)"
    )
    serial = hashlib.sha256((html_dir / "claims.json").read_bytes()).hexdigest()
    assert found["claims_json"] == serial, "claims.json differs from a serial build's"


@pytest.mark.build
def test_parallel_build_writes_the_serial_navigation(parallel_build, html_dir) -> None:
    # The writers fork after the first page, with every folder's navigation
    # tree made (sphinxext/html.py, cached_navigation): the same sidebar as a
    # serial build's, on every page.
    from lxml import html

    from noopept_brief.core.output.pages import site_pages

    _, out, *_ = parallel_build

    def sidebar(page: Path) -> bytes:
        [tree] = html.fromstring(page.read_bytes()).find_class("sidebar-tree")
        return html.tostring(tree)

    pages = site_pages(html_dir)
    assert len(pages) > 10
    for page in pages:
        name = page.relative_to(html_dir)
        assert sidebar(out / "html" / name) == sidebar(page), (
            f"{name}: the -j 2 build wrote another navigation than the serial "
            "build; see cached_navigation in src/noopept_brief/sphinxext/html.py"
        )


def page_gate_writers() -> str:
    from noopept_brief.sphinxext.page_gate import WRITERS

    return WRITERS


@pytest.mark.build
def test_incremental_build_updates_the_map(make_app, parallel_build) -> None:
    docs, out, *_ = parallel_build  # built, but not since this edit
    page = docs / "04-adjacent-research.md"
    old = "```{claim} The metabolite's pharmacokinetics in rats differ from Noopept's"
    new = "```{claim} Article: the metabolite, renamed for this test"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(
        text.replace(old, new).replace(
            ":id: cpg-pharmacokinetics\n:evidence: rodent-in-vivo\n:status: confirmed\n",
            ":id: cpg-pharmacokinetics\n:evidence: rodent-in-vivo\n:status: unconfirmed\n"
            ":note: Changed by the test.\n",
        ),
        encoding="utf-8",
    )
    app = _build(make_app, docs, out)  # not fresh: only that page is read
    # Only the edited page was read again; the map page was not.
    assert "0 added, 1 changed, 0 removed" in app.status.getvalue()
    rows = _doctree_map_rows(app)
    renamed = [(status, short) for status, short in rows if "renamed for this" in short]
    assert [status for status, _ in renamed] == ["unconfirmed"], renamed
    assert not [short for _, short in rows if "differ from Noopept's" in short]
    claims = app.env.get_domain("brief").by_page["04-adjacent-research"]
    assert "Changed by the test." in [c.note for c in claims]


def test_a_reading_process_sends_back_only_the_pages_it_read(monkeypatch) -> None:
    # Sphinx pickles a parallel reader's whole environment back to the main
    # process, which merges only that reader's pages (domain.PageClaims).
    import os
    import pickle

    from noopept_brief.sphinxext.domain import PageClaims

    claims = PageClaims({"merged-before": ["a claim"]})
    assert pickle.loads(pickle.dumps(claims)) == claims, "the saved environment"
    main = os.getpid()
    monkeypatch.setattr(os, "getpid", lambda: main + 1)  # a forked reader
    claims["read-here"] = ["its claim"]
    assert pickle.loads(pickle.dumps(claims)) == {"read-here": ["its claim"]}, (
        "a reading process sends back claims it did not read: PageClaims."
        "__reduce__ (sphinxext/domain.py)"
    )
    assert set(claims) == {"merged-before", "read-here"}, "the reader keeps them all"
