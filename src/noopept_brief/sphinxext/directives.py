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
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..core.claim.ids import LEGACY_ANCHORS, RETIRED_IDS, anchor
from ..core.claim.markup import check_claim
from ..core.claim.model import make_claim
from ..core.markdown.shapes import ClaimShape, DirectiveShape
from ..core.refs.bib import citations
from ..core.refs.records import RECORDS_DIR, SUFFIX
from .nodes import claim_node, evidence_map_node, unverified_claims_node
from .records import brief_of
from .source_warnings import warn

#: The class readers' stylesheets and the PDF macros key on.
CLAIM_CLASS = "claim"


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
        brief = brief_of(self.env)  # its retired ids and legacy anchors too
        for name in (RETIRED_IDS, LEGACY_ANCHORS):
            self.env.note_dependency(name)
        for key in claim.sources:  # its quote is checked against these files
            record = Path(RECORDS_DIR, f"{key.lower()}{SUFFIX}")
            if Path(self.env.srcdir, record).is_file():
                self.env.note_dependency(str(record))
        records = brief.records[0]
        for violation in check_claim(claim, brief.keys, path, brief.retired, records):
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
            old = [a for a in brief.legacy.get(claim.id, []) if a not in document.ids]
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
