"""Every use of another library's internals, in one place (the fence).

Each function below leans on something its library does not promise to keep.
The versions it was written against are pinned in ``pyproject.toml`` (see the
comments there), and ``tests/test_upstream.py`` fails if a library changes
the shape relied on here, so an upgrade breaks a test, not the site.

* Sphinx gives a post-transform no public way to the builder it runs for,
  yet ``make_refnode`` needs one (Sphinx's own ``ReferencesResolver`` reads
  the same private attribute): :func:`builder_of`.
* sphinx-sitemap collects links in a private queue as pages are written, so
  an incremental build would list only the pages it wrote:
  :func:`complete_sitemap`.
* furo renders its whole navigation tree into every page, unless the page's
  context has no ``toctree``: :func:`hide_toctree_from_furo` and
  :func:`give_toctree_back`, around furo's handler (priority 500).
* Sphinx's HTML builder reads ``.buildinfo`` with a private class, and
  crashes (IndexError) on a file a full disk left empty:
  :func:`build_info_unreadable` reads it the same way first.
* sphinx-sitemap starts a ``multiprocessing`` manager and writes a sitemap
  for every builder, the PDF's too: :func:`sitemap_for_html_only`.
* sphinxcontrib-bibtex keeps its citations and citation references in its
  domain's data, with no public reader (:func:`bib_citations`,
  :func:`citing_pages`), and has no public way to make a citation in code,
  such as the evidence map's sources column: :func:`cite_reference` makes
  the node its ``{cite:p}`` role makes.
* sphinxcontrib-bibtex's domain asks pybtex for its plaintext backend once
  for every citation it resolves, and pybtex looks it up afresh each time in
  every installed distribution's entry points (a quarter of a 400-page
  build): :class:`BibtexDomain` resolves citations with one lookup a process.
* Sphinx's HTML builder renders each page with its ``templates.render``
  and writes the result, with no event that sees the written HTML: the
  output gate checks each page from that string
  (:func:`watch_rendered_pages`).
* sphinxext-opengraph prints a line about matplotlib when it is imported
  without it, even with its social cards turned off:
  :func:`quiet_opengraph_import`, called by conf.py.
* Sphinx's smartquotes transform runs docutils' ``educate_tokens`` over
  every text of every page, most of which hold nothing it changes:
  :class:`SmartQuotes` hands those over as ``literal`` tokens, which it
  passes through as they are (:func:`use_smartquotes`, in Sphinx's registry).
* Sphinx's parallel writer holds each chunk of page trees until it is
  written, though the chunk's process has its own copy once it has forked:
  :func:`release_trees_when_forked` (:class:`TreeReleasingTasks`).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import queue
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import pybtex.plugin
import sphinx.builders
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxSmartQuotes
from sphinx.util.parallel import ParallelTasks
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain as UpstreamBibtexDomain
from sphinxcontrib.bibtex.domain import logger
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

from ..core._upstream import SMARTY_WORK

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def build_info_unreadable(path: Path) -> str | None:
    """Why Sphinx cannot read the ``.buildinfo`` at ``path``; None if it can
    (or if there is none: a first build)."""
    from sphinx.builders.html._build_info import BuildInfo

    try:
        BuildInfo.load(path)
    except FileNotFoundError:
        return None
    except Exception as error:  # IndexError for an empty file, ValueError, ...
        return (
            f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        )
    return None


def sitemap_for_html_only(app: Sphinx) -> None:
    """Take sphinx-sitemap out of a build that writes no HTML pages.

    Otherwise it keeps a ``multiprocessing`` manager process for the whole
    build and (with :func:`complete_sitemap`) writes a sitemap.xml of HTML
    pages into build/pdf. Runs at ``builder-inited`` just after
    sphinx-sitemap's handler (priority 500) has started the manager: dropping
    the queue, its only reference, shuts the manager down; the sitemap's
    other handlers are disconnected.
    """
    if app.builder.format == "html":
        return
    import sphinx_sitemap

    for event in ("html-page-context", "build-finished"):
        for listener in list(app.events.listeners.get(event, ())):
            if getattr(listener.handler, "__module__", "") == sphinx_sitemap.__name__:
                app.disconnect(listener.id)
    if hasattr(app, "sitemap_links"):
        del app.sitemap_links


def builder_of(env: BuildEnvironment) -> Builder:
    """The builder a post-transform runs for (private: ``env._app``)."""
    return env._app.builder


def _drain(links: queue.Queue[tuple[str, Any]]) -> list[tuple[str, Any]]:
    found = []
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            return found


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Give sphinx-sitemap every page, not only those this build wrote.

    sphinx-sitemap collects links as pages are written, so an incremental build
    left a sitemap listing only the rewritten pages. This runs just before it
    writes the file (priority 400 < 500), adds the pages it missed, and sorts
    the list so that the sitemap is the same however the pages were written.
    """
    # Private: the queue sphinx-sitemap keeps on the application object.
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    from sphinx_sitemap import add_html_link

    found = _drain(links)
    suffix = app.config.html_file_suffix or ".html"
    listed = {link for link, _ in found}
    for docname in sorted(app.env.found_docs - {d[: -len(suffix)] for d in listed}):
        add_html_link(app, docname, None, None, None)
    found += _drain(links)
    for link in sorted(found, key=lambda item: item[0]):
        links.put(link)


#: Where the toctree waits while furo's handler runs without it.
_HIDDEN_TOCTREE = "_brief_toctree"


def hide_toctree_from_furo(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    """Before furo's handler: without ``toctree``, furo skips its own tree."""
    if app.config.brief_navigation_cache and "toctree" in context:
        context[_HIDDEN_TOCTREE] = context.pop("toctree")


def give_toctree_back(context: dict[str, Any]) -> bool:
    """After furo's handler: put the toctree back; False if it was not hidden."""
    if _HIDDEN_TOCTREE not in context:
        return False
    context["toctree"] = context.pop(_HIDDEN_TOCTREE)
    return True


def bib_citations(env: BuildEnvironment) -> Iterator[tuple[str, str, Any]]:
    """Each entry a bibliography lists: its key, its label ("Smith, 2001") and
    its pybtex entry (private: the cite domain's ``citations``)."""
    for citation in env.get_domain("cite").citations:
        yield citation.key, citation.formatted_entry.label, citation.entry


def citing_pages(env: BuildEnvironment) -> Iterator[tuple[str, list[str]]]:
    """Each citation in the pages: the page, and the keys it cites (private:
    the cite domain's ``citation_refs``). Citations made in code with
    :func:`cite_reference` are not among them."""
    for ref in env.get_domain("cite").citation_refs:
        yield ref.docname, [target.key for target in ref.targets]


def cite_reference(keys: list[str], docname: str) -> addnodes.pending_xref:
    """A parenthetical citation of ``keys`` in page ``docname``, made in code:
    the cross-reference that sphinxcontrib-bibtex's ``{cite:p}`` role makes,
    which its domain then resolves."""
    target = ",".join(keys)
    return addnodes.pending_xref(
        target, nodes.inline(target, target), refdomain="cite", reftype="p",
        reftarget=target, refdoc=docname, refwarn=True,
    )  # fmt: skip


@functools.cache
def plaintext_backend() -> Any:
    """pybtex's plaintext backend, looked up once (pybtex does not cache it)."""
    return pybtex.plugin.find_plugin("pybtex.backends", "plaintext")()


#: Citations formatted in this build, by builder: (type, target, where the
#: links point) -> the node (pybtex's templates cost a fifth of a 400-page build).
_formatted: WeakKeyDictionary[Builder, dict[tuple, nodes.Element]] = WeakKeyDictionary()


class BibtexDomain(UpstreamBibtexDomain):
    """sphinxcontrib-bibtex's ``cite`` domain, but one lookup of pybtex's
    plaintext backend a process instead of one a citation, and each distinct
    citation formatted once a build instead of at every place it is cited.

    :meth:`resolve_xref` is upstream's (sphinxcontrib-bibtex 2.7.0,
    Copyright (c) 2011-2024 by Matthias C. M. Troffaes, BSD-2-Clause),
    with those two changes; tests/test_upstream.py fails when
    upstream's changes.
    """

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        targets = parse_citation_targets(target)
        keys = {target2.key: target2 for target2 in targets}

        def _citations():
            return (
                cit
                for cit in self.citations
                if cit.key in keys
                and self.bibliographies[cit.bibliography_key].list_ == "citation"
            )

        citations_local = {
            cit.key: cit
            for cit in _citations()
            if cit.bibliography_key.docname == fromdocname
        }
        citations = citations_local | {
            cit.key: cit for cit in _citations() if cit.key not in citations_local
        }
        for key in keys:
            if key not in citations:
                logger.warning(
                    f'could not find bibtex key "{key}"',
                    location=node, type="bibtex", subtype="key_not_found",
                )  # fmt: skip
        # Changed: the same citation, from pages whose links to the
        # bibliography read the same, formats the same: once a build.
        where = tuple(
            (key, builder.get_relative_uri(fromdocname, cit.bibliography_key.docname)
             if cit.bibliography_key.docname != fromdocname else "")
            for key, cit in citations.items()
        )  # fmt: skip
        cache = _formatted.setdefault(builder, {})
        known = (typ, target, where)
        if known in cache:
            return cache[known].deepcopy()
        plaintext = plaintext_backend()  # changed: one lookup a process
        references = [
            (
                citation.entry,
                citation.formatted_entry,
                SphinxReferenceInfo(
                    builder=builder,
                    fromdocname=fromdocname,
                    todocname=citation.bibliography_key.docname,
                    citation_id=citation.citation_id,
                    title=(
                        citation.tooltip_entry.text.render(plaintext).replace(
                            "\\url ", ""
                        )
                        if citation.tooltip_entry
                        else None
                    ),
                    pre_text=keys[citation.key].pre,
                    post_text=keys[citation.key].post,
                ),
            )
            for citation in citations.values()
        ]
        formatted = format_references(self.reference_style, typ, references)
        result_node = nodes.inline(rawsource=target)
        result_node["classes"].append("bibtex-citation")
        result_node += formatted.render(self.backend)
        cache[known] = result_node
        return result_node.deepcopy()


def use_bibtex_domain(app: Sphinx) -> None:
    """Put :class:`BibtexDomain` in place of sphinxcontrib-bibtex's own."""
    app.add_domain(BibtexDomain, override=True)


class _WatchedTemplates:
    """The builder's template renderer, telling ``written`` each page it renders."""

    def __init__(self, templates: Any, written: Callable[[dict, str], None]) -> None:
        self._templates = templates
        self._written = written

    def render(self, template: str, context: dict[str, Any]) -> str:
        output = self._templates.render(template, context)
        if template.endswith(".html") and "pagename" in context:
            self._written(context, output)
        return output

    def __getattr__(self, name: str) -> Any:
        return getattr(self._templates, name)


def watch_rendered_pages(
    builder: Builder, written: Callable[[dict[str, Any], str], None]
) -> None:
    """Call ``written(context, html)`` with every page the HTML builder renders,
    just before it writes the page (private: Sphinx's ``handle_page`` renders
    each page through ``builder.templates.render``)."""
    builder.templates = _WatchedTemplates(builder.templates, written)


#: What sphinxext-opengraph prints on import when matplotlib is missing.
OPENGRAPH_MATPLOTLIB_LINE = (
    "matplotlib is not installed, social cards will not be generated"
)


def quiet_opengraph_import() -> None:
    """Import sphinxext-opengraph before Sphinx does, holding back its line
    about matplotlib (conf.py turns the cards off); anything else it prints
    goes through."""
    if "sphinxext.opengraph" in sys.modules:
        return
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        importlib.import_module("sphinxext.opengraph")
    sys.stdout.write(printed.getvalue().replace(OPENGRAPH_MATPLOTLIB_LINE + "\n", ""))


class SmartQuotes(SphinxSmartQuotes):
    """Sphinx's smartquotes transform, passing over the texts it would leave
    as they are. A text with no null escape and nothing ``SMARTY_WORK``
    finds comes out of ``educate_tokens`` unchanged, smart-quotable or not
    (Sphinx's ``is_smartquotable`` walks up every text's parents); as a
    literal token it also gives the next text the same last character to
    read quotes by."""

    def get_tokens(self, txtnodes: list[nodes.Text]) -> Iterator[tuple[str, str]]:
        upstream = super().get_tokens
        for node in txtnodes:
            text = str(node)
            if "\x00" not in text and not SMARTY_WORK.search(text):
                yield "literal", text
            else:
                yield from upstream([node])


def use_smartquotes(app: Sphinx) -> None:
    """Put :class:`SmartQuotes` in Sphinx's place (its registry's list of
    transforms, which has no public way to replace one)."""
    transforms = app.registry.transforms
    transforms[transforms.index(SphinxSmartQuotes)] = SmartQuotes


class TreeReleasingTasks(ParallelTasks):
    """Sphinx's ``ParallelTasks``, handing each chunk of page trees to
    :attr:`release` once the chunk's process has started, so has its own copy
    (private: ``_join_one`` starts waiting tasks; ``_precvs`` holds the
    started ones, ``_args`` their chunks, the writer's as (docname, tree))."""

    release: Callable[[nodes.document], None] = staticmethod(lambda tree: None)

    def _join_one(self) -> bool:
        joined = super()._join_one()
        for tid in self._precvs:
            chunk = self._args.get(tid)
            if chunk and isinstance(chunk, list) and _trees(chunk):
                for _docname, tree in chunk:
                    self.release(tree)
                chunk.clear()
        return joined


def _trees(chunk: list[Any]) -> bool:
    return all(isinstance(item, tuple) and isinstance(item[-1], nodes.document)
               for item in chunk)  # fmt: skip


def release_trees_when_forked(release: Callable[[nodes.document], None]) -> None:
    """Have Sphinx's parallel writer give each chunk's trees to ``release`` once
    the chunk's process has them (private: ``sphinx.builders`` makes its
    ``ParallelTasks`` by that name); :func:`keep_trees_until_written` undoes it."""
    TreeReleasingTasks.release = staticmethod(release)
    sphinx.builders.ParallelTasks = TreeReleasingTasks  # type: ignore[misc]


def keep_trees_until_written() -> None:
    """Sphinx's own ``ParallelTasks`` back in ``sphinx.builders``."""
    sphinx.builders.ParallelTasks = ParallelTasks  # type: ignore[misc]
