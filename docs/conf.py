"""Sphinx configuration for noopept-brief: the hosted HTML site and the PDF handout."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from noopept_brief import core
from noopept_brief.sphinxext._upstream import quiet_opengraph_import

# The project's extension is the installed package noopept_brief (src/ in the
# repository; `pip install -e .`). conf.py uses its core for the values below.
DOCS = Path(__file__).parent

# -- Reproducible builds ------------------------------------------------------
# Sphinx and Typst (the PDF) date their output from SOURCE_DATE_EPOCH: take it
# from the last commit (or, without git, the newest source file), so that a
# plain sphinx-build gives the same bytes for the same sources, every time.

os.environ.setdefault("SOURCE_DATE_EPOCH", core.source_date_epoch(DOCS))

# -- Project information -------------------------------------------------------

project = "Noopept: a research-context brief"
author = "The noopept-brief contributors"
copyright = "2026, the noopept-brief contributors"
# pyproject.toml's [project].version, the one source of the version (a copy of
# docs/ outside the repository takes the installed package's, from the same file).
release = version = core.project_version(DOCS)

# -- General configuration -----------------------------------------------------

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    "notfound.extension",
    "noopept_brief",
]
# "Last updated" dates come from git, so only a full git checkout has them; a
# copy of docs/ outside one (as the tests make) or a shallow clone builds without
# them. Read the Docs and the CI workflow fetch the whole history.
_git_dates = core.git_dates_known(DOCS)
# Where git refused the checkout ("dubious ownership"), the core read it with
# safe.directory, and said so once: sphinx-last-updated-by-git's git may too.
os.environ.update(core.trust_environment(os.environ))
if _git_dates:
    extensions.append("sphinx_last_updated_by_git")
root_doc = "index"
source_suffix = {".md": "markdown"}
# Snippets are included into pages, never built on their own.
exclude_patterns = ["_snippets"]
language = "en"
# Nitpicky builds (-n) should still pass: nothing here documents Python objects.
nitpicky = True

# -- MyST ----------------------------------------------------------------------

myst_enable_extensions = ["deflist", "smartquotes"]
# Headings are linked through explicit (label)= targets only (see the field notes).
myst_heading_anchors = 0

# -- Backstops behind the project's rules (issue 10) ---------------------------
# The page rules refuse these first, with better messages; the settings make
# sure nothing gets through where a rule misses a spelling.
# No raw output, and no file read into a page but the project's own
# {disclaimer} (docutils' include, literalinclude and csv-table :file:).
brief_docutils_settings = {"raw_enabled": False, "file_insertion_enabled": False}
# Links are https, or inside the site (a link with no scheme); "http:",
# "javascript:" and the rest are not links.
myst_url_schemes = {"https": None}
# No HTML in Markdown: it would show as text (a note to editors is a % line).
myst_disable_syntax = ["html_block", "html_inline"]
# No translation catalogs until the brief has translations: Sphinx compiles any
# .po file under locales/ by default, and one rewrote every page's text.
locale_dirs: list[str] = []
# -- end of the backstops --------------------------------------------------------

# -- Bibliography (sphinxcontrib-bibtex) ---------------------------------------

bibtex_bibfiles = ["refs.bib"]
# Author-year in the text, "(Ostrovskaya et al., 2008)", and the same labels in the
# reference list, in HTML and PDF alike: the "brief" styles, in
# src/noopept_brief/sphinxext/citation_style.py.
bibtex_reference_style = "brief"
bibtex_default_style = "brief"

# -- HTML output (furo) --------------------------------------------------------

html_theme = "furo"
html_title = "Noopept: a research-context brief"
html_short_title = "Noopept brief"
html_static_path = ["_static"]
# page.html names furo's two <aside> landmarks (accessibility; same look).
templates_path = ["_templates"]
# noopept_brief's html module renders furo's sidebar tree once per build, not once per page,
# so the build grows linearly with the page count; False gives stock furo's.
brief_navigation_cache = True
html_css_files = ["brief.css"]
html_copy_source = False
# -- Readers (issue 14): no empty "Index" page (nothing here adds index entries),
# and a section number kept on the line of its title ("2.3." never stands alone).
html_use_index = False
html_secnumber_suffix = ".\u00a0"
html_show_sourcelink = False
html_favicon = "_static/favicon.svg"
html_theme_options = {
    # furo makes no third-party requests; keep it that way (no web fonts, no analytics).
    "navigation_with_keys": True,
    # "Edit this page" and "view source": from Read the Docs' variables or the git
    # remote; left out when neither names a repository (core.source_links).
    **core.source_links(os.environ, DOCS),
}
# ISO dates from each page's last commit (sphinx-last-updated-by-git). Without
# git's dates, show none: Sphinx would put the build date there instead.
html_last_updated_fmt = "%Y-%m-%d" if _git_dates else None
# In UTC, as the commit dates are: the build machine's time zone must not
# change the bytes ("Last updated", article:modified_time).
git_last_updated_timezone = "UTC"

# -- Site metadata: canonical URL, sitemap, OpenGraph, 404 page ------------------

# Read the Docs gives the canonical URL of the version it builds; elsewhere the
# base is the local preview's address (core.LOCAL_BASE_URL). The sitemap and the
# canonical links need it.
html_baseurl = core.base_url(os.environ)
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
# Descriptions come from each page's front matter (noopept_brief's html module).
ogp_site_url = html_baseurl
# No social-card images: they would need matplotlib and add nothing readers need.
ogp_social_cards = {"enable": False}
# sphinxext-opengraph still says "matplotlib is not installed" when Sphinx
# imports it: import it now, without that line, so a build prints only its result.
quiet_opengraph_import()
# The 404 page's links and assets are absolute: the path of the canonical URL
# ("/en/latest/" on Read the Docs, "/" for the local preview).
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    # Its summary, as a page's front matter gives one (the meta description and
    # og:description come from here, through noopept_brief's html module).
    "meta": {
        "description": "This address is not part of the Noopept research-context "
        "brief: start again from its contents, or search it."
    },
    "body": (
        "<h1>Page not found</h1>"
        "<p>This address is not part of the brief. It may have moved when a page "
        'was renamed. Start again from the <a href="'
        + notfound_urls_prefix
        + '">contents</a>, or <a href="'
        + notfound_urls_prefix
        + 'search.html">search the brief</a>.</p>'
    ),
}

# -- PDF handout (Typst) --------------------------------------------------------
# `sphinx-build -b typst docs build/pdf` (nox -s pdf) writes the handout,
# build/pdf/noopept-brief.pdf (core.PDF_NAME), with noopept_brief's Typst
# builder: the front page (edition block, key points, the disclaimer once),
# "page N of M" footers and "§3.2, p. 8" references come from the builder and
# its layout, src/noopept_brief/sphinxext/handout.typ; no TeX is involved.
#
# Pages written for the site's readers only, left out of the handout: the
# accessibility statement (it tests the site in a browser; the handout's own
# checks are pdfua's, in the tests) and "What changed" (it compares the
# published claims.json, which only the site carries). A link to either from
# another page prints as plain text in the PDF.
brief_handout_exclude = ["accessibility", "what-changed"]
