"""sphinxcontrib-bibtex's and pybtex's internals (pinned
``sphinxcontrib-bibtex>=2.6,<3``).

* sphinxcontrib-bibtex keeps its citations and citation references in its
  domain's data, with no public reader (:func:`bib_citations`,
  :func:`citing_pages`), and has no public way to make a citation in code,
  such as the evidence map's sources column: :func:`cite_reference` makes
  the node its ``{cite:p}`` role makes.
* sphinxcontrib-bibtex's domain asks pybtex for its plaintext backend once
  for every citation it resolves, and pybtex looks it up afresh each time in
  every installed distribution's entry points (a quarter of a 400-page
  build): :class:`BibtexDomain` resolves citations with one lookup a process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import pybtex.plugin
from docutils import nodes
from sphinx import addnodes
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain as UpstreamBibtexDomain
from sphinxcontrib.bibtex.domain import logger
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


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
