"""Every rule's name, defined once (:class:`Rule`).

A violation names its rule; Sphinx uses the name as the warning's subtype, and
GitHub Actions as the annotation's title, so a name written here is the name a
contributor sees everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """The name of each rule; the value is what messages show.

    >>> str(Rule.LIMITATIONS_REF)
    'limitations-ref'
    """

    # The page rules (core.markdown.policy, core.markdown.safety, core.claim.markup,
    # core.markdown.negatives).
    DISCLAIMER = "disclaimer"
    LIMITATIONS_REF = "limitations-ref"
    RAW_HTML = "raw-html"
    UNSAFE_HTML = "unsafe-html"
    EXTERNAL_LINK = "external-link"
    FILE_INSERTION = "file-insertion"
    IMAGE_ALT = "image-alt"
    HEADINGS = "headings"
    CLAIM_UNMARKED = "claim-unmarked"
    GLOBAL_NEGATIVE = "global-negative"
    DESCRIPTION = "description"
    FRONT_MATTER = "front-matter"
    CITATION_PLACEHOLDER = "citation-placeholder"
    ENCODING = "encoding"
    FENCE = "fence"
    SCAFFOLD_TEXT = "scaffold-text"
    # How to cite (core.refs.cff): CITATION.cff has what the page shows.
    CITATION = "citation"
    CONTENT = "content"
    ASSET = "asset"
    LIMITS = "limits"
    PAGE_STRUCTURE = "page-structure"
    # A directive MyST cannot read as written (core.markdown.structure); the build's
    # MyST reports the same under its own name (myst.directive_*).
    DIRECTIVE = "directive"
    # Only the markup the brief needs (core.markdown.allowed_markup, markup.toml).
    MARKUP = "markup"
    # Text as the reader gets it (core.markdown.reader_text).
    INVISIBLE_TEXT = "invisible-text"
    MIXED_SCRIPT = "mixed-script"
    # Only the kinds of file docs/content-manifest.txt lists (core.output.files).
    DOCS_FILE = "docs-file"
    # The output gate: what the build wrote (core.output.site, sphinxext.gate).
    BUILT_MARKUP = "built-markup"
    BUILT_LINK = "built-link"
    BUILT_SCRIPT = "built-script"
    BUILT_ASSET = "built-asset"
    BUILT_DISCLAIMER = "built-disclaimer"
    BUILT_LIMITATIONS = "built-limitations-link"
    BUILT_NODE = "built-node"
    # The bibliography rules (core.refs.bib).
    BIB_SYNTAX = "bib-syntax"
    BIB_DUPLICATE = "bib-duplicate"
    BIB_FIELDS = "bib-fields"
    BIB_DOI = "bib-doi"
    BIB_URL = "bib-url"
    BIB_UNCITED = "bib-uncited"
    CITE_UNKNOWN = "cite-unknown"
    # The claim rules (core.claim.markup, core.claim.ids).
    CLAIM_ID = "claim-id"
    CLAIM_SHORT = "claim-short"
    CLAIM_SHORT_MARKER = "claim-short-marker"
    CLAIM_EVIDENCE = "claim-evidence"
    CLAIM_STATUS = "claim-status"
    CLAIM_NOTE = "claim-note"
    CLAIM_SOURCE = "claim-source"
    CLAIM_UNSOURCED = "claim-unsourced"
    # A claim's quote, and what its short text may name (core.claim.quotes).
    CLAIM_QUOTE = "claim-quote"
    CLAIM_QUOTE_UNFOUND = "claim-quote-unfound"
    CLAIM_QUOTE_SECONDARY = "claim-quote-secondary"
    CLAIM_OVERSTATES = "claim-overstates"
    # The record files, docs/_records/<key>.yaml (core.refs.records).
    RECORD_SYNTAX = "record-syntax"
    RECORD_KIND = "record-kind"
    RECORD_URL = "record-url"
    RECORD_READ = "record-read"
    RECORD_SHOWS = "record-shows"
    RECORD_PASSAGE = "record-passage"
    RECORD_MISSING = "record-missing"
    RECORD_ORPHAN = "record-orphan"
