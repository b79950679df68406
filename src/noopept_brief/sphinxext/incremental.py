"""Correct incremental builds: edits to refs.bib or to the navigation, and
builds stopped midway.

Pages citing a changed refs.bib entry are written again, every page is after
a title or toctree change, and a build stopped by Ctrl-C is redone in full. (The sitemap's part is in :mod:`._upstream`.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._upstream import bib_citations, citing_pages
from .domain import claims_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


# -- Correct incremental builds ------------------------------------------------
#
# Sphinx rewrites a page when its source changes, not when a refs.bib entry it
# cites changes: the References page (which depends on refs.bib) was updated,
# and every citing page kept the old year or title. And Sphinx saves its
# environment before it writes the pages, so a build stopped while writing
# left the unwritten pages stale for good. Two small hooks fix both.

#: Left in the output folder while a build runs; found there, it means the
#: last build was stopped, so this one reads and writes every page again.
BUILD_MARKER = ".brief-build-incomplete"


def _bib_fingerprints(env: BuildEnvironment) -> dict[str, str]:
    """What each cited entry looks like to a citing page: label and fields.

    The label is included because it can change when *another* entry changes
    (two entries with one first author and year read "1996a" and "1996b").
    """
    prints = {}
    for key, label, entry in bib_citations(env):
        persons = sorted((r, [str(p) for p in ps]) for r, ps in entry.persons.items())
        shown = (label, sorted(entry.fields.items()), persons)
        prints[key] = hashlib.sha256(repr(shown).encode()).hexdigest()
    return prints


def rewrite_pages_citing_changed_entries(
    app: Sphinx, env: BuildEnvironment
) -> list[str]:
    """Return (to be written again) the pages citing an entry that changed."""
    now = _bib_fingerprints(env)
    before: dict[str, str] | None = getattr(env, "brief_bib_fingerprints", None)
    env.brief_bib_fingerprints = now
    if before is None:  # a fresh environment: every page is written anyway
        return []
    changed = {
        key for key in now.keys() | before.keys() if now.get(key) != before.get(key)
    }
    if not changed:
        return []
    citing = {page for page, keys in citing_pages(env) if changed.intersection(keys)}
    # The evidence map shows every claim's sources as citations, made after
    # reading, so Sphinx does not know the map cites them.
    return sorted(citing | claims_domain(env).maps)


#: What a toctree node holds that shows in other pages' navigation.
_TOCTREE_OPTIONS = ("caption", "entries", "maxdepth", "hidden", "titlesonly",
                    "includehidden", "numbered", "glob")  # fmt: skip


def _navigation_fingerprint(env: BuildEnvironment) -> str:
    """What every page's navigation is made of: each page's title, and its
    table of contents (section titles and anchors, toctrees with their
    captions and entries). Section numbers are left out: Sphinx assigns them
    later, and rewrites the pages they change itself."""
    from docutils import nodes
    from sphinx import addnodes

    digest = hashlib.sha256()
    for docname in sorted(env.found_docs):
        parts: list[object] = [docname, env.titles[docname].astext()
                               if docname in env.titles else None]  # fmt: skip
        toc = env.tocs.get(docname)
        for node in toc.findall() if toc is not None else ():
            if isinstance(node, nodes.reference):
                parts.append(
                    (node.get("refuri"), node.get("anchorname"), node.astext())
                )
            elif isinstance(node, addnodes.toctree):
                parts.append([node.get(option) for option in _TOCTREE_OPTIONS])
        digest.update(repr(parts).encode("utf-8") + b"\0")
    return digest.hexdigest()


def rewrite_pages_after_navigation_change(
    app: Sphinx, env: BuildEnvironment
) -> list[str]:
    """Return every page when a title or a toctree changed.

    Sphinx rewrites the changed page and the pages whose toctree lists it,
    but the sidebar of every page shows every title, and prev/next links show
    the neighbours' titles: they kept the old ones.
    """
    now = _navigation_fingerprint(env)
    before = getattr(env, "brief_navigation_fingerprint", None)
    env.brief_navigation_fingerprint = now
    return sorted(env.found_docs) if before not in (None, now) else []


def mark_build_started(app: Sphinx) -> None:
    marker = Path(app.outdir, BUILD_MARKER)
    app.env.brief_read_all = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def reread_after_interruption(
    app: Sphinx, env: BuildEnvironment, added: Any, changed: Any, removed: Any
) -> list[str]:
    if getattr(env, "brief_read_all", False):
        env.brief_read_all = False
        return sorted(env.found_docs)
    return []


def mark_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        Path(app.outdir, BUILD_MARKER).unlink(missing_ok=True)
