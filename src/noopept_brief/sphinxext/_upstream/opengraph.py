"""sphinxext-opengraph's behaviour on import (pinned
``sphinxext-opengraph>=0.13,<0.14``).

* sphinxext-opengraph prints a line about matplotlib when it is imported
  without it, even with its social cards turned off:
  :func:`quiet_opengraph_import`, called by conf.py.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import sys

#: What sphinxext-opengraph prints on import when matplotlib is missing.
OPENGRAPH_MATPLOTLIB_LINE = (
    "matplotlib is not installed, social cards will not be generated"
)


def quiet_opengraph_import() -> None:
    """Import sphinxext-opengraph before Sphinx does, holding back its line
    about matplotlib (conf.py turns the cards off); anything else it prints
    goes through."""
    if "sphinxext.opengraph" in sys.modules:
        return
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        importlib.import_module("sphinxext.opengraph")
    sys.stdout.write(printed.getvalue().replace(OPENGRAPH_MATPLOTLIB_LINE + "\n", ""))
