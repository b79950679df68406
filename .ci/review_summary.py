#!/usr/bin/env python3
"""Name the changed files that need a maintainer's review, as Markdown for the
CI job summary. Standard library only: CI runs it before installing anything.

The changed paths come on standard input, relative to the repository root, one
a line or separated by NUL bytes (``git diff --name-only -z``). The patterns
come from .github/review-required.txt, the one list of such files (its header
says how a pattern matches). CI runs, on a pull request::

    git diff --name-only -z BASE...HEAD | python3 .ci/review_summary.py >> "$GITHUB_STEP_SUMMARY"

Exit status 0 when the summary is written, whether or not files need review
(the summary informs; a maintainer decides), and 2 when the list itself is
malformed: then each problem is printed as ``file:line: what is wrong. What to do.``
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / ".github" / "review-required.txt"
#: The kinds of file docs/ may hold; its [content] section lists those a content
#: pull request may change. Any other changed file under docs/ is named too.
CONTENT_MANIFEST = ROOT / "docs" / "content-manifest.txt"
TITLE = "## Files that need a maintainer's review"


@dataclass(frozen=True)
class Rule:
    """One line of the list: a path pattern, why it needs review, and where."""

    pattern: str
    reason: str
    line: int

    def matches(self, path: str) -> bool:
        """A pattern ending in / covers its folder; else * matches anything.

        >>> Rule("docs/_static/", "", 1).matches("docs/_static/css/brief.css")
        True
        >>> Rule("docs/conf.py", "", 1).matches("docs/01-overview.md")
        False
        >>> Rule("src/*/brief/*", "", 1).matches("src/pkg/brief/policy.py")
        True
        """
        if self.pattern.endswith("/"):
            return path.startswith(self.pattern)
        return fnmatchcase(path, self.pattern)


class ListError(Exception):
    """The list is malformed; the argument is one message per problem."""


def load_rules(path: Path) -> list[Rule]:
    """Read the list; raise ListError naming each bad line and its fix."""
    rules: list[Rule] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    text = path.read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        pattern, _, reason = raw.partition("#")
        pattern, reason = pattern.strip(), reason.strip()
        if not pattern:
            continue  # a blank or comment-only line
        where = f"{path}:{number}"
        if len(pattern.split()) > 1:
            problems.append(
                f"{where}: {pattern!r} holds more than one pattern. "
                "Write one pattern a line, and the reason after '#'."
            )
        elif pattern.startswith(("/", "./")) or "\\" in pattern:
            problems.append(
                f"{where}: {pattern!r} is not a path from the repository root. "
                f"Write it as {_from_root(pattern)!r}: "
                "relative, with / between folders."
            )
        elif not reason:
            problems.append(
                f"{where}: {pattern!r} has no reason. Add '# why it needs "
                "review' after it: the job summary shows it."
            )
        elif pattern in seen:
            problems.append(
                f"{where}: {pattern!r} is listed twice (first at line "
                f"{seen[pattern]}). Keep one line."
            )
        else:
            seen[pattern] = number
            rules.append(Rule(pattern, reason, number))
    if problems:
        raise ListError(problems)
    return rules


def _from_root(pattern: str) -> str:
    r"""The pattern written relative to the repository root.

    >>> _from_root("/.github/"), _from_root("./docs\\conf.py")
    ('.github/', 'docs/conf.py')
    """
    pattern = pattern.replace("\\", "/")
    while pattern.startswith(("./", "/")):
        pattern = pattern[2:] if pattern.startswith("./") else pattern[1:]
    return pattern


def read_paths(data: str) -> list[str]:
    """Paths from ``git diff --name-only``, with or without ``-z``.

    >>> read_paths("docs/a.md\\0docs/b b.md\\0")
    ['docs/a.md', 'docs/b b.md']
    >>> read_paths("docs/a.md\\n\\nREADME.md\\n")
    ['docs/a.md', 'README.md']
    """
    parts = data.split("\0") if "\0" in data else data.splitlines()
    return [part for part in parts if part.strip()]


def _code(text: str) -> str:
    """Text as code in a Markdown table cell, whatever it holds.

    >>> print(_code("a|b"), _code("a`b"))
    `a\\|b` `` a`b ``
    """
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def content_kinds(path: Path) -> list[str]:
    """The [content] patterns of docs/content-manifest.txt, from the repository root."""
    if not path.is_file():
        return []
    kinds, section = [], ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.partition("#")[0].strip()
        if line.startswith("["):
            section = line
        elif line and section == "[content]":
            kinds.append(f"docs/{line}")
    return kinds


def _content(path: str, kinds: list[str]) -> bool:
    """Whether ``path`` is of a kind a content pull request may change
    (``*`` stops at ``/``, as in the manifest)."""
    return any(
        fnmatchcase(path, kind) and path.count("/") == kind.count("/") for kind in kinds
    )


def summary(
    paths: list[str],
    rules: list[Rule],
    list_name: str,
    content: list[str] | None = None,
) -> str:
    """The job summary's Markdown: each changed path that a rule matches, and
    each changed file under docs/ of no kind the content manifest lists.

    >>> print(summary(["docs/locales/x.po"], [], "list", ["docs/*.md"]).splitlines()[-1])
    | `docs/locales/x.po` | `docs/content-manifest.txt` | not a kind of file a content pull request may change |
    """
    flagged = []
    outside = Rule("docs/content-manifest.txt",
                   "not a kind of file a content pull request may change", 0)  # fmt: skip
    for path in paths:
        rule = next((rule for rule in rules if rule.matches(path)), None)
        if rule is None and content is not None and path.startswith("docs/"):
            rule = None if _content(path, content) else outside
        if rule is not None:
            flagged.append((path, rule))
    if not flagged:
        return (
            f"{TITLE}\n\nNone: this pull request changes no file that "
            f"`{list_name}` lists.\n"
        )
    count = f"{len(flagged)} file{'s' if len(flagged) != 1 else ''}"
    rows = "".join(
        f"| {_code(path)} | {_code(rule.pattern)} | {rule.reason} |\n"
        for path, rule in flagged
    )
    also = (
        ", or that are under docs/ and of no kind `docs/content-manifest.txt` "
        "lists as content"
        if any(rule is outside for _, rule in flagged)
        else ""
    )
    return (
        f"{TITLE}\n\nThis pull request changes {count} that `{list_name}` "
        f'lists{also} (CONTRIBUTING.md, "Changes that need a maintainer\'s review"). '
        "A maintainer reviews each before it merges.\n\n"
        f"| File | Listed as | Why |\n|---|---|---|\n{rows}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--list", type=Path, default=LIST, help="the list (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        rules = load_rules(args.list)
    except ListError as error:
        for problem in error.args[0]:
            print(problem, file=sys.stderr)
        return 2
    try:
        name = args.list.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        name = str(args.list)
    data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    # UTF-8 whatever the locale: a path may hold any character.
    sys.stdout.buffer.write(
        summary(read_paths(data), rules, name, content_kinds(CONTENT_MANIFEST)).encode(
            "utf-8"
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
