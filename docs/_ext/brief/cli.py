"""The command line: the page policy and the bibliography rules, without Sphinx.

``python docs/_ext/brief [FILE ...]`` (:mod:`brief.__main__`) runs :func:`main`;
pre-commit and CI (``nox -s check``) use it. With no files it checks every page,
docs/refs.bib, and the citations between them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from .bibliography import check_bib, check_citations, citations
from .markdown import DOCS_DIR, pages
from .policy import CITATION_PLACEHOLDER, check_page
from .violations import Violation, report


def check_all(docs_dir: Path = DOCS_DIR, files: Iterable[str] = ()) -> list[Violation]:
    """Every violation in the pages and the bibliography, or in ``files`` only
    (``.md`` files are checked as pages, ``.bib`` files as bibliographies)."""
    root = docs_dir.parent

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    all_pages = pages(docs_dir)
    bib = docs_dir / "refs.bib"
    chosen = [Path(f) for f in files]
    if chosen:
        page_list = [p for p in chosen if p.suffix == ".md"]
        bibs = [p for p in chosen if p.suffix == ".bib"]
    else:
        page_list, bibs = all_pages, [bib]
    problems = [
        v for p in page_list for v in check_page(p.read_text("utf-8"), shown(p))
    ]
    for path in bibs:
        problems += check_bib(path.read_text("utf-8"), shown(path))
    if not chosen and bib.exists():
        cited = [
            (shown(p), key, line)
            for p in all_pages
            for key, line in citations(p.read_text("utf-8"))
            if key != CITATION_PLACEHOLDER  # reported by its own rule
        ]
        problems += check_citations(bib.read_text("utf-8"), cited, shown(bib))
    return problems


def main(argv: list[str] | None = None) -> int:
    files = sys.argv[1:] if argv is None else argv
    count = report(check_all(files=files))
    if count:
        print(f"{count} problem(s) found; each line above says how to fix it.")
        return 1
    return 0
