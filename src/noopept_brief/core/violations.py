"""One broken rule (:class:`Violation`), and how it reaches a person.

Every check in the package returns violations; this module shows them on the
terminal (:func:`report`, for the command line) and, under GitHub Actions, as
``::error`` annotations on the pull request's diff line. The Sphinx layer
turns the same violations into warnings (``sphinxext.source_warnings.warn``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .rules import Rule

# -- Violations ----------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One broken rule: where it is, which rule, and what to do about it.

    What code decides on is a field, never the message's words: ``fatal``
    (nothing can read the file, so the build stops here) and ``subject``
    (the words or URL on the page the problem is about, to find its line).
    """

    path: str
    line: int
    rule: Rule
    message: str
    fatal: bool = field(default=False, kw_only=True)
    subject: str = field(default="", kw_only=True)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"

    def annotation(self) -> str:
        """The violation as a GitHub Actions error annotation, shown on the diff line.

        >>> print(Violation("docs/a.md", 3, Rule.DISCLAIMER, "Fix: this,\\nthat.").annotation())
        ::error file=docs/a.md,line=3,title=disclaimer::Fix: this,%0Athat.
        """
        return (
            f"::error file={_annotation_value(_repo_relative(self.path))},"
            f"line={self.line},title={_annotation_value(self.rule)}::"
            f"{_annotation_data(self.message)}"
        )


# -- GitHub Actions annotations ------------------------------------------------
# Under GitHub Actions (GITHUB_ACTIONS=true) every violation is also printed as
# an `::error` workflow command, so the contributor sees it on the diff line.


def _annotation_data(text: str) -> str:
    """Escape a workflow command's message (GitHub's own rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_value(text: str) -> str:
    """Escape a workflow command's property, where ``:`` and ``,`` are separators."""
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


def relative(path: str | Path, root: Path | None) -> str:
    """``path`` relative to ``root`` as messages name it, or as given when it
    is outside ``root`` (or ``root`` is None).

    >>> relative(Path("/repo/docs/a.md"), Path("/repo")), relative("/elsewhere/b", Path("/repo"))
    ('docs/a.md', '/elsewhere/b')
    """
    if root is None:
        return str(path)
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _repo_relative(path: str) -> str:
    """A path relative to the checkout, which is what annotations must name."""
    return relative(path, Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd()))


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def report(violations: Iterable[Violation]) -> int:
    """Print violations (and, under GitHub Actions, annotations); count them."""
    count = 0
    for violation in violations:
        count += 1
        print(violation, file=sys.stderr)
        if in_github_actions():
            print(violation.annotation(), flush=True)
    return count
