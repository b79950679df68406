"""The "brief" citation styles: author-year labels in the text and in the list.

``conf.py`` names them (``bibtex_reference_style`` and
``bibtex_default_style``). pybtex and sphinxcontrib-bibtex find them through
the entry points in ``pyproject.toml`` (``pybtex.style.labels``,
``pybtex.style.sorting``, ``pybtex.style.formatting`` and
``sphinxcontrib.bibtex.style.referencing``), as they find their own.

sphinxcontrib-bibtex's ``author_year`` setting changes in-text citations only;
the list keeps numeric labels unless the pybtex style changes too. Here both
read "Ostrovskaya et al., 2008", and two works with the same first author and
year get "1996a" and "1996b", in the list and in the text alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.formatting.unsrt import dashify, date
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    FieldIsMissing,
    first_of,
    optional,
    optional_field,
    sentence,
    tag,
)
from pybtex.style.template import field as pybtex_field
from pybtex.style.template import join as pybtex_join
from pybtex.style.template import node as pybtex_node
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import (
    AuthorYearReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import (
    join,
    join2,
    names,
    node,
    post_text,
    pre_text,
    reference,
)

# -- The reference list (pybtex styles) ----------------------------------------


def short_title(entry: Any, words: int = 3) -> str:
    """A work with no author on record is named by its title's first words,
    in quotation marks, as author-year styles do ("Possibilities nootropic
    drugs…")."""
    title = entry.fields["title"].replace("{", "").replace("}", "").split()
    return (
        "\u201c"
        + " ".join(title[:words])
        + ("\u2026" if title[words:] else "")
        + "\u201d"
    )


def base_label(entry: Any) -> str:
    """ "Smith, 2001", "Smith and Jones, 2001", "Smith et al., 2001", or the
    short title where the record shows no author."""
    authors = entry.persons.get("author", [])
    surnames = [
        " ".join(p.last_names).replace("{", "").replace("}", "")
        for p in authors
        if str(p) != "others"
    ]
    if not surnames:
        who = short_title(entry)
    elif len(authors) > 2 or (len(authors) == 2 and len(surnames) == 1):
        who = f"{surnames[0]} et al."
    else:
        who = " and ".join(surnames)
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    """Labels as the text cites: "Smith et al., 2001", "1996a" on a clash."""

    def format_labels(self, sorted_entries: Iterable[Any]) -> Iterator[str]:
        sorted_entries = list(sorted_entries)
        bases = [base_label(entry) for entry in sorted_entries]
        clashes, seen = Counter(bases), Counter()
        for base in bases:
            seen[base] += 1
            yield base + (chr(96 + seen[base]) if clashes[base] > 1 else "")


@pybtex_node
def list_names(children, context, role, **kwargs):
    """Names as BibTeX's "and others" should read: "A, B, et al."."""
    persons = list(context["entry"].persons[role])
    others = bool(persons) and str(persons[-1]) == "others"
    style = context["style"]
    shown = [style.format_name(p, style.abbreviate_names) for p in persons]
    if others:
        sep = ", " if len(shown) > 2 else " "
        return pybtex_join(sep=sep)[[*shown[:-1], "et al."]].format_data(context)
    return pybtex_join(**kwargs)[shown].format_data(context)


class FirstAuthorYearTitle(BaseSortingStyle):
    """Sort as the labels read: first author, then year, then title."""

    def sorting_key(self, entry: Any) -> tuple[str, str, str]:
        authors = entry.persons.get("author", [])
        first = " ".join(authors[0].last_names) if authors else entry.fields["title"]
        first = first.replace("{", "").replace("}", "")
        return (first.lower(), entry.fields.get("year", ""), entry.fields["title"])


class AuthorYearStyle(UnsrtStyle):
    """unsrt, with author-year labels, "et al." and titles kept as written."""

    default_label_style = "brief"
    default_sorting_style = "brief"

    def format_names(self, role, as_sentence=True):
        formatted = list_names(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[formatted] if as_sentence else formatted

    def get_article_template(self, e):
        # unsrt drops a volume that has no pages; a verified volume stays.
        template = super().get_article_template(e)
        if "author" not in e.persons:
            # No author on record: the entry opens with its title (unsrt
            # would stop at the missing field).
            template = toplevel[
                self.format_title(e, "title"),
                sentence[
                    tag("em")[pybtex_field("journal")],
                    pybtex_join[
                        optional_field("volume"),
                        optional["(", pybtex_field("number"), ")"],
                        optional[":", pybtex_field("pages", apply_func=dashify)],
                    ],
                    date,
                ],
                self.format_web_refs(e),
            ]
        elif "pages" not in e.fields:
            volume = pybtex_join[
                pybtex_field("volume"), optional["(", pybtex_field("number"), ")"]
            ]
            template = toplevel[
                self.format_names("author"),
                self.format_title(e, "title"),
                sentence[tag("em")[pybtex_field("journal")], optional[volume], date],
                sentence[optional_field("note")],
                self.format_web_refs(e),
            ]
        return template

    def format_title(self, e, which_field, as_sentence=True):
        # Keep titles as written: sentence-casing would turn "Noopept"
        # into "noopept" and "GVS-111" into "gvs-111".
        field_ = pybtex_field(which_field)
        return sentence[field_] if as_sentence else field_


# -- Citations in the text (sphinxcontrib-bibtex referencing style) ------------


@node
def label_year(children, data):
    """The year as the reference list shows it: "1996a" where needed."""
    return Text(data["formatted_entry"].label.rsplit(", ", 1)[-1])


@node
def title_label(children, data):
    """A work with no author, in the text as in the list: its short title."""
    return Text(short_title(data["entry"]))


@node
def names_et_al(children, data, role, **kwargs):
    """In-text names, reading BibTeX's "and others" as "et al."."""
    persons = data["entry"].persons.get(role)
    if not persons:  # optional[] then tries the editor, then the title
        raise FieldIsMissing(role, data["entry"])
    if len(persons) < 2 or str(persons[-1]) != "others":
        return names(role=role, **kwargs).format_data(data)
    person = data["style"].person
    first = person.style_plugin.format(persons[0], person.abbreviate)
    return join[first, person.other].format_data(data)


@dataclass
class Persons(PersonStyle):
    """Authors in the text: "Smith et al." for BibTeX's "and others"."""

    def author_or_editor_or_title(self, full):
        options = {"sep": self.sep, "sep2": self.sep2, "last_sep": self.last_sep,
                   "other": None if full else self.other}  # fmt: skip
        return first_of[
            optional[names_et_al("author", **options)],
            optional[names("editor", **options)],
            title_label,
        ]


@dataclass
class Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    """(Smith et al., 1996a): upstream's template, with the list's year."""

    def inner(self, role_name: str):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[
                join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name),
                    label_year,
                ]
            ],
            post_text,
        ]


@dataclass
class Textual(BasicAuthorYearTextualReferenceStyle):
    """Smith et al. (1996a): upstream's template, with the list's year."""

    def inner(self, role_name: str):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text,
                    reference[label_year],
                    post_text,
                ],
                self.bracket.right,
            ],
        ]


def round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


#: Upstream's two author-year styles, and the ones that replace them here.
_REPLACED = {
    BasicAuthorYearParentheticalReferenceStyle: Parenthetical,
    BasicAuthorYearTextualReferenceStyle: Textual,
}


@dataclass
class AuthorYearReferences(AuthorYearReferenceStyle):
    """(Author et al., 2008) in round brackets, as author-year readers expect."""

    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)
    person: PersonStyle = field(default_factory=Persons)

    def __post_init__(self) -> None:
        super().__post_init__()
        # Upstream's group, with its two author-year styles swapped for ours
        # (same settings), so in-text years carry the list's "a" and "b".
        for index, style in enumerate(self.styles):
            if (ours := _REPLACED.get(type(style))) is not None:
                settings = {f.name: getattr(style, f.name) for f in fields(style)}
                self.styles[index] = ours(**settings)
        self.role_style.update(
            (role_name, style)
            for style in self.styles
            for role_name in style.role_names()
        )
