"""Rule *docs-file*: docs/ holds only the kinds of file its manifest lists.

``docs/content-manifest.txt`` lists every kind of file docs/ may hold, with
a reason each: the [content] kinds a content pull request may add or change
(pages, record files, raster images), and the project's own [reviewed]
files. Any other file is refused, by ``check`` and by the build: a file on
no list could change the site with no rule reading it (a translation catalog
under ``locales/``, a ``docutils.conf``, a page in another format).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from ..rules import Rule
from ..violations import Violation, relative

#: The manifest, relative to the docs folder.
CONTENT_MANIFEST = "content-manifest.txt"


def read_kinds(docs_dir: Path) -> dict[str, str]:
    """Every pattern of the manifest -> its section ("[content]" or "[reviewed]")."""
    path = docs_dir / CONTENT_MANIFEST
    if not path.is_file():
        return {}
    kinds, section = {}, ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.partition("#")[0].strip()
        if line.startswith("["):
            section = line
        elif line:
            kinds[line] = section
    return kinds


def listed(name: str, kinds: dict[str, str]) -> bool:
    """Whether ``name`` (relative to docs/) matches a pattern; ``*`` stops at ``/``.

    >>> listed("01-overview.md", {"*.md": "[content]"})
    True
    >>> listed("sub/page.md", {"*.md": "[content]"}), listed(".x.md", {"*.md": "[content]"})
    (False, False)
    """
    if any(part.startswith(".") for part in name.split("/")):
        return False  # a hidden file: * must not match its leading dot
    return any(
        fnmatchcase(name, kind) and name.count("/") == kind.count("/") for kind in kinds
    )


def check_docs_files(docs_dir: Path, shown_root: Path | None = None) -> list[Violation]:
    """Rule *docs-file*: every file under ``docs_dir`` is of a listed kind."""
    kinds = read_kinds(docs_dir)
    problems = []
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        name = path.relative_to(docs_dir).as_posix()
        if listed(name, kinds):
            continue
        problems.append(Violation(relative(path, shown_root), 1, Rule.DOCS_FILE,
                        f"{name} is not a kind of file docs/ may hold "
                        f"(docs/{CONTENT_MANIFEST}): no rule reads it, yet the "
                        "build could publish it or be changed by it. Remove it; "
                        "a new kind of file needs a reviewed entry in the "
                        "manifest, with its reason."))  # fmt: skip
    return problems
