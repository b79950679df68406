"""``noopept-brief records``: compare the record files with PubMed and Crossref.

It needs a network, so it runs as ``nox -s records`` and in a weekly workflow
(``.github/workflows/records.yml``), never on pull requests. For each record
file (``docs/_records/<key>.yaml``, :mod:`noopept_brief.core.refs.records`) whose
entry has a PMID the record shows, it asks PubMed's E-utilities (one
``efetch`` for them all); for any other with a DOI, Crossref's REST API. It
compares the bib fields the file says its record shows, and the passages
wherever the fetched text holds them (the title; the abstract PubMed gives),
and prints, as Markdown for the job summary, one line for each field or
passage that no longer matches and for each record it could not fetch.

Politely, with the standard library only: a User-Agent and E-utilities'
``tool`` name, a contact address only if ``NOOPEPT_BRIEF_CONTACT`` gives one
(none is made up), a pause between requests, a timeout. The tests replace
:func:`fetch` with saved responses (``tests/fixtures/records/responses/``).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ..core.refs.bib import bib_entries
from ..core.refs.records import BIB_FILE, Record, check_records, normalize

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"
CROSSREF = "https://api.crossref.org/works/"
#: E-utilities' ``tool`` parameter, and the User-Agent's product name.
TOOL = "noopept-brief"
#: An address the services may write to about this tool's traffic, if set.
CONTACT_VARIABLE = "NOOPEPT_BRIEF_CONTACT"
#: Seconds between requests (NCBI allows three a second without a key).
PAUSE = 0.4
TIMEOUT = 30
#: The largest response read; a record's metadata is a few kilobytes.
MAX_RESPONSE = 4_000_000
#: The fields compared, as refs.bib names them.
COMPARED = ("title", "journal", "year", "volume", "number", "pages", "doi", "author")
#: What a failed fetch raises: no network, HTTP errors, timeouts, bad answers.
FETCH_ERRORS = (OSError, ValueError, KeyError, http.client.HTTPException, ET.ParseError)


@dataclass
class Fetched:
    """What a service shows for one record: its fields, and its words."""

    source: str
    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""
    abstract: bool = False


def contact() -> str:
    """The contact address from the environment, or "" (never a made-up one)."""
    return os.environ.get(CONTACT_VARIABLE, "").strip()


def user_agent() -> str:
    mail = f"; mailto:{contact()}" if contact() else ""
    return f"{TOOL}-records/1 (bibliographic check of a research brief{mail})"


_last_request = [0.0]


def fetch(url: str) -> bytes:
    """GET ``url`` politely: a pause since the last request, a timeout."""
    wait = _last_request[0] + PAUSE - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    request = urllib.request.Request(url, headers={"User-Agent": user_agent()})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read(MAX_RESPONSE)
    finally:
        _last_request[0] = time.monotonic()


# -- The services -------------------------------------------------------------------


def _text(node: ET.Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def pubmed(pmids: list[str]) -> dict[str, Fetched]:
    """PubMed's records for ``pmids``, by PMID, from one E-utilities efetch."""
    query = {"db": "pubmed", "id": ",".join(pmids), "retmode": "xml", "tool": TOOL}
    if contact():
        query["email"] = contact()
    return parse_pubmed(fetch(f"{EUTILS}?{urllib.parse.urlencode(query)}"))


def parse_pubmed(data: bytes) -> dict[str, Fetched]:
    found = {}
    for article in ET.fromstring(data).iter("PubmedArticle"):
        pmid = _text(article.find("MedlineCitation/PMID"))
        art = article.find("MedlineCitation/Article")
        if art is None:
            continue
        issue = art.find("Journal/JournalIssue")
        date = _text(issue.find("PubDate/Year")) if issue is not None else ""
        if not date and issue is not None:
            date = _text(issue.find("PubDate/MedlineDate"))[:4]
        doi = art.find("ELocationID[@EIdType='doi']")
        if doi is None:
            doi = article.find("PubmedData/ArticleIdList/ArticleId[@IdType='doi']")
        title = _text(art.find("ArticleTitle"))
        abstract = " ".join(_text(t) for t in art.iterfind("Abstract/AbstractText"))
        fields = {
            "title": title,
            "journal": _text(art.find("Journal/Title")),
            "year": date,
            "volume": _text(issue.find("Volume")) if issue is not None else "",
            "number": _text(issue.find("Issue")) if issue is not None else "",
            "pages": _text(art.find("Pagination/MedlinePgn")),
            "doi": _text(doi),
            "pmid": pmid,
            "author": _text(art.find("AuthorList/Author/LastName")),
        }
        found[pmid] = Fetched(
            f"PubMed {pmid}",
            {k: v for k, v in fields.items() if v},
            f"{title} {abstract}",
            bool(abstract),
        )
    return found


def crossref(doi: str) -> Fetched:
    """Crossref's record for ``doi``."""
    url = CROSSREF + urllib.parse.quote(doi, safe="")
    if contact():
        url += "?" + urllib.parse.urlencode({"mailto": contact()})
    return parse_crossref(fetch(url), doi)


def parse_crossref(data: bytes, doi: str) -> Fetched:
    work = json.loads(data)["message"]

    def first(name: str) -> str:
        value = work.get(name) or ""
        return str(value[0] if isinstance(value, list) and value else value or "")

    dated = work.get("published-print") or work.get("issued") or {}
    year = (dated.get("date-parts") or [[None]])[0][0]
    abstract = re.sub(r"<[^>]+>", " ", work.get("abstract") or "")
    fields = {
        "title": first("title"),
        "journal": first("container-title"),
        "year": str(year or ""),
        "volume": first("volume"),
        "number": first("issue"),
        "pages": first("page") or first("article-number"),
        "doi": first("DOI"),
        "author": (work.get("author") or [{}])[0].get("family", ""),
    }
    return Fetched(
        f"Crossref {doi}",
        {k: v for k, v in fields.items() if v},
        f"{fields['title']} {abstract}",
        bool(abstract.strip()),
    )


# -- Comparing ------------------------------------------------------------------------


def _pages(pages: str) -> str:
    """A page range written in full: "40-3" and "40--43" are both "40-43".

    >>> _pages("40-3"), _pages("1545--1564"), _pages("74")
    ('40-43', '1545-1564', '74')
    """
    first, dash, last = normalize(pages).replace("--", "-").partition("-")
    if dash and last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}{dash}{last}"


def _same(name: str, mine: str, theirs: str) -> bool:
    """Whether a bib field and a service's value agree, as a reader would judge.

    >>> _same("title", "[Interspecies differences]", "[Interspecies Differences].")
    True
    >>> _same("journal", "Eksperimental\N{RIGHT SINGLE QUOTATION MARK}naia", "Eksperimental'naia")
    True
    """
    if name == "pages":
        return _pages(mine) == _pages(theirs)
    return _canon(mine) == _canon(theirs)


def _canon(value: str) -> str:
    return normalize(value).casefold().strip("[]. ")


def compare(record: Record, bib: dict[str, str], fetched: Fetched) -> list[str]:
    """One line for each shown field or passage that ``fetched`` contradicts."""
    lines = []
    for name in record.shows:
        mine, theirs = bib.get(name, ""), fetched.fields.get(name)
        if name in COMPARED and theirs is not None and not _same(name, mine, theirs):
            lines.append(
                f"- `{record.path}`: {name}: refs.bib has {mine!r}, "
                f"{fetched.source} shows {theirs!r}"
            )
    text, title = normalize(fetched.text), normalize(bib.get("title", ""))
    for passage in record.passages:
        words = normalize(passage.text)
        checkable = fetched.abstract or words.strip("[]. ") == title.strip("[]. ")
        if checkable and words.strip("[]") not in text:
            lines.append(
                f"- `{record.path}:{passage.line}`: passage: not found in "
                f"{fetched.source}: {passage.text!r}"
            )
    return lines


def records_report(
    docs_dir: Path, keys: list[str] | tuple[str, ...] = ()
) -> tuple[str, int]:
    """The report (Markdown), and how many problems it names."""
    records, invalid = check_records(docs_dir)
    bib = {
        k: fields
        for k, (_, fields) in bib_entries(
            (docs_dir / BIB_FILE).read_text("utf-8")
        ).items()
    }
    chosen = [records[k] for k in sorted(records) if not keys or k in keys]
    by_pmid = {
        bib[r.key]["pmid"]: r
        for r in chosen
        if "pmid" in r.shows and bib[r.key].get("pmid")
    }
    by_doi = [r for r in chosen if r not in by_pmid.values() and bib[r.key].get("doi")]
    lines: list[str] = []
    compared = 0
    if by_pmid:
        try:
            found = pubmed(sorted(by_pmid))
        except FETCH_ERRORS as error:
            found = {}
            lines += [
                f"- `{r.path}`: fetch: PubMed could not be read ({error}); "
                "nothing compared"
                for r in by_pmid.values()
            ]
        else:
            for pmid, record in by_pmid.items():
                if pmid in found:
                    compared += 1
                    lines += compare(record, bib[record.key], found[pmid])
                else:
                    lines.append(
                        f"- `{record.path}`: fetch: PubMed returned no "
                        f"record for PMID {pmid}"
                    )
    for record in by_doi:
        doi = bib[record.key]["doi"]
        try:
            fetched = crossref(doi)
        except FETCH_ERRORS as error:
            lines.append(
                f"- `{record.path}`: fetch: Crossref could not be read for "
                f"{doi} ({error}); nothing compared"
            )
            continue
        compared += 1
        lines += compare(record, bib[record.key], fetched)
    skipped = len(chosen) - len(by_pmid) - len(by_doi)
    summary = (
        f"{compared} record(s) compared with PubMed and Crossref; {skipped} with "
        f"neither a PMID nor a DOI to look up; {len(lines)} problem(s)."
    )
    if invalid:
        summary += (
            f" {len(invalid)} problem(s) in the record files themselves: "
            "run `noopept-brief check`."
        )
    report = "\n".join(
        [
            "## Records compared with PubMed and Crossref",
            "",
            *lines,
            *([""] if lines else []),
            summary,
            "",
        ]
    )
    return report, len(lines) + len(invalid)
