"""furo's internals (pinned ``furo>=2025.12,<2026.0``).

* furo renders its whole navigation tree into every page, unless the page's
  context has no ``toctree``: :func:`hide_toctree_from_furo` and
  :func:`give_toctree_back`, around furo's handler (priority 500).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: Where the toctree waits while furo's handler runs without it.
_HIDDEN_TOCTREE = "_brief_toctree"


def hide_toctree_from_furo(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree
) -> None:
    """Before furo's handler: without ``toctree``, furo skips its own tree."""
    if app.config.brief_navigation_cache and "toctree" in context:
        context[_HIDDEN_TOCTREE] = context.pop("toctree")


def give_toctree_back(context: dict[str, Any]) -> bool:
    """After furo's handler: put the toctree back; False if it was not hidden."""
    if _HIDDEN_TOCTREE not in context:
        return False
    context["toctree"] = context.pop(_HIDDEN_TOCTREE)
    return True
