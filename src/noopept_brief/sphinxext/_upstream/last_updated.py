"""sphinx-last-updated-by-git's internals (pinned
``sphinx-last-updated-by-git>=0.3.8,<0.4``).

* It looks up every page's last commit at ``env-updated`` in every build,
  running git once for each folder of pages; only HTML pages show the dates
  ("Last updated", ``article:modified_time``). The PDF's edition date comes
  from the last commit of the whole checkout (conf.py, ``SOURCE_DATE_EPOCH``):
  :func:`git_dates_for_html_only` takes the lookup out of a build that writes
  no HTML page. It leaves the extension's other handlers in place, so the
  environment keeps the shape it expects (a date not looked up stays
  ``None``, and an HTML build into the same environment looks it up then).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .sphinx_ import disconnect_module

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.events import EventManager

#: The extension's module, whose ``env-updated`` handler runs git.
MODULE = "sphinx_last_updated_by_git"


def git_dates_left_out(events: EventManager) -> None:
    """Disconnect the extension's ``env-updated`` handler, if it is loaded
    (conf.py loads it only in a git checkout)."""
    disconnect_module(events, MODULE, ("env-updated",))


def git_dates_for_html_only(app: Sphinx) -> None:
    """``builder-inited``: no git lookups in a build that writes no HTML page."""
    if app.builder.format != "html":
        git_dates_left_out(app.events)
