"""The record files, ``docs/_records/<key>.yaml``: what each refs.bib entry rests on.

This module owns the record files: their schema (:data:`FIELDS`, :class:`Kind`),
reading and checking them (:func:`check_records`: the records that pass, and
every problem), and how quotes and passages are compared (:func:`normalize`;
:func:`..claim.quotes.quote_in_record` finds a quote). One file per refs.bib
entry, named by its key::

    url: https://pubmed.ncbi.nlm.nih.gov/15079908/   # the record read (https)
    kind: abstract        # what it is: see Kind
    read: 2026-12         # the month the project's reviewers read it (YYYY-MM)
    shows: [title, journal, year, volume, number, pages, pmid]  # refs.bib fields
    passages:             # the record's exact words, at most 50 each
      - probably because of a relatively small dose and low concentration

A secondary listing (another work's reference list, a data file) may leave
``url`` out, and then says in ``where`` what kind of listing it was. Only a
primary record (any other kind) can confirm a claim; CONTRIBUTING.md ("Adding
a record and a quote") has a worked example.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..markdown.allowlist import refused_url
from ..rules import Rule
from ..violations import Violation
from .bib import BIB_FILE, bib_entries

#: The folder under docs/ that holds the record files, and their suffix.
RECORDS_DIR, SUFFIX = "_records", ".yaml"
#: The longest passage, in words: a quotation, not a copy of the record.
MAX_WORDS = 50
#: A record file is a few lines; anything far longer is refused unread.
MAX_BYTES = 16_384


class Kind(StrEnum):
    """What a record is. Every kind but a secondary listing is primary."""

    ABSTRACT = "abstract"  # a PubMed/MEDLINE or PMC entry with its abstract
    TITLE_ONLY = "title-only"  # a primary record whose title was all that was read
    FULL_TEXT = "full-text"
    PUBLISHER_PAGE = "publisher-page"  # the journal's own page, reached by the DOI
    AGENCY_PAGE = "agency-page"  # a regulator's own page (fda.gov)
    SECONDARY = "secondary-listing"  # another work's reference list, a data file


#: Each key a record file may have, and whether it must.
FIELDS = {"url": False, "kind": True, "read": True, "shows": True,
          "passages": True, "where": False}  # fmt: skip
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Passage:
    """One passage: the record's words, and the line of the file they are on."""

    text: str
    line: int


@dataclass(frozen=True)
class Record:
    """One record file, read and checked."""

    key: str
    path: str
    kind: Kind
    read: str
    shows: tuple[str, ...]
    passages: tuple[Passage, ...]
    url: str | None = None
    where: str | None = None
    title: str = ""  # refs.bib's title, where the record shows it ("" if not)

    @property
    def primary(self) -> bool:
        return self.kind is not Kind.SECONDARY


#: Quotes and passages are compared with these folded (:func:`normalize`).
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4\u0060", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58", "-"),
    }
)


@functools.lru_cache(maxsize=8192)  # the same passages, for every claim (issue 21)
def normalize(text: str) -> str:
    """Text as quotes and passages are compared: Unicode NFKC, curly quotes and
    dashes folded to straight ones, invisible format characters (soft hyphens,
    zero-width spaces) dropped, whitespace collapsed. Case is kept: a quote is
    the record's words verbatim.

    >>> normalize("“Introduced  into\\nmedical practice” \u2013 ﬁne\u00ad")
    '"Introduced into medical practice" - fine'
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


# -- Reading a record file -------------------------------------------------------


def _read_yaml(text: str, loader: type) -> tuple[object, dict, list[int], list[tuple]]:
    """The data, its keys' and passages' lines, keys given twice (safe loaders)."""
    import yaml

    if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, loader)):
        raise yaml.YAMLError("it uses an alias (*name); write each value out")
    data, root = yaml.load(text, Loader=loader), yaml.compose(text, Loader=loader)
    keys: dict[str, int] = {}
    passages, twice = [], []
    if isinstance(root, yaml.MappingNode):
        for name, value in root.value:
            label = str(name.value)
            if label in keys:
                twice.append((name.start_mark.line + 1, label))
            keys.setdefault(label, name.start_mark.line + 1)
            if label == "passages" and isinstance(value, yaml.SequenceNode):
                passages = [item.start_mark.line + 1 for item in value.value]
    return data, keys, passages, twice


#: What each problem says, with its fix ({} are filled in where it is found).
FIX = {
    "size": f"the file is longer than {MAX_BYTES} bytes. A record file holds an "
    "address, a few fields and short passages.",
    "yaml": "the file is not valid YAML ({}). Compare it with the example in "
    'CONTRIBUTING.md, "Adding a record and a quote".',
    "mapping": "the file is not a mapping of keys to values. Start it with "
    "`kind:`, as the example in CONTRIBUTING.md does.",
    "twice": "{!r} is given twice. Keep one.",
    "unknown": f"unknown key {{!r}}. A record file has only these keys: {', '.join(FIELDS)}.",
    "missing": "the key {!r} is missing. Add `{}:` (CONTRIBUTING.md has the schema).",
    "kind": "kind {!r} is not one of: " + ", ".join(Kind) + ". Say what was read.",
    "not-url": "{!r} is not an address. Give the https address of the record read.",
    "no-url": "a {} record needs `url:`, the https address where it was read "
    "(https://pubmed.ncbi.nlm.nih.gov/<PMID>/, https://doi.org/<DOI>). If no "
    "address is known, it is not a record a reader can check: never guess one.",
    "no-where": "a secondary listing without `url:` needs `where:`, a sentence "
    "saying what kind of listing it was (another work's reference list, a data file).",
    "where": "`where:` must be a sentence.",
    "read": "read: {!r} is not a past month written YYYY-MM. Give the month the "
    "project's reviewers read the record, for example 2026-12.",
    "shows": "`shows:` must be a list of refs.bib field names, like [title, year].",
    "shown-twice": "{!r} is listed twice. List each field once.",
    "no-field": "refs.bib's entry {!r} has no field {!r}. List only fields the "
    "entry has ({}) and the record shows.",
    "passages": "`passages:` must be a list of the record's own words, one item "
    "each ([] if none).",
    "not-text": "this passage is not text. Quote the record's words as a string.",
    "long": "this passage has {} words; at most "
    f"{MAX_WORDS}. Keep only the words a claim relies on.",
    "orphan": "refs.bib has no entry {!r} for this record file. Name the file "
    "after the entry's key, or remove it with the entry.",
    "no-record": "the entry {0!r} has no record file. Add "
    f"docs/{RECORDS_DIR}/{{0}}{SUFFIX}, saying where its fields were read "
    '(CONTRIBUTING.md, "Adding a record and a quote").',
    "not-record": f"only record files belong in docs/{RECORDS_DIR}/, each named "
    f"<key>{SUFFIX}. Rename this one {{}}{SUFFIX} if it is a record, or move it out.",
    "not-title": "a title-only record's passages are words of its title, and "
    "this one is not in refs.bib's title. Quote the title, or change `kind:` "
    "to what was read.",
}


def _parse(text: str) -> tuple[object, dict[str, int], list[int], list[tuple]]:
    """The file's data, where its keys and passages are, and its own problems."""
    import yaml

    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, {}, [], [(Rule.RECORD_SYNTAX, 1, FIX["size"])]
    try:
        try:  # libyaml's loader where PyYAML has it: seven times faster
            fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            data, lines, passages, twice = _read_yaml(text, fast)
        except yaml.YAMLError:  # again, for PyYAML's own words in the message
            data, lines, passages, twice = _read_yaml(text, yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark, why = getattr(error, "problem_mark", None), getattr(error, "problem", "")
        line, fix = mark.line + 1 if mark else 1, FIX["yaml"].format(why or error)
        return None, {}, [], [(Rule.RECORD_SYNTAX, line, fix)]
    if not isinstance(data, dict):
        return None, {}, [], [(Rule.RECORD_SYNTAX, 1, FIX["mapping"])]
    found = [(Rule.RECORD_SYNTAX, int(n), FIX["twice"].format(k)) for n, k in twice]
    found += [
        (Rule.RECORD_SYNTAX, lines.get(str(k), 1), FIX["unknown"].format(k))
        for k in data
        if str(k) not in FIELDS
    ]
    found += [
        (Rule.RECORD_SYNTAX, 1, FIX["missing"].format(k, k))
        for k, required in FIELDS.items()
        if required and k not in data
    ]
    return data, lines, passages, found


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def read_record(
    text: str,
    path: str,
    key: str,
    bib_fields: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> tuple[Record | None, list[Violation]]:
    """One record file, checked: the record (None if it is unusable) and its
    problems. ``bib_fields`` are its refs.bib entry's fields.

    >>> good = "kind: abstract\\nurl: https://pubmed.ncbi.nlm.nih.gov/1/\\n" \\
    ...        "read: 2026-12\\nshows: [title]\\npassages: [A title]\\n"
    >>> read_record(good, "k.yaml", "k", {"title": "A title"})[1]
    []
    >>> for v in read_record(good.replace("https", "http"), "k.yaml", "k")[1]:
    ...     print(v)
    k.yaml:2: [record-url] the link http://pubmed.ncbi.nlm.nih.gov/1/ is not \
https. Write it as https://pubmed.ncbi.nlm.nih.gov/1/ (check that it loads), or \
remove it.
    """
    data, lines, passage_lines, found = _parse(text)
    if not isinstance(data, dict):
        return None, [Violation(path, n, rule, m) for rule, n, m in found]

    def at(name: str) -> int:
        return lines.get(name, 1)

    kind = next((k for k in Kind if k == data.get("kind")), None)
    if kind is None and "kind" in data:
        found.append((Rule.RECORD_KIND, at("kind"), FIX["kind"].format(data["kind"])))
    url, where = data.get("url"), data.get("where")
    if url is not None:
        is_url = isinstance(url, str) and url.lower().startswith(("https:", "http:"))
        if why := refused_url(url) if is_url else FIX["not-url"].format(url):
            found.append((Rule.RECORD_URL, at("url"), why))
    elif kind is not None and kind is not Kind.SECONDARY:
        found.append((Rule.RECORD_URL, at("kind"), FIX["no-url"].format(kind)))
    elif kind is Kind.SECONDARY and not _is_text(where):
        found.append((Rule.RECORD_URL, at("kind"), FIX["no-where"]))
    if where is not None and not _is_text(where):
        found.append((Rule.RECORD_SYNTAX, at("where"), FIX["where"]))

    read = data.get("read")
    match = _MONTH.match(read) if isinstance(read, str) else None
    month = (int(match[1]), int(match[2])) if match else (0, 0)
    now = today or datetime.date.today()
    if "read" in data and not (
        month[0] >= 2000 and 1 <= month[1] <= 12 and month <= (now.year, now.month)
    ):
        found.append((Rule.RECORD_READ, at("read"), FIX["read"].format(read)))

    shows = data.get("shows")
    if not (isinstance(shows, list) and all(isinstance(s, str) for s in shows)):
        if "shows" in data:
            found.append((Rule.RECORD_SHOWS, at("shows"), FIX["shows"]))
        shows = []
    for name in dict.fromkeys(shows):
        if shows.count(name) > 1:
            found.append(
                (Rule.RECORD_SHOWS, at("shows"), FIX["shown-twice"].format(name))
            )
        if bib_fields is not None and name not in bib_fields:
            have = ", ".join(bib_fields)
            found.append(
                (
                    Rule.RECORD_SHOWS,
                    at("shows"),
                    FIX["no-field"].format(key, name, have),
                )
            )

    raw = data.get("passages")
    if not isinstance(raw, list):
        if raw is not None:
            found.append((Rule.RECORD_PASSAGE, at("passages"), FIX["passages"]))
        raw = []
    title = normalize((bib_fields or {}).get("title", ""))
    passages = []
    for index, words in enumerate(raw):
        line = passage_lines[index] if index < len(passage_lines) else at("passages")
        count = len(words.split()) if isinstance(words, str) else 0
        if not count:
            found.append((Rule.RECORD_PASSAGE, line, FIX["not-text"]))
        elif count > MAX_WORDS:
            found.append((Rule.RECORD_PASSAGE, line, FIX["long"].format(count)))
        elif kind is Kind.TITLE_ONLY and normalize(words).strip("[]. ") not in title:
            found.append((Rule.RECORD_PASSAGE, line, FIX["not-title"]))
        else:
            passages.append(Passage(words, line))
    if found or kind is None:
        return None, [Violation(path, n, rule, m) for rule, n, m in found]
    title = (bib_fields or {}).get("title", "") if "title" in shows else ""
    return Record(key, path, kind, read, tuple(shows), tuple(passages), url, where,
                  title), []  # fmt: skip


# -- The records of the whole brief ------------------------------------------------


def check_records(
    docs_dir: Path,
    shown: Callable[[Path], str] = str,
    today: datetime.date | None = None,
    bib_text: str | None = None,
) -> tuple[dict[str, Record], list[Violation]]:
    """Every record file under ``docs/_records/``, checked against refs.bib
    (``bib_text``, if it was read already): the records that pass, and every
    problem (each file's own, a refs.bib entry with no record file, a record
    file with no entry, a file that is no record)."""
    bib = docs_dir / BIB_FILE
    try:
        entries = bib_entries(bib.read_text("utf-8") if bib_text is None else bib_text)
    except (OSError, UnicodeDecodeError):
        entries = {}  # refs.bib's own rules report it
    folder = docs_dir / RECORDS_DIR
    found = (
        sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    )
    records: dict[str, Record] = {}
    problems = [
        Violation(shown(p), 1, Rule.RECORD_ORPHAN, FIX["not-record"].format(p.stem))
        for p in found
        if p.suffix != SUFFIX and p.name != "README.txt"
    ]
    files = [p for p in found if p.suffix == SUFFIX]
    for path in files:
        key = path.stem.lower()
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the encoding rule reports it
        if key not in entries:
            fix = FIX["orphan"].format(path.stem)
            problems.append(Violation(shown(path), 1, Rule.RECORD_ORPHAN, fix))
            continue
        fields = entries[key][1]
        record, wrong = read_record(text, shown(path), key, fields or None, today)
        problems += wrong
        if record is not None:
            records[key] = record
    named = {path.stem.lower() for path in files}
    problems += [
        Violation(shown(bib), line, Rule.RECORD_MISSING, FIX["no-record"].format(key))
        for key, (line, _) in sorted(entries.items(), key=lambda item: item[1][0])
        if key not in named
    ]
    return records, problems


def unattributed(records: Mapping[str, Record]) -> frozenset[str]:
    """The keys whose record does not show the authors: refs.bib may name no one.

    >>> r = Record("k", "k.yaml", Kind.PUBLISHER_PAGE, "2026-12", ("title",), ())
    >>> sorted(unattributed({"k": r}))
    ['k']
    """
    return frozenset(key for key, r in records.items() if "author" not in r.shows)
