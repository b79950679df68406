"""The claims as data (``claims.json``), and what changed between two copies.

Every HTML build writes ``claims.json`` beside the site (the Sphinx layer
fills it from the claims it read): the top-level fields (:data:`FIELDS`) and
each claim's :meth:`~.model.Claim.to_json`, whose fields the model
documents (:func:`~.model.json_fields`); the evidence map page shows them. Each tagged release keeps a copy in
``docs/_releases/<version>/claims.json``; :func:`compare` says what changed
between two copies (claims added and removed, status and evidence changes,
references added and removed), for the "What changed" page and, through
``noopept-brief changes``, for a pull request's job summary.
:func:`claims_from_sources` reads the same data from a tree of pages without
Sphinx, so that the base of a pull request needs no second build.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..markdown.parse import Heading, parse
from ..rules import Rule
from ..violations import Violation
from .ids import RETIRED_IDS, anchor, read_retired
from .markup import claims as page_claims
from .model import Claim, source_json
from .quotes import quoted_in

if TYPE_CHECKING:
    from ..refs.records import Record

#: The file's name, beside the site and in each release's folder.
CLAIMS_JSON = "claims.json"
#: Where each release's copy is kept (relative to ``docs/``).
RELEASES_DIR = "_releases"
#: Bump when a field changes meaning or goes; adding a field does not.
FORMAT = 1

#: The file's top-level fields -> what each holds (shown on the evidence map).
FIELDS = {
    "format": f"the version of this layout ({FORMAT}); it changes only if a "
    "field changes meaning or is removed",
    "title": "the brief's title",
    "version": "the brief's version when the file was written",
    "claims": "every claim, in reading order (the fields below)",
    "references": "every entry of the reference list: key, title, year, "
    "and the fields of a claim's sources (below)",
}


# -- The references --------------------------------------------------------------


def references(bib_text: str) -> list[dict[str, Any]]:
    """Every entry of a BibTeX file: key, title, year, doi and pmid (the
    first, for a key defined twice).

    >>> references("@article{a2001,\\n title={T}, year={2001}, doi={10.1/x}}\\n")
    [{'key': 'a2001', 'title': 'T', 'year': '2001', 'doi': '10.1/x', 'pmid': None}]
    """
    from pybtex.database import parse_string
    from pybtex.errors import capture

    # A key defined twice is refused by its own rule (bib-duplicate): the
    # first entry counts here, and the build goes on to say so.
    with capture():
        entries = parse_string(bib_text, "bibtex").entries
    return [
        {
            "key": key,
            "title": entry.fields.get("title", ""),
            "year": entry.fields.get("year", ""),
            "doi": entry.fields.get("doi") or None,
            "pmid": entry.fields.get("pmid") or None,
        }
        for key, entry in sorted(entries.items(), key=lambda item: item[0].lower())
    ]


def claims_data(
    title: str,
    version: str,
    claims: Iterable[Claim],
    refs: list[dict[str, Any]],
    records: Mapping[str, Record] | None = None,
) -> dict[str, Any]:
    """The whole file, from the claims, the references and their record files
    (``records``, by key: where each was read, and what its quote is from)."""
    found = records or {}
    by_key = {ref["key"].lower(): ref for ref in refs}
    return {
        "format": FORMAT,
        "title": title,
        "version": version,
        "claims": [
            claim.to_json(refs, found, quoted_in(claim, found)) for claim in claims
        ],
        "references": [
            {**ref, **source_json(ref["key"], by_key, found)} for ref in refs
        ],
    }


def dumps(data: Mapping[str, Any]) -> str:
    """The file's text: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- The same data from the sources, without Sphinx ------------------------------


def claims_from_sources(
    pages: Mapping[str, str], bib_text: str, title: str = "", version: str = ""
) -> dict[str, Any]:
    """``claims.json``'s data read from pages ({docname: text}, in reading
    order) and ``refs.bib``. Page and section titles are the headings as
    written; what :func:`compare` reads (ids, short texts, evidence, status,
    reference keys) is the same as a build's.

    >>> page = "# P\\n\\n## S\\n\\n```{claim} Short\\n:id: s\\n:evidence: human\\n:status: confirmed\\n\\nX.\\n```\\n"
    >>> [(c["id"], c["page"], c["section"], c["url"]) for c in claims_from_sources({"p": page}, "")["claims"]]
    [('s', 'P', 'S', 'p.html#claim-s')]
    """
    found = []
    for docname, text in pages.items():
        headings = [i for i in parse(text) if isinstance(i, Heading) and i.depth == 0]
        page = next((h.text for h in headings if h.level == 1), docname)
        for claim in page_claims(text, docname):
            above = [h for h in headings if h.line < claim.line and h.level != 1]
            here = anchor(claim.id)
            found.append(
                dataclasses.replace(
                    claim, page=page, section=above[-1].text if above else "",
                    anchor=here, url=f"{docname}.html#{here}",
                )
            )  # fmt: skip
    refs = references(bib_text) if bib_text.strip() else []
    return claims_data(title, version, found, refs)


# -- What changed ------------------------------------------------------------------


@dataclass
class Changes:
    """What changed from one copy of ``claims.json`` to another."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    #: (claim as it is now, old value, new value)
    status: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    evidence: list[tuple[dict[str, Any], str, str]] = field(default_factory=list)
    refs_added: list[str] = field(default_factory=list)
    refs_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))

    def summary(self) -> str:
        """One line, for a reviewer's first glance.

        >>> Changes(added=[{}], status=[({}, "a", "b"), ({}, "a", "b")]).summary()
        '1 claim added, 2 claims changed status'
        >>> Changes().summary()
        'no claim or reference changed'
        """
        parts = [
            _count(len(self.added), "claim", "added"),
            _count(len(self.removed), "claim", "removed"),
            _count(len(self.status), "claim", "changed status"),
            _count(len(self.evidence), "claim", "changed evidence basis"),
            _count(len(self.refs_added), "reference", "added"),
            _count(len(self.refs_removed), "reference", "removed"),
        ]
        return ", ".join(p for p in parts if p) or "no claim or reference changed"


def _count(number: int, noun: str, what: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'} {what}" if number else ""


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> Changes:
    """What changed from ``old`` to ``new`` (two copies of ``claims.json``).

    Claims are matched by id; a claim without one (from before ids existed)
    is matched by its short text.

    >>> old = {"claims": [{"id": "a", "short": "A", "status": "confirmed",
    ...                     "evidence": "human"}], "references": [{"key": "k1"}]}
    >>> new = {"claims": [{"id": "a", "short": "A", "status": "differs",
    ...                     "evidence": "human"}], "references": [{"key": "k2"}]}
    >>> compare(old, new).summary()
    '1 claim changed status, 1 reference added, 1 reference removed'
    """
    new_claims = list(new.get("claims", []))
    by_id = {c["id"]: c for c in new_claims if c.get("id")}
    by_short = {c["short"]: c for c in new_claims}
    changes = Changes()
    matched: set[int] = set()
    for before in old.get("claims", []):
        now = by_id.get(before.get("id") or "") or (
            None if before.get("id") in by_id else by_short.get(before["short"])
        )
        if now is None or id(now) in matched:
            changes.removed.append(before)
            continue
        matched.add(id(now))
        for name, found in (("status", changes.status), ("evidence", changes.evidence)):
            if before.get(name) != now.get(name):
                found.append((now, before.get(name, ""), now.get(name, "")))
    changes.added = [c for c in new_claims if id(c) not in matched]
    old_refs = {r["key"] for r in old.get("references", [])}
    new_refs = {r["key"] for r in new.get("references", [])}
    changes.refs_added = sorted(new_refs - old_refs, key=str.lower)
    changes.refs_removed = sorted(old_refs - new_refs, key=str.lower)
    return changes


def markdown(changes: Changes, heading: str) -> str:
    """The comparison as Markdown (the pull request's job summary).

    >>> print(markdown(Changes(refs_added=["a2001"]), "Claims"), end="")
    ### Claims
    <BLANKLINE>
    **1 reference added**
    <BLANKLINE>
    - Reference added: `a2001`
    """
    lines = [f"### {heading}", "", f"**{changes.summary()}**", ""]
    lines += [f"- Added: `{c['id']}` {c['short']}" for c in changes.added]
    lines += [
        f"- Removed: `{c.get('id') or '-'}` {c['short']}" for c in changes.removed
    ]
    lines += [
        f"- Status of `{c['id']}` ({c['short']}): {a} \u2192 {b}"
        for c, a, b in changes.status
    ]
    lines += [
        f"- Evidence basis of `{c['id']}` ({c['short']}): {a} \u2192 {b}"
        for c, a, b in changes.evidence
    ]
    lines += [f"- Reference added: `{key}`" for key in changes.refs_added]
    lines += [f"- Reference removed: `{key}`" for key in changes.refs_removed]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- The releases' copies ----------------------------------------------------------


def _version_key(version: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", version))


def releases(docs_dir: Path) -> list[tuple[str, Path]]:
    """Each release's saved copy, oldest first: [(version, path), ...].

    The folder's name is the version: ``docs/_releases/0.1.0/claims.json``.
    """
    found = [
        (path.parent.name, path)
        for path in (docs_dir / RELEASES_DIR).glob(f"*/{CLAIMS_JSON}")
    ]
    return sorted(found, key=lambda item: _version_key(item[0]))


def read_release(path: Path, shown: str | None = None) -> dict[str, Any]:
    """A release's copy; ValueError, naming the file and the fix, if it is not
    a copy of ``claims.json``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(
            f"{shown or path}: this release's copy of {CLAIMS_JSON} cannot be "
            f"read ({error}). Copy build/html/{CLAIMS_JSON} from the release's "
            "own build over it."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ValueError(
            f"{shown or path}: this is not a copy of {CLAIMS_JSON} (it has no "
            f'"claims" list). Copy build/html/{CLAIMS_JSON} from the release\'s '
            "own build over it."
        )
    return data


def check_releases(
    docs_dir: Path, current_ids: Iterable[str], shown: str = "docs"
) -> list[Violation]:
    """Rule *claim-id*: every id a release published lives on, or is retired.

    A claim removed since a release must have its id listed in
    ``docs/_claims/retired-ids.txt``, so that no later claim takes it.
    """
    retired_path = docs_dir / RETIRED_IDS
    retired = read_retired(
        retired_path.read_text(encoding="utf-8") if retired_path.exists() else ""
    )
    now = set(current_ids)
    problems = []
    for version, path in releases(docs_dir):
        where = f"{shown}/{path.relative_to(docs_dir).as_posix()}"
        try:
            data = read_release(path, where)
        except ValueError as error:
            problems.append(
                Violation(where, 1, Rule.CLAIM_ID, str(error).split(": ", 1)[1])
            )
            continue
        for claim in data["claims"]:
            claim_id = claim.get("id")
            if claim_id and claim_id not in now and claim_id not in retired:
                problems.append(
                    Violation(
                        f"{shown}/{RETIRED_IDS}",
                        1,
                        Rule.CLAIM_ID,
                        f"the claim {claim_id!r} ({claim.get('short', '')}) was "
                        f"published in release {version} and is gone. Add its "
                        f"id to this file, on a line of its own with a comment "
                        f"saying why it went, so that no claim takes it again:\n"
                        f"{claim_id}  # removed after {version}",
                    )
                )
    return problems
