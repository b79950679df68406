"""The PDF's Typst source: text cannot become code, and only allowed nodes print.

Every word reaches Typst through one function (core/output/typst_text.py); these
tests feed it every character Typst reads as markup and check that the PDF
prints exactly the text. The translator prints exactly the output gate's
node types and refuses any other, naming the page; the gate reads the Typst
file's links and text; Typst reads nothing outside the build folder.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DOCS
from docutils import nodes
from docutils.utils import new_document

from noopept_brief.core.output.typst_text import SPECIAL, escape, label, string
from noopept_brief.sphinxext.gate import NODES, check_typst
from noopept_brief.sphinxext.typst_builder import LAYOUT, TypstBuilder, TypstFailed
from noopept_brief.sphinxext.typst_translator import TypstTranslator, UnknownNode

#: Text that would be code, markup, a comment, a link or a label if it were
#: not escaped: every special character, at a line's start too.
HOSTILE = [
    '#read("/etc/passwd") #import "x.typ": * #set page(fill: red)',
    "$x^2$ *bold* _emph_ `raw` <label> @ref ~ \\u{41} \\ back",
    "= Heading",
    "- list item",
    "+ numbered",
    "/ Term: description",
    "1. enumerated",
    "// a comment /* and another */ https://example.org",
    "[brackets] \"double\" 'single' -- --- -? ... a.b:c",
    "line one\nline two\n\n= after a blank line\n- and a list",
    "\\#\\$ already escaped? #{1 + 1}",
]
#: Text right after a code call (a link, a label): none of it may join the call.
AFTER_A_CALL = ["; then", "(more)", "[more]", ".method", " plain"]


def _pdf_text(source: str, tmp_path: Path) -> str:
    import typst
    from pypdf import PdfReader

    main = tmp_path / "main.typ"
    main.write_text(
        '#set document(title: [t])\n#set text(lang: "en")\n' + source, "utf-8"
    )
    data = typst.compile(
        main, root=tmp_path, ignore_system_fonts=True, pdf_standards=["ua-1"]
    )
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_prints_exactly_itself(text: str, tmp_path: Path) -> None:
    printed = _pdf_text(escape(text), tmp_path)
    assert " ".join(printed.split()) == " ".join(text.split())


@pytest.mark.parametrize("text", AFTER_A_CALL)
def test_text_after_a_link_stays_text(text: str, tmp_path: Path) -> None:
    printed = _pdf_text(
        f'#link("https://doi.org/")[{escape("A")}]{escape(text)}', tmp_path
    )
    assert printed.strip() == "A" + text


def test_every_special_character_is_escaped_and_text_never_starts_a_line() -> None:
    for char in "#$*_`<>@=-+/\\[]\"'~.:;()":
        assert char in SPECIAL
        assert escape(f"a{char}b") == f"a\\{char}b"
    assert "\n" not in escape("a\n= b\r\n- c\u2028d")
    assert escape("a\x00b\x1bc") == "abc", "control characters are dropped"
    assert escape("p.\u00a08") == "p\\.\u00a08", "a no-break space stays"


def test_strings_and_labels_cannot_break_out(tmp_path: Path) -> None:
    url = 'https://doi.org/10.1/a"); #read("/etc/passwd") ("\\'
    printed = _pdf_text(f"#link({string(url)})[{escape(url)}]", tmp_path)
    assert " ".join(printed.split()) == url
    assert label('x>#read("y")<z') == "x--read--y---z"


# -- The translator: exactly the gate's node types -----------------------------


def _translator(document: nodes.document, builder: object = None) -> TypstTranslator:
    builder = builder or SimpleNamespace(config=SimpleNamespace(root_doc="index"))
    return TypstTranslator(builder, document)  # type: ignore[arg-type]


def test_the_translator_prints_exactly_the_gates_node_types() -> None:
    handled = set(_translator(new_document("x")).handlers)
    assert handled == NODES, (
        f"only in the translator: {sorted(handled - NODES)}; "
        f"only in the gate: {sorted(NODES - handled)}"
    )


def test_an_unknown_node_is_an_error_naming_the_page() -> None:
    document = new_document("docs/page.md")
    sidebar = nodes.sidebar("", nodes.paragraph(text="aside"))
    sidebar.source, sidebar.line = "docs/page.md", 12
    document += sidebar
    with pytest.raises(UnknownNode) as error:
        _translator(document).translate()
    message = str(error.value)
    assert message.startswith("docs/page.md:12: the page holds a sidebar node")
    assert "sphinxext/gate.py, NODES" in message and "plain MyST" in message


def test_a_raw_node_never_reaches_the_pdf() -> None:
    document = new_document("docs/page.md")
    raw = nodes.raw("", '#read("/etc/passwd")', format="typst")
    raw.source, raw.line = "docs/page.md", 3
    document += nodes.paragraph("", "", raw)
    with pytest.raises(
        UnknownNode, match=r"^docs/page.md:3: the page holds a raw node"
    ):
        _translator(document).translate()


# -- The gate over the Typst file ---------------------------------------------


def test_the_gate_refuses_a_bad_link_and_dosing_text_in_the_typst_file() -> None:
    source = (
        '#import "handout.typ": *\n'
        'Fine text, with a #link("https://doi.org/10.1/x")[good link].\n'
        '#link("http://evil.example/")[bad]\n'
        "Take 10 mg daily\\.\n"
    )
    found = check_typst(source, "build/pdf/noopept-brief.typ")
    assert [(v.path, v.line) for v in found] == [
        ("build/pdf/noopept-brief.typ", 3),
        ("build/pdf/noopept-brief.typ", 1),
    ]
    assert "is not https" in found[0].message and "Write it as" in found[0].message
    assert "dosing" in found[1].message and "Rewrite" in found[1].message
    assert check_typst('#link("https://doi.org/10.1/x")[ok] Plain text\\.', "f") == []


def test_the_gate_reads_a_compiled_pdf_and_fails_it(tmp_path: Path) -> None:
    """The gate's own PDF reader (core/output/pdf_text.py, PDFium) on a real PDF:
    text placed off the page, a disclaimer printed twice, a footer without it.
    A line-end hyphen reads as the hyphen it prints, at the line's end."""
    import typst

    from noopept_brief.core.markdown.disclaimer import Disclaimer
    from noopept_brief.core.output.pdf_text import check_pdf, pdf_pages

    source = tmp_path / "bad.typ"
    source.write_text(
        '#set document(title: [t])\n#set text(lang: "en")\n'
        "#set page(width: 12cm, height: 8cm, footer: context "
        "if here().page() == 1 [Research only])\n"
        "Not advice. Read the limits. Not advice. Read the limits.\n"
        "#place(dx: -30cm)[Take 10 mg daily.]\n#pagebreak()\n"
        "No footer here. #box(width: 1.6cm)[a dose-response curve]\n",
        "utf-8",
    )
    typst.compile(source, output=tmp_path / "bad.pdf", ignore_system_fonts=True)
    pages = pdf_pages(tmp_path / "bad.pdf")
    assert "Take 10 mg daily." in pages[0] and "dose-\nresponse" in pages[1], pages
    found = check_pdf(
        tmp_path / "bad.pdf", Disclaimer("Research only", "Read the limits.")
    )
    assert [(v.line, v.rule.value) for v in found] == [
        (1, "content"), (2, "built-disclaimer"), (1, "built-disclaimer"),
    ], found  # fmt: skip
    assert "10 mg" in found[0].message and "2 times" in found[2].message


def test_a_word_the_layout_hyphenates_is_read_whole(tmp_path: Path) -> None:
    """Typst breaks "purchasing" as "pur-" and "chasing" in a narrow column:
    the gate reads the words the reader reads, and names each once."""
    import typst

    from noopept_brief.core.markdown.disclaimer import Disclaimer
    from noopept_brief.core.output.pdf_text import check_pdf, pdf_pages

    source = tmp_path / "hyphens.typ"
    source.write_text(
        '#set document(title: [t])\n#set text(lang: "en", hyphenate: true)\n'
        "#set page(footer: [Research only])\nRead the limits.\n"
        "#box(width: 1.4cm)[the purchasing and cycling schedules]\n",
        "utf-8",
    )
    typst.compile(source, output=tmp_path / "h.pdf", ignore_system_fonts=True)
    assert "pur-\nchasing" in pdf_pages(tmp_path / "h.pdf")[0]
    found = check_pdf(
        tmp_path / "h.pdf", Disclaimer("Research only", "Read the limits.")
    )
    assert [(v.line, v.rule.value, v.subject) for v in found] == [
        (1, "content", "pur-chasing"), (1, "content", "cy-cling"),
    ], found  # fmt: skip
    assert "h.pdf:1:" in str(found[1]) and "Rewrite the sentence" in str(found[1])


# -- Typst reads nothing outside the build folder ------------------------------


def test_typst_reads_no_file_outside_the_build_folder(tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    out.mkdir()
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    source = out / "doc.typ"
    source.write_text(
        '#set document(title: [t])\n#set text(lang: "en")\n#read("../secret.txt")\n',
        "utf-8",
    )
    builder = SimpleNamespace(outdir=str(out))
    with pytest.raises(TypstFailed, match="would escape the project root"):
        TypstBuilder.compile(builder, source, out / "doc.pdf")  # type: ignore[arg-type]


# -- Figures keep their alt text -----------------------------------------------


def test_a_figure_is_tagged_with_its_alt_text(tmp_path: Path) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    out = tmp_path / "pdf"
    out.mkdir()
    builder = SimpleNamespace(
        config=SimpleNamespace(root_doc="index"), srcdir=str(DOCS), outdir=str(out)
    )
    builder.typst_image = lambda uri: TypstBuilder.typst_image(builder, uri)  # type: ignore[arg-type]
    document = new_document("docs/page.md")
    alt = "The brief's icon: a page with a magnifying glass"
    document += nodes.figure(
        "",
        nodes.image(uri="_static/favicon.svg", alt=alt),
        nodes.caption("", "An icon"),
    )
    source = out / "doc.typ"
    source.write_text(
        '#set document(title: [t])\n#set text(lang: "en")\n'
        + _translator(document, builder).translate(),
        "utf-8",
    )
    TypstBuilder.compile(builder, source, out / "doc.pdf")  # type: ignore[arg-type]
    root = PdfReader(out / "doc.pdf").trailer["/Root"]
    alts, stack = [], [root["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt")))
            kids = node.get("/K")
            kids = kids.get_object() if kids is not None else None
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                stack.append(kid.get_object() if hasattr(kid, "get_object") else kid)
    assert alts == [alt]


def test_every_kind_of_block_compiles_as_tagged_pdf(tmp_path: Path) -> None:
    """One of each node type the pages may hold (issue 20: no math, note, topic,
    line block, sub- or superscript), through Typst's PDF/UA-1 checks."""
    document = new_document("docs/page.md")
    section = nodes.section("", nodes.title("", "Outer"), ids=["outer"])
    inner = nodes.section("", nodes.title("", "Inner #1"), ids=["inner"])
    section += inner
    document += section
    para = nodes.paragraph(
        "", "Text (see ",
        nodes.reference("", "inner", refid="inner"), nodes.Text(") and "),
        nodes.strong("", "bold"), nodes.emphasis("", "emph"), nodes.literal("", "`code`"),
        nodes.footnote_reference("", "1", refid="fn1"),
        nodes.reference("", "a record", refuri="https://doi.org/10.1/x"),
    )  # fmt: skip
    table = nodes.table()
    group = nodes.tgroup(cols=2)
    table += group
    group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=2)]
    group += nodes.thead(
        "", nodes.row("", *(nodes.entry("", nodes.paragraph(text=t)) for t in "AB"))
    )
    wide = nodes.entry("", nodes.paragraph(text="spans both"), morecols=1)
    group += nodes.tbody("", nodes.row("", wide))
    items = [nodes.list_item("", nodes.paragraph(text=t)) for t in ("one", "two")]
    inner += [
        para,
        nodes.bullet_list("", *items),
        nodes.enumerated_list("", *(i.deepcopy() for i in items)),
        nodes.definition_list("", nodes.definition_list_item(
            "", nodes.term("", "Term"), nodes.definition("", nodes.paragraph(text="Means")))),
        nodes.admonition("", nodes.title("", "Key points"), nodes.paragraph(text="Points")),
        nodes.block_quote("", nodes.paragraph(text="Quoted")),
        nodes.transition(),
        nodes.rubric("", "A rubric"),
        table,
        nodes.literal_block("", "@misc{key,\n  title = {A #title},\n}"),
        nodes.container("", nodes.compound("", nodes.paragraph(text="Nested"))),
        nodes.footnote("", nodes.label("", "1"), nodes.paragraph(text="A footnote"), ids=["fn1"]),
        nodes.citation("", nodes.label("", "Author, 2000"), nodes.paragraph(text="Entry"), ids=["c1"]),
        nodes.comment("", "a comment"),
        nodes.target("", "", ids=["later"]),
    ]  # fmt: skip
    source = tmp_path / "doc.typ"
    (tmp_path / "handout.typ").write_bytes(LAYOUT.read_bytes())
    source.write_text(
        '#import "handout.typ": *\n#show: handout.with(title: [t], version: [v], '
        "short: [s], running: [r])\n#let front-page(points) = points\n"
        + _translator(document).translate(),
        "utf-8",
    )
    builder = SimpleNamespace(outdir=str(tmp_path))
    TypstBuilder.compile(builder, source, tmp_path / "doc.pdf")  # type: ignore[arg-type]
    text = _pdf_text_of(tmp_path / "doc.pdf")
    for words in ("Inner #1", "spans both", "A footnote", "[Author, 2000] Entry",
                  "title = {A #title},", "Text (see inner; §1, p. 1) and"):  # fmt: skip
        assert words in text, words


def _pdf_text_of(pdf: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
