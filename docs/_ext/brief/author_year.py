"""The "brief" citation styles: author-year labels in the text and the list.

``conf.py`` names them (``bibtex_reference_style`` and
``bibtex_default_style``); :func:`brief.setup` registers them with pybtex and
sphinxcontrib-bibtex. Everything here runs inside Sphinx only, so the imports
stay inside the function.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- Author-year labels for the reference list ---------------------------------


def _register_author_year_style() -> None:
    """Make the reference list read "Ostrovskaya et al., 2008" like the text.

    sphinxcontrib-bibtex's ``author_year`` setting changes in-text citations
    only; the list keeps numeric labels unless the pybtex style changes too.
    Two works with the same first author and year get "1996a" and "1996b", in
    the list and in the text alike.
    """
    from collections import Counter
    from dataclasses import field as dc_field

    import sphinxcontrib.bibtex.style.referencing.basic_author_year as author_year
    from pybtex.plugin import register_plugin
    from pybtex.richtext import Text
    from pybtex.style.formatting import toplevel
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.formatting.unsrt import date
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.sorting import BaseSortingStyle
    from pybtex.style.template import (
        field,
        first_of,
        optional,
        optional_field,
        sentence,
        tag,
    )
    from pybtex.style.template import join as pybtex_join
    from pybtex.style.template import node as pybtex_node
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import (
        AuthorYearReferenceStyle,
    )
    from sphinxcontrib.bibtex.style.template import join, names, node

    def base_label(entry) -> str:
        authors = entry.persons.get("author", [])
        names = [" ".join(p.last_names) for p in authors if str(p) != "others"]
        if len(authors) > 2 or (len(authors) == 2 and len(names) == 1):
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names)
        return f"{who}, {entry.fields.get('year', 'n.d.')}"

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
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

        def sorting_key(self, entry):
            authors = entry.persons.get("author", [])
            first = " ".join(authors[0].last_names) if authors else ""
            return (first.lower(), entry.fields.get("year", ""), entry.fields["title"])

    class AuthorYearStyle(UnsrtStyle):
        default_label_style = "brief"
        default_sorting_style = "brief"

        def format_names(self, role, as_sentence=True):
            formatted = list_names(role, sep=", ", sep2=" and ", last_sep=", and ")
            return sentence[formatted] if as_sentence else formatted

        def get_article_template(self, e):
            # unsrt drops a volume that has no pages; a verified volume stays.
            template = super().get_article_template(e)
            if "pages" not in e.fields:
                volume = pybtex_join[
                    field("volume"), optional["(", field("number"), ")"]
                ]
                template = toplevel[
                    self.format_names("author"),
                    self.format_title(e, "title"),
                    sentence[tag("em")[field("journal")], optional[volume], date],
                    sentence[optional_field("note")],
                    self.format_web_refs(e),
                ]
            return template

        def format_title(self, e, which_field, as_sentence=True):
            # Keep titles as written: sentence-casing would turn "Noopept"
            # into "noopept" and "GVS-111" into "gvs-111".
            return sentence[field(which_field)] if as_sentence else field(which_field)

    @node
    def label_year(children, data):
        """The year as the reference list shows it: "1996a" where needed."""
        return Text(data["formatted_entry"].label.rsplit(", ", 1)[-1])

    @node
    def names_et_al(children, data, role, **kwargs):
        """In-text names, reading BibTeX's "and others" as "et al."."""
        persons = data["entry"].persons[role]
        if len(persons) < 2 or str(persons[-1]) != "others":
            return names(role=role, **kwargs).format_data(data)
        person = data["style"].person
        first = person.style_plugin.format(persons[0], person.abbreviate)
        return join[first, person.other].format_data(data)

    @dataclass
    class Persons(PersonStyle):
        def author_or_editor_or_title(self, full):
            options = {"sep": self.sep, "sep2": self.sep2, "last_sep": self.last_sep,
                       "other": None if full else self.other}  # fmt: skip
            return first_of[
                optional[names_et_al("author", **options)],
                optional[names("editor", **options)],
                tag("em")[field("title")],
            ]

    def round_brackets() -> BracketStyle:
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class AuthorYearReferences(AuthorYearReferenceStyle):
        """(Author et al., 2008) in round brackets, as author-year readers expect."""

        bracket_parenthetical: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_textual: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_author: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_label: BracketStyle = dc_field(default_factory=round_brackets)
        bracket_year: BracketStyle = dc_field(default_factory=round_brackets)
        person: PersonStyle = dc_field(default_factory=Persons)

    # The in-text styles look the year node up when they build a citation.
    author_year.year = label_year
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "brief", AuthorYearReferences
    )
    register_plugin("pybtex.style.labels", "brief", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "brief", FirstAuthorYearTitle)
    register_plugin("pybtex.style.formatting", "brief", AuthorYearStyle)
