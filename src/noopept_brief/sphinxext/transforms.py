"""Claims at write time: each claim's badge, and the evidence map filled in.

:class:`FillClaims` runs on every page as it is written, from the claims
:class:`~.domain.ClaimsDomain` holds, so the map is current even when only
another page was re-read. On paper each badge and each map row print the
claim's id (``Claim.printed_id``), so a reader can go from a statement to its
row and back. Labels, counts and the key come from the model's
:class:`~noopept_brief.core.Evidence` and :class:`~noopept_brief.core.Status`;
a value the rules refused shows as "?", and the build goes on.

:class:`HandoutFrontMatter` (the PDF only) makes the PDF a handout: one
disclaimer, the front page's, and the key points up front.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from ..core.build.handout import FRONT_CLASS, KEY_POINTS_CLASS
from ..core.claim.model import Claim, Evidence, Status
from ..core.claim.quotes import quoted_in
from ..core.markdown.disclaimer import DISCLAIMER_CLASS
from ._upstream import builder_of, cite_reference
from .domain import claims_domain
from .nodes import claim_node, evidence_map_node, unverified_claims_node
from .records import brief_of

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from ..core.refs.records import Record

#: The classes of the map's table and of the unverified list, which readers'
#: stylesheets key on.
MAP_CLASS = "evidence-map"
UNVERIFIED_CLASS = "unverified-claims"
#: The builder formats that print on paper: badges and map rows show claim ids.
PAPER = ("typst",)
SR_ONLY = "brief-sr-only"  # text for screen readers, hidden on screen and paper
#: The map's column widths, in percent: claim, where, evidence, sources, status.
MAP_WIDTHS = (27, 19, 15, 15, 24)
#: The id of a page's own rows of the map, when the map is split (below).
PAGE_ROWS_ID = "brief-evidence-map-rows"


def count_phrase(
    kinds: type[Evidence | Status], values: list[str], before: str = ""
) -> str:
    """How many claims have each member, as the map's summary reads them,
    zeros included (a value no member has is not counted: it was refused).
    ``before`` keeps an evidence basis from reading as a count of studies
    ("6 on human studies", not "6 human studies").

    >>> count_phrase(Evidence, ["background", "background", "rodents"], "on ").split(", ")[-2:]
    ['0 on community reports (non-research)', '2 on background']
    >>> count_phrase(Status, ["differs"])
    '0 confirmed, 1 differ from the record, 0 unconfirmed, 0 contradicted by the records'
    """
    return ", ".join(
        f"{values.count(kind)} {before}{kind.counted[0].lower()}{kind.counted[1:]}"
        for kind in kinds
    )


def text_inline(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=list(classes))


def badge(claim: Claim) -> nodes.inline:
    """The claim's label: evidence and status, as words (not colour)."""
    node = nodes.inline(classes=["claim-badge", f"claim-{claim.status}"])
    node += text_inline("Evidence: ", SR_ONLY)
    node += text_inline(Evidence.label_of(claim.evidence), "claim-evidence")
    node += text_inline(". Status: ", SR_ONLY)
    node += text_inline(Status.label_of(claim.status), "claim-status")
    return node


def status_label(claim: Claim) -> nodes.inline:
    return text_inline(
        Status.label_of(claim.status), "claim-status", f"claim-{claim.status}"
    )


#: The class of the admonition that sets out a record's difference in full.
RECORD_NOTE_CLASS = "record-note"


def followed_by_record_note(node: nodes.Element) -> bool:
    """Whether a record note (the "Checked against the record" admonition)
    comes right after the claim, in the same block."""
    sibling = node.next_node(descend=False, siblings=True, ascend=False)
    while isinstance(sibling, (nodes.target, nodes.comment)):
        sibling = sibling.next_node(descend=False, siblings=True, ascend=False)
    return isinstance(sibling, nodes.admonition) and RECORD_NOTE_CLASS in sibling.get(
        "classes", []
    )


#: The class of the line under a claim that quotes its record.
QUOTE_CLASS = "claim-quote"
#: Quotation marks a contributor may have put around a quote: the line adds its own.
QUOTATION_MARKS = "\u201c\u201d\"' "


def read_in(month: str) -> str:
    """A record file's month as readers read it.

    >>> read_in("2026-12"), read_in("someday")
    ('December 2026', 'someday')
    """
    try:
        return datetime.date.fromisoformat(f"{month}-01").strftime("%B %Y")
    except ValueError:
        return month


def quote_line(claim: Claim, records: Mapping[str, Record]) -> nodes.paragraph:
    """The record's words under the claim, in quotation marks, and where they
    were read: each record's kind and month, linked to its address."""
    words = claim.quote.strip(QUOTATION_MARKS)
    line = nodes.paragraph(classes=[QUOTE_CLASS])
    found = quoted_in(claim, records)
    label = "From the records: " if len(found) > 1 else "From the record: "
    line += text_inline(label, "claim-quote-label")
    line += text_inline(f"\u201c{words}\u201d", "claim-quote-text")
    where: list[nodes.Node] = []
    for record in found:
        said = f"{str(record.kind).replace('-', ' ')}, read {read_in(record.read)}"
        link = nodes.reference(said, said, refuri=record.url) if record.url else None
        where += [nodes.Text("; " if where else " ("), link or nodes.Text(said)]
    if where:
        line += [*where, nodes.Text(")")]
    return line


def row_id(claim: Claim) -> str:
    return nodes.make_id(f"map-{claim.docname}-{claim.anchor}")


class FillClaims(SphinxPostTransform):
    """Give each claim its badge, and fill the evidence map."""

    default_priority = 5  # before the cross-references (and citations) resolve

    def run(self, **kwargs: Any) -> None:
        builder = builder_of(self.env)
        docname = self.env.docname
        domain = claims_domain(self.env)
        # On paper the map is always one table.
        split = builder.format not in PAPER and domain.map_split
        # A badge links to the claim's row: on its own page when the map is split.
        maps = [docname] if split else sorted(domain.maps)
        # One walk of the page for the three kinds (this runs in the main
        # process, page after page), handled kind by kind as before.
        kinds = (claim_node, evidence_map_node, unverified_claims_node)
        held = [n for n in self.document.findall(nodes.Element) if isinstance(n, kinds)]
        for node in held:
            if isinstance(node, claim_node):
                self.badge(node, builder, docname, maps)
        for node in held:
            if isinstance(node, evidence_map_node):
                node.replace_self(self.evidence_map(builder, docname, split))
        own = sorted(domain.by_page.get(docname, []), key=lambda c: c.line)
        if split and own and docname not in domain.maps:
            self.page_rows(own, builder, docname)
        for node in held:
            if isinstance(node, unverified_claims_node):
                node.replace_self(self.unverified(builder, docname))

    def unverified(self, builder: Builder, docname: str) -> nodes.bullet_list:
        """Every claim whose status is not confirmed, with its note."""
        items = nodes.bullet_list(classes=[UNVERIFIED_CLASS])
        for claim in claims_domain(self.env).claims:
            if (status := Status.of(claim.status)) is not None and status.confirms:
                continue
            para = nodes.paragraph()
            para += make_refnode(
                builder, docname, claim.docname, claim.anchor, nodes.Text(claim.short)
            )
            # On paper the link itself prints the place: "(§3.2, p. 8; Status)".
            place = "" if builder.format in PAPER else f"{claim.place}; "
            para += nodes.Text(f" ({place}")
            para += status_label(claim)
            para += nodes.Text(f"). {claim.note}")
            items += nodes.list_item("", para)
        return items

    def badge(
        self, node: claim_node, builder: Builder, docname: str, maps: list[str]
    ) -> None:
        claim: Claim = node.attributes.pop("claim")
        # A plain container from here on: every writer knows how to write one.
        container = nodes.container("", *node.children, classes=node["classes"])
        container.source, container.line = node.source, node.line
        node.replace_self(container)
        node = container
        node["classes"].append(f"claim-{claim.status}")
        label: nodes.Node = badge(claim)
        if builder.format in PAPER:  # on paper, the id leads to the map row
            label.insert(0, text_inline(claim.printed_id, "claim-id"))
        if maps:
            label = make_refnode(
                builder, docname, maps[0], row_id(claim), label,
                title="This claim in the evidence map",
            )  # fmt: skip
        paragraphs = list(node.findall(nodes.paragraph))
        if not paragraphs:
            paragraphs = [nodes.paragraph()]
            node += paragraphs[0]
        paragraphs[-1] += [nodes.Text(" "), label]
        # One note per fact: a record note just after the claim says it in full.
        if claim.note and not followed_by_record_note(node):
            note = nodes.inline(classes=["claim-note"])
            note += text_inline("Note: ", SR_ONLY)
            note += nodes.Text(claim.note)
            paragraphs[-1] += [nodes.Text(" "), note]
        if claim.quote:  # the evidence, where readers read the claim
            node += quote_line(claim, brief_of(self.env).records[0])

    def page_rows(self, claims: list[Claim], builder: Builder, docname: str) -> None:
        """The page's own rows of the map, in a section at its end."""
        top = next(self.document.findall(nodes.section), None)
        if top is None:
            return
        title = "This page in the evidence map"
        # A rubric, not a section: no section number, no entry in the contents.
        rows = nodes.container(ids=[PAGE_ROWS_ID], classes=[PAGE_ROWS_ID])
        rows += nodes.rubric(title, title)
        rows += self.table(claims, builder, docname)
        top += rows

    def pages_list(self, claims: list[Claim], builder: Builder, docname: str):
        """The map of a large brief: each page, its claims by status, and a
        link to its own rows."""
        pages = nodes.bullet_list(classes=["evidence-map-pages"])
        by_page: dict[str, list[Claim]] = {}
        for claim in claims:
            by_page.setdefault(claim.docname, []).append(claim)
        for page, own in by_page.items():
            title = self.env.titles[page].astext() if page in self.env.titles else page
            para = nodes.paragraph()
            para += make_refnode(
                builder, docname, page, PAGE_ROWS_ID, nodes.Text(title)
            )
            para += nodes.Text(
                f": {len(own)} claims; {count_phrase(Status, [c.status for c in own])}."
            )
            pages += nodes.list_item("", para)
        note = nodes.paragraph(
            text="The brief holds more claims than one page can list: each page "
            "lists its own claims, with the same columns, at its end."
        )
        return [note, pages]

    def evidence_map(
        self, builder: Builder, docname: str, split: bool = False
    ) -> list[nodes.Node]:
        claims = claims_domain(self.env).claims
        pages = len({c.docname for c in claims})
        summary = nodes.bullet_list(classes=["evidence-map-counts"])
        for title, text in (
            ("Claims", f"{len(claims)} on {pages} pages"),
            (
                "By evidence basis",
                count_phrase(Evidence, [c.evidence for c in claims], "on "),
            ),
            ("By status", count_phrase(Status, [c.status for c in claims])),
        ):
            para = nodes.paragraph()
            para += nodes.strong(f"{title}:", f"{title}:")
            para += nodes.Text(f" {text}.")
            summary += nodes.list_item("", para)
        key = nodes.definition_list(classes=["evidence-map-key"])
        for evidence in Evidence:
            key += nodes.definition_list_item(
                "",
                nodes.term(evidence.label, evidence.label),
                nodes.definition("", nodes.paragraph(text=evidence.meaning)),
            )
        return [
            summary,
            nodes.rubric("Evidence bases", "Evidence bases"),
            key,
            *(
                self.pages_list(claims, builder, docname)
                if split
                else [self.table(claims, builder, docname)]
            ),
        ]

    def table(self, claims: list[Claim], builder: Builder, docname: str) -> nodes.table:
        widths = MAP_WIDTHS
        table = nodes.table(classes=[MAP_CLASS, "longtable", "colwidths-given"])
        group = nodes.tgroup(cols=len(widths))
        table += group
        group += [nodes.colspec(colwidth=width) for width in widths]
        head = nodes.row()
        for title in ("Claim", "Where", "Evidence", "Sources", "Status"):
            head += nodes.entry("", nodes.paragraph(text=title))
        group += nodes.thead("", head)
        body = nodes.tbody()
        group += body
        for claim in claims:
            short = nodes.paragraph()
            short += nodes.target("", "", ids=[row_id(claim)])
            if builder.format in PAPER:  # the id its label prints
                short += text_inline(claim.printed_id, "claim-id")
            short += make_refnode(
                builder, docname, claim.docname, claim.anchor, nodes.Text(claim.short)
            )
            where = nodes.paragraph()
            where += make_refnode(
                builder, docname, claim.docname, claim.section_id or None,
                nodes.Text(claim.place),
            )  # fmt: skip
            sources = nodes.paragraph()
            if claim.sources:
                sources += cite_reference(claim.sources, docname)
            else:
                sources += nodes.Text("None cited")
            status = nodes.paragraph()
            status += status_label(claim)
            cells = [
                short,
                where,
                nodes.paragraph(text=Evidence.label_of(claim.evidence)),
                sources,
                status,
            ]
            if claim.note:
                cells.append(nodes.paragraph(text=claim.note, classes=["claim-note"]))
            row = nodes.row(classes=[f"claim-{claim.status}"])
            for cell in cells[:4]:
                row += nodes.entry("", cell)
            row += nodes.entry("", *cells[4:])
            body += row
        return table


class HandoutFrontMatter(SphinxPostTransform):
    """The PDF only: one disclaimer (the front page's), key points up front.

    Drops the per-page disclaimer admonitions (the handout prints the
    disclaimer in full once, on its front page, and short in every footer),
    and moves the landing page's key points into a ``handout-front``
    container, which the Typst builder sets on the front page
    (:mod:`.typst_translator`). The HTML pages are untouched.
    """

    builders = PAPER
    default_priority = 400

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.admonition)):
            if DISCLAIMER_CLASS in node["classes"]:
                node.parent.remove(node)
        # The Typst builder transforms the whole handout as one tree, the
        # landing page first: its key points are the first.
        points = [
            node for node in self.document.findall(nodes.admonition)
            if KEY_POINTS_CLASS in node["classes"]
        ]  # fmt: skip
        section = next(self.document.findall(nodes.section), None)
        if not points or section is None:
            return
        points[0].parent.remove(points[0])
        front = nodes.container(classes=[FRONT_CLASS])
        front += points[0]
        title = section.next_node(nodes.title)
        section.insert(section.index(title) + 1 if title else 0, front)
