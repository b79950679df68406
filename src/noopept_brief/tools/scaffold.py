"""The new-page scaffold: ``noopept-brief new-page <slug> "<Title>"``.

:func:`new_page` writes a numbered page from the one page template and adds it
to the landing page's toctree.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.claim.ids import ID_MAX, RETIRED_IDS, read_docs_file, read_retired
from ..core.claim.markup import claims
from ..core.claim.model import Evidence, Status
from ..core.markdown.disclaimer import DISCLAIMER_DIRECTIVE
from ..core.markdown.frontmatter import DESCRIPTION_PLACEHOLDER
from ..core.markdown.parse import pages
from ..core.markdown.policy import (
    CITATION_PLACEHOLDER,
    LIMITATIONS_REF,
    SCAFFOLD_SENTENCES,
)

# -- The new-page scaffold -----------------------------------------------------
# `noopept-brief new-page <slug> "<Title>"` (and `nox -s new-page`) call new_page(). The template is the
# project's one page template: it already passes every rule except its
# placeholders (the description, the citation and the claim's two sentences,
# core.markdown.policy.SCAFFOLD_SENTENCES), which the checks refuse until they are filled,
# and the confirmed claim's quote, which the claim rules ask for (claim-quote).

NEW_PAGE_TEMPLATE = """\
---
description: {description}
---

# {title}

{disclaimer}

% Set :evidence: and :status: to what the cited work shows: README.md,
% "How claims are marked", lists the values. A confirmed claim also carries
% :quote:, its record's own words (CONTRIBUTING.md, "Adding a record and a quote").
```{{claim}} {short}
:id: {claim_id}
:evidence: {evidence}
:status: {status}

{body}
{{cite:p}}`{citation}`.
```

Read it with {limitations} in mind.
"""
#: The landing page's toctree that new pages join (at its end).
TOCTREE_CAPTION = "The brief"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


#: The claim's two sentences, which the checks refuse until they are replaced.
SHORT_PLACEHOLDER, BODY_PLACEHOLDER = list(SCAFFOLD_SENTENCES)[:2]


def page_template(
    title: str,
    description: str = DESCRIPTION_PLACEHOLDER,
    citation: str = CITATION_PLACEHOLDER,
    claim_id: str = "new-claim",
    short: str = SHORT_PLACEHOLDER,
    body: str = BODY_PLACEHOLDER,
) -> str:
    """The text of a new page; by default with every placeholder still to fill."""
    return NEW_PAGE_TEMPLATE.format(
        title=title,
        description=description,
        disclaimer=DISCLAIMER_DIRECTIVE,
        short=short,
        claim_id=claim_id,
        evidence=Evidence.RODENT_IN_VIVO,
        status=Status.CONFIRMED,
        body=body,
        citation=citation,
        limitations=LIMITATIONS_REF,
    )


def free_claim_id(slug: str, docs_dir: Path) -> str:
    """An id for the new page's claim that no claim has, nor had (retired)."""
    taken = set(read_retired(read_docs_file(docs_dir, RETIRED_IDS)))
    for page in pages(docs_dir):
        taken |= {claim.id for claim in claims(page.read_text(encoding="utf-8"))}
    base = slug[: ID_MAX - 3].rstrip("-")
    found, number = base, 1
    while found in taken:
        number += 1
        found = f"{base}-{number}"
    return found


def add_to_toctree(index: str, docname: str, caption: str = TOCTREE_CAPTION) -> str:
    """Append ``docname`` to the toctree captioned ``caption`` in ``index``.

    >>> index = "# T\\n\\n```{toctree}\\n:caption: The brief\\n\\n01-a\\n```\\n"
    >>> print(add_to_toctree(index, "02-b"), end="")
    # T
    <BLANKLINE>
    ```{toctree}
    :caption: The brief
    <BLANKLINE>
    01-a
    02-b
    ```
    """
    lines = index.splitlines(keepends=True)
    start = None
    for number, line in enumerate(lines):
        if start is None:
            if re.match(r"^(`{3,}|:{3,})\{toctree\}", line):
                start, fence = number, re.match(r"^(`+|:+)", line)[1]
        elif line.strip() == fence:
            body = "".join(lines[start + 1 : number])
            if re.search(rf"^:caption:\s*{re.escape(caption)}\s*$", body, re.M):
                return "".join([*lines[:number], f"{docname}\n", *lines[number:]])
            start = None
    raise ValueError(f"no toctree with ':caption: {caption}' in docs/index.md")


def new_page(slug: str, title: str, docs_dir: Path) -> Path:
    """Write ``docs/NN-<slug>.md`` from the template and add it to the toctree.

    NN is one more than the highest page number, and the page goes at the end
    of "The brief" toctree: after Limitations, so move it if it belongs earlier.
    """
    if not SLUG.match(slug):
        raise ValueError(
            f"the slug {slug!r} must be lower-case words joined by hyphens, "
            "like 'receptor-binding'."
        )
    title = " ".join(title.split())
    if not title:
        raise ValueError('give the page a title, like "Receptor binding studies".')
    numbered = [re.match(r"^(\d+)-(.*)$", p.stem) for p in docs_dir.glob("*.md")]
    taken = [m for m in numbered if m]
    if any(m[2] == slug for m in taken):
        raise ValueError(f"a page named *-{slug}.md already exists in {docs_dir}.")
    number = max((int(m[1]) for m in taken), default=0) + 1
    page = docs_dir / f"{number:02d}-{slug}.md"
    index = docs_dir / "index.md"
    updated = add_to_toctree(index.read_text(encoding="utf-8"), page.stem)
    text = page_template(title, claim_id=free_claim_id(slug, docs_dir))
    page.write_text(text, encoding="utf-8")
    index.write_text(updated, encoding="utf-8")
    return page
