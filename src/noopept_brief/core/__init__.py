"""The core: the page policy, the claims and the bibliography, without Sphinx.

Nothing here imports Sphinx; the Sphinx layer (:mod:`noopept_brief.sphinxext`)
and the tools (:mod:`noopept_brief.tools`) build on it. Its rooms:

* ``rules``: every rule's name, defined once (:class:`Rule`).
* ``registry``: every rule declared once (:data:`RULES`): its check, scopes,
  whether it is fatal, who applies it, its one-line doc; the page rules in
  order (:func:`check_page`).
* ``violations``: :class:`Violation`, and how one is reported (terminal,
  GitHub Actions annotation).
* ``check``: every rule over the brief at once (:func:`check_all`), scope
  by scope from the registry; ``brief``: the brief as ``check`` reads it
  once, and the checks that judge it whole.
* ``_upstream``: MyST-Parser's and docutils' internals, fenced.
* ``markdown/``: reading a page (``parse``: the one cached MyST parse, typed
  items, the lists of source files; ``frontmatter``; ``shapes``: the
  arguments and options of the project's own directives) and the page rules
  (``policy``, ``safety``, ``allowlist``, ``structure``, ``fences``,
  ``content_rules``, ``negatives``).
* ``claim/``: the claim model (``model``), the ``{claim}`` markup and its
  rules (``markup``), claim ids (``ids``), claims.json (``export``).
* ``refs/``: citations and the refs.bib rules (``bib``), the record files
  (``records``), how to cite the brief (``cff``).
* ``output/``: the output gate over built HTML (``site``), the static-file
  manifest (``assets``), text into Typst (``typst_text``).
* ``build/``: sphinx-build's flags and date (``flags``), ``git``,
  ``hosting``, the handout's edition block (``handout``), process groups
  (``processes``).

The names below are the core's public interface, for ``conf.py``, the tests
and the benchmark.

The rules themselves, each with its one-line doc, are declared in
:mod:`.registry` (:data:`RULES`); the README's table of rules is generated
from it.
"""

from __future__ import annotations

from .build.flags import JOBS, PDF_NAME, SPHINX_FLAGS, source_date_epoch
from .build.git import trust_environment
from .build.handout import edition, project_version, short_commit
from .build.hosting import LOCAL_BASE_URL, base_url, git_dates_known, source_links
from .check import check_all
from .claim.markup import (
    CLAIM_EXAMPLE,
    check_claim,
    check_claim_coverage,
    check_claims,
    claims,
)
from .claim.model import Claim, Evidence, Status
from .markdown.allowlist import refused_url
from .markdown.disclaimer import (
    DISCLAIMER_DIRECTIVE,
    DISCLAIMER_SNIPPET,
    read_disclaimer,
)
from .markdown.frontmatter import DESCRIPTION_MAX, DESCRIPTION_PLACEHOLDER, front_matter
from .markdown.negatives import check_global_negatives
from .markdown.parse import pages, parse, text_files
from .markdown.policy import (
    CITATION_PLACEHOLDER,
    LIMITATIONS_LABEL,
    LIMITATIONS_REF,
    check_encoding,
)
from .markdown.safety import UNSAFE_SCHEMES, url_items
from .refs.bib import bib_keys, check_bib, check_citations, citations
from .registry import CONTENT_RULES, check_page
from .rules import Rule
from .violations import Violation

__all__ = [
    "CITATION_PLACEHOLDER",
    "CLAIM_EXAMPLE",
    "CONTENT_RULES",
    "DESCRIPTION_MAX",
    "DESCRIPTION_PLACEHOLDER",
    "DISCLAIMER_DIRECTIVE",
    "DISCLAIMER_SNIPPET",
    "JOBS",
    "LIMITATIONS_LABEL",
    "LIMITATIONS_REF",
    "LOCAL_BASE_URL",
    "PDF_NAME",
    "SPHINX_FLAGS",
    "UNSAFE_SCHEMES",
    "Claim",
    "Evidence",
    "Rule",
    "Status",
    "Violation",
    "base_url",
    "bib_keys",
    "check_all",
    "check_bib",
    "check_citations",
    "check_claim",
    "check_claim_coverage",
    "check_claims",
    "check_encoding",
    "check_global_negatives",
    "check_page",
    "citations",
    "claims",
    "edition",
    "front_matter",
    "git_dates_known",
    "pages",
    "parse",
    "project_version",
    "read_disclaimer",
    "refused_url",
    "short_commit",
    "source_date_epoch",
    "source_links",
    "text_files",
    "trust_environment",
    "url_items",
]
