"""Two builds of the same sources give the same bytes, HTML and PDF alike,
in any folder and any time zone.

conf.py takes SOURCE_DATE_EPOCH from the last commit, so these builds need
nothing set by hand; each is compared with the session's build, made in
another folder (so no build path can hide in the output). The second HTML
build is test_quiet_build.py's, made once a run for both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DOCS, differences, sphinx_build, tree
from test_quiet_build import quiet_build

from noopept_brief import core

pytestmark = pytest.mark.build

# Sphinx's cache of parsed pages (it records absolute paths), not the site.
HTML_CACHE = (".doctrees",)


def test_two_html_builds_are_identical(
    html_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # In another folder, another process and another time zone (the quiet
    # build of test_quiet_build.py): dates are in UTC.
    again, result = quiet_build(tmp_path_factory)
    assert result.returncode == 0, result.stderr
    first, second = tree(html_dir, HTML_CACHE), tree(again / "html", HTML_CACHE)
    assert len(first) > 10, (
        "the HTML tree is nearly empty: the comparison means nothing"
    )
    assert first == second, f"these files differ: {differences(first, second)}"


def test_two_pdf_builds_are_identical(pdf_path: Path, tmp_path: Path) -> None:
    # Typst uses its own embedded fonts, never the machine's, and dates the
    # PDF from SOURCE_DATE_EPOCH: the Typst source and the PDF are the same.
    again = tmp_path / "elsewhere"
    result = sphinx_build("-b", "typst", DOCS, again)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    first = tree(pdf_path.parent, HTML_CACHE)
    second = tree(again, HTML_CACHE)
    assert core.PDF_NAME in first
    assert first == second, f"these files differ: {differences(first, second)}"


def test_the_pdf_is_dated_from_the_last_commit(pdf_path: Path) -> None:
    from pypdf import PdfReader

    info = PdfReader(pdf_path).metadata
    assert info is not None and info.creation_date is not None
    # conf.py keeps a SOURCE_DATE_EPOCH that is set already, else the commit's.
    expected = os.environ.get("SOURCE_DATE_EPOCH") or core.source_date_epoch(DOCS)
    assert int(info.creation_date.timestamp()) == int(expected)
