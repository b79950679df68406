"""The command line, ``noopept-brief`` (declared in ``[project.scripts]``).

* ``noopept-brief check [FILE ...]``: every rule (pages, claims, refs.bib,
  encodings), with the messages a build gives; pre-commit, CI and
  ``nox -s check`` run it. With no files it checks the whole brief.
* ``noopept-brief new-page <slug> "<Title>"``: scaffold a page.
* ``noopept-brief prerequisites [--pdf] [--browser]``: say what to install.

Run from the repository's root, or name the docs folder with ``--docs``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.check import check_all, check_built
from ..core.violations import report
from .prerequisites import browser_missing, tex_missing
from .scaffold import TOCTREE_CAPTION, new_page


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noopept-brief", description="The noopept-brief project's tools."
    )
    parser.add_argument(
        "--docs", type=Path, default=Path("docs"),
        help="the docs folder (default: docs, from the repository's root)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="check the pages, claims and refs.bib without building"
    )
    check.add_argument("files", nargs="*", help=".md pages and .bib files only")
    check.add_argument(
        "--built", type=Path, metavar="HTML_DIR",
        help="also run the build's output gate over a built site (build/html)",
    )  # fmt: skip
    page = commands.add_parser("new-page", help="scaffold a page")
    page.add_argument("slug", help="lower-case words joined by hyphens")
    page.add_argument("title", help="the page's title")
    prerequisites = commands.add_parser(
        "prerequisites", help="say what to install for the PDF or browser tests"
    )
    prerequisites.add_argument("--pdf", action="store_true", help="TeX")
    prerequisites.add_argument("--browser", action="store_true", help="Chromium")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    docs: Path = args.docs
    if args.command == "check":
        if not docs.is_dir():
            print(f"No docs folder at {docs}: run from the repository's root, "
                  "or give it with --docs.", file=sys.stderr)  # fmt: skip
            return 2
        problems = check_all(docs, args.files)
        if args.built is not None:
            if not args.built.is_dir():
                print(f"No built site at {args.built}: build it first "
                      "(python3 -m nox -s html).", file=sys.stderr)  # fmt: skip
                return 2
            problems += check_built(docs, args.built)
        count = report(problems)
        if count:
            print(f"{count} problem(s) found; each line above says how to fix it.")
            return 1
        return 0
    if args.command == "new-page":
        try:
            written = new_page(args.slug, args.title, docs)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(
            f"Wrote {written} and added it to the end of "
            f'"{TOCTREE_CAPTION}" in {docs / "index.md"}. Fill in its description '
            "and its citation; the checks refuse both placeholders until you do."
        )
        return 0
    both = not (args.pdf or args.browser)
    problems = [
        problem
        for wanted, missing in (
            (args.pdf, tex_missing),
            (args.browser, browser_missing),
        )
        if (wanted or both) and (problem := missing())
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
