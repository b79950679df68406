"""The ``{claim}``, ``{evidence-map}`` and ``{unverified-claims}`` directives.

A claim is checked as it is read (warnings at the claim's line, the messages
of :func:`noopept_brief.core.check_claim`) and becomes a
:class:`~.nodes.claim_node` carrying its :class:`~noopept_brief.core.Claim`;
:class:`~.domain.ClaimsDomain` records it. Each directive takes its
arguments and options from its shape in :mod:`noopept_brief.core.markdown.shapes`,
which ``check`` reads pages by. The evidence map and the list of unverified claims are
placeholders, filled at write time.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from ..core.claim.ids import (
    LEGACY_ANCHORS,
    RETIRED_IDS,
    anchor,
    read_legacy,
    read_retired,
)
from ..core.claim.markup import check_claim
from ..core.claim.model import make_claim
from ..core.markdown.shapes import ClaimShape, DirectiveShape
from ..core.refs.bib import bib_keys, citations
from ..core.refs.records import RECORDS_DIR, SUFFIX
from .nodes import claim_node, evidence_map_node, unverified_claims_node
from .records import records_of
from .source_warnings import warn

#: The class readers' stylesheets and the PDF macros key on.
CLAIM_CLASS = "claim"


@cache
def _bib_keys_of(path: Path, mtime: float) -> frozenset[str]:
    return bib_keys(path.read_text(encoding="utf-8"))


def known_keys(env: BuildEnvironment) -> frozenset[str]:
    """The keys of the project's bib files, read again only when one changes."""
    keys: frozenset[str] = frozenset()
    for name in env.config.bibtex_bibfiles:
        path = Path(env.srcdir, name)
        keys |= _bib_keys_of(path, path.stat().st_mtime)
    return keys


@cache
def _read_lists(
    retired: Path, retired_mtime: float, legacy: Path, legacy_mtime: float
) -> tuple[frozenset[str], dict[str, list[str]]]:
    def text(path: Path, mtime: float) -> str:
        return path.read_text(encoding="utf-8") if mtime else ""

    return (
        frozenset(read_retired(text(retired, retired_mtime))),
        read_legacy(text(legacy, legacy_mtime)),
    )


def claim_lists(env: BuildEnvironment) -> tuple[frozenset[str], dict[str, list[str]]]:
    """The retired ids and the legacy anchors (docs/_claims/), read once, and
    again only when a file changes (every claim asks). Read them; never change
    them."""
    retired, legacy = Path(env.srcdir, RETIRED_IDS), Path(env.srcdir, LEGACY_ANCHORS)
    return _read_lists(retired, _mtime(retired), legacy, _mtime(legacy))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0


class ClaimDirective(ClaimShape, SphinxDirective):
    """```{claim} short text``` with :evidence:, :status:, :note:, :sources:,
    :quote:."""

    def run(self) -> list[nodes.Node]:
        body = "\n".join(self.content)
        short = self.arguments[0] if self.arguments else ""
        cited = [key for key, _ in citations(body)]
        docname = self.env.docname
        claim = make_claim(short, self.options, cited, self.lineno, docname)
        path = str(self.env.doc2path(docname))
        retired, legacy = claim_lists(self.env)
        for name in (RETIRED_IDS, LEGACY_ANCHORS):
            self.env.note_dependency(name)
        records = records_of(self.env)
        for key in claim.sources:  # its quote is checked against these files
            record = Path(RECORDS_DIR, f"{key.lower()}{SUFFIX}")
            if Path(self.env.srcdir, record).is_file():
                self.env.note_dependency(str(record))
        keys = known_keys(self.env)
        for violation in check_claim(claim, keys, path, retired, records):
            warn(violation, (docname, violation.line))
        if not claim.short:  # still list it, under its first words
            claim = dataclasses.replace(
                claim, short=" ".join(" ".join(self.content).split()[:8]) + "…"
            )
        document = self.state.document
        if claim.id:
            # The anchor is also a label, so {ref}`text <claim-ID>` links here.
            # The old anchors (docs/_claims/legacy-anchors.txt) keep working.
            here = anchor(claim.id)
            old = [a for a in legacy.get(claim.id, []) if a not in document.ids]
            target = nodes.target("", "", ids=[here], names=[here])
            if here in document.ids:  # two claims with one id: reported above
                target["ids"], target["names"] = [], []
            else:  # the label names the claim's own anchor, its first id
                document.note_explicit_target(target)
            target["ids"] += old
            for name in old:
                document.ids[name] = target
        else:  # reported above; linked under a slug of its short text meanwhile
            here = base = f"claim-{nodes.make_id(claim.short)[:48].rstrip('-')}"
            number = 1
            while here in document.ids:
                number += 1
                here = f"{base}-{number}"
            target = nodes.target("", "", ids=[here])
            document.ids[here] = target
        node = claim_node(classes=[CLAIM_CLASS])
        self.set_source_info(node)
        # Its page and section are filled in by the domain, once the page is read.
        node["claim"] = dataclasses.replace(claim, anchor=here)
        node += self.parse_content_to_nodes()
        return [target, node]


class Placeholder(DirectiveShape, SphinxDirective):
    """A list made from every page's claims, filled at write time."""

    node_class: ClassVar[type[nodes.Element]]

    def run(self) -> list[nodes.Node]:
        placeholder = self.node_class()
        self.set_source_info(placeholder)
        return [placeholder]


class EvidenceMapDirective(Placeholder):
    """```{evidence-map}```: the table of every claim."""

    node_class = evidence_map_node


class UnverifiedClaimsDirective(Placeholder):
    """```{unverified-claims}```: every claim the records do not confirm."""

    node_class = unverified_claims_node
