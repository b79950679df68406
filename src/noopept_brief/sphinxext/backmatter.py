"""The back matter and the reader's way in: "How to cite", the landing page's
guide to the pages, and the search page's field.

* ``{how-to-cite} plain|bibtex|details``: the citation from ``CITATION.cff``
  (its one source; :mod:`noopept_brief.core.refs.cff`), as a sentence, as
  BibTeX, or as its version, date and licence.
* ``{page-guide}``: one line a page for every page in this page's toctrees:
  its title, linked, and its front-matter description (what the page
  answers), so the landing page's contents say more than the sidebar. HTML
  only: the PDF has its table of contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..core.refs.cff import CITATION_FILE, bibtex, plain_text, read_citation
from ._upstream import builder_of
from .source_warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


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


class page_guide_node(nodes.General, nodes.Element):
    """Where ``{page-guide}`` stands: filled at write time."""


#: The page metadata key that marks a page holding a guide (metadata is merged
#: from parallel readers and dropped with its page, as a domain's data is).
GUIDE_KEY = "brief_page_guide"


class PageGuideDirective(SphinxDirective):
    """```{page-guide}```: each page of this page's toctrees, with what it answers."""

    def run(self) -> list[nodes.Node]:
        self.env.metadata[self.env.docname][GUIDE_KEY] = True
        node = page_guide_node()
        self.set_source_info(node)
        return [node]


class FillPageGuide(SphinxPostTransform):
    """One line a page: its title, linked, and its front-matter description."""

    default_priority = 5  # before the references resolve

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(page_guide_node)):
            guide = nodes.bullet_list(classes=["page-guide"])
            for docname in self.env.toctree_includes.get(self.env.docname, []):
                description = self.env.metadata.get(docname, {}).get("description")
                para = nodes.paragraph()
                para += addnodes.pending_xref(
                    "", nodes.inline("", docname), refdomain="std", reftype="doc",
                    reftarget=f"/{docname}", refexplicit=False, refwarn=True,
                    refdoc=self.env.docname,
                )  # fmt: skip
                if description:
                    para += nodes.Text(f": {description}")
                guide += nodes.list_item("", para)
            node.replace_self(guide if builder_of(self.env).format == "html" else [])


def _guide_digest(env: BuildEnvironment) -> str:
    return repr(
        sorted(
            (d, str(env.metadata.get(d, {}).get("description")), env.titles[d].astext())
            for d in env.found_docs
            if d in env.titles
        )
    )


def guides_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: write the guides again when a title or description changed."""
    digest = _guide_digest(env)
    if getattr(env, "brief_guide_digest", None) == digest:
        return []
    env.brief_guide_digest = digest
    return sorted(d for d, data in env.metadata.items() if data.get(GUIDE_KEY))


def setup(app: Sphinx) -> None:
    """Register "How to cite" and the page guide."""
    # Where CITATION.cff is, relative to the docs folder.
    app.add_config_value("brief_citation_file", f"../{CITATION_FILE}", "env", str)
    app.add_directive("how-to-cite", HowToCiteDirective)
    app.add_node(page_guide_node)
    app.add_directive("page-guide", PageGuideDirective)
    app.add_post_transform(FillPageGuide)
    app.connect("env-get-updated", guides_to_rewrite)
