"""The one system prerequisite: Chromium, for the browser tests.

The package the README's apt-get line installs (:data:`SYSTEM_PACKAGES`), and
what to say when it is missing (:func:`browser_missing`), for nox and the
tests. The PDF needs none: the typst wheel carries its compiler and fonts.
"""

from __future__ import annotations

import os
from pathlib import Path

# -- The browser tests' system prerequisite -----------------------------------

#: The Debian package of the browser the browser tests drive: Chromium's
#: headless shell, the build Playwright itself runs headless tests in. It is
#: the same Blink as the full browser without the desktop browser around it:
#: the browser survey found the same on every page and bad page, and used
#: about a quarter less CPU (28 s against 36 s, issue 21's fourteenth pass).
BROWSER_PACKAGES = "chromium-headless-shell"
#: Every system package (the README's one apt-get line).
SYSTEM_PACKAGES = BROWSER_PACKAGES
#: Debian's Chromium headless shell; Playwright's own browser download is not
#: used. Elsewhere (GitHub's Ubuntu runners ship Google Chrome) BRIEF_CHROMIUM
#: names the browser.
CHROMIUM = os.environ.get("BRIEF_CHROMIUM", "/usr/bin/chromium-headless-shell")
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
