"""Site metadata: every page's summary feeds its meta description and OpenGraph
tags; the sitemap, the 404 page, the favicon and the PDF link are in place; and
nothing on the site loads from a third-party host."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DOCS, FIXTURES, ROOT

from noopept_brief import core

PAGES = core.pages(DOCS)
BAD = FIXTURES / "pages" / "bad-front-matter"
# Each bad fixture: the rule it breaks, the line the message names, and a piece
# of the fix the message must give.
BAD_FRONT_MATTER = {
    "missing.md": ("description", 1, "description: One sentence"),
    "placeholder.md": ("description", 2, "Replace it with one sentence"),
    "too-long.md": ("description", 3, "Shorten it to one sentence"),
    "unquoted-colon.md": ("description", 1, 'description: "..."'),
    "citation-placeholder.md": ("citation-placeholder", 14, "docs/refs.bib"),
}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_bad_front_matter_fixture_is_listed() -> None:
    assert {p.name for p in BAD.glob("*.md")} == set(BAD_FRONT_MATTER)


@pytest.mark.parametrize(
    ("name", "expected"), BAD_FRONT_MATTER.items(), ids=list(BAD_FRONT_MATTER)
)
def test_bad_front_matter_is_refused(name: str, expected: tuple[str, int, str]) -> None:
    rule, line, fix = expected
    page = BAD / name
    problems = core.check_page(page.read_text(encoding="utf-8"), _rel(page))
    assert [(p.rule, p.line) for p in problems] == [(rule, line)]
    message = str(problems[0])
    assert message.startswith(f"{_rel(page)}:{line}: [{rule}] "), message
    assert fix in message, f"the message must say how to fix it:\n{message}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_summary_fits_a_search_result(page: Path) -> None:
    data, _ = core.front_matter(page.read_text(encoding="utf-8")) or ({}, {})
    description = data.get("description")
    assert isinstance(description, str), f"{page.name}: no description"
    assert 40 <= len(description) <= core.DESCRIPTION_MAX, description


# -- The built site -------------------------------------------------------------


class _Head(HTMLParser):
    """Collects meta tags and every URL the page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.fetched: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta[a.get("name") or a["property"]] = a.get("content", "")
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get(
            "src"
        ):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") != "canonical":
            self.fetched.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(a)


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _html(page: Path) -> str:
    return page.relative_to(DOCS).with_suffix(".html").as_posix()


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_has_its_summary_as_meta_and_opengraph(html_dir: Path, page: Path) -> None:
    data, _ = core.front_matter(page.read_text(encoding="utf-8")) or ({}, {})
    meta = _head(html_dir / _html(page)).meta
    assert meta.get("description") == data["description"]
    assert meta.get("og:description") == data["description"]
    assert meta.get("og:title") and meta.get("og:url", "").endswith(_html(page))
    assert "twitter:card" not in meta and "og:image" not in meta, "no social cards"


@pytest.mark.build
def test_summary_stays_out_of_the_page_body(html_dir: Path) -> None:
    # MyST turns front matter into a field list; Sphinx must keep it as metadata.
    body = (html_dir / "index.html").read_text(encoding="utf-8").split("<body", 1)[1]
    data, _ = core.front_matter((DOCS / "index.md").read_text("utf-8")) or ({}, {})
    assert data["description"] not in body


@pytest.mark.build
def test_nothing_loads_from_a_third_party_host(html_dir: Path) -> None:
    own = urlsplit(core.base_url({})).netloc
    offenders = [
        f"{page.relative_to(html_dir)}: {url}"
        for page in sorted(html_dir.rglob("*.html"))
        for url in _head(page).fetched
        if urlsplit(url).netloc not in ("", own)
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.build
def test_favicon_is_linked_and_present(html_dir: Path) -> None:
    html = (html_dir / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', html)
    assert match, "no favicon link: browsers would ask for /favicon.ico and get 404"
    assert (html_dir / match[1]).is_file()


@pytest.mark.build
def test_sitemap_lists_every_page(html_dir: Path) -> None:
    sitemap = (html_dir / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    expected = {core.base_url({}) + _html(page) for page in PAGES}
    assert expected <= listed, expected - listed
    extra = {"404.html", "search.html", "genindex.html"}
    assert not {url.rsplit("/", 1)[-1] for url in listed} & extra, listed


@pytest.mark.build
def test_404_page_uses_absolute_asset_paths(html_dir: Path) -> None:
    head = _head(html_dir / "404.html")
    assets = [u for u in head.fetched if "_static/" in u]
    assert assets and all(u.startswith("/_static/") for u in assets), assets
    assert "Page not found" in (html_dir / "404.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_404_page_has_a_meta_description(html_dir: Path) -> None:
    # Search engines and Lighthouse want one on every page, this one too.
    description = _head(html_dir / "404.html").meta.get("description", "")
    assert 40 <= len(description) <= core.DESCRIPTION_MAX, (
        "404.html: no meta description, or one that does not fit a search "
        f"result ({description!r}): set notfound_context's meta in docs/conf.py"
    )


@pytest.mark.build
def test_no_form_has_an_empty_action(html_dir: Path) -> None:
    # The Nu HTML checker refuses action="": a form without an action sends
    # to its own page, which is what an empty one meant.
    empty = [
        f"{page.relative_to(html_dir)}: <form class={form.get('class')!r}>"
        for page in sorted(html_dir.rglob("*.html"))
        for form in _head(page).forms
        if "action" in form and not form["action"].strip()
    ]
    assert not empty, 'action="" is invalid HTML: drop the attribute\n' + (
        "\n".join(empty)
    )


@pytest.mark.build
def test_pages_show_their_last_git_update(html_dir: Path) -> None:
    html = (html_dir / "01-overview.html").read_text(encoding="utf-8")
    dated = re.search(r"Last updated on \d{4}-\d\d-\d\d", html)
    if core.git_dates_known(DOCS):
        assert dated, "no last-updated date, though git has the whole history"
        assert 'property="article:modified_time"' in html
    else:
        # Outside git, or in a shallow clone: no date, and (the build having
        # passed with -W) no warning either.
        assert not dated


@pytest.mark.build
def test_landing_page_links_the_pdf_beside_it(html_dir: Path) -> None:
    # The PDF build (nox -s pdf, and Read the Docs) copies the handout there.
    assert core.PDF_NAME in _head(html_dir / "index.html").links
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert "core.PDF_NAME" in conf, "conf.py must name the PDF from core.PDF_NAME"


def test_pdf_is_copied_beside_the_site_by_nox() -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    assert 'BUILD / "html" / PDF_NAME' in noxfile
    assert f'PDF_NAME = "{core.PDF_NAME}"' in noxfile


def test_git_dates_are_known_only_with_the_whole_history(tmp_path: Path) -> None:
    def git(*args: str, cwd: Path) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=cwd, check=True, capture_output=True,
        )  # fmt: skip

    repo = tmp_path / "repo"
    repo.mkdir()
    assert not core.git_dates_known(repo), "not a git checkout yet"
    git("init", "-q", cwd=repo)
    for n in (1, 2):
        (repo / "page.md").write_text(f"version {n}\n", encoding="utf-8")
        git("add", "page.md", cwd=repo)
        git("commit", "-q", "-m", f"v{n}", cwd=repo)
    assert core.git_dates_known(repo)
    git("clone", "-q", "--depth", "1", repo.as_uri(), "shallow", cwd=tmp_path)
    assert not core.git_dates_known(tmp_path / "shallow"), "a shallow clone"
