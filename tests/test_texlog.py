"""TeX's warnings fail the PDF build, as Sphinx's do the HTML build.

`noopept-brief texlog` (the nox `pdf` session's last step) reads XeLaTeX's
log: each kind of finding below fails it, at the .tex line it comes from.
latexmk's options reach latexmk through the latexmkrc every build writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from noopept_brief.core import texlog
from noopept_brief.sphinxext.latexmk import LATEXMKRC
from noopept_brief.tools.cli import main

#: One log line of each kind the gate refuses: (kind, line, .tex line).
FINDINGS = [
    ("undefined reference",
     "LaTeX Warning: Reference `limitations:limitations' on page 4 undefined on input line 3.", 3),
    ("undefined citation",
     "LaTeX Warning: Citation `nokey1999' on page 2 undefined on input line 2.", 2),
    ("overfull box",
     r"Overfull \hbox (23.4pt too wide) in paragraph at lines 4--5", 4),
    ("font substitution",
     "LaTeX Font Warning: Font shape `TU/FreeMono(0)/b/it' undefined(Font) using `TU/FreeMono(0)/b/n' instead on input line 1.", 1),
    ("missing glyph",
     "Missing character: There is no ⁂ (U+2042) in font [texgyrepagella-regular.otf]/OT:script=latn;language=dflt;mapping=tex-text;!", None),
    ("package warning",
     "Package hyperref Warning: Token not allowed in a PDF string (Unicode):\n(hyperref)                removing `\\textit' on input line 5.", 5),
]  # fmt: skip
TEX = "\\chapter{One}\nSee \\cite{nokey1999}.\n\\ref{limitations:limitations}\na very long line é\n\\section{\\textit{Five}}\n"


@pytest.mark.parametrize(
    ("kind", "log", "line"), FINDINGS, ids=[f[0] for f in FINDINGS]
)
def test_each_kind_of_finding_fails_the_gate_at_its_line(
    kind: str,
    log: str,
    line: int | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = texlog.log_findings(f"Some text\n{log}\nMore text\n")
    assert [(f.kind, f.line) for f in found] == [(kind, line)]
    (tmp_path / "doc.tex").write_text(TEX, encoding="utf-8")
    (tmp_path / "doc.log").write_text(log + "\n", encoding="utf-8")
    assert main(["texlog", str(tmp_path / "doc.log")]) == 1
    err = capsys.readouterr().err
    where = f"{tmp_path / 'doc.tex'}:{line}: " if line else f"{tmp_path / 'doc.tex'}: "
    assert err.startswith(where + kind), err
    if line:  # the offending line itself, under the message
        assert f"    {line} | {TEX.splitlines()[line - 1]}" in err


def test_small_overfull_boxes_and_clean_logs_pass(tmp_path: Path) -> None:
    log = tmp_path / "doc.log"
    log.write_text(
        "Overfull \\hbox (0.4pt too wide) in paragraph at lines 4--5\n"
        "Output written on doc.pdf (3 pages).\n", encoding="utf-8",
    )  # fmt: skip
    assert main(["texlog", str(log)]) == 0


def test_a_missing_log_fails_the_gate(tmp_path: Path) -> None:
    assert texlog.check_log(tmp_path / "none.log") == [
        f"{tmp_path / 'none.log'}: no LaTeX log. Build the PDF first: "
        "python3 -m nox -s pdf"
    ]


def test_the_handouts_log_has_nothing_to_fix(pdf_path: Path) -> None:
    findings = texlog.check_log(pdf_path.with_suffix(".log"))
    assert not findings, "\n".join(findings)


def test_latexmk_reads_the_projects_settings(pdf_path: Path) -> None:
    # sphinx-build -q gives make LATEXMKOPTS on its command line, which beats
    # any set in the environment: the settings go in latexmkrc instead.
    rc = (pdf_path.parent / "latexmkrc").read_text(encoding="utf-8")
    assert rc.endswith(LATEXMKRC), "latexmkrc lacks the project's settings"
    # max_print_line reached XeLaTeX: its log lines are no longer cut at 79.
    log = pdf_path.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert max(map(len, log.splitlines())) > 79, "the log is still wrapped"


def test_the_pdf_session_runs_the_gate_and_sets_no_latexmkopts() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert '"noopept-brief", "texlog"' in noxfile, "nox -s pdf must run the gate"
    assert '"LATEXMKOPTS":' not in noxfile, (
        "noxfile.py: a LATEXMKOPTS in the environment never reaches latexmk"
    )


def test_no_sitemap_in_the_latex_output(pdf_path: Path, html_dir: Path) -> None:
    assert (html_dir / "sitemap.xml").is_file()
    assert not (pdf_path.parent / "sitemap.xml").exists(), (
        "sphinx-sitemap wrote a sitemap of HTML pages into the LaTeX output"
    )
