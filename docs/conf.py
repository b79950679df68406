"""Sphinx configuration for noopept-brief: the hosted HTML site and the PDF handout."""

from __future__ import annotations

import sys
from pathlib import Path

# -- Path setup ----------------------------------------------------------------
# The project's own extension (page policy, bibliography rules) is docs/_ext/brief.py.

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import brief
from sphinx.util.texescape import escape as tex_escape

# -- Project information -------------------------------------------------------

project = "Noopept: a research-context brief"
author = "The noopept-brief contributors"
copyright = "2026, the noopept-brief contributors"
release = version = "0.1"

# The disclaimer lives in one file; the PDF's title page and footer read it here.
disclaimer = brief.read_disclaimer()

# -- General configuration -----------------------------------------------------

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "brief",
]
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
# reference list, in HTML and PDF alike. brief.py registers both "brief" styles.
bibtex_reference_style = "brief"
bibtex_default_style = "brief"

# -- HTML output (furo) --------------------------------------------------------

html_theme = "furo"
html_title = "Noopept: a research-context brief"
html_short_title = "Noopept brief"
html_static_path = ["_static"]
# page.html names furo's two <aside> landmarks (accessibility; same look).
templates_path = ["_templates"]
# brief.py renders furo's sidebar tree once per build instead of once per page,
# so the build grows linearly with the page count; False gives stock furo's.
brief_navigation_cache = True
html_css_files = ["brief.css"]
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    # furo makes no third-party requests; keep it that way (no web fonts, no analytics).
    "navigation_with_keys": True,
}

# -- LaTeX / PDF output --------------------------------------------------------

latex_engine = "xelatex"
latex_documents = [
    (root_doc, "noopept-brief.tex", project, author, "manual", False),
]
latex_show_urls = "no"
latex_show_pagerefs = False
latex_toplevel_sectioning = "chapter"

# The short disclaimer goes in the footer of every page: title page, contents and
# body alike. openany and oneside mean no blank pages between chapters.
_footer = rf"\textit{{{tex_escape(disclaimer.title)}}}"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "fontpkg": r"""
\setmainfont{TeX Gyre Pagella}
\setsansfont{TeX Gyre Heros}
\setmonofont{FreeMono}
""",
    "preamble": rf"""
\usepackage{{etoolbox}}
\hypersetup{{
  pdftitle={{{project}}},
  pdfauthor={{{author}}},
  pdfsubject={{A research-context brief on Noopept: preclinical evidence and its limits}},
  pdfkeywords={{Noopept, nootropics, NGF, BDNF, preclinical research, research use only}},
  pdflang={{en}},
}}
\makeatletter
\fancypagestyle{{normal}}{{%
  \fancyhf{{}}%
  \fancyhead[R]{{\nouppercase{{\leftmark}}}}%
  \fancyfoot[L]{{\small {_footer}}}%
  \fancyfoot[R]{{\small\thepage}}%
  \renewcommand{{\headrulewidth}}{{0.4pt}}%
  \renewcommand{{\footrulewidth}}{{0.4pt}}}}
\fancypagestyle{{plain}}{{%
  \fancyhf{{}}%
  \fancyfoot[L]{{\small {_footer}}}%
  \fancyfoot[R]{{\small\thepage}}%
  \renewcommand{{\headrulewidth}}{{0pt}}%
  \renewcommand{{\footrulewidth}}{{0.4pt}}}}
% Pages LaTeX would leave bare (the title page) carry the footer too.
\fancypagestyle{{empty}}{{%
  \fancyhf{{}}%
  \fancyfoot[L]{{\small {_footer}}}%
  \renewcommand{{\headrulewidth}}{{0pt}}%
  \renewcommand{{\footrulewidth}}{{0.4pt}}}}
% Sphinx gathers every citation into one list at the end of the document, which
% is the References chapter: print the list there, without a second heading.
\patchcmd{{\thebibliography}}{{\chapter*{{\bibname}}}}{{\medskip}}{{}}{{}}
\renewenvironment{{sphinxthebibliography}}[1]
  {{\begin{{thebibliography}}{{#1}}}}{{\end{{thebibliography}}}}
% The toctree caption would otherwise title the table of contents.
\addto\captionsenglish{{\renewcommand{{\contentsname}}{{Contents}}}}
\makeatother
""",
    "maketitle": rf"""
\begin{{titlepage}}
  \thispagestyle{{empty}}
  \vspace*{{0.2\textheight}}
  {{\sffamily\bfseries\Huge {project}\par}}
  \vspace{{1.5em}}
  {{\Large A handout on the preclinical evidence and its limits\par}}
  \vspace{{0.5em}}
  {{\large {author}\par}}
  \vfill
  \noindent\fbox{{\parbox{{\dimexpr\linewidth-2\fboxsep-2\fboxrule}}{{%
    \textbf{{{tex_escape(disclaimer.title)}}}\par\medskip
    {tex_escape(disclaimer.body)}}}}}
\end{{titlepage}}
""",
    # The landing page's abstract opens the handout, under a heading of its own.
    "tableofcontents": r"""
\sphinxtableofcontents
\chapter*{About this brief}
\markboth{About this brief}{About this brief}
""",
    "printindex": "",
}
