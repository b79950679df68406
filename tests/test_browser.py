"""What readers see, in a real browser: Debian's Chromium driven by Playwright
over the built site, served from 127.0.0.1. Every page must show the disclaimer
in its flow, link to Limitations, pass axe-core, fetch nothing from elsewhere,
fit a phone's width, and print with its disclaimer and without the navigation.

The site is built once (the `html_dir` fixture) and served for the whole run.
One browser opens every page, one after another, in one tab of each browser
context (a screen, and a phone), sets the tab to each of the page's views in
turn (a window size and colour scheme), runs that view's checks on it, in order
(tests/browser_checks.py: each lists problems), and keeps what each check found
(tests/browser_survey.py, made once per run: under xdist, by the controller
while the workers run the other tests). Each test then asserts on its page's problems, so a page
still fails on its own, with its own message. The bad pages under
tests/fixtures/browser/ go through the same survey, to prove that each check
can fail. Without Chromium these tests skip, saying what to install; with
REQUIRE_BROWSER=1 (as in CI) a missing Chromium is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from browser_checks import (
    axe_problems,
    disclaimer_problems,
    focus_problems,
    foreign_problems,
    limitations_problems,
    limitations_target_problems,
    map_status_problems,
    overflow_problems,
    print_problems,
    scheme_problems,
    theme_toggle_problems,
)
from browser_survey import (
    BAD,
    FOCUS_PAGES,
    LIMITATIONS_PAGE,
    MAP_PAGE,
    PAGES,
    Found,
    Plan,
    bad_plan,
    launched,
    problems_of,
    site_plans,
    surveyed_rows,
)
from conftest import FIXTURES, built_once

from noopept_brief.tools import prerequisites

# One xdist worker runs them all (a module a worker: noxfile.py's XDIST), and
# last (conftest.py), after the survey the xdist controller starts as the run
# begins; the survey is shared through a file (:func:`surveyed`), so that any
# worker can read it, or make it if the controller could not.
pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Skips without it, unless REQUIRE_BROWSER=1."""
    if problem := prerequisites.browser_missing():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 is set, but: {problem}")
        pytest.skip(problem)
    with launched() as chromium:
        yield chromium


def surveyed(request, name: str, folder: Path, plan: Plan) -> Found:
    """:func:`survey` of ``folder``, made once per test run: by the xdist
    controller as the run begins (browser_survey.start_early), or else by
    whichever worker asks first (conftest.built_once); the others read it."""

    def run(_: Path) -> subprocess.CompletedProcess[str]:
        return surveyed_rows(request.getfixturevalue("browser"), folder, plan)

    factory = request.getfixturevalue("tmp_path_factory")
    rows = json.loads(built_once(factory, name, run)[1].stdout)
    return {(view, page, check): problems for view, page, check, problems in rows}


@pytest.fixture(scope="module")
def found(request, html_dir: Path) -> Found:
    """Every check on every page of the built site."""
    return surveyed(request, "survey", html_dir, site_plans())


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
    # ... in the view's own colour scheme, not one an earlier page stored.
    problems = problems_of(found, name, scheme_problems, view)
    problems += problems_of(found, name, axe_problems, view)
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


@pytest.fixture(scope="module")
def found_bad(request) -> Found:
    """Each bad page, surveyed as the site's pages are, with the check it breaks."""
    return surveyed(request, "bad-survey", FIXTURES / "browser", bad_plan())


@pytest.mark.parametrize(("name", "view", "check", "expected"), BAD)
def test_check_fails_on_a_bad_page(found_bad, name, view, check, expected) -> None:
    problems = found_bad[view, name, check.__name__]
    assert problems, f"{check.__name__} passed {name}, which breaks it"
    assert name in problems[0] and expected in " ".join(problems), problems


def test_foreign_request_check_says_what_to_do(found_bad) -> None:
    problems = found_bad["desktop", "web-font.html", foreign_problems.__name__]
    assert "fonts.example.invalid" in problems[0], problems
    assert "docs/_static" in problems[0], problems
