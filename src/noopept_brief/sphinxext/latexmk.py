"""latexmk's options, where every way of building the PDF reads them.

``sphinx-build -M latexpdf -q`` runs ``make all-pdf LATEXMKOPTS=-silent``:
a make variable given on the command line beats the environment, so a
``LATEXMKOPTS`` set by nox never reached latexmk. latexmk reads the
``latexmkrc`` that Sphinx writes into build/latex on every build, whoever
runs it (nox, Read the Docs, a plain sphinx-build, make): the project's
settings are added there, after Sphinx's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Added to build/latex/latexmkrc (Perl; latexmk reads it from its folder).
LATEXMKRC = r"""
# -- noopept-brief (noopept_brief.sphinxext.latexmk) --------------------------
# Whole lines in the log, for the TeX-log gate (noopept-brief texlog): TeX
# wraps log lines at 79 characters unless told otherwise.
$ENV{'max_print_line'} = '100000';
# Stop at the first error, and never wait for an answer at a terminal, with
# or without sphinx-build's -q (which alone adds -halt-on-error).
$pdflatex =~ s/^(\w+) /$1 -halt-on-error -interaction=nonstopmode /;
"""


def add_latexmk_settings(app: Sphinx, exception: Exception | None) -> None:
    """After Sphinx has written latexmkrc, add the project's settings to it."""
    if exception is not None or app.builder.name != "latex":
        return
    rc = Path(app.outdir, "latexmkrc")
    if rc.is_file():
        with rc.open("a", encoding="utf-8") as handle:
            handle.write(LATEXMKRC)
