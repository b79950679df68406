"""What a LaTeX run left behind: its log's findings, and whether it finished.

Two jobs, without Sphinx or TeX:

* :func:`log_findings` reads a XeLaTeX log and lists what the PDF build must
  not pass unseen: undefined references and citations, overfull boxes wider
  than :data:`OVERFULL_TOLERANCE_PT`, font substitutions and missing glyphs,
  and package warnings the project can fix. Each finding names the ``.tex``
  line it comes from, where the log says it. ``noopept-brief texlog`` (the
  nox ``pdf`` session's last step) fails on any.
* :func:`unfinished_run` says why latexmk's files in ``build/latex`` cannot
  be trusted (a run stopped by Ctrl-C, a kill or a full disk), so the next
  build removes them (:func:`remove_run_state`) instead of failing for good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Overfull boxes up to this many points too wide are invisible in print.
OVERFULL_TOLERANCE_PT = 1.0

#: Package warnings that are not the project's to fix, each with its reason.
#: (None today: every package warning the handout gave had a fix.)
IGNORED_PACKAGE_WARNINGS: dict[str, str] = {}

#: What latexmk and XeLaTeX keep between runs; a stopped run can leave any of
#: them half written. The .tex file and Sphinx's support files are not here.
RUN_STATE_SUFFIXES = (
    ".aux", ".fdb_latexmk", ".fls", ".log", ".toc", ".out", ".xdv", ".idx",
    ".ind", ".ilg", ".lof", ".lot", ".pdf",
)  # fmt: skip

#: The last line LaTeX writes to the .aux file, at the end of a whole run.
_AUX_END = re.compile(r"^\\gdef ?\\@abspage@last\{\d+\}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    """One problem in a LaTeX log: what it is, at which .tex line, and the fix."""

    kind: str
    message: str
    line: int | None
    fix: str

    def report(self, tex: Path, tex_lines: list[str], times: int = 1) -> str:
        """One line with the place and the fix, then the offending .tex line."""
        where = f"{tex}:{self.line}" if self.line else str(tex)
        count = f" ({times} times)" if times > 1 else ""
        text = f"{where}: {self.kind}{count}: {self.message.rstrip('.:')}. {self.fix}"
        if self.line and 0 < self.line <= len(tex_lines):
            text += f"\n    {self.line} | {tex_lines[self.line - 1].rstrip()[:200]}"
        return text


_FIXES = {
    "undefined reference": "Point the reference at a label that exists "
    "(the -n HTML build names it too), then build the PDF again.",
    "undefined citation": "Cite a key that is in docs/refs.bib.",
    "overfull box": "Shorten or break the text there (a long URL, code or "
    "table cell), or let the table wrap (a :widths: or tabularcolumns).",
    "font substitution": "Use a font the handout loads (conf.py, "
    "latex_elements['fontpkg']), or drop the character.",
    "missing glyph": "The handout's fonts have no glyph for it: replace the "
    "character, or load a font that has it (conf.py, latex_elements['fontpkg']).",
    "package warning": "Fix what the package asks for (conf.py, "
    "latex_elements), or list it in noopept_brief.core.texlog."
    "IGNORED_PACKAGE_WARNINGS with the reason it cannot be fixed.",
    "labels changed": "latexmk stopped before the cross-references settled: "
    "build again, or raise $max_repeat.",
}

_INPUT_LINE = re.compile(r"on input line (\d+)")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("undefined reference", re.compile(r"LaTeX Warning: (Reference `[^']*' on page \S+ undefined)")),
    ("undefined citation", re.compile(r"LaTeX Warning: (Citation `[^']*' on page \S+ undefined)")),
    ("font substitution", re.compile(r"LaTeX Font Warning: (Font shape `[^']*' undefined.*)")),
    ("missing glyph", re.compile(r"^(Missing character: There is no .*)$")),
    ("labels changed", re.compile(r"LaTeX Warning: (Label\(s\) may have changed)")),
]  # fmt: skip
_OVERFULL = re.compile(
    r"^Overfull \\([hv])box \((\d+(?:\.\d+)?)pt too (?:wide|high)\)"
    r"(?: in paragraph at lines (\d+)--\d+| detected at line (\d+)|.*)"
)
_PACKAGE = re.compile(r"^Package (\S+) Warning: (.*)$")


def _whole_message(lines: list[str], start: int, first: str, package: str) -> str:
    """A package warning with its "(package)  ..." continuation lines."""
    parts = [first.strip()]
    for line in lines[start + 1 :]:
        if not line.startswith(f"({package})"):
            break
        parts.append(line[len(package) + 2 :].strip())
    return " ".join(p for p in parts if p)


def log_findings(log: str) -> list[Finding]:
    r"""Every finding in a LaTeX log, in the order the log gives them.

    >>> [(f.kind, f.line) for f in log_findings(
    ...     "LaTeX Warning: Reference `x:y' on page 3 undefined on input line 42.")]
    [('undefined reference', 42)]

    Small overfull boxes are tolerated; wider ones are not:

    >>> log_findings(r"Overfull \hbox (0.5pt too wide) in paragraph at lines 7--8")
    []
    >>> [f.line for f in log_findings(r"Overfull \hbox (12.0pt too wide) in paragraph at lines 7--8")]
    [7]

    A package warning is read with its continuation lines:

    >>> [f.message for f in log_findings(
    ...     "Package fancyhdr Warning: \\headheight is too small (12.0pt):\n"
    ...     "(fancyhdr)   Make it at least 13.6pt.")]
    ['fancyhdr: \\headheight is too small (12.0pt): Make it at least 13.6pt.']
    """
    lines = log.splitlines()
    found: list[Finding] = []
    for n, line in enumerate(lines):
        if overfull := _OVERFULL.match(line):
            size = float(overfull[2])
            if size > OVERFULL_TOLERANCE_PT:
                at = overfull[3] or overfull[4]
                found.append(Finding(
                    "overfull box",
                    f"\\{overfull[1]}box {size}pt too "
                    + ("wide" if overfull[1] == "h" else "high"),
                    int(at) if at else None, _FIXES["overfull box"],
                ))  # fmt: skip
            continue
        if package := _PACKAGE.match(line):
            name = package[1]
            message = _whole_message(lines, n, package[2], name)
            if any(
                re.search(p, f"{name}: {message}") for p in IGNORED_PACKAGE_WARNINGS
            ):
                continue
            at = _INPUT_LINE.search(message)
            found.append(Finding(
                "package warning", f"{name}: {message}",
                int(at[1]) if at else None, _FIXES["package warning"],
            ))  # fmt: skip
            continue
        for kind, pattern in _PATTERNS:
            if match := pattern.search(line):
                at = _INPUT_LINE.search(line)
                found.append(
                    Finding(kind, match[1], int(at[1]) if at else None, _FIXES[kind])
                )
                break
    return found


def check_log(log_file: Path) -> list[str]:
    """The findings of one LaTeX log, each reported at its .tex line.

    An absent log is a finding too: the gate must not pass for want of a log.
    """
    if not log_file.is_file():
        return [f"{log_file}: no LaTeX log. Build the PDF first: python3 -m nox -s pdf"]
    # TeX writes its log in the input's encoding, or bytes where it could not.
    log = log_file.read_text(encoding="utf-8", errors="replace")
    tex = log_file.with_suffix(".tex")
    tex_lines = (
        tex.read_text(encoding="utf-8", errors="replace").splitlines()
        if tex.is_file()
        else []
    )
    counted: dict[Finding, int] = {}
    for finding in log_findings(log):
        counted[finding] = counted.get(finding, 0) + 1
    return [finding.report(tex, tex_lines, n) for finding, n in counted.items()]


# -- A run stopped midway ------------------------------------------------------


def unfinished_run(latex_dir: Path, name: str) -> str | None:
    r"""Why latexmk's files for ``name`` cannot be trusted, or None if they can.

    A run that finished leaves an .aux that ends with LaTeX's last line, a
    log that says where the output went, and a whole PDF. No files at all is
    a first build, and fine.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> unfinished_run(folder, "doc") is None
    True
    >>> _ = (folder / "doc.aux").write_text(r"\newlabel{a}{{1}", encoding="utf-8")
    >>> unfinished_run(folder, "doc")
    'doc.aux is cut short (no \\@abspage@last line)'
    """
    state = [latex_dir / f"{name}{suffix}" for suffix in RUN_STATE_SUFFIXES]
    if not any(path.exists() for path in state):
        return None
    aux, log, pdf = (latex_dir / f"{name}{s}" for s in (".aux", ".log", ".pdf"))
    try:
        if not _AUX_END.search(aux.read_text(encoding="utf-8", errors="replace")):
            return f"{aux.name} is cut short (no \\@abspage@last line)"
        if f"Output written on {pdf.name}" not in log.read_text(
            encoding="utf-8", errors="replace"
        ):
            return f"{log.name} does not record a finished run"
        with pdf.open("rb") as handle:
            handle.seek(max(pdf.stat().st_size - 1024, 0))
            if b"%%EOF" not in handle.read():
                return f"{pdf.name} is cut short (no %%EOF)"
    except OSError as error:  # a file is missing
        return f"{Path(error.filename or '?').name} is missing"
    return None


def remove_run_state(latex_dir: Path, name: str) -> list[str]:
    """Remove latexmk's and XeLaTeX's files for ``name``; return their names."""
    removed = []
    for suffix in RUN_STATE_SUFFIXES:
        path = latex_dir / f"{name}{suffix}"
        if path.exists():
            path.unlink()
            removed.append(path.name)
    return removed
