"""Builds: how sphinx-build runs, reproducibly and correctly when incremental.

:data:`SPHINX_FLAGS` (shared by nox and the tests), the build date
(:func:`source_date_epoch`, for ``SOURCE_DATE_EPOCH``), and the hooks that keep
an incremental build correct: pages citing a changed refs.bib entry are written
again, a build stopped by Ctrl-C is redone in full, and the sitemap lists every
page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .evidence_map import _map_docs
from .markdown import DOCS_DIR, text_files

if TYPE_CHECKING:
    from sphinx.application import Sphinx


#: How every build runs sphinx-build (nox and the tests alike): warnings are
#: errors, every reference must resolve, and all problems are listed at once.
SPHINX_FLAGS = ("-W", "--keep-going", "-n")


# -- Reproducible builds -------------------------------------------------------


def source_date_epoch(docs_dir: Path = DOCS_DIR) -> str:
    """The build's date, for ``SOURCE_DATE_EPOCH``: the last commit's time.

    Without git (a source archive, or git refusing the folder), the newest
    source file's time instead: an archive keeps its files' times, so two
    builds of one archive still agree.

    >>> source_date_epoch().isdigit()
    True
    """
    import subprocess

    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=docs_dir, capture_output=True, text=True, check=True, timeout=60,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        out = ""
    if out.isdigit():
        return out
    return str(max((int(p.stat().st_mtime) for p in text_files(docs_dir)), default=0))


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


def _bib_fingerprints(env) -> dict[str, str]:
    """What each cited entry looks like to a citing page: label and fields.

    The label is included because it can change when *another* entry changes
    (two entries with one first author and year read "1996a" and "1996b").
    """
    import hashlib

    prints = {}
    for citation in env.get_domain("cite").citations:
        entry = citation.entry
        persons = sorted((r, [str(p) for p in ps]) for r, ps in entry.persons.items())
        shown = (citation.formatted_entry.label, sorted(entry.fields.items()), persons)
        prints[citation.key] = hashlib.sha256(repr(shown).encode()).hexdigest()
    return prints


def _rewrite_pages_citing_changed_entries(app: Sphinx, env) -> list[str]:
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
    citing = {
        ref.docname
        for ref in env.get_domain("cite").citation_refs
        if any(target.key in changed for target in ref.targets)
    }
    # The evidence map shows every claim's sources as citations, made after
    # reading, so Sphinx does not know the map cites them.
    return sorted(citing | _map_docs(env))


def _complete_the_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """Give sphinx-sitemap every page, not only those this build wrote.

    sphinx-sitemap collects links as pages are written, so an incremental build
    left a sitemap listing only the rewritten pages. This runs just before it
    writes the file, adds the pages it missed, and sorts the list so that the
    sitemap is the same however the pages were written.
    """
    import queue

    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None:
        return
    from sphinx_sitemap import add_html_link

    found = []
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            break
    suffix = app.config.html_file_suffix or ".html"
    listed = {link for link, _ in found}
    for docname in sorted(app.env.found_docs - {d[: -len(suffix)] for d in listed}):
        add_html_link(app, docname, None, None, None)
    while True:
        try:
            found.append(links.get_nowait())
        except queue.Empty:
            break
    for link in sorted(found, key=lambda item: item[0]):
        links.put(link)


def _mark_build_started(app: Sphinx) -> None:
    marker = Path(app.outdir, BUILD_MARKER)
    app.env.brief_read_all = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _reread_after_interruption(app: Sphinx, env, added, changed, removed) -> list[str]:
    if getattr(env, "brief_read_all", False):
        env.brief_read_all = False
        return sorted(env.found_docs)
    return []


def _mark_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is None:
        Path(app.outdir, BUILD_MARKER).unlink(missing_ok=True)
