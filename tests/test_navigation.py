"""The sidebar navigation that noopept_brief's html module renders once per build is
furo's own: byte for byte what stock furo writes on every page, nested folders
included, with the current page marked and every link pointing at a page that
exists."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path
from subprocess import CompletedProcess

import pytest
import synthetic
from conftest import built_once, copy_docs, sphinx_build

pytestmark = pytest.mark.build

SIDEBAR = re.compile(r'<div class="sidebar-tree">(.*?)</div>', re.DOTALL)


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The docs plus a nested folder of synthetic pages, built with the cached
    navigation and with stock furo's, once a run."""
    tmp, result = built_once(tmp_path_factory, "navigation", _build_twice)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout, result.stdout
    assert "brief_navigation_cache" in result.stdout, "all pages must be rewritten"
    src = tmp / "docs"
    pages = sorted(
        p.relative_to(src).with_suffix(".html").as_posix()
        for p in src.rglob("*.md")
        if not p.relative_to(src).as_posix().startswith("_")
    )
    return tmp / "html-1", tmp / "html-0", pages


def _build_twice(tmp: Path) -> CompletedProcess[str]:
    src = copy_docs(tmp / "docs")
    synthetic.write_pages(src, 3)
    outputs = [tmp / "html-1", tmp / "html-0"]
    result = sphinx_build("-b", "html", src, outputs[0])
    assert result.returncode == 0, result.stderr
    # Stock furo's pages from the same read pages: the option only changes how
    # pages are written, so Sphinx writes every page again without reading.
    shutil.copytree(outputs[0], outputs[1])
    return sphinx_build("-b", "html", src, outputs[1], "-D", "brief_navigation_cache=0")


def _sidebar(path: Path) -> str:
    match = SIDEBAR.search(path.read_text(encoding="utf-8"))
    assert match, f"{path}: no sidebar tree"
    return match[1]


def test_cached_navigation_is_stock_furos_on_every_page(builds) -> None:
    cached, stock, pages = builds
    assert any("/" in page for page in pages), "the nested folder is missing"
    different = [p for p in pages if _sidebar(cached / p) != _sidebar(stock / p)]
    assert not different, f"the sidebar differs from stock furo's on {different}"


def test_navigation_marks_the_page_and_links_to_pages_that_exist(builds) -> None:
    cached, _, pages = builds
    for page in pages:
        tree = _sidebar(cached / page)
        current = re.findall(
            r'<li class="[^"]*\bcurrent-page\b[^"]*"><a ([^>]*)>([^<]*)<', tree
        )
        if page == "index.html":  # the landing page is the tree's root, not an entry
            assert not current, f"{page}: an entry is marked as the landing page"
            continue
        assert len(current) == 1, f"{page}: {len(current)} entries marked as the page"
        attributes, title = current[0]
        assert 'href="#"' in attributes, (
            f"{page}: its own entry does not link to itself"
        )
        heading = re.search(r"<h1>(.*?)<a", (cached / page).read_text(encoding="utf-8"))
        assert heading and title in re.sub(r"<[^>]+>", "", heading[1]), (
            f"{page}: the entry marked current is {title!r}, not this page"
        )
        for href in re.findall(r'href="([^"#]+)"', tree):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            assert (cached / target).is_file(), f"{page}: the link {href} is broken"
