"""The back matter and the reader's way in: "How to cite", the landing page's
guide to the pages, and the search page's field.

* ``{how-to-cite} plain|bibtex|details``: the citation from ``CITATION.cff``
  (its one source; :mod:`noopept_brief.core.citation`), as a sentence, as
  BibTeX, or as its version, date and licence.
* ``{page-guide}``: one line a page for every page in this page's toctrees:
  its title, linked, and its front-matter description (what the page
  answers), so the landing page's contents say more than the sidebar. HTML
  only: the PDF has its table of contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..core.citation import CITATION_FILE, bibtex, plain_text, read_citation
from ..core.frontmatter import front_matter
from ..core.markdown import parse, split_options
from .checks import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class HowToCiteDirective(SphinxDirective):
    """```{how-to-cite} plain```: one form of the citation, from CITATION.cff."""

    required_arguments = 1
    option_spec: ClassVar = {}
    FORMS = ("plain", "bibtex", "details")

    def run(self) -> list[nodes.Node]:
        form = self.arguments[0]
        if form not in self.FORMS:
            raise self.error(
                f"{{how-to-cite}} takes one of: {', '.join(self.FORMS)}; not {form!r}."
            )
        path = (Path(self.env.srcdir) / self.config.brief_citation_file).resolve()
        self.env.note_dependency(str(path))
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise self.error(
                f"{path} is missing, so the citation cannot be shown. Keep "
                f"{CITATION_FILE} at the repository's root, or set "
                "brief_citation_file in conf.py to where it is."
            ) from None
        citation, problems = read_citation(text, str(path))
        for violation in problems:
            warn(violation, f"{violation.path}:{violation.line}")
        if citation is None:
            return []
        if form == "plain":
            return [
                nodes.paragraph(text=plain_text(citation), classes=["citation-text"])
            ]
        if form == "bibtex":
            source = bibtex(citation)
            return [nodes.literal_block(source, source, language="bibtex")]
        items = nodes.bullet_list(classes=["citation-details"])
        for label, value in (
            ("Version", citation.version),
            ("Released", citation.date),
            ("Licence", " and ".join(citation.licences)),
        ):
            para = nodes.paragraph()
            para += nodes.strong(f"{label}:", f"{label}:")
            para += nodes.Text(f" {value}")
            items += nodes.list_item("", para)
        return [items]


def _toctree_entries(text: str) -> list[str]:
    """The documents a page's toctrees list, in order."""
    entries = []
    for item in parse(text):
        if item.kind == "directive" and item.name == "toctree":
            _, body, _ = split_options(item.body)
            for line in body.splitlines():
                line = line.strip()
                if line and not line.startswith((":", "#")):
                    entries.append(line.split("<")[-1].rstrip(">").strip())
    return entries


class PageGuideDirective(SphinxDirective):
    """```{page-guide}```: each page of this page's toctrees, with what it answers."""

    option_spec: ClassVar = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        here = Path(self.env.doc2path(self.env.docname))
        guide = nodes.bullet_list(classes=["page-guide"])
        for entry in _toctree_entries(here.read_text(encoding="utf-8")):
            docname = entry.lstrip("/")
            path = Path(self.env.doc2path(docname))
            if not path.exists():
                continue  # the toctree reports it
            self.env.note_dependency(str(path))
            try:
                found = front_matter(path.read_text(encoding="utf-8"))
            except ValueError:
                found = None  # the description rule reports it
            description = str((found or ({}, {}))[0].get("description", ""))
            para = nodes.paragraph()
            para += addnodes.pending_xref(
                "", nodes.inline("", docname), refdomain="std", reftype="doc",
                reftarget=f"/{docname}", refexplicit=False, refwarn=True,
                refdoc=self.env.docname,
            )  # fmt: skip
            if description:
                para += nodes.Text(f": {description}")
            guide += nodes.list_item("", para)
        only = addnodes.only(expr="html")
        only += guide
        return [only]


def setup(app: Sphinx) -> None:
    """Register "How to cite" and the page guide."""
    # Where CITATION.cff is, relative to the docs folder.
    app.add_config_value("brief_citation_file", f"../{CITATION_FILE}", "env", str)
    app.add_directive("how-to-cite", HowToCiteDirective)
    app.add_directive("page-guide", PageGuideDirective)
