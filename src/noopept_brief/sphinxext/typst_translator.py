"""The handout's doctree as Typst markup: one function per allowed node type.

:class:`TypstTranslator` turns the whole handout (the landing page with every
page inlined, as :class:`~.typst_builder.TypstBuilder` assembles it) into the
body of one Typst document. It knows exactly the node types the output gate
allows (:data:`noopept_brief.sphinxext.gate.NODES`, one list for both); any
other node is a build error that names its page and line, never silent
output. Every word of text goes through
:func:`noopept_brief.core.output.typst_text.escape`; the layout functions it calls
(``xref``, ``where``, ``claim-label``, ``boxed``) are in ``handout.typ``.

On paper an internal reference prints where its target is: "text (§3.2,
p. 8)", or "text; §3.2, p. 8" inside brackets, so that parentheses never
nest. In the evidence map, the "Where" cell is the place of the claim's label
and nothing else, and the claim cell links without repeating it; tables are
written by :class:`~.typst_tables.TableWriter`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import SphinxError

from ..core.build.handout import FRONT_CLASS
from ..core.output.typst_text import escape, label, string
from .directives import CLAIM_CLASS
from .gate import NODES, located
from .transforms import SR_ONLY
from .typst_tables import WHERE_COLUMN, TableWriter

if TYPE_CHECKING:
    from sphinx.builders import Builder

#: Node types written as nothing: Sphinx's bookkeeping (a target's ids become
#: labels all the same), and footnotes (each prints at its reference).
SKIPPED = frozenset({
    "comment", "toctree", "system_message", "colspec", "target",
    "footnote",
})  # fmt: skip
#: Node types written as their children, with no markup of their own.
TRANSPARENT = frozenset({
    "document", "compound", "pending_xref",
    "claim_node", "evidence_map_node", "unverified_claims_node", "bibliography",
    "problematic", "compact_paragraph", "tgroup", "thead", "tbody", "row",
    "definition_list_item", "legend", "label", "caption", "term", "definition",
    "entry", "container",
})  # fmt: skip
#: The one box the gate allows (sphinxext/gate.py, NODES): record notes, key
#: points and the disclaimer are admonitions with a class; note, warning and
#: the rest of docutils' family are refused before they reach the PDF.
ADMONITIONS = frozenset({"admonition"})
#: What a section may hold and still be empty on paper.
EMPTY = (nodes.title, nodes.target, nodes.comment)
#: A claim's label's own Typst label: its anchor and this suffix.
BADGE = "-label"
MONO = '#text(font: "DejaVu Sans Mono", size: 0.85em)'
LINE_BREAK = " \\\n"  # Typst's forced line break: a backslash at a line's end


class UnknownNode(SphinxError):
    category = "PDF handout"


class TypstTranslator(TableWriter):
    """Write a resolved doctree as Typst markup (call :meth:`translate`)."""

    def __init__(self, builder: Builder, document: nodes.document) -> None:
        self.builder = builder
        self.document = document
        root = builder.config.root_doc
        self.docs = [root]  # the page being written (start_of_file nodes)
        self.depth = 0  # sections entered
        self.parens = 0  # brackets open in the paragraph so far
        self.map_column: int | None = None  # the evidence map's cell being written
        self.map_claim: str | None = None  # the label of that row's claim
        self.join_bracket = False  # the last reference opened a bracket
        # A section with nothing on paper (its content is for the site only)
        # would print a bare heading: left out, with its labels.
        for section in list(document.findall(nodes.section)):
            if all(isinstance(c, EMPTY) for c in section.children):
                section.parent.remove(section)
        self.citations = {
            node_id for c in document.findall(nodes.citation) for node_id in c["ids"]
        }
        self.labels = self._labels(document, root)
        self.written: set[str] = set()
        self.handlers: dict[str, Callable[[nodes.Node], str]] = {
            **{name: self.children for name in TRANSPARENT},
            **{name: lambda node: "" for name in SKIPPED},
            **{name: self.admonition for name in ADMONITIONS},
            "Text": lambda node: self.text(node.astext()),
            "section": self.section,
            "title": lambda node: f"#strong[{self.children(node)}]\n\n",
            "rubric": lambda node: (
                f"#block(above: 1.2em)[#strong[{self.children(node)}]]\n\n"
            ),
            "paragraph": self.paragraph,
            "inline": self.inline,
            "reference": self.reference,
            "number_reference": self.reference,
            "strong": lambda node: f"#strong[{self.children(node)}]",
            "emphasis": lambda node: f"#emph[{self.children(node)}]",
            "literal": lambda node: f"{MONO}[{escape(node.astext())}]",
            "bullet_list": lambda node: self.items("list", node),
            "enumerated_list": lambda node: self.items("enum", node),
            "list_item": lambda node: f"[{self.children(node)}]",
            "definition_list": self.definition_list,
            "table": self.table,
            "citation": self.citation,
            "footnote_reference": self.footnote_reference,
            "block_quote": lambda node: (
                f"#quote(block: true)[{self.children(node)}]\n\n"
            ),
            "transition": lambda node: "#line(length: 100%, stroke: 0.4pt)\n\n",
            "literal_block": self.literal_block,
            "image": self.image,
            "figure": self.figure,
            "start_of_file": self.start_of_file,
        }

    # -- Labels ------------------------------------------------------------------

    @staticmethod
    def _labels(document: nodes.document, root: str) -> set[str]:
        """Every label the document defines: ``docname:id`` for each id."""
        found = set()

        def walk(node: nodes.Node, doc: str) -> None:
            if isinstance(node, nodes.Element):
                if type(node).__name__ == "start_of_file":
                    doc = node["docname"]
                    found.add(label(f"{doc}:"))
                found.update(label(f"{doc}:{i}") for i in node.get("ids", []))
                if isinstance(node, nodes.container) and CLAIM_CLASS in node["classes"]:
                    found.update(label(f"{doc}:{i}{BADGE}") for i in node["ids"])
                for child in node.children:
                    walk(child, doc)

        walk(document, root)
        return found

    def anchors(
        self, node: nodes.Element, extra: Iterable[str] = (), ids: Iterable[str] = ()
    ) -> str:
        """Invisible labels for the node's ids, for links and page numbers."""
        out = []
        ids = ids or node.get("ids", [])
        for name in [*extra, *(f"{self.docs[-1]}:{i}" for i in ids)]:
            name = label(name)
            if name not in self.written:
                self.written.add(name)
                out.append(f"#metadata(none)<{name}>")
        return "".join(out)

    def target_of(self, node: nodes.Element) -> tuple[str, bool] | None:
        """The label a reference goes to, and whether it is a citation."""
        if node.get("refid"):
            doc, node_id = self.docs[-1], node["refid"]
            if label(f"{doc}:{node_id}") not in self.labels:
                doc = self.builder.config.root_doc
        elif node.get("refuri", "").startswith("%"):
            doc, _, node_id = node["refuri"][1:].partition("#")
        else:
            return None
        name = label(f"{doc}:{node_id}")
        return (name, node_id in self.citations) if name in self.labels else None

    # -- Dispatch --------------------------------------------------------------

    def translate(self) -> str:
        return self.visit(self.document)

    def visit(self, node: nodes.Node) -> str:
        kind = type(node).__name__
        handler = self.handlers.get(kind) if kind in NODES else None
        if handler is None:
            raise UnknownNode(
                f"{_where(node)}: the page holds a {kind} node, which the PDF "
                "handout cannot print (it prints only the node types in "
                "sphinxext/gate.py, NODES). Write the content in plain MyST: "
                "text, claims, lists, admonitions, links."
            )
        out = handler(node)
        if isinstance(node, nodes.Element) and kind not in ("section", "start_of_file"):
            out = self.anchors(node) + out
        return out

    def children(self, node: nodes.Node) -> str:
        return "".join(self.visit(child) for child in node.children)

    def text(self, text: str) -> str:
        if self.join_bracket:  # the reference before opened this bracket
            self.join_bracket = False
            text = text.removeprefix(" (")
        self.parens += (
            text.count("(") + text.count("[") - text.count(")") - text.count("]")
        )
        return escape(text)

    # -- Blocks ------------------------------------------------------------------

    def start_of_file(self, node: nodes.Element) -> str:
        self.docs.append(node["docname"])
        try:
            return self.children(node)
        finally:
            self.docs.pop()

    def section(self, node: nodes.Element) -> str:
        self.depth += 1
        try:
            title = node.next_node(nodes.title)
            rest = [c for c in node.children if c is not title]
            if self.depth == 1:  # the landing page: the front page and "About"
                return self.front(node, title, rest)
            # A page's first section carries the page's own label ({doc} links).
            extra = [f"{self.docs[-1]}:"]
            heading = f"#heading(level: {self.depth - 1})[{self.children(title)}]\n"
            return (
                heading
                + self.anchors(node, extra)
                + "\n\n"
                + "".join(map(self.visit, rest))
            )
        finally:
            self.depth -= 1

    def front(
        self, node: nodes.Element, title: nodes.Node, rest: list[nodes.Node]
    ) -> str:
        front = [c for c in rest if FRONT_CLASS in c.get("classes", [])]
        body = [c for c in rest if c not in front]
        return (
            "#front-page["
            + "".join(map(self.visit, front))
            + "]\n\n"
            + self.anchors(node, [f"{self.docs[-1]}:"])
            + "#heading(numbering: none, outlined: false, level: 1)[About this brief]\n\n"
            + "".join(map(self.visit, body))
        )

    def paragraph(self, node: nodes.Element) -> str:
        if self.map_column is not None and "claim-note" in node["classes"]:
            # The map stays compact on paper: each note is printed beside its
            # claim, or in the record note after it, and in §"could not verify".
            return ""
        self.parens = 0
        return self.children(node) + "\n\n"

    def admonition(self, node: nodes.Element) -> str:
        title = node.next_node(nodes.title)
        heading = self.children(title) if title else escape(type(node).__name__.title())
        body = "".join(self.visit(c) for c in node.children if c is not title)
        return f"#boxed([{heading}])[{body}]\n\n"

    def items(self, kind: str, node: nodes.Element) -> str:
        return f"#{kind}(" + ", ".join(self.visit(c) for c in node.children) + ")\n\n"

    def definition_list(self, node: nodes.Element) -> str:
        items = []
        for item in node.children:
            term = item.next_node(nodes.term)
            definition = item.next_node(nodes.definition)
            items.append(f"terms.item[{self.visit(term)}][{self.visit(definition)}]")
        return "#terms(" + ", ".join(items) + ")\n\n"

    def citation(self, node: nodes.Element) -> str:
        number = node.next_node(nodes.label)
        text = "".join(self.visit(c) for c in node.children if c is not number)
        if number is not None:  # "[Boiko et al., 2000]" heads the entry
            text = self.text(f"[{number.astext()}] ") + text
        return f"#block(inset: (left: 1.2em))[#h(-1.2em){text}]\n\n"

    def literal_block(self, node: nodes.Element) -> str:
        # Line by line, each escaped; spaces kept as no-break spaces.
        lines = [
            escape(line.replace(" ", "\u00a0")) for line in node.astext().splitlines()
        ]
        text = LINE_BREAK.join(lines)
        return f"#block(breakable: true)[{MONO}[{text}]]\n\n"

    def image(self, node: nodes.Element) -> str:
        alt = node.get("alt") or ""
        path = self.builder.typst_image(node["uri"])  # type: ignore[attr-defined]
        return f"#image({string(path)}, alt: {string(alt)}, width: 60%)"

    def figure(self, node: nodes.Element) -> str:
        image = node.next_node(nodes.image)
        caption = node.next_node(nodes.caption)
        cap = f", caption: [{self.children(caption)}]" if caption else ""
        return f"#figure([{self.image(image)}]{cap})\n\n"

    # -- Inlines -----------------------------------------------------------------

    def inline(self, node: nodes.Element) -> str:
        classes = node["classes"]
        if SR_ONLY in classes:
            return ""
        if "claim-badge" in classes:  # "id | evidence | status", boxed
            wanted = ("claim-id", "claim-evidence", "claim-status")
            part = {c: self.children(i) for i in node.findall(nodes.inline)
                    for c in wanted if c in i["classes"]}  # fmt: skip
            # The map's "Where" gives the page of the label itself: its Typst
            # label goes inside the box (a line may break before a box).
            claim = _claim_of(node)
            if claim is not None:
                mark = self.anchors(claim, ids=[i + BADGE for i in claim["ids"]])
                part["claim-id"] = mark + part.get("claim-id", "")
            cells = ", ".join("[" + part.get(c, "") + "]" for c in wanted)
            return f"#claim-label({cells})"
        if "claim-id" in classes:
            return f"#strong[{self.children(node)}] | "
        if "claim-note" in classes or "claim-quote-text" in classes:
            return f"#emph[{self.children(node)}]"
        return self.children(node)

    def reference(self, node: nodes.Element) -> str:
        target = self.target_of(node)
        if target is None:
            uri = node.get("refuri", "")
            if uri.startswith("https://"):
                return f"#link({string(uri)})[{self.children(node)}]"
            return self.children(node)  # a page the handout leaves out
        name, is_citation = target
        bracketed = self.parens > 0
        body = self.children(node)
        first = node.next_node()
        badge = isinstance(first, nodes.inline) and "claim-badge" in first["classes"]
        # A citation, a badge (it leads to its map row) and the map's claim
        # cell link without a place: the "Where" cell gives it.
        if self.map_column == 0:
            self.map_claim = name  # the claim's own place, for "Where"
        if is_citation or badge or self.map_column == 0:
            return f"#link(<{name}>)[{body}]"
        if self.map_column == WHERE_COLUMN:  # where the claim's label stands
            claim = f"{self.map_claim}{BADGE}"
            name = claim if claim in self.labels else name
            return f"#link(<{name}>)[#where(<{name}>)]"
        flag = ", bracketed: true" if bracketed else ""
        # "text (§3.2, p. 8) (more)" reads as "text (§3.2, p. 8; more)".
        after = node.next_node(descend=False, siblings=True, ascend=False)
        if isinstance(after, nodes.Text) and after.astext().startswith(" ("):
            self.join_bracket = True
            flag = ", joined: true"
        return f"#xref(<{name}>, [{body}]{flag})"

    def footnote_reference(self, node: nodes.Element) -> str:
        ids = node.get("refid")
        note = next(
            (f for f in self.document.findall(nodes.footnote) if ids in f["ids"]), None
        )
        if note is None:
            return ""
        body = "".join(
            self.visit(c) for c in note.children if not isinstance(c, nodes.label)
        )
        return f"#footnote[{body.strip()}]"


def _claim_of(node: nodes.Node) -> nodes.Element | None:
    """The claim container a badge stands in."""
    while node is not None and not (
        isinstance(node, nodes.container) and CLAIM_CLASS in node["classes"]
    ):
        node = node.parent
    return node


def _where(node: nodes.Node) -> str:
    place = located(node)
    return "the handout" if place is None else "{}:{}".format(*place)
