"""sphinx-sitemap's internals (pinned ``sphinx-sitemap>=2.9,<2.10``).

* sphinx-sitemap collects links in a private queue as pages are written, so
  an incremental build would list only the pages it wrote:
  :func:`complete_sitemap`.
* sphinx-sitemap starts a ``multiprocessing`` manager and writes a sitemap
  for every builder, the PDF's too: :func:`sitemap_left_out`, from the PDF
  builder's ``init`` (before ``builder-inited``, where the manager would
  start), and :func:`sitemap_for_html_only` for any other builder.
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any

from .sphinx_ import disconnect_module

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.events import EventManager

#: The extension's module, and every event it handles.
MODULE = "sphinx_sitemap"
SITEMAP_EVENTS = ("builder-inited", "html-page-context", "build-finished")


def sitemap_left_out(events: EventManager) -> None:
    """Disconnect every handler of sphinx-sitemap. Before ``builder-inited``
    (a builder's ``init``), its manager is never started."""
    disconnect_module(events, MODULE, SITEMAP_EVENTS)


def sitemap_for_html_only(app: Sphinx) -> None:
    """Take sphinx-sitemap out of a build that writes no HTML pages.

    Otherwise it keeps a ``multiprocessing`` manager process for the whole
    build and (with :func:`complete_sitemap`) writes a sitemap.xml of HTML
    pages into build/pdf. Runs at ``builder-inited`` just after
    sphinx-sitemap's handler (priority 500) has started the manager: dropping
    the queue, its only reference, shuts the manager down; the sitemap's
    other handlers are disconnected. (The PDF builder takes it out before
    that, :func:`sitemap_left_out`.)
    """
    if app.builder.format == "html":
        return
    sitemap_left_out(app.events)
    if hasattr(app, "sitemap_links"):
        del app.sitemap_links


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
    if exception is not None or links is None or app.builder.format != "html":
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
