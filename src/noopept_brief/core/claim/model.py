"""The claim model: what a claim is, spelled once.

* :class:`Evidence` and :class:`Status`: the values a claim's ``:evidence:``
  and ``:status:`` may take, each member with its label, how the map counts
  it, and what a claim with it must carry (:class:`Carries`).
* :class:`Claim`: one marked statement, frozen, with its place in the brief
  (page, anchor, section, line). The ``{claim}`` directive stores one on its
  node, the claims domain keeps them, ``noopept-brief changes`` reads the same
  from another commit's sources, and ``claims.json`` is their
  :meth:`Claim.to_json`.

A new status, evidence basis or claim field is one edit here: the rules
(:mod:`.markup`), the map, the badges, claims.json and its documentation
(:func:`json_fields`) all read these definitions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, Self

from .._upstream import typographic

if TYPE_CHECKING:
    from ..refs.records import Record


class Carries(Enum):
    """What a claim must carry, besides its id, short text and evidence."""

    SOURCE = "a cited record"
    MARKER = "a short text that says whose assertion it is"
    NOTE = "a note saying what the record shows"
    QUOTE = "the record's words, quoted"  # core.claim.quotes finds them


class _Valued(StrEnum):
    """A StrEnum whose members carry more than their value."""

    label: str  # what readers see
    counted: str  # how the map's summary counts it: "3 differ from the record"
    requires: frozenset[Carries]  # what a claim with it must carry

    @classmethod
    def of(cls, value: object) -> Self | None:
        """The member for an option's value, or None if it is not one.

        >>> Status.of("differs") is Status.DIFFERS, Status.of("rodents")
        (True, None)
        """
        try:
            return cls(value)
        except ValueError:
            return None

    @classmethod
    def label_of(cls, value: object, unknown: str = "?") -> str:
        """The label readers see for ``value`` (``unknown`` if it is none)."""
        member = cls.of(value)
        return member.label if member is not None else unknown


class Evidence(_Valued):
    """What a claim rests on: option value, label, and what the basis covers."""

    meaning: str

    def __new__(cls, value: str, label: str, meaning: str) -> Evidence:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.meaning = label, meaning
        member.counted, member.requires = label, frozenset()
        return member

    RODENT_IN_VIVO = ("rodent-in-vivo", "Rodent in vivo",
                      "behavior or pharmacokinetics in living rats or mice")  # fmt: skip
    EX_VIVO_TISSUE = ("ex-vivo-tissue", "Ex vivo tissue",
                      "brain tissue taken from treated animals and analyzed")  # fmt: skip
    IN_VITRO_CELLS = ("in-vitro-cells", "In vitro cells",
                      "cultured cells, including cell models of disease")  # fmt: skip
    INVERTEBRATE_NEURONS = ("invertebrate-neurons", "Invertebrate neurons",
                            "neurons of invertebrates, such as the common snail")  # fmt: skip
    # A record may report an experimental finding without naming its species
    # or system: the label must not add one.
    EXPERIMENTS = ("experiments", "Experiments (model not stated)",
                   "an experimental finding whose record names no species or system")  # fmt: skip
    HUMAN = ("human", "Human studies",
             "studies in people: pharmacokinetics, clinical comparisons")  # fmt: skip
    COMMUNITY_REPORTS = ("community-reports", "Community reports (non-research)",
                         "online discussion and commentary: context, not research")  # fmt: skip
    BACKGROUND = ("background", "Background",
                  "general biology or chemistry, the state of the literature, "
                  "or regulation: not a Noopept finding")  # fmt: skip


#: What a claim the records do not confirm carries.
_UNCONFIRMED = frozenset({Carries.MARKER, Carries.NOTE})


class Status(_Valued):
    """How a claim stands against the bibliographic record."""

    def __new__(
        cls, value: str, label: str, counted: str, requires: frozenset[Carries]
    ) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label, member.counted, member.requires = label, counted, requires
        return member

    @property
    def confirms(self) -> bool:
        """Whether the records bear the claim out (else it is listed as
        unverified, and its short text says whose assertion it is)."""
        return Carries.MARKER not in self.requires

    CONFIRMED = ("confirmed", "Confirmed", "confirmed",
                 frozenset({Carries.SOURCE, Carries.QUOTE}))  # fmt: skip
    DIFFERS = ("differs", "Differs from the record", "differ from the record",
               _UNCONFIRMED)  # fmt: skip
    UNCONFIRMED = ("unconfirmed", "Unconfirmed", "unconfirmed", _UNCONFIRMED)
    CONTRADICTED = ("contradicted", "Contradicted by the records",
                    "contradicted by the records", _UNCONFIRMED)  # fmt: skip


#: Whose assertion an unconfirmed claim is: the marker its short text opens
#: with -> what it means. The map shows short texts without their claim's
#: prose, so a claim the records do not confirm must not read there as fact.
SHORT_MARKERS = {
    "Article:": "the source article says so",
    "Reports:": "online community reports say so",
    "Brief:": "the brief's own statement or reading",
}


def _words(value: str) -> str:
    """Text as readers see it: one line, with typographic quotes."""
    return typographic(" ".join(value.split()))


def _keys(value: str) -> tuple[str, ...]:
    return tuple(key for key in re.split(r"[,\s]+", value) if key)


def _field(doc: str, read: Callable[[str], Any] | None = None, **derived: str) -> Any:
    """A claims.json field: what it holds (``derived``: fields written right
    after it, computed from it, with theirs), and how the ``{claim}``
    directive reads it from an option of the same name, if it is one."""
    meta = {"json": doc, "derived": derived} | ({"option": read} if read else {})
    return field(default=() if read is _keys else "", metadata=meta)


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One marked statement, and where it stands. The fields made by
    :func:`_field` are claims.json's, in its order; the others place it."""

    # fmt: off
    id: str = _field("the claim's stable id; it never changes and is never reused", str.strip)
    short: str = _field("the claim's short text, as the evidence map lists it")
    page: str = _field("the title of the page it stands on")
    section: str = _field("the title of its section, or an empty string at the top of a page")
    url: str = _field("its address, relative to this file (page and anchor)")
    evidence: str = _field("its evidence basis, as a key (for example rodent-in-vivo)",
                           str.strip, evidence_label="the evidence basis in words")
    status: str = _field("{statuses}", str.strip, status_label="the status in words")
    note: str = _field("what the record shows, where the status is not confirmed; "
                       "otherwise an empty string", _words)
    sources: tuple[str, ...] = _field("the works it rests on, each with the fields below", _keys)
    quote: str = _field("the record's words it rests on, verbatim (pieces joined by "
                        "'…'); required where the status is confirmed, else often "
                        "an empty string", _words,
                        quoted_in="the records whose passages hold the quote: each with "
                        "key, url (the address read), kind (abstract, publisher-page, "
                        "...) and read (the month, YYYY-MM)")
    # fmt: on
    docname: str = ""  # the page's docname (the PDF resolves all pages as one)
    anchor: str = ""  # its HTML anchor and label: claim-<id>
    section_id: str = ""  # its section's anchor, or "" at the top of a page
    line: int = 0  # the line of the claim's opening fence

    @property
    def printed_id(self) -> str:
        """The id a claim's label and its map row print (its anchor's tail
        while it has none).

        >>> Claim(anchor="claim-erk").printed_id, Claim(id="c7").printed_id
        ('erk', 'c7')
        """
        return self.id or self.anchor.removeprefix("claim-")

    @property
    def place(self) -> str:
        """Where it stands (page, then section), as the map and lists show it."""
        return self.page + (f" \u203a {self.section}" if self.section else "")

    def to_json(
        self,
        refs: Iterable[Mapping[str, Any]] = (),
        records: Mapping[str, Record] | None = None,
        quoted_in: Iterable[Record] = (),
    ) -> dict[str, Any]:
        """The claim as claims.json holds it: ``refs`` give its sources' ids,
        ``records`` (the record files, by key) where each was read, and
        ``quoted_in`` the records its quote is from
        (:func:`~.quotes.quoted_in`).

        >>> Claim(id="a", status="differs", sources=("k",)).to_json()["status_label"]
        'Differs from the record'
        """
        by_key = {ref["key"].lower(): ref for ref in refs}
        derived = {
            "evidence_label": Evidence.label_of(self.evidence, ""),
            "status_label": Status.label_of(self.status, ""),
            "quoted_in": [{"key": r.key, **record_json(r)} for r in quoted_in],
        }
        found: dict[str, Any] = {}
        for name in json_fields():
            if name in derived:
                found[name] = derived[name]
            elif name == "sources":
                found[name] = [
                    source_json(key, by_key, records) for key in self.sources
                ]
            else:
                found[name] = str(getattr(self, name))
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Claim:
        """A claim from claims.json (older copies may lack fields).

        >>> c = Claim(id="a", url="p.html#claim-a", sources=("k",))
        >>> Claim.from_json(c.to_json()) == dataclasses.replace(c, docname="p", anchor="claim-a")
        True
        """
        names = {f.name for f in dataclasses.fields(cls) if "json" in f.metadata}
        values = {k: v for k, v in data.items() if k in names}
        values["sources"] = tuple(
            s["key"] if isinstance(s, Mapping) else str(s)
            for s in data.get("sources", ())
        )
        page, _, anchor = str(data.get("url", "")).partition("#")
        return cls(**values, docname=page.removesuffix(".html"), anchor=anchor)


def claim_options() -> tuple[str, ...]:
    """The ``{claim}`` directive's options: the fields it reads from them."""
    return tuple(f.name for f in dataclasses.fields(Claim) if "option" in f.metadata)


def make_claim(
    short: str,
    options: Mapping[str, str],
    cited: Iterable[str] = (),
    line: int = 1,
    docname: str = "",
) -> Claim:
    """A claim from its short text, its options, and the keys its body cites
    (its sources: those, then ``:sources:``).

    >>> make_claim("Short", {"sources": "b2002 c2003", "status": " differs "},
    ...            ["a2001", "b2002"]).sources
    ('a2001', 'b2002', 'c2003')
    """
    values = {
        f.name: f.metadata["option"](options.get(f.name) or "")
        for f in dataclasses.fields(Claim)
        if "option" in f.metadata
    }
    values["sources"] = tuple(dict.fromkeys([*cited, *values.get("sources", ())]))
    return Claim(short=_words(short), line=line, docname=docname, **values)


def json_fields() -> dict[str, str]:
    """claims.json's fields of a claim -> what each holds, from :class:`Claim`."""
    *rest, last = list(Status)
    statuses = f"{', '.join(rest)} or {last}"
    return {
        name: doc.format(statuses=statuses)
        for f in dataclasses.fields(Claim)
        if "json" in f.metadata
        for name, doc in {f.name: f.metadata["json"], **f.metadata["derived"]}.items()
    }


#: A source's fields in claims.json -> what each holds. The identifiers are
#: refs.bib's: several were seen in secondary listings only, so the file says
#: for each whether a primary record shows it.
SOURCE_FIELDS = {
    "key": "the entry's key in the reference list",
    "doi": "its DOI as given in refs.bib, or null where refs.bib gives none",
    "pmid": "its PubMed id as given in refs.bib, or null where refs.bib gives none",
    "doi_primary": "true if a primary record (its record file's kind is not "
    "secondary-listing) shows the DOI; false if only a secondary listing does; "
    "null where refs.bib gives none",
    "pmid_primary": "the same for the PubMed id",
    "record": "where its record was read: url (the https address, or null for "
    "a secondary listing that has none), kind and read (the month, YYYY-MM)",
}


def record_json(record: Record | None) -> dict[str, Any]:
    """Where a record was read, as claims.json gives it."""
    if record is None:
        return {"url": None, "kind": None, "read": None}
    return {"url": record.url, "kind": str(record.kind), "read": record.read}


def source_json(
    key: str,
    by_key: Mapping[str, Mapping[str, Any]],
    records: Mapping[str, Record] | None = None,
) -> dict[str, Any]:
    """One source as claims.json holds it (``by_key``: refs by lower-case key;
    ``records``: the record files by key).

    >>> from ..refs.records import Kind, Record
    >>> r = Record("k", "k.yaml", Kind.ABSTRACT, "2026-12", ("pmid",), ())
    >>> s = source_json("K", {"k": {"doi": "10.1/x", "pmid": "7"}}, {"k": r})
    >>> s["doi_primary"], s["pmid_primary"], s["record"]["kind"]
    (False, True, 'abstract')
    """
    ref = by_key.get(key.lower(), {})
    record = (records or {}).get(key.lower())

    def primary(name: str) -> bool | None:
        if not ref.get(name):
            return None
        return bool(record and record.primary and name in record.shows)

    return {
        "key": key, "doi": ref.get("doi"), "pmid": ref.get("pmid"),
        "doi_primary": primary("doi"), "pmid_primary": primary("pmid"),
        "record": record_json(record) if record else None,
    }  # fmt: skip
