"""An incremental build after a title or toctree edit equals a clean build.

Every page shows every title (furo's sidebar) and its neighbours' (prev and
next): Sphinx rewrote only the edited page and its parent, so the others
kept the old title. Compared with a clean build, as for refs.bib edits.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_docs, differences, sphinx_build, tree

pytestmark = pytest.mark.build

HTML_CACHE = (".doctrees",)
PAGE = "03-systems-context.md"
NEW_TITLE = "Systems, in their context"
#: The landing page's toctree gets a caption it did not have, or a new one.
CAPTION_LINE = ":caption:"


def test_title_and_toctree_edits_reach_every_page(tmp_path: Path) -> None:
    docs = copy_docs(tmp_path / "docs")
    before = tmp_path / "before"
    result = sphinx_build("-b", "html", docs, before)
    assert result.returncode == 0, result.stderr
    page = docs / PAGE
    text = page.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.startswith("# "))
    page.write_text(text.replace(old_title, f"# {NEW_TITLE}", 1), encoding="utf-8")
    index = docs / "index.md"
    text = index.read_text(encoding="utf-8")
    caption = next(line for line in text.splitlines() if CAPTION_LINE in line)
    index.write_text(text.replace(caption, f"{caption} (edited)"), encoding="utf-8")
    clean = tmp_path / "clean"
    result = sphinx_build("-b", "html", docs, clean)
    assert result.returncode == 0, result.stderr
    stale_pages = [
        p.name
        for p in before.glob("*.html")
        if old_title[2:] in p.read_text(encoding="utf-8")
    ]
    assert len(stale_pages) > 2, "the old title was in too few pages to test"
    out = tmp_path / "incremental"
    shutil.copytree(before, out)
    result = sphinx_build("-b", "html", docs, out)
    assert result.returncode == 0, result.stderr
    now, want = tree(out, HTML_CACHE), tree(clean, HTML_CACHE)
    assert now == want, f"differs from a clean build: {differences(now, want)}"
