"""Every use of another library's internals, in one place (the fence).

Each function here leans on something its library does not promise to keep,
one module a library: :mod:`.sphinx_`, :mod:`.myst`, :mod:`.bibtex`,
:mod:`.sitemap`, :mod:`.last_updated`, :mod:`.furo`, :mod:`.opengraph` (each
module's docstring lists what it leans on, and why). The versions they were
written against are pinned in ``pyproject.toml`` (see the comments there), and
``tests/test_upstream.py`` fails if a library changes the shape relied on
here, so an upgrade breaks a test, not the site. The rest of the extension
imports these names from this package, never from the modules.
"""

from .bibtex import (
    BibtexDomain,
    bib_citations,
    cite_reference,
    citing_pages,
    plaintext_backend,
    use_bibtex_domain,
)
from .furo import give_toctree_back, hide_toctree_from_furo
from .last_updated import git_dates_for_html_only, git_dates_left_out
from .myst import make_documents_once
from .opengraph import OPENGRAPH_MATPLOTLIB_LINE, quiet_opengraph_import
from .sitemap import _drain, complete_sitemap, sitemap_for_html_only, sitemap_left_out
from .sphinx_ import (
    HighlightLanguage,
    MergeLaterTasks,
    SmartQuotes,
    TreeReleasingTasks,
    build_info_unreadable,
    builder_of,
    merge_reads_when_all_read,
    release_trees_when_forked,
    settings_as_sphinx_makes_them,
    settings_once_a_build,
    sphinx_own_tasks,
    use_highlight_language,
    use_smartquotes,
    watch_rendered_pages,
)

__all__ = [
    "OPENGRAPH_MATPLOTLIB_LINE",
    "BibtexDomain",
    "HighlightLanguage",
    "MergeLaterTasks",
    "SmartQuotes",
    "TreeReleasingTasks",
    "_drain",
    "bib_citations",
    "build_info_unreadable",
    "builder_of",
    "cite_reference",
    "citing_pages",
    "complete_sitemap",
    "git_dates_for_html_only",
    "git_dates_left_out",
    "give_toctree_back",
    "hide_toctree_from_furo",
    "make_documents_once",
    "merge_reads_when_all_read",
    "plaintext_backend",
    "quiet_opengraph_import",
    "release_trees_when_forked",
    "settings_as_sphinx_makes_them",
    "settings_once_a_build",
    "sitemap_for_html_only",
    "sitemap_left_out",
    "sphinx_own_tasks",
    "use_bibtex_domain",
    "use_highlight_language",
    "use_smartquotes",
    "watch_rendered_pages",
]
