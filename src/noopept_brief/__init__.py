"""noopept-brief: the page policy, the claims and the bibliography of the brief.

Three layers, each importing only the ones below it:

* :mod:`noopept_brief.core`: the rules, without Sphinx;
* :mod:`noopept_brief.sphinxext`: the Sphinx extension built on them;
* :mod:`noopept_brief.tools`: the ``noopept-brief`` command line.

``conf.py`` loads the extension by this package's name; :func:`setup` imports
the Sphinx layer only then, so the core and the tools load without Sphinx.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# pyproject.toml is the one source of the version; the installed metadata has it.
# pre-commit's page hook runs the checkout's src/ uninstalled (.ci/page_policy.py):
# then it is read from pyproject.toml itself.
try:
    __version__ = version("noopept-brief")
except PackageNotFoundError:
    import tomllib

    _pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    __version__ = tomllib.loads(_pyproject.read_text("utf-8"))["project"]["version"]


def setup(app: Sphinx) -> dict[str, Any]:
    """The Sphinx extension's entry point (see :mod:`noopept_brief.sphinxext`)."""
    from .sphinxext import setup as setup_extension

    return setup_extension(app)
