"""The core's rules in Sphinx: every problem a warning located at its line.

Pages are checked as Sphinx reads them (``source-read``), included files as
they are included (``include-read``), and encodings and bib files before
anything reads them (``config-inited``). The claim rules run in the
``{claim}`` directive (:mod:`.directives`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from ..core.check import check_sources as core_check_sources
from ..core.registry import BY_RULE, CONTENT_RULES, check_page
from ..core.rules import Rule
from ..core.violations import Violation, in_github_actions
from .records import read_brief

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger("noopept_brief")


def warn(violation: Violation, location: Any) -> None:
    """Report a violation as a Sphinx warning (and, in GitHub Actions, annotate)."""
    logger.warning(
        violation.message, location=location, type="brief", subtype=violation.rule
    )
    if in_github_actions():
        print(violation.annotation(), flush=True)


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """source-read: hold each page to every page rule."""
    path = app.env.doc2path(docname)
    if Path(path).suffix != ".md":
        return
    problems = check_page(source[0], str(path), docname)
    for violation in problems:
        if BY_RULE[violation.rule].myst:
            continue  # MyST itself warns, as it reads the directive
        warn(violation, (docname, violation.line))
    if any(v.rule in (Rule.LIMITS, Rule.MARKUP) for v in problems):
        # Past a limit, or with markup the brief does not use, Sphinx and MyST
        # read a stand-in, so nothing downstream can crash or hang on the page
        # (a deep nesting, a huge citation, a toctree that globs itself).
        source[0] = (
            "# Page withheld\n\nThis page is past a limit, or uses markup the "
            "brief does not; see the build's warnings.\n"
        )


def check_include(
    app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]
) -> None:
    """include-read: an included file reaches readers too; judge what it shows.

    Whatever its name: MyST parses an included ``.html`` file as Markdown.
    """
    path = Path(app.srcdir, relative_path)
    for rule in CONTENT_RULES:
        for violation in rule(content[0], str(path), None):
            warn(violation, f"{path}:{violation.line}")


def check_sources(app: Sphinx, config: Config) -> None:
    """config-inited: check encodings, bib files and record files before
    anything reads them (:func:`noopept_brief.core.check.check_sources`: the
    registry's list of what the build checks first).

    Sphinx stops on a file that is not UTF-8, and sphinxcontrib-bibtex on a
    bib file that does not parse, each with a traceback that names no file
    or no line: stop first, with the file, the line and the fix. The stop is
    a plain exit: any exception would print Sphinx's crash report, with a
    traceback, under the warnings.
    """
    brief = read_brief(app.srcdir, config.bibtex_bibfiles or ())
    problems = core_check_sources(brief)
    for violation in problems:
        warn(violation, f"{violation.path}:{violation.line}")
    if any(v.fatal for v in problems):
        logger.error(
            "The build stops here: a source file above cannot be read. "
            "Fix it as its warning says, then build again."
        )
        raise SystemExit(1)
