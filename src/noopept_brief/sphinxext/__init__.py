"""The Sphinx extension: the core's rules in builds, claims, and the HTML.

:func:`setup` registers everything; one module per concern:

* ``source_warnings``: the page policy and the bibliography rules as warnings.
* ``insertion``: the ``{disclaimer}`` directive (the one file insertion) and
  the docutils settings that switch off all others.
* ``gate``: the output gate over the doctree, the HTML and the PDF's source.
* ``nodes``, ``directives``, ``domain``, ``transforms``: claims, the evidence
  map and the list of unverified claims (the pattern of ``sphinx.ext.todo``).
* ``roles``: ``{pdf-download}``.
* ``records``: the brief (its bib files, record files, retired ids), read
  once a build (the source checks and the claims share the reading).
* ``claims_json``: claim ids across pages, ``claims.json``, "What changed".
* ``backmatter``: "How to cite", the landing page's guide, search and index.
* ``transforms`` also holds the PDF handout's front matter.
* ``typst_builder``, ``typst_translator``: the PDF handout, written in Typst
  from the doctree and compiled by the ``typst`` wheel (``-b typst``).
* ``citation_style``: the "brief" author-year styles (pybtex plugins,
  registered as entry points in ``pyproject.toml``).
* ``incremental``: correct incremental builds.
* ``recovery``: builds that recover from what a stopped build left behind.
* ``collector``: the garbage collector, tuned while a build runs.
* ``html``: accessible markup, the cached navigation, meta descriptions.
* ``_upstream``: every use of another library's internals, fenced.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any

from ..core._upstream import share_option_parses
from ..core.build.handout import DISTRIBUTION
from ..core.markdown.disclaimer import DISCLAIMER_DIRECTIVE_NAME
from . import (
    backmatter,
    claims_json,
    collector,
    gate,
    html,
    incremental,
    insertion,
    page_gate,
    recovery,
    source_warnings,
    typst_builder,
    web_only,
)
from ._upstream import (
    complete_sitemap,
    git_dates_for_html_only,
    hide_toctree_from_furo,
    make_documents_once,
    settings_as_sphinx_makes_them,
    settings_once_a_build,
    sitemap_for_html_only,
    use_bibtex_domain,
    use_highlight_language,
    use_smartquotes,
)
from .directives import (
    ClaimDirective,
    EvidenceMapDirective,
    UnverifiedClaimsDirective,
)
from .domain import ClaimsDomain, lists_to_rewrite
from .nodes import claim_node, evidence_map_node, unverified_claims_node
from .records import read_again
from .roles import pdf_download_role
from .transforms import FillClaims, HandoutFrontMatter

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when what the extension keeps in the environment changes shape, so a
#: saved environment from an older version is read again, not reused.
ENV_VERSION = 6  # 6: the claims by page in a domain.PageClaims (issue 21)


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect the extension to Sphinx: every option, node, directive and hook."""
    # Options (conf.py). False gives stock furo's navigation, rendered per page.
    app.add_config_value("brief_navigation_cache", True, "html", bool)
    # The most rows the evidence map's one table holds (about 1.3 KB of HTML
    # a row); past it, each page shows its own rows (ClaimsDomain.map_split).
    app.add_config_value("brief_map_rows", 2000, "html", int)

    # The disclaimer, and docutils' own file insertion and raw output off.
    app.add_config_value(
        "brief_docutils_settings", insertion.DEFAULT_SETTINGS, "env", dict
    )
    app.add_directive(DISCLAIMER_DIRECTIVE_NAME, insertion.DisclaimerDirective)
    app.connect("builder-inited", insertion.apply_docutils_settings)

    # The output gate: the resolved doctree, the written HTML, the PDF's Typst.
    app.connect("doctree-resolved", gate.check_doctree)
    app.connect("doctree-read", gate.check_read)
    app.connect("builder-inited", page_gate.watch_html_pages)
    app.connect("build-finished", gate.check_output, priority=900)

    # The page policy and the bibliography rules (checks).
    app.connect("config-inited", source_warnings.check_sources)
    app.connect("source-read", source_warnings.check_source)
    app.connect("include-read", source_warnings.check_include)
    # They and MyST tokenize each directive's option block once, not twice.
    share_option_parses()

    # Claims and the evidence map.
    app.add_node(claim_node)
    app.add_node(evidence_map_node)
    app.add_node(unverified_claims_node)
    app.add_domain(ClaimsDomain)
    app.add_directive("claim", ClaimDirective)
    app.connect("env-before-read-docs", read_again)
    app.add_directive("evidence-map", EvidenceMapDirective)
    app.add_directive("unverified-claims", UnverifiedClaimsDirective)
    app.add_post_transform(FillClaims)
    app.connect("env-get-updated", lists_to_rewrite)
    app.add_role("pdf-download", pdf_download_role)
    # What only the website shows: the brief's own {only} html (issue 20).
    web_only.setup(app)
    # Claim ids across pages, claims.json, "What changed" (issue 14).
    claims_json.setup(app)
    # The back matter: how to cite, the page guide, the reader's pages (issue 14).
    backmatter.setup(app)
    # The PDF handout: one disclaimer, the key points on its front page.
    app.add_post_transform(HandoutFrontMatter)
    # The PDF handout's builder: Typst, from the doctree (issue 19).
    typst_builder.setup(app)

    # One build per output folder, and what a stopped build left behind: first
    # of all (before the marker below); sphinx-sitemap and the git lookups of
    # "Last updated" for HTML builds only.
    app.connect("builder-inited", recovery.start_build, priority=100)
    app.connect("builder-inited", sitemap_for_html_only, priority=600)
    app.connect("builder-inited", git_dates_for_html_only)
    app.connect("build-finished", recovery.finish_build, priority=900)

    # Fewer garbage collections while the build runs (every page's tree is
    # garbage once written, and freed once its writing process has it), and
    # reading processes that each send back only their own pages; the
    # program's own thresholds, and Sphinx's own ParallelTasks, back at the end.
    app.connect("env-before-read-docs", collector.tune)
    app.connect("env-before-read-docs", collector.merge_when_all_read)
    app.connect("write-started", collector.freeze_read)
    app.connect("write-started", collector.release_written)
    app.connect("build-finished", collector.restore, priority=950)
    # ... and no collection of it all as the program exits (2 to 3 s at 400).
    app.connect("build-finished", collector.freeze_at_exit, priority=950)

    # sphinxcontrib-bibtex's citations, resolved with one plugin lookup a build.
    use_bibtex_domain(app)
    # Sphinx's smartquotes, passing over the texts it would not change.
    use_smartquotes(app)
    # Sphinx's code-block languages, found in one walk of each page.
    use_highlight_language(app)
    # Each page's docutils settings, in Sphinx and in MyST, from option parsers
    # made once (a new one for every page cost 2 ms).
    app.connect("builder-inited", settings_once_a_build)
    app.connect("build-finished", settings_as_sphinx_makes_them, priority=950)
    make_documents_once()

    # Correct incremental builds after a refs.bib edit or a Ctrl-C.
    app.connect("builder-inited", incremental.mark_build_started)
    app.connect("env-get-outdated", incremental.reread_after_interruption)
    # After sphinxcontrib-bibtex has formatted the citations (priority 500).
    app.connect("env-updated", incremental.rewrite_pages_citing_changed_entries, 900)
    # Every page's sidebar and prev/next show other pages' titles.
    app.connect("env-updated", incremental.rewrite_pages_after_navigation_change)
    app.connect("build-finished", incremental.mark_build_finished)
    # Before sphinx-sitemap (priority 500) writes sitemap.xml.
    app.connect("build-finished", complete_sitemap, priority=400)

    # HTML: reader experience and build speed.
    app.connect("builder-inited", html.use_accessible_translator)
    app.connect("builder-inited", html.skip_docutils_stylesheets)
    # Before sphinxext-opengraph (priority 500) reads the page's metadata.
    app.connect("html-page-context", html.add_meta_description, priority=400)
    # Around furo's handler (priority 500).
    app.connect("html-page-context", hide_toctree_from_furo, priority=400)
    app.connect("html-page-context", html.cached_navigation, priority=600)
    app.connect("env-updated", html.reset_navigation)
    return {
        # From the installed metadata, as noopept_brief.__version__ (the top
        # package imports this layer, so this layer does not import it back).
        "version": metadata.version(DISTRIBUTION),
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
