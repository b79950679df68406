"""The noopept-brief Sphinx extension: the page policy and the bibliography rules.

Every rule lives in this package once and is used from two places:

* the test suite (``tests/``) calls :func:`check_page` and :func:`check_bib`
  directly, so ``pytest`` names the file, the line and the fix;
* Sphinx loads this package from ``conf.py`` (:func:`setup`), and reports the
  same violations as warnings located at the page, so a ``-W`` build fails on
  them even where nobody ran the tests.

Pages are judged with the real MyST parser (markdown-it tokens), never with a
text search: a reference inside a code block, inline code or a comment is
invisible to readers, so it does not count.

Where everything lives
----------------------
One module per concern, each opening with what it owns:

* ``violations``: :class:`Violation`, and how one is reported (terminal,
  Sphinx warning, GitHub Actions annotation).
* ``markdown``: where the sources are (:data:`DOCS_DIR`), and reading a page
  with the MyST parser.
* ``policy``: the page rules (:data:`PAGE_RULES`, :func:`check_page`), their
  Sphinx hooks, and the disclaimer for ``conf.py``.
* ``safety``: the rules on raw HTML, links (the deny list) and images.
* ``bibliography``: citations in pages, and the rules for ``docs/refs.bib``.
* ``author_year``: the "brief" citation styles, for the text and the list.
* ``claims``: the ``{claim}`` markup and its rules.
* ``record``: wording the records disprove (rule 11).
* ``evidence_map``: claims in Sphinx: the directives, badges and evidence map.
* ``builds``: the sphinx-build flags, reproducible and incremental builds.
* ``html_pages``: accessible markup, the cached navigation, meta descriptions,
  and the link to the PDF.
* ``handout``: the PDF's edition block, front page and claim ids.
* ``hosting``: the site's base URL, and its links to the repository.
* ``prerequisites``: the system packages, TeX for the PDF and Chromium.
* ``scaffold``: ``nox -s new-page``.
* ``cli``: the command line, ``python docs/_ext/brief [FILE ...]``.

This module connects them to Sphinx (:func:`setup`, every hook in one place)
and re-exports the names ``conf.py``, ``noxfile.py``, the tests and the
benchmarks use as ``brief.NAME``. Importing it needs nothing but the standard
library: Sphinx, docutils, markdown-it, MyST and pybtex are imported inside the
functions that use them, so nox can read ``noxfile.py`` without them.

The page rules
--------------
1. **disclaimer**: the page includes the one disclaimer snippet,
   :data:`DISCLAIMER_SNIPPET`.
2. **limitations-ref**: the page links to the Limitations section with a
   ``{ref}`` role aimed at the label :data:`LIMITATIONS_LABEL`.
3. **description**: the page's front matter gives a one-sentence summary, used
   as its meta description and OpenGraph description.
4. **citation-placeholder**: the page no longer cites the new-page scaffold's
   placeholder key, :data:`CITATION_PLACEHOLDER`.
5. **raw-html** and **unsafe-html**: no raw HTML but comments, no ``{raw}``;
   nothing that runs code or embeds another site, anywhere.
6. **external-link**: https only, and no domain on :data:`DENIED_DOMAINS`.
7. **image-alt**: every image has alt text.
8. **headings**: one H1 first, and no skipped level.
9. **encoding** (every text file under docs/): UTF-8, without a BOM.
10. **claim-unmarked**: every citation stands inside a claim or a record note.
11. **global-negative**: no known form of a global negative that the records
    disprove ("no human data", "no regulatory approval"), snippets included.

Rules 5 to 7 are in ``safety``, rule 10 in ``claims``, rule 11 in ``record``,
the others in ``policy``.

The bibliography rules (for ``docs/refs.bib``)
----------------------------------------------
The file parses; no key is defined twice; every entry has an author, a title,
a year and a venue; every DOI is a bare, well-formed DOI; every cited key
exists; every entry is cited somewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .author_year import _register_author_year_style
from .bibliography import bib_keys, check_bib, check_citations, citations
from .builds import (
    BUILD_MARKER,
    SPHINX_FLAGS,
    _complete_the_sitemap,
    _mark_build_finished,
    _mark_build_started,
    _reread_after_interruption,
    _rewrite_pages_citing_changed_entries,
    source_date_epoch,
)
from .claims import (
    CLAIM_EXAMPLE,
    EVIDENCE,
    STATUS,
    STATUS_COUNTED,
    Claim,
    check_claim_coverage,
    check_claims,
    claims,
)
from .cli import check_all, main
from .evidence_map import (
    _add_claim_latex,
    _collect_claims,
    _make_directives,
    _make_post_transform,
    _maps_to_rewrite,
    _merge_claims,
    _purge_claims,
)
from .handout import Edition, _make_front_matter, claim_id, edition
from .hosting import LOCAL_BASE_URL, base_url, git_dates_known, source_links
from .html_pages import (
    PDF_NAME,
    _cached_navigation,
    _hide_toctree_from_furo,
    _on_html_page_context,
    _pdf_download_role,
    _reset_navigation,
    _use_accessible_translator,
)
from .markdown import DOCS_DIR, _parser, pages, text_files
from .policy import (
    CITATION_PLACEHOLDER,
    CONTENT_RULES,
    DESCRIPTION_MAX,
    DESCRIPTION_PLACEHOLDER,
    DISCLAIMER_INCLUDE,
    DISCLAIMER_SNIPPET,
    LIMITATIONS_LABEL,
    LIMITATIONS_REF,
    PAGE_RULES,
    _on_config_inited,
    _on_include_read,
    _on_source_read,
    check_encoding,
    check_page,
    front_matter,
    read_disclaimer,
)
from .prerequisites import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SYSTEM_PACKAGES,
    TEX_PACKAGES,
    browser_missing,
    tex_missing,
)
from .record import GLOBAL_NEGATIVES, check_global_negatives
from .safety import DENIED_DOMAINS, UNSAFE_SCHEMES, _url_items, denied_domain
from .scaffold import TOCTREE_CAPTION, new_page, page_template
from .violations import Violation, report

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = [
    "BUILD_MARKER",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "CITATION_PLACEHOLDER",
    "CLAIM_EXAMPLE",
    "CONTENT_RULES",
    "DENIED_DOMAINS",
    "DESCRIPTION_MAX",
    "DESCRIPTION_PLACEHOLDER",
    "DISCLAIMER_INCLUDE",
    "DISCLAIMER_SNIPPET",
    "DOCS_DIR",
    "EVIDENCE",
    "GLOBAL_NEGATIVES",
    "LIMITATIONS_LABEL",
    "LIMITATIONS_REF",
    "LOCAL_BASE_URL",
    "PAGE_RULES",
    "PDF_NAME",
    "SPHINX_FLAGS",
    "STATUS",
    "STATUS_COUNTED",
    "SYSTEM_PACKAGES",
    "TEX_PACKAGES",
    "TOCTREE_CAPTION",
    "UNSAFE_SCHEMES",
    "Claim",
    "Edition",
    "Violation",
    # Private, but the tests and bench/ reach them as brief.NAME.
    "_parser",
    "_url_items",
    "base_url",
    "bib_keys",
    "browser_missing",
    "check_all",
    "check_bib",
    "check_citations",
    "check_claim_coverage",
    "check_claims",
    "check_encoding",
    "check_global_negatives",
    "check_page",
    "citations",
    "claim_id",
    "claims",
    "denied_domain",
    "edition",
    "front_matter",
    "git_dates_known",
    "main",
    "new_page",
    "page_template",
    "pages",
    "read_disclaimer",
    "report",
    "setup",
    "source_date_epoch",
    "source_links",
    "tex_missing",
    "text_files",
]


def setup(app: Sphinx) -> dict[str, object]:
    """Connect the extension to Sphinx: every directive, role and hook is here."""
    _register_author_year_style()
    app.connect("source-read", _on_source_read)
    # Before sphinxext-opengraph (priority 500) reads the page's metadata.
    app.connect("html-page-context", _on_html_page_context, priority=400)
    # Claims and the evidence map (brief.evidence_map).
    claim, evidence_map, unverified_claims = _make_directives()
    app.add_directive("claim", claim)
    app.add_directive("evidence-map", evidence_map)
    app.add_directive("unverified-claims", unverified_claims)
    app.add_post_transform(_make_post_transform())
    app.connect("config-inited", _add_claim_latex)
    app.connect("doctree-read", _collect_claims)
    app.connect("env-purge-doc", _purge_claims)
    app.connect("env-merge-info", _merge_claims)
    app.connect("env-get-updated", _maps_to_rewrite)
    app.add_role("pdf-download", _pdf_download_role)
    # The PDF handout: one disclaimer, the key points on its front page.
    app.add_post_transform(_make_front_matter())
    app.connect("include-read", _on_include_read)
    app.connect("config-inited", _on_config_inited)
    # Correct incremental builds after a refs.bib edit or a Ctrl-C.
    app.connect("builder-inited", _mark_build_started)
    app.connect("env-get-outdated", _reread_after_interruption)
    # After sphinxcontrib-bibtex has formatted the citations (priority 500).
    app.connect("env-updated", _rewrite_pages_citing_changed_entries, priority=900)
    app.connect("build-finished", _mark_build_finished)
    # Before sphinx-sitemap (priority 500) writes sitemap.xml.
    app.connect("build-finished", _complete_the_sitemap, priority=400)

    # HTML (reader experience and build speed), see brief.html_pages.
    app.add_config_value("brief_navigation_cache", True, "html", bool)
    app.connect("builder-inited", _use_accessible_translator)
    app.connect("html-page-context", _hide_toctree_from_furo, priority=400)
    app.connect("html-page-context", _cached_navigation, priority=600)
    app.connect("env-updated", _reset_navigation)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
