"""Sphinx configuration for noopept-brief: the hosted HTML site and the PDF handout."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

# -- Path setup ----------------------------------------------------------------
# The project's own extension (page policy, bibliography rules) is docs/_ext/brief/.
# A build writes only under its output folder, so the extension is imported
# without writing a __pycache__ into docs/_ext. Only that import: the libraries
# keep their bytecode caches (without them every build compiles Sphinx's
# dependencies again, about three seconds here).

sys.path.insert(0, str(Path(__file__).parent / "_ext"))
_dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
import brief  # noqa: E402  (after the lines above, on purpose)

sys.dont_write_bytecode = _dont_write_bytecode
from sphinx.util.texescape import escape as tex_escape  # noqa: E402

# -- Reproducible builds ------------------------------------------------------
# Sphinx, XeLaTeX and latexmk date their output from SOURCE_DATE_EPOCH: take it
# from the last commit (or, without git, the newest source file), so that a
# plain sphinx-build gives the same bytes for the same sources, every time.

os.environ.setdefault("SOURCE_DATE_EPOCH", brief.source_date_epoch())
# TeX dates its log (and \today) from the clock unless told to use that date too.
os.environ.setdefault("FORCE_SOURCE_DATE", "1")

# -- Project information -------------------------------------------------------

project = "Noopept: a research-context brief"
author = "The noopept-brief contributors"
copyright = "2026, the noopept-brief contributors"


def _project_version() -> str:
    """pyproject.toml's [project].version: the one source of the version."""
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if not pyproject.is_file():
        return "unknown"  # docs/ copied out of the repository, as the tests do
    return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


release = version = _project_version()

# The disclaimer lives in one file; the PDF's title page and footer read it here.
disclaimer = brief.read_disclaimer()

# -- General configuration -----------------------------------------------------

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    "notfound.extension",
    "brief",
]
# "Last updated" dates come from git, so only a full git checkout has them; a
# copy of docs/ outside one (as the tests make) or a shallow clone builds without
# them. Read the Docs and the CI workflow fetch the whole history.
_git_dates = brief.git_dates_known(Path(__file__).parent)
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

# -- Bibliography (sphinxcontrib-bibtex) ---------------------------------------

bibtex_bibfiles = ["refs.bib"]
# Author-year in the text, "(Ostrovskaya et al., 2008)", and the same labels in the
# reference list, in HTML and PDF alike. brief/author_year.py defines both "brief" styles.
bibtex_reference_style = "brief"
bibtex_default_style = "brief"

# -- HTML output (furo) --------------------------------------------------------

html_theme = "furo"
html_title = "Noopept: a research-context brief"
html_short_title = "Noopept brief"
html_static_path = ["_static"]
# page.html names furo's two <aside> landmarks (accessibility; same look).
templates_path = ["_templates"]
# brief/html_pages.py renders furo's sidebar tree once per build, not once per page,
# so the build grows linearly with the page count; False gives stock furo's.
brief_navigation_cache = True
html_css_files = ["brief.css"]
html_copy_source = False
html_show_sourcelink = False
html_favicon = "_static/favicon.svg"
html_theme_options = {
    # furo makes no third-party requests; keep it that way (no web fonts, no analytics).
    "navigation_with_keys": True,
    # "Edit this page" and "view source": from Read the Docs' variables or the git
    # remote; left out when neither names a repository (brief.source_links).
    **brief.source_links(os.environ),
}
# ISO dates from each page's last commit (sphinx-last-updated-by-git). Without
# git's dates, show none: Sphinx would put the build date there instead.
html_last_updated_fmt = "%Y-%m-%d" if _git_dates else None

# -- Site metadata: canonical URL, sitemap, OpenGraph, 404 page ------------------

# Read the Docs gives the canonical URL of the version it builds; elsewhere the
# base is the local preview's address (brief.LOCAL_BASE_URL). The sitemap and the
# canonical links need it.
html_baseurl = brief.base_url(os.environ)
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
# Descriptions come from each page's front matter (brief/html_pages.py).
ogp_site_url = html_baseurl
# No social-card images: they would need matplotlib and add nothing readers need.
ogp_social_cards = {"enable": False}
# The 404 page's links and assets are absolute: the path of the canonical URL
# ("/en/latest/" on Read the Docs, "/" for the local preview).
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>"
        "<p>This address is not part of the brief. It may have moved when a page "
        'was renamed. Start again from the <a href="'
        + notfound_urls_prefix
        + '">contents</a>, or use the search.</p>'
    ),
}

# -- LaTeX / PDF output --------------------------------------------------------
# The PDF is a handout, read on paper away from the site: an article (Sphinx's
# "howto" class: sections 1, 1.1, no chapter openers, no forced new pages), a
# front page that says which edition it is, and references that give their
# section and page.

latex_engine = "xelatex"
latex_documents = [
    # The landing page links to the PDF by this name (brief.PDF_NAME).
    (
        root_doc,
        Path(brief.PDF_NAME).with_suffix(".tex").name,
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

# The edition block: every field from the build (brief.edition).
_edition = brief.edition(release, os.environ)
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
% The front page: the landing page's key points (brief/handout.py moves them
% into a "handout-front" container), then the disclaimer in full, once. The
% contents and the landing page's text follow on the next page.
\newenvironment{{sphinxclasshandout-front}}{{\small}}{{%
  \par\medskip
  \noindent{{\setlength{{\fboxrule}}{{1pt}}\fbox{{\parbox{{\dimexpr\linewidth-2\fboxsep-2\fboxrule}}{{%
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
  {{\large A handout on the preclinical evidence and its limits\par}}
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
