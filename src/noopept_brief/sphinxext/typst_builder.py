"""The PDF handout: a Sphinx builder that writes one Typst document and compiles it.

``sphinx-build -b typst docs build/pdf`` (the nox ``pdf`` session) assembles
the landing page with every page of its toctrees inlined, as Sphinx's LaTeX
builder does, translates it (:mod:`.typst_translator`) into
``noopept-brief.typ`` beside the layout ``handout.typ``, and compiles both
with the ``typst`` wheel into ``noopept-brief.pdf`` (:data:`core.PDF_NAME`):

* Typst's root is the output folder: the document can read no file outside
  it, and Typst has no shell escape;
* only Typst's own embedded fonts, never the machine's, so every machine
  gives the same bytes; the creation date is ``SOURCE_DATE_EPOCH`` (conf.py
  sets it from the last commit);
* tagged PDF/UA-1 (``pdf_standards=["ua-1"]``): title, language, headings,
  reading order, table headers, alt text.

What the front page says (the edition block, the key points, the disclaimer
in full, once) and every footer's short disclaimer and "Version ... page N
of M" come from :func:`noopept_brief.core.edition` and the one disclaimer
snippet. Pages that speak only to the site's readers are left out:
``brief_handout_exclude`` in conf.py (:data:`WEB_ONLY`) names them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.console import darkgreen
from sphinx.util.nodes import inline_all_toctrees

from ..core import PDF_NAME, edition, read_disclaimer
from ..core.output.typst_text import escape, label, string
from ._upstream import sitemap_left_out
from .typst_translator import TypstTranslator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The layout, copied beside the document into the output folder.
LAYOUT = Path(__file__).with_name("handout.typ")
#: The pages left out of the handout by default: the site's accessibility
#: statement (about the site in a browser) and "What changed" (a comparison
#: of the published claims.json, which only the site publishes).
WEB_ONLY = ("accessibility", "what-changed")
DESCRIPTION = (
    "A research-context brief on Noopept: the published evidence and its limits"
)
SUBTITLE = "A handout on the published evidence and its limits"
KEYWORDS = ("Noopept", "omberacetam", "GVS-111", "nootropics", "preclinical research")


class TypstFailed(SphinxError):
    category = "PDF handout (Typst)"


class TypstBuilder(Builder):
    """Write the whole brief as one Typst document, then compile it to PDF."""

    name = "typst"
    format = "typst"
    epilog = "The PDF handout is in %(outdir)s."
    supported_image_types: ClassVar[list[str]] = [
        "image/svg+xml",
        "image/png",
        "image/jpeg",
    ]
    default_translator_class = TypstTranslator  # type: ignore[assignment]

    def init(self) -> None:
        # Before builder-inited, where sphinx-sitemap would start a manager
        # process for a sitemap of HTML pages that this build does not write.
        sitemap_left_out(self.events)

    def get_outdated_docs(self) -> str:
        return "all documents"  # one document: written whole every time

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return "%" + docname  # read back by the translator, as the LaTeX writer does

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass  # write_documents writes the one document

    def write_documents(self, docnames: Set[str]) -> None:
        root = self.config.root_doc
        tree = self.env.get_doctree(root)
        # Pages already "traversed" are left out of the inlining.
        left_out = [
            d for d in self.config.brief_handout_exclude if d in self.env.all_docs
        ]
        tree = inline_all_toctrees(
            self, set(), root, tree, darkgreen, [root, *left_out]
        )
        tree["docname"] = root
        self.env.resolve_references(tree, root, self)
        body = TypstTranslator(self, tree).translate()
        out = Path(self.outdir)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(LAYOUT, out / LAYOUT.name)
        source = out / Path(PDF_NAME).with_suffix(".typ")
        source.write_text(self.preamble() + body, encoding="utf-8")
        self.compile(source, out / PDF_NAME)

    def preamble(self) -> str:
        """The document's head: the layout, its metadata and the front page."""
        config, srcdir = self.config, Path(self.srcdir)
        this = edition(config.release, os.environ, srcdir)
        disclaimer = read_disclaimer(srcdir)
        rows = [
            ("Version", this.version),
            ("Date", this.date),
            *([("Commit", this.commit)] if this.commit else []),
            *([("Online", this.url)] if this.url else []),
            ("Licence", this.licence),
            ("Cite as", this.citation(config.author, config.project)),
        ]
        edition_grid = ", ".join(f"[*{escape(k)}*], [{escape(v)}]" for k, v in rows)
        keywords = ", ".join(map(string, KEYWORDS))
        return f"""#import "{LAYOUT.name}": *
#show: handout.with(
  title: [{escape(config.project)}],
  authors: ({string(config.author)},),
  keywords: ({keywords},),
  description: [{escape(DESCRIPTION)}],
  lang: {string(config.language or "en")},
  version: [Version {escape(this.version)}, {escape(this.date)}],
  short: [{escape(disclaimer.title)}],
  running: [{escape(config.project)}],
)
#let front-page(points) = {{
  block(below: 1.2em)[
    #std.title() // the document's title (tagged Title), set by handout()
    #v(0.3em) #text(size: 13pt)[{escape(SUBTITLE)}] \\
    #v(0.2em) {escape(config.author)}
  ]
  set text(size: 9.5pt)
  grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.55em, {edition_grid})
  v(0.6em)
  points
  boxed([{escape(disclaimer.title)}], [{escape(disclaimer.body)}], weight: 1pt)
  pagebreak(weak: true)
  outline(title: [Contents])
}}
"""

    def typst_image(self, uri: str) -> str:
        """Copy an image of the brief into the output folder (Typst's root)."""
        source = Path(self.srcdir, uri.lstrip("/"))
        name = "images/" + label(source.name)
        (Path(self.outdir) / "images").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, Path(self.outdir) / name)
        return name

    def compile(self, source: Path, pdf: Path) -> None:
        import typst

        epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
        try:
            typst.compile(
                source,
                output=pdf,
                root=self.outdir,  # nothing outside the build folder is readable
                ignore_system_fonts=True,  # Typst's own fonts: the same on every machine
                font_paths=[],
                pdf_standards=["ua-1"],
                timestamp=epoch,
            )
        except typst.TypstError as error:
            # Typst quotes the whole source line; the generated lines are long.
            where = "\n".join(line[:300] for line in error.diagnostic.splitlines())
            raise TypstFailed(
                f"Typst could not compile {source}: {error.message}\n"
                f"{where}\n{' '.join(error.hints)}"
            ) from None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("brief_handout_exclude", list(WEB_ONLY), "env", list)
    app.add_builder(TypstBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
