"""What tests/test_browser.py checks on each page a browser has loaded.

Each check takes a :class:`Tab` (a page already loaded, with every request it
made) and returns what is wrong, each problem with what to do; an empty list
means the page passes. The bad pages under tests/fixtures/browser/ prove that
each check can fail.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from conftest import DOCS

from noopept_brief import core

DISCLAIMER = core.read_disclaimer(DOCS)
# What furo and brief.css hide in print: the navigation chrome.
CHROME = (".skip-to-content", ".sidebar-drawer", ".toc-drawer", ".mobile-header",
          ".related-pages", ".back-to-top", ".content-icon-container")  # fmt: skip
SNIPPET = f"docs/{core.DISCLAIMER_SNIPPET}"
#: The page that defines the Limitations label: it does not link to itself.
LIMITATIONS_PAGE = next(
    p.relative_to(DOCS).with_suffix(".html").as_posix()
    for p in core.pages(DOCS)
    if f"({core.LIMITATIONS_LABEL})=" in p.read_text(encoding="utf-8")
)


@dataclass
class Tab:
    """One page open in the browser, and every request it has made so far."""

    page: Any  # playwright.sync_api.Page
    name: str
    host: str
    requests: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        """Record each request; let the site's own through, refuse the rest (so
        a check never waits on the network)."""
        self.requests.append(route.request.url)
        if urlsplit(route.request.url).netloc == self.host:
            route.continue_()
        else:
            route.abort()


def _words(text: str) -> str:
    return " ".join(text.split())


#: Whether an element is shown, as Playwright's ``is_visible`` tests an
#: element that is not ``display: contents``: rendered (``checkVisibility``),
#: ``visibility: visible``, and a box of some size. The disclaimer and print
#: checks read what they need of a page in one call each, with it: every
#: call to the browser is a round trip through Playwright's driver (one
#: call instead of seven took the disclaimer check from 2.1 to 0.2 s of the
#: machine's CPU over the site's 24 views that run it).
_SHOWN = """const shown = e => {
    if (!e || !e.checkVisibility() || getComputedStyle(e).visibility !== 'visible') return false;
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
"""
#: What :func:`disclaimer_problems` reads of the page.
_DISCLAIMER_STATE = "() => {" + _SHOWN + """
    const boxes = document.querySelectorAll('article .admonition.disclaimer');
    if (boxes.length !== 1) return {count: boxes.length};
    const box = boxes[0], text = [...box.querySelectorAll('p')].pop();
    return {count: 1, collapsed: box.closest('details') !== null,
            shown: shown(box) && shown(text), top: box.getBoundingClientRect().y,
            text: text ? text.innerText : ''};
}"""  # fmt: skip


def disclaimer_problems(tab: Tab) -> list[str]:
    """The disclaimer is in the article, shown in full, in the first screen."""
    page, name = tab.page, tab.name
    state = page.evaluate(_DISCLAIMER_STATE)
    if state["count"] != 1:
        return [f"{name}: {state['count']} disclaimers in the article, not 1. "
                f"Include {SNIPPET} once, just below the title."]  # fmt: skip
    if state["collapsed"]:
        return [f"{name}: the disclaimer is inside a collapsible <details>, so "
                f"readers may never open it. Include {SNIPPET} outside any "
                "dropdown."]  # fmt: skip
    if not state["shown"]:
        return [f"{name}: the disclaimer is hidden. Remove the CSS or class that "
                "hides .admonition.disclaimer."]  # fmt: skip
    height = page.viewport_size["height"]
    if state["top"] >= height:
        return [f"{name}: the disclaimer starts below the first screen "
                f"({round(state['top'])}px of {height}px). Move its "
                "include up, just below the page title."]  # fmt: skip
    if _words(state["text"]) != DISCLAIMER.body:
        return [f"{name}: the disclaimer's text differs from {SNIPPET}. Include "
                "the snippet instead of a copy."]  # fmt: skip
    return []


def limitations_problems(tab: Tab) -> list[str]:
    """The first link to Limitations in the text is shown, can be clicked
    (Playwright's trial click: nothing covers it), and leads to the label on
    the page that defines it (where :func:`limitations_target_problems`
    checks that the label heads the page and is in view). The link is not
    followed: every page's link leads to the same place, and each page load
    costs Chromium about 0.4 s of CPU."""
    page, name, label = tab.page, tab.name, core.LIMITATIONS_LABEL
    link = page.locator(f'article a.reference[href$="#{label}"]').first
    if not link.count() or not link.is_visible():
        return [f"{name}: no visible link to the Limitations section. Add "
                f"{core.LIMITATIONS_REF} to the page's text."]  # fmt: skip
    target = page.evaluate(
        "href => { const u = new URL(href, location.href);"
        " return u.pathname.slice(1) + u.hash; }",  # from the site's root
        link.get_attribute("href"),
    )
    if target != f"{LIMITATIONS_PAGE}#{label}":
        return [f"{name}: the Limitations link goes to {target}, not to "
                f"{LIMITATIONS_PAGE}#{label}. Aim it at the label with "
                f"{core.LIMITATIONS_REF}."]  # fmt: skip
    try:
        link.click(trial=True, timeout=5000)
    except Exception as error:
        lines = [line.strip(" -") for line in str(error).splitlines()]
        why = next((line for line in lines if "intercepts" in line), lines[0])
        return [f"{name}: the Limitations link cannot be clicked ({why}). Keep "
                "it clear of anything drawn over it in docs/_static/brief.css."]  # fmt: skip
    return []


def limitations_target_problems(tab: Tab) -> list[str]:
    """The page that defines the Limitations label: the label heads the page,
    a link to it shows it (the tab goes to the label, as a followed link
    does), and the page does not link to itself."""
    page, name, label = tab.page, tab.name, core.LIMITATIONS_LABEL
    problems = []
    if page.locator(f"#{label} h1").count() != 1:
        problems.append(f"{name}: the label {label} does not head the page.")
    if page.locator(f'article a.reference.internal[href="#{label}"]').count():
        problems.append(f"{name}: the Limitations page links to itself.")
    page.evaluate(f"location.hash = '#{label}'")
    target = page.locator(f"#{label}")
    if target.count() and not target.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= -1 && r.top < innerHeight; }"
    ):
        problems.append(f"{name}: at #{label}, the Limitations section is not in view.")
    return problems


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def axe_problems(tab: Tab) -> list[str]:
    """axe-core's default rules (WCAG A and AA, and best practices), none
    disabled. axe is put into the page once, however many views run it;
    only its violations come back (all their nodes, as axe gives them)."""
    if not tab.page.evaluate("typeof axe === 'object'"):
        tab.page.evaluate(_axe_script())
    violations = tab.page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
    )
    return [
        f"{tab.name}: axe {v['id']} ({v['impact']}): {v['help']}, at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        + f". See {v['helpUrl']}; fix the template (docs/_templates), the "
        "markup (src/noopept_brief/sphinxext/html.py) or the CSS (docs/_static/brief.css)."
        for v in violations
    ]


def scheme_problems(tab: Tab) -> list[str]:
    """The page shows the view's colour scheme. furo reads a theme that its
    toggle stored (in the browser's storage) as each page loads, and a stored
    "light" or "dark" overrides the scheme the view emulates: a dark view
    would then check the light colours, or the other way round."""
    theme = tab.page.evaluate("document.body.dataset.theme || 'auto'")
    if theme == "auto":
        return []
    return [f"{tab.name}: the page shows the stored {theme!r} theme, not the "
            "view's colour scheme, so its checks saw the wrong colours. Open "
            "each page with the browser's storage empty (tests/browser_survey.py, "
            "_survey_context)."]  # fmt: skip


def theme_toggle_problems(tab: Tab) -> list[str]:
    """Click the theme toggle, so that scripts run and fonts load (for
    :func:`foreign_problems`); it stores a theme for the tab's context."""
    tab.page.locator(".theme-toggle:visible").first.click()
    return []


def foreign_problems(tab: Tab) -> list[str]:
    """Every request the tab made stays on the site's own host."""
    tab.page.wait_for_load_state("networkidle")
    if not any(u.endswith(tab.name) for u in tab.requests):
        return [f"{tab.name}: the requests were not recorded."]
    foreign = sorted({u for u in tab.requests if urlsplit(u).netloc != tab.host})
    return [f"{tab.name}: requested {url} from another host. Serve it from "
            "docs/_static, or remove it." for url in foreign]  # fmt: skip


def overflow_problems(tab: Tab) -> list[str]:
    """Nothing is wider than the window: in a narrow window the page would
    scroll sideways, and a phone's browser lays such a page out wider than
    its screen and shows it zoomed out."""
    page, name = tab.page, tab.name
    width = page.viewport_size["width"]
    page.evaluate("window.scrollTo(10000, 0)")
    if page.evaluate("window.scrollX") == 0 and page.evaluate("innerWidth") <= width:
        return []
    wide = page.evaluate(
        """width => [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right + scrollX > width + 1)
            .slice(-3).map(e => e.outerHTML.slice(0, 100))""",
        width,
    )
    return [f"{name}: at {width}px wide the page is laid out "
            f"{page.evaluate('document.documentElement.scrollWidth')}px wide, so "
            "it scrolls sideways (or a phone shows it zoomed out). Let these "
            f"wrap in docs/_static/brief.css: {wide}"]  # fmt: skip


#: What print media shows: which of the chrome's selectors match a shown
#: element (the first match of each), and the article's text.
_PRINTED_STATE = "selectors => {" + _SHOWN + """
    const articles = document.querySelectorAll('article');
    if (articles.length !== 1) throw new Error(`${articles.length} <article> elements, not 1`);
    return [selectors.filter(s => shown(document.querySelector(s))), articles[0].innerText];
}"""  # fmt: skip


def print_problems(tab: Tab) -> list[str]:
    """Print media keeps the disclaimer, and drops the navigation (the tab is
    back on screen media afterwards)."""
    from noopept_brief.core.output.pdf_text import pdf_pages

    page, name = tab.page, tab.name
    nav = [_words(t) for t in page.locator(".sidebar-tree a").all_inner_texts()]
    page.emulate_media(media="print")
    try:
        shown, article = page.evaluate(_PRINTED_STATE, CHROME)
        problems = [f"{name}: printing shows {s}. Hide it in the @media print block "
                    "of docs/_static/brief.css." for s in shown]  # fmt: skip
        article = _words(article)
        pdf = page.pdf()
    finally:
        page.emulate_media(media="screen")
    printed = _words(" ".join(pdf_pages(pdf)))  # PDFium: pypdf took 1 s a run
    if DISCLAIMER.body not in printed:
        problems.append(f"{name}: the printed page lacks the disclaimer. Keep "
                        ".admonition.disclaimer visible in print.")  # fmt: skip
    leaked = [entry for entry in nav if entry not in article and entry in printed]
    if leaked:
        problems.append(f"{name}: the printed page carries the sidebar {leaked}. "
                        "Hide .sidebar-drawer in print.")  # fmt: skip
    return problems


def map_status_problems(tab: Tab) -> list[str]:
    """On a phone, every row's status in the evidence map is in view without
    scrolling sideways (issue 14: it was off the screen)."""
    page, name = tab.page, tab.name
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


def focus_problems(tab: Tab) -> list[str]:
    """The keyboard reaches the skip link first, and a focused link shows it."""
    page, name = tab.page, tab.name
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
