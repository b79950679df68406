"""Sphinx configuration for noopept-brief: the hosted HTML site and the PDF handout."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.util import texescape
from sphinx.util.texescape import escape as tex_escape

from noopept_brief import core
from noopept_brief.sphinxext._upstream import quiet_opengraph_import

# The project's extension is the installed package noopept_brief (src/ in the
# repository; `pip install -e .`). conf.py uses its core for the values below.
DOCS = Path(__file__).parent

# -- Reproducible builds ------------------------------------------------------
# Sphinx, XeLaTeX and latexmk date their output from SOURCE_DATE_EPOCH: take it
# from the last commit (or, without git, the newest source file), so that a
# plain sphinx-build gives the same bytes for the same sources, every time.

os.environ.setdefault("SOURCE_DATE_EPOCH", core.source_date_epoch(DOCS))
# TeX dates its log (and \today) from the clock unless told to use that date too.
os.environ.setdefault("FORCE_SOURCE_DATE", "1")

# -- Project information -------------------------------------------------------

project = "Noopept: a research-context brief"
author = "The noopept-brief contributors"
copyright = "2026, the noopept-brief contributors"
# pyproject.toml's [project].version, the one source of the version (a copy of
# docs/ outside the repository takes the installed package's, from the same file).
release = version = core.project_version(DOCS)

# The disclaimer lives in one file; the PDF's title page and footer read it here.
disclaimer = core.read_disclaimer(DOCS)

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

# -- LaTeX / PDF output --------------------------------------------------------
# The PDF is a handout, read on paper away from the site: an article (Sphinx's
# "howto" class: sections 1, 1.1, no chapter openers, no forced new pages), a
# front page that says which edition it is, and references that give their
# section and page.

latex_engine = "xelatex"
# tex_escape's map stays empty until Sphinx's LaTeX builder starts, after this
# file has run: fill it now, or the front page's text goes unescaped in a
# process's first build and escaped in the next (the tests build in process).
texescape.init()
latex_documents = [
    # The landing page links to the PDF by this name (core.PDF_NAME).
    (
        root_doc,
        Path(core.PDF_NAME).with_suffix(".tex").name,
        project,
        author,
        "howto",
        False,
    ),
]
latex_show_urls = "no"
# Every internal reference prints "(§3.2, p. 8)": the preamble's \autopageref.
latex_show_pagerefs = True
latex_toplevel_sectioning = "section"

# The edition block: every field from the build (core.edition).
_edition = core.edition(release, os.environ, DOCS)
_edition_rows = [
    ("Version", _edition.version),
    ("Date", _edition.date),
    *([("Commit", _edition.commit)] if _edition.commit else []),
    *([("Online", rf"\url{{{_edition.url}}}")] if _edition.url else []),
    ("Licence", _edition.licence),
    ("Cite as", tex_escape(_edition.citation(author, project))),
]
_edition_block = "\n".join(
    rf"  \textsf{{\bfseries {name}}} & {value}\\" for name, value in _edition_rows
)
# The short disclaimer, the edition and "page N of M" go in every page's footer.
_footer = rf"""
  \fancyfoot[L]{{\small\itshape {tex_escape(disclaimer.title)}}}%
  \fancyfoot[R]{{\small Version {_edition.version}, {_edition.date}\quad
    page \thepage\ of \pageref*{{LastPage}}}}%
  \renewcommand{{\footrulewidth}}{{0.4pt}}%
"""
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "oneside",
    # XeTeX maps its own glyphs; cmap (for pdfTeX) would only warn.
    "cmappkg": "",
    "fontpkg": r"""
\setmainfont{TeX Gyre Pagella}
\setsansfont{TeX Gyre Heros}
\setmonofont{FreeMono}
""",
    # Room for the running header (fancyhdr warned at every page otherwise).
    "geometry": r"\usepackage[hmargin=22mm,top=20mm,bottom=22mm,headheight=15pt,"
    r"includehead,includefoot]{geometry}",
    "preamble": rf"""
\usepackage{{etoolbox}}
\usepackage{{lastpage}}
\usepackage{{refcount}}
\hypersetup{{
  pdftitle={{{project}}},
  pdfauthor={{{author}}},
  pdfsubject={{A research-context brief on Noopept: the published evidence and its limits}},
  pdfkeywords={{Noopept, omberacetam, GVS-111, nootropics, NGF, BDNF, preclinical research, research context}},
  pdflang={{en}},
}}
\makeatletter
% Running header: the section in hand; footer: short disclaimer, edition, page.
\renewcommand{{\sectionmark}}[1]{{\markboth{{\thesection\quad #1}}{{}}}}
\fancypagestyle{{normal}}{{%
  \fancyhf{{}}%
  \fancyhead[L]{{\small\sffamily Noopept: a research-context brief}}%
  \fancyhead[R]{{\small\sffamily\nouppercase{{\leftmark}}}}%
  \renewcommand{{\headrulewidth}}{{0.4pt}}%{_footer}}}
\fancypagestyle{{plain}}{{%
  \fancyhf{{}}\renewcommand{{\headrulewidth}}{{0pt}}%{_footer}}}
% The front page carries the footer too.
\fancypagestyle{{empty}}{{%
  \fancyhf{{}}\renewcommand{{\headrulewidth}}{{0pt}}%{_footer}}}
% Cross-references on paper: Sphinx writes "text (\autopageref*{{label}})";
% print the section number and the page instead, "text (§3.2, p. 8)".
\renewcommand*{{\autopageref}}{{\@ifstar\brief@pageref\brief@pageref}}
\newcommand*{{\brief@pageref}}[1]{{%
  \edef\brief@section{{\getrefnumber{{#1}}}}%
  \hyperref[#1]{{\ifx\brief@section\@empty\else\S\brief@section, \fi
    p.\,\getpagerefnumber{{#1}}}}}}
% Sphinx gathers every citation into one list at the end of the document, which
% is the References section: print the list there, without a second heading,
% a second contents line or a "Bibliography" running header.
\patchcmd{{\thebibliography}}{{\section*{{\refname}}}}{{\medskip}}{{}}{{}}
\patchcmd{{\thebibliography}}{{\@mkboth}}{{\@gobbletwo}}{{}}{{}}
\renewenvironment{{sphinxthebibliography}}[1]
  {{\begin{{thebibliography}}{{#1}}}}{{\end{{thebibliography}}}}
\addto\captionsenglish{{\renewcommand{{\contentsname}}{{Contents}}}}
% Contents: sections and subsections, which fit one page.
\setcounter{{tocdepth}}{{2}}
\setcounter{{secnumdepth}}{{2}}
% The front page: the landing page's key points (noopept_brief's
% HandoutFrontMatter transform moves them into a "handout-front" container), then the disclaimer in full, once. The
% contents and the landing page's text follow on the next page. The disclaimer is
% set ragged right and never hyphenated: a broken word or register number
% ("LS-001577") would not read, or search, as the snippet's words.
\newenvironment{{sphinxclasshandout-front}}{{\small}}{{%
  \par\medskip
  \noindent{{\setlength{{\fboxrule}}{{1pt}}\fbox{{\parbox{{\dimexpr\linewidth-2\fboxsep-2\fboxrule}}{{%
    \raggedright\hyphenpenalty=10000\exhyphenpenalty=10000
    \textbf{{{tex_escape(disclaimer.title)}}}\par\smallskip
    {tex_escape(disclaimer.body)}}}}}}}\par
  \clearpage
  {{\small\sphinxtableofcontents}}
  \section*{{About this brief}}\markboth{{About this brief}}{{}}}}
\makeatother
""",
    "maketitle": rf"""
\thispagestyle{{empty}}
\begin{{flushleft}}
  {{\sffamily\bfseries\huge {project}\par}}
  \vspace{{0.6em}}
  {{\large A handout on the published evidence and its limits\par}}
  \vspace{{0.3em}}
  {{\normalsize {author}\par}}
\end{{flushleft}}
\vspace{{0.4em}}
{{\small\noindent\begin{{tabular}}{{@{{}}l p{{0.78\linewidth}}@{{}}}}
{_edition_block}
\end{{tabular}}\par}}
\vspace{{0.6em}}
""",
    # The contents follow the front page (see sphinxclasshandout-front above).
    "tableofcontents": "",
    "printindex": "",
}
