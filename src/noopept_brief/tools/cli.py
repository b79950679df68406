"""The command line, ``noopept-brief`` (declared in ``[project.scripts]``).

* ``noopept-brief check [FILE ...]``: every rule (pages, claims, refs.bib,
  encodings), with the messages a build gives; pre-commit, CI and
  ``nox -s check`` run it. With no files it checks the whole brief.
* ``noopept-brief new-page <slug> "<Title>"``: scaffold a page.
* ``noopept-brief changes --base REV``: what changed in the claims and the
  references since REV, as Markdown (CI's job summary for a pull request).
* ``noopept-brief prerequisites [--browser]``: say what to install (the
  browser tests' Chromium; the PDF needs nothing outside Python).
* ``noopept-brief run -- COMMAND ...``: run a build in a process group of its
  own, stopped as a whole (:mod:`.group`); the nox sessions use it.
* ``noopept-brief records [KEY ...]``: compare the record files with PubMed
  and Crossref (needs a network; :mod:`.records`); ``nox -s records``.

Run from the repository's root, or name the docs folder with ``--docs``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ..core.check import check_all, check_built, tally
from ..core.refs.bib import BIB_FILE
from ..core.violations import report
from .changes import changes_report
from .group import run_in_group
from .prerequisites import browser_missing
from .record_lookup import records_report
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
    changes = commands.add_parser(
        "changes", help="the claims and references changed since a commit"
    )
    changes.add_argument("--base", required=True, help="the commit to compare with")
    prerequisites = commands.add_parser(
        "prerequisites", help="say what to install for the browser tests"
    )
    prerequisites.add_argument("--browser", action="store_true", help="Chromium")
    run = commands.add_parser(
        "run", help="run a command in a process group of its own, stopped as a whole"
    )
    run.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    records = commands.add_parser(
        "records", help="compare the record files with PubMed and Crossref (network)"
    )
    records.add_argument("keys", nargs="*", help="refs.bib keys (default: all)")
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
        print(f"{tally(docs)}: no problems")
        return 0
    if args.command == "records":
        if not (docs / BIB_FILE).is_file():
            print(f"No refs.bib in {docs}: run from the repository's root, or "
                  "give the docs folder with --docs.", file=sys.stderr)  # fmt: skip
            return 2
        text, count = records_report(docs, [k.lower() for k in args.keys])
        print(text, end="")
        return 1 if count else 0
    if args.command == "changes":
        try:
            print(changes_report(args.base, docs), end="")
        except subprocess.CalledProcessError as error:
            print(f"error: git could not read {args.base!r} ({error.stderr.strip()}). "
                  "Give a commit this clone has; in CI, check out with "
                  "fetch-depth: 0.", file=sys.stderr)  # fmt: skip
            return 2
        return 0
    if args.command == "new-page":
        try:
            written = new_page(args.slug, args.title, docs)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(
            f"Wrote {written} and added it to the end of "
            f'"{TOCTREE_CAPTION}" in {docs / "index.md"}. Fill in its description, '
            "its claim's short text and text, and its citation; the checks "
            "refuse each placeholder until you do."
        )
        return 0
    if args.command == "run":
        command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        if not command:
            print("error: give the command after --", file=sys.stderr)
            return 2
        return run_in_group(command)
    # --browser, or nothing: the browser is the one system prerequisite.
    if problem := browser_missing():
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
