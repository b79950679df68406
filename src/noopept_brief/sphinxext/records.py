"""The brief as a build reads it (:class:`~noopept_brief.core.brief.Brief`):
once a build.

The source checks (:mod:`.source_warnings`, at ``config-inited``) read it
first; every claim (:mod:`.directives`: the keys of the bib files, the record
files its quote is checked against), its quote line (:mod:`.transforms`) and
claims.json (:mod:`.claims_json`) take theirs from that one reading, looked
for once a build (:func:`brief_of`), not once a claim. A build made again by
the same Sphinx application reads the brief again.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from ..core.brief import Brief

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

#: The readings made at ``config-inited``, by source folder, each taken by
#: the first build of that folder.
_read_first: dict[str, Brief] = {}
#: The brief as each build read it.
_this_build: WeakKeyDictionary[BuildEnvironment, Brief] = WeakKeyDictionary()


def read_brief(srcdir: str | Path, bibfiles: Iterable[str]) -> Brief:
    """A new reading of the brief, for the build about to start; messages
    name files by their full path, as Sphinx does."""
    brief = _read_first[str(srcdir)] = _new(srcdir, bibfiles)
    return brief


def _new(srcdir: str | Path, bibfiles: Iterable[str]) -> Brief:
    return Brief(Path(srcdir), bib_names=tuple(bibfiles), relative=False)


def brief_of(env: BuildEnvironment) -> Brief:
    """This build's reading of the brief."""
    if env not in _this_build:
        brief = _read_first.pop(str(env.srcdir), None)
        _this_build[env] = brief or _new(env.srcdir, env.config.bibtex_bibfiles)
    return _this_build[env]


def read_again(app: object, env: BuildEnvironment, docnames: object) -> None:
    """env-before-read-docs: a new build reads the brief again."""
    _this_build.pop(env, None)
