"""Synthetic pages for the benchmark's scale series and the navigation tests.

Each page follows the README's "How to add a page" template: a title, the
disclaimer include, a cited finding, a link to Limitations, and two sections,
so it passes the page policy and costs what a real page costs. The pages go in
a folder of their own with its own toctree, which the landing page lists: the
navigation is then nested, and its links cross folders.
"""

from __future__ import annotations

from pathlib import Path

import brief

FOLDER = "synthetic"
KEYS = ("ostrovskaya2008", "boiko2000", "gudasheva1996ejmc", "vakhitova2016")

PAGE = """# Synthetic page {n}

{include}

This page stands in for a chapter of the brief. It restates a finding with a
citation {{cite:p}}`{key}`, and reads it with {limitations} in mind.

## What the cited work shows

A paragraph of ordinary length, so that the page costs what a real page costs
to read, resolve and write. It cites {{cite:t}}`{key}` once more.

## What it does not show

Preclinical results only; nothing here reaches people.
"""


def write_pages(docs: Path, count: int) -> list[str]:
    """Add ``count`` pages under ``docs/synthetic/`` and list them; return their names."""
    folder = docs / FOLDER
    folder.mkdir()
    names = [f"page-{n:04d}" for n in range(1, count + 1)]
    for n, name in enumerate(names, start=1):
        text = PAGE.format(
            n=n,
            include=brief.DISCLAIMER_INCLUDE,
            key=KEYS[n % len(KEYS)],
            limitations=brief.LIMITATIONS_REF,
        )
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    entries = "\n".join(names)
    (folder / "index.md").write_text(
        PAGE.format(n=0, include=brief.DISCLAIMER_INCLUDE, key=KEYS[0],
                    limitations=brief.LIMITATIONS_REF).replace(
            "# Synthetic page 0", "# Synthetic pages"
        )
        + f"\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n",
        encoding="utf-8",
    )  # fmt: skip
    index = docs / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + f"\n```{{toctree}}\n:caption: Synthetic\n\n{FOLDER}/index\n```\n",
        encoding="utf-8",
    )
    return [f"{FOLDER}/{name}" for name in names]
