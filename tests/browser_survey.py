"""The browser survey: every page of a site opened in Debian's Chromium, and
seen in each view (a window size and colour scheme), with each page's checks
(tests/browser_checks.py) run on it, and what each check found kept, for
tests/test_browser.py to assert on.

It is made once per test run. Under xdist the controller, which runs no test,
starts it as the run begins (:func:`start_early`, from conftest.py), so that
the workers run other tests meanwhile; the browser tests come last, and read
it. Whatever the controller could not make (no Chromium, a failed build), the
first worker that needs it makes, and fails or skips there with the reason.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import browser_checks as check
from browser_checks import LIMITATIONS_PAGE, Tab
from conftest import DOCS, FIXTURES, count_build, made_once
from localhost import serve

from noopept_brief import core
from noopept_brief.tools import prerequisites

PAGES = [p.relative_to(DOCS).with_suffix(".html").as_posix() for p in core.pages(DOCS)]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Each browser context: how its pages are opened. A page is opened once
#: in each context it has a view in (a page load costs Chromium about 0.4 s
#: of CPU), in the context's one tab.
CONTEXTS = {
    "screen": {"viewport": DESKTOP, "color_scheme": "light"},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
#: Each view: its context, and the window size and colour scheme its tab is
#: set to, in this order. The views that only read the page come first; the
#: desktop view ends with the checks that act on it.
VIEWS = {
    "dark": ("screen", DESKTOP, "dark"),
    "narrow": ("screen", PHONE, "light"),
    "desktop": ("screen", DESKTOP, "light"),
    "phone": ("phone", PHONE, "light"),
}
MAP_PAGE = "evidence-map.html"
FOCUS_PAGES = ("index.html", "02-research-landscape.html")

Check = Callable[[Tab], list[str]]
#: Page -> view -> the checks run on it, in order.
Plan = dict[str, dict[str, tuple[Check, ...]]]
#: (view, page, check's name) -> what the check found.
Found = dict[tuple[str, str, str], list[str]]


def site_plan(name: str) -> dict[str, tuple[Check, ...]]:
    """Every check of one page of the site. Each view that runs axe first
    checks that the page shows the view's colour scheme. In the desktop view,
    the checks that only read the page come first; then those that act on
    it: the keyboard, the theme toggle (the requests are checked after it),
    and last the Limitations link (on the Limitations page, the tab goes to
    the label)."""
    return {
        "desktop": (
            check.scheme_problems, check.disclaimer_problems, check.axe_problems,
            check.print_problems,
            *((check.focus_problems,) if name in FOCUS_PAGES else ()),
            check.theme_toggle_problems, check.foreign_problems,
            check.limitations_target_problems if name == LIMITATIONS_PAGE
            else check.limitations_problems,
        ),
        "dark": (check.scheme_problems, check.axe_problems),
        # A phone's browser zooms a wide page out to fit, so that it never
        # scrolls sideways: only a narrow window shows the overflow.
        "narrow": (check.disclaimer_problems, check.overflow_problems),
        "phone": (check.overflow_problems, *((check.map_status_problems,) if name == MAP_PAGE else ())),
    }  # fmt: skip


def _checked(tab: Tab, check: Check) -> list[str]:
    try:
        return check(tab)
    except Exception as error:  # a check that cannot finish fails its page
        return [f"{tab.name}: {check.__name__} could not finish: "
                f"{type(error).__name__}: {error}"]  # fmt: skip


def _loaded(tab: Tab, response) -> str | None:
    """Wait until the tab has loaded; what went wrong, if anything."""
    try:
        tab.page.wait_for_load_state("load")
    except Exception as error:
        return f"{tab.name}: the page did not load: {error}"
    if response is None or not response.ok:
        return f"{tab.name}: the server answered {response and response.status}"
    return None


def survey(browser, url: str, plan: Plan) -> Found:
    """Open every page of the plan, context by context, one page after another
    in the context's one tab, recording each page's requests; set the tab to
    each of the page's views in turn, and run the view's checks."""
    found: Found = {}
    for name, options in CONTEXTS.items():
        views = [view for view, (context, *_) in VIEWS.items() if context == name]
        pages = [page for page in plan if set(views) & set(plan[page])]
        if pages:
            with _context(browser, options) as context:
                _survey_context(context, url, pages, plan, views, found)
    return found


@contextlib.contextmanager
def _context(browser, options: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        context.close()


def _survey_context(
    context, url: str, pages: list[str], plan: Plan, views: list[str], found: Found
) -> None:
    """One tab for all the context's pages: each tab is a renderer process of
    its own, and a tab a page cost the survey of the site about 5 s more CPU
    (40.4 and 42.6 s against 35.3 and 36.5 s, every process counted). Each page
    opens with the browser's storage empty, as on a first visit, so that a
    theme the toggle stored on the page before does not override the view's
    colour scheme (:func:`browser_checks.scheme_problems`)."""
    host = urlsplit(url).netloc
    page = context.new_page()
    page.add_init_script("try { localStorage.clear() } catch (e) {}")
    tabs: list[Tab] = []
    page.route("**/*", lambda route: tabs[-1].route(route))
    for name in pages:
        tab = Tab(page, name, host)
        tabs.append(tab)  # the page's own requests from here on
        failed = _loaded(tab, page.goto(url + name, wait_until="commit"))
        for view in (view for view in views if view in plan[tab.name]):
            _, size, scheme = VIEWS[view]
            if not failed:  # as if opened in a window of that size and scheme
                page.set_viewport_size(size)
                page.emulate_media(color_scheme=scheme)
                page.evaluate("window.scrollTo(0, 0)")  # a check may scroll
            for each in plan[tab.name][view]:
                found[view, tab.name, each.__name__] = (
                    [failed] if failed else _checked(tab, each)
                )


def problems_of(found: Found, name: str, check: Check, *views: str) -> list[str]:
    """What ``check`` found on page ``name`` in each of ``views`` (a check the
    survey did not run is a KeyError, never a pass)."""
    return [p for view in views for p in found[view, name, check.__name__]]


@contextlib.contextmanager
def launched() -> Iterator[Any]:
    """Debian's Chromium, headless, as a Playwright browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=prerequisites.CHROMIUM,
            headless=True,
            args=list(prerequisites.CHROMIUM_ARGS),
        )
        yield chromium
        chromium.close()


def surveyed_rows(
    browser: Any, folder: Path, plan: Plan
) -> subprocess.CompletedProcess[str]:
    """:func:`survey` of ``folder`` served, as a build's result (for made_once)."""
    with serve(folder) as url:
        found = survey(browser, url, plan)
    rows = [[*key, problems] for key, problems in found.items()]
    return subprocess.CompletedProcess(["survey"], 0, json.dumps(rows), "")


def site_plans() -> Plan:
    return {name: site_plan(name) for name in PAGES}


#: (bad page, the view the site's pages get that check in, check, expected words)
BAD = [
    ("collapsed-disclaimer.html", "desktop", check.disclaimer_problems, "outside any dropdown"),
    ("late-disclaimer.html", "desktop", check.disclaimer_problems, "just below the page title"),
    ("hidden-disclaimer.html", "desktop", check.disclaimer_problems, "the disclaimer is hidden"),
    ("no-limitations-link.html", "desktop", check.limitations_problems, core.LIMITATIONS_REF),
    ("limitations-link-elsewhere.html", "desktop", check.limitations_problems,
     f"not to {check.LIMITATIONS_PAGE}"),
    ("covered-limitations-link.html", "desktop", check.limitations_problems,
     "cannot be clicked"),
    ("axe-violations.html", "desktop", check.axe_problems, "aria-deprecated-role"),
    ("axe-violations.html", "dark", check.axe_problems, "aria-deprecated-role"),
    # Readable in the light scheme: this proves the dark view is dark.
    ("dark-contrast.html", "dark", check.axe_problems, "color-contrast"),
    ("stored-theme.html", "dark", check.scheme_problems, "stored 'light' theme"),
    ("wide-table.html", "narrow", check.overflow_problems, "brief.css"),
    ("wide-table.html", "phone", check.overflow_problems, "zoomed out"),
    ("printed-sidebar.html", "desktop", check.print_problems, "Hide .sidebar-drawer in print"),
    ("printed-sidebar.html", "desktop", check.print_problems, "printing shows .sidebar-drawer"),
    ("unprinted-disclaimer.html", "desktop", check.print_problems, "lacks the disclaimer"),
    ("misplaced-limitations.html", "desktop", check.limitations_target_problems,
     "does not head the page"),
    ("misplaced-limitations.html", "desktop", check.limitations_target_problems,
     "links to itself"),
    ("offscreen-limitations.html", "desktop", check.limitations_target_problems,
     "not in view"),
    ("map-without-cards.html", "phone", check.map_status_problems, "phone layout"),
    ("no-focus.html", "desktop", check.focus_problems, "shows no outline"),
    ("web-font.html", "desktop", check.foreign_problems, "fonts.example.invalid"),
]  # fmt: skip


def bad_plan() -> Plan:
    """Each bad page, with the checks it breaks, in the view each runs in."""
    plan: Plan = {}
    for name, view, breaks, _ in BAD:
        checks = plan.setdefault(name, {}).setdefault(view, ())
        if breaks not in checks:  # a check with two faults to find runs once
            plan[name][view] = (*checks, breaks)
    return plan


def _make_early(shared: Path) -> None:
    def build(out: Path) -> subprocess.CompletedProcess[str]:
        # In a process of its own: conf.py sets SOURCE_DATE_EPOCH in the
        # environment of the process that builds.
        count_build()
        command = [sys.executable, "-m", "sphinx", "-b", "html", str(DOCS), str(out)]
        return subprocess.run([*command, *core.SPHINX_FLAGS], capture_output=True,
                              encoding="utf-8", check=False)  # fmt: skip

    html, result = made_once(shared, "html", build)
    if result.returncode:
        return  # html_dir fails the tests, with the build's output
    with launched() as browser:
        made_once(
            shared, "survey", lambda _: surveyed_rows(browser, html, site_plans())
        )
        made_once(
            shared, "bad-survey",
            lambda _: surveyed_rows(browser, FIXTURES / "browser", bad_plan()),
        )  # fmt: skip


def start_early(shared: Path) -> Callable[[], None]:
    """Start making the site, its survey and the bad pages' survey in the
    background; return what waits for that to end."""
    if prerequisites.browser_missing():
        return lambda: None

    def make() -> None:
        # Anything that fails here is made again by the worker that needs it,
        # which then reports it.
        with contextlib.suppress(Exception):
            _make_early(shared)

    thread = threading.Thread(target=make, name="browser survey", daemon=True)
    thread.start()
    return lambda: thread.join(timeout=120)
