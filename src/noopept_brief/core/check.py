"""Every rule over the whole brief, or over chosen files, without Sphinx.

:func:`check_all` is what ``noopept-brief check`` (pre-commit, CI, ``nox -s
check``) runs: the encoding of every text file, every page rule, every claim
rule, the bibliography rules, and the citations against ``refs.bib``. The
messages are the ones a Sphinx build gives for the same problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .brief import Brief, read
from .claim.markup import claims
from .markdown.disclaimer import DISCLAIMER_SNIPPET
from .markdown.parse import pages, text_files
from .refs.bib import BIB_FILE, bib_keys
from .registry import (
    BRIEF_CHECKS,
    FILE_CHECKS,
    SOURCE_CHECKS,
    check_page,
    check_snippet,
)
from .violations import Violation


def check_all(docs_dir: Path, files: Iterable[str | Path] = ()) -> list[Violation]:
    """Every violation in the pages and the bibliography, or in ``files`` only
    (``.md`` files are checked as pages, ``.bib`` files as bibliographies).

    Every rule ``check`` applies is the registry's, run scope by scope: each
    text file's bytes (a file found unreadable is read no further), then each
    page, then the brief as a whole, then the disclaimer snippet."""
    brief = Brief(docs_dir, [Path(f) for f in files])
    problems = read_files(brief)
    for page in brief.pages:
        if (text := brief.readable.get(page)) is not None:
            problems += check_page(text, brief.shown(page), brief.docname(page))
        problems += [v for check in BRIEF_CHECKS for v in check(brief, page)]
    problems += [v for check in BRIEF_CHECKS for v in check(brief, None)]
    if not brief.chosen:
        problems += check_brief_snippet(brief)
    return problems


def check_sources(brief: Brief) -> list[Violation]:
    """What the build checks before anything reads the sources
    (``config-inited``): each text file's bytes, the disclaimer snippet, and
    the whole-brief checks the build applies
    (:data:`~.registry.SOURCE_CHECKS`; the pages and claims it checks as it
    reads them)."""
    problems = read_files(brief) + check_brief_snippet(brief)
    return problems + [v for check in SOURCE_CHECKS for v in check(brief, None)]


def read_files(brief: Brief) -> list[Violation]:
    """The file rules (:data:`~.registry.FILE_CHECKS`) on each text file's
    bytes, chosen or all; the text of each that passes is kept
    (``brief.readable``), and an unreadable one is read no further."""
    problems: list[Violation] = []
    for path in brief.chosen or text_files(brief.docs_dir):
        data = path.read_bytes()
        found = [v for check in FILE_CHECKS for v in check(data, brief.shown(path))]
        problems += found
        if not any(v.fatal for v in found):
            # The bytes already read, as read_text reads a file: the BOM
            # dropped, and "\r\n" or "\r" read as "\n".
            text = data.decode("utf-8-sig")
            brief.readable[path] = text.replace("\r\n", "\n").replace("\r", "\n")
    return problems


def check_brief_snippet(brief: Brief) -> list[Violation]:
    """The disclaimer snippet, judged once (:func:`~.registry.check_snippet`)."""
    snippet = brief.docs_dir / DISCLAIMER_SNIPPET
    return check_snippet(snippet, brief.shown(snippet), snippet not in brief.readable)


def tally(docs_dir: Path) -> str:
    """What ``check`` looked at, for its one line when all is well.

    >>> tally(Path("/no/such/docs"))
    '0 pages, 0 references, 0 claims'
    """
    found = pages(docs_dir) if docs_dir.is_dir() else []
    count = sum(len(claims(read(page))) for page in found)
    refs = len(bib_keys(read(docs_dir / BIB_FILE)))
    return (
        f"{len(found)} page{'' if len(found) == 1 else 's'}, "
        f"{refs} reference{'' if refs == 1 else 's'}, "
        f"{count} claim{'' if count == 1 else 's'}"
    )


def check_built(docs_dir: Path, html_dir: Path) -> list[Violation]:
    """The build's output gate over a built HTML site (``check --built``)."""
    import os

    from .build.hosting import base_url, source_links
    from .output.site import check_site, own_urls

    own = own_urls(base_url(os.environ), source_links(os.environ, docs_dir))
    return check_site(html_dir, docs_dir, own)
