"""The core: the page policy, the claims and the bibliography, without Sphinx.

Nothing here imports Sphinx; the Sphinx layer (:mod:`noopept_brief.sphinxext`)
and the tools (:mod:`noopept_brief.tools`) build on it. One module per concern:

* ``rules``: every rule's name, defined once (:class:`Rule`).
* ``violations``: :class:`Violation`, and how one is reported (terminal,
  GitHub Actions annotation).
* ``markdown``: what the MyST parser makes of a page (one walk, cached, typed
  items), and the lists of source files.
* ``shapes``: the arguments and options of the project's own directives, which
  the core reads pages by and the Sphinx directives inherit.
* ``frontmatter``: a page's YAML front matter.
* ``policy``: the page rules (:data:`PAGE_RULES`, :func:`check_page`) and the
  disclaimer for ``conf.py``.
* ``safety``: the rules on raw HTML, file insertion, links and images.
* ``allowlist``: the allowed domains, and URLs read as a browser reads them.
* ``bibliography``: citations in pages, and the rules for ``refs.bib``.
* ``model``: the claim model: :class:`Claim`, :class:`Evidence`,
  :class:`Status`, and claims.json's fields.
* ``claims``: how claims are read from a page, and their rules.
* ``_upstream``: MyST-Parser's and docutils' internals, fenced.
* ``record``: wording the records disprove (rule 11).
* ``check``: every rule over the brief at once (:func:`check_all`).
* ``builds``: the sphinx-build flags, and the build's date.
* ``hosting``: the site's base URL, and its links to the repository.
* ``git``: git for the build's dates, trusted once where it refuses a checkout.
* ``typst_text``: text into the PDF's Typst source (the one escaping function).
* ``processes``: process groups, stopped as a whole.
* ``handout``: the PDF handout's edition block (:func:`edition`) and the
  version from ``pyproject.toml``.

The names below are the core's public interface, for ``conf.py``, the tests
and the benchmark.

The page rules
--------------
1. **disclaimer**: the page includes the one disclaimer snippet,
   :data:`DISCLAIMER_SNIPPET`.
2. **limitations-ref**: the page links to the Limitations section with a
   ``{ref}`` role aimed at the label :data:`LIMITATIONS_LABEL`.
3. **description**: the page's front matter gives a one-sentence summary, used
   as its meta description and OpenGraph description.
4. **citation-placeholder**: the page no longer cites the new-page scaffold's
   placeholder key, :data:`CITATION_PLACEHOLDER`.
5. **raw-html** and **unsafe-html**: no raw HTML but comments, no ``{raw}``;
   nothing that runs code or embeds another site, anywhere.
6. **external-link**: https only, and only to a domain on the allowlist
   (``allowlist``, ``allowed-domains.txt``).
7. **image-alt**: every image has alt text.
8. **headings**: one H1 first, and no skipped level.
9. **encoding** (every text file under docs/): UTF-8, without a BOM.
10. **claim-unmarked**: every citation stands inside a claim or a record note.
11. **global-negative**: no known form of a global negative that the records
    disprove ("no human data", "no regulatory approval"), snippets included.

Rules 5 to 7 are in ``safety``, rule 10 in ``claims``, rule 11 in ``record``,
the others in ``policy``.

The bibliography rules (for ``docs/refs.bib``)
----------------------------------------------
The file parses; no key is defined twice; every entry has an author, a title,
a year and a venue; every DOI is a bare, well-formed DOI; every cited key
exists; every entry is cited somewhere.
"""

from __future__ import annotations

from .allowlist import allowed_domains, allowed_entry, read_url, refused_url
from .bibliography import bib_keys, check_bib, check_citations, citations
from .builds import PDF_NAME, SPHINX_FLAGS, source_date_epoch
from .check import check_all
from .claims import (
    CLAIM_EXAMPLE,
    check_claim,
    check_claim_coverage,
    check_claims,
    claims,
)
from .frontmatter import front_matter
from .git import trust_environment
from .handout import Edition, edition, project_version, short_commit
from .hosting import LOCAL_BASE_URL, base_url, git_dates_known, source_links
from .markdown import pages, parse, text_files
from .model import SHORT_MARKERS, Carries, Claim, Evidence, Status
from .policy import (
    CITATION_PLACEHOLDER,
    CONTENT_RULES,
    DESCRIPTION_MAX,
    DESCRIPTION_PLACEHOLDER,
    DISCLAIMER_DIRECTIVE,
    DISCLAIMER_SNIPPET,
    LIMITATIONS_LABEL,
    LIMITATIONS_REF,
    PAGE_RULES,
    check_encoding,
    check_page,
    read_disclaimer,
)
from .record import GLOBAL_NEGATIVES, check_global_negatives
from .rules import Rule
from .safety import UNSAFE_SCHEMES, url_items
from .violations import Violation, report

__all__ = [
    "CITATION_PLACEHOLDER",
    "CLAIM_EXAMPLE",
    "CONTENT_RULES",
    "DESCRIPTION_MAX",
    "DESCRIPTION_PLACEHOLDER",
    "DISCLAIMER_DIRECTIVE",
    "DISCLAIMER_SNIPPET",
    "GLOBAL_NEGATIVES",
    "LIMITATIONS_LABEL",
    "LIMITATIONS_REF",
    "LOCAL_BASE_URL",
    "PAGE_RULES",
    "PDF_NAME",
    "SHORT_MARKERS",
    "SPHINX_FLAGS",
    "UNSAFE_SCHEMES",
    "Carries",
    "Claim",
    "Edition",
    "Evidence",
    "Rule",
    "Status",
    "Violation",
    "allowed_domains",
    "allowed_entry",
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
    "read_url",
    "refused_url",
    "report",
    "short_commit",
    "source_date_epoch",
    "source_links",
    "text_files",
    "trust_environment",
    "url_items",
]
