"""Synthetic pages for the benchmark's scale series and the navigation tests.

Each page is the new-page scaffold's template (``scaffold.page_template``, what
``nox -s new-page`` writes) with its placeholders filled, plus two sections of
ordinary prose, so it passes the page policy and costs what a real page costs.
The pages go in a folder of their own with its own toctree, which the landing
page lists: the navigation is then nested, and its links cross folders.
"""

from __future__ import annotations

from pathlib import Path

from noopept_brief import core
from noopept_brief.tools import scaffold

FOLDER = "synthetic"
KEYS = ("ostrovskaya2008", "boiko2000", "gudasheva1996ejmc", "vakhitova2016")

MORE = """
## What the cited work shows

A paragraph of ordinary length, so that the page costs what a real page costs
to read, resolve and write, with a second link to {limitations}.

## What it does not show

Preclinical results only; nothing here reaches people.
"""


def page(title: str, n: int) -> str:
    """A filled-in scaffold page, citing one of the brief's real keys."""
    text = scaffold.page_template(
        title,
        description=f"A synthetic page ({n}) for the build benchmark.",
        citation=KEYS[n % len(KEYS)],
        claim_id=f"synthetic-{n}",
        short=f"Synthetic claim {n}, for the benchmark",
        body=f"A synthetic statement ({n}), with a real citation",
    )
    return text + MORE.format(limitations=core.LIMITATIONS_REF)


def write_pages(docs: Path, count: int) -> list[str]:
    """Add ``count`` pages under ``docs/synthetic/`` and list them; return their names."""
    folder = docs / FOLDER
    folder.mkdir()
    names = [f"page-{n:04d}" for n in range(1, count + 1)]
    for n, name in enumerate(names, start=1):
        (folder / f"{name}.md").write_text(page(f"Synthetic page {n}", n), "utf-8")
    entries = "\n".join(names)
    (folder / "index.md").write_text(
        page("Synthetic pages", 0)
        + f"\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n",
        encoding="utf-8",
    )
    index = docs / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + f"\n```{{toctree}}\n:caption: Synthetic\n\n{FOLDER}/index\n```\n",
        encoding="utf-8",
    )
    return [f"{FOLDER}/{name}" for name in names]
