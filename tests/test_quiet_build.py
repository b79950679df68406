"""A clean build, as `nox -s html` runs it, prints nothing but its result, and
looks pybtex's plaintext backend up once, not once a citation (issue 21).

One build, in a fresh process (sphinxext-opengraph prints its line when first
imported, which the tests' own process did long ago), with pybtex's plugin
lookup counted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import DOCS, ROOT, built_once, count_build

from noopept_brief import core

pytestmark = pytest.mark.build

#: sphinx-build, with every pybtex plugin lookup noted in the file argv[1].
COUNTING_BUILD = """
import json, sys
from pathlib import Path
import pybtex.plugin
from sphinx.cmd.build import build_main

lookups = []
find_plugin = pybtex.plugin.find_plugin

def counted(group, name=None, filename=None):
    lookups.append([group, name])
    return find_plugin(group, name, filename)

pybtex.plugin.find_plugin = counted  # in this throw-away process only
code = build_main(sys.argv[2:])
Path(sys.argv[1]).write_text(json.dumps(lookups), encoding="utf-8")
sys.exit(code)
"""


class Build(NamedTuple):
    printed: str
    lookups: list[list[str]]
    out: Path


def another_time_zone() -> str:
    """A time zone at another offset from UTC than this machine's."""
    return "UTC" if time.localtime().tm_gmtoff else "America/Los_Angeles"


def quiet_build(
    factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """docs/ built as `nox -s html` builds it, in a process of its own and in
    another time zone, once a run: its folder (the site in html/) and result.
    test_reproducible_builds.py compares this site with the session's."""
    run = factory.getbasetemp()  # once a run in one process too
    if run not in _QUIET:
        _QUIET[run] = built_once(factory, "quiet", _counting_build)
    return _QUIET[run]


_QUIET: dict[Path, tuple[Path, subprocess.CompletedProcess[str]]] = {}


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    tmp, result = quiet_build(tmp_path_factory)
    assert result.returncode == 0, result.stdout + result.stderr
    return Build(
        result.stdout + result.stderr,
        json.loads((tmp / "lookups.json").read_text(encoding="utf-8")),
        tmp / "html",
    )


def _counting_build(tmp: Path) -> subprocess.CompletedProcess[str]:
    count_build()  # in a process of its own
    return subprocess.run(
        [sys.executable, "-c", COUNTING_BUILD, str(tmp / "lookups.json"), "-b",
         "html", str(DOCS), str(tmp / "html"), *core.SPHINX_FLAGS, "-q"],  # as nox runs it
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False,
        env={**os.environ, "TZ": another_time_zone()},
    )  # fmt: skip


def test_a_clean_build_prints_nothing(clean_build: Build) -> None:
    assert clean_build.printed == "", (
        "a clean `sphinx-build -q` printed lines a user cannot act on; "
        "silence them where they come from (see _upstream.quiet_opengraph_import):"
        f"\n{clean_build.printed}"
    )


def test_the_plaintext_backend_is_looked_up_once_a_build(clean_build: Build) -> None:
    citations = sum(
        page.read_text(encoding="utf-8").count('class="bibtex-citation"')
        for page in clean_build.out.glob("*.html")
    )
    assert citations > 10, "the brief's pages cite more than this"
    plaintext = clean_build.lookups.count(["pybtex.backends", "plaintext"])
    assert plaintext <= 1, (
        f"pybtex's plaintext backend was looked up {plaintext} times for "
        f"{citations} citations: each lookup scans every installed package "
        "(see _upstream.BibtexDomain)"
    )
    # The other lookups are per build (styles, parsers), not per citation.
    assert len(clean_build.lookups) < 20, clean_build.lookups
