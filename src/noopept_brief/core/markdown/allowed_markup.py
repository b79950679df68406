"""Rule *markup*: a page uses only the markup the brief needs (issue 20).

The list is one file, :data:`MARKUP_FILE` (``markup.toml`` beside this
module), with a reason per entry: the directives (each with its options and
their allowed values, and the pages it may stand on), the roles, and the
classes a built page may carry. ``check`` and the build's source rule read
pages against it here; the build's doctree gate (``sphinxext/gate.py``)
reads the classes. Anything not on the list is refused, however it is
spelled: another directive, a colon fence, nested in a claim or an
admonition.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..claim.model import claim_options
from ..rules import Rule
from ..violations import Violation
from .parse import Directive, Role, parse

#: The one list of the markup pages may use, with a reason per entry.
MARKUP_FILE = Path(__file__).with_name("markup.toml")
_WHERE = "src/noopept_brief/core/markdown/markup.toml"
#: The nodes the claim code gives a class made from a claim's status or
#: evidence (``claim-<status>``); the claim rules refuse an unknown value.
CLAIM_NODES = frozenset({"container", "inline", "row"})
#: Refused by a rule of their own, with a message that says more (raw-html,
#: file-insertion): not named twice.
ELSEWHERE = frozenset({"raw", "include", "literalinclude", "download"})


@dataclass(frozen=True)
class Allowed:
    """One directive the pages may use."""

    name: str
    why: str
    argument: str | tuple[str, ...]  # "text", "none", or the allowed words
    options: dict[str, str | tuple[str, ...]]
    pages: tuple[str, ...]  # empty: any page


@dataclass(frozen=True)
class Markup:
    """The whole list, read once."""

    directives: dict[str, Allowed]
    roles: dict[str, str]
    refused: dict[str, str]
    classes: dict[str, tuple[str, tuple[str, ...]]]  # class -> (why, node types)


def _values(value: Any) -> str | tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else str(value)


@lru_cache(maxsize=1)
def markup() -> Markup:
    """The list in :data:`MARKUP_FILE`."""
    data = tomllib.loads(MARKUP_FILE.read_text(encoding="utf-8"))
    directives = {}
    for name, entry in data["directives"].items():
        options = entry.get("options", {})
        if options == "claim":  # the claim's fields, from the claim model
            options = dict.fromkeys(claim_options(), "text")
        directives[name] = Allowed(
            name=name,
            why=entry["why"],
            argument=_values(entry.get("argument", "none")),
            options={k: _values(v) for k, v in options.items()},
            pages=tuple(entry.get("pages", ())),
        )
    classes = {
        name: (entry, ()) if isinstance(entry, str)
        else (entry["why"], tuple(entry.get("nodes", ())))
        for name, entry in data["classes"].items()
    }  # fmt: skip
    return Markup(directives, dict(data["roles"]), dict(data["refused"]), classes)


def _option_problem(
    name: str, value: Any, allowed: str | tuple[str, ...]
) -> str | None:
    """Why an option's value is not one the list allows, or None."""
    text = " ".join(str(value if value is not None else "").split())
    if isinstance(allowed, tuple):
        if text not in allowed:
            return f"its value must be one of: {', '.join(allowed)} (not {text!r})"
    elif allowed == "flag" and text:
        return "it takes no value"
    elif allowed == "number" and not text.isdigit():
        return f"its value must be a whole number (not {text!r})"
    return None


def check_markup(
    text: str, path: str = "docs/example.md", docname: str | None = None
) -> list[Violation]:
    """Rule *markup*: only the directives, roles, options and values listed.

    >>> check_markup("# T\\n\\n```{admonition} Checked\\n:class: record-note\\n\\nText.\\n```\\n")
    []
    >>> print(check_markup("# T\\n\\n```{only} latex\\nText.\\n```\\n")[0])
    docs/example.md:3: [markup] the {only} directive is not one the brief \
uses: it shows one text to the website and another to the PDF; use \
```{web-only}``` on the landing page for what only the website shows. The \
markup pages may use is listed, with a reason each, in \
src/noopept_brief/core/markdown/markup.toml; a new entry is a reviewed change.
    >>> print(check_markup("# T\\n\\n```{admonition} Box\\n:class: hidden\\n```\\n")[0])
    docs/example.md:3: [markup] the option :class: of {admonition} is not \
allowed as written: its value must be one of: record-note, key-points (not \
'hidden'). Use the values markup.toml lists.
    """
    allowed = markup()
    problems = []

    def refuse(line: int, what: str, name: str) -> None:
        why = allowed.refused.get(name, "it is not on the list of what the brief needs")
        problems.append(Violation(path, line, Rule.MARKUP,
                        f"the {what} is not one the brief uses: {why}. The markup "
                        f"pages may use is listed, with a reason each, in {_WHERE}; "
                        "a new entry is a reviewed change.", subject=name))  # fmt: skip

    for item in parse(text):
        if getattr(item, "name", None) in ELSEWHERE:
            continue
        if isinstance(item, Role) and item.name not in allowed.roles:
            refuse(item.line, f"{{{item.name}}} role", item.name)
        if not isinstance(item, Directive):
            continue
        entry = allowed.directives.get(item.name)
        if entry is None:
            refuse(item.line, f"{{{item.name}}} directive", item.name)
            continue
        if (
            entry.pages
            and docname is not None
            and not any(fnmatchcase(docname, page) for page in entry.pages)
        ):
            problems.append(Violation(path, item.line, Rule.MARKUP,
                            f"the {{{item.name}}} directive belongs on "
                            f"{' or '.join(entry.pages)} only ({entry.why}). "
                            "Remove it from this page.", subject=item.name))  # fmt: skip
        argument = " ".join(item.argument.split())
        if (entry.argument == "none" and argument) or (
            isinstance(entry.argument, tuple) and argument not in entry.argument
        ):
            words = "no argument" if entry.argument == "none" else (
                "one of: " + ", ".join(entry.argument))  # fmt: skip
            problems.append(Violation(path, item.line, Rule.MARKUP,
                            f"the {{{item.name}}} directive takes {words} on its "
                            f"first line (not {argument!r}).", subject=item.name))  # fmt: skip
        for key, value in item.options.items():
            if key not in entry.options:
                listed = ", ".join(f":{o}:" for o in entry.options) or "none"
                problems.append(Violation(path, item.line, Rule.MARKUP,
                                f"the option :{key}: of {{{item.name}}} is not one "
                                f"the brief uses (its options: {listed}). Remove "
                                "the line.", subject=key))  # fmt: skip
            elif why := _option_problem(key, value, entry.options[key]):
                problems.append(Violation(path, item.line, Rule.MARKUP,
                                f"the option :{key}: of {{{item.name}}} is not "
                                f"allowed as written: {why}. Use the values "
                                "markup.toml lists.", subject=key))  # fmt: skip
    return problems


def refused_class(name: str, node_type: str) -> str | None:
    """Why a built page's node may not carry the class ``name``, or None."""
    entry = markup().classes.get(name)
    if entry is None and name.startswith("claim-") and node_type in CLAIM_NODES:
        return None  # made from a claim's field, which the claim rules judge
    if entry is None:
        return (f"the class {name!r} is not one the brief uses ({_WHERE}, "
                "[classes]): a free class can hide a block or dress it as the "
                "disclaimer")  # fmt: skip
    if entry[1] and node_type not in entry[1]:
        return (f"the class {name!r} belongs on {', '.join(entry[1])} nodes only "
                f"({entry[0]})")  # fmt: skip
    return None
