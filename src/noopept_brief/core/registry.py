"""The rule registry: every rule, declared once (:data:`RULES`).

Each rule (its name is :class:`~.rules.Rule`'s) declares its check (the
function that reports it), its scopes (what it reads: :class:`Scope`), whether
it can stop the build (``fatal``), who applies it (:class:`By`: both
``noopept-brief check`` and the build, or only one of them) and its one-line
doc. What is read from here:

* the page rules, in the order their problems are listed (:data:`PAGE_RULES`,
  :func:`check_page`), and the rules an included file is held to
  (:data:`CONTENT_RULES`): for ``check`` and for the Sphinx layer alike;
* which rules only the build applies (:func:`applied_by`), for the parity test;
* the README's table of rules (:func:`table`; ``tests/test_readme_rules.py``
  fails when the README's copy differs).

A new rule is one entry here, beside its check; a test refuses a
:class:`~.rules.Rule` without an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .brief import (
    check_brief_bib,
    check_brief_citations,
    check_brief_claims,
    check_brief_project,
    check_brief_records,
)
from .claim.markup import check_claim_coverage
from .markdown.allowed_markup import check_markup
from .markdown.content_rules import check_content
from .markdown.disclaimer import check_disclaimer
from .markdown.fences import check_fences
from .markdown.frontmatter import check_description, check_front_matter_keys
from .markdown.negatives import check_global_negatives
from .markdown.policy import (
    check_citation_placeholder,
    check_encoding,
    check_headings,
    check_limitations_ref,
    check_scaffold_text,
)
from .markdown.reader_text import check_visible_text
from .markdown.safety import (
    check_file_insertion,
    check_images,
    check_links,
    check_raw_html,
)
from .markdown.structure import (
    MAX_PAGE_BYTES,
    check_directives,
    check_limits,
    check_structure,
)
from .output.assets import check_static
from .output.site import check_site
from .refs.cff import read_citation
from .rules import Rule
from .violations import Violation


class Scope(StrEnum):
    """What a rule reads; its check is called as its scope says.

    ``file``: ``check(data, shown)`` on each text file's bytes; ``page`` and
    ``snippet``: ``check(text, shown, docname)`` on each page or included
    file; ``claim``, ``bib``, ``records``, ``project`` (as ``check`` applies
    them): ``check(brief, page)`` on each page checked, then
    ``check(brief, None)`` once (:class:`~.brief.Brief`). The rest are the
    build's own.
    """

    FILE = "file"  # every text file's bytes, before anything reads them
    PAGE = "page"  # a page's Markdown source
    SNIPPET = "snippet"  # an included file: the disclaimer snippet
    CLAIM = "claim"  # a {claim} directive, and claim ids across pages
    BIB = "bib"  # docs/refs.bib, and the citations against it
    RECORDS = "records"  # docs/_records/<key>.yaml
    PROJECT = "project"  # a project file: the static manifest, CITATION.cff
    DOCTREE = "doctree"  # the resolved doctree (the Sphinx layer's gate)
    HTML = "built HTML"  # the written site
    PDF = "built PDF"  # the handout's Typst source and text


class By(StrEnum):
    """Who applies a rule."""

    BOTH = "check and build"
    BUILD = "build only"  # it judges what Sphinx resolved or wrote
    CHECK = "check only"  # the build does not read these files


@dataclass(frozen=True)
class RuleSpec:
    """One rule's declaration."""

    rule: Rule
    #: The function that reports it; None for the Sphinx layer's own doctree
    #: gate (``sphinxext.gate``), which the core cannot import.
    check: Callable[..., list[Violation]] | None
    scopes: tuple[Scope, ...]
    doc: str
    fatal: bool = False  # it can stop the build: nothing can read the file
    by: By = By.BOTH
    #: The build reports it as MyST's own warning (``myst.directive_*``), so
    #: the Sphinx layer does not repeat it.
    myst: bool = False


_P, _S = Scope.PAGE, Scope.SNIPPET
_BUILT = By.BUILD

#: Every rule. The page rules come first, in the order a page's problems are
#: listed.
RULES: tuple[RuleSpec, ...] = (
    RuleSpec(Rule.LIMITS, check_limits, (_P, Scope.DOCTREE), "a page of at most 100 KB (past it no other rule reads it), directives nested at most 12 deep, at most 30 keys in one citation and 400 citations on a page, at most 300 table rows; past a limit the build reads a stand-in"),
    RuleSpec(Rule.PAGE_STRUCTURE, check_structure, (_P,), "a title with readable text, no reference-style link left as literal text, alt text on {eval-rst} images and not zero-width only"),
    RuleSpec(Rule.DIRECTIVE, check_directives, (_P,), "every directive reads as MyST reads it in the build: no option it does not take, no body where it takes none", myst=True),
    RuleSpec(Rule.MARKUP, check_markup, (_P, Scope.DOCTREE), "only the directives, roles, options, values and classes markup.toml lists, each with its reason; a page with other markup is read as a stand-in"),
    RuleSpec(Rule.DISCLAIMER, check_disclaimer, (_P,), "the page shows the disclaimer snippet through its directive, once, at its top level, first below the title; the snippet exists", fatal=True),
    RuleSpec(Rule.LIMITATIONS_REF, check_limitations_ref, (_P,), "the page links to the Limitations section (a ref role to the label limitations), with readable words"),
    RuleSpec(Rule.RAW_HTML, check_raw_html, (_P, _S), "no raw HTML but comments, no {raw}"),
    RuleSpec(Rule.UNSAFE_HTML, check_raw_html, (_P, _S), "nothing that runs code or embeds another site (<script>, <iframe>, on...= handlers, javascript: and data: URLs), anywhere"),
    RuleSpec(Rule.FILE_INSERTION, check_file_insertion, (_P, _S, Scope.DOCTREE), "no {include}, {literalinclude}, :file: or :url: option, {download} role or link to a local file that is not a page"),
    RuleSpec(Rule.EXTERNAL_LINK, check_links, (_P, _S), "links are https, to a domain on the allowlist (allowed-domains.txt), read as a browser reads them"),
    RuleSpec(Rule.IMAGE_ALT, check_images, (_P, _S), "every image has real alt text"),
    RuleSpec(Rule.GLOBAL_NEGATIVE, check_global_negatives, (_P, _S), "no global negative the records disprove (\"no human data\", \"no regulatory approval\")"),
    RuleSpec(Rule.INVISIBLE_TEXT, check_visible_text, (_P, _S, Scope.HTML, Scope.PDF), "no invisible format character (Unicode Cf) or blank filler in any text a reader gets"),
    RuleSpec(Rule.MIXED_SCRIPT, check_visible_text, (_P, _S, Scope.HTML, Scope.PDF), "no word that mixes scripts (confusable-homoglyphs), but the brief's own listed in markup.toml"),
    RuleSpec(Rule.CONTENT, check_content, (_P, _S, Scope.HTML, Scope.PDF), "no dosing, human-use or sourcing language, on every channel a reader gets (text, attributes, meta, claims.json, the PDF), after NFKC; amounts and frequencies by what they are"),
    RuleSpec(Rule.HEADINGS, check_headings, (_P,), "one H1 first, with readable text, and no skipped heading level"),
    RuleSpec(Rule.CLAIM_UNMARKED, check_claim_coverage, (_P,), "every citation stands inside a claim or a record note"),
    RuleSpec(Rule.DESCRIPTION, check_description, (_P,), "the front matter gives a one-sentence description (the meta description)"),
    RuleSpec(Rule.FRONT_MATTER, check_front_matter_keys, (_P,), "the front matter has no key but description"),
    RuleSpec(Rule.CITATION_PLACEHOLDER, check_citation_placeholder, (_P,), "the new-page scaffold's placeholder citation key is replaced"),
    RuleSpec(Rule.SCAFFOLD_TEXT, check_scaffold_text, (_P,), "the new-page scaffold's placeholder sentences are replaced"),
    RuleSpec(Rule.FENCE, check_fences, (_P,), "no fence left open, and no directive shown as its own source in a bare code block"),
    RuleSpec(Rule.ENCODING, check_encoding, (Scope.FILE,), "every text file under docs/ is UTF-8, without a BOM", fatal=True),
    RuleSpec(Rule.CLAIM_ID, check_brief_claims, (Scope.CLAIM,), "every claim has a short, well-formed :id:, unique across pages, never a retired one, kept by every release"),
    RuleSpec(Rule.CLAIM_SHORT, check_brief_claims, (Scope.CLAIM,), "every claim has its short text for the evidence map"),
    RuleSpec(Rule.CLAIM_SHORT_MARKER, check_brief_claims, (Scope.CLAIM,), "a claim whose status is not a fact starts its short text with whose assertion it is"),
    RuleSpec(Rule.CLAIM_EVIDENCE, check_brief_claims, (Scope.CLAIM,), "every claim names a known evidence basis"),
    RuleSpec(Rule.CLAIM_STATUS, check_brief_claims, (Scope.CLAIM,), "every claim names a known status"),
    RuleSpec(Rule.CLAIM_NOTE, check_brief_claims, (Scope.CLAIM,), "a claim whose status needs a note (what the record shows) has one"),
    RuleSpec(Rule.CLAIM_SOURCE, check_brief_claims, (Scope.CLAIM,), "a claim's :source: keys exist in refs.bib"),
    RuleSpec(Rule.CLAIM_UNSOURCED, check_brief_claims, (Scope.CLAIM,), "a claim that cites no source has the status unconfirmed, with a note"),
    RuleSpec(Rule.CLAIM_QUOTE, check_brief_claims, (Scope.CLAIM,), "a claim whose status needs a quote (confirmed) carries one: a cited record's own words"),
    RuleSpec(Rule.CLAIM_QUOTE_UNFOUND, check_brief_claims, (Scope.CLAIM,), "each piece of a claim's quote is in a passage of a record it cites, verbatim"),
    RuleSpec(Rule.CLAIM_QUOTE_SECONDARY, check_brief_claims, (Scope.CLAIM,), "a quote comes from a primary record: a secondary listing confirms nothing"),
    RuleSpec(Rule.CLAIM_OVERSTATES, check_brief_claims, (Scope.CLAIM,), "a confirmed claim's short text names no number, population or compound that its quote and its records' titles do not"),
    RuleSpec(Rule.BIB_SYNTAX, check_brief_bib, (Scope.BIB,), "refs.bib parses (an unbalanced brace or a missing comma is reported at its line)", fatal=True),
    RuleSpec(Rule.BIB_DUPLICATE, check_brief_bib, (Scope.BIB,), "no refs.bib key is defined twice"),
    RuleSpec(Rule.BIB_FIELDS, check_brief_bib, (Scope.BIB,), "every entry has a real author, a title, a year and a venue, and no bare % that cuts a field"),
    RuleSpec(Rule.BIB_DOI, check_brief_bib, (Scope.BIB,), "every DOI is bare and well formed"),
    RuleSpec(Rule.BIB_URL, check_brief_bib, (Scope.BIB,), "every URL field is https, to an allowed domain"),
    RuleSpec(Rule.BIB_UNCITED, check_brief_citations, (Scope.BIB,), "every refs.bib entry is cited somewhere", by=By.CHECK),
    RuleSpec(Rule.CITE_UNKNOWN, check_brief_citations, (Scope.BIB,), "every cited key exists in refs.bib", by=By.CHECK),
    RuleSpec(Rule.RECORD_SYNTAX, check_brief_records, (Scope.RECORDS,), "a record file parses as the schema's YAML"),
    RuleSpec(Rule.RECORD_KIND, check_brief_records, (Scope.RECORDS,), "a record's kind is a known kind"),
    RuleSpec(Rule.RECORD_URL, check_brief_records, (Scope.RECORDS,), "a record's url is https, to an allowed domain (a secondary listing may leave it out)"),
    RuleSpec(Rule.RECORD_READ, check_brief_records, (Scope.RECORDS,), "a record says the month it was read (YYYY-MM)"),
    RuleSpec(Rule.RECORD_SHOWS, check_brief_records, (Scope.RECORDS,), "a record lists the refs.bib fields it shows"),
    RuleSpec(Rule.RECORD_PASSAGE, check_brief_records, (Scope.RECORDS,), "a record's passages are its exact words, at most 50 each"),
    RuleSpec(Rule.RECORD_MISSING, check_brief_records, (Scope.RECORDS,), "every refs.bib entry has its record file"),
    RuleSpec(Rule.RECORD_ORPHAN, check_brief_records, (Scope.RECORDS,), "every record file belongs to a refs.bib entry"),
    RuleSpec(Rule.ASSET, check_brief_project, (Scope.PROJECT,), "every file in docs/_static/ and docs/_templates/ is in the static manifest, and none is unsafe"),
    RuleSpec(Rule.DOCS_FILE, check_brief_project, (Scope.PROJECT,), "every file under docs/ is of a kind docs/content-manifest.txt lists"),
    RuleSpec(Rule.CITATION, read_citation, (Scope.PROJECT,), "CITATION.cff has what the \"How to cite\" page shows", by=_BUILT),
    RuleSpec(Rule.BUILT_MARKUP, check_site, (Scope.HTML,), "the written HTML uses only known elements and attributes, no on...= handler, no meta refresh", by=_BUILT),
    RuleSpec(Rule.BUILT_LINK, check_site, (Scope.HTML, Scope.DOCTREE, Scope.PDF), "every URL the build wrote is allowed", by=_BUILT),
    RuleSpec(Rule.BUILT_SCRIPT, check_site, (Scope.HTML,), "only the theme's and Sphinx's scripts, and inline scripts and styles known by their SHA-256", by=_BUILT),
    RuleSpec(Rule.BUILT_ASSET, check_static, (Scope.HTML,), "every file under _static/ is the theme's, Sphinx's or in the static manifest", by=_BUILT),
    RuleSpec(Rule.BUILT_DISCLAIMER, check_site, (Scope.HTML,), "every written page has one disclaimer block, first below the title, visible, with the snippet's exact text, and nothing else dressed as it; the PDF prints it once, and its short form in every footer", by=_BUILT),
    RuleSpec(Rule.BUILT_LIMITATIONS, check_site, (Scope.HTML,), "every written page has a visible link to Limitations", by=_BUILT),
    RuleSpec(Rule.BUILT_NODE, None, (Scope.DOCTREE,), "the doctree holds only known node types (sphinxext/gate.py); no only, raw or math node as read", by=_BUILT),
)  # fmt: skip

#: Each rule's declaration, by name.
BY_RULE: dict[Rule, RuleSpec] = {spec.rule: spec for spec in RULES}


def _checks(*scopes: Scope, by: tuple[By, ...] = tuple(By)) -> tuple[Callable, ...]:
    """The distinct checks of the rules in ``scopes`` applied ``by``, in the
    registry's order."""
    found: dict[Callable, None] = {}
    for spec in RULES:
        if set(scopes) & set(spec.scopes) and spec.by in by and spec.check:
            found.setdefault(spec.check)
    return tuple(found)


#: Every rule a page is held to, in ``check`` and in Sphinx, in the order its
#: problems are listed.
PAGE_RULES = _checks(Scope.PAGE)
#: The rules that judge what a page *shows*; they also apply to included files.
CONTENT_RULES = _checks(Scope.SNIPPET)
#: What ``check`` applies to each file's bytes, and to the brief as a whole
#: (each scope's calling convention is :class:`Scope`'s).
FILE_CHECKS = _checks(Scope.FILE, by=(By.BOTH, By.CHECK))
BRIEF_CHECKS = _checks(
    Scope.CLAIM, Scope.BIB, Scope.RECORDS, Scope.PROJECT, by=(By.BOTH, By.CHECK)
)
#: What the build applies to the brief as a whole before it reads a page (the
#: claims it checks as it reads them), in :func:`~.check.check_sources`.
SOURCE_CHECKS = _checks(Scope.BIB, Scope.RECORDS, Scope.PROJECT, by=(By.BOTH,))


def check_page(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Check one page against every page rule; ``path`` is shown in messages.

    >>> page = (
    ...     "# Title\\n\\n```{disclaimer}\\n```\\n\\n"
    ...     "Read with {ref}`limitations` in mind.\\n"
    ... )
    >>> check_page("---\\ndescription: A short summary.\\n---\\n" + page)
    []
    >>> [str(v.rule) for v in check_page("# Title\\n")]
    ['disclaimer', 'limitations-ref', 'description']
    """
    # Past the size limit, no other rule reads the page: each is then bounded
    # by the limit, whatever the text holds (issue 20, linear time).
    if len(text.encode("utf-8", "replace")) > MAX_PAGE_BYTES:
        return check_limits(text, path, docname)
    return [v for rule in PAGE_RULES for v in rule(text, path, docname)]


def check_snippet(path: Path, shown: str, unreadable: bool = False) -> list[Violation]:
    """The disclaimer snippet, judged once (every page shows it): it exists,
    and it is held to the rules an included file is (:data:`CONTENT_RULES`).
    ``unreadable``: its encoding was refused already, so it is not read.

    >>> print(check_snippet(Path("/no/such/disclaimer.md"), "docs/d.md")[0])
    docs/d.md:1: [disclaimer] the disclaimer snippet is missing: every page \
shows it, and the build checks every page against it. Restore it from git.
    """
    if not path.is_file():
        return [
            Violation(shown, 1, Rule.DISCLAIMER,
                      "the disclaimer snippet is missing: every page shows it, "
                      "and the build checks every page against it. Restore it "
                      "from git.", fatal=True)
        ]  # fmt: skip
    if unreadable:
        return []
    text = path.read_text(encoding="utf-8-sig")
    return [v for rule in CONTENT_RULES for v in rule(text, shown, None)]


def applied_by(by: By) -> frozenset[Rule]:
    """The rules only the build (or only ``check``) applies.

    >>> Rule.BUILT_NODE in applied_by(By.BUILD)
    True
    """
    return frozenset(spec.rule for spec in RULES if spec.by is by)


def table() -> str:
    """The README's table of rules, one row a rule."""
    rows = [
        "| Rule | Reads | Applied by | Stops the build | What it asks |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in RULES:
        scopes = ", ".join(spec.scopes)
        fatal = "yes" if spec.fatal else ""
        doc = spec.doc.replace("|", "\\|")
        rows.append(f"| `{spec.rule}` | {scopes} | {spec.by} | {fatal} | {doc} |")
    return "\n".join(rows) + "\n"
