"""The evidence map of a large brief: split, so that every page stays under the
output gate's size limit (issue 21: at 1,000 pages the one table reached
12.3 MB, over the gate's 5 MB).

The real docs/ are built with ``brief_map_rows`` below their claim count, as
a brief of hundreds of pages would be: the map page lists the pages, each
page shows its own claims' rows at its end, and each claim's badge links to
its row there. The small brief's one table is tested in test_claims.py and
test_readers.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DOCS, built_once, sphinx_build

from noopept_brief import core
from noopept_brief.sphinxext.transforms import PAGE_ROWS_ID

pytestmark = pytest.mark.build

CLAIMS = {
    p.relative_to(DOCS).with_suffix("").as_posix(): core.claims(p.read_text("utf-8"))
    for p in core.pages(DOCS)
}


@pytest.fixture(scope="session")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, result = built_once(
        tmp_path_factory,
        "split-map",
        lambda out: sphinx_build("-b", "html", DOCS, out, "-D", "brief_map_rows=10"),
    )
    # The output gate passed every page: none over its size limit or unsafe.
    assert result.returncode == 0, result.stderr
    return out


def test_the_map_lists_the_pages_instead_of_every_row(split_site: Path) -> None:
    page = (split_site / "evidence-map.html").read_text("utf-8")
    assert "<tbody>" not in page.split('role="main"')[1], "the map kept its one table"
    for docname, claims in CLAIMS.items():
        if claims:
            assert f'href="{docname}.html#{PAGE_ROWS_ID}"' in page, docname
    assert "claims.json" in page, "the map still links its data"


@pytest.mark.parametrize("docname", [d for d, c in CLAIMS.items() if c])
def test_each_page_shows_its_own_rows_and_its_badges_link_there(
    split_site: Path, docname: str
) -> None:
    page = (split_site / f"{docname}.html").read_text("utf-8")
    assert f'id="{PAGE_ROWS_ID}"' in page
    rows = page.split(f'id="{PAGE_ROWS_ID}"')[1]
    ids = re.findall(
        r'<tr class="claim-[a-z]+[^"]*"><td><p><span class="target" id="([^"]+)"', rows
    )
    assert len(ids) == len(CLAIMS[docname]), (docname, ids)
    badges = re.findall(
        r'href="#(map-[^"]+)" title="This claim in the evidence map"', page
    )
    assert sorted(badges) == sorted(ids), "each badge links to its row on the page"
