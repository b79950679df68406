"""Every use of another library's internals, in one place (the fence).

Each function below leans on something its library does not promise to keep.
The versions it was written against are pinned in ``pyproject.toml`` (see the
comments there), and ``tests/test_upstream.py`` fails if a library changes
the shape relied on here, so an upgrade breaks a test, not the site.

* Sphinx gives a post-transform no public way to the builder it runs for,
  yet ``make_refnode`` needs one (Sphinx's own ``ReferencesResolver`` reads
  the same private attribute): :func:`builder_of`.
* sphinx-sitemap collects links in a private queue as pages are written, so
  an incremental build would list only the pages it wrote:
  :func:`complete_sitemap`.
* furo renders its whole navigation tree into every page, unless the page's
  context has no ``toctree``: :func:`hide_toctree_from_furo` and
  :func:`give_toctree_back`, around furo's handler (priority 500).
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def builder_of(env: BuildEnvironment) -> Builder:
    """The builder a post-transform runs for (private: ``env._app``)."""
    return env._app.builder


def _drain(links: queue.Queue[tuple[str, Any]]) -> list[tuple[str, Any]]:
    found = []
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            return found


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Give sphinx-sitemap every page, not only those this build wrote.

    sphinx-sitemap collects links as pages are written, so an incremental build
    left a sitemap listing only the rewritten pages. This runs just before it
    writes the file (priority 400 < 500), adds the pages it missed, and sorts
    the list so that the sitemap is the same however the pages were written.
    """
    # Private: the queue sphinx-sitemap keeps on the application object.
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None:
        return
    from sphinx_sitemap import add_html_link

    found = _drain(links)
    suffix = app.config.html_file_suffix or ".html"
    listed = {link for link, _ in found}
    for docname in sorted(app.env.found_docs - {d[: -len(suffix)] for d in listed}):
        add_html_link(app, docname, None, None, None)
    found += _drain(links)
    for link in sorted(found, key=lambda item: item[0]):
        links.put(link)


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
