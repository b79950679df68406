"""Pages for the benchmark's scale series and the navigation tests.

:func:`write_copies` (the scale series) adds copies of a real page, made
unique. :func:`write_pages` (the navigation tests) adds synthetic pages: each
is the new-page scaffold's template (``scaffold.page_template``, what ``nox -s
new-page`` writes) with its placeholders filled, plus two sections of ordinary
prose. Both pass the page policy. Either kind goes in a folder of its own with
its own toctree, which the landing page lists: the navigation is then nested,
and its links cross folders.
"""

from __future__ import annotations

import re
from pathlib import Path

from noopept_brief import core
from noopept_brief.core.claim import ids as claimids
from noopept_brief.tools import scaffold

FOLDER = "synthetic"
#: The keys synthetic claims cite, each with words of its primary record
#: (docs/_records/<key>.yaml) that a confirmed claim quotes.
QUOTES = {
    "ostrovskaya2010": "increases the level of mRNA of the BDNF gene",
    "boyko2004": "considerable individual variability",
    "belnik2007": "was shown to be genotype-dependent",
    "vakhitova2016": "was shown to increase the DNA-binding activity",
}
KEYS = tuple(QUOTES)

MORE = """
## What the cited work shows

A paragraph of ordinary length, so that the page costs what a real page costs
to read, resolve and write, with a second link to {limitations}.

## What it does not show

Preclinical results only; nothing here reaches people.
"""


def letters(n: int) -> str:
    """``n`` in letters (1 is "a", 27 is "aa"): a claim's short text may name
    no number its quote does not (core.claim.quotes).

    >>> letters(1), letters(26), letters(27)
    ('a', 'z', 'aa')
    """
    found = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        found = chr(ord("a") + rest) + found
    return found or "zero"


def page(title: str, n: int) -> str:
    """A filled-in scaffold page, citing one of the brief's real keys and
    quoting its record."""
    key = KEYS[n % len(KEYS)]
    text = scaffold.page_template(
        title,
        description=f"A synthetic page ({n}) for the build benchmark.",
        citation=key,
        claim_id=f"synthetic-{n}",
        short=f"Synthetic claim {letters(n)}, for the benchmark",
        body=f"A synthetic statement ({n}), with a real citation",
    )
    status = f":status: {core.Status.CONFIRMED}\n"
    text = text.replace(status, f"{status}:quote: {QUOTES[key]}\n", 1)
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
    _list_on_landing_page(docs, "Synthetic", FOLDER)
    return [f"{FOLDER}/{name}" for name in names]


# -- Copies of a real page, for the scale series -------------------------------
# The scale series builds what the brief really holds: copies of a real page,
# with its claims, citations, record notes and labels, each copy made unique
# (claim ids, labels, headings, short texts, description) so that the build
# stays warning-free under -W and the output gate sees as many distinct claims
# and anchors as a brief of that size would have.

#: The page the copies are made of (relative to ``docs/``).
REAL_PAGE = "02-research-landscape.md"
#: The folder the copies go in, with its own index and toctree.
COPIES = "copies"

LABEL = re.compile(r"^\(([^)\s]+)\)=$", re.MULTILINE)
CLAIM_ID = re.compile(r"^:id:[ \t]+(\S+)[ \t]*$", re.MULTILINE)
DESCRIPTION = re.compile(r"^description:.*$", re.MULTILINE)
HEADING = re.compile(r"^(#{1,6} .*?)[ \t]*$", re.MULTILINE)
SHORT = re.compile(r"^(```\{claim\} .*?)[ \t]*$", re.MULTILINE)
REF = re.compile(r"(\{ref\}`(?:[^`<]*<)?)([^`>]+)(>?`)")


def copy_id(claim_id: str, n: int) -> str:
    """Claim ``claim_id``'s id in copy ``n``: still lower-case words joined by
    hyphens, at most ``claimids.ID_MAX`` characters, ending in the copy's tag.

    >>> copy_id("half-life", 7)
    'half-life-c7'
    >>> copy_id("almost-all-preclinical", 1000)
    'almost-all-preclin-c1000'
    """
    tag = f"-c{n}"
    return claim_id[: claimids.ID_MAX - len(tag)].rstrip("-") + tag


def copy_page(text: str, n: int) -> str:
    """Copy ``n`` of a page: every claim id, label, heading, claim short text
    and the description made unique to the copy, and the page's own {ref}s
    moved with its labels. Raises ValueError if two ids of the page would
    collide once shortened (a page whose ids share a long prefix)."""
    ids = {old: copy_id(old, n) for old in CLAIM_ID.findall(text)}
    if len(set(ids.values())) != len(ids):
        raise ValueError(f"two claim ids collide once shortened in copy {n}: {ids}")
    labels = {old: f"{old}-c{n}" for old in LABEL.findall(text)}
    # The page's own links: to its labels and to its claims' anchors.
    moved = {
        **labels,
        **{claimids.anchor(a): claimids.anchor(b) for a, b in ids.items()},
    }
    text = CLAIM_ID.sub(lambda m: f":id: {ids[m[1]]}", text)
    text = LABEL.sub(lambda m: f"({labels[m[1]]})=", text)
    text = REF.sub(lambda m: m[1] + moved.get(m[2], m[2]) + m[3], text)
    text = HEADING.sub(lambda m: f"{m[1]} (copy {n})", text)
    text = SHORT.sub(lambda m: f"{m[1]} (copy {letters(n)})", text)
    return DESCRIPTION.sub(
        f'description: "Copy {n} of a real page, for the build benchmark: '
        'neurotrophins, genotype, pharmacokinetics and the human studies."',
        text,
        count=1,
    )


COPIES_INDEX = """---
description: "The copies of a real page that the build benchmark builds at scale."
---

# Benchmark copies

```{{disclaimer}}
```

Each page below is a copy of the research landscape, made unique for the
build benchmark; read them with {limitations} in mind.

```{{toctree}}
:maxdepth: 1

{entries}
```
"""


def write_copies(docs: Path, count: int) -> list[str]:
    """Add ``count`` copies of :data:`REAL_PAGE` under ``docs/copies/``, list
    them in their own index and the landing page; return their docnames."""
    text = (docs / REAL_PAGE).read_text(encoding="utf-8")
    folder = docs / COPIES
    folder.mkdir()
    names = [f"copy-{n:04d}" for n in range(1, count + 1)]
    for n, name in enumerate(names, start=1):
        (folder / f"{name}.md").write_text(copy_page(text, n), encoding="utf-8")
    (folder / "index.md").write_text(
        COPIES_INDEX.format(limitations=core.LIMITATIONS_REF, entries="\n".join(names)),
        encoding="utf-8",
    )
    _list_on_landing_page(docs, "Benchmark copies", COPIES)
    return [f"{COPIES}/{name}" for name in names]


def _list_on_landing_page(docs: Path, caption: str, folder: str) -> None:
    # A folder of pages is a kind of file the copy's manifest must list
    # (rule docs-file), as a reviewed change would list it in the brief's.
    with (docs / "content-manifest.txt").open("a", encoding="utf-8") as manifest:
        manifest.write(
            f"\n[content]\n{folder}/*.md  # {caption}: pages made for the bench\n"
        )
    index = docs / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + f"\n```{{toctree}}\n:caption: {caption}\n\n{folder}/index\n```\n",
        encoding="utf-8",
    )
