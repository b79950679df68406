"""The PDF handout: its edition block and its front page.

A printed copy must say which edition it is, so :func:`edition` gathers what
the title page prints, every field from the build: the version, the date of
the last commit, its short id (when git knows it), the hosted address (when
Read the Docs gives one), the licence and how to cite. The Typst builder
(:mod:`noopept_brief.sphinxext.typst_builder`) typesets it.
:func:`project_version` reads the version from ``pyproject.toml``, its one
source. (The id a claim's label prints is ``Claim.printed_id``, in
:mod:`..claim.model`.)

The classes below name what the Sphinx layer's PDF-only post-transform
(:class:`noopept_brief.sphinxext.transforms.HandoutFrontMatter`) looks for:
it drops the per-page disclaimer admonitions (the handout prints the
disclaimer in full once, on its front page, and short in every footer) and
moves the landing page's key points into a ``handout-front`` container, which
the Typst builder sets on the front page.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from .git import git

#: The class of the landing page's key points (docs/index.md gives it); the
#: disclaimer's class is :mod:`..markdown.disclaimer`'s.
KEY_POINTS_CLASS = "key-points"
#: The container the key points move into; the Typst builder's front page.
FRONT_CLASS = "handout-front"
LICENCE = "Text licensed CC BY 4.0"
#: The project's name in pyproject.toml, and the installed package's.
DISTRIBUTION = "noopept-brief"


@dataclass(frozen=True)
class Edition:
    """What the handout's title page says about the copy in hand."""

    version: str
    date: str  # ISO date of the last commit (SOURCE_DATE_EPOCH)
    commit: str  # short commit id, "" when git does not know it
    url: str  # the hosted address, "" unless Read the Docs gives one
    licence: str = LICENCE

    def citation(self, author: str, title: str) -> str:
        """One line on how to cite this edition.

        >>> Edition("0.1.0", "2026-11-28", "", "").citation("A", "T")
        'A (2026). T, version 0.1.0, 2026-11-28.'
        """
        where = f" {self.url}" if self.url else ""
        return f"{author} ({self.date[:4]}). {title}, version {self.version}, {self.date}.{where}"


def project_version(docs_dir: Path) -> str:
    """The brief's version: ``[project].version`` in ``pyproject.toml``, its one
    source, beside ``docs_dir`` in the repository.

    A copy of docs/ outside the repository (as the tests make) takes the
    installed package's version, which came from the same file.

    >>> project_version(Path(__file__).parents[3] / "docs") == project_version(
    ...     Path("/nonexistent"))
    True
    """
    pyproject = docs_dir.resolve().parent / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        if project.get("name") == DISTRIBUTION:
            return str(project["version"])
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _git(docs_dir: Path, *args: str) -> str:
    # core.git: UTF-8 output, and a checkout git refuses is read all the same.
    return git(docs_dir, *args) or ""


def short_commit(docs_dir: Path) -> str:
    """The last commit's short id, or "" outside a git checkout.

    A build from a checkout with uncommitted changes to tracked files says so,
    so that no printed copy claims a commit it does not match.
    """
    commit = _git(docs_dir, "log", "-1", "--format=%h")
    if commit and _git(docs_dir, "status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return commit


def edition(version: str, environ: Mapping[str, str], docs_dir: Path) -> Edition:
    """The edition of this build, from the version and the environment.

    ``SOURCE_DATE_EPOCH`` (which conf.py sets from the last commit) dates it.

    >>> e = edition("0.1.0", {"SOURCE_DATE_EPOCH": "0"}, Path("/"))
    >>> (e.version, e.date, e.commit, e.url, e.licence)
    ('0.1.0', '1970-01-01', '', '', 'Text licensed CC BY 4.0')
    >>> edition("1", {"SOURCE_DATE_EPOCH": "0",
    ...     "READTHEDOCS_CANONICAL_URL": "https://x.org/en/"}, Path("/")).url
    'https://x.org/en/'
    """
    epoch = int(environ.get("SOURCE_DATE_EPOCH") or 0)
    date = datetime.fromtimestamp(epoch, tz=UTC).date().isoformat()
    return Edition(
        version=version,
        date=date,
        commit=short_commit(docs_dir),
        url=environ.get("READTHEDOCS_CANONICAL_URL", ""),
    )
