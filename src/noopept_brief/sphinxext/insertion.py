"""File insertion: the ``{disclaimer}`` directive, the project's only one, and
the docutils settings that switch off all the others.

The directive inserts the one disclaimer snippet (:mod:`noopept_brief.core.markdown.disclaimer`)
into a page. It is the project's only file insertion: conf.py switches off
docutils' own (``include``, ``literalinclude``, ``csv-table :file:``) and raw
output with ``brief_docutils_settings``, which :func:`apply_docutils_settings`
puts into every page's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from ..core.markdown.disclaimer import DISCLAIMER_SNIPPET
from ..core.markdown.shapes import DisclaimerShape

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class DisclaimerDirective(DisclaimerShape, SphinxDirective):
    """```{disclaimer}```: the disclaimer snippet, parsed as part of the page."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir, DISCLAIMER_SNIPPET)
        self.env.note_dependency(str(path))
        text = path.read_text(encoding="utf-8")
        holder = nodes.Element()
        self.state.nested_parse(
            StringList(text.splitlines(), source=str(path)),
            self.content_offset,
            holder,
        )
        return list(holder.children)


#: Docutils settings the project switches off unless conf.py says otherwise.
DEFAULT_SETTINGS = {"raw_enabled": False, "file_insertion_enabled": False}


def apply_docutils_settings(app: Sphinx) -> None:
    """builder-inited: every page is read with ``brief_docutils_settings``.

    Sphinx passes ``env.settings`` to docutils for every page, over any
    ``docutils.conf``; so the settings go there.
    """
    app.env.settings.update(app.config.brief_docutils_settings)
