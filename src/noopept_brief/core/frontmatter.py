"""A page's YAML front matter, and the line of each of its keys.

Each page opens with YAML front matter holding a one-sentence summary, its
meta description (``policy.check_description``). MyST reads the same block;
this reads it without Sphinx, with the lines the messages need.
"""

from __future__ import annotations

import re

#: The only keys a page's front matter may hold, each with what it is for.
#: MyST and Sphinx read other keys as per-page configuration (``myst``,
#: ``html_meta``, ``orphan``, ``tocdepth``...): rule *front-matter* refuses them.
FRONT_MATTER_KEYS: dict[str, str] = {
    "description": "the page's one-sentence summary (meta and OpenGraph description)",
}


def front_matter(text: str) -> tuple[dict[str, object], dict[str, int]] | None:
    """A page's YAML front matter and the line of each top-level key, or None.

    Raises ValueError, with the parser's reason, if the front matter is not a
    YAML mapping.

    >>> front_matter("---\\ndescription: Short.\\n---\\n# Title\\n")
    ({'description': 'Short.'}, {'description': 2})
    >>> front_matter("# Title\\n") is None
    True
    """
    import yaml

    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise ValueError(str(error).replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise ValueError("it is not a list of `key: value` lines")
    where = {}
    for number, line in enumerate(lines[1:end], start=2):
        if match := re.match(r"^([^\s:#][^:]*):", line):
            where.setdefault(match[1].strip(), number)
    return data, where
