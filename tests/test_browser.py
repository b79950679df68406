"""What readers see, in a real browser: Debian's Chromium driven by Playwright
over the built site, served from 127.0.0.1. Every page must show the disclaimer
in its flow, link to Limitations, pass axe-core, fetch nothing from elsewhere,
fit a phone's width, and print with its disclaimer and without the navigation.

The site is built once (the `html_dir` fixture) and served for the whole run.
One browser opens every page at once in each view (a viewport and colour
scheme: one browser context), then runs that page's checks on it, in order
(tests/browser_checks.py: each lists problems), and keeps what each check found
(:func:`survey`). Each test then asserts on its page's problems, so a page
still fails on its own, with its own message. The bad pages under
tests/fixtures/browser/ go through the same survey, to prove that each check
can fail. Without Chromium these tests skip, saying what to install; with
REQUIRE_BROWSER=1 (as in CI) a missing Chromium is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_checks import (
    Tab,
    axe_problems,
    disclaimer_problems,
    focus_problems,
    foreign_problems,
    limitations_problems,
    limitations_target_problems,
    map_status_problems,
    overflow_problems,
    print_problems,
    theme_toggle_problems,
)
from conftest import DOCS, FIXTURES, built_once
from localhost import serve

from noopept_brief import core
from noopept_brief.tools import prerequisites

# One xdist worker runs them all (--dist loadgroup). The mark is set here, as
# conftest.py's (added in pytest_collection_modifyitems) comes after xdist's
# worker has read the groups; and pytest 9.2 ignores the group xdist 3.8 puts
# in a test's id (pytest-dev/pytest-xdist#1386), so the survey is also shared
# through a file (:func:`surveyed`).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.build,
    pytest.mark.xdist_group("browser"),
]

PAGES = [p.relative_to(DOCS).with_suffix(".html").as_posix() for p in core.pages(DOCS)]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Each view is one browser context: how its pages are opened.
VIEWS = {
    "desktop": {"viewport": DESKTOP, "color_scheme": "light"},
    "dark": {"viewport": DESKTOP, "color_scheme": "dark"},
    "narrow": {"viewport": PHONE},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
#: The page that defines the Limitations label: it does not link to itself.
LIMITATIONS_PAGE = next(
    p.relative_to(DOCS).with_suffix(".html").as_posix()
    for p in core.pages(DOCS)
    if f"({core.LIMITATIONS_LABEL})=" in p.read_text(encoding="utf-8")
)
MAP_PAGE = "evidence-map.html"
FOCUS_PAGES = ("index.html", "02-research-landscape.html")

Check = Callable[[Tab], list[str]]
#: Page -> view -> the checks run on it, in order.
Plan = dict[str, dict[str, tuple[Check, ...]]]
#: (view, page, check's name) -> what the check found.
Found = dict[tuple[str, str, str], list[str]]


def site_plan(name: str) -> dict[str, tuple[Check, ...]]:
    """Every check of one page of the site. On the desktop tab, the checks that
    only read the page come first; then those that act on it: the keyboard,
    the theme toggle (the requests are checked after it), and last the
    Limitations link, which leaves the page."""
    return {
        "desktop": (
            disclaimer_problems, axe_problems, print_problems,
            *((focus_problems,) if name in FOCUS_PAGES else ()),
            theme_toggle_problems, foreign_problems,
            limitations_target_problems if name == LIMITATIONS_PAGE
            else limitations_problems,
        ),
        "dark": (axe_problems,),
        # A phone's browser zooms a wide page out to fit, so that it never
        # scrolls sideways: only a narrow window shows the overflow.
        "narrow": (disclaimer_problems, overflow_problems),
        "phone": (overflow_problems, *((map_status_problems,) if name == MAP_PAGE else ())),
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
    tab.page.bring_to_front()  # a tab behind the others is slow to click
    return None


def survey(browser, url: str, plan: Plan) -> Found:
    """Open every page of the plan, view by view, all of a view's pages at once
    in one context, each recording its requests; then run each page's checks."""
    found: Found = {}
    for view, options in VIEWS.items():
        names = [name for name in plan if view in plan[name]]
        if not names:
            continue
        context = browser.new_context(**options)
        try:
            opened = []
            for name in names:  # each page loads while the next one is asked for
                tab = Tab(context.new_page(), name, urlsplit(url).netloc)
                tab.page.route("**/*", tab.route)
                opened.append((tab, tab.page.goto(url + name, wait_until="commit")))
            for tab, response in opened:
                failed = _loaded(tab, response)
                for check in plan[tab.name][view]:
                    found[view, tab.name, check.__name__] = (
                        [failed] if failed else _checked(tab, check)
                    )
        finally:
            context.close()
    return found


def problems_of(found: Found, name: str, check: Check, *views: str) -> list[str]:
    """What ``check`` found on page ``name`` in each of ``views`` (a check the
    survey did not run is a KeyError, never a pass)."""
    return [p for view in views for p in found[view, name, check.__name__]]


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


def surveyed(request, name: str, folder: Path, plan: Plan) -> Found:
    """:func:`survey` of ``folder`` served, made once per test run: under xdist,
    by whichever worker asks first (conftest.built_once), the others read it."""

    def run(_: Path) -> subprocess.CompletedProcess[str]:
        with serve(folder) as url:
            found = survey(request.getfixturevalue("browser"), url, plan)
        rows = [[*key, problems] for key, problems in found.items()]
        return subprocess.CompletedProcess([name], 0, json.dumps(rows), "")

    factory = request.getfixturevalue("tmp_path_factory")
    rows = json.loads(built_once(factory, name, run)[1].stdout)
    return {(view, page, check): problems for view, page, check, problems in rows}


@pytest.fixture(scope="module")
def found(request, html_dir: Path) -> Found:
    """Every check on every page of the built site."""
    return surveyed(request, "survey", html_dir, {n: site_plan(n) for n in PAGES})


# -- Every page of the site --------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_disclaimer_is_shown_in_the_first_screen(found, name: str) -> None:
    problems = problems_of(found, name, disclaimer_problems, "desktop", "narrow")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [p for p in PAGES if p != LIMITATIONS_PAGE])
def test_limitations_link_lands_on_limitations(found, name: str) -> None:
    problems = problems_of(found, name, limitations_problems, "desktop")
    assert not problems, "\n".join(problems)


def test_limitations_page_is_the_target_and_no_link_to_itself(found) -> None:
    problems = problems_of(
        found, LIMITATIONS_PAGE, limitations_target_problems, "desktop"
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("view", ["desktop", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(found, name: str, view: str) -> None:
    problems = problems_of(found, name, axe_problems, view)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_page_makes_no_request_to_another_host(found, name: str) -> None:
    problems = problems_of(found, name, theme_toggle_problems, "desktop") + problems_of(
        found, name, foreign_problems, "desktop"
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_on_a_phone(found, name: str) -> None:
    problems = problems_of(found, name, overflow_problems, "narrow", "phone")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_print_keeps_the_disclaimer_and_drops_the_navigation(found, name) -> None:
    problems = problems_of(found, name, print_problems, "desktop")
    assert not problems, "\n".join(problems)


def test_map_status_is_visible_on_a_phone(found) -> None:
    problems = problems_of(found, MAP_PAGE, map_status_problems, "phone")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", FOCUS_PAGES)
def test_keyboard_focus_is_shown(found, name: str) -> None:
    problems = problems_of(found, name, focus_problems, "desktop")
    assert not problems, "\n".join(problems)


# -- Each check fails on a page that breaks it -----------------------------------

#: (bad page, the view the site's pages get that check in, check, expected words)
BAD = [
    ("collapsed-disclaimer.html", "desktop", disclaimer_problems, "outside any dropdown"),
    ("late-disclaimer.html", "desktop", disclaimer_problems, "just below the page title"),
    ("no-limitations-link.html", "desktop", limitations_problems, core.LIMITATIONS_REF),
    ("axe-violations.html", "desktop", axe_problems, "aria-deprecated-role"),
    ("axe-violations.html", "dark", axe_problems, "aria-deprecated-role"),
    ("wide-table.html", "narrow", overflow_problems, "brief.css"),
    ("printed-sidebar.html", "desktop", print_problems, "Hide .sidebar-drawer in print"),
    ("map-without-cards.html", "phone", map_status_problems, "phone layout"),
    ("no-focus.html", "desktop", focus_problems, "shows no outline"),
    ("web-font.html", "desktop", foreign_problems, "fonts.example.invalid"),
]  # fmt: skip


@pytest.fixture(scope="module")
def found_bad(request) -> Found:
    """Each bad page, surveyed as the site's pages are, with the check it breaks."""
    plan: Plan = {}
    for name, view, check, _ in BAD:
        plan.setdefault(name, {}).setdefault(view, ())
        plan[name][view] += (check,)
    return surveyed(request, "bad-survey", FIXTURES / "browser", plan)


@pytest.mark.parametrize(("name", "view", "check", "expected"), BAD)
def test_check_fails_on_a_bad_page(found_bad, name, view, check, expected) -> None:
    problems = found_bad[view, name, check.__name__]
    assert problems, f"{check.__name__} passed {name}, which breaks it"
    assert name in problems[0] and expected in " ".join(problems), problems


def test_foreign_request_check_says_what_to_do(found_bad) -> None:
    problems = found_bad["desktop", "web-font.html", foreign_problems.__name__]
    assert "fonts.example.invalid" in problems[0], problems
    assert "docs/_static" in problems[0], problems
