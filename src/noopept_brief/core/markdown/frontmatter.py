"""A page's YAML front matter, and the line of each of its keys.

Each page opens with YAML front matter holding a one-sentence summary, its
meta description (``policy.check_description``). MyST reads the same block;
this reads it with MyST's own parser, without Sphinx, with the lines the
messages need.
"""

from __future__ import annotations

from .._upstream import parser

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
    import yaml

    tokens = parser().parse(text)
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
