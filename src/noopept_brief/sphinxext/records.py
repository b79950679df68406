"""The record files (``docs/_records/``) as a build reads them: once a build.

The source checks (:mod:`.source_warnings`, at ``config-inited``) judge them,
and every claim (:mod:`.directives`), its quote line (:mod:`.transforms`) and
claims.json (:mod:`.claims_json`) read the ones that pass: all from one
reading (:func:`checked_records`), made again only when a record file or
refs.bib changes, and looked for once a build (:func:`records_of`), not once
a claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from ..core.refs.records import BIB_FILE, RECORDS_DIR, Record, check_records
from ..core.violations import Violation

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


@lru_cache(maxsize=8)
def _checked(
    srcdir: str, stamp: tuple[tuple[str, int, int], ...]
) -> tuple[dict[str, Record], list[Violation]]:
    return check_records(Path(srcdir))


def checked_records(srcdir: str | Path) -> tuple[dict[str, Record], list[Violation]]:
    """The records that pass and every record problem (``check_records``),
    read again only when a file in docs/_records/ or refs.bib changes (each
    file's name, size and modification time)."""
    folder = Path(srcdir, RECORDS_DIR)
    found = sorted(folder.iterdir()) if folder.is_dir() else []
    stamp = tuple(
        (p.name, stat.st_mtime_ns, stat.st_size)
        for p in [*found, Path(srcdir, BIB_FILE)]
        if p.is_file() and (stat := p.stat())
    )
    return _checked(str(srcdir), stamp)


#: The records as this build found them: looked for once a build, not once a
#: claim (a folder listing and a stat of every file, for thousands of claims).
_this_build: WeakKeyDictionary[BuildEnvironment, Mapping[str, Record]] = (
    WeakKeyDictionary()
)


def records_of(env: BuildEnvironment) -> Mapping[str, Record]:
    """The record files that pass their rules (docs/_records/), by key."""
    if env not in _this_build:
        _this_build[env] = checked_records(env.srcdir)[0]
    return _this_build[env]


def look_at_records_again(app: object, env: BuildEnvironment, docnames: object) -> None:
    """env-before-read-docs: a new build looks at the record files again."""
    _this_build.pop(env, None)
