"""What readers see, in a real browser: Debian's Chromium driven by Playwright
over the built site, served from 127.0.0.1. Every page must show the disclaimer
in its flow, link to Limitations, pass axe-core, fetch nothing from elsewhere,
fit a phone's width, and print with its disclaimer and without the navigation.

The site is built once (the `html_dir` fixture) and served for the whole run.
Each check is a function that lists problems; the bad pages under
tests/fixtures/browser/ prove that each one can fail. Without Chromium these
tests skip, saying what to install; with REQUIRE_BROWSER=1 (as in CI) a missing
Chromium is a failure.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DOCS, FIXTURES
from localhost import serve

from noopept_brief import core
from noopept_brief.tools import prerequisites

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = [p.relative_to(DOCS).with_suffix(".html").as_posix() for p in core.pages(DOCS)]
DISCLAIMER = core.read_disclaimer(DOCS)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# What furo and brief.css hide in print: the navigation chrome.
CHROME = (".skip-to-content", ".sidebar-drawer", ".toc-drawer", ".mobile-header",
          ".related-pages", ".back-to-top", ".content-icon-container")  # fmt: skip
SNIPPET = f"docs/{core.DISCLAIMER_SNIPPET}"


@dataclass
class Site:
    """A folder of HTML served on 127.0.0.1, and every request its pages made."""

    url: str
    requests: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Skips without it, unless REQUIRE_BROWSER=1."""
    if problem := prerequisites.browser_missing():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 is set, but: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=prerequisites.CHROMIUM,
            headless=True,
            args=list(prerequisites.CHROMIUM_ARGS),
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(html_dir: Path) -> Iterator[Site]:
    """The built site, served for the whole run; the server stops at the end."""
    with serve(html_dir) as url:
        yield Site(url)


@pytest.fixture(scope="session")
def bad_site() -> Iterator[Site]:
    """Pages that each break one check."""
    with serve(FIXTURES / "browser") as url:
        yield Site(url)


@pytest.fixture(scope="session")
def contexts(browser) -> Iterator[dict]:
    """Browser contexts shared by the tests that open pages with the same
    options on the same site (a context costs more than the page it opens);
    closed at the end of the run."""
    shared: dict = {}
    yield shared
    for context in shared.values():
        context.close()


@pytest.fixture
def open_page(browser, contexts):
    """Open a page, recording its requests; ``fresh=True`` for a context of its
    own (a test that changes the page's stored state, such as the theme).

    Requests to any other host are recorded and refused, so a test never waits
    on the network.
    """
    pages, own = [], []

    def open_(site: Site, name: str, fresh: bool = False, **options):
        def route(route) -> None:
            site.requests.append(route.request.url)
            if urlsplit(route.request.url).netloc == site.host:
                route.continue_()
            else:
                route.abort()

        options = {"viewport": DESKTOP, **options}
        key = (site.url, repr(sorted(options.items())))
        context = None if fresh else contexts.get(key)
        if context is None:
            context = browser.new_context(**options)
            context.route("**/*", route)
            (own.append(context) if fresh else contexts.__setitem__(key, context))
        page = context.new_page()
        pages.append(page)
        response = page.goto(site.url + name, wait_until="load")
        assert response is not None and response.ok, (
            f"{name}: {response and response.status}"
        )
        return page

    yield open_
    for page in pages:
        page.close()
    for context in own:
        context.close()


def _words(text: str) -> str:
    return " ".join(text.split())


# -- The checks: each returns what is wrong, with what to do ----------------------


def disclaimer_problems(page, name: str) -> list[str]:
    """The disclaimer is in the article, shown in full, in the first screen."""
    box = page.locator("article .admonition.disclaimer")
    if box.count() != 1:
        return [f"{name}: {box.count()} disclaimers in the article, not 1. "
                f"Include {SNIPPET} once, just below the title."]  # fmt: skip
    if not box.evaluate("e => e.closest('details') === null"):
        return [f"{name}: the disclaimer is inside a collapsible <details>, so "
                f"readers may never open it. Include {SNIPPET} outside any "
                "dropdown."]  # fmt: skip
    text = box.locator("p").last
    if not (box.is_visible() and text.is_visible()):
        return [f"{name}: the disclaimer is hidden. Remove the CSS or class that "
                "hides .admonition.disclaimer."]  # fmt: skip
    height = page.viewport_size["height"]
    bounds = box.bounding_box()
    if not bounds or bounds["y"] >= height:
        return [f"{name}: the disclaimer starts below the first screen "
                f"({bounds and round(bounds['y'])}px of {height}px). Move its "
                "include up, just below the page title."]  # fmt: skip
    if _words(text.inner_text()) != DISCLAIMER.body:
        return [f"{name}: the disclaimer's text differs from {SNIPPET}. Include "
                "the snippet instead of a copy."]  # fmt: skip
    return []


def limitations_problems(page, name: str) -> list[str]:
    """The first link to Limitations in the text is shown and lands there."""
    label = core.LIMITATIONS_LABEL
    link = page.locator(f'article a.reference[href$="#{label}"]').first
    if not link.count() or not link.is_visible():
        return [f"{name}: no visible link to the Limitations section. Add "
                f"{core.LIMITATIONS_REF} to the page's text."]  # fmt: skip
    link.click()
    page.wait_for_load_state()
    target = page.locator(f"#{label}")
    if not page.url.endswith(f"#{label}") or not target.count():
        return [f"{name}: the Limitations link went to {page.url}. Aim it at the "
                f"label with {core.LIMITATIONS_REF}."]  # fmt: skip
    target.locator("h1, h2").first.wait_for()
    if not target.evaluate("e => { const r = e.getBoundingClientRect();"
                           " return r.top >= -1 && r.top < innerHeight; }"):  # fmt: skip
        return [f"{name}: after the click, the Limitations section is not in view."]
    return []


def axe_problems(page, name: str) -> list[str]:
    """axe-core's default rules (WCAG A and AA, and best practices), none disabled."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{name}: axe {v['id']} ({v['impact']}): {v['help']}, at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        + f". See {v['helpUrl']}; fix the template (docs/_templates), the "
        "markup (src/noopept_brief/sphinxext/html.py) or the CSS (docs/_static/brief.css)."
        for v in Axe().run(page).response["violations"]
    ]


def foreign_problems(requests: list[str], host: str, name: str) -> list[str]:
    """Every request stays on the site's own host."""
    foreign = sorted({u for u in requests if urlsplit(u).netloc != host})
    return [f"{name}: requested {url} from another host. Serve it from "
            "docs/_static, or remove it." for url in foreign]  # fmt: skip


def overflow_problems(page, name: str) -> list[str]:
    """Nothing makes the page scroll sideways."""
    width = page.viewport_size["width"]
    page.evaluate("window.scrollTo(10000, 0)")
    if page.evaluate("window.scrollX") == 0:
        return []
    wide = page.evaluate(
        """() => [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .slice(-3).map(e => e.outerHTML.slice(0, 100))"""
    )
    return [f"{name}: at {width}px wide the page scrolls sideways "
            f"({page.evaluate('document.documentElement.scrollWidth')}px). Let "
            f"these wrap in docs/_static/brief.css: {wide}"]  # fmt: skip


def print_problems(page, name: str) -> list[str]:
    """Print media keeps the disclaimer, and drops the navigation."""
    from pypdf import PdfReader

    nav = [_words(t) for t in page.locator(".sidebar-tree a").all_inner_texts()]
    page.emulate_media(media="print")
    problems = [f"{name}: printing shows {s}. Hide it in the @media print block "
                "of docs/_static/brief.css."
                for s in CHROME if page.locator(s).first.is_visible()]  # fmt: skip
    article = _words(page.locator("article").inner_text())
    pdf = PdfReader(io.BytesIO(page.pdf()))
    printed = _words(" ".join(p.extract_text() for p in pdf.pages))
    if DISCLAIMER.body not in printed:
        problems.append(f"{name}: the printed page lacks the disclaimer. Keep "
                        ".admonition.disclaimer visible in print.")  # fmt: skip
    leaked = [entry for entry in nav if entry not in article and entry in printed]
    if leaked:
        problems.append(f"{name}: the printed page carries the sidebar {leaked}. "
                        "Hide .sidebar-drawer in print.")  # fmt: skip
    return problems


def map_status_problems(page, name: str) -> list[str]:
    """On a phone, every row's status in the evidence map is in view without
    scrolling sideways (issue 14: it was off the screen)."""
    width = page.evaluate("innerWidth")
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('table.evidence-map tbody tr')]
            .map(row => [row.cells[0].innerText, row.cells[4]])
            .filter(([, cell]) => { const r = cell.getBoundingClientRect();
                let box = cell.closest('.table-wrapper, div');
                return r.right > innerWidth + 1 || r.width === 0 ||
                       (box && box.scrollWidth > box.clientWidth + 1); })
            .slice(0, 3).map(([claim]) => claim.slice(0, 60))"""
    )
    if not page.locator("table.evidence-map tbody tr").count():
        return [f"{name}: no evidence map rows found"]
    return [f"{name}: at {width}px wide, the status of these rows is off the screen "
            f"or needs sideways scrolling: {hidden}. Keep the phone layout of "
            "table.evidence-map (one card a row) in docs/_static/brief.css."
            ] if hidden else []  # fmt: skip


def focus_problems(page, name: str) -> list[str]:
    """The keyboard reaches the skip link first, and a focused link shows it."""
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className || ''")
    problems = []
    if "skip-to-content" not in first:
        problems.append(f"{name}: the first Tab does not reach the skip link "
                        "(.skip-to-content). Keep furo's skip link first in the page.")  # fmt: skip
    for _ in range(80):
        if page.evaluate("!!document.activeElement.closest('article a.reference')"):
            break
        page.keyboard.press("Tab")
    else:
        return [*problems, f"{name}: Tab never reached a link in the text."]
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    if style[0] == "none" or style[1] == "0px":
        problems.append(f"{name}: a focused link shows no outline. Remove the CSS "
                        "that hides :focus outlines (docs/_static/brief.css).")  # fmt: skip
    return problems


# -- Every page of the site --------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_disclaimer_is_shown_in_the_first_screen(open_page, site, name: str) -> None:
    problems = [p for viewport in (DESKTOP, PHONE)
                for p in disclaimer_problems(open_page(site, name, viewport=viewport), name)]  # fmt: skip
    assert not problems, "\n".join(problems)


#: The page that defines the Limitations label: it does not link to itself.
LIMITATIONS_PAGE = next(
    p.relative_to(DOCS).with_suffix(".html").as_posix()
    for p in core.pages(DOCS)
    if f"({core.LIMITATIONS_LABEL})=" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", [p for p in PAGES if p != LIMITATIONS_PAGE])
def test_limitations_link_lands_on_limitations(open_page, site, name: str) -> None:
    problems = limitations_problems(open_page(site, name), name)
    assert not problems, "\n".join(problems)


def test_limitations_page_is_the_target_and_no_link_to_itself(open_page, site) -> None:
    page = open_page(site, LIMITATIONS_PAGE)
    label = core.LIMITATIONS_LABEL
    assert page.locator(f"#{label} h1").count() == 1, "the label heads the page"
    assert not page.locator(f'article a.reference.internal[href="#{label}"]').count()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(open_page, site, name: str, scheme: str) -> None:
    problems = axe_problems(open_page(site, name, color_scheme=scheme), name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_page_makes_no_request_to_another_host(open_page, site, name: str) -> None:
    before = len(site.requests)
    page = open_page(site, name, fresh=True)  # the click stores a theme
    page.locator(".theme-toggle:visible").first.click()  # scripts run; fonts load
    page.wait_for_load_state("networkidle")
    mine = site.requests[before:]
    assert any(u.endswith(name) for u in mine), "the requests were not recorded"
    problems = foreign_problems(mine, site.host, name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_on_a_phone(open_page, site, name: str) -> None:
    page = open_page(site, name, viewport=PHONE, is_mobile=True, has_touch=True)
    problems = overflow_problems(page, name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_print_keeps_the_disclaimer_and_drops_the_navigation(
    open_page, site, name
) -> None:
    problems = print_problems(open_page(site, name), name)
    assert not problems, "\n".join(problems)


def test_map_status_is_visible_on_a_phone(open_page, site) -> None:
    name = "evidence-map.html"
    page = open_page(site, name, viewport=PHONE, is_mobile=True, has_touch=True)
    problems = map_status_problems(page, name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["index.html", "02-research-landscape.html"])
def test_keyboard_focus_is_shown(open_page, site, name: str) -> None:
    problems = focus_problems(open_page(site, name, fresh=True), name)
    assert not problems, "\n".join(problems)


# -- Each check fails on a page that breaks it -----------------------------------


@pytest.mark.parametrize(
    ("name", "check", "expected"),
    [
        ("collapsed-disclaimer.html", disclaimer_problems, "outside any dropdown"),
        ("late-disclaimer.html", disclaimer_problems, "just below the page title"),
        ("no-limitations-link.html", limitations_problems, core.LIMITATIONS_REF),
        ("axe-violations.html", axe_problems, "aria-deprecated-role"),
        ("wide-table.html", overflow_problems, "brief.css"),
        ("printed-sidebar.html", print_problems, "Hide .sidebar-drawer in print"),
        ("map-without-cards.html", map_status_problems, "phone layout"),
        ("no-focus.html", focus_problems, "shows no outline"),
    ],
)
def test_check_fails_on_a_bad_page(open_page, bad_site, name, check, expected) -> None:
    viewport = PHONE if check in (overflow_problems, map_status_problems) else DESKTOP
    problems = check(open_page(bad_site, name, viewport=viewport), name)
    assert problems, f"{check.__name__} passed {name}, which breaks it"
    assert name in problems[0] and expected in " ".join(problems), problems


def test_foreign_request_check_fails_on_a_page_with_a_web_font(
    open_page, bad_site
) -> None:
    name = "web-font.html"
    page = open_page(bad_site, name, fresh=True)
    page.wait_for_load_state("networkidle")
    problems = foreign_problems(bad_site.requests, bad_site.host, name)
    assert problems and "fonts.example.invalid" in problems[0], problems
    assert "docs/_static" in problems[0]
