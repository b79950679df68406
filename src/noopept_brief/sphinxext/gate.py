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

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..core.build.hosting import base_url
from ..core.markdown.allowlist import refused_url
from ..core.markdown.content_rules import check_text
from ..core.output.assets import check_assets, check_static
from ..core.rules import Rule
from ..core.violations import Violation
from .page_gate import gate_of
from .source_warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

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
        found = gate_of(app).finish()
        found += check_static(Path(app.outdir), docs)
        for violation in found:
            warn(violation, f"{violation.path}:{violation.line}")
    elif app.builder.format == "typst":
        for typ in sorted(Path(app.outdir).glob("*.typ")):
            if typ.name == "handout.typ":  # the layout, not the brief's text
                continue
            for violation in check_typst(typ.read_text(encoding="utf-8"), str(typ)):
                warn(violation, f"{violation.path}:{violation.line}")


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
