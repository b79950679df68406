"""The brief as ``noopept-brief check`` and the build read it, once
(:class:`Brief`), and the checks that judge it whole: the calling convention
of every scope that is not read file by file or page by page.

The registry (:mod:`.registry`) declares, for the scopes ``claim``, ``bib``,
``records`` and ``project``, a check called ``check(brief, page)`` for each
chosen page and then ``check(brief, None)`` once (a check that reads no page
returns nothing for a page); :func:`.check.check_all` runs them in the
registry's order. Each check below says which rules it reports, and the
lower-level function that holds the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .claim.export import check_releases
from .claim.ids import (
    LEGACY_ANCHORS,
    RETIRED_IDS,
    check_unique,
    read_legacy,
    read_retired,
)
from .claim.markup import check_claims, claims
from .markdown.parse import pages
from .markdown.policy import CITATION_PLACEHOLDER
from .output.assets import check_assets
from .output.files import check_docs_files
from .refs.bib import BIB_FILE, bib_keys, check_bib, check_citations, citations
from .refs.records import RECORDS_DIR, Record, check_records, unattributed
from .violations import Violation, relative


@dataclass
class Brief:
    """The docs folder, the files chosen (none: the whole brief) and the text
    of each file whose encoding passed (``readable``).

    ``bib_names`` are the bibliographies (the build's ``bibtex_bibfiles``);
    ``relative``: messages name files relative to the repository's root, as
    ``check`` does, or (the build) by their full path."""

    docs_dir: Path
    chosen: list[Path] = field(default_factory=list)
    readable: dict[Path, str] = field(default_factory=dict)
    bib_names: tuple[str, ...] = (BIB_FILE,)
    relative: bool = True

    @cached_property
    def root(self) -> Path | None:
        return self.docs_dir.resolve().parent if self.relative else None

    def shown(self, path: Path) -> str:
        """``path`` as messages name it: relative to the repository's root."""
        return relative(path, self.root)

    def docname(self, path: Path) -> str | None:
        try:
            resolved = path.resolve().relative_to(self.docs_dir.resolve())
        except ValueError:
            return None
        return resolved.with_suffix("").as_posix()

    def text(self, path: Path) -> str:
        """The file's text, read once; empty if it cannot be read (its own
        problem is reported where it is checked)."""
        return self.readable.get(path) or read(path)

    @property
    def bib(self) -> Path:
        return self.docs_dir / BIB_FILE

    @cached_property
    def pages(self) -> list[Path]:
        """The pages checked: the chosen ones, or every page."""
        if self.chosen:
            return [p for p in self.chosen if p.suffix == ".md"]
        return pages(self.docs_dir)

    @cached_property
    def bibs(self) -> list[Path]:
        if self.chosen:
            return [p for p in self.chosen if p.suffix == ".bib"]
        return [self.docs_dir / name for name in self.bib_names]

    @cached_property
    def bib_text(self) -> str:
        """The text of every bibliography, read once."""
        return "\n".join(self.text(self.docs_dir / n) for n in self.bib_names)

    @cached_property
    def keys(self) -> frozenset[str]:
        return bib_keys(self.bib_text)

    @cached_property
    def retired(self) -> dict[str, int]:
        return read_retired(read(self.docs_dir / RETIRED_IDS))

    @cached_property
    def legacy(self) -> dict[str, list[str]]:
        """The anchors each claim carries besides its own."""
        return read_legacy(read(self.docs_dir / LEGACY_ANCHORS))

    @cached_property
    def records(self) -> tuple[dict[str, Record], list[Violation]]:
        """The records that pass (claims quote them), and every problem."""
        return check_records(self.docs_dir, self.shown, bib_text=self.text(self.bib))


def read(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # its own problem is reported where it is checked


def check_brief_claims(brief: Brief, page: Path | None) -> list[Violation]:
    """The claim rules (:func:`.claim.markup.check_claims`) on a page; across
    the brief, unique ids (:func:`.claim.ids.check_unique`, on the pages
    checked) and, for the whole brief, the releases' ids
    (:func:`.claim.export.check_releases`)."""
    if page is not None:
        if page not in brief.readable:
            return []
        text, shown = brief.readable[page], brief.shown(page)
        return check_claims(text, brief.keys, shown, brief.retired, brief.records[0])
    # Ids are unique across the whole brief, whichever files were chosen.
    ids = [
        (brief.shown(p), claim.line, claim.id)
        for p in pages(brief.docs_dir)
        for claim in claims(brief.text(p))
    ]
    named = {brief.shown(p) for p in brief.pages}
    problems = [v for v in check_unique(ids) if v.path in named]
    if not brief.chosen:
        current = [i for _, _, i in ids]
        problems += check_releases(brief.docs_dir, current, brief.shown(brief.docs_dir))
    return problems


def check_brief_bib(brief: Brief, page: Path | None) -> list[Violation]:
    """The refs.bib rules (:func:`.refs.bib.check_bib`) on each bibliography
    checked; an entry whose record shows no author may name none."""
    if page is not None or not brief.bibs:
        return []
    authorless = unattributed(brief.records[0])
    return [
        v
        for path in brief.bibs
        if path in brief.readable
        for v in check_bib(brief.readable[path], brief.shown(path), authorless)
    ]


def check_brief_citations(brief: Brief, page: Path | None) -> list[Violation]:
    """The citations of every page against refs.bib
    (:func:`.refs.bib.check_citations`), for the whole brief only."""
    if page is not None or brief.chosen or brief.bib not in brief.readable:
        return []
    cited = [
        (brief.shown(p), key, line)
        for p in brief.pages
        if p in brief.readable
        for key, line in citations(brief.readable[p])
        if key != CITATION_PLACEHOLDER  # reported by its own rule
    ]
    return check_citations(brief.readable[brief.bib], cited, brief.shown(brief.bib))


def check_brief_records(brief: Brief, page: Path | None) -> list[Violation]:
    """The record files' rules (:func:`.refs.records.check_records`), for the
    whole brief or when refs.bib or a record file is chosen."""
    if page is not None:
        return []
    touched = any(p.name == BIB_FILE or RECORDS_DIR in p.parts for p in brief.chosen)
    return brief.records[1] if touched or not brief.chosen else []


def check_brief_project(brief: Brief, page: Path | None) -> list[Violation]:
    """The static manifest (:func:`.output.assets.check_assets`) and the
    kinds of file under docs/ (:func:`.output.files.check_docs_files`), for
    the whole brief only."""
    if page is not None or brief.chosen:
        return []
    return [*check_assets(brief.docs_dir, brief.root),
            *check_docs_files(brief.docs_dir, brief.root)]  # fmt: skip
