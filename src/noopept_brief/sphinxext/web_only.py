"""``{web-only}``: what only the website shows (issue 20).

It replaces Sphinx's ``{only}``, which the brief refuses: ``{only}`` takes
any expression, so a page could show one text to the website and another to
the PDF. This directive knows one thing, the output format: its content
stays in HTML builds and is left out of every other (the PDF handout), by a
post-transform, before the output gate reads the resolved page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..core.markdown.shapes import WebOnlyShape
from ._upstream import builder_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class web_only_node(nodes.General, nodes.Element):
    """The content of a ``{web-only}``, until the post-transform places it."""


class WebOnlyDirective(WebOnlyShape, SphinxDirective):
    """```{web-only}```: its body, parsed as part of the page, website only."""

    def run(self) -> list[nodes.Node]:
        node = web_only_node()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class PlaceWebOnly(SphinxPostTransform):
    """Keep ``{web-only}`` content in HTML builds; leave it out of the others."""

    default_priority = 5  # before everything else reads the resolved page

    def run(self, **kwargs: Any) -> None:
        keep = builder_of(self.env).format == "html"
        for node in list(self.document.findall(web_only_node)):
            node.replace_self(node.children if keep else [])


def setup(app: Sphinx) -> None:
    app.add_node(web_only_node)
    app.add_directive("web-only", WebOnlyDirective)
    app.add_post_transform(PlaceWebOnly)
