"""A page's YAML front matter, the line of each of its keys, and its rules.

Each page opens with YAML front matter holding a one-sentence summary, its
meta description (rule *description*, :func:`check_description`), and no
other key (rule *front-matter*, :func:`check_front_matter_keys`). MyST reads
the same block; this reads it with MyST's own parser, without Sphinx, with
the lines the messages need.
"""

from __future__ import annotations

from functools import lru_cache

from ..rules import Rule
from ..violations import Violation
from .parse import page_tokens

#: The only keys a page's front matter may hold, each with what it is for.
#: MyST and Sphinx read other keys as per-page configuration (``myst``,
#: ``html_meta``, ``orphan``, ``tocdepth``...): rule *front-matter* refuses them.
FRONT_MATTER_KEYS: dict[str, str] = {
    "description": "the page's one-sentence summary (meta and OpenGraph description)",
}


def front_matter(text: str) -> tuple[dict[str, object], dict[str, int]] | None:
    """A page's YAML front matter and the line of each top-level key, or None.

    The block is the one MyST's parser finds (its ``front_matter`` token), so
    a page has front matter here exactly when it has it in the build. Raises
    ValueError, with the parser's reason, if it is not a YAML mapping.

    >>> front_matter("---\\ndescription: Short.\\n---\\n# Title\\n")
    ({'description': 'Short.'}, {'description': 2})
    >>> front_matter("# Title\\n") is None
    True
    """
    found = _front_matter(text)
    return None if found is None else (dict(found[0]), dict(found[1]))


@lru_cache(maxsize=64)
def _front_matter(text: str) -> tuple[dict[str, object], dict[str, int]] | None:
    # Four rules read each page's front matter: parsed once.
    import yaml

    tokens = page_tokens(text)
    if not tokens or tokens[0].type != "front_matter":
        return None
    block = tokens[0].content
    try:
        data = yaml.safe_load(block) or {}
        tree = yaml.compose(block)
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None
    if not isinstance(data, dict) or not isinstance(tree, yaml.MappingNode):
        if not data:
            return {}, {}
        raise ValueError("it is not a list of `key: value` lines")
    # The block starts on line 2, below the opening ---.
    where: dict[str, int] = {}
    for key, _ in tree.value:
        where.setdefault(str(key.value), key.start_mark.line + 2)
    return data, where


# -- Page summaries: the meta description --------------------------------------
# Each page opens with YAML front matter holding a one-sentence summary:
#
#     ---
#     description: What this page covers, in one sentence.
#     ---
#
# It is the page's one source for <meta name="description"> and og:description
# (see noopept_brief.sphinxext.html.add_meta_description), so search results and link
# previews show it instead of the disclaimer, which is every page's first
# paragraph.

#: Search engines cut descriptions longer than this.
DESCRIPTION_MAX = 160
#: What the scaffold writes; the rule refuses it until it is replaced.
DESCRIPTION_PLACEHOLDER = (
    "TODO write one sentence, at most 160 characters, on what this page covers."
)
DESCRIPTION_FRONT_MATTER = (
    "---\ndescription: One sentence, at most 160 characters, on what this page "
    "covers.\n---"
)


def check_description(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *description*: the page's front matter gives a one-sentence summary.

    >>> check_description("---\\ndescription: What the rodent studies report.\\n---\\n# T\\n")
    []
    >>> print(check_description("# Title\\n")[0])
    docs/example.md:1: [description] the page has no summary for search results \
and link previews. Paste this at the very top of the page, above the title, \
and write the sentence:
    ---
    description: One sentence, at most 160 characters, on what this page covers.
    ---
    >>> page = "---\\ndescription: " + DESCRIPTION_PLACEHOLDER + "\\n---\\n# T\\n"
    >>> print(check_description(page)[0])
    docs/example.md:2: [description] the description is still the new-page \
placeholder. Replace it with one sentence, at most 160 characters, on what \
this page covers.
    """
    try:
        found = front_matter(text)
    except ValueError as error:
        return [
            Violation(
                path,
                1,
                Rule.DESCRIPTION,
                f"the front matter at the top of the page does not parse ({error}). "
                "If the description holds a colon followed by a space, put the "
                'whole sentence in double quotes: description: "..."',
            )
        ]
    data, where = found if found is not None else ({}, {})
    description = data.get("description")
    line = where.get("description", 1)
    if not isinstance(description, str) or not description.strip():
        return [
            Violation(
                path,
                line,
                Rule.DESCRIPTION,
                "the page has no summary for search results and link previews. "
                "Paste this at the very top of the page, above the title, and "
                "write the sentence:\n" + DESCRIPTION_FRONT_MATTER,
            )
        ]
    if "TODO" in description:
        return [
            Violation(
                path,
                line,
                Rule.DESCRIPTION,
                "the description is still the new-page placeholder. Replace it "
                f"with one sentence, at most {DESCRIPTION_MAX} characters, on "
                "what this page covers.",
            )
        ]
    if len(description) > DESCRIPTION_MAX or "\n" in description.strip():
        return [
            Violation(
                path,
                line,
                Rule.DESCRIPTION,
                f"the description is {len(description)} characters long, or "
                f"spans lines; search engines cut it after {DESCRIPTION_MAX}. "
                "Shorten it to one sentence on one line.",
            )
        ]
    return []


def check_front_matter_keys(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *front-matter*: front matter holds only the keys the project defines.

    MyST reads other keys as per-page configuration (``myst:`` with
    ``html_meta``, substitutions, extensions, URL schemes), and Sphinx reads
    some as page options (``orphan``): none of that is a page's to set.

    >>> check_front_matter_keys("---\\ndescription: Short.\\n---\\n# T\\n")
    []
    >>> print(check_front_matter_keys("---\\ndescription: S.\\nmyst:\\n  html_meta: {}\\n---\\n")[0])
    docs/example.md:3: [front-matter] the front matter key 'myst' is not one \
the project defines (only: description). Front matter would configure the \
page's build; remove the key. A new key needs a reviewed change to \
FRONT_MATTER_KEYS in src/noopept_brief/core/markdown/frontmatter.py.
    """
    try:
        found = front_matter(text)
    except ValueError:
        return []  # check_description reports it, with the fix
    if found is None:
        return []
    data, where = found
    return [
        Violation(
            path,
            where.get(str(key), 1),
            Rule.FRONT_MATTER,
            f"the front matter key {str(key)!r} is not one the project defines "
            f"(only: {', '.join(FRONT_MATTER_KEYS)}). Front matter would "
            "configure the page's build; remove the key. A new key needs a "
            "reviewed change to FRONT_MATTER_KEYS in "
            "src/noopept_brief/core/markdown/frontmatter.py.",
        )
        for key in data
        if key not in FRONT_MATTER_KEYS
    ]
