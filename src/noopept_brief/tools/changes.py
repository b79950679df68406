"""``noopept-brief changes --base REV``: what a change does to the claims.

For a pull request's job summary: the claims added and removed, the claims
whose status or evidence basis changed, and the references added and
removed, between the base commit and the working tree. Both sides are read
from their sources by the core (no Sphinx build): the base's with ``git
show``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from ..core.claim.export import claims_from_sources, compare, markdown
from ..core.markdown.parse import pages
from ..core.refs.bib import BIB_FILE


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def sources_at(rev: str, docs_dir: Path) -> tuple[dict[str, str], str]:
    """The pages ({docname: text}) and refs.bib of ``docs_dir`` at ``rev``."""
    root = Path(_git(docs_dir, "rev-parse", "--show-toplevel").strip())
    docs = docs_dir.resolve().relative_to(root.resolve()).as_posix()
    names = _git(root, "ls-tree", "-r", "--name-only", rev, "--", docs).splitlines()
    found = {}
    for name in sorted(names):
        inside = PurePosixPath(name).relative_to(docs)
        if inside.suffix != ".md" or any(
            part.startswith(("_", ".")) for part in inside.parts
        ):
            continue
        found[inside.with_suffix("").as_posix()] = _git(root, "show", f"{rev}:{name}")
    bib = f"{docs}/{BIB_FILE}"
    bib_text = _git(root, "show", f"{rev}:{bib}") if bib in names else ""
    return found, bib_text


def sources_now(docs_dir: Path) -> tuple[dict[str, str], str]:
    """The pages and refs.bib of the working tree."""
    found = {
        page.relative_to(docs_dir).with_suffix("").as_posix(): page.read_text("utf-8")
        for page in pages(docs_dir)
    }
    bib = docs_dir / BIB_FILE
    return found, bib.read_text("utf-8") if bib.exists() else ""


def changes_report(base: str, docs_dir: Path) -> str:
    """The comparison, as Markdown for the job summary."""
    before = claims_from_sources(*sources_at(base, docs_dir))
    after = claims_from_sources(*sources_now(docs_dir))
    return markdown(compare(before, after), f"Claims and references since {base[:12]}")
