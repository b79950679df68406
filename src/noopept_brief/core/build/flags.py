"""How sphinx-build runs: the flags every build uses, and the build's date.

:data:`SPHINX_FLAGS` is shared by nox, the tests and the benchmark, and
:data:`JOBS` by nox and the benchmark;
:func:`source_date_epoch` gives ``conf.py`` the date for ``SOURCE_DATE_EPOCH``,
so that a plain sphinx-build of the same sources gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..markdown.parse import text_files
from .git import git

#: How every build runs sphinx-build (nox and the tests alike): warnings are
#: errors, every reference must resolve, and all problems are listed at once.
SPHINX_FLAGS = ("-W", "--keep-going", "-n")

#: How the project's own builds (nox, so CI and Read the Docs) use the machine:
#: one process more than it has cores. Sphinx reads pages with -j processes
#: but writes them with one fewer, while its main process resolves each page
#: in turn; with -j auto, once every page was resolved, a 400-page build on 2
#: cores went on for 11 s on one. The output is byte for byte the serial
#: build's. The tests build serially: pytest-xdist already runs them on every
#: core.
JOBS = ("-j", str((os.cpu_count() or 1) + 1))

#: The handout's file name: the Typst builder writes it, and the site links to
#: it from the landing page, so the PDF build copies it into the HTML output.
PDF_NAME = "noopept-brief.pdf"


def source_date_epoch(docs_dir: Path) -> str:
    """The build's date, for ``SOURCE_DATE_EPOCH``: the last commit's time.

    git refusing the checkout ("dubious ownership") is asked again, trusting
    it for this build (:mod:`.git`). Without git (a source archive), the newest
    source file's time instead: an archive keeps its files' times, so two
    builds of one archive still agree.

    >>> source_date_epoch(Path("docs")).isdigit()
    True
    """
    out = git(docs_dir, "log", "-1", "--format=%ct") or ""
    if out.isdigit():
        return out
    return str(max((int(p.stat().st_mtime) for p in text_files(docs_dir)), default=0))
