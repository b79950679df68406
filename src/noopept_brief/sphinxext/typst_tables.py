"""Tables in the handout's Typst, and the evidence map's compact layout on paper.

:class:`TableWriter` is the part of
:class:`~.typst_translator.TypstTranslator` that writes docutils tables as
Typst tables: header rows as ``table.header`` (tagged TH, repeated on every
page), column widths from the colspecs, cells spanning rows and columns.
The evidence map (its table has :data:`~.transforms.MAP_CLASS`) is set
compact for paper: small type, the claim cell widest, the "Where" cell the
place of the claim's label ("§3.2, p. 8", written by the translator's
``reference``), and no notes in its cells (each note stands beside its
claim, or in the record note after it, and in "What this brief could not
verify").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from .transforms import MAP_CLASS

if TYPE_CHECKING:
    from collections.abc import Callable

#: The evidence map's column that says where a claim stands.
WHERE_COLUMN = 1
#: The map's column widths on paper: claim, where, evidence, sources, status.
MAP_WIDTHS = (36, 10, 15, 21, 18)


class TableWriter:
    """Tables, for the translator (which gives ``children``)."""

    children: Callable[[nodes.Node], str]
    map_column: int | None
    map_claim: str | None

    def table(self, node: nodes.Element) -> str:
        group = node.next_node(nodes.tgroup)
        widths = [c.get("colwidth", 1) for c in group.findall(nodes.colspec)]
        is_map = MAP_CLASS in node["classes"]
        if is_map:  # on paper the claim cell is the widest, "Where" is "§3.2, p. 8"
            widths = list(MAP_WIDTHS)
        head = [r for h in group.findall(nodes.thead) for r in h.children]
        body = [r for b in group.findall(nodes.tbody) for r in b.children]
        cells = []
        if head:
            cells.append(
                "table.header(" + ", ".join(self.row(r, is_map) for r in head) + ")"
            )
        cells += [self.row(r, is_map) for r in body]
        columns = ", ".join(f"{w}fr" for w in widths)
        size = "#set text(size: 8.5pt)\n" if is_map else ""
        return (
            f"#block[{size}#table(columns: ({columns}), " + ", ".join(cells) + ")]\n\n"
        )

    def row(self, row: nodes.Element, is_map: bool) -> str:
        out = []
        for column, entry in enumerate(row.children):
            self.map_column = column if is_map else None
            body = self.children(entry).strip()
            span = []
            if entry.get("morecols"):
                span.append(f"colspan: {entry['morecols'] + 1}")
            if entry.get("morerows"):
                span.append(f"rowspan: {entry['morerows'] + 1}")
            out.append(
                f"table.cell({', '.join(span)})[{body}]" if span else f"[{body}]"
            )
        self.map_column = self.map_claim = None
        return ", ".join(out)
