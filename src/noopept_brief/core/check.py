"""Every rule over the whole brief, or over chosen files, without Sphinx.

:func:`check_all` is what ``noopept-brief check`` (pre-commit, CI, ``nox -s
check``) runs: the encoding of every text file, every page rule, every claim
rule, the bibliography rules, and the citations against ``refs.bib``. The
messages are the ones a Sphinx build gives for the same problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .claim.export import check_releases
from .claim.ids import RETIRED_IDS, check_unique, read_retired
from .claim.markup import check_claims, claims
from .markdown.disclaimer import DISCLAIMER_SNIPPET
from .markdown.parse import pages, text_files
from .markdown.policy import CITATION_PLACEHOLDER, check_encoding
from .output.assets import check_assets
from .output.files import check_docs_files
from .refs.bib import bib_keys, check_bib, check_citations, citations
from .refs.records import RECORDS_DIR, check_records, unattributed
from .registry import check_page, check_snippet
from .violations import Violation

#: The bibliography, in the docs folder (conf.py's ``bibtex_bibfiles``).
BIB_NAME = "refs.bib"


def check_all(docs_dir: Path, files: Iterable[str | Path] = ()) -> list[Violation]:
    """Every violation in the pages and the bibliography, or in ``files`` only
    (``.md`` files are checked as pages, ``.bib`` files as bibliographies)."""
    root = docs_dir.resolve().parent

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return str(path)

    def docname(path: Path) -> str | None:
        try:
            return (
                path.resolve()
                .relative_to(docs_dir.resolve())
                .with_suffix("")
                .as_posix()
            )
        except ValueError:
            return None

    bib = docs_dir / BIB_NAME
    chosen = [Path(f) for f in files]
    problems: list[Violation] = []
    readable: dict[Path, str] = {}
    for path in chosen or text_files(docs_dir):
        found = check_encoding(path.read_bytes(), shown(path))
        problems += found
        if not any(v.fatal for v in found):
            readable[path] = path.read_text("utf-8-sig")

    page_list = [p for p in chosen if p.suffix == ".md"] if chosen else pages(docs_dir)
    bibs = [p for p in chosen if p.suffix == ".bib"] if chosen else [bib]
    keys = bib_keys(readable.get(bib) or _read(bib))
    retired = read_retired(_read(docs_dir / RETIRED_IDS))
    # Claims quote the record files; their own problems are reported below.
    records, record_problems = check_records(docs_dir, shown)
    for page in page_list:
        if (text := readable.get(page)) is not None:
            problems += check_page(text, shown(page), docname(page))
            problems += check_claims(text, keys, shown(page), retired, records)
    # Ids are unique across the whole brief, whichever files were chosen.
    ids = [
        (shown(page), claim.line, claim.id)
        for page in pages(docs_dir)
        for claim in claims(readable.get(page) or _read(page))
    ]
    named = {shown(p) for p in page_list}
    problems += [v for v in check_unique(ids) if v.path in named]
    if not chosen:
        problems += check_releases(docs_dir, [i for _, _, i in ids], shown(docs_dir))
    authorless = unattributed(records) if bibs else frozenset()
    for path in bibs:
        if (text := readable.get(path)) is not None:
            problems += check_bib(text, shown(path), authorless)
    snippet = docs_dir / DISCLAIMER_SNIPPET
    if not chosen:
        problems += check_assets(docs_dir, root)
        problems += check_docs_files(docs_dir, root)
        problems += check_snippet(snippet, shown(snippet), snippet not in readable)
    if not chosen and bib in readable:
        cited = [
            (shown(p), key, line)
            for p in page_list
            if p in readable
            for key, line in citations(readable[p])
            if key != CITATION_PLACEHOLDER  # reported by its own rule
        ]
        problems += check_citations(readable[bib], cited, shown(bib))
    if not chosen or any(p.name == BIB_NAME or RECORDS_DIR in p.parts for p in chosen):
        problems += record_problems
    return problems


def tally(docs_dir: Path) -> str:
    """What ``check`` looked at, for its one line when all is well.

    >>> tally(Path("/no/such/docs"))
    '0 pages, 0 references, 0 claims'
    """
    found = pages(docs_dir) if docs_dir.is_dir() else []
    count = sum(len(claims(_read(page))) for page in found)
    refs = len(bib_keys(_read(docs_dir / BIB_NAME)))
    return (
        f"{len(found)} page{'' if len(found) == 1 else 's'}, "
        f"{refs} reference{'' if refs == 1 else 's'}, "
        f"{count} claim{'' if count == 1 else 's'}"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # its own problem is reported where it is checked


def check_built(docs_dir: Path, html_dir: Path) -> list[Violation]:
    """The build's output gate over a built HTML site (``check --built``)."""
    import os

    from .build.hosting import base_url, source_links
    from .output.site import check_site, own_urls

    brief = [
        p.relative_to(docs_dir).with_suffix(".html").as_posix() for p in pages(docs_dir)
    ]
    root = docs_dir.resolve().parent
    source_of = {
        page: (docs_dir / page)
        .with_suffix(".md")
        .resolve()
        .relative_to(root)
        .as_posix()
        for page in brief
    }
    own = own_urls(base_url(os.environ), source_links(os.environ, docs_dir))
    return check_site(html_dir, docs_dir, brief, own, source_of)
