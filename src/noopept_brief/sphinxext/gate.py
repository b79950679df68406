"""The output gate in every build: the resolved doctree, the written HTML, the PDF's source.

The source rules (:mod:`.source_warnings`) give early, precise messages; this is the
second line of defence, on what the build produced. It allows only what it
knows and warns about the rest, so ``-W`` fails:

* every resolved doctree, in every builder (HTML and the PDF's Typst alike):
  only the node types in :data:`NODES` (the Typst translator prints exactly
  these, and refuses any other); no raw node, no download, no file read from
  outside the brief; every URL through the allowlist; every class one that
  ``core/markdown/markup.toml`` lists (:func:`check_read` refuses ``only``,
  raw and math nodes as the page is read, before they resolve away);
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

from ..core import PDF_NAME
from ..core.build.hosting import base_url
from ..core.claim.export import CLAIMS_JSON
from ..core.markdown.allowed_markup import refused_class
from ..core.markdown.allowlist import refused_url
from ..core.markdown.content_rules import check_read_text, check_text
from ..core.markdown.disclaimer import read_disclaimer
from ..core.output.assets import check_static
from ..core.output.pdf_text import check_pdf
from ..core.rules import Rule
from ..core.violations import Violation
from .page_gate import gate_of
from .source_warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The node types a resolved page may hold: what the brief's allowed markup
#: (core/markdown/markup.toml), Sphinx, MyST, sphinxcontrib-bibtex and the
#: project's own directives make, measured on the brief's own builds (HTML and
#: PDF). Any other type (math, only, raw, topic, sidebar, line blocks, the
#: note/warning family...) is refused until it is reviewed and added here.
NODES = frozenset(
    [
        # text and structure
        "Text", "document", "section", "title", "paragraph", "inline",
        "reference", "target", "strong", "emphasis", "literal", "comment",
        "compound", "container", "compact_paragraph", "start_of_file",
        "transition", "block_quote", "literal_block", "rubric",
        # lists and tables (Markdown, the evidence map)
        "bullet_list", "enumerated_list", "list_item", "definition_list",
        "definition_list_item", "term", "definition", "table", "tgroup",
        "colspec", "thead", "tbody", "row", "entry",
        # admonition (record notes, key points, the disclaimer), figures
        "admonition", "image", "figure", "caption", "legend",
        # citations and footnotes (sphinxcontrib-bibtex, Markdown)
        "citation", "label", "footnote", "footnote_reference", "bibliography",
        # cross-references and navigation
        "pending_xref", "number_reference", "toctree",
        # the project's own
        "claim_node", "evidence_map_node", "unverified_claims_node",
        # Sphinx's own report of a problem (a warning is already out)
        "system_message", "problematic",
    ]
)  # fmt: skip
#: Node types that vanish or change before a page is resolved, so the gate
#: also refuses them as the page is read: ``only`` (one text for the website,
#: another for the PDF), raw output, math.
READ_REFUSED = frozenset({"only", "raw", "math", "math_block"})
#: Deepest node nesting a page may reach.
MAX_DEPTH = 50


def located(node: nodes.Node) -> tuple[str, int] | None:
    """(file, line) of a node: its own, or its nearest ancestor's, if any."""
    current: nodes.Node | None = node
    while current is not None and not (current.source and current.line):
        current = current.parent
    return None if current is None else (str(current.source), int(current.line))


def _where(node: nodes.Node, docname: str, app: Sphinx) -> tuple[str, int]:
    return located(node) or (str(app.env.doc2path(docname)), 1)


def _refuse(where: tuple[str, int], rule: Rule, message: str) -> None:
    path, line = where
    warn(Violation(path, line, rule, message), f"{path}:{line}")


def check_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: every node of the page, against the allowlists."""
    srcdir = Path(app.srcdir).resolve()
    # One walk, in page order, for the nodes and the depth (this runs on every
    # page in the main process, where each walk of a tree costs).
    depth, stack = 0, [(doctree, 0)]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        if isinstance(node, nodes.Element):
            stack.extend((child, level + 1) for child in reversed(node.children))
        kind = type(node).__name__
        if kind not in NODES or isinstance(node, nodes.raw):
            _refuse(_where(node, docname, app), Rule.BUILT_NODE,
                    f"the built page holds a {kind} node, which the brief does "
                    "not allow (sphinxext/gate.py, NODES). Write the content in "
                    "plain MyST: text, claims, lists, admonitions, links.")  # fmt: skip
            continue
        if isinstance(node, nodes.Element):
            for name in node.get("classes", ()):
                if why := refused_class(name, kind):
                    _refuse(_where(node, docname, app), Rule.MARKUP,
                            f"a {kind} node of the built page: {why}. "
                            "Use an admonition with a class from "
                            "core/markdown/markup.toml, or plain text.")  # fmt: skip
        if isinstance(node, nodes.reference) and node.get("refuri"):
            if why := refused_url(node["refuri"], app.config.html_baseurl or ""):
                _refuse(_where(node, docname, app), Rule.BUILT_LINK, why)
        elif isinstance(node, nodes.image):
            uri = node.get("uri", "")
            inside = Path(app.srcdir, uri.lstrip("/")).resolve()
            if ":" in uri or not inside.is_relative_to(srcdir):
                _refuse(_where(node, docname, app), Rule.BUILT_LINK,
                        f"the image {uri!r} is not a file of the brief. Put the "
                        "image under docs/ and refer to it by its path.")  # fmt: skip
        elif isinstance(node, nodes.literal_block) and node.get("source"):
            _refuse(_where(node, docname, app), Rule.FILE_INSERTION,
                    "this code block was read from a file. Write its text in the page.")  # fmt: skip
    if depth > MAX_DEPTH:
        _refuse((str(app.env.doc2path(docname)), 1), Rule.LIMITS,
                f"the page nests blocks {depth} deep (at most {MAX_DEPTH}). "
                "Flatten it: directives inside directives inside directives "
                "do not help readers.")  # fmt: skip


def check_read(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the nodes that vanish or change before the page is
    resolved (an ``{only}`` for another format, math), refused as read."""
    docname = app.env.docname
    for node in doctree.findall(nodes.Element):
        kind = type(node).__name__
        if kind in READ_REFUSED:
            _refuse(_where(node, docname, app), Rule.MARKUP,
                    f"the page holds a {kind} node, which the brief does not "
                    "allow: it could show one text to the website and another "
                    "to the PDF, or print commands into the PDF. Write plain "
                    "MyST (core/markdown/markup.toml lists what pages may use).")  # fmt: skip


#: What :func:`check_claims_json` found, by file and the SHA-256 of its text:
#: the same text gives the same findings, so a parallel build has it read
#: before the file is written (claims_json.make_beside_writing), and the
#: written file, read back at the end, is judged by its own bytes.
_claims_found: dict[tuple[str, str], list[Violation]] = {}


def _claims_key(path: Path, text: str) -> tuple[str, str]:
    import hashlib

    return str(path), hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember_claims_json(path: Path, text: str, found: list[Violation]) -> None:
    """What :func:`check_claims_json` found in ``text`` for ``path``, in
    another process: given to this one's gate."""
    if len(_claims_found) >= 8:
        _claims_found.clear()
    _claims_found[_claims_key(path, text)] = list(found)


def check_claims_json(path: Path, text: str | None = None) -> list[Violation]:
    """claims.json, as other tools read it: every string through the content
    and reader-text rules (issue 20). ``text``: the file's text, when it is
    not written yet; otherwise it is read from ``path``."""
    import json

    if text is None:
        if not path.is_file():
            return []
        text = path.read_text(encoding="utf-8")
    key = _claims_key(path, text)
    if key in _claims_found:
        return list(_claims_found[key])
    strings, stack = [], [json.loads(text)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            strings.append(value)
    # Each distinct string once: a large brief repeats its keys, statuses and
    # sources thousands of times (18,000 distinct of 89,000 at 400 pages).
    joined = "\n".join(dict.fromkeys(strings))
    found = check_read_text(joined, str(path), 1, "a text in claims.json")
    remember_claims_json(path, text, found)
    return found


def check_output(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: the HTML pages this build did not write (the written
    ones were checked as they were written), the ``_static`` files, or the
    Typst file of the PDF. (The sources' static files are checked with the
    sources, :mod:`.source_warnings`.)"""
    if exception is not None:
        return
    docs = Path(app.srcdir)
    if app.builder.format == "html":
        found = gate_of(app).finish()
        found += check_static(Path(app.outdir), docs)
        found += check_claims_json(Path(app.outdir, CLAIMS_JSON))
        for violation in found:
            warn(violation, f"{violation.path}:{violation.line}")
    elif app.builder.format == "typst":
        for typ in sorted(Path(app.outdir).glob("*.typ")):
            if typ.name == "handout.typ":  # the layout, not the brief's text
                continue
            for violation in check_typst(typ.read_text(encoding="utf-8"), str(typ)):
                warn(violation, f"{violation.path}:{violation.line}")
        # What the reader gets: the PDF's own text, footers included (issue 20).
        pdf = Path(app.outdir, PDF_NAME)
        if pdf.is_file():
            for violation in check_pdf(pdf, read_disclaimer(docs)):
                warn(violation, f"{violation.path}:{violation.line}")


_TYPST_LINK = re.compile(r'#link\("((?:[^"\\]|\\.){0,4096})"\)')
#: Typst markup that is not text: code calls, labels, content brackets.
_TYPST_MARKUP = re.compile(r"#[A-Za-z][\w.-]{0,64}|<[\w.:-]{1,300}>|(?<!\\)[\[\]]")
_TYPST_ESCAPE = re.compile(r"\\(.)")


def _unescaped(text: str) -> str:
    # A function, not the template r"\1": Python 3.11 expands a template in
    # Python for each match, four times slower on a run of escapes.
    return _TYPST_ESCAPE.sub(lambda match: match[1], text)


def check_typst(source: str, path: str, base: str = "") -> list[Violation]:
    """The PDF's Typst source: every link through the allowlist, the content
    rules over its text (escapes read back, markup left out)."""
    problems = []
    for match in _TYPST_LINK.finditer(source):
        url = _unescaped(match[1])
        if why := refused_url(url, base or base_url({})):
            line = source.count("\n", 0, match.start()) + 1
            problems.append(Violation(path, line, Rule.BUILT_LINK, why))
    text = _unescaped(_TYPST_MARKUP.sub(" ", source))
    problems += check_text(text, path, 1)
    return problems
