"""The system prerequisites: TeX for the PDF, Chromium for the browser tests.

The packages the README's one apt-get line installs (:data:`SYSTEM_PACKAGES`),
and what to say when either is missing (:func:`tex_missing`,
:func:`browser_missing`), for nox and the tests.
"""

from __future__ import annotations

import os
from pathlib import Path

# -- The PDF's system prerequisites --------------------------------------------

#: The Debian packages the PDF needs (the README's prerequisite line).
TEX_PACKAGES = (
    "latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended fonts-freefont-otf tex-gyre"
)


def tex_missing() -> str | None:
    """Say what to install if the PDF cannot be built here, else None."""
    import shutil

    missing = [tool for tool in ("latexmk", "xelatex") if not shutil.which(tool)]
    if not missing:
        return None
    return (
        f"The PDF needs TeX, and {' and '.join(missing)} is not installed. Install:\n"
        f"  Debian/Ubuntu: sudo apt-get install {TEX_PACKAGES}\n"
        "  macOS: brew install --cask mactex-no-gui "
        "(then: brew install --cask font-tex-gyre-pagella font-freefont)\n"
        "  Windows: install MiKTeX (https://miktex.org) with latexmk, "
        "and the TeX Gyre and FreeFont fonts"
    )


# -- The browser tests' system prerequisite -----------------------------------

#: The Debian package of the browser the browser tests drive.
BROWSER_PACKAGES = "chromium"
#: Every system package (the README's one apt-get line): the PDF's, then the browser.
SYSTEM_PACKAGES = f"{TEX_PACKAGES} {BROWSER_PACKAGES}"
#: Debian's Chromium; Playwright's own browser download is not used. Elsewhere
#: (GitHub's Ubuntu runners ship Google Chrome) BRIEF_CHROMIUM names the browser.
CHROMIUM = os.environ.get("BRIEF_CHROMIUM", "/usr/bin/chromium")
#: Headless flags for a root user on a machine with no display and no network.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")  # fmt: skip


def browser_missing() -> str | None:
    """Say what to install if Chromium is not here, else None."""
    if Path(CHROMIUM).exists():
        return None
    return (
        f"The browser tests need Chromium at {CHROMIUM}, which is not installed. "
        f"Install: sudo apt-get install {BROWSER_PACKAGES}"
    )
