"""Claims and the evidence map, in Sphinx.

The ``{claim}`` and ``{evidence-map}`` directives, the claim records kept in
the build environment, and the post-transform that gives each claim its badge
and fills the map. The rules a claim is checked against are in
:mod:`brief.claims`; :func:`brief.setup` connects the hooks below.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .bibliography import bib_keys
from .claims import (
    CLAIM_OPTIONS,
    EVIDENCE,
    EVIDENCE_MEANING,
    STATUS,
    STATUS_COUNTED,
    check_claim,
    make_claim,
)
from .handout import claim_id
from .violations import _warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


# -- Claims and the evidence map, in Sphinx ------------------------------------
#
# The {claim} directive checks each claim as it is read (warnings at the
# claim's line) and leaves a container carrying the claim's fields. When the
# pages are read, every claim is recorded in the build environment (merged
# across parallel readers, purged with its page). At write time a
# post-transform adds each claim's badge and fills the {evidence-map}
# directive's placeholder from the records, so the map is always current even
# when only another page was re-read: env-get-updated sends it to be written
# again whenever the claims change.

#: The classes readers' stylesheets and the PDF macros key on.
CLAIM_CLASS = "claim"
MAP_CLASS = "evidence-map"
UNVERIFIED_CLASS = "unverified-claims"
SR_ONLY = "brief-sr-only"  # text for screen readers, hidden on screen and paper
#: The map's column widths, in percent: claim, where, evidence, sources, status.
MAP_WIDTHS = (27, 19, 15, 15, 24)
#: On paper: a wider sources column, so that no author's name overflows it.
MAP_LATEX_WIDTHS = (26, 17, 14, 18, 25)

#: LaTeX before the map's table: small type, every cell's paragraphs
#: ragged-right (justified text leaves holes in columns this narrow), and
#: references to its rows numbered by the map's section (CLAIM_LATEX).
MAP_LATEX_START = (
    r"\begingroup\small\briefsectionlabels"
    r"\def\sphinxAtStartPar{\raggedright\leavevmode\nobreak\hskip0pt\relax}"
    # No citation broken mid-name: a cell holding one is not hyphenated.
    r"\expandafter\def\csname DUrolebibtex-citation\endcsname#1{\hyphenpenalty10000 #1}"
)
#: LaTeX for the badge and the note: a boxed label in black, upright, with the
#: claim's id and its status in bold words, legible from a grayscale printer.
CLAIM_LATEX = r"""
% -- Claims (brief/evidence_map.py): the badge beside each claim, and the evidence map.
\expandafter\def\csname DUroleclaim-badge\endcsname#1{\,{\upshape\sffamily\footnotesize
  \color{black}\setlength{\fboxrule}{0.6pt}\setlength{\fboxsep}{1.5pt}\fbox{#1}}}
\expandafter\def\csname DUroleclaim-id\endcsname#1{\textbf{#1}\enspace\textbar\enspace}
\expandafter\def\csname DUroleclaim-evidence\endcsname#1{#1\enspace\textbar\enspace}
\expandafter\def\csname DUroleclaim-status\endcsname#1{\textbf{#1}}
\expandafter\def\csname DUroleclaim-note\endcsname#1{{\small\itshape #1}}
\expandafter\def\csname DUrolebrief-sr-only\endcsname#1{}
% The map's rows are labelled in a table, whose counters would give "§1": a
% reference to a row gives the map's section number, "(§7, p. 17)".
\makeatletter
\newcommand\briefsectionlabels{%
  \protected@edef\brief@labelsection{\@currentlabel}%
  \let\brief@label\label
  \def\label##1{\let\@currentlabel\brief@labelsection\brief@label{##1}}}
\makeatother
"""


def _claims_data(env) -> dict[str, list[dict]]:
    """The claims recorded so far, by page: {docname: [record, ...]}."""
    if not hasattr(env, "brief_claims"):
        env.brief_claims = {}
    return env.brief_claims


def _map_docs(env) -> set[str]:
    """The pages that hold an evidence map."""
    if not hasattr(env, "brief_map_docs"):
        env.brief_map_docs = set()
    return env.brief_map_docs


def _unverified_docs(env) -> set[str]:
    """The pages that hold the list of claims the records do not confirm."""
    if not hasattr(env, "brief_unverified_docs"):
        env.brief_unverified_docs = set()
    return env.brief_unverified_docs


@cache
def _bib_keys_of(path: Path, mtime: float) -> frozenset[str]:
    return bib_keys(path.read_text(encoding="utf-8"))


def _bib_keys(env) -> frozenset[str]:
    keys: frozenset[str] = frozenset()
    for name in env.config.bibtex_bibfiles:
        path = Path(env.srcdir, name)
        keys |= _bib_keys_of(path, path.stat().st_mtime)
    return keys


def _make_directives():
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.util.docutils import SphinxDirective

    class ClaimDirective(SphinxDirective):
        """```{claim} short text``` with :evidence:, :status:, :note:, :sources:."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = dict.fromkeys(CLAIM_OPTIONS, directives.unchanged)

        def run(self) -> list[nodes.Node]:
            body = "\n".join(self.content)
            short = self.arguments[0] if self.arguments else ""
            claim = make_claim(short, self.options, body, self.lineno)
            docname = self.env.docname
            path = str(self.env.doc2path(docname))
            for violation in check_claim(claim, _bib_keys(self.env), path):
                _warn(violation, (docname, violation.line))
            if not claim.short:  # still list it, under its first words
                claim = dataclasses.replace(
                    claim, short=" ".join(" ".join(self.content).split()[:8]) + "…"
                )
            document = self.state.document
            anchor = base = f"claim-{nodes.make_id(claim.short)[:48].rstrip('-')}"
            number = 1
            while anchor in document.ids:
                number += 1
                anchor = f"{base}-{number}"
            target = nodes.target("", "", ids=[anchor])
            document.ids[anchor] = target
            container = nodes.container(classes=[CLAIM_CLASS])
            self.set_source_info(container)
            container["claim"] = {
                "docname": docname,  # the PDF resolves all pages as one
                "anchor": anchor,
                "short": claim.short,
                "evidence": claim.evidence,
                "status": claim.status,
                "note": claim.note,
                "sources": list(claim.sources),
                "line": claim.line,
            }
            container += self.parse_content_to_nodes()
            return [target, container]

    class Placeholder(SphinxDirective):
        """A list of claims, filled from every page's claims at write time."""

        css_class = ""
        flag = ""  # the placeholder's attribute that FillClaims looks for
        pages = staticmethod(_map_docs)  # where the env records such pages

        def run(self) -> list[nodes.Node]:
            self.pages(self.env).add(self.env.docname)
            placeholder = nodes.container(classes=[self.css_class])
            placeholder[self.flag] = True
            self.set_source_info(placeholder)
            return [placeholder]

    class EvidenceMapDirective(Placeholder):
        """```{evidence-map}```: the table of every claim."""

        css_class, flag, pages = MAP_CLASS, "evidence_map", staticmethod(_map_docs)

    class UnverifiedClaimsDirective(Placeholder):
        """```{unverified-claims}```: every claim the records do not confirm."""

        css_class, flag = UNVERIFIED_CLASS, "unverified_claims"
        pages = staticmethod(_unverified_docs)

    return ClaimDirective, EvidenceMapDirective, UnverifiedClaimsDirective


def _collect_claims(app: Sphinx, doctree) -> None:
    """doctree-read: record this page's claims, with where each one stands."""
    from docutils import nodes

    docname = app.env.docname
    title = next(iter(doctree.findall(nodes.title)), None)
    page = title.astext() if title else docname
    records = []
    for node in doctree.findall(nodes.container):
        if "claim" not in node:
            continue
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        top = section is None or not isinstance(section.parent, nodes.section)
        records.append(
            {
                **node["claim"],
                "page": page,
                "section": "" if top else section[0].astext(),
                "section_id": "" if top else section["ids"][0],
            }
        )
    if records:
        _claims_data(app.env)[docname] = records
    else:
        _claims_data(app.env).pop(docname, None)


def _purge_claims(app: Sphinx, env, docname: str) -> None:
    _claims_data(env).pop(docname, None)
    _map_docs(env).discard(docname)
    _unverified_docs(env).discard(docname)


def _merge_claims(app: Sphinx, env, docnames: set[str], other) -> None:
    for docname in docnames:
        if docname in _claims_data(other):
            _claims_data(env)[docname] = _claims_data(other)[docname]
        if docname in _map_docs(other):
            _map_docs(env).add(docname)
        if docname in _unverified_docs(other):
            _unverified_docs(env).add(docname)


def _maps_to_rewrite(app: Sphinx, env) -> list[str]:
    """env-get-updated: write the generated lists again when any claim changed."""
    digest = repr(sorted(_claims_data(env).items()))
    if getattr(env, "brief_claims_digest", None) == digest:
        return []
    env.brief_claims_digest = digest
    return sorted(_map_docs(env) | _unverified_docs(env))


def _doc_order(env) -> list[str]:
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


def ordered_claims(env) -> list[dict]:
    """Every recorded claim, in reading order."""
    data = _claims_data(env)
    return [
        record
        for docname in _doc_order(env)
        for record in sorted(data.get(docname, []), key=lambda r: r["line"])
    ]


def count_phrase(counts: dict[str, int], labels: dict[str, str]) -> str:
    """Counts as the map's summary reads them, zeros included.

    >>> count_phrase({"human": 0, "background": 2}, EVIDENCE)
    '0 human studies, 2 background'
    >>> count_phrase({"differs": 3}, STATUS_COUNTED)
    '3 differ from the record'
    """
    return ", ".join(
        f"{counts[key]} {labels[key][0].lower()}{labels[key][1:]}" for key in counts
    )


def _make_post_transform():
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util.nodes import make_refnode

    def text_inline(text: str, *classes: str) -> nodes.inline:
        return nodes.inline(text, text, classes=list(classes))

    def badge(record: dict) -> nodes.inline:
        """The claim's label: evidence and status, as words (not colour)."""
        node = nodes.inline(classes=["claim-badge", f"claim-{record['status']}"])
        node += text_inline("Evidence: ", SR_ONLY)
        node += text_inline(EVIDENCE.get(record["evidence"], "?"), "claim-evidence")
        node += text_inline(". Status: ", SR_ONLY)
        node += text_inline(STATUS.get(record["status"], "?"), "claim-status")
        return node

    def place_of(record: dict) -> str:
        """Where a claim stands (page, then section), as the map and list show it."""
        section = record["section"]
        return record["page"] + (f" \u203a {section}" if section else "")

    def row_id(record: dict) -> str:
        return nodes.make_id(f"map-{record['docname']}-{record['anchor']}")

    class FillClaims(SphinxPostTransform):
        """Give each claim its badge, and fill the evidence map."""

        default_priority = 5  # before the cross-references (and citations) resolve

        def run(self, **kwargs) -> None:
            builder = self.env._app.builder
            docname = self.env.docname
            maps = sorted(_map_docs(self.env))
            for node in list(self.document.findall(nodes.container)):
                if "claim" in node:
                    self.badge(node, builder, docname, maps)
                elif node.get("evidence_map"):
                    node["classes"] = []  # replace_self hands them on otherwise
                    node.replace_self(self.evidence_map(builder, docname))
                elif node.get("unverified_claims"):
                    node["classes"] = []
                    node.replace_self(self.unverified(builder, docname))

        def badge(self, node, builder, docname: str, maps: list[str]) -> None:
            record = node.attributes.pop("claim")
            node["classes"].append(f"claim-{record['status']}")
            label: nodes.Node = badge(record)
            if builder.format == "latex":  # on paper, the id leads to the map row
                label.insert(0, text_inline(claim_id(record), "claim-id"))
            if maps:
                label = make_refnode(
                    builder, docname, maps[0], row_id(record), label,
                    title="This claim in the evidence map",
                )  # fmt: skip
            paragraphs = list(node.findall(nodes.paragraph))
            if not paragraphs:
                paragraphs = [nodes.paragraph()]
                node += paragraphs[0]
            paragraphs[-1] += [nodes.Text(" "), label]
            if record["note"]:
                note = nodes.inline(classes=["claim-note"])
                note += text_inline("Note: ", SR_ONLY)
                note += nodes.Text(record["note"])
                paragraphs[-1] += [nodes.Text(" "), note]

        def unverified(self, builder, docname: str) -> nodes.bullet_list:
            """Every claim whose status is not confirmed, with its note."""
            items = nodes.bullet_list(classes=[UNVERIFIED_CLASS])
            for record in ordered_claims(self.env):
                if record["status"] == "confirmed":
                    continue
                para = nodes.paragraph()
                para += make_refnode(
                    builder, docname, record["docname"], record["anchor"],
                    nodes.Text(record["short"]),
                )  # fmt: skip
                place = place_of(record)
                para += nodes.Text(f" ({place}; ")
                para += text_inline(
                    STATUS.get(record["status"], "?"),
                    "claim-status", f"claim-{record['status']}",
                )  # fmt: skip
                para += nodes.Text(f"). {record['note']}")
                items += nodes.list_item("", para)
            return items

        def evidence_map(self, builder, docname: str) -> list[nodes.Node]:
            records = ordered_claims(self.env)
            by_evidence = {key: 0 for key in EVIDENCE}
            by_status = {key: 0 for key in STATUS}
            for record in records:
                by_evidence[record["evidence"]] = (
                    by_evidence.get(record["evidence"], 0) + 1
                )
                by_status[record["status"]] = by_status.get(record["status"], 0) + 1
            pages = len({r["docname"] for r in records})
            summary = nodes.bullet_list(classes=["evidence-map-counts"])
            for title, text in (
                ("Claims", f"{len(records)} on {pages} pages"),
                ("By evidence basis", count_phrase(by_evidence, EVIDENCE)),
                ("By status", count_phrase(by_status, STATUS_COUNTED)),
            ):
                para = nodes.paragraph()
                para += nodes.strong(f"{title}:", f"{title}:")
                para += nodes.Text(f" {text}.")
                summary += nodes.list_item("", para)
            key = nodes.definition_list(classes=["evidence-map-key"])
            for name, label in EVIDENCE.items():
                key += nodes.definition_list_item(
                    "",
                    nodes.term(label, label),
                    nodes.definition("", nodes.paragraph(text=EVIDENCE_MEANING[name])),
                )
            return [
                summary,
                nodes.rubric("Evidence bases", "Evidence bases"),
                key,
                nodes.raw("", MAP_LATEX_START, format="latex"),
                addnodes.tabular_col_spec(
                    spec="".join(
                        rf"\Y{{{width / 100:.2f}}}" for width in MAP_LATEX_WIDTHS
                    )
                ),
                self.table(records, builder, docname),
                nodes.raw("", r"\endgroup", format="latex"),  # MAP_LATEX_START's
            ]

        def table(self, records: list[dict], builder, docname: str) -> nodes.table:
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
            for record in records:
                claim = nodes.paragraph()
                claim += nodes.target("", "", ids=[row_id(record)])
                if builder.format == "latex":  # the id its label prints
                    claim += text_inline(claim_id(record), "claim-id")
                claim += make_refnode(
                    builder, docname, record["docname"], record["anchor"],
                    nodes.Text(record["short"]),
                )  # fmt: skip
                where = nodes.paragraph()
                place = place_of(record)
                where += make_refnode(
                    builder, docname, record["docname"], record["section_id"] or None,
                    nodes.Text(place),
                )  # fmt: skip
                sources = nodes.paragraph()
                if record["sources"]:
                    target = ",".join(record["sources"])
                    sources += addnodes.pending_xref(
                        target, nodes.inline(target, target), refdomain="cite",
                        reftype="p", reftarget=target, refdoc=docname,
                        refwarn=True,
                    )  # fmt: skip
                else:
                    sources += nodes.Text("None cited")
                status = nodes.paragraph()
                status += text_inline(
                    STATUS.get(record["status"], "?"),
                    "claim-status", f"claim-{record['status']}",
                )  # fmt: skip
                cells = [
                    claim,
                    where,
                    nodes.paragraph(text=EVIDENCE.get(record["evidence"], "?")),
                    sources,
                    status,
                ]
                if record["note"]:
                    cells.append(
                        nodes.paragraph(text=record["note"], classes=["claim-note"])
                    )
                row = nodes.row(classes=[f"claim-{record['status']}"])
                for cell in cells[:4]:
                    row += nodes.entry("", cell)
                row += nodes.entry("", *cells[4:])
                body += row
            return table

    return FillClaims


def _add_claim_latex(app: Sphinx, config) -> None:
    """config-inited: append the badge macros to the PDF's preamble."""
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + CLAIM_LATEX
    config.latex_elements = elements
