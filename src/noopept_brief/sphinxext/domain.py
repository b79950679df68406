"""The claims of every page, kept as ``sphinx.ext.todo`` keeps its todos.

:class:`ClaimsDomain` records each page's claims (and whether it holds an
evidence map) when the page is read, forgets them when the page goes, and
merges what parallel readers found, so the map is right in parallel and
incremental builds alike. ``claims_domain(env).claims`` is every
:class:`~noopept_brief.core.Claim` of the brief, in reading order, each with
its page, section and anchor: what the map, claims.json and the PDF print.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Set
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.domains import Domain

from ..core.claim.model import Claim
from .nodes import (
    claim_node,
    evidence_map_node,
    unverified_claims_node,
    what_changed_node,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


#: The pages that hold a list made from every claim, by the node that marks it.
LISTS = {
    "maps": evidence_map_node,  # the evidence map
    "unverified": unverified_claims_node,  # the claims the records do not confirm
    "changes": what_changed_node,  # "What changed"
}


class PageClaims(dict[str, list[Claim]]):
    """{docname: [claim, ...]}, sent back from a parallel reading process
    with only the pages that process read.

    Sphinx forks each chunk of pages' reader from the main process, and the
    reader pickles its whole environment back, every claim merged before it
    included, for the main process to take the chunk's own pages from
    (``merge_domaindata``): at 1,000 pages the main process unpickled 207 MB
    to merge, claims it already had among them (136 MB without them). Pickled
    in the process that made it (the environment saved to disk, a serial
    build), it is whole.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._made_in = os.getpid()
        self._read_here: set[str] = set()

    def __setitem__(self, docname: str, claims: list[Claim]) -> None:
        super().__setitem__(docname, claims)
        if os.getpid() != self._made_in:  # read by a forked reading process
            self._read_here.add(docname)

    def __reduce__(self) -> tuple[type, tuple[dict[str, list[Claim]]]]:
        if os.getpid() == self._made_in:
            return (PageClaims, (dict(self),))
        return (PageClaims, ({d: c for d, c in self.items() if d in self._read_here},))


class ClaimsDomain(Domain):
    """Every page's claims, and the pages that hold a list made from them."""

    name = "brief"
    label = "Claims"
    # Bump when the records' shape changes: a saved environment is then re-read.
    data_version = 5  # 5: the claims in a PageClaims
    initial_data: ClassVar[dict[str, Any]] = {
        "claims": PageClaims(), **{name: set() for name in LISTS}, "digest": None
    }  # fmt: skip

    @property
    def by_page(self) -> PageClaims:
        """The claims recorded so far, by page: {docname: [claim, ...]}."""
        return self.data["claims"]

    @property
    def claims(self) -> list[Claim]:
        """Every claim of the brief, in reading order."""
        return [
            claim
            for docname in _doc_order(self.env)
            for claim in sorted(self.by_page.get(docname, []), key=lambda c: c.line)
        ]

    def claim(self, claim_id: str) -> Claim | None:
        """The claim with this id, if any."""
        return next((c for c in self.claims if claim_id and c.id == claim_id), None)

    @property
    def map_split(self) -> bool:
        """Whether the brief has more claims than the HTML map's one table
        holds (``brief_map_rows`` in conf.py): each page then shows its own
        rows (transforms.FillClaims), so every page stays under the output
        gate's size limit however large the brief grows."""
        count = sum(map(len, self.by_page.values()))
        return count > self.env.config.brief_map_rows

    @property
    def maps(self) -> set[str]:
        """The pages that hold an evidence map."""
        return self.data["maps"]

    def clear_doc(self, docname: str) -> None:
        self.by_page.pop(docname, None)
        for name in LISTS:
            self.data[name].discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["claims"]:
                self.by_page[docname] = otherdata["claims"][docname]
            for name in LISTS:
                if docname in otherdata[name]:
                    self.data[name].add(docname)

    def process_doc(
        self, env: BuildEnvironment, docname: str, document: nodes.document
    ) -> None:
        title = next(iter(document.findall(nodes.title)), None)
        page = title.astext() if title else docname
        # One walk of the page for the claims and the lists, in page order.
        marked = (claim_node, *LISTS.values())
        held = [n for n in document.findall(nodes.Element) if isinstance(n, marked)]
        found = [_placed(node, page) for node in held if isinstance(node, claim_node)]
        if found:
            self.by_page[docname] = found
        for name, node_class in LISTS.items():
            if any(isinstance(node, node_class) for node in held):
                self.data[name].add(docname)

    def changed(self) -> bool:
        """Whether any claim changed since the last call (for the map pages)."""
        # A hash, not the text: the repr of every claim is megabytes on a large
        # brief, and the environment is pickled with it at every build.
        digest = hashlib.sha256(repr(sorted(self.by_page.items())).encode()).hexdigest()
        if self.data["digest"] == digest:
            return False
        self.data["digest"] = digest
        return True


def _placed(node: claim_node, page: str) -> Claim:
    """A claim, with the page and section it stands in."""
    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    top = section is None or not isinstance(section.parent, nodes.section)
    return dataclasses.replace(
        node["claim"],
        page=page,
        section="" if top else section[0].astext(),
        section_id="" if top else section["ids"][0],
    )


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
    lists = set().union(*(domain.data[name] for name in LISTS))
    changed = domain.changed()
    # When the map splits (or joins again), every badge's link changes.
    split = domain.map_split
    if domain.data.get("split", False) != split:
        domain.data["split"] = split
        return sorted(lists | set(domain.by_page))
    return sorted(lists) if changed else []
