"""The claims of every page, kept as ``sphinx.ext.todo`` keeps its todos.

:class:`ClaimsDomain` records each page's claims (and whether it holds an
evidence map) when the page is read, forgets them when the page goes, and
merges what parallel readers found, so the map is right in parallel and
incremental builds alike.
"""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain

from .nodes import (
    claim_node,
    evidence_map_node,
    unverified_claims_node,
    what_changed_node,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: A claim as the map shows it: its fields, and where on its page it stands.
ClaimRecord = dict[str, Any]


class ClaimsDomain(Domain):
    """Every page's claims, and the pages that hold a list made from them."""

    name = "brief"
    label = "Claims"
    # Bump when the records' shape changes: a saved environment is then re-read.
    data_version = 3
    initial_data: ClassVar[dict[str, Any]] = {
        "claims": {},
        "maps": set(),
        "unverified": set(),
        "changes": set(),
        "digest": None,
    }

    @property
    def claims(self) -> dict[str, list[ClaimRecord]]:
        """The claims recorded so far, by page: {docname: [record, ...]}."""
        return self.data["claims"]

    @property
    def maps(self) -> set[str]:
        """The pages that hold an evidence map."""
        return self.data["maps"]

    @property
    def unverified(self) -> set[str]:
        """The pages that hold the list of claims the records do not confirm."""
        return self.data["unverified"]

    @property
    def changes(self) -> set[str]:
        """The pages that hold the "What changed" list."""
        return self.data["changes"]

    def clear_doc(self, docname: str) -> None:
        self.claims.pop(docname, None)
        self.maps.discard(docname)
        self.unverified.discard(docname)
        self.changes.discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["claims"]:
                self.claims[docname] = otherdata["claims"][docname]
            if docname in otherdata["maps"]:
                self.maps.add(docname)
            if docname in otherdata["unverified"]:
                self.unverified.add(docname)
            if docname in otherdata["changes"]:
                self.changes.add(docname)

    def process_doc(
        self, env: BuildEnvironment, docname: str, document: nodes.document
    ) -> None:
        title = next(iter(document.findall(nodes.title)), None)
        page = title.astext() if title else docname
        records = [_record(node, page) for node in document.findall(claim_node)]
        if records:
            self.claims[docname] = records
        if any(document.findall(evidence_map_node)):
            self.maps.add(docname)
        if any(document.findall(unverified_claims_node)):
            self.unverified.add(docname)
        if any(document.findall(what_changed_node)):
            self.changes.add(docname)

    def ordered_claims(self, env: BuildEnvironment) -> list[ClaimRecord]:
        """Every recorded claim, in reading order."""
        return [
            record
            for docname in _doc_order(env)
            for record in sorted(self.claims.get(docname, []), key=lambda r: r["line"])
        ]

    def changed(self) -> bool:
        """Whether any claim changed since the last call (for the map pages)."""
        digest = repr(sorted(self.claims.items()))
        if self.data["digest"] == digest:
            return False
        self.data["digest"] = digest
        return True


def _record(node: claim_node, page: str) -> ClaimRecord:
    """A claim's fields, and the page and section it stands in."""
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    top = section is None or not isinstance(section.parent, nodes.section)
    return {
        **node["claim"],
        "page": page,
        "section": "" if top else section[0].astext(),
        "section_id": "" if top else section["ids"][0],
    }


def _doc_order(env: BuildEnvironment) -> list[str]:
    """Pages in reading order (the toctrees from the root), then the rest."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order + sorted(set(env.found_docs) - set(order))


def claims_domain(env: BuildEnvironment) -> ClaimsDomain:
    domain = env.get_domain(ClaimsDomain.name)
    assert isinstance(domain, ClaimsDomain)
    return domain


def lists_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: write the generated lists again when any claim changed."""
    domain = claims_domain(env)
    lists = domain.maps | domain.unverified | domain.changes
    return sorted(lists) if domain.changed() else []
