"""The output gate in every build: the resolved doctree, the written HTML, the PDF's source.

The source rules (:mod:`.source_warnings`) give early, precise messages; this is the
second line of defence, on what the build produced. It allows only what it
knows and warns about the rest, so ``-W`` fails:

* every resolved doctree, in every builder (HTML and the PDF's Typst alike):
  only the node types in :data:`NODES` (the Typst translator prints exactly
  these, and refuses any other); no raw node, no download, no file read from
  outside the brief; every URL through the allowlist; math only with the
  commands in :data:`MATH_COMMANDS` (``\\href``, ``\\input`` and the rest
  could link out or read a file in the PDF);
* every HTML page as it is written (:class:`PageGate`, with
  :func:`core.output.site.check_html`), the pages of the output folder this
  build did not write, and every ``_static/`` file;
* the Typst file the PDF is made from: every ``#link`` through the
  allowlist, and the content rules over its text.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes

from ..core.build.hosting import base_url
from ..core.markdown.allowlist import refused_url
from ..core.markdown.content_rules import check_text
from ..core.markdown.parse import pages
from ..core.output.assets import check_assets
from ..core.output.site import (
    Expected,
    check_html,
    check_markup,
    check_static,
    located,
    own_urls,
    parse,
    site_pages,
)
from ..core.rules import Rule
from ..core.violations import Violation
from ._upstream import watch_rendered_pages
from .source_warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: The node types a resolved page may hold: what the brief's pages, Sphinx,
#: MyST, sphinxcontrib-bibtex and the project's own directives make. Any
#: other type is refused until it is reviewed and added here.
NODES = frozenset(
    [
        "Text",
        "document",
        "section",
        "title",
        "subtitle",
        "paragraph",
        "inline",
        "reference",
        "target",
        "strong",
        "emphasis",
        "literal",
        "bullet_list",
        "enumerated_list",
        "list_item",
        "definition_list",
        "definition_list_item",
        "term",
        "definition",
        "admonition",
        "note",
        "warning",
        "tip",
        "important",
        "caution",
        "attention",
        "hint",
        "danger",
        "error",
        "seealso",
        "compound",
        "comment",
        "container",
        "table",
        "tgroup",
        "colspec",
        "thead",
        "tbody",
        "row",
        "entry",
        "citation",
        "label",
        "caption",
        "rubric",
        "title_reference",
        "footnote",
        "footnote_reference",
        "block_quote",
        "line_block",
        "line",
        "transition",
        "topic",
        "math",
        "math_block",
        "image",
        "figure",
        "legend",
        "literal_block",
        "toctree",
        "compact_paragraph",
        "only",
        "pending_xref",
        "number_reference",
        "abbreviation",
        "subscript",
        "superscript",
        "start_of_file",
        "index",
        "productionlist",
        "glossary",
        "versionmodified",
        "claim_node",
        "evidence_map_node",
        "unverified_claims_node",
        "bibliography",
        "system_message",
        "problematic",
    ]
)
#: TeX commands math may use; anything else (\\href, \\url, \\input, \\def,
#: \\catcode, \\write...) is refused.
MATH_COMMANDS = frozenset(
    [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "rho",
        "sigma",
        "tau",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Phi",
        "Psi",
        "Omega",
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "times",
        "cdot",
        "pm",
        "mp",
        "div",
        "leq",
        "geq",
        "le",
        "ge",
        "neq",
        "approx",
        "sim",
        "simeq",
        "propto",
        "infty",
        "sum",
        "prod",
        "int",
        "partial",
        "nabla",
        "left",
        "right",
        "mathrm",
        "mathbf",
        "mathit",
        "text",
        "textrm",
        "log",
        "ln",
        "exp",
        "min",
        "max",
        "lim",
        "to",
        "rightarrow",
        "leftarrow",
        "Rightarrow",
        "leftrightarrow",
        "ldots",
        "cdots",
        "quad",
        "qquad",
        "circ",
        "degree",
        "prime",
        "mathcal",
        "operatorname",
        "langle",
        "rangle",
        "lvert",
        "rvert",
        "vert",
    ]
)
_TEX_COMMAND = re.compile(r"\\([A-Za-z]{1,64})")
#: Deepest node nesting a page may reach.
MAX_DEPTH = 50


def _where(node: nodes.Node, docname: str, app: Sphinx) -> str:
    """``file:line`` of a node: its own, or its nearest ancestor's."""
    current: nodes.Node | None = node
    while current is not None and not (current.source and current.line):
        current = current.parent
    if current is not None:
        return f"{current.source}:{current.line}"
    return f"{app.env.doc2path(docname)}:1"


def _refuse(app: Sphinx, location: str, rule: Rule, message: str) -> None:
    path, _, line = location.rpartition(":")
    warn(Violation(path, int(line or 1), rule, message), location)


def check_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: every node of the page, against the allowlists."""
    srcdir = Path(app.srcdir).resolve()
    for node in doctree.findall(nodes.Node):
        kind = type(node).__name__
        if kind not in NODES or isinstance(node, nodes.raw):
            _refuse(app, _where(node, docname, app), Rule.BUILT_NODE,
                    f"the built page holds a {kind} node, which the brief does "
                    "not allow (sphinxext/gate.py, NODES). Write the content in "
                    "plain MyST: text, claims, lists, admonitions, links.")  # fmt: skip
            continue
        if isinstance(node, nodes.reference) and node.get("refuri"):
            if why := refused_url(node["refuri"], app.config.html_baseurl or ""):
                _refuse(app, _where(node, docname, app), Rule.BUILT_LINK, why)
        elif isinstance(node, nodes.image):
            uri = node.get("uri", "")
            inside = Path(app.srcdir, uri.lstrip("/")).resolve()
            if ":" in uri or not inside.is_relative_to(srcdir):
                _refuse(app, _where(node, docname, app), Rule.BUILT_LINK,
                        f"the image {uri!r} is not a file of the brief. Put the "
                        "image under docs/ and refer to it by its path.")  # fmt: skip
        elif isinstance(node, nodes.literal_block) and node.get("source"):
            _refuse(app, _where(node, docname, app), Rule.FILE_INSERTION,
                    "this code block was read from a file. Write its text in the page.")  # fmt: skip
        elif isinstance(node, (nodes.math, nodes.math_block)):
            unknown = sorted(
                {m for m in _TEX_COMMAND.findall(node.astext())} - MATH_COMMANDS
            )
            if unknown:
                _refuse(app, _where(node, docname, app), Rule.BUILT_NODE,
                        f"the math uses \\{unknown[0]}, which can link out, read "
                        "a file or redefine the PDF. Write plain notation "
                        "(gate.py, MATH_COMMANDS).")  # fmt: skip
    depth = _depth(doctree)
    if depth > MAX_DEPTH:
        _refuse(app, f"{app.env.doc2path(docname)}:1", Rule.LIMITS,
                f"the page nests blocks {depth} deep (at most {MAX_DEPTH}). "
                "Flatten it: directives inside directives inside directives "
                "do not help readers.")  # fmt: skip


def _depth(doctree: nodes.Node) -> int:
    deepest, stack = 0, [(doctree, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, nodes.Element):
            stack.extend((child, level + 1) for child in node.children)
    return deepest


def check_output(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the HTML pages this build did not write (the written
    ones were checked as they were written), the ``_static`` files, or the
    Typst file of the PDF."""
    if exception is not None:
        return
    docs = Path(app.srcdir)
    for violation in check_assets(docs, None):
        warn(violation, f"{violation.path}:{violation.line}")
    if app.builder.format == "html":
        found = _gate(app).finish()
        found += check_static(Path(app.outdir), docs)
        for violation in found:
            warn(violation, f"{violation.path}:{violation.line}")
    elif app.builder.format == "typst":
        for typ in sorted(Path(app.outdir).glob("*.typ")):
            if typ.name == "handout.typ":  # the layout, not the brief's text
                continue
            for violation in check_typst(typ.read_text(encoding="utf-8"), str(typ)):
                warn(violation, f"{violation.path}:{violation.line}")


# -- HTML pages, checked as they are written -----------------------------------
# The gate reads each page once, from the string the builder is about to write
# (no second read from disk), and the navigation tree every page carries once
# per folder: a page then costs what its own content costs, and the build grows
# linearly. A page this build did not write is checked at the end unless it is
# the very file that passed the gate before (its SHA-256 in the ledger).

#: The pages that passed the gate, by SHA-256, kept beside the doctrees.
LEDGER = "brief-gate.json"


class PageGate:
    """The output gate of one HTML build."""

    def __init__(self, app: Sphinx) -> None:
        docs = Path(app.srcdir)
        self.app = app
        self.expected = Expected(docs)
        self.brief = {
            p.relative_to(docs).with_suffix("").as_posix() for p in pages(docs)
        }
        self.own = own_urls(
            app.config.html_baseurl or "", app.config.html_theme_options
        )
        self.suffix = app.builder.out_suffix
        #: Folders whose navigation tree is checked (links are relative to it).
        self.navigation: set[str] = set()
        #: Pages written by this build, and the SHA-256 of those that passed.
        self.written: set[str] = set()
        self.passed: dict[str, str] = {}

    def _source(self, pagename: str, page: str) -> str:
        env = self.app.env
        if pagename in env.found_docs:
            return str(env.doc2path(pagename))
        return str(Path(self.app.outdir, page))

    def page_written(self, context: dict[str, Any], output: str) -> None:
        """Check one page from the HTML the builder writes."""
        pagename = context["pagename"]
        page = f"{pagename}{self.suffix}"
        shown = self._source(pagename, page)
        navigation = context.get("furo_navigation_tree") or ""
        found = []
        folder = posixpath.dirname(pagename)
        if navigation and folder not in self.navigation:
            # Each page marks its own branch current (classes, href="#"),
            # nothing else: one copy a folder stands for them all.
            self.navigation.add(folder)
            if (tree := parse(navigation)) is not None:
                found += check_markup(tree, page, shown, base_url=self.own)
        found += check_html(
            output, page, shown, base_url=self.own, checked=navigation,
            expected=self.expected if pagename in self.brief else None,
        )  # fmt: skip
        self.written.add(page)
        if found:
            for violation in located(found, self._resolve(shown)):
                warn(violation, f"{violation.path}:{violation.line}")
        else:
            encoding = context.get("encoding") or "utf-8"
            data = output.encode(encoding, errors="xmlcharrefreplace")
            self.passed[page] = hashlib.sha256(data).hexdigest()

    def _resolve(self, shown: str) -> Path:
        source = Path(shown)
        return source if source.is_absolute() else Path(self.app.srcdir).parent / source

    def finish(self) -> list[Violation]:
        """The pages in the output folder this build did not write: unchanged
        since they passed, or checked now. Keeps the ledger."""
        outdir = Path(self.app.outdir)
        ledger_path = Path(self.app.doctreedir, LEDGER)
        try:
            ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
            before = ledger["pages"] if ledger.get("outdir") == str(outdir) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            before = {}
        source_of = {
            f"{docname}{self.suffix}": str(self.app.env.doc2path(docname))
            for docname in self.app.env.found_docs
        }
        problems: list[Violation] = []
        for path in site_pages(outdir):
            page = path.relative_to(outdir).as_posix()
            if page in self.written:
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if before.get(page) == digest:
                self.passed[page] = digest
                continue
            shown = source_of.get(page) or str(path)
            found = check_html(
                data.decode("utf-8", errors="replace"), page, shown,
                expected=self.expected if page[: -len(self.suffix)] in self.brief else None,
                base_url=self.own,
            )  # fmt: skip
            if found:
                problems += located(found, self._resolve(shown))
            else:
                self.passed[page] = digest
        ledger_path.parent.mkdir(parents=True, exist_ok=True)
        ledger_path.write_text(
            json.dumps(
                {"outdir": str(outdir), "pages": dict(sorted(self.passed.items()))}
            ),
            encoding="utf-8",
        )
        return list(dict.fromkeys(problems))


#: One gate per builder, dropped with it.
_gates: WeakKeyDictionary[Builder, PageGate] = WeakKeyDictionary()


def _gate(app: Sphinx) -> PageGate:
    if app.builder not in _gates:
        _gates[app.builder] = PageGate(app)
    return _gates[app.builder]


def watch_html_pages(app: Sphinx) -> None:
    """builder-inited: check every HTML page as the builder writes it."""
    if app.builder.format == "html":
        _gates.pop(app.builder, None)
        watch_rendered_pages(
            app.builder, lambda ctx, html: _gate(app).page_written(ctx, html)
        )


_TYPST_LINK = re.compile(r'#link\("((?:[^"\\]|\\.){0,4096})"\)')
#: Typst markup that is not text: code calls, labels, content brackets.
_TYPST_MARKUP = re.compile(r"#[A-Za-z][\w.-]{0,64}|<[\w.:-]{1,300}>|(?<!\\)[\[\]]")
_TYPST_ESCAPE = re.compile(r"\\(.)")


def check_typst(source: str, path: str, base: str = "") -> list[Violation]:
    """The PDF's Typst source: every link through the allowlist, the content
    rules over its text (escapes read back, markup left out)."""
    problems = []
    for match in _TYPST_LINK.finditer(source):
        url = _TYPST_ESCAPE.sub(r"\1", match[1])
        if why := refused_url(url, base or base_url({})):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(Violation(path, line, Rule.BUILT_LINK, why))
    text = _TYPST_ESCAPE.sub(r"\1", _TYPST_MARKUP.sub(" ", source))
    problems += check_text(text, path, 1)
    return problems
